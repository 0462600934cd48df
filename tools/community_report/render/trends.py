"""The trends report (``--by month|quarter``) in every format: one table per scope (the whole
set first, then each repository), and in HTML a chart per metric for the whole set."""

from __future__ import annotations

import json
from html import escape

from ...community_report.metrics.trends import SERIES
from ...community_report.render.html import STYLE, bar_chart
from ...community_report.render.sections import _n, _share
from ...community_report.render.text import table as text_table


def _cell(key: str, value) -> str:
    """A figure as the one-window report writes it: ratios as percentages, numbers by _n."""
    return _share(value) if key == "acceptance_ratio" else _n(value)


def _headers(report: dict) -> list[str]:
    return [report["by"], *(label for _, label in SERIES)]


def _rows(rows: list[dict]) -> list[list[str]]:
    return [[r["period"], *(_cell(key, r[key]) for key, _ in SERIES)] for r in rows]


def _title(report: dict) -> str:
    n = len(report["sources"])
    what = report["sources"][0] if n == 1 else f"{n} repositories"
    return f"Community health by {report['by']}: {what} ({report['engine']})"


def _scopes(report: dict) -> list[tuple[str, list[dict]]]:
    series = report["series"]
    out = [("all", series["all"])] if "all" in series else []
    out += [(k, v) for k, v in series.items() if k != "all" and len(report["sources"]) > 1]
    return out


def _name(scope: str) -> str:
    return "all repositories" if scope == "all" else scope


def render_text(report: dict) -> str:
    out = [_title(report), ""]
    for scope, rows in _scopes(report):
        title = _name(scope)
        out += [title, "=" * len(title), *text_table(_headers(report), _rows(rows)), ""]
    out += report["notes"]
    return "\n".join(out).rstrip() + "\n"


def render_md(report: dict) -> str:
    out = [f"## {_title(report)}", ""]
    for scope, rows in _scopes(report):
        out += [f"### {_name(scope)}", "", "| " + " | ".join(_headers(report)) + " |",
                "|" + "---|" * len(_headers(report))]  # fmt: skip
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in _rows(rows)]
        out.append("")
    out += report["notes"]
    return "\n".join(out).rstrip() + "\n"


def render_html(report: dict) -> str:
    title = escape(_title(report))
    out = [f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{title}</title>",
           f"<style>{STYLE}</style><h1>{title}</h1>"]  # fmt: skip
    scopes = _scopes(report)
    if scopes:
        _, rows = scopes[0]
        labels = [r["period"] for r in rows]
        out.append("<h2>Over time, all repositories</h2><div class='charts'>")
        for key, label in SERIES:
            values = [r[key] for r in rows]
            if all(v is None for v in values):
                continue
            scale = 100 if key == "acceptance_ratio" else 1
            shown = [round((v or 0) * scale) for v in values]
            caption = f"{label} (%)" if scale == 100 else label
            out.append(f"<figure><figcaption>{escape(caption)}</figcaption>"
                       f"{bar_chart(labels, shown)}</figure>")  # fmt: skip
        out.append("</div>")
    for scope, rows in scopes:
        out.append(f"<h2>{escape(_name(scope))}</h2><table><tr>")
        out += [f"<th>{escape(h)}</th>" for h in _headers(report)]
        out.append("</tr>")
        for row in _rows(rows):
            out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
        out.append("</table>")
    out += [f"<p class='note'>{escape(n)}</p>" for n in report["notes"]]
    return "\n".join(out) + "\n"


def render_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _safe(render, fmt: str):
    from ...community_report.render import printable

    return lambda report: printable(render(report), fmt)


TREND_RENDERERS = {
    "text": _safe(render_text, "text"),
    "md": _safe(render_md, "md"),
    "html": _safe(render_html, "html"),
    "json": _safe(render_json, "json"),
}
