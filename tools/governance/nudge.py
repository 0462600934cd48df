"""``governance nudge``: one reminder on open items nobody has answered in time.

Source (the community report's GitHub source: issues, pull requests, comments, reviews) →
``who_owes`` (the community report's metric: who owes the next reply, for how long) →
``choose`` (pure: which items get a nudge, and what it says) → ``post``.

A nudge goes only where the maintainers owe the reply, or where a maintainer (anyone but the
author) answered last and the author is silent; never on an item with an exempt label; at most
once per ``stale.nudge_after_days`` per item (the bot's earlier nudges carry a hidden marker).
Nothing is ever closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ..community_report.metrics.github import who_owes
from ..community_report.records import Activity
from ..community_report.sources.github import NUDGE_MARKER
from ..github import GitHubClient
from ..policy import Policy


@dataclass(frozen=True)
class Nudge:
    number: int
    kind: str  # "issue" or "pull_request"
    owes: str  # "maintainers" or "author"
    waiting_days: float
    body: str


def choose(activity: Activity, now: datetime, policy: Policy, bot_login: str) -> list[Nudge]:
    days = policy.stale.nudge_after_days
    since = now - timedelta(days=days)
    recent = {
        c.number
        for c in activity.comments
        if c.nudge and c.author == bot_login.lower() and c.created_at >= since
    }
    authors = {i.number: i.author for i in activity.issues}
    out = []
    for row in who_owes(activity, now, policy):
        if not row["nudge"] or row["number"] in recent:
            continue
        what = "pull request" if row["kind"] == "pull_request" else "issue"
        waited = int(row["waiting_days"])
        if row["owes"] == "maintainers":
            text = (
                f"This {what} has waited {waited} days for a reply from the maintainers. "
                "A maintainer will look at it; if it is blocked on something, a label saying "
                "so stops these reminders."
            )
        else:
            author = authors[row["number"]]
            text = (
                f"@{author}, the last reply here, {waited} days ago, is waiting for your answer. "
                "If you have moved on, say so and someone else can pick this up."
            )
        out.append(Nudge(row["number"], row["kind"], row["owes"], row["waiting_days"],
                         f"{text}\n\n{NUDGE_MARKER}"))  # fmt: skip
    return out


def render(repo: str, nudges: list[Nudge], posting: bool, held: int = 0) -> str:
    if not nudges:
        return f"{repo}: nothing is waiting past its nudge; no reminder to post\n"
    verb = "posting" if posting else "would post (dry run; --post posts them)"
    lines = [f"{repo}: {verb} {len(nudges)} reminder{'s' if len(nudges) != 1 else ''}"]
    if held:
        lines.append(
            f"  {held} more wait for a later run (stale.max_nudges_per_run: "
            f"{len(nudges)}; the longest-waiting go first)"
        )
    for n in nudges:
        who = "the author owes" if n.owes == "author" else "the maintainers owe"
        lines.append(f"  #{n.number} ({n.kind}, {who} a reply, {n.waiting_days:g} days)")
    return "\n".join(lines) + "\n"


def post(client: GitHubClient, repo: str, nudges: list[Nudge], bot_login: str, now: datetime,
         period_days: float) -> int:  # fmt: skip
    """Post each nudge unless the item already has one from ``bot_login`` within the period
    (another run, a local one beside the scheduled one, may have posted it since this run
    read the repository): one look at the item's recent comments before each post, which
    also finds a post whose answer was lost. Returns the number posted."""
    since = (now - timedelta(days=period_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    posted_count = 0
    for n in nudges:
        path = f"repos/{repo}/issues/{n.number}/comments"

        def posted(path=path):
            for page in client.pages(path, {"since": since}, repo):
                for c in page.data or ():
                    login = ((c.get("user") or {}).get("login") or "").lower()
                    if (
                        login == bot_login.lower()
                        and NUDGE_MARKER in (c.get("body") or "")
                        and (c.get("created_at") or "") >= since
                    ):
                        return c
            return None

        if posted() is not None:
            continue
        client.post(path, {"body": n.body}, repo, find=posted)
        posted_count += 1
    return posted_count
