"""One report object from the records, the policy and the window (a JSON-ready dict)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ...community_report.metrics import activity as act
from ...community_report.metrics import churn, issue_metrics
from ...community_report.metrics import contributors as con
from ...community_report.metrics import github as gh
from ...community_report.metrics.ownership import area_of, code_ownership, ownership
from ...community_report.metrics.sets import reads_github
from ...community_report.metrics.window import Window
from ...community_report.records import Activity

if TYPE_CHECKING:  # the policy's models load only when a policy is read
    from ...policy import Policy

SCHEMA_VERSION = 1


@dataclass
class People:
    """The contributor figures of one window."""

    active: int
    new: list[str]
    inactive: list[str]
    absence_factor: int
    elephant_factor: int
    counts: Counter  # commits per contributor
    orgs: Counter  # commits per organisation

    @classmethod
    def of(cls, window_events, window: Window, spans, inactive_days, policy, commits) -> People:
        active = {who for who, _ in window_events}
        classes = con.classify(spans, window, inactive_days, active)
        elephant, orgs = con.elephant_factor(commits, policy)
        return cls(
            active=len(active),
            new=classes["new"],
            inactive=classes["inactive"],
            absence_factor=con.absence_factor(commits),
            elephant_factor=elephant,
            counts=Counter(c.author for c in commits),
            orgs=orgs,
        )

    def summary(self) -> dict:
        return {
            "active": self.active,
            "new": len(self.new),
            "absence_factor": self.absence_factor,
            "elephant_factor": self.elephant_factor,
        }


def build(
    activity: Activity,
    window: Window,
    policy: Policy | None = None,
    inactive_days: int = 180,
    now: datetime | None = None,
) -> dict:
    events = con.contributions(activity)
    spans = con.first_and_last(events, window.until)
    prev = window.previous()
    in_window = [(w, t) for w, t in events if t in window]
    in_prev = [(w, t) for w, t in events if t in prev]
    commits = con.window_commits(activity.commits, window)
    prev_commits = con.window_commits(activity.commits, prev)
    prev_spans = con.first_and_last(events, prev.until)

    # people the window knows only from Co-authored-by trailers: counted, and shown apart
    own = {w for w, t in con.contributions(activity, trailers=False) if t in window}
    credited_only = sorted({w for w, _ in in_window} - own)
    cur = People.of(in_window, window, spans, inactive_days, policy, commits)
    old = People.of(in_prev, prev, prev_spans, inactive_days, policy, prev_commits)
    back = con.returning(events, window, inactive_days, set(cur.new))
    layers = con.onion(cur.counts)
    names = activity.names

    def person(who: str) -> dict:
        return {"who": who, "name": names.get(who, who)}

    inactive_cutoff = window.until - timedelta(days=inactive_days)
    emeritus = []
    if policy is not None:
        for p in policy.active("maintainer"):
            identities = [p.login.lower(), *(email.lower() for email in p.emails)]
            seen = [spans[i][1] for i in identities if i in spans]
            last = max(seen, default=None)
            if last is None or last < inactive_cutoff:
                emeritus.append(
                    {"login": p.login, "last_contribution": last.isoformat() if last else None}
                )

    merges = sum(1 for c in activity.commits if c.is_merge and c.authored_at in window)
    bot_commits = sum(1 for c in activity.commits if c.is_bot and c.authored_at in window)
    bot_identities = sorted(
        {c.author for c in activity.commits if c.is_bot and c.authored_at in window}
        | {i.author for i in activity.issues if i.author_is_bot and i.created_at in window}
        | {c.author for c in activity.comments if c.author_is_bot and c.created_at in window}
    )
    total_orgs = sum(cur.orgs.values())

    def org_row(org: str, n: int) -> dict:
        row = {"name": org, "commits": n, "share": round(n / total_orgs, 4)}
        individual = org.removeprefix("(individual) ")
        if individual != org:  # one person on a public mail domain: who, by name
            row["person"] = names.get(individual, individual)
        return row

    lines = churn.lines_by_contributor(commits)
    report = {
        "schema_version": SCHEMA_VERSION,
        "source": activity.source,
        "project": activity.project,
        "generated_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "window": window.as_dict(),
        "previous_window": prev.as_dict(),
        "commits": {
            "total": len(commits),
            "previous": len(prev_commits),
            "merges": merges,
            "bots": bot_commits,
            "all_time": sum(1 for c in activity.commits if not c.is_merge and not c.is_bot)
            + sum(e.commits for e in activity.earlier if not e.is_bot),
        },
        "contributors": {
            "total": len(spans),
            "active": cur.active,
            "new": len(cur.new),
            "returning": len(back),
            "inactive": len(cur.inactive),
            "inactive_days": inactive_days,
            "absence_factor": cur.absence_factor,
            "elephant_factor": cur.elephant_factor,
            "bots": len(bot_identities),
            "previous": old.summary(),
            "top": [
                {
                    **person(w),
                    "commits": n,
                    "added": lines.get(w, (None, None))[0],
                    "deleted": lines.get(w, (None, None))[1],
                }
                for w, n in cur.counts.most_common(10)
            ],
            "every": con.every(activity, commits, window, spans, lines, area_of(policy), names),
            "new_contributors": [person(w) for w in cur.new],
            "credited_only": [person(w) for w in credited_only],
            "returning_contributors": [person(w) for w in back],
            "organisations": [org_row(org, n) for org, n in cur.orgs.most_common(10)],
            "onion": {k: len(v) for k, v in layers.items()},
            "core": [person(w) for w in layers["core"]],
            "emeritus_candidates": emeritus,
            "bot_identities": bot_identities,
        },
        "ownership": ownership(commits, policy, spans, inactive_cutoff, names),
        "hotspots": churn.hotspots(commits),
        "releases": act.releases(activity.tags, window),
        "code_ownership": (
            code_ownership(activity.blame, policy, spans, inactive_cutoff, names)
            if activity.blame is not None
            else None
        ),
        "activity": {
            "by_week": act.by_week([t for _, t in in_window], window),
            "weekday_hour_utc": act.weekday_hour([t for _, t in in_window], window),
        },
        "issues": None,
        "pull_requests": None,
        "responsiveness": None,
        "newcomers": None,
        "open_items": None,
        "api": {"requests": activity.requests, "not_modified": activity.not_modified},
        "notes": list(activity.notes),
    }
    report["contributors"]["merged_identities"] = activity.merged_identities
    if not commits and (activity.commits or activity.earlier):
        last = max([c.authored_at for c in activity.commits] + [e.latest for e in activity.earlier])
        report["commits"]["last_commit_at"] = last.isoformat()
        if last < window.since:
            days = (window.until - last).total_seconds() / 86400
            report["notes"].append(
                f"No commits in this window; the last commit was on {last.date().isoformat()} "
                f"({days:,.0f} days before its end). Widen it with --since."
            )
    if reads_github(activity.source):
        items = gh.items_report(activity, window, policy)
        prev_items = gh.items_report(activity, prev, policy)
        report.update(items)
        report["timelines"] = issue_metrics.window_report(activity, window)
        report["newcomers"] = gh.newcomers(activity, window, spans)
        report["open_items"] = gh.who_owes(activity, window.until, policy)
        report["previous_items"] = {
            "issues_opened": prev_items["issues"]["opened"],
            "pull_requests_opened": prev_items["pull_requests"]["opened"],
            "pull_requests_merged": prev_items["pull_requests"]["merged"],
            "issue_first_response_median_hours": prev_items["responsiveness"]["issues"][
                "first_response_hours"
            ]["median"],
            "pull_request_first_response_median_hours": prev_items["responsiveness"][
                "pull_requests"
            ]["first_response_hours"]["median"],
        }
    return report
