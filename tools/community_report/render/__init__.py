"""Renderers: they only format a report (text, markdown, HTML, JSON, and CSV for the
contributor table).

Names come from git and GitHub as their authors typed them, control characters included: an
ESC or OSC sequence in a name would change the reader's terminal (its title, its colours) or
hide text. Every renderer's output passes through ``printable``."""

from __future__ import annotations

from collections.abc import Callable

from ...community_report.render import csv_, html, json_, markdown, text
from ...printable import printable


def _safe(render: Callable[[dict], str], fmt: str) -> Callable[[dict], str]:
    return lambda report: printable(render(report), fmt)


RENDERERS = {
    "text": _safe(text.render, "text"),
    "md": _safe(markdown.render, "md"),
    "html": _safe(html.render, "html"),
    "json": _safe(json_.render, "json"),
    "csv": _safe(csv_.render, "csv"),
}


def _each(render):
    """A set report: the whole set, then each repository, in one format."""

    def render_set(report: dict) -> str:
        parts = [report["all"], *report["repositories"].values()]
        return "\n".join(render(part) for part in parts)

    return render_set


SET_RENDERERS = {
    "text": _safe(_each(text.render), "text"),
    "md": _safe(_each(markdown.render), "md"),
    "html": _safe(html.render_set, "html"),
    "json": _safe(json_.render, "json"),
    "csv": _safe(csv_.render, "csv"),
}
