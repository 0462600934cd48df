"""``governance check``: each drift between the policy, the generated files and the tree."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from tools.files import write_text_atomic
from tools.governance.generate import OWNER_ROLES, eligible_owners, generated
from tools.policy import Policy
from tools.policy.globs import matches
from tools.policy.model import POLICY_FILE

SKIP_DIRS = {".git", ".venv", "node_modules", "site", "__pycache__", ".pytest_cache"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def repository_files(root: Path) -> list[str]:
    """Tracked and untracked-but-not-ignored files; every file below ``root`` outside git."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
        return sorted({name.decode() for name in out.split(b"\0") if name})
    except (OSError, subprocess.CalledProcessError):
        files = []
        for path in root.rglob("*"):
            rel = path.relative_to(root)
            if path.is_file() and not SKIP_DIRS.intersection(rel.parts):
                files.append(rel.as_posix())
        return sorted(files)


def check(policy: Policy, root: Path, files: list[str] | None = None) -> list[Problem]:
    files = repository_files(root) if files is None else files
    policy_file = POLICY_FILE.as_posix()
    problems: list[Problem] = []

    for rel, text in generated(policy).items():
        path = root / rel
        if not path.is_file():
            problems.append(Problem(rel.as_posix(), "missing; run `governance sync`"))
        elif path.read_text(encoding="utf-8") != text:
            problems.append(
                Problem(rel.as_posix(), "out of date with the policy; run `governance sync`")
            )

    for i, person in enumerate(policy.people):
        where = f"{policy_file}: people[{i}] ({person.login})"
        owned = ", ".join(person.areas)
        if person.areas and not person.active:
            message = f"is emeritus but still owns {owned}; remove the areas or the emeritus date"
            problems.append(Problem(where, message))
        elif person.areas and not any(person.has(r) for r in OWNER_ROLES):
            message = (
                f"owns {owned} but is neither maintainer nor reviewer; "
                "add one of those roles or remove the areas"
            )
            problems.append(Problem(where, message))
        if person.active and person.has("maintainer") and not person.areas:
            problems.append(
                Problem(where, "is an active maintainer who owns no area; give them one")
            )

    for name, area in policy.areas.items():
        where = f"{policy_file}: areas.{name}"
        if not eligible_owners(policy, name):
            problems.append(Problem(where, "has no active maintainer or reviewer among its owners"))
        for j, pattern in enumerate(area.paths):
            if not any(matches(pattern, f) for f in files):
                problems.append(
                    Problem(f"{where}.paths[{j}]", f"{pattern!r} matches no file in the repository")
                )
    return problems


def sync(policy: Policy, root: Path) -> list[Path]:
    """Write the generated files that differ; returns those written."""
    written = []
    for rel, text in generated(policy).items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
            written.append(rel)
    return written
