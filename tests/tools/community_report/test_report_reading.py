"""The report as a reader meets it: ownership that sees a one-person area by its lines, terms
defined where they appear, no change against an empty window, no local path, no API line for
git."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.conftest import ROOT
from tools import identity
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


def test_the_title_is_the_projects_own_name(tmp_path):
    """A checkout with an identity.toml is titled with the name the project gives itself,
    not the folder it happens to be cloned into."""
    from tests.gitrepo import Repo
    from tools.community_report.sources import git

    repo = Repo(tmp_path / "checkout-3")
    repo.commit("Ana", "ana@corp.test", W.since + timedelta(days=1),
                {"identity.toml": (ROOT / "identity.toml").read_text()})  # fmt: skip
    activity = git.read_commits(repo.root, W.since)
    name = identity.load(ROOT).name
    for fmt in ("text", "md", "html"):
        out = RENDERERS[fmt](build(activity, W, None, now=W.until))
        assert f"Community report — {name} — " in out and "checkout-3" not in out


def test_trends_without_github_data_say_unknown_not_zero():
    from tools.community_report.metrics.trends import COLUMNS, shape

    row = ("*", datetime(2026, 4, 1).date(), *([3] * (len(COLUMNS) - 2 - 4)), *([None] * 4))
    git_only = shape([row], "quarter", ["git:/x"], [], "duckdb")["series"]["all"][0]
    assert git_only["commits"] == 3
    assert git_only["issues_opened"] is None and git_only["pull_requests_merged"] is None
    from tools.community_report.render import trends as render_trends

    text = render_trends.render_text(shape([row], "quarter", ["git:/x"], [], "duckdb"))
    assert text.splitlines()[-1].split()[6] == "—"  # the issues-opened column
    with_github = shape([row], "quarter", ["github:a/b"], [], "duckdb")["series"]["all"][0]
    assert with_github["issues_opened"] == 3


HOSTILE = "Eve\x1b]0;owned\x07\x1b[31mRed\x9b2J\u202eevil"


def test_control_sequences_in_names_are_shown_not_obeyed():
    """An author's name with an OSC title change, a colour, a one-byte CSI and a bidi
    override: every renderer shows them as escapes; JSON still parses to the same name."""
    import json

    commit = Commit("s1", "eve@corp.test", HOSTILE, "eve@corp.test", W.since + timedelta(days=1),
                    False, False, (FileChange("src/a.py", 5, 0),))  # fmt: skip
    a = Activity(source="git:/x")
    a.commits = [commit]
    a.names = {"eve@corp.test": HOSTILE}
    report = build(a, W, None, now=W.until)
    for fmt in ("text", "md", "html", "json"):
        out = RENDERERS[fmt](report)
        assert not any(ch in out for ch in "\x1b\x07\x9b\u202e"), fmt
    assert "\\x1b]0;owned" in RENDERERS["text"](report)

    def strings(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
        elif isinstance(value, str):
            yield value

    assert HOSTILE in set(strings(json.loads(RENDERERS["json"](report))))  # kept exactly


def test_published_reports_name_people_without_their_email(tmp_path, capsys):
    """The HTML report is published on the docs site: names and logins only, unless
    --show-emails; JSON keeps the addresses an analyst joins on."""
    from tests.gitrepo import Repo
    from tools.community_report.cli import main

    repo = Repo(tmp_path / "r")
    for k, (name, email) in enumerate([("Ana Ruiz", "ana.ruiz@gmail.com"),
                                       ("Ben Li", "ben@corp.example"),
                                       ("Cy", "5+cy@users.noreply.github.com")]):  # fmt: skip
        repo.commit(name, email, W.since + timedelta(days=k + 1), {f"f{k}.txt": "x\n"})
    window = ["--since", W.since.date().isoformat(), "--until", W.until.date().isoformat(),
              "--no-store"]  # fmt: skip
    for fmt in ("text", "md", "html"):
        assert main([str(repo.root), *window, "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "ana.ruiz@gmail.com" not in out and "ben@corp.example" not in out, fmt
        assert "Ana Ruiz" in out and "(individual) Ana Ruiz" in out and "cy" in out
    assert main([str(repo.root), *window, "--format", "html", "--show-emails"]) == 0
    assert "ana.ruiz@gmail.com" in capsys.readouterr().out
    assert main([str(repo.root), *window, "--format", "json"]) == 0
    assert "ana.ruiz@gmail.com" in capsys.readouterr().out
