"""An on-disk cache of GitHub responses with their ETags (SQLite, one row per URL).

Only URLs, ETags and response bodies are stored — never a token or a request header. Each page
is committed as soon as it arrives, so an interrupted run loses nothing it already fetched.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path


class ResponseCache:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        # WAL with synchronous=NORMAL: each page's commit survives the process being killed
        # (the promise here) without an fsync per page.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS responses ("
            " key TEXT PRIMARY KEY, etag TEXT, body TEXT NOT NULL, next TEXT, saved REAL)"
        )
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, body TEXT NOT NULL)"
        )
        self.db.commit()

    def get(self, key: str) -> tuple[str | None, object, str | None] | None:
        row = self.db.execute(
            "SELECT etag, body, next FROM responses WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        return row[0], json.loads(row[1]), row[2]

    def put(self, key: str, etag: str | None, body: object, next_url: str | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
            (key, etag, json.dumps(body, separators=(",", ":")), next_url, time.time()),
        )
        self.db.commit()

    def load(self, key: str, default=None):
        row = self.db.execute("SELECT body FROM documents WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def store(self, key: str, body: object) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?, ?)",
            (key, json.dumps(body, separators=(",", ":"))),
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
