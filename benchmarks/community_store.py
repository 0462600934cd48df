"""``python -m benchmarks.community_store``: the store, the trends and GH Archive, side by
side with their baselines in one run.

0. The whole command, as a user runs it each week: ``community-report`` on a generated
   100,000-commit history and on clones of real projects (``--real-repo``; ``--blame-repo``
   with ``--blame``), without a store (the baseline), into a new store, and again after 100
   new commits; alternating rounds, medians and ranges.
1. Incremental: a generated 100,000-commit repository read into an empty store (the first
   run), then again after 100 new commits (the re-run: only those are read from git); the
   direct read without a store is the baseline. Both the store update alone and the whole
   read (update, then the records rebuilt from the store) are timed, medians of 3.
2. Trends: ``--by month`` over those 100,000 commits and 60,000 issues and pull requests
   (with 60,000 comments) on DuckDB, then the same query on Spark ``local[2]`` when PySpark
   is installed (Spark's start-up is timed apart).
3. GH Archive: generated hourly files in the public event format with a real hour's mix of
   event types and whole objects in the payloads (``Generator(real=True)``), half of them
   before and half after the change after which pushes list no commits; one organisation
   has 3 of their 100 repositories. Ingested for that organisation and for every repository,
   beside DuckDB's bare scan of the same files; medians of 3, as MB of JSON and events per
   second per core, and events per CPU-second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.community_report import make_repo
from tests.tools.community_report.gharchive_files import PUSH_FORMAT_CHANGE, Generator, write_hours
from tools.community_report import engines
from tools.community_report.records import Comment, Issue
from tools.community_report.sources import gharchive
from tools.community_report.sources import git as git_source
from tools.community_report.store import Store


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def _add_commits(repo: Path, n: int) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="New Dev", GIT_AUTHOR_EMAIL="new@example.org",
               GIT_COMMITTER_NAME="New Dev", GIT_COMMITTER_EMAIL="new@example.org")  # fmt: skip
    for k in range(n):
        subprocess.run(["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", f"n{k}"],
                       check=True, env=env)  # fmt: skip


def bench_incremental(commits: int, workdir: Path, runs: int = 3) -> dict:
    """Medians of ``runs``: the first run, each into a new store, and a re-run after 100 new
    commits (each round adds its own)."""
    repo = workdir / "repo"
    make_repo(repo, commits)
    git_source.read_commits(repo)  # warm the page cache
    _, direct = _timed(lambda: git_source.read_commits(repo))
    key = f"git:{repo.resolve()}"
    first_sync, first_read, new_sync, new_read = [], [], [], []
    for k in range(runs):  # each first run into a new store
        with Store(workdir / f"sync-{k}.duckdb") as fresh:
            first_sync.append(_timed(lambda: git_source.sync(repo, fresh, key))[1])
        with Store(workdir / ("store.duckdb" if k == runs - 1 else f"read-{k}.duckdb")) as fresh:
            first_read.append(_timed(lambda: git_source.read_commits(repo, store=fresh))[1])
    store = Store(workdir / "store.duckdb")  # the last: re-runs here, then the trends read it
    for _ in range(runs):
        _add_commits(repo, 100)
        new_sync.append(_timed(lambda: git_source.sync(repo, store, key))[1])
        _add_commits(repo, 100)
        activity, secs = _timed(lambda: git_source.read_commits(repo, store=store))
        new_read.append(secs)
    assert len(activity.commits) == commits + 200 * runs
    store.close()
    med = statistics.median
    return {
        "commits": commits, "new_commits": 100, "runs": runs, "direct_read_seconds": direct,
        "first_sync_seconds": med(first_sync), "rerun_sync_seconds": med(new_sync),
        "sync_ratio": med(new_sync) / med(first_sync), "first_read_seconds": med(first_read),
        "rerun_read_seconds": med(new_read), "read_ratio": med(new_read) / med(first_read),
        "rerun_read_range": [min(new_read), max(new_read)],
    }  # fmt: skip


def _changing_commits(repo: Path, n: int, after: int, files: list[str], round_: int) -> None:
    """``n`` commits, each adding a line to one of ``files`` in turn, dated a minute apart
    from ``after`` (a unix time): the kind of week a project has."""
    for k in range(n):
        path = repo / files[(round_ * n + k) % len(files)]
        with path.open("a", encoding="utf-8") as f:
            f.write(f"# round {round_} change {k}\n")
        when = f"@{after + 60 * k} +0000"
        env = dict(os.environ, GIT_AUTHOR_NAME=f"Dev {k % 7}",
                   GIT_AUTHOR_EMAIL=f"dev{k % 7}@example.org", GIT_AUTHOR_DATE=when,
                   GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@example.org",
                   GIT_COMMITTER_DATE=when)  # fmt: skip
        subprocess.run(["git", "-C", str(repo), "commit", "-q", "-a", "-m", f"r{round_} c{k}"],
                       check=True, env=env)  # fmt: skip


def _report_seconds(repo: Path, window: list[str], store: list[str], extra: list[str],
                    out: Path) -> float:  # fmt: skip
    """One whole ``community-report`` command, as a user runs it (a new Python process)."""
    argv = [sys.executable, "-m", "tools.community_report", str(repo), *window, "--format",
            "json", "--output", str(out), "--no-progress", *store, *extra]  # fmt: skip
    t = time.perf_counter()
    subprocess.run(argv, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def _figures(path: Path) -> dict:
    report = json.loads(path.read_text())
    report.pop("generated_at")
    return report


def bench_whole_command(source: Path, workdir: Path, label: str, extra: list[str],
                        runs: int = 3) -> dict:  # fmt: skip
    """The whole command on a copy of ``source``: the run without a store (the baseline), the
    first run into a new store, and the re-run after 100 new commits (the store holding the
    history before them), alternating, ``runs`` rounds. The window is the 90 days up to the
    history's last commit, which the new commits extend; each re-run's report is compared
    with the run without a store of the same round."""
    case = "-".join([label, *(o.strip("-") for o in extra)])
    repo = workdir / f"copy-{case}"
    subprocess.run(["git", "clone", "-q", "--local", str(source), str(repo)], check=True)
    last = int(subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, check=True).stdout)  # fmt: skip
    end = datetime.fromtimestamp(last, UTC) + timedelta(days=30)
    window = ["--since", (end - timedelta(days=120)).isoformat(), "--until", end.isoformat()]
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "*.py", "*.md", "*.rst"],
                            capture_output=True, text=True, check=True).stdout  # fmt: skip
    files = sorted(listed.split())[:: max(1, len(listed.split()) // 40)][:40]
    store = workdir / f"store-{case}.duckdb"
    out = workdir / "out.json"
    _report_seconds(repo, window, ["--store", str(store)], extra, out)  # the store as it was
    commits = int(subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"],
                                 capture_output=True, text=True, check=True).stdout)  # fmt: skip
    direct, first, rerun, same = [], [], [], []
    for r in range(runs):
        _changing_commits(repo, 100, last + 3600 + r * 100 * 60, files, r)
        cases = [("direct", ["--no-store"]), ("rerun", ["--store", str(store)]),
                 ("first", ["--store", str(workdir / f"new-{case}-{r}.duckdb")])]  # fmt: skip
        if r % 2:
            cases.reverse()
        reports = {}
        for name, flags in cases:
            secs = _report_seconds(repo, window, flags, extra, out)
            {"direct": direct, "rerun": rerun, "first": first}[name].append(secs)
            reports[name] = _figures(out)
        same.append(reports["rerun"] == reports["direct"] == reports["first"])
    shutil.rmtree(repo)
    med = statistics.median
    return {
        "label": label, "commits": commits, "new_commits": 100, "runs": runs,
        "options": extra, "same_figures": all(same),
        "direct_seconds": med(direct), "direct_range": [min(direct), max(direct)],
        "first_seconds": med(first), "first_range": [min(first), max(first)],
        "rerun_seconds": med(rerun), "rerun_range": [min(rerun), max(rerun)],
        "rerun_ratio": med(rerun) / med(direct), "first_ratio": med(first) / med(direct),
    }  # fmt: skip


def _github_records(items: int, comments: int):
    rng = random.Random(5)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    issues, notes = [], []
    for n in range(1, items + 1):
        created = t0 + timedelta(minutes=17 * n)
        pull = n % 3 == 0
        closed = created + timedelta(hours=rng.randint(1, 900)) if n % 4 else None
        merged = closed if pull and closed and n % 2 else None
        issues.append(Issue(n, f"user{rng.randint(1, 900)}", False, "CONTRIBUTOR", f"item {n}",
                            created, created, closed, pull, merged))  # fmt: skip
    for k in range(comments):
        n = rng.randint(1, items)
        when = issues[n - 1].created_at + timedelta(minutes=rng.randint(1, 9000))
        notes.append(Comment(k + 1, n, f"user{rng.randint(1, 900)}", False, when))
    return issues, notes


def bench_trends(workdir: Path, items: int, comments: int, spark: bool) -> dict:
    store = Store(workdir / "store.duckdb")
    issues, notes = _github_records(items, comments)
    store.put_github("github:bench/big", issues, notes, [])
    repos = store.repositories()
    ident = engines.identities(store, repos, git_source.default_is_bot, {})
    rows, duck = _timed(lambda: engines.run_trends(store, repos, "month", 180, ident))
    fig = {"commits": store.counts()["commits"], "items": items, "comments": comments,
           "periods": len(rows), "duckdb_seconds": duck}  # fmt: skip
    if spark:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            fig["spark"] = "not installed (the spark extra: pip install -e '.[spark]')"
        else:
            _, start = _timed(lambda: engines.spark_session("local[2]"))
            engines.run_trends(store, repos, "month", 180, ident, "spark")  # warm the JVM's JIT
            srows, secs = _timed(lambda: engines.run_trends(store, repos, "month", 180, ident,
                                                            "spark"))  # fmt: skip
            fig.update(spark_start_seconds=start, spark_seconds=secs,
                       spark_ratio=secs / duck, spark_equal=[r[:11] for r in srows]
                       == [r[:11] for r in rows])  # fmt: skip
    store.close()
    return fig


def bench_gharchive(workdir: Path, hours: int, per_hour: int, repos: int, runs: int = 3) -> dict:
    """GH Archive hours where one organisation (acme: 3 of ``repos`` repositories) has its
    share of the events, read for that organisation and for every repository; the baseline
    is DuckDB's bare scan of the same files (decompress, parse, read each event's envelope),
    in the same run. Each is timed ``runs`` times (ingestion into a new store each time):
    the median, and the range."""
    import duckdb

    names = ["acme/a", "acme/b", "acme/c"] + [f"owner{i}/repo{i}" for i in range(repos - 3)]
    # a real hour's mix of types and sizes, half the hours each side of the change after which
    # pushes list no commits; written an hour at a time (an hour is hundreds of MB of JSON)
    gen = Generator(names, people=400, seed=11, real=True)
    first = PUSH_FORMAT_CHANGE - timedelta(hours=hours // 2)
    paths, total, raw = [], 0, 0
    for h in range(hours):
        start = first + timedelta(hours=h)
        (events,) = gen.events(start, 1, per_hour)
        total += len(events)
        raw += sum(len(json.dumps(e, separators=(",", ":"))) + 1 for e in events)
        paths += write_hours(workdir / "gha", [events], start)
        del events
    size = sum(p.stat().st_size for p in paths)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])
    listed = ", ".join(f"'{p}'" for p in paths)
    # every event's envelope, as the ingestion reads it (one column alone takes DuckDB 2.0
    # a much slower path, 12 s here instead of 0.9)
    scan = (
        f"SELECT count(type), count(repo), count(actor), count(created_at) FROM read_json("
        f"[{listed}], format = 'newline_delimited', columns = {{type: 'VARCHAR', actor: "
        "'STRUCT(login VARCHAR)', repo: 'STRUCT(name VARCHAR)', created_at: 'TIMESTAMPTZ'})"
    )
    con.execute(scan).fetchone()  # warm the page cache
    bare = [_timed(lambda: con.execute(scan).fetchone())[1] for _ in range(runs)]
    con.close()
    fig = {"files": len(paths), "events": total, "repositories": repos, "runs": runs,
           "gzipped_mb": size / 1e6, "json_mb": raw / 1e6, "mean_event_bytes": raw / total,
           "duckdb_threads": threads,
           "bare_scan_seconds": statistics.median(bare), "bare_scan_range": [min(bare), max(bare)],
           "bare_scan_per_core": total / statistics.median(bare) / threads,
           "bare_scan_mb_per_core": raw / 1e6 / statistics.median(bare) / threads}  # fmt: skip
    for name, orgs in (("organisation", ["acme"]), ("every_repository", [])):
        times, cpu = [], []
        for k in range(runs):  # each into a new store
            store = Store(workdir / f"gha-{name}-{k}.duckdb")
            before = time.process_time()  # this process's CPU time, every thread's
            out, secs = _timed(lambda: gharchive.ingest(store, paths, [], orgs))  # noqa: B023
            cpu.append(time.process_time() - before)
            store.close()
            times.append(secs)
        secs = statistics.median(times)
        fig[name] = {
            "seconds": secs, "range": [min(times), max(times)], "kept": out["events"],
            "events_per_second_per_core": total / secs / threads,
            "mb_per_second_per_core": raw / 1e6 / secs / threads,
            # the work itself, whether or not every thread was busy all along
            "events_per_cpu_second": total / statistics.median(cpu),
            "per_core_range": [total / max(times) / threads, total / min(times) / threads],
            "ratio_to_bare_scan": secs / fig["bare_scan_seconds"],
            "stored": {k: out[k] for k in ("commits", "items", "comments", "reviews")},
        }  # fmt: skip
    return fig


def whole_table(rows: list[dict]) -> list[str]:
    lines = [
        "| (0) the whole command, +100 commits | commits | no store (baseline) s "
        "| first run s | re-run s | re-run ÷ no store | same figures |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for w in rows:
        name = w["label"] + (f" {' '.join(w['options'])}" if w["options"] else "")
        cells = [f"{w[k + '_seconds']:.2f} ({w[k + '_range'][0]:.2f}–{w[k + '_range'][1]:.2f})"
                 for k in ("direct", "first", "rerun")]  # fmt: skip
        lines.append(f"| {name} | {w['commits']:,} | {' | '.join(cells)} "
                     f"| {w['rerun_ratio']:.2f}× | {w['same_figures']} |")  # fmt: skip
    lines.append(f"\nMedians of {rows[0]['runs']} alternating rounds (in brackets, the "
                 "fastest and the slowest); each command a new Python process.")  # fmt: skip
    return lines


def table(fig: dict) -> str:
    i, t, g = fig["incremental"], fig["trends"], fig["gharchive"]
    lines = [
        *whole_table(fig["whole_command"]),
        "",
        f"| (1) {i['commits']:,} commits, then +{i['new_commits']} | first run s | re-run s "
        "| re-run ÷ first |",
        "|---|---:|---:|---:|",
        f"| direct read, no store (baseline) | {i['direct_read_seconds']:.3f} | | |",
        f"| store update alone | {i['first_sync_seconds']:.3f} | {i['rerun_sync_seconds']:.3f} "
        f"| {i['sync_ratio']:.3f} |",
        f"| whole read (update + records from the store) | {i['first_read_seconds']:.3f} "
        f"| {i['rerun_read_seconds']:.3f} | {i['read_ratio']:.3f} |",
        f"\nMedians of {i['runs']} runs; the whole read's re-runs took "
        f"{i['rerun_read_range'][0]:.3f}–{i['rerun_read_range'][1]:.3f} s.",
        "",
        f"| (2) --by month, {t['commits']:,} commits + {t['items']:,} items + "
        f"{t['comments']:,} comments | seconds | ratio |",
        "|---|---:|---:|",
        f"| DuckDB | {t['duckdb_seconds']:.3f} | 1.00× |",
    ]
    if "spark_seconds" in t:
        lines.append(f"| Spark local[2] (after {t['spark_start_seconds']:.1f} s start-up; "
                     f"same rows: {t['spark_equal']}) | {t['spark_seconds']:.3f} "
                     f"| {t['spark_ratio']:.1f}× |")  # fmt: skip
    elif "spark" in t:
        lines.append(f"| Spark | {t['spark']} | |")
    lines += [
        "",
        f"| (3) GH Archive: {g['files']} hours, {g['events']:,} events of {g['repositories']} "
        f"repositories ({g['json_mb']:,.0f} MB of JSON, {g['mean_event_bytes']:,.0f} bytes an "
        f"event; {g['gzipped_mb']:.1f} MB gzipped), {g['duckdb_threads']} threads "
        "| seconds | MB/s per core | events/s per core | per CPU-second | ÷ bare scan |",
        "|---|---:|---:|---:|---:|---:|",
        f"| bare scan: decompress, parse, read each event's envelope (baseline) "
        f"| {g['bare_scan_seconds']:.3f} | {g['bare_scan_mb_per_core']:.1f} "
        f"| {g['bare_scan_per_core']:,.0f} | | 1.00× |",
    ]
    for key, label in (("organisation", "ingest for one organisation"),
                       ("every_repository", "ingest for every repository")):  # fmt: skip
        r = g[key]
        low, high = r["per_core_range"]
        lines.append(f"| {label} ({r['kept']:,} events kept) | {r['seconds']:.3f} "
                     f"| {r['mb_per_second_per_core']:.1f} "
                     f"| {r['events_per_second_per_core']:,.0f} ({low:,.0f}–{high:,.0f}) "
                     f"| {r['events_per_cpu_second']:,.0f} "
                     f"| {r['ratio_to_bare_scan']:.2f}× |")  # fmt: skip
    lines.append(
        f"\nMedians of {g['runs']} runs; in brackets, the slowest and the fastest. Per "
        "core: events ÷ seconds ÷ threads; per CPU-second: events ÷ the CPU time the "
        "process used."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.community_store")
    p.add_argument("--commits", type=int, default=100_000)
    p.add_argument("--items", type=int, default=60_000)
    p.add_argument("--comments", type=int, default=60_000)
    p.add_argument("--hours", type=int, default=12)
    p.add_argument("--events-per-hour", type=int, default=10_000)
    p.add_argument(
        "--repositories",
        type=int,
        default=100,
        help="repositories in the GH Archive hours; acme has 3 of them",
    )
    p.add_argument("--no-spark", action="store_true")
    p.add_argument(
        "--real-repo",
        type=Path,
        metavar="PATH",
        action="append",
        default=[],
        help="a clone of a real project (e.g. pypa/pip) for the whole command's case (it is "
        "copied; the clone is not changed); repeat for several",
    )
    p.add_argument(
        "--blame-repo",
        type=Path,
        metavar="PATH",
        action="append",
        default=[],
        help="the same with --blame; repeat for several",
    )
    p.add_argument("--runs", type=int, default=3, help="rounds of the whole command's case")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_repo(work / "generated", args.commits)
        whole = [bench_whole_command(work / "generated", work, "generated", [], args.runs)]
        shutil.rmtree(work / "generated")
        for repo, extra in [(r, []) for r in args.real_repo] + [
            (r, ["--blame"]) for r in args.blame_repo
        ]:
            whole.append(bench_whole_command(repo, work, repo.name, extra, args.runs))
        fig = {"whole_command": whole}
        fig["incremental"] = bench_incremental(args.commits, work)
        fig["trends"] = bench_trends(work, args.items, args.comments, not args.no_spark)
        shutil.rmtree(work / "repo")
        fig["gharchive"] = bench_gharchive(
            work, args.hours, args.events_per_hour, args.repositories
        )
        fig["cpus"] = os.cpu_count()
        fig["python"] = sys.version.split()[0]
    print(table(fig))
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
