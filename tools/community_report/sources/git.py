"""Local git history as records: streamed ``git log`` passes, never a process per commit.

Pass 1 reads the whole history without diffs (identities and dates: fast, ~100k commits/s);
pass 2 reads file statistics (``--numstat``, with rename detection) only for commits in the
range the report details. Diffing every commit of a long history is what makes ``git log``
slow; the report needs file statistics only for the windows it shows.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from tools.community_report.records import Activity, Commit, FileChange
from tools.errors import UserError

RS, US = "\x1e", "\x1f"
FORMAT = f"--format={RS}%H{US}%P{US}%aN{US}%aE{US}%at"
NOREPLY = re.compile(r"^(?:\d+\+)?(?P<login>[^@]+)@users\.noreply\.github\.com$", re.IGNORECASE)
CHUNK = 1 << 20


def identity_of(email: str) -> str:
    """A GitHub login where the email gives one away, else the lower-cased email."""
    match = NOREPLY.match(email)
    return match.group("login").lower() if match else email.lower()


def default_is_bot(name: str, email: str, identity: str) -> bool:
    return name.endswith("[bot]") or identity.endswith("[bot]")


def _git(root: Path, *args: str) -> subprocess.Popen:
    try:
        return subprocess.Popen(
            ["git", "-C", str(root), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise UserError("git is not installed or not on the PATH") from None


def check_repository(root: Path) -> None:
    if not root.exists():
        raise UserError(f"{root}: no such directory; give the path of a git repository")
    proc = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise UserError(f"{root}: not a git repository; give a path inside a git checkout")
    head = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", "HEAD"], capture_output=True
    )
    if head.returncode != 0:
        raise UserError(f"{root}: the repository has no commits yet")


def toplevel(path: Path) -> Path | None:
    """The top of the git work tree holding ``path``, or None outside one."""
    proc = subprocess.run(
        ["git", "-C", str(path), "rev-parse", "--show-toplevel"], capture_output=True, text=True
    )
    return Path(proc.stdout.strip()) if proc.returncode == 0 else None


def _records(proc: subprocess.Popen) -> Iterator[str]:
    """Yield each ``RS``-separated record of the process's output, as it streams."""
    tail = ""
    read = proc.stdout.read
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        parts = (tail + chunk.decode("utf-8", "replace")).split(RS)
        tail = parts.pop()
        yield from parts
    if tail:
        yield tail
    err = proc.stderr.read().decode("utf-8", "replace").strip()
    if proc.wait() != 0:
        raise UserError(f"git log failed: {err.splitlines()[-1] if err else 'no message'}")


def _files(body: str) -> tuple[FileChange, ...]:
    """Parse ``--numstat -z`` entries: ``A\\tD\\tpath\\0`` or ``A\\tD\\t\\0old\\0new\\0``."""
    out = []
    tokens = body.split("\0")
    i, n = 0, len(tokens)
    while i < n:
        token = tokens[i].lstrip("\n")
        i += 1
        if not token:
            continue
        added, deleted, path = token.split("\t", 2)
        if not path:  # a rename or copy: the old path, then the new one
            path = tokens[i + 1]
            i += 2
        out.append(
            FileChange(
                path,
                None if added == "-" else int(added),
                None if deleted == "-" else int(deleted),
            )
        )
    return tuple(out)


def read_commits(
    root: Path,
    detail_since: datetime | None = None,
    is_bot: Callable[[str, str, str], bool] = default_is_bot,
    until: datetime | None = None,
) -> Activity:
    """Every commit reachable from HEAD; file statistics for those authored since
    ``detail_since`` (none when it is None)."""
    check_repository(root)
    activity = Activity(source=f"git:{root.resolve()}")
    commits = activity.commits
    names = activity.names
    from_ts = datetime.fromtimestamp
    people: dict[tuple[str, str], tuple[str, bool]] = {}  # (name, email) → (identity, bot)
    append = commits.append
    proc = _git(root, "log", "--use-mailmap", FORMAT)
    for record in _records(proc):
        if not record:
            continue
        sha, parents, name, email, ts = record.split(US)  # int() ignores ts's newline
        person = people.get((name, email))
        if person is None:
            who = identity_of(email)
            person = people[(name, email)] = (who, is_bot(name, email, who))
            names.setdefault(who, name)
        append(
            Commit(sha, person[0], name, email, from_ts(int(ts), UTC), " " in parents, person[1])
        )
    if detail_since is not None:
        _add_files(root, activity, detail_since, until)
    return activity


def _add_files(root: Path, activity: Activity, since: datetime, until: datetime | None) -> None:
    """Second pass: ``--numstat`` for commits authored in [since, until)."""
    wanted = {
        c.sha: i
        for i, c in enumerate(activity.commits)
        if c.authored_at >= since and (until is None or c.authored_at < until)
    }
    if not wanted:
        return
    # Committer dates bound author dates only loosely (rebases), so ask git for a margin and
    # keep exactly the commits pass 1 selected.
    oldest = min(activity.commits[i].authored_at for i in wanted.values())
    args = ["log", "--use-mailmap", "--numstat", "-M", "-z", FORMAT]
    args.append(f"--since={int(oldest.timestamp()) - 30 * 86400}")
    proc = _git(root, *args)
    commits = activity.commits
    for record in _records(proc):
        if not record:
            continue
        header, _, body = record.partition("\0")
        sha = header.split(US, 1)[0]
        index = wanted.get(sha)
        if index is not None:
            c = commits[index]
            commits[index] = Commit(
                c.sha, c.author, c.name, c.email, c.authored_at, c.is_merge, c.is_bot, _files(body)
            )
