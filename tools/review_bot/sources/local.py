"""Facts from the local repository: the diff from the merge base to a head commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ...errors import UserError
from ...review_bot.diff import split_git_diff
from ...review_bot.facts import CommitFacts, PullRequestFacts

RS, US = "\x1e", "\x1f"


def git(root: Path, *args: str, check: bool = True) -> str:
    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotePath=false", "-C", str(root), *args],
            capture_output=True,
        )
    except FileNotFoundError:
        raise UserError("git is not installed or not on the PATH") from None
    if check and proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UserError(f"git {args[0]} failed: {err[-1] if err else 'no message'}")
    return proc.stdout.decode("utf-8", "replace")


def resolve(root: Path, ref: str, flag: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise UserError(f"{flag} {ref}: unknown revision; give a branch, tag or commit")
    return out.stdout.strip()


def default_branch(root: Path) -> str:
    """origin's HEAD if known, else the first of main, master, origin/main, origin/master."""
    head = git(root, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", check=False).strip()
    if head:
        return head.removeprefix("refs/remotes/")
    for ref in ("main", "master", "origin/main", "origin/master"):
        if git(root, "rev-parse", "--verify", "--quiet", ref, check=False).strip():
            return ref
    raise UserError(
        f"{root}: cannot tell the default branch (no origin/HEAD, main or master); give --base REF"
    )


def read(root: Path, base: str | None = None, head: str = "HEAD") -> PullRequestFacts:
    if (
        not root.is_dir()
        or not git(root, "rev-parse", "--is-inside-work-tree", check=False).strip()
    ):
        raise UserError(f"{root}: not a git repository; run review-bot inside a git checkout")
    head_sha = resolve(root, head, "--head")
    base_ref = base or default_branch(root)
    base_tip = resolve(root, base_ref, "--base")
    base_sha = git(root, "merge-base", base_tip, head_sha, check=False).strip()
    if not base_sha:
        raise UserError(f"--base {base_ref}: shares no history with {head}")
    diff = git(root, "diff", "-M", "--no-color", "--no-ext-diff", "-U3", base_sha, head_sha)
    files = split_git_diff(diff)
    sizes = (
        git(root, "ls-tree", "-r", "-l", head_sha, "--", *[f.path for f in files]) if files else ""
    )
    size_of = {}
    for line in sizes.splitlines():
        meta, _, path = line.partition("\t")
        parts = meta.split()
        if len(parts) >= 4 and parts[3].isdigit():
            size_of[path] = int(parts[3])
    files = [
        f if f.status == "removed" else type(f)(**{**f.__dict__, "size": size_of.get(f.path)})
        for f in files
    ]
    log = git(root, "log", f"--format={RS}%H{US}%aN{US}%aE{US}%B", f"{base_sha}..{head_sha}")
    commits = []
    for record in log.split(RS)[1:]:
        sha, name, email, message = record.split(US, 3)
        commits.append(CommitFacts(sha, name, email, message.strip()))
    author = commits[-1].author_email if commits else ""
    return PullRequestFacts(
        repository="local",
        number=0,
        title=None,
        body=None,
        author=author,
        author_association="NONE",
        base_sha=base_sha,
        head_sha=head_sha,
        commits=commits,
        files=files,
    )
