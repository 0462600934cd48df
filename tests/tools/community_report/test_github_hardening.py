"""GitHub figures a maintainer can trust, and a client that fails safely: bots out of every
figure, every review read, anonymous runs, capped waits, a private and scoped cache."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.github_server import GitHubServer
from tests.tools.community_report.test_github_source import (
    T0,
    TOKEN,
    H,
    populate,
    run,
    server,  # noqa: F401  (the fixture)
    token_env,  # noqa: F401
)
from tools.errors import UserError
from tools.github import GitHubClient


def _report(server, tmp_path, capsys, *extra):  # noqa: F811
    code, out, err = run(server, tmp_path, capsys, *extra)
    assert code == 0, err
    return json.loads(out), err


def test_bots_are_left_out_of_every_pull_request_figure(server, tmp_path, capsys):  # noqa: F811
    before, _ = _report(server, tmp_path, capsys)
    repo = server.repos["acme/widgets"]
    for k in range(20):  # Dependabot: opened, merged within the hour, some closed unmerged
        created = T0 + (600 + k) * H
        merged = created + H if k % 4 else None
        repo.add_issue(3000 + k, "dependabot[bot]", created, pull=True, closed=created + H,
                       merged=merged)  # fmt: skip
        repo.add_review(3000 + k, "maint", "APPROVED", created + H / 2)
        repo.add_issue(4000 + k, "renovate[bot]", created)  # bots' issues, left open
    after, _ = _report(server, tmp_path, capsys)
    for part in ("issues", "pull_requests"):
        assert after[part] == before[part], part
    assert after["newcomers"] == before["newcomers"]
    assert {o["number"] for o in after["open_items"]} == {o["number"] for o in before["open_items"]}


def test_every_review_is_read_not_only_the_first_hundred(server, tmp_path, capsys):  # noqa: F811
    repo = server.repos["acme/widgets"]
    repo.add_issue(900, "user2", T0 + 10 * H, pull=True, closed=T0 + 90 * H, merged=T0 + 90 * H)
    for k in range(117):
        repo.add_review(900, "user3", "COMMENTED", T0 + (11 + k * 0.5) * H)
    repo.add_review(900, "maint", "APPROVED", T0 + 80 * H)  # review 118
    report, _ = _report(server, tmp_path, capsys)
    # merged: #3 (approved by maint), #4 (only by its author), #900 (approved by maint)
    assert report["pull_requests"]["merged"] == 3
    assert report["pull_requests"]["review_coverage"] == pytest.approx(2 / 3, abs=1e-4)
    graphql = server.requests(method="POST", path="/api/graphql", asked="reviews")
    assert len(graphql) == 2  # the batch, then the second page of #900's reviews


def test_an_anonymous_run_skips_reviews_and_says_so(server, tmp_path, capsys, monkeypatch):  # noqa: F811
    monkeypatch.delenv("GITHUB_TOKEN")
    report, err = _report(server, tmp_path, capsys)
    assert "refused" not in err
    assert server.requests(path="/api/graphql") == []
    assert report["pull_requests"]["review_coverage"] is None
    assert any("GraphQL API needs a token" in n for n in report["notes"])
    code, text, _ = run(server, tmp_path, capsys, "--format", "text")
    assert code == 0 and "GraphQL API needs a token (set $GITHUB_TOKEN)" in text


def test_anonymous_graphql_is_a_clear_line(server, tmp_path):  # noqa: F811
    client = GitHubClient(None, server.base_url)
    with pytest.raises(UserError, match=r"needs a token for this \(401") as err:
        client.graphql("query { viewer { login } }", {}, "acme/widgets")
    assert "was refused" not in str(err.value)
    client.close()


def test_a_retry_after_beyond_the_cap_is_refused_at_once(server, tmp_path):  # noqa: F811
    server.inject("/api/v3/repos/acme/widgets", 403, times=1, retry_after=100000)
    client = GitHubClient(TOKEN, server.base_url, max_rate_limit_wait=60)
    with pytest.raises(
        UserError,
        match=r"asked to wait \d+ s \(Retry-After[^)]*\), more than the allowed 60 s; nothing",
    ):
        client.get(client.url("repos/acme/widgets"), "acme/widgets")
    # refused at once: the 403 was the only request, nothing was re-sent after a wait
    assert [e["status"] for e in server.log] == [403]
    client.close()


def test_the_cache_is_private_to_its_owner(server, tmp_path, capsys):  # noqa: F811
    _report(server, tmp_path, capsys)
    folder = tmp_path / "cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_another_token_is_never_served_cached_answers(tmp_path, capsys):
    with GitHubServer(tokens=(TOKEN, "other-token")) as s:
        populate(s.add_repo("acme", "widgets"))
        os.environ["GITHUB_TOKEN"] = TOKEN
        _report(s, tmp_path, capsys)
        s.log.clear()
        os.environ["GITHUB_TOKEN"] = "other-token"
        _report(s, tmp_path, capsys)
        assert s.log and not any(e["conditional"] for e in s.log)  # nothing reused
        s.log.clear()
        del os.environ["GITHUB_TOKEN"]
        _report(s, tmp_path, capsys)  # anonymous: its own scope too
        assert s.log and not any(e["conditional"] for e in s.log)


def test_a_damaged_cache_is_rebuilt_with_one_warning(server, tmp_path, capsys):  # noqa: F811
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "github-responses.sqlite3").write_bytes(b"this is not a database" * 100)
    report, err = _report(server, tmp_path, capsys)
    assert "the cache is damaged" in err and "Traceback" not in err
    assert report["issues"]["opened"] == 3
    assert list(folder.glob("github-responses.sqlite3.damaged-*"))


def test_a_damaged_row_is_fetched_again(server, tmp_path, capsys):  # noqa: F811
    import sqlite3

    _report(server, tmp_path, capsys)
    db = sqlite3.connect(tmp_path / "cache" / "github-responses.sqlite3")
    db.execute("UPDATE responses SET body = '{broken'")
    db.execute("UPDATE documents SET body = '[[['")
    db.commit()
    db.close()
    server.log.clear()
    report, err = _report(server, tmp_path, capsys)
    assert report["issues"]["opened"] == 3 and "Traceback" not in err
    assert not any(e["conditional"] for e in server.log)  # every damaged row fetched anew


def test_graphql_5xx_bursts_are_retried_as_reads(server, tmp_path, capsys):  # noqa: F811
    server.inject("/api/graphql", 502, times=2)
    report, _ = _report(server, tmp_path, capsys)
    assert report["pull_requests"]["review_coverage"] == 0.5
    statuses = [e["status"] for e in server.requests(path="/api/graphql")]
    assert statuses[:3] == [502, 502, 200] and set(statuses[3:]) == {200}
