"""An existing project adopts Guildkit from the built wheel alone: none of the template's files,
its own layout, CODEOWNERS and history (several authors, a bot). `governance init`, `check`,
`sync` (CODEOWNERS unchanged in meaning), `review-bot local` on a branch, `community-report`
and `governance apply` (the plan) against the local GitHub-compatible server — all green."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.github_server import GitHubServer
from tests.gitrepo import Repo
from tools.governance import codeowners as owners

CODEOWNERS = """\
# The existing project's own owners
* @acme/core
/docs/ @alice
/src/acme/io/ @bob @acme/io
"""
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
ALICE = ("Alice Liddell", "7+alice@users.noreply.github.com")
BOB = ("Bob Stone", "12+bob@users.noreply.github.com")
CAROL = ("Carol Ng", "carol@acme.example")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def existing_project(root) -> Repo:
    repo = Repo(root)
    repo.commit(*ALICE, T0, {
        "pyproject.toml": "[project]\nname = 'acme'\nversion = '1.0'\n",
        "src/acme/__init__.py": "VERSION = '1.0'\n",
        "src/acme/io/read.py": "def read(path):\n    return open(path).read()\n",
        "tests/test_read.py": "def test_read():\n    assert True\n",
        "docs/index.md": "# Acme\n",
        ".github/CODEOWNERS": CODEOWNERS,
    })  # fmt: skip
    for i in range(4):
        repo.commit(*BOB, T0 + timedelta(days=i + 1),
                    {"src/acme/io/read.py": "def read(path):\n" + "    pass\n" * (i + 1)
                     + "    return open(path).read()\n"})  # fmt: skip
    repo.commit(*CAROL, T0 + timedelta(days=8), {"tests/test_read.py": "def test_read():\n"
                                                  "    assert 1\n"})  # fmt: skip
    repo.commit(*BOT, T0 + timedelta(days=9), {"pyproject.toml": "[project]\nname = 'acme'\n"
                                                "version = '1.1'\n"})  # fmt: skip
    return repo


def ok(proc, what: str) -> str:
    assert proc.returncode == 0, f"{what}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_an_existing_project_adopts_guildkit_from_the_wheel(installed_wheel, tmp_path):
    gk = installed_wheel
    repo = existing_project(tmp_path / "acme")
    root = repo.root
    files = repo.git("ls-files").split()
    before, _ = owners.parse(CODEOWNERS)

    out = ok(gk.run("guildkit.governance.cli", ["init"], root), "governance init")
    assert "areas imported from .github/CODEOWNERS" in out
    assert (root / "governance/policy.yml").is_file()
    ok(gk.run("guildkit.governance.cli", ["check"], root), "governance check")
    ok(gk.run("guildkit.governance.cli", ["sync"], root), "governance sync")
    after, _ = owners.parse((root / ".github/CODEOWNERS").read_text())
    assert owners.differences(before, after, files) == []  # the same owners for every file
    ok(gk.run("guildkit.governance.cli", ["check"], root), "governance check after sync")
    repo.git("add", "-A")
    repo.commit(*ALICE, T0 + timedelta(days=10), {}, "Adopt Guildkit's governance")

    # a contributor's branch: code without a test, and a ruff finding
    repo.git("checkout", "-q", "-b", "feature")
    code = "import os\ndef write(p, s):\n    open(p, 'w').write(s)\n"  # os unused: F401
    repo.commit(*CAROL, T0 + timedelta(days=11), {"src/acme/io/write.py": code}, "Add write")
    proc = gk.run("guildkit.review_bot.cli", ["local", "--base", "main", "--format", "json"], root)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert {"tests", "ruff"} <= rules, rules
    assert "policy: " in proc.stderr and "governance/policy.yml" in proc.stderr
    repo.git("checkout", "-q", "main")

    report = ok(gk.run("guildkit.community_report.cli",
                       [str(root), "--no-store", "--since", "2026-01-01", "--until", "2026-04-01",
                        "--format", "json"], root), "community-report")  # fmt: skip
    data = json.loads(report)
    assert data["commits"]["total"] >= 7

    with GitHubServer(tokens=("adm1n",)) as server:
        gh = server.add_repo("acme", "acme")
        gh.labels = [{"id": 1, "name": "bug", "color": "d73a4a", "description": "Broken"}]
        proc = gk.run("guildkit.governance.cli",
                      ["apply", "acme/acme", "--api-url", server.base_url], root,
                      env={"GITHUB_TOKEN": "adm1n"})  # fmt: skip
        plan = ok(proc, "governance apply (plan)")
        gh.add_issue(1, "carol", T0, title="Crash on empty file")  # no reply since March
        proc = gk.run("guildkit.governance.cli",
                      ["nudge", "acme/acme", "--api-url", server.base_url], root,
                      env={"GITHUB_TOKEN": "adm1n"})  # fmt: skip
        due = ok(proc, "governance nudge (dry run)")
    assert "plan only" in plan and "adm1n" not in plan + proc.stderr
    assert "#1" in due and "would" in due.lower()
    assert not (root / "identity.toml").exists()  # nothing of the template was needed
