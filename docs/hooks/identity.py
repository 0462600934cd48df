"""MkDocs hook: the site reads the project's identity from identity.toml at build time.

Pages may write ``{{ identity.name }}``, ``{{ identity.repository }}`` and the other fields of
identity.toml; the footer's copyright line comes from it too.
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


def on_config(config, **_):
    ident = identity.load(ROOT)
    config["copyright"] = f"© {ident.copyright} · Apache-2.0"
    config.setdefault("extra", {})["identity"] = ident
    return config


def on_page_markdown(markdown, page, config, **_):
    ident = config["extra"]["identity"]

    def field(match: re.Match) -> str:
        name = match.group(1)
        if not hasattr(ident, name):
            raise ValueError(f"{page.file.src_path}: unknown identity field {name!r}")
        return str(getattr(ident, name))

    return _FIELD.sub(field, markdown)
