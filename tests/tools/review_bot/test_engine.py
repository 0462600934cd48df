from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.conftest import ROOT, SAMPLE_POLICY
from tests.gitrepo import Repo
from tools.policy import load_policy
from tools.review_bot.cli import main
from tools.review_bot.diff import parse_hunks
from tools.review_bot.rules import review
from tools.review_bot.sources import local, ruff

D = datetime(2026, 5, 1, tzinfo=UTC)
POLICY = load_policy(path=SAMPLE_POLICY)
SIGNED = "\n\nSigned-off-by: Ana Ruiz <ana@example.org>"


def _repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@example.org", D, {
        "tools/mod.py": "".join(f"x{i} = {i}\n" for i in range(1, 21)),
        "docs/guide.md": "# Guide\n",
        "old_name.txt": "\n".join(f"line {i}" for i in range(30)) + "\n",
        "gone.txt": "bye\n",
        "crlf.txt": "one\r\ntwo\r\nthree\r\n",
    }, "base" + SIGNED)  # fmt: skip
    repo.git("branch", "base")
    return repo


def test_diff_of_renames_deletions_binaries_crlf_and_huge_hunks(tmp_path):
    repo = _repo(tmp_path)
    repo.git("mv", "old_name.txt", "new_name.txt")
    repo.commit("Ana Ruiz", "ana@example.org", D, {
        "gone.txt": None,
        "logo.png": b"\x89PNG\r\n\x1a\n\x00\x00binary",
        "crlf.txt": "one\r\nTWO\r\nthree\r\n",
        "big.txt": "".join(f"row {i}\n" for i in range(5000)),
        "tools/mod.py": "".join(f"x{i} = {i}\n" for i in range(1, 11)) + "import os\n"
        + "".join(f"x{i} = {i}\n" for i in range(11, 21)),
    }, "change" + SIGNED)  # fmt: skip
    facts = local.read(repo.root, "base")
    files = {f.path: f for f in facts.files}
    assert files["new_name.txt"].status == "renamed"
    assert files["new_name.txt"].previous_path == "old_name.txt"
    assert files["new_name.txt"].patch is None and files["new_name.txt"].additions == 0
    assert files["gone.txt"].status == "removed" and files["gone.txt"].deletions == 1
    assert files["logo.png"].binary and files["logo.png"].patch is None
    assert files["crlf.txt"].added_lines == {2}
    assert files["big.txt"].additions == 5000 and files["big.txt"].added_lines == set(
        range(1, 5001)
    )
    mod = files["tools/mod.py"]
    assert mod.added_lines == {11}
    assert mod.commentable_lines == set(range(8, 15))  # three lines of context each side


def test_hunk_parsing_of_a_patch_without_context():
    patch = "@@ -3,2 +3,3 @@\n-a\n+b\n+c\n d\n\\ No newline at end of file\n@@ -20 +21 @@\n-x\n+y"
    hunks = parse_hunks(patch)
    assert [(h.new_start, h.added, h.context) for h in hunks] == [
        (3, (3, 4), (5,)),
        (21, (21,), ()),
    ]


def test_rules_on_a_real_change(tmp_path):
    repo = _repo(tmp_path)
    repo.commit("Ben Li", "ben@example.org", D, {
        "tools/mod.py": "import os\n" + "".join(f"x{i} = {i}\n" for i in range(1, 21)),
        ".github/workflows/ci.yml": "name: ci\n",
        "assets/blob.bin": bytes(range(256)) * 2500,
    }, "unsigned change")  # fmt: skip
    facts = local.read(repo.root, "base")
    outcome = review(facts, POLICY, ruff.diagnostics(repo.root, facts.files))
    by_rule = {}
    for f in outcome.findings:
        by_rule.setdefault(f.rule, []).append(f)
    assert outcome.labels == ["size/XS"]  # 2 lines; the binary counts none
    assert "tools/mod.py changed, but no test" in by_rule["tests"][0].message
    assert (
        by_rule["dco"][0].severity == "failure"
        and "Ben Li <ben@example.org>" in by_rule["dco"][0].message
    )
    assert {f.path for f in by_rule["files"]} == {".github/workflows/ci.yml", "assets/blob.bin"}
    # ruff only on the added line, never on the old code below it
    assert {(f.path, f.start_line) for f in by_rule["ruff"]} == {("tools/mod.py", 1)}
    lint = next(f for f in by_rule["ruff"] if f.message.startswith("F401"))
    # ruff's fix would also touch line 2, which this change did not add: no suggestion
    assert lint.suggestion is None and lint.end_line == 1
    # one reviewer per touched area, and one person may cover several
    assert outcome.reviewers == [{"login": "tomas-lind", "area": "infra, tools"}]
    assert outcome.conclusion == "failure"


def test_reviewers_by_lowest_load_never_the_author(tmp_path):
    repo = _repo(tmp_path)
    repo.commit("Ana", "ana@example.org", D, {"reference_model/x.py": "a = 1\n"}, "m" + SIGNED)
    facts = local.read(repo.root, "base")
    facts.review_load = {"mira-okafor": 5, "jonas-weber": 1}
    assert review(facts, POLICY).reviewers == [{"login": "jonas-weber", "area": "model"}]
    facts.author = "jonas-weber"
    assert review(facts, POLICY).reviewers == [{"login": "mira-okafor", "area": "model"}]


def test_description_rules_and_welcome(tmp_path):
    repo = _repo(tmp_path)
    repo.commit("Ana", "ana@example.org", D, {"docs/guide.md": "# Guide\nmore\n"}, "d" + SIGNED)
    facts = local.read(repo.root, "base")
    template = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text()
    facts.title, facts.body, facts.author_association = (
        "WIP: docs",
        template,
        "FIRST_TIME_CONTRIBUTOR",
    )
    outcome = review(facts, POLICY)
    messages = [f.message for f in outcome.findings if f.rule == "description"]
    assert any("work in progress" in m for m in messages)
    assert any("says little" in m for m in messages)
    assert any("checklist is untouched" in m for m in messages)
    assert outcome.welcome
    facts.title = "Explain the guide"
    facts.body = (
        "This rewrites the guide's introduction so that newcomers find the setup.\n"
        + template.replace("- [ ]", "- [x]", 1)
    )
    facts.author_association = "MEMBER"
    outcome = review(facts, POLICY)
    assert not [f for f in outcome.findings if f.rule == "description"] and not outcome.welcome


def test_local_mode_cli(tmp_path, capsys, monkeypatch):
    repo = _repo(tmp_path)
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Ana Ruiz", "ana@example.org", D, {"tools/new.py": "import sys\n"}, "n" + SIGNED)
    monkeypatch.chdir(repo.root)
    args = ["--policy", str(SAMPLE_POLICY), "local", "--base", "base"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["labels"] == ["size/XS"] and data["schema_version"] == 1
    assert any(f["rule"] == "ruff" and f["path"] == "tools/new.py" for f in data["findings"])
    assert main(args) == 0
    assert "findings:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ("plain", ["local", "--base", "nope"], "--base nope: unknown revision"),
        ("plain", ["local", "--head", "nope"], "--head nope: unknown revision"),
        ("nogit", ["local"], "not a git repository"),
    ],
)
def test_local_mode_bad_input_is_one_line(tmp_path, capsys, monkeypatch, setup, args, message):
    if setup == "plain":
        monkeypatch.chdir(_repo(tmp_path).root)
    else:
        monkeypatch.chdir(tmp_path)
    assert main(["--policy", str(SAMPLE_POLICY), *args]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err
