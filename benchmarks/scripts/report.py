#!/usr/bin/env python3
"""Tables and a chart from a JMH JSON result file and the benchmarks' side file.

Standard library only. Usage (from the repository root):

  python3 benchmarks/scripts/report.py benchmarks/results/jmh.json --side benchmarks/results/side.jsonl \
      --svg benchmarks/results/search-throughput.svg > benchmarks/results/tables.md

Prints Markdown tables (search throughput with recall and bytes per vector, peers, memory bandwidth,
end to end) and the target ratios, and writes a horizontal bar chart of search throughput as SVG.
"""
import argparse
import json
import sys
from xml.sax.saxutils import escape


def load(jmh_paths, side_path):
    runs = []
    for path in jmh_paths:  # a later file replaces the same benchmark and params of an earlier one
        with open(path) as f:
            runs.extend(json.load(f))
    side = []
    try:
        with open(side_path) as f:
            side = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        pass
    return runs, side


def short(benchmark):
    cls, method = benchmark.split(".")[-2:]
    return cls, method


def side_for(side, cls, params):
    """The last side row of a class whose params agree with `params` on every shared key."""
    found = None
    for row in side:
        if row["benchmark"] != cls:
            continue
        p = row["params"]
        if all(str(p[k]) == str(params.get(k)) for k in p if k in params):
            found = row["figures"]
    return found or {}


def fmt(x, digits=1):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jmh", nargs="+", help="JMH JSON result files")
    ap.add_argument("--side", required=True, help="the side file (JSON lines)")
    ap.add_argument("--svg")
    a = ap.parse_args()
    runs, side = load(a.jmh, a.side)

    by = {}
    for r in runs:
        cls, method = short(r["benchmark"])
        key = (cls, method, tuple(sorted(r.get("params", {}).items())))
        by[key] = r
    out = []

    def score(cls, method, **params):
        for (c, m, p), r in by.items():
            pd = dict(p)
            if c == cls and m == method and all(str(pd.get(k)) == str(v) for k, v in params.items()):
                return r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"]
        return None, None

    # ---- search ----
    out.append("### Search throughput, recall and footprint (k = 10, Cosine)\n")
    out.append("| dataset | storage | quantization | 1 thread ops/s | 2 threads ops/s | ms/query (1 t) "
               "| recall@10 | recall@10 no rescore | heap B/vector | mapped B/vector |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    chart = []
    search_rows = sorted({(dict(p)["dataset"], dict(p)["storage"], dict(p)["quantization"])
                          for (c, m, p) in by if c == "SearchBenchmark"},
                         key=lambda t: (t[0], t[1] != "IN_MEMORY", ["FLOAT32", "SCALAR_INT8", "BINARY"].index(t[2])))
    for ds, st, q in search_rows:
        s1, e1 = score("SearchBenchmark", "search1Thread", dataset=ds, storage=st, quantization=q)
        s2, e2 = score("SearchBenchmark", "search2Threads", dataset=ds, storage=st, quantization=q)
        params = next(dict(p) for (c, m, p) in by if c == "SearchBenchmark"
                      and dict(p)["dataset"] == ds and dict(p)["storage"] == st and dict(p)["quantization"] == q)
        fig = side_for(side, "SearchBenchmark", params)
        out.append(f"| {ds} ({fig.get('points', '?')} × {fig.get('dimension', '?')}) | {st} | {q} | "
                   f"{fmt(s1)} ± {fmt(e1)} | {fmt(s2)} ± {fmt(e2)} | {fmt(1000 / s1 if s1 else None, 2)} | "
                   f"{fmt(fig.get('recallAt10'), 3)} | {fmt(fig.get('recallAt10NoRescore'), 3)} | "
                   f"{fmt(fig.get('heapBytesPerVector'))} | {fmt(fig.get('mappedBytesPerVector'))} |")
        chart.append((f"engine {ds} {st} {q}", s1, s2))

    # ---- peers ----
    peer_rows = sorted({dict(p)["backend"] for (c, m, p) in by if c == "PeerSearchBenchmark"})
    if peer_rows:
        out.append("\n### Peers on identical data (clustered)\n")
        out.append("| backend | 1 thread ops/s | 2 threads ops/s | ms/query (1 t) | measured heap growth B/vector |")
        out.append("|---|---:|---:|---:|---:|")
        for b in peer_rows:
            s1, e1 = score("PeerSearchBenchmark", "search1Thread", backend=b)
            s2, e2 = score("PeerSearchBenchmark", "search2Threads", backend=b)
            fig = side_for(side, "PeerSearchBenchmark", {"backend": b})
            out.append(f"| {b} | {fmt(s1)} ± {fmt(e1)} | {fmt(s2)} ± {fmt(e2)} | "
                       f"{fmt(1000 / s1 if s1 else None, 2)} | {fmt(fig.get('measuredHeapGrowthPerVector'))} |")
            chart.append((f"peer {b}", s1, s2))

    # ---- bandwidth ----
    bw1, _ = score("MemoryBandwidthBenchmark", "streamSum1Thread")
    bw2, _ = score("MemoryBandwidthBenchmark", "streamSum2Threads")
    bwfig = side_for(side, "MemoryBandwidthBenchmark", {})
    bytes_op = bwfig.get("bytesPerOp")
    if bw1 and bytes_op:
        out.append("\n### Memory bandwidth (SIMD stream sum over the float32 vectors' size)\n")
        out.append("| threads | GB/s |")
        out.append("|---|---:|")
        out.append(f"| 1 | {bw1 * bytes_op / 1e9:.1f} |")
        # JMH reports the ops/s of all threads together: no factor for the thread count
        out.append(f"| 2 (each its own array) | {bw2 * bytes_op / 1e9 if bw2 else 0:.1f} |")

    # ---- end to end ----
    clients = sorted({dict(p)["client"] for (c, m, p) in by if c == "CacheEndToEndBenchmark"})
    if clients:
        out.append("\n### End to end: VectorCache over the engine (MMAP + int8) and Redis\n")
        out.append("| client | searchSimilar ops/s | engine search ops/s | one Redis round trip ops/s "
                   "| storeAll entries/s | Redis commands per search | µs: searchSimilar / engine + 2 RTT |")
        out.append("|---|---:|---:|---:|---:|---:|---:|")
        for cl in clients:
            ss, _ = score("CacheEndToEndBenchmark", "searchSimilar", client=cl)
            es, _ = score("CacheEndToEndBenchmark", "engineSearch", client=cl)
            rt, _ = score("CacheEndToEndBenchmark", "redisRoundTrip", client=cl)
            sa, _ = score("CacheEndToEndBenchmark", "storeAll", client=cl)
            params = next(dict(p) for (c, m, p) in by if c == "CacheEndToEndBenchmark" and dict(p)["client"] == cl)
            fig = side_for(side, "CacheEndToEndBenchmark", params)
            batch = int(params.get("batch", 1))
            budget = (1e6 / es + 2e6 / rt) if es and rt else None
            out.append(f"| {cl} | {fmt(ss)} | {fmt(es)} | {fmt(rt)} | {fmt(sa * batch if sa else None)} | "
                       f"{fmt(fig.get('redisCommandsPerSearch'), 2)} | "
                       f"{fmt(1e6 / ss if ss else None)} / {fmt(budget)} |")

    # ---- targets ----
    out.append("\n### Target ratios (same run)\n")
    def ratio(a, b):
        return a / b if a and b else None
    f1, _ = score("SearchBenchmark", "search1Thread", dataset="clustered", storage="IN_MEMORY", quantization="FLOAT32")
    f2, _ = score("SearchBenchmark", "search2Threads", dataset="clustered", storage="IN_MEMORY", quantization="FLOAT32")
    i1, _ = score("SearchBenchmark", "search1Thread", dataset="clustered", storage="IN_MEMORY", quantization="SCALAR_INT8")
    i2, _ = score("SearchBenchmark", "search2Threads", dataset="clustered", storage="IN_MEMORY", quantization="SCALAR_INT8")
    m1, _ = score("SearchBenchmark", "search1Thread", dataset="clustered", storage="MMAP", quantization="FLOAT32")
    m2, _ = score("SearchBenchmark", "search2Threads", dataset="clustered", storage="MMAP", quantization="FLOAT32")
    l1, _ = score("PeerSearchBenchmark", "search1Thread", backend="langchain4j")
    out.append(f"- int8 / float32 throughput (IN_MEMORY, clustered): 1 thread {fmt(ratio(i1, f1), 2)}x, 2 threads {fmt(ratio(i2, f2), 2)}x")
    out.append(f"- float32 engine / LangChain4j (1 thread): {fmt(ratio(f1, l1), 1)}x")
    out.append(f"- MMAP / IN_MEMORY float32 throughput (warm page cache): 1 thread {fmt(ratio(m1, f1), 2)}x, 2 threads {fmt(ratio(m2, f2), 2)}x")
    sfig = side_for(side, "SearchBenchmark", {"dataset": "clustered", "storage": "IN_MEMORY", "quantization": "FLOAT32"})
    if bw1 and bytes_op and f1 and sfig:
        scan = f1 * sfig["points"] * sfig["float32BytesPerVector"]
        out.append(f"- float32 scan streams {scan / 1e9:.1f} GB/s on 1 thread = {scan / (bw1 * bytes_op):.0%} of the measured {bw1 * bytes_op / 1e9:.1f} GB/s"
                   + (f"; 2 threads {f2 * sfig['points'] * sfig['float32BytesPerVector'] / 1e9:.1f} GB/s = "
                      f"{f2 * sfig['points'] * sfig['float32BytesPerVector'] / (bw2 * bytes_op):.0%} of {bw2 * bytes_op / 1e9:.1f} GB/s" if f2 and bw2 else ""))
    mm = side_for(side, "SearchBenchmark", {"dataset": "clustered", "storage": "MMAP", "quantization": "FLOAT32"})
    mi = side_for(side, "SearchBenchmark", {"dataset": "clustered", "storage": "MMAP", "quantization": "SCALAR_INT8"})
    if sfig and mm:
        vec_heap_in = sfig["heapBytesPerVector"] - mm["heapBytesPerVector"]
        out.append(f"- heap per vector: IN_MEMORY {sfig['heapBytesPerVector']:.0f} B, MMAP {mm['heapBytesPerVector']:.0f} B "
                   f"({mm['heapBytesPerVector'] / sfig['heapBytesPerVector']:.1%} of IN_MEMORY, all of it ids and slot tables, "
                   f"the same in both modes; vector data on the heap: {vec_heap_in:.0f} B vs ≈0 B)")
    if mm and mi:
        q = mi["heapBytesPerVector"] - mm["heapBytesPerVector"]
        out.append(f"- int8 codes + correction on the heap: {q:.0f} B/vector = {q / mm['float32BytesPerVector']:.3f}x float32 ({mm['float32BytesPerVector']:.0f} B)")
    print("\n".join(out))

    if a.svg:
        write_svg(a.svg, chart)


def write_svg(path, rows):
    rows = [r for r in rows if r[1]]
    width, left, bar, gap = 900, 330, 11, 8
    height = 40 + len(rows) * (2 * bar + gap) + 30
    top = max(max(r[1] or 0, r[2] or 0) for r in rows)
    scale = (width - left - 90) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14">Search throughput, queries/s (k = 10); blue: 1 thread, orange: 2 threads</text>']
    y = 36
    for label, s1, s2 in rows:
        parts.append(f'<text x="{left - 6}" y="{y + bar + 3}" text-anchor="end">{escape(label)}</text>')
        for i, (s, colour) in enumerate(((s1, "#4e79a7"), (s2, "#f28e2b"))):
            if s:
                w = max(1, s * scale)
                yy = y + i * bar
                parts.append(f'<rect x="{left}" y="{yy}" width="{w:.1f}" height="{bar - 1}" fill="{colour}"/>')
                parts.append(f'<text x="{left + w + 4:.1f}" y="{yy + bar - 2}">{s:,.0f}</text>')
        y += 2 * bar + gap
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    sys.exit(main())
