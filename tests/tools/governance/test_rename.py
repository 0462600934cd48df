from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest
import yaml

from tests.conftest import ROOT
from tools import identity
from tools.errors import UserError
from tools.governance import rename
from tools.governance.cli import main

RENAMED_COPY = "TEMPLATE_RENAMED_COPY"


def _copy_checkout(dest):
    """The working tree as git sees it: tracked and untracked-not-ignored files."""
    files = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def _minimal_checkout(tmp_path):
    for name in ("identity.toml", "pyproject.toml", "mkdocs.yml", "README.md", "CITATION.cff"):
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def test_rename_rewrites_the_places_that_cannot_read_identity(tmp_path):
    root = _minimal_checkout(tmp_path)
    old = identity.load(root)
    new = rename.rename(root, name="Acme Widgets", repository="acme/widgets")
    assert identity.load(root) == new
    assert (new.package, new.docs_url) == ("acme-widgets", "https://acme.github.io/widgets/")
    assert new.copyright == "The Acme Widgets authors" and new.description == old.description
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["name"] == "acme-widgets"
    assert project["urls"]["Homepage"] == "https://github.com/acme/widgets"
    assert any(dep.startswith("acme-widgets[") for dep in project["optional-dependencies"]["dev"])
    mkdocs = (root / "mkdocs.yml").read_text()
    assert 'site_name: "Acme Widgets"' in mkdocs and "repo_name: acme/widgets" in mkdocs
    assert (root / "README.md").read_text().splitlines()[0] == "# Acme Widgets"
    cff = yaml.safe_load((root / "CITATION.cff").read_text())
    assert cff["title"] == "Acme Widgets" and cff["authors"] == [
        {"name": "The Acme Widgets authors"}
    ]
    assert cff["repository-code"] == "https://github.com/acme/widgets"
    assert cff["url"] == "https://acme.github.io/widgets/" and cff["cff-version"] == "1.2.0"


def test_rename_refuses_a_bad_repository_and_writes_nothing(tmp_path, capsys):
    root = _minimal_checkout(tmp_path)
    before = (root / "identity.toml").read_text()
    os.chdir(root)
    assert main(["rename", "--name", "Acme", "--repository", "not a repo"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: rename: repository must look like owner/name")
    assert len(err.splitlines()) == 1
    assert (root / "identity.toml").read_text() == before


def test_rename_after_editing_identity_replaces_the_templates_names(tmp_path):
    """The README's other order: identity.toml edited by hand, then rename without arguments.
    The old names come from the files, so nothing of the template's is left behind."""
    root = _minimal_checkout(tmp_path)
    text = (root / "identity.toml").read_text()
    text = re.sub(r"^name = .*$", 'name = "Acme"', text, flags=re.MULTILINE)
    text = re.sub(r"^package = .*$", 'package = "acme"', text, flags=re.MULTILINE)
    text = re.sub(r"^repository = .*$", 'repository = "acme/acme"', text, flags=re.MULTILINE)
    text = re.sub(r'^docs_url = .*$', 'docs_url = "https://acme.github.io/acme/"', text,
                  flags=re.MULTILINE)  # fmt: skip
    text = re.sub(r"^copyright = .*$", 'copyright = "Acme Inc."', text, flags=re.MULTILINE)
    (root / "identity.toml").write_text(text)
    old = rename.current_identity(root)
    assert old.package != "acme"
    rename.rename(root)
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["optional-dependencies"]["dev"][0].startswith("acme[")  # no dependency confusion
    assert project["urls"] == {"Homepage": "https://github.com/acme/acme",
                               "Documentation": "https://acme.github.io/acme/"}  # fmt: skip
    assert project["authors"] == [{"name": "Acme Inc."}]
    readme = (root / "README.md").read_text()
    assert readme.startswith("# Acme\n") and f"{old.name} is an" not in readme
    credited = rename.CREDIT in (ROOT / "README.md").read_text()  # a fork renamed before
    if not credited:
        assert f"started from the [{old.name}](https://github.com/{old.repository})" in readme
    assert readme.count(rename.CREDIT) == 1
    with pytest.raises(UserError, match="nothing to do"):
        rename.rename(root)


def test_a_file_missing_its_anchor_stops_the_rename_before_any_write(tmp_path):
    root = _minimal_checkout(tmp_path)
    (root / "README.md").write_text("no title here\n")
    before = (root / "identity.toml").read_text()
    with pytest.raises(UserError, match=r"README\.md: cannot find the title line"):
        rename.rename(root, name="Acme", repository="acme/acme")
    assert (root / "identity.toml").read_text() == before


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get(RENAMED_COPY) == "1", reason="already inside a renamed copy")
def test_a_renamed_fork_keeps_working(tmp_path):
    """Copy the checkout, rename it, then run that copy's unit tests and docs build."""
    fork = _copy_checkout(tmp_path / "fork")
    subprocess.run(["git", "init", "-q"], cwd=fork, check=True)  # a fork is a repository
    env = dict(os.environ, PYTHONPATH=str(fork), NO_MKDOCS_2_WARNING="1")
    env[RENAMED_COPY] = "1"

    def run(*args, ok=(0,)):
        proc = subprocess.run(args, cwd=fork, env=env, capture_output=True, text=True)
        assert proc.returncode in ok, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc.stdout

    # the README's order: edit identity.toml first, then `make rename` with no arguments
    text = (fork / "identity.toml").read_text()
    for key, value in (("name", "Acme Widgets"), ("package", "acme-widgets"),
                       ("repository", "acme/widgets"),
                       ("docs_url", "https://acme.github.io/widgets/"),
                       ("copyright", "The Acme Widgets authors")):  # fmt: skip
        text = re.sub(rf"^{key} = .*$", f'{key} = "{value}"', text, flags=re.MULTILINE)
    (fork / "identity.toml").write_text(text)
    run(sys.executable, "-m", "tools.governance", "rename")
    template = identity.load(ROOT).name  # what the copy was called before the rename
    left = run("git", "grep", "--untracked", "-n", "-i", template, "--", ".", ok=(0, 1))
    assert [line for line in left.splitlines() if "template credit" not in line] == []
    where = run(sys.executable, "-c", "import tools; print(tools.__file__)")
    assert where.strip().startswith(str(fork))
    out = run(sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider")
    assert " passed" in out
    run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site"))
    home = (tmp_path / "site" / "index.html").read_text()
    assert "Acme Widgets" in home and "acme/widgets" in home
    assert template not in home
