"""``governance rename``: turn a fork into another project.

``identity.toml`` is rewritten, then the few files that cannot read it at run time:
pyproject.toml (distribution name, URLs), mkdocs.yml (site name and URLs) and the README's
title. Each rewrite is a line-anchored substitution; a file whose anchor is missing is an
error, so a fork never ends half renamed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from pathlib import Path

from tools import identity as ident
from tools.errors import UserError
from tools.files import write_text_atomic


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def new_identity(
    old: ident.Identity,
    name: str,
    repository: str,
    package: str | None = None,
    docs_url: str | None = None,
    description: str | None = None,
    copyright: str | None = None,
) -> ident.Identity:
    if not name.strip():
        raise UserError("rename: --name is empty; give the new project's name, e.g. --name Acme")
    owner, _, repo = repository.partition("/")
    data = asdict(
        replace(
            old,
            name=name.strip(),
            package=package or slug(name),
            repository=repository,
            docs_url=docs_url or f"https://{owner.lower()}.github.io/{repo}/",
            description=description or old.description,
            copyright=copyright or f"The {name.strip()} authors",
        )
    )
    return ident.validate(data, "rename")


def _sub(text: str, pattern: str, repl: str, path: Path, what: str, count: int = 1) -> str:
    new, n = re.subn(pattern, lambda _m: repl, text, count=count, flags=re.MULTILINE)
    if n == 0:
        raise UserError(
            f"{path}: cannot find {what} to rewrite (pattern {pattern!r}); "
            "restore that line or edit the file by hand"
        )
    return new


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def plan(root: Path, old: ident.Identity, new: ident.Identity) -> dict[Path, str]:
    """The new text of every file to rewrite; nothing is written here."""
    out: dict[Path, str] = {}

    path = root / ident.IDENTITY_FILE
    text = path.read_text(encoding="utf-8")
    for key, value in asdict(new).items():
        text = _sub(text, rf"^{key}\s*=.*$", f"{key} = {_toml_str(value)}", path, key)
    out[path] = text

    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    text = _sub(text, r"^name\s*=.*$", f"name = {_toml_str(new.package)}", path, "[project] name")
    text = _sub(
        text,
        r"^description\s*=.*$",
        f"description = {_toml_str(new.description)}",
        path,
        "[project] description",
    )
    text = text.replace(f'"{old.package}[', f'"{new.package}[')
    text = text.replace(old.repo_url, new.repo_url).replace(old.docs_url, new.docs_url)
    text = text.replace(f'name = "{old.copyright}"', f'name = "{new.copyright}"')
    out[path] = text

    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    text = _sub(text, r"^site_name:.*$", f"site_name: {json.dumps(new.name)}", path, "site_name")
    text = _sub(text, r"^site_url:.*$", f"site_url: {new.docs_url}", path, "site_url")
    text = _sub(text, r"^repo_url:.*$", f"repo_url: {new.repo_url}", path, "repo_url")
    text = _sub(text, r"^repo_name:.*$", f"repo_name: {new.repository}", path, "repo_name")
    text = _sub(
        text,
        r"^site_description:.*$",
        f"site_description: {json.dumps(new.description)}",
        path,
        "site_description",
    )
    out[path] = text

    path = root / "README.md"
    text = path.read_text(encoding="utf-8")
    out[path] = _sub(text, r"^# .*$", f"# {new.name}", path, "the title line")
    return out


def rename(root: Path, **kwargs) -> ident.Identity:
    old = ident.load(root)
    new = new_identity(old, **kwargs)
    try:
        rewrites = plan(root, old, new)
    except FileNotFoundError as exc:
        raise UserError(f"{exc.filename}: file not found; rename needs it") from None
    for path, text in rewrites.items():
        write_text_atomic(path, text)
    return new
