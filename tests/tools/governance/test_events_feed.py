"""Events as a calendar app reads them: all-day dates, hybrid places and registration links,
regular community calls, SEQUENCE and LAST-MODIFIED, UIDs that survive a rename."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import icalendar
import pytest
from pydantic import ValidationError

from tests.conftest import ROOT
from tools import identity
from tools.governance import pages
from tools.policy.events import Event, Events

BASE = {"title": "T", "timezone": "Europe/Berlin", "organisers": ["ana"], "description": "D"}


def event(**fields) -> Event:
    return Event.model_validate(
        {"id": "e", "kind": "meetup", "location": "Berlin", **BASE, **fields}
    )


def feed(*events: Event, ident=None) -> dict:
    ident = ident or identity.load(ROOT)
    cal = icalendar.Calendar.from_ical(
        pages.calendar(
            Events(version=1, events=list(events)), ident, datetime(2026, 1, 1, tzinfo=UTC)
        )
    )
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_a_date_only_event_is_all_day():
    ev = event(title="Sprint", start="2026-04-18", end="2026-04-19")
    item = feed(ev)["Sprint"]
    assert item["dtstart"].to_ical() == b"20260418" and item["dtstart"].params["VALUE"] == "DATE"
    assert item.decoded("dtend") == date(2026, 4, 20)  # exclusive: the day after the last
    assert "(all day)" in pages.event_page(
        ev
    ) and "Sat 18 Apr 2026 – Sun 19 Apr 2026" in pages.event_page(ev)


def test_hybrid_events_keep_both_places_and_the_registration():
    ev = event(title="Meetup", start="2026-05-05T18:00", end="2026-05-05T20:00",
               online="https://meet.test/x", registration="https://tickets.test/y")  # fmt: skip
    item = feed(ev)["Meetup"]
    assert str(item["location"]) == "Berlin"
    text = str(item["description"])
    assert "Online: https://meet.test/x" in text and "Registration: https://tickets.test/y" in text
    assert str(item["conference"]) == "https://meet.test/x"


def test_a_regular_call_repeats_and_is_expanded_on_its_page():
    ev = event(title="Call", kind="call", start="2026-10-06T17:00", end="2026-10-06T17:45",
               rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=12")  # fmt: skip
    item = feed(ev)["Call"]
    assert item["rrule"].to_ical() == b"FREQ=MONTHLY;COUNT=12;BYDAY=1TU"
    starts = [s.date() for s, _ in ev.occurrences()]
    assert len(starts) == 12 and starts[:3] == [
        date(2026, 10, 6),
        date(2026, 11, 3),
        date(2026, 12, 1),
    ]
    assert ev.is_upcoming(datetime(2027, 6, 1, tzinfo=UTC))  # the series runs to September
    assert not ev.is_upcoming(datetime(2027, 10, 1, tzinfo=UTC))
    upcoming, _ = Events(version=1, events=[ev]).split(datetime(2027, 1, 15, tzinfo=UTC))
    assert upcoming == [ev]
    assert "Next dates:" in pages.event_page(ev)


@pytest.mark.parametrize(
    ("rrule", "message"),
    [
        ("FREQ=WEEKLY", "never ends; add COUNT=N or UNTIL"),
        ("FREQ=SOMETIMES;COUNT=3", "is not valid"),
        ("RRULE:FREQ=DAILY;COUNT=2", "without RRULE:"),
    ],
)
def test_a_bad_rule_is_one_clear_message(rrule, message):
    with pytest.raises(ValidationError, match=message):
        event(start="2026-10-06T17:00", end="2026-10-06T17:45", rrule=rrule)


def test_sequence_and_last_modified():
    ev = event(title="Moved", start="2026-05-05T18:00", end="2026-05-05T20:00", sequence=2,
               updated="2026-04-30")  # fmt: skip
    item = feed(ev)["Moved"]
    assert item["sequence"] == 2
    assert item.decoded("last-modified") == datetime(2026, 4, 30, tzinfo=UTC)


def test_uids_survive_a_rename():
    ev = event(title="Same", start="2026-05-05T18:00", end="2026-05-05T20:00")
    ident = identity.load(ROOT)
    renamed = replace(ident, name="Acme", repository="acme/acme", docs_url="https://acme.test/")
    assert str(feed(ev)["Same"]["uid"]) == str(feed(ev, ident=renamed)["Same"]["uid"])


@pytest.mark.parametrize("login", ["@you", "you"])
def test_an_organiser_may_be_written_with_or_without_at(login):
    assert event(
        start="2026-05-05T18:00", end="2026-05-05T20:00", organisers=[login]
    ).organisers == ["you"]


def test_a_bad_organiser_gets_words_not_a_regex():
    with pytest.raises(
        ValidationError, match=r"'you there' is not a GitHub login \(letters, digits"
    ):
        event(start="2026-05-05T18:00", end="2026-05-05T20:00", organisers=["you there"])


def test_mixed_dates_and_times_are_refused():
    with pytest.raises(ValidationError, match="must both be dates"):
        event(start="2026-05-05", end="2026-05-05T20:00")
