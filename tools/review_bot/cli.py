"""``review-bot``: policy-driven pull-request review, locally or in GitHub Actions."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tools import identity
from tools.errors import UserError, cli_entry
from tools.files import write_text_atomic
from tools.policy import load_policy
from tools.policy.model import POLICY_FILE
from tools.review_bot.publish import terminal
from tools.review_bot.rules import review
from tools.review_bot.sources import local, ruff

MAX_ARTIFACT = 1_000_000  # bytes


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="review-bot",
        description="Review a change with the rules of governance/policy.yml: on your machine "
        "before you push (local), in an untrusted job (analyze), or in a trusted one (publish).",
    )
    p.add_argument("--policy", type=Path, help="default: governance/policy.yml of the repository")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    lo = sub.add_parser(
        "local",
        help="review the local diff before pushing",
        description="Run the rules on the diff from the merge base with --base to --head.",
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
    return load_policy(path=args.policy or root / POLICY_FILE)


def _root() -> Path:
    top = local.git(Path.cwd(), "rev-parse", "--show-toplevel", check=False).strip()
    if not top:
        raise UserError(f"{Path.cwd()}: not a git repository; run review-bot inside a git checkout")
    return Path(top)


def cmd_local(args) -> int:
    root = _root()
    policy = _policy(args, root)
    facts = local.read(root, args.base, args.head)
    diags = [] if args.no_ruff else ruff.diagnostics(root, facts.files)
    outcome = review(facts, policy, diags)
    sys.stdout.write(terminal.as_json(outcome) if args.format == "json" else terminal.text(outcome))
    return 0


def cmd_analyze(args) -> int:
    if args.event is None or not args.event.is_file():
        raise UserError("--event: no pull_request event payload (set GITHUB_EVENT_PATH or --event)")
    try:
        event = json.loads(args.event.read_text(encoding="utf-8"))
        pr = event["pull_request"]
        repository = event["repository"]["full_name"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise UserError(f"{args.event}: not a pull_request event payload ({exc})") from None
    root = _root()
    policy = _policy(args, root)
    facts = local.read(root, pr["base"]["sha"], pr["head"]["sha"])
    facts.repository = repository
    facts.number = int(pr["number"])
    facts.title = pr.get("title") or ""
    facts.body = pr.get("body") or ""
    facts.author = pr["user"]["login"]
    facts.author_association = pr.get("author_association", "NONE")
    facts.labels = tuple(label["name"] for label in pr.get("labels", ()))
    outcome = review(facts, policy, ruff.diagnostics(root, facts.files))
    text = terminal.as_json(outcome)
    if len(text.encode()) > MAX_ARTIFACT:
        raise UserError(f"the findings are {len(text):,} bytes, over the {MAX_ARTIFACT:,} limit")
    write_text_atomic(args.output, text)
    print(terminal.text(outcome), end="")
    return 0


def cmd_publish(args) -> int:
    from tools.github import GitHubClient
    from tools.review_bot.publish import github as publisher
    from tools.review_bot.untrusted import load_artifact

    # the trusted side needs the policy and the identity, not a git checkout
    root = identity.find_root(markers=(identity.IDENTITY_FILE, POLICY_FILE.as_posix()))
    policy = _policy(args, root)
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
