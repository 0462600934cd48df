"""MkDocs hook: the site reads the project's identity from identity.toml at build time.

Pages may write ``{{ identity.name }}``, ``{{ identity.repository }}`` and the other fields of
identity.toml, ``{{ contact.questions }}`` (where to ask: the policy's ``contact.questions``,
else the repository's Discussions) and ``{{ release }}`` (the release tag of pyproject.toml's
version, ``vX.Y.Z``, the one the reusable workflows install by default); the footer's
copyright line comes from identity.toml too.
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
_RELEASE = re.compile(r"\{\{\s*release\s*\}\}")


def on_config(config, **_):
    ident = identity.load(ROOT)
    config["copyright"] = f"© {ident.copyright} · Apache-2.0"
    config.setdefault("extra", {})["identity"] = ident
    from tools.governance.generate import questions_url
    from tools.policy import load_policy

    config["extra"]["questions"] = questions_url(load_policy(ROOT), ident.repository)
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    config["extra"]["release"] = f"v{project['version']}"
    return config


def on_page_markdown(markdown, page, config, **_):
    ident = config["extra"]["identity"]

    def field(match: re.Match) -> str:
        name = match.group(1)
        if not hasattr(ident, name):
            raise ValueError(f"{page.file.src_path}: unknown identity field {name!r}")
        return str(getattr(ident, name))

    markdown = _QUESTIONS.sub(config["extra"]["questions"], markdown)
    markdown = _RELEASE.sub(config["extra"]["release"], markdown)
    return _FIELD.sub(field, markdown)
