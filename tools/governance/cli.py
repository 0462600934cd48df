"""``governance``: keep the project's generated governance files true to its policy."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .. import identity
from ..errors import Parser, UserError, cli_entry
from ..governance import check as checks
from ..governance import rename as rename_mod
from ..policy import load_events, load_policy
from ..policy.model import POLICY_FILE

ROOT_MARKERS = (identity.IDENTITY_FILE, POLICY_FILE.as_posix())


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="governance",
        description="Governance as code: generate CODEOWNERS and MAINTAINERS.md from "
        "governance/policy.yml, check for drift, and rename a fork of the template.",
    )
    parser.add_argument(
        "--root",
        type=Path,
        help="the repository root (default: the nearest directory above the current one "
        "that holds identity.toml or governance/policy.yml)",
    )
    parser.add_argument(
        "--policy",
        type=Path,
        help="the policy file (default: ROOT/governance/policy.yml); relative to the root",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    i = sub.add_parser(
        "init",
        help="write a starting policy for an existing repository from what it holds",
        description="Write governance/policy.yml for a repository that has none: areas "
        "imported from its CODEOWNERS (checked file by file to keep their owners) or taken "
        "from its top-level folders; people proposed per area from the last year's commits "
        "and git blame, as comments with their evidence; bots from the history (.mailmap "
        "respected); with a token, labels, merge settings and the default branch's protection "
        "from GitHub. Also writes CODEOWNERS and governance/MAINTAINERS.md where they do not "
        "exist. Never overwrites a file without --force: a second run changes nothing.",
    )
    i.add_argument("--force", action="store_true", help="write over an existing policy file")
    i.add_argument("--days", type=int, default=365,
                   help="the history the proposals weigh, up to HEAD (default: 365)")  # fmt: skip
    i.add_argument("--no-blame", action="store_true",
                   help="skip git blame (faster on large trees: proposals by commits "
                   "alone)")  # fmt: skip
    i.add_argument("--repository", help="OWNER/REPO on GitHub (default: the origin remote's)")
    i.add_argument("--token-env", default="GITHUB_TOKEN",
                   help="the variable holding a token to read GitHub with (default: GITHUB_TOKEN;"
                   " without one GitHub is not read)")  # fmt: skip
    i.add_argument("--api-url", default="https://api.github.com")

    sub.add_parser(
        "sync",
        help="write .github/CODEOWNERS and governance/MAINTAINERS.md from the policy",
        description="Regenerate .github/CODEOWNERS and governance/MAINTAINERS.md from "
        "governance/policy.yml. Files already up to date are left untouched.",
    )
    sub.add_parser(
        "check",
        help="fail when the policy, the generated files and the tree disagree",
        description="Validate governance/policy.yml and governance/events.yml, then report "
        "every drift: generated files out of date, an area owned by someone who is not an "
        "active maintainer or reviewer, an active maintainer without an area, an area "
        "without an owner, a path glob that matches no file. Exit 1 when any is found.",
    )

    a = sub.add_parser(
        "apply",
        help="make GitHub enforce the policy: labels, a default-branch ruleset, settings",
        description="Compare what GitHub has with what governance/policy.yml wants — labels "
        "(the policy's and the review bot's size labels), a ruleset for the default branch "
        "(required approvals, code-owner review, required checks, stale approvals dismissed, "
        "no force pushes or deletion) and repository settings (merge methods, delete branch "
        "on merge, Discussions) — and print the plan. --apply makes the changes; --check "
        "exits 1 when anything differs. Needs a repository admin's token.",
    )
    a.add_argument("repository", nargs="?", help="OWNER/REPO (default: identity.toml's repository)")
    mode = a.add_mutually_exclusive_group()
    mode.add_argument("--apply", action="store_true", help="make the changes")
    mode.add_argument("--check", action="store_true", help="exit 1 when GitHub differs")
    a.add_argument("--prune", action="store_true", help="also delete labels not in the policy")
    a.add_argument("--token-env", default="GITHUB_TOKEN", help="default: GITHUB_TOKEN")
    a.add_argument("--api-url", default="https://api.github.com")

    n = sub.add_parser(
        "nudge",
        help="remind open items nobody has answered within stale.nudge_after_days",
        description="Read the repository's open issues and pull requests, and post one "
        "reminder on each where the maintainers owe a reply, or where someone answered the "
        "author and the author is silent, for longer than the policy's "
        "stale.nudge_after_days — skipping exempt labels and items reminded within that "
        "time (looked up again just before each post, so two runs at once never remind an "
        "item twice), at most stale.max_nudges_per_run a run, the longest-waiting first. "
        "Prints what it would post; --post posts. Never closes anything.",
    )
    n.add_argument("repository", nargs="?", help="OWNER/REPO (default: identity.toml's)")
    n.add_argument("--post", action="store_true", help="post the reminders (default: dry run)")
    n.add_argument(
        "--bot-login",
        default="github-actions[bot]",
        help="the account the token posts as (default: github-actions[bot])",
    )
    n.add_argument("--token-env", default="GITHUB_TOKEN", help="default: GITHUB_TOKEN")
    n.add_argument("--api-url", default="https://api.github.com")
    n.add_argument("--cache-dir", type=Path, help="default: the user's cache directory")

    sub.add_parser(
        "clear-examples",
        help="delete the template's example people and events",
        description="Delete governance/examples.yml — the invented people and events the "
        "template ships to show the site and tools at work — and regenerate CODEOWNERS and "
        "MAINTAINERS.md. The policy and events files stay valid; add your own people to "
        "governance/policy.yml.",
    )

    sub.add_parser(
        "release",
        help="check that pyproject.toml, CITATION.cff and CHANGELOG.md agree, then tag vX.Y.Z",
        description="Check that the version in pyproject.toml is CITATION.cff's, and that "
        "CHANGELOG.md has a section of that version dated as CITATION.cff's date-released; "
        "then make the annotated tag vX.Y.Z that copier records in the projects it makes. "
        "Refuses a dirty working tree or an existing tag. Push the tag yourself.",
    )

    p = sub.add_parser(
        "rename",
        help="turn this fork into another project",
        description="Rewrite identity.toml, then pyproject.toml, mkdocs.yml, CITATION.cff, "
        "the issue chooser and the README. The old names are read from those files, so it works "
        "whether or not identity.toml was edited first; values left at the old project's in an "
        "edited identity.toml (package, docs URL, copyright holder) are derived from the new "
        "name and repository.",
    )
    p.add_argument(
        "--name",
        help="the project's display name, e.g. 'Acme' (with --repository; without both, the "
        "new identity is identity.toml's, as you edited it)",
    )
    p.add_argument("--repository", help="GitHub owner/name, e.g. acme/acme")
    p.add_argument("--package", help="the Python distribution name (default: from --name)")
    p.add_argument("--docs-url", help="default: https://OWNER.github.io/NAME/")
    p.add_argument("--description", help="one line (default: keep the current one)")
    p.add_argument("--copyright", help="copyright holder (default: 'The NAME authors')")
    p.add_argument(
        "--conduct-contact",
        help="where Code of Conduct reports go privately: an email address or an https:// form "
        "(written to the policy's contact.conduct)",
    )
    p.add_argument(
        "--security-contact",
        help="a private address for vulnerability reports besides GitHub's private reporting "
        "(the policy's contact.security)",
    )
    return parser


def cmd_clear_examples(root: Path) -> int:
    from ..policy.model import EXAMPLES_FILE

    path = root / EXAMPLES_FILE
    if not path.is_file():
        print(f"{EXAMPLES_FILE.as_posix()}: not there; no examples to clear")
        return 0
    before = load_policy(root)
    events = load_events(root) if (root / "governance" / "events.yml").is_file() else None
    people = sum(p.example for p in before.people)
    shown = sum(e.example for e in events.events) if events else 0
    path.unlink()
    policy = load_policy(root)  # still valid without them
    if events is not None:
        load_events(root)
    for rel in checks.sync(policy, root):
        print(f"wrote {rel.as_posix()}")
    print(
        f"removed {EXAMPLES_FILE.as_posix()}: {people} example people and {shown} example "
        "events; add your own people to governance/policy.yml, then run `governance check`"
    )
    return 0


def _repository(args, root: Path) -> str:
    repo = args.repository or identity.load(root).repository
    if not identity.REPOSITORY.match(repo):
        raise UserError(f"{repo!r}: not OWNER/REPO")
    return repo


def cmd_nudge(args, root: Path, policy) -> int:
    from datetime import UTC, datetime

    from ..community_report.sources import github as gh_source
    from ..github import GitHubClient
    from ..governance import nudge

    repo = _repository(args, root)
    token = os.environ.get(args.token_env)
    if args.post and not token:
        raise UserError(f"${args.token_env} is empty; --post needs a token that can comment")
    now = datetime.now(UTC)
    client = GitHubClient(
        token, args.api_url, args.cache_dir or gh_source.default_cache_dir(),
        token_env=args.token_env,
    )  # fmt: skip
    try:
        activity = gh_source.read(repo, token, token_env=args.token_env, client=client,
                                  policy=policy)  # fmt: skip
        due = sorted(nudge.choose(activity, now, policy, args.bot_login),
                     key=lambda n: -n.waiting_days)  # fmt: skip
        cap = policy.stale.max_nudges_per_run
        chosen, held = due[:cap], len(due) - cap if len(due) > cap else 0
        print(nudge.render(repo, chosen, args.post, held), end="")
        if args.post and chosen:
            days = policy.stale.nudge_after_days
            posted = nudge.post(client, repo, chosen, args.bot_login, now, days)
            skipped = len(chosen) - posted
            note = f"; {skipped} already reminded by another run" if skipped else ""
            print(f"posted {posted}{note} ({client.requests} API requests)")
    finally:
        client.close()
    return 0


def cmd_apply(args, root: Path, policy) -> int:
    from ..github import GitHubClient
    from ..governance import apply as gh_apply

    repo = _repository(args, root)
    token = os.environ.get(args.token_env)
    if not token:
        raise UserError(
            f"${args.token_env} is empty; apply reads and changes repository settings, which "
            "needs a repository admin's token (see the docs: Set up your fork on GitHub)"
        )
    client = GitHubClient(token, args.api_url, token_env=args.token_env)
    try:
        current = gh_apply.read_state(client, repo)
        wanted = gh_apply.desired(policy)
        changes = gh_apply.plan(current, wanted, prune=args.prune)
        unmanaged = [] if args.prune else gh_apply.unmanaged_labels(current, wanted)
        print(gh_apply.render(repo, changes, unmanaged), end="")
        reads = client.requests
        if args.apply and changes:
            writes = gh_apply.execute(client, repo, changes, current, wanted)
            print(f"applied: {writes} writes ({reads} reads)")
        elif not args.apply and changes:
            print("plan only: run with --apply to make these changes")
    finally:
        client.close()
    return 1 if args.check and changes else 0


def cmd_init(args) -> int:
    from ..community_report.sources.git import origin_repository, toplevel
    from ..files import write_text_atomic
    from ..governance import init

    if args.days <= 0:
        raise UserError(f"--days {args.days}: give a positive number of days")
    root = args.root or toplevel(Path.cwd())
    if root is None:
        raise UserError(f"{Path.cwd()}: not a git repository; run governance init inside one")
    path = root / (args.policy or POLICY_FILE)
    shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    if path.exists() and not args.force:
        print(f"{shown}: already there; nothing written (--force writes a new one over it)")
        return 0
    token = os.environ.get(args.token_env)
    repo = args.repository or origin_repository(root)
    if args.repository and not identity.REPOSITORY.match(args.repository):
        raise UserError(f"--repository {args.repository!r}: not OWNER/REPO")
    local = init.read_local(root, args.days, blame=not args.no_blame)
    if not (token and repo):
        remote = None
        draft = init.draft(local, remote)
    else:
        from ..github import GitHubClient

        client = GitHubClient(token, args.api_url, token_env=args.token_env)
        try:
            remote = init.read_github(client, repo)
            draft = init.draft(local, remote)
            wanted = init.unknown_logins(draft, local.activity)
            draft.logins = init.read_logins(client, repo, wanted)
        finally:
            client.close()
    if draft.differences and not args.force:
        raise UserError(
            f"{local.codeowners[0]}: the policy cannot give {len(draft.differences)} file(s) "
            f"the owners CODEOWNERS gives them, e.g. {draft.differences[0]}; nothing written "
            "(--force writes it anyway)"
        )
    text = init.render(draft, shown)
    policy = init.check_draft(text, path)
    for line in init.describe(draft):
        print(line)
    if remote is None:
        why = "no OWNER/REPO (give --repository)" if not repo else f"${args.token_env} is empty"
        print(f"GitHub: not read ({why}); labels and protection left at the defaults")
    write_text_atomic(path, text)
    print(f"wrote {shown}")
    for rel, want in checks.expected(policy, root).items():
        if not (root / rel).exists():  # never over an existing file
            write_text_atomic(root / rel, want)
            print(f"wrote {rel.as_posix()}")
    print("next: read it through, then `governance check` and `governance sync`")
    return 0


def _load(root: Path, args):
    if args.policy is not None:
        return load_policy(path=args.policy if args.policy.is_absolute() else root / args.policy)
    return load_policy(root)


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "init":
        return cmd_init(args)
    if args.command == "rename":
        root = args.root or identity.find_root()
        new, derived = rename_mod.rename(root, **rename_mod.from_args(args))
        print(f"renamed to {new.name} ({new.repository}); docs at {new.docs_url}")
        for key in derived:
            print(f"  {key} = {getattr(new, key)!r} (derived: identity.toml kept the old value)")
        if (root / POLICY_FILE).is_file():  # the issue chooser names the repository
            for rel in checks.sync(load_policy(root), root):
                print(f"wrote {rel.as_posix()}")
        print(
            "next: reinstall (`make rename` does it; by hand: pip uninstall the old "
            "distribution, then pip install -e .)"
        )
        return 0

    try:
        root = args.root or identity.find_root(markers=ROOT_MARKERS)
    except UserError as exc:  # an existing project that has not adopted a policy yet
        raise UserError(f"{exc}; in a project without a policy, `governance init` writes "
                        "one from what the repository holds") from None  # fmt: skip
    if args.command == "release":
        from ..governance.release import release

        tag = release(root)
        print(f"tagged {tag}; publish it with: git push origin {tag}")
        return 0
    policy = _load(root, args)
    if args.command == "apply":
        return cmd_apply(args, root, policy)
    if args.command == "nudge":
        return cmd_nudge(args, root, policy)
    if args.command == "clear-examples":
        return cmd_clear_examples(root)
    if args.command == "sync":
        written = checks.sync(policy, root)
        for rel in written:
            print(f"wrote {rel.as_posix()}")
        if not written:
            print("CODEOWNERS and MAINTAINERS.md are up to date")
        return 0

    if (root / "governance" / "events.yml").is_file():
        load_events(root)
    found = checks.check(policy, root)
    for problem in found:
        print(problem)
    problems = [p for p in found if not p.warning]
    warnings = len(found) - len(problems)
    tail = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
    if problems:
        print(f"governance check: {len(problems)} problem{'s' if len(problems) > 1 else ''}{tail}")
        return 1
    print(f"governance check: the policy, CODEOWNERS, MAINTAINERS.md and the tree agree{tail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
