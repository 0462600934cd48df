"""``python -m benchmarks.community_report``: the community report's throughput, side by side.

1. git: a generated 100,000-commit repository; the full-history pass against the bare
   ``git log`` that feeds it (same arguments, output discarded), in one run; then the
   windowed ``--numstat`` pass.
2. GitHub: the local GitHub-compatible server with 10,000 issues and pull requests and 50,000
   comments; a full run (requests against the pages the data needs), a re-run (304s), and
   the analysis time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.github_server import GitHubServer
from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.sources import git as git_source
from tools.community_report.sources import github as gh_source
from tools.github import GitHubClient

START = 1_600_000_000


def make_repo(root: Path, commits: int) -> None:
    """A linear history written with git fast-import: 60 authors, 300 directories."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    proc = subprocess.Popen(
        ["git", "-C", str(root), "fast-import", "--quiet"], stdin=subprocess.PIPE
    )
    out = proc.stdin
    for n in range(1, commits + 1):
        a = n * 7919 % 60 if n % 5 else n % 3
        when = START + n * 300
        msg = f"commit {n}\n".encode()
        data = f"line {n}\n".encode()
        header = (
            f"commit refs/heads/main\nmark :{n}\n"
            f"author Dev {a} <dev{a}@example{a % 7}.org> {when} +0000\n"
            f"committer Dev {a} <dev{a}@example{a % 7}.org> {when} +0000\n"
            f"data {len(msg)}\n"
        ).encode()
        out.write(header + msg)
        if n > 1:
            out.write(f"from :{n - 1}\n".encode())
        out.write(f"M 100644 inline src/mod{n % 300}/file{n % 17}.py\ndata {len(data)}\n".encode())
        out.write(data + b"\n")
    out.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")


def bench_git(commits: int, workdir: Path) -> dict:
    repo = workdir / "repo"
    t = time.perf_counter()
    make_repo(repo, commits)
    made = time.perf_counter() - t
    # warm the page cache once, then measure both in the same run, best of three
    subprocess.run(["git", "-C", str(repo), "log", "-z", "--use-mailmap", git_source.FORMAT],
                   stdout=subprocess.DEVNULL, check=True)  # fmt: skip
    bare, ours = [], []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(["git", "-C", str(repo), "log", "-z", "--use-mailmap", git_source.FORMAT],
                       stdout=subprocess.DEVNULL, check=True)  # fmt: skip
        bare.append(time.perf_counter() - t)
        t = time.perf_counter()
        activity = git_source.read_commits(repo)
        ours.append(time.perf_counter() - t)
    assert len(activity.commits) == commits
    newest = activity.commits[0].authored_at
    since = newest - timedelta(days=180)  # the 90-day window and the one before it
    t = time.perf_counter()
    detailed = git_source.read_commits(repo, detail_since=since)
    windowed = time.perf_counter() - t
    with_files = sum(1 for c in detailed.commits if c.files is not None)
    t = time.perf_counter()
    build(detailed, Window(newest - timedelta(days=90), newest + timedelta(seconds=1)))
    metrics = time.perf_counter() - t
    return {
        "commits": commits,
        "generate_seconds": round(made, 2),
        "bare_git_log_seconds": round(min(bare), 3),
        "source_seconds": round(min(ours), 3),
        "commits_per_second": round(commits / min(ours)),
        "speed_vs_bare_git_log": round(min(bare) / min(ours), 3),
        "windowed_numstat_seconds": round(windowed, 3),
        "windowed_commits_with_files": with_files,
        "metrics_seconds": round(metrics, 3),
    }


def populate(server: GitHubServer, items: int, comments: int) -> None:
    repo = server.add_repo("bench", "big")
    rng = random.Random(7)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    for n in range(1, items + 1):
        created = t0 + timedelta(hours=n)
        pull = n % 3 == 0
        closed = created + timedelta(hours=rng.randint(1, 500)) if n % 4 else None
        repo.add_issue(n, f"user{rng.randint(1, 800)}", created, pull=pull, closed=closed,
                       merged=closed if pull and closed and n % 2 else None)  # fmt: skip
    for k in range(comments):
        n = rng.randint(1, items)
        created = t0 + timedelta(hours=n, minutes=rng.randint(1, 6000))
        repo.add_comment(
            n, f"user{rng.randint(1, 800)}", created, review=(n % 3 == 0 and k % 4 == 0)
        )
    for n in range(3, items + 1, 3):
        if n % 2:
            repo.add_review(n, f"user{rng.randint(1, 800)}", "APPROVED",
                            t0 + timedelta(hours=n + 3))  # fmt: skip


def bench_github(items: int, comments: int, workdir: Path) -> dict:
    with GitHubServer(tokens=("bench",), rate_limit=10**6) as server:
        populate(server, items, comments)
        repo = server.repos["bench/big"]
        pulls = sum(1 for i in repo.issues if "pull_request" in i)
        needed = (
            math.ceil(len(repo.issues) / 100)
            + math.ceil(len(repo.comments) / 100)
            + math.ceil(len(repo.review_comments) / 100)
        )
        window = Window(datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 12, 1, tzinfo=UTC))
        runs = []
        for _ in range(2):
            server.log.clear()
            client = GitHubClient("bench", server.base_url, workdir / "cache")
            t = time.perf_counter()
            activity = gh_source.read("bench/big", "bench", client=client)
            fetched = time.perf_counter() - t
            t = time.perf_counter()
            report = build(activity, window)
            analysed = time.perf_counter() - t
            client.close()
            runs.append(
                {
                    "requests": report["api"]["requests"],
                    "not_modified": report["api"]["not_modified"],
                    "graphql": len(server.requests(method="POST")),
                    "http_requests_seen_by_server": len(server.log),
                    "fetch_seconds": round(fetched, 2),
                    "analysis_seconds": round(analysed, 2),
                }
            )
        # list pages with a margin; GraphQL: reviews (100 pull requests a query), timelines
        # (50 items a query), discussions (50 a query, at least the first page); and 10
        graphql = (math.ceil(pulls / 100) + math.ceil(len(repo.issues) / 50)
                   + max(1, math.ceil(len(repo.discussions) / 50)))  # fmt: skip
        budget = 1.1 * needed + graphql + 10
        return {
            "issues_and_pull_requests": len(repo.issues),
            "pull_requests": pulls,
            "comments": len(repo.comments) + len(repo.review_comments),
            "list_pages_needed": needed,
            "request_budget": round(budget, 1),
            "graphql_budget": graphql,
            "first_run": runs[0],
            "rerun": runs[1],
            "within_budget": runs[0]["requests"] <= budget,
            # every list page answered 304; GraphQL asked once, for the discussions' first page
            "rerun_all_304": runs[1]["requests"] - runs[1]["graphql"] == runs[1]["not_modified"]
            and runs[1]["graphql"] == 1,
        }


def table(fig: dict) -> str:
    g, h = fig["git"], fig["github"]
    return "\n".join(
        [
            f"| git source, {g['commits']:,} commits | seconds | commits/s | vs bare git log |",
            "|---|---:|---:|---:|",
            "| bare `git log` (same arguments, output discarded) "
            f"| {g['bare_git_log_seconds']:.3f} "
            f"| {g['commits'] / g['bare_git_log_seconds']:,.0f} | 1.00× |",
            f"| community-report full-history pass | {g['source_seconds']:.3f} "
            f"| {g['commits_per_second']:,} | {g['speed_vs_bare_git_log']:.2f}× |",
            f"| windowed `--numstat` pass (180 days, {g['windowed_commits_with_files']:,} commits) "
            f"| {g['windowed_numstat_seconds']:.3f} | | |",
            f"| metrics over the 90-day window | {g['metrics_seconds']:.3f} | | |",
            "",
            f"| GitHub source: {h['issues_and_pull_requests']:,} issues and PRs, "
            f"{h['comments']:,} comments "
            "| requests | of which 304 | GraphQL | fetch s | analysis s |",
            "|---|---:|---:|---:|---:|---:|",
            f"| first run (budget {h['request_budget']}: 1.1 × {h['list_pages_needed']} pages "
            f"+ {h['graphql_budget']} GraphQL + 10) | {h['first_run']['requests']} "
            f"| {h['first_run']['not_modified']} | {h['first_run']['graphql']} "
            f"| {h['first_run']['fetch_seconds']} | {h['first_run']['analysis_seconds']} |",
            f"| re-run, nothing changed | {h['rerun']['requests']} | {h['rerun']['not_modified']} "
            f"| {h['rerun']['graphql']} | {h['rerun']['fetch_seconds']} "
            f"| {h['rerun']['analysis_seconds']} |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.community_report")
    p.add_argument("--commits", type=int, default=100_000)
    p.add_argument("--items", type=int, default=10_000)
    p.add_argument("--comments", type=int, default=50_000)
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        fig = {
            "git": bench_git(args.commits, Path(tmp)),
            "github": bench_github(args.items, args.comments, Path(tmp)),
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
        }
    print(table(fig))
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
