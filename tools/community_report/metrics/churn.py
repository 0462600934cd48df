"""Lines per contributor, and hotspots: the files that change most (pure functions of the
window's commits and their file statistics)."""

from __future__ import annotations

from collections import defaultdict

from ...community_report.records import Commit


def lines_by_contributor(commits: list[Commit]) -> dict[str, tuple[int, int]]:
    """identity → (lines added, lines deleted) over the commits with file statistics; binary
    files count no lines."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in commits:
        for f in c.files or ():
            row = out[c.author]
            row[0] += f.added or 0
            row[1] += f.deleted or 0
    return {who: (a, d) for who, (a, d) in out.items()}


def hotspots(commits: list[Commit], top: int = 10) -> list[dict]:
    """The files changed by the most commits in the window (ties: more lines churned first):
    commits, lines added and deleted, and how many people changed each. Files changed by a
    single commit are not hotspots."""
    stats: dict[str, dict] = {}
    for c in commits:
        for f in c.files or ():
            s = stats.setdefault(f.path, {"commits": 0, "added": 0, "deleted": 0, "who": set()})
            s["commits"] += 1
            s["added"] += f.added or 0
            s["deleted"] += f.deleted or 0
            s["who"].add(c.author)
    ranked = sorted(
        (p for p in stats if stats[p]["commits"] > 1),
        key=lambda p: (-stats[p]["commits"], -(stats[p]["added"] + stats[p]["deleted"]), p),
    )
    return [
        {
            "path": p,
            "commits": stats[p]["commits"],
            "added": stats[p]["added"],
            "deleted": stats[p]["deleted"],
            "authors": len(stats[p]["who"]),
        }
        for p in ranked[:top]
    ]
