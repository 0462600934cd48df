"""The store, health over time and GH Archive: the same numbers by the old path and the new,
one definition of each metric on both engines, incremental runs, and bad input in one line."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.gitrepo import Repo
from tests.tools.community_report.gharchive_files import START, Generator, write_hours
from tools.community_report import engines
from tools.community_report.cli import main
from tools.community_report.metrics import trends
from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.records import Activity
from tools.community_report.sources import gharchive
from tools.community_report.sources.git import build_commits, default_is_bot
from tools.community_report.store import SCHEMA_VERSION, Store
from tools.errors import UserError

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = ["--since", "2026-04-01", "--until", "2026-07-01", "--format", "json"]
PEOPLE = [
    ("Ana Ruiz", "ana@corp.example"),
    ("Ben Li", "ben@corp.example"),
    ("Chen Wu", "chen@gmail.com"),
    ("dependabot[bot]", "bot@users.noreply.github.com"),
]


def _history(repo: Repo, start: datetime, count: int, offset: int = 0) -> None:
    for k in range(count):
        name, email = PEOPLE[(k * 7 + offset) % len(PEOPLE)]
        repo.commit(name, email, start + timedelta(days=3 * k, hours=k % 5),
                    {f"src/f{k % 4}.py": f"{k + offset}\n"})  # fmt: skip


def _report(capsys, *args) -> dict:
    code = main([*args, *WINDOW])
    out = capsys.readouterr()
    assert code == 0, out.err
    report = json.loads(out.out)
    report.pop("generated_at")
    return report


def test_the_store_path_gives_the_reports_numbers_first_run_and_incremental(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 1, 5), 40)
    store = tmp_path / "s.duckdb"
    direct = _report(capsys, str(repo.root), "--no-store")
    assert _report(capsys, str(repo.root), "--store", str(store)) == direct
    # new commits: the re-run adds only those, and still agrees with a direct read
    _history(repo, D(2026, 5, 20), 9, offset=3)
    again = _report(capsys, str(repo.root), "--store", str(store))
    assert again == _report(capsys, str(repo.root), "--no-store")
    with Store(store) as s:
        batches = s.con.execute("SELECT batch, count(*) FROM commits GROUP BY batch ORDER BY 1")
        assert batches.fetchall() == [(1, 40), (2, 9)]


def test_a_rewritten_history_replaces_the_stored_one(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 4, 2), 6)
    store = tmp_path / "s.duckdb"
    _report(capsys, str(repo.root), "--store", str(store))
    repo.git("reset", "-q", "--hard", "HEAD~3")  # a force-push: three commits gone
    _history(repo, D(2026, 6, 1), 2, offset=1)
    assert _report(capsys, str(repo.root), "--store", str(store)) == _report(
        capsys, str(repo.root), "--no-store"
    )
    with Store(store) as s:
        assert s.counts()["commits"] == 5


def _archive_store(tmp_path, hours: int = 24 * 120, per_hour: int = 3) -> Store:
    gen = Generator(["acme/a", "acme/b", "other/c"], people=12, seed=7)
    paths = write_hours(tmp_path / "gha", gen.events(START, hours, per_hour), START)
    store = Store(tmp_path / "s.duckdb")
    gharchive.ingest(store, paths, [], ["acme"])
    return store


def _activity(store: Store, repo: str) -> Activity:
    activity = Activity(source=repo)
    build_commits(activity, store.raw_commits(repo), default_is_bot, {})
    activity.issues, activity.comments, activity.reviews = store.github_records(repo)
    return activity


def _months(first: datetime, last: datetime):
    t = datetime(first.year, first.month, 1, tzinfo=UTC)
    while t <= last:
        nxt = datetime(t.year + t.month // 12, t.month % 12 + 1, 1, tzinfo=UTC)
        yield t, nxt
        t = nxt


def test_each_trend_point_is_the_reports_figure_for_that_month(tmp_path):
    """One definition: the SQL series, period by period, against the Python report for a
    window equal to the period, on GH Archive records of two repositories."""
    store = _archive_store(tmp_path)
    repos = ["github:acme/a", "github:acme/b"]
    assert store.repositories() == repos  # other/c was filtered out
    ident = engines.identities(store, repos, default_is_bot, {})
    report = trends.shape(engines.run_trends(store, repos, "month", 30, ident), "month", repos,
                          [], "duckdb")  # fmt: skip
    checked = 0
    for repo in repos:
        activity = _activity(store, repo)
        points = {p["start"]: p for p in report["series"][repo]}
        for since, until in _months(START, START + timedelta(days=125)):
            snap = build(activity, Window(since, until), None, inactive_days=30)
            point = points.get(since.date().isoformat())
            if point is None:
                assert snap["contributors"]["active"] == 0
                continue
            pulls, resp = snap["pull_requests"], snap["responsiveness"]
            assert point["commits"] == snap["commits"]["total"]
            assert point["active"] == snap["contributors"]["active"]
            assert point["new"] == snap["contributors"]["new"]
            assert point["returning"] == snap["contributors"]["returning"]
            assert point["absence_factor"] == snap["contributors"]["absence_factor"]
            assert point["issues_opened"] == snap["issues"]["opened"]
            assert point["pull_requests_opened"] == pulls["opened"]
            assert point["pull_requests_merged"] == pulls["merged"]
            assert point["acceptance_ratio"] == pulls["acceptance_ratio"]
            for kind, key in (("issues", "issue"), ("pull_requests", "pull_request")):
                hours = resp[kind]["first_response_hours"]
                assert point[f"{key}_response_median_hours"] == hours["median"]
                assert point[f"{key}_response_p90_hours"] == hours["p90"]
            checked += 1
    assert checked >= 8
    # the whole set: one contributor across repositories counts once
    whole = {p["start"]: p for p in report["series"]["all"]}
    first = whole[START.date().isoformat()]
    a, b = (_activity(store, r) for r in repos)
    merged = Activity(source="all", commits=a.commits + b.commits)
    snap = build(merged, Window(START, D(2026, 2, 1)), None, inactive_days=30)
    assert first["commits"] == snap["commits"]["total"]
    assert first["absence_factor"] == snap["contributors"]["absence_factor"]
    store.close()


@pytest.mark.slow
def test_spark_gives_what_duckdb_gives(tmp_path):
    pytest.importorskip("pyspark")
    store = _archive_store(tmp_path, hours=24 * 40)
    repos = store.repositories()
    ident = engines.identities(store, repos, default_is_bot, {})
    for by in ("month", "quarter"):
        duck = engines.run_trends(store, repos, by, 30, ident, "duckdb")
        spark = engines.run_trends(store, repos, by, 30, ident, "spark", "local[2]")
        assert len(duck) >= 3  # every scope, at least one period
        assert [row[:11] for row in spark] == [row[:11] for row in duck]
        for s_row, d_row in zip(spark, duck, strict=True):  # hours: the same to the microsecond
            assert s_row[11:] == pytest.approx(d_row[11:], abs=1e-9)
    store.close()


def test_several_sources_give_the_trends_in_every_format(tmp_path, capsys):
    one, two = Repo(tmp_path / "one"), Repo(tmp_path / "two")
    _history(one, D(2026, 1, 5), 12)
    _history(two, D(2026, 2, 5), 12, offset=1)  # Ana, Ben, Chen work in both
    listing = tmp_path / "repos.txt"
    listing.write_text(f"# our repositories\n{one.root}\n{two.root}  # the second\n")
    store = ["--store", str(tmp_path / "s.duckdb")]
    assert main([f"@{listing}", *store, "--by", "month", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "trends" and len(report["sources"]) == 2
    months = [p["period"] for p in report["series"]["all"]]
    assert months[0] == "2026-01" and months == sorted(months)
    # the whole set counts a person once, though they commit in both repositories
    feb = {p["period"]: p for p in report["series"]["all"]}["2026-02"]
    per_repo = [
        {p["period"]: p for p in report["series"][s]}.get("2026-02") for s in report["sources"]
    ]
    assert feb["active"] < sum(p["active"] for p in per_repo if p)
    for fmt, marker in (("text", "all repositories"), ("md", "### all repositories"),
                        ("html", "<figure><figcaption>commits")):  # fmt: skip
        assert main([str(one.root), str(two.root), *store, "--by", "quarter", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert marker in out and "2026-Q1" in out


def test_export_and_import_carry_the_records(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 4, 2), 10)
    first = ["--store", str(tmp_path / "a.duckdb")]
    assert main([str(repo.root), *first, "--by", "month", "--export", str(tmp_path / "x"),
                 "--format", "json"]) == 0  # fmt: skip
    mine = json.loads(capsys.readouterr().out)["series"]
    with Store(tmp_path / "b.duckdb") as other:
        added = other.import_parquet(tmp_path / "x")
        assert added["commits"] == 10 and other.counts()["commits"] == 10
        with Store(tmp_path / "a.duckdb", read_only=True) as mine_store:
            key = f"git:{repo.root.resolve()}"
            assert other.raw_commits(key) == mine_store.raw_commits(key)
    assert mine["all"]


def test_gharchive_reruns_add_only_new_hours(tmp_path):
    gen = Generator(["acme/a"], people=5, seed=3)
    hours = gen.events(START, 6, 20)
    paths = write_hours(tmp_path / "gha", hours, START)
    with Store(tmp_path / "s.duckdb") as store:
        first = gharchive.ingest(store, paths[:4], ["acme/a"], [])
        counts = store.counts()
        again = gharchive.ingest(store, paths, ["acme/a"], [])
        assert first["files"] == 4 and again == {**again, "files": 2, "skipped_files": 4}
        kept = sum(e["type"] in gharchive.USED for hour in hours[4:] for e in hour)
        assert again["events"] == kept and store.counts()["items"] >= counts["items"]
        assert gharchive.ingest(store, paths, ["acme/a"], [])["files"] == 0


def _snapshot(store: Store) -> dict:
    return {r: (*store.github_records(r), store.raw_commits(r)) for r in store.repositories()}


def test_gharchive_files_are_read_again_for_other_repositories(tmp_path):
    gen = Generator(["acme/a", "acme/b", "zeta/z"], people=6, seed=4)
    paths = write_hours(tmp_path / "gha", gen.events(START, 4, 60), START)
    with Store(tmp_path / "s.duckdb") as store:
        gharchive.ingest(store, paths, [], ["acme"])
        assert store.repositories() == ["github:acme/a", "github:acme/b"]
        acme = _snapshot(store)
        # the same hours, asked for another owner: read again, for it
        again = gharchive.ingest(store, paths, [], ["zeta"])
        assert again["files"] == 4 and again["events"] > 0
        assert store.repositories() == ["github:acme/a", "github:acme/b", "github:zeta/z"]
        both = _snapshot(store)
        assert {r: both[r] for r in acme} == acme  # read twice, acme's records unchanged
        # what the hours were read for covers these: nothing is read
        assert gharchive.ingest(store, paths, ["acme/b"], ["zeta"])["files"] == 0
        # every repository: read again, and nothing stored twice
        assert gharchive.ingest(store, paths, [], [])["files"] == 4
        assert _snapshot(store) == both
        assert gharchive.ingest(store, paths, ["other/q"], [])["files"] == 0


def test_gharchive_hours_read_out_of_order_keep_the_latest_state(tmp_path):
    gen = Generator(["acme/a"], people=5, seed=9)
    paths = write_hours(tmp_path / "gha", gen.events(START, 12, 40), START)
    with Store(tmp_path / "in-order.duckdb") as store:
        gharchive.ingest(store, paths, [], [])
        in_order = _snapshot(store)
    with Store(tmp_path / "backwards.duckdb") as store:
        for path in reversed(paths):
            gharchive.ingest(store, [path], [], [])
        backwards = _snapshot(store)
    assert sum(i.closed_at is not None for i in in_order["github:acme/a"][0]) > 0
    # items and comments as the latest event shows them, whatever the reading order;
    # commits in the order they were read
    assert {r: v[:3] for r, v in backwards.items()} == {r: v[:3] for r, v in in_order.items()}
    assert sorted(backwards["github:acme/a"][3]) == sorted(in_order["github:acme/a"][3])


def _schema_1_store(path) -> None:
    """A store as schema 1 wrote it: GH Archive files kept by name alone."""
    import duckdb

    from tools.community_report.store import TABLES

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    for name, columns in TABLES.items():
        if name != "ingested":
            con.execute(f"CREATE TABLE {name} ({columns})")
    con.execute("CREATE TABLE ingested (name VARCHAR PRIMARY KEY, events BIGINT NOT NULL, "
                "read_at TIMESTAMPTZ NOT NULL)")  # fmt: skip
    con.execute("INSERT INTO ingested VALUES ('2026-01-01-0.json.gz', 5, now())")
    con.close()


def test_a_schema_1_store_is_brought_up_to_date(tmp_path):
    path = tmp_path / "old.duckdb"
    _schema_1_store(path)
    with pytest.raises(UserError, match="older community-report"):
        Store(path, read_only=True)
    gen = Generator(["acme/a"], people=5, seed=3)
    paths = write_hours(tmp_path / "gha", gen.events(START, 2, 30), START)
    with Store(path) as store:
        version = store.con.execute("SELECT value FROM meta").fetchone()[0]
        assert version == str(SCHEMA_VERSION)
        # for which repositories the old file was read is unknown: it is read again
        assert gharchive.ingest(store, paths, ["acme/a"], [])["files"] == 2
        assert store.counts()["items"] > 0
    with Store(path, read_only=True) as store:
        assert store.con.execute("SELECT count(*) FROM ingested").fetchone()[0] == 3


def test_an_export_of_schema_1_imports(tmp_path):
    old = tmp_path / "old.duckdb"
    _schema_1_store(old)
    import duckdb

    con = duckdb.connect(str(old))
    folder = tmp_path / "x"
    folder.mkdir()
    for table in ("meta", "repositories", "commits", "coauthors", "items", "comments",
                  "reviews", "ingested"):  # fmt: skip
        con.execute(f"COPY {table} TO '{folder / table}.parquet' (FORMAT parquet)")
    con.close()
    with Store(tmp_path / "new.duckdb") as store:
        assert store.import_parquet(folder)["ingested"] == 1
        assert store.con.execute("SELECT name, scope FROM ingested").fetchall() == [
            ("2026-01-01-0.json.gz", "?")
        ]


def _one_line(capsys, argv) -> str:
    assert main(argv) != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_a_truncated_archive_is_one_line_and_stores_nothing(tmp_path, capsys):
    gen = Generator(["acme/a"], people=5, seed=3)
    paths = write_hours(tmp_path / "gha", gen.events(START, 3, 50), START)
    blob = paths[1].read_bytes()
    paths[1].write_bytes(blob[: len(blob) // 2])
    store = tmp_path / "s.duckdb"
    argv = ["acme", "--gharchive", *map(str, paths), "--store", str(store)]
    err = _one_line(capsys, argv)
    assert paths[1].name in err and "nothing was stored" in err
    with Store(store) as s:
        assert s.counts() == {"commits": 0, "items": 0, "comments": 0, "reviews": 0}
        assert s.con.execute("SELECT count(*) FROM ingested").fetchone()[0] == 0


def test_an_unknown_event_type_is_one_line(tmp_path, capsys):
    path = tmp_path / "2026-01-01-0.json.gz"
    event = {"id": "1", "type": "TeleportEvent", "actor": {"login": "x"}, "repo": {"name": "a/b"},
             "payload": {}, "created_at": "2026-01-01T00:00:00Z"}  # fmt: skip
    path.write_bytes(gzip.compress((json.dumps(event) + "\n").encode()))
    err = _one_line(capsys, ["acme", "--gharchive", str(path), "--store", str(tmp_path / "s")])
    assert "unknown event type 'TeleportEvent'" in err and path.name in err


def test_a_store_from_a_newer_version_is_refused(tmp_path, capsys):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                      [str(SCHEMA_VERSION + 1)])  # fmt: skip
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 4, 2), 2)
    err = _one_line(capsys, [str(repo.root), "--store", str(path)])
    assert f"schema {SCHEMA_VERSION + 1}" in err and "update the tools" in err


@pytest.mark.parametrize("content", [b"not a database at all" * 100, b""])
def test_a_file_that_is_not_a_store_is_one_line(tmp_path, capsys, content):
    path = tmp_path / "s.duckdb"
    path.write_bytes(content)
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 4, 2), 2)
    if content:
        err = _one_line(capsys, [str(repo.root), "--store", str(path)])
        assert str(path) in err and "give another --store" in err
        assert path.read_bytes() == content  # never overwritten
    else:  # an empty file is a new store
        assert main([str(repo.root), "--store", str(path), *WINDOW]) == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--no-store", "--by", "month"], "drop --no-store"),
        (["@missing-list.txt"], "cannot read the list of sources"),
        (["not/a/repo/at/all"], "not a directory, an OWNER/REPO or an organisation name"),
    ],
)
def test_bad_store_arguments_are_one_line(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert message in _one_line(capsys, argv)


def test_store_errors_are_user_errors(tmp_path):
    (tmp_path / "dir.duckdb").mkdir()
    with pytest.raises(UserError, match="not a file"):
        Store(tmp_path / "dir.duckdb")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--export", "{file}"], "--export {file}: cannot make that folder"),
        (["--store", "{file}/s.duckdb"], "--store {file}/s.duckdb: cannot make its folder"),
    ],
)
def test_unwritable_store_and_export_paths_are_one_line(tmp_path, capsys, flags, message):
    repo = Repo(tmp_path / "r")
    _history(repo, D(2026, 4, 2), 2)
    file = tmp_path / "a-file"
    file.write_text("x")
    argv = [str(repo.root), "--store", str(tmp_path / "s.duckdb")]
    argv += [f.format(file=file) for f in flags]
    assert message.format(file=file) in _one_line(capsys, argv)
