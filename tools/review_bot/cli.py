"""``review-bot``: policy-driven pull-request review (not built yet; see the issue tracker)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("review-bot: not built yet", file=sys.stderr)
    return 1
