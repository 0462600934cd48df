"""Pages of the docs site rendered from the policy and the events file (pure functions)."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

from ..governance.generate import eligible_owners
from ..identity import Identity
from ..policy import Event, Events, Policy

KIND_TITLES = {
    "meetup": "Meetup",
    "workshop": "Workshop",
    "hackathon": "Hackathon",
    "call": "Community call",
}


def _text(text: str) -> str:
    """Text from the policy or the events as Markdown shows it: never as raw HTML (the
    loader refuses tags too; this is the second line)."""
    return html.escape(text, quote=False)


def _cell(text: str) -> str:
    return _text(text).replace("|", "\\|").replace("\n", " ")


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


def _span(event: Event, s: datetime, e: datetime) -> str:
    if event.all_day:
        last = (e - timedelta(days=1)).date()
        first = s.strftime("%a %d %b %Y")
        if last == s.date():
            return f"{first} (all day)"
        return f"{first} – {last.strftime('%a %d %b %Y')} (all day)"
    same_day = s.date() == e.date()
    end = e.strftime("%H:%M") if same_day else e.strftime("%a %d %b %Y, %H:%M")
    utc = s.astimezone(UTC).strftime("%H:%M UTC")
    return f"{s.strftime('%a %d %b %Y, %H:%M')} – {end} ({event.timezone}; starts {utc})"


def _when(event: Event, now: datetime | None = None) -> str:
    """The event's time; for a regular one, its next occurrence and how it repeats."""
    if event.rrule is None:
        return _span(event, event.starts, event.ends)
    upcoming = event.next_occurrences(now or datetime.now(UTC), 1)
    s, e = upcoming[0] if upcoming else event.occurrences()[-1]
    label = "next" if upcoming else "last"
    return f"{label}: {_span(event, s, e)}; repeats {_cell(describe_rrule(event.rrule))}"


_DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
         "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
_NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last",
        -2: "second to last"}  # fmt: skip
_UNITS = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_ADVERBS = {"day": "daily", "week": "weekly", "month": "monthly", "year": "yearly"}


def describe_rrule(rule: str) -> str:
    """An iCalendar RRULE in words: ``FREQ=MONTHLY;BYDAY=1TU;COUNT=12`` → "monthly on the
    first Tuesday, 12 times". A rule with parts this does not word is shown as written."""
    parts = dict(p.split("=", 1) for p in rule.strip().upper().split(";") if "=" in p)
    parts.pop("WKST", None)  # the week's first day changes no date these rules give
    unit = _UNITS.get(parts.pop("FREQ", ""))
    if unit is None:
        return rule
    interval = int(parts.pop("INTERVAL", "1") or 1)
    head = f"every {interval} {unit}s" if interval > 1 else _ADVERBS[unit]
    days = []
    for day in filter(None, parts.pop("BYDAY", "").split(",")):
        m = re.fullmatch(r"([+-]?\d+)?([A-Z]{2})", day)
        if not m or m.group(2) not in _DAYS or (m.group(1) and int(m.group(1)) not in _NTH):
            return rule
        nth = f"the {_NTH[int(m.group(1))]} " if m.group(1) else ""
        days.append(nth + _DAYS[m.group(2)])
    if days:
        head += " on " + " and ".join(days)
    words = [head]
    if "BYMONTHDAY" in parts:
        words.append(f"on day {parts.pop('BYMONTHDAY')} of the month")
    if "COUNT" in parts:
        words.append(f"{int(parts.pop('COUNT'))} times")
    if "UNTIL" in parts:
        until = parts.pop("UNTIL")[:8]
        words.append(f"until {until[:4]}-{until[4:6]}-{until[6:8]}")
    return rule if parts else ", ".join(words)


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
            when = _when(ev, now)
            out.append(
                f"| [{_cell(ev.title)}]({ev.id}.md){' ' + EXAMPLE if ev.example else ''} "
                f"| {KIND_TITLES[ev.kind]} | {when} "
                f"| {_where(ev)} |"
            )
    return "\n".join(out) + "\n"


def event_page(event: Event) -> str:
    organisers = ", ".join(_person(o, event.example) for o in event.organisers)
    out = [f"# {_text(event.title)}", ""]
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
        _text(event.description),
    ]
    if event.rrule is not None:
        now = datetime.now(UTC)
        coming = event.next_occurrences(now, 6)
        out += ["", "**Next dates:**", ""]
        out += [f"- {_span(event, s, e)}" for s, e in coming] or ["- none: the series has ended"]
    if event.registration:
        out += ["", f"[Register]({event.registration})"]
    if event.report:
        out += ["", f"[Read the report]({event.report})"]
    out += ["", "[All events](index.md) · [Calendar feed](events.ics)"]
    return "\n".join(out) + "\n"


UID_NAMESPACE = uuid.UUID("5f0b8a4e-2c51-4c2b-9d1e-0c6f7b7c2a91")  # fixed: UIDs never move


def event_uid(event: Event) -> str:
    """A calendar UID from the event's id alone: renaming the project, or moving the event,
    keeps it, so calendars update the event instead of adding a second one."""
    return f"{uuid.uuid5(UID_NAMESPACE, event.id)}@events"


def calendar(events: Events, ident: Identity, stamp: datetime) -> bytes:
    """An iCalendar feed of every event, with its time zones, built with ``icalendar``:
    all-day events as dates, regular ones with their RRULE, hybrid ones with both places."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{ident.name}//events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{ident.name} events")
    for ev in sorted(events.events, key=lambda e: e.starts):
        item = icalendar.Event()
        page = f"{ident.docs_url.rstrip('/')}/events/{ev.id}/"
        item.add("uid", event_uid(ev))
        item.add("dtstamp", stamp)
        if ev.all_day:  # VALUE=DATE; DTEND is the day after the last one
            item.add("dtstart", ev.start)
            item.add("dtend", ev.end + timedelta(days=1))
        else:
            item.add("dtstart", ev.starts)
            item.add("dtend", ev.ends)
        if ev.rrule is not None:
            item.add("rrule", icalendar.vRecur.from_ical(ev.rrule.strip()))
        item.add("summary", ev.title)
        lines = [ev.description]
        if ev.online:
            lines.append(f"Online: {ev.online}")
        if ev.registration:
            lines.append(f"Registration: {ev.registration}")
        lines.append(f"Details: {page}")
        item.add("description", "\n\n".join(lines))
        item.add("categories", [ev.kind])
        if ev.location:
            item.add("location", ev.location)
        elif ev.online:
            item.add("location", str(ev.online))
        if ev.online:
            item.add("conference", str(ev.online), parameters={"value": "URI"})
        item.add("url", page)
        item.add("sequence", ev.sequence)
        if ev.updated is not None:
            item.add("last-modified", datetime.combine(ev.updated, datetime.min.time(), UTC))
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()
