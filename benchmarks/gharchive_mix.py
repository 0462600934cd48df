"""``python -m benchmarks.gharchive_mix FILE.json.gz…``: what GH Archive hours are made of —
each event type's share, its mean size in bytes of JSON, and how many pushes list their
commits — to hold the benchmark's generated hours (``gharchive_files.REAL_MIX``) against a
real hour downloaded from https://data.gharchive.org (e.g. 2026-11-02-15.json.gz)."""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path


def mix(paths: list[Path]) -> dict:
    count: Counter = Counter()
    size: Counter = Counter()
    pushes = Counter()
    for path in paths:
        with gzip.open(path, "rb") as f:
            for line in f:
                event = json.loads(line)
                kind = event.get("type") or "?"
                count[kind] += 1
                size[kind] += len(line.rstrip(b"\n"))
                if kind == "PushEvent":
                    listed = "commits" in (event.get("payload") or {})
                    pushes["with commits" if listed else "without commits"] += 1
    events = sum(count.values())
    return {
        "events": events,
        "mean_bytes": sum(size.values()) / events if events else 0,
        "types": {
            k: {"share": n / events, "mean_bytes": size[k] / n} for k, n in count.most_common()
        },
        "pushes": dict(pushes),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.gharchive_mix")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.json.gz")
    args = p.parse_args(argv)
    found = mix(args.files)
    print(f"{found['events']:,} events, {found['mean_bytes']:,.0f} bytes each on average")
    print("| type | share | mean bytes |\n|---|---:|---:|")
    for kind, row in found["types"].items():
        print(f"| {kind} | {row['share']:.3f} | {row['mean_bytes']:,.0f} |")
    print(f"pushes: {found['pushes']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
