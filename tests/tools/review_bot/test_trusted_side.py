"""The trusted side under hostile and unlucky conditions: lost answers, oversized findings,
markdown that tries to act, foreign comments that look like the bot's, races on labels."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT, SAMPLE_POLICY
from tests.tools.review_bot.test_publish import (
    BINARY,
    LINT,
    SIZE,
    TOKEN,
    _artifact,
    _publish,
    outcome,
    server,  # noqa: F401  (the fixture)
)
from tools.errors import UserError
from tools.policy import load_policy
from tools.review_bot.findings import Finding
from tools.review_bot.untrusted import load_artifact, neutral, neutral_code

POLICY = load_policy(path=SAMPLE_POLICY)


def _summaries(repo) -> list[dict]:
    return [c for c in repo.comments if "review-bot:summary" in c["body"]]


@pytest.mark.parametrize(
    ("path", "method"),
    [
        ("/api/v3/repos/acme/widgets/pulls/7/reviews", "POST"),
        ("/api/v3/repos/acme/widgets/check-runs", "POST"),
        ("/api/v3/repos/acme/widgets/issues/7/comments", "POST"),
    ],
)
def test_a_5xx_after_the_write_was_done_never_posts_it_twice(server, path, method):  # noqa: F811
    server.inject(path, 502, times=1, after=True, method=method)
    report, _ = _publish(server, outcome(LINT, BINARY, SIZE))
    repo = server.repos["acme/widgets"]
    assert len(repo.review_comments) == 1
    assert len(repo.check_runs) == 1
    assert len(_summaries(repo)) == 1
    assert "summary comment" in report
    assert len(server.requests(method=method, path=path)) == 1  # looked, did not re-send


def test_a_5xx_before_the_write_is_sent_again_once(server):  # noqa: F811
    server.inject("/api/v3/repos/acme/widgets/issues/7/comments", 503, times=1, method="POST")
    _publish(server, outcome(SIZE))
    repo = server.repos["acme/widgets"]
    assert len(_summaries(repo)) == 1
    posts = server.requests(method="POST", path="/api/v3/repos/acme/widgets/issues/7/comments")
    assert [p["status"] for p in posts] == [503, 201]


def test_an_ever_failing_write_is_one_clear_error(server):  # noqa: F811
    server.inject("/api/v3/repos/acme/widgets/issues/7/comments", 500, times=5, method="POST")
    with pytest.raises(UserError, match=r"failed twice .*nothing is posted twice"):
        _publish(server, outcome(SIZE))


def test_the_summary_fits_whatever_the_findings_contain(server):  # noqa: F811
    # characters that grow when escaped (& → &amp;), non-ASCII that JSON would \u-escape
    worst = "&<>@#[]|`" * 200 + "é漢" * 100
    many = [Finding("files", "warning", f"{i}{worst}"[:2000], "tools/mod.py") for i in range(999)]
    many.append(Finding("ruff", "warning", worst[:2000], "tools/mod.py", 2, 2))
    _publish(server, outcome(*many))
    repo = server.repos["acme/widgets"]
    assert server.requests(status=422) == []
    (summary,) = _summaries(repo)
    assert len(summary["body"]) <= 65_536
    # a second run with other findings: everything open is now resolved; still fits
    _publish(
        server, outcome(*[Finding("files", "notice", worst[:1999] + str(i)) for i in range(999)])
    )
    assert server.requests(status=422) == [] and len(_summaries(repo)[0]["body"]) <= 65_536


def test_a_long_run_of_heads_keeps_the_state_bounded(server):  # noqa: F811
    repo = server.repos["acme/widgets"]
    for i in range(12):  # a new head each time, 30 new inline comments each
        head = f"{i:x}" * 40
        repo.pulls[7]["head"]["sha"] = head[:40]
        out = outcome(
            *[Finding("ruff", "warning", f"W{i}-{k}", "tools/mod.py", 2, 2) for k in range(40)]
        )
        out.head_sha = head[:40]
        _publish_at(server, out, head[:40])
    body = _summaries(repo)[0]["body"]
    state = json.loads(re.search(r"review-bot:state (\{.*\}) -->", body).group(1))
    assert len(state["inline"]) <= 200 and len(body) <= 65_536


def _publish_at(server, out, head):  # noqa: F811
    from tests.tools.review_bot.test_publish import DOCS
    from tools.github import GitHubClient
    from tools.review_bot.publish.github import publish

    client = GitHubClient(TOKEN, server.base_url)
    try:
        return publish(client, "acme/widgets", head, out, DOCS, POLICY), client.requests
    finally:
        client.close()


HOSTILE = [
    "see #123 and acme/widgets#1",
    "go to https://evil.example/login now",
    "[click here](https://evil.example) ![x](https://evil.example/p.png)",
    "www.evil.example",
    "line one\rline two",
    "abc\u202edcba\u2066x\u2069",
    "<img src=x onerror=alert(1)> <details open>",
    "@octocat @acme/admins",
    "```\nfenced\n``` ~~~",
    "GH-12",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_neutral_makes_hostile_text_inert(text):
    out = neutral(text, one_line=True)
    assert "\n" not in out and "\r" not in out
    _assert_inert(out)


def _assert_inert(out: str) -> None:
    assert not re.search(r"[@#][A-Za-z0-9_-]", out)  # no mention, no #123
    assert not re.search(r"[A-Za-z0-9]://", out)  # no URL autolink
    assert not re.search(r"\bwww\.", out, re.IGNORECASE)
    assert not re.search(r"GH-\d", out, re.IGNORECASE)
    assert not re.search(r"[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", out)
    assert "<" not in out and ">" not in out
    # every markdown-active character is escaped by a backslash
    assert not re.search(r"(?<!\\)(?:\\\\)*[`*_\[\]()!|~]", out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_neutral_property(text):
    out = neutral(text, one_line=True)
    assert "\n" not in out and "\r" not in out
    _assert_inert(out)
    assert neutral(text).count("\n") <= text.count("\n") + text.count("\r")


def test_suggestions_with_bidi_controls_are_dropped():
    assert neutral_code("x = 1  # \u202e evil") is None
    assert neutral_code("x = 1\n") == "x = 1\n"


def test_file_names_cannot_break_the_summary_table(server, tmp_path):  # noqa: F811
    repo = server.repos["acme/widgets"]
    odd = "docs/a|b`c\nd.md"
    repo.pulls[7]["files"].append(
        {"filename": odd, "status": "added", "additions": 1, "deletions": 0, "changes": 1}
    )
    _publish(server, outcome(Finding("docs", "notice", "x", odd)))
    body = _summaries(repo)[0]["body"]
    row = next(line for line in body.splitlines() if line.startswith("| ℹ️"))
    assert row.count("|") - row.count("\\|") == 5  # still four cells


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        ({"start_line": 900, "end_line": 2}, "end_line 2 is before start_line 900"),
        ({"start_line": "7"}, "start_line: Input should be a valid integer"),
        ({"end_line": 5, "start_line": None}, "end_line without start_line"),
        ({"path": None, "start_line": 3}, "start_line without path"),
    ],
)
def test_the_artifact_is_validated_strictly(tmp_path, finding, message):
    base = {**LINT.__dict__}
    base.update(finding)
    _artifact(tmp_path, findings=[base])
    with pytest.raises(UserError, match=re.escape(message)):
        load_artifact(tmp_path / "findings.json", POLICY)


def test_a_reversed_range_never_becomes_an_inline_comment(server):  # noqa: F811
    reversed_ = Finding("ruff", "warning", "x", "tools/mod.py", 4, 2)
    _publish(server, outcome(reversed_))
    assert server.requests(status=422) == []
    assert server.repos["acme/widgets"].review_comments == []


def test_only_the_bots_own_summary_is_adopted(server):  # noqa: F811
    repo = server.repos["acme/widgets"]
    when = datetime(2026, 5, 2, tzinfo=UTC)
    other = repo.add_comment(7, "another-app[bot]", when)
    other["body"] = '<!-- review-bot:summary -->\nnot ours\n<!-- review-bot:state {"open": 5} -->'
    human = repo.add_comment(7, "mallory", when)
    human["body"] = "<!-- review-bot:summary -->\n<!-- review-bot:state {} -->"
    _publish(server, outcome(SIZE))
    assert other["body"].endswith('{"open": 5} -->') and "not ours" in other["body"]
    assert len([c for c in repo.comments if c["user"]["login"] == "github-actions[bot]"]) == 1


def test_a_malformed_state_is_read_as_none(server, capsys):  # noqa: F811
    repo = server.repos["acme/widgets"]
    _publish(server, outcome(SIZE))
    (mine,) = _summaries(repo)
    mine["body"] = re.sub(
        r"review-bot:state .* -->",
        'review-bot:state {"open": {"zz": 1}, "check": {"id": "x"}, "inline": 7} -->',
        mine["body"],
    )
    _publish(server, outcome(SIZE))
    assert "unreadable" in capsys.readouterr().err
    assert len(_summaries(repo)) == 1


def test_only_the_bots_inline_comments_are_minimised(server):  # noqa: F811
    repo = server.repos["acme/widgets"]
    _publish(server, outcome(LINT, SIZE))
    fp = LINT.fingerprint
    forged = repo.add_comment(7, "mallory", datetime(2026, 5, 3, tzinfo=UTC), review=True)
    forged.update(body=f"mine <!-- review-bot:fp={fp} -->", node_id="PRRC_forged")
    _publish(server, outcome(SIZE))
    assert "PRRC_forged" not in repo.minimized
    assert repo.minimized == {repo.review_comments[0]["node_id"]}


def test_inline_comments_are_not_posted_again_when_the_summary_was_lost(server):  # noqa: F811
    repo = server.repos["acme/widgets"]
    _publish(server, outcome(LINT, SIZE))
    repo.comments.clear()  # the summary is gone (deleted, or its run failed before posting)
    report, _ = _publish(server, outcome(LINT, SIZE))
    assert "inline comments" not in report
    assert len(repo.review_comments) == 1


def test_labels_set_meanwhile_by_a_maintainer_are_kept(server):  # noqa: F811
    repo = server.repos["acme/widgets"]
    route = server._route

    def racing(method, path, query, raw):  # a maintainer labels the PR right after it is read
        result = route(method, path, query, raw)
        if method == "GET" and path.endswith("/pulls/7"):
            repo._by_number[7]["labels"].append({"name": "needs-decision"})
        return result

    server._route = racing
    _publish(server, outcome(SIZE, labels=("size/XS",)))
    assert sorted(repo.labels_of(7)) == ["needs-decision", "size/XS"]  # size/L removed
    assert server.requests(method="PUT") == []


def test_review_post_workflow_runs_one_at_a_time_per_pull_request():
    flow = yaml.safe_load((ROOT / ".github/workflows/review-post.yml").read_text())
    group = flow["concurrency"]["group"]
    assert "workflow_run.head_repository.full_name" in group
    assert "workflow_run.head_branch" in group
    assert flow["concurrency"]["cancel-in-progress"] is False  # queued, never cut mid-post


def test_the_trusted_job_installs_only_hash_locked_dependencies():
    caller = yaml.safe_load((ROOT / ".github/workflows/review-post.yml").read_text())
    job = caller["jobs"]["post"]
    assert job["uses"] == "$/.github/workflows/reusable-review-post.yml"
    flow = (ROOT / ".github/workflows/reusable-review-post.yml").read_text()
    installs = [line for line in flow.splitlines() if "pip install" in line]
    assert installs and all("--require-hashes" in line or "--no-deps" in line for line in installs)
    lock = (ROOT / ".github/requirements/review-bot.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==\S+", lock, re.MULTILINE)
    assert {"pygithub", "pydantic", "pyyaml"} <= {p.lower() for p in pins}
    assert lock.count("--hash=sha256:") >= len(pins)
