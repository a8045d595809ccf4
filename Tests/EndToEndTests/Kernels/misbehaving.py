#!/usr/bin/env python3
"""A command kernel that computes each task's sum exactly, except when its MODE says to misbehave.

Usage: misbehaving.py MODE STATE_DIR. "The first time" is across restarts of this process: it is marked by a
file in STATE_DIR, so a retried task gets a correct answer.

Modes:
  correct    always right
  malformed  the first time task id % 7 == 3: a line that is not 'TASK_ID VALUE'
  unknown    the first time task id % 7 == 3: an answer for a task it was not given
  stderr     right, and 50 lines of standard error per task
  exit       every 400th task this process sees: exit with status 3, mid-batch
  crash      every 400th task this process sees: die of SIGSEGV
  hang       the first time task id == 100: sleep forever
  poison     task id 17: exit with status 4, every time
  silent     reads tasks and never answers
"""
import os
import signal
import sys
import time

mode, state = sys.argv[1], sys.argv[2]


def first_time(task_id):
    marker = os.path.join(state, f"{mode}-{task_id}")
    if os.path.exists(marker):
        return False
    open(marker, "w").close()
    return True


seen = 0
for line in sys.stdin:
    task_id, lo, hi = (int(word) for word in line.split())
    seen += 1
    value = (lo + hi) * (hi - lo + 1) // 2
    if mode == "silent":
        continue
    if mode == "malformed" and task_id % 7 == 3 and first_time(task_id):
        sys.stdout.write(f"{task_id}:{value} oops\n")
    elif mode == "unknown" and task_id % 7 == 3 and first_time(task_id):
        sys.stdout.write(f"{task_id + 1_000_000_000} {value}\n")
    elif mode == "exit" and seen % 400 == 0:
        sys.exit(3)
    elif mode == "crash" and seen % 400 == 0:
        os.kill(os.getpid(), signal.SIGSEGV)
    elif mode == "hang" and task_id == 100 and first_time(task_id):
        time.sleep(3600)
    elif mode == "poison" and task_id == 17:
        sys.exit(4)
    else:
        if mode == "stderr":
            for n in range(50):
                sys.stderr.write(f"note {n} about task {task_id}\n")
            sys.stderr.flush()
        sys.stdout.write(f"{task_id} {value}\n")
    sys.stdout.flush()
