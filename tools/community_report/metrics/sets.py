"""Several repositories read as one project: their records joined so that the one-window
report reads the whole set. A contributor is one identity across the set (the identity rules
applied to every repository's addresses at once); each issue, pull request, comment and review
keeps its repository, so items with the same number in two repositories stay two items; each
file path is prefixed with its repository, so areas and hotspots stay apart."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ...community_report.identities import identity_of, unify
from ...community_report.records import Activity, BlameLines, Commit

PREFIX = "set:"


def short_name(source: str) -> str:
    """``github:owner/name`` → ``owner/name``; ``git:/path/to/repo`` → ``repo``."""
    kind, _, rest = source.partition(":")
    return rest if kind == "github" else rest.rstrip("/").rsplit("/", 1)[-1]


def _names(sources: list[str]) -> list[str]:
    """Each source's short name; folders of the same name keep their parent's too
    (``a/app``, ``b/app``), and any still alike a number."""
    names = [short_name(s) for s in sources]
    taken = Counter(names)
    names = [
        "/".join(s.rstrip("/").rsplit("/", 2)[-2:]) if taken[n] > 1 and s.startswith("git:")
        else n
        for s, n in zip(sources, names, strict=True)
    ]  # fmt: skip
    seen: Counter = Counter()
    out = []
    for n in names:
        seen[n] += 1
        out.append(n if seen[n] == 1 else f"{n}~{seen[n]}")
    return out


def reads_github(source: str) -> bool:
    """Whether a report's source (one repository, or a set) includes GitHub's records."""
    return any(s.startswith("github:") for s in source.removeprefix(PREFIX).split(","))


def merge(activities: list[Activity], is_bot, known_emails) -> Activity:
    """One Activity for the set (``source`` is ``set:`` and the sources, comma-separated)."""
    names = _names([a.source for a in activities])
    pairs: Counter = Counter()
    for a in activities:
        pairs.update((c.name, c.email) for c in a.commits)
        for e in a.earlier:
            pairs[(e.name, e.email)] += e.commits + e.merges
        for pair in a.identities:  # co-authors too, credited at least once
            pairs[pair] = pairs[pair] or 1
    bots = {(n, e): is_bot(n, e, identity_of(e)) for n, e in pairs}
    who, merged_identities = unify(pairs, bots, known_emails)
    out = Activity(source=PREFIX + ",".join(a.source for a in activities))
    out.identities, out.merged_identities = who, merged_identities
    shown: dict[str, Counter] = {}
    for (name, email), n in pairs.items():
        shown.setdefault(who[(name, email)], Counter())[name] += n
    out.names = {w: c.most_common(1)[0][0] for w, c in shown.items()}
    blame: list[BlameLines] = []
    for a, name in zip(activities, names, strict=True):
        # the repository's own identities, as the set knows them
        again = {w: who[pair] for pair, w in a.identities.items()}
        for c in a.commits:
            author = again.get(c.author, c.author)
            files = None
            if c.files is not None:
                files = tuple(replace(f, path=f"{name}/{f.path}") for f in c.files)
            credited = (again.get(x, x) for x in c.coauthors)
            coauthors = tuple(dict.fromkeys(x for x in credited if x != author))
            out.commits.append(Commit(c.sha, author, c.name, c.email, c.authored_at,
                                      c.is_merge, c.is_bot, files, coauthors))  # fmt: skip
        out.earlier += [replace(e, author=who[(e.name, e.email)]) for e in a.earlier]
        out.issues += [replace(i, repo=name) for i in a.issues]
        out.comments += [replace(c, repo=name) for c in a.comments]
        out.reviews += [replace(r, repo=name) for r in a.reviews]
        out.item_events += [replace(e, repo=name) for e in a.item_events]
        if a.discussions is not None:
            out.discussions = (out.discussions or []) + [
                replace(d, repo=name) for d in a.discussions
            ]
        out.requests += a.requests
        out.not_modified += a.not_modified
        out.reviews_read = out.reviews_read and a.reviews_read
        out.notes += [f"{name}: {note}" for note in a.notes]
        if a.blame is not None:
            blame += [BlameLines(f"{name}/{b.path}", again.get(b.who, b.who), b.lines)
                      for b in a.blame]  # fmt: skip
    # code ownership for the set only when every repository's blame was read
    out.blame = blame if all(a.blame is not None for a in activities) else None
    return out
