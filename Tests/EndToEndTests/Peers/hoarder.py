"""A peer that asks for work and never answers: it connects to a ventilator's task socket, keeps its credit up
(a plain credit for every batch it receives), and sends no result anywhere.

usage: hoarder.py TASK_ENDPOINT WORKER_ID_HEX KERNEL
Written from topology.md alone (0x06 Credit), with pyzmq.
"""
import struct
import sys

import zmq

endpoint, worker_id, kernel = sys.argv[1], int(sys.argv[2], 16), sys.argv[3].encode()


def credit(batches, reset):
    return struct.pack("<BBHBQB", 2, 6, batches, 1 if reset else 0, worker_id, 1) + kernel.ljust(32, b"\0")


socket = zmq.Context().socket(zmq.DEALER)
socket.connect(endpoint)
socket.send(credit(32, True))
held = 0
while True:
    if socket.poll(1000):
        socket.recv()
        held += 1
        socket.send(credit(1, False))
        print(f"held {held}", file=sys.stderr, flush=True)
