"""Path globs as the policy writes them, matched against repository-relative paths.

``*`` matches within one path segment, ``?`` one character of a segment, ``**`` any number
of segments (``docs/**`` is everything under docs/, ``**/*.lock`` any lock file). A pattern
is matched against the whole path from the repository root. CODEOWNERS reads the same
patterns the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache


@lru_cache(maxsize=1024)
def compile_glob(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches(pattern: str, path: str) -> bool:
    return compile_glob(pattern).match(path) is not None


def any_match(patterns: Iterable[str], path: str) -> bool:
    return any(matches(p, path) for p in patterns)
