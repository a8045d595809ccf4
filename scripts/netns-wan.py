#!/usr/bin/env python3
"""A userspace WAN for scripts/netns-test, for kernels built without tc netem (sch_netem).

Each test host is a network namespace with a TUN device; this process holds every TUN device's
file descriptor and forwards IPv4 packets between them by destination address, with a delay,
a uniform jitter and a random loss, as `tc qdisc add ... netem delay D J loss L` would on each
host's link. Packets travel only between those namespaces.

Usage: netns-wan.py --delay-ms 20 --jitter-ms 5 --loss 0.01 NAMESPACE=ADDRESS ...
It prints one line when ready and a summary of what it forwarded and dropped on SIGTERM.
"""
import argparse
import ctypes
import fcntl
import heapq
import ipaddress
import os
import random
import select
import signal
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000

libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    if libc.setns(fd, CLONE_NEWNET) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"setns: {os.strerror(errno)}")


def open_tun(namespace, device):
    """Attaches to the persistent TUN device `device` of `namespace` (made with `ip tuntap add`)."""
    own = os.open("/proc/self/ns/net", os.O_RDONLY)
    target = os.open(f"/run/netns/{namespace}", os.O_RDONLY)
    try:
        setns(target)
        fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", device.encode(), IFF_TUN | IFF_NO_PI))
        return fd
    finally:
        setns(own)
        os.close(own)
        os.close(target)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay-ms", type=float, default=20)
    parser.add_argument("--jitter-ms", type=float, default=5)
    parser.add_argument("--loss", type=float, default=0.01, help="fraction of packets dropped, 0 to 1")
    parser.add_argument("--device", default="eth0", help="the TUN device's name in every namespace")
    parser.add_argument("hosts", nargs="+", metavar="NAMESPACE=ADDRESS")
    options = parser.parse_args()
    if not 0 <= options.loss < 1 or options.delay_ms < 0 or not 0 <= options.jitter_ms <= options.delay_ms:
        parser.error("need 0 <= --loss < 1 and 0 <= --jitter-ms <= --delay-ms")

    by_address = {}
    for host in options.hosts:
        namespace, _, address = host.partition("=")
        by_address[ipaddress.IPv4Address(address).packed] = open_tun(namespace, options.device)
    fds = list(by_address.values())

    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"wan: forwarding between {len(fds)} hosts, delay {options.delay_ms} ms ± {options.jitter_ms} ms, "
          f"loss {options.loss:.1%}", flush=True)

    queue = []  # (due, sequence, fd, packet)
    sequence = 0
    forwarded = dropped = unroutable = undeliverable = 0
    while not stopping:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 0.5
        try:
            ready, _, _ = select.select(fds, [], [], timeout)
        except InterruptedError:
            continue
        now = time.monotonic()
        for fd in ready:
            while True:
                try:
                    packet = os.read(fd, 65535)
                except (BlockingIOError, OSError):
                    break
                if len(packet) < 20 or packet[0] >> 4 != 4:
                    continue  # only IPv4 crosses this WAN
                target = by_address.get(packet[16:20])
                if target is None:
                    unroutable += 1
                elif random.random() < options.loss:
                    dropped += 1
                else:
                    delay = options.delay_ms + random.uniform(-options.jitter_ms, options.jitter_ms)
                    heapq.heappush(queue, (now + delay / 1000, sequence, target, packet))
                    sequence += 1
        while queue and queue[0][0] <= now:
            _, _, target, packet = heapq.heappop(queue)
            try:
                os.write(target, packet)
                forwarded += 1
            except OSError:
                undeliverable += 1  # the host's link is down
    print(f"wan: forwarded {forwarded} packets, dropped {dropped} at random "
          f"({dropped / max(forwarded + dropped, 1):.2%}), {undeliverable} to a host whose link was down, "
          f"{unroutable} to unknown addresses", flush=True)


if __name__ == "__main__":
    sys.exit(main())
