"""Who contributes: counts, newcomers, concentration (absence and elephant factors), onion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ...community_report.identities import is_public_domain
from ...community_report.metrics.window import Window
from ...community_report.records import Activity, Commit

if TYPE_CHECKING:  # the policy's models load only when a policy is read
    from ...policy import Policy


def contributions(activity: Activity, trailers: bool = True) -> list[tuple[str, datetime]]:
    """Every human contribution as (identity, when): non-merge commits (their authors, and the
    people their Co-authored-by trailers credit, once a commit; ``trailers=False`` leaves
    those out), and on GitHub also issues and pull requests opened, comments and reviews.
    Bots are left out. Commits summarised in ``activity.earlier`` (all before the previous
    window) give their first and last: what ``first_and_last`` and ``returning`` read of
    them."""
    out = [(c.author, c.authored_at) for c in activity.commits if not c.is_merge and not c.is_bot]
    out += [
        (e.author, when)
        for e in activity.earlier
        if e.commits and not e.is_bot
        for when in (e.first, e.last)
    ]
    if trailers:  # a Co-authored-by trailer credits its person with the commit too (never a bot)
        out += [
            (who, c.authored_at) for c in activity.commits if not c.is_merge for who in c.coauthors
        ]
    out += [(i.author, i.created_at) for i in activity.issues if not i.author_is_bot]
    out += [(c.author, c.created_at) for c in activity.comments if not c.author_is_bot]
    out += [(r.author, r.submitted_at) for r in activity.reviews if not r.author_is_bot]
    return out


def first_and_last(events: Iterable[tuple[str, datetime]], until: datetime) -> dict:
    """identity → (first, last) contribution before ``until``, over the whole history."""
    seen: dict[str, list[datetime]] = {}
    for who, when in events:
        if when >= until:
            continue
        span = seen.get(who)
        if span is None:
            seen[who] = [when, when]
        elif when < span[0]:
            span[0] = when
        elif when > span[1]:
            span[1] = when
    return {who: (span[0], span[1]) for who, span in seen.items()}


def every(
    activity: Activity,
    commits: list[Commit],
    window: Window,
    spans: dict,
    lines: dict[str, tuple[int, int]],
    areas,
    names: dict[str, str],
) -> list[dict]:
    """Every contributor of the window, one row each: commits authored and co-authored (by a
    Co-authored-by trailer), lines added and deleted, on GitHub the issues and pull requests
    opened, comments and reviews; their first and last contribution over the whole history;
    the areas their commits touched, most first. Bots are left out. Ordered by commits, then
    other contributions. ``commits`` are the window's (``window_commits``), ``lines`` their
    lines per person (``churn.lines_by_contributor``)."""
    rows: dict[str, dict] = {}
    touched: dict[str, Counter] = {}

    def row(who: str) -> dict:
        if who not in rows:
            rows[who] = {"who": who, "name": names.get(who, who), "commits": 0, "co_authored": 0,
                         "added": 0, "deleted": 0, "issues": 0, "pull_requests": 0,
                         "comments": 0, "reviews": 0}  # fmt: skip
            touched[who] = Counter()
        return rows[who]

    for c in commits:
        row(c.author)["commits"] += 1
        for who in c.coauthors:
            row(who)["co_authored"] += 1
    # each commit counts once in each area it touched: one count over every (author, area)
    for (who, area), n in Counter(
        (c.author, a)
        for c in commits
        if c.files
        for a in {a for f in c.files for a in areas(f.path)}
    ).items():
        touched[who][area] = n
    for i in activity.issues:
        if not i.author_is_bot and i.created_at in window:
            row(i.author)["pull_requests" if i.is_pull_request else "issues"] += 1
    for c in activity.comments:
        if not c.author_is_bot and c.created_at in window:
            row(c.author)["comments"] += 1
    for rv in activity.reviews:
        if not rv.author_is_bot and rv.submitted_at in window:
            row(rv.author)["reviews"] += 1
    out = []
    for who, r in rows.items():
        r["added"], r["deleted"] = lines.get(who, (0, 0))
        first, last = spans.get(who, (None, None))
        r["first_contribution"] = first.isoformat() if first else None
        r["last_contribution"] = last.isoformat() if last else None
        r["areas"] = [a for a, _ in sorted(touched[who].items(), key=lambda kv: (-kv[1], kv[0]))]
        out.append(r)
    others = ("co_authored", "issues", "pull_requests", "comments", "reviews")
    return sorted(out, key=lambda r: (-r["commits"], -sum(r[k] for k in others), r["who"]))


def window_commits(commits: list[Commit], window: Window) -> list[Commit]:
    """Non-merge commits authored in the window, bots excluded."""
    return [
        c
        for c in commits
        if not c.is_merge and not c.is_bot and window.since <= c.authored_at < window.until
    ]


def smallest_majority(counts: Iterable[int]) -> int:
    """The smallest k such that the k largest counts sum to more than half the total."""
    ordered = sorted(counts, reverse=True)
    total = sum(ordered)
    running = 0
    for k, value in enumerate(ordered, start=1):
        running += value
        if running * 2 > total:
            return k
    return 0


def absence_factor(commits: list[Commit]) -> int:
    """Contributor absence factor (bus factor): the fewest contributors whose commits in the
    window make up more than 50% of the window's non-merge commits."""
    return smallest_majority(Counter(c.author for c in commits).values())


def organisation(identity: str, email: str, policy: Policy | None,
                 when: datetime | None = None) -> str:  # fmt: skip
    """A person's organisation on the day ``when``: their policy affiliation then (a dated
    one covering the day, else the undated one), else their email's domain; someone on a
    public email domain (gmail.com, users.noreply.github.com, …) is their own."""
    person = person_for(identity, email, policy)
    org = None
    if person is not None:
        org = person.affiliation_on(when.date()) if when else person.current_affiliation
    if org:
        return org
    domain = email.rpartition("@")[2].lower() if "@" in email else ""
    extra = set(policy.public_email_domains) if policy else set()
    if not domain or is_public_domain(domain, extra):
        return f"(individual) {identity}"
    return domain


def person_for(identity: str, email: str, policy: Policy | None):
    if policy is None:
        return None
    person = policy.person(identity)
    if person is None and email:
        person = policy.person_by_email(email)
    return person


def elephant_factor(commits: list[Commit], policy: Policy | None) -> tuple[int, Counter]:
    """The fewest organisations whose commits make up more than 50% of the window's, each
    commit counted for its author's organisation on the day it was authored."""
    orgs: Counter = Counter()
    fixed: dict[tuple[str, str], str | None] = {}  # None: dated affiliations, ask each day
    for c in commits:
        key = (c.author, c.email)
        if key not in fixed:
            person = person_for(c.author, c.email, policy)
            dated = person is not None and person.affiliations
            fixed[key] = None if dated else organisation(c.author, c.email, policy)
        org = fixed[key]
        if org is None:
            org = organisation(c.author, c.email, policy, c.authored_at)
        orgs[org] += 1
    return smallest_majority(orgs.values()), orgs


def onion(counts: Counter) -> dict[str, list[str]]:
    """Core: the top contributors who together make 80% of the activity; regular: the next
    15%; casual: everyone else."""
    total = sum(counts.values())
    layers: dict[str, list[str]] = {"core": [], "regular": [], "casual": []}
    running = 0
    for who, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        share = running / total if total else 1
        layer = "core" if share < 0.80 else "regular" if share < 0.95 else "casual"
        layers[layer].append(who)
        running += n
    return layers


def classify(
    spans: dict, window: Window, inactive_days: int, active: set[str]
) -> dict[str, list[str]]:
    """new: active, and the first contribution ever falls in the window; inactive: no
    contribution in the ``inactive_days`` before ``until`` (returning: see ``returning``)."""
    cutoff = window.until - timedelta(days=inactive_days)
    new = sorted(w for w in active if spans[w][0] >= window.since)
    inactive = sorted(w for w, (_, last) in spans.items() if last < cutoff)
    return {"new": new, "inactive": inactive}


def returning(
    events: list[tuple[str, datetime]], window: Window, inactive_days: int, new: set[str]
) -> list[str]:
    """Active in the window, not new, and silent for at least ``inactive_days`` before their
    first contribution in the window."""
    gap = timedelta(days=inactive_days)
    before: dict[str, datetime] = {}
    first_in: dict[str, datetime] = {}
    for who, when in events:
        if when < window.since:
            if who not in before or when > before[who]:
                before[who] = when
        elif when < window.until and (who not in first_in or when < first_in[who]):
            first_in[who] = when
    return sorted(
        w
        for w, first in first_in.items()
        if w not in new and w in before and first - before[w] >= gap
    )
