from __future__ import annotations

import subprocess
from datetime import UTC, datetime

import icalendar
import pytest

from tests.conftest import ROOT, SAMPLE_EVENTS, SAMPLE_POLICY
from tools import identity
from tools.governance import generate, pages
from tools.governance.check import check
from tools.governance.cli import main
from tools.policy import load_events, load_policy

POLICY = """\
version: 1
people:
  - {login: ana, name: Ana, roles: [maintainer], areas: [core], since: 2024-01-01}
  - {login: ben, name: Ben, roles: [reviewer], areas: [core, docs], since: 2024-02-01}
  - {login: cat, name: Cat, roles: [maintainer], areas: [docs], since: 2024-03-01}
areas:
  core:
    description: The library
    paths: [src/**]
  docs:
    description: The docs
    paths: [docs/**, README.md]
contact:
  conduct: conduct@project.test
"""


@pytest.fixture
def repo(tmp_path):
    for name in ("src/lib.py", "docs/index.md", "README.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n")
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "policy.yml").write_text(POLICY)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def _problems(root) -> list[str]:
    return [str(p) for p in check(load_policy(root), root)]


def _edit_policy(root, old: str, new: str) -> None:
    path = root / "governance" / "policy.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_sync_then_check_is_clean_and_sync_is_idempotent(repo, capsys):
    assert main(["--root", str(repo), "sync"]) == 0
    assert "wrote .github/CODEOWNERS" in capsys.readouterr().out
    assert main(["--root", str(repo), "check"]) == 0
    assert main(["--root", str(repo), "sync"]) == 0
    assert "up to date" in capsys.readouterr().out
    owners = (repo / ".github" / "CODEOWNERS").read_text()
    assert "* @ana @cat\n" in owners
    assert "/src/** @ana @ben\n" in owners and "/docs/** @ben @cat\n" in owners


def test_one_line_of_policy_moves_codeowners_maintainers_and_the_review_page(repo):
    main(["--root", str(repo), "sync"])
    # Ben becomes a maintainer: one line of the policy.
    _edit_policy(repo, "name: Ben, roles: [reviewer]", "name: Ben, roles: [maintainer]")
    assert any("CODEOWNERS: out of date" in p for p in _problems(repo))
    main(["--root", str(repo), "sync"])
    assert _problems(repo) == []
    assert "* @ana @ben @cat\n" in (repo / ".github" / "CODEOWNERS").read_text()
    maintainers = (repo / "governance" / "MAINTAINERS.md").read_text()
    section = maintainers.split("## Maintainers")[1].split("## Reviewers")[0]
    assert "[@ben](https://github.com/ben)" in section
    review = pages.code_review_page(load_policy(repo))
    assert "| `core` | The library | `src/**` | [@ana](https://github.com/ana), [@ben]" in review


def test_check_reports_a_hand_edited_generated_file(repo):
    main(["--root", str(repo), "sync"])
    (repo / "governance" / "MAINTAINERS.md").write_text("# edited by hand\n")
    assert _problems(repo) == [
        "governance/MAINTAINERS.md: out of date with the policy; run `governance sync`"
    ]
    (repo / ".github" / "CODEOWNERS").unlink()
    assert ".github/CODEOWNERS: missing; run `governance sync`" in _problems(repo)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (  # an area owned by someone who is neither maintainer nor reviewer
            "name: Ben, roles: [reviewer]",
            "name: Ben, roles: [triager]",
            "people[1] (ben): owns core, docs but is neither maintainer nor reviewer",
        ),
        (  # an emeritus who still owns an area
            "since: 2024-02-01}",
            "since: 2024-02-01, emeritus: 2025-01-01}",
            "people[1] (ben): is emeritus but still owns core, docs",
        ),
        (  # an active maintainer without an area
            "roles: [maintainer], areas: [docs]",
            "roles: [maintainer], areas: []",
            "people[2] (cat): is an active maintainer who owns no area",
        ),
        (  # a glob that matches nothing
            "paths: [docs/**, README.md]",
            "paths: [docs/**, README.rst]",
            "areas.docs.paths[1]: 'README.rst' matches no file in the repository",
        ),
        (  # an area nobody can review
            "areas: [core, docs]",
            "areas: [core]",
            None,
        ),
    ],
)
def test_check_catches_each_kind_of_drift(repo, old, new, expected):
    _edit_policy(repo, old, new)
    main(["--root", str(repo), "sync"])  # the generated files agree; the drift is elsewhere
    problems = _problems(repo)
    if expected is None:
        assert problems == []  # cat still owns docs
    else:
        assert any(expected in p for p in problems), problems


def test_an_area_without_any_owner(repo):
    _edit_policy(repo, "roles: [maintainer], areas: [docs]", "roles: [maintainer], areas: [core]")
    _edit_policy(repo, "areas: [core, docs]", "areas: [core]")
    main(["--root", str(repo), "sync"])
    assert _problems(repo) == [
        "governance/policy.yml: areas.docs: has no active maintainer or reviewer among its owners"
    ]


def test_check_exits_1_and_prints_each_problem(repo, capsys):
    assert main(["--root", str(repo), "check"]) == 1
    out = capsys.readouterr().out
    assert "CODEOWNERS: missing" in out and "governance check: 2 problems" in out


def test_the_repositorys_own_governance_is_in_sync():
    """Holds in every fork that follows the docs (examples or none, contacts set or not, no
    maintainer yet): the policy, the generated files and the tree agree; what is left is
    advice (warnings), never a failure."""
    found = check(load_policy(ROOT), ROOT)
    assert [str(p) for p in found if not p.warning] == []


def test_events_index_lists_upcoming_before_past():
    events = load_events(path=SAMPLE_EVENTS)
    text = pages.events_index(events, datetime(2026, 10, 1, tzinfo=UTC))
    upcoming, past = text.split("## Past")
    assert upcoming.index("Winter community meetup") < upcoming.index("Fast training loops")
    assert "Spring contributor sprint" in past and "Code review workshop" in past
    assert past.index("Code review workshop") < past.index("Spring contributor sprint")


def test_calendar_feed_parses_back_into_the_same_events():
    events = load_events(path=SAMPLE_EVENTS)
    ident = identity.load(ROOT)
    feed = icalendar.Calendar.from_ical(pages.calendar(events, ident, datetime.now(UTC)))
    parsed = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    assert len(parsed) == len(events.events)
    for ev in events.events:
        item = parsed[pages.event_uid(ev)]
        assert str(item["summary"]) == ev.title
        assert item.decoded("dtstart") == ev.starts and item.decoded("dtend") == ev.ends
    zones = {str(tz["tzid"]) for tz in feed.walk("VTIMEZONE")}
    assert {"Europe/Berlin", "America/Toronto", "Europe/Stockholm"} <= zones


def test_codeowners_puts_narrower_patterns_last():
    text = generate.codeowners(load_policy(path=SAMPLE_POLICY))
    lines = [line.split()[0] for line in text.splitlines() if line.startswith("/")]
    assert lines.index("/tools/**") < lines.index("/tools/policy/**")
