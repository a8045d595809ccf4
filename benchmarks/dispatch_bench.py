"""Dispatch that heals itself (issue 11), measured side by side: many worker processes on one machine, the in-flight
window with long and short tasks, and a healthy worker's job beside a misrouted worker, a hoarding peer and a slowed
worker, each against the healthy worker alone. Called by bench.py, or alone:

    python3 benchmarks/dispatch_bench.py BIN_DIR [--quick]
"""
import os
import re
import statistics
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HOARDER = os.path.join(HERE, "..", "Tests", "EndToEndTests", "Peers", "hoarder.py")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(processes):
    total = 0
    for process in processes:
        try:
            with open(f"/proc/{process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            pass
    return total


def peak_rss_kib(process, samples):
    """Samples the process's VmHWM until it exits (wait4's ru_maxrss would also count the forked copy of this Python
    process that preceded its exec, which is large once the journal benchmark has run)."""
    def watch():
        while process.poll() is None:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            samples[process.pid] = int(line.split()[1])
            except OSError:
                pass
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


COUNTS = (2, 10, 100, 300)


def many_workers(bench, quick):
    """One-element tasks through 2, 10, 100 and 300 worker processes: tasks/s (the best of three jobs in a row) and the
    roles' peak RSS. The workers start first, on ports chosen ahead, and the jobs only once they have settled:
    starting 300 processes costs seconds of CPU, which is not what this measures."""
    tasks = 3_000_000 if quick else 10_000_000
    rows = []
    for count in COUNTS:
        results, control, task_port = (f"tcp://127.0.0.1:{free_port()}" for _ in range(3))
        workers = [bench.start("worker", "--tasks", task_port, "--results", results) for _ in range(count)]
        deadline, before = time.time() + 120, -1.0
        while time.time() < deadline:  # settled: under 50 ms of CPU a second, all workers together
            time.sleep(1)
            now = cpu_seconds(workers)
            if now - before < 0.05:
                break
            before = now
        # Three jobs in a row through the same workers, the best counting, as the other throughput rows take a best: in
        # one sitting, jobs through the same 300 processes on 2 cores ran at 7 to 15 M tasks/s.
        sink = bench.start("sink", "--results", results, "--control", control, "--jobs", "3")
        # Read as it comes: a report lists every worker (about 20 KB with 300 of them), and a sink whose output pipe is
        # full blocks before it publishes the next report (run 19 of the bench stopped so, on its third job).
        sink_output = []
        drains = [threading.Thread(target=lambda stream=stream: sink_output.append(stream.read()), daemon=True)
                  for stream in (sink.stdout, sink.stderr)]
        for drain in drains:
            drain.start()
        peaks, rates, ventilator_rss = {}, [], 0
        sink_watcher = peak_rss_kib(sink, peaks)
        for _ in range(3):
            ventilator = bench.start("ventilator", "--n", str(tasks), "--chunk", "1", "--tasks", task_port,
                                     "--results", results, "--control", control)
            watcher = peak_rss_kib(ventilator, peaks)
            output = ventilator.stdout.read()
            status = ventilator.wait()
            watcher.join()
            ventilator_rss = max(ventilator_rss, peaks.get(ventilator.pid, 0))
            if status != 0 or "verified: yes" not in output:
                # The sink's side too: it explains a job whose tasks are all acknowledged but that has no report.
                sink.terminate()
                for drain in drains:
                    drain.join()
                for worker in workers:  # left running, hundreds of them would weigh on every later measurement
                    worker.kill()
                raise RuntimeError(f"the job through {count} workers failed:\n{output}\n{ventilator.stderr.read()}\n"
                                   f"the sink's output:\n" + "\n".join(sink_output)[-20000:])
            rates.append(float(re.search(r"dispatch to report: [\d.]+ s, ([\d.]+) tasks/s", output).group(1)))
        sink_status = sink.wait()
        sink_watcher.join()
        for drain in drains:
            drain.join()
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            bench.wait_rss(worker)
        if sink_status != 0:
            raise RuntimeError(f"the sink of the jobs through {count} workers failed: " + "\n".join(sink_output)[-20000:])
        rows.append({"workers": count, "tasks_per_second": max(rates), "ventilator_rss_kib": ventilator_rss,
                     "sink_rss_kib": peaks.get(sink.pid, 0)})
    return rows


def window(bench, quick):
    """2 workers, the adaptive window against a fixed window of 65536, with short tasks (one element) and long
    ones (primes-mr, about 2 ms each): job seconds, the medians of 5 runs of each, in pairs run back to back; the ratio
    is the median of the pairs' ratios, since the machine's speed drifts by more than the windows differ."""
    tiny = 2_000_000 if quick else 5_000_000
    first, count = 1_000_000_000, (5_000_000 if quick else 20_000_000)
    jobs = {"short": ["--n", str(tiny), "--chunk", "1"],
            "long": ["--kernel", "primes-mr", "--from", str(first), "--to", str(first + count - 1),
                     "--chunk", str(count // 1000)]}
    result = {}
    for name, job in jobs.items():
        adaptive, fixed = [], []
        for _ in range(5):
            adaptive.append(bench.run_job(job, 2)["seconds"])
            fixed.append(bench.run_job(job, 2, ventilator_arguments=("--window", "65536"))["seconds"])
        result[name] = {"adaptive_seconds": statistics.median(adaptive), "fixed_seconds": statistics.median(fixed),
                        "ratio": bench.paired_ratio(adaptive, fixed)}
    return result


def healing(run_job, bin_dir, quick):
    """π(10^8) (π(10^7) quick) on one healthy worker alone, then beside each kind of bad company."""
    job = ["--kernel", "primes-mr", "--n", "1e7" if quick else "1e8"]

    def misrouted(tasks, results):
        other = subprocess.Popen([os.path.join(bin_dir, "sink"), "--results", "tcp://127.0.0.1:*",
                                  "--control", "tcp://127.0.0.1:*"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        line = other.stderr.readline().split()
        worker = subprocess.Popen([os.path.join(bin_dir, "worker"), "--tasks", tasks, "--results", line[2]],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return [worker, other]

    def hoarder(tasks, results):
        return [subprocess.Popen([sys.executable, HOARDER, tasks, "ba5e", "primes-mr"], stderr=subprocess.DEVNULL)]

    def slowed(tasks, results):
        worker = subprocess.Popen([os.path.join(bin_dir, "worker"), "--tasks", tasks, "--results", results],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop = threading.Event()

        def cycle():  # stopped 90 % of the time: a tenth of the healthy worker's speed
            while not stop.is_set() and worker.poll() is None:
                worker.send_signal(signal.SIGSTOP)
                time.sleep(0.09)
                worker.send_signal(signal.SIGCONT)
                time.sleep(0.01)
            if worker.poll() is None:
                worker.send_signal(signal.SIGCONT)

        thread = threading.Thread(target=cycle, daemon=True)
        thread.start()

        class Stopper:  # ends the cycling before the worker is killed
            def kill(self):
                stop.set()
                thread.join()

            def wait(self):
                pass

        return [Stopper(), worker]

    alone = min(run_job(job, 1)["seconds"] for _ in range(2))
    result = {"alone_seconds": alone}
    for name, extra in (("misrouted", misrouted), ("hoarder", hoarder), ("slowed", slowed)):
        run = run_job(job, 1, extra=extra)
        if not run["verified"]:
            raise RuntimeError(f"the job beside a {name} worker was not verified")
        result[name] = {"seconds": run["seconds"], "ratio": run["seconds"] / alone}
    return result


def benchmarks(bench):
    """Every row, with `bench` (bench.py as a module) for its helpers."""
    return {"many_workers": many_workers(bench, bench.QUICK), "window": window(bench, bench.QUICK),
            "healing": healing(bench.run_job, bench.BIN, bench.QUICK)}


def targets(d, target):
    by_workers = {row["workers"]: row for row in d["many_workers"]}
    ten = by_workers[10]
    return [
        target("tasks/s, 100 workers >= 0.8 x 10 workers", by_workers[100]["tasks_per_second"] / ten["tasks_per_second"], 0.8),
        target("tasks/s, 300 workers >= 0.8 x 10 workers", by_workers[300]["tasks_per_second"] / ten["tasks_per_second"], 0.8),
        target("ventilator RSS, 300 workers <= 2 x 10 workers",
               by_workers[300]["ventilator_rss_kib"] / ten["ventilator_rss_kib"], 2.0, below=True),
        target("sink RSS, 300 workers <= 2 x 10 workers", by_workers[300]["sink_rss_kib"] / ten["sink_rss_kib"], 2.0, below=True),
        target("job time, adaptive / fixed 65536 window, short tasks <= 1.1", d["window"]["short"]["ratio"], 1.1, below=True),
        target("job time, adaptive / fixed 65536 window, long tasks <= 1.1", d["window"]["long"]["ratio"], 1.1, below=True),
        target("job time beside a misrouted worker <= 1.3 x alone", d["healing"]["misrouted"]["ratio"], 1.3, below=True),
        target("job time beside a hoarding peer <= 1.3 x alone", d["healing"]["hoarder"]["ratio"], 1.3, below=True),
        target("job time beside a 10x slower worker <= 1.2 x alone", d["healing"]["slowed"]["ratio"], 1.2, below=True),
    ]


def print_rows(d):
    print("one-element tasks, many worker processes   workers      tasks/s   ventilator RSS   sink RSS (MiB)")
    for row in d["many_workers"]:
        print(f"{'':43}{row['workers']:>7} {row['tasks_per_second']:>12,.0f} {row['ventilator_rss_kib'] / 1024:>16.1f}"
              f" {row['sink_rss_kib'] / 1024:>10.1f}")
    for name, w in d["window"].items():
        print(f"window, {name} tasks, 2 workers: adaptive {w['adaptive_seconds']:.3f} s, fixed 65536 "
              f"{w['fixed_seconds']:.3f} s ({w['ratio']:.2f} x)")
    h = d["healing"]
    print(f"a healthy worker's job alone {h['alone_seconds']:.3f} s; beside a misrouted worker "
          f"{h['misrouted']['seconds']:.3f} s ({h['misrouted']['ratio']:.2f} x), a hoarding peer "
          f"{h['hoarder']['seconds']:.3f} s ({h['hoarder']['ratio']:.2f} x), a worker stopped 90 % of the time "
          f"{h['slowed']['seconds']:.3f} s ({h['slowed']['ratio']:.2f} x)")


if __name__ == "__main__":
    sys.argv = [sys.argv[0], sys.argv[1], "", "/tmp"] + sys.argv[2:]
    import bench

    d = benchmarks(bench)
    print_rows(d)
    for t in targets(d, bench.target):
        print(f"{'MET   ' if t['met'] else 'MISSED'} {t['target']:<60} measured {t['value']:.2f}")
