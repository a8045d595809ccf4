#!/usr/bin/env python3
"""The cheapest command kernel: a task's value is its element count, hi - lo + 1. scripts/bench measures how many
one-element tasks a second a worker gets through a Python child over the line protocol."""
import sys

write, flush = sys.stdout.write, sys.stdout.flush
for line in sys.stdin:
    task_id, lo, hi = line.split()
    write(f"{task_id} {int(hi) - int(lo) + 1}\n")
    flush()
