"""A real prime counter (issue 14): the `primes` kernel (a segmented sieve) through the pipeline, against Kim
Walisch's `primesieve` program (Debian's primesieve-bin) on the same machine, in the same run. Called by bench.py.

- Per core: π(10^10) on one worker against `primesieve 1e10 -t 1`.
- Distributed: π(10^11) on as many workers as cores (the sink's elapsed time) against `primesieve 1e11 -t CORES`.
Each pair runs interleaved; the best of each side counts, so a burst of noise on this shared machine hurts neither.
"""
import re
import shutil
import subprocess

PI = {10**9: 50_847_534, 10**10: 455_052_511, 10**11: 4_118_054_813}


def primesieve(stop, threads):
    """Seconds `primesieve` reports for counting the primes up to `stop` on `threads` threads."""
    output = subprocess.run(["primesieve", str(stop), "-t", str(threads), "--quiet", "--time"],
                            capture_output=True, text=True, check=True, timeout=600).stdout
    seconds = re.search(r"Seconds: ([\d.]+)", output).group(1)
    count = re.search(r"^(\d+)$", output, re.M).group(1)
    if int(count) != PI[stop]:
        raise RuntimeError(f"primesieve counted {count} primes up to {stop}, not {PI[stop]}")
    return float(seconds)


def ours(bench, stop, workers):
    run = bench.run_job(["--kernel", "primes", "--n", str(stop)], workers)
    if not run["verified"] or run["total"] != PI[stop]:
        raise RuntimeError(f"the pipeline's π({stop}) was {run['total']} (verified: {run['verified']})")
    return run["seconds"]


def benchmarks(bench):
    if shutil.which("primesieve") is None:
        bench.log("  primesieve is not installed (apt-get install primesieve-bin): the prime counter is not compared")
        return None
    cores = bench.CORES
    rows = {}
    for name, stop, workers, repeats in (("per_core", 10**10, 1, 3),
                                         ("distributed", 10**10 if bench.QUICK else 10**11, cores, 1 if bench.QUICK else 2)):
        theirs, mine = [], []
        for _ in range(repeats):
            theirs.append(primesieve(stop, workers))
            mine.append(ours(bench, stop, workers))
        rows[name] = {"stop": stop, "workers": workers, "primesieve_seconds": min(theirs),
                      "pipeline_seconds": min(mine), "ratio": min(theirs) / min(mine)}
    return rows


def targets(p, target, cores):
    """The two rows; measured n/a when primesieve is missing."""
    ratio = lambda name: p[name]["ratio"] if p else None
    stop = f" (10^{len(str(p['distributed']['stop'])) - 1})" if p else ""
    return [target("primes, 1 worker: speed >= 0.67 x primesieve -t 1 (10^10)", ratio("per_core"), 0.67),
            target(f"primes, {cores} workers: speed >= 0.8 x primesieve -t {cores}{stop}", ratio("distributed"), 0.8)]


def print_rows(p):
    if p is None:
        return
    print()
    print("prime counter          up to  workers   pipeline (s)   primesieve (s)   speed vs primesieve")
    for name, row in p.items():
        print(f"{name:<18} 10^{len(str(row['stop'])) - 1:<5} {row['workers']:>7} {row['pipeline_seconds']:>14.3f} "
              f"{row['primesieve_seconds']:>16.3f} {row['ratio']:>21.2f}")
