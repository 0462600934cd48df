"""Local git history as records: streamed ``git log`` passes, never a process per commit.

Pass 1 reads the whole history without diffs (identities and dates: fast, ~100k commits/s);
pass 2 reads file statistics (``--numstat``, with rename detection) only for the commits of
the window the report details, named on git's standard input. Diffing every commit of a long
history is what makes ``git log`` slow; the report needs file statistics only for the windows
it shows.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from pathlib import Path

from ...community_report.identities import identity_of, unify
from ...community_report.records import (
    Activity,
    BlameLines,
    Commit,
    EarlierCommits,
    FileChange,
    Tag,
)
from ...errors import UserError
from ...policy.globs import compile_glob, matches

# NUL separates every field: it is the one byte no name, email or path can hold.
FIELDS = 6
# the last field: Co-authored-by trailers' values ("Name <email>"), joined by \x1f
FORMAT = (
    "--format=%H%x00%P%x00%aN%x00%aE%x00%at%x00"
    "%(trailers:key=Co-authored-by,valueonly,unfold,separator=%x1f)"
)
CO_AUTHOR = re.compile(r"\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*")
NUMSTAT = re.compile(r"(\d+|-)\t(\d+|-)\t(.*)", re.DOTALL)
CHUNK = 1 << 20
ATTRIBUTES = ("linguist-vendored", "linguist-generated")
# What GitHub's Linguist treats as generated or vendored without any attribute (a subset of
# its defaults): lock files and vendor folders. Left out of lines, hotspots and ownership
# unless .gitattributes says otherwise (`uv.lock -linguist-generated`) or --keep-generated.
LINGUIST_DEFAULTS = (
    "**/uv.lock", "**/poetry.lock", "**/Pipfile.lock", "**/pdm.lock", "**/package-lock.json",
    "**/npm-shrinkwrap.json", "**/yarn.lock", "**/pnpm-lock.yaml", "**/bun.lockb",
    "**/Cargo.lock", "**/Gemfile.lock", "**/composer.lock", "**/go.sum", "**/flake.lock",
    "**/*.min.js", "**/*.min.css",
    "vendor/**", "**/vendor/**", "**/_vendor/**", "third_party/**", "**/third_party/**",
    "**/node_modules/**",
)  # fmt: skip

__all__ = ["identity_of", "read_commits"]


def default_is_bot(name: str, email: str, identity: str) -> bool:
    return name.endswith("[bot]") or identity.endswith("[bot]")


def _git(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    try:
        return subprocess.Popen(
            ["git", "-C", str(root), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.PIPE if "--stdin" in args else subprocess.DEVNULL,
            env=env,
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


def is_shallow(root: Path) -> bool:
    proc = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--is-shallow-repository"],
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip() == "true"


def _tokens(proc: subprocess.Popen) -> Iterator[str]:
    """Yield each NUL-terminated token of the process's output, as it streams."""
    tail = b""
    read = proc.stdout.read
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        parts = (tail + chunk).split(b"\0")
        tail = parts.pop()
        for part in parts:
            yield part.decode("utf-8", "replace")
    if tail:
        yield tail.decode("utf-8", "replace")
    err = proc.stderr.read().decode("utf-8", "replace").strip()
    if proc.wait() != 0:
        raise UserError(f"git log failed: {err.splitlines()[-1] if err else 'no message'}")


def _numstat(tokens: Iterator[str]) -> Iterator[tuple[str, list[FileChange]]]:
    """(sha, files) of ``git log -z --numstat --format=%H``: a header token, then entries
    ``A\tD\tpath`` or, for a rename, ``A\tD\t`` followed by the old and the new path."""
    sha: str | None = None
    files: list[FileChange] = []
    for token in tokens:
        token = token.lstrip("\n")
        if not token:
            continue
        m = NUMSTAT.fullmatch(token) if sha is not None else None
        if m is None:  # a commit's header: no tab can be in a hash
            if sha is not None:
                yield sha, files
            sha, files = token, []
            continue
        path = m.group(3)
        if not path:  # a rename or copy: the old path, then the new one
            next(tokens, None)
            path = next(tokens, "")
        files.append(
            FileChange(
                path,
                None if m.group(1) == "-" else int(m.group(1)),
                None if m.group(2) == "-" else int(m.group(2)),
            )
        )
    if sha is not None:
        yield sha, files


def head(root: Path) -> str:
    proc = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return proc.stdout.strip()


def is_ancestor(root: Path, sha: str) -> bool:
    """Whether ``sha`` is still in HEAD's history (false after a force-push rewrote it)."""
    proc = subprocess.run(
        ["git", "-C", str(root), "merge-base", "--is-ancestor", sha, "HEAD"], capture_output=True
    )
    return proc.returncode == 0


def raw_log(root: Path, after: str | None = None) -> list[tuple[str, ...]]:
    """(sha, parents, name, email, unix time, co-authors) of every commit reachable from
    HEAD, in git log's order; with ``after``, only those not reachable from that commit."""
    args = ["log", "-z", "--use-mailmap", FORMAT]
    if after is not None:
        args += ["HEAD", f"^{after}"]
    raw = []
    append = raw.append
    fields: list[str] = []
    for token in _tokens(_git(root, *args)):
        fields.append(token)
        if len(fields) == FIELDS:
            append(tuple(fields))
            fields = []
    if fields:
        raise UserError(f"{root}: git log output ended mid-commit; is the repository damaged?")
    return raw


def origin_repository(root: Path) -> str | None:
    """OWNER/REPO of the ``origin`` remote when it is on github.com."""
    url = subprocess.run(["git", "-C", str(root), "remote", "get-url", "origin"],
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    m = re.search(r"github\.com[:/]([^/\s]+)/([^/\s]+?)(?:\.git)?/?$", url)
    return f"{m.group(1)}/{m.group(2)}" if m else None


def project_name(root: Path) -> str | None:
    """The name the project gives itself in its identity.toml, if it has a valid one."""
    from ... import identity

    if not (root / identity.IDENTITY_FILE).is_file():
        return None
    try:
        return identity.load(root).name
    except UserError:
        return None


def read_commits(
    root: Path,
    detail_since: datetime | None = None,
    is_bot: Callable[[str, str, str], bool] = default_is_bot,
    until: datetime | None = None,
    known_emails: dict[str, str] | None = None,
    exclude: tuple[str, ...] = (),
    store=None,
    include: tuple[str, ...] = (),
    keep_generated: bool = False,
    summary_before: datetime | None = None,
) -> Activity:
    """Every commit reachable from HEAD; file statistics for those authored in
    [``detail_since``, ``until``) (none when it is None). ``known_emails`` (email → login,
    from the policy) joins identities; with ``include`` globs only matching paths count in
    the file statistics; ``exclude`` globs, and files marked
    ``linguist-vendored`` or ``linguist-generated`` in .gitattributes, and unless
    ``keep_generated`` the lock files and vendor folders of Linguist's defaults, are left out
    of the file statistics (commits still count). With ``summary_before``, the commits
    authored before it (but those with Co-authored-by trailers) are summarised, one
    EarlierCommits a (name, email), instead of one Commit each. With a ``store``, only
    commits it lacks are read from git, and the records are built from the store's rows (the
    summaries computed there): the same records either way."""
    check_repository(root)
    activity = Activity(source=f"git:{root.resolve()}", project=project_name(root))
    if is_shallow(root):
        activity.notes.append(
            "This is a shallow clone: only part of the history is present, so first "
            "contributions, totals and trends are wrong. Run `git fetch --unshallow` first."
        )
        print(f"warning: {root}: shallow clone; the report covers only the commits present",
              file=sys.stderr)  # fmt: skip
    before = None if summary_before is None else int(summary_before.timestamp())
    if store is None:
        raw, earlier = summarise(raw_log(root), before)
    else:
        raw, earlier = sync(root, store, activity.source, before)
    build_commits(activity, raw, is_bot, known_emails, earlier)
    activity.tags = read_tags(root)
    if detail_since is not None:
        _add_files(root, activity, detail_since, until, exclude, include, not keep_generated,
                   store)  # fmt: skip
    return activity


def read_tags(root: Path) -> list[Tag]:
    """Every tag, with its date (``creatordate``: the tagger's for an annotated tag, the
    commit's for a lightweight one), oldest first."""
    proc = _git(root, "for-each-ref", "--format=%(refname:short)%00%(creatordate:unix)",
                "refs/tags")  # fmt: skip
    out, _ = proc.communicate()
    tags = []
    for line in out.decode("utf-8", "replace").splitlines():
        name, _, stamp = line.partition("\0")
        if stamp.strip().isdigit():
            tags.append(Tag(name, datetime.fromtimestamp(int(stamp), UTC)))
    return sorted(tags, key=lambda t: (t.created_at, t.name))


def mailmap_digest(root: Path) -> str:
    """What git's author mapping is made of here — the working tree's ``.mailmap`` (a bare
    repository's ``HEAD:.mailmap``) and the ``mailmap.file`` / ``mailmap.blob`` settings,
    with what they name — as a short digest: the store's rows were mapped with it."""
    h = hashlib.sha256()
    local = root / ".mailmap"
    if local.is_file():
        h.update(b"file\0" + local.read_bytes())
    else:
        blob = subprocess.run(["git", "-C", str(root), "rev-parse", "-q", "--verify",
                               "HEAD:.mailmap"], capture_output=True, text=True).stdout  # fmt: skip
        h.update(b"blob\0" + blob.strip().encode())
    config = subprocess.run(["git", "-C", str(root), "config", "--get-regexp", r"^mailmap\."],
                            capture_output=True, text=True).stdout  # fmt: skip
    h.update(b"\0config\0" + config.encode())
    for line in config.splitlines():
        key, _, value = line.partition(" ")
        if key == "mailmap.file" and Path(value).expanduser().is_file():
            h.update(Path(value).expanduser().read_bytes())
    return h.hexdigest()[:16]


def sync(root: Path, store, repo: str, before: int | None = None) -> tuple[list, list]:
    """Add to the store the commits after its stored head (all of them the first time, when
    the history was rewritten, or when the author mapping changed: rows are stored mapped
    by ``.mailmap``, so a store run always gives a direct run's figures), then return the
    repository's rows from the store, as ``summarise`` splits them at ``before``."""
    state = f"{head(root)} mailmap:{mailmap_digest(root)}"
    stored = store.head(repo)
    if stored != state:
        tip, _, mapping = (stored or "").partition(" mailmap:")
        if mapping and mapping == state.partition(" mailmap:")[2] and is_ancestor(root, tip):
            store.add_commits(repo, raw_log(root, after=tip), state)
        else:
            store.add_commits(repo, raw_log(root), state, replace=True)
    return store.raw_commits(repo, before), store.earlier_commits(repo, before)


def summarise(raw: list[tuple], before: int | None) -> tuple[list[tuple], list[tuple]]:
    """Split git log rows at ``before`` (unix seconds): the rows to keep one a commit (authored
    at or after it, or carrying Co-authored-by trailers), in their order, and for the rest
    one row a (name, email): (name, email, non-merge commits, first and last of them or
    None, merges, last commit of any kind), the last commit newest first, then by name and
    email. The store computes the same split in SQL (Store.raw_commits, earlier_commits)."""
    if before is None:
        return raw, []
    kept: list[tuple] = []
    acc: dict[tuple[str, str], list] = {}
    for row in raw:
        ts = int(row[4])
        if ts >= before or row[5]:
            kept.append(row)
            continue
        a = acc.get((row[2], row[3]))
        if a is None:
            a = acc[(row[2], row[3])] = [0, None, None, 0, ts]
        if " " in row[1]:
            a[3] += 1
        else:
            a[0] += 1
            a[1] = ts if a[1] is None or ts < a[1] else a[1]
            a[2] = ts if a[2] is None or ts > a[2] else a[2]
        a[4] = max(a[4], ts)
    earlier = [(name, email, *a) for (name, email), a in acc.items()]
    earlier.sort(key=lambda e: (-e[6], e[0], e[1]))
    return kept, earlier


# More Co-authored-by trailers than this on one commit is no pairing session: a mistake, or
# an attempt to be counted. Such a commit credits none of them (the report says so).
MAX_COAUTHORS = 10


def co_authors(field: str) -> list[tuple[str, str]]:
    """(name, email) of each well-formed ``Co-authored-by`` value of a commit."""
    out = []
    for value in field.split("\x1f") if field else ():
        m = CO_AUTHOR.fullmatch(value)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def build_commits(activity: Activity, raw: list[tuple], is_bot, known_emails,
                  earlier: list[tuple] = ()) -> None:  # fmt: skip
    """Commit records from git log rows, and EarlierCommits from ``summarise``'s summaries:
    identities joined over the whole history, authors and co-authors alike."""
    credited = [co_authors(row[5]) if row[5] else () for row in raw]  # most rows have none

    def people(trailers) -> int:
        return len({email.lower() for _, email in trailers})

    crowded = [c for c in credited if people(c) > MAX_COAUTHORS]
    if crowded:
        activity.notes.append(
            f"{len(crowded)} commit{'s' if len(crowded) != 1 else ''} carr"
            f"{'y' if len(crowded) != 1 else 'ies'} more than {MAX_COAUTHORS} Co-authored-by "
            f"trailers (at most {max(map(people, crowded))}): their trailers credit nobody."
        )
        credited = [() if people(c) > MAX_COAUTHORS else c for c in credited]
    pairs = Counter(map(itemgetter(2, 3), raw))  # (name, email)
    pairs.update(pair for pairs_of in credited for pair in pairs_of)
    for name, email, commits, _, _, merges, _ in earlier:
        pairs[(name, email)] += commits + merges
    bots = {}
    for name, email in pairs:
        bots[(name, email)] = is_bot(name, email, identity_of(email))
    who, activity.merged_identities = unify(pairs, bots, known_emails)
    activity.identities = who
    names: dict[str, Counter] = {}
    for (name, email), n in pairs.items():
        names.setdefault(who[(name, email)], Counter())[name] += n
    activity.names = {w: c.most_common(1)[0][0] for w, c in names.items()}
    # the loop below runs once a commit (100,000 on a large history): one lookup a row
    author_of = {key: (who[key], bots[key]) for key in pairs}
    from_ts = datetime.fromtimestamp
    append = activity.commits.append
    for (sha, parents, name, email, ts, _), extra in zip(raw, credited, strict=True):
        author, bot = author_of[(name, email)]
        commit = Commit(sha, author, name, email, from_ts(int(ts), UTC), " " in parents, bot)
        if extra:
            commit.coauthors = tuple(
                dict.fromkeys(who[p] for p in extra if not bots[p] and who[p] != author)
            )
        append(commit)

    def when(ts: int | None) -> datetime | None:
        return None if ts is None else from_ts(ts, UTC)

    activity.earlier = []
    for name, email, commits, first, last, merges, latest in earlier:
        pair = (name, email)
        summary = EarlierCommits(who[pair], name, email, bots[pair], commits, when(first),
                                 when(last), merges, when(latest))  # fmt: skip
        activity.earlier.append(summary)


def _excluded(root: Path, paths: set[str], exclude: tuple[str, ...],
              include: tuple[str, ...] = (), defaults: bool = True) -> set[str]:  # fmt: skip
    """Paths matched by none of ``include`` (when given) or by ``exclude``, or marked vendored
    or generated in .gitattributes, or — with ``defaults`` and no attribute saying otherwise —
    generated or vendored by Linguist's defaults (LINGUIST_DEFAULTS)."""
    out = {
        p
        for p in paths
        if (include and not any(matches(g, p) for g in include))
        or any(matches(g, p) for g in exclude)
    }
    rest = sorted(paths - out)
    if not rest:
        return out
    proc = _git(root, "check-attr", "-z", "--stdin", *ATTRIBUTES)
    stdout, _ = proc.communicate("".join(f"{p}\0" for p in rest).encode())
    parts = stdout.decode("utf-8", "replace").split("\0")
    said: dict[str, set[str]] = {}
    for i in range(0, len(parts) - 2, 3):
        path, _attr, value = parts[i : i + 3]
        said.setdefault(path, set()).add(value)
    for path, values in said.items():
        marked = bool(values & {"set", "true"})  # an attribute says generated or vendored
        unsaid = values == {"unspecified"}  # no attribute either way: Linguist's defaults
        if marked or (defaults and unsaid and any_default(path)):
            out.add(path)
    return out


def any_default(path: str) -> bool:
    return _defaults_pattern().match(path) is not None


@lru_cache(maxsize=1)
def _defaults_pattern() -> re.Pattern[str]:
    """LINGUIST_DEFAULTS as one pattern: a path is matched once, not once a glob."""
    return re.compile("|".join(f"(?:{compile_glob(g).pattern})" for g in LINGUIST_DEFAULTS))


def numstat(root: Path, shas: list[str]) -> dict[str, list[FileChange]]:
    """Each commit's file statistics (``--numstat``, renames detected), the commits named on
    git's standard input: only they are diffed, however far from HEAD they lie."""
    import threading

    proc = _git(root, "log", "-z", "--numstat", "-M", "--format=%H", "--no-walk=unsorted",
                "--stdin")  # fmt: skip

    def feed() -> None:
        try:
            proc.stdin.write("".join(f"{sha}\n" for sha in shas).encode())
            proc.stdin.close()
        except BrokenPipeError:  # git stopped early: its error is read from stderr
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    found = dict(_numstat(_tokens(proc)))
    writer.join()
    return found


def _add_files(root: Path, activity: Activity, since: datetime, until: datetime | None,
               exclude: tuple[str, ...] = (), include: tuple[str, ...] = (),
               defaults: bool = True, store=None) -> None:  # fmt: skip
    """Second pass: ``--numstat`` for commits authored in [since, until). With a ``store``,
    the commits it has the statistics of are not diffed again, and those diffed now are kept
    there."""
    wanted = {
        c.sha: i
        for i, c in enumerate(activity.commits)
        if c.authored_at >= since and (until is None or c.authored_at < until)
    }
    if not wanted:
        return
    commits = activity.commits
    by_sha: dict[str, list[FileChange]] = {}
    if store is not None:
        kept = store.changes_of(activity.source, list(wanted))
        by_sha = {sha: [FileChange(*row) for row in rows] for sha, rows in kept.items()}
    missing = [sha for sha in wanted if sha not in by_sha]
    if missing:
        fresh = numstat(root, missing)
        fresh.update((sha, []) for sha in missing if sha not in fresh)
        if store is not None:
            store.put_changes(activity.source, fresh)
        by_sha.update(fresh)
    found = {wanted[sha]: files for sha, files in by_sha.items()}
    paths = {f.path for files in found.values() for f in files}
    dropped = _excluded(root, paths, exclude, include, defaults)
    if dropped:
        by_default = sorted(p for p in dropped if defaults and any_default(p))
        example = f", e.g. {by_default[0]}" if by_default else ""
        activity.notes.append(
            f"{len(dropped):,} files left out of the line counts, hotspots and ownership "
            "(vendored or generated in .gitattributes, or outside --include or inside "
            f"--exclude; {len(by_default):,} of them lock files or vendored code by GitHub "
            f"Linguist's defaults{example}: --keep-generated keeps them). Commits still count."
        )
    for index, files in found.items():  # the source's own records: completed in place
        commits[index].files = tuple(f for f in files if f.path not in dropped)


def sizes_at(root: Path, ends: list[datetime], exclude: tuple[str, ...] = (),
             include: tuple[str, ...] = (), defaults: bool = True, store=None,
             repo: str = "") -> dict[datetime, tuple[int, int]]:  # fmt: skip
    """The code as it stood at each moment of ``ends``: (files, lines of its text files) at
    the last commit before it on HEAD's first-parent line (by commit time), the same files
    left out as in the line counts; moments before the first commit are absent. One
    ``git grep -c`` a snapshot; with a ``store``, each commit's figures are kept."""
    import bisect

    proc = _git(root, "log", "--first-parent", "--format=%ct %H", "HEAD")
    out, _ = proc.communicate()
    line = sorted((int(t), sha) for t, sha in (r.split() for r in out.decode().splitlines()))
    times = [t for t, _ in line]
    picked = {}
    for end in ends:
        k = bisect.bisect_left(times, int(end.timestamp()))
        if k:
            picked[end] = line[k - 1][1]
    options = " ".join([*(f"+{g}" for g in include), *(f"-{g}" for g in exclude),
                        "linguist" if defaults else "all"])  # fmt: skip
    known = store.sizes_of(repo, options) if store is not None else {}
    fresh = {}
    for sha in dict.fromkeys(picked.values()):
        if sha in known:
            continue
        listed, _ = _git(root, "ls-tree", "-r", "-z", "--name-only", sha).communicate()
        paths = {p for p in listed.decode("utf-8", "replace").split("\0") if p}
        dropped = _excluded(root, paths, exclude, include, defaults)
        counted, _ = _git(root, "grep", "-I", "-c", "-z", "", sha, "--").communicate()
        lines = 0
        for row in counted.decode("utf-8", "replace").splitlines():
            where, _, n = row.rpartition("\0")
            if where.partition(":")[2] not in dropped and n.isdigit():
                lines += int(n)
        fresh[sha] = (len(paths - dropped), lines)
    if store is not None and fresh:
        store.put_sizes(repo, options, fresh)
    known.update(fresh)
    return {end: known[sha] for end, sha in picked.items()}


EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"  # git's well-known empty tree


def _path_filters(root: Path, folder: Path) -> dict[str, str] | None:
    """The environment for git to run with a commit graph that has changed-path Bloom
    filters, written into ``folder`` (never into the repository: git is pointed at
    ``folder`` for new objects and at the repository's own objects as an alternate). With
    it, each ``git blame`` skips the commits that did not touch its file without opening
    their trees. None (plain git) when git cannot write one (before 2.27, or a shallow
    clone)."""
    import os

    proc = _git(root, "rev-parse", "--git-path", "objects")
    out, _ = proc.communicate()
    if proc.returncode != 0:
        return None
    objects = root / out.decode().strip()  # relative to root, or absolute
    for sub in ("info", "pack"):
        (folder / sub).mkdir(exist_ok=True)
    others = os.environ.get("GIT_ALTERNATE_OBJECT_DIRECTORIES")
    env = dict(
        os.environ,
        GIT_OBJECT_DIRECTORY=str(folder),
        GIT_ALTERNATE_OBJECT_DIRECTORIES=os.pathsep.join(
            [str(objects.resolve()), *([others] if others else [])]
        ),
    )
    write = _git(root, "commit-graph", "write", "--reachable", "--changed-paths", env=env)
    write.communicate()
    return env if write.returncode == 0 else None


GRAPH_FROM = 16  # files to blame above which a commit graph with path filters is written
IGNORE_REVS = ".git-blame-ignore-revs"  # GitHub's convention: commits blame looks through


def blame_flags(
    root: Path,
    whitespace: bool = False,
    moves: bool = False,
    copies: bool = False,
    ignore_revs: bool = True,
) -> tuple[list[str], str | None]:
    """``git blame``'s options for the choices (git-fame's ``-w``, ``-M``, ``-C``), and the
    ignore-revs file when the repository has one and it is wanted: (flags, a note)."""
    flags = [f for f, on in (("-w", whitespace), ("-M", moves), ("-C", copies)) if on]
    note = None
    if ignore_revs and (root / IGNORE_REVS).is_file():
        flags += ["--ignore-revs-file", str((root / IGNORE_REVS).resolve())]
        note = (f"Blame looks through the commits listed in {IGNORE_REVS} (formatting "
                "changes, as GitHub's blame does); --no-ignore-revs counts them.")  # fmt: skip
    return flags, note


def blame_key(flags: tuple[str, ...], mapping: str) -> str:
    """What a blame's figures depend on besides the history: its options, the content of the
    ignore-revs file it reads, and the author mapping (``mailmap_digest``). Blame kept in the
    store under another key is not used."""
    words, rest = [], iter(flags)
    for flag in rest:
        if flag == "--ignore-revs-file":
            listed = Path(next(rest, ""))
            content = listed.read_bytes() if listed.is_file() else b""
            words.append("ignore-revs:" + hashlib.sha256(content).hexdigest()[:16])
        else:
            words.append(flag)
    return " ".join([*words, f"mailmap:{mapping}"])


def changed_paths(root: Path, old: str, new: str = "HEAD") -> set[str]:
    """The paths a file was added, changed or removed at between two commits."""
    proc = _git(root, "diff", "--name-only", "-z", "--no-renames", old, new)
    out, _ = proc.communicate()
    return {p for p in out.decode("utf-8", "replace").split("\0") if p}


def read_blame(root: Path, activity: Activity, exclude: tuple[str, ...] = (),
               include: tuple[str, ...] = (), jobs: int | None = None,
               keep_generated: bool = False, flags: tuple[str, ...] = (),
               store=None) -> None:  # fmt: skip
    """Who last changed each line of the code as it stands at HEAD: ``git blame --porcelain``
    per text file (one process a file, run on every core, with the path filters of
    ``_path_filters``; ``flags`` from :func:`blame_flags`), the same files left out as in the
    line counts. Sets ``activity.blame``; authors are joined into identities as the commits'
    are. With a ``store``, the blame kept at an earlier head (same options) is reused for the
    files no commit since has touched, and what is blamed now is kept."""
    import os
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    sizes: dict[str, int] = {}
    tokens = _tokens(_git(root, "diff", "-z", "--numstat", "--no-renames", EMPTY_TREE, "HEAD"))
    for token in tokens:
        m = NUMSTAT.fullmatch(token.lstrip("\n"))
        if m and m.group(1) != "-" and int(m.group(1)) > 0:  # text files with lines
            sizes[m.group(3)] = int(m.group(1))
    dropped = _excluded(root, set(sizes), exclude, include, not keep_generated)
    paths = sorted(p for p in sizes if p not in dropped)

    def one(path: str) -> list[tuple[str, str, int]]:
        proc = _git(root, "blame", "--porcelain", *flags, "HEAD", "--", path, env=env)
        out, _ = proc.communicate()
        if proc.returncode != 0:
            return []
        lines: Counter = Counter()
        author: dict[str, list[str]] = {}
        sha = None
        for line in out.decode("utf-8", "replace").split("\n"):
            if not line or line[0] == "\t":
                continue
            parts = line.split(" ")
            if len(parts[0]) == 40 and len(parts) >= 3 and parts[1].isdigit():
                sha = parts[0]
                if len(parts) == 4:  # a group's first line: how many lines the group holds
                    lines[sha] += int(parts[3])
                author.setdefault(sha, ["", ""])
            elif sha and line.startswith("author "):
                author[sha][0] = line[7:]
            elif sha and line.startswith("author-mail "):
                author[sha][1] = line[12:].strip("<>")
        by_pair: Counter = Counter()
        for commit, n in lines.items():
            by_pair[tuple(author[commit])] += n
        return [(name, email, n) for (name, email), n in by_pair.items()]

    kept: dict[str, list[tuple]] = {}
    changed: set[str] | None = None  # None: nothing kept can be used
    if store is not None:
        # the head and author mapping the commits' sync just recorded (read afresh without it)
        state = store.head(activity.source) or f"{head(root)} mailmap:{mailmap_digest(root)}"
        tip, _, mapping = state.partition(" mailmap:")
        options = blame_key(flags, mapping)
        stored_head, stored = store.blame_of(activity.source, options)
        if stored_head == tip:
            changed = set()
        elif stored_head is not None and is_ancestor(root, stored_head):
            changed = changed_paths(root, stored_head)
        if changed is not None:
            kept = {p: stored[p] for p in paths if p in stored and p not in changed}
    todo = [p for p in paths if p not in kept]
    results: list = []
    if todo:
        with tempfile.TemporaryDirectory(prefix="community-report-graph-") as graph:
            # writing the graph costs about what a dozen blames gain from it: a re-run that
            # blames a few changed files goes without
            env = _path_filters(root, Path(graph)) if len(todo) > GRAPH_FROM else None
            with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
                results = list(pool.map(one, todo))
    fresh = dict(zip(todo, results, strict=True))
    if store is not None:
        store.put_blame(activity.source, options, tip, fresh, drop=changed or (),
                        replace=changed is None)  # fmt: skip
    out = []
    who = activity.identities
    for path in paths:
        for name, email, n in kept[path] if path in kept else fresh[path]:
            out.append(BlameLines(path, who.get((name, email)) or identity_of(email), n))
    activity.blame = out
    if dropped:
        activity.notes.append(
            f"Blame: {len(dropped):,} files at HEAD left out (vendored, generated, or outside "
            "--include / inside --exclude)."
        )
