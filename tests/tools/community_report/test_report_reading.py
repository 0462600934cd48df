"""The report as a reader meets it: ownership that sees a one-person area by its lines, terms
defined where they appear, no change against an empty window, no local path, no API line for
git."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.records import Activity, Commit, FileChange
from tools.community_report.render import RENDERERS

W = Window(datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC))


def _commit(i, who, path, lines, when=None):
    when = when or W.since + timedelta(days=1, hours=i)
    return Commit(f"s{i}", who, who.title(), f"{who}@corp.test", when, False, False,
                  (FileChange(path, lines, 0),))  # fmt: skip


def _report(commits, source="git:/home/someone/secret-project"):
    a = Activity(source=source)
    a.commits = commits
    return build(a, W, None, now=W.until)


def test_one_person_writing_nearly_every_line_is_at_risk():
    commits = [_commit(0, "ana", "src/a.py", 7321)] + [
        _commit(i, "ana", "src/a.py", 5) for i in (1, 2)
    ]
    commits.append(_commit(3, "ben", "src/b.py", 1))
    (row,) = _report(commits)["ownership"]
    assert row["contributors"] == 2 and row["status"] == "at risk"


def test_definitions_and_double_counting_are_said_in_the_report():
    text = RENDERERS["text"](_report([_commit(i, "ana", "src/a.py", 5) for i in range(4)]))
    assert "Absence factor (bus factor): the fewest contributors" in text
    assert "Elephant factor" in text and "Onion: core contributors made the first 80%" in text
    assert "counts once in each" in text


def test_no_change_against_an_empty_previous_window():
    report = _report([_commit(0, "ana", "src/a.py", 5)])
    for fmt in ("text", "md", "html"):
        out = RENDERERS[fmt](report)
        assert "+1" not in out and "The previous window holds no activity" in out


def test_no_local_path_in_the_title_and_no_api_line_for_git():
    report = _report([_commit(0, "ana", "src/a.py", 5)])
    html = RENDERERS["html"](report)
    title = html.split("<title>")[1].split("</title>")[0]
    assert "/home/someone" not in title and "secret-project" in title
    assert "GitHub API requests" not in html
    gh = _report([_commit(0, "ana", "src/a.py", 5)], source="github:acme/widgets")
    assert "GitHub API requests: 0" in RENDERERS["html"](gh)
