#!/usr/bin/env python3
"""Turns one bench/run's raw results into docs/benchmarks.md and docs/benchmarks.svg.

Inputs (all written by bench/run into one directory): jmh.json (JMH -rf json, with -prof gc), go.txt (go test
-bench output, optional), footprint.tsv (IdleFootprint, optional), meta.txt (key=value lines: date, machine, load).
Standard library only, so it runs wherever python3 does.
"""
import argparse
import html
import json
import math
import os
import re
import statistics

# Column order; "bounded" says whether the peer counts as a bounded JVM peer for the verdict.
PEERS = [
    ("loomchan", "loomchan"),
    ("jox", "jox"),
    ("kotlin", "Kotlin"),
    ("arrayBlockingQueue", "ArrayBlockingQueue"),
    ("linkedBlockingQueue", "LinkedBlockingQueue"),
    ("synchronousQueue", "SynchronousQueue"),
    ("synchronousQueueFair", "SynchronousQueue (fair)"),
    ("linkedTransferQueue", "LinkedTransferQueue"),
    ("go", "Go"),
]
COLORS = {
    "loomchan": "#d62728", "jox": "#1f77b4", "kotlin": "#9467bd", "arrayBlockingQueue": "#2ca02c",
    "linkedBlockingQueue": "#8c564b", "synchronousQueue": "#17becf", "synchronousQueueFair": "#e377c2", "linkedTransferQueue": "#bcbd22",
    "go": "#7f7f7f",
}

# Workload order and labels: (JMH class without "Benchmark", label template over the params).
WORKLOADS = [
    ("BufferedPair", "buffered({capacity}), 1P/1C, virtual threads"),
    ("RendezvousPair", "rendezvous, 1P/1C, virtual threads"),
    ("BufferedPairPlatform", "buffered({capacity}), 1P/1C, platform threads"),
    ("RendezvousPairPlatform", "rendezvous, 1P/1C, platform threads"),
    ("Mpmc", "MPMC {parties}P/{parties}C, buffered(100)"),
    ("ChainRendezvous", "chain of {length} rendezvous channels (per hop)"),
    ("ChainBuffered", "chain of {length} buffered({capacity}) channels (per hop)"),
    ("PairsRendezvous", "{pairs} independent pairs, rendezvous"),
    ("PairsBuffered", "{pairs} independent pairs, buffered({capacity})"),
    ("Select", "select over {channels} rendezvous channels"),
    ("Unbounded", "unbounded, 1P/1C, virtual threads"),
    ("AsyncPipeline", "async putAsync/getAsync pipeline, buffered(16), 2-thread executor"),
    ("FastPath", "uncontended offer+poll, buffered(16), one thread"),
]

# Where LinkedTransferQueue is an unbounded queue next to bounded channels, it is shown but not a peer to beat.
LTQ_IS_REFERENCE = {"BufferedPair", "BufferedPairPlatform", "Mpmc", "FastPath"}

NOISE = 1.3  # ratios within [1/NOISE, NOISE] are called noise on this shared machine


def params_key(params):
    return ",".join(f"{k}={params[k]}" for k in sorted(params))


def fmt_int(v):
    return f"{int(v):,}" if str(v).isdigit() else str(v)


def label(workload, params):
    template = dict(WORKLOADS)[workload]
    return template.format(**{k: fmt_int(v) for k, v in params.items()})


def fmt_ns(v):
    if v is None:
        return ""
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def load_jmh(path):
    rows = {}  # (workload, key) -> {"params":..., peer: {"score", "error", "alloc"}}
    with open(path) as f:
        data = json.load(f)
    for entry in data:
        cls, method = entry["benchmark"].rsplit(".", 1)
        workload = cls.rsplit(".", 1)[1].removesuffix("Benchmark")
        params = entry.get("params") or {}
        row = rows.setdefault((workload, params_key(params)), {"params": params})
        primary = entry["primaryMetric"]
        alloc = entry.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        error = primary.get("scoreError")
        row[method] = {
            "score": primary["score"],
            "error": None if error is None or (isinstance(error, float) and math.isnan(error)) else error,
            "alloc": alloc,
        }
    return rows


def load_go(path):
    if not path or not os.path.exists(path):
        return {}
    samples = {}
    for line in open(path):
        m = re.match(r"^Benchmark(\S+?)(?:-\d+)?\s+\d+\s+.*?([\d.]+) ns/item", line)
        if not m:
            continue
        name = m.group(1)
        workload, _, sub = name.partition("/")
        samples.setdefault((workload, sub), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in samples.items()}


def load_meta(path):
    meta = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k] = v
    return meta


def best_jvm_peer(workload, row):
    best = None
    for peer, _ in PEERS:
        if peer in ("loomchan", "go") or peer not in row:
            continue
        if peer == "linkedTransferQueue" and workload in LTQ_IS_REFERENCE:
            continue
        if best is None or row[peer]["score"] < row[best]["score"]:
            best = peer
    return best


def separated(a, b):
    """Whether two JMH results' confidence intervals are disjoint (a missing error counts as zero width)."""
    ea, eb = a["error"] or 0.0, b["error"] or 0.0
    return a["score"] + ea < b["score"] - eb or b["score"] + eb < a["score"] - ea


def verdict(ratio, loom, best):
    if ratio is None:
        return ""
    if ratio <= 1 / NOISE or ratio >= NOISE:
        if not separated(loom, best):
            return "unclear (error bars overlap)"
        return "faster" if ratio < 1 else "**slower**"
    return "within noise"


def ordered_rows(jmh):
    def sort_key(item):
        (workload, _), row = item
        order = [w for w, _ in WORKLOADS].index(workload) if workload in dict(WORKLOADS) else 99
        nums = tuple(int(v) if str(v).isdigit() else 0 for _, v in sorted(row["params"].items()))
        return (order, nums)

    return sorted(jmh.items(), key=sort_key)


def write_svg(path, table):
    """A dot plot: one line per workload, one marker per peer, log-scaled ns per item."""
    values = [v for _, cells in table for v in cells.values() if v]
    if not values:
        return
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    left, right, top, row_h = 470, 30, 78, 22
    width = 1250
    plot_w = width - left - right
    height = top + row_h * len(table) + 40

    def x(v):
        return left + plot_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="14" font-weight="bold">ns per item moved '
           f'(log scale; lower is better)</text>']
    lx, ly = left, 36
    for peer, name in PEERS:
        step = 13 + 7.0 * len(name) + 16
        if lx + step > width - right:
            lx, ly = left, ly + 18
        out.append(f'<circle cx="{lx + 5}" cy="{ly}" r="5" fill="{COLORS[peer]}"/>'
                   f'<text x="{lx + 13}" y="{ly + 4}">{name}</text>')
        lx += step
    decade = lo
    while decade <= hi:
        for m in range(1, 10):
            v = decade * m
            if v > hi:
                break
            gx = x(v)
            stroke = "#bbb" if m == 1 else "#eee"
            out.append(f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{top + row_h * len(table)}" '
                       f'stroke="{stroke}"/>')
        out.append(f'<text x="{x(decade):.1f}" y="{top + row_h * len(table) + 16}" text-anchor="middle">'
                   f'{decade:g}</text>')
        decade *= 10
    for i, (name, cells) in enumerate(table):
        y = top + row_h * i + row_h / 2
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{top + row_h * i}" width="{width}" height="{row_h}" fill="#f7f7f7" '
                       f'fill-opacity="0.6"/>')
        out.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{html.escape(name)}</text>')
        for peer, _ in PEERS:
            v = cells.get(peer)
            if v:
                r = 6 if peer == "loomchan" else 4.5
                out.append(f'<circle cx="{x(v):.1f}" cy="{y:.1f}" r="{r}" fill="{COLORS[peer]}" '
                           f'fill-opacity="0.85"><title>{peer}: {fmt_ns(v)} ns</title></circle>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--svg", required=True)
    args = ap.parse_args()

    jmh = load_jmh(os.path.join(args.results, "jmh.json"))
    go = load_go(os.path.join(args.results, "go.txt"))
    meta = load_meta(os.path.join(args.results, "meta.txt"))
    footprint_path = os.path.join(args.results, "footprint.tsv")

    lines = []
    w = lines.append
    w("# loomchan benchmarks")
    w("")
    w("Generated by `bench/run` from a single run; do not edit by hand (re-run the script). "
      "Each number is **nanoseconds per item moved** (per hop for the chains), lower is better: "
      "the JMH average over the measurement iterations (Go: `go test -bench`, median of its runs).")
    w("")
    w("| | |")
    w("|---|---|")
    for key, name in [("date", "date (UTC)"), ("mode", "mode"), ("jmh", "JMH settings"), ("filter", "subset"),
                      ("machine", "machine"), ("cpus", "cores"), ("memory", "memory"), ("os", "OS"), ("commit", "loomchan commit"),
                      ("jdk", "JDK"), ("go", "Go"), ("load_start", "load at start (uptime)"),
                      ("load_end", "load at end (uptime)"),
                      ("round_trip_start", "cache-line round trip between the CPUs, at start"),
                      ("round_trip_end", "cache-line round trip between the CPUs, at end")]:
        if meta.get(key):
            w(f"| {name} | {meta[key]} |")
    w("")
    w("**Read with care.** This machine has 2 cores and is shared with other engineers' builds while the "
      "benchmarks run (see the load above: a load average above 2 means other work was competing for the two "
      "cores). The host also moves the two CPUs: a cache-line round trip between them (measured above, at the start "
      "and at the end) of 30, 70, 300 ns or more changes every row whose handoff crosses cores, so runs of the same "
      "code at different round trips differ by up to 3x. Differences under about 1.3x are noise here; compare "
      "only within this one run. The verdict column "
      f"calls a row *faster* or *slower* only outside that band (ratio ≤ {1 / NOISE:.2f} or ≥ {NOISE}) and when the "
      "two JMH confidence intervals do not overlap.")
    w("")
    w("## Time per item")
    w("")
    w("In parentheses after each peer: loomchan's time divided by that peer's (below 1: loomchan is faster). "
      "*best JVM peer* is the fastest of jox, Kotlin and the java.util.concurrent queues in that row; "
      "`LinkedTransferQueue` is unbounded, so in the bounded buffered rows (1P/1C, MPMC, fast path) it is shown "
      "for reference and is not counted as a peer to beat (in the rendezvous rows it uses `transfer`, a "
      "rendezvous, and counts). `SynchronousQueue` is the JDK's default, unfair mode, a LIFO stack of waiters; "
      "`SynchronousQueue (fair)` serves waiters first-come, first-served, as loomchan's channels (and Go's and "
      "Kotlin's) promise. Empty cell: the peer has no such workload.")
    w("")
    header = ["workload"] + [name for _, name in PEERS] + ["loomchan ÷ best JVM peer", "verdict", "loomchan ÷ Go"]
    w("| " + " | ".join(header) + " |")
    w("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
    svg_table = []
    alloc_rows = []
    detail_rows = []
    for (workload, key), row in ordered_rows(jmh):
        if workload not in dict(WORKLOADS):
            continue
        name = label(workload, row["params"])
        goval = go.get((workload, key))
        loom = row.get("loomchan", {}).get("score")
        cells = []
        plot = {}
        for peer, _ in PEERS:
            v = goval if peer == "go" else row.get(peer, {}).get("score")
            if v is None:
                cells.append("")
                continue
            plot[peer] = v
            if peer == "loomchan" or loom is None:
                cells.append(fmt_ns(v))
            else:
                cells.append(f"{fmt_ns(v)} ({loom / v:.2f})")
        best = best_jvm_peer(workload, row)
        ratio = loom / row[best]["score"] if loom is not None and best else None
        best_txt = f"{ratio:.2f} ({dict(PEERS)[best]})" if ratio is not None else ""
        go_txt = f"{loom / goval:.2f}" if loom is not None and goval else ""
        w("| " + " | ".join([name] + cells + [best_txt, verdict(ratio, row.get("loomchan"), row.get(best)), go_txt]) + " |")
        svg_table.append((name, plot))
        alloc_rows.append((name, row))
        for peer, _ in PEERS:
            if peer in row:
                r = row[peer]
                detail_rows.append((name, dict(PEERS)[peer], r["score"], r["error"], r["alloc"]))
    w("")
    if svg_table:
        w(f"![ns per item, log scale]({os.path.basename(args.svg)})")
        w("")
    w("## Allocation per item")
    w("")
    w("Bytes allocated per item moved (`-prof gc`, `gc.alloc.rate.norm`), all threads of the JVM. It includes "
      "each invocation's thread start-up (a virtual thread and its stack chunks, amortised over the items that "
      "thread moves), so only the single-thread fast path shows a channel's own per-item allocation cleanly.")
    w("")
    jvm_peers = [(p, n) for p, n in PEERS if p != "go"]
    w("| workload | " + " | ".join(n for _, n in jvm_peers) + " |")
    w("|---|" + "|".join(["---:"] * len(jvm_peers)) + "|")
    for name, row in alloc_rows:
        cells = []
        for peer, _ in jvm_peers:
            a = row.get(peer, {}).get("alloc")
            cells.append("" if a is None else f"{a:,.1f}")
        w(f"| {name} | " + " | ".join(cells) + " |")
    w("")
    if os.path.exists(footprint_path):
        w("## Memory of an idle channel")
        w("")
        w("Bytes per channel: heap growth after allocating 100,000 new, empty channels of one kind, divided by "
          "100,000 (`IdleFootprint`, serial GC, used heap after full GCs). Kotlin rows include a ~40-byte wrapper "
          "of the benchmark code.")
        w("")
        fp = {}
        fp_peers = []
        for line in open(footprint_path):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3:
                continue
            kind, peer, size = parts
            fp.setdefault(kind, {})[peer] = size
            if peer not in fp_peers:
                fp_peers.append(peer)
        w("| channel | " + " | ".join(fp_peers) + " |")
        w("|---|" + "|".join(["---:"] * len(fp_peers)) + "|")
        for kind, sizes in fp.items():
            w(f"| {kind} | " + " | ".join(f"{int(sizes[p]):,}" if p in sizes else "" for p in fp_peers) + " |")
        w("")
    redis_path = os.path.join(args.results, "redis.md")
    if os.path.exists(redis_path):
        redis_lines = [line.rstrip("\n") for line in open(redis_path)]
        table = [line for line in redis_lines if line.startswith("|")]
        headings = [line.lstrip("# ") for line in redis_lines if line.startswith("# ")]
        if table:
            w("## Distributed channels on Redis (loomchan-redis)")
            w("")
            w("Items per second, higher is better, one thread on loopback against a private `redis-server` the "
              "program starts (`RedisChannelBenchmark` in loomchan-redis's test sources: median of 5 rounds after a "
              "warm-up). The plain Lettuce rows are the floor: one Redis command per item with no channel rules. "
              "There is no JVM peer with these semantics to put beside it; loomchan-redis/README.md explains the rows.")
            w("")
            if headings:
                w("Run: " + headings[0])
                w("")
            for line in table:
                w(line)
            w("")
    w("## All JMH results")
    w("")
    w("Score ± error is JMH's 99.9% confidence half-width over the measurement iterations (absent with a single "
      "iteration); a wide error is the machine's load showing.")
    w("")
    w("| workload | peer | ns/item | ± | B/item |")
    w("|---|---|---:|---:|---:|")
    for name, peer, score, error, alloc in detail_rows:
        w(f"| {name} | {peer} | {fmt_ns(score)} | {fmt_ns(error) if error is not None else ''} | "
          f"{'' if alloc is None else f'{alloc:,.1f}'} |")
    w("")
    w("## How the workloads are measured")
    w("")
    w("- Sources: `loomchan-bench/src/main/java/io/github/loomchan/bench` (one class per workload, one "
      "`@Benchmark` per peer), the Kotlin peer in `loomchan-bench/src/main/kotlin`, the Go peer in "
      "`loomchan-bench/go/chan_test.go` (same names and parameters).")
    w("- Every invocation starts its producer and consumer threads (virtual unless the row says platform; Kotlin: "
      "coroutines on `Dispatchers.Default`, Go: goroutines, `GOMAXPROCS` = cores) and joins them, so start-up is "
      "included: 1P/1C rows move 100,000 items per invocation, chains 1,000,000 hops, the pairs rows 1,000,000 "
      "items over all pairs (100 per pair at 10,000 pairs, where starting 20,000 threads is a visible share of the "
      "time for every peer).")
    w("- Every item is the same object: no boxing or item allocation is measured.")
    w("- jox is 1.0.1: 1.1.1's parent POM is missing from the Maven registry reachable here. jox 1.0.1 has no "
      "non-blocking operations, so its fast-path cell uses `send`/`receive`, which do not wait there.")
    w("- Go has no unbounded channel, no platform threads and no futures: those cells are empty.")
    w("")
    w("Reproduce: `bench/run` (full), `bench/run --quick`, or a subset: `bench/run --quick 'BufferedPair|Select'`.")
    with open(args.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    write_svg(args.svg, svg_table)


if __name__ == "__main__":
    main()
