"""What a new fork's first pull requests meet: `review-bot local` fails like the check does,
a large binary is both binary and large, and bots are not asked to sign off."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.gitrepo import Repo
from tools.policy import Policy
from tools.review_bot.cli import main
from tools.review_bot.facts import CommitFacts, PullRequestFacts
from tools.review_bot.rules import review

D = datetime(2026, 5, 1, tzinfo=UTC)
POLICY = """\
version: 1
people: []
areas:
  core: {description: Core, paths: ["**"]}
review:
  dco: true
  bot:
    files: {max_kb: 500}
"""


def _repo(tmp_path, files: dict, message="change") -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@example.org", D,
                {"README.md": "hi\n", "governance/policy.yml": POLICY},
                message="base\n\nSigned-off-by: Ana Ruiz <ana@example.org>")  # fmt: skip
    repo.git("branch", "base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Ana Ruiz", "ana@example.org", D, files, message=message)
    return repo


def _local(repo, monkeypatch, capsys) -> tuple[int, dict]:
    monkeypatch.chdir(repo.root)
    code = main(["local", "--base", "base", "--format", "json", "--no-ruff"])
    return code, json.loads(capsys.readouterr().out)


def test_local_exits_1_when_a_rule_fails(tmp_path, monkeypatch, capsys):
    repo = _repo(tmp_path, {"notes.txt": "x\n"}, message="no sign-off")
    code, data = _local(repo, monkeypatch, capsys)
    assert any(f["rule"] == "dco" and f["severity"] == "failure" for f in data["findings"])
    assert code == 1


def test_a_signed_off_change_exits_0(tmp_path, monkeypatch, capsys):
    repo = _repo(tmp_path, {"notes.txt": "x\n"},
                 message="fine\n\nSigned-off-by: Ana Ruiz <ana@example.org>")  # fmt: skip
    code, data = _local(repo, monkeypatch, capsys)
    assert code == 0 and not any(f["severity"] == "failure" for f in data["findings"])


def test_a_large_binary_is_reported_as_binary_and_as_over_max_kb(tmp_path, monkeypatch, capsys):
    blob = bytes(range(256)) * (700 * 4)  # 700 KB with NUL bytes: binary to git
    repo = _repo(tmp_path, {"model.bin": blob},
                 message="weights\n\nSigned-off-by: Ana Ruiz <ana@example.org>")  # fmt: skip
    _, data = _local(repo, monkeypatch, capsys)
    messages = [f["message"] for f in data["findings"] if f.get("path") == "model.bin"]
    assert any("binary" in m for m in messages), messages
    assert any("700 KB, over 500 KB" in m for m in messages), messages


def _facts(author: str, commit_name: str, commit_email: str) -> PullRequestFacts:
    return PullRequestFacts(
        repository="acme/widgets", number=7, title="Bump ruff from 0.6 to 0.7",
        body="Bumps ruff. " * 10, author=author, author_association="NONE",
        base_sha="a" * 40, head_sha="b" * 40,
        commits=[CommitFacts(sha="c" * 40, author_name=commit_name, author_email=commit_email,
                             message="Bump ruff")],
    )  # fmt: skip


def test_dependabot_pull_requests_are_not_asked_to_sign_off():
    import yaml

    policy = Policy.model_validate(yaml.safe_load(POLICY))
    bot = "49699333+dependabot[bot]@users.noreply.github.com"
    for facts in (
        _facts("dependabot[bot]", "dependabot[bot]", bot),  # the pull request's author
        _facts("ana", "dependabot[bot]", bot),  # a bot's commit in someone's pull request
    ):
        assert not [f for f in review(facts, policy, []).findings if f.rule == "dco"]
    human = _facts("ana", "Ana Ruiz", "ana@example.org")
    assert [f for f in review(human, policy, []).findings if f.rule == "dco"]


def test_the_projects_own_ruff_excludes_hold(tmp_path, monkeypatch, capsys):
    """pip's vendored code is excluded in pip's ruff config; named on ruff's command line it
    was reviewed anyway (107 of 108 findings). The project's excludes must hold."""
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@example.org", D,
                {"pyproject.toml": '[tool.ruff]\nextend-exclude = ["src/pkg/_vendor"]\n'},
                message="base\n\nSigned-off-by: Ana Ruiz <ana@example.org>")  # fmt: skip
    repo.git("branch", "base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Ana Ruiz", "ana@example.org", D,
                {"src/pkg/_vendor/lib.py": "import os\n", "src/pkg/core.py": "import sys\n"},
                message="x\n\nSigned-off-by: Ana Ruiz <ana@example.org>")  # fmt: skip
    monkeypatch.chdir(repo.root)
    main(["local", "--base", "base", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    ruffed = {f["path"] for f in data["findings"] if f["rule"] == "ruff"}
    assert ruffed == {"src/pkg/core.py"}


def test_control_sequences_from_the_diff_are_shown_not_obeyed(tmp_path, monkeypatch, capsys):
    repo = _repo(tmp_path, {"notes.txt": "x\n"})
    repo.commit("Eve\x1b]0;owned\x07", "eve@example.org", D, {"more.txt": "y\n"})
    monkeypatch.chdir(repo.root)
    main(["local", "--base", "base", "--no-ruff"])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "Eve\\x1b]0;owned" in out
