"""``python -m benchmarks.governance``: requests ``governance apply`` makes.

A repository with 250 labels of its own (three pages), against the local GitHub-compatible
server: the plan, the first apply, then a no-op apply. Budget (issue #10): a plan in at most
6 + ⌈labels/100⌉ requests; a no-op apply the same, with zero writes.
"""

from __future__ import annotations

import argparse
import json
import math
import time

from tests.conftest import ROOT
from tests.github_server import GitHubServer
from tools.github import GitHubClient
from tools.governance import apply as gh_apply
from tools.policy import load_policy


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--labels", type=int, default=250)
    p.add_argument("--json", type=argparse.FileType("w"))
    args = p.parse_args(argv)
    policy = load_policy(ROOT)
    rows = []
    with GitHubServer(tokens=("bench",)) as server:
        repo = server.add_repo("bench", "repo")
        repo.labels += [
            {"id": i, "name": f"area/{i}", "color": "ededed", "description": None}
            for i in range(args.labels)
        ]
        for step, apply in (("plan", False), ("first apply", True), ("no-op apply", True)):
            client = GitHubClient("bench", server.base_url)
            server.log.clear()
            t = time.perf_counter()
            current = gh_apply.read_state(client, "bench/repo")
            wanted = gh_apply.desired(policy)
            changes = gh_apply.plan(current, wanted)
            writes = (
                gh_apply.execute(client, "bench/repo", changes, current, wanted) if apply else 0
            )
            seconds = time.perf_counter() - t
            rows.append(
                {
                    "step": step,
                    "requests": client.requests,
                    "reads": sum(1 for e in server.log if e["method"] == "GET"),
                    "writes": writes,
                    "changes": len(changes),
                    "seconds": round(seconds, 3),
                }
            )
            client.close()
    labels = len(repo.labels)  # after the first apply: the repository's own and the policy's
    budget = 6 + math.ceil(labels / 100)
    print(f"| `governance apply`, {args.labels} labels of the repository's own | requests | reads "
          "| writes | changes |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['step']} | {r['requests']} | {r['reads']} | {r['writes']} | {r['changes']} |")
    print(f"budget for a plan or a no-op apply: 6 + ⌈{labels} labels/100⌉ = {budget}")
    figures = {"labels": labels, "budget": budget, "runs": rows}
    if args.json:
        json.dump(figures, args.json, indent=2)
    ok = rows[0]["requests"] <= budget and rows[2]["requests"] <= budget and rows[2]["writes"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
