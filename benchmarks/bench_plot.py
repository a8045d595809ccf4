"""bench-results/scaling.svg: every reference drawn beside ScatterGather, from one bench run's report.

Four panels: one-element tasks/s against libzmq, C and Python pipelines; the prime counter against primesieve; the
compute-bound speedup with the machine's measured ceiling and the ideal line; throughput against the number of
worker processes."""

WIDTH, HEIGHT, PAD = 420, 300, 56
OURS, REFERENCE, CEILING, IDEAL = "steelblue", "#b0b0b0", "darkorange", "gray"


def text(x, y, words, size=10, anchor="middle", fill="black"):
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">{words}</text>'


def frame(x0, y0, title, y_max, unit):
    return [text(x0 + WIDTH / 2, y0 + 22, title, 13),
            f'<line x1="{x0 + PAD}" y1="{y0 + HEIGHT - PAD}" x2="{x0 + WIDTH - 16}" y2="{y0 + HEIGHT - PAD}" stroke="black"/>',
            f'<line x1="{x0 + PAD}" y1="{y0 + 40}" x2="{x0 + PAD}" y2="{y0 + HEIGHT - PAD}" stroke="black"/>',
            text(x0 + PAD - 5, y0 + 44, f"{y_max:,.3g}{unit}", anchor="end"),
            text(x0 + PAD - 5, y0 + HEIGHT - PAD, "0", anchor="end")]


def bars(x0, y0, title, items, unit=""):
    """items: (label, value, colour); value None is left out."""
    items = [item for item in items if item[1] is not None]
    y_max = max(v for _, v, _ in items) * 1.2
    parts = frame(x0, y0, title, y_max, unit)
    slot = (WIDTH - PAD - 24) / len(items)
    for index, (label, value, colour) in enumerate(items):
        x = x0 + PAD + 8 + index * slot
        top = y0 + HEIGHT - PAD - value / y_max * (HEIGHT - PAD - 40)
        parts.append(f'<rect x="{x:.1f}" y="{top:.1f}" width="{slot - 12:.1f}" height="{y0 + HEIGHT - PAD - top:.1f}" '
                     f'fill="{colour}"/>')
        parts.append(text(x + (slot - 12) / 2, top - 4, f"{value:,.3g}"))
        for line, words in enumerate(label.split("|")):
            parts.append(text(x + (slot - 12) / 2, y0 + HEIGHT - PAD + 13 + 11 * line, words, 9))
    return parts


def lines(x0, y0, title, series, x_label, unit=""):
    """series: (label, [(x, y)], colour, dashed); x positions are evenly spaced by rank."""
    xs = sorted({x for _, points, _, _ in series for x, _ in points})
    y_max = max(y for _, points, _, _ in series for _, y in points) * 1.2
    sx = lambda x: x0 + PAD + 12 + xs.index(x) / max(len(xs) - 1, 1) * (WIDTH - PAD - 48)
    sy = lambda y: y0 + HEIGHT - PAD - y / y_max * (HEIGHT - PAD - 40)
    parts = frame(x0, y0, title, y_max, unit)
    parts += [text(sx(x), y0 + HEIGHT - PAD + 14, f"{x}") for x in xs]
    parts.append(text(x0 + WIDTH / 2, y0 + HEIGHT - 22, x_label, 11))
    for index, (label, points, colour, dashed) in enumerate(series):
        dash = ' stroke-dasharray="5"' if dashed else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="'
                     + " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in points) + '"/>')
        if not dashed:
            parts += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>'
                      + text(sx(x) + 4, sy(y) - 6, f"{y:,.3g}", anchor="start") for x, y in points]
        legend_y = y0 + 48 + 13 * index
        parts.append(f'<line x1="{x0 + PAD + 10}" y1="{legend_y - 3}" x2="{x0 + PAD + 28}" y2="{legend_y - 3}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(text(x0 + PAD + 32, legend_y, label, 10, anchor="start"))
    return parts


def write_plot(r, path):
    throughput = bars(0, 0, "one-element tasks: M tasks/s (or msg/s)", [
        ("ScatterGather|acknowledged", r["ours_beside_c_tasks_per_second"] / 1e6, OURS),
        ("batched C|pipeline", r["c_pipeline_tasks_per_second"] / 1e6, REFERENCE),
        ("libzmq, one|per frame", r["raw_pipeline_messages_per_second"] / 1e6, REFERENCE),
        ("raw libzmq|single hop", r["raw_hop_messages_per_second"] / 1e6, REFERENCE),
        ("pyzmq|pipeline", r["pyzmq_tasks_per_second"] / 1e6, REFERENCE),
    ])
    p = r.get("prime_counter")
    if p:
        per_core, spread = p["per_core"], p["distributed"]
        power = lambda row: f"10^{len(str(row['stop'])) - 1}"
        primes = bars(WIDTH, 0, "counting primes: seconds (lower is better)", [
            (f"ScatterGather|π({power(per_core)}), 1 worker", per_core["pipeline_seconds"], OURS),
            (f"primesieve|-t 1", per_core["primesieve_seconds"], REFERENCE),
            (f"ScatterGather|π({power(spread)}), {spread['workers']} workers", spread["pipeline_seconds"], OURS),
            (f"primesieve|-t {spread['workers']}", spread["primesieve_seconds"], REFERENCE),
        ], " s")
    else:
        primes = frame(WIDTH, 0, "counting primes: primesieve not installed", 1, " s")
    speedup = [(c["workers"], c["speedup"]) for c in r["compute"]]
    ceiling = [(p_["workers"], p_["speedup"]) for p_ in r["compute_parallel_baseline"]]
    scaling = lines(0, HEIGHT, "primes-mr: speedup over one process", [
        ("ScatterGather", speedup, OURS, False),
        ("machine ceiling (processes, no messaging)", ceiling, CEILING, True),
        ("ideal", [(w, w) for w, _ in speedup], IDEAL, True),
    ], "workers", "x")
    many = [(row["workers"], row["tasks_per_second"] / 1e6) for row in r["dispatch"]["many_workers"]]
    workers = lines(WIDTH, HEIGHT, "one-element tasks: M tasks/s by worker processes", [
        ("ScatterGather", many, OURS, False)], "worker processes (2 cores)")
    body = "".join(throughput + primes + scaling + workers)
    with open(path, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * WIDTH}" height="{2 * HEIGHT}" '
                f'font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>{body}</svg>\n')
