"""Every contributor, not the top ten: in JSON, as CSV for spreadsheets, and as a sortable,
searchable table in the HTML report (driven in Chromium)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from tests.browser import file_page
from tests.gitrepo import Repo
from tools.community_report.cli import main

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = ["--since", "2026-04-01", "--until", "2026-07-01", "--no-store"]
PEOPLE = 14  # more than the report's top ten


def _repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit("Old Timer", "old@corp.example", D(2025, 1, 5), {"src/old.py": "o\n"})
    for i in range(PEOPLE):
        for k in range(i + 1):  # person i makes i + 1 commits
            repo.commit(f"Person {i:02d}", f"p{i:02d}@corp.example", D(2026, 4, 2 + k),
                        {f"src/m{i}.py": f"{k}\n" * (k + 1)})  # fmt: skip
    message = "Docs\n\nCo-authored-by: Old Timer <old@corp.example>\n"
    repo.commit("=HYPERLINK(\"x\")", "evil@corp.example", D(2026, 5, 1), {"docs/a.md": "a\n"},
                message=message)  # fmt: skip
    return repo


def _run(capsys, *args) -> str:
    code = main([*args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_json_lists_every_contributor_and_every_owner(tmp_path, capsys):
    repo = _repo(tmp_path)
    report = json.loads(_run(capsys, str(repo.root), *WINDOW, "--format", "json", "--blame"))
    every = report["contributors"]["every"]
    assert len(every) == PEOPLE + 2 and len(report["contributors"]["top"]) == 10
    first = every[0]
    assert (first["who"], first["commits"], first["areas"]) == ("p13@corp.example", 14, ["src"])
    assert first["added"] == sum(range(1, 15)) and first["first_contribution"].startswith("2026")
    old = next(p for p in every if p["who"] == "old@corp.example")
    assert (old["commits"], old["co_authored"]) == (0, 1)  # credited by a trailer only
    assert old["first_contribution"].startswith("2025-01-05")
    (src,) = [o for o in report["ownership"] if o["area"] == "src"]
    assert len(src["every"]) == PEOPLE and len(src["top_by_commits"]) == 3
    (code,) = [o for o in report["code_ownership"] if o["area"] == "src"]
    assert len(code["every"]) == PEOPLE + 1  # the old file's author owns lines at HEAD too


def test_csv_is_the_contributor_table_and_neutralises_formulas(tmp_path, capsys):
    repo = _repo(tmp_path)
    text = _run(capsys, str(repo.root), *WINDOW, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == PEOPLE + 2
    assert rows[0]["who"] == "p13@corp.example" and rows[0]["commits"] == "14"  # addresses kept
    evil = next(r for r in rows if r["who"] == "evil@corp.example")
    assert evil["name"] == '\'=HYPERLINK("x")'  # a spreadsheet shows it, never runs it
    out = tmp_path / "people.csv"
    _run(capsys, str(repo.root), *WINDOW, "--output", str(out))  # the suffix picks csv
    assert out.read_text() == text


def test_csv_of_series_over_time_is_one_line(tmp_path, capsys):
    repo = _repo(tmp_path)
    code = main([str(repo.root), "--by", "month", "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "--format csv" in err


@pytest.mark.browser
def test_the_html_table_sorts_and_filters_in_chromium(tmp_path, capsys):
    repo = _repo(tmp_path)
    page_file = tmp_path / "report.html"
    _run(capsys, str(repo.root), *WINDOW, "--output", str(page_file))
    html = page_file.read_text()
    assert "@corp.example" not in html  # published: names, never addresses
    with file_page() as page:
        page.goto(page_file.as_uri())
        table = page.locator("table.sortable")
        names = lambda: table.locator("tbody tr:not([hidden]) td:first-child").all_inner_texts()  # noqa: E731
        assert len(names()) == PEOPLE + 2
        assert names()[0] == "Person 13"
        table.locator("th", has_text="Commits").click()  # ascending: the fewest first
        assert names()[0] == "Old Timer" and names()[-1] == "Person 13"  # 0 commits … 14
        table.locator("th", has_text="Commits").click()  # again: descending
        assert names()[0] == "Person 13" and names()[-1] == "Old Timer"
        table.locator("th", has_text="Name").click()  # text, in the reader's locale order
        assert names()[0] == '=HYPERLINK("x")' and names()[-1] == "Person 13"
        page.fill("input.filter", "person 0")
        assert sorted(names()) == [f"Person 0{i}" for i in range(10)]
        page.fill("input.filter", "")
        assert len(names()) == PEOPLE + 2
    assert page.errors == [] and page.refused == []
