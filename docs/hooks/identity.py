"""MkDocs hook: the site reads the project's identity from identity.toml at build time.

Pages may write ``{{ identity.name }}``, ``{{ identity.repository }}`` and the other fields of
identity.toml, and ``{{ contact.questions }}`` (where to ask: the policy's ``contact.questions``,
else the repository's Discussions); the footer's copyright line comes from identity.toml too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import identity  # noqa: E402

_FIELD = re.compile(r"\{\{\s*identity\.(\w+)\s*\}\}")
_QUESTIONS = re.compile(r"\{\{\s*contact\.questions\s*\}\}")


def on_config(config, **_):
    ident = identity.load(ROOT)
    config["copyright"] = f"© {ident.copyright} · Apache-2.0"
    config.setdefault("extra", {})["identity"] = ident
    from tools.governance.generate import questions_url
    from tools.policy import load_policy

    config["extra"]["questions"] = questions_url(load_policy(ROOT), ident.repository)
    return config


def on_page_markdown(markdown, page, config, **_):
    ident = config["extra"]["identity"]

    def field(match: re.Match) -> str:
        name = match.group(1)
        if not hasattr(ident, name):
            raise ValueError(f"{page.file.src_path}: unknown identity field {name!r}")
        return str(getattr(ident, name))

    markdown = _QUESTIONS.sub(config["extra"]["questions"], markdown)
    return _FIELD.sub(field, markdown)
