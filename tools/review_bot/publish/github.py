"""Post an outcome to a pull request through the shared GitHub client.

One summary comment, found again by its hidden marker (and only among the bot's own comments)
and edited in place; one review (event COMMENT) holding the new inline comments, each on a line
that is part of the diff (computed from the patch hunks, so GitHub never answers 422); a check
run whose annotations go in batches of 50; labels. A re-run on the same head posts nothing new;
findings that disappeared are listed as resolved and the bot's inline comments minimised.

Everything posted is bounded (the summary always fits GitHub's 65,536 characters) and every
text from the artifact is neutralised. Writes are never re-sent blindly: when GitHub's answer
to a POST or PATCH is lost, the publisher looks whether it was done before sending it again.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...errors import UserError
from ...github import GitHubClient
from ...policy import Policy
from ...review_bot.facts import ChangedFile
from ...review_bot.findings import APPROVALS_NAME, CHECK_NAME, Finding, Outcome
from ...review_bot.rules import approvals as approval_rule
from ...review_bot.rules.checks import choose_reviewers
from ...review_bot.untrusted import neutral, neutral_code

MARKER = "<!-- review-bot:summary -->"
STATE = re.compile(r"<!-- review-bot:state (\{.*?\}) -->", re.DOTALL)
FP = re.compile(r"<!-- review-bot:fp=([0-9a-f]{16}) -->")
BOT_LOGIN = "github-actions[bot]"  # who posts with the workflow's GITHUB_TOKEN
BATCH = 50  # annotations per check-run request: GitHub's limit
MAX_INLINE = 30  # inline comments per head; the rest stay in the check run and summary
MAX_ROWS = 60  # summary rows at most; fewer when the body would not fit
MAX_TEXT = 300  # characters of a message in a summary row (before neutralising)
MAX_BODY = 65_536  # GitHub's limit on a comment body, in characters
MAX_STATE = 200  # findings remembered for "resolved since the last run"
MAX_REMEMBERED_INLINE = 200  # fingerprints of inline comments already posted
ICON = {"notice": "ℹ️", "warning": "⚠️", "failure": "❌"}

Fingerprint = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")]


class _CheckState(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    head: Sha
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
    id: Annotated[int, Field(ge=1)]


class _ApprovalState(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)
    head: Sha
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]


class _State(BaseModel):
    """What the summary remembers between runs. Read back from a comment anyone with write
    access could have edited, so it is validated like any other input."""

    model_config = ConfigDict(extra="ignore", strict=True)
    head: Sha | None = None
    open: dict[Fingerprint, Annotated[str, Field(max_length=500)]] = {}
    inline: Annotated[list[Fingerprint], Field(max_length=5000)] = []
    resolved: dict[Fingerprint, Annotated[str, Field(max_length=500)]] = {}
    check: _CheckState | None = None
    approvals: _ApprovalState | None = None


def _where(f: Finding) -> str:
    if not f.path:
        return "—"
    lines = f":{f.start_line}" if f.start_line else ""
    if f.end_line and f.start_line and f.end_line > f.start_line:
        lines += f"–{f.end_line}"
    return neutral(f.path, one_line=True) + lines


def _state_comment(state: dict) -> str:
    """The state as JSON inside an HTML comment: ``<``, ``>`` and ``&`` escaped, so no text
    in it can close the comment; not ASCII-escaped, so it stays as short as its text."""
    text = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"<!-- review-bot:state {text} -->"


def summary_body(outcome: Outcome, findings: list[Finding], state: dict, docs_url: str,
                 resolved: dict[str, str], dropped: int, rows: int = MAX_ROWS) -> str:  # fmt: skip
    docs = docs_url.rstrip("/")
    out = [MARKER, "## Review bot", ""]
    if outcome.welcome:
        out += [
            "Welcome, and thank you for your first contribution here! Please have a look at "
            f"[how to contribute]({docs}/governance/CONTRIBUTING/) and "
            f"[how code review works]({docs}/code-review/); a maintainer will be with you soon.",
            "",
        ]
    counts = {s: sum(f.severity == s for f in findings) for s in ICON}
    out.append(
        f"**{len(findings)} findings** on `{outcome.head_sha[:10]}`: {counts['failure']} failures, "
        f"{counts['warning']} warnings, {counts['notice']} notices."
    )
    if findings:
        out += ["", "| | rule | where | finding |", "|---|---|---|---|"]
        ordered = sorted(
            findings, key=lambda f: (-"nwf".index(f.severity[0]), f.rule, f.path or "")
        )
        for f in ordered[:rows]:
            message = neutral(f.message[:MAX_TEXT], one_line=True)
            out.append(f"| {ICON[f.severity]} | {f.rule} | {_where(f)} | {message} |")
        if len(ordered) > rows:
            out += ["", f"… and {len(ordered) - rows:,} more: see the check run's annotations."]
    if outcome.reviewers:
        names = ", ".join(
            f"`{r['login']}` ({neutral(r['area'], one_line=True)})" for r in outcome.reviewers
        )
        out += ["", f"Suggested reviewers, by area and open review load: {names}."]
    if resolved:
        out += ["", "<details><summary>Resolved since the last run</summary>", ""]
        out += [f"- ~~{neutral(text, one_line=True)}~~" for text in resolved.values()]
        out += ["", "</details>"]
    if dropped:
        out += ["", f"{dropped} finding(s) named files outside this pull request and were dropped."]
    out += ["", _state_comment(state)]
    return "\n".join(out)


def fitted_summary(outcome: Outcome, findings: list[Finding], state: dict, docs_url: str,
                   resolved: dict[str, str], dropped: int) -> str:  # fmt: skip
    """The summary, cut until it fits GitHub's limit: first fewer table rows, then less
    remembered state (older resolved findings, then open ones)."""
    rows = MAX_ROWS
    state = dict(state)
    while True:
        body = summary_body(outcome, findings, state, docs_url, resolved, dropped, rows)
        if len(body) <= MAX_BODY:
            return body
        if rows > 5:
            rows //= 2
        elif resolved:
            resolved = dict(list(resolved.items())[len(resolved) // 2 :])
            state["resolved"] = resolved
        elif state.get("open"):
            state["open"] = dict(list(state["open"].items())[: len(state["open"]) // 2])
        elif state.get("inline"):
            state["inline"] = state["inline"][len(state["inline"]) // 2 :]
        elif rows:
            rows = 0
        else:  # cannot happen with the bounds above; never post what GitHub would refuse
            raise UserError("the summary does not fit GitHub's comment limit; nothing posted")


def _read_state(body: str) -> tuple[dict, bool]:
    """(state, trusted): an unreadable or malformed state counts as none."""
    m = STATE.search(body or "")
    if not m:
        return {}, False
    try:
        return _State.model_validate(json.loads(m.group(1))).model_dump(), True
    except (json.JSONDecodeError, ValidationError, RecursionError):
        return {}, False


def _inline_body(f: Finding) -> str:
    body = f"{ICON[f.severity]} **{f.rule}**: {neutral(f.message)}"
    code = neutral_code(f.suggestion) if f.suggestion is not None else None
    if code is not None:
        body += f"\n\n```suggestion\n{code}\n```"
    return body + f"\n<!-- review-bot:fp={f.fingerprint} -->"


def _by(login: str):
    """Is this comment the bot's own? Its exact login, and a Bot account."""

    def check(comment: dict) -> bool:
        user = comment.get("user") or {}
        return (user.get("login") or "").lower() == login.lower() and user.get("type") == "Bot"

    return check


def _resolved_text(f: Finding) -> str:
    """A short, plain description kept in the state: only characters that mean nothing to
    markdown or GitHub (no @, #, <, > or backticks), so even the hidden state pings nobody."""
    where = f" ({f.path[:100]})" if f.path else ""
    return _PLAIN.sub(" ", f"{f.rule}: {f.message[:60]}{where}")


_PLAIN = re.compile(r"[^A-Za-z0-9 .,:;=/'()_+-]")


def review_load(client: GitHubClient, base: str, number: int, what: str) -> dict[str, int]:
    """Open review requests per login, from the first 100 open pull requests."""
    load: dict[str, int] = {}
    url = client.url(f"{base}/pulls", {"state": "open", "per_page": 100})
    for pr in client.get(url, what).data or ():
        if pr.get("number") == number:
            continue
        for person in pr.get("requested_reviewers") or ():
            login = person.get("login", "").lower()
            load[login] = load.get(login, 0) + 1
    return load


def publish(
    client: GitHubClient,
    repository: str,
    head_sha: str,
    outcome: Outcome,
    docs_url: str,
    policy: Policy,
    bot_login: str = BOT_LOGIN,
) -> str:
    if outcome.repository.lower() != repository.lower():
        raise UserError(
            f"the artifact is for {outcome.repository}, not {repository}; nothing posted"
        )
    if outcome.head_sha != head_sha:
        raise UserError(
            f"the artifact is for head {outcome.head_sha[:10]}, but the run analysed "
            f"{head_sha[:10]}; nothing posted"
        )
    n, base = outcome.pull_request, f"repos/{repository}"
    what = f"{repository}#{n}"
    mine = _by(bot_login)
    pr = client.get(client.url(f"{base}/pulls/{n}"), what).data
    if pr["head"]["sha"] != head_sha:
        raise UserError(
            f"{what}: its head is {pr['head']['sha'][:10]}, not the analysed {head_sha[:10]}: "
            "the artifact names another pull request, or this one moved on; nothing posted"
        )
    if outcome.reviewers:
        # picked here, from trusted data: the policy of the default branch and today's load
        areas = [r["area"] for r in outcome.reviewers]
        load = review_load(client, base, n, what)
        outcome.reviewers = choose_reviewers(areas, policy, pr["user"]["login"], load)
    files = {
        f["filename"]: f
        for page in client.pages(f"{base}/pulls/{n}/files", None, what)
        for f in page.data
    }
    lines = {
        path: ChangedFile(path, f.get("status", ""), 0, 0, patch=f.get("patch")).commentable_lines
        for path, f in files.items()
    }
    findings = [f for f in outcome.findings if f.path is None or f.path in files]
    dropped = len(outcome.findings) - len(findings)

    def issue_comments() -> list[dict]:
        return [
            c
            for page in client.pages(f"{base}/issues/{n}/comments", None, what)
            for c in page.data
            if mine(c) and (c.get("body") or "").startswith(MARKER)
        ]

    summary = next(iter(issue_comments()), None)
    old, trusted = _read_state(summary["body"]) if summary else ({}, False)
    if summary and not trusted:
        print(f"{what}: the summary's saved state is unreadable; starting afresh", file=sys.stderr)
    old_open: dict[str, str] = old.get("open", {})
    old_inline = set(old.get("inline", []))
    current = {f.fingerprint: f for f in findings}
    resolved = {fp: text for fp, text in old.get("resolved", {}).items() if fp not in current}
    resolved.update({fp: text for fp, text in old_open.items() if fp not in current})

    review_comments: list[dict] | None = None

    def bot_review_comments() -> list[dict]:
        nonlocal review_comments
        if review_comments is None:
            review_comments = [
                c
                for page in client.pages(f"{base}/pulls/{n}/comments", None, what)
                for c in page.data
                if mine(c)
            ]
        return review_comments

    def posted_fingerprints() -> set[str]:
        return {m.group(1) for c in bot_review_comments() if (m := FP.search(c.get("body") or ""))}

    posted = []
    inline = [
        f
        for f in findings
        if f.path
        and f.start_line
        and (f.end_line or f.start_line) >= f.start_line
        and all(
            x in lines.get(f.path, ())
            for x in range(f.start_line, (f.end_line or f.start_line) + 1)
        )
    ]
    # the first MAX_INLINE, in a stable order: a re-run picks the same ones, so posts nothing
    inline = sorted(inline, key=lambda f: (f.path, f.start_line, f.rule, f.message))[:MAX_INLINE]
    new_inline = [f for f in inline if f.fingerprint not in old_inline]
    if new_inline:
        # the state may be lost (a failed run, an edited comment): GitHub is the truth
        already = posted_fingerprints()
        old_inline |= already & {f.fingerprint for f in new_inline}
        new_inline = [f for f in new_inline if f.fingerprint not in already]
    if new_inline:
        payload = []
        for f in new_inline:
            c = {
                "path": f.path,
                "line": f.end_line or f.start_line,
                "side": "RIGHT",
                "body": _inline_body(f),
            }
            if f.end_line and f.end_line != f.start_line:
                c.update(start_line=f.start_line, start_side="RIGHT")
            payload.append(c)
        wanted_fps = {f.fingerprint for f in new_inline}

        def review_done():
            nonlocal review_comments
            review_comments = None  # look again
            return {} if wanted_fps <= posted_fingerprints() else None

        client.post(
            f"{base}/pulls/{n}/reviews",
            {"commit_id": head_sha, "event": "COMMENT", "body": "", "comments": payload},
            what,
            find=review_done,
        )
        posted.append(f"{len(new_inline)} inline comments")

    gone_inline = [fp for fp in resolved if fp in old_inline]
    if gone_inline:
        ids = []
        for c in bot_review_comments():
            m = FP.search(c.get("body") or "")
            node = c.get("node_id") or ""
            if m and m.group(1) in gone_inline and re.fullmatch(r"[A-Za-z0-9_=-]{1,100}", node):
                ids.append(node)
        if ids:
            mutation = (
                "mutation {\n"
                + "\n".join(
                    f'  m{i}: minimizeComment(input: {{subjectId: "{node}", classifier: RESOLVED}}) {{ minimizedComment {{ isMinimized }} }}'  # noqa: E501
                    for i, node in enumerate(ids)
                )
                + "\n}"
            )
            client.graphql(mutation, {}, what)  # minimising twice is harmless
            posted.append(f"{len(ids)} resolved comments minimised")

    digest = hashlib.sha1(json.dumps(sorted(current)).encode()).hexdigest()[:16]
    remembered = sorted(old_inline | {f.fingerprint for f in new_inline})
    state = {
        "head": head_sha,
        "open": {fp: _resolved_text(f) for fp, f in list(current.items())[:MAX_STATE]},
        "inline": remembered[-MAX_REMEMBERED_INLINE:],
        "resolved": dict(list(resolved.items())[-MAX_ROWS // 2 :]),
        "check": old.get("check")
        if (old.get("check") or {}).get("digest") == digest
        and (old.get("check") or {}).get("head") == head_sha
        else None,
    }
    if state["check"] is None:
        state["check"] = _check_run(client, base, head_sha, outcome, findings, digest, what)
        posted.append(f"check run with {sum(1 for f in findings if f.path)} annotations")

    state["approvals"] = old.get("approvals")
    if approval_rule.applies(list(files), policy):
        reviews = [
            {
                "login": (r.get("user") or {}).get("login") or "ghost",
                "state": r.get("state"),
                "submitted_at": r.get("submitted_at"),
            }
            for page in client.pages(f"{base}/pulls/{n}/reviews", None, what)
            for r in page.data or ()
        ]
        result = approval_rule.approvals(list(files), reviews, policy, pr["user"]["login"])
        conclusion, title, text = approval_rule.summary(result)
        seen = hashlib.sha1(f"{conclusion}|{text}".encode()).hexdigest()[:16]
        if state["approvals"] != {"head": head_sha, "digest": seen}:
            _approvals_run(client, base, head_sha, conclusion, title, text, seen, what)
            state["approvals"] = {"head": head_sha, "digest": seen}
            posted.append(f"approvals check ({conclusion})")

    body = fitted_summary(outcome, findings, state, docs_url, resolved, dropped)

    def summary_posted():
        return next(iter(issue_comments()), None)

    if summary is None:
        client.post(f"{base}/issues/{n}/comments", {"body": body}, what, find=summary_posted)
        posted.append("summary comment")
    elif summary["body"] != body:

        def summary_updated():
            now = client.get(client.url(f"{base}/issues/comments/{summary['id']}"), what).data
            return now if (now or {}).get("body") == body else None

        client.patch(
            f"{base}/issues/comments/{summary['id']}", {"body": body}, what, find=summary_updated
        )
        posted.append("summary comment updated")

    present = [label["name"] for label in pr.get("labels", ())]
    wanted = [label for label in outcome.labels if label not in present]
    stale = [x for x in present if x.startswith("size/") and x not in outcome.labels]
    if wanted:  # adding is idempotent; never a PUT of the whole list, which would drop
        # labels a maintainer set since the pull request was read
        client.post(f"{base}/issues/{n}/labels", {"labels": wanted}, what, find=lambda: None)
        posted.append(f"labels {', '.join(wanted)}")
    if wanted and stale:  # the size changed: remove exactly the old size label
        for label in stale:
            client.delete(f"{base}/issues/{n}/labels/{_quote(label)}", what)
        posted.append(f"replacing {', '.join(stale)}")
    done = "; ".join(posted) if posted else "nothing new to post"
    return f"{what}: {done} ({client.requests} API requests)"


def _approvals_run(client: GitHubClient, base: str, head_sha: str, conclusion: str, title: str,
                   text: str, seen: str, what: str) -> None:  # fmt: skip
    external_id = f"{head_sha[:12]}-{seen}"

    def existing():
        url = client.url(f"{base}/commits/{head_sha}/check-runs", {"check_name": APPROVALS_NAME})
        runs = (client.get(url, what).data or {}).get("check_runs", [])
        return next((r for r in runs if r.get("external_id") == external_id), None)

    client.post(
        f"{base}/check-runs",
        {
            "name": APPROVALS_NAME,
            "head_sha": head_sha,
            "external_id": external_id,
            "status": "completed",
            "conclusion": conclusion,
            "output": {"title": title, "summary": text},
        },
        what,
        find=existing,
    )


def _quote(label: str) -> str:
    from urllib.parse import quote

    return quote(label, safe="")


def _check_run(client: GitHubClient, base: str, head_sha: str, outcome: Outcome,
               findings: list[Finding], digest: str, what: str) -> dict:  # fmt: skip
    """One check run for this head and these findings, annotations in batches of 50; its
    ``external_id`` (head and digest) lets a lost answer be found again, not posted twice."""
    annotations = [
        {
            "path": f.path,
            "start_line": f.start_line or 1,
            "end_line": max(f.end_line or f.start_line or 1, f.start_line or 1),
            "annotation_level": f.severity,
            "title": f.rule,
            "message": f.message[:1000],
        }
        for f in findings
        if f.path
    ]
    counts = {s: sum(f.severity == s for f in findings) for s in ICON}
    output = {
        "title": f"{len(findings)} findings",
        "summary": f"{counts['failure']} failures, {counts['warning']} warnings, {counts['notice']} notices.",  # noqa: E501
    }
    external_id = f"{head_sha[:12]}-{digest}"

    def existing():
        url = client.url(f"{base}/commits/{head_sha}/check-runs", {"check_name": CHECK_NAME})
        runs = (client.get(url, what).data or {}).get("check_runs", [])
        return next((r for r in runs if r.get("external_id") == external_id), None)

    run = client.post(
        f"{base}/check-runs",
        {
            "name": CHECK_NAME,
            "head_sha": head_sha,
            "external_id": external_id,
            "status": "completed",
            "conclusion": outcome.conclusion,
            "output": {**output, "annotations": annotations[:BATCH]},
        },
        what,
        find=existing,
    )
    for start in range(BATCH, len(annotations), BATCH):
        upto = min(start + BATCH, len(annotations))

        def added(upto=upto):
            have = sum(
                len(page.data or ())
                for page in client.pages(f"{base}/check-runs/{run['id']}/annotations", None, what)
            )
            return {} if have >= upto else None

        client.patch(
            f"{base}/check-runs/{run['id']}",
            {"output": {**output, "annotations": annotations[start : start + BATCH]}},
            what,
            find=added,
        )
    return {"head": head_sha, "digest": digest, "id": run["id"]}
