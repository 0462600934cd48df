"""``community-report``: contributor activity and project health, from git or GitHub."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..community_report.engines import ENGINES
from ..community_report.metrics.report import SCHEMA_VERSION, build
from ..community_report.metrics.window import Window
from ..community_report.render import RENDERERS, SET_RENDERERS
from ..errors import Parser, UserError, brief, cli_entry
from ..files import write_text
from ..policy import POLICY_FILE

REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
ORG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}$")
MAX_INACTIVE_DAYS = 36_500  # a century
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".txt": "text",
            ".csv": "csv"}  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="community-report",
        description="Who contributes, how fast the project answers, and where it depends on "
        "too few people. SOURCE is a local git repository (default: the current directory; "
        "offline, no token), a GitHub OWNER/REPO, a GitHub ORG (its public repositories that "
        "are neither forks nor archived), or @FILE listing sources one a line. The report covers "
        "a window; several sources (or an ORG) give it for the whole set, a person counting "
        "once across repositories, then for each repository; --by gives each metric over "
        "time instead, per repository and for the whole set.",
    )
    p.add_argument(
        "source", nargs="*", default=["."], metavar="SOURCE", help="PATH, OWNER/REPO, ORG or @FILE"
    )
    p.add_argument(
        "--since",
        help="window start, a date or timestamp read as UTC (default: 90 days before --until)",
    )
    p.add_argument("--until", help="window end, exclusive (default: now)")
    p.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        help="default: from --output's suffix (.html, .md, .json, .csv), else text; csv is the "
        "table of every contributor of the window",
    )
    p.add_argument("--output", type=Path, help="write here instead of standard output")
    p.add_argument(
        "--show-emails",
        action="store_true",
        help="name people by their email address too in text, markdown and HTML (by default "
        "those show names and GitHub logins only, fit to publish; JSON always has the addresses)",
    )
    p.add_argument(
        "--inactive-days",
        type=int,
        default=180,
        help="a contributor with no contribution for this many days is inactive "
        f"(default 180, at most {MAX_INACTIVE_DAYS:,})",
    )
    p.add_argument(
        "--blame",
        action="store_true",
        help="also who owns the code as it stands: git blame of every text file at HEAD, per "
        "area (one git process a file, on every core; slower on big repositories)",
    )
    p.add_argument("--blame-whitespace", action="store_true",
                   help="with --blame: ignore whitespace changes (git blame -w)")  # fmt: skip
    p.add_argument("--blame-moves", action="store_true",
                   help="with --blame: lines moved in a file keep their author (-M)")  # fmt: skip
    p.add_argument("--blame-copies", action="store_true",
                   help="with --blame: so do lines moved or copied across files (-C)")  # fmt: skip
    p.add_argument(
        "--no-ignore-revs",
        action="store_true",
        help="with --blame: count the commits listed in .git-blame-ignore-revs too (by default "
        "blame looks through them, as GitHub's does)",
    )
    p.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="count only matching paths in line counts, ownership and hotspots (repeatable; "
        "default: every path)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave matching paths out of line counts and ownership (repeatable; files marked "
        "linguist-vendored or linguist-generated in .gitattributes are always left out)",
    )
    p.add_argument(
        "--keep-generated",
        action="store_true",
        help="count lock files (uv.lock, package-lock.json, …) and vendor folders in lines, "
        "hotspots and ownership; by default they are left out, as GitHub's Linguist does",
    )
    p.add_argument(
        "--policy",
        type=Path,
        help="the policy file (default: governance/policy.yml of the repository, when present)",
    )
    s = p.add_argument_group("the store, and health over time")
    s.add_argument(
        "--store",
        type=Path,
        help="the DuckDB file the records are kept in, and added to on each run (default: "
        "store.duckdb in the cache directory)",
    )
    s.add_argument("--no-store", action="store_true", help="keep nothing: read, report, forget")
    s.add_argument(
        "--by",
        choices=("month", "quarter"),
        help="each metric as a series over the whole history, by month or quarter (with "
        "--gharchive: quarter unless given)",
    )
    s.add_argument(
        "--engine",
        choices=ENGINES,
        default="duckdb",
        help="what runs the series over time (--by) over the store: duckdb (default, in "
        "process) or spark "
        "(the spark extra: pip install -e '.[spark]'; Java 17)",
    )
    s.add_argument(
        "--spark-master",
        default="local[2]",
        metavar="URL",
        help="with --engine spark: local[N], spark://HOST:7077, yarn … (default local[2])",
    )
    s.add_argument(
        "--spark-staging",
        type=Path,
        metavar="DIR",
        help="with --engine spark on a cluster: a folder every node sees at this path (a shared "
        "mount; /dbfs/… on Databricks) for the Parquet the executors read (default: a "
        "temporary folder, enough for local[N] or a cluster on this host)",
    )
    s.add_argument(
        "--gharchive",
        action="extend",
        nargs="+",
        default=[],
        type=Path,
        metavar="FILE",
        help="GH Archive hourly files (.json.gz) to add to the store; SOURCE then names the "
        "OWNER/REPO or ORG to keep (default: every repository in them)",
    )
    s.add_argument(
        "--clone",
        action="append",
        default=[],
        metavar="[OWNER/REPO=]PATH",
        help="with --gharchive: a local clone of a repository read from GH Archive, whose "
        "commits then come from git (GitHub's push events list none since October 2025); "
        "OWNER/REPO is its origin remote's unless given (repeatable)",
    )
    s.add_argument(
        "--dashboard",
        type=Path,
        metavar="DIR",
        help="write a static dashboard here: every series over time as a chart (--by, month "
        "unless given), a repository filter, every contributor of the window and its headline "
        "figures; works from disk and on GitHub Pages (the dashboard extra: Plotly.js)",
    )
    s.add_argument("--export", type=Path, metavar="DIR", help="write the store as Parquet here")
    s.add_argument("--import", dest="import_", type=Path, metavar="DIR",
                   help="add the records of a store exported with --export")  # fmt: skip
    g = p.add_argument_group("GitHub sources")
    g.add_argument(
        "--token-env",
        default="GITHUB_TOKEN",
        help="the environment variable holding the token (default GITHUB_TOKEN)",
    )
    g.add_argument(
        "--api-url",
        default="https://api.github.com",
        help="the REST API's base URL, for GitHub Enterprise or a local server",
    )
    g.add_argument("--cache-dir", type=Path, help="default: the user's cache directory")
    g.add_argument(
        "--history-since",
        help="read items updated since this date only (default: the whole history, which "
        "'new contributor' needs; later runs are answered 304 from the cache)",
    )
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def parse_moment(text: str, flag: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UserError(
            f"{flag} {text!r}: not a date or timestamp; write 2026-01-31 or 2026-01-31T12:00:00Z"
        ) from None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if not EARLIEST <= moment <= LATEST:
        raise UserError(
            f"{flag} {text!r}: outside {EARLIEST.year}–{LATEST.year}; give a date in that range"
        )
    return moment


def window_from(args, now: datetime) -> Window:
    until = parse_moment(args.until, "--until") if args.until else now
    since = parse_moment(args.since, "--since") if args.since else until - timedelta(days=90)
    if since >= until:
        raise UserError(
            f"--since {since.isoformat()} is not before --until {until.isoformat()}; "
            "the window must not be empty"
        )
    return Window(since, until)


def _policy(args, root: Path | None):
    path = args.policy
    if path is None and root is not None and (root / POLICY_FILE).is_file():
        path = root / POLICY_FILE
    if path is None:
        return None
    from ..policy import load_policy  # the policy's models load only when a policy is read

    return load_policy(path=path)


def _github_client(args):
    from ..community_report.sources.github import default_cache_dir
    from ..github import GitHubClient

    return GitHubClient(
        os.environ.get(args.token_env), args.api_url, args.cache_dir or default_cache_dir(),
        token_env=args.token_env,
    )  # fmt: skip


def collect(args, window: Window, source: str, store=None, summarise: bool = False):
    """Read one source into records, with the policy that applies to it; with a store, the
    records are kept there too. With ``summarise`` (one window's report: nothing reads older
    commits one by one), a git history's commits before the previous window are summarised
    a person (records.EarlierCommits)."""
    if not Path(source).exists() and REPO.match(source):
        from ..community_report.sources import github as gh_source
        from ..community_report.sources.git import toplevel as git_toplevel

        here = git_toplevel(Path.cwd())
        policy = _policy(args, here)
        token = os.environ.get(args.token_env)
        activity = gh_source.read(
            source,
            token=token,
            token_env=args.token_env,
            api_url=args.api_url,
            history_since=parse_moment(args.history_since, "--history-since")
            if args.history_since
            else None,
            cache_dir=args.cache_dir,
            policy=policy,
            progress=not args.no_progress and sys.stderr.isatty(),
            popularity=store is not None and args.by is not None,  # stars over time
        )
        if store is not None:  # kept, then read back: the report is built from the store
            timelines = activity.discussions is not None  # read (with a token)
            store.put_github(activity.source, activity.issues, activity.comments,
                             activity.reviews, activity.item_events if timelines else None,
                             activity.discussions)  # fmt: skip
            if activity.popularity is not None:
                store.put_popularity(activity.source, activity.popularity)
            activity.issues, activity.comments, activity.reviews = store.github_records(
                activity.source
            )
            if timelines:
                activity.item_events, activity.discussions = store.github_extras(activity.source)
        return activity, policy

    from ..community_report.sources import git as git_source

    path = Path(source)
    git_source.check_repository(path)
    root = git_source.toplevel(path)
    policy = _policy(args, root)
    activity = git_source.read_commits(
        path,
        detail_since=window.since,  # file statistics are shown for this window only
        is_bot=_is_bot(policy),
        until=window.until,
        known_emails=_known(policy),
        exclude=tuple(args.exclude),
        include=tuple(args.include),
        keep_generated=args.keep_generated,
        store=store,
        summary_before=window.previous().since if summarise else None,
    )
    if args.blame:
        flags, note = git_source.blame_flags(
            path, args.blame_whitespace, args.blame_moves, args.blame_copies,
            not args.no_ignore_revs,
        )  # fmt: skip
        git_source.read_blame(path, activity, tuple(args.exclude), tuple(args.include),
                              keep_generated=args.keep_generated, flags=tuple(flags),
                              store=store)  # fmt: skip
        if note:
            activity.notes.append(note)
    return activity, policy


def _is_bot(policy):
    from ..community_report.sources import git as git_source

    def is_bot(name: str, email: str, identity: str) -> bool:
        if git_source.default_is_bot(name, email, identity):
            return True
        return policy is not None and (policy.is_bot(identity) or policy.is_bot(name))

    return is_bot


def _known(policy) -> dict[str, str]:
    return {e: p.login for p in policy.people for e in p.emails} if policy else {}


def expand_sources(items: list[str]) -> list[str]:
    """The sources named on the command line, @FILE lists read (one a line; # comments)."""
    out = []
    for item in items:
        if item.startswith("@"):
            path = Path(item[1:])
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or exc
                raise UserError(f"{item}: cannot read the list of sources ({reason})") from None
            for n, line in enumerate(lines, 1):
                line = line.split("#", 1)[0].strip()
                if line:
                    if line.startswith("@"):
                        raise UserError(f"{path}:{n}: a list cannot name another list ({line})")
                    out.append(line)
        else:
            out.append(item)
    if not out:
        raise UserError("no sources: the list files are empty; give PATH, OWNER/REPO or ORG")
    for source in out:
        if not (Path(source).exists() or REPO.match(source) or ORG.match(source)):
            raise UserError(
                f"{source!r}: not a directory, an OWNER/REPO or an organisation name; check it"
            )
    return list(dict.fromkeys(out))


def _is_org(source: str) -> bool:
    return not Path(source).exists() and ORG.match(source) is not None


def open_store(args):
    from ..community_report.store import Store, default_path

    return Store(args.store or default_path())


def collect_all(args, window: Window, sources: list[str], store, summarise: bool = False):
    """Each source into the store and into records (an organisation: each of its public
    repositories that is neither a fork nor archived; ``summarise`` as for ``collect``).
    Returns the records per repository, the first policy found, and notes on organisations
    with nothing to read."""
    from ..community_report.sources import github as gh_source

    activities, policy, notes = [], None, []

    def add(activity) -> None:  # a repository named twice (".", its path; ORG, ORG/REPO) once
        if all(a.source != activity.source for a in activities):
            activities.append(activity)

    for source in sources:
        if not _is_org(source):
            activity, found = collect(args, window, source, store, summarise)
            add(activity)
            policy = policy or found
            continue
        client = _github_client(args)
        try:
            listed = gh_source.organisation_repositories(source, client)
        except UserError as exc:
            if "not a directory here" in str(exc):
                raise
            raise UserError(
                f"{source}: not a directory here, so read as a GitHub organisation, but: {exc}"
            ) from None
        finally:
            client.close()
        if not listed:
            notes.append(f"{source}: no public repositories but forks or archived.")
        for repo in listed:
            activity, found = collect(args, window, repo, store, summarise)
            add(activity)
            policy = policy or found
    return activities, policy, notes


def set_report(args, sources: list[str], now: datetime) -> dict:
    """Several repositories in one window: the whole set (one identity a person across them)
    and each repository, every figure of the one-window report."""
    window = window_from(args, now)
    with open_store(args) as store:
        if args.import_:
            store.import_parquet(args.import_)
        activities, policy, notes = collect_all(args, window, sources, store, summarise=True)
        if args.export:
            store.export_parquet(args.export)
            print(f"store exported to {args.export}", file=sys.stderr)
    if not activities:
        raise UserError(
            f"{', '.join(sources)}: no repository to report on; name folders, OWNER/REPO or an "
            "organisation with public repositories"
        )
    return set_of(args, activities, policy, notes, window, now)


def set_of(args, activities: list, policy, notes: list[str], window: Window, now: datetime) -> dict:
    """The set report of records already read."""
    from ..community_report.metrics import sets

    merged = sets.merge(activities, _is_bot(policy), _known(policy))
    merged.notes += notes
    # areas are per repository in a set: each repository is one (its files' paths start
    # with its name), whatever areas the policy draws inside one of them
    whole = policy.model_copy(update={"areas": {}}) if policy is not None else None
    days = args.inactive_days
    return {
        "kind": "set",
        "schema_version": SCHEMA_VERSION,
        "generated_at": now.isoformat(timespec="seconds"),
        "sources": [a.source for a in activities],
        "all": build(merged, window, whole, days, now=now),
        "repositories": {a.source: build(a, window, policy, days, now=now) for a in activities},
    }


def trends_report(args, sources: list[str], now: datetime, read: list | None = None) -> dict:
    """Every source into the store, then each metric over time, by the chosen engine. With
    ``read`` (a list), what was read is added to it for a window report: (activities,
    policy, notes)."""
    from ..community_report import engines
    from ..community_report.metrics import issue_metrics, popularity, trends
    from ..community_report.sources import gharchive

    by = args.by or "quarter"
    notes: list[str] = []
    with open_store(args) as store:
        if args.import_:
            store.import_parquet(args.import_)
        repos: list[str] = []
        policy, activities = None, None
        if args.gharchive:
            wanted = [s for s in sources if s != "."]
            names = [s for s in wanted if REPO.match(s)]
            orgs = [s for s in wanted if ORG.match(s) and not Path(s).exists()]
            got = gharchive.ingest(store, args.gharchive, names, orgs)
            print(f"GH Archive: {got['files']} files read ({got['skipped_files']} already read "
                  f"for these repositories), {got['events']:,} of their events kept",
                  file=sys.stderr)  # fmt: skip
            for name in got["changed_files"]:
                print(f"GH Archive: {name} read again: its content differs from the file of "
                      "that name read before", file=sys.stderr)  # fmt: skip
            for example in got["malformed_examples"]:
                print(f"warning: --gharchive {example}; skipped", file=sys.stderr)
            if got["malformed"]:
                print(f"warning: {got['malformed']} malformed events skipped in all; the other "
                      "events are stored", file=sys.stderr)  # fmt: skip
            keep = {f"github:{n.lower()}" for n in names}
            repos = [r for r in store.repositories() if r.startswith("github:") and (
                not wanted or r.lower() in keep
                or any(r.lower().startswith(f"github:{o.lower()}/") for o in orgs))]  # fmt: skip
            repos += [r for r in read_clones(args.clone, store) if r not in repos]
            if not repos:
                raise UserError(
                    f"none of {', '.join(wanted) or 'the repositories'} has events in these "
                    "GH Archive files; check the names and the files' hours"
                )
        else:
            activities, policy, notes = collect_all(args, window_from(args, now), sources, store)
            repos = [a.source for a in activities]
            notes += [note for a in activities for note in a.notes]
        if read is not None:
            read.append(_records_read(store, repos, activities, policy))
        missing_from = gharchive.commits_missing_from(store)
        cloned = {f"github:{name}".lower() for name, _ in map(_clone_spec, args.clone)}
        if missing_from is not None and all(r.lower() in cloned for r in repos):
            missing_from = None  # every repository's commits come from git
        ident = engines.identities(store, repos, _is_bot(policy), _known(policy))
        rows = engines.run_trends(store, repos, by, args.inactive_days, ident, args.engine,
                                  args.spark_master, args.spark_staging)  # fmt: skip
        if policy is not None and policy.responsiveness.business_hours:
            notes.append("First-response times over time are wall-clock hours; the policy's "
                         "business hours apply to the one-window report.")  # fmt: skip
        if args.export:
            store.export_parquet(args.export)
            print(f"store exported to {args.export}", file=sys.stderr)
        figures = _popularity_and_size(args, store, repos, rows, by)
        timelines, whole = _timeline_series(store, repos, rows, by)
    report = trends.shape(rows, by, repos, notes, args.engine, missing_from)
    popularity.add_to(report, figures)
    popularity.add_to(report, timelines, issue_metrics.FIGURES, whole)
    report["generated_at"] = now.isoformat(timespec="seconds")
    return report


def _records_read(store, repos: list[str], activities, policy):
    """The records of a trends run, for its window report: the sources' own (with file
    statistics, blame and tags), or — for repositories read from GH Archive — the store's
    commits, items, comments and reviews."""
    from ..community_report.records import Activity
    from ..community_report.sources.git import build_commits

    if activities is None:
        activities = []
        for repo in repos:
            activity = Activity(source=repo)
            build_commits(activity, store.raw_commits(repo), _is_bot(policy), _known(policy))
            activity.issues, activity.comments, activity.reviews = store.github_records(repo)
            activities.append(activity)
    return activities, policy, []


def _clone_spec(spec: str) -> tuple[str, Path]:
    """(OWNER/REPO, path) of a --clone value: OWNER/REPO=PATH, or PATH and its origin."""
    from ..community_report.sources import git as git_source

    name, sep, path = spec.partition("=")
    if sep and REPO.match(name):
        return name, Path(path)
    found = git_source.origin_repository(Path(spec)) if Path(spec).is_dir() else None
    if found is None:
        raise UserError(
            f"--clone {spec}: no GitHub origin remote to name its repository; write "
            "--clone OWNER/REPO=PATH"
        )
    return found, Path(spec)


def read_clones(specs: list[str], store) -> list[str]:
    """Each clone's commits into the store under its GitHub repository (the push events'
    commits, where there were any, replaced by git's); the store keys it names."""
    from ..community_report.sources import git as git_source

    known = {r.lower(): r for r in store.repositories()}
    out = []
    for spec in specs:
        name, path = _clone_spec(spec)
        git_source.check_repository(path)
        key = known.get(f"github:{name}".lower(), f"github:{name}")
        git_source.sync(path, store, key)
        out.append(key)
    return out


def _periods(rows, by: str) -> tuple[list, list[datetime], list[datetime]]:
    """The periods of the trends' rows: their first days, and their starts and ends as times."""
    from datetime import date

    from ..community_report.metrics.popularity import period_end

    starts = sorted({date.fromisoformat(str(row[1])[:10]) for row in rows})
    begins = [datetime(s.year, s.month, 1, tzinfo=UTC) for s in starts]
    return starts, begins, [period_end(s, by) for s in starts]


def _timeline_series(store, repos: list[str], rows, by: str) -> tuple[dict, dict]:
    """Per repository and for the whole set, each period's time in draft, in labels and its
    discussions, from the timelines kept in the store (GitHub sources read with a token)."""
    from dataclasses import replace

    from ..community_report.metrics import issue_metrics

    starts, begins, ends = _periods(rows, by)
    out: dict = {}
    every_issue, every_event, every_talk = [], [], []  # the whole set's
    for repo in repos:
        if not repo.startswith("github:") or not store.has_timelines(repo):
            continue
        issues = [replace(i, repo=repo) for i in store.github_records(repo)[0]]
        events, talk = store.github_extras(repo)
        events = [replace(e, repo=repo) for e in events]
        talk = [replace(d, repo=repo) for d in talk]
        found = issue_metrics.per_period(begins, ends, issues, events, talk)
        out[repo] = {s: found[b] for s, b in zip(starts, begins, strict=True)}
        every_issue += issues
        every_event += events
        every_talk += talk
    if not out:
        return {}, {}
    found = issue_metrics.per_period(begins, ends, every_issue, every_event, every_talk)
    return out, {s: found[b] for s, b in zip(starts, begins, strict=True)}


def _popularity_and_size(args, store, repos: list[str], rows, by: str) -> dict:
    """Per repository, each period's stars and forks (GitHub sources: the API's lists or GH
    Archive's events, as kept in the store) and its code's files and lines at the period's
    end (git sources)."""
    from ..community_report.metrics import popularity
    from ..community_report.sources import git as git_source

    starts, _, ends = _periods(rows, by)
    out = {}
    for repo in repos:
        stars = store.popularity(repo) if repo.startswith("github:") else None
        sizes = None
        if repo.startswith("git:"):
            sizes = git_source.sizes_at(Path(repo[4:]), ends, tuple(args.exclude),
                                        tuple(args.include), not args.keep_generated,
                                        store=store, repo=repo)  # fmt: skip
        out[repo] = popularity.per_period(starts, by, stars, sizes)
    return out


def plotly_js() -> Path:
    """Plotly.js as the ``plotly`` package ships it (the dashboard extra)."""
    from importlib.resources import files

    try:
        path = Path(str(files("plotly") / "package_data" / "plotly.min.js"))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise UserError(
            "--dashboard draws its charts with Plotly.js, from the plotly package: install the "
            "dashboard extra (pip install 'guildkit[dashboard]', or -e '.[dashboard]' in a "
            "checkout)"
        )
    return path


def write_dashboard(args, sources: list[str], now: datetime) -> int:
    """The trends and the window report of the same sources, as a static site in
    ``--dashboard DIR`` (its files replaced; nothing else there touched)."""
    import shutil

    from ..community_report.render import dashboard

    library = plotly_js()  # before anything is read: a missing extra costs nothing
    folder = args.dashboard
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--dashboard {folder}: not a folder; give a new or existing folder")
    args.by = args.by or "month"
    read: list = []
    trends = trends_report(args, sources, now, read)
    activities, policy, notes = read[0]
    window = window_from(args, now)
    if len(activities) > 1:
        report = set_of(args, activities, policy, notes, window, now)
    else:
        report = build(activities[0], window, policy, args.inactive_days, now=now)
    site = dashboard.render(trends, _published(report, args, "html"))
    try:
        (folder / "assets").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, folder / dashboard.PLOTLY)
    except OSError as exc:
        raise UserError(
            f"--dashboard {folder}: cannot write there ({exc.strerror}); give a folder you can "
            "write to"
        ) from None
    for name, text in site.items():
        write_text(folder / name, text)
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    print(f"wrote the dashboard to {folder}/index.html ({size / 1e6:.1f} MB in "
          f"{len(site) + 1} files)", file=sys.stderr)  # fmt: skip
    return 0


def _published(report: dict, args, fmt: str) -> dict:
    """The report as a reader sees it: without email addresses, unless asked or in JSON."""
    from .render.privacy import without_emails

    return report if args.show_emails or fmt in ("json", "csv") else without_emails(report)


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except Exception as exc:
        # A damaged store (a bad block, a table gone) surfaces in whichever query reads it.
        if not type(exc).__module__.lstrip("_").startswith("duckdb") or args.no_store:
            raise
        from ..community_report.store import default_path

        raise UserError(
            f"--store {args.store or default_path()}: damaged ({brief(exc)}); move it aside "
            "(a new store is filled again from git and GitHub) or give another --store"
        ) from None


def run(args) -> int:
    if not 0 < args.inactive_days <= MAX_INACTIVE_DAYS:
        raise UserError(
            f"--inactive-days {args.inactive_days}: give a number of days from 1 to "
            f"{MAX_INACTIVE_DAYS:,}"
        )
    for flag, globs in (("--include", args.include), ("--exclude", args.exclude)):
        for glob in globs:
            if not glob or glob.startswith("/"):
                raise UserError(f"{flag} {glob!r}: give a glob relative to the repository root")
    sources = expand_sources(args.source)
    over_time = args.by or args.gharchive
    if args.engine != "duckdb" and not over_time:
        raise UserError(
            f"--engine {args.engine}: the engines compute the series over time; add --by "
            "month or --by quarter"
        )
    if args.clone and not args.gharchive:
        raise UserError(
            "--clone gives commits to repositories read from GH Archive; add --gharchive FILE…, "
            "or give the clone's path as a source"
        )
    for spec in args.clone:  # before anything is read: a bad clone stores nothing
        from ..community_report.sources.git import check_repository

        check_repository(_clone_spec(spec)[1])
    # an organisation is a set of repositories, as several sources are
    several = len(sources) > 1 or any(map(_is_org, sources))
    if args.no_store and (over_time or several or args.export or args.import_ or args.dashboard):
        raise UserError(
            "--no-store: several repositories, health over time (--by, --gharchive), --export, "
            "--import and --dashboard all read the store; drop --no-store"
        )
    now = datetime.now(UTC).replace(microsecond=0)
    fmt = (
        args.format or (SUFFIXES.get(args.output.suffix.lower()) if args.output else None) or "text"
    )
    if over_time and fmt == "csv":
        raise UserError(
            "--format csv writes the window's contributor table; the series of --by have no "
            "CSV form: use --format json, or drop --by"
        )
    if args.dashboard is not None:
        return write_dashboard(args, sources, now)
    if over_time:
        from ..community_report.render.trends import TREND_RENDERERS

        text = TREND_RENDERERS[fmt](trends_report(args, sources, now))
    elif several:
        text = SET_RENDERERS[fmt](_published(set_report(args, sources, now), args, fmt))
    else:
        window = window_from(args, now)
        if args.no_store:
            activity, policy = collect(args, window, sources[0], summarise=True)
        else:
            with open_store(args) as store:
                if args.import_:
                    store.import_parquet(args.import_)
                activity, policy = collect(args, window, sources[0], store, summarise=True)
                if args.export:
                    store.export_parquet(args.export)
        report = build(activity, window, policy, args.inactive_days, now=now)
        text = RENDERERS[fmt](_published(report, args, fmt))
    if args.output:
        write_text(args.output, text)
        print(f"wrote {args.output} ({fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
