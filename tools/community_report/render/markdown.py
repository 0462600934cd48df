"""Markdown for a GitHub issue, a job summary, or the docs site."""

from __future__ import annotations

from ...community_report.render.sections import heading, sections


def _cell(value: str) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render(report: dict, level: int = 2) -> str:
    h = "#" * level
    out = [f"{h} {heading(report)}", ""]
    for s in sections(report):
        out += [f"{h}# {s.title}", ""]
        if s.rows:
            out.append("| " + " | ".join(s.headers) + " |")
            out.append("|" + "---|" * len(s.headers))
            out += ["| " + " | ".join(_cell(x) for x in row) + " |" for row in s.rows]
        else:
            out.append("(none)")
        if s.notes:
            out += ["", *s.notes]
        out.append("")
    api = report["api"]
    if api["requests"]:
        out.append(f"GitHub API: {api['requests']} requests, {api['not_modified']} answered 304.")
    return "\n".join(out).rstrip() + "\n"
