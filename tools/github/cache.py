"""An on-disk cache of GitHub responses with their ETags (SQLite, one row per URL).

Only URLs, ETags and response bodies are stored — never a token or a request header. Each page
is committed as soon as it arrives, so an interrupted run loses nothing it already fetched.

What one token could read, another may not: every key is scoped by the caller's ``scope`` (a
one-way digest of the token, never the token), so a run with another token, or none, never
gets a response cached for someone else. The folder is private to its owner (0700) and the
database file too (0600). A damaged database is moved aside and rebuilt; a damaged row is
dropped and fetched again.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

from ..errors import UserError


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(OSError):  # a folder we do not own: leave its mode alone
        if folder.stat().st_mode & 0o077:
            folder.chmod(0o700)


class ResponseCache:
    def __init__(self, path: Path, scope: str = "anonymous"):
        _private_dir(path.parent)
        self.path = path
        self.scope = scope
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:
            # not a database, or a damaged one: keep it for inspection, start afresh
            aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
            print(
                f"warning: {path}: the cache is damaged ({exc}); moved to {aside.name}, "
                "starting an empty cache",
                file=sys.stderr,
            )
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.replace(f"{path}{suffix}", f"{aside}{suffix}")
            try:
                self.db = self._open()
            except sqlite3.DatabaseError as again:
                raise UserError(
                    f"{path}: cannot create the cache ({again}); use --cache-dir"
                ) from None

    def _open(self) -> sqlite3.Connection:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(fd)
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        db = sqlite3.connect(self.path)
        try:
            # WAL with synchronous=NORMAL: each page's commit survives the process being killed
            # (the promise here) without an fsync per page.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                " key TEXT PRIMARY KEY, etag TEXT, body TEXT NOT NULL, next TEXT, saved REAL)"
            )
            db.execute(
                "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, body TEXT NOT NULL)"
            )
            db.execute("SELECT count(*) FROM responses").fetchone()  # reads a page: damage shows
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _key(self, key: str) -> str:
        return f"{self.scope}|{key}"

    def _row(self, table: str, columns: str, key: str):
        try:
            return self.db.execute(
                f"SELECT {columns} FROM {table} WHERE key = ?", (self._key(key),)
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            raise UserError(
                f"{self.path}: the cache is damaged ({exc}); delete it and run again"
            ) from None

    def _drop(self, table: str, key: str) -> None:
        self.db.execute(f"DELETE FROM {table} WHERE key = ?", (self._key(key),))
        self.db.commit()

    def get(self, key: str) -> tuple[str | None, object, str | None] | None:
        row = self._row("responses", "etag, body, next", key)
        if row is None:
            return None
        try:
            return row[0], json.loads(row[1]), row[2]
        except (json.JSONDecodeError, TypeError):
            self._drop("responses", key)  # a damaged row: fetch it again
            return None

    def put(self, key: str, etag: str | None, body: object, next_url: str | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
            (self._key(key), etag, json.dumps(body, separators=(",", ":")), next_url, time.time()),
        )
        self.db.commit()

    def load(self, key: str, default=None):
        row = self._row("documents", "body", key)
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except (json.JSONDecodeError, TypeError):
            self._drop("documents", key)
            return default

    def store(self, key: str, body: object) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?, ?)",
            (self._key(key), json.dumps(body, separators=(",", ":"))),
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
