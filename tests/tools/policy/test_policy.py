from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.conftest import SAMPLE_EVENTS, SAMPLE_POLICY
from tools.errors import UserError
from tools.governance.cli import main
from tools.policy import load_events, load_policy
from tools.policy.globs import matches

POLICY = SAMPLE_POLICY.read_text()
EVENTS = SAMPLE_EVENTS.read_text()


def test_the_shipped_policy_and_events_load():
    policy = load_policy(path=SAMPLE_POLICY)
    assert policy.version == 1 and policy.people and policy.areas
    assert {p.login for p in policy.owners("model")} == {"mira-okafor", "jonas-weber"}
    assert policy.is_bot("dependabot[bot]") and policy.is_bot("someone", "Bot")
    assert not policy.is_bot("mira-okafor")
    assert policy.review.size.label(0) == "size/XS" and policy.review.size.label(10**6) == "size/XL"
    events = load_events(path=SAMPLE_EVENTS)
    assert len({e.id for e in events.events}) == len(events.events)


def _error(tmp_path, text: str, name: str = "policy.yml", loader=load_policy) -> str:
    """The one-line error the loader gives for ``text``, checked to name the file."""
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(UserError) as info:
        loader(path=path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    return message


def _policy_error(tmp_path, text: str) -> str:
    return _error(tmp_path, text)


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (  # a wrong type
            lambda t: _replace(t, "roles: [reviewer]", "roles: reviewer"),
            "people[3].roles: Input should be a valid list (got 'reviewer')",
        ),
        (  # a value outside the allowed set
            lambda t: _replace(t, "roles: [triager]", "roles: [janitor]"),
            "people[4].roles[0]: Input should be 'contributor', 'triager', 'reviewer', "
            "'maintainer' or 'steering' (got 'janitor')",
        ),
        (  # an unknown key, with the keys that are allowed there
            lambda t: _replace(
                t, "  - login: li-wei-dev\n", "  - login: li-wei-dev\n    nick: li\n"
            ),
            "people[4].nick: unknown key; allowed keys here: login, name, roles, areas, "
            "affiliation, affiliations, emails, since, emeritus",
        ),
        (  # duplicate logins, whatever their case
            lambda t: _replace(t, "login: li-wei-dev", "login: Mira-Okafor"),
            "people[4].login 'Mira-Okafor' is already people[0].login",
        ),
        (
            lambda t: _replace(t, "areas: [tools, infra]", "areas: [tools, infr]"),
            "people[1].areas: unknown area 'infr'; areas are: model, governance, tools, docs",
        ),
        (  # a bad time zone
            lambda t: _replace(t, "timezone: UTC", "timezone: Mars/Olympus"),
            "responsiveness.business_hours.timezone: unknown IANA time zone",
        ),
        (
            lambda t: _replace(t, "    XS: 10\n", "    XS: 60\n"),
            "review.size: thresholds must increase XS < S < M < L, got 60, 50, 200, 800",
        ),
        (
            lambda t: _replace(t, "since: 2025-04-02", "since: 2025-13-45"),
            "people[4].since: Input should be a valid date",
        ),
        (
            lambda t: _replace(t, "login: li-wei-dev", "login: -li wei"),
            "people[4].login: String should match pattern",
        ),
        (
            lambda t: _replace(t, "version: 1", "version: 2"),
            "version: Input should be 1 (got 2)",
        ),
        (
            lambda t: t + "\n  broken: [\n",
            "not valid YAML",
        ),
        (lambda t: "- just\n- a list\n", "the top level must be a mapping of keys, got a list"),
        (lambda t: _replace(t, "people:\n", "peeple:\n"), "peeple: unknown key"),
    ],
)
def test_malformed_policy_gets_one_clear_line(tmp_path, edit, expected):
    assert expected in _policy_error(tmp_path, edit(POLICY))


def test_a_key_written_twice_is_refused_with_its_line(tmp_path):
    # YAML would silently keep the last of two equal keys; the loader refuses the file.
    text = _replace(POLICY, "stale:\n", "stale:\n  nudge_after_days: 3\n")
    line = text.splitlines().index("stale:") + 3  # 1-based line of the second key
    message = _policy_error(tmp_path, text)
    assert f"line {line}, column 3: not valid YAML (key 'nudge_after_days' appears twice" in message


def _events_error(tmp_path, text: str) -> str:
    return _error(tmp_path, text, "events.yml", load_events)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda t: _replace(t, "end: 2026-12-09T21:00", "end: 2026-12-09T17:00"),
            "event 'winter-meetup-2026': end 2026-12-09T17:00:00 is not after start "
            "2026-12-09T18:30:00",
        ),
        (
            lambda t: _replace(t, "timezone: Europe/Stockholm", "timezone: Europe/Atlantis"),
            "events[2].timezone: unknown IANA time zone",
        ),
        (
            lambda t: _replace(t, "kind: meetup", "kind: party"),
            "events[2].kind: Input should be 'meetup', 'workshop', 'hackathon' or 'call' "
            "(got 'party')",
        ),
        (
            lambda t: _replace(t, "id: winter-meetup-2026", "id: spring-sprint-2026"),
            "events[2].id 'spring-sprint-2026' is used twice",
        ),
        (
            lambda t: _replace(t, "    location: Fjord Software, Stockholm\n", ""),
            "event 'winter-meetup-2026': give a location, an online link, or both",
        ),
        (
            lambda t: _replace(t, "start: 2026-12-09T18:30", "start: 2026-12-09T18:30+01:00"),
            "events[2].start: write the local time without an offset",
        ),
        (
            lambda t: _replace(t, "start: 2026-12-09T18:30", "start: next tuesday"),
            "events[2].start: Input should be a valid datetime or date",
        ),
        (lambda t: _replace(t, "organisers: [tomas-lind]", "organisers: []"), "organisers"),
        (
            lambda t: _replace(
                t,
                "registration: https://example.org/events/winter-meetup-2026",
                "registration: not a url",
            ),
            "events[2].registration: Input should be a valid URL",
        ),
    ],
)
def test_malformed_events_get_one_clear_line(tmp_path, edit, expected):
    assert expected in _events_error(tmp_path, edit(EVENTS))


def test_events_split_upcoming_soonest_first_then_past_latest_first():
    events = load_events(path=SAMPLE_EVENTS)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    upcoming, past = events.split(now)
    assert [e.id for e in upcoming] == [
        "review-workshop-2026-09",
        "winter-meetup-2026",
        "training-loops-2027",
    ]
    assert [e.id for e in past] == ["spring-sprint-2026"]


def test_event_times_carry_their_zone():
    events = load_events(path=SAMPLE_EVENTS).events
    event = next(e for e in events if e.id == "review-workshop-2026-09")
    assert event.starts.utcoffset().total_seconds() == -4 * 3600  # Toronto in September


def test_governance_check_with_a_broken_policy_is_one_line(tmp_path, capsys):
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "policy.yml").write_text(
        _replace(POLICY, "roles: [reviewer]", "roles: 7")
    )
    assert main(["--root", str(tmp_path), "check"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert re.search(r"policy\.yml: people\[3\]\.roles: Input should be a valid list", err)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("docs/**", "docs/a/b.md", True),
        ("docs/**", "docs", False),
        ("docs/**", "mkdocs.yml", False),
        ("**/*.lock", "poetry.lock", True),
        ("**/*.lock", "a/b/uv.lock", True),
        ("tools/*/cli.py", "tools/review_bot/cli.py", True),
        ("tools/*/cli.py", "tools/a/b/cli.py", False),
        ("Makefile", "Makefile", True),
        ("Makefile", "docs/Makefile", False),
        ("*.md", "docs/x.md", False),
        ("file?.txt", "file1.txt", True),
        (".github/workflows/**", ".github/workflows/ci.yml", True),
    ],
)
def test_globs(pattern, path, expected):
    assert matches(pattern, path) is expected
