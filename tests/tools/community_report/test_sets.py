"""Several repositories in one window: the whole set counts a person once across them, keeps
items of the same number in two repositories apart, and each repository's own report is the
report it has alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.gitrepo import Repo
from tools.community_report.cli import main
from tools.community_report.metrics import sets
from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.records import Activity, Comment, Issue
from tools.community_report.render import RENDERERS
from tools.community_report.sources.git import default_is_bot

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = ["--since", "2026-04-01", "--until", "2026-07-01"]


def _two_repositories(tmp_path) -> tuple[Repo, Repo]:
    one, two = Repo(tmp_path / "one"), Repo(tmp_path / "two")
    for k in range(6):
        when = D(2026, 4, 2) + timedelta(days=5 * k)
        # Ana commits to both, from her work address in one and her own in the other
        one.commit("Ana Ruiz", "ana@corp.example", when, {f"src/a{k}.py": f"{k}\n"})
        two.commit("Ana Ruiz", "ana.ruiz@gmail.com", when, {f"lib/b{k}.py": f"{k}\n"})
    one.commit("Ben Li", "ben@corp.example", D(2026, 5, 1), {"src/a0.py": "ben\n"})
    two.commit("Chen Wu", "chen@corp.example", D(2026, 5, 2), {"docs/x.md": "chen\n"})
    return one, two


def _json(capsys, argv) -> dict:
    code = main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def test_the_whole_set_counts_a_person_once_and_each_repository_as_alone(tmp_path, capsys):
    one, two = _two_repositories(tmp_path)
    store = ["--store", str(tmp_path / "s.duckdb")]
    report = _json(capsys, [str(one.root), str(two.root), *store, *WINDOW, "--format", "json"])
    assert report["kind"] == "set" and len(report["sources"]) == 2
    again = _json(capsys, [str(one.root), str(two.root), f"{one.root}/.", *store, *WINDOW,
                           "--format", "json"])  # fmt: skip
    assert again["sources"] == report["sources"]  # a repository named twice is read once
    whole, each = report["all"], report["repositories"]
    # alone, each repository has two contributors; together, three people, not four
    alone = {s: r["contributors"]["active"] for s, r in each.items()}
    assert sorted(alone.values()) == [2, 2]
    assert whole["contributors"]["active"] == 3
    assert whole["commits"]["total"] == sum(r["commits"]["total"] for r in each.values()) == 14
    assert whole["contributors"]["absence_factor"] == 1  # Ana made 12 of the 14
    assert whole["contributors"]["merged_identities"][0]["emails"] == [
        "ana.ruiz@gmail.com", "ana@corp.example"]  # fmt: skip
    # areas stay apart: each repository is an area of the whole set
    assert {o["area"] for o in whole["ownership"]} == {"one", "two"}
    # each repository's own report is the one it gets alone
    for repo in (one, two):
        single = _json(capsys, [str(repo.root), *store, *WINDOW, "--format", "json"])
        mine = each[f"git:{repo.root.resolve()}"]
        for key in ("commits", "contributors", "ownership", "hotspots", "activity"):
            assert mine[key] == single[key], key


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_format_shows_the_set_then_each_repository(tmp_path, capsys, fmt):
    one, two = _two_repositories(tmp_path)
    argv = [str(one.root), str(two.root), "--store", str(tmp_path / "s.duckdb"), *WINDOW,
            "--format", fmt]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    first = out.index("2 repositories together (one, two)")
    assert first < out.index("Community report — one") < out.index("Community report — two")
    if fmt == "html":
        assert out.count("<!doctype html>") == 1 and out.count("<svg") >= 6


def _issue(number: int, author: str, when: datetime) -> Issue:
    return Issue(number, author, False, "NONE", f"issue {number}", when, when, None, False)


def test_items_of_the_same_number_in_two_repositories_stay_two():
    t = D(2026, 5, 1)
    # #1 in web is answered after an hour; #1 in api never is, though a comment on web's #1
    # carries the same number
    web = Activity("github:acme/web", issues=[_issue(1, "dana", t)],
                   comments=[Comment(10, 1, "eve", False, t + timedelta(hours=1))])  # fmt: skip
    api = Activity("github:acme/api", issues=[_issue(1, "fay", t + timedelta(hours=2))])
    merged = sets.merge([web, api], default_is_bot, {})
    report = build(merged, Window(D(2026, 4, 1), D(2026, 7, 1)), None, now=D(2026, 7, 1))
    first = report["responsiveness"]["issues"]
    assert first["opened"] == 2 and first["never_answered"] == 1
    assert first["first_response_hours"]["median"] == 1.0
    owed = {(o["repo"], o["number"]): o["owes"] for o in report["open_items"]}
    assert owed == {("acme/web", 1): "author", ("acme/api", 1): "maintainers"}
    assert [(m["repo"], m["number"]) for m in first["missed"]] == [("acme/api", 1)]
    text = RENDERERS["text"](report)
    assert "acme/api#1" in text and "2 repositories together (acme/web, acme/api)" in text
    # alone, a repository's items carry no repository, as before
    alone = build(api, Window(D(2026, 4, 1), D(2026, 7, 1)), None, now=D(2026, 7, 1))
    assert alone["open_items"][0]["number"] == 1 and "repo" not in alone["open_items"][0]


def test_two_repositories_of_the_same_name_stay_apart():
    t = D(2026, 5, 1)
    a = Activity("git:/work/a/app", issues=[_issue(1, "dana", t)])
    b = Activity("git:/work/b/app", issues=[_issue(1, "fay", t)])
    merged = sets.merge([a, b], default_is_bot, {})
    assert sorted((i.repo, i.number) for i in merged.issues) == [("a/app", 1), ("b/app", 1)]
    twice = sets.merge([a, a], default_is_bot, {})  # the same source given twice
    assert sorted(i.repo for i in twice.issues) == ["a/app", "a/app~2"]


def test_several_sources_need_the_store(tmp_path, capsys):
    one, two = _two_repositories(tmp_path)
    assert main([str(one.root), str(two.root), "--no-store"]) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "several repositories" in err


def test_an_engine_without_series_is_one_line(tmp_path, capsys):
    one, two = _two_repositories(tmp_path)
    argv = [str(one.root), str(two.root), "--store", str(tmp_path / "s"), "--engine", "spark"]
    assert main(argv) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "add --by month" in err
