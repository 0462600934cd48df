"""The ``approvals`` rule: per-area approval counts, which a GitHub ruleset cannot express.

A pure function of the changed paths, the pull request's reviews and the policy. Each touched
area (a path's areas are those of its last matching CODEOWNERS line) needs
``review.approvals.areas[area]`` approvals (else ``review.approvals.default``) from the area's
active maintainers and reviewers, the author excluded. A reviewer's latest APPROVED,
CHANGES_REQUESTED or DISMISSED review is their verdict; comments do not change it. Team owners
(``areas.*.teams``) are not counted: their members are not in the policy.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...governance.generate import eligible_owners
from ...policy import Policy

VERDICTS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


@dataclass(frozen=True)
class AreaApproval:
    area: str
    needed: int
    approvers: tuple[str, ...]

    @property
    def met(self) -> bool:
        return len(self.approvers) >= self.needed


def applies(paths: list[str], policy: Policy) -> bool:
    """Only when a touched area has its own count; otherwise the ruleset enforces it all."""
    special = policy.review.approvals.areas
    return bool(special) and any(a in special for p in paths for a in policy.areas_for(p))


def approvals(
    paths: list[str], reviews: list[dict], policy: Policy, author: str
) -> list[AreaApproval]:
    """``reviews``: [{"login", "state", "submitted_at"}] in any order."""
    verdict: dict[str, tuple[str, str]] = {}
    for r in sorted(reviews, key=lambda r: r.get("submitted_at") or ""):
        if r.get("state") in VERDICTS:
            verdict[r["login"].lower()] = (r["state"], r.get("submitted_at") or "")
    approved = {login for login, (state, _) in verdict.items() if state == "APPROVED"}
    areas = list(dict.fromkeys(a for p in paths for a in policy.areas_for(p)))
    out = []
    for area in areas:
        owners = {p.login.lower() for p in eligible_owners(policy, area)} - {author.lower()}
        needed = policy.review.approvals.areas.get(area, policy.review.approvals.default)
        out.append(AreaApproval(area, needed, tuple(sorted(approved & owners))))
    return out


def summary(result: list[AreaApproval]) -> tuple[str, str, str]:
    """(conclusion, title, text) for the check run."""
    missing = [a for a in result if not a.met]
    lines = [
        f"- {a.area}: {len(a.approvers)} of {a.needed} approvals from its owners"
        + (f" ({', '.join(a.approvers)})" if a.approvers else "")
        for a in result
    ]
    if missing:
        title = "Waiting for approvals: " + ", ".join(a.area for a in missing)
        return "failure", title, "\n".join(lines)
    return "success", "Every touched area has its approvals", "\n".join(lines)
