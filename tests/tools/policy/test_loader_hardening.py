"""The policy and events loader against hostile and careless files: every input gives a loaded
policy or one clear line, never a traceback, and never a long wait or a huge allocation."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.tools.policy.test_policy import EVENTS, _error, _events_error, _replace
from tools.errors import UserError
from tools.identity import validate
from tools.policy import load_events, load_policy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("? [a, b]\n: 1\n", "a key must be a plain value"),
        ("version: 1\n{[1]: 2}: x\n", "not valid YAML"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ("a: " + "[" * 70 + "]" * 70 + "\n", "nested more than 64 levels deep"),
        (
            'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
                for i in range(8)
            ),
            "expands to more than 200,000 values (aliases)",
        ),
        ("people: [" + "x, " * 400_000 + "]\n", "larger than 1,000,000 bytes"),
    ],
)
def test_hostile_yaml_is_one_line(tmp_path, text, expected):
    assert expected in _error(tmp_path, text)


def test_a_directory_is_one_line(tmp_path):
    (tmp_path / "policy.yml").mkdir()
    with pytest.raises(UserError, match="is a directory"):
        load_policy(path=tmp_path / "policy.yml")


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(
        st.sampled_from(["version", "people", "areas", "review", "stale", "labels", "bots", "x"]),
        YAML_VALUES,
        max_size=6,
    )
)
def test_any_structure_loads_or_gives_one_line(tmp_path, data):
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump(data))
    for loader in (load_policy, load_events):
        try:
            loader(path=path)
        except UserError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_loads_or_gives_one_line(tmp_path, text):
    path = tmp_path / "policy.yml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))  # lone surrogates: not UTF-8
    try:
        load_policy(path=path)
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda t: _replace(t, "start: 2026-12-09T18:30", "start: 0001-12-09T18:30"),
            "events[2].start: the year must be from 1970 to 2200",
        ),
        (  # Berlin skips 02:00–03:00 on 29 March 2026
            lambda t: _replace(
                t,
                "start: 2026-04-18T10:00\n    end: 2026-04-19T17:00",
                "start: 2026-03-29T02:30\n    end: 2026-03-29T04:00",
            ),
            "start 2026-03-29T02:30:00 does not exist in Europe/Berlin",
        ),
        (
            lambda t: _replace(t, "timezone: Europe/Stockholm", "timezone: localtime"),
            "events[2].timezone: not an IANA time zone name",
        ),
        (
            lambda t: _replace(t, "timezone: Europe/Stockholm", "timezone: posix/Europe/Paris"),
            "events[2].timezone: not an IANA time zone name",
        ),
    ],
)
def test_events_that_would_break_the_site_are_refused(tmp_path, edit, expected):
    assert expected in _events_error(tmp_path, edit(EVENTS))


def test_the_policy_refuses_a_localtime_zone(tmp_path):
    text = (
        "version: 1\npeople: []\nareas: {}\nresponsiveness:\n"
        "  business_hours: {timezone: localtime, days: [mon]}\n"
    )
    message = _error(tmp_path, text)
    assert "responsiveness.business_hours.timezone: not an IANA time zone name" in message


GOOD = {
    "name": "Acme",
    "package": "acme",
    "description": "x",
    "repository": "acme/acme",
    "copyright": "The Acme authors",
}


@pytest.mark.parametrize(
    "url",
    [
        "https://acme.github.io/acme/\nextra_css: [evil.css]",
        "https://acme.github.io/acme/ # comment",
        "javascript:alert(1)",
        "https://acme.github.io/acme/\u2028x",
    ],
)
def test_a_docs_url_cannot_inject_into_mkdocs_yml(url):
    with pytest.raises(UserError, match="docs_url"):
        validate({**GOOD, "docs_url": url}, "rename")


def test_a_name_with_a_line_break_is_refused():
    with pytest.raises(UserError, match="name holds a line break"):
        validate({**GOOD, "name": "Acme\nsite_url: x", "docs_url": "https://a.github.io/b/"}, "x")
