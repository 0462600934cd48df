"""The review rules: pure functions of a pull request's facts and the policy.

Each rule is documented on the docs site (Code review → The review bot) and switched or tuned
in ``governance/policy.yml``. ``review`` runs them all and gathers one :class:`Outcome`.
"""

from __future__ import annotations

from ...policy import Policy
from ...review_bot.facts import PullRequestFacts, RuffDiagnostic
from ...review_bot.findings import Outcome
from ...review_bot.rules import checks

RULES = {
    "size": checks.size,
    "tests": checks.tests,
    "docs": checks.docs,
    "changelog": checks.changelog,
    "ruff": checks.ruff,
    "dco": checks.dco,
    "description": checks.description,
    "reviewers": checks.reviewers,
    "files": checks.files,
}


def review(
    facts: PullRequestFacts, policy: Policy, ruff: list[RuffDiagnostic] | None = None
) -> Outcome:
    outcome = Outcome(facts.repository, facts.number, facts.head_sha)
    for rule in RULES.values():
        rule(facts, policy, outcome, ruff or [])
    return outcome
