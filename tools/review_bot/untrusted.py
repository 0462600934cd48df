"""The findings artifact crosses from an untrusted job (it ran the pull request's code) to a
trusted one (it holds a write token). Here it is treated as hostile data: size and schema are
checked, every value bounded, and everything that will be posted is neutralised."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, ValidationError, model_validator

from ..errors import UserError
from ..policy import Policy
from ..policy.loader import Strict as _Loose
from ..policy.loader import field_path
from ..review_bot.findings import Finding, Outcome
from ..review_bot.rules import RULES

MAX_BYTES = 1_000_000
MAX_FINDINGS = 1000
Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
Text = Annotated[str, Field(max_length=2000)]
PathText = Annotated[str, Field(min_length=1, max_length=500)]
Line = Annotated[int, Field(ge=1, le=10_000_000)]


class Strict(_Loose):
    """The artifact is data from an untrusted job: exact types, no coercion ("7" is not 7)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class FindingIn(Strict):
    rule: Literal[tuple(RULES)]  # type: ignore[valid-type]
    severity: Literal["notice", "warning", "failure"]
    message: Text
    path: PathText | None = None
    start_line: Line | None = None
    end_line: Line | None = None
    suggestion: Annotated[str, Field(max_length=20_000)] | None = None

    @model_validator(mode="after")
    def _range(self):
        if self.end_line is not None and self.start_line is None:
            raise ValueError("end_line without start_line")
        if self.start_line is not None and self.path is None:
            raise ValueError("start_line without path")
        if self.end_line is not None and self.end_line < self.start_line:
            raise ValueError(f"end_line {self.end_line} is before start_line {self.start_line}")
        return self


class ReviewerIn(Strict):
    login: Annotated[str, Field(pattern=r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")]
    area: Annotated[str, Field(max_length=100)]


class ArtifactIn(Strict):
    schema_version: Literal[1]
    repository: Annotated[str, Field(pattern=r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")]
    pull_request: Annotated[int, Field(ge=1)]
    head_sha: Sha
    labels: Annotated[
        list[Annotated[str, Field(pattern=r"^size/(XS|S|M|L|XL)$")]], Field(max_length=1)
    ]
    reviewers: Annotated[list[ReviewerIn], Field(max_length=20)]
    welcome: bool
    findings: Annotated[list[FindingIn], Field(max_length=MAX_FINDINGS)]


def load_artifact(path: Path, policy: Policy) -> Outcome:
    """Parse and validate; one clear error line on anything unexpected."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UserError(f"{path}: the findings artifact is missing") from None
    if size > MAX_BYTES:
        raise UserError(f"{path}: {size:,} bytes, over the {MAX_BYTES:,}-byte limit; refused")
    try:
        raw = json.loads(path.read_bytes())
        data = ArtifactIn.model_validate(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not JSON ({exc.__class__.__name__}); refused") from None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        where = field_path(err["loc"])
        raise UserError(f"{path}: {where}: {err['msg']}; the artifact is refused") from None
    # Only the areas are taken from the artifact; the trusted side picks the people again.
    areas = [a.strip() for r in data.reviewers for a in r.area.split(",")]
    reviewers = [{"login": "", "area": a} for a in dict.fromkeys(areas) if a in policy.areas]
    return Outcome(
        repository=data.repository,
        pull_request=data.pull_request,
        head_sha=data.head_sha,
        findings=[Finding(**f.model_dump()) for f in data.findings],
        labels=list(data.labels),
        reviewers=reviewers,
        welcome=data.welcome,
    )


ZWSP = "\u200b"
# Characters that reorder or hide text (Trojan Source), and the other invisible controls.
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
# Markdown syntax GitHub would act on: links, images, emphasis, code, tables, headings, lists.
_MARKDOWN = re.compile(r"([\\`*_\[\]()!|~{}#])")
# GitHub's autolinks: @mentions, #123 and owner/repo#123, GH-123, URLs, www. hosts.
_REFERENCE = re.compile(r"([@#])(?=[A-Za-z0-9_-])|(?<=GH)(-)(?=\d)", re.IGNORECASE)
_URL = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<=\bwww)(\.)", re.IGNORECASE)


def neutral(text: str, *, one_line: bool = False) -> str:
    """Text from the artifact made inert before it is posted as markdown: controls and bidi
    characters removed, HTML escaped, markdown syntax backslash-escaped, and mentions,
    references and URLs broken with a zero-width space, so it shows as written and pings,
    links or formats nothing. ``one_line`` also folds line breaks (for a table cell)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = BIDI.sub("", CONTROL.sub("", text.replace("\t", " ")))
    if one_line:
        text = " ".join(text.split("\n"))
    text = _REFERENCE.sub(lambda m: (m.group(1) or m.group(2)) + ZWSP, text)
    text = _URL.sub(lambda m: m.group(1) + ZWSP if m.group(1) else ZWSP + m.group(2), text)
    text = _MARKDOWN.sub(r"\\\1", text)
    return html.escape(text, quote=False)


def neutral_code(text: str) -> str | None:
    """A suggestion's code is posted inside a fence; a fence inside it would escape, and bidi
    or control characters would show the reader other code than is committed, so such a
    suggestion is dropped (the finding stays)."""
    if "```" in text or "~~~" in text or BIDI.search(text) or CONTROL.search(text):
        return None
    return text
