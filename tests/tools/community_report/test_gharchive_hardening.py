"""GH Archive as the second audit found it: payloads with wrong types, the push format of
October 2025 on, and files known by their content rather than their name."""

from __future__ import annotations

import gzip
import json

import pytest

from tests.tools.community_report.gharchive_files import START, Generator, write_hours
from tools.community_report.cli import main
from tools.community_report.sources import gharchive
from tools.community_report.store import Store


def _hours(tmp_path, hours=3, per_hour=40, seed=3):
    gen = Generator(["acme/a"], people=5, seed=seed)
    return gen.events(START, hours, per_hour)


def _rewrite(path, hour):
    path.write_bytes(gzip.compress("".join(json.dumps(e) + "\n" for e in hour).encode()))


@pytest.mark.parametrize("scope", [(["acme/a"], []), ([], [])])
def test_events_with_wrong_types_are_skipped_counted_and_named(tmp_path, scope):
    hours = _hours(tmp_path)
    broken = next(e for e in hours[1] if e["type"] == "IssueCommentEvent")
    broken["payload"]["issue"]["number"] = "seven"
    line = hours[1].index(broken) + 1
    paths = write_hours(tmp_path / "gha", hours, START)
    with Store(tmp_path / "s.duckdb") as store:
        got = gharchive.ingest(store, paths, *scope)
        assert got["malformed"] == 1
        assert got["malformed_examples"] == [
            f"{paths[1]} line {line}: IssueCommentEvent {broken['id']}: the issue number is "
            "missing or not of its type"
        ]
        assert got["events"] == sum(e["type"] in gharchive.USED for hour in hours for e in hour) - 1
        assert store.counts()["comments"] > 0  # the others are stored


def test_the_cli_warns_in_lines_and_exits_0(tmp_path, capsys):
    hours = _hours(tmp_path)
    next(e for e in hours[0] if e["type"] == "IssuesEvent")["payload"]["issue"]["number"] = "x"
    paths = write_hours(tmp_path / "gha", hours, START)
    code = main(["acme/a", "--gharchive", *map(str, paths), "--store", str(tmp_path / "s"),
                 "--by", "month"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0 and "Traceback" not in err
    assert f"warning: --gharchive {paths[0]} line " in err
    assert "1 malformed events skipped in all" in err


def _new_format(hour):
    """GitHub's PushEvent payload since 2025-10: no commits, no size."""
    for e in hour:
        if e["type"] == "PushEvent":
            p = e["payload"]
            e["payload"] = {k: p[k] for k in ("repository_id", "push_id", "ref", "head", "before")}
    return hour


def test_pushes_without_commits_are_said_never_a_silent_zero(tmp_path, capsys):
    gen = Generator(["acme/a"], people=5, seed=4)
    old = gen.events(START, 2, 60)
    later = START.replace(month=START.month + 2)
    new = [_new_format(h) for h in gen.events(later, 2, 60)]
    paths = write_hours(tmp_path / "old", old, START) + write_hours(tmp_path / "new", new, later)
    with Store(tmp_path / "s.duckdb") as store:
        got = gharchive.ingest(store, paths, ["acme/a"], [])
        assert got["pushes_without_commits"] == sum(
            e["type"] == "PushEvent" for h in new for e in h
        )
        assert gharchive.commits_missing_from(store).strftime("%Y-%m-%d") == later.strftime(
            "%Y-%m-%d"
        )
    code = main(["acme/a", "--gharchive", *map(str, paths), "--store", str(tmp_path / "s.duckdb"),
                 "--by", "month", "--format", "json"])  # fmt: skip
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    series = {p["period"]: p for p in report["series"]["all"]}
    assert series[START.strftime("%Y-%m")]["commits"] > 0
    assert series[later.strftime("%Y-%m")]["commits"] is None  # unknown, not 0
    assert any("list no commits from" in n and "from git" in n for n in report["notes"])


def test_a_file_replaced_by_one_of_the_same_name_is_read_again_and_said(tmp_path, capsys):
    hours = _hours(tmp_path, hours=2)
    paths = write_hours(tmp_path / "gha", hours, START)
    good = paths[1].read_bytes()
    paths[1].write_bytes(gzip.compress(b""))  # an empty download of that hour
    with Store(tmp_path / "s.duckdb") as store:
        first = gharchive.ingest(store, paths, ["acme/a"], [])
        paths[1].write_bytes(good)  # fetched again, whole
        again = gharchive.ingest(store, paths, ["acme/a"], [])
        assert again["files"] == 1 and again["skipped_files"] == 1
        assert again["changed_files"] == [paths[1].name]
        assert again["events"] > 0 and first["events"] < first["events"] + again["events"]
        assert gharchive.ingest(store, paths, ["acme/a"], [])["files"] == 0  # same content now
    code = main(["acme/a", "--gharchive", *map(str, paths), "--store", str(tmp_path / "s.duckdb"),
                 "--by", "month"])  # fmt: skip
    assert code == 0 and "already read" in capsys.readouterr().err
