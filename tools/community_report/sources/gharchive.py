"""GH Archive (gharchive.org) hourly files into the store: ecosystem scale without the API.

Each file is one hour of GitHub's public events, one JSON object a line, gzipped
(``2026-11-01-15.json.gz``). DuckDB reads them (``read_json``, in C++, on every core); the
events of the repositories asked for become the store's records:

- ``IssuesEvent`` / ``PullRequestEvent``: the issue or pull request as its latest event
  shows it (title, author, dates, merged, labels), whatever order the hours are read in;
- ``IssueCommentEvent`` / ``PullRequestReviewCommentEvent``: comments;
- ``PullRequestReviewEvent``: reviews;
- ``PushEvent``: the pushed commits it lists (author name and email; the push's time stands
  for the authoring time, which the event does not carry; merges are not marked).

Other known event types (stars, forks, releases…) are skipped; an unknown type, a truncated
or non-JSON file stops the run with one line, and nothing of it is stored (one transaction).
An event whose payload lacks what it must hold, or holds it with the wrong type (an issue
``number`` of ``"seven"``), is skipped and counted, with a warning naming its file and line;
the others are stored.

Since October 2025 GitHub's PushEvent payloads list no commits (``push_id``, ``ref``,
``head``, ``before`` only): such pushes are counted, the hour from which they start is kept
in the store, and the trends say that commits are unknown from then (read them from git).

A file already read for these repositories is skipped, so re-running over a folder adds only
new hours; asked for other repositories, it is read again for them. Files are known by their
content (size and SHA-256), not their name: a file replaced by another of the same name (a
truncated or empty download fetched again) is read again, and the run says so.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime
from pathlib import Path

from ...community_report.sources.github import NUDGE_MARKER
from ...community_report.store import Store, _quoted, upsert
from ...errors import UserError, brief

USED = {
    "IssuesEvent", "PullRequestEvent", "IssueCommentEvent", "PullRequestReviewCommentEvent",
    "PullRequestReviewEvent", "PushEvent", "WatchEvent", "ForkEvent",
}  # fmt: skip
SKIPPED = {
    "CommitCommentEvent", "CreateEvent", "DeleteEvent", "DiscussionEvent",
    "GollumEvent", "MemberEvent", "PublicEvent", "PullRequestReviewThreadEvent", "ReleaseEvent",
    "SponsorshipEvent",
    # types of GH Archive's early years (2011-2014)
    "DownloadEvent", "FollowEvent", "ForkApplyEvent", "GistEvent", "TeamAddEvent",
}  # fmt: skip
USER = {"login": "VARCHAR", "type": "VARCHAR"}
# issues and pull requests read as one shape, so either can be "the item" of an event
ITEM = {
    "number": "BIGINT", "title": "VARCHAR", "user": USER, "created_at": "TIMESTAMPTZ",
    "updated_at": "TIMESTAMPTZ", "closed_at": "TIMESTAMPTZ", "merged_at": "TIMESTAMPTZ",
    "draft": "BOOLEAN", "author_association": "VARCHAR", "labels": [{"name": "VARCHAR"}],
    "pull_request": "JSON",
}  # fmt: skip
# the fields of a payload the store keeps; everything else in it is never converted
PAYLOAD = {
    "action": "VARCHAR", "issue": ITEM, "pull_request": ITEM,
    "comment": {"id": "BIGINT", "user": USER, "created_at": "TIMESTAMPTZ", "body": "VARCHAR"},
    "review": {"id": "BIGINT", "user": USER, "state": "VARCHAR", "submitted_at": "TIMESTAMPTZ"},
    "commits": [{"sha": "VARCHAR", "author": {"name": "VARCHAR", "email": "VARCHAR"}}],
}  # fmt: skip


def _type(shape) -> str:
    """DuckDB's type for a ``PAYLOAD``-style shape."""
    if isinstance(shape, str):
        return shape
    if isinstance(shape, list):
        return _type(shape[0]) + "[]"
    return "STRUCT(" + ", ".join(f'"{k}" {_type(v)}' for k, v in shape.items()) + ")"


def _repo_filter(repos: list[str], orgs: list[str], column: str = "repo.name") -> str:
    """SQL over ``column`` (owner/name): the repositories and organisations asked for, or
    every one."""
    if not repos and not orgs:
        return "TRUE"
    parts = [f"lower({column}) = '{r.lower()}'" for r in repos]
    parts += [f"starts_with(lower({column}), '{o.lower()}/')" for o in orgs]
    return "(" + " OR ".join(parts) + ")"


def scope_of(repos: list[str], orgs: list[str]) -> list[str]:
    """What a run keeps, as the ``ingested`` table records it: ``owner/name``, ``owner/*``
    for an organisation, ``*`` for every repository."""
    return sorted({r.lower() for r in repos} | {f"{o.lower()}/*" for o in orgs}) or ["*"]


def _covered(entry: str, stored: set[str]) -> bool:
    return "*" in stored or entry in stored or f"{entry.split('/')[0]}/*" in stored


def digest(path: Path) -> str:
    """What a file holds, as the store remembers it: its size and SHA-256."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        raise UserError(
            f"--gharchive {path}: no such file; give GH Archive .json.gz files"
        ) from None
    return f"{path.stat().st_size}:{h.hexdigest()}"


PUSHES_WITHOUT_COMMITS = "push_commits_missing_from"  # meta key: the first such hour

# What each used event must hold, as (types, column, what a reader is told)
REQUIRED = (
    (("IssuesEvent", "IssueCommentEvent"), "payload.issue.number", "the issue number"),
    (("PullRequestEvent", "PullRequestReviewEvent", "PullRequestReviewCommentEvent"),
     "payload.pull_request.number", "the pull request number"),
    (("IssueCommentEvent", "PullRequestReviewCommentEvent"), "payload.comment.id",
     "the comment id"),
    (("IssueCommentEvent", "PullRequestReviewCommentEvent"), "payload.comment.created_at",
     "the comment time"),
)  # fmt: skip


def commits_missing_from(store: Store) -> datetime | None:
    """The first hour whose PushEvents listed no commits (GitHub's format since 2025-10),
    as ingested into this store; None when every push read listed its commits."""
    row = store.con.execute(
        "SELECT value FROM meta WHERE key = ?", [PUSHES_WITHOUT_COMMITS]
    ).fetchone()
    return datetime.fromisoformat(row[0]) if row else None


def _line_of(path: Path, event_id: str | None) -> str:
    """The line of an event in its file, found by its id (only on the warning path)."""
    if event_id:
        needle = f'"id":"{event_id}"'.encode()
        with gzip.open(path, "rb") as f:
            for n, line in enumerate(f, 1):
                if needle in line.replace(b" ", b""):
                    return f"line {n}"
    return "a line"


def ingest(store: Store, files: list[Path], repos: list[str], orgs: list[str]) -> dict:
    """Read the files not yet ingested for these repositories; store their events for
    ``repos`` (OWNER/NAME) and ``orgs`` (every repository of the owner), or for every
    repository when both are empty. A file read before for other repositories is read again
    for the new ones. Returns counts: files read and skipped, events kept, records stored."""
    import duckdb

    for name in [*repos, *orgs]:
        if "'" in name:
            raise UserError(f"{name!r}: not a repository or organisation name")
    scope = scope_of(repos, orgs)
    stored: dict[tuple[str, str], set[str]] = {}
    names: set[str] = set()
    for name, sha, entries in store.con.execute(
        "SELECT name, digest, scope FROM ingested"
    ).fetchall():
        stored.setdefault((name, sha), set()).update(entries.split(","))
        names.add(name)
    for f in files:
        if not f.is_file():
            raise UserError(f"--gharchive {f}: no such file; give GH Archive .json.gz files")
    digests = {f: digest(f) for f in files}
    todo = [
        f
        for f in files
        if not all(_covered(e, stored.get((f.name, digests[f]), set())) for e in scope)
    ]
    out = {
        "files": len(todo),
        "skipped_files": len(files) - len(todo),
        "events": 0,
        # read again: a file of that name was read before, with other content
        "changed_files": sorted(
            f.name for f in todo if f.name in names and not stored.get((f.name, digests[f]))
        ),
        "malformed": 0,
        "malformed_examples": [],
        "pushes_without_commits": 0,
    }
    if not todo:
        return out
    con = store.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE gha (file VARCHAR, id VARCHAR, type VARCHAR, "
        f"name VARCHAR, actor VARCHAR, payload {_type(PAYLOAD)}, created_at TIMESTAMPTZ)"
    )
    try:
        _read(con, todo, repos, orgs)
    except duckdb.Error:
        try:  # typed reading refuses a value of the wrong type: read leniently, then check
            _read(con, todo, repos, orgs, lenient=True)
        except duckdb.Error:
            # say which file: read them one by one (only on this failing path)
            for f in todo:
                try:
                    _read(con, [f], repos, orgs, lenient=True)
                except duckdb.Error as exc:
                    detail = brief(exc)
                    raise UserError(
                        f"--gharchive {f}: not a readable GH Archive file ({detail}); fetch "
                        "it again (a truncated download is the usual cause); nothing was stored"
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
    _drop_malformed(con, todo, out)
    pushes = con.execute(
        "SELECT count(*), min(created_at) FROM gha WHERE type = 'PushEvent' "
        "AND payload IS NOT NULL AND payload.commits IS NULL"
    ).fetchone()
    out["pushes_without_commits"] = pushes[0]
    kept = dict(con.execute("SELECT file, count(*) FROM gha GROUP BY file").fetchall())
    out["events"] = sum(kept.values())
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
        _popularity(con)
        con.execute("INSERT OR REPLACE INTO repositories SELECT DISTINCT repo, NULL, now() FROM ev")
        con.executemany(
            "INSERT OR REPLACE INTO ingested (name, scope, events, read_at, digest) "
            "VALUES (?, ?, ?, now(), ?)",
            [(f.name, ",".join(scope), kept.get(f.name, 0), digests[f]) for f in todo],
        )
        if pushes[0]:
            first = pushes[1].isoformat()
            known = con.execute(
                "SELECT value FROM meta WHERE key = ?", [PUSHES_WITHOUT_COMMITS]
            ).fetchone()
            if known is None or first < known[0]:
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)", [PUSHES_WITHOUT_COMMITS, first]
                )
        after = store.counts()
    out.update({k: after[k] - before[k] for k in after})
    con.execute("DROP VIEW ev")
    con.execute("DROP TABLE gha")
    return out


def _drop_malformed(con, files: list[Path], out: dict) -> None:
    """Kept events that lack what they must hold, or hold it with the wrong type (read
    leniently, a wrong type is NULL): counted, three of them named by file and line, and
    dropped so that the others are stored."""
    cases = " ".join(
        f"WHEN type IN ({', '.join(repr(t) for t in types)}) AND {column} IS NULL THEN {what!r}"
        for types, column, what in REQUIRED
    )
    rows = con.execute(
        f"SELECT file, id, type, CASE {cases} END AS what FROM gha "
        "WHERE payload IS NOT NULL AND what IS NOT NULL ORDER BY file, id"
    ).fetchall()
    if not rows:
        return
    by_name = {f.name: f for f in files}
    out["malformed"] = len(rows)
    out["malformed_examples"] = [
        f"{by_name[file]} {_line_of(by_name[file], event_id)}: {kind} {event_id}: {what} is "
        "missing or not of its type"
        for file, event_id, kind, what in rows[:3]
    ]
    con.execute(f"DELETE FROM gha WHERE payload IS NOT NULL AND (CASE {cases} END) IS NOT NULL")


def _bot(user: str) -> str:
    return f"({user}.type = 'Bot' OR ends_with({user}.login, '[bot]'))"


def _read(con, files: list[Path], repos: list[str], orgs: list[str], lenient: bool = False) -> None:
    """All the files in one scan (DuckDB parallelises it), into the temporary table ``gha``:
    the events the store keeps, with their payloads converted, and any event whose type is
    unknown or that lacks its type, repository or time (to be refused). The others are parsed
    and checked, never copied.

    Read for some repositories, a payload stays JSON text until its event is known to be
    kept (most are not: converting only those is the saving); read for every repository,
    payloads are converted as they are parsed (most are kept: parsing them twice would cost
    more). ``lenient`` converts every payload from JSON text, where a value of the wrong
    type becomes NULL instead of stopping the scan."""
    import json

    con.execute("DELETE FROM gha")
    listed = ", ".join(f"'{_quoted(f)}'" for f in files)
    used = ", ".join(repr(t) for t in sorted(USED))
    known = ", ".join(repr(t) for t in sorted(USED | SKIPPED))
    keep = f"type IN ({used}) AND {_repo_filter(repos, orgs)}"
    odd = f"type IS NULL OR type NOT IN ({known}) OR repo.name IS NULL OR created_at IS NULL"
    if repos or orgs or lenient:
        payload, typed = f"json_transform(payload, '{json.dumps(PAYLOAD)}')", "JSON"
    else:
        payload, typed = "payload", _type(PAYLOAD)
    columns = (
        "{id: 'VARCHAR', type: 'VARCHAR', actor: 'STRUCT(login VARCHAR)', "
        "repo: 'STRUCT(name VARCHAR)', "
        f"payload: '{typed}', created_at: 'TIMESTAMPTZ'}}"
    )
    con.execute(
        "INSERT INTO gha SELECT parse_filename(filename), id, type, repo.name, actor.login, "
        f"CASE WHEN {keep} THEN {payload} END, created_at "
        f"FROM read_json([{listed}], format = 'newline_delimited', columns = {columns}, "
        f"compression = 'auto_detect', filename = true) WHERE ({keep}) OR {odd}"
    )


def _items(con) -> None:
    """Each item as its latest event shows it; an item the store already holds from a later
    event (files read out of order) is left as it is."""
    upsert(
        con,
        "items",
        f"""
        SELECT n.* FROM (
            SELECT repo, obj.number AS number, lower(obj.user.login) AS author,
                   {_bot("obj.user")} AS author_is_bot,
                   coalesce(obj.author_association, 'NONE') AS author_association,
                   coalesce(obj.title, '') AS title, obj.created_at AS created_at,
                   coalesce(obj.updated_at, ev_at) AS updated_at, obj.closed_at AS closed_at,
                   is_pr AS is_pull_request, obj.merged_at AS merged_at,
                   coalesce(obj.draft, false) AS draft,
                   coalesce(list_transform(obj.labels, lambda x: x.name), []::VARCHAR[])
                       AS labels
            FROM (
                SELECT repo, created_at AS ev_at,
                       CASE WHEN type = 'PullRequestEvent' THEN payload.pull_request
                            ELSE payload.issue END AS obj,
                       type = 'PullRequestEvent' OR payload.issue.pull_request IS NOT NULL
                           AS is_pr,
                       row_number() OVER (
                           PARTITION BY repo, coalesce(payload.pull_request.number,
                                                       payload.issue.number)
                           ORDER BY created_at DESC) AS latest
                FROM ev
                WHERE type IN ('IssuesEvent', 'PullRequestEvent', 'IssueCommentEvent')
            )
            WHERE latest = 1 AND obj.created_at IS NOT NULL AND obj.number IS NOT NULL
        ) n
        ANTI JOIN items o ON o.repo = n.repo AND o.number = n.number
            AND o.updated_at > n.updated_at
        """,
    )


def _comments(con) -> None:
    upsert(
        con,
        "comments",
        f"""
        SELECT DISTINCT ON (repo, id) * FROM (
            SELECT repo, payload.comment.id AS id,
                   coalesce(payload.issue.number, payload.pull_request.number) AS number,
                   lower(payload.comment.user.login) AS author,
                   {_bot("payload.comment.user")} AS author_is_bot,
                   payload.comment.created_at AS created_at,
                   contains(coalesce(payload.comment.body, ''), ?) AS nudge
            FROM ev
            WHERE type IN ('IssueCommentEvent', 'PullRequestReviewCommentEvent')
              AND coalesce(payload.action, 'created') = 'created'
              AND payload.comment.id IS NOT NULL AND payload.comment.created_at IS NOT NULL
        )
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


def _popularity(con) -> None:
    """Stars (a WatchEvent: GitHub's name for starring) and forks, each login's latest."""
    upsert(
        con,
        "popularity",
        """
        SELECT DISTINCT ON (repo, kind, who) repo, kind, who, starred_at FROM (
            SELECT repo, CASE type WHEN 'WatchEvent' THEN 'star' ELSE 'fork' END AS kind,
                   lower(actor) AS who, created_at AS starred_at
            FROM ev WHERE type IN ('WatchEvent', 'ForkEvent') AND actor IS NOT NULL
        ) ORDER BY repo, kind, who, starred_at DESC
        """,
    )


def _commits(con) -> None:
    """The pushed commits not yet stored (a commit pushed to two branches is kept once)."""
    con.execute(
        """
        INSERT INTO commits
        SELECT DISTINCT ON (n.repo, n.sha) n.* FROM (
            SELECT repo, c.sha AS sha, coalesce(c.author.name, '') AS name,
                   coalesce(c.author.email, '') AS email, created_at AS authored_at,
                   false AS is_merge, '' AS coauthors,
                   coalesce((SELECT max(batch) FROM commits), 0) + 1 AS batch,
                   row_number() OVER (ORDER BY created_at DESC, c.sha)::INTEGER AS pos
            FROM (SELECT repo, created_at, unnest(payload.commits) AS c FROM ev
                  WHERE type = 'PushEvent')
            WHERE c.sha IS NOT NULL
        ) n
        ANTI JOIN commits o ON o.repo = n.repo AND o.sha = n.sha
        ORDER BY n.repo, n.sha, n.pos
        """
    )
