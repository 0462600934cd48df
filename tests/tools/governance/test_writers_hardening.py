"""The GitHub writers under the second audit: two nudge runs at once remind an item once, a
run posts at most the policy's cap, the plan shows a label's rename by case, the policy
refuses what GitHub would, PyGithub's retry log stays out of the output, a capped
Retry-After says so, and an uncertain PATCH is looked up before it is sent again."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import ROOT, SAMPLE_POLICY
from tests.github_server import GitHubServer
from tests.tools.review_bot.test_publish import LINT, SIZE, _publish, outcome
from tests.tools.review_bot.test_publish import server as publish_server  # noqa: F401
from tools.community_report.sources import github as gh_source
from tools.errors import UserError
from tools.github import GitHubClient
from tools.governance import nudge
from tools.governance.cli import main
from tools.policy import load_policy

TOKEN = "t"
NOW = datetime.now(UTC)
DAY = timedelta(days=1)


@pytest.fixture
def server(monkeypatch, sample_root):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitHubServer(tokens=(TOKEN,)) as s:
        s.root = sample_root
        repo = s.add_repo("acme", "widgets")
        for n in range(1, 8):  # seven items nobody answered, #1 the longest waiting
            repo.add_issue(n, f"user{n}", NOW - (40 - n) * DAY)
        yield s


def _nudge(server, tmp_path, capsys, *flags):
    code = main(["--root", str(server.root), "nudge", "acme/widgets", "--api-url",
                 server.base_url, "--cache-dir", str(tmp_path / "cache"), *flags])  # fmt: skip
    return code, capsys.readouterr()


def _reminded(server) -> list[int]:
    return sorted(
        int(c["issue_url"].rsplit("/", 1)[1])
        for c in server.repos["acme/widgets"].comments
        if "governance:nudge" in c["body"]
    )


def test_two_runs_at_once_remind_each_item_once(server, tmp_path, capsys):
    policy = load_policy(server.root)
    client = GitHubClient(TOKEN, server.base_url, tmp_path / "other-cache")
    # the second run read the repository before the first one posted
    activity = gh_source.read("acme/widgets", TOKEN, client=client, policy=policy)
    late = nudge.choose(activity, NOW, policy, "github-actions[bot]")
    assert len(late) == 7
    code, _ = _nudge(server, tmp_path, capsys, "--post")
    assert code == 0 and _reminded(server) == list(range(1, 8))
    assert nudge.post(client, "acme/widgets", late, "github-actions[bot]", NOW, 14) == 0
    client.close()
    assert _reminded(server) == list(range(1, 8))  # nothing twice


def test_a_run_posts_at_most_the_policys_cap_longest_waiting_first(server, tmp_path, capsys):
    policy = server.root / "governance" / "policy.yml"
    policy.write_text(policy.read_text().replace("stale:", "stale:\n  max_nudges_per_run: 3"))
    code, out = _nudge(server, tmp_path, capsys, "--post")
    assert code == 0 and _reminded(server) == [1, 2, 3]
    assert "4 more wait for a later run (stale.max_nudges_per_run: 3" in out.out
    _nudge(server, tmp_path, capsys, "--post")
    assert _reminded(server) == [1, 2, 3, 4, 5, 6]


def test_the_dry_run_words_who_owes_the_reply(server, tmp_path, capsys):
    _, out = _nudge(server, tmp_path, capsys)
    assert "the maintainers owe a reply" in out.out and "author owe " not in out.out
    line = nudge.render("a/b", [nudge.Nudge(9, "issue", "author", 20.0, "x")], False)
    assert "the author owes a reply" in line


def test_a_label_differing_only_in_case_is_shown_renamed(server, capsys):
    repo = server.repos["acme/widgets"]
    about = "A new feature or a better one"
    repo.labels.append(
        {"id": 1, "name": "Enhancement", "color": "a2eeef", "description": about, "default": False}
    )
    main(["--root", str(server.root), "apply", "acme/widgets", "--api-url", server.base_url])
    out = capsys.readouterr().out
    assert "~ label 'Enhancement':" in out and "renamed to 'enhancement'" in out


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("{name: " + "x" * 51 + ", color: ffffff}", "at most 50 characters"),
        ("{name: ok, color: ffffff, description: " + "d" * 101 + "}", "at most 100 characters"),
    ],
)
def test_labels_over_githubs_limits_are_refused(tmp_path, label, message):
    import yaml

    path = tmp_path / "policy.yml"
    data = yaml.safe_load(SAMPLE_POLICY.read_text())
    data["labels"] = [*data.get("labels", []), yaml.safe_load(label)]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(UserError, match=message):
        load_policy(path=path)


def test_pygithubs_retry_log_stays_out_of_the_output(server):
    """In its own process, as a user runs it (pytest's log capture would hide the leak)."""
    server.inject("/api/v3/repos/acme/widgets/labels", 403, times=1, retry_after=1,
                  method="POST")  # fmt: skip
    proc = subprocess.run([sys.executable, "-m", "tools.governance", "--root", str(server.root),
                           "apply", "acme/widgets", "--api-url", server.base_url, "--apply"],
                          cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, GITHUB_TOKEN=TOKEN))  # fmt: skip
    assert proc.returncode == 0 and "applied:" in proc.stdout, proc.stderr
    assert len(server.requests(status=403)) == 1  # the retry happened
    assert "Retrying" not in proc.stdout + proc.stderr
    assert "Request POST" not in proc.stdout + proc.stderr


def test_a_capped_retry_after_says_what_the_server_sent(server):
    server.inject("/api/v3/repos/acme/widgets", 403, times=1, retry_after=100000)
    client = GitHubClient(TOKEN, server.base_url, max_rate_limit_wait=60)
    with pytest.raises(UserError, match=r"asked to wait 100000 s \(Retry-After; read as 21600 s"):
        client.get(client.url("repos/acme/widgets"), "acme/widgets")
    client.close()


def test_an_uncertain_summary_update_is_looked_up_not_sent_twice(publish_server):  # noqa: F811
    repo = publish_server.repos["acme/widgets"]
    _publish(publish_server, outcome(LINT, SIZE))
    (summary,) = [c for c in repo.comments if "review-bot:summary" in c["body"]]
    # the update is performed, then its answer lost (a 502 after the write)
    publish_server.inject(f"/api/v3/repos/acme/widgets/issues/comments/{summary['id']}", 502,
                          times=1, after=True, method="PATCH")  # fmt: skip
    publish_server.log.clear()
    report, _ = _publish(publish_server, outcome(SIZE))
    assert "summary comment updated" in report
    patches = publish_server.requests(method="PATCH")
    assert len(patches) == 1  # looked up (GET the comment), found updated: not re-sent
    gets = publish_server.requests(method="GET", path=patches[0]["path"])
    assert gets, "the comment was looked up after the uncertain PATCH"
