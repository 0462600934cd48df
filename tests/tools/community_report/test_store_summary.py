"""One window's report reads the commits before the previous window only as a summary, one
row a (name, email): the store computes it in SQL, a run without the store in Python, and the
report is the one built from every commit. The history here has what could tell them apart:
merges, a bot, a .mailmap joining two addresses, an old Co-authored-by trailer, someone who
left, someone who came back after a long silence, someone whose only old commits are merges."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.gitrepo import Repo
from tools.community_report.cli import main
from tools.community_report.metrics import sets
from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.sources.git import default_is_bot, raw_log, read_commits, summarise
from tools.community_report.store import Store

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = Window(D(2026, 6, 1), D(2026, 9, 1))  # the previous window starts 2026-03-02
NOW = D(2026, 9, 1)


def _history(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    (repo.root / ".mailmap").write_text("Ana Ruiz <ana@corp.example> <ana@old.example>\n")
    repo.commit("Ana Ruiz", "ana@old.example", D(2023, 1, 5), {})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2023, 2, 1), {"a.py": "1\n"})
    repo.commit("Gone Person", "gone@corp.example", D(2023, 3, 1), {"b.py": "1\n"})
    repo.commit("Gone Person", "gone@corp.example", D(2024, 3, 1), {"b.py": "2\n"})
    repo.commit("dependabot[bot]", "bot@example.com", D(2024, 4, 1), {"c.lock": "x\n"})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2024, 5, 1), {"a.py": "2\n"},
                "pair\n\nCo-authored-by: Dee Kay <dee@corp.example>")  # fmt: skip
    repo.commit("Back Again", "back@corp.example", D(2024, 6, 1), {"d.py": "1\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2024, 7, 1), {"e.py": "1\n"})
    repo.git("checkout", "-q", "main")
    repo.merge("side", "Mer Ger", "merger@corp.example", D(2024, 7, 2))
    for k in range(6):  # the previous window and this one: one commit a month
        repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 3, 15) + timedelta(days=30 * k),
                    {"a.py": f"{k}\n"})  # fmt: skip
    repo.commit("Dee Kay", "dee@corp.example", D(2026, 7, 1), {"f.py": "1\n"})
    repo.commit("Back Again", "back@corp.example", D(2026, 7, 2), {"d.py": "2\n"})
    repo.commit("Mer Ger", "merger@corp.example", D(2026, 7, 3), {"g.py": "1\n"})
    repo.commit("New Comer", "new@gmail.com", D(2026, 8, 1), {"h.py": "1\n"})
    return repo


def _records(repo: Repo, store=None, summarised: bool = True):
    return read_commits(repo.root, detail_since=WINDOW.since, until=WINDOW.until, store=store,
                        summary_before=WINDOW.previous().since if summarised else None)  # fmt: skip


def test_the_summary_gives_the_report_of_every_commit(tmp_path):
    repo = _history(tmp_path)
    whole = _records(repo, summarised=False)
    brief = _records(repo)
    with Store(tmp_path / "s.duckdb") as store:
        stored = _records(repo, store)
    # only the commits of the two windows and the one with a trailer are read one by one
    assert len(whole.commits) == 19
    assert len(brief.commits) == len(stored.commits) == 11
    assert brief.earlier == stored.earlier
    assert {e.author: e.commits for e in brief.earlier} == {
        "ana@corp.example": 3, "gone@corp.example": 2, "bot@example.com": 1,
        "back@corp.example": 1, "merger@corp.example": 0,
    }  # fmt: skip
    report = build(whole, WINDOW, now=NOW)
    assert build(brief, WINDOW, now=NOW) == report == build(stored, WINDOW, now=NOW)
    people = report["contributors"]
    assert report["commits"]["all_time"] == 17  # merges and the bot's commit not counted
    # Dee's first contribution is the old trailer: back after two years, not new; a merge is
    # no contribution, so Mer Ger is new
    assert [p["who"] for p in people["returning_contributors"]] == [
        "back@corp.example", "dee@corp.example"]  # fmt: skip
    assert [p["who"] for p in people["new_contributors"]] == [
        "merger@corp.example", "new@gmail.com"]  # fmt: skip
    rows = {r["who"]: r for r in people["every"]}
    assert rows["merger@corp.example"]["first_contribution"] == "2026-07-03T00:00:00+00:00"
    assert rows["ana@corp.example"]["first_contribution"] == "2023-01-05T00:00:00+00:00"


def test_the_store_and_git_summarise_alike_and_the_cli_reports_alike(tmp_path, capsys):
    repo = _history(tmp_path)
    before = int(WINDOW.previous().since.timestamp())
    kept, earlier = summarise(raw_log(repo.root), before)
    with Store(tmp_path / "s.duckdb") as store:
        _records(repo, store)
        key = f"git:{repo.root.resolve()}"
        assert store.earlier_commits(key, before) == earlier
        assert [r[0] for r in store.raw_commits(key, before)] == [r[0] for r in kept]
    window = ["--since", WINDOW.since.isoformat(), "--until", WINDOW.until.isoformat(),
              "--format", "json"]  # fmt: skip
    reports = []
    for flags in (["--no-store"], ["--store", str(tmp_path / "s.duckdb")]):
        assert main([str(repo.root), *window, *flags]) == 0
        report = json.loads(capsys.readouterr().out)
        report.pop("generated_at")
        reports.append(report)
    assert reports[0] == reports[1]
    assert reports[0]["commits"]["all_time"] == 17


def test_with_nothing_in_the_window_the_last_commit_is_found_in_the_summary(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2020, 1, 1), {"a.py": "1\n"})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2021, 5, 1), {"a.py": "2\n"})
    report = build(_records(repo), WINDOW, now=NOW)
    assert report["commits"]["last_commit_at"] == "2021-05-01T00:00:00+00:00"
    assert report["commits"]["all_time"] == 2
    assert report["contributors"]["inactive"] == 1


def test_a_set_joins_the_summaries_of_its_repositories(tmp_path):
    one = _history(tmp_path)
    other = Repo(tmp_path / "other")  # Ana under her GitHub address, earlier than anywhere
    other.commit("Ana Ruiz", "ana.ruiz@users.noreply.github.com", D(2022, 6, 1), {"x": "1\n"})
    other.commit("Gone Person", "gone@corp.example", D(2025, 1, 1), {"x": "2\n"})
    other.commit("Ana Ruiz", "ana@corp.example", D(2026, 8, 2), {"x": "3\n"})
    whole = sets.merge([_records(r, summarised=False) for r in (one, other)], default_is_bot, {})
    brief = sets.merge([_records(r) for r in (one, other)], default_is_bot, {})
    assert len(brief.commits) < len(whole.commits)
    report = build(whole, WINDOW, now=NOW)
    assert build(brief, WINDOW, now=NOW) == report
    rows = {r["who"]: r for r in report["contributors"]["every"]}
    assert rows["ana.ruiz"]["first_contribution"] == "2022-06-01T00:00:00+00:00"
