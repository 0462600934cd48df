"""The documentation site builds strictly without torch (a typo fix must not cost a 6 GB
install), publishes no build code, and words what a reader sees."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# mkdocs with `import torch` made to fail, as in an environment without the model extra
BUILD_WITHOUT_TORCH = (
    "import sys; sys.modules['torch'] = None; sys.modules['torchvision'] = None\n"
    "from mkdocs.__main__ import cli\n"
    "sys.argv = ['mkdocs', 'build', '--strict', '--site-dir', sys.argv[1]]\n"
    "cli()\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-c", BUILD_WITHOUT_TORCH, str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_the_site_builds_without_torch_and_shows_the_model_reference(site):
    page = (site / "reference-model" / "index.html").read_text()
    assert "usage: python -m reference_model train" in page


def test_the_build_hooks_are_not_published(site):
    assert not (site / "hooks").exists()
    assert not list(site.rglob("*.py"))


def test_recurring_events_are_said_in_words(site):
    for page in (site / "events").rglob("*.html"):
        assert "FREQ=" not in page.read_text(), page


def test_the_model_reference_snapshot_is_the_live_help(monkeypatch):
    """docs/hooks/reference_model_cli.json, which the build reads, is what the command says."""
    pytest.importorskip("torch")
    sys.path.insert(0, str(ROOT / "docs" / "hooks"))
    try:
        import cli_reference
    finally:
        sys.path.remove(str(ROOT / "docs" / "hooks"))
    monkeypatch.setenv("COLUMNS", cli_reference.COLUMNS)
    known = json.loads(cli_reference.SNAPSHOT.read_text())
    live = {cmd: cli_reference.live_help(cmd) for cmd in cli_reference.snapshot_commands()}
    assert known == live, "run: python docs/hooks/cli_reference.py --refresh"
