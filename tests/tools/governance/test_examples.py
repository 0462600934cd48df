"""Example people and events: marked as examples everywhere they show, and gone with one
command that leaves a valid policy and a passing check. The mechanism is tested on the tests'
own examples (tests/data/sample-examples.yml); the repository's own, where it still has them, must
obey the same rules — so these tests hold in a fork before and after `clear-examples`."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest

from tests.conftest import ROOT
from tools.governance.check import check
from tools.governance.cli import main
from tools.governance.generate import codeowners, maintainers_md
from tools.governance.pages import code_review_page, event_page, events_index
from tools.policy import load_events, load_policy
from tools.policy.model import EXAMPLES_FILE

POLICY = """\
version: 1
people: []
areas:
  core: {description: The library, paths: [src/**]}
"""


def _project(tmp_path, examples=ROOT / "tests" / "data" / "sample-examples.yml", policy=POLICY):
    root = tmp_path / "fork"
    (root / "governance").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "src" / "lib.py").write_text("x = 1\n")
    shutil.copy2(ROOT / "identity.toml", root / "identity.toml")
    (root / "governance" / "policy.yml").write_text(policy)
    (root / "governance" / "events.yml").write_text("version: 1\nevents: []\n")
    shutil.copy2(examples, root / EXAMPLES_FILE)
    return root


def _assert_marked(root):
    policy = load_policy(root)
    examples = [p for p in policy.people if p.example]
    assert examples, "examples.yml adds no example people"
    for person in examples:
        assert f"[@{person.login}](https://github.com/" not in maintainers_md(policy)
        assert f"{person.name} (example)" in maintainers_md(policy)
    assert "*(example)*" in code_review_page(policy)
    events = load_events(root)
    for event in (e for e in events.events if e.example):
        page = event_page(event)
        assert '!!! note "Example"' in page and "github.com/" not in page
    if any(e.example for e in events.events):
        assert "*(example)*" in events_index(events, datetime(2026, 1, 1, tzinfo=UTC))


def test_examples_are_marked_and_never_linked_to_real_accounts(tmp_path):
    _assert_marked(_project(tmp_path))


def test_the_repositorys_own_examples_follow_the_same_rules(tmp_path):
    if not (ROOT / EXAMPLES_FILE).is_file():
        pytest.skip("this repository has cleared its examples")
    own = (ROOT / "governance" / "policy.yml").read_text()
    _assert_marked(_project(tmp_path, examples=ROOT / EXAMPLES_FILE, policy=own))


def test_clear_examples_leaves_a_valid_policy_and_a_passing_check(tmp_path, capsys):
    root = _project(tmp_path)
    assert main(["--root", str(root), "sync"]) == 0
    assert "@ada-example" in codeowners(load_policy(root))
    assert main(["--root", str(root), "clear-examples"]) == 0
    out = capsys.readouterr().out
    assert "removed governance/examples.yml: 2 example people and 1 example events" in out
    assert not (root / EXAMPLES_FILE).exists()
    policy = load_policy(root)
    assert policy.people == [] and load_events(root).events == []
    assert "@" not in codeowners(policy).split("No fallback yet")[1]
    found = check(policy, root, files=["src/lib.py"])
    assert [str(p) for p in found if not p.warning] == []
    assert any("names no active maintainer yet" in p.message for p in found)
    assert main(["--root", str(root), "clear-examples"]) == 0  # twice: nothing to do
    assert "no examples to clear" in capsys.readouterr().out
