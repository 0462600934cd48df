"""A project made from the template with copier, then updated to a later template release:
the rename runs as copier's task, the new project passes its own quick test suite and docs
build, its own edits and version survive the three-way merge, the template's improvement
arrives, and a conflict is named in the update's summary."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import ROOT
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


TEMPLATE_ONLY = pytest.mark.skipif(
    not (ROOT / "copier.yml").is_file(),
    reason="a project made from the template (no copier.yml): nothing to copy from here",
)


@pytest.mark.slow
@TEMPLATE_ONLY
@pytest.mark.skipif(os.environ.get(RENAMED_COPY) == "1", reason="already inside a copy")
def test_copy_then_update_keeps_the_projects_edits(tmp_path):
    template = _copy_checkout(tmp_path / "template")
    _run("git", "init", "-q", "-b", "main", cwd=template)
    _commit(template, "template 0.1.0", tag="v0.1.0")

    project = tmp_path / "acme"
    copier_cli = [sys.executable, "-m", "copier"]
    answers = ["--data", "name=Acme Widgets", "--data", "repository=acme/widgets",
               "--data", "conduct_contact=conduct@acme.test"]  # fmt: skip
    _run(*copier_cli, "copy", "--trust", "--defaults", *answers, str(template), str(project),
         cwd=tmp_path)  # fmt: skip
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.1.0" and answers["repository"] == "acme/widgets"
    assert not (project / "copier.yml").exists() and not (project / ".copier").exists()
    pyproject = (project / "pyproject.toml").read_text()
    assert 'name = "acme-widgets"' in pyproject
    assert re.search(r'"acme-widgets\[[a-z,]+\]"', pyproject)  # dev's extras name the project
    assert 'version = "0.1.0"' in pyproject  # the project's own, from its first day
    assert (project / "README.md").read_text().startswith("# Acme Widgets\n")
    assert "acme/widgets/discussions" in (project / ".github/ISSUE_TEMPLATE/config.yml").read_text()
    assert "mailto:conduct@acme.test" in (project / "governance/CODE_OF_CONDUCT.md").read_text()
    _run("git", "init", "-q", "-b", "main", cwd=project)
    _commit(project, "from the template")

    # day one: the untouched project passes its own checks, quick tests and docs build
    env = {"PYTHONPATH": str(project), RENAMED_COPY: "1", "NO_MKDOCS_2_WARNING": "1"}
    _run(sys.executable, "-m", "tools.governance", "check", cwd=project, env=env)
    out = _run(sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider",
               cwd=project, env=env)  # fmt: skip
    assert " passed" in out and " failed" not in out
    _run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
         str(tmp_path / "site"), cwd=project, env=env)  # fmt: skip

    # the project edits its own policy and home page, and releases its own version
    policy = project / "governance" / "policy.yml"
    policy.write_text(policy.read_text().replace(
        "  nudge_after_days: 14", "  nudge_after_days: 21"))  # fmt: skip
    index = project / "docs" / "index.md"
    lines = index.read_text().splitlines()
    lines[2] = "Our own words on the home page."
    index.write_text("\n".join(lines) + "\n")
    _bump(project, "0.3.0")
    _commit(project, "our own stale period, home page and release")

    # the template improves elsewhere, changes the same home-page line, and releases
    guide = template / "docs" / "getting-started.md"
    guide.write_text(guide.read_text() + "\nA later improvement from the template.\n")
    lines = (template / "docs" / "index.md").read_text().splitlines()
    lines[2] = "The template's better words on the home page."
    (template / "docs" / "index.md").write_text("\n".join(lines) + "\n")
    _bump(template, "0.2.0")
    _commit(template, "template 0.2.0", tag="v0.2.0")

    env = dict(os.environ, **GIT_ENV)
    update = [*copier_cli, "update", "--trust", "--defaults"]
    proc = subprocess.run(update, cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = proc.stdout + proc.stderr
    assert "merged    docs/getting-started.md" in summary
    assert "CONFLICT  docs/index.md" in summary
    assert "renamed to" not in summary  # the rename task is quiet
    guide = (project / "docs" / "getting-started.md").read_text()
    assert "A later improvement from the template." in guide
    text = policy.read_text()
    assert "nudge_after_days: 21" in text and "<<<<<<<" not in text
    assert 'version = "0.3.0"' in (project / "pyproject.toml").read_text()
    assert 'version: "0.3.0"' in (project / "CITATION.cff").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v0.2.0"
    conflicts = _run("git", "grep", "-l", "^<<<<<<< ", cwd=project, ok=(0, 1))
    assert conflicts.split() == ["docs/index.md"]


def _bump(root, version: str) -> None:
    edits = (
        ("pyproject.toml", r"^version = .*$", f'version = "{version}"'),
        ("CITATION.cff", r"^version: .*$", f'version: "{version}"'),
    )
    for name, pattern, line in edits:
        path = root / name
        path.write_text(re.sub(pattern, line, path.read_text(), count=1, flags=re.MULTILINE))
