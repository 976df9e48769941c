"""CPython reference for `concdemo primes --format=tsv -`: the filter.

Written for concdemo's benchmarks: reads numbers one per line from stdin,
checks each with the same trial division as sequential.py (odd divisors up
to isqrt(n)), timed as the book times each check, and prints one line per
number, "NUMBER<TAB>prime|composite<TAB>SECONDS", as concdemo's tsv format
does.  Output is buffered by sys.stdout when it is not a terminal.
"""
import sys
import time

from sequential import is_prime  # the book's trial division, as pool.py


def main() -> None:
    write = sys.stdout.write
    for line in sys.stdin:
        n = int(line)
        t0 = time.perf_counter()
        prime = is_prime(n)
        dt = time.perf_counter() - t0
        write(f'{n}\t{"prime" if prime else "composite"}\t{dt:.9f}\n')


if __name__ == '__main__':
    main()
