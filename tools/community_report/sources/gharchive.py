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
from tools.errors import UserError

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
COLUMNS = (
    "{id: 'VARCHAR', type: 'VARCHAR', actor: 'JSON', repo: 'JSON', payload: 'JSON', "
    "created_at: 'VARCHAR'}"
)


def _repo_filter(repos: list[str], orgs: list[str]) -> str:
    """SQL over ``name`` (owner/name): the repositories and organisations asked for, or all."""
    if not repos and not orgs:
        return "TRUE"
    parts = [f"lower(name) = '{r.lower()}'" for r in repos]
    parts += [f"starts_with(lower(name), '{o.lower()}/')" for o in orgs]
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
        "actor VARCHAR, payload JSON, created_at TIMESTAMPTZ)"
    )
    try:
        _read(con, todo)
    except duckdb.Error:
        # say which file: read them one by one (only on this failing path)
        for f in todo:
            try:
                _read(con, [f])
            except duckdb.Error as exc:
                detail = " ".join(str(exc).split())[:160]
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
    keep = _repo_filter(repos, orgs)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE ev AS SELECT 'github:' || name AS repo, * FROM gha "
        f"WHERE type IN ({', '.join(repr(t) for t in sorted(USED))}) AND {keep}"
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
    con.execute("DROP TABLE gha")
    con.execute("DROP TABLE ev")
    return out


BOT = (
    "(json_extract_string({u}, '$.type') = 'Bot' "
    "OR ends_with(json_extract_string({u}, '$.login'), '[bot]'))"
)


def _read(con, files: list[Path]) -> None:
    """All the files in one scan (DuckDB parallelises it), into the temporary table ``gha``."""
    con.execute("DELETE FROM gha")
    listed = ", ".join(f"'{_quoted(f)}'" for f in files)
    con.execute(
        f"INSERT INTO gha SELECT parse_filename(filename), type, "
        f"json_extract_string(repo, '$.name'), json_extract_string(actor, '$.login'), payload, "
        f"created_at::TIMESTAMPTZ FROM read_json([{listed}], format = 'newline_delimited', "
        f"columns = {COLUMNS}, compression = 'auto_detect', filename = true)"
    )


def _items(con) -> None:
    con.execute(
        """
        INSERT OR REPLACE INTO items
        SELECT repo, number, author, author_is_bot, author_association, title, created_at,
               updated_at, closed_at, is_pull_request, merged_at, draft, labels
        FROM (
            SELECT repo,
                   json_extract(obj, '$.number')::BIGINT AS number,
                   lower(json_extract_string(obj, '$.user.login')) AS author,
                   """
        + BOT.format(u="json_extract(obj, '$.user')")
        + """ AS author_is_bot,
                   coalesce(json_extract_string(obj, '$.author_association'), 'NONE')
                       AS author_association,
                   coalesce(json_extract_string(obj, '$.title'), '') AS title,
                   json_extract_string(obj, '$.created_at')::TIMESTAMPTZ AS created_at,
                   coalesce(json_extract_string(obj, '$.updated_at')::TIMESTAMPTZ, ev_at)
                       AS updated_at,
                   json_extract_string(obj, '$.closed_at')::TIMESTAMPTZ AS closed_at,
                   is_pr AS is_pull_request,
                   json_extract_string(obj, '$.merged_at')::TIMESTAMPTZ AS merged_at,
                   coalesce(json_extract(obj, '$.draft')::BOOLEAN, false) AS draft,
                   coalesce(CAST(json_extract_string(obj, '$.labels[*].name') AS VARCHAR[]),
                            []::VARCHAR[]) AS labels,
                   row_number() OVER (PARTITION BY repo, json_extract(obj, '$.number')::BIGINT
                                      ORDER BY ev_at DESC) AS latest
            FROM (
                SELECT repo, created_at AS ev_at,
                       CASE WHEN type = 'PullRequestEvent'
                                 OR type = 'PullRequestReviewEvent'
                                 OR type = 'PullRequestReviewCommentEvent'
                            THEN json_extract(payload, '$.pull_request')
                            ELSE json_extract(payload, '$.issue') END AS obj,
                       type LIKE 'PullRequest%'
                           OR json_extract(payload, '$.issue.pull_request') IS NOT NULL AS is_pr
                FROM ev
                WHERE type IN ('IssuesEvent', 'PullRequestEvent', 'IssueCommentEvent')
            )
            WHERE json_extract_string(obj, '$.created_at') IS NOT NULL
        )
        WHERE latest = 1
        """
    )


def _comments(con) -> None:
    con.execute(
        """
        INSERT OR REPLACE INTO comments
        SELECT repo,
               json_extract(payload, '$.comment.id')::BIGINT,
               coalesce(json_extract(payload, '$.issue.number'),
                        json_extract(payload, '$.pull_request.number'))::BIGINT,
               lower(json_extract_string(payload, '$.comment.user.login')),
               """
        + BOT.format(u="json_extract(payload, '$.comment.user')")
        + """,
               json_extract_string(payload, '$.comment.created_at')::TIMESTAMPTZ,
               contains(coalesce(json_extract_string(payload, '$.comment.body'), ''), ?)
        FROM ev
        WHERE type IN ('IssueCommentEvent', 'PullRequestReviewCommentEvent')
          AND coalesce(json_extract_string(payload, '$.action'), 'created') = 'created'
        """,
        [NUDGE_MARKER],
    )


def _reviews(con) -> None:
    con.execute(
        """
        INSERT INTO reviews
        SELECT DISTINCT n.* FROM (
            SELECT repo,
                   json_extract(payload, '$.pull_request.number')::BIGINT AS number,
                   lower(json_extract_string(payload, '$.review.user.login')) AS author,
                   """
        + BOT.format(u="json_extract(payload, '$.review.user')")
        + """
                       AS author_is_bot,
                   upper(json_extract_string(payload, '$.review.state')) AS state,
                   json_extract_string(payload, '$.review.submitted_at')::TIMESTAMPTZ
                       AS submitted_at
            FROM ev WHERE type = 'PullRequestReviewEvent'
        ) n
        ANTI JOIN reviews r ON r.repo = n.repo AND r.number = n.number
            AND r.author = n.author AND r.submitted_at = n.submitted_at
        WHERE n.submitted_at IS NOT NULL
        """
    )


def _commits(con) -> None:
    con.execute(
        """
        INSERT OR IGNORE INTO commits
        SELECT repo, sha, name, email, created_at, false,
               coalesce((SELECT max(batch) FROM commits), 0) + 1,
               row_number() OVER (ORDER BY created_at DESC, sha)::INTEGER
        FROM (
            SELECT ev.repo, ev.created_at,
                   json_extract_string(c, '$.sha') AS sha,
                   coalesce(json_extract_string(c, '$.author.name'), '') AS name,
                   coalesce(json_extract_string(c, '$.author.email'), '') AS email
            FROM ev, unnest(CAST(json_extract(ev.payload, '$.commits[*]') AS JSON[])) AS t(c)
            WHERE ev.type = 'PushEvent'
        )
        WHERE sha IS NOT NULL
        """
    )
