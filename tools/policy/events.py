"""``governance/events.yml``: the community's past and upcoming events.

An event is timed (``start`` and ``end`` local wall-clock times in ``timezone``) or all-day
(``start`` and ``end`` dates, ``end`` the last day, inclusive). A regular event repeats by an
iCalendar ``rrule`` (``FREQ=WEEKLY;INTERVAL=2;BYDAY=TU``), bounded by ``COUNT`` or ``UNTIL``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from ..policy.loader import Day, Link, Moment, Strict, read_yaml, validate
from ..policy.model import Name, check_timezone

EVENTS_FILE = Path("governance") / "events.yml"
FIRST_YEAR, LAST_YEAR = 1970, 2200
MAX_OCCURRENCES = 500  # a recurrence is expanded at most this far
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")


def exists(local: datetime, zone: ZoneInfo) -> bool:
    """Is this wall-clock time shown by clocks in ``zone``? (Not inside a DST gap.)"""
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
_HTML_TAG = re.compile(r"<[A-Za-z!/?][^<>]*>")  # a whole tag: "a<b" or "a < b" is none
_CODE_LINK = re.compile(r"\]\(\s*(javascript|vbscript|data)\s*:|(javascript|vbscript)\s*:",
                        re.IGNORECASE)  # fmt: skip


class Event(Strict):
    id: Slug  # the page's address: events/<id>/; also the calendar UID, so keep it stable
    title: Name
    kind: Literal["meetup", "workshop", "hackathon", "call"]
    start: Moment  # a local wall-clock time in ``timezone``, or a date (all day)
    end: Moment  # the same kind as start; a date is the last day, inclusive
    timezone: str
    location: str | None = None
    online: Link | None = None
    organisers: Annotated[list[str], Field(min_length=1)]
    description: Name
    registration: Link | None = None
    report: Link | None = None
    rrule: str | None = None  # iCalendar RRULE, e.g. FREQ=MONTHLY;BYDAY=1TH;COUNT=12
    sequence: Annotated[int, Field(ge=0)] = 0  # raise it whenever the date, time or place change
    updated: Day | None = None  # when the details last changed (the feed's LAST-MODIFIED)
    example: bool = False  # sample data from governance/examples.yml

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date_or_time(cls, value):
        if isinstance(value, str) and _DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"{value!r} is not a date") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("title", "location", "description")
    @classmethod
    def _plain(cls, value: str | None) -> str | None:
        """Text the site shows: Markdown, never raw HTML (a <script>, an onerror= on an
        <img>) nor a link that runs code (javascript:, data:, vbscript:)."""
        if value is None:
            return value
        tag = _HTML_TAG.search(value)
        if tag:
            raise ValueError(
                f"holds raw HTML ({tag.group()[:30]!r}); write plain text or Markdown, which the "
                "site escapes"
            )
        if _CODE_LINK.search(value):
            raise ValueError(
                "holds a javascript:, data: or vbscript: link; link to https:// pages only"
            )
        return value

    @field_validator("start", "end")
    @classmethod
    def _naive(cls, value: datetime | date) -> datetime | date:
        if isinstance(value, datetime) and value.tzinfo is not None:
            raise ValueError("write the local time without an offset; `timezone` gives the zone")
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
        return value

    @field_validator("organisers")
    @classmethod
    def _logins(cls, value: list[str]) -> list[str]:
        out = []
        for login in value:
            bare = login.strip().removeprefix("@")
            if not _LOGIN.match(bare):
                raise ValueError(
                    f"{login!r} is not a GitHub login (letters, digits and single hyphens, "
                    "up to 39 characters; the @ is optional)"
                )
            out.append(bare)
        return out

    @model_validator(mode="after")
    def _order_and_place(self):
        if self.all_day != (type(self.end) is date):
            raise ValueError(
                f"event {self.id!r}: start and end must both be dates (an all-day event) or "
                "both be times"
            )
        if not self.all_day:
            for name in ("start", "end"):
                local = getattr(self, name)
                if not exists(local, self.zone):
                    raise ValueError(
                        f"event {self.id!r}: {name} {local.isoformat()} does not exist in "
                        f"{self.timezone} (the clocks skip it when daylight saving time "
                        "begins); give a time outside the gap"
                    )
        if self.ends <= self.starts:
            raise ValueError(
                f"event {self.id!r}: end {self.end.isoformat()} is not after start "
                f"{self.start.isoformat()}"
            )
        if not (self.location or self.online):
            raise ValueError(f"event {self.id!r}: give a location, an online link, or both")
        if self.rrule is not None:
            self._check_rrule()
        return self

    def _check_rrule(self) -> None:
        from dateutil.rrule import rrulestr

        text = self.rrule.strip()
        if text.upper().startswith("RRULE:") or "\n" in text:
            raise ValueError(f"event {self.id!r}: rrule: write the rule alone, without RRULE:")
        if not re.search(r"(^|;)(COUNT|UNTIL)=", text.upper()):
            raise ValueError(
                f"event {self.id!r}: rrule {text!r} never ends; add COUNT=N or UNTIL=YYYYMMDD"
            )
        try:
            rrulestr(text, dtstart=self._first_local())
        except (ValueError, TypeError) as exc:
            raise ValueError(f"event {self.id!r}: rrule {text!r} is not valid ({exc})") from None

    # --- times ---------------------------------------------------------------------------

    @property
    def all_day(self) -> bool:
        return type(self.start) is date

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def _first_local(self) -> datetime:
        return datetime.combine(self.start, time()) if self.all_day else self.start

    @property
    def duration(self) -> timedelta:
        return self.ends - self.starts

    @property
    def starts(self) -> datetime:
        return self._first_local().replace(tzinfo=self.zone)

    @property
    def ends(self) -> datetime:
        if self.all_day:  # the last day, inclusive: the event ends at the next midnight
            return datetime.combine(self.end + timedelta(days=1), time(), self.zone)
        return self.end.replace(tzinfo=self.zone)

    def occurrences(self) -> list[tuple[datetime, datetime]]:
        """(start, end) of every occurrence, in the event's zone (one for a single event)."""
        if self.rrule is None:
            return [(self.starts, self.ends)]
        from dateutil.rrule import rrulestr

        rule = rrulestr(self.rrule.strip(), dtstart=self._first_local())
        out = []
        for local in rule:
            if len(out) >= MAX_OCCURRENCES:
                break
            begin = local.replace(tzinfo=self.zone)
            out.append((begin, begin + self.duration))
        return out

    def is_upcoming(self, now: datetime) -> bool:
        return self.occurrences()[-1][1] > now

    def next_occurrences(self, now: datetime, count: int = 3) -> list[tuple[datetime, datetime]]:
        return [o for o in self.occurrences() if o[1] > now][:count]


class Events(Strict):
    version: Literal[1]
    events: list[Event] = []

    @model_validator(mode="after")
    def _unique_ids(self):
        seen: set[str] = set()
        for i, event in enumerate(self.events):
            if event.id in seen:
                raise ValueError(f"events[{i}].id {event.id!r} is used twice; ids are unique")
            seen.add(event.id)
        return self

    def split(self, now: datetime) -> tuple[list[Event], list[Event]]:
        """(upcoming soonest first, past latest first)."""

        def soonest(e: Event) -> datetime:
            upcoming = e.next_occurrences(now, 1)
            return upcoming[0][0] if upcoming else e.starts

        upcoming = sorted((e for e in self.events if e.is_upcoming(now)), key=soonest)
        past = sorted(
            (e for e in self.events if not e.is_upcoming(now)), key=lambda e: e.starts, reverse=True
        )
        return upcoming, past


def load_events(root: Path | None = None, path: Path | None = None) -> Events:
    if path is None:
        from ..identity import find_root

        path = (root or find_root()) / EVENTS_FILE
    from ..policy.model import with_examples

    return validate(Events, with_examples(read_yaml(path), path, "events"), path)
