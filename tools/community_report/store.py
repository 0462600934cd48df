"""The store: every record the sources read, kept in one embedded DuckDB file.

A source writes what it read here, and a later run adds only what is new (git: the commits
after the stored head; GitHub: what the ETag cache and ``since`` bring back; GH Archive: the
hours not yet ingested). The metrics over time (``metrics.trends``) are SQL over these tables.

Tables hold raw facts, not derived ones: commits keep the author's name and email as git
wrote them (after .mailmap), because who is who is decided over the whole history each time
(``identities.unify``) — a new commit may join two addresses that were two people before.

Every write is one transaction: a failure leaves the store as it was. The file carries its
schema version; a file from a newer version is refused, never rewritten.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ..community_report.records import Comment, Discussion, Issue, ItemEvent, Review
from ..errors import UserError, brief

SCHEMA_VERSION = 6  # 2: ingested files kept per scope; 3: and by content (digest);
# 4: what the costly git passes compute, kept by commit (changes, diffed, blame, blamed);
# 5: stars and forks (popularity), the code's size at a commit (sizes);
# 6: label and draft events of items (item_events), discussions

TABLES = {
    "repositories": """
        repo VARCHAR PRIMARY KEY,   -- git:/abs/path, github:owner/name
        head VARCHAR,               -- git: the HEAD last read
        read_at TIMESTAMPTZ""",
    "commits": """
        repo VARCHAR NOT NULL,
        sha VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        email VARCHAR NOT NULL,
        authored_at TIMESTAMPTZ NOT NULL,
        is_merge BOOLEAN NOT NULL,
        coauthors VARCHAR NOT NULL, -- Co-authored-by values as git gave them (\x1f between)
        batch INTEGER NOT NULL,     -- the run that added it: newer batches first in git order
        pos INTEGER NOT NULL,       -- its place in that run's git log
        PRIMARY KEY (repo, sha)""",
    "coauthors": """
        repo VARCHAR NOT NULL,      -- one row a credited (name, email) of a commit
        sha VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        email VARCHAR NOT NULL""",
    "items": """
        repo VARCHAR NOT NULL,
        number BIGINT NOT NULL,
        author VARCHAR NOT NULL,
        author_is_bot BOOLEAN NOT NULL,
        author_association VARCHAR NOT NULL,
        title VARCHAR NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        closed_at TIMESTAMPTZ,
        is_pull_request BOOLEAN NOT NULL,
        merged_at TIMESTAMPTZ,
        draft BOOLEAN NOT NULL,
        labels VARCHAR[] NOT NULL,
        PRIMARY KEY (repo, number)""",
    "comments": """
        repo VARCHAR NOT NULL,
        id BIGINT NOT NULL,
        number BIGINT NOT NULL,
        author VARCHAR NOT NULL,
        author_is_bot BOOLEAN NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        nudge BOOLEAN NOT NULL,
        PRIMARY KEY (repo, id)""",
    "reviews": """
        repo VARCHAR NOT NULL,
        number BIGINT NOT NULL,
        author VARCHAR NOT NULL,
        author_is_bot BOOLEAN NOT NULL,
        state VARCHAR NOT NULL,
        submitted_at TIMESTAMPTZ NOT NULL""",
    "ingested": """
        name VARCHAR NOT NULL,      -- a GH Archive file already read (its file name)
        scope VARCHAR NOT NULL DEFAULT '?',  -- for which repositories (gharchive.scope_of)
        events BIGINT NOT NULL,     -- the events kept from it
        read_at TIMESTAMPTZ NOT NULL,
        digest VARCHAR NOT NULL DEFAULT '?',  -- its size and SHA-256: what was read, not a name
        PRIMARY KEY (name, digest, scope)""",
    # What git computes slowly, kept so that a re-run asks git only for what is new. A
    # commit's file statistics (git log --numstat -M) never change once it exists: they are
    # kept by commit, raw (before --include/--exclude and Linguist's defaults apply).
    "changes": """
        repo VARCHAR NOT NULL,      -- one row a file a commit changed
        sha VARCHAR NOT NULL,
        path VARCHAR NOT NULL,      -- the new path of a rename
        added INTEGER,              -- NULL for a binary file
        deleted INTEGER""",
    "diffed": """
        repo VARCHAR NOT NULL,      -- the commits whose changes are kept (a merge has none)
        sha VARCHAR NOT NULL,
        PRIMARY KEY (repo, sha)""",
    # Blame at a head, per file: a later head re-blames only the files changed since.
    "blame": """
        repo VARCHAR NOT NULL,
        options VARCHAR NOT NULL,   -- blame's options and what they read (blame_key)
        path VARCHAR NOT NULL,
        name VARCHAR NOT NULL,      -- as git blame gives the author (after .mailmap)
        email VARCHAR NOT NULL,
        lines INTEGER NOT NULL""",
    "blamed": """
        repo VARCHAR NOT NULL,
        options VARCHAR NOT NULL,
        head VARCHAR NOT NULL,      -- the commit the rows of blame are of
        PRIMARY KEY (repo, options)""",
    "popularity": """
        repo VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,      -- star or fork
        who VARCHAR NOT NULL,       -- the login (lower case)
        starred_at TIMESTAMPTZ NOT NULL,  -- when they starred (GitHub's starred_at) or forked
        PRIMARY KEY (repo, kind, who)""",
    "sizes": """
        repo VARCHAR NOT NULL,      -- the code at a commit: files, and lines of text files
        sha VARCHAR NOT NULL,
        options VARCHAR NOT NULL,   -- the path filters it was counted with
        files INTEGER NOT NULL,
        lines BIGINT NOT NULL,
        PRIMARY KEY (repo, sha, options)""",
    "item_events": """
        repo VARCHAR NOT NULL,
        number BIGINT NOT NULL,
        kind VARCHAR NOT NULL,      -- labeled, unlabeled, convert_to_draft, ready_for_review
        happened_at TIMESTAMPTZ NOT NULL,
        label VARCHAR NOT NULL""",
    "discussions": """
        repo VARCHAR NOT NULL,
        number BIGINT NOT NULL,
        author VARCHAR NOT NULL,
        author_is_bot BOOLEAN NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        category VARCHAR NOT NULL,
        answerable BOOLEAN NOT NULL,
        first_response_at TIMESTAMPTZ,
        answered_at TIMESTAMPTZ,
        PRIMARY KEY (repo, number)""",
}
# the schema version each table first appeared in (absent: in every version)
SINCE = {"changes": 4, "diffed": 4, "blame": 4, "blamed": 4, "popularity": 5, "sizes": 5,
         "item_events": 6, "discussions": 6}  # fmt: skip


# tables without a primary key: rows are added, or replaced per repository
KEYLESS = {"reviews", "coauthors", "changes", "blame", "item_events"}


def default_path() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("community-report")) / "store.duckdb"


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)


def _aware(value: datetime | None) -> datetime | None:
    """A time selected as naive UTC (the session's zone: no pytz needed), made aware."""
    return None if value is None else value.replace(tzinfo=UTC)


class Store:
    """One DuckDB file. Open with ``with Store(path) as store:``."""

    def __init__(self, path: Path | str, read_only: bool = False):
        import duckdb

        self.path = Path(path)
        if self.path.exists() and not self.path.is_file():
            raise UserError(f"--store {self.path}: not a file; give a path for the store file")
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise UserError(
                    f"--store {self.path}: cannot make its folder ({exc.strerror}); give a "
                    "path you can write to"
                ) from None
            if self.path.is_file() and self.path.stat().st_size == 0:
                self.path.unlink()  # an empty file (e.g. from mktemp) holds nothing: start anew
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            detail = brief(exc)
            if "lock" in detail.lower():
                raise UserError(
                    f"--store {self.path}: in use by another run; wait for it, or give another "
                    "--store"
                ) from None
            raise UserError(
                f"--store {self.path}: not a store this tool can open ({detail}); move it "
                "aside or give another --store"
            ) from None
        except duckdb.Error as exc:
            detail = brief(exc)
            raise UserError(
                f"--store {self.path}: not a DuckDB store ({detail}); move it aside or give "
                "another --store"
            ) from None
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET enable_progress_bar = false")  # stderr is for one-line messages
        self._check_schema(read_only)

    def _check_schema(self, read_only: bool) -> None:
        tables = {
            row[0] for row in self.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        if "meta" not in tables:
            if tables:
                raise UserError(
                    f"--store {self.path}: a DuckDB file, but not a community-report store "
                    f"(tables {', '.join(sorted(tables)[:5])}); give another --store"
                )
            if read_only:
                raise UserError(f"--store {self.path}: empty; run community-report with it first")
            with self.transaction():
                self.con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
                self.con.execute(
                    "INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
                )
                for name, columns in TABLES.items():
                    self.con.execute(f"CREATE TABLE {name} ({columns})")
            return
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else None
        missing = sorted(t for t in set(TABLES) - tables if SINCE.get(t, 1) <= (version or 0))
        if version is not None and version >= 2 and missing:  # schema 1 had them all too
            raise UserError(
                f"--store {self.path}: damaged (table {', '.join(missing)} missing); move it "
                "aside (a new store is filled again from git and GitHub) or give another --store"
            )
        if version is None:
            raise UserError(
                f"--store {self.path}: its schema version is unreadable; give another --store"
            )
        if version > SCHEMA_VERSION:
            raise UserError(
                f"--store {self.path}: written by a newer community-report (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}); update the tools, or give another --store"
            )
        if version < SCHEMA_VERSION:
            if read_only:
                raise UserError(
                    f"--store {self.path}: written by an older community-report (schema "
                    f"{version}); run community-report with it once to bring it up to date"
                )
            with self.transaction():
                self._migrate(version)

    def _migrate(self, version: int) -> None:
        """Bring a store of an older schema up to this one, in place (one transaction)."""
        if version < 3:  # files were kept by name only (and, before 2, for unknown scopes)
            scope = "scope" if version == 2 else "'?'"
            self.con.execute("ALTER TABLE ingested RENAME TO ingested_old")
            self.con.execute(f"CREATE TABLE ingested ({TABLES['ingested']})")
            self.con.execute(
                f"INSERT INTO ingested SELECT name, {scope}, events, read_at, '?' FROM ingested_old"
            )  # digest unknown: such a file is read again once (reading is idempotent)
            self.con.execute("DROP TABLE ingested_old")
        for name, since in SINCE.items():
            if version < since:
                self.con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({TABLES[name]})")
        self.con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
        )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # --- writing ---------------------------------------------------------------------------

    def _insert(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        verb = "INSERT" if table in KEYLESS else "INSERT OR REPLACE"
        bulk_insert(self.con, table, columns, rows, verb)

    def head(self, repo: str) -> str | None:
        row = self.con.execute("SELECT head FROM repositories WHERE repo = ?", [repo]).fetchone()
        return row[0] if row else None

    def add_commits(self, repo: str, raw: list[tuple], head: str, replace: bool = False) -> int:
        """Store git log rows (sha, parents, name, email, unix time, co-authors) read after the
        stored head; ``replace`` first drops the repository's commits (its history was
        rewritten)."""
        from ..community_report.sources.git import co_authors

        with self.transaction():
            if replace:
                for table in ("commits", "coauthors"):
                    self.con.execute(f"DELETE FROM {table} WHERE repo = ?", [repo])
            batch = self.con.execute(
                "SELECT coalesce(max(batch), 0) + 1 FROM commits WHERE repo = ?", [repo]
            ).fetchone()[0]
            rows = [
                (repo, sha, name, email, datetime.fromtimestamp(int(ts), UTC), " " in parents,
                 co, batch, i)
                for i, (sha, parents, name, email, ts, co) in enumerate(raw)
            ]  # fmt: skip
            columns = ["repo", "sha", "name", "email", "authored_at", "is_merge", "coauthors",
                       "batch", "pos"]  # fmt: skip
            self._insert("commits", columns, rows)
            credited = [(repo, r[0], n, e) for r in raw for n, e in co_authors(r[5])]
            self._insert("coauthors", ["repo", "sha", "name", "email"], credited)
            self._mark(repo, head)
        return len(rows)

    def _mark(self, repo: str, head: str | None) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO repositories VALUES (?, ?, ?)",
            [repo, head, datetime.now(UTC)],
        )

    def put_github(self, repo: str, issues: Iterable[Issue], comments: Iterable[Comment],
                   reviews: Iterable[Review], events: Iterable[ItemEvent] | None = None,
                   discussions: Iterable[Discussion] | None = None) -> None:  # fmt: skip
        """Replace what the store holds of a repository's issues, comments and reviews (and,
        when read, its items' events and its discussions) with what GitHub answered (every
        run reads it all, mostly as 304s from the ETag cache)."""
        with self.transaction():
            tables = ["items", "comments", "reviews"]
            tables += ["item_events"] if events is not None else []
            tables += ["discussions"] if discussions is not None else []
            for table in tables:
                self.con.execute(f"DELETE FROM {table} WHERE repo = ?", [repo])
            if events is not None and discussions is not None:  # read: say so, even if empty
                self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')",
                                 [f"timelines:{repo}"])  # fmt: skip
            self._put_records(repo, issues, comments, reviews)
            self._insert("item_events", ["repo", "number", "kind", "happened_at", "label"],
                         [(repo, e.number, e.kind, _utc(e.at), e.label)
                          for e in events or ()])  # fmt: skip
            self._insert(
                "discussions",
                ["repo", "number", "author", "author_is_bot", "created_at", "category",
                 "answerable", "first_response_at", "answered_at"],
                [(repo, d.number, d.author, d.author_is_bot, _utc(d.created_at), d.category,
                  d.answerable, _utc(d.first_response_at), _utc(d.answered_at))
                 for d in discussions or ()],
            )  # fmt: skip
            self._mark(repo, None)

    def has_timelines(self, repo: str) -> bool:
        """Whether the repository's timelines were read (a GitHub source with a token)."""
        row = self.con.execute("SELECT count(*) FROM meta WHERE key = ?", [f"timelines:{repo}"])
        return row.fetchone()[0] > 0

    def github_extras(self, repo: str) -> tuple[list[ItemEvent], list[Discussion]]:
        """The items' label and draft events, and the discussions, kept for ``repo``."""
        when = _aware
        events = [
            ItemEvent(n, k, when(t), lb)
            for n, k, t, lb in self.con.execute(
                "SELECT number, kind, happened_at::TIMESTAMP, label FROM item_events "
                "WHERE repo = ? ORDER BY happened_at, number, rowid",
                [repo],
            ).fetchall()
        ]
        discussions = [
            Discussion(n, a, ab, when(c), cat, ans, when(fr), when(aw))
            for n, a, ab, c, cat, ans, fr, aw in self.con.execute(
                "SELECT number, author, author_is_bot, created_at::TIMESTAMP, category, "
                "answerable, first_response_at::TIMESTAMP, answered_at::TIMESTAMP "
                "FROM discussions WHERE repo = ? ORDER BY created_at, number",
                [repo],
            ).fetchall()
        ]
        return events, discussions

    def _put_records(self, repo, issues, comments, reviews) -> None:
        self._insert(
            "items",
            ["repo", "number", "author", "author_is_bot", "author_association", "title",
             "created_at", "updated_at", "closed_at", "is_pull_request", "merged_at", "draft",
             "labels"],
            [(repo, i.number, i.author, i.author_is_bot, i.author_association, i.title,
              _utc(i.created_at), _utc(i.updated_at), _utc(i.closed_at), i.is_pull_request,
              _utc(i.merged_at), i.draft, list(i.labels)) for i in issues],
        )  # fmt: skip
        self._insert(
            "comments",
            ["repo", "id", "number", "author", "author_is_bot", "created_at", "nudge"],
            [(repo, c.id, c.number, c.author, c.author_is_bot, _utc(c.created_at), c.nudge)
             for c in comments],
        )  # fmt: skip
        self._insert(
            "reviews",
            ["repo", "number", "author", "author_is_bot", "state", "submitted_at"],
            [(repo, r.number, r.author, r.author_is_bot, r.state, _utc(r.submitted_at))
             for r in reviews],
        )  # fmt: skip

    def put_changes(self, repo: str, found: dict[str, list]) -> None:
        """Keep the file statistics git gave for these commits (sha → FileChange list; an
        empty list for a commit with none, such as a merge)."""
        if not found:
            return
        shas = list(found)
        with self.transaction():
            for table in ("changes", "diffed"):
                self.con.execute(
                    f"DELETE FROM {table} WHERE repo = ? AND sha IN (SELECT unnest(?))",
                    [repo, shas],
                )
            rows = [(repo, sha, f.path, f.added, f.deleted)
                    for sha, files in found.items() for f in files]  # fmt: skip
            self._insert("changes", ["repo", "sha", "path", "added", "deleted"], rows)
            self._insert("diffed", ["repo", "sha"], [(repo, sha) for sha in shas])

    def put_blame(self, repo: str, options: str, head: str, rows: dict[str, list],
                  drop: Iterable[str] = (), replace: bool = False) -> None:  # fmt: skip
        """Keep blame at ``head``: ``rows`` (path → (name, email, lines) list) replace what is
        kept of those paths, the ``drop`` paths (changed or gone since) are forgotten, and
        with ``replace`` every path kept before is."""
        with self.transaction():
            if replace:
                self.con.execute(
                    "DELETE FROM blame WHERE repo = ? AND options = ?", [repo, options]
                )
            gone = [*rows, *drop]
            if gone and not replace:
                self.con.execute(
                    "DELETE FROM blame WHERE repo = ? AND options = ? AND path IN "
                    "(SELECT unnest(?))",
                    [repo, options, gone],
                )
            self._insert(
                "blame",
                ["repo", "options", "path", "name", "email", "lines"],
                [(repo, options, path, name, email, n)
                 for path, found in rows.items() for name, email, n in found],
            )  # fmt: skip
            self.con.execute(
                "INSERT OR REPLACE INTO blamed VALUES (?, ?, ?)", [repo, options, head]
            )

    def put_popularity(self, repo: str, rows: Iterable[tuple[str, str, datetime]]) -> None:
        """Keep stars and forks: (kind, login, when) rows; a login's later row wins."""
        rows = [(repo, kind, who.lower(), _utc(at)) for kind, who, at in rows]
        if rows:
            with self.transaction():
                self.con.execute("CREATE OR REPLACE TEMP TABLE stars_in AS "
                                 "SELECT * FROM popularity LIMIT 0")  # fmt: skip
                bulk_insert(self.con, "stars_in", ["repo", "kind", "who", "starred_at"], rows)
                upsert(self.con, "popularity", "SELECT DISTINCT ON (repo, kind, who) * "
                       "FROM stars_in ORDER BY repo, kind, who, starred_at DESC")  # fmt: skip
                self.con.execute("DROP TABLE stars_in")

    def put_sizes(self, repo: str, options: str, rows: dict[str, tuple[int, int]]) -> None:
        with self.transaction():
            self._insert("sizes", ["repo", "sha", "options", "files", "lines"],
                         [(repo, sha, options, f, n) for sha, (f, n) in rows.items()])  # fmt: skip

    # --- reading ---------------------------------------------------------------------------

    def popularity(self, repo: str) -> list[tuple[str, datetime]]:
        """(kind, when) of each star and fork of the repository, oldest first."""
        return [
            (kind, _aware(at))
            for kind, at in self.con.execute(
                "SELECT kind, starred_at::TIMESTAMP FROM popularity WHERE repo = ? "
                "ORDER BY starred_at",
                [repo],
            ).fetchall()
        ]

    def sizes_of(self, repo: str, options: str) -> dict[str, tuple[int, int]]:
        return {
            sha: (f, n)
            for sha, f, n in self.con.execute(
                "SELECT sha, files, lines FROM sizes WHERE repo = ? AND options = ?",
                [repo, options],
            ).fetchall()
        }

    def changes_of(self, repo: str, shas: list[str]) -> dict[str, list[tuple]]:
        """The kept file statistics of those of ``shas`` that were diffed before: sha →
        (path, added, deleted) rows, in git's order."""
        out: dict[str, list[tuple]] = {
            sha: []
            for (sha,) in self.con.execute(
                "SELECT sha FROM diffed WHERE repo = ? AND sha IN (SELECT unnest(?))",
                [repo, shas],
            ).fetchall()
        }
        if out:
            for sha, path, added, deleted in self.con.execute(
                "SELECT sha, path, added, deleted FROM changes WHERE repo = ? AND sha IN "
                "(SELECT unnest(?)) ORDER BY rowid",
                [repo, list(out)],
            ).fetchall():
                out[sha].append((path, added, deleted))
        return out

    def blame_of(self, repo: str, options: str) -> tuple[str | None, dict[str, list[tuple]]]:
        """The head blame was last kept at for these options, and its rows per path."""
        row = self.con.execute(
            "SELECT head FROM blamed WHERE repo = ? AND options = ?", [repo, options]
        ).fetchone()
        rows: dict[str, list[tuple]] = {}
        if row:
            for path, name, email, n in self.con.execute(
                "SELECT path, name, email, lines FROM blame WHERE repo = ? AND options = ? "
                "ORDER BY rowid",
                [repo, options],
            ).fetchall():
                rows.setdefault(path, []).append((name, email, n))
        return (row[0] if row else None), rows

    def raw_commits(self, repo: str, before: int | None = None) -> list[tuple]:
        """The repository's commits as git log rows, in git log's order (newest run first);
        with ``before`` (unix seconds), those ``git.summarise`` keeps one a commit."""
        kept = "" if before is None else "AND (authored_at >= to_timestamp(?) OR coauthors <> '')"
        return self.con.execute(  # parents as git log gives them: a merge has two
            "SELECT sha, CASE WHEN is_merge THEN 'a b' ELSE 'a' END, name, email, "
            f"epoch(authored_at)::BIGINT, coauthors FROM commits WHERE repo = ? {kept} "
            "ORDER BY batch DESC, pos",
            [repo] if before is None else [repo, before],
        ).fetchall()

    def earlier_commits(self, repo: str, before: int | None) -> list[tuple]:
        """The rest of the commits, summarised a (name, email) as ``git.summarise`` does."""
        if before is None:
            return []
        return self.con.execute(
            """SELECT name, email, count(*) FILTER (WHERE NOT is_merge),
                      epoch(min(authored_at) FILTER (WHERE NOT is_merge))::BIGINT,
                      epoch(max(authored_at) FILTER (WHERE NOT is_merge))::BIGINT,
                      count(*) FILTER (WHERE is_merge), epoch(max(authored_at))::BIGINT AS latest
               FROM commits
               WHERE repo = ? AND authored_at < to_timestamp(?) AND coauthors = ''
               GROUP BY name, email ORDER BY latest DESC, name, email""",
            [repo, before],
        ).fetchall()

    def github_records(self, repo: str) -> tuple[list[Issue], list[Comment], list[Review]]:
        when = _aware
        issues = [
            Issue(n, a, ab, assoc, t, when(c), when(u), when(cl), pr, when(m), d, tuple(lb))
            for n, a, ab, assoc, t, c, u, cl, pr, m, d, lb in self.con.execute(
                "SELECT number, author, author_is_bot, author_association, title, "
                "created_at::TIMESTAMP, updated_at::TIMESTAMP, closed_at::TIMESTAMP, "
                "is_pull_request, merged_at::TIMESTAMP, draft, labels FROM items "
                "WHERE repo = ? ORDER BY created_at, number",
                [repo],
            ).fetchall()
        ]
        comments = [
            Comment(i, n, a, ab, when(c), nd)
            for i, n, a, ab, c, nd in self.con.execute(
                "SELECT id, number, author, author_is_bot, created_at::TIMESTAMP, nudge "
                "FROM comments "
                "WHERE repo = ? ORDER BY created_at, id",
                [repo],
            ).fetchall()
        ]
        reviews = [
            Review(n, a, ab, s, when(t))
            for n, a, ab, s, t in self.con.execute(
                "SELECT number, author, author_is_bot, state, submitted_at::TIMESTAMP FROM reviews "
                "WHERE repo = ? ORDER BY submitted_at, number",
                [repo],
            ).fetchall()
        ]
        return issues, comments, reviews

    def repositories(self) -> list[str]:
        return [
            r[0] for r in self.con.execute("SELECT repo FROM repositories ORDER BY repo").fetchall()
        ]

    def counts(self) -> dict[str, int]:
        return {
            t: self.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("commits", "items", "comments", "reviews")
        }

    # --- sharing ---------------------------------------------------------------------------

    def export_parquet(self, folder: Path) -> list[Path]:
        """One Parquet file per table, for sharing or for another engine to read."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(
                f"--export {folder}: cannot make that folder ({exc.strerror}); give a new or "
                "empty folder you can write to"
            ) from None
        out = []
        for table in ("meta", *TABLES):
            path = folder / f"{table}.parquet"
            self.con.execute(f"COPY {table} TO '{_quoted(path)}' (FORMAT parquet)")
            out.append(path)
        return out

    def import_parquet(self, folder: Path) -> dict[str, int]:
        """Add the records of an exported store (rows already here are replaced by theirs)."""
        import duckdb

        if not (folder / "meta.parquet").is_file():
            raise UserError(
                f"--import {folder}: meta.parquet is missing; give a folder written by --export"
            )
        try:
            meta = dict(
                self.con.execute(f"SELECT * FROM '{_quoted(folder / 'meta.parquet')}'").fetchall()
            )
        except duckdb.Error as exc:
            raise UserError(
                f"--import {folder}: meta.parquet is unreadable ({str(exc)[:120]})"
            ) from None
        version = int(meta.get("schema_version", "0") or 0)
        if version > SCHEMA_VERSION:
            raise UserError(
                f"--import {folder}: exported by a newer community-report (schema {version}, "
                f"this one reads up to {SCHEMA_VERSION}); update the tools first"
            )
        tables = [t for t in TABLES if SINCE.get(t, 1) <= max(version, 1)]
        missing = [t for t in tables if not (folder / f"{t}.parquet").is_file()]
        if missing:
            raise UserError(
                f"--import {folder}: {missing[0]}.parquet is missing; give a folder written by "
                "--export"
            )
        added = {}
        try:
            with self.transaction():
                for table in tables:
                    path = _quoted(folder / f"{table}.parquet")
                    # no key, or kept with another table (a commit's changes, its mark in
                    # diffed): replace the repositories' rows whole
                    if table in KEYLESS or table in ("diffed", "blamed"):
                        self.con.execute(
                            f"DELETE FROM {table} WHERE repo IN "
                            f"(SELECT DISTINCT repo FROM '{path}')"
                        )
                    query = f"SELECT * FROM '{path}'"
                    if table == "ingested" and version < 3:  # scope (< 2), digest unknown
                        scope = "scope" if version == 2 else "'?' AS scope"
                        query = (
                            f"SELECT name, {scope}, events, read_at, '?' AS digest FROM '{path}'"
                        )
                    upsert(self.con, table, query)
                    added[table] = self.con.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
        except duckdb.Error as exc:
            detail = brief(exc)
            raise UserError(
                f"--import {folder}: not an export of this store ({detail}); nothing was imported"
            ) from None
        return added


def upsert(con, table: str, query: str, params: list | None = None) -> None:
    """Put the rows ``query`` gives into ``table``, replacing the rows with the same primary
    key (or, for a table without one, adding them). Columns are matched by name. Deleting
    the old rows first, then inserting, is many times faster in DuckDB than ``INSERT OR
    REPLACE`` when many keys are already there."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS {query}", params or [])
    row = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchone()
    if row:
        on = " AND ".join(f"{table}.{k} = incoming.{k}" for k in row[0])
        con.execute(f"DELETE FROM {table} USING incoming WHERE {on}")
    con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming")
    con.execute("DROP TABLE incoming")


def bulk_insert(
    con, table: str, columns: list[str], rows: list[tuple], verb: str = "INSERT"
) -> None:
    """Insert many rows at once: written as JSON lines to a temporary file that DuckDB parses
    into the table's own column types (100,000 rows in about a second here; passing them
    as Python values is tens of times slower)."""
    import json
    import os
    import tempfile

    if not rows:
        return
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall()
    )
    spec = "{" + ", ".join(f"{c}: '{types[c]}'" for c in columns) + "}"
    fd, name = tempfile.mkstemp(prefix="community-report-", suffix=".ndjson")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            dumps = json.dumps
            for row in rows:
                record = {
                    c: v.isoformat() if isinstance(v, datetime) else v
                    for c, v in zip(columns, row, strict=True)
                }
                f.write(dumps(record, ensure_ascii=False) + "\n")
        con.execute(
            f"{verb} INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM "
            f"read_json('{_quoted(Path(name))}', format = 'newline_delimited', columns = {spec})"
        )
    finally:
        os.unlink(name)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
