"""``governance``: keep the project's generated governance files true to its policy."""

from __future__ import annotations

import argparse

from tools import identity
from tools.errors import cli_entry
from tools.governance import rename as rename_mod


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="governance", description="Governance as code: rename a fork of the template."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "rename",
        help="turn this fork into another project",
        description="Rewrite identity.toml, then pyproject.toml, mkdocs.yml and the README title.",
    )
    p.add_argument("--name", required=True, help="the project's display name, e.g. 'Acme'")
    p.add_argument("--repository", required=True, help="GitHub owner/name, e.g. acme/acme")
    p.add_argument("--package", help="the Python distribution name (default: from --name)")
    p.add_argument("--docs-url", help="default: https://OWNER.github.io/NAME/")
    p.add_argument("--description", help="one line (default: keep the current one)")
    p.add_argument("--copyright", help="copyright holder (default: 'The NAME authors')")
    return parser


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "rename":
        root = identity.find_root()
        new = rename_mod.rename(
            root,
            name=args.name,
            repository=args.repository,
            package=args.package,
            docs_url=args.docs_url,
            description=args.description,
            copyright=args.copyright,
        )
        print(f"renamed to {new.name} ({new.repository}); docs at {new.docs_url}")
        print("next: reinstall (pip install -e .) so the new distribution name is used")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
