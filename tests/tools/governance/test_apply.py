"""governance apply against the local GitHub-compatible server: plan, apply, plan again shows
nothing; hand-made labels and rules are kept; a token without admin rights is one line."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE_POLICY
from tests.github_server import GitHubServer
from tools.github import GitHubClient
from tools.governance.apply import RULESET_NAME, desired, plan, read_state
from tools.governance.cli import main
from tools.policy import load_policy

TOKEN = "admin-token"
POLICY = load_policy(path=SAMPLE_POLICY)


@pytest.fixture
def server(monkeypatch, sample_root):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitHubServer(tokens=(TOKEN,)) as s:
        s.root = sample_root
        repo = s.add_repo("acme", "widgets")
        repo.labels += [
            {"id": 1, "name": "bug", "color": "ee0701", "description": None, "default": True},
            {"id": 2, "name": "wontfix", "color": "ffffff", "description": None, "default": True},
        ]
        yield s


def _run(server, capsys, *flags) -> tuple[int, str, str]:
    code = main(["--root", str(server.root), "apply", "acme/widgets", "--api-url", server.base_url,
                 *flags])  # fmt: skip
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plan_apply_then_nothing_to_do(server, capsys):
    code, out, _ = _run(server, capsys)
    assert code == 0 and "plan only" in out
    assert "~ label 'bug': #ee0701 → #d73a4a 'Something does not work as documented'" in out
    assert "+ label 'size/XL'" in out and "+ ruleset 'policy: default branch' (create)" in out
    assert "~ setting allow_rebase_merge: True → False" in out
    assert "left alone (--prune deletes them): wontfix" in out
    assert "~ setting private_vulnerability_reporting: False → True" in out
    # repository, private reporting, labels, rulesets
    assert [e["method"] for e in server.log] == ["GET"] * 4
    assert _run(server, capsys, "--check")[0] == 1  # drift

    server.log.clear()
    code, out, _ = _run(server, capsys, "--apply")
    assert code == 0 and "applied:" in out
    repo = server.repos["acme/widgets"]
    (ruleset,) = repo.rulesets
    rules = {r["type"]: r.get("parameters") for r in ruleset["rules"]}
    assert rules["pull_request"]["required_approving_review_count"] == 1
    assert rules["pull_request"]["require_code_owner_review"] is True
    assert rules["pull_request"]["dismiss_stale_reviews_on_push"] is True
    assert rules["required_status_checks"]["required_status_checks"] == [{"context": "make test"}]
    assert ruleset["bypass_actors"] == []  # nobody merges past the rules by default
    assert "non_fast_forward" in rules and "deletion" in rules
    assert ruleset["conditions"] == {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}}
    assert repo.settings == {"delete_branch_on_merge": True, "allow_merge_commit": True,
                             "allow_squash_merge": True, "allow_rebase_merge": False,
                             "has_discussions": True}  # fmt: skip
    assert repo.private_vulnerability_reporting is True
    names = {x["name"] for x in repo.labels}
    assert {"bug", "security", "size/XS", "size/XL", "wontfix"} <= names

    server.log.clear()
    code, out, _ = _run(server, capsys, "--apply")
    assert code == 0 and "nothing to change" in out
    assert {e["method"] for e in server.log} == {"GET"} and len(server.log) == 5  # zero writes
    assert _run(server, capsys, "--check")[0] == 0


def test_prune_deletes_only_labels_outside_the_policy(server, capsys):
    _run(server, capsys, "--apply", "--prune")
    names = {x["name"] for x in server.repos["acme/widgets"].labels}
    assert "wontfix" not in names and "bug" in names


def test_rules_added_by_hand_are_kept(server, capsys):
    _run(server, capsys, "--apply")
    repo = server.repos["acme/widgets"]
    repo.rulesets[0]["rules"].append({"type": "required_signatures"})
    repo.rulesets[0]["rules"][0]["parameters"]["required_approving_review_count"] = 0
    _code, out, _ = _run(server, capsys, "--apply")
    assert "required_approving_review_count" in out
    types = [r["type"] for r in repo.rulesets[0]["rules"]]
    assert "required_signatures" in types and len(repo.rulesets) == 1


def test_a_token_without_admin_rights_is_one_line(server, capsys):
    server.inject("/api/v3/repos/acme/widgets/rulesets", 403, times=5,
                  message="Resource not accessible by integration")  # fmt: skip
    code, out, err = _run(server, capsys)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "Resource not accessible by integration" in err and "Administration: read" in err


def test_a_missing_token_is_one_line(server, capsys, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    code, _, err = _run(server, capsys)
    assert code == 2 and "needs a repository admin's token" in err


def test_plan_is_a_pure_function_of_state_and_policy(server):
    client = GitHubClient(TOKEN, server.base_url)
    current = read_state(client, "acme/widgets")
    client.close()
    changes = plan(current, desired(POLICY))
    assert {c.kind for c in changes} == {"labels", "ruleset", "settings"}
    assert next(c for c in changes if c.kind == "ruleset").name == RULESET_NAME
    assert plan(desired(POLICY), desired(POLICY)) == []


def test_a_one_person_project_lets_admins_merge_past_the_approvals(server, capsys):
    """repository.admin_bypass: the ruleset lets the admin role bypass it for pull requests
    only, so a solo maintainer can merge their own pull request; the plan shows it."""
    policy = server.root / "governance" / "policy.yml"
    policy.write_text(policy.read_text() + "repository:\n  admin_bypass: true\n")
    code, out, _ = _run(server, capsys, "--apply")
    assert code == 0 and "RepositoryRole:5:pull_request" in out
    (ruleset,) = server.repos["acme/widgets"].rulesets
    assert ruleset["bypass_actors"] == [
        {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "pull_request"}
    ]
    assert "nothing to change" in _run(server, capsys, "--apply")[1]
    policy.write_text(policy.read_text().replace("admin_bypass: true", "admin_bypass: false"))
    _run(server, capsys, "--apply")
    assert server.repos["acme/widgets"].rulesets[0]["bypass_actors"] == []
