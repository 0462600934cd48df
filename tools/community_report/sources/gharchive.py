"""GH Archive (gharchive.org) hourly files into the store: ecosystem scale without the API.

Each file is one hour of GitHub's public events, one JSON object a line, gzipped
(``2026-11-01-15.json.gz``). DuckDB reads them (``read_json``, in C++, on every core); the
events of the repositories asked for become the store's records:

- ``IssuesEvent`` / ``PullRequestEvent``: the issue or pull request as the latest event of
  the batch shows it (title, author, dates, merged, labels);
- ``IssueCommentEvent`` / ``PullRequestReviewCommentEvent``: comments;
- ``PullRequestReviewEvent``: reviews;
- ``PushEvent``: the pushed commits it lists (author name and email; the push's time stands
  for the authoring time, which the event does not carry; merges are not marked).

Other known event types (stars, forks, releases…) are skipped; an unknown type, a truncated
or non-JSON file stops the run with one line, and nothing of it is stored (one transaction).
A file already ingested (by name) is skipped, so re-running over a folder adds only new hours.
"""

from __future__ import annotations

from pathlib import Path

from tools.community_report.sources.github import NUDGE_MARKER
from tools.community_report.store import Store, _quoted
from tools.errors import UserError, brief

USED = {
    "IssuesEvent", "PullRequestEvent", "IssueCommentEvent", "PullRequestReviewCommentEvent",
    "PullRequestReviewEvent", "PushEvent",
}  # fmt: skip
SKIPPED = {
    "CommitCommentEvent", "CreateEvent", "DeleteEvent", "DiscussionEvent", "ForkEvent",
    "GollumEvent", "MemberEvent", "PublicEvent", "PullRequestReviewThreadEvent", "ReleaseEvent",
    "SponsorshipEvent", "WatchEvent",
    # types of GH Archive's early years (2011-2014)
    "DownloadEvent", "FollowEvent", "ForkApplyEvent", "GistEvent", "TeamAddEvent",
}  # fmt: skip
USER = "STRUCT(login VARCHAR, type VARCHAR)"
# issues and pull requests read as one type, so either can be "the item" of an event
ITEM = (
    f'STRUCT(number BIGINT, title VARCHAR, "user" {USER}, created_at TIMESTAMPTZ, '
    "updated_at TIMESTAMPTZ, closed_at TIMESTAMPTZ, merged_at TIMESTAMPTZ, draft BOOLEAN, "
    "author_association VARCHAR, labels STRUCT(name VARCHAR)[], pull_request JSON)"
)
# the payload as typed columns: DuckDB parses each event once, into just these fields
PAYLOAD = (
    f"STRUCT(action VARCHAR, issue {ITEM}, pull_request {ITEM}, "
    f'comment STRUCT(id BIGINT, "user" {USER}, created_at TIMESTAMPTZ, body VARCHAR), '
    f'review STRUCT(id BIGINT, "user" {USER}, state VARCHAR, submitted_at TIMESTAMPTZ), '
    "commits STRUCT(sha VARCHAR, author STRUCT(name VARCHAR, email VARCHAR))[])"
)
COLUMNS = (
    "{type: 'VARCHAR', actor: 'STRUCT(login VARCHAR)', repo: 'STRUCT(name VARCHAR)', "
    f"payload: '{PAYLOAD}', created_at: 'TIMESTAMPTZ'}}"
)


def _repo_filter(repos: list[str], orgs: list[str], column: str = "repo.name") -> str:
    """SQL over ``column`` (owner/name): the repositories and organisations asked for, or
    every one."""
    if not repos and not orgs:
        return "TRUE"
    parts = [f"lower({column}) = '{r.lower()}'" for r in repos]
    parts += [f"starts_with(lower({column}), '{o.lower()}/')" for o in orgs]
    return "(" + " OR ".join(parts) + ")"


def ingest(store: Store, files: list[Path], repos: list[str], orgs: list[str]) -> dict:
    """Read the files not yet ingested; store their events for ``repos`` (OWNER/NAME) and
    ``orgs`` (every repository of the owner), or for every repository when both are empty.
    Returns counts: files read and skipped, events read, records stored."""
    import duckdb

    for name in [*repos, *orgs]:
        if "'" in name:
            raise UserError(f"{name!r}: not a repository or organisation name")
    done = {r[0] for r in store.con.execute("SELECT name FROM ingested").fetchall()}
    todo = [f for f in files if f.name not in done]
    for f in todo:
        if not f.is_file():
            raise UserError(f"--gharchive {f}: no such file; give GH Archive .json.gz files")
    out = {"files": len(todo), "skipped_files": len(files) - len(todo), "events": 0}
    if not todo:
        return out
    con = store.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gha (file VARCHAR, type VARCHAR, name VARCHAR, "
        f"actor VARCHAR, payload {PAYLOAD}, created_at TIMESTAMPTZ)"
    )
    keep = f"type IN ({', '.join(repr(t) for t in sorted(USED))}) AND {_repo_filter(repos, orgs)}"
    try:
        _read(con, todo, keep)
    except duckdb.Error:
        # say which file: read them one by one (only on this failing path)
        for f in todo:
            try:
                _read(con, [f], keep)
            except duckdb.Error as exc:
                detail = brief(exc)
                raise UserError(
                    f"--gharchive {f}: not a readable GH Archive file ({detail}); fetch it "
                    "again (a truncated download is the usual cause); nothing was stored"
                ) from None
        raise
    bad = con.execute(
        "SELECT file, type, count(*) FROM gha WHERE type IS NULL OR name IS NULL "
        "OR created_at IS NULL OR type NOT IN (SELECT unnest(?)) GROUP BY file, type LIMIT 1",
        [sorted(USED | SKIPPED)],
    ).fetchone()
    if bad:
        what = f"unknown event type {bad[1]!r}" if bad[1] else "an event without a type"
        raise UserError(
            f"--gharchive {bad[0]}: {what} ({bad[2]} events), or an event without its "
            "repository or time; this reader knows GitHub's public event types up to 2026; "
            "nothing was stored"
        )
    out["events"] = con.execute("SELECT count(*) FROM gha").fetchone()[0]
    con.execute(
        "CREATE OR REPLACE TEMP VIEW ev AS SELECT 'github:' || name AS repo, * FROM gha "
        "WHERE payload IS NOT NULL"
    )
    with store.transaction():
        before = store.counts()
        _items(con)
        _comments(con)
        _reviews(con)
        _commits(con)
        con.execute("INSERT OR REPLACE INTO repositories SELECT DISTINCT repo, NULL, now() FROM ev")
        con.execute("INSERT INTO ingested SELECT file, count(*), now() FROM gha GROUP BY file")
        after = store.counts()
    out.update({k: after[k] - before[k] for k in after})
    con.execute("DROP VIEW ev")
    con.execute("DROP TABLE gha")
    return out


def _bot(user: str) -> str:
    return f"({user}.type = 'Bot' OR ends_with({user}.login, '[bot]'))"


def _read(con, files: list[Path], keep: str) -> None:
    """All the files in one scan (DuckDB parallelises it), into the temporary table ``gha``:
    every event's type, repository and time (to check them all), and the payload of those
    ``keep`` selects (the rest are not copied)."""
    con.execute("DELETE FROM gha")
    listed = ", ".join(f"'{_quoted(f)}'" for f in files)
    con.execute(
        "INSERT INTO gha SELECT parse_filename(filename), type, repo.name, actor.login, "
        f"CASE WHEN {keep} THEN payload END, created_at "
        f"FROM read_json([{listed}], format = 'newline_delimited', columns = {COLUMNS}, "
        "compression = 'auto_detect', filename = true)"
    )


def _items(con) -> None:
    con.execute(
        f"""
        INSERT OR REPLACE INTO items
        SELECT repo, obj.number, lower(obj.user.login), {_bot("obj.user")},
               coalesce(obj.author_association, 'NONE'), coalesce(obj.title, ''),
               obj.created_at, coalesce(obj.updated_at, ev_at), obj.closed_at, is_pr,
               obj.merged_at, coalesce(obj.draft, false),
               coalesce(list_transform(obj.labels, lambda x: x.name), []::VARCHAR[])
        FROM (
            SELECT repo, created_at AS ev_at,
                   CASE WHEN type = 'PullRequestEvent' THEN payload.pull_request
                        ELSE payload.issue END AS obj,
                   type = 'PullRequestEvent' OR payload.issue.pull_request IS NOT NULL AS is_pr,
                   row_number() OVER (
                       PARTITION BY repo, coalesce(payload.pull_request.number,
                                                   payload.issue.number)
                       ORDER BY created_at DESC) AS latest
            FROM ev
            WHERE type IN ('IssuesEvent', 'PullRequestEvent', 'IssueCommentEvent')
        )
        WHERE latest = 1 AND obj.created_at IS NOT NULL AND obj.number IS NOT NULL
        """
    )


def _comments(con) -> None:
    con.execute(
        f"""
        INSERT OR REPLACE INTO comments
        SELECT repo, payload.comment.id,
               coalesce(payload.issue.number, payload.pull_request.number),
               lower(payload.comment.user.login), {_bot("payload.comment.user")},
               payload.comment.created_at, contains(coalesce(payload.comment.body, ''), ?)
        FROM ev
        WHERE type IN ('IssueCommentEvent', 'PullRequestReviewCommentEvent')
          AND coalesce(payload.action, 'created') = 'created'
          AND payload.comment.id IS NOT NULL AND payload.comment.created_at IS NOT NULL
        """,
        [NUDGE_MARKER],
    )


def _reviews(con) -> None:
    con.execute(
        f"""
        INSERT INTO reviews
        SELECT DISTINCT n.* FROM (
            SELECT repo, payload.pull_request.number AS number,
                   lower(payload.review.user.login) AS author,
                   {_bot("payload.review.user")} AS author_is_bot,
                   upper(payload.review.state) AS state,
                   payload.review.submitted_at AS submitted_at
            FROM ev WHERE type = 'PullRequestReviewEvent'
        ) n
        ANTI JOIN reviews r ON r.repo = n.repo AND r.number = n.number
            AND r.author = n.author AND r.submitted_at = n.submitted_at
        WHERE n.submitted_at IS NOT NULL AND n.number IS NOT NULL
        """
    )


def _commits(con) -> None:
    con.execute(
        """
        INSERT OR IGNORE INTO commits
        SELECT repo, c.sha, coalesce(c.author.name, ''), coalesce(c.author.email, ''),
               created_at, false, '', coalesce((SELECT max(batch) FROM commits), 0) + 1,
               row_number() OVER (ORDER BY created_at DESC, c.sha)::INTEGER
        FROM (SELECT repo, created_at, unnest(payload.commits) AS c FROM ev
              WHERE type = 'PushEvent')
        WHERE c.sha IS NOT NULL
        """
    )
