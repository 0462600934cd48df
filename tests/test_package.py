"""The built wheel installs cleanly into any environment: one distinctive import name
(`guildkit`), no top-level `tools` or `reference_model` in site-packages, the three commands
working from outside the checkout, and the community tools needing no torch."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

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
def test_the_wheel_installs_under_one_name_and_its_commands_run(tmp_path):
    wheels = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "--no-index", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)  # fmt: skip
    (wheel,) = wheels.glob("*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    own = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                               "['purelib'])"], capture_output=True, text=True,
                              check=True).stdout.strip())  # fmt: skip
    # the wheel unpacked as pip would (it is a zip of the final layout), then the project's
    # dependencies from this environment behind it: nothing is downloaded
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(own), str(wheel)], check=True, capture_output=True)  # fmt: skip
    (own / "zz-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    top = {p.name for p in own.iterdir() if not p.name.endswith((".dist-info", ".pth", "bin"))}
    assert top == {"guildkit"}, top
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    # the commands' modules, as their console scripts run them, with torch unimportable
    for module in ("guildkit.governance.cli", "guildkit.community_report.cli",
                   "guildkit.review_bot.cli"):  # fmt: skip
        code = (
            "import sys; sys.modules['torch'] = None; sys.modules['torchvision'] = None\n"
            f"from {module} import main\n"
            "sys.argv = ['x', '--help']\n"
            "raise SystemExit(main(['--help']))\n"
        )
        proc = subprocess.run([python, "-c", code], cwd=outside, env=env, capture_output=True,
                              text=True)  # fmt: skip
        assert proc.returncode == 0 and "usage:" in proc.stdout, (module, proc.stderr[-2000:])
    # a real run from there: the community report of a small repository, without torch
    repo = outside / "r"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "a.txt").write_text("x\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=A B", "-c", "user.email=a@b.example",
                    "commit", "-qm", "x"], check=True)  # fmt: skip
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "from guildkit.community_report.cli import main\n"
        f"raise SystemExit(main([{str(repo)!r}, '--no-store', '--format', 'json']))\n"
    )
    proc = subprocess.run([python, "-c", code], cwd=outside, env=env, capture_output=True,
                          text=True)  # fmt: skip
    assert proc.returncode == 0 and '"commits"' in proc.stdout, proc.stderr[-2000:]
    where = subprocess.run([python, "-c", "import guildkit; print(guildkit.__file__)"],
                           cwd=outside, env=env, capture_output=True, text=True).stdout  # fmt: skip
    assert where.startswith(str(own)), where  # the installed copy, not the checkout
