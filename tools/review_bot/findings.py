"""Findings as data: what the rules produce, and the JSON artifact that carries them."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

SCHEMA_VERSION = 1
SEVERITIES = ("notice", "warning", "failure")  # GitHub's annotation levels
# The check runs the bot posts, by name (what `review.required_checks` may list)
CHECK_NAME = "review-bot"
APPROVALS_NAME = "approvals"  # per-area approval counts (a ruleset cannot express them)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    suggestion: str | None = None  # replacement text for start_line..end_line

    @property
    def fingerprint(self) -> str:
        key = f"{self.rule}|{self.path}|{self.start_line}|{self.end_line}|{self.message}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]


@dataclass
class Outcome:
    """Everything one review concluded, before anything is published."""

    repository: str
    pull_request: int
    head_sha: str
    findings: list[Finding] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    reviewers: list[dict] = field(default_factory=list)  # {"login", "area"}
    welcome: bool = False

    def as_json(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "repository": self.repository,
            "pull_request": self.pull_request,
            "head_sha": self.head_sha,
            "labels": self.labels,
            "reviewers": self.reviewers,
            "welcome": self.welcome,
            "findings": [asdict(f) for f in self.findings],
        }

    @property
    def conclusion(self) -> str:
        if any(f.severity == "failure" for f in self.findings):
            return "failure"
        return "neutral" if any(f.severity == "warning" for f in self.findings) else "success"
