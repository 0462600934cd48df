"""A CODEOWNERS file as GitHub reads it: parsed, matched, and translated into policy areas.

Pure functions of text and file lists. GitHub's rules, as its documentation states them:
one ``pattern owner…`` a line, ``#`` starts a comment, the **last** matching line wins, a
line with no owners leaves its paths unowned. Patterns follow ``.gitignore``: a slash at the
start or in the middle anchors the pattern at the repository root (otherwise it matches at
any depth), a trailing slash matches a directory's contents, ``*`` stays within one path
segment, ``**`` spans segments. A pattern whose last segment is a plain name (``/docs``,
``apps/github``) also owns everything under a directory of that name; one whose last segment
has a wildcard (``docs/*``, ``*.js``) matches files only (``docs/*`` does not own
``docs/a/b.md``). GitHub ignores ``!`` negation and ``[...]`` ranges: such lines are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..policy.globs import compile_glob

# Where GitHub looks for the file, first found wins.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
USER = re.compile(r"^@([A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?)$")
TEAM = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*)$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


@dataclass(frozen=True)
class Rule:
    line: int  # 1-based, in the file
    pattern: str  # as written, escapes undone (``\ `` is a space)
    owners: tuple[str, ...]  # as written: @user, @org/team or an email address


@dataclass(frozen=True)
class Problem:
    line: int
    message: str


def parse(text: str) -> tuple[list[Rule], list[Problem]]:
    rules, problems = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = re.findall(r"(?:\\.|[^\s\\])+", line)
        pattern, rest = tokens[0].replace("\\ ", " "), tokens[1:]
        owners = []
        for token in rest:
            if token.startswith("#"):  # a comment after the owners
                break
            owners.append(token)
        if pattern.startswith("!") or re.search(r"(?<!\\)\[", pattern):
            problems.append(
                Problem(
                    number, f"{pattern!r}: GitHub ignores negation and [ ] ranges; line skipped"
                )
            )
            continue
        bad = [o for o in owners if not (USER.match(o) or TEAM.match(o) or EMAIL.match(o))]
        if bad:
            problems.append(Problem(number, f"{bad[0]!r} is not @user, @org/team or an email"))
            continue
        rules.append(Rule(number, pattern, tuple(owners)))
    return rules, problems


def _shape(pattern: str) -> tuple[str, bool, bool]:
    """(the pattern anchored at the root as a policy glob body, matches at any depth,
    owns the contents of a directory it names)."""
    dir_only = pattern.endswith("/")
    body = pattern.strip("/") if pattern.startswith("/") else pattern.rstrip("/")
    anchored = pattern.startswith("/") or "/" in body
    if body.endswith("/**"):
        body, dir_only = body[:-3], True
    last = body.rsplit("/", 1)[-1]
    owns_dirs = dir_only or not re.search(r"[*?]", last)
    return body, not anchored, owns_dirs


def matches(pattern: str, path: str) -> bool:
    """Whether a CODEOWNERS pattern owns the file ``path``."""
    body, floating, owns_dirs = _shape(pattern)
    if body in ("", "**"):
        return True
    regex = compile_glob(("**/" if floating else "") + body)
    if regex.match(path) and not pattern.endswith("/"):
        return True
    if owns_dirs:
        parts = path.split("/")
        return any(regex.match("/".join(parts[:i])) for i in range(1, len(parts)))
    return False


def owners_of(rules: list[Rule], path: str) -> tuple[str, ...] | None:
    """The owners of ``path`` (lower-cased, sorted): its last matching line's; None when no
    line matches."""
    for rule in reversed(rules):
        if matches(rule.pattern, path):
            return tuple(sorted(o.lower() for o in rule.owners))
    return None


def to_globs(pattern: str) -> list[str]:
    """The policy globs that own what the pattern owns (the policy's globs are anchored and
    hold no whitespace: a space becomes ``?``)."""
    body, floating, owns_dirs = _shape(pattern)
    body = body.replace(" ", "?")
    if body in ("", "**"):
        return ["**"]
    prefix = "**/" if floating else ""
    out = [] if pattern.endswith("/") else [prefix + body]
    if owns_dirs:
        out.append(f"{prefix}{body}/**")
    return out


def differences(before: list[Rule], after: list[Rule], files: list[str]) -> list[str]:
    """The files whose owners differ between two CODEOWNERS files, each with both answers."""
    out = []
    for path in files:
        a, b = owners_of(before, path), owners_of(after, path)
        if (a or ()) != (b or ()):
            out.append(f"{path}: {' '.join(a or ()) or 'nobody'} → {' '.join(b or ()) or 'nobody'}")
    return out
