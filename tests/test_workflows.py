"""The reusable workflows an existing project calls are the ones this repository runs: each
of its own workflows is a short caller of one (so the two cannot drift), each reusable one is
`workflow_call` only, grants nothing at the top, names what each job may do, and installs the
release its callers pin. Invariants: they hold after a rename, in a copier project, and
after a maintainer's own edits to the policy."""

from __future__ import annotations

import tomllib

import pytest
import yaml

from tests.conftest import ROOT
from tools import identity
from tools.governance.workflows import input_default

FLOWS = ROOT / ".github" / "workflows"
CALLERS = {
    "review-analyze.yml": "reusable-review-analyze.yml",
    "review-post.yml": "reusable-review-post.yml",
    "community-report.yml": "reusable-community-report.yml",
    "governance.yml": "reusable-governance-check.yml",
    "nudge.yml": "reusable-nudge.yml",
}
TRUSTED = ["reusable-review-post.yml", "reusable-community-report.yml",
           "reusable-governance-check.yml", "reusable-nudge.yml"]  # fmt: skip


def _load(name: str) -> dict:
    data = yaml.safe_load((FLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads `on` as true
    return data


@pytest.mark.parametrize(("caller", "called"), CALLERS.items())
def test_each_workflow_here_calls_the_reusable_one(caller, called):
    jobs = _load(caller)["jobs"]
    (job,) = jobs.values()
    assert job["uses"] == f"$/.github/workflows/{called}"
    assert job["with"]["guildkit-ref"] == "self"  # this repository is Guildkit: its own code
    # a called workflow's jobs can have no more than the caller grants
    needed = {k: v for j in _load(called)["jobs"].values() for k, v in j["permissions"].items()}
    assert needed.items() <= job["permissions"].items(), (caller, needed, job["permissions"])


@pytest.mark.parametrize("name", sorted(set(CALLERS.values())))
def test_reusable_workflows_are_callable_only_and_least_privileged(name):
    flow = _load(name)
    assert list(flow["on"]) == ["workflow_call"]
    assert flow["permissions"] == {}
    for job in flow["jobs"].values():
        assert job["permissions"], "each job names its permissions"
        assert job["timeout-minutes"] <= 30
    inputs = flow["on"]["workflow_call"]["inputs"]
    assert all("type" in spec for spec in inputs.values())


def test_reusable_workflows_install_the_release_their_callers_pin():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    repository = identity.load(ROOT).repository
    for name in sorted(set(CALLERS.values())):
        text = (FLOWS / name).read_text()
        assert input_default(text, "guildkit-ref") == f"v{version}", name
        assert input_default(text, "guildkit-repository") == repository, name


@pytest.mark.parametrize("name", TRUSTED)
def test_trusted_reusable_workflows_install_only_hash_locked_dependencies(name):
    installs = [line for line in (FLOWS / name).read_text().splitlines() if "pip install" in line]
    assert installs and all("--require-hashes" in line or "--no-deps" in line for line in installs)


def test_rename_points_the_reusable_workflows_at_the_new_repository(tmp_path):
    import shutil

    from tools.governance import rename

    for name in ("identity.toml", "pyproject.toml", "mkdocs.yml", "README.md", "CITATION.cff",
                 *(f".github/workflows/{f}" for f in set(CALLERS.values()))):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    rename.rename(tmp_path, name="Zephyr Kit", repository="zephyr/kit", version="2.3.4")
    for name in set(CALLERS.values()):
        text = (tmp_path / ".github/workflows" / name).read_text()
        assert input_default(text, "guildkit-repository") == "zephyr/kit", name
        assert input_default(text, "guildkit-ref") == "v2.3.4", name
        yaml.safe_load(text)  # still a workflow


def test_release_refuses_workflows_that_install_another_release(tmp_path):
    from tools.governance.release import problems
    from tools.governance.workflows import set_input_default

    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.0"\n')
    flow = tmp_path / ".github/workflows/reusable-nudge.yml"
    flow.parent.mkdir(parents=True)
    flow.write_text(set_input_default((FLOWS / "reusable-nudge.yml").read_text(), "guildkit-ref",
                                      "v1.1.0"))  # fmt: skip
    version, found = problems(tmp_path)
    assert version == "1.2.0"
    assert found == [
        ".github/workflows/reusable-nudge.yml: the guildkit-ref input defaults to "
        "'v1.1.0', not 'v1.2.0'; set it, so that callers of v1.2.0 run its code"
    ]
