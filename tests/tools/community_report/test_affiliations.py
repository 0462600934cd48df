"""Dated affiliations: the elephant factor counts each commit for its author's organisation on
the day it was authored, so it follows people who change employer."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.gitrepo import Repo
from tools.community_report.cli import main
from tools.errors import UserError
from tools.policy import load_policy

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
POLICY = """\
version: 1
people:
  - login: ana
    name: Ana Ruiz
    roles: [maintainer]
    areas: [core]
    emails: [ana@mail.example]
    since: 2024-01-01
    affiliation: Freelance
    affiliations:
      - {org: Acme, from: 2025-01-01, until: 2026-05-01}
      - {org: Globex, from: 2026-05-01}
  - login: bo
    name: Bo Chen
    roles: [maintainer]
    areas: [core]
    emails: [bo@mail.example]
    since: 2024-01-01
    affiliation: Globex
areas:
  core: {description: Core, paths: ["**"]}
"""


def _report(tmp_path, capsys, since: str, until: str) -> dict:
    repo = Repo(tmp_path / "r")
    for day in range(1, 5):  # Ana at Acme in April, at Globex in May; Bo at Globex throughout
        repo.commit("Ana Ruiz", "ana@mail.example", D(2026, 4, day), {"a.py": f"{day}\n"})
        repo.commit("Ana Ruiz", "ana@mail.example", D(2026, 5, day), {"a.py": f"m{day}\n"})
    repo.commit("Bo Chen", "bo@mail.example", D(2026, 4, 20), {"b.py": "b\n"})
    repo.commit("Bo Chen", "bo@mail.example", D(2026, 5, 20), {"b.py": "c\n"})
    (repo.root / "governance").mkdir()
    (repo.root / "governance/policy.yml").write_text(POLICY)
    code = main([str(repo.root), "--since", since, "--until", until, "--format", "json",
                 "--no-store"])  # fmt: skip
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)["contributors"]


def test_commits_count_for_the_employer_of_their_day(tmp_path, capsys):
    c = _report(tmp_path, capsys, "2026-04-01", "2026-06-01")
    orgs = {o["name"]: o["commits"] for o in c["organisations"]}
    assert orgs == {"Acme": 4, "Globex": 6}  # Ana's four April commits were Acme's
    assert c["elephant_factor"] == 1  # Globex alone: 6 of 10
    may = _report(tmp_path / "may", capsys, "2026-05-01", "2026-06-01")
    assert {o["name"]: o["commits"] for o in may["organisations"]} == {"Globex": 5}


def test_overlapping_or_backwards_affiliations_are_refused(tmp_path):
    policy = tmp_path / "governance" / "policy.yml"
    policy.parent.mkdir()
    overlapping = POLICY.replace("until: 2026-05-01}", "until: 2026-06-01}")
    policy.write_text(overlapping)
    with pytest.raises(UserError, match="overlap"):
        load_policy(path=policy)
    policy.write_text(POLICY.replace("from: 2025-01-01, until: 2026-05-01",
                                     "from: 2026-05-01, until: 2025-01-01"))  # fmt: skip
    with pytest.raises(UserError, match="must be after"):
        load_policy(path=policy)


def test_maintainers_md_shows_the_current_affiliation(tmp_path):
    from tools.governance.generate import maintainers_md

    policy = tmp_path / "policy.yml"
    policy.write_text(POLICY)
    text = maintainers_md(load_policy(path=policy))
    ana = next(line for line in text.splitlines() if "Ana Ruiz" in line)
    assert "Globex" in ana and "Acme" not in ana
