"""Findings for a person at a terminal, or as the JSON artifact."""

from __future__ import annotations

import json

from ...printable import printable
from ...review_bot.findings import Outcome

MARK = {"notice": "·", "warning": "!", "failure": "✗"}


def text(outcome: Outcome) -> str:
    lines = []
    for f in sorted(outcome.findings, key=lambda f: (f.path or "", f.start_line or 0, f.rule)):
        where = f.path or "(pull request)"
        if f.start_line:
            where += f":{f.start_line}" + (f"-{f.end_line}" if f.end_line != f.start_line else "")
        lines.append(f"{MARK[f.severity]} {f.severity:<7} {f.rule:<11} {where}  {f.message}")
        if f.suggestion is not None:
            lines += ["    suggested:"] + [f"    | {s}" for s in f.suggestion.split("\n")]
    if outcome.labels:
        lines.append(f"labels: {', '.join(outcome.labels)}")
    if outcome.welcome:
        lines.append("first-time contributor: the bot will post a welcome")
    counts = {s: sum(f.severity == s for f in outcome.findings) for s in MARK}
    lines.append(
        f"{len(outcome.findings)} findings: {counts['failure']} failures, "
        f"{counts['warning']} warnings, {counts['notice']} notices"
    )
    return printable("\n".join(lines) + "\n")  # paths and names come from the diff


def as_json(outcome: Outcome) -> str:
    return json.dumps(outcome.as_json(), indent=2, ensure_ascii=False) + "\n"
