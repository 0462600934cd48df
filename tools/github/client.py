"""``GitHubClient``: REST pages and GraphQL queries through PyGithub's requester.

- authentication: ``Auth.Token`` (or anonymous), never logged or stored;
- ``base_url``: github.com, GitHub Enterprise (``https://HOST/api/v3``) or a local server;
- paging: ``per_page=100`` and the ``Link`` header's ``rel="next"``;
- pace: at least 70 ms between requests to github.com (its secondary rate limit);
- retries: PyGithub's ``GithubRetry`` — 403/429 with ``Retry-After`` or a rate-limit message
  (waiting for ``X-RateLimit-Reset``), 5xx and timeouts with exponential backoff. A wait
  longer than ``max_rate_limit_wait`` (``Retry-After`` included) ends the run with one line.
  Writes are not idempotent: a POST or PATCH is re-sent only after a refusal that says the
  request was not performed (429, a rate-limit 403). After a 5xx or a lost answer the caller's
  ``find`` looks whether it was performed, and only if not is it sent once more;
- cache: every GET is sent with the cached ``If-None-Match``; a 304 reuses the cached body
  and does not count against the primary rate limit. Cache entries are scoped by a digest of
  the token, so one token's answers are never served to another;
- counting: ``requests`` made and ``not_modified`` answers, for the reports' ``api`` field.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import RateLimitExceededExceedsMaxWait

from ..errors import UserError
from ..github.cache import ResponseCache

# PyGithub logs each retry ("Request POST … failed with 403 … Retrying after 1 seconds") at
# INFO to a stderr handler of its own, raw into the tools' output. Our messages say what
# failed and what was done; its warnings and errors still show.
logging.getLogger("github").setLevel(logging.WARNING)

DEFAULT_API = "https://api.github.com"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
UNSAFE = frozenset({"POST", "PATCH"})


class Forbidden(UserError):
    """403 that is not a rate limit: the token lacks a permission. Callers that know which
    permission the request needs catch it and say so."""


class RetryAfterTooLong(Exception):
    def __init__(self, seconds: float, sent: str | None = None):
        super().__init__(seconds)
        self.seconds = seconds  # as read: urllib3 caps Retry-After at 6 hours
        self.sent = (sent or "").strip()  # the header as the server sent it

    def describe(self) -> str:
        if self.sent.isdigit() and int(self.sent) > self.seconds:
            return f"{int(self.sent)} s (Retry-After; read as {self.seconds:.0f} s, the cap)"
        return f"{self.seconds:.0f} s (Retry-After)"


class WriteUncertain(Exception):
    """A POST or PATCH whose outcome is unknown: a 5xx, or the answer was lost."""


class SafeRetry(GithubRetry):
    """``GithubRetry`` that never re-sends a write the server may have performed, and never
    sleeps for a ``Retry-After`` beyond ``max_rate_limit_wait``."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method.upper() in UNSAFE and status_code >= 500:
            return False  # it may have been performed: the caller looks before re-sending
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method=None, url=None, response=None, error=None, _pool=None,
                  _stacktrace=None):  # fmt: skip
        if method and method.upper() in UNSAFE and error is not None and self._is_read_error(error):
            # the request was sent and the answer lost: do not send it again blindly
            return self.new(read=False).increment(method, url, response, error, _pool, _stacktrace)
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def get_retry_after(self, response) -> float | None:
        seconds = super().get_retry_after(response)  # urllib3 caps it at 6 hours
        limit = self.max_rate_limit_wait
        if seconds is not None and limit is not None and seconds > limit:
            raise RetryAfterTooLong(seconds, response.headers.get("Retry-After"))
        return seconds


def token_scope(token: str | None) -> str:
    """A one-way digest naming the token's identity in the cache; never the token."""
    if not token:
        return "anonymous"
    return "t" + hashlib.sha256(b"github-cache-scope\0" + token.encode()).hexdigest()[:24]


@dataclass
class Page:
    url: str
    data: Any
    next_url: str | None
    not_modified: bool


class GitHubClient:
    def __init__(
        self,
        token: str | None,
        api_url: str = DEFAULT_API,
        cache_dir: Path | None = None,
        token_env: str = "GITHUB_TOKEN",
        timeout: int = 30,
        retries: int = 8,
        backoff: float = 0.5,
        max_rate_limit_wait: float = 3600,
        on_response: Callable[[dict], None] | None = None,
        pace: float | None = None,
    ):
        self.api_url = api_url.rstrip("/")
        if pace is None:
            # github.com allows about 900 REST points a minute before its secondary limit:
            # keep serial requests ≥ 70 ms apart there. Enterprise servers and local ones set
            # their own limits (answered with Retry-After, which the retries honour).
            pace = 0.07 if self.api_url == DEFAULT_API else 0.0
        self.token_env = token_env
        retry = SafeRetry(
            total=retries,
            connect=2,  # a server that refuses connections is not going to start answering
            backoff_factor=backoff,
            status_forcelist=[429, *range(500, 600)],
            allowed_methods=frozenset({"GET", "HEAD", "PUT", "DELETE", "POST", "PATCH"}),
            max_rate_limit_wait=max_rate_limit_wait,
        )
        self.max_rate_limit_wait = max_rate_limit_wait
        self.retries, self.backoff = retries, backoff
        self.github = Github(
            auth=Auth.Token(token) if token else None,
            base_url=self.api_url,
            per_page=100,
            timeout=timeout,
            retry=retry,
            seconds_between_requests=pace or None,
            seconds_between_writes=pace * 10 or None,
        )
        self.requester = self.github.requester
        self.cache = (
            ResponseCache(cache_dir / "github-responses.sqlite3", token_scope(token))
            if cache_dir
            else None
        )
        self.anonymous = not token
        self.on_response = on_response
        self.requests = 0
        self.not_modified = 0
        self.rate_remaining: int | None = None

    # --- errors ------------------------------------------------------------------------

    def _fail(self, status: int, data: Any, what: str) -> UserError:
        message = data.get("message", "") if isinstance(data, dict) else ""
        if status == 401 and self.anonymous:
            return UserError(
                f"{what}: {self.api_url} needs a token for this (401 {message}); set "
                f"${self.token_env} to a token (no scopes are needed for public repositories)"
            )
        if status == 401:
            return UserError(
                f"{self.api_url}: the token in ${self.token_env} was refused (401 {message}); "
                "check that it is valid and not expired"
            )
        if status == 404:
            return UserError(
                f"{what}: not found (404) at {self.api_url}; check the OWNER/REPO spelling, "
                f"and that the token in ${self.token_env} can see it"
            )
        if status == 403 and "rate limit" in message.lower():
            return UserError(f"{self.api_url}: rate limit exceeded ({message}); try again later")
        if status == 403:
            return Forbidden(f"{what}: GitHub refused (403 {message})".rstrip())
        return UserError(f"{what}: GitHub answered {status} {message}".rstrip())

    def _call(self, what: str, fn):
        try:
            return fn()
        except RateLimitExceededExceedsMaxWait as exc:
            raise UserError(
                f"{self.api_url}: rate limited for {exc.wait:.0f} s, more than the "
                "allowed wait; try again later"
            ) from None
        except RetryAfterTooLong as exc:
            raise UserError(
                f"{what}: {self.api_url} asked to wait {exc.describe()}, more "
                f"than the allowed {self.max_rate_limit_wait:.0f} s; nothing more was sent; "
                "try again later"
            ) from None
        except GithubException as exc:
            raise self._fail(exc.status, exc.data, what) from None
        except requests.exceptions.RetryError:
            raise UserError(
                f"{what}: {self.api_url} kept failing (5xx or rate limits) after every retry; "
                "what was fetched is cached; try again later"
            ) from None
        except requests.exceptions.ConnectionError:
            raise UserError(
                f"{self.api_url}: cannot connect; check --api-url and the network"
            ) from None
        except requests.exceptions.Timeout:
            raise UserError(f"{self.api_url}: the API did not answer in time") from None

    def _seen(self, headers: dict) -> None:
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is not None and str(remaining).isdigit():
            self.rate_remaining = int(remaining)
        if self.on_response:
            self.on_response(headers)

    # --- REST --------------------------------------------------------------------------

    def url(self, path: str, params: dict | None = None) -> str:
        base = path if path.startswith("http") else f"{self.api_url}/{path.lstrip('/')}"
        if params:
            query = urllib.parse.urlencode(sorted((k, str(v)) for k, v in params.items()))
            base += ("&" if "?" in base else "?") + query
        return base

    def get(self, url: str, what: str, missing_ok: bool = False, accept: str | None = None) -> Page:
        """One GET, conditional when the cache has the URL. With ``missing_ok`` a 404 is an
        answer (a page of no data), not an error: what is not there (a branch without
        protection) is a fact to read. ``accept``: another media type (GitHub's
        ``application/vnd.github.star+json`` adds ``starred_at``); it is part of the cache's
        key."""
        key = url if accept is None else f"{url} accept:{accept}"
        cached = self.cache.get(key) if self.cache else None
        headers = {"If-None-Match": cached[0]} if cached and cached[0] else {}
        if accept is not None:
            headers["Accept"] = accept

        def send():
            status, resp_headers, body = self.requester.requestJson("GET", url, headers=headers)
            data = json.loads(body) if body else None
            if status == 404 and missing_ok:
                return status, resp_headers, None
            if status >= 400:
                raise self.requester.createException(status, resp_headers, data)
            return status, resp_headers, data

        status, resp_headers, data = self._call(what, send)
        self.requests += 1
        resp_headers = {k.lower(): v for k, v in resp_headers.items()}
        self._seen(resp_headers)
        if status == 304 and cached is not None:
            self.not_modified += 1
            return Page(url, cached[1], cached[2], True)
        match = _NEXT.search(resp_headers.get("link", ""))
        next_url = match.group(1) if match else None
        if self.cache is not None:
            self.cache.put(key, resp_headers.get("etag"), data, next_url)
        return Page(url, data, next_url, False)

    def pages(self, path: str, params: dict | None, what: str,
              accept: str | None = None) -> Iterator[Page]:  # fmt: skip
        """Every page of a list endpoint, 100 items a page, following ``rel="next"``."""
        url: str | None = self.url(path, {**(params or {}), "per_page": 100})
        while url:
            page = self.get(url, what, accept=accept)
            yield page
            url = page.next_url

    def _send_write(self, verb: str, url: str, body: dict | None, what: str) -> Any:
        def send():
            try:
                return self.requester.requestJsonAndCheck(verb, url, input=body)
            except GithubException as exc:
                if verb in UNSAFE and exc.status >= 500:
                    raise WriteUncertain(f"{exc.status}") from None
                raise
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                if verb in UNSAFE and not isinstance(exc, requests.exceptions.ConnectTimeout):
                    raise WriteUncertain(type(exc).__name__) from None
                raise

        return self._counted(what, send)

    def _counted(self, what: str, send) -> Any:
        """One request through ``_call``, counted whether or not it succeeded."""
        try:
            headers, data = self._call(what, send)
        finally:
            self.requests += 1
        self._seen({k.lower(): v for k, v in headers.items()})
        return data

    def _write(self, verb: str, path: str, body: dict | None, what: str, find=None) -> Any:
        """Send a write once. If its outcome is unknown (a 5xx, a lost answer), ``find()``
        looks whether it was performed and returns the result if so; only when it was not is
        the write sent once more. Without ``find`` an unknown outcome is one clear error."""
        url = self.url(path)
        try:
            return self._send_write(verb, url, body, what)
        except WriteUncertain as exc:
            if find is None:
                raise UserError(
                    f"{what}: {verb} {path} got no clear answer ({exc}); it may or may not have "
                    "been done, so it was not sent again; check on GitHub and run again"
                ) from None
            found = find()
            if found is not None:
                return found
        try:
            return self._send_write(verb, url, body, what)
        except WriteUncertain as exc:
            raise UserError(
                f"{what}: {verb} {path} failed twice ({exc}); GitHub may be having trouble; "
                "run again later (nothing is posted twice)"
            ) from None

    def post(self, path: str, body: dict, what: str, find=None) -> Any:
        return self._write("POST", path, body, what, find)

    def patch(self, path: str, body: dict, what: str, find=None) -> Any:
        return self._write("PATCH", path, body, what, find)

    def put(self, path: str, body: dict, what: str) -> Any:
        return self._write("PUT", path, body, what)

    def delete(self, path: str, what: str, missing_ok: bool = True) -> None:
        """DELETE is idempotent: retried like a GET; a 404 means already gone."""
        url = self.url(path)

        def send():
            try:
                return self.requester.requestJsonAndCheck("DELETE", url)
            except GithubException as exc:
                if exc.status == 404 and missing_ok:
                    return {}, None
                raise

        self._counted(what, send)

    # --- GraphQL -----------------------------------------------------------------------

    def graphql(self, query: str, variables: dict, what: str) -> dict:
        """A GraphQL query or an idempotent mutation (minimising twice is harmless). It is sent
        as a POST, which the retry policy never re-sends after a 5xx, so a 5xx or a lost answer
        is retried here, with the same backoff."""

        def send():
            try:
                return self.requester.graphql_query(query, variables)
            except GithubException as exc:
                if exc.status >= 500:
                    raise WriteUncertain(f"{exc.status}") from None
                raise
            except requests.exceptions.ReadTimeout:
                raise WriteUncertain("read timed out") from None

        for attempt in range(self.retries + 1):
            try:
                return self._counted(what, send)["data"]
            except WriteUncertain as exc:
                if attempt == self.retries:
                    raise UserError(
                        f"{what}: {self.api_url} kept failing ({exc}) after every retry; "
                        "what was fetched is cached; try again later"
                    ) from None
                time.sleep(min(self.backoff * 2**attempt, 30))
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()
        self.github.close()
