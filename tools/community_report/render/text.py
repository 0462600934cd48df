"""Plain text for a terminal: aligned tables."""

from __future__ import annotations

from ...community_report.render.sections import heading, sections


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    for row in rows:
        out.append("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)).rstrip())
    return out


def render(report: dict) -> str:
    out = [heading(report), ""]
    for s in sections(report):
        out += [s.title, "=" * len(s.title)]
        if s.rows:
            out += table(s.headers, s.rows)
        else:
            out.append("(none)")
        out += [*s.notes, ""]
    api = report["api"]
    if api["requests"]:
        out.append(f"GitHub API: {api['requests']} requests, {api['not_modified']} answered 304.")
    return "\n".join(out).rstrip() + "\n"
