"""CODEOWNERS and the policy mean the same thing: a path belongs to the areas of its last
matching CODEOWNERS line (GitHub's rule), for the review bot and the report alike."""

from __future__ import annotations

import pytest

from tools.errors import UserError
from tools.governance.check import check
from tools.governance.generate import codeowners
from tools.policy.model import Policy, load_policy

PEOPLE = [
    {"login": "ana", "name": "Ana", "roles": ["maintainer"], "areas": ["tools", "gov"],
     "since": "2024-01-01"},
    {"login": "ben", "name": "Ben", "roles": ["reviewer"], "areas": ["tools"],
     "since": "2024-01-01"},
    {"login": "cy", "name": "Cy", "roles": ["maintainer"], "areas": ["gov"], "since": "2024-01-01"},
]  # fmt: skip


def policy(**areas) -> Policy:
    return Policy.model_validate({"version": 1, "people": PEOPLE, "areas": areas})


TWO = policy(
    gov={"description": "g", "paths": ["tools/governance/**"], "teams": ["acme/governance"]},
    tools={"description": "t", "paths": ["tools/**"]},
)


def test_a_path_belongs_to_its_last_matching_line():
    assert TWO.areas_for("tools/governance/cli.py") == ["gov"]
    assert TWO.areas_for("tools/report.py") == ["tools"]
    assert TWO.areas_for("README.md") == []
    text = codeowners(TWO)
    lines = [line for line in text.splitlines() if line.startswith("/")]
    assert lines == ["/tools/** @ana @ben", "/tools/governance/** @ana @cy @acme/governance"]


def test_a_wholly_overridden_glob_is_a_warning(tmp_path):
    shadowed = policy(
        tools={"description": "t", "paths": ["tools/**", "tools/governance/*.py"]},
        gov={"description": "g", "paths": ["tools/governance/**"]},
    )
    files = ["tools/a.py", "tools/governance/x.py", "tools/governance/y.py"]
    found = check(shadowed, tmp_path, files)
    warned = [p for p in found if p.warning and "wholly overridden" in p.message]
    assert [p.where.rsplit(": ", 1)[1] for p in warned] == ["areas.tools.paths[1]"]
    assert "by a more specific glob of gov" in warned[0].message


def test_dead_globs_anywhere_in_the_policy_are_warned(tmp_path):
    areas = {
        "tools": {"description": "t", "paths": ["tools/**"]},
        "gov": {"description": "g", "paths": ["tools/g/**"]},
    }
    review = {"protected_paths": ["tolls/**"], "tests": {"when_changed": ["srcc/**"]}}
    p = Policy.model_validate({"version": 1, "people": PEOPLE, "areas": areas, "review": review})
    files = ["tools/a.py", "tools/g/b.py"]
    found = [str(x) for x in check(p, tmp_path, files) if x.warning]
    assert any("review.protected_paths[0]: warning: 'tolls/**' matches no file" in f for f in found)
    assert any("review.tests.when_changed[0]: warning: 'srcc/**'" in f for f in found)


@pytest.mark.parametrize("glob", ["docs/my file.md", "docs/a\tb", "/anchored/**"])
def test_globs_codeowners_cannot_hold_are_refused(tmp_path, glob):
    path = tmp_path / "policy.yml"
    path.write_text(
        "version: 1\npeople: []\nareas:\n  docs:\n    description: d\n"
        f"    paths: [{glob!r}]\n".replace("'", '"')
    )
    with pytest.raises(UserError, match=r"areas\.docs\.paths\[0\]: String should match pattern"):
        load_policy(path=path)


def test_a_team_must_be_org_slash_team():
    with pytest.raises(ValueError):
        policy(gov={"description": "g", "paths": ["x/**"], "teams": ["@acme/gov"]})
