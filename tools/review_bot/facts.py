"""Records the review bot reads: a pull request's facts and its changed files. No I/O here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

TRAILER = re.compile(r"^Signed-off-by:\s*(?P<name>.*?)\s*<(?P<email>[^>]+)>\s*$", re.MULTILINE)


@dataclass(frozen=True)
class CommitFacts:
    sha: str
    author_name: str
    author_email: str
    message: str

    @property
    def sign_offs(self) -> list[tuple[str, str]]:
        return [(m["name"], m["email"]) for m in TRAILER.finditer(self.message)]


@dataclass(frozen=True)
class Hunk:
    new_start: int
    new_lines: int
    added: tuple[int, ...]  # new-side line numbers added or changed
    context: tuple[int, ...]  # new-side line numbers shown unchanged


@dataclass(frozen=True)
class ChangedFile:
    path: str
    status: str  # added, modified, removed, renamed
    additions: int
    deletions: int
    previous_path: str | None = None
    binary: bool = False
    patch: str | None = None  # None: no patch available (binary, or too large for GitHub)
    size: int | None = None  # bytes of the new version, when known

    @property
    def hunks(self) -> list[Hunk]:
        from ..review_bot.diff import parse_hunks

        return parse_hunks(self.patch) if self.patch else []

    @property
    def added_lines(self) -> set[int]:
        return {n for h in self.hunks for n in h.added}

    @property
    def commentable_lines(self) -> set[int]:
        """Lines of the new side that appear in the diff: the only ones GitHub accepts a
        review comment on (anything else is answered 422)."""
        return {n for h in self.hunks for n in (*h.added, *h.context)}


@dataclass
class PullRequestFacts:
    repository: str  # owner/name, or "local"
    number: int  # 0 in local mode
    title: str | None  # None in local mode: the description rules do not apply
    body: str | None
    author: str
    author_association: str  # FIRST_TIME_CONTRIBUTOR, FIRST_TIMER, CONTRIBUTOR, MEMBER, …
    base_sha: str
    head_sha: str
    labels: tuple[str, ...] = ()
    commits: list[CommitFacts] = field(default_factory=list)
    files: list[ChangedFile] = field(default_factory=list)
    review_load: dict[str, int] = field(default_factory=dict)  # login → open review requests

    @property
    def first_time(self) -> bool:
        return self.author_association in ("FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER")


@dataclass(frozen=True)
class RuffDiagnostic:
    path: str
    code: str
    message: str
    start_line: int
    end_line: int
    replacement: str | None = None  # the fixed text of lines start..end, when ruff has a fix
