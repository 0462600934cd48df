from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.github_server import GitHubServer
from tools.community_report.cli import main
from tools.community_report.sources import github as source
from tools.errors import UserError
from tools.github import GitHubClient

TOKEN = "test-token"
T0 = datetime(2026, 4, 1, tzinfo=UTC)
H = timedelta(hours=1)
WINDOW = ["--since", "2026-04-01", "--until", "2026-07-01"]


def populate(repo, extra_issues: int = 0):
    """A small, hand-checkable history, then ``extra_issues`` filler issues (for paging)."""
    # 1: issue by a user, answered by a maintainer after 5 h, closed after 2 days
    repo.add_issue(1, "user1", T0, closed=T0 + 48 * H)
    repo.add_comment(1, "bot-helper[bot]", T0 + 1 * H)  # bots never count as a response
    repo.add_comment(1, "maint", T0 + 5 * H)
    # 2: issue never answered, still open
    repo.add_issue(2, "user2", T0 + 24 * H, title="nobody answered")
    # 3: a first-time contributor's pull request, reviewed (approved) after 30 h, merged
    repo.add_issue(3, "newbie", T0 + 72 * H, pull=True, closed=T0 + 100 * H, merged=T0 + 100 * H,
                   association="FIRST_TIME_CONTRIBUTOR")  # fmt: skip
    repo.add_review(3, "maint", "APPROVED", T0 + 102 * H)
    repo.add_comment(3, "maint", T0 + 102 * H, review=True)
    # 4: maintainer's own pull request, merged without anyone else's approval
    repo.add_issue(4, "maint", T0 + 200 * H, pull=True, closed=T0 + 210 * H, merged=T0 + 210 * H)
    repo.add_review(4, "maint", "APPROVED", T0 + 205 * H)
    repo.add_comment(4, "user1", T0 + 201 * H)
    # 5: pull request closed without merging
    repo.add_issue(5, "user2", T0 + 300 * H, pull=True, closed=T0 + 400 * H)
    repo.add_comment(5, "maint", T0 + 301 * H)
    # 6: open issue where the author answered last: the maintainers owe a reply
    repo.add_issue(6, "user1", T0 + 400 * H)
    repo.add_comment(6, "maint", T0 + 401 * H)
    repo.add_comment(6, "user1", T0 + 402 * H)
    # 7: a bot's pull request
    repo.add_issue(7, "dependabot[bot]", T0 + 500 * H, pull=True)
    # before the window: user1's first issue ever
    repo.add_issue(8, "user1", T0 - 30 * 24 * H, closed=T0 - 29 * 24 * H)
    for n in range(extra_issues):
        when = T0 - 400 * 24 * H + n * H
        repo.add_issue(1000 + n, f"filler{n % 7}", when, closed=when + H)


@pytest.fixture
def server():
    with GitHubServer(tokens=(TOKEN,)) as s:
        populate(s.add_repo("acme", "widgets"), extra_issues=250)
        yield s


def run(server, tmp_path, capsys, *extra, token=TOKEN, monkeypatch=None) -> tuple[int, str, str]:
    args = ["acme/widgets", "--api-url", server.base_url, "--cache-dir", str(tmp_path / "cache")]
    code = main([*args, *WINDOW, "--format", "json", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(autouse=True)
def token_env(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)


def test_report_from_the_api(server, tmp_path, capsys):
    code, out, err = run(server, tmp_path, capsys)
    assert code == 0, err
    report = json.loads(out)
    issues, pulls, resp = report["issues"], report["pull_requests"], report["responsiveness"]
    # issues opened in the window by humans: 1, 2, 6
    assert issues["opened"] == 3 and issues["closed"] == 1 and issues["open_at_end"] == 2
    assert issues["time_to_close_hours"]["median"] == 48
    # first responses: #1 after 5 h (the bot at 1 h does not count); #2 never; #6 after 1 h
    fr = resp["issues"]
    assert fr["first_response_hours"]["count"] == 2 and fr["never_answered"] == 1
    # pull requests opened by humans: 3, 4, 5 (7 is a bot's)
    assert pulls["opened"] == 3 and pulls["merged"] == 2 and pulls["closed_unmerged"] == 1
    assert pulls["acceptance_ratio"] == pytest.approx(2 / 3, abs=1e-3)
    # #3 approved by someone else; #4 only by its author
    assert pulls["review_coverage"] == 0.5
    assert pulls["time_to_merge_hours"]["median"] == 19  # 28 h and 10 h
    # the newcomer's pull request: answered after 30 h, merged
    assert report["newcomers"] == {
        "pull_requests": 1,
        "first_response_hours": {"count": 1, "median": 30.0, "p90": 30.0},
        "never_answered_share": 0.0,
        "merged_share": 1.0,
    }
    owes = {o["number"]: o["owes"] for o in report["open_items"]}
    assert owes[6] == "maintainers" and owes[2] == "maintainers"
    assert report["contributors"]["new"] == 3  # user2, newbie, maint; user1 began before it
    assert "newbie" in {p["who"] for p in report["contributors"]["new_contributors"]}
    assert "user1" not in {p["who"] for p in report["contributors"]["new_contributors"]}
    assert report["contributors"]["bot_identities"] == ["bot-helper[bot]", "dependabot[bot]"]


def test_business_hours_targets_from_the_policy(server, tmp_path, capsys):
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "version: 1\npeople: []\nareas: {}\nresponsiveness:\n"
        "  issue_first_response_hours: 4\n  pull_request_first_response_hours: 48\n"
        "  business_hours: {timezone: UTC, days: [mon, tue, wed, thu, fri],\n"
        "                   start: '09:00', end: '17:00'}\n"
    )
    code, out, err = run(server, tmp_path, capsys, "--policy", str(policy))
    assert code == 0, err
    fr = json.loads(out)["responsiveness"]["issues"]
    # #1 opened Wed 1 Apr 00:00, answered 05:00: no business hour has passed; #6 opened Fri
    # 17 Apr 16:00, answered 17:00: one business hour; #2 never answered, long past 4 h
    assert fr["first_response_hours"]["median"] == 0.5
    assert fr["answered_in_time_share"] == pytest.approx(2 / 3, abs=1e-3)
    assert [m["number"] for m in fr["missed"]] == [2]


def test_requests_are_few_and_a_rerun_is_all_304(server, tmp_path, capsys):
    code, out, _ = run(server, tmp_path, capsys)
    first = json.loads(out)["api"]
    gets = server.requests(method="GET")
    posts = server.requests(method="POST")
    # 258 issues → 3 pages; comments and review comments → 1 page each; the repository; and
    # GraphQL: one query for 4 pull requests' reviews, 6 for 258 items' timelines (50 a
    # query), one for the discussions
    assert len(gets) == 1 + 3 + 1 + 1
    assert [e["asked"] for e in posts] == ["reviews"] + ["timelines"] * 6 + ["discussions"]
    assert first == {"requests": 14, "not_modified": 0}
    assert all("per_page=100" in e["query"] for e in gets if e["path"].count("/") > 5)
    server.log.clear()
    code, out, _ = run(server, tmp_path, capsys)
    again = json.loads(out)["api"]
    assert code == 0 and again == {"requests": 7, "not_modified": 6}
    assert all(e["status"] == 304 and e["conditional"] for e in server.requests(method="GET"))
    # nothing changed: no reviews, no timelines; the first page of discussions shows it
    assert [e["asked"] for e in server.requests(method="POST")] == ["discussions"]


def test_a_changed_pull_request_refetches_only_its_page_and_reviews(server, tmp_path, capsys):
    run(server, tmp_path, capsys)
    repo = server.repos["acme/widgets"]
    repo.add_review(5, "maint", "CHANGES_REQUESTED", T0 + 450 * H)
    server.log.clear()
    code, _, _ = run(server, tmp_path, capsys)
    assert code == 0
    changed = [(e["method"], e["asked"]) for e in server.log if e["status"] == 200]
    # the page holding #5; its reviews and its timeline; the discussions' first page
    assert changed == [("GET", ""), ("POST", "reviews"), ("POST", "timelines"),
                       ("POST", "discussions")]  # fmt: skip


def test_secondary_rate_limit_and_5xx_bursts_are_retried(server, tmp_path, capsys):
    server.inject("/api/v3/repos/acme/widgets/issues", 403, times=1, retry_after=1)
    server.inject("/api/v3/repos/acme/widgets/pulls/comments", 502, times=3)
    code, out, err = run(server, tmp_path, capsys)
    assert code == 0, err
    statuses = [e["status"] for e in server.log]
    assert statuses.count(403) == 1 and statuses.count(502) == 3
    assert json.loads(out)["issues"]["opened"] == 3


def test_bad_token_is_one_line_and_never_printed(server, tmp_path, capsys, monkeypatch):
    secret = "ghp_not-the-right-one-0123456789"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    code, out, err = run(server, tmp_path, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "the token in $GITHUB_TOKEN was refused (401 Bad credentials)" in err
    assert secret not in err
    for path in (tmp_path / "cache").rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes()


def test_unknown_repository_is_one_line(server, tmp_path, capsys):
    args = ["acme/nope", "--api-url", server.base_url, "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "acme/nope: not found (404)" in err


def test_the_token_never_reaches_the_cache(server, tmp_path, capsys):
    run(server, tmp_path, capsys)
    files = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert files and all(TOKEN.encode() not in p.read_bytes() for p in files)


def test_an_interrupted_run_keeps_what_it_fetched(server, tmp_path):
    server.inject("/api/v3/repos/acme/widgets/issues/comments", 500, times=50)
    client = GitHubClient(TOKEN, server.base_url, tmp_path / "cache", retries=1, backoff=0.01)
    with pytest.raises(UserError, match="kept failing"):
        source.read("acme/widgets", TOKEN, client=client)
    client.close()
    server.faults.clear()
    server.log.clear()
    client = GitHubClient(TOKEN, server.base_url, tmp_path / "cache", retries=1, backoff=0.01)
    activity = source.read("acme/widgets", TOKEN, client=client)
    client.close()
    issue_pages = [e for e in server.log if e["path"].endswith("/issues")]
    assert issue_pages and all(e["status"] == 304 for e in issue_pages)
    assert len(activity.issues) == 258


def test_an_unreachable_api_is_one_line(tmp_path, capsys):
    import socket

    with socket.socket() as s:  # a loopback port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["acme/widgets", "--api-url", f"http://127.0.0.1:{port}/api/v3"]
    assert main([*args, "--cache-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cannot connect" in err and "Traceback" not in err


def test_markdown_for_a_job_summary(server, tmp_path, capsys):
    code, out, _ = run(server, tmp_path, capsys, "--format", "md")
    assert code == 0
    assert out.startswith("## Community report — github:acme/widgets")
    assert "### Issues and pull requests" in out and "| first response, median h |" in out
    assert "### Waiting on the maintainers" in out and "#6" in out


def test_an_organisation_is_its_public_repositories(server, tmp_path, capsys):
    server.add_repo("acme", "old").settings["archived"] = True
    server.add_repo("acme", "copy").settings["fork"] = True
    tools = server.add_repo("acme", "tools")
    tools.add_issue(1, "dana", datetime(2026, 2, 3, tzinfo=UTC))
    args = ["--api-url", server.base_url, "--cache-dir", str(tmp_path / "cache"),
            "--store", str(tmp_path / "s.duckdb"), "--format", "json"]  # fmt: skip
    assert main(["acme", *args]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "set"
    assert report["sources"] == ["github:acme/tools", "github:acme/widgets"]  # no fork, no archive
    assert list(report["repositories"]) == report["sources"]
    assert main(["acme", *args, "--by", "quarter"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "trends" and report["sources"] == ["github:acme/tools",
                                                                "github:acme/widgets"]  # fmt: skip
    assert main(["srcc", *args]) != 0  # a mistyped folder: one line that says how it was read
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "not a directory here" in err and "404" in err
    # offline, the same mistake still says how the name was read
    unreachable = ["--api-url", "http://127.0.0.1:9", "--store", str(tmp_path / "s.duckdb")]
    assert main(["srcc", *unreachable]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "read as a GitHub organisation, but" in err
