"""MkDocs hook: command references rendered from the commands' own argparse parsers.

A page writes ``<!-- cli: PROGRAM [SUBCOMMAND] -->`` on a line of its own; the build puts that
command's ``--help`` there, so the Tools page can never drift from the code.
"""

from __future__ import annotations

import importlib
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


def _help(command: str, where: str) -> str:
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


def on_page_markdown(markdown, page, **_):
    os.environ["COLUMNS"] = "100"  # the same wrapping on every machine

    def render(match: re.Match) -> str:
        text = _help(match.group("cmd"), page.file.src_path).rstrip()
        return f"```text\n{text}\n```"

    return _MARKER.sub(render, markdown)
