"""A project made from the template with copier, then updated to a later template release:
the rename runs as copier's task, the project's own policy edits survive the three-way merge,
the template's improvement arrives, and the result passes its own quick checks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from tests.tools.governance.test_rename import RENAMED_COPY, _copy_checkout

copier = pytest.importorskip("copier")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.test",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.test",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def _run(*args, cwd, env=None, ok=(0,)):
    full = dict(os.environ, **GIT_ENV, **(env or {}))
    proc = subprocess.run(args, cwd=cwd, env=full, capture_output=True, text=True)
    assert proc.returncode in ok, (args, proc.stdout[-6000:], proc.stderr[-3000:])
    return proc.stdout


def _commit(cwd, message, tag=None):
    _run("git", "add", "-A", cwd=cwd)
    _run("git", "commit", "-q", "-m", message, "--no-verify", cwd=cwd)
    if tag:
        _run("git", "tag", "-a", tag, "-m", tag, cwd=cwd)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get(RENAMED_COPY) == "1", reason="already inside a copy")
def test_copy_then_update_keeps_the_projects_edits(tmp_path):
    template = _copy_checkout(tmp_path / "template")
    _run("git", "init", "-q", "-b", "main", cwd=template)
    _commit(template, "template 0.1.0", tag="v0.1.0")

    project = tmp_path / "acme"
    copier_cli = [sys.executable, "-m", "copier"]
    answers = ["--data", "name=Acme Widgets", "--data", "repository=acme/widgets"]
    _run(*copier_cli, "copy", "--trust", "--defaults", *answers, str(template), str(project),
         cwd=tmp_path)  # fmt: skip
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.1.0" and answers["repository"] == "acme/widgets"
    assert not (project / "copier.yml").exists()
    pyproject = (project / "pyproject.toml").read_text()
    assert 'name = "acme-widgets"' in pyproject and '"acme-widgets[model,docs,spark]"' in pyproject
    assert (project / "README.md").read_text().startswith("# Acme Widgets\n")
    assert "acme/widgets/discussions" in (project / ".github/ISSUE_TEMPLATE/config.yml").read_text()
    _run("git", "init", "-q", "-b", "main", cwd=project)
    _commit(project, "from the template")

    # the project edits its own policy
    policy = project / "governance" / "policy.yml"
    policy.write_text(policy.read_text().replace(
        "  nudge_after_days: 14", "  nudge_after_days: 21"))  # fmt: skip
    _commit(project, "our own stale period")

    # the template improves elsewhere, and releases
    index = template / "docs" / "index.md"
    index.write_text(index.read_text() + "\nA later improvement from the template.\n")
    _commit(template, "template 0.2.0", tag="v0.2.0")

    _run(*copier_cli, "update", "--trust", "--defaults", cwd=project)
    assert "A later improvement from the template." in (project / "docs" / "index.md").read_text()
    text = policy.read_text()
    assert "nudge_after_days: 21" in text and "<<<<<<<" not in text
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v0.2.0"
    conflicts = _run("git", "grep", "-l", "^<<<<<<< ", cwd=project, ok=(0, 1))
    assert conflicts == ""

    # the project's own quick checks
    env = {"PYTHONPATH": str(project), RENAMED_COPY: "1"}
    _run(sys.executable, "-m", "tools.governance", "check", cwd=project, env=env)
    _run(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/tools/policy",
         "tests/tools/governance/test_examples.py", cwd=project, env=env)  # fmt: skip
