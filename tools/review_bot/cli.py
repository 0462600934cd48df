"""``review-bot``: policy-driven pull-request review, locally or in GitHub Actions."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from .. import identity
from ..errors import Parser, UserError, cli_entry
from ..files import write_text_atomic
from ..policy import load_policy
from ..policy.model import POLICY_FILE, default_policy
from ..review_bot.publish import terminal
from ..review_bot.rules import review
from ..review_bot.sources import local, ruff

MAX_ARTIFACT = 1_000_000  # bytes


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="review-bot",
        description="Review a change with the rules of governance/policy.yml: on your machine "
        "before you push (local), in an untrusted job (analyze), or in a trusted one (publish).",
    )
    p.add_argument("--policy", type=Path, help="default: governance/policy.yml of the repository")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lo = sub.add_parser(
        "local",
        help="review the local diff before pushing",
        description="Run the rules on the diff from the merge base with --base to --head. "
        "Exits 1 when a rule fails (a finding of severity failure, as the pull request's check "
        "would), 0 otherwise.",
    )
    lo.add_argument("--base", help="default: the default branch (origin/HEAD, main or master)")
    lo.add_argument("--head", default="HEAD", help="default: HEAD")
    lo.add_argument("--format", choices=("text", "json"), default="text")
    lo.add_argument("--no-ruff", action="store_true", help="skip the ruff rule")

    an = sub.add_parser(
        "analyze",
        help="GitHub Actions, untrusted side: findings of a pull_request event as JSON",
        description="Read the pull_request event payload and the checked-out head, run the "
        "rules, and write the findings artifact. Needs no token and posts nothing.",
    )
    an.add_argument("--event", type=Path, default=os.environ.get("GITHUB_EVENT_PATH"))
    an.add_argument("--output", type=Path, required=True)

    pu = sub.add_parser(
        "publish",
        help="GitHub Actions, trusted side: validate the artifact and post it",
        description="Treat the findings artifact as untrusted data: check its schema and size, "
        "match its pull request to the head SHA that triggered the run, keep only paths among "
        "the pull request's files, neutralise mentions and HTML; then post one summary comment "
        "(edited in place), one review of inline comments, a check run and labels.",
    )
    pu.add_argument("--findings", type=Path, required=True)
    pu.add_argument("--repository", required=True, help="OWNER/REPO")
    pu.add_argument("--head-sha", required=True, help="the head SHA of the analysed run")
    pu.add_argument("--api-url", default="https://api.github.com")
    pu.add_argument("--token-env", default="GITHUB_TOKEN")
    pu.add_argument("--docs-url", help="default: identity.toml's docs_url")
    pu.add_argument(
        "--bot-login",
        default="github-actions[bot]",
        help="the account the token posts as; only its comments are the bot's own "
        "(default: github-actions[bot], the workflow's GITHUB_TOKEN)",
    )
    return p


def _policy(args, root: Path):
    """(policy, which): the --policy file, else the repository's governance/policy.yml, else
    the built-in defaults; ``which`` says which, for stderr once the run has succeeded."""
    if args.policy is not None:
        return load_policy(path=args.policy), f"policy: {args.policy}"
    if (root / POLICY_FILE).is_file():
        return load_policy(path=root / POLICY_FILE), f"policy: {root / POLICY_FILE}"
    return default_policy(), (
        f"policy: built-in defaults (no {POLICY_FILE.as_posix()} in {root}): *.py outside "
        "tests/ is source, tests/** are tests"
    )


def _root() -> Path:
    top = local.git(Path.cwd(), "rev-parse", "--show-toplevel", check=False).strip()
    if not top:
        raise UserError(f"{Path.cwd()}: not a git repository; run review-bot inside a git checkout")
    return Path(top)


def cmd_local(args) -> int:
    root = _root()
    policy, which = _policy(args, root)
    facts = local.read(root, args.base, args.head)
    diags = [] if args.no_ruff else ruff.diagnostics(root, facts.files)
    outcome = review(facts, policy, diags)
    sys.stdout.write(terminal.as_json(outcome) if args.format == "json" else terminal.text(outcome))
    print(which, file=sys.stderr)
    return 1 if any(f.severity == "failure" for f in outcome.findings) else 0


def _event(path: Path) -> dict:
    """The fields of a pull_request event payload the review needs, checked; one line on
    anything missing or malformed."""
    try:
        event = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text; give the pull_request event's JSON") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})") from None

    def need(*keys, kind=str):
        value = event
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if not isinstance(value, kind) or isinstance(value, bool):
            raise UserError(
                f"{path}: {'.'.join(keys)} is missing or not a {kind.__name__}; is this a "
                "pull_request event payload?"
            )
        return value

    sha = r"^[0-9a-f]{40}$"
    out = {
        "repository": need("repository", "full_name"),
        "number": need("pull_request", "number", kind=int),
        "base": need("pull_request", "base", "sha"),
        "head": need("pull_request", "head", "sha"),
        "author": need("pull_request", "user", "login"),
    }
    for key in ("base", "head"):
        if not re.match(sha, out[key]):
            raise UserError(f"{path}: pull_request.{key}.sha {out[key][:50]!r} is not a commit SHA")
    pr = event["pull_request"]
    out["title"] = pr.get("title") if isinstance(pr.get("title"), str) else ""
    out["body"] = pr.get("body") if isinstance(pr.get("body"), str) else ""
    association = pr.get("author_association")
    out["association"] = association if isinstance(association, str) else "NONE"
    labels = pr.get("labels") if isinstance(pr.get("labels"), list) else []
    out["labels"] = tuple(
        label["name"]
        for label in labels
        if isinstance(label, dict) and isinstance(label.get("name"), str)
    )
    return out


def cmd_analyze(args) -> int:
    if args.event is None or not args.event.is_file():
        raise UserError("--event: no pull_request event payload (set GITHUB_EVENT_PATH or --event)")
    event = _event(args.event)
    root = _root()
    policy, which = _policy(args, root)
    facts = local.read(root, event["base"], event["head"])
    facts.repository = event["repository"]
    facts.number = event["number"]
    facts.title = event["title"]
    facts.body = event["body"]
    facts.author = event["author"]
    facts.author_association = event["association"]
    facts.labels = event["labels"]
    outcome = review(facts, policy, ruff.diagnostics(root, facts.files))
    text = terminal.as_json(outcome)
    if len(text.encode()) > MAX_ARTIFACT:
        raise UserError(f"the findings are {len(text):,} bytes, over the {MAX_ARTIFACT:,} limit")
    write_text_atomic(args.output, text)
    print(terminal.text(outcome), end="")
    print(which, file=sys.stderr)
    return 0


def cmd_publish(args) -> int:
    from ..github import GitHubClient
    from ..review_bot.publish import github as publisher
    from ..review_bot.untrusted import load_artifact

    # the trusted side needs the policy and the identity, not a git checkout
    root = identity.find_root(markers=(identity.IDENTITY_FILE, POLICY_FILE.as_posix()))
    policy, _ = _policy(args, root)
    docs_url = args.docs_url or identity.load(root).docs_url
    artifact = load_artifact(args.findings, policy)
    token = os.environ.get(args.token_env)
    if not token:
        raise UserError(f"${args.token_env} is empty; the publish step needs a token")
    client = GitHubClient(token, args.api_url, token_env=args.token_env)
    try:
        report = publisher.publish(
            client, args.repository, args.head_sha, artifact, docs_url, policy, args.bot_login
        )
    finally:
        client.close()
    print(report)
    return 0


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return {"local": cmd_local, "analyze": cmd_analyze, "publish": cmd_publish}[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
