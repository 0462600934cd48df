"""Renderers: they only format a report (text, markdown, HTML, JSON)."""

from __future__ import annotations

from tools.community_report.render import html, json_, markdown, text

RENDERERS = {"text": text.render, "md": markdown.render, "html": html.render, "json": json_.render}


def _each(render):
    """A set report: the whole set, then each repository, in one format."""

    def render_set(report: dict) -> str:
        parts = [report["all"], *report["repositories"].values()]
        return "\n".join(render(part) for part in parts)

    return render_set


SET_RENDERERS = {
    "text": _each(text.render),
    "md": _each(markdown.render),
    "html": html.render_set,
    "json": json_.render,
}
