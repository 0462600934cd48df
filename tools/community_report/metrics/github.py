"""Issues and pull requests: response times, merging, review coverage, newcomers, targets,
and who owes the next reply. GitHub sources only."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ...community_report.metrics.window import Window
from ...community_report.records import Activity, Issue

if TYPE_CHECKING:  # the policy's models load only when a policy is read
    from ...policy import Policy

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hours_between(start: datetime, end: datetime, policy: Policy | None) -> float:
    """Elapsed hours, counting only the policy's business hours when it sets them."""
    bh = policy.responsiveness.business_hours if policy else None
    if end <= start:
        return 0.0
    if bh is None:
        return (end - start).total_seconds() / 3600
    zone = ZoneInfo(bh.timezone)
    open_at = time.fromisoformat(bh.start)
    close_at = time.fromisoformat(bh.end)
    days = {DAYS.index(d) for d in bh.days}
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if day.weekday() in days:
            lo = datetime.combine(day, open_at, zone)
            hi = datetime.combine(day, close_at, zone)
            overlap = min(hi, local_end) - max(lo, local_start)
            if overlap > timedelta(0):
                total += overlap.total_seconds() / 3600
        day += timedelta(days=1)
    return total


def summary(values: list[float]) -> dict:
    """count, median and 90th percentile (nearest rank) of a list of hours or days."""
    if not values:
        return {"count": 0, "median": None, "p90": None}
    ordered = sorted(values)
    p90 = ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]
    return {
        "count": len(ordered),
        "median": round(statistics.median(ordered), 2),
        "p90": round(p90, 2),
    }


BUCKETS = ((1, "< 1 h"), (4, "1–4 h"), (24, "4–24 h"), (72, "1–3 d"), (168, "3–7 d"))


def ref(item: Issue) -> dict:
    """How a report names an item: its number, and its repository where several are mixed."""
    return {"repo": item.repo, "number": item.number} if item.repo else {"number": item.number}


def distribution(hours: list[float], never: int) -> list[dict]:
    """First-response times in buckets, then the items never answered."""
    counts = [0] * (len(BUCKETS) + 1)
    for h in hours:
        index = next((i for i, (limit, _) in enumerate(BUCKETS) if h < limit), len(BUCKETS))
        counts[index] += 1
    labels = [label for _, label in BUCKETS] + ["> 7 d"]
    return [{"bucket": b, "count": n} for b, n in zip(labels, counts, strict=True)] + [
        {"bucket": "never", "count": never}
    ]


Replies = dict[tuple[str, int], list[tuple[datetime, str]]]


def responders(activity: Activity) -> Replies:
    """(repository, item number) → (when, who) of each human comment or review, oldest
    first."""
    out: Replies = defaultdict(list)
    for c in activity.comments:
        if not c.author_is_bot:
            out[(c.repo, c.number)].append((c.created_at, c.author))
    for r in activity.reviews:
        if not r.author_is_bot:
            out[(r.repo, r.number)].append((r.submitted_at, r.author))
    for events in out.values():
        events.sort()
    return out


def first_response(item: Issue, replies: Replies) -> datetime | None:
    """The first comment or review by someone other than the author (bots never count)."""
    for when, who in replies.get((item.repo, item.number), ()):
        if who != item.author:
            return when
    return None


def responsiveness(
    items: list[Issue],
    replies: dict,
    window: Window,
    target_hours: int,
    policy: Policy | None,
) -> dict:
    """Items opened in the window by humans: time to first response, and compliance with the
    target — the share answered in time among items whose deadline has passed or that were
    answered (items still inside their target are pending, not counted)."""
    opened = [i for i in items if i.created_at in window and not i.author_is_bot]
    hours, missed, in_time, judged, never = [], [], 0, 0, 0
    for item in opened:
        answered = first_response(item, replies)
        if answered is not None and answered < window.until:
            h = hours_between(item.created_at, answered, policy)
            hours.append(h)
            judged += 1
            if h <= target_hours:
                in_time += 1
            else:
                missed.append({**ref(item), "title": item.title, "hours": round(h, 1)})
        else:
            never += 1
            waited = hours_between(item.created_at, window.until, policy)
            if waited > target_hours:
                judged += 1
                missed.append({**ref(item), "title": item.title, "hours": None})
    return {
        "opened": len(opened),
        "first_response_hours": summary(hours),
        "distribution": distribution(hours, never),
        "never_answered": never,
        "target_hours": target_hours,
        "answered_in_time_share": round(in_time / judged, 4) if judged else None,
        "missed": sorted(missed, key=lambda m: (m.get("repo", ""), m["number"])),
    }


def items_report(activity: Activity, window: Window, policy: Policy | None) -> dict:
    replies = responders(activity)
    # bots' items are left out of every figure, not only the "opened" counts
    humans = [i for i in activity.issues if not i.author_is_bot]
    issues = [i for i in humans if not i.is_pull_request]
    pulls = [i for i in humans if i.is_pull_request]
    until = window.until
    targets = policy.responsiveness if policy else None

    def open_at_end(items):
        return [
            i
            for i in items
            if i.created_at < until and (i.closed_at is None or i.closed_at >= until)
        ]

    def ages(items):
        return [(until - i.created_at).total_seconds() / 86400 for i in open_at_end(items)]

    closed_issues = [i for i in issues if i.closed_at is not None and i.closed_at in window]
    closed_pulls = [p for p in pulls if p.closed_at is not None and p.closed_at in window]
    merged = [p for p in closed_pulls if p.merged_at is not None]
    approvals: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in activity.reviews:
        if r.state == "APPROVED" and not r.author_is_bot:
            approvals[(r.repo, r.number)].add(r.author)
    reviewed = [p for p in merged if approvals[(p.repo, p.number)] - {p.author}]

    issue_report = {
        "opened": sum(1 for i in issues if i.created_at in window and not i.author_is_bot),
        "closed": len(closed_issues),
        "open_at_end": len(open_at_end(issues)),
        "time_to_close_hours": summary(
            [(i.closed_at - i.created_at).total_seconds() / 3600 for i in closed_issues]
        ),
        "open_age_days": summary(ages(issues)),
    }
    pr_report = {
        "opened": sum(1 for p in pulls if p.created_at in window and not p.author_is_bot),
        "merged": len(merged),
        "closed_unmerged": len(closed_pulls) - len(merged),
        "open_at_end": len(open_at_end(pulls)),
        "time_to_merge_hours": summary(
            [(p.merged_at - p.created_at).total_seconds() / 3600 for p in merged]
        ),
        "open_age_days": summary(ages(pulls)),
        "acceptance_ratio": round(len(merged) / len(closed_pulls), 4) if closed_pulls else None,
        "review_coverage": round(len(reviewed) / len(merged), 4)
        if merged and activity.reviews_read
        else None,
    }
    responsiveness_report = {
        "issues": responsiveness(
            issues, replies, window, targets.issue_first_response_hours if targets else 72, policy
        ),
        "pull_requests": responsiveness(
            pulls,
            replies,
            window,
            targets.pull_request_first_response_hours if targets else 48,
            policy,
        ),
        "business_hours": bool(targets and targets.business_hours),
    }
    return {
        "issues": issue_report,
        "pull_requests": pr_report,
        "responsiveness": responsiveness_report,
    }


def newcomers(
    activity: Activity, window: Window, first_seen: dict[str, tuple[datetime, datetime]]
) -> dict:
    """Pull requests opened in the window by first-time contributors (whose first contribution
    ever is that pull request): how fast they were answered, how many never were, how many
    were merged."""
    replies = responders(activity)
    firsts = [
        p
        for p in activity.issues
        if p.is_pull_request
        and not p.author_is_bot
        and p.created_at in window
        and first_seen.get(p.author, (p.created_at,))[0] >= p.created_at
    ]
    hours, never = [], 0
    for p in firsts:
        answered = first_response(p, replies)
        if answered is None or answered >= window.until:
            never += 1
        else:
            hours.append((answered - p.created_at).total_seconds() / 3600)
    n = len(firsts)
    return {
        "pull_requests": n,
        "first_response_hours": summary(hours),
        "never_answered_share": round(never / n, 4) if n else None,
        "merged_share": round(sum(1 for p in firsts if p.merged_at) / n, 4) if n else None,
    }


def who_owes(activity: Activity, now: datetime, policy: Policy | None) -> list[dict]:
    """Each open item: who owes the next reply — the maintainers when the author spoke last
    (or nobody has answered), else the author — and for how many days; ``nudge`` when that
    exceeds the stale policy and no exempt label is set."""
    replies = responders(activity)
    nudge_days = policy.stale.nudge_after_days if policy else 14
    exempt = set(policy.stale.exempt_labels) if policy else set()
    rows = []
    for item in activity.issues:
        if item.author_is_bot:
            continue
        if item.closed_at is not None and item.closed_at < now:
            continue
        if item.created_at >= now:
            continue
        events = [(w, who) for w, who in replies.get((item.repo, item.number), ()) if w < now]
        last_when, last_who = events[-1] if events else (item.created_at, item.author)
        owes = "maintainers" if last_who == item.author else "author"
        days = (now - last_when).total_seconds() / 86400
        rows.append(
            {
                **ref(item),
                "kind": "pull_request" if item.is_pull_request else "issue",
                "title": item.title,
                "owes": owes,
                "waiting_days": round(days, 1),
                "nudge": days >= nudge_days and not (exempt & set(item.labels)),
            }
        )
    rows.sort(key=lambda r: -r["waiting_days"])
    return rows
