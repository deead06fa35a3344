#!/usr/bin/env python3
"""Markdown tables of RedisTopologyBenchmark and EventPropagationBenchmark.

Standard library only. Usage (from the repository root):

  python3 benchmarks/scripts/topology_report.py benchmarks/results/topology.json \
      --side benchmarks/results/side-topology.jsonl > benchmarks/results/topology-tables.md

--compact OUT also writes the JMH file without the raw samples (a sampled-time run keeps megabytes
of them); the tables read either form.

Times are in microseconds as JMH measured them (mean, and the p50/p99 of sampled time), throughput in
calls/s and keys/s; the side file gives the commands one getAll sent per node and where the event
subscription and the PUBLISH landed.
"""
import argparse
import json

CLIENTS = ["lettuce", "jedis"]


def load(path, side_path):
    with open(path) as f:
        runs = json.load(f)
    side = []
    if side_path:
        try:
            with open(side_path) as f:
                side = [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            pass
    return runs, side


def find(runs, cls, method, mode, **params):
    for r in runs:
        if r["benchmark"].endswith("." + cls + "." + method) and r["mode"] == mode:
            p = r.get("params", {})
            if all(p.get(k) == str(v) for k, v in params.items()):
                return r
    return None


def us(x):
    if x is None:
        return "–"
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def pct(r, q):
    if r is None:
        return None
    return r["primaryMetric"].get("scorePercentiles", {}).get(q)


def score(r):
    return None if r is None else r["primaryMetric"]["score"]


def err(r):
    if r is None:
        return ""
    e = r["primaryMetric"].get("scoreError")
    # JMH writes "NaN" (a string) when one iteration gives no error estimate
    return "" if not isinstance(e, (int, float)) or e != e else f" ± {us(e)}"


def side_row(side, cls, **params):
    found = None
    for row in side:
        if row["benchmark"] == cls and all(
            str(row["params"].get(k)) == str(v) for k, v in params.items()
        ):
            found = row
    return found


def topology_tables(runs, side):
    out = []
    topologies = sorted(
        {r["params"]["topology"] for r in runs if "RedisTopologyBenchmark" in r["benchmark"]},
        key=lambda t: ["standalone", "cluster", "sentinel"].index(t),
    )
    if not topologies:
        return out
    out.append("### getAll (MetadataStore get-many), 1 thread, µs per call\n")
    out.append(
        "| client | keys | topology | mean (avgt) | mean (sample) | p50 | p99 | samples |"
        " MGETs per call (nodes) |"
    )
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---|")
    for c in CLIENTS:
        for k in ["10", "100"]:
            for t in topologies:
                a = find(runs, "RedisTopologyBenchmark", "getAll", "avgt", client=c, keys=k, topology=t)
                s = find(runs, "RedisTopologyBenchmark", "getAll", "sample", client=c, keys=k, topology=t)
                if a is None and s is None:
                    continue
                sr = side_row(side, "RedisTopologyBenchmark", client=c, keys=k, topology=t)
                mget = (
                    f"{sr['figures']['mgetPerGetAll']:.1f} ({sr['figures']['nodesWithMget']})"
                    if sr
                    else "–"
                )
                out.append(
                    f"| {c} | {k} | {t} | {us(score(a))}{err(a)} | {us(score(s))}{err(s)} |"
                    f" {us(pct(s, '50.0'))} | {us(pct(s, '99.0'))} | {count(s)} | {mget} |"
                )
    out.append("")
    out.append("### getAll, 4 threads on one store: throughput\n")
    out.append("| client | keys | topology | calls/s | keys/s |")
    out.append("|---|---:|---|---:|---:|")
    for c in CLIENTS:
        for k in ["10", "100"]:
            for t in topologies:
                r = find(runs, "RedisTopologyBenchmark", "getAll4Threads", "thrpt", client=c, keys=k, topology=t)
                if r is None:
                    continue
                out.append(
                    f"| {c} | {k} | {t} | {score(r):,.0f}{err(r)} | {score(r) * int(k):,.0f} |"
                )
    out.append("")
    out.append("### One key (reference), 1 thread, sampled, µs per call\n")
    out.append("| client | call | topology | mean | p50 | p99 |")
    out.append("|---|---|---|---:|---:|---:|")
    for c in CLIENTS:
        for m in ["get", "put"]:
            for t in topologies:
                r = find(runs, "RedisTopologyBenchmark", m, "sample", client=c, topology=t)
                if r is None:
                    continue
                out.append(
                    f"| {c} | {m} | {t} | {us(score(r))}{err(r)} | {us(pct(r, '50.0'))} |"
                    f" {us(pct(r, '99.0'))} |"
                )
    out.append("")
    return out


def event_tables(runs, side):
    out = []
    rows = [r for r in runs if "EventPropagationBenchmark" in r["benchmark"]]
    if not rows:
        return out
    topologies = sorted(
        {r["params"]["topology"] for r in rows},
        key=lambda t: ["standalone", "cluster", "sentinel"].index(t),
    )
    out.append("### Event propagation, write on instance A until B's subscriber has it, µs\n")
    out.append("| client | path | topology | seeds | mean | p50 | p90 | p99 | samples | crosses the cluster bus |")
    out.append("|---|---|---|---|---:|---:|---:|---:|---:|---|")
    seeds_values = sorted({r["params"].get("seeds", "all") for r in rows})
    for c in CLIENTS:
        for m in ["storePublish", "cacheStore"]:
            for t in topologies:
                for sd in seeds_values:
                    r = find(runs, "EventPropagationBenchmark", m, "sample", client=c, topology=t, seeds=sd)
                    if r is None:
                        continue
                    sr = side_row(side, "EventPropagationBenchmark", client=c, topology=t, seeds=sd, method=m)
                    out.append(
                        f"| {c} | {m} | {t} | {sd} | {us(score(r))}{err(r)} | {us(pct(r, '50.0'))} |"
                        f" {us(pct(r, '90.0'))} | {us(pct(r, '99.0'))} | {count(r)} | {bus(sr)} |"
                    )
    out.append("")
    placements = [row for row in side if row["benchmark"] == "EventPropagationBenchmark"]
    if placements:
        out.append("Where instance B's subscription and instance A's PUBLISHes landed (one row per trial):\n")
        out.append("| client | topology | seeds | trial | subscribed connection on | PUBLISH calls on | crosses the cluster bus |")
        out.append("|---|---|---|---|---|---|---|")
        for row in placements:
            p, f = row["params"], row["figures"]
            out.append(
                f"| {p['client']} | {p['topology']} | {p.get('seeds', 'all')} | {p.get('method', '?')} |"
                f" {f['subscribedConnections']} | {f['publishCallsPerNode']} | {bus(row)} |"
            )
        out.append("")
    return out


def bus(row):
    """On a cluster: whether the PUBLISH node differs from the subscription's node."""
    if row is None:
        return "?"
    if row["params"]["topology"] != "cluster":
        return "–"
    f = row["figures"]
    subs = set(parse_nodes(f["subscribedConnections"]))
    pubs = set(parse_nodes(f["publishCallsPerNode"]))
    return "no (same node)" if subs & pubs else "yes"


def parse_nodes(text):
    """The role:port names of a side figure like {primary:123=[a], replica:456=[b]}."""
    import re

    return re.findall(r"(?:primary|replica):[0-9]+", text)


def samples(r):
    """How many calls sampled time recorded: the sum of JMH's raw histograms (or of a compact file)."""
    if "sampleCount" in r["primaryMetric"]:
        return r["primaryMetric"]["sampleCount"]
    total = 0
    for it in r["primaryMetric"].get("rawDataHistogram", []):
        for hist in it:
            total += sum(n for _, n in hist)
    return total


def count(r):
    n = samples(r) if r is not None else 0
    return f"{n:,}" if n else "–"


def compact(runs, path):
    """Writes the runs without JMH's raw samples (megabytes with sampled time), counts kept."""
    for r in runs:
        for metric in [r["primaryMetric"]] + list(r.get("secondaryMetrics", {}).values()):
            if "rawDataHistogram" in metric:
                metric["sampleCount"] = samples({"primaryMetric": metric})
            metric.pop("rawDataHistogram", None)
            metric.pop("rawData", None)
    with open(path, "w") as f:
        json.dump(runs, f, indent=1)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jmh")
    ap.add_argument("--side")
    ap.add_argument("--compact", help="also write the JMH file without raw samples to this path")
    a = ap.parse_args()
    runs, side = load(a.jmh, a.side)
    if a.compact:
        compact(json.loads(json.dumps(runs)), a.compact)
    print("\n".join(topology_tables(runs, side) + event_tables(runs, side)))


if __name__ == "__main__":
    main()
