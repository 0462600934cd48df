"""Who owns what: contributors per area, by commits and lines changed in the window, and by
the lines of the code as it stands (blame)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from ...community_report.records import BlameLines, Commit

if TYPE_CHECKING:  # the policy's models load only when a policy is read
    from ...policy import Policy

# Below this much change in the window an area is "quiet": one person's typo fix says
# nothing about who could maintain it, so it is not flagged "at risk".
AT_RISK_MIN_COMMITS = 3
AT_RISK_MIN_LINES = 20
AT_RISK_SHARE = 0.9  # one person wrote this share of the lines or more: at risk, as if alone


def area_of(policy: Policy | None):
    """A function path → areas: the policy's areas, else the top-level directory."""
    if policy is not None and policy.areas:
        cache: dict[str, list[str]] = {}

        def areas(path: str) -> list[str]:
            found = cache.get(path)
            if found is None:
                found = cache[path] = policy.areas_for(path) or ["(no area)"]
            return found

        return areas
    return lambda path: [path.split("/", 1)[0] if "/" in path else "(top level)"]


def ownership(
    commits: list[Commit],
    policy: Policy | None,
    last_seen: dict[str, tuple[datetime, datetime]],
    inactive_before: datetime,
    names: dict[str, str] | None = None,
    top: int = 3,
) -> list[dict]:
    """Per area, over the window's commits with file statistics: commits and lines changed,
    the top contributors by each, and a status — ``abandoned`` when everyone who changed it
    has since gone inactive, ``quiet`` when it changed too little to judge (fewer than
    AT_RISK_MIN_COMMITS commits or AT_RISK_MIN_LINES lines), ``at risk`` when one person made
    every change, else ``ok``."""
    areas = area_of(policy)
    names = names or {}
    by_commits: dict[str, Counter] = defaultdict(Counter)
    by_lines: dict[str, Counter] = defaultdict(Counter)
    for c in commits:
        if c.files is None:
            continue
        touched: set[str] = set()
        for f in c.files:
            for area in areas(f.path):
                by_lines[area][c.author] += f.lines
                touched.add(area)
        for area in touched:
            by_commits[area][c.author] += 1
    rows = []
    for area in sorted(by_commits, key=lambda a: (-sum(by_commits[a].values()), a)):
        people = by_commits[area]
        active = [
            w for w in people if last_seen.get(w, (None, inactive_before))[1] >= inactive_before
        ]
        commits, lines = sum(people.values()), sum(by_lines[area].values())
        if not active:
            status = "abandoned"
        elif commits < AT_RISK_MIN_COMMITS or lines < AT_RISK_MIN_LINES:
            status = "quiet"
        else:
            top_lines = max(by_lines[area].values(), default=0)
            one_person = len(people) == 1 or (lines and top_lines / lines >= AT_RISK_SHARE)
            status = "at risk" if one_person else "ok"
        rows.append(
            {
                "area": area,
                "commits": commits,
                "lines": lines,
                "contributors": len(people),
                "top_by_commits": [
                    {"who": w, "name": names.get(w, w), "commits": n}
                    for w, n in people.most_common(top)
                ],
                "top_by_lines": [
                    {"who": w, "name": names.get(w, w), "lines": n}
                    for w, n in by_lines[area].most_common(top)
                ],
                # everyone who changed the area, by commits (the analyst's full list)
                "every": [
                    {"who": w, "name": names.get(w, w), "commits": n, "lines": by_lines[area][w]}
                    for w, n in sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                "status": status,
            }
        )
    return rows


def code_ownership(
    blame: list[BlameLines],
    policy: Policy | None,
    last_seen: dict[str, tuple[datetime, datetime]],
    inactive_before: datetime,
    names: dict[str, str] | None = None,
    top: int = 3,
) -> list[dict]:
    """Per area, the code as it stands (``git blame`` at HEAD): its lines, who last changed
    them, the top owner's share, and the share last changed by people now inactive — so code
    nobody touched in the window is visible too. Status as for ``ownership``: abandoned when
    every owner is inactive, quiet under AT_RISK_MIN_LINES lines, at risk when one person
    owns AT_RISK_SHARE of the lines or more, else ok."""
    areas = area_of(policy)
    names = names or {}
    by_area: dict[str, Counter] = defaultdict(Counter)
    for b in blame:
        for area in areas(b.path):
            by_area[area][b.who] += b.lines
    rows = []
    for area in sorted(by_area, key=lambda a: (-sum(by_area[a].values()), a)):
        owners = by_area[area]
        lines = sum(owners.values())
        inactive = {
            w for w in owners if last_seen.get(w, (None, inactive_before))[1] < inactive_before
        }
        top_lines = max(owners.values())
        if len(inactive) == len(owners):
            status = "abandoned"
        elif lines < AT_RISK_MIN_LINES:
            status = "quiet"
        else:
            status = "at risk" if top_lines / lines >= AT_RISK_SHARE else "ok"
        rows.append(
            {
                "area": area,
                "lines": lines,
                "owners": len(owners),
                "top": [
                    {"who": w, "name": names.get(w, w), "lines": n, "share": round(n / lines, 4)}
                    for w, n in owners.most_common(top)
                ],
                "every": [
                    {"who": w, "name": names.get(w, w), "lines": n, "share": round(n / lines, 4)}
                    for w, n in sorted(owners.items(), key=lambda kv: (-kv[1], kv[0]))
                ],
                "inactive_share": round(sum(owners[w] for w in inactive) / lines, 4),
                "status": status,
            }
        )
    return rows
