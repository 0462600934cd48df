"""``governance release``: check that the version pyproject.toml names agrees with CITATION.cff
and CHANGELOG.md, then tag it (``vX.Y.Z``), the tag copier records as ``_commit`` in every
project made or updated from this release.

Before the first tag, copier records a development version of the commit it copied
(``0.0.0.postN.dev0+SHA``) and `copier update` takes the newest commit of the default branch.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

from ..errors import UserError

_SECTION = re.compile(
    r"^## \[?v?(?P<version>\d+\.\d+\.\d+[^\]\s]*)\]?\s*(?:[-—–]\s*(?P<date>\d{4}-\d{2}-\d{2}))?",
    re.MULTILINE,
)


def _field(text: str, key: str) -> str | None:
    m = re.search(rf"^{key}:\s*\"?([^\"\n]*?)\"?\s*$", text, re.MULTILINE)
    return m.group(1) if m else None


def problems(root: Path) -> tuple[str, list[str]]:
    """The version pyproject.toml names, and each way the other files disagree with it."""
    try:
        version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "version"
        ]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        where = root / "pyproject.toml"
        raise UserError(f"{where}: cannot read [project] version ({exc})") from None
    out: list[str] = []
    citation = root / "CITATION.cff"
    released = None
    if citation.is_file():
        text = citation.read_text(encoding="utf-8")
        if _field(text, "version") != version:
            out.append(
                f"CITATION.cff: version {_field(text, 'version')!r} is not pyproject.toml's "
                f"{version!r}"
            )
        released = _field(text, "date-released")
    changelog = root / "CHANGELOG.md"
    if changelog.is_file():
        sections = {m["version"]: m["date"] for m in _SECTION.finditer(changelog.read_text())}
        if released is not None and sections.get(version) != released:
            out.append(
                f"CITATION.cff: date-released {released} but CHANGELOG.md has no section "
                f"'## [{version}] - {released}'"
            )
    elif released is not None:
        out.append("CITATION.cff: date-released is set but there is no CHANGELOG.md to agree")
    from ..governance.workflows import input_default, reusable

    for path in reusable(root):  # callers of this release must run this release's code
        ref = input_default(path.read_text(encoding="utf-8"), "guildkit-ref")
        if ref is not None and ref != f"v{version}":
            out.append(
                f"{path.relative_to(root).as_posix()}: the guildkit-ref input defaults to "
                f"{ref!r}, not 'v{version}'; set it, so that callers of v{version} run its code"
            )
    return version, out


def release(root: Path) -> str:
    """Tag the release after checking it; returns the tag."""
    version, found = problems(root)
    changelog = root / "CHANGELOG.md"
    if changelog.is_file():
        sections = {m["version"]: m["date"] for m in _SECTION.finditer(changelog.read_text())}
        if not sections.get(version):
            found.append(
                f"CHANGELOG.md: no dated section for {version} (write '## [{version}] - "
                "YYYY-MM-DD' above the changes, and the same date-released in CITATION.cff)"
            )
    if found:
        raise UserError("release: " + "; ".join(found))
    tag = f"v{version}"

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)

    if git("rev-parse", "-q", "--verify", f"refs/tags/{tag}").returncode == 0:
        raise UserError(f"release: tag {tag} exists already; raise the version in pyproject.toml")
    if git("status", "--porcelain").stdout.strip():
        raise UserError("release: the working tree has uncommitted changes; commit them first")
    made = git("tag", "-a", tag, "-m", f"Release {version}")
    if made.returncode != 0:
        raise UserError(f"release: git tag failed ({' '.join(made.stderr.split())})")
    return tag
