"""`governance check` verifies each required check against the names the repository's own
workflows give their checks: a required check that nothing produces blocks every merge."""

from __future__ import annotations

import subprocess

import pytest

from tests.conftest import ROOT
from tools.governance.check import check, required_checks
from tools.governance.workflows import check_names
from tools.policy import load_policy

CI = """\
name: ci
on: [pull_request]
jobs:
  test:
    name: make test
    runs-on: ubuntu-latest
    steps: [{run: make test}]
  py:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
        os: [ubuntu-latest]
    steps: [{run: pytest}]
  named:
    name: build ${{ matrix.target }}
    strategy: {matrix: {target: [a, b]}}
    runs-on: ubuntu-latest
    steps: [{run: make}]
  lint:
    uses: ./.github/workflows/lint.yml
"""
LINT = """\
on:
  workflow_call:
jobs:
  ruff:
    name: Ruff
    runs-on: ubuntu-latest
    steps: [{run: ruff check}]
"""


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(CI)
    (tmp_path / ".github" / "workflows" / "lint.yml").write_text(LINT)
    (tmp_path / "governance").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def _policy(root, checks: list[str]):
    (root / "governance" / "policy.yml").write_text(
        "version: 1\npeople: []\nareas:\n  core: {description: Core, paths: [src/**]}\n"
        f"review:\n  required_checks: {checks!r}\n"
    )
    return load_policy(root)


def test_the_names_github_gives_each_job(repo):
    assert check_names(repo) == [
        "make test",
        "py (3.11, ubuntu-latest)",
        "py (3.12, ubuntu-latest)",
        "build *",
        "lint / Ruff",
    ]


@pytest.mark.parametrize(
    "name", ["make test", "py (3.12, ubuntu-latest)", "build a", "lint / Ruff", "review-bot"]
)
def test_a_check_that_a_job_produces_passes(repo, name):
    assert required_checks(_policy(repo, [name]), repo) == []


def test_a_check_nothing_produces_fails_and_names_what_was_found(repo):
    (problem,) = required_checks(_policy(repo, ["ci / make test"]), repo)
    assert not problem.warning and "review.required_checks[0]" in problem.where
    assert "'ci / make test' is produced by no workflow" in problem.message
    assert "'make test'" in problem.message and "'lint / Ruff'" in problem.message
    found = check(_policy(repo, ["ci / make test"]), repo)
    assert any("ci / make test" in str(p) and not p.warning for p in found)


def test_this_repositorys_required_checks_are_all_produced():
    """Holds in every fork: whatever the policy requires, its workflows produce."""
    assert required_checks(load_policy(ROOT), ROOT) == []
