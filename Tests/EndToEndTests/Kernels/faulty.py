#!/usr/bin/env python3
"""A command kernel for the cross-check tests: the sum of the squares of each task's range, right or wrong.

    faulty.py MODE

MODE: "slow" (right, 0.5 ms a task), "one-percent" (wrong on 1 % of the tasks it computes: its 51st, 151st, ...,
so never on the first few) or "always" (wrong on every task).
"""
import sys
import time


def squares(lo: int, hi: int) -> int:
    def up_to(n: int) -> int:
        return n * (n + 1) * (2 * n + 1) // 6

    return up_to(hi) - up_to(lo - 1)


def main() -> None:
    mode = sys.argv[1]
    computed = 0
    for line in sys.stdin:
        task_id, lo, hi = line.split()
        value = squares(int(lo), int(hi))
        if mode == "slow":
            time.sleep(0.0005)
        elif mode == "always" or (mode == "one-percent" and computed % 100 == 50):
            value += 1
        computed += 1
        sys.stdout.write(f"{task_id} {value}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
