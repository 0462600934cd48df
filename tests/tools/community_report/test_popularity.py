"""Popularity and size over time (``--by``): stars and forks gained in each period — from
GitHub's stargazer and fork lists (``starred_at``) or GH Archive's WatchEvent and ForkEvent —
and the code's files and lines at each period's end, from git."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime

from tests.github_server import GitHubServer
from tests.gitrepo import Repo
from tests.tools.community_report.gharchive_files import START, Generator, write_hours
from tools.community_report.cli import main
from tools.community_report.metrics import popularity

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731


def _series(capsys, argv) -> dict:
    assert main([*argv, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["series"]


def test_files_and_lines_at_each_months_end_from_git(tmp_path, capsys, monkeypatch):
    repo = Repo(tmp_path / "r")
    repo.commit(
        "Ana", "ana@x.example", D(2026, 1, 10), {"a.py": "1\n2\n3\n", "logo.png": b"\x89PNG\0\1"}
    )
    repo.commit("Ana", "ana@x.example", D(2026, 1, 20), {"b.py": "1\n2\n"})
    # February: a lock file (left out, as GitHub's Linguist does) and a.py shortened
    repo.commit("Ben", "ben@x.example", D(2026, 2, 5), {"uv.lock": "x\n" * 500, "a.py": "1\n"})
    repo.commit("Ben", "ben@x.example", D(2026, 3, 2), {"b.py": None})  # March: b.py removed
    store = ["--store", str(tmp_path / "s.duckdb")]
    rows = _series(capsys, [str(repo.root), *store, "--by", "month"])["all"]
    got = {r["period"]: (r["files"], r["lines"]) for r in rows}
    assert got == {"2026-01": (3, 5), "2026-02": (3, 3), "2026-03": (2, 1)}
    assert all(r["stars"] is None and r["forks"] is None for r in rows)  # git has no stars
    kept = _series(capsys, [str(repo.root), *store, "--by", "month", "--keep-generated"])["all"]
    assert {r["period"]: r["lines"] for r in kept}["2026-02"] == 503
    # a re-run counts nothing again: the store has each commit's figures
    trace = tmp_path / "trace.json"
    monkeypatch.setenv("GIT_TRACE2_EVENT", str(trace))
    assert _series(capsys, [str(repo.root), *store, "--by", "month"])["all"] == rows
    starts = [json.loads(line) for line in trace.read_text().splitlines()]
    assert not [e for e in starts if e.get("event") == "start" and "grep" in e["argv"]]


def test_stars_and_forks_from_github_lists(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    with GitHubServer() as server:
        repo = server.add_repo("acme", "widgets")
        repo.add_issue(1, "ana", D(2026, 1, 5), closed=D(2026, 3, 20))
        repo.stars = [(f"fan{k}", D(2026, 1 + k % 3, 1 + k % 28)) for k in range(130)]  # 2 pages
        repo.forks = [("ben", D(2026, 2, 14)), ("chen", D(2026, 3, 31, 23, 59))]
        argv = ["acme/widgets", "--api-url", server.base_url, "--cache-dir",
                str(tmp_path / "cache"), "--store", str(tmp_path / "s.duckdb"),
                "--by", "month"]  # fmt: skip
        rows = _series(capsys, argv)["all"]
    months = Counter(f"2026-{1 + k % 3:02d}" for k in range(130))
    assert {r["period"]: r["stars"] for r in rows} == dict(months)
    assert {r["period"]: r["forks"] for r in rows} == {"2026-01": 0, "2026-02": 1, "2026-03": 1}
    assert all(r["files"] is None for r in rows)  # no git: sizes unknown, not zero


def test_stars_and_forks_from_gh_archive(tmp_path, capsys):
    gen = Generator(["acme/a"], people=15, seed=8)
    hours = gen.events(START, 24 * 40, 2)
    paths = write_hours(tmp_path / "gha", hours, START)
    latest: dict = {}
    for e in (e for hour in hours for e in hour):
        if e["type"] in ("WatchEvent", "ForkEvent"):  # a login counts once: its latest
            latest[(e["type"], e["actor"]["login"])] = e["created_at"][:7]
    rows = _series(capsys, ["acme/a", "--gharchive", *map(str, paths), "--by", "month",
                            "--store", str(tmp_path / "s.duckdb")])["github:acme/a"]  # fmt: skip
    for kind, key in (("WatchEvent", "stars"), ("ForkEvent", "forks")):
        want = Counter(m for (k, _), m in latest.items() if k == kind)
        assert {r["period"]: r[key] for r in rows if r[key]} == dict(want)


def test_a_star_at_a_periods_very_end_counts_in_the_next():
    starts = [date(2026, 1, 1), date(2026, 4, 1)]
    got = popularity.per_period(starts, "quarter", [("star", D(2026, 3, 31, 23, 59, 59)),
                                                   ("star", D(2026, 4, 1)),
                                                   ("fork", D(2025, 12, 31))], None)  # fmt: skip
    assert got[starts[0]]["stars"] == 1 and got[starts[1]]["stars"] == 1
    assert got[starts[0]]["forks"] == 0  # before the first period: not counted anywhere
