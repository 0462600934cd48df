"""``python -m benchmarks.review_bot``: a 1,000-file pull request, reviewed and published.

1. engine: the local diff of 1,000 changed files through every rule, ruff's own time shown
   apart (the target excludes it);
2. publishing to the local GitHub-compatible server: requests against the budget
   8 + ⌈files/100⌉ + ⌈annotations/50⌉, and duplicates after three runs (must be none).
"""

from __future__ import annotations

import argparse
import json
import math
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import ROOT
from tests.github_server import GitHubServer
from tests.gitrepo import Repo
from tools.github import GitHubClient
from tools.policy import load_policy
from tools.review_bot.publish.github import publish
from tools.review_bot.rules import review
from tools.review_bot.sources import local, ruff


def make_change(root: Path, files: int) -> Repo:
    repo = Repo(root)
    when = datetime(2026, 5, 1, tzinfo=UTC)
    base = {
        f"tools/pkg{i % 20}/mod{i}.py": "".join(f"v{j} = {j}\n" for j in range(40))
        for i in range(files)
    }
    repo.commit(
        "Ana", "ana@example.org", when, base, "base\n\nSigned-off-by: Ana <ana@example.org>"
    )
    repo.git("branch", "base")
    changed = {
        path: "import os\n" + text.replace("v7 = 7\n", "v7 = 'seven'\n")
        for path, text in base.items()
    }
    repo.commit(
        "Ana", "ana@example.org", when, changed, "change\n\nSigned-off-by: Ana <ana@example.org>"
    )
    return repo


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.review_bot")
    p.add_argument("--files", type=int, default=1000)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    policy = load_policy(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        repo = make_change(Path(tmp) / "repo", args.files)
        t = time.perf_counter()
        facts = local.read(repo.root, "base")
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        diags = ruff.diagnostics(repo.root, facts.files)
        ruff_s = time.perf_counter() - t
        t = time.perf_counter()
        outcome = review(facts, policy, diags)
        rules_s = time.perf_counter() - t

        with GitHubServer(tokens=("bench",)) as server:
            gh = server.add_repo("bench", "pr")
            gh.add_pull(
                1,
                "ana",
                outcome.head_sha,
                [
                    {"filename": f.path, "status": f.status, "additions": f.additions,
                     "deletions": f.deletions, "patch": f.patch}
                    for f in facts.files
                ],
            )  # fmt: skip
            outcome.repository, outcome.pull_request = "bench/pr", 1
            runs = []
            for _ in range(3):
                client = GitHubClient("bench", server.base_url)
                t = time.perf_counter()
                publish(
                    client, "bench/pr", outcome.head_sha, outcome, "https://example.org/", policy
                )
                runs.append(
                    {"requests": client.requests, "seconds": round(time.perf_counter() - t, 2)}
                )
                client.close()
            annotations = sum(1 for f in outcome.findings if f.path)
            budget = 8 + math.ceil(len(facts.files) / 100) + math.ceil(annotations / 50)
            inline = len(gh.review_comments)
            fingerprints = [c["body"].rsplit("fp=", 1)[-1] for c in gh.review_comments]
            summaries = [c for c in gh.comments if "review-bot:summary" in c["body"]]
            fig = {
                "files": len(facts.files),
                "findings": len(outcome.findings),
                "annotations": annotations,
                "read_diff_seconds": round(read_s, 2),
                "rules_seconds": round(rules_s, 3),
                "engine_seconds_without_ruff": round(read_s + rules_s, 2),
                "ruff_seconds": round(ruff_s, 2),
                "request_budget": budget,
                "runs": runs,
                "inline_comments": inline,
                "duplicate_comments": len(fingerprints)
                - len(set(fingerprints))
                + max(len(summaries) - 1, 0),
                "check_runs": len(gh.check_runs),
            }
    print(
        f"| {fig['files']:,}-file pull request | value |\n|---|---:|\n"
        f"| read the diff (git) | {fig['read_diff_seconds']} s |\n"
        f"| every rule | {fig['rules_seconds']} s |\n"
        f"| engine without ruff (target < 10 s) | {fig['engine_seconds_without_ruff']} s |\n"
        f"| ruff on the changed files (excluded) | {fig['ruff_seconds']} s |\n"
        f"| findings / annotations | {fig['findings']:,} / {fig['annotations']:,} |\n"
        f"| requests, runs 1-2-3 (budget {budget}) | "
        + " / ".join(str(r["requests"]) for r in runs)
        + f" |\n| inline comments, duplicates after 3 runs | {inline:,}, {fig['duplicate_comments']} |"  # noqa: E501
    )
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
