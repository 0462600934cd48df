"""What a forker meets in the first hour, besides the rename: contacts that work for readers,
a policy that names merge conflicts, release versions that agree, a Makefile that keeps to the
checkout and installs what the machine can use, documented commands that exist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT, SAMPLE_POLICY
from tools.errors import UserError
from tools.governance import generate, release
from tools.governance.check import check
from tools.governance.pages import describe_rrule
from tools.policy import load_policy

POLICY = """\
version: 1
people:
  - {login: ana, name: Ana, roles: [maintainer], areas: [core], since: 2024-01-01}
areas:
  core: {description: Core, paths: [src/**]}
review:
  size: {exclude: ["**/*.lock", "**/package-lock.json"]}
"""


def _root(tmp_path, policy=POLICY):
    (tmp_path / "governance").mkdir()
    (tmp_path / "governance" / "policy.yml").write_text(policy)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "lib.py").write_text("x = 1\n")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    return tmp_path


def test_size_exclusions_of_files_not_there_yet_are_not_warned(tmp_path):
    root = _root(tmp_path)
    assert not [p for p in check(load_policy(root), root) if "size.exclude" in p.where]


def test_the_conduct_contact_speaks_to_readers_and_never_names_examples(tmp_path):
    examples_only = load_policy(path=SAMPLE_POLICY)  # the tests' policy: no contact set
    text = generate.conduct_contact(examples_only)
    assert "contact.conduct" not in text and "policy.yml" not in text  # no set-up words
    real = load_policy(_root(tmp_path))
    assert "MAINTAINERS.md" in generate.conduct_contact(real)
    examples = real.model_copy(update={"people": [p.model_copy(update={"example": True})
                                                  for p in real.people]})  # fmt: skip
    assert "MAINTAINERS.md" not in generate.conduct_contact(examples)
    assert "not yet named" in generate.conduct_contact(examples)
    named = real.model_copy(update={"contact": real.contact.model_copy(
        update={"conduct": "coc@acme.test"})})  # fmt: skip
    assert "mailto:coc@acme.test" in generate.conduct_contact(named)


def test_security_reports_go_to_the_repositorys_private_form(tmp_path):
    policy = load_policy(_root(tmp_path))
    chooser = yaml.safe_load(generate.issue_config(policy, "acme/widgets"))
    links = {link["name"]: link["url"] for link in chooser["contact_links"]}
    assert links["Report a security vulnerability"] == (
        "https://github.com/acme/widgets/security/advisories/new"
    )
    text = generate.security_contact(policy, "acme/widgets")
    assert "https://github.com/acme/widgets/security/advisories/new" in text
    with_address = policy.model_copy(update={"contact": policy.contact.model_copy(
        update={"security": "security@acme.test"})})  # fmt: skip
    assert "mailto:security@acme.test" in generate.security_contact(with_address, "acme/widgets")


def test_merge_conflict_markers_in_the_policy_are_named_as_such(tmp_path):
    conflicted = POLICY.replace(
        "review:",
        "<<<<<<< before updating\nstale: {nudge_after_days: 21}\n=======\n"
        "stale: {nudge_after_days: 14}\n>>>>>>> after updating\nreview:",
    )
    root = _root(tmp_path, conflicted)
    with pytest.raises(UserError, match=r"line 6: merge-conflict markers") as err:
        load_policy(root)
    assert "not valid YAML" not in str(err.value)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=1TU;COUNT=12", "monthly on the first Tuesday, 12 times"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270101",
         "every 2 weeks on Thursday, until 2027-01-01"),
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=6", "monthly on the last Friday, 6 times"),
    ],
)  # fmt: skip
def test_recurring_events_are_said_in_words(rule, words):
    assert describe_rrule(rule) == words


def test_this_repositorys_versions_agree():
    """pyproject.toml and CITATION.cff name one version; a release date agrees with the
    changelog's section of it (holds in every fork: copier's copies drop the date)."""
    _version, found = release.problems(ROOT)
    assert found == []


def _git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@x.test",
               GIT_COMMITTER_NAME="T", GIT_COMMITTER_EMAIL="t@x.test")  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_release_tags_the_version_only_when_the_files_agree(tmp_path):
    for name in ("pyproject.toml", "CITATION.cff"):
        shutil.copy2(ROOT / name, tmp_path / name)
    version = release.problems(ROOT)[0]
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n## Unreleased\n\n## {version}\n")
    text = (tmp_path / "CITATION.cff").read_text()
    text = re.sub(r"^date-released:.*$", 'date-released: "2026-11-28"', text, flags=re.M)
    if "date-released" not in text:
        text += 'date-released: "2026-11-28"\n'
    (tmp_path / "CITATION.cff").write_text(text)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "x")
    with pytest.raises(UserError, match="no section"):
        release.release(tmp_path)
    (tmp_path / "CHANGELOG.md").write_text(f"# Changelog\n\n## {version} — 2026-11-28\n")
    _git(tmp_path, "commit", "-q", "-am", "dated")
    assert release.release(tmp_path) == f"v{version}"
    assert _git(tmp_path, "tag").split() == [f"v{version}"]
    with pytest.raises(UserError, match="exists already"):
        release.release(tmp_path)


def test_the_policys_pointer_to_its_docs_names_a_real_page():
    mkdocs = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!!", ""))
    pages = set()

    def walk(nav, trail=()):
        for item in nav:
            for title, target in item.items():
                if isinstance(target, list):
                    walk(target, (*trail, title))
                else:
                    pages.add(" → ".join((*trail, title)))

    walk(mkdocs["nav"])
    pointers = re.findall(r"\(([^()]+ → [^()]+)\)", (ROOT / "governance/policy.yml").read_text())
    # a fork may drop the comment; a pointer that stays must name a page of the site
    assert all(p in pages for p in pointers), (pointers, sorted(pages))


def _make_n(*args, path=None) -> str:
    env = dict(os.environ, PATH=path or os.environ["PATH"])
    return subprocess.run(["make", "-n", "-B", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_make_demo_keeps_its_store_inside_the_checkout():
    runs = [line for line in _make_n("demo").splitlines() if "community-report " in line]
    assert runs and all("--store .venv/" in line for line in runs), runs


def test_without_a_gpu_make_installs_torchs_cpu_build(tmp_path):
    fake = tmp_path / "bin"
    fake.mkdir()
    for tool in ("python3", "make", "sh", "bash", "git"):  # no nvidia-smi on this PATH
        found = shutil.which(tool)
        if found:
            (fake / tool).symlink_to(found)
    plan = _make_n(".venv/.dev", path=str(fake))
    install = next(line for line in plan.splitlines() if "torch==" in line and "pip" in line)
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in install


def test_an_area_owned_by_a_team_alone_passes(tmp_path):
    """`* @org/core`, the commonest CODEOWNERS line: a team is an owner."""
    root = _root(tmp_path, POLICY.replace(
        "  core: {description: Core, paths: [src/**]}",
        "  core: {description: Core, paths: [src/**]}\n"
        "  all: {description: Everything else, paths: ['**'], teams: [acme/core]}"))  # fmt: skip
    from tools.governance.check import sync

    policy = load_policy(root)
    sync(policy, root)
    assert [str(p) for p in check(policy, root) if not p.warning] == []
    assert "/** @acme/core" in (root / ".github" / "CODEOWNERS").read_text()
    assert policy.active("maintainer")  # staffed: an area without owners would be a failure
