"""A GitHub-compatible HTTP server for tests, on 127.0.0.1 (see server.py)."""

from tests.github_server.server import FakeRepo, GitHubServer

__all__ = ["FakeRepo", "GitHubServer"]
