"""A local server that speaks the parts of GitHub's REST and GraphQL APIs the tools use.

It listens on 127.0.0.1 only and serves what GitHub serves: the documented JSON shapes,
``Link``-header pagination honouring ``per_page`` (at most 100), weak ``ETag``s with
``If-None-Match`` → 304 (not counted against the rate limit), ``X-RateLimit-*`` headers,
401 for a bad token, 404 for an unknown repository, ``/api/graphql``, and injected faults:
403 with ``retry-after`` (secondary rate limit), bursts of 5xx. PyGithub runs against it
unmodified through ``base_url``. Every request is logged (method, path, status), never a token.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

API = "/api/v3"
MAX_BODY = 65_536  # GitHub's limit on a comment's body, in characters


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user(login: str) -> dict:
    kind = "Bot" if login.endswith("[bot]") else "User"
    return {"login": login, "id": abs(hash(login)) % 10**8, "type": kind}


@dataclass
class FakeRepo:
    """A repository's issues, pull requests, comments and reviews, as plain dicts."""

    owner: str
    name: str
    issues: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    reviews: dict[int, list[dict]] = field(default_factory=dict)
    pulls: dict[int, dict] = field(default_factory=dict)
    check_runs: list[dict] = field(default_factory=list)
    minimized: set[str] = field(default_factory=set)
    settings: dict = field(
        default_factory=lambda: {
            "delete_branch_on_merge": False,
            "allow_merge_commit": True,
            "allow_squash_merge": True,
            "allow_rebase_merge": True,
            "has_discussions": False,
        }
    )
    labels: list[dict] = field(default_factory=list)  # the repository's label set
    private_vulnerability_reporting: bool = False
    rulesets: list[dict] = field(default_factory=list)
    protection: dict | None = None  # the default branch's classic protection, as GitHub gives it
    commit_authors: dict[str, str] = field(default_factory=dict)  # sha → the linked login
    timeline: dict[int, list[dict]] = field(default_factory=dict)  # number → GraphQL nodes
    discussions: list[dict] = field(default_factory=list)  # GraphQL Discussion nodes
    stars: list[tuple[str, datetime]] = field(default_factory=list)  # (login, starred_at)
    forks: list[tuple[str, datetime]] = field(default_factory=list)  # (owner, created_at)
    version: int = 0  # bumped by every change, so the server's sorted views stay true
    _by_number: dict[int, dict] = field(default_factory=dict, repr=False)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def add_issue(
        self,
        number: int,
        author: str,
        created: datetime,
        *,
        title: str = "",
        closed: datetime | None = None,
        pull: bool = False,
        merged: datetime | None = None,
        labels: tuple[str, ...] = (),
        association: str = "CONTRIBUTOR",
        updated: datetime | None = None,
    ) -> dict:
        base = f"http://127.0.0.1{API}/repos/{self.full_name}"
        item = {
            "url": f"{base}/issues/{number}",
            "id": 10**6 + number,
            "number": number,
            "title": title or f"item {number}",
            "user": user(author),
            "labels": [{"name": name} for name in labels],
            "state": "closed" if closed else "open",
            "comments": 0,
            "created_at": iso(created),
            "updated_at": iso(updated or closed or created),
            "closed_at": iso(closed),
            "author_association": association,
            "body": "",
        }
        if pull:
            item["draft"] = False
            item["pull_request"] = {
                "url": f"{base}/pulls/{number}",
                "merged_at": iso(merged),
            }
        self.issues.append(item)
        self._by_number[number] = item
        self.version += 1
        return item

    def _touch(self, number: int, when: datetime) -> None:
        self.version += 1
        item = self._by_number.get(number)
        if item is not None and item["updated_at"] < iso(when):
            item["updated_at"] = iso(when)

    def add_comment(self, number: int, author: str, created: datetime, review: bool = False):
        base = f"http://127.0.0.1{API}/repos/{self.full_name}"
        target = self.review_comments if review else self.comments
        comment = {
            "id": 2 * 10**6 + len(self.comments) + len(self.review_comments),
            "user": user(author),
            "created_at": iso(created),
            "updated_at": iso(created),
            "body": "",
        }
        if review:
            comment["pull_request_url"] = f"{base}/pulls/{number}"
        else:
            comment["issue_url"] = f"{base}/issues/{number}"
        target.append(comment)
        self._touch(number, created)
        return comment

    def add_pull(
        self,
        number: int,
        author: str,
        head_sha: str,
        files: list[dict],
        *,
        base_sha: str = "0" * 40,
        labels: tuple[str, ...] = (),
        association: str = "CONTRIBUTOR",
        title: str = "",
        body: str = "",
    ) -> dict:
        """An open pull request; ``files`` as GitHub lists them (filename, status,
        additions, deletions, and patch unless GitHub would omit it)."""
        created = datetime(2026, 5, 1, tzinfo=UTC)
        self.add_issue(
            number, author, created, pull=True, labels=labels, association=association, title=title
        )
        self.pulls[number] = {
            "number": number,
            "state": "open",
            "title": title or f"pull {number}",
            "body": body,
            "user": user(author),
            "author_association": association,
            "head": {"sha": head_sha, "ref": "feature", "repo": {"full_name": self.full_name}},
            "base": {"sha": base_sha, "ref": "main", "repo": {"full_name": self.full_name}},
            "requested_reviewers": [],
            "files": [
                {"changes": f.get("additions", 0) + f.get("deletions", 0), **f} for f in files
            ],
        }
        return self.pulls[number]

    def add_event(self, number: int, kind: str, when: datetime, label: str = "") -> None:
        """A timeline event: LabeledEvent, UnlabeledEvent, ConvertToDraftEvent or
        ReadyForReviewEvent (the item's updated_at moves, as GitHub's does)."""
        node = {"__typename": kind, "createdAt": iso(when)}
        if label:
            node["label"] = {"name": label}
        self.timeline.setdefault(number, []).append(node)
        self._touch(number, when)

    def add_discussion(self, number: int, author: str, created: datetime, *,
                       category: str = "Q&A", answerable: bool = True,
                       comments: tuple[tuple[str, datetime], ...] = (),
                       answered: datetime | None = None) -> dict:  # fmt: skip
        last = max([created, *(t for _, t in comments), *([answered] if answered else [])])
        node = {"number": number, "createdAt": iso(created), "updatedAt": iso(last),
                "answerChosenAt": iso(answered),
                "author": {"login": author, "__typename": "Bot" if author.endswith("[bot]")
                           else "User"},
                "category": {"name": category, "isAnswerable": answerable},
                "comments": {"nodes": [{"createdAt": iso(t), "author": {
                    "login": who, "__typename": "Bot" if who.endswith("[bot]") else "User"}}
                    for who, t in comments]}}  # fmt: skip
        self.discussions = [d for d in self.discussions if d["number"] != number] + [node]
        self.version += 1
        return node

    def labels_of(self, number: int) -> list[str]:
        return [label["name"] for label in self._by_number[number]["labels"]]

    def add_review(self, number: int, author: str, state: str, submitted: datetime) -> None:
        self.reviews.setdefault(number, []).append(
            {
                "author": {
                    "login": author,
                    "__typename": "Bot" if author.endswith("[bot]") else "User",
                },
                "state": state,
                "submittedAt": iso(submitted),
            }
        )
        self._touch(number, submitted)


@dataclass
class Fault:
    path: str  # a prefix of the request path
    status: int
    times: int
    headers: dict = field(default_factory=dict)
    message: str = ""
    after: bool = False  # performed first, then answered with the fault (a 5xx after a write)
    method: str | None = None  # only requests with this method


class GitHubServer:
    def __init__(self, tokens: tuple[str, ...] = ("test-token",), rate_limit: int = 5000):
        self.repos: dict[str, FakeRepo] = {}
        self.tokens = set(tokens)
        self.rate_limit = rate_limit
        self.remaining = rate_limit
        self.faults: list[Fault] = []
        self._views: dict[tuple, list] = {}
        self.log: list[dict] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{API}"

    def __enter__(self) -> GitHubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def add_repo(self, owner: str, name: str) -> FakeRepo:
        repo = FakeRepo(owner, name)
        self.repos[repo.full_name.lower()] = repo
        return repo

    def inject(
        self,
        path: str,
        status: int,
        times: int = 1,
        *,
        after: bool = False,
        method: str | None = None,
        message: str | None = None,
        **headers,
    ) -> None:
        message = message or {
            403: "You have exceeded a secondary rate limit. Please wait a few minutes.",
            429: "Too many requests",
        }.get(status, "Server Error")
        self.faults.append(
            Fault(
                path,
                status,
                times,
                {k.replace("_", "-"): str(v) for k, v in headers.items()},
                message,
                after,
                method,
            )
        )

    def requests(self, **match) -> list[dict]:
        return [e for e in self.log if all(e.get(k) == v for k, v in match.items())]

    # --- request handling --------------------------------------------------------------

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once, as from GitHub

            def log_message(self, *_args):
                pass

            def do_GET(self):
                server._serve(self, "GET")

            def do_POST(self):
                server._serve(self, "POST")

            def do_PATCH(self):
                server._serve(self, "PATCH")

            def do_PUT(self):
                server._serve(self, "PUT")

            def do_DELETE(self):
                server._serve(self, "DELETE")

        return Handler

    def _send(
        self,
        h,
        status: int,
        body,
        headers: dict | None = None,
        path: str = "",
        method: str = "GET",
        conditional: bool = False,
        asked: str = "",
    ) -> None:
        if body is None:
            payload = b""
        elif isinstance(body, bytes):
            payload = body  # already encoded (and hashed for its ETag)
        else:
            payload = json.dumps(body).encode()
        with self.lock:
            self.log.append(
                {
                    "method": method,
                    "path": path,
                    "query": urlparse(h.path).query,
                    "status": status,
                    "conditional": conditional,
                    "asked": asked,  # GraphQL: reviews, timelines or discussions
                }
            )
        # logged before the answer leaves, so a client never sees an answer not yet logged
        h.send_response(status)
        for key, value in (headers or {}).items():
            h.send_header(key, value)
        if payload:
            h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if payload:
            h.wfile.write(payload)

    def _rate_headers(self) -> dict:
        return {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(self.remaining, 0)),
            "X-RateLimit-Reset": str(int(time.time()) + 3600),
            "X-RateLimit-Used": str(self.rate_limit - self.remaining),
            "X-RateLimit-Resource": "core",
        }

    def _serve(self, h, method: str) -> None:
        url = urlparse(h.path)
        path, query = url.path, parse_qs(url.query)
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        conditional = bool(h.headers.get("If-None-Match"))
        query["_accept"] = [h.headers.get("Accept", "")]  # the media type asked for

        with self.lock:
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.times > 0
                    and path.startswith(f.path)
                    and (f.method is None or f.method == method)
                ),
                None,
            )
            if fault:
                fault.times -= 1
        if fault and fault.after:  # perform the request, then lose its answer
            handler = getattr(self, "_route", None)
            if handler is not None:
                handler(method, path, query, raw)
        if fault:
            body = {"message": fault.message, "documentation_url": "https://docs.github.com/rest"}
            return self._send(
                h,
                fault.status,
                body,
                {**self._rate_headers(), **fault.headers},
                path,
                method,
                conditional,
            )

        auth = h.headers.get("Authorization", "")
        token = auth.split(" ", 1)[1] if " " in auth else ""
        if auth and token not in self.tokens:
            body = {
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/rest",
                "status": "401",
            }
            return self._send(h, 401, body, {}, path, method, conditional)

        if path == "/api/graphql" and method == "POST":
            if not auth:  # like GitHub: GraphQL never answers anonymously
                body = {"message": "This endpoint requires you to be authenticated."}
                return self._send(h, 401, body, {}, path, method, conditional)
            return self._graphql(h, json.loads(raw or b"{}"), path)
        handler = getattr(self, "_route", None)
        result = handler(method, path, query, raw) if handler else None
        if result is None:
            result = self._rest(method, path, query, raw)
        status, body, extra = result
        headers = {**self._rate_headers(), **extra}
        if method == "GET" and status == 200:
            body = json.dumps(body).encode()
            etag = 'W/"' + hashlib.sha1(body).hexdigest() + '"'
            headers["ETag"] = etag
            if h.headers.get("If-None-Match") == etag:
                return self._send(h, 304, None, headers, path, method, conditional)
        if status < 400 or status == 404:
            with self.lock:
                self.remaining -= 1
            headers.update(self._rate_headers())
        return self._send(h, status, body, headers, path, method, conditional)

    def _route(self, method: str, path: str, query: dict, raw: bytes):
        """Pull requests and the writes the review bot makes; None: not handled here."""
        repo, rest = self._repo(path)
        if repo is None:
            return None
        body = json.loads(raw) if raw else {}
        answer = self._governance(repo, method, rest, query, body, path)
        if answer is not None:
            return answer
        unprocessable = (422, {"message": "Unprocessable Entity", "errors": []}, {})
        too_long = (
            422,
            {"message": "Validation Failed", "errors": [{"message": "Body is too long"}]},
            {},
        )
        m = re.match(r"^/pulls/(\d+)(/files|/comments|/reviews)?$", rest)
        if m and int(m.group(1)) in repo.pulls:
            pr = repo.pulls[int(m.group(1))]
            part = m.group(2)
            if method == "GET" and part is None:
                labels = [{"name": n} for n in repo.labels_of(pr["number"])]
                return 200, {k: v for k, v in pr.items() if k != "files"} | {"labels": labels}, {}
            if method == "GET" and part == "/files":
                return self._paginate(path, query, pr["files"])
            if method == "GET" and part == "/comments":
                url = f"/pulls/{pr['number']}"
                items = [
                    c for c in repo.review_comments if c.get("pull_request_url", "").endswith(url)
                ]
                return self._paginate(path, query, items)
            if method == "POST" and part == "/reviews":
                return self._review(repo, pr, body) or unprocessable
            if method == "GET" and part == "/reviews":  # REST shape of the stored reviews
                rest_reviews = [
                    {
                        "id": 8000 + i,
                        "user": user(r["author"]["login"]),
                        "state": r["state"],
                        "submitted_at": r["submittedAt"],
                        "commit_id": pr["head"]["sha"],
                    }
                    for i, r in enumerate(repo.reviews.get(pr["number"], []))
                ]
                return self._paginate(path, query, rest_reviews)
        if rest == "/pulls" and method == "GET":
            state = query.get("state", ["open"])[0]
            items = [
                {k: v for k, v in pr.items() if k != "files"}
                for pr in repo.pulls.values()
                if state == "all" or pr["state"] == state
            ]
            return self._paginate(path, query, items)
        m = re.match(r"^/issues/(\d+)/comments$", rest)
        if m:
            n = int(m.group(1))
            if method == "GET":
                items = [
                    c for c in repo.comments if c.get("issue_url", "").endswith(f"/issues/{n}")
                ]
                since = (query.get("since") or [None])[0]
                if since:  # GitHub: comments updated at or after that time
                    items = [c for c in items if (c.get("updated_at") or "") >= since]
                return self._paginate(path, query, items)
            if method == "POST":
                if len(body.get("body", "")) > MAX_BODY:
                    return too_long
                comment = repo.add_comment(n, "github-actions[bot]", datetime.now(UTC))
                comment["body"] = body.get("body", "")
                return 201, comment, {}
        m = re.match(r"^/issues/comments/(\d+)$", rest)
        if m and method in ("GET", "PATCH"):
            comment = next((c for c in repo.comments if c["id"] == int(m.group(1))), None)
            if comment is None:
                return None
            if method == "GET":
                return 200, comment, {}
            if len(body.get("body", "")) > MAX_BODY:
                return too_long
            comment["body"] = body.get("body", "")
            return 200, comment, {}
        m = re.match(r"^/issues/(\d+)/labels(?:/(.+))?$", rest)
        if m and int(m.group(1)) in repo._by_number:
            item = repo._by_number[int(m.group(1))]
            if method == "POST":
                for name in body.get("labels", []):
                    if name not in repo.labels_of(item["number"]):
                        item["labels"].append({"name": name})
                return 200, item["labels"], {}
            if method == "PUT":
                item["labels"] = [{"name": name} for name in body.get("labels", [])]
                return 200, item["labels"], {}
            if method == "DELETE" and m.group(2):
                from urllib.parse import unquote

                name = unquote(m.group(2))
                if name not in repo.labels_of(item["number"]):
                    return 404, {"message": "Label does not exist"}, {}
                item["labels"] = [x for x in item["labels"] if x["name"] != name]
                return 200, item["labels"], {}
        if rest == "/check-runs" and method == "POST":
            annotations = body.get("output", {}).get("annotations", [])
            if len(annotations) > 50:
                return unprocessable
            run = {
                "id": 5000 + len(repo.check_runs),
                "name": body.get("name"),
                "head_sha": body.get("head_sha"),
                "external_id": body.get("external_id"),
                "conclusion": body.get("conclusion"),
                "annotations": list(annotations),
            }
            repo.check_runs.append(run)
            return 201, {k: v for k, v in run.items() if k != "annotations"}, {}
        m = re.match(r"^/commits/([0-9a-f]{40})/check-runs$", rest)
        if m and method == "GET":
            name = query.get("check_name", [None])[0]
            runs = [
                {k: v for k, v in r.items() if k != "annotations"}
                for r in repo.check_runs
                if r["head_sha"] == m.group(1) and (name is None or r["name"] == name)
            ]
            return 200, {"total_count": len(runs), "check_runs": runs}, {}
        m = re.match(r"^/check-runs/(\d+)/annotations$", rest)
        if m and method == "GET":
            run = next((r for r in repo.check_runs if r["id"] == int(m.group(1))), None)
            if run is None:
                return None
            return self._paginate(path, query, run["annotations"])
        m = re.match(r"^/check-runs/(\d+)$", rest)
        if m and method == "PATCH":
            run = next((r for r in repo.check_runs if r["id"] == int(m.group(1))), None)
            annotations = body.get("output", {}).get("annotations", [])
            if run is None or len(annotations) > 50:
                return unprocessable
            run["annotations"] += annotations
            return 200, {k: v for k, v in run.items() if k != "annotations"}, {}
        return None

    def _governance(self, repo: FakeRepo, method: str, rest: str, query: dict, body: dict,
                    path: str):  # fmt: skip
        """Repository settings, labels and rulesets, in GitHub's shapes."""
        from urllib.parse import unquote

        invalid = (422, {"message": "Validation Failed", "errors": []}, {})
        if rest == "" and method == "PATCH":
            unknown = set(body) - set(repo.settings)
            if unknown:
                return invalid
            repo.settings.update(body)
            return 200, self._repo_json(repo), {}
        if rest == "/private-vulnerability-reporting":
            if method == "GET":
                return 200, {"enabled": repo.private_vulnerability_reporting}, {}
            if method in ("PUT", "DELETE"):
                repo.private_vulnerability_reporting = method == "PUT"
                return 204, None, {}
        if rest == "/labels":
            if method == "GET":
                return self._paginate(path, query, repo.labels)
            if method == "POST":
                if any(x["name"].lower() == body.get("name", "").lower() for x in repo.labels):
                    return 422, {"message": "Validation Failed",
                                 "errors": [{"code": "already_exists"}]}, {}  # fmt: skip
                label = {
                    "id": 100 + len(repo.labels),
                    "name": body["name"],
                    "color": body.get("color", "ededed"),
                    "description": body.get("description") or None,
                    "default": False,
                }
                repo.labels.append(label)
                return 201, label, {}
        m = re.match(r"^/labels/(.+)$", rest)
        if m:
            name = unquote(m.group(1)).lower()
            label = next((x for x in repo.labels if x["name"].lower() == name), None)
            if label is None:
                return 404, {"message": "Not Found"}, {}
            if method == "GET":
                return 200, label, {}
            if method == "PATCH":
                label["name"] = body.get("new_name", label["name"])
                label["color"] = body.get("color", label["color"])
                label["description"] = body.get("description", label["description"])
                return 200, label, {}
            if method == "DELETE":
                repo.labels.remove(label)
                return 204, None, {}
        m = re.match(r"^/commits/([0-9a-f]{40})$", rest)
        if m and method == "GET":  # a commit: GitHub links its author to an account, or not
            login = repo.commit_authors.get(m.group(1))
            return 200, {"sha": m.group(1), "author": user(login) if login else None}, {}
        m = re.match(r"^/branches/([^/]+)/protection$", rest)
        if m and method == "GET":
            if m.group(1) != "main" or repo.protection is None:
                return 404, {"message": "Branch not protected"}, {}
            return 200, repo.protection, {}
        m = re.match(r"^/rules/branches/([^/]+)$", rest)
        if m and method == "GET":  # the rules of active rulesets that target the branch
            rules = []
            for r in repo.rulesets:
                include = ((r.get("conditions") or {}).get("ref_name") or {}).get("include", [])
                targeted = "~DEFAULT_BRANCH" in include or f"refs/heads/{m.group(1)}" in include
                if r["enforcement"] == "active" and (m.group(1) == "main" and targeted):
                    rules += [{**rule, "ruleset_source_type": "Repository",
                               "ruleset_source": repo.full_name, "ruleset_id": r["id"]}
                              for rule in r["rules"]]  # fmt: skip
            return 200, rules, {}
        if rest == "/rulesets":
            if method == "GET":
                summary = [
                    {
                        k: r[k]
                        for k in ("id", "name", "target", "source_type", "source", "enforcement")
                    }
                    for r in repo.rulesets
                ]
                return 200, summary, {}
            if method == "POST":
                if any(r["name"] == body.get("name") for r in repo.rulesets):
                    return invalid
                ruleset = self._ruleset(repo, 900 + len(repo.rulesets), body)
                repo.rulesets.append(ruleset)
                return 201, ruleset, {}
        m = re.match(r"^/rulesets/(\d+)$", rest)
        if m:
            ruleset = next((r for r in repo.rulesets if r["id"] == int(m.group(1))), None)
            if ruleset is None:
                return 404, {"message": "Not Found"}, {}
            if method == "GET":
                return 200, ruleset, {}
            if method == "PUT":
                ruleset.update(self._ruleset(repo, ruleset["id"], {**ruleset, **body}))
                return 200, ruleset, {}
        return None

    @staticmethod
    def _ruleset(repo: FakeRepo, ident: int, body: dict) -> dict:
        """A ruleset as GitHub returns it: with parameters of its own filled in."""
        rules = []
        for rule in body.get("rules", []):
            rule = json.loads(json.dumps(rule))
            if rule["type"] == "pull_request":
                extra = {"required_reviewers": [], "allowed_merge_methods": ["merge", "squash"]}
                rule["parameters"] = {**extra, **rule["parameters"]}
            rules.append(rule)
        return {
            "id": ident,
            "name": body["name"],
            "target": body.get("target", "branch"),
            "source_type": "Repository",
            "source": repo.full_name,
            "enforcement": body.get("enforcement", "disabled"),
            "conditions": body.get("conditions"),
            "rules": rules,
            "bypass_actors": body.get("bypass_actors", []),
        }

    def _repo_json(self, repo: FakeRepo) -> dict:
        return {
            "id": 1,
            "name": repo.name,
            "full_name": repo.full_name,
            "private": False,
            "fork": False,
            "owner": user(repo.owner),
            "default_branch": "main",
            **repo.settings,
        }

    def _review(self, repo: FakeRepo, pr: dict, body: dict):
        """POST a review: like GitHub, refuse (422) a comment on a line outside the diff."""
        from tools.review_bot.facts import ChangedFile

        if body.get("commit_id") != pr["head"]["sha"]:
            return None
        files = {f["filename"]: f for f in pr["files"]}
        for c in body.get("comments", []):
            f = files.get(c.get("path"))
            if f is None or not f.get("patch"):
                return None
            ok = ChangedFile(f["filename"], "", 0, 0, patch=f["patch"]).commentable_lines
            if c.get("start_line") is not None and c["start_line"] > c["line"]:
                return None  # GitHub: start_line must precede line
            if len(c.get("body", "")) > MAX_BODY:
                return None
            lines = range(c.get("start_line") or c["line"], c["line"] + 1)
            if c.get("side", "RIGHT") != "RIGHT" or any(x not in ok for x in lines):
                return None
        review_id = 7000 + len(repo.review_comments)
        for c in body.get("comments", []):
            comment = repo.add_comment(
                pr["number"], "github-actions[bot]", datetime.now(UTC), review=True
            )
            comment.update(
                path=c["path"],
                line=c["line"],
                start_line=c.get("start_line"),
                body=c["body"],
                node_id=f"PRRC_{comment['id']}",
                pull_request_review_id=review_id,
            )
        return 200, {"id": review_id, "state": "COMMENTED", "commit_id": pr["head"]["sha"]}, {}

    def _repo(self, path: str) -> tuple[FakeRepo | None, str]:
        m = re.match(rf"^{API}/repos/([^/]+)/([^/]+)(/.*)?$", path)
        if not m:
            return None, ""
        return self.repos.get(f"{m.group(1)}/{m.group(2)}".lower()), m.group(3) or ""

    def _rest(self, method: str, path: str, query: dict, raw: bytes):
        not_found = (
            404,
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
            {},
        )
        if path == f"{API}/rate_limit":
            core = {
                "limit": self.rate_limit,
                "remaining": self.remaining,
                "reset": int(time.time()) + 3600,
            }
            return 200, {"resources": {"core": core}, "rate": core}, {}
        org = re.match(rf"^{API}/orgs/([^/]+)/repos$", path)
        if org and method == "GET":  # an organisation's repositories, by full name
            owned = [self._repo_json(r) for r in self.repos.values()
                     if r.owner.lower() == org.group(1).lower()]  # fmt: skip
            if not owned:
                return not_found
            return self._paginate(path, query, sorted(owned, key=lambda r: r["full_name"].lower()))
        repo, rest = self._repo(path)
        if repo is None or method != "GET":
            return not_found
        if rest == "":
            return 200, self._repo_json(repo), {}
        if rest == "/stargazers":  # oldest first; starred_at only with GitHub's star media type
            starred = "star+json" in query["_accept"][0]
            rows = [{"starred_at": iso(at), "user": user(who)} if starred else user(who)
                    for who, at in sorted(repo.stars, key=lambda s: s[1])]  # fmt: skip
            return self._paginate(path, query, rows)
        if rest == "/forks":
            rows = [{"full_name": f"{who}/{repo.name}", "owner": user(who), "created_at": iso(at)}
                    for who, at in sorted(repo.forks, key=lambda s: s[1])]  # fmt: skip
            return self._paginate(path, query, rows)
        lists = {
            "/issues": repo.issues,
            "/issues/comments": repo.comments,
            "/pulls/comments": repo.review_comments,
        }
        if rest not in lists:
            return not_found
        state = query.get("state", ["open"])[0] if rest == "/issues" else "all"
        since = query.get("since", [None])[0]
        sort = query.get("sort", ["created"])[0]
        default_dir = "desc" if rest == "/issues" else "asc"
        direction = query.get("direction", [default_dir])[0]
        key = (repo.full_name, repo.version, rest, state, since, sort, direction)
        items = self._views.get(key)
        if items is None:
            items = [i for i in lists[rest] if state == "all" or i["state"] == state]
            if since:
                items = [i for i in items if i["updated_at"] >= since]
            items.sort(
                key=lambda i: (i[f"{sort}_at"], i.get("number", i.get("id"))),
                reverse=direction == "desc",
            )
            self._views[key] = items
        return self._paginate(path, query, items)

    def _paginate(self, path: str, query: dict, items: list):
        per_page = min(int(query.get("per_page", ["30"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        links = []

        def link(p: int, rel: str) -> str:
            q = {k: v[0] for k, v in query.items() if not k.startswith("_")}
            q["page"] = str(p)
            return f'<http://127.0.0.1:{self.httpd.server_port}{path}?{urlencode(q)}>; rel="{rel}"'

        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links += [link(1, "first"), link(page - 1, "prev")]
        return 200, chunk, ({"Link": ", ".join(links)} if links else {})

    def _graphql(self, h, request: dict, path: str) -> None:
        query, variables = request.get("query", ""), request.get("variables", {})
        if query.lstrip().startswith("mutation"):
            found = re.findall(r'minimizeComment\(input: \{subjectId: "([^"]+)"', query)
            for repo_ in self.repos.values():
                repo_.minimized.update(found)
            data = {f"m{i}": {"minimizedComment": {"isMinimized": True}} for i in range(len(found))}
            return self._send(h, 200, {"data": data}, self._rate_headers(), path, "POST")
        repo = self.repos.get(f"{variables.get('owner')}/{variables.get('name')}".lower())
        if repo is None:
            body = {
                "data": {"repository": None},
                "errors": [{"type": "NOT_FOUND", "message": "Could not resolve to a Repository"}],
            }
            return self._send(h, 200, body, self._rate_headers(), path, "POST")
        pulls = {i["number"]: i for i in repo.issues if "pull_request" in i}
        result = {}
        if "discussions(" in query:  # most recently updated first, 50 a page
            ordered = sorted(repo.discussions, key=lambda d: d["updatedAt"], reverse=True)
            start = int(variables.get("after") or 0)
            end = start + 50
            page = {"hasNextPage": end < len(ordered), "endCursor": str(end)}
            result = {"hasDiscussionsEnabled": True,
                      "discussions": {"nodes": ordered[start:end], "pageInfo": page}}  # fmt: skip
        for alias, number in re.findall(
            r"(\w+)\s*:\s*issueOrPullRequest\(number:\s*(\d+)\)", query
        ):
            item = repo._by_number.get(int(number))
            if item is None:
                result[alias] = None
                continue
            kinds = {"LabeledEvent", "UnlabeledEvent"}
            if "pull_request" in item:
                kinds |= {"ConvertToDraftEvent", "ReadyForReviewEvent"}
            nodes = [n for n in repo.timeline.get(int(number), []) if n["__typename"] in kinds]
            result[alias] = {
                "__typename": "PullRequest" if "pull_request" in item else "Issue",
                "updatedAt": item["updated_at"],
                "timelineItems": {"nodes": nodes[:100],
                                  "pageInfo": {"hasNextPage": len(nodes) > 100}},
            }  # fmt: skip
        wanted = re.findall(
            r"(\w+)\s*:\s*pullRequest\(number:\s*(\d+)\)\s*\{[^{]*?reviews\(first:\s*(\d+)"
            r'(?:,\s*after:\s*"([^"]*)")?\)',
            query,
        )
        for alias, number, first, after in wanted:
            item = pulls.get(int(number))
            if item is None:
                result[alias] = None
                continue
            reviews = repo.reviews.get(int(number), [])
            start = int(after) if after else 0  # this server's cursors are offsets
            end = start + min(int(first), 100)
            result[alias] = {
                "number": int(number),
                "updatedAt": item["updated_at"],
                "reviews": {
                    "totalCount": len(reviews),
                    "nodes": reviews[start:end],
                    "pageInfo": {"hasNextPage": end < len(reviews), "endCursor": str(end)},
                },
            }
        with self.lock:
            self.remaining -= 1
        asked = ("discussions" if "discussions(" in query else
                 "timelines" if "issueOrPullRequest" in query else "reviews")  # fmt: skip
        self._send(h, 200, {"data": {"repository": result}}, self._rate_headers(), path, "POST",
                   asked=asked)  # fmt: skip
