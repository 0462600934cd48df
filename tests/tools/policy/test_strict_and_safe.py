"""The second audit's policy and events cases: no silent coercion between types, and no raw
HTML or code links in what the site shows."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.conftest import SAMPLE_EVENTS, SAMPLE_POLICY
from tools.errors import UserError
from tools.governance.pages import event_page, events_index
from tools.policy import load_events, load_policy


def _policy(tmp_path, edit) -> object:
    data = yaml.safe_load(SAMPLE_POLICY.read_text())
    edit(data)
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_policy(path=path)


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d["stale"].update(nudge_after_days=True), "stale.nudge_after_days"),
        (lambda d: d["stale"].update(nudge_after_days="14"), "stale.nudge_after_days"),
        (lambda d: d["review"]["approvals"].update(default=1.0), "review.approvals.default"),
        (lambda d: d["review"].update(dco="yes"), "review.dco"),
        (lambda d: d["labels"][0].update(name=7), "labels[0].name"),
    ],
)
def test_values_of_the_wrong_type_are_refused_not_coerced(tmp_path, edit, where):
    with pytest.raises(UserError, match=re.escape(where)):
        _policy(tmp_path, edit)


def test_dates_and_links_written_as_text_still_parse(tmp_path):
    policy = _policy(tmp_path, lambda d: d.setdefault("contact", {}).update(
        questions="https://forum.example.org/c/help"))  # fmt: skip
    assert str(policy.contact.questions) == "https://forum.example.org/c/help"
    assert policy.people[0].since.isoformat() == "2024-03-01"


def _events(tmp_path, **fields):
    data = yaml.safe_load(SAMPLE_EVENTS.read_text())
    data["events"][0].update(fields)
    path = tmp_path / "events.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_events(path=path)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Sprint <script>alert(1)</script>"}, "raw HTML"),
        ({"description": 'Come! <img src=x onerror="alert(1)">'}, "raw HTML"),
        ({"location": "<iframe src=//evil.example>"}, "raw HTML"),
        ({"description": "Slides [here](javascript:alert(1))."}, "javascript:"),
        ({"description": "Slides [here](data:text/html;base64,PHNjcmlwdD4=)."}, "javascript:"),
    ],
)
def test_raw_html_and_code_links_in_events_are_refused(tmp_path, fields, message):
    with pytest.raises(UserError, match=message):
        _events(tmp_path, **fields)


def test_ordinary_words_pass_and_pages_escape_what_they_show(tmp_path):
    title, text = "R&D day: bring your data: laptops", "x<3 and a < b > c"
    page = event_page(_events(tmp_path, title=title, description=text).events[0])
    assert "# R&amp;D day: bring your data: laptops" in page
    assert "x&lt;3 and a &lt; b &gt; c" in page
    events = _events(tmp_path, title=title)
    from datetime import UTC, datetime

    assert "R&amp;D day" in events_index(events, datetime(2026, 1, 1, tzinfo=UTC))
