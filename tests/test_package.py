"""The built wheel installs cleanly into any environment: one distinctive import name
(`guildkit`), no top-level `tools` or `reference_model` in site-packages, the three commands
working from outside the checkout, and the community tools needing no torch."""

from __future__ import annotations

import subprocess
import tomllib

import pytest

from tests.conftest import ROOT


def test_the_package_list_is_the_folders():
    """pyproject.toml names each package by hand (tools/ is installed as guildkit): a new
    subfolder left out of that list would be missing from every install."""
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setup["packages"])
    found = set()
    for folder, name in (("tools", "guildkit"), ("reference_model", "guildkit.reference_model")):
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((name, *rel)))
    assert listed == found


@pytest.mark.slow
def test_the_wheel_installs_under_one_name_and_its_commands_run(installed_wheel):
    own, outside = installed_wheel.site, installed_wheel.home
    top = {p.name for p in own.iterdir() if not p.name.endswith((".dist-info", ".pth", "bin"))}
    assert top == {"guildkit"}, top
    # the commands' modules, as their console scripts run them, with torch unimportable
    for module in ("guildkit.governance.cli", "guildkit.community_report.cli",
                   "guildkit.review_bot.cli"):  # fmt: skip
        proc = installed_wheel.run(module, ["--help"], outside)
        assert proc.returncode == 0 and "usage:" in proc.stdout, (module, proc.stderr[-2000:])
    # a real run from there: the community report of a small repository, without torch
    repo = outside / "r"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "a.txt").write_text("x\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=A B", "-c", "user.email=a@b.example",
                    "commit", "-qm", "x"], check=True)  # fmt: skip
    proc = installed_wheel.run("guildkit.community_report.cli",
                               [str(repo), "--no-store", "--format", "json"], outside)  # fmt: skip
    assert proc.returncode == 0 and '"commits"' in proc.stdout, proc.stderr[-2000:]
    code = "import guildkit; print(guildkit.__file__)"
    where = subprocess.run([installed_wheel.python, "-c", code],
                           cwd=outside, env=installed_wheel.env, capture_output=True,
                           text=True).stdout  # fmt: skip
    assert where.startswith(str(own)), where  # the installed copy, not the checkout
