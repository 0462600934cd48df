"""Renderers: they only format a report (text, markdown, HTML, JSON)."""

from __future__ import annotations

from tools.community_report.render import html, json_, markdown, text

RENDERERS = {"text": text.render, "md": markdown.render, "html": html.render, "json": json_.render}
