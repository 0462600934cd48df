"""The report as JSON (schema: docs site, Community health → JSON schema)."""

from __future__ import annotations

import json


def render(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
