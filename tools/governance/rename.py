"""``governance rename``: turn a fork into another project.

``identity.toml`` is rewritten, then the few files that cannot read it at run time:
pyproject.toml (distribution name, dependencies on itself, URLs, authors), mkdocs.yml (site
name and URLs) and the README (title and text). Each rewrite is a line-anchored substitution;
a file whose anchor is missing is an error, so a fork never ends half renamed.

The *old* identity is read from those files themselves (pyproject.toml's name and URLs,
mkdocs.yml's site name), never from identity.toml, which the maintainer may already have
edited: whichever order they follow, every old name is found and replaced. Without --name and
--repository the new identity is identity.toml's, as edited.
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


def current_identity(root: Path) -> ident.Identity:
    """The identity the rewritten files still carry: what the rename must replace."""
    import tomllib

    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        mkdocs = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise UserError(f"{exc.filename}: file not found; rename needs it") from None
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise UserError(f"{root / 'pyproject.toml'}: cannot read [project] ({exc})") from None
    site = re.search(r"^site_name:\s*(.+?)\s*$", mkdocs, re.MULTILINE)
    urls = project.get("urls", {})
    home = urls.get("Homepage", "")
    if not site or not home.startswith("https://github.com/"):
        raise UserError(
            f"{root}: cannot tell the current name (mkdocs.yml site_name, pyproject.toml "
            "[project.urls] Homepage on github.com); restore them or edit the files by hand"
        )
    name = site.group(1)
    if name.startswith('"'):
        name = json.loads(name)
    elif name.startswith("'"):
        name = name.strip("'")
    authors = project.get("authors") or [{}]
    return ident.Identity(
        name=name,
        package=project["name"],
        description=project.get("description", ""),
        repository=home.removeprefix("https://github.com/").strip("/"),
        docs_url=urls.get("Documentation", ""),
        copyright=authors[0].get("name", ""),
    )


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

    path = root / "CITATION.cff"
    if path.is_file():  # optional: a fork may have dropped it
        text = path.read_text(encoding="utf-8")
        text = _sub(text, r"^title:.*$", f"title: {json.dumps(new.name)}", path, "title")
        text = _sub(text, r"^abstract:.*$", f"abstract: {json.dumps(new.description)}", path,
                    "abstract")  # fmt: skip
        text = text.replace(f'name: "{old.copyright}"', f"name: {json.dumps(new.copyright)}")
        text = text.replace(old.repo_url, new.repo_url).replace(old.docs_url, new.docs_url)
        out[path] = text

    path = root / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    if path.is_file():  # the issue chooser links the repository's Discussions
        text = path.read_text(encoding="utf-8")
        out[path] = text.replace(f"{old.repo_url}/", f"{new.repo_url}/")

    path = root / "README.md"
    text = path.read_text(encoding="utf-8")
    text = _sub(text, r"^# .*$", f"# {new.name}", path, "the title line")
    out[path] = _readme_body(text, old, new)
    return out


CREDIT = "<!-- template credit -->"


def _readme_body(text: str, old: ident.Identity, new: ident.Identity) -> str:
    """The old name in the README's text becomes the new one, and one line credits the
    template the project started from (kept, unchanged, by later renames)."""
    lines = text.split("\n")
    word = re.compile(rf"\b{re.escape(old.name)}\b")
    out = [line if CREDIT in line else word.sub(new.name, line) for line in lines]
    if old.name != new.name and not any(CREDIT in line for line in out):
        credit = (
            f"{CREDIT}This project was started from the [{old.name}]({old.repo_url}) "
            "project template."
        )
        out[1:1] = ["", credit]
    return "\n".join(out)


def rename(root: Path, name: str | None = None, repository: str | None = None,
           **kwargs) -> ident.Identity:  # fmt: skip
    old = current_identity(root)
    if name is None and repository is None and not any(kwargs.values()):
        new = ident.load(root)  # the maintainer edited identity.toml first
        if new == old:
            raise UserError(
                "rename: nothing to do — identity.toml still names this project; give --name "
                "and --repository (make rename NAME=… REPO=owner/name), or edit identity.toml"
            )
    elif not name or not repository:
        raise UserError("rename: give both --name and --repository, or neither")
    else:
        new = new_identity(old, name=name, repository=repository, **kwargs)
    try:
        rewrites = plan(root, old, new)
    except FileNotFoundError as exc:
        raise UserError(f"{exc.filename}: file not found; rename needs it") from None
    for path, text in rewrites.items():
        write_text_atomic(path, text)
    return new


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.governance.rename``: the rename alone, with the standard library only
    (copier runs it as a task, in whatever Python copier itself runs in)."""
    import argparse

    from tools.errors import cli_entry

    @cli_entry
    def run() -> int:
        p = argparse.ArgumentParser(prog="python -m tools.governance.rename")
        p.add_argument("--root", type=Path, default=Path.cwd())
        for flag in ("name", "repository", "package", "docs-url", "description", "copyright"):
            p.add_argument(f"--{flag}")
        args = p.parse_args(argv)
        old = current_identity(args.root)
        options = {
            "package": args.package,
            "docs_url": args.docs_url,
            "description": args.description,
            "copyright": args.copyright,
        }
        if args.name and args.name == old.name and args.repository == old.repository:
            print(f"already named {old.name} ({old.repository})")
            return 0
        new = rename(args.root, name=args.name, repository=args.repository, **options)
        print(f"renamed to {new.name} ({new.repository})")
        return 0

    return run()


if __name__ == "__main__":
    raise SystemExit(main())
