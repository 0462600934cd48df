"""Parity with github/issue-metrics on GitHub sources: time in draft and time in each label
from the items' timelines, and Discussions' first response and answer — in the window report
and as series under --by — read through GraphQL from a local server that speaks GitHub's
protocol, within a stated budget (unchanged items are not asked for again)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.github_server import GitHubServer
from tools.community_report.cli import main
from tools.community_report.metrics.issue_metrics import draft_hours, label_hours
from tools.community_report.records import Issue, ItemEvent

T0 = datetime(2026, 4, 1, tzinfo=UTC)
H = timedelta(hours=1)
END = datetime(2026, 7, 1, tzinfo=UTC)


def _pull(draft=False, closed=None) -> Issue:
    return Issue(3, "ana", False, "CONTRIBUTOR", "x", T0, T0, closed, True, None, draft)


def test_time_in_draft_follows_the_timeline():
    ready = ItemEvent(3, "ready_for_review", T0 + 10 * H)
    back = ItemEvent(3, "convert_to_draft", T0 + 20 * H)
    # opened as a draft (its first move is "ready"), back to draft, then closed
    assert draft_hours(_pull(closed=T0 + 26 * H), [ready, back], END) == 10 + 6
    assert draft_hours(_pull(), [], END) is None  # never a draft
    assert draft_hours(_pull(draft=True), [], T0 + 5 * H) == 5  # a draft still: to the end
    # converted after opening: from the conversion on
    moves = [ItemEvent(3, "convert_to_draft", T0 + 2 * H),
             ItemEvent(3, "ready_for_review", T0 + 3 * H)]  # fmt: skip
    assert draft_hours(_pull(), moves, END) == 1


def test_time_in_each_label_adds_every_span():
    item = Issue(1, "ana", False, "NONE", "x", T0, T0, T0 + 100 * H, False)
    events = [ItemEvent(1, "labeled", T0, "bug"), ItemEvent(1, "labeled", T0 + H, "triage"),
              ItemEvent(1, "unlabeled", T0 + 3 * H, "triage"),
              ItemEvent(1, "unlabeled", T0 + 10 * H, "bug"),
              ItemEvent(1, "labeled", T0 + 90 * H, "bug")]  # fmt: skip
    assert label_hours(item, events, END) == {"bug": 10 + 10, "triage": 2}  # to the closing


@pytest.fixture
def server():
    with GitHubServer() as s:
        repo = s.add_repo("acme", "widgets")
        repo.add_issue(1, "user1", T0, closed=T0 + 48 * H)
        repo.add_event(1, "LabeledEvent", T0 + H, "bug")
        repo.add_event(1, "UnlabeledEvent", T0 + 25 * H, "bug")
        repo.add_issue(2, "user2", T0 + 5 * H, pull=True)  # opened as a draft
        repo.add_event(2, "ReadyForReviewEvent", T0 + 15 * H)
        repo.add_issue(3, "user3", T0 + 40 * 24 * H, pull=True, closed=T0 + 41 * 24 * H)
        repo.add_event(3, "ConvertToDraftEvent", T0 + 40 * 24 * H + 2 * H)
        repo.add_discussion(1, "user1", T0 + 2 * H, comments=(
            ("helper[bot]", T0 + 2.5 * H), ("user1", T0 + 3 * H), ("maint", T0 + 5 * H)),
            answered=T0 + 7 * H)  # fmt: skip
        repo.add_discussion(2, "user2", T0 + 30 * 24 * H, category="Ideas", answerable=False)
        yield s


def _run(server, tmp_path, capsys, *extra) -> dict:
    argv = ["acme/widgets", "--api-url", server.base_url, "--cache-dir", str(tmp_path / "c"),
            "--store", str(tmp_path / "s.duckdb"), "--since", "2026-04-01", "--until",
            "2026-07-01", "--format", "json", *extra]  # fmt: skip
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_the_window_report_has_issue_metrics_figures(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    timelines = _run(server, tmp_path, capsys)["timelines"]
    draft = timelines["time_in_draft_hours"]
    # #2 opened as a draft, ready 10 h later; #3 a draft from 2 h after opening to its
    # closing a day later: 22 h
    assert draft["count"] == 2 and draft["median"] == 16 and draft["mean"] == 16
    assert timelines["time_in_label_hours"] == [
        {"label": "bug", "count": 1, "median": 24, "p90": 24, "mean": 24}
    ]
    talk = timelines["discussions"]
    assert talk["opened"] == 2 and talk["without_response"] == 1
    assert talk["first_response_hours"]["median"] == 3  # the bot and the author do not count
    assert talk["answerable"] == 1 and talk["answered"] == 1
    assert talk["time_to_answer_hours"]["median"] == 5
    # a re-run asks GraphQL once (the first page of discussions, to find nothing changed)
    before = len(server.requests(path="/api/graphql"))
    assert _run(server, tmp_path, capsys)["timelines"] == timelines
    assert len(server.requests(path="/api/graphql")) - before == 1


def test_the_series_over_time_have_them_too(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    series = _run(server, tmp_path, capsys, "--by", "month")["series"]["all"]
    april, may = series[0], series[1]
    assert april["period"] == "2026-04" and april["draft_median_hours"] == 10
    assert april["discussions_opened"] == 1 and april["discussion_response_median_hours"] == 3
    assert april["discussion_answer_median_hours"] == 5
    assert april["time_in_label_median_hours"] == {"bug": 24}
    assert may["period"] == "2026-05" and may["draft_median_hours"] == 22


def test_without_a_token_they_are_unknown_and_said_so(server, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    report = _run(server, tmp_path, capsys)
    assert report["timelines"] is None
    assert any("time in draft" in n for n in report["notes"])


def test_text_markdown_and_html_show_them(server, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    _run(server, tmp_path, capsys)
    for fmt in ("text", "md", "html"):
        argv = ["acme/widgets", "--api-url", server.base_url, "--cache-dir", str(tmp_path / "c"),
                "--store", str(tmp_path / "s.duckdb"), "--since", "2026-04-01", "--until",
                "2026-07-01", "--format", fmt]  # fmt: skip
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "Drafts, labels and discussions" in out and "time labelled bug" in out
