"""The template's example people and events: marked as examples everywhere they show, and gone
with one command that leaves a valid policy and a passing check."""

from __future__ import annotations

import shutil

from tests.conftest import ROOT
from tools.governance.check import check
from tools.governance.cli import main
from tools.governance.generate import codeowners, maintainers_md
from tools.governance.pages import code_review_page, event_page, events_index
from tools.policy import load_events, load_policy


def _project(tmp_path):
    root = tmp_path / "fork"
    (root / "governance").mkdir(parents=True)
    (root / ".github").mkdir()
    shutil.copy2(ROOT / "identity.toml", root / "identity.toml")
    for name in ("policy.yml", "events.yml", "examples.yml"):
        shutil.copy2(ROOT / "governance" / name, root / "governance" / name)
    return root


def test_examples_are_marked_and_never_linked_to_real_accounts(tmp_path):
    policy = load_policy(_project(tmp_path))
    assert policy.people and all(p.example for p in policy.people)
    text = maintainers_md(policy)
    assert "github.com/" not in text and "Mira Okafor (example)" in text
    assert "github.com/" not in code_review_page(policy) and "*(example)*" in code_review_page(
        policy
    )
    events = load_events(_project(tmp_path / "b"))
    assert events.events and all(e.example for e in events.events)
    page = event_page(events.events[0])
    assert '!!! note "Example"' in page and "github.com/" not in page
    from datetime import UTC, datetime

    assert "*(example)*" in events_index(events, datetime(2026, 1, 1, tzinfo=UTC))


def test_clear_examples_leaves_a_valid_policy_and_a_passing_check(tmp_path, capsys):
    root = _project(tmp_path)
    assert main(["--root", str(root), "sync"]) == 0
    assert main(["--root", str(root), "clear-examples"]) == 0
    out = capsys.readouterr().out
    assert "removed governance/examples.yml: 6 example people and 5 example events" in out
    assert not (root / "governance" / "examples.yml").exists()
    policy = load_policy(root)
    assert policy.people == [] and load_events(root).events == []
    assert "@" not in codeowners(policy).split("No fallback yet")[1]
    found = check(policy, root, files=["governance/policy.yml", "README.md"])
    assert not [p for p in found if not p.warning and "matches no file" not in p.message]
    assert any("names no active maintainer yet" in p.message for p in found)
    assert main(["--root", str(root), "clear-examples"]) == 0  # twice: nothing to do
    assert "no examples to clear" in capsys.readouterr().out
