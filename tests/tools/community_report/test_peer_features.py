"""What peers (git-fame, PyDriller, gitstats, GrimoireLab) give: lines per contributor,
Co-authored-by credit, hotspots, --include; and the trends agree with the report on them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.gitrepo import Repo
from tools.community_report.cli import main

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = ["--since", "2026-04-01", "--until", "2026-07-01", "--format", "json", "--no-store"]


def _json(capsys, *args) -> dict:
    code = main([*args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def _repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 1, 10), {"src/a.py": "1\n"})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 2), {"src/a.py": "1\n2\n3\n"})
    bot = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
    message = (
        "Pair work\n\nCo-authored-by: Dee Park <dee@corp.example>\n"
        "Co-authored-by: Ana Ruiz <ana@corp.example>\n"
        f"Co-authored-by: not an address\nCo-authored-by: {bot}\n"
    )
    files = {"src/a.py": "1\n", "docs/x.md": "d\n"}
    repo.commit("Ben Li", "ben@corp.example", D(2026, 4, 3), files, message=message)
    repo.commit("Ben Li", "ben@corp.example", D(2026, 5, 3), {"src/a.py": "9\n", "README": "r\n"})
    return repo


def test_co_authors_are_credited_as_contributors(tmp_path, capsys):
    report = _json(capsys, str(_repo(tmp_path).root), *WINDOW)
    c = report["contributors"]
    # Dee never authored a commit, yet is active and new; the bot and the malformed line are not
    assert c["active"] == 3 and c["new"] == 2
    assert {p["who"] for p in c["new_contributors"]} == {"ben@corp.example", "dee@corp.example"}
    assert report["commits"]["total"] == 3  # commits still count once, for their author


def test_lines_per_contributor_and_hotspots(tmp_path, capsys):
    report = _json(capsys, str(_repo(tmp_path).root), *WINDOW)
    top = {
        p["who"]: (p["commits"], p["added"], p["deleted"]) for p in report["contributors"]["top"]
    }
    assert top == {"ana@corp.example": (1, 2, 0), "ben@corp.example": (2, 3, 3)}
    hot = report["hotspots"]
    assert hot == [{"path": "src/a.py", "commits": 3, "added": 3, "deleted": 3, "authors": 2}]


def test_include_counts_only_matching_paths(tmp_path, capsys):
    report = _json(capsys, str(_repo(tmp_path).root), *WINDOW, "--include", "docs/**")
    assert [o["area"] for o in report["ownership"]] == ["docs"]
    assert any("outside --include" in n for n in report["notes"])
    assert main([str(tmp_path), "--include", "/abs", *WINDOW]) != 0
    assert "--include '/abs'" in capsys.readouterr().err


def test_trends_credit_co_authors_as_the_report_does(tmp_path, capsys):
    repo = _repo(tmp_path)
    store = ["--store", str(tmp_path / "s.duckdb")]
    trends = _json(capsys, str(repo.root), *store, "--by", "month", "--format", "json")
    april = {p["period"]: p for p in trends["series"]["all"]}["2026-04"]
    args = ["--since", "2026-04-01", "--until", "2026-05-01", "--format", "json"]
    window = _json(capsys, str(repo.root), *store, *args)
    assert april["active"] == window["contributors"]["active"] == 3
    assert april["new"] == window["contributors"]["new"] == 2
