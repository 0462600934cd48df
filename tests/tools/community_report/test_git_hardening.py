"""community-report on histories as they really are: shallow clones, odd names, one person
under several addresses, personal mail domains, vendored code, quiet windows, odd outputs."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.gitrepo import Repo
from tools.community_report.cli import main
from tools.community_report.identities import unify
from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.sources.git import read_commits

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = Window(D(2026, 4, 1), D(2026, 7, 1))
ARGS = ["--since", "2026-04-01", "--until", "2026-07-01", "--format", "json"]


def _json(capsys, *args) -> tuple[dict, str]:
    code = main([*args, *ARGS])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out), out.err


def test_a_shallow_clone_is_reported_not_hidden(tmp_path, capsys):
    repo = Repo(tmp_path / "full")
    for k in range(11):
        repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 2 + k), {"a.txt": f"{k}\n"})
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True)  # fmt: skip
    report, err = _json(capsys, str(clone))
    assert "warning:" in err and "shallow clone" in err
    assert any("git fetch --unshallow" in n for n in report["notes"])
    assert report["commits"]["total"] == 1


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="\0\n<>"),
        min_size=1,
        max_size=30,
    ).filter(lambda s: s.strip() and s == s.strip() and not s.startswith(".")),
    path=st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="\0/\n"),
        min_size=1,
        max_size=20,
    ).filter(lambda s: s not in (".", "..", ".git") and s == s.strip()),
)
def test_any_author_name_and_file_name_round_trip(tmp_path_factory, name, path):
    root = tmp_path_factory.mktemp("odd")
    repo = Repo(root)
    try:
        repo.commit(name, "odd@corp.example", D(2026, 5, 1), {path: "x\n"})
    except subprocess.CalledProcessError:
        assume(False)  # git itself refuses it (a name of punctuation only, an ignored path)
    raw = subprocess.run(["git", "-C", str(root), "log", "-1", "-z", "--format=%aN"],
                         capture_output=True, check=True).stdout  # fmt: skip
    got = raw.rstrip(b"\0").decode("utf-8", "replace")  # what git stored (it may trim)
    activity = read_commits(root, detail_since=WINDOW.since, until=WINDOW.until)
    (commit,) = activity.commits
    assert commit.name == got
    assert [f.path for f in commit.files] == [path]


def test_names_holding_the_old_separators_do_not_break_the_parse(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    repo.commit("Ana\x1fRuiz\x1e", "ana@corp.example", D(2026, 5, 1), {"a\x1fb\x1e.txt": "x\n"})
    repo.commit("Ben Li", "ben@corp.example", D(2026, 5, 2), {"b.txt": "y\n"})
    report, _ = _json(capsys, str(repo.root))
    assert report["commits"]["total"] == 2 and report["contributors"]["active"] == 2


def test_one_person_under_several_addresses_is_one_contributor(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    # Henry began in 2021 from one address, came back in the window from two others
    repo.commit("Henry Schreiner", "henry@old-uni.example", D(2021, 3, 1), {"a.txt": "1\n"})
    repo.commit("Henry Schreiner", "henryschreineriii@gmail.com", D(2026, 4, 5), {"a.txt": "2\n"})
    repo.commit("henryiii", "5621+henryiii@users.noreply.github.com", D(2026, 4, 6),
                {"b.txt": "3\n"})  # fmt: skip
    repo.commit("Henry  SCHREINER", "5621+henryiii@users.noreply.github.com", D(2026, 4, 7),
                {"c.txt": "4\n"})  # fmt: skip
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 8), {"d.txt": "5\n"})
    report, _ = _json(capsys, str(repo.root))
    c = report["contributors"]
    assert c["total"] == 2 and c["active"] == 2
    assert [p["who"] for p in c["new_contributors"]] == ["ana@corp.example"]
    assert [p["who"] for p in c["returning_contributors"]] == ["henryiii"]
    (merged,) = c["merged_identities"]
    assert merged["who"] == "henryiii"
    assert merged["emails"] == [
        "5621+henryiii@users.noreply.github.com",
        "henry@old-uni.example",
        "henryschreineriii@gmail.com",
    ]


def test_placeholder_names_and_bots_join_nobody():
    pairs = {("Your Name", "a@x.example"): 3, ("Your Name", "b@y.example"): 2,
             ("dependabot[bot]", "1+dependabot[bot]@users.noreply.github.com"): 9,
             ("Alex", "alex@x.example"): 1, ("Alex", "alex@y.example"): 1}  # fmt: skip
    bots = {p: "[bot]" in p[0] for p in pairs}
    who, merged = unify(pairs, bots)
    assert len(set(who.values())) == 5 and merged == []


def test_personal_mail_domains_are_not_organisations_without_a_policy(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    for k, (name, email) in enumerate(
        [("A One", "a@gmail.com"), ("B Two", "b@gmail.com"), ("C Three", "c@outlook.com"),
         ("D Four", "d@corp.example"), ("E Five", "e@uni.example")]
    ):  # fmt: skip
        for j in range(2):
            repo.commit(name, email, D(2026, 4, 2 + k, j), {f"f{k}.txt": f"{j}\n"})
    report, _ = _json(capsys, str(repo.root))
    orgs = {o["name"] for o in report["contributors"]["organisations"]}
    assert "gmail.com" not in orgs and "outlook.com" not in orgs
    assert report["contributors"]["elephant_factor"] == 3


def test_vendored_and_excluded_code_is_left_out_of_ownership(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 2),
                {".gitattributes": "src/_vendor/** linguist-vendored\ngen/*.py linguist-generated=true\n"})  # fmt: skip  # noqa: E501
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 3),
                {"src/_vendor/big.py": "v\n" * 5000, "gen/out.py": "g\n" * 900,
                 "build/x.min.js": "m\n" * 700})  # fmt: skip
    repo.commit("Ben Li", "ben@corp.example", D(2026, 4, 4), {"src/app.py": "a\n" * 30})
    report, _err = _json(capsys, str(repo.root), "--exclude", "build/**")
    lines = {o["area"]: o["lines"] for o in report["ownership"]}
    assert lines.get("src") == 30 and "gen" not in lines and "build" not in lines
    assert any("3 files left out" in n for n in report["notes"])


def test_only_the_window_is_diffed(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 2, 1), {"a.txt": "1\n"})  # previous
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 5, 1), {"a.txt": "2\n"})  # window
    argv = [str(repo.root), *ARGS]
    from tools.community_report import cli

    args = cli.build_parser().parse_args(argv)
    activity, _ = cli.collect(args, cli.window_from(args, D(2026, 7, 1)), args.source[0])
    files = {c.authored_at.month: c.files for c in activity.commits}
    assert files[2] is None and [f.path for f in files[5]] == ["a.txt"]


def test_an_empty_window_says_when_the_last_commit_was(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2025, 1, 10), {"a.txt": "1\n"})
    code = main([str(repo.root), "--until", "2026-07-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert "No commits in this window; the last commit was on 2025-01-10 (537 days" in out


@pytest.fixture
def small(tmp_path):
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 5, 1), {"a.txt": "1\n"})
    return repo.root


def test_output_to_a_fifo_is_written_into_not_replaced(small, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    assert main([str(small), *ARGS, "--output", str(fifo)]) == 0
    reader.join(10)
    assert json.loads(got[0])["commits"]["total"] == 1
    assert fifo.is_fifo()


def test_output_through_a_symlink_keeps_the_link(small, tmp_path):
    target = tmp_path / "reports" / "latest.json"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    assert main([str(small), *ARGS, "--output", str(link)]) == 0
    assert link.is_symlink() and json.loads(target.read_text())["commits"]["total"] == 1


def test_output_to_a_device_is_written_into(small):
    assert main([str(small), *ARGS, "--output", "/dev/null"]) == 0
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_failed_write_leaves_no_temporary_file(small, tmp_path, capsys, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    real = os.replace

    def full_disk(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert main([str(small), *ARGS, "--output", str(out / "r.json")]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert list(out.iterdir()) == []
    monkeypatch.setattr(os, "replace", real)


def test_the_ownership_floor_keeps_tiny_areas_quiet():
    from tools.community_report.records import Activity, Commit, FileChange

    a = Activity(source="git:x")
    t = D(2026, 5, 1)
    a.commits = [
        Commit("s1", "ana", "Ana", "a@x", t, False, False, (FileChange("docs/x.md", 2, 0),))
    ]
    a.commits += [
        Commit(
            f"c{k}",
            "ana",
            "Ana",
            "a@x",
            t + timedelta(hours=k),
            False,
            False,
            (FileChange("src/x.py", 10, 0),),
        )
        for k in range(3)
    ]
    status = {o["area"]: o["status"] for o in build(a, WINDOW, None, now=WINDOW.until)["ownership"]}
    assert status == {"docs": "quiet", "src": "at risk"}


def test_an_empty_email_joins_nobody_and_names_its_author(tmp_path, capsys):
    """pip's history has authors without an address: each stays a person of their own,
    named by their name, never one "" person gathering them all."""
    pairs = {("Ana Ruiz", ""): 3, ("Ben", ""): 2, ("Ben", " "): 1, ("Cy Lee", "cy@x.example"): 1,
             ("Ana Ruiz", "ana@x.example"): 4}  # fmt: skip
    who, _ = unify(pairs, {p: False for p in pairs})
    assert who[("Ben", "")] == who[("Ben", " ")] == "Ben"
    assert who[("Ana Ruiz", "")] == who[("Ana Ruiz", "ana@x.example")] == "ana@x.example"
    assert "" not in who.values() and len(set(who.values())) == 3
    repo = Repo(tmp_path / "r")
    for k, name in enumerate(["Dee One", "Eve", "Fay"]):
        repo.commit(name, "", D(2026, 4, 2 + k, 0), {f"f{k}.txt": "x\n"})
    report, _ = _json(capsys, str(repo.root))
    assert report["contributors"]["active"] == 3


def test_a_store_run_follows_a_mailmap_edit_as_a_direct_run_does(tmp_path, capsys):
    """Commits are stored mapped by .mailmap: after an edit that joins two identities, the
    store run must give the direct run's figures (git/git lost 2 merged identities)."""
    repo = Repo(tmp_path / "r")
    people = [("Ana Ruiz", "ana@old.example"), ("Ana R", "ana@new.example"),
              ("Ben Ode", "ben@x.example")]  # fmt: skip
    for k, (name, email) in enumerate(people):
        repo.commit(name, email, D(2026, 4, 2 + k, 0), {f"f{k}.txt": "x\n"})
    store = tmp_path / "store.duckdb"

    def active(*extra) -> int:
        report, _ = _json(capsys, str(repo.root), *extra)
        return report["contributors"]["active"]

    assert active("--store", str(store)) == active("--no-store") == 3
    (repo.root / ".mailmap").write_text(
        "Ana Ruiz <ana@new.example> Ana R <ana@new.example>\n"
        "Ana Ruiz <ana@new.example> <ana@old.example>\n"
    )
    assert active("--no-store") == 2
    assert active("--store", str(store)) == 2  # re-read: the mapping changed
