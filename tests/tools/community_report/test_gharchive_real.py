"""GH Archive as it is now: hours with a real hour's mix of event types and whole objects in
their payloads, across the October 2025 change after which push events list no commits; and
the commits those pushes no longer carry, read from local clones (``--clone``)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from tests.gitrepo import Repo
from tests.tools.community_report.gharchive_files import (
    PUSH_FORMAT_CHANGE,
    REAL_MIX,
    Generator,
    write_hours,
)
from tools.community_report.cli import main
from tools.community_report.sources import gharchive
from tools.community_report.store import Store

BEFORE = PUSH_FORMAT_CHANGE - timedelta(hours=3)


def _real_hours(tmp_path, hours=6, per_hour=500):
    gen = Generator(["acme/a", "acme/b", "other/c"], people=40, seed=5, real=True)
    events = gen.events(BEFORE, hours, per_hour)
    return events, write_hours(tmp_path / "gha", events, BEFORE)


def test_the_real_profile_has_the_archives_mix_and_large_objects(tmp_path):
    events, _ = _real_hours(tmp_path)
    flat = [e for hour in events for e in hour]
    share = Counter(e["type"] for e in flat)
    for kind, expected in REAL_MIX.items():
        assert abs(share[kind] / len(flat) - expected) < 0.03, kind
    size = {k: [] for k in share}
    for e in flat:
        size[e["type"]].append(len(json.dumps(e, separators=(",", ":"))))
    mean = {k: sum(v) / len(v) for k, v in size.items()}
    # a pull-request event carries the whole pull request with both repositories: kilobytes
    assert mean["PullRequestEvent"] > 10 * mean["WatchEvent"] > 3_000
    pushes = [e for e in flat if e["type"] == "PushEvent"]
    old = [e for e in pushes if e["created_at"] < f"{PUSH_FORMAT_CHANGE:%Y-%m-%dT%H}"]
    assert old and all(e["payload"]["commits"] for e in old)
    assert all("commits" not in e["payload"] for e in pushes if e not in old)


def test_real_hours_are_read_whole_across_the_push_format_change(tmp_path):
    events, paths = _real_hours(tmp_path)
    flat = [e for hour in events for e in hour if e["repo"]["name"].startswith("acme/")]
    expected_commits = {(e["repo"]["name"], c["sha"]) for e in flat if e["type"] == "PushEvent"
                        for c in e["payload"].get("commits", ())}  # fmt: skip
    numbered = {(e["repo"]["name"], (e["payload"].get("issue") or e["payload"].get(
        "pull_request"))["number"]) for e in flat if e["type"] in (
        "IssuesEvent", "PullRequestEvent", "IssueCommentEvent", "PullRequestReviewEvent",
        "PullRequestReviewCommentEvent")}  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        got = gharchive.ingest(store, paths, [], ["acme"])
        assert got["malformed"] == 0
        counts = store.counts()
        assert counts["commits"] == len(expected_commits) > 0
        assert counts["items"] == len(numbered)
        first = gharchive.commits_missing_from(store)  # the first push without commits
        assert PUSH_FORMAT_CHANGE <= first < PUSH_FORMAT_CHANGE + timedelta(hours=1)


def test_clones_give_the_commits_push_events_no_longer_list(tmp_path, capsys):
    gen = Generator(["acme/a"], people=6, seed=2, real=True)
    start = datetime(2026, 1, 1, tzinfo=UTC)  # after the change: no push lists a commit
    paths = write_hours(tmp_path / "gha", gen.events(start, 4, 60), start)
    clone = Repo(tmp_path / "a")
    for k in range(5):
        clone.commit("Ana Ruiz", "ana@corp.example", start + timedelta(days=k), {"f": f"{k}\n"})
    base = ["acme/a", "--gharchive", *map(str, paths), "--by", "month", "--format", "json",
            "--store", str(tmp_path / "s.duckdb")]  # fmt: skip
    assert main(base) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["series"]["github:acme/a"][0]["commits"] is None  # unknown, not zero
    assert any("list no commits" in n for n in report["notes"])
    # named by its origin remote, the clone gives the month's five commits, and the note goes
    clone.git("remote", "add", "origin", "git@github.com:acme/a.git")
    assert main([*base, "--clone", str(clone.root)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["series"]["github:acme/a"][0]["commits"] == 5
    assert not any("list no commits" in n for n in report["notes"])
    assert main([*base, "--clone", f"acme/a={clone.root}"]) == 0
    assert json.loads(capsys.readouterr().out)["series"]["github:acme/a"][0]["commits"] == 5


def test_a_clone_that_names_no_repository_is_one_line(tmp_path, capsys):
    clone = Repo(tmp_path / "a")
    clone.commit("Ana Ruiz", "ana@corp.example", datetime(2026, 1, 1, tzinfo=UTC), {"f": "1\n"})
    _, paths = _real_hours(tmp_path, hours=1, per_hour=20)
    for argv, message in (
        (["acme", "--gharchive", str(paths[0]), "--clone", str(clone.root)],
         "no GitHub origin remote"),
        (["acme", "--clone", str(clone.root)], "--clone gives commits to repositories read"),
        (["acme", "--gharchive", str(paths[0]), "--clone", f"acme/a={tmp_path / 'none'}"],
         "no such directory"),
    ):  # fmt: skip
        assert main([*argv, "--store", str(tmp_path / "s.duckdb")]) != 0
        err = capsys.readouterr().err.strip()
        assert message in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_the_mix_tool_reads_what_hours_are_made_of(tmp_path, capsys):
    from benchmarks import gharchive_mix

    events, paths = _real_hours(tmp_path, hours=6, per_hour=300)
    flat = [e for hour in events for e in hour]
    found = gharchive_mix.mix(paths)
    assert found["events"] == len(flat)
    assert found["types"]["PushEvent"]["share"] == sum(
        e["type"] == "PushEvent" for e in flat
    ) / len(flat)
    # three hours before the change list commits, three after do not
    assert found["pushes"]["with commits"] > 0 and found["pushes"]["without commits"] > 0
    assert gharchive_mix.main([str(p) for p in paths]) == 0
    assert "| PullRequestEvent |" in capsys.readouterr().out
