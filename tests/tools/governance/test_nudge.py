"""governance nudge against the local GitHub-compatible server: the right items, the right
words, one reminder per period however often it runs, a dry run that posts nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import SAMPLE_POLICY
from tests.github_server import GitHubServer
from tools.community_report.sources import github as gh_source
from tools.github import GitHubClient
from tools.governance.cli import main
from tools.governance.nudge import choose
from tools.policy import load_policy

TOKEN = "t"
POLICY = load_policy(path=SAMPLE_POLICY)  # nudge after 14 days; exempt: blocked, security
NOW = datetime.now(UTC)
DAY = timedelta(days=1)


@pytest.fixture
def server(monkeypatch, tmp_path, sample_root):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitHubServer(tokens=(TOKEN,)) as s:
        s.root = sample_root
        repo = s.add_repo("acme", "widgets")
        repo.add_issue(1, "ana", NOW - 30 * DAY)  # never answered: maintainers owe
        repo.add_issue(2, "ben", NOW - 30 * DAY)  # maintainer asked, author silent
        repo.add_comment(2, "mira-okafor", NOW - 20 * DAY)
        repo.add_issue(3, "cy", NOW - 30 * DAY, labels=("blocked",))  # exempt
        repo.add_issue(4, "dee", NOW - 3 * DAY)  # not waiting long enough
        repo.add_issue(5, "eve", NOW - 30 * DAY, closed=NOW - 2 * DAY)  # closed
        repo.add_issue(6, "dependabot[bot]", NOW - 30 * DAY, pull=True)  # a bot's
        repo.add_issue(7, "fay", NOW - 30 * DAY, pull=True)  # the author answered last
        repo.add_comment(7, "tomas-lind", NOW - 25 * DAY)
        repo.add_comment(7, "fay", NOW - 20 * DAY)
        yield s


def _run(server, tmp_path, capsys, *flags):
    args = ["--root", str(server.root), "nudge", "acme/widgets", "--api-url", server.base_url,
            "--cache-dir", str(tmp_path / "cache"), *flags]  # fmt: skip
    code = main(args)
    return code, capsys.readouterr().out


def _nudges(server) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for c in server.repos["acme/widgets"].comments:
        if "governance:nudge" in c["body"]:
            out.setdefault(int(c["issue_url"].rsplit("/", 1)[1]), []).append(c["body"])
    return out


def test_dry_run_posts_nothing(server, tmp_path, capsys):
    code, out = _run(server, tmp_path, capsys)
    assert code == 0 and "would post (dry run" in out
    assert "#1 (issue, the maintainers owe" in out and "#2 (issue, the author owes" in out
    assert "#7 (pull_request, the maintainers owe" in out
    assert "#3" not in out and "#4" not in out and "#5" not in out and "#6" not in out
    assert server.requests(method="POST", path="/api/v3/repos/acme/widgets/issues/1/comments") == []


def test_posting_is_idempotent_within_the_period(server, tmp_path, capsys):
    code, out = _run(server, tmp_path, capsys, "--post")
    assert code == 0 and "posted 3" in out
    nudges = _nudges(server)
    assert sorted(nudges) == [1, 2, 7]
    assert "waited 30 days for a reply from the maintainers" in nudges[1][0]
    assert nudges[2][0].startswith("@ben, the last reply here, 20 days ago")
    for _ in range(2):
        code, out = _run(server, tmp_path, capsys, "--post")
        assert "no reminder to post" in out
    assert {n: len(b) for n, b in _nudges(server).items()} == {1: 1, 2: 1, 7: 1}
    assert all(c["state"] == "open" for c in server.repos["acme/widgets"].issues
               if c["number"] in (1, 2, 7))  # fmt: skip


def test_a_nudge_older_than_the_period_allows_another(server, tmp_path):
    client = GitHubClient(TOKEN, server.base_url)
    repo = server.repos["acme/widgets"]
    old = repo.add_comment(1, "github-actions[bot]", NOW - 15 * DAY)
    old["body"] = "old reminder\n\n<!-- governance:nudge -->"
    forged = repo.add_comment(2, "other-app[bot]", NOW - 1 * DAY)
    forged["body"] = "<!-- governance:nudge -->"  # not our bot's: does not silence #2
    activity = gh_source.read("acme/widgets", TOKEN, client=client, policy=POLICY)
    client.close()
    chosen = {n.number for n in choose(activity, NOW, POLICY, "github-actions[bot]")}
    assert chosen == {1, 2, 7}  # #1's reminder is 15 days old: past the 14-day period
