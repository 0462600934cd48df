"""``governance check``: each drift between the policy, the generated files and the tree."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..files import write_text_atomic
from ..governance import codeowners as owners
from ..governance.generate import (
    CODE_OF_CONDUCT,
    CODEOWNERS,
    GENERATED_MARK,
    OWNER_ROLES,
    SECTIONS,
    eligible_owners,
    generated,
    splice,
)
from ..policy import Policy
from ..policy.globs import matches
from ..policy.model import POLICY_FILE

SKIP_DIRS = {".git", ".venv", "node_modules", "site", "__pycache__", ".pytest_cache"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str
    warning: bool = False  # reported, but `check` still passes

    def __str__(self) -> str:
        return f"{self.where}: {'warning: ' if self.warning else ''}{self.message}"


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

    for rel, text in expected(policy, root).items():
        path = root / rel
        if not path.is_file():
            problems.append(Problem(rel.as_posix(), "missing; run `governance sync`"))
        elif (have := path.read_text(encoding="utf-8")) != text:
            problems.append(_drift(rel, have, text, files))
    conduct = root / CODE_OF_CONDUCT
    if conduct.is_file() and splice(conduct.read_text(encoding="utf-8"), "contact", "") is None:
        problems.append(  # a warning: a repository using these hooks may have its own CoC
            Problem(
                CODE_OF_CONDUCT.as_posix(),
                "has no contact markers, so `governance sync` cannot write the policy's private "
                "contact into it",
                warning=True,
            )
        )
    if policy.contact.conduct is None:
        problems.append(
            Problem(
                f"{policy_file}: contact.conduct",
                "not set: the Code of Conduct names no private contact for reports",
                warning=True,
            )
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

    unstaffed = not policy.active("maintainer")  # a new project: nobody listed yet
    if unstaffed:
        problems.append(
            Problem(
                policy_file,
                "names no active maintainer yet: add yourself under people (role maintainer, "
                "with the areas you own); until then CODEOWNERS has no fallback owner for "
                "the paths no area holds",
                warning=True,
            )
        )
    for name, area in policy.areas.items():
        where = f"{policy_file}: areas.{name}"
        if not eligible_owners(policy, name) and not area.teams and not area.unowned:
            # a team owning it is enough; an unowned area wants nobody
            problems.append(
                Problem(
                    where,
                    "has no active maintainer or reviewer among its owners",
                    warning=unstaffed,
                )
            )
        for j, pattern in enumerate(area.paths):
            if not any(matches(pattern, f) for f in files):
                problems.append(
                    Problem(f"{where}.paths[{j}]", f"{pattern!r} matches no file in the repository")
                )
    problems += overridden(policy, files)
    problems += dead_globs(policy, files)
    problems += required_checks(policy, root)
    return problems


def _drift(rel: Path, have: str, want: str, files: list[str]) -> Problem:
    """A generated file that differs. A CODEOWNERS file written by hand (one `governance
    init` imported) that gives every file the owners the policy gives is no drift: a
    warning, until `governance sync` rewrites it; one that differs names a file."""
    stale = Problem(rel.as_posix(), "out of date with the policy; run `governance sync`")
    if rel.name != "CODEOWNERS" or have.startswith(GENERATED_MARK):
        return stale
    before, _ = owners.parse(have)
    after, _ = owners.parse(want)
    changed = owners.differences(before, after, files)
    if changed:
        return Problem(
            rel.as_posix(),
            f"written by hand, and the policy gives {len(changed)} file(s) other owners, e.g. "
            f"{changed[0]}; fix the policy, or run `governance sync` to make it so",
        )
    return Problem(
        rel.as_posix(),
        "written by hand, but means what the policy says for every file; `governance sync` "
        "rewrites it from the policy",
        warning=True,
    )


def required_checks(policy: Policy, root: Path) -> list[Problem]:
    """Each required check must be one that something produces: a job of the repository's
    own workflows, or the review bot's check runs. A name nothing produces never reports,
    so no pull request could ever merge."""
    from ..governance.workflows import check_names, produced
    from ..review_bot.findings import APPROVALS_NAME, CHECK_NAME

    names = [*check_names(root), CHECK_NAME, APPROVALS_NAME]
    out = []
    for j, check in enumerate(policy.review.required_checks):
        if not produced(check, names):
            found = ", ".join(repr(n) for n in names)
            out.append(
                Problem(
                    f"{POLICY_FILE.as_posix()}: review.required_checks[{j}]",
                    f"{check!r} is produced by no workflow in .github/workflows nor by the review "
                    f"bot, so GitHub would wait for it for ever; the checks found are: {found} "
                    "(a job's check is named after its `name:`, or its id without one)",
                )
            )
    return out


def overridden(policy: Policy, files: list[str]) -> list[Problem]:
    """Area globs that own no file: every file they match is taken by a later CODEOWNERS
    line of another area (GitHub applies the last match), so their owners are never asked."""
    out = []
    for name, area in policy.areas.items():
        for j, pattern in enumerate(area.paths):
            hit = [f for f in files if matches(pattern, f)]
            if hit and not any(name in policy.areas_for(f) for f in hit):
                taker = policy.areas_for(hit[0])
                out.append(
                    Problem(
                        f"{POLICY_FILE.as_posix()}: areas.{name}.paths[{j}]",
                        f"{pattern!r} is wholly overridden by a more specific glob of "
                        f"{', '.join(taker)}: its owners are never code owners of any file",
                        warning=True,
                    )
                )
    return out


def dead_globs(policy: Policy, files: list[str]) -> list[Problem]:
    """Every other glob the policy holds that matches no file: a typo there silently turns a
    rule off. A warning, since some (lock files, a changelog) may simply not exist yet."""
    review = policy.review
    named = [
        ("review.tests.when_changed", review.tests.when_changed),
        ("review.tests.expect_changed", review.tests.expect_changed),
        ("review.docs.when_changed", review.docs.when_changed),
        ("review.docs.expect_changed", review.docs.expect_changed),
        ("review.protected_paths", review.protected_paths),
    ]  # review.size.exclude is left out: excluding files that do not exist yet is harmless
    out = []
    for where, patterns in named:
        for j, pattern in enumerate(patterns):
            if not any(matches(pattern, f) for f in files):
                out.append(
                    Problem(
                        f"{POLICY_FILE.as_posix()}: {where}[{j}]",
                        f"{pattern!r} matches no file in the repository",
                        warning=True,
                    )
                )
    return out


def expected(policy: Policy, root: Path) -> dict[Path, str]:
    """Every generated file and section as the policy wants it."""
    from .. import identity

    try:
        repository = identity.load(root).repository
    except UserError:  # a repository without identity.toml: no issue chooser to generate
        repository = None
    out = generated(policy, repository)
    here = codeowners_path(root)
    if here != CODEOWNERS:  # GitHub reads the repository's own file where it keeps it
        out = {here if rel == CODEOWNERS else rel: text for rel, text in out.items()}
    for rel, (name, section) in SECTIONS.items():
        path = root / rel
        if path.is_file():
            text = splice(path.read_text(encoding="utf-8"), name, section(policy, repository))
            if text is not None:
                out[rel] = text
    return out


def codeowners_path(root: Path) -> Path:
    """Where the repository keeps CODEOWNERS: the first of GitHub's three places that holds
    one (GitHub reads only that one), else .github/CODEOWNERS."""
    for place in owners.LOCATIONS:
        if (root / place).is_file():
            return Path(place)
    return CODEOWNERS


def sync(policy: Policy, root: Path) -> list[Path]:
    """Write the generated files that differ; returns those written."""
    written = []
    for rel, text in expected(policy, root).items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_text_atomic(path, text)
            written.append(rel)
    return written
