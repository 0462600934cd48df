"""The approvals check: per-area counts from the policy, approvals by owners only, the author
never counting for themself, the latest verdict of each reviewer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import SAMPLE_POLICY
from tests.github_server import GitHubServer
from tools.github import GitHubClient
from tools.policy import load_policy
from tools.review_bot.findings import Finding, Outcome
from tools.review_bot.publish.github import publish
from tools.review_bot.rules.approvals import applies, approvals, summary

POLICY = load_policy(path=SAMPLE_POLICY)  # governance needs 2 approvals; the rest 1
HEAD = "b" * 40
T = datetime(2026, 5, 2, tzinfo=UTC)


def r(login, state, minute):
    return {"login": login, "state": state, "submitted_at": f"2026-05-02T10:{minute:02d}:00Z"}


def test_owners_count_others_do_not():
    paths = ["governance/policy.yml", "tools/community_report/cli.py"]
    reviews = [r("mira-okafor", "APPROVED", 1), r("li-wei-dev", "APPROVED", 2),  # triager
               r("tomas-lind", "APPROVED", 3), r("random-user", "APPROVED", 4)]  # fmt: skip
    result = {a.area: a for a in approvals(paths, reviews, POLICY, "someone")}
    assert result["governance"].approvers == ("mira-okafor",) and not result["governance"].met
    assert result["governance"].needed == 2
    assert result["tools"].approvers == ("tomas-lind",) and result["tools"].met
    conclusion, title, _ = summary(list(result.values()))
    assert conclusion == "failure" and title == "Waiting for approvals: governance"


def test_the_latest_verdict_counts_and_the_author_never():
    paths = ["governance/policy.yml"]
    reviews = [
        r("mira-okafor", "APPROVED", 1),
        r("priya-raman", "APPROVED", 2),
        r("priya-raman", "CHANGES_REQUESTED", 3),
        r("priya-raman", "COMMENTED", 4),
    ]
    (gov,) = approvals(paths, reviews, POLICY, "someone")
    assert gov.approvers == ("mira-okafor",)
    reviews.append(r("priya-raman", "APPROVED", 5))
    (gov,) = approvals(paths, reviews, POLICY, "mira-okafor")  # Mira wrote it
    assert gov.approvers == ("priya-raman",) and not gov.met


def test_only_areas_with_their_own_count_need_the_check():
    assert applies(["governance/CODE_OF_CONDUCT.md"], POLICY)
    assert not applies(["tools/review_bot/cli.py", "docs/index.md"], POLICY)


@pytest.fixture
def server():
    with GitHubServer(tokens=("t",)) as s:
        repo = s.add_repo("acme", "widgets")
        files = [{"filename": "governance/policy.yml", "status": "modified", "additions": 1,
                  "deletions": 0, "patch": "@@ -1 +1,2 @@\n a\n+b"}]  # fmt: skip
        repo.add_pull(9, "newbie", HEAD, files)
        yield s


def _publish(server):
    client = GitHubClient("t", server.base_url)
    out = Outcome("acme/widgets", 9, HEAD, [Finding("size", "notice", "1 line")], ["size/XS"])
    try:
        return publish(client, "acme/widgets", HEAD, out, "https://x.example/", POLICY)
    finally:
        client.close()


def test_the_check_run_follows_the_reviews_and_is_not_repeated(server):
    repo = server.repos["acme/widgets"]
    _publish(server)
    runs = [c for c in repo.check_runs if c["name"] == "approvals"]
    assert [c["conclusion"] for c in runs] == ["failure"]
    assert "approvals check" not in _publish(server)  # nothing changed: not posted again
    repo.add_review(9, "mira-okafor", "APPROVED", T)
    repo.add_review(9, "priya-raman", "APPROVED", T)
    assert "approvals check (success)" in _publish(server)
    runs = [c for c in repo.check_runs if c["name"] == "approvals"]
    assert [c["conclusion"] for c in runs] == ["failure", "success"]
