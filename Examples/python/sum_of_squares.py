#!/usr/bin/env python3
"""A ScatterGather command kernel in Python: the sum of the squares of each task's range.

Run it through a worker, which starts it once and feeds it tasks over the line protocol:

    worker --command squares="python3 Examples/python/sum_of_squares.py"
    ventilator --kernel squares --n 1e6 --expect 333333833333500000

The protocol (topology.md, "Command kernels"): the worker writes one line per task,
"TASK_ID LO HI\n", and reads one line per result, "TASK_ID VALUE\n" (VALUE a decimal integer,
possibly negative, within signed 128 bits). Answer in any order, flush after each answer, and exit
when standard input ends. Anything written to standard error goes to the worker's log.
"""
import sys


def evaluate(lo: int, hi: int) -> int:
    """Your computation: any deterministic function of the range, returning an integer."""

    def squares_up_to(n: int) -> int:
        return n * (n + 1) * (2 * n + 1) // 6

    return squares_up_to(hi) - squares_up_to(lo - 1)


def main() -> None:
    for line in sys.stdin:
        task_id, lo, hi = line.split()
        sys.stdout.write(f"{task_id} {evaluate(int(lo), int(hi))}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
