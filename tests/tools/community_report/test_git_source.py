from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.gitrepo import Repo
from tools.community_report.cli import main
from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.sources.git import read_commits
from tools.errors import UserError
from tools.policy.model import Policy

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = Window(D(2026, 4, 1), D(2026, 7, 1))  # April to June


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A small project: four people, a .mailmap, a merge, a bot, a rename, old history."""
    repo = Repo(tmp_path_factory.mktemp("project"))
    # Old history (before the window and before the previous window)
    repo.commit("Old Timer", "old@corp.example", D(2025, 1, 10), {"src/core.py": "a\n"})
    # Previous window (Jan–Mar 2026)
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 2, 1), {"src/core.py": "a\nb\n"})
    # Window: Ana (two emails, joined by .mailmap), Ben (gmail), Cy (new), a bot
    repo.commit("Ana R", "ana.personal@gmail.com", D(2026, 4, 2, 9), {"docs/a.md": "x\n"})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 3, 10), {"src/core.py": "a\nb\nc\n"})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 4, 11), {"src/util.py": "u\n" * 10})
    repo.commit("Ben Li", "ben@gmail.com", D(2026, 5, 1, 12), {"docs/a.md": "x\ny\n"})
    repo.commit(
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
        D(2026, 5, 2),
        {"requirements.txt": "x==1\n"},
    )
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit(
        "Cy Park", "1234+cypark@users.noreply.github.com", D(2026, 5, 10), {"src/new.py": "n\n"}
    )
    repo.git("checkout", "-q", "main")
    repo.merge("feature", "Ana Ruiz", "ana@corp.example", D(2026, 5, 11))
    repo.rename("src/util.py", "src/helpers.py", "Ben Li", "ben@gmail.com", D(2026, 5, 20))
    repo.commit("Ben Li", "ben@gmail.com", D(2026, 6, 1), {"logo.png": b"\x89PNG\x00\x01"})
    # After the window: must not count
    repo.commit("Dee Late", "dee@late.example", D(2026, 7, 5), {"src/core.py": "z\n"})
    # git drops a trailing "." from names, so map by email alone
    (repo.root / ".mailmap").write_text("Ana Ruiz <ana@corp.example> <ana.personal@gmail.com>\n")
    return repo.root


POLICY = Policy.model_validate(
    {
        "version": 1,
        "people": [
            {"login": "cypark", "name": "Cy Park", "roles": ["reviewer"], "areas": ["code"],
             "affiliation": "Acme", "since": "2026-01-01"},
            {"login": "old-timer", "name": "Old Timer", "roles": ["maintainer"], "areas": ["code"],
             "emails": ["old@corp.example"], "since": "2020-01-01"},
        ],
        "areas": {"code": {"description": "code", "paths": ["src/**"]},
                  "docs": {"description": "docs", "paths": ["docs/**"]}},
        "public_email_domains": ["gmail.com", "users.noreply.github.com"],
    }
)  # fmt: skip


def test_mailmap_bots_merges_and_the_window(history):
    activity = read_commits(history, detail_since=WINDOW.previous().since, until=WINDOW.until)
    assert len(activity.commits) == 12
    by_sha = {c.sha: c for c in activity.commits}
    assert sum(c.is_merge for c in by_sha.values()) == 1
    bots = [c for c in activity.commits if c.is_bot]
    assert [c.author for c in bots] == ["dependabot[bot]"]
    ana = {c.author for c in activity.commits if c.name == "Ana Ruiz"}
    assert ana == {"ana@corp.example"}  # both of Ana's emails map to one identity
    assert {c.author for c in activity.commits if c.name == "Cy Park"} == {"cypark"}
    # file statistics only where asked: none before the previous window, none after
    assert all(c.files is None for c in activity.commits if c.authored_at < WINDOW.previous().since)
    assert all(c.files is None for c in activity.commits if c.authored_at >= WINDOW.until)


def test_renames_and_binary_files(history):
    activity = read_commits(history, detail_since=WINDOW.since, until=WINDOW.until)
    rename = next(c for c in activity.commits if c.authored_at == D(2026, 5, 20))
    assert [(f.path, f.added, f.deleted) for f in rename.files] == [("src/helpers.py", 0, 0)]
    binary = next(c for c in activity.commits if c.authored_at == D(2026, 6, 1))
    assert [(f.path, f.added, f.deleted) for f in binary.files] == [("logo.png", None, None)]


def test_report_figures(history):
    activity = read_commits(history, detail_since=WINDOW.previous().since, until=WINDOW.until)
    report = build(activity, WINDOW, POLICY, inactive_days=180, now=WINDOW.until)
    k, c = report["commits"], report["contributors"]
    # window: Ana 3 (one via .mailmap), Ben 3 (docs, rename, logo), Cy 1; the merge and the
    # bot are left out and counted apart
    assert (k["total"], k["merges"], k["bots"], k["previous"]) == (7, 1, 1, 1)
    assert c["active"] == 3 and c["new"] == 2  # Ben and Cy; Ana started in February
    assert {p["who"] for p in c["new_contributors"]} == {"ben@gmail.com", "cypark"}
    # 3 + 3 + 1 = 7 commits: two people make more than half
    assert c["absence_factor"] == 2
    # organisations: corp.example (Ana, 3), Ben is his own (gmail), Cy is Acme (policy)
    orgs = {o["name"]: o["commits"] for o in c["organisations"]}
    assert orgs == {"corp.example": 3, "(individual) ben@gmail.com": 3, "Acme": 1}
    assert c["elephant_factor"] == 2
    # Old Timer's last commit was in January 2025: inactive, and an emeritus candidate
    assert c["inactive"] == 1
    assert [e["login"] for e in c["emeritus_candidates"]] == ["old-timer"]
    assert c["bot_identities"] == ["dependabot[bot]"]
    assert report["previous_window"] == {
        "since": "2025-12-31T00:00:00+00:00",
        "until": "2026-04-01T00:00:00+00:00",
        "days": 91.0,
    }


def test_ownership_by_area(history):
    activity = read_commits(history, detail_since=WINDOW.since, until=WINDOW.until)
    report = build(activity, WINDOW, POLICY, now=WINDOW.until)
    areas = {o["area"]: o for o in report["ownership"]}
    assert areas["code"]["commits"] == 4  # Ana ×2, Cy's new.py, Ben's rename
    assert areas["code"]["top_by_lines"][0] == {
        "who": "ana@corp.example",
        "name": "Ana Ruiz",
        "lines": 11,
    }
    assert areas["docs"]["contributors"] == 2 and areas["docs"]["status"] == "quiet"
    # one person, but one small commit: too little to call it at risk
    assert areas["(no area)"]["contributors"] == 1 and areas["(no area)"]["status"] == "quiet"


def test_top_level_directories_without_a_policy(history):
    activity = read_commits(history, detail_since=WINDOW.since, until=WINDOW.until)
    report = build(activity, WINDOW, None, now=WINDOW.until)
    assert {o["area"] for o in report["ownership"]} == {"src", "docs", "(top level)"}


def test_activity_by_week_and_hour(history):
    activity = read_commits(history, detail_since=WINDOW.since, until=WINDOW.until)
    report = build(activity, WINDOW, POLICY, now=WINDOW.until)
    weeks = report["activity"]["by_week"]
    assert weeks[0]["week"] == "2026-03-30" and sum(w["count"] for w in weeks) == 7
    grid = report["activity"]["weekday_hour_utc"]
    assert grid[3][9] == 1  # Thursday 2 April 2026, 09:00 UTC


def test_cli_json_and_html(history, tmp_path, capsys):
    out = tmp_path / "r.json"
    args = [str(history), "--since", "2026-04-01", "--until", "2026-07-01", "--output", str(out)]
    assert main(args) == 0
    data = json.loads(out.read_text())
    for key in ("schema_version", "source", "window", "commits", "contributors", "issues",
                "pull_requests", "responsiveness", "api"):  # fmt: skip
        assert key in data
    assert data["window"] == {
        "since": "2026-04-01T00:00:00+00:00",
        "until": "2026-07-01T00:00:00+00:00",
        "days": 91.0,
    }
    assert data["contributors"]["absence_factor"] == 2  # the repository has no policy
    page = tmp_path / "r.html"
    assert (
        main(
            [str(history), "--since", "2026-04-01", "--until", "2026-07-01", "--output", str(page)]
        )
        == 0
    )
    html = page.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html and "Ownership" in html
    # self-contained: one inline script (the contributor table's sorting), nothing fetched
    assert html.count("<script") == 1 and "<script>" in html and " src=" not in html
    assert "http" not in html.split("<body>")[1].split("Generated")[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since 'yesterday': not a date or timestamp"),
        (["--since", "2026-05-01", "--until", "2026-04-01"], "is not before --until"),
        (["--inactive-days", "0"], "--inactive-days 0: give a number of days from 1 to"),
        (["--inactive-days", "999999999999"], "give a number of days from 1 to 36,500"),
        (["--until", "0001-01-02"], "--until '0001-01-02': outside 1970–2200"),
        (["--until", "9999-12-31"], "--until '9999-12-31': outside 1970–2200"),
        (["--since", "0001-01-01", "--until", "2026-01-01"], "--since '0001-01-01': outside"),
        (["--exclude", "/etc/*"], "--exclude '/etc/*': give a glob relative to the"),
    ],
)
def test_bad_arguments_are_one_clear_line(history, capsys, args, message):
    assert main([str(history), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_not_a_repository(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "not a git repository" in capsys.readouterr().err
    with pytest.raises(UserError, match="no such directory"):
        read_commits(tmp_path / "missing")


def test_empty_repository(tmp_path, capsys):
    Repo(tmp_path / "empty")
    assert main([str(tmp_path / "empty")]) == 2
    assert "has no commits yet" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_is_one_line(history, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main([str(history), "--output", str(blocker / "report.html")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: {blocker}")
