"""``python -m benchmarks.community_peers``: what the peers compute, side by side with ours, on
one generated history each, in one run — the time and whether the figures agree.

1. Lines added and deleted per contributor over the whole history: ours (the full-history
   pass with file statistics from the first commit, then ``churn.lines_by_contributor``),
   PyDriller (``Repository.traverse_commits``: each commit's insertions and deletions) and
   GrimoireLab's Perceval (its git backend over a mirror, as Perceval reads a repository: the
   per-file added and removed of each commit).
2. Lines of the code as it stands, per contributor: ours (``--blame``) and git-fame (its
   default: ``git blame`` of every file at HEAD).

Each tool runs in its own process (the peers in ``--peers-python``, a Python that has them:
``pip install git-fame pydriller perceval`` in a separate environment), which times its own
work — imports and start-up left out — and prints its figures by author email. gitstats is
not measured: it is not packaged for Python 3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.community_report import make_repo

ROOT = Path(__file__).resolve().parent.parent

# Each driver gets the repository as argv[1] (and a mirror of it as argv[2]) and prints
# {"seconds": work time, "by": {email: [added, deleted] or lines}}.
DRIVERS = {
    "ours-lines": """
import json, sys, time
from datetime import UTC, datetime
from pathlib import Path
from tools.community_report.metrics.churn import lines_by_contributor
from tools.community_report.sources.git import read_commits
t = time.perf_counter()
activity = read_commits(Path(sys.argv[1]), detail_since=datetime(1970, 1, 1, tzinfo=UTC))
lines = lines_by_contributor(activity.commits)
seconds = time.perf_counter() - t
email = {who: e for (_, e), who in activity.identities.items()}
print(json.dumps({"seconds": seconds, "by": {email[w]: list(v) for w, v in lines.items()}}))
""",
    "pydriller": """
import json, sys, time
from collections import defaultdict
from pydriller import Repository
t = time.perf_counter()
by = defaultdict(lambda: [0, 0])
for c in Repository(sys.argv[1]).traverse_commits():
    row = by[c.author.email]
    row[0] += c.insertions
    row[1] += c.deletions
print(json.dumps({"seconds": time.perf_counter() - t, "by": by}))
""",
    "perceval": """
import json, re, sys, time
from collections import defaultdict
from perceval.backends.core.git import Git
t = time.perf_counter()
by = defaultdict(lambda: [0, 0])
for item in Git(uri=sys.argv[1], gitpath=sys.argv[2]).fetch():
    email = re.search(r"<([^>]*)>", item["data"]["Author"]).group(1)
    for f in item["data"].get("files", []):
        if f.get("added", "-") != "-":  # "-": a binary file
            by[email][0] += int(f["added"])
            by[email][1] += int(f["removed"])
print(json.dumps({"seconds": time.perf_counter() - t, "by": by}))
""",
    "ours-blame": """
import json, sys, time
from collections import Counter
from pathlib import Path
from tools.community_report.sources.git import read_blame, read_commits
t = time.perf_counter()
activity = read_commits(Path(sys.argv[1]))
read_blame(Path(sys.argv[1]), activity)
seconds = time.perf_counter() - t
email = {who: e for (_, e), who in activity.identities.items()}
lines = Counter()
for b in activity.blame:
    lines[email[b.who]] += b.lines
print(json.dumps({"seconds": seconds, "by": lines}))
""",
    "git-fame": """
import contextlib, io, json, re, sys, time
import gitfame
t = time.perf_counter()
out = io.StringIO()
with contextlib.redirect_stdout(out):
    gitfame.main(["--format=json", "--show-email", sys.argv[1]])
seconds = time.perf_counter() - t
fame = json.loads(out.getvalue())
loc = fame["columns"].index("loc")
by = {re.sub(r"^.*<|>$", "", row[0]): row[loc] for row in fame["data"]}
print(json.dumps({"seconds": seconds, "by": by}))
""",
}
# the same blames with whitespace ignored and moves followed: ours' --blame-whitespace
# --blame-moves against git-fame's -w -M
DRIVERS["ours-blame-wm"] = DRIVERS["ours-blame"].replace(
    "read_blame(Path(sys.argv[1]), activity)",
    "read_blame(Path(sys.argv[1]), activity, flags=('-w', '-M'))",
)
DRIVERS["git-fame-wm"] = DRIVERS["git-fame"].replace(
    '"--show-email", sys.argv[1]', '"--show-email", "-w", "-M", sys.argv[1]'
)
TASKS = {
    "lines": ("lines added and deleted per contributor, whole history", "ours-lines",
              ("pydriller", "perceval"), {}),
    "blame": ("lines at HEAD per contributor (blame)", "ours-blame", ("git-fame",), {}),
    "blame-wm": ("lines at HEAD per contributor, blame -w -M", "ours-blame-wm", ("git-fame",),
                 {"git-fame": "git-fame-wm"}),
}  # fmt: skip
PEER_PACKAGES = {"pydriller": "pydriller", "perceval": "perceval", "git-fame": "gitfame"}
LABELS = {"pydriller": "PyDriller", "perceval": "Perceval (GrimoireLab's git backend)",
          "git-fame": "git-fame", "ours": "ours"}  # fmt: skip


def _run(python: str, driver: str, repo: Path, mirror: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [python, "-c", DRIVERS[driver], str(repo), str(mirror)],
        capture_output=True, text=True, env=env, cwd=repo,
    )  # fmt: skip
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": last[:200]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _has(python: str, module: str) -> bool:
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({module!r}) is None)"
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def bench(commits: dict[str, int], peers_python: str, workdir: Path, repeats: int = 3,
          tasks: list[str] | None = None) -> dict:  # fmt: skip
    """Each task's tools run ``repeats`` times, alternating (ours first, then the peers; the
    order reversed every other round): the median of each one's own timing, and the range."""
    import statistics

    out = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "repeats": repeats,
           "tasks": {}}  # fmt: skip
    for task, (title, ours, peers, drivers) in TASKS.items():
        if tasks and task not in tasks:
            continue
        repo = workdir / f"repo-{task}"
        make_repo(repo, commits[task.split("-")[0]])
        mirror = workdir / f"mirror-{task}"
        subprocess.run(["git", "clone", "-q", "--mirror", str(repo), str(mirror)], check=True)
        present = [p for p in peers if _has(peers_python, PEER_PACKAGES[p])]
        runners = [("ours", sys.executable, ours)]
        runners += [(p, peers_python, drivers.get(p, p)) for p in present]
        got: dict[str, list[dict]] = {name: [] for name, _, _ in runners}
        for r in range(repeats):
            for name, python, driver in runners if r % 2 == 0 else runners[::-1]:
                got[name].append(_run(python, driver, repo, mirror))
        rows = {}
        for name, results in got.items():
            if any("error" in g for g in results):
                rows[name] = next(g for g in results if "error" in g)
                continue
            seconds = [g["seconds"] for g in results]
            steady = all(g["by"] == results[0]["by"] for g in results)
            rows[name] = {"seconds": statistics.median(seconds),
                          "range": [min(seconds), max(seconds)], "by": results[-1]["by"],
                          "same_every_run": steady}  # fmt: skip
        mine = rows["ours"]
        for peer in peers:
            if peer not in present:
                rows[peer] = {"error": f"not installed in {peers_python}"}
            elif "seconds" in rows[peer] and "seconds" in mine:
                rows[peer]["ratio"] = rows[peer]["seconds"] / mine["seconds"]
                rows[peer]["same_figures"] = rows[peer]["by"] == mine["by"]
        out["tasks"][task] = {"title": title, "commits": commits[task.split("-")[0]],
                              "rows": rows}  # fmt: skip
    return out


def table(fig: dict) -> str:
    lines = []
    for task in fig["tasks"].values():
        lines += [
            f"| {task['title']}, {task['commits']:,} commits | seconds | ÷ ours | same figures |",
            "|---|---:|---:|---|",
        ]
        for name, row in task["rows"].items():
            if "error" in row:
                lines.append(f"| {LABELS[name]} | {row['error']} | | |")
            elif name == "ours":
                low, high = row["range"]
                lines.append(f"| ours | {row['seconds']:.3f} ({low:.3f}–{high:.3f}) | 1.00× | |")
            else:
                same = "yes" if row["same_figures"] else "no"
                low, high = row["range"]
                lines.append(f"| {LABELS[name]} | {row['seconds']:.3f} ({low:.3f}–{high:.3f}) "
                             f"| {row['ratio']:.1f}× | {same} |")  # fmt: skip
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.community_peers")
    p.add_argument("--commits", type=int, default=5_000, help="history for the lines task")
    p.add_argument("--blame-commits", type=int, default=1_000, help="history for blame")
    p.add_argument("--peers-python", default=sys.executable,
                   help="a Python with git-fame, pydriller and perceval installed")  # fmt: skip
    p.add_argument("--repeats", type=int, default=3, help="alternating runs of each tool")
    p.add_argument("--task", action="append", choices=sorted(TASKS),
                   help="only this task (repeatable; default: every task)")  # fmt: skip
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        fig = bench({"lines": args.commits, "blame": args.blame_commits}, args.peers_python,
                    Path(tmp), args.repeats, args.task)  # fmt: skip
    sys.stdout.write(table(fig))
    if args.json:
        for task in fig["tasks"].values():
            for row in task["rows"].values():
                row.pop("by", None)
        args.json.write_text(json.dumps(fig, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
