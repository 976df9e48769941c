"""CPython reference for `concdemo spinner`'s benchmarks (bench_spinner.c).

Written for concdemo: the same measurements in asyncio, so bench/run.sh can
print them beside the C loop's.  Prints "key value" lines:
  sleep0_us   one `await asyncio.sleep(0)` round trip, one task alone
  plain_s     the book's is_prime(n) (odd divisors up to isqrt(n))
  nap_s       the book's nap: the same scan as a coroutine that awaits
              sleep(0) when i % 100_000 == 1, beside a ticking spin task
              (no output), as spinner_prime_async_nap.py
  nap_pct     (nap_s / plain_s - 1) * 100
usage: python3 spinner_async.py [N]   (default the book's 5_000_111_000_222_021)
"""
import asyncio
import math
import sys
import time

from sequential import is_prime  # the book's list and is_prime

ROUNDS = 200_000


async def is_prime_nap(n: int) -> bool:
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    root = math.isqrt(n)
    for i in range(3, root + 1, 2):
        if n % i == 0:
            return False
        if i % 100_000 == 1:
            await asyncio.sleep(0)
    return True


async def yielder() -> float:
    t0 = time.perf_counter()
    for _ in range(ROUNDS):
        await asyncio.sleep(0)
    return (time.perf_counter() - t0) / ROUNDS * 1e6


async def ticker() -> None:
    try:
        while True:
            await asyncio.sleep(.1)
    except asyncio.CancelledError:
        pass


async def nap(n: int) -> float:
    spinner = asyncio.create_task(ticker())
    t0 = time.perf_counter()
    await is_prime_nap(n)
    elapsed = time.perf_counter() - t0
    spinner.cancel()
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_111_000_222_021
    sleep0 = min(asyncio.run(yielder()) for _ in range(3))
    t0 = time.perf_counter()
    is_prime(n)
    plain = time.perf_counter() - t0
    napped = asyncio.run(nap(n))
    print(f'sleep0_us {sleep0:.3f}')
    print(f'plain_s {plain:.3f}')
    print(f'nap_s {napped:.3f}')
    print(f'nap_pct {(napped / plain - 1) * 100:.1f}')


if __name__ == '__main__':
    main()
