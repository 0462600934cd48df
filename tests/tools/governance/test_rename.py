from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

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
    for name in ("identity.toml", "pyproject.toml", "mkdocs.yml", "README.md", "CITATION.cff",
                 "governance/policy.yml"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def _another(old: identity.Identity) -> tuple[str, str]:
    """A name and a repository that differ from ``old``'s, whatever a fork is called."""
    name = "Zephyr Two" if old.name != "Zephyr Two" else "Zephyr Three"
    repository = f"{name.split()[0].lower()}-{name.split()[1].lower()}/kit"
    return name, repository


def _edit_name_and_repository(root, name: str, repository: str) -> None:
    """identity.toml with only these two edited, as a maintainer would by hand."""
    assert identity.load(root).name != name
    text = (root / "identity.toml").read_text()
    text = re.sub(r"^name = .*$", f'name = "{name}"', text, flags=re.MULTILINE)
    text = re.sub(r"^repository = .*$", f'repository = "{repository}"', text, flags=re.MULTILINE)
    (root / "identity.toml").write_text(text)


def _identity_files(root) -> str:
    """The files a rename rewrites, less the README's one line crediting the template."""
    text = "\n".join(
        (root / name).read_text()
        for name in ("identity.toml", "pyproject.toml", "mkdocs.yml", "README.md", "CITATION.cff")
    )
    return "\n".join(line for line in text.splitlines() if rename.CREDIT not in line)


def test_rename_rewrites_the_places_that_cannot_read_identity(tmp_path):
    root = _minimal_checkout(tmp_path)
    old = identity.load(root)
    first = rename.first_rename(root)
    new, _ = rename.rename(root, name="Acme Widgets", repository="acme/widgets")
    assert identity.load(root) == new
    assert (new.package, new.docs_url) == ("acme-widgets", "https://acme.github.io/widgets/")
    assert new.copyright == "The Acme Widgets authors"
    # the template's description is not the fork's; a fork's own is kept by later renames
    assert new.description == (rename.DEFAULT_DESCRIPTION if first else old.description)
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
    # the distribution's name and its self-references are gone (the import name `guildkit`
    # is the toolkit's own, and stays)
    files = _identity_files(root)
    assert project["name"] == "acme" and f'"{old.package}[' not in files
    assert f'package = "{old.package}"' not in files
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


@pytest.mark.parametrize("suffix", [" Pro", " Widgets"])
def test_a_new_name_that_contains_the_old_one_is_not_doubled(tmp_path, suffix):
    root = _minimal_checkout(tmp_path)
    old = rename.current_identity(root)
    name = old.name + suffix
    rename.rename(root, name=name, repository="acme/pro")
    readme = (root / "README.md").read_text()
    assert readme.splitlines()[0] == f"# {name}"
    assert f"{name}{suffix}" not in _identity_files(root)
    rename.rename(root, name=name, repository="acme/pro")  # again: still not doubled
    assert f"{name}{suffix}" not in _identity_files(root)
    assert (root / "README.md").read_text().count(rename.CREDIT) == 1


def test_editing_only_name_and_repository_derives_the_rest(tmp_path, capsys):
    """identity.toml with only name and repository changed: the package, docs URL and
    copyright left at the old project's are derived, and nothing of the old one is left."""
    root = _minimal_checkout(tmp_path)
    old = rename.current_identity(root)
    name, repository = _another(old)
    _edit_name_and_repository(root, name, repository)
    assert main(["--root", str(root), "rename"]) == 0
    out = capsys.readouterr().out
    slug = repository.split("/")[0]
    assert f"package = '{slug}' (derived" in out and "docs_url" in out
    new = identity.load(root)
    assert new.package == slug and new.docs_url == f"https://{slug}.github.io/kit/"
    assert new.copyright == f"The {name} authors"
    files = _identity_files(root)
    for left in (old.docs_url, old.copyright, old.repository, f'"{old.package}[',
                 f'name = "{old.package}"', f'package = "{old.package}"'):  # fmt: skip
        assert left not in files, left


@pytest.mark.parametrize(
    "name", ['Acme "Quoted" Widgets', "Back\\slash Works", "O'Brien & Søn: ünïcode"]
)
def test_names_with_quotes_and_backslashes_are_written_as_valid_files(tmp_path, name):
    root = _minimal_checkout(tmp_path)
    holder = f'{name} Holdings "Ltd"'
    new, _ = rename.rename(root, name=name, repository="acme/widgets", copyright=holder)
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert project["authors"] == [{"name": holder}]
    assert tomllib.loads((root / "identity.toml").read_text())["name"] == name
    assert yaml.safe_load((root / "mkdocs.yml").read_text())["site_name"] == name
    cff = yaml.safe_load((root / "CITATION.cff").read_text())
    assert cff["title"] == name and cff["authors"] == [{"name": holder}]
    assert identity.load(root) == new


def test_a_line_break_in_a_name_is_refused_in_one_line_and_nothing_is_written(tmp_path, capsys):
    root = _minimal_checkout(tmp_path)
    before = _identity_files(root)
    code = main(["--root", str(root), "rename", "--name", "Acme", "--repository", "acme/a",
                 "--copyright", "Acme\nInc."])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "line break" in err
    assert _identity_files(root) == before


def test_a_non_ascii_name_gets_a_transliterated_package():
    assert rename.slug("Ünïcode Café") == "unicode-cafe"
    assert rename.slug("Straße & Co.") == "strasse-co"
    assert rename.slug("Łódź Ørsted") == "lodz-orsted"
    with pytest.raises(UserError, match="give one with --package"):
        rename.slug("日本語")


def test_description_and_contacts_are_written(tmp_path):
    root = _minimal_checkout(tmp_path)
    rename.rename(root, name="Acme", repository="acme/acme", description="Widgets, fast.",
                  conduct_contact="conduct@acme.test",
                  security_contact="https://acme.test/security")  # fmt: skip
    from tools.policy import load_policy

    policy = load_policy(root)
    assert policy.contact.conduct == "conduct@acme.test"
    assert policy.contact.security == "https://acme.test/security"
    assert "Widgets, fast." in (root / "mkdocs.yml").read_text()
    assert tomllib.loads((root / "pyproject.toml").read_text())["project"]["description"] == (
        "Widgets, fast."
    )
    rename.rename(root, name="Acme", repository="acme/acme", conduct_contact="coc@acme.test")
    policy = load_policy(root)  # replaced in place, the other contact kept
    assert policy.contact.conduct == "coc@acme.test"
    assert policy.contact.security == "https://acme.test/security"
    with pytest.raises(UserError, match="neither an email address nor an https"):
        rename.rename(root, name="Acme", repository="acme/acme", conduct_contact="not a contact")


def _leftovers(root, old: identity.Identity) -> list[str]:
    """Lines anywhere in the tree that still name the old project (its repository, docs URL,
    copyright holder or self-dependency), less the README's credit to the template, the tests
    and the docs' example commands (whose literals may happen to name any project)."""
    found = []
    for needle in (old.repository, old.docs_url, old.copyright, f'"{old.package}['):
        out = subprocess.run(["git", "grep", "--untracked", "-n", "-F", "-e", needle, "--", ".",
                              ":(exclude)tests/**"],
                             cwd=root, capture_output=True, text=True).stdout  # fmt: skip
        found += [
            line for line in out.splitlines() if rename.CREDIT not in line and "rename" not in line
        ]
    return found


def test_editing_identity_by_hand_then_rename_leaves_nothing_of_the_old_project(tmp_path):
    """The README's other order on the whole tree: identity.toml with only the name and the
    repository edited, then `governance rename` with no arguments."""
    fork = _copy_checkout(tmp_path / "fork")
    subprocess.run(["git", "init", "-q"], cwd=fork, check=True)
    old = identity.load(fork)
    _edit_name_and_repository(fork, *_another(old))
    assert main(["--root", str(fork), "rename"]) == 0
    assert _leftovers(fork, old) == []


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get(RENAMED_COPY) == "1", reason="already inside a renamed copy")
def test_the_forkers_first_hour(tmp_path):
    """The documented steps on a copy of this checkout — rename to a name that contains the
    old one, with a description and both contacts; clear the examples; sync and check — then
    the copy's own quick test suite and its strict docs build pass."""
    fork = _copy_checkout(tmp_path / "fork")
    subprocess.run(["git", "init", "-q"], cwd=fork, check=True)  # a fork is a repository
    env = dict(os.environ, PYTHONPATH=str(fork), NO_MKDOCS_2_WARNING="1")
    env[RENAMED_COPY] = "1"

    def run(*args, ok=(0,)):
        proc = subprocess.run(args, cwd=fork, env=env, capture_output=True, text=True)
        assert proc.returncode in ok, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc.stdout

    old = identity.load(fork)
    name = f"{old.name} Pro"  # a new name that contains the old one
    repository = f"{old.owner}-pro/{old.repository.split('/')[1]}-pro"  # never the old one
    governance = (sys.executable, "-m", "tools.governance")
    run(*governance, "rename", "--name", name, "--repository", repository,
        "--description", "Widgets, fast.", "--conduct-contact", "conduct@acme.test",
        "--security-contact", "security@acme.test")  # fmt: skip
    run(*governance, "clear-examples")
    run(*governance, "sync")
    assert "agree" in run(*governance, "check")
    assert (fork / "README.md").read_text().startswith(f"# {name}\n")
    assert f"{name} Pro" not in (fork / "README.md").read_text()
    assert _leftovers(fork, old) == []
    assert "mailto:conduct@acme.test" in (fork / "governance/CODE_OF_CONDUCT.md").read_text()
    assert "mailto:security@acme.test" in (fork / "governance/SECURITY.md").read_text()
    where = run(sys.executable, "-c", "import tools; print(tools.__file__)")
    assert where.strip().startswith(str(fork))
    out = run(sys.executable, "-m", "pytest", "-q", "-m", "not slow", "-p", "no:cacheprovider")
    assert " passed" in out and " failed" not in out
    run(sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site"))
    home = (tmp_path / "site" / "index.html").read_text()
    assert name in home and repository in home and "Widgets, fast." in home
    assert old.repository not in home


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get(RENAMED_COPY) == "1", reason="already inside a renamed copy")
def test_make_rename_leaves_one_distribution_installed(tmp_path):
    """`make rename` in a fork whose .venv has the project installed: afterwards the venv
    holds the new distribution only (two would own the same modules and commands)."""
    fork = _copy_checkout(tmp_path / "fork")
    subprocess.run(["git", "init", "-q"], cwd=fork, check=True)
    venv = fork / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    own = subprocess.run([venv / "bin" / "python", "-c", "import sysconfig; print("
                          "sysconfig.get_paths()['purelib'])"], capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    # the project's dependencies (and a current setuptools) from this environment, no download
    (Path(own) / "zz-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "uninstall", "-y", "setuptools"], check=True)
    subprocess.run([*pip, "install", "--no-deps", "--no-build-isolation", "--no-index", "-e",
                    str(fork)], check=True, capture_output=True)  # fmt: skip
    (venv / ".base").touch()
    old = identity.load(fork).package

    def installed() -> set[str]:
        return {p.name.split("-")[0] for p in Path(own).glob("*.dist-info")} - {"pip"}

    assert installed() == {old.replace("-", "_")}
    # pip offline, building with this environment's setuptools (pip reads "0" here as "off")
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0")
    name, repository = _another(identity.load(fork))
    proc = subprocess.run(["make", "rename", f"NAME={name}", f"REPO={repository}"], cwd=fork,
                          capture_output=True, text=True, env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    slug = repository.split("/")[0]
    assert f"reinstalled as {slug}" in proc.stdout
    assert installed() == {slug.replace("-", "_")}
