"""Build real git repositories for tests: commits with chosen authors, dates and files."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path


class Repo:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, env: dict | None = None) -> str:
        full = dict(os.environ, GIT_CONFIG_NOSYSTEM="1", **(env or {}))
        return subprocess.run(
            ["git", *args], cwd=self.root, check=True, capture_output=True, text=True, env=full
        ).stdout

    def commit(
        self,
        author: str,
        email: str,
        when: datetime,
        files: dict[str, str | bytes | None],
        message: str = "change",
    ) -> str:
        for name, content in files.items():
            path = self.root / name
            if content is None:
                self.git("rm", "-q", "--", name)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
            self.git("add", "--", name)
        stamp = when.isoformat()
        env = {
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": stamp,
        }
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()

    def rename(self, old: str, new: str, author: str, email: str, when: datetime) -> str:
        self.git("mv", old, new)
        return self.commit(author, email, when, {}, f"rename {old}")

    def merge(self, branch: str, author: str, email: str, when: datetime) -> str:
        env = {
            "GIT_AUTHOR_NAME": author,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": when.isoformat(),
            "GIT_COMMITTER_NAME": author,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": when.isoformat(),
        }
        self.git("merge", "-q", "--no-ff", "-m", f"merge {branch}", branch, env=env)
        return self.git("rev-parse", "HEAD").strip()
