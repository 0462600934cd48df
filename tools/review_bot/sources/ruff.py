"""Run ruff on the changed Python files of the head version; diagnostics as records."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from ...errors import UserError
from ...review_bot.facts import ChangedFile, RuffDiagnostic


def _ruff() -> list[str]:
    found = shutil.which("ruff")
    if found:
        return [found]
    return [sys.executable, "-m", "ruff"]


def _replacement(lines: list[str], fix: dict, start: int, end: int) -> str | None:
    """Apply ruff's edits to lines start..end (1-based); None if an edit leaves that range."""
    text = lines[start - 1 : end]
    # edits are applied from the last to the first, so earlier offsets stay valid
    edits = sorted(
        fix.get("edits", ()),
        key=lambda e: (e["location"]["row"], e["location"]["column"]),
        reverse=True,
    )
    for edit in edits:
        (r0, c0), (r1, c1) = (
            (edit["location"]["row"], edit["location"]["column"]),
            (
                edit["end_location"]["row"],
                edit["end_location"]["column"],
            ),
        )
        if r0 < start or r1 > end:
            return None
        i0, i1 = r0 - start, r1 - start
        head = text[i0][: c0 - 1]
        tail = text[i1][c1 - 1 :] if i1 < len(text) else ""
        text[i0 : i1 + 1] = (head + edit["content"] + tail).split("\n")
    return "\n".join(text)


def _inside(root: Path, path: str) -> bool:
    """A regular file of the head, inside the repository: not a symbolic link (whose target,
    anywhere on the runner, ruff would read), not a name that climbs out."""
    full = root / path
    if full.is_symlink() or not full.is_file():
        return False
    try:
        full.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def diagnostics(root: Path, files: list[ChangedFile]) -> list[RuffDiagnostic]:
    """ruff's findings on the changed ``.py`` files as they are in ``root`` (the head)."""
    paths = [f.path for f in files if f.status != "removed" and f.path.endswith((".py", ".pyi"))]
    paths = [p for p in paths if _inside(root, p)]
    if not paths:
        return []
    try:
        proc = subprocess.run(
            # "--": a file named like an option ("--output-file=x.py") stays a file name
            # --force-exclude: the project's own excludes hold for files named on the command
            # line too (ruff drops them otherwise: pip's src/pip/_vendor/ was reviewed)
            [
                *_ruff(),
                "check",
                "--output-format=json",
                "--exit-zero",
                "--no-cache",
                "--force-exclude",
                "--",
                *paths,
            ],
            cwd=root,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError:
        raise UserError("ruff is not installed; pip install ruff") from None
    if proc.returncode != 0:
        raise UserError(f"ruff failed: {proc.stderr.strip().splitlines()[-1:]}")
    out = []
    cache: dict[str, list[str]] = {}
    top = root.resolve()
    for d in json.loads(proc.stdout or "[]"):
        try:
            path = Path(d["filename"]).resolve().relative_to(top).as_posix()
        except ValueError:
            continue  # not a file of this repository
        start, end = d["location"]["row"], d["end_location"]["row"]
        replacement = None
        fix = d.get("fix")
        if fix and fix.get("applicability") in ("safe", "unsafe"):
            lines = cache.setdefault(path, (root / path).read_text(encoding="utf-8").split("\n"))
            rows = [e["location"]["row"] for e in fix["edits"]] + [
                e["end_location"]["row"] for e in fix["edits"]
            ]
            lo, hi = min([start, *rows]), max([end, *rows])
            replacement = _replacement(list(lines), fix, lo, hi)
            if replacement is not None:
                start, end = lo, hi
        out.append(RuffDiagnostic(path, d["code"] or "", d["message"], start, end, replacement))
    return out
