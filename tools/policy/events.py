"""``governance/events.yml``: the community's past and upcoming events."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AnyHttpUrl, Field, field_validator, model_validator

from tools.policy.loader import Strict, read_yaml, validate
from tools.policy.model import Login, Name, check_timezone

EVENTS_FILE = Path("governance") / "events.yml"
FIRST_YEAR, LAST_YEAR = 1970, 2200


def exists(local: datetime, zone: ZoneInfo) -> bool:
    """Is this wall-clock time shown by clocks in ``zone``? (Not inside a DST gap.)"""
    from datetime import UTC

    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Event(Strict):
    id: Slug  # the page's address: events/<id>/
    title: Name
    kind: Literal["meetup", "workshop", "hackathon"]
    start: datetime  # local wall-clock time in ``timezone``
    end: datetime
    timezone: str
    location: str | None = None
    online: AnyHttpUrl | None = None
    organisers: Annotated[list[Login], Field(min_length=1)]
    description: Name
    registration: AnyHttpUrl | None = None
    report: AnyHttpUrl | None = None
    example: bool = False  # sample data from governance/examples.yml

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("start", "end")
    @classmethod
    def _naive(cls, value: datetime) -> datetime:
        if value.tzinfo is not None:
            raise ValueError("write the local time without an offset; `timezone` gives the zone")
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValueError(f"the year must be from {FIRST_YEAR} to {LAST_YEAR}")
        return value

    @model_validator(mode="after")
    def _order_and_place(self):
        for name in ("start", "end"):
            local = getattr(self, name)
            if not exists(local, self.zone):
                raise ValueError(
                    f"event {self.id!r}: {name} {local.isoformat()} does not exist in "
                    f"{self.timezone} (the clocks skip it when daylight saving time begins); "
                    "give a time outside the gap"
                )
        if self.end <= self.start:
            raise ValueError(
                f"event {self.id!r}: end {self.end.isoformat()} is not after start "
                f"{self.start.isoformat()}"
            )
        if not (self.location or self.online):
            raise ValueError(f"event {self.id!r}: give a location, an online link, or both")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def starts(self) -> datetime:
        return self.start.replace(tzinfo=self.zone)

    @property
    def ends(self) -> datetime:
        return self.end.replace(tzinfo=self.zone)

    def is_upcoming(self, now: datetime) -> bool:
        return self.ends > now


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
        upcoming = sorted((e for e in self.events if e.is_upcoming(now)), key=lambda e: e.starts)
        past = sorted(
            (e for e in self.events if not e.is_upcoming(now)), key=lambda e: e.starts, reverse=True
        )
        return upcoming, past


def load_events(root: Path | None = None, path: Path | None = None) -> Events:
    if path is None:
        from tools.identity import find_root

        path = (root or find_root()) / EVENTS_FILE
    from tools.policy.model import with_examples

    return validate(Events, with_examples(read_yaml(path), path, "events"), path)
