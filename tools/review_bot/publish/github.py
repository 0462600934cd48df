"""Post an outcome to a pull request through the shared GitHub client.

One summary comment, found again by its hidden marker and edited in place; one review (event
COMMENT) holding the new inline comments, each on a line that is part of the diff (computed
from the patch hunks, so GitHub never answers 422); a check run whose annotations go in
batches of 50; labels. A re-run on the same head posts nothing new; findings that disappeared
are listed as resolved and their inline comments minimised.
"""

from __future__ import annotations

import hashlib
import json
import re

from tools.errors import UserError
from tools.github import GitHubClient
from tools.policy import Policy
from tools.review_bot.facts import ChangedFile
from tools.review_bot.findings import Finding, Outcome
from tools.review_bot.rules.checks import choose_reviewers
from tools.review_bot.untrusted import neutral, neutral_code

MARKER = "<!-- review-bot:summary -->"
STATE = re.compile(r"<!-- review-bot:state (\{.*?\}) -->", re.DOTALL)
FP = re.compile(r"<!-- review-bot:fp=([0-9a-f]{16}) -->")
CHECK_NAME = "review-bot"
BATCH = 50  # annotations per check-run request: GitHub's limit
MAX_INLINE = 30  # inline comments per head; the rest stay in the check run and summary
MAX_ROWS = 60  # summary rows, each message cut to MAX_TEXT: GitHub caps a comment at 65,536
MAX_TEXT = 300
MAX_STATE = 300  # findings remembered for "resolved since the last run"
ICON = {"notice": "ℹ️", "warning": "⚠️", "failure": "❌"}


def _where(f: Finding) -> str:
    if not f.path:
        return "—"
    lines = f":{f.start_line}" if f.start_line else ""
    if f.end_line and f.start_line and f.end_line != f.start_line:
        lines += f"–{f.end_line}"
    return f"`{neutral(f.path)}{lines}`"


def summary_body(outcome: Outcome, findings: list[Finding], state: dict, docs_url: str,
                 resolved: dict[str, str], dropped: int) -> str:  # fmt: skip
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
        for f in ordered[:MAX_ROWS]:
            message = neutral(f.message[:MAX_TEXT]).replace("|", "\\|").replace("\n", " ")
            out.append(f"| {ICON[f.severity]} | {f.rule} | {_where(f)} | {message} |")
        if len(ordered) > MAX_ROWS:
            out += ["", f"… and {len(ordered) - MAX_ROWS:,} more: see the check run's annotations."]
    if outcome.reviewers:
        names = ", ".join(f"`{r['login']}` ({neutral(r['area'])})" for r in outcome.reviewers)
        out += ["", f"Suggested reviewers, by area and open review load: {names}."]
    if resolved:
        out += ["", "<details><summary>Resolved since the last run</summary>", ""]
        out += [f"- ~~{text}~~" for text in resolved.values()]
        out += ["", "</details>"]
    if dropped:
        out += ["", f"{dropped} finding(s) named files outside this pull request and were dropped."]
    out += ["", f"<!-- review-bot:state {json.dumps(state, separators=(',', ':'))} -->"]
    return "\n".join(out)


def _state(body: str) -> dict:
    m = STATE.search(body or "")
    if not m:
        return {}
    try:
        data = json.loads(m.group(1))
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _inline_body(f: Finding) -> str:
    body = f"{ICON[f.severity]} **{f.rule}**: {neutral(f.message)}"
    code = neutral_code(f.suggestion) if f.suggestion is not None else None
    if code is not None:
        body += f"\n\n```suggestion\n{code}\n```"
    return body + f"\n<!-- review-bot:fp={f.fingerprint} -->"


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

    comments = [
        c for page in client.pages(f"{base}/issues/{n}/comments", None, what) for c in page.data
    ]
    mine = next(
        (
            c
            for c in comments
            if (c.get("user") or {}).get("type") == "Bot" and MARKER in (c.get("body") or "")
        ),
        None,
    )
    old = _state(mine["body"]) if mine else {}
    old_open: dict[str, str] = old.get("open", {}) if isinstance(old.get("open"), dict) else {}
    old_inline = set(old.get("inline", [])) if isinstance(old.get("inline"), list) else set()
    current = {f.fingerprint: f for f in findings}
    resolved = {fp: text for fp, text in old_open.items() if fp not in current}
    resolved.update({fp: t for fp, t in (old.get("resolved") or {}).items() if fp not in current})

    posted = []
    inline = [
        f
        for f in findings
        if f.path
        and f.start_line
        and all(
            x in lines.get(f.path, ())
            for x in range(f.start_line, (f.end_line or f.start_line) + 1)
        )
    ]
    # the first MAX_INLINE, in a stable order: a re-run picks the same ones, so posts nothing
    inline = sorted(inline, key=lambda f: (f.path, f.start_line, f.rule, f.message))[:MAX_INLINE]
    new_inline = [f for f in inline if f.fingerprint not in old_inline]
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
        client.post(
            f"{base}/pulls/{n}/reviews",
            {"commit_id": head_sha, "event": "COMMENT", "body": "", "comments": payload},
            what,
        )
        posted.append(f"{len(new_inline)} inline comments")

    gone_inline = [fp for fp in resolved if fp in old_inline]
    if gone_inline:
        ids = []
        for page in client.pages(f"{base}/pulls/{n}/comments", None, what):
            for c in page.data:
                m = FP.search(c.get("body") or "")
                if m and m.group(1) in gone_inline and c.get("node_id"):
                    ids.append(c["node_id"])
        if ids:
            mutation = (
                "mutation {\n"
                + "\n".join(
                    f'  m{i}: minimizeComment(input: {{subjectId: "{node}", classifier: RESOLVED}}) {{ minimizedComment {{ isMinimized }} }}'  # noqa: E501
                    for i, node in enumerate(ids)
                )
                + "\n}"
            )
            client.graphql(mutation, {}, what)
            posted.append(f"{len(ids)} resolved comments minimised")

    digest = hashlib.sha1(json.dumps(sorted(current)).encode()).hexdigest()[:16]
    state = {
        "head": head_sha,
        # bounded, so that the summary stays under GitHub's 65,536-character limit
        "open": {
            fp: neutral(f"{f.rule}: {f.message[:60]}")
            for fp, f in list(current.items())[:MAX_STATE]
        },
        "inline": sorted(old_inline | {f.fingerprint for f in new_inline}),
        "resolved": dict(list(resolved.items())[-MAX_ROWS // 2 :]),
        "check": old.get("check")
        if old.get("check", {}).get("digest") == digest
        and old.get("check", {}).get("head") == head_sha
        else None,
    }
    if state["check"] is None:
        annotations = [
            {
                "path": f.path,
                "start_line": f.start_line or 1,
                "end_line": f.end_line or f.start_line or 1,
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
        run = client.post(
            f"{base}/check-runs",
            {
                "name": CHECK_NAME,
                "head_sha": head_sha,
                "status": "completed",
                "conclusion": outcome.conclusion,
                "output": {**output, "annotations": annotations[:BATCH]},
            },
            what,
        )
        for start in range(BATCH, len(annotations), BATCH):
            client.patch(
                f"{base}/check-runs/{run['id']}",
                {"output": {**output, "annotations": annotations[start : start + BATCH]}},
                what,
            )
        state["check"] = {"head": head_sha, "digest": digest, "id": run["id"]}
        posted.append(f"check run with {len(annotations)} annotations")

    body = summary_body(outcome, findings, state, docs_url, resolved, dropped)
    if mine is None:
        client.post(f"{base}/issues/{n}/comments", {"body": body}, what)
        posted.append("summary comment")
    elif mine["body"] != body:
        client.patch(f"{base}/issues/comments/{mine['id']}", {"body": body}, what)
        posted.append("summary comment updated")

    present = [label["name"] for label in pr.get("labels", ())]
    wanted = [label for label in outcome.labels if label not in present]
    stale = [x for x in present if x.startswith("size/") and x not in outcome.labels]
    if wanted and stale:  # one request: set the whole list, the old size label left out
        keep = [x for x in present if x not in stale] + wanted
        client.put(f"{base}/issues/{n}/labels", {"labels": keep}, what)
        posted.append(f"labels {', '.join(wanted)} (replacing {', '.join(stale)})")
    elif wanted:
        client.post(f"{base}/issues/{n}/labels", {"labels": wanted}, what)
        posted.append(f"labels {', '.join(wanted)}")
    done = "; ".join(posted) if posted else "nothing new to post"
    return f"{what}: {done} ({client.requests} API requests)"
