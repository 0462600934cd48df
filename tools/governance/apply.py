"""``governance apply``: make GitHub enforce the policy — labels, a ruleset for the default
branch, and the repository settings a project started from this template needs.

Source (``read_state``: what GitHub has) → pure ``desired`` and ``plan`` (what the policy wants,
and each change between the two) → ``render`` (a readable diff) → ``execute`` (the writes).
A second ``apply`` finds nothing to change and writes nothing.

What a ruleset cannot say — a different approval count per area — the review bot enforces as
its ``approvals`` check run (see the review bot's docs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from ..errors import UserError
from ..github import Forbidden, GitHubClient
from ..policy import Policy

RULESET_NAME = "policy: default branch"  # stable across renames: found again by this name
SETTINGS = ("delete_branch_on_merge", "allow_merge_commit", "allow_squash_merge",
            "allow_rebase_merge", "has_discussions")  # fmt: skip
PULL_REQUEST_KEYS = ("required_approving_review_count", "dismiss_stale_reviews_on_push",
                     "require_code_owner_review", "require_last_push_approval",
                     "required_review_thread_resolution")  # fmt: skip
SIZE_COLOURS = {"XS": "c2e0c6", "S": "bfe5bf", "M": "fef2c0", "L": "f9d0c4", "XL": "e99695"}
# GitHub's built-in repository role "admin", as a ruleset's bypass actor; "pull_request" lets
# it merge a pull request past the rules, never push around them.
ADMIN_BYPASS = {"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "pull_request"}
PRIVATE_REPORTING = "private_vulnerability_reporting"
PERMISSION = {
    "labels": "Issues: write (or Pull requests: write)",
    "ruleset": "Administration: write — a repository admin's token",
    "settings": "Administration: write — a repository admin's token",
}


@dataclass
class State:
    """What a repository has (or should have) of what the policy governs."""

    settings: dict[str, bool] = field(default_factory=dict)
    labels: dict[str, dict] = field(default_factory=dict)  # lower-case name → label
    ruleset: dict | None = None  # {"enforcement", "conditions", "rules", "bypass_actors"}
    ruleset_id: int | None = None


@dataclass(frozen=True)
class Change:
    kind: str  # "labels", "ruleset" or "settings"
    action: str  # "create", "update" or "delete"
    name: str
    before: Any = None
    after: Any = None


# --- source ----------------------------------------------------------------------------------


def read_state(client: GitHubClient, repo: str) -> State:
    """Four requests and one per 100 labels (five when the ruleset exists)."""
    base = f"repos/{repo}"
    state = State()
    data = _get(client, base, repo, "settings", read=True)
    state.settings = {k: bool(data.get(k)) for k in SETTINGS}
    reporting = _get(client, f"{base}/private-vulnerability-reporting", repo, "settings", True)
    state.settings[PRIVATE_REPORTING] = bool((reporting or {}).get("enabled"))
    state.labels = read_labels(client, repo)
    rulesets = _get(client, f"{base}/rulesets", repo, "ruleset", read=True) or []
    mine = next((r for r in rulesets if r.get("name") == RULESET_NAME), None)
    if mine is not None:
        full = _get(client, f"{base}/rulesets/{mine['id']}", repo, "ruleset", read=True)
        state.ruleset_id = mine["id"]
        state.ruleset = {
            "enforcement": full.get("enforcement"),
            "conditions": full.get("conditions"),
            "rules": full.get("rules") or [],
            "bypass_actors": full.get("bypass_actors") or [],
        }
    return state


def read_labels(client: GitHubClient, repo: str) -> dict[str, dict]:
    """The repository's labels, lower-case name → {"name", "color", "description"}: one
    request per 100 labels."""
    labels = {}
    for page in client.pages(f"repos/{repo}/labels", None, repo):
        for label in page.data or ():
            labels[label["name"].lower()] = {
                "name": label["name"],
                "color": (label.get("color") or "").lower(),
                "description": label.get("description") or "",
            }
    return labels


def _get(client: GitHubClient, path: str, repo: str, kind: str, read: bool) -> Any:
    try:
        return client.get(client.url(path), repo).data
    except Forbidden as exc:
        need = PERMISSION[kind].replace("write", "read") if read else PERMISSION[kind]
        raise UserError(f"{exc}; the token needs the permission {need}") from None


# --- what the policy wants (pure) ------------------------------------------------------------


def desired(policy: Policy) -> State:
    repo = policy.repository
    methods = set(repo.merge_methods)
    settings = {
        "delete_branch_on_merge": repo.delete_branch_on_merge,
        "allow_merge_commit": "merge" in methods,
        "allow_squash_merge": "squash" in methods,
        "allow_rebase_merge": "rebase" in methods,
        "has_discussions": repo.discussions,
        PRIVATE_REPORTING: repo.private_vulnerability_reporting,
    }
    labels = {
        label.name.lower(): {
            "name": label.name,
            "color": label.color.lower(),
            "description": label.description,
        }
        for label in policy.labels
    }
    size = policy.review.size
    bounds = {"XS": f"≤ {size.XS}", "S": f"≤ {size.S}", "M": f"≤ {size.M}", "L": f"≤ {size.L}",
              "XL": f"> {size.L}"}  # fmt: skip
    for name, colour in SIZE_COLOURS.items():
        labels.setdefault(
            f"size/{name}".lower(),
            {
                "name": f"size/{name}",
                "color": colour,
                "description": f"{bounds[name]} lines changed (set by the review bot)",
            },
        )
    rules: list[dict] = [
        {
            "type": "pull_request",
            "parameters": {
                "required_approving_review_count": policy.review.approvals.default,
                "dismiss_stale_reviews_on_push": repo.dismiss_stale_approvals,
                "require_code_owner_review": repo.require_code_owner_review,
                "require_last_push_approval": False,
                "required_review_thread_resolution": False,
            },
        },
        {"type": "deletion"},
    ]
    if policy.review.required_checks:
        rules.append(
            {
                "type": "required_status_checks",
                "parameters": {
                    "strict_required_status_checks_policy": False,
                    "required_status_checks": [
                        {"context": name} for name in policy.review.required_checks
                    ],
                },
            }
        )
    if repo.block_force_pushes:
        rules.append({"type": "non_fast_forward"})
    ruleset = {
        "enforcement": "active",
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": rules,
        "bypass_actors": [ADMIN_BYPASS] if repo.admin_bypass else [],
    }
    return State(settings=settings, labels=labels, ruleset=ruleset)


MANAGED_RULES = ("pull_request", "deletion", "required_status_checks", "non_fast_forward")


def _comparable(ruleset: dict | None) -> dict | None:
    """The parts of a ruleset this tool manages, in one canonical form: GitHub adds
    parameters of its own (and rules a maintainer added by hand are left alone)."""
    if ruleset is None:
        return None
    rules = {}
    for rule in ruleset.get("rules") or ():
        kind = rule.get("type")
        if kind not in MANAGED_RULES:
            continue
        params = rule.get("parameters") or {}
        if kind == "pull_request":
            params = {k: params.get(k) for k in PULL_REQUEST_KEYS}
        elif kind == "required_status_checks":
            params = {
                "strict": bool(params.get("strict_required_status_checks_policy")),
                "checks": sorted(
                    c.get("context") for c in params.get("required_status_checks", [])
                ),
            }
        rules[kind] = params
    include = ((ruleset.get("conditions") or {}).get("ref_name") or {}).get("include") or []
    bypass = sorted(
        f"{a.get('actor_type')}:{a.get('actor_id')}:{a.get('bypass_mode')}"
        for a in ruleset.get("bypass_actors") or ()
    )
    return {
        "enforcement": ruleset.get("enforcement"),
        "include": sorted(include),
        "rules": rules,
        "bypass": bypass,
    }


def plan(current: State, wanted: State, prune: bool = False) -> list[Change]:
    changes: list[Change] = []
    for key, value in wanted.settings.items():
        if current.settings.get(key) != value:
            changes.append(Change("settings", "update", key, current.settings.get(key), value))
    for key, label in wanted.labels.items():
        have = current.labels.get(key)
        if have is None:
            changes.append(Change("labels", "create", label["name"], None, label))
        elif have != label:
            changes.append(Change("labels", "update", have["name"], have, label))
    if prune:
        for key, have in current.labels.items():
            if key not in wanted.labels:
                changes.append(Change("labels", "delete", have["name"], have, None))
    if _comparable(current.ruleset) != _comparable(wanted.ruleset):
        action = "create" if current.ruleset is None else "update"
        changes.append(
            Change(
                "ruleset",
                action,
                RULESET_NAME,
                _comparable(current.ruleset),
                _comparable(wanted.ruleset),
            )
        )
    return changes


def unmanaged_labels(current: State, wanted: State) -> list[str]:
    return sorted(have["name"] for key, have in current.labels.items() if key not in wanted.labels)


# --- renderer ---------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    if isinstance(value, dict) and {"name", "color"} <= value.keys():
        text = f"#{value['color']}"
        return text + (f" {value['description']!r}" if value.get("description") else "")
    return repr(value)


def render(repo: str, changes: list[Change], unmanaged: list[str]) -> str:
    if not changes:
        out = [f"{repo}: GitHub already enforces the policy; nothing to change."]
    else:
        out = [
            f"{repo}: {len(changes)} change{'s' if len(changes) != 1 else ''} to match the policy"
        ]
        for c in changes:
            sign = {"create": "+", "update": "~", "delete": "-"}[c.action]
            if c.kind == "ruleset":
                out.append(f"  {sign} ruleset {c.name!r} ({c.action})")
                before = (c.before or {}).get("rules", {})
                for kind, params in (c.after or {}).get("rules", {}).items():
                    if before.get(kind) != params:
                        out.append(f"      {kind}: {before.get(kind, '—')} → {params}")
                for kind in before.keys() - (c.after or {}).get("rules", {}).keys():
                    out.append(f"      {kind}: {before[kind]} → removed")
                for key in ("enforcement", "include", "bypass"):
                    if (c.before or {}).get(key) != (c.after or {}).get(key):
                        out.append(f"      {key}: {(c.before or {}).get(key)} → {c.after[key]}")
            elif c.kind == "settings":
                out.append(f"  {sign} setting {c.name}: {c.before} → {c.after}")
            else:
                was = f"{_describe(c.before)} → " if c.before and c.after else ""
                now = _describe(c.after) if c.after else "(deleted)"
                if c.before and c.after and c.before["name"] != c.after["name"]:
                    now += f", renamed to {c.after['name']!r}"  # a difference of case alone
                out.append(f"  {sign} label {c.name!r}: {was}{now}")
    if unmanaged:
        out.append(
            f"  labels not in the policy, left alone (--prune deletes them): {', '.join(unmanaged)}"
        )
    return "\n".join(out) + "\n"


# --- writes ----------------------------------------------------------------------------------


def execute(client: GitHubClient, repo: str, changes: list[Change], current: State,
            wanted: State) -> int:  # fmt: skip
    """Make each change; returns the number of writes."""
    base = f"repos/{repo}"
    writes = 0

    def write(kind: str, fn):
        nonlocal writes
        try:
            fn()
        except Forbidden as exc:
            raise UserError(f"{exc}; the token needs the permission {PERMISSION[kind]}") from None
        writes += 1

    def label_now(name: str):
        def find():
            try:
                data = client.get(client.url(f"{base}/labels/{quote(name, safe='')}"), repo).data
            except UserError:
                return None
            return data

        return find

    def ruleset_now():
        rulesets = client.get(client.url(f"{base}/rulesets"), repo).data or []
        return next((r for r in rulesets if r.get("name") == RULESET_NAME), None)

    settings = {c.name: c.after for c in changes if c.kind == "settings"}
    if PRIVATE_REPORTING in settings:  # its own endpoint: PUT turns it on, DELETE off
        path = f"{base}/private-vulnerability-reporting"
        on = settings.pop(PRIVATE_REPORTING)
        write("settings", lambda: client.put(path, {}, repo) if on else client.delete(path, repo))
    if settings:  # setting the same values twice is harmless: re-sent after a lost answer
        write("settings", lambda: client.patch(base, settings, repo, find=lambda: None))
    labels = f"{base}/labels"
    for c in changes:
        if c.kind != "labels":
            continue
        one = f"{labels}/{quote(c.name, safe='')}"
        if c.action == "create":
            write("labels", lambda c=c: client.post(labels, c.after, repo, find=label_now(c.name)))
        elif c.action == "update":
            body = {
                "new_name": c.after["name"],
                "color": c.after["color"],
                "description": c.after["description"],
            }
            write(
                "labels",
                lambda one=one, body=body: client.patch(one, body, repo, find=lambda: None),
            )
        else:
            write("labels", lambda one=one: client.delete(one, repo))
    if any(c.kind == "ruleset" for c in changes):
        body = _ruleset_body(current, wanted)
        if current.ruleset_id is None:
            write("ruleset", lambda: client.post(f"{base}/rulesets", body, repo, find=ruleset_now))
        else:
            write(
                "ruleset", lambda: client.put(f"{base}/rulesets/{current.ruleset_id}", body, repo)
            )
    return writes


def _ruleset_body(current: State, wanted: State) -> dict:
    """The ruleset to send: the policy's rules, and any rule a maintainer added by hand."""
    kept = [
        r for r in (current.ruleset or {}).get("rules", []) if r.get("type") not in MANAGED_RULES
    ]
    return {
        "name": RULESET_NAME,
        "target": "branch",
        "enforcement": wanted.ruleset["enforcement"],
        "conditions": wanted.ruleset["conditions"],
        "rules": wanted.ruleset["rules"] + kept,
        "bypass_actors": wanted.ruleset["bypass_actors"],
    }
