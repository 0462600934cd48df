"""GitHub as records, through the shared client (``tools.github``).

Three repository-level list endpoints at 100 items a page — ``issues?state=all`` (issues and
pull requests), ``issues/comments`` and ``pulls/comments`` — and GraphQL for pull-request
reviews, 100 pull requests a query. Never a per-item REST call, never the Search API. Every
GET is conditional on the cache's ETag; reviews are fetched again only for pull requests
whose ``updated_at`` changed since the last run.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ...community_report.records import Activity, Comment, Discussion, Issue, ItemEvent, Review
from ...errors import UserError
from ...github import GitHubClient
from ...policy import Policy

REVIEWS_QUERY = """query Reviews($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
%s
  }
}"""
NUDGE_MARKER = "<!-- governance:nudge -->"
REVIEW_NODES = "nodes { author { login __typename } state submittedAt } "
REVIEW_PAGE = "pageInfo { hasNextPage endCursor }"
REVIEW_FIELDS = f"number updatedAt reviews(first: 100) {{ totalCount {REVIEW_NODES}{REVIEW_PAGE} }}"
MORE_REVIEWS = f'reviews(first: 100, after: "%s") {{ {REVIEW_NODES}{REVIEW_PAGE} }}'


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("community-report"))


def organisation_repositories(org: str, client: GitHubClient) -> list[str]:
    """OWNER/NAME of the organisation's public repositories that are neither forks nor
    archived, by name."""
    out = []
    what = f"{org} (not a directory here, so read as a GitHub organisation)"
    for page in client.pages(f"orgs/{org}/repos", {"type": "public"}, what):
        for raw in page.data or ():
            if not raw.get("fork") and not raw.get("archived"):
                out.append(raw["full_name"])
    return sorted(out, key=str.lower)


def _number(url: str) -> int:
    return int(url.rstrip("/").rsplit("/", 1)[1])


def read(
    repo: str,
    token: str | None,
    token_env: str = "GITHUB_TOKEN",
    api_url: str = "https://api.github.com",
    history_since: datetime | None = None,
    cache_dir: Path | None = None,
    policy: Policy | None = None,
    progress: bool = False,
    client: GitHubClient | None = None,
    popularity: bool = False,
) -> Activity:
    """Read issues, pull requests, comments and reviews of ``repo`` (OWNER/NAME); with a
    token also the items' label and draft events and the discussions; with ``popularity``
    its stars and forks (for the series over time)."""
    from tqdm import tqdm

    own_client = client is None
    bar = tqdm(desc=f"{repo}", unit=" page", disable=not progress, leave=False)
    if client is None:
        client = GitHubClient(token, api_url, cache_dir or default_cache_dir(), token_env=token_env)
    is_bot = (
        policy.is_bot if policy else (lambda login, kind: login.endswith("[bot]") or kind == "Bot")
    )
    activity = Activity(source=f"github:{repo}")
    try:
        client.get(client.url(f"repos/{repo}"), repo)  # 404 or 401 now, with one clear line
        params = {"sort": "created", "direction": "asc"}
        if history_since is not None:
            params["since"] = history_since.strftime("%Y-%m-%dT%H:%M:%SZ")

        def pages(path: str, extra: dict | None = None):
            for page in client.pages(f"repos/{repo}/{path}", {**params, **(extra or {})}, repo):
                bar.update()
                if client.rate_remaining is not None:
                    bar.set_postfix(quota=client.rate_remaining, refresh=False)
                yield from page.data or ()

        for raw in pages("issues", {"state": "all"}):
            login, kind = raw["user"]["login"], raw["user"].get("type")
            pull = raw.get("pull_request")
            activity.issues.append(
                Issue(
                    number=raw["number"],
                    author=login.lower(),
                    author_is_bot=is_bot(login, kind),
                    author_association=raw.get("author_association", "NONE"),
                    title=raw.get("title", ""),
                    created_at=_time(raw["created_at"]),
                    updated_at=_time(raw["updated_at"]),
                    closed_at=_time(raw.get("closed_at")),
                    is_pull_request=pull is not None,
                    merged_at=_time(pull.get("merged_at")) if pull else None,
                    draft=bool(raw.get("draft", False)),
                    labels=tuple(label["name"] for label in raw.get("labels", ())),
                )
            )
            activity.names.setdefault(login.lower(), login)
        for path, key in (("issues/comments", "issue_url"), ("pulls/comments", "pull_request_url")):
            for raw in pages(path):
                login, kind = raw["user"]["login"], raw["user"].get("type")
                activity.comments.append(
                    Comment(
                        id=raw["id"],
                        number=_number(raw[key]),
                        author=login.lower(),
                        author_is_bot=is_bot(login, kind),
                        created_at=_time(raw["created_at"]),
                        nudge=NUDGE_MARKER in (raw.get("body") or ""),
                    )
                )
                activity.names.setdefault(login.lower(), login)
        if token:
            activity.reviews = _reviews(client, repo, activity.issues, is_bot, bar)
            activity.item_events, truncated = read_item_events(client, repo, activity.issues, bar)
            if truncated:
                activity.notes.append(
                    f"{truncated} items have more than 100 label or draft events: their first "
                    "100 are counted in the time in draft and in labels."
                )
            activity.discussions = read_discussions(client, repo, is_bot, bar)
        else:
            activity.reviews_read = False
            activity.notes.append(
                f"Reviews were not read: GitHub's GraphQL API needs a token (set ${token_env}); "
                "review coverage is not measured and first responses count comments only; "
                "time in draft, time in labels and discussions are not measured either."
            )
        if popularity:
            activity.popularity = read_popularity(client, repo)
    finally:
        bar.close()
        activity.requests = client.requests
        activity.not_modified = client.not_modified
        if own_client:
            client.close()
    return activity


STAR_JSON = "application/vnd.github.star+json"  # stargazers with the time they starred


def read_popularity(client: GitHubClient, repo: str) -> list[tuple[str, str, datetime]]:
    """(kind, login, when) of every star (``starred_at``) and fork of ``repo``: the
    stargazers and forks lists, 100 a page, as far as GitHub lets them be paged."""
    out = []
    for page in client.pages(f"repos/{repo}/stargazers", None, repo, accept=STAR_JSON):
        for raw in page.data or ():
            if raw.get("starred_at") and raw.get("user"):
                out.append(("star", raw["user"]["login"], _time(raw["starred_at"])))
    for page in client.pages(f"repos/{repo}/forks", {"sort": "oldest"}, repo):
        for raw in page.data or ():
            if raw.get("created_at") and raw.get("owner"):
                out.append(("fork", raw["owner"]["login"], _time(raw["created_at"])))
    return out


EVENT_NODES = (
    "nodes { __typename ... on LabeledEvent { createdAt label { name } } "
    "... on UnlabeledEvent { createdAt label { name } } "
    "... on ConvertToDraftEvent { createdAt } ... on ReadyForReviewEvent { createdAt } } "
    "pageInfo { hasNextPage }"
)
TIMELINE_FIELDS = (
    "__typename ... on Issue { updatedAt timelineItems(first: 100, itemTypes: [LABELED_EVENT, "
    f"UNLABELED_EVENT]) {{ {EVENT_NODES} }} }} ... on PullRequest {{ updatedAt "
    "timelineItems(first: 100, itemTypes: [LABELED_EVENT, UNLABELED_EVENT, "
    f"CONVERT_TO_DRAFT_EVENT, READY_FOR_REVIEW_EVENT]) {{ {EVENT_NODES} }} }}"
)
EVENT_KINDS = {
    "LabeledEvent": "labeled",
    "UnlabeledEvent": "unlabeled",
    "ConvertToDraftEvent": "convert_to_draft",
    "ReadyForReviewEvent": "ready_for_review",
}
TIMELINE_BATCH = 50  # items a query: 50 × 100 events stays far below GraphQL's node limit


def read_item_events(client: GitHubClient, repo: str, issues: list[Issue], bar=None
                     ) -> tuple[list[ItemEvent], int]:  # fmt: skip
    """Label and draft events of every issue and pull request (GraphQL ``timelineItems``, 50
    items a query), from the cache where the item has not changed since it was read; and how
    many items had more than 100 such events (only their first 100 are read)."""
    owner, name = repo.split("/", 1)
    key = f"timeline:{client.api_url}:{repo.lower()}"
    known: dict = client.cache.load(key, {}) if client.cache else {}
    updated = {i.number: i.updated_at.isoformat() for i in issues}
    stale = [n for n in updated if known.get(str(n), {}).get("updated_at") != updated[n]]
    for start in range(0, len(stale), TIMELINE_BATCH):
        batch = stale[start : start + TIMELINE_BATCH]
        fields = "\n".join(
            f"    i{n}: issueOrPullRequest(number: {n}) {{ {TIMELINE_FIELDS} }}" for n in batch
        )
        data = client.graphql(REVIEWS_QUERY % fields, {"owner": owner, "name": name}, repo)
        if bar is not None:
            bar.update()
        for n in batch:
            node = (data.get("repository") or {}).get(f"i{n}") or {}
            timeline = node.get("timelineItems") or {}
            more = bool((timeline.get("pageInfo") or {}).get("hasNextPage"))
            known[str(n)] = {"updated_at": updated[n], "nodes": timeline.get("nodes") or [],
                             "more": more}  # fmt: skip
        if client.cache:
            client.cache.store(key, known)
    events, truncated = [], 0
    for n in updated:
        entry = known.get(str(n), {})
        truncated += bool(entry.get("more"))
        for node in entry.get("nodes", []):
            kind = EVENT_KINDS.get(node.get("__typename"))
            if kind and node.get("createdAt"):
                label = ((node.get("label") or {}).get("name")) or ""
                events.append(ItemEvent(n, kind, _time(node["createdAt"]), label))
    events.sort(key=lambda e: (e.at, e.number))
    return events, truncated


DISCUSSIONS_QUERY = """query Discussions($owner: String!, $name: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    hasDiscussionsEnabled
    discussions(first: 50, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) {
      nodes { number createdAt updatedAt answerChosenAt author { login __typename }
              category { name isAnswerable }
              comments(first: 20) { nodes { createdAt author { login __typename } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""


def read_discussions(client: GitHubClient, repo: str, is_bot, bar=None) -> list[Discussion]:
    """Every discussion, 50 a query, the most recently updated first: paging stops at the
    first one unchanged since the last run (all older ones are unchanged too), the rest
    comes from the cache. The first response is the earliest of the first 20 comments by
    someone other than the author, not a bot."""
    owner, name = repo.split("/", 1)
    key = f"discussions:{client.api_url}:{repo.lower()}"
    known: dict = client.cache.load(key, {}) if client.cache else {}
    after = None
    while True:
        data = client.graphql(DISCUSSIONS_QUERY, {"owner": owner, "name": name, "after": after},
                              repo)  # fmt: skip
        if bar is not None:
            bar.update()
        found = (data.get("repository") or {}).get("discussions") or {}
        unchanged = False
        for node in found.get("nodes") or []:
            if known.get(str(node["number"]), {}).get("updatedAt") == node.get("updatedAt"):
                unchanged = True
                break
            known[str(node["number"])] = node
        page = found.get("pageInfo") or {}
        if unchanged or not page.get("hasNextPage") or not page.get("endCursor"):
            break
        after = _cursor(page["endCursor"])
    if client.cache:
        client.cache.store(key, known)
    out = []
    for node in known.values():
        author = node.get("author") or {"login": "ghost", "__typename": "User"}
        login = author["login"].lower()
        replies = []
        for comment in (node.get("comments") or {}).get("nodes") or []:
            by = comment.get("author") or {}
            who = by.get("login", "")
            if (
                comment.get("createdAt")
                and who.lower() != login
                and not is_bot(who, by.get("__typename"))
            ):
                replies.append(_time(comment["createdAt"]))
        category = node.get("category") or {}
        out.append(
            Discussion(
                number=node["number"],
                author=login,
                author_is_bot=is_bot(author["login"], author.get("__typename")),
                created_at=_time(node["createdAt"]),
                category=category.get("name", ""),
                answerable=bool(category.get("isAnswerable")),
                first_response_at=min(replies, default=None),
                answered_at=_time(node.get("answerChosenAt")),
            )
        )
    return sorted(out, key=lambda d: (d.created_at, d.number))


def _cursor(cursor: str) -> str:
    """A cursor is GitHub's opaque base64 text; refuse anything that could leave the string."""
    if not all(ch.isalnum() or ch in "+/=_-:" for ch in cursor):
        raise UserError(f"GitHub returned a malformed review cursor {cursor[:40]!r}")
    return cursor


def _reviews(client: GitHubClient, repo: str, issues: list[Issue], is_bot, bar) -> list[Review]:
    """Reviews of every pull request, from the cache where the pull request has not changed
    since it was read, else from GraphQL in batches of 100."""
    owner, name = repo.split("/", 1)
    key = f"reviews:{client.api_url}:{repo.lower()}"
    known: dict = client.cache.load(key, {}) if client.cache else {}
    pulls = [i for i in issues if i.is_pull_request]
    stale = [
        p.number
        for p in pulls
        if known.get(str(p.number), {}).get("updated_at") != p.updated_at.isoformat()
    ]
    for start in range(0, len(stale), 100):
        batch = stale[start : start + 100]
        fields = "\n".join(
            f"    p{n}: pullRequest(number: {n}) {{ {REVIEW_FIELDS} }}" for n in batch
        )
        data = client.graphql(REVIEWS_QUERY % fields, {"owner": owner, "name": name}, repo)
        bar.update()
        updated = {p.number: p.updated_at.isoformat() for p in pulls}
        more: dict[int, str] = {}  # pull request → cursor of its next page of reviews
        for n in batch:
            node = (data.get("repository") or {}).get(f"p{n}")
            reviews = (node or {}).get("reviews") or {}
            known[str(n)] = {"updated_at": updated[n], "reviews": list(reviews.get("nodes", []))}
            page = reviews.get("pageInfo") or {}
            if page.get("hasNextPage") and page.get("endCursor"):
                more[n] = page["endCursor"]
        while more:  # pull requests with more than 100 reviews: page on, 100 at a time
            fields = "\n".join(
                f"    p{n}: pullRequest(number: {n}) {{ {MORE_REVIEWS % _cursor(c)} }}"
                for n, c in list(more.items())[:100]
            )
            data = client.graphql(REVIEWS_QUERY % fields, {"owner": owner, "name": name}, repo)
            bar.update()
            for n in list(more)[:100]:
                reviews = ((data.get("repository") or {}).get(f"p{n}") or {}).get("reviews") or {}
                known[str(n)]["reviews"] += reviews.get("nodes", [])
                page = reviews.get("pageInfo") or {}
                if page.get("hasNextPage") and page.get("endCursor") != more[n]:
                    more[n] = page["endCursor"]
                else:
                    del more[n]
        if client.cache:
            client.cache.store(key, known)  # saved batch by batch: an interruption keeps them
    out = []
    for p in pulls:
        for r in known.get(str(p.number), {}).get("reviews", []):
            author = r.get("author") or {"login": "ghost", "__typename": "User"}
            if not r.get("submittedAt"):
                continue  # a pending review
            out.append(
                Review(
                    number=p.number,
                    author=author["login"].lower(),
                    author_is_bot=is_bot(author["login"], author.get("__typename")),
                    state=r["state"],
                    submitted_at=_time(r["submittedAt"]),
                )
            )
    return out
