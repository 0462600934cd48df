"""Pages of the docs site rendered from the policy and the events file (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime

from tools.governance.generate import eligible_owners
from tools.identity import Identity
from tools.policy import Event, Events, Policy

KIND_TITLES = {"meetup": "Meetup", "workshop": "Workshop", "hackathon": "Hackathon"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


EXAMPLE = "*(example)*"  # sample data from governance/examples.yml, never a real account


def _person(login: str, example: bool) -> str:
    if example:  # an invented person: no link to a real github.com account
        return f"@{login} {EXAMPLE}"
    return f"[@{login}](https://github.com/{login})"


def _people(people) -> str:
    return ", ".join(_person(p.login, p.example) for p in people) or "—"


def _globs(globs) -> str:
    return ", ".join(f"`{g}`" for g in globs) or "—"


def code_review_page(policy: Policy) -> str:
    r = policy.review
    out = [
        "# Code review",
        "",
        "How pull requests are reviewed here. Everything on this page is rendered from "
        "`governance/policy.yml` when the site is built: change the policy, and this page, "
        "CODEOWNERS and MAINTAINERS.md follow.",
        "",
        "## Areas and owners",
        "",
        "GitHub requests a review from an area's owners when a pull request touches its paths "
        "(`.github/CODEOWNERS` is generated from this table).",
        "",
        "| area | what it covers | paths | owners | approvals |",
        "|---|---|---|---|---:|",
    ]
    for name, area in policy.areas.items():
        approvals = r.approvals.areas.get(name, r.approvals.default)
        owners = _people(eligible_owners(policy, name))
        out.append(
            f"| `{name}` | {_cell(area.description)} | {_globs(area.paths)} | {owners} "
            f"| {approvals} |"
        )
    checks = ", ".join(f"`{c}`" for c in r.required_checks) or "none"
    out += [
        "",
        "## Approval rules",
        "",
        f"- A pull request needs **{r.approvals.default}** approving review"
        f"{'s' if r.approvals.default != 1 else ''} from an owner of each area it touches, "
        "unless the area asks for more (table above); the author's own review never counts.",
        f"- Required checks: {checks}.",
        f"- Sign-off (DCO): {'every commit needs a `Signed-off-by` trailer that matches its author' if r.dco else 'not required'}.",  # noqa: E501
    ]
    if r.tests.enabled:
        out.append(
            f"- Tests: a change to {_globs(r.tests.when_changed)} should also change "
            f"{_globs(r.tests.expect_changed)}."
        )
    if r.docs.enabled:
        out.append(
            f"- Docs: a change to {_globs(r.docs.when_changed)} should also change "
            f"{_globs(r.docs.expect_changed)}."
        )
    if r.changelog.required:
        skip = ", ".join(f"`{label}`" for label in r.changelog.skip_labels) or "none"
        out.append(
            f"- Changelog: every pull request adds an entry to `{r.changelog.path}` "
            f"(labels that waive it: {skip})."
        )
    else:
        out.append("- Changelog: not required.")
    if r.protected_paths:
        out.append(
            f"- Protected paths, flagged for a maintainer's review: {_globs(r.protected_paths)}."
        )
    s = r.size
    out += [
        "",
        "## Size labels",
        "",
        f"Lines changed (added plus deleted), not counting files matching {_globs(s.exclude)}.",
        "",
        "| label | lines changed |",
        "|---|---|",
        f"| `size/XS` | 0–{s.XS} |",
        f"| `size/S` | {s.XS + 1}–{s.S} |",
        f"| `size/M` | {s.S + 1}–{s.M} |",
        f"| `size/L` | {s.M + 1}–{s.L} |",
        f"| `size/XL` | more than {s.L} |",
    ]
    resp = policy.responsiveness
    if resp.business_hours:
        bh = resp.business_hours
        clock = (
            f"business hours: {', '.join(d.capitalize() for d in bh.days)}, "
            f"{bh.start}–{bh.end} ({bh.timezone})"
        )
    else:
        clock = "hours counted around the clock"
    out += [
        "",
        "## Responsiveness targets",
        "",
        "A first response is a comment or review by someone other than the author and not a bot.",
        "",
        "| item | first response within |",
        "|---|---:|",
        f"| issue | {resp.issue_first_response_hours} hours |",
        f"| pull request | {resp.pull_request_first_response_hours} hours |",
        "",
        f"Targets are measured in {clock}.",
        "",
        "## Stale items",
        "",
        f"When an open item has waited **{policy.stale.nudge_after_days} days** on whoever owes "
        "the next reply — the author or the maintainers — it gets a friendly nudge. Items "
        f"labelled {', '.join(f'`{x}`' for x in policy.stale.exempt_labels) or 'nothing'} are "
        "exempt. Nothing is closed without a person saying why.",
    ]
    if policy.labels:
        out += ["", "## Labels", "", "| label | meaning |", "|---|---|"]
        out += [f"| `{label.name}` | {_cell(label.description)} |" for label in policy.labels]
    return "\n".join(out) + "\n"


def _when(event: Event) -> str:
    s, e = event.starts, event.ends
    same_day = s.date() == e.date()
    end = e.strftime("%H:%M") if same_day else e.strftime("%a %d %b %Y, %H:%M")
    utc = s.astimezone(UTC).strftime("%H:%M UTC")
    return f"{s.strftime('%a %d %b %Y, %H:%M')} – {end} ({event.timezone}; starts {utc})"


def _where(event: Event) -> str:
    parts = []
    if event.location:
        parts.append(_cell(event.location))
    if event.online:
        parts.append(f"[online]({event.online})")
    return " and ".join(parts)


def events_index(events: Events, now: datetime) -> str:
    upcoming, past = events.split(now)
    out = [
        "# Events",
        "",
        "Meetups, workshops and hackathons of this community. Subscribe to the "
        "[calendar feed](events.ics) to get them in your calendar; propose one with the "
        "*Event proposal* issue form (see [how events work](../governance/EVENTS.md)).",
        "",
        "## Upcoming",
        "",
    ]
    for title, items in (("upcoming", upcoming), ("past", past)):
        if title == "past":
            out += ["", "## Past", ""]
        if not items:
            out.append(f"No {title} events.")
            continue
        out += ["| event | kind | when | where |", "|---|---|---|---|"]
        for ev in items:
            out.append(
                f"| [{_cell(ev.title)}]({ev.id}.md){' ' + EXAMPLE if ev.example else ''} "
                f"| {KIND_TITLES[ev.kind]} | {_when(ev)} "
                f"| {_where(ev)} |"
            )
    return "\n".join(out) + "\n"


def event_page(event: Event) -> str:
    organisers = ", ".join(_person(o, event.example) for o in event.organisers)
    out = [f"# {event.title}", ""]
    if event.example:
        out += [
            '!!! note "Example"',
            "    This event is sample data shipped with the template (governance/examples.yml);"
            " it never took place. `governance clear-examples` removes it.",
            "",
        ]
    out += [
        f"**{KIND_TITLES[event.kind]}** · {_when(event)}",
        "",
        f"**Where:** {_where(event)}",
        "",
        f"**Organisers:** {organisers}",
        "",
        event.description,
    ]
    if event.registration:
        out += ["", f"[Register]({event.registration})"]
    if event.report:
        out += ["", f"[Read the report]({event.report})"]
    out += ["", "[All events](index.md) · [Calendar feed](events.ics)"]
    return "\n".join(out) + "\n"


def calendar(events: Events, ident: Identity, stamp: datetime) -> bytes:
    """An iCalendar feed of every event, with its time zones, built with ``icalendar``."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{ident.name}//events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{ident.name} events")
    for ev in sorted(events.events, key=lambda e: e.starts):
        item = icalendar.Event()
        item.add("uid", f"{ev.id}@{ident.repository}")
        item.add("dtstamp", stamp)
        item.add("dtstart", ev.starts)
        item.add("dtend", ev.ends)
        item.add("summary", ev.title)
        item.add("description", ev.description)
        item.add("categories", [ev.kind])
        if ev.location:
            item.add("location", ev.location)
        elif ev.online:
            item.add("location", str(ev.online))
        item.add("url", f"{ident.docs_url.rstrip('/')}/events/{ev.id}/")
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()
