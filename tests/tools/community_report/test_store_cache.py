"""The store keeps what the costly git passes compute — each commit's file statistics and the
blame of each file — so that a re-run asks git only for what is new, and reports what a run
without the store reports. Which git processes a run starts is read from git's own trace
(GIT_TRACE2_EVENT), not guessed from timings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.gitrepo import Repo
from tools.community_report.cli import main
from tools.community_report.store import SCHEMA_VERSION, TABLES, Store

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
PEOPLE = [("Ana Ruiz", "ana@corp.example"), ("Ben Li", "ben@corp.example"),
          ("Chen Wu", "chen@gmail.com")]  # fmt: skip


def _history(repo: Repo, start: datetime, count: int, offset: int = 0) -> None:
    for k in range(count):
        name, email = PEOPLE[(k + offset) % len(PEOPLE)]
        body = "".join(f"line {j} of {k + offset}\n" for j in range(k % 3 + 1))
        files = {f"src/f{(k + offset) % 5}.py": body, "README.md": f"v{k + offset}\n"}
        repo.commit(name, email, start + timedelta(days=2 * k), files)


def _report(capsys, *args) -> dict:
    code = main([*args, "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    report = json.loads(out.out)
    report.pop("generated_at")
    return report


class Trace:
    """The git processes a run starts, as git's trace2 records them."""

    def __init__(self, tmp_path, monkeypatch):
        self.path = tmp_path / "trace.json"
        monkeypatch.setenv("GIT_TRACE2_EVENT", str(self.path))

    def argvs(self) -> list[list[str]]:
        if not self.path.exists():
            return []
        events = [json.loads(line) for line in self.path.read_text().splitlines()]
        self.path.unlink()
        return [e["argv"] for e in events if e.get("event") == "start"]

    def count(self, argvs, word: str) -> int:
        return sum(word in argv for argv in argvs)


@pytest.fixture
def trace(tmp_path, monkeypatch):
    return Trace(tmp_path, monkeypatch)


def test_a_rerun_diffs_and_blames_only_what_is_new(tmp_path, capsys, trace):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 3, 1), 30)
    store = str(tmp_path / "s.duckdb")
    window = ["--since", "2026-03-01", "--until", "2026-07-01", "--blame"]
    first = _report(capsys, str(repo.root), "--store", store, *window)
    argvs = trace.argvs()
    assert trace.count(argvs, "--numstat") >= 1 and trace.count(argvs, "blame") == 6
    assert first == _report(capsys, str(repo.root), "--no-store", *window)
    trace.argvs()

    # nothing new: no commit is diffed again, no file blamed again
    assert _report(capsys, str(repo.root), "--store", store, *window) == first
    argvs = trace.argvs()
    assert trace.count(argvs, "blame") == 0
    assert not [a for a in argvs if "log" in a and "--numstat" in a]

    # one new commit touching one file: that commit diffed, that file blamed
    repo.commit("Ben Li", "ben@corp.example", D(2026, 5, 1), {"src/f1.py": "new\n"})
    again = _report(capsys, str(repo.root), "--store", store, *window)
    argvs = trace.argvs()
    assert trace.count(argvs, "blame") == 1
    assert [argv[-1] for argv in argvs if "blame" in argv] == ["src/f1.py"]
    with Store(store, read_only=True) as s:
        assert s.con.execute("SELECT count(*) FROM diffed").fetchone()[0] == 31
    assert again == _report(capsys, str(repo.root), "--no-store", *window)


def test_a_moved_window_diffs_only_the_commits_it_had_not_seen(tmp_path, capsys, trace):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 1, 1), 60)  # every other day to the end of March
    store = str(tmp_path / "s.duckdb")
    _report(capsys, str(repo.root), "--store", store, "--since", "2026-01-01",
            "--until", "2026-02-01")  # fmt: skip
    with Store(store, read_only=True) as s:
        assert s.con.execute("SELECT count(*) FROM diffed").fetchone()[0] == 16
    trace.argvs()
    later = ["--since", "2026-01-15", "--until", "2026-03-01"]
    assert _report(capsys, str(repo.root), "--store", store, *later) == _report(
        capsys, str(repo.root), "--no-store", *later
    )
    with Store(store, read_only=True) as s:  # Jan 1-31 and Feb: 16 + 14 diffed, none twice
        assert s.con.execute("SELECT count(*) FROM diffed").fetchone()[0] == 30


def test_blame_options_and_rewritten_history_are_blamed_afresh(tmp_path, capsys, trace):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 3, 1), 12)
    store = str(tmp_path / "s.duckdb")
    window = ["--since", "2026-03-01", "--until", "2026-07-01", "--blame"]
    _report(capsys, str(repo.root), "--store", store, *window)
    trace.argvs()
    # another option is another blame: all of it again, with git's figures for that option
    wide = [*window, "--blame-whitespace"]
    stored = _report(capsys, str(repo.root), "--store", store, *wide)
    assert trace.count(trace.argvs(), "blame") == 6
    assert stored == _report(capsys, str(repo.root), "--no-store", *wide)
    # a force-push: the stored blame was of commits that are gone; blamed afresh
    repo.git("reset", "-q", "--hard", "HEAD~4")
    _history(repo, D(2026, 5, 1), 2, offset=2)
    trace.argvs()
    rerun = _report(capsys, str(repo.root), "--store", store, *window)
    assert trace.count(trace.argvs(), "blame") == 6
    assert rerun == _report(capsys, str(repo.root), "--no-store", *window)
    # an ignore-revs file that appears changes what blame means: blamed afresh
    (repo.root / ".git-blame-ignore-revs").write_text(repo.git("rev-parse", "HEAD"))
    assert _report(capsys, str(repo.root), "--store", store, *window) == _report(
        capsys, str(repo.root), "--no-store", *window
    )


def test_excluded_files_come_back_from_the_store_when_included_again(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 3, 1), 10)
    store = str(tmp_path / "s.duckdb")
    window = ["--since", "2026-03-01", "--until", "2026-07-01", "--blame"]
    narrow = [*window, "--exclude", "src/**"]
    assert _report(capsys, str(repo.root), "--store", store, *narrow) == _report(
        capsys, str(repo.root), "--no-store", *narrow
    )
    assert _report(capsys, str(repo.root), "--store", store, *window) == _report(
        capsys, str(repo.root), "--no-store", *window
    )


def _schema_3_store(path) -> None:
    """A store as schema 3 wrote it: no file statistics, no blame."""
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '3')")
    for name, columns in TABLES.items():
        if name not in ("changes", "diffed", "blame", "blamed"):
            con.execute(f"CREATE TABLE {name} ({columns})")
    con.close()


def test_a_schema_3_store_gains_the_new_tables_and_its_export_imports(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 3, 1), 5)
    old = tmp_path / "old.duckdb"
    _schema_3_store(old)
    window = ["--since", "2026-03-01", "--until", "2026-07-01", "--blame"]
    assert _report(capsys, str(repo.root), "--store", str(old), *window) == _report(
        capsys, str(repo.root), "--no-store", *window
    )
    with Store(old, read_only=True) as s:
        assert s.con.execute("SELECT value FROM meta").fetchone()[0] == str(SCHEMA_VERSION)
        assert s.con.execute("SELECT count(*) FROM blame").fetchone()[0] > 0
    # an export made by schema 3 has no such tables: it still imports
    older = tmp_path / "older.duckdb"
    _schema_3_store(older)
    import duckdb

    con = duckdb.connect(str(older))
    export = tmp_path / "exp"
    export.mkdir()
    for table in ("meta", *(t for t in TABLES if t not in ("changes", "diffed", "blame",
                                                           "blamed"))):  # fmt: skip
        con.execute(f"COPY {table} TO '{export / table}.parquet' (FORMAT parquet)")
    con.close()
    with Store(tmp_path / "new.duckdb") as s:
        assert s.import_parquet(export)["commits"] == 0
