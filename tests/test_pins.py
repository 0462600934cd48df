"""Every version pin in the repository is exact, and the same package is pinned to the same
version everywhere: pre-commit hooks, workflows, the trusted job's lock, the Makefile. Dependabot
bumps the lock and the actions; this check makes a bump that leaves another pin behind red."""

from __future__ import annotations

import re
from collections import defaultdict

import yaml

from tests.conftest import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, set[tuple[str, str]]]:
    """package → {(version, where)}"""
    found: dict[str, set[tuple[str, str]]] = defaultdict(set)
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            for dep in hook.get("additional_dependencies", []):
                m = PIN.match(dep)
                assert m, f".pre-commit-config.yaml hook {hook['id']}: {dep!r} is not pinned (==)"
                found[_norm(m[1])].add((m[2], f"pre-commit:{hook['id']}"))
    for flow in sorted((ROOT / ".github/workflows").glob("*.yml")):
        for token in re.findall(r"pip install ([^\n]+)", flow.read_text()):
            for word in token.split():
                if "==" in word:
                    m = PIN.match(word)
                    found[_norm(m[1])].add((m[2], flow.name))
    for lock in sorted((ROOT / ".github/requirements").glob("*.txt")):
        text = lock.read_text()
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.MULTILINE):
            found[_norm(name)].add((version, lock.name))
    make = (ROOT / "Makefile").read_text()
    torch = re.search(r"^TORCH_PINS \?= (.+)$", make, re.MULTILINE).group(1).split()
    for word in torch:
        m = PIN.match(word)
        assert m, f"Makefile TORCH_PINS: {word!r} is not pinned (==)"
        found[_norm(m[1])].add((m[2], "Makefile"))
    return found


def test_each_package_has_one_version_everywhere():
    for name, seen in _pins().items():
        versions = {v for v, _ in seen}
        assert len(versions) == 1, f"{name} is pinned differently: {sorted(seen)}"


def test_the_lock_covers_the_packages_dependencies():
    pyproject = (ROOT / "pyproject.toml").read_text()
    deps = re.search(r"^dependencies = \[(.*?)^\]", pyproject, re.MULTILINE | re.DOTALL).group(1)
    names = {_norm(re.match(r'\s*"([A-Za-z0-9_.\-]+)', line).group(1))
             for line in deps.splitlines() if line.strip().startswith('"')}  # fmt: skip
    locked = {name for name, seen in _pins().items() if any(w == "review-bot.txt" for _, w in seen)}
    assert names <= locked, f"not in .github/requirements/review-bot.txt: {names - locked}"
    assert {"setuptools", "wheel"} <= locked  # the build backend, for --no-build-isolation


def test_torch_and_torchvision_are_a_matching_pair():
    pins = _pins()
    (torch,) = {v for v, _ in pins["torch"]}
    (vision,) = {v for v, _ in pins["torchvision"]}
    # torchvision 0.N+15 goes with torch 2.N
    assert int(vision.split(".")[1]) == int(torch.split(".")[1]) + 15, (torch, vision)


def test_every_action_is_pinned_by_a_full_commit_sha():
    for flow in sorted((ROOT / ".github/workflows").glob("*.yml")):
        for line in flow.read_text().splitlines():
            m = re.search(r"uses:\s*(\S+)", line)
            if m and not m.group(1).startswith(("./", "$/")):  # this repository's own
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", m.group(1)), (flow.name, line)
                assert re.search(r"# v\d", line), f"{flow.name}: say which release: {line.strip()}"


def test_dependabot_watches_every_lock():
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text())
    watched = {(u["package-ecosystem"], u["directory"]) for u in config["updates"]}
    assert {("pip", "/"), ("pip", "/.github/requirements"), ("github-actions", "/")} <= watched


def test_no_workflow_pins_or_leaves_unpinned_a_package_inline():
    """Every package a workflow installs by name is pinned in a requirements file that
    Dependabot watches, never inline in a `run:` (where no bot updates it) nor unpinned."""
    for flow in sorted((ROOT / ".github/workflows").glob("*.yml")):
        for command in re.findall(r"pip install ([^\n]+)", flow.read_text()):
            words = [w for w in command.split() if not w.startswith("-")]
            named = [w for w in words if w != "."  # the project itself, with its extras:
                     and not re.fullmatch(r"'?\.\[[a-z,]+\]'?", w)
                     and not w.endswith((".txt", ".whl")) and "/" not in w]  # fmt: skip
            assert named == [], f"{flow.name}: install {named} from a watched requirements file"
