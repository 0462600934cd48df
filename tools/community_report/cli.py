"""``community-report``: contributor activity and project health, from git or GitHub."""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tools.community_report.metrics.report import build
from tools.community_report.metrics.window import Window
from tools.community_report.render import RENDERERS
from tools.errors import Parser, UserError, cli_entry
from tools.files import write_text
from tools.policy import load_policy
from tools.policy.model import POLICY_FILE

REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
MAX_INACTIVE_DAYS = 36_500  # a century
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".txt": "text"}


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="community-report",
        description="Who contributes, how fast the project answers, and where it depends on "
        "too few people. SOURCE is a local git repository (default: the current directory; "
        "offline, no token) or a GitHub OWNER/REPO.",
    )
    p.add_argument("source", nargs="?", default=".", metavar="SOURCE", help="PATH or OWNER/REPO")
    p.add_argument(
        "--since",
        help="window start, a date or timestamp read as UTC (default: 90 days before --until)",
    )
    p.add_argument("--until", help="window end, exclusive (default: now)")
    p.add_argument(
        "--format",
        choices=sorted(RENDERERS),
        help="default: from --output's suffix (.html, .md, .json), else text",
    )
    p.add_argument("--output", type=Path, help="write here instead of standard output")
    p.add_argument(
        "--inactive-days",
        type=int,
        default=180,
        help="a contributor with no contribution for this many days is inactive "
        f"(default 180, at most {MAX_INACTIVE_DAYS:,})",
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
        "--policy",
        type=Path,
        help="the policy file (default: governance/policy.yml of the repository, when present)",
    )
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
    if args.policy is not None:
        return load_policy(path=args.policy)
    if root is not None and (root / POLICY_FILE).is_file():
        return load_policy(path=root / POLICY_FILE)
    return None


def collect(args, window: Window):
    """Read the source into records, with the policy that applies to it."""
    source = args.source
    if not Path(source).exists() and REPO.match(source):
        from tools.community_report.sources import github as gh_source
        from tools.community_report.sources.git import toplevel as git_toplevel

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
        )
        return activity, policy

    from tools.community_report.sources import git as git_source

    path = Path(source)
    git_source.check_repository(path)
    root = git_source.toplevel(path)
    policy = _policy(args, root)

    def is_bot(name: str, email: str, identity: str) -> bool:
        if git_source.default_is_bot(name, email, identity):
            return True
        return policy is not None and (policy.is_bot(identity) or policy.is_bot(name))

    known = {e: p.login for p in policy.people for e in p.emails} if policy else {}
    activity = git_source.read_commits(
        path,
        detail_since=window.since,  # file statistics are shown for this window only
        is_bot=is_bot,
        until=window.until,
        known_emails=known,
        exclude=tuple(args.exclude),
    )
    return activity, policy


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not 0 < args.inactive_days <= MAX_INACTIVE_DAYS:
        raise UserError(
            f"--inactive-days {args.inactive_days}: give a number of days from 1 to "
            f"{MAX_INACTIVE_DAYS:,}"
        )
    for glob in args.exclude:
        if not glob or glob.startswith("/"):
            raise UserError(f"--exclude {glob!r}: give a glob relative to the repository root")
    now = datetime.now(UTC).replace(microsecond=0)
    window = window_from(args, now)
    fmt = (
        args.format or (SUFFIXES.get(args.output.suffix.lower()) if args.output else None) or "text"
    )
    activity, policy = collect(args, window)
    report = build(activity, window, policy, args.inactive_days, now=now)
    text = RENDERERS[fmt](report)
    if args.output:
        write_text(args.output, text)
        print(f"wrote {args.output} ({fmt})", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
