"""One function per rule: (facts, policy, outcome, ruff diagnostics) → findings on outcome."""

from __future__ import annotations

from ...governance.generate import eligible_owners
from ...policy import Policy
from ...policy.globs import any_match
from ...review_bot.facts import PullRequestFacts, RuffDiagnostic
from ...review_bot.findings import Finding, Outcome


def _changed(facts: PullRequestFacts) -> list[str]:
    paths = []
    for f in facts.files:
        paths.append(f.path)
        if f.previous_path:
            paths.append(f.previous_path)
    return paths


def size(facts, policy: Policy, out: Outcome, _ruff) -> None:
    """size/XS…size/XL from lines added plus deleted, without generated and lock files."""
    if not policy.review.bot.size.enabled:
        return
    rules = policy.review.size
    lines = sum(
        f.additions + f.deletions for f in facts.files if not any_match(rules.exclude, f.path)
    )
    label = rules.label(lines)
    out.labels.append(label)
    out.findings.append(Finding("size", "notice", f"{lines:,} lines changed: {label}."))


def _requirement(name: str, facts, req, out: Outcome, what: str) -> None:
    if not req.enabled:
        return
    paths = _changed(facts)
    touched = [p for p in paths if any_match(req.when_changed, p)]
    if touched and not any(any_match(req.expect_changed, p) for p in paths):
        shown = ", ".join(touched[:3]) + (
            f" and {len(touched) - 3} more" if len(touched) > 3 else ""
        )
        expected = ", ".join(req.expect_changed)
        out.findings.append(
            Finding(name, "warning", f"{shown} changed, but no {what} ({expected}) did.")
        )


def tests(facts, policy: Policy, out: Outcome, _ruff) -> None:
    """Source changed but no test changed."""
    _requirement("tests", facts, policy.review.tests, out, "test")


def docs(facts, policy: Policy, out: Outcome, _ruff) -> None:
    """A public command or API changed but no documentation changed."""
    _requirement("docs", facts, policy.review.docs, out, "documentation")


def changelog(facts, policy: Policy, out: Outcome, _ruff) -> None:
    """A changelog entry, when the policy asks for one and no label waives it."""
    rule = policy.review.changelog
    if not rule.required or set(rule.skip_labels) & set(facts.labels):
        return
    if not any(p == rule.path for p in _changed(facts)):
        out.findings.append(
            Finding(
                "changelog",
                "warning",
                f"Add an entry to {rule.path}, or label the pull "
                f"request {' or '.join(rule.skip_labels) or 'as exempt'}.",
            )
        )


def ruff(facts: PullRequestFacts, policy: Policy, out: Outcome, diags: list[RuffDiagnostic]):
    """ruff's findings on lines this pull request added or changed, with its fix as a
    suggestion where ruff has one and the fix stays on changed lines."""
    if not policy.review.bot.ruff.enabled:
        return
    by_path = {f.path: f for f in facts.files}
    for d in diags:
        f = by_path.get(d.path)
        if f is None:
            continue
        added = f.added_lines
        lines = set(range(d.start_line, d.end_line + 1))
        if not lines & added:
            continue  # old code: not this pull request's business
        suggestion = d.replacement if d.replacement is not None and lines <= added else None
        start, end = (
            (d.start_line, d.end_line) if suggestion is not None else (min(lines & added),) * 2
        )
        out.findings.append(
            Finding("ruff", "warning", f"{d.code}: {d.message}", d.path, start, end, suggestion)
        )


def dco(facts: PullRequestFacts, policy: Policy, out: Outcome, _ruff) -> None:
    """Every commit carries a Signed-off-by that matches its author; bots (the policy's
    ``bots``, any ``[bot]`` account) are exempt: Dependabot and its kind never sign off."""
    if not policy.review.dco or policy.is_bot(facts.author):
        return
    for c in facts.commits:
        login = c.author_email.split("@", 1)[0].split("+", 1)[-1]  # 123+name[bot]@users…
        if policy.is_bot(c.author_name) or policy.is_bot(login):
            continue
        ok = any(email.lower() == c.author_email.lower() for _, email in c.sign_offs)
        if not ok:
            out.findings.append(
                Finding(
                    "dco",
                    "failure",
                    f"Commit {c.sha[:10]} has no Signed-off-by matching its "
                    f"author {c.author_name} <{c.author_email}>; amend with `git commit -s`.",
                )
            )


def description(facts: PullRequestFacts, policy: Policy, out: Outcome, _ruff) -> None:
    """A WIP title, a body too short, or the template's checklist left untouched."""
    rule = policy.review.bot.description
    if not rule.enabled or facts.title is None:
        return
    title = facts.title.strip()
    if any(title.upper().startswith(m.upper()) for m in rule.wip_markers):
        out.findings.append(
            Finding("description", "warning", "The title marks this as work in progress.")
        )
    body = facts.body or ""
    prose = "\n".join(
        line for line in body.splitlines() if not line.strip().startswith(("- [", "<!--", "#"))
    ).strip()
    if len(prose) < rule.min_body_chars:
        out.findings.append(
            Finding(
                "description",
                "warning",
                f"The description says little ({len(prose)} "
                f"characters besides the checklist); say what changes and why.",
            )
        )
    if "- [ ]" in body and "- [x]" not in body.lower():
        out.findings.append(
            Finding(
                "description", "notice", "The template's checklist is untouched; tick what applies."
            )
        )


def choose_reviewers(
    areas: list[str], policy: Policy, author: str, load: dict[str, int]
) -> list[dict]:
    """One reviewer per area, among its active maintainers and reviewers, by lowest open
    review load (then login), never the author; one person may cover several areas."""
    chosen: list[dict] = []
    for area in areas:
        owners = [
            p.login for p in eligible_owners(policy, area) if p.login.lower() != author.lower()
        ]
        if not owners:
            continue
        covering = next((r for r in chosen if r["login"] in owners), None)
        if covering is not None:
            covering["area"] += f", {area}"
            continue
        pick = min(owners, key=lambda login: (load.get(login.lower(), 0), login.lower()))
        chosen.append({"login": pick, "area": area})
    return chosen


def reviewers(facts: PullRequestFacts, policy: Policy, out: Outcome, _ruff) -> None:
    """Suggested reviewers for the touched areas, and a welcome for a first-time contributor."""
    if policy.review.bot.welcome.enabled and facts.first_time:
        out.welcome = True
    if not policy.review.bot.reviewers.enabled:
        return
    areas: list[str] = []
    for path in _changed(facts):
        for area in policy.areas_for(path):
            if area not in areas:
                areas.append(area)
    load = {k.lower(): v for k, v in facts.review_load.items()}
    out.reviewers = choose_reviewers(areas, policy, facts.author, load)
    if out.reviewers:
        names = ", ".join(f"{r['login']} ({r['area']})" for r in out.reviewers)
        out.findings.append(Finding("reviewers", "notice", f"Suggested reviewers: {names}."))


def files(facts: PullRequestFacts, policy: Policy, out: Outcome, _ruff) -> None:
    """Large or binary files added, and changes under protected paths."""
    rule = policy.review.bot.files
    if rule.enabled:
        limit = rule.max_kb * 1024
        for f in facts.files:
            if f.status == "removed":
                continue
            if f.binary and f.status in ("added", "modified"):
                out.findings.append(
                    Finding("files", "warning", "A binary file is added or changed.", f.path)
                )
            if f.size is not None and f.size > limit:
                out.findings.append(
                    Finding(
                        "files",
                        "warning",
                        f"A large file ({f.size // 1024:,} KB, over {rule.max_kb:,} KB).",
                        f.path,
                    )
                )
    protected = [p for p in _changed(facts) if any_match(policy.review.protected_paths, p)]
    for path in dict.fromkeys(protected):
        out.findings.append(
            Finding(
                "files", "warning", "A protected path: a maintainer must review this change.", path
            )
        )
