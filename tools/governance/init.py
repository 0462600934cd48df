"""``governance init``: a starting policy for a repository that already exists.

Source → records → draft → text, like every tool here:

- ``read_local`` (git: files, CODEOWNERS, history, blame, workflow check names) and
  ``read_github`` (labels, settings, the default branch's protection) do the I/O;
- ``draft`` is a pure function of those records: areas imported from CODEOWNERS (its
  meaning checked file by file against what ``governance sync`` would write) or taken from the
  top-level layout, people proposed per area with their evidence, bots, GitHub's settings;
- ``render`` writes the draft as commented YAML.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..community_report.records import Activity, Commit
from ..github.client import Forbidden, GitHubClient
from ..governance import codeowners as owners
from ..governance.generate import codeowners as generated_codeowners
from ..policy.globs import matches
from ..policy.model import Policy

DAYS = 365  # the history the proposals weigh
END_OF_TIME = datetime.max.replace(tzinfo=UTC)
PROPOSALS = 3  # people proposed per area at most
MIN_COMMITS = 2  # in the window: one commit proposes nobody
CODE = re.compile(r"\.(?:py|pyx|js|jsx|ts|tsx|go|rs|c|cc|cpp|h|hpp|java|kt|scala|rb|php|cs|swift|"
                  r"m|jl|r|R|sh|lua|zig)$")  # fmt: skip
TEST_DIRS = ("tests", "test", "testing")
CHANGELOGS = ("CHANGELOG.md", "CHANGELOG.rst", "CHANGES.md", "CHANGES.rst", "NEWS.md", "NEWS.rst",
              "HISTORY.md", "HISTORY.rst")  # fmt: skip


# --- records ---------------------------------------------------------------------------------


@dataclass
class Local:
    """What the repository holds."""

    files: list[str]
    codeowners: tuple[str, str] | None  # (where, text) of the file GitHub reads
    activity: Activity  # every commit; files and blame for the weighed window
    head: date | None  # HEAD's commit day: the proposals' window ends there
    days: int
    check_names: list[str]  # what the workflows (and the review bot) report as checks


@dataclass
class Remote:
    """What GitHub has for the repository (``governance apply`` manages the same)."""

    repository: str
    branch: str
    settings: dict[str, bool]
    labels: list[dict]
    approvals: int | None = None  # required approvals on the default branch
    code_owner_review: bool | None = None
    dismiss_stale: bool | None = None
    checks: list[str] = field(default_factory=list)
    force_pushes_blocked: bool | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    who: str  # a GitHub login, or an email address when the history gives none
    name: str
    commits: int  # touching the area, in the window
    lines: int  # of the area at HEAD, last changed by them (git blame)
    last: date | None
    first: date  # their first commit in the repository


@dataclass
class Draft:
    areas: dict[str, dict]  # name → the policy's area mapping, in order
    origin: dict[str, str]  # name → where the area came from
    people: list[dict]  # CODEOWNERS's users, as the policy's people
    proposals: dict[str, list[Evidence]]  # area → the people its history points at
    order: str  # codeowners_order
    bots: list[str]
    review: dict
    repository: dict | None
    labels: list[dict]
    notes: list[str]
    differences: list[str]  # files whose CODEOWNERS owners the policy could not keep
    source: str  # what the areas were made from, in words
    window: tuple[date, date] | None
    logins: dict[str, str] = field(default_factory=dict)  # address → login, from GitHub


# --- sources ---------------------------------------------------------------------------------


def read_local(root: Path, days: int = DAYS, blame: bool = True) -> Local:
    from ..community_report.sources import git as git_source
    from ..governance.check import repository_files
    from ..governance.workflows import check_names
    from ..review_bot.findings import APPROVALS_NAME, CHECK_NAME

    git_source.check_repository(root)
    files = repository_files(root)
    found = next((p for p in owners.LOCATIONS if (root / p).is_file()), None)
    text = (root / found).read_text(encoding="utf-8", errors="replace") if found else None
    stamp = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    if stamp:
        end = datetime.fromtimestamp(int(stamp), UTC)
        activity = git_source.read_commits(root, detail_since=end - timedelta(days=days))
        if blame:
            git_source.read_blame(root, activity)
    else:  # no commit yet
        end, activity = None, Activity(source=f"git:{root}")
    return Local(
        files=files,
        codeowners=(found, text) if found else None,
        activity=activity,
        head=end.date() if end else None,
        days=days,
        check_names=[*check_names(root), CHECK_NAME, APPROVALS_NAME],
    )


def read_github(client: GitHubClient, repo: str) -> Remote:
    """Five to seven requests: the repository, its labels, private reporting, and the
    default branch's classic protection and the rules its rulesets apply."""
    from ..governance.apply import PRIVATE_REPORTING, SETTINGS, read_labels

    data = client.get(client.url(f"repos/{repo}"), repo).data
    settings = {k: bool(data.get(k)) for k in SETTINGS}
    labels = list(read_labels(client, repo).values())
    remote = Remote(repo, data.get("default_branch") or "main", settings, labels)
    admin = "Administration: read (a repository admin's token)"
    try:
        reporting = client.get(
            client.url(f"repos/{repo}/private-vulnerability-reporting"), repo, missing_ok=True
        ).data
        remote.settings[PRIVATE_REPORTING] = bool((reporting or {}).get("enabled"))
    except Forbidden:
        remote.notes.append(f"private vulnerability reporting: not readable; needs {admin}")
    branch = remote.branch
    try:
        classic = client.get(client.url(f"repos/{repo}/branches/{branch}/protection"), repo,
                             missing_ok=True).data  # fmt: skip
    except Forbidden:
        classic = None
        remote.notes.append(f"branch protection of {branch}: not readable; needs {admin}")
    rules = client.get(client.url(f"repos/{repo}/rules/branches/{branch}"), repo,
                       missing_ok=True).data or []  # fmt: skip
    _protection(remote, classic or {}, rules)
    return remote


def unknown_logins(d: Draft, activity: Activity) -> dict[str, str]:
    """The proposed people git knows only by address, each with their newest commit: the
    commits GitHub can name a login for."""
    wanted = {e.who for ranked in d.proposals.values() for e in ranked if "@" in e.who}
    newest: dict[str, Commit] = {}
    for c in activity.commits:
        if c.author in wanted and (c.author not in newest
                                   or c.authored_at > newest[c.author].authored_at):  # fmt: skip
            newest[c.author] = c
    return {who: c.sha for who, c in newest.items()}


def read_logins(client: GitHubClient, repo: str, commits: dict[str, str]) -> dict[str, str]:
    """address → GitHub login, from the author GitHub links to each commit (one request a
    person); a commit GitHub links to no account gives none."""
    out = {}
    for who, sha in sorted(commits.items()):
        data = client.get(client.url(f"repos/{repo}/commits/{sha}"), repo, missing_ok=True).data
        login = ((data or {}).get("author") or {}).get("login")
        if login:
            out[who] = login
    return out


def _protection(remote: Remote, classic: dict, rules: list[dict]) -> None:
    """Both ways GitHub protects a branch, joined: the stricter of the two wins."""
    reviews = classic.get("required_pull_request_reviews")
    approvals, code_owner, stale = [], [], []
    if isinstance(reviews, dict):
        approvals.append(int(reviews.get("required_approving_review_count") or 0))
        code_owner.append(bool(reviews.get("require_code_owner_reviews")))
        stale.append(bool(reviews.get("dismiss_stale_reviews")))
    status = classic.get("required_status_checks")
    checks = []
    if isinstance(status, dict):
        checks += [c.get("context") for c in status.get("checks") or []]
        checks += list(status.get("contexts") or [])
    force = []
    if classic:
        force.append(not bool((classic.get("allow_force_pushes") or {}).get("enabled")))
    for rule in rules if isinstance(rules, list) else []:
        params = rule.get("parameters") or {}
        if rule.get("type") == "pull_request":
            approvals.append(int(params.get("required_approving_review_count") or 0))
            code_owner.append(bool(params.get("require_code_owner_review")))
            stale.append(bool(params.get("dismiss_stale_reviews_on_push")))
        elif rule.get("type") == "required_status_checks":
            checks += [c.get("context") for c in params.get("required_status_checks") or []]
        elif rule.get("type") == "non_fast_forward":
            force.append(True)
    remote.approvals = max(approvals) if approvals else None
    remote.code_owner_review = any(code_owner) if code_owner else None
    remote.dismiss_stale = any(stale) if stale else None
    remote.checks = list(dict.fromkeys(c for c in checks if c))
    remote.force_pushes_blocked = any(force) if force else None


# --- the draft (pure) ------------------------------------------------------------------------


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:40].strip("-") or "all"


def _unique(name: str, taken: dict) -> str:
    out, n = name, 2
    while out in taken:
        out, n = f"{name}-{n}", n + 1
    return out


def from_layout(files: list[str]) -> tuple[dict[str, dict], dict[str, str]]:
    """One area per top-level folder, and one for the files at the top."""
    folders = sorted({f.split("/", 1)[0] for f in files if "/" in f})
    areas: dict[str, dict] = {}
    origin: dict[str, str] = {}
    for folder in folders:
        name = _unique(_slug(folder), areas)
        areas[name] = {"description": f"Everything under {folder}/", "paths": [f"{folder}/**"]}
        origin[name] = f"the folder {folder}/"
    if any("/" not in f for f in files):
        name = _unique("top-level", areas)
        areas[name] = {"description": "The files at the top of the repository", "paths": ["*"]}
        origin[name] = "the files at the top"
    return areas, origin


def _owner_key(rule: owners.Rule) -> tuple[str, ...]:
    return tuple(dict.fromkeys(o.lower() for o in rule.owners if not owners.EMAIL.match(o)))


def _groups(live: list, by_runs: bool) -> list[tuple[tuple[str, ...], list]]:
    """Lines with the same owners: all together, or only where they follow each other."""
    out: list[tuple[tuple[str, ...], list]] = []
    for rule, globs in live:
        key = tuple(sorted(_owner_key(rule)))
        same = [g for g in out if g[0] == key]
        if by_runs and out and out[-1][0] == key:
            out[-1][1].append((rule, globs))
        elif not by_runs and same:
            same[0][1].append((rule, globs))
        else:
            out.append((key, [(rule, globs)]))
    return out


def _import(where: str, live: list, by_runs: bool, spelled: dict[str, str]):
    areas: dict[str, dict] = {}
    origin: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for key, items in _groups(live, by_runs):
        first = items[0][0]
        teams_only = [spelled[o][1:] for o in key if "/" in o]
        if not key:  # lines that name nobody
            base = "unowned"
        elif len(key) == 1 and teams_only:  # one team's lines: named after the team
            base = _slug(teams_only[0].split("/", 1)[1])
        else:
            base = _slug(first.pattern.replace("*", " "))
        name = _unique(base, areas)
        paths = list(dict.fromkeys(g for _, globs in items for g in globs))
        lines = ", ".join(str(r.line) for r, _ in items)
        area: dict = {"description": f"Imported from {where}, line{'s' if len(items) > 1 else ''} "
                      f"{lines}", "paths": paths}  # fmt: skip
        teams = [spelled[o][1:] for o in key if "/" in o]
        if teams:
            area["teams"] = teams
        if not key:
            area["unowned"] = True
        areas[name] = area
        origin[name] = "; ".join(
            f"line {r.line}: {r.pattern} {' '.join(r.owners)}".strip() for r, _ in items[:3]
        ) + (" …" if len(items) > 3 else "")
        for o in key:
            if "/" not in o:
                members.setdefault(spelled[o][1:], []).append(name)
    return areas, origin, members


def from_codeowners(where: str, text: str, files: list[str], notes: list[str]):
    """Areas that give every file of the tree the owners CODEOWNERS gives it: lines with the
    same owners joined into one area, in the policy's usual order; where that order changes
    an answer, consecutive lines only, in the file's order (``codeowners_order:
    as-written``). Returns (areas, origin, members, order, differences)."""
    rules, problems = owners.parse(text)
    notes += [f"{where}:{p.line}: {p.message}" for p in problems]
    last = {r.pattern: r for r in rules}  # a later line of the same pattern wins everywhere
    live = []
    for rule in rules:
        if last[rule.pattern] is not rule:
            notes.append(f"{where}:{rule.line}: {rule.pattern!r} is repeated later; left out")
            continue
        globs = [g for g in owners.to_globs(rule.pattern) if any(matches(g, f) for f in files)]
        if not globs:
            notes.append(f"{where}:{rule.line}: {rule.pattern!r} owns no file today; left out")
            continue
        mails = [o for o in rule.owners if owners.EMAIL.match(o)]
        if mails:
            notes.append(f"{where}:{rule.line}: {mails[0]}: the policy names owners by GitHub "
                         "login or team, not by email; left out")  # fmt: skip
        live.append((rule, globs))
    spelled = {o.lower(): o for rule, _ in live for o in rule.owners}
    result = None
    for order, by_runs in (("specific-last", False), ("as-written", True)):
        areas, origin, members = _import(where, live, by_runs, spelled)
        people = [_person(login, areas_, None, None) for login, areas_ in members.items()]
        policy = Policy.model_validate({"version": 1, "people": people, "areas": areas,
                                        "codeowners_order": order})  # fmt: skip
        after, _ = owners.parse(generated_codeowners(policy))
        diffs = owners.differences(rules, after, files)
        result = (areas, origin, members, order, diffs)
        if not diffs:
            break
    return result


def _person(login: str, areas: list[str], name: str | None, since: date | None) -> dict:
    day = (since or date(2000, 1, 1)).isoformat()
    return {"login": login, "name": name or login, "roles": ["reviewer"],
            "areas": list(dict.fromkeys(areas)), "since": day}  # fmt: skip


def first_commits(activity: Activity) -> dict[str, date]:
    """identity → the day of their first commit (bots left out)."""
    from ..community_report.metrics.contributors import first_and_last

    commits = [(c.author, c.authored_at) for c in activity.commits if not c.is_bot]
    return {who: span[0].date() for who, span in first_and_last(commits, END_OF_TIME).items()}


def propose(
    policy: Policy, activity: Activity, first: dict[str, date], limit: int = PROPOSALS
) -> dict[str, list[Evidence]]:
    """Per area, the people its recent history points at: most commits touching it in the
    window (at least MIN_COMMITS), then most of its lines at HEAD (blame); bots never."""
    from ..community_report.metrics.ownership import area_of

    bots = {c.author for c in activity.commits if c.is_bot}
    areas_of = area_of(policy)  # the policy's own rule, cached per path
    stats: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [0, 0, None]))
    for c in activity.commits:
        if c.is_bot or c.files is None:
            continue
        for area in {a for f in c.files for a in areas_of(f.path)}:
            row = stats[area][c.author]
            row[0] += 1
            day = c.authored_at.date()
            row[2] = day if row[2] is None or day > row[2] else row[2]
    for b in activity.blame or ():
        if b.who in bots:
            continue
        for area in areas_of(b.path):
            stats[area][b.who][1] += b.lines
    out = {}
    for area in policy.areas:
        ranked = sorted(stats.get(area, {}).items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
        out[area] = [
            Evidence(who, activity.names.get(who, who), n, lines, last, first[who])
            for who, (n, lines, last) in ranked if n >= MIN_COMMITS
        ][:limit]  # fmt: skip
    return out


def draft(local: Local, remote: Remote | None) -> Draft:
    notes: list[str] = []
    files = local.files
    members: dict[str, list[str]] = {}
    differences: list[str] = []
    order = "specific-last"
    if local.codeowners:
        where, text = local.codeowners
        areas, origin, members, order, differences = from_codeowners(where, text, files, notes)
        source = f"areas imported from {where}"
    else:
        areas, origin = from_layout(files)
        source = "areas from the top-level folders (no CODEOWNERS)"
    activity = local.activity
    first = first_commits(activity)
    people = [_person(login, owned, activity.names.get(login.lower()),
                      first.get(login.lower(), local.head))
              for login, owned in members.items()]  # fmt: skip
    policy = Policy.model_validate({"version": 1, "people": people, "areas": areas,
                                    "codeowners_order": order})  # fmt: skip
    proposals = propose(policy, activity, first) if activity.commits else {}
    bots = sorted({c.author for c in activity.commits if c.is_bot})
    review, repository, labels = _review(local, remote, notes)
    window = (local.head - timedelta(days=local.days), local.head) if local.head else None
    return Draft(areas, origin, people, proposals, order, bots, review, repository, labels,
                 notes, differences, source, window)  # fmt: skip


def _review(local: Local, remote: Remote | None, notes: list[str]):
    from ..governance.workflows import produced

    files = local.files
    review: dict = {}
    tests = next((d for d in TEST_DIRS if any(f.startswith(d + "/") for f in files)), None)
    # the folders that hold the code: a tenth of its files or more, tests and docs aside
    counts: dict[str, int] = defaultdict(int)
    for f in files:
        if "/" in f and CODE.search(f):
            counts[f.split("/", 1)[0]] += 1
    total = sum(counts.values())
    code = sorted(d for d, n in counts.items() if n * 10 >= total and not d.startswith(".")
                  and d not in (tests, "docs", "doc"))  # fmt: skip
    if tests and code:
        review["tests"] = {"enabled": True, "when_changed": [f"{d}/**" for d in code],
                           "expect_changed": [f"{tests}/**"]}  # fmt: skip
    else:
        review["tests"] = {"enabled": False}
    review["docs"] = {"enabled": False}
    changelog = next((c for c in CHANGELOGS if c in files), None)
    if changelog:
        review["changelog"] = {"required": False, "path": changelog}
    review["dco"] = False
    protected = [g for g in (".github/workflows/**", local.codeowners[0] if local.codeowners
                 else None) if g and any(matches(g, f) for f in files)]  # fmt: skip
    if protected:
        review["protected_paths"] = protected
    repository = None
    labels: list[dict] = []
    if remote is not None:
        notes += remote.notes
        if remote.approvals is not None:
            review["approvals"] = {"default": remote.approvals}
        kept = [c for c in remote.checks if produced(c, local.check_names)]
        for c in remote.checks:
            if c not in kept:
                notes.append(f"GitHub requires the check {c!r}, which no workflow here produces "
                             "(another CI?); left out of review.required_checks, as `governance "
                             "check` accepts only checks it can see produced")  # fmt: skip
        if kept:
            review["required_checks"] = kept
        s = remote.settings
        methods = [m for m, k in (("squash", "allow_squash_merge"), ("merge", "allow_merge_commit"),
                                  ("rebase", "allow_rebase_merge")) if s.get(k)]  # fmt: skip
        repository = {"merge_methods": methods or ["merge"],
                      "delete_branch_on_merge": s.get("delete_branch_on_merge", False),
                      "discussions": s.get("has_discussions", False)}  # fmt: skip
        if "private_vulnerability_reporting" in s:
            repository["private_vulnerability_reporting"] = s["private_vulnerability_reporting"]
        for key, value in (("require_code_owner_review", remote.code_owner_review),
                           ("dismiss_stale_approvals", remote.dismiss_stale),
                           ("block_force_pushes", remote.force_pushes_blocked)):  # fmt: skip
            repository[key] = bool(value)
        labels = remote.labels
    return review, repository, labels


# --- the text --------------------------------------------------------------------------------


def _q(value) -> str:
    """A YAML flow value: strings JSON-quoted (a subset of YAML's double-quoted scalars)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_q(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k}: {_q(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(text.split())  # one line, whatever the source held


def render(d: Draft, policy_file: str) -> str:
    window = f"{d.window[0]} to {d.window[1]}" if d.window else "no history"
    out = [
        f"# {policy_file}: written by `governance init` from what the repository holds:",
        f"# {d.source}.",
        "# Read it through, then run `governance check` and `governance sync`. The schema is on",
        "# the docs site (Governance → The policy file).",
        "version: 1",
        "",
    ]
    if d.people:
        out += [
            "# Code owners named in CODEOWNERS. Each is a reviewer here: make maintainers of",
            "# those who are (a maintainer is also CODEOWNERS's fallback for every other path).",
            "people:",
        ]
        for p in d.people:
            out += [f"  - login: {_q(p['login'])}", f"    name: {_q(p['name'])}",
                    f"    roles: {_q(p['roles'])}", f"    areas: {_q(p['areas'])}",
                    f"    since: {p['since']}"]  # fmt: skip
    else:
        out.append("people: []  # none yet: replace [] by the entries below that are right")
    proposed: dict[str, list[tuple[str, Evidence, int]]] = {}
    for area, ranked in d.proposals.items():
        for rank, ev in enumerate(ranked):
            proposed.setdefault(ev.who, []).append((area, ev, rank))
    if proposed:
        out += [
            "# Proposed from the history (commented out: uncomment those that are right, set",
            f"# their roles and logins). Evidence per area, {window}: commits touching it,",
            "# lines at HEAD they last changed (git blame), their last such commit.",
        ]
        for who, rows in sorted(
            proposed.items(), key=lambda kv: (-sum(e.commits for _, e, _ in kv[1]), kv[0])
        ):
            ev = rows[0][1]
            login = who if "@" not in who else d.logins.get(who, "FILL-IN")
            role = "maintainer" if any(rank == 0 for _, _, rank in rows) else "reviewer"
            entry = {"login": login, "name": ev.name, "roles": [role],
                     "areas": [a for a, _, _ in rows]}  # fmt: skip
            out.append(f"#   - {_q(entry)[:-2]}, since: {ev.first} }}")
            if "@" in who and who in d.logins:
                out.append(f"#      # GitHub names {login} the author of {who}'s commits")
            elif "@" in who:
                out.append(f"#      # the history gives no GitHub login for {who}")
            for area, e, _ in rows:
                last = e.last.isoformat() if e.last else "none in the window"
                out.append(f"#      # {area}: {e.commits} commits, {e.lines:,} lines, last {last}")
    out += ["", "areas:"]
    for name, area in d.areas.items():
        out.append(f"  {name}:  # from {_comment(d.origin.get(name, ''))}"[:200].rstrip())
        for key in ("description", "paths", "teams", "unowned"):
            if key in area:
                out.append(f"    {key}: {_q(area[key])}")
    if d.order != "specific-last":
        out += ["", "# CODEOWNERS's own order of lines gives some files other owners than the",
                "# usual broad-to-specific order would: keep it.",
                f"codeowners_order: {d.order}"]  # fmt: skip
    out += ["", "review:"]
    for key, value in d.review.items():
        out.append(f"  {key}: {_q(value)}")
    if d.repository is not None:
        out += ["", "# Read from GitHub: what `governance apply` keeps from now on.", "repository:"]
        for key, value in d.repository.items():
            out.append(f"  {key}: {_q(value)}")
    else:
        out += ["", "# repository: (merge methods, protection) not read from GitHub: no token was",
                "# given, so `governance apply` would set the defaults; run `governance init",
                "# --force` with $GITHUB_TOKEN set to start from what GitHub has."]  # fmt: skip
    if d.labels:
        out += ["", "labels:"]
        out += [f"  - {_q(label)}" for label in d.labels]
    out += ["", f"bots: {_q(d.bots)}", ""]
    if d.notes:
        out.insert(3, "# Notes from the import:")
        for i, note in enumerate(d.notes[:30]):
            out.insert(4 + i, f"#   {_comment(note)}")
    return "\n".join(out)


def describe(d: Draft) -> list[str]:
    """What init found, for the terminal."""
    lines = [f"{d.source}: {len(d.areas)} areas ({', '.join(d.areas)})"]
    proposed = len({e.who for r in d.proposals.values() for e in r})
    lines.append(f"people: {len(d.people)} from CODEOWNERS, {proposed} proposed from the history")
    if d.bots:
        lines.append(f"bots: {', '.join(d.bots)}")
    lines += [f"note: {n}" for n in d.notes]
    return lines


def check_draft(text: str, where: Path) -> Policy:
    """The text about to be written, read back as every tool will read it."""
    from ..policy.loader import parse_yaml, validate

    return validate(Policy, parse_yaml(text, where), where)
