#!/usr/bin/env python3
"""The classic pyzmq ventilator / worker / sink pipeline (the ZeroMQ guide's taskvent, taskwork and
tasksink), with the same task shape as ScatterGather: one task per message, each a range [lo, hi]
whose sum the worker computes, one result per message. The reference users would otherwise write.

Usage: pyzmq_pipeline.py TASKS [WORKERS]   prints `tasks_per_second <value>` and `total <value>`
"""
import struct
import subprocess
import sys
import time

import zmq

TASK = struct.Struct("<BBBQQQQ")  # version, type, kernel, job, task id, lo, hi (35 bytes)
RESULT = struct.Struct("<BBQQQQQQQ")  # version, type, job, task id, worker, partial lo/hi, elements, ns (58 bytes)


def ventilator(tasks: int, tasks_port: int, sink_port: int) -> None:
    context = zmq.Context()
    sender = context.socket(zmq.PUSH)
    sender.bind(f"tcp://127.0.0.1:{tasks_port}")
    start_signal = context.socket(zmq.PUSH)
    start_signal.connect(f"tcp://127.0.0.1:{sink_port}")
    time.sleep(1.0)  # the guide's wait for workers to connect
    start_signal.send(b"start")
    pack = TASK.pack
    for task_id in range(tasks):
        n = task_id + 1
        sender.send(pack(1, 2, 1, 7, task_id, n, n))
    time.sleep(1.0)


def worker(tasks_port: int, sink_port: int) -> None:
    context = zmq.Context()
    receiver = context.socket(zmq.PULL)
    receiver.connect(f"tcp://127.0.0.1:{tasks_port}")
    sender = context.socket(zmq.PUSH)
    sender.connect(f"tcp://127.0.0.1:{sink_port}")
    unpack, pack = TASK.unpack, RESULT.pack
    while True:
        _, _, _, job, task_id, lo, hi = unpack(receiver.recv())
        partial = (lo + hi) * (hi - lo + 1) // 2
        sender.send(pack(1, 3, job, task_id, 1, partial & 0xFFFFFFFFFFFFFFFF, partial >> 64, hi - lo + 1, 0))


def sink(tasks: int, sink_port: int) -> None:
    context = zmq.Context()
    receiver = context.socket(zmq.PULL)
    receiver.bind(f"tcp://127.0.0.1:{sink_port}")
    receiver.recv()  # start of batch
    start = time.perf_counter()
    unpack = RESULT.unpack
    total = 0
    for _ in range(tasks):
        fields = unpack(receiver.recv())
        total += fields[5] | fields[6] << 64
    elapsed = time.perf_counter() - start
    print(f"tasks_per_second {tasks / elapsed:.0f}")
    print(f"total {total}")


def free_port() -> int:
    context = zmq.Context.instance()
    probe = context.socket(zmq.PULL)
    port = probe.bind_to_random_port("tcp://127.0.0.1")
    probe.close()
    return port


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("ventilator", "worker", "sink"):
        role, numbers = sys.argv[1], [int(a) for a in sys.argv[2:]]
        {"ventilator": ventilator, "worker": worker, "sink": sink}[role](*numbers)
        return
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    tasks_port, sink_port = free_port(), free_port()
    me = [sys.executable, __file__]
    sink_process = subprocess.Popen(me + ["sink", str(tasks), str(sink_port)])
    worker_processes = [subprocess.Popen(me + ["worker", str(tasks_port), str(sink_port)]) for _ in range(workers)]
    ventilator_process = subprocess.Popen(me + ["ventilator", str(tasks), str(tasks_port), str(sink_port)])
    try:
        sink_process.wait(timeout=600)
    finally:
        for process in worker_processes + [ventilator_process, sink_process]:
            process.kill()


if __name__ == "__main__":
    main()
