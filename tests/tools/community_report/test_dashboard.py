"""``--dashboard DIR``: a static site from the store, driven in the system's Chromium from
``file://`` with every other request refused (no CDN can be reached): the charts render with
the series' figures, the repository filter changes them, the contributor table sorts and
filters, and the page logs no error."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser import file_page
from tests.gitrepo import Repo
from tools.community_report.cli import main

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731


def _two_repositories(tmp_path) -> tuple[Repo, Repo]:
    one, two = Repo(tmp_path / "one"), Repo(tmp_path / "two")
    for k in range(24):  # one: Ana and Ben from January; two: Chen alone, from March
        name, email = [("Ana Ruiz", "ana@corp.example"), ("Ben Li", "ben@corp.example")][k % 2]
        when = D(2026, 1, 3) + timedelta(days=5 * k)
        one.commit(name, email, when, {f"src/f{k % 3}.py": f"{k}\n" * k})
    for k in range(9):
        two.commit("Chen Wu", "chen@corp.example", D(2026, 3, 2) + timedelta(days=6 * k),
                   {"lib.py": f"{k}\n"})  # fmt: skip
    return one, two


def test_the_dashboard_in_chromium(tmp_path, capsys):
    pytest.importorskip("plotly")
    one, two = _two_repositories(tmp_path)
    site = tmp_path / "site"
    store = ["--store", str(tmp_path / "s.duckdb")]
    window = ["--since", "2026-03-01", "--until", "2026-05-01"]
    argv = [str(one.root), str(two.root), *store, *window]
    assert main([*argv, "--dashboard", str(site)]) == 0
    assert "wrote the dashboard" in capsys.readouterr().err
    assert main([*argv, "--by", "month", "--format", "json"]) == 0  # the same series, as JSON
    series = json.loads(capsys.readouterr().out)["series"]
    assert "@corp.example" not in (site / "data.js").read_text()  # published: no addresses
    with file_page() as page:
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("#chart-commits .main-svg")  # drawn by Plotly.js

        def plotted(key: str) -> list:
            return page.evaluate(f"document.getElementById('chart-{key}').data[0].y")

        assert plotted("commits") == [r["commits"] for r in series["all"]]
        assert plotted("lines") == [r["lines"] for r in series["all"]]
        shown = page.locator(".charts figure:not([hidden])")
        # every figure a git source has (activity, sizes), each drawn; GitHub's hidden
        assert shown.count() == 7
        assert all(f.locator(".main-svg").count() > 0 for f in shown.all())
        # the repository filter: the second repository's own series
        key = next(k for k in series if k.endswith("/two"))
        page.select_option("#scope", key)
        assert plotted("commits") == [r["commits"] for r in series[key]]

        def names() -> list[str]:
            return page.locator("#people tbody tr:not([hidden]) td:first-child").all_inner_texts()

        assert names() == ["Chen Wu"]
        page.select_option("#scope", "all")
        assert sorted(names()) == ["Ana Ruiz", "Ben Li", "Chen Wu"]
        assert names()[0] == "Chen Wu"  # the most commits first: 9 in the window, 6 each
        page.locator("#people th", has_text="Commits").click()  # again: the fewest first
        assert names()[-1] == "Chen Wu"
        page.locator("#people th", has_text="Name").click()
        assert names() == ["Ana Ruiz", "Ben Li", "Chen Wu"]
        page.fill("#filter", "li")
        assert names() == ["Ben Li"]
        assert page.locator("#headline dt", has_text="Commits").count() == 1
    assert page.errors == [] and page.refused == []


def test_dashboard_without_its_extra_or_with_no_store_is_one_line(tmp_path, capsys, monkeypatch):
    one, _ = _two_repositories(tmp_path)
    assert main([str(one.root), "--no-store", "--dashboard", str(tmp_path / "d")]) != 0
    assert "--no-store" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main([str(one.root), "--store", str(tmp_path / "s.duckdb"), "--dashboard",
                 str(tmp_path / "file")]) != 0  # fmt: skip
    assert "not a folder" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "plotly", None)  # as without the dashboard extra
    assert main([str(one.root), "--store", str(tmp_path / "s.duckdb"), "--dashboard",
                 str(tmp_path / "d")]) != 0  # fmt: skip
    err = capsys.readouterr().err
    assert "dashboard extra" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert not (tmp_path / "d").exists()  # nothing read, nothing written
