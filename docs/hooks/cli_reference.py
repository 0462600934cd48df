"""MkDocs hook: command references rendered from the commands' own argparse parsers.

A page writes ``<!-- cli: PROGRAM [SUBCOMMAND] -->`` on a line of its own; the build puts that
command's ``--help`` there, so the Tools page can never drift from the code.

The reference model's command line needs torch to import, and the docs build must not (a typo
fix should not cost a 6 GB install): its help is read from ``reference_model_cli.json``
beside this file, which a test keeps equal to the live parser's. After changing that command
line, refresh it with ``python docs/hooks/cli_reference.py --refresh``.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROGRAMS = {
    "python -m reference_model": "reference_model.__main__",
    "governance": "tools.governance.cli",
    "community-report": "tools.community_report.cli",
    "review-bot": "tools.review_bot.cli",
}
_MARKER = re.compile(r"^<!-- cli: (?P<cmd>.+?) -->$", re.MULTILINE)
SNAPSHOT = Path(__file__).with_name("reference_model_cli.json")
SNAPSHOT_PROGRAM = "python -m reference_model"
COLUMNS = "100"  # the same wrapping on every machine


def live_help(command: str, where: str = "") -> str:
    for program, module in PROGRAMS.items():
        if command == program or command.startswith(program + " "):
            parser = importlib.import_module(module).build_parser()
            sub = command[len(program) :].strip()
            if sub:
                actions = [
                    a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"
                ]
                if not actions or sub not in actions[0].choices:
                    raise ValueError(f"{where}: {program} has no subcommand {sub!r}")
                parser = actions[0].choices[sub]
            return parser.format_help()
    raise ValueError(f"{where}: unknown program in <!-- cli: {command} -->")


def snapshot_commands() -> list[str]:
    """The reference model's commands the docs show (every subcommand)."""
    parser = importlib.import_module(PROGRAMS[SNAPSHOT_PROGRAM]).build_parser()
    actions = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    return [f"{SNAPSHOT_PROGRAM} {name}" for name in actions[0].choices]


def _help(command: str, where: str) -> str:
    if command.startswith(SNAPSHOT_PROGRAM):
        known = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        if command not in known:
            raise ValueError(f"{where}: {command!r} is not in {SNAPSHOT.name}; refresh it")
        return known[command]
    return live_help(command, where)


def on_page_markdown(markdown, page, **_):
    os.environ["COLUMNS"] = COLUMNS

    def render(match: re.Match) -> str:
        text = _help(match.group("cmd"), page.file.src_path).rstrip()
        return f"```text\n{text}\n```"

    return _MARKER.sub(render, markdown)


if __name__ == "__main__":  # python docs/hooks/cli_reference.py --refresh (needs torch)
    if sys.argv[1:] != ["--refresh"]:
        raise SystemExit("usage: python docs/hooks/cli_reference.py --refresh")
    os.environ["COLUMNS"] = COLUMNS
    helps = {cmd: live_help(cmd) for cmd in snapshot_commands()}
    SNAPSHOT.write_text(json.dumps(helps, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
