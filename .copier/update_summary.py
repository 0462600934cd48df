"""After `copier update`: one summary of what the template release changed in this project —
the files that merged cleanly and those that hold conflicts to resolve.

copier runs this from the template's own copy (it is never copied into projects), in the
project's root, after the three-way merge. Standard library only. It always exits 0: the
update itself has happened; this only reports it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

MARKERS = (b"<<<<<<< ", b">>>>>>> ")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False).stdout


def has_markers(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return any(line.startswith(MARKERS) for line in f)
    except OSError:
        return False


def main() -> int:
    unmerged = set(git("diff", "--name-only", "--diff-filter=U").split("\n")) - {""}
    changed: list[str] = []
    for line in git("status", "--porcelain", "--untracked-files=all").splitlines():
        name = line[3:].split(" -> ")[-1].strip('"')
        if name.endswith(".rej"):  # copier update --conflict rej
            unmerged.add(name[:-4])
            continue
        if name == ".copier-answers.yml":
            continue
        changed.append(name)
    conflicted = sorted({n for n in changed if n in unmerged or has_markers(Path(n))} | unmerged)
    clean = sorted(set(changed) - set(conflicted))
    out = sys.stderr
    if not changed and not conflicted:
        print("copier update: the template release changed no file of this project", file=out)
        return 0
    print(f"copier update: {len(clean)} file(s) merged cleanly", file=out)
    for name in clean:
        print(f"  merged    {name}", file=out)
    if conflicted:
        print(
            f"copier update: {len(conflicted)} file(s) hold conflicts to resolve "
            "(between <<<<<<< and >>>>>>> lines; a .rej file beside with --conflict rej)",
            file=out,
        )
        for name in conflicted:
            print(f"  CONFLICT  {name}", file=out)
        print(
            "resolve them, run `governance check` and `make test`, then commit "
            "(`git diff` shows every change the release made)",
            file=out,
        )
    else:
        print("review with `git diff`, run `make test`, then commit", file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
