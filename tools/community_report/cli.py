"""``community-report``: contributor activity and project health (not built yet)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("community-report: not built yet", file=sys.stderr)
    return 1
