"""CPython reference for `concdemo primes --procs` / `--threads`.

Written for concdemo's benchmarks: the book's homegrown pools (procs.py,
threads.py) re-implemented with the same protocol -- a jobs queue filled
first, one poison pill per worker, one "done" per worker -- so bench/run.sh
can time CPython beside concdemo on the same workload.

usage: pool.py procs|threads N book|tiny [fifo|priority]
  book   the book's 20 numbers (is_prime as in primes.py)
  tiny   100,000 numbers below 1000: the pool's cost per job
  priority  jobs sorted by expected cost, largest first, the estimate
            concdemo uses (small factors cost nothing, else sqrt(n))
Prints one line: the total seconds (book) or microseconds per job (tiny).
"""
import math
import queue
import sys
import threading
import time
from multiprocessing import Process, SimpleQueue

from sequential import NUMBERS, is_prime  # the book's list and is_prime

PILL = ...  # Ellipsis survives pickling, as the chapter notes
TINY = 100_000


def cost(n: int) -> int:
    for d in (2, 3, 5, 7, 11, 13):
        if n % d == 0:
            return 0
    return math.isqrt(n)


def worker(jobs, results) -> None:
    while (n := jobs.get()) is not PILL:
        t0 = time.perf_counter()
        prime = is_prime(n)
        results.put((n, prime, time.perf_counter() - t0))
    results.put((0, False, 0.0))  # done


def run(kind: str, workers: int, numbers: list) -> float:
    if kind == 'procs':
        jobs, results, start = SimpleQueue(), SimpleQueue(), Process
    else:
        jobs, results, start = queue.Queue(), queue.Queue(), threading.Thread
    t0 = time.perf_counter()
    # Workers first, and the jobs and pills put by a feeder thread while
    # this one reads results: the book puts every job first, but a
    # SimpleQueue is a pipe, and 100,000 jobs fill it (and the results
    # pipe) with nobody reading.  The pills still come after every job.
    started = []
    for _ in range(workers):
        w = start(target=worker, args=(jobs, results), daemon=True)
        w.start()
        started.append(w)

    def feed() -> None:
        for n in numbers:
            jobs.put(n)
        for _ in range(workers):
            jobs.put(PILL)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    done = 0
    while done < workers:
        n, prime, elapsed = results.get()
        if n == 0:
            done += 1
    elapsed = time.perf_counter() - t0
    feeder.join()
    for w in started:
        w.join()
    return elapsed


def main() -> None:
    kind, workers, load = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    order = sys.argv[4] if len(sys.argv) > 4 else 'fifo'
    if load == 'book':
        numbers = list(NUMBERS)
    else:
        numbers = [i % 1000 or 1000 for i in range(TINY)]  # 0 is "done"
    if order == 'priority':
        numbers.sort(key=cost, reverse=True)
    t = run(kind, workers, numbers)
    if load == 'book':
        print(f'{t:.3f}')
    else:
        print(f'{t / TINY * 1e6:.3f}')


if __name__ == '__main__':
    main()
