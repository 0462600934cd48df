"""The one GitHub client every tool uses: PyGithub underneath, with authentication, base URL,
paging, retries and rate limits, an ETag cache and request counting."""

from ..github.client import Forbidden, GitHubClient, Page

__all__ = ["Forbidden", "GitHubClient", "Page"]
