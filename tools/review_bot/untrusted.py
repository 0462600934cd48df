"""The findings artifact crosses from an untrusted job (it ran the pull request's code) to a
trusted one (it holds a write token). Here it is treated as hostile data: size and schema are
checked, every value bounded, and everything that will be posted is neutralised."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError

from tools.errors import UserError
from tools.policy import Policy
from tools.policy.loader import Strict, field_path
from tools.review_bot.findings import Finding, Outcome
from tools.review_bot.rules import RULES

MAX_BYTES = 1_000_000
MAX_FINDINGS = 1000
Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]
Text = Annotated[str, Field(max_length=2000)]
PathText = Annotated[str, Field(min_length=1, max_length=500)]
Line = Annotated[int, Field(ge=1, le=10_000_000)]


class FindingIn(Strict):
    rule: Literal[tuple(RULES)]  # type: ignore[valid-type]
    severity: Literal["notice", "warning", "failure"]
    message: Text
    path: PathText | None = None
    start_line: Line | None = None
    end_line: Line | None = None
    suggestion: Annotated[str, Field(max_length=20_000)] | None = None


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


_MENTION = re.compile(r"@(?=[A-Za-z0-9])")


def neutral(text: str) -> str:
    """Safe to post as markdown: HTML escaped, @mentions and #references broken, no fences."""
    text = html.escape(text, quote=False)
    text = _MENTION.sub("@\u200b", text)
    return text.replace("```", "`\u200b`\u200b`")


def neutral_code(text: str) -> str | None:
    """A suggestion's code is posted inside a fence; a fence inside it would escape, so such
    a suggestion is dropped (the finding stays)."""
    return None if "```" in text or "~~~" in text else text
