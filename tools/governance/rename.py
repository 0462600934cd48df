"""``governance rename``: turn a fork into another project.

``identity.toml`` is rewritten, then the few files that cannot read it at run time:
pyproject.toml (distribution name, dependencies on itself, URLs, authors), mkdocs.yml (site
name and URLs), CITATION.cff, the issue chooser and the README (title and text). Each rewrite
is a line-anchored substitution whose new value is written by a serializer (a TOML or YAML
double-quoted string), and every TOML file is parsed back before anything is written; a file
whose anchor is missing is an error, so a fork never ends half renamed.

The *old* identity is read from those files themselves (pyproject.toml's name and URLs,
mkdocs.yml's site name), never from identity.toml, which the maintainer may already have
edited: whichever order they follow, every old name is found and replaced. Without --name and
--repository the new identity is identity.toml's, as edited; a value left as it was there
(the package, the docs URL, the copyright holder) is derived from the new name and repository.

Standard library only: copier runs this module as its task, in whatever Python copier runs in.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import asdict, replace
from pathlib import Path

from .. import identity as ident
from ..errors import UserError
from ..files import write_text_atomic

# A fork's description until it writes its own (copier.yml asks, with the same default).
DEFAULT_DESCRIPTION = "A project started from a governance-as-code template."
CREDIT = "<!-- template credit -->"


# Latin letters with no decomposition into a base letter and an accent
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "þ": "th"}
)  # fmt: skip


def slug(name: str) -> str:
    """A distribution name from a display name: transliterated (``Ünïcode Café`` →
    ``unicode-cafe``, ``Straße`` → ``strasse``), anything else that is not a letter or digit
    becomes one hyphen."""
    latin = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    ascii_name = latin.encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not out:
        raise UserError(
            f"rename: cannot make a package name from {name!r} (no Latin letters or digits); "
            "give one with --package, e.g. --package acme"
        )
    return out


def current_identity(root: Path) -> ident.Identity:
    """The identity the rewritten files still carry: what the rename must replace."""
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
        name = name[1:-1].replace("''", "'")
    authors = project.get("authors") or [{}]
    return ident.Identity(
        name=name,
        package=project["name"],
        description=project.get("description", ""),
        repository=home.removeprefix("https://github.com/").strip("/"),
        docs_url=urls.get("Documentation", ""),
        copyright=authors[0].get("name", ""),
    )


def default_docs_url(repository: str) -> str:
    owner, _, repo = repository.partition("/")
    return f"https://{owner.lower()}.github.io/{repo}/"


def default_copyright(name: str) -> str:
    return f"The {name.strip()} authors"


def first_rename(root: Path) -> bool:
    """Still the template itself: its README credits no template yet."""
    readme = root / "README.md"
    return not (readme.is_file() and CREDIT in readme.read_text(encoding="utf-8"))


def new_identity(
    old: ident.Identity,
    name: str,
    repository: str,
    package: str | None = None,
    docs_url: str | None = None,
    description: str | None = None,
    copyright: str | None = None,
    first: bool = False,
) -> ident.Identity:
    if not name.strip():
        raise UserError("rename: --name is empty; give the new project's name, e.g. --name Acme")
    kept = DEFAULT_DESCRIPTION if first else old.description
    data = asdict(
        replace(
            old,
            name=name.strip(),
            package=package or slug(name),
            repository=repository,
            docs_url=docs_url or default_docs_url(repository),
            description=description or kept,
            copyright=copyright or default_copyright(name),
        )
    )
    return ident.validate(data, "rename")


def derive_unchanged(
    old: ident.Identity, edited: ident.Identity, first: bool
) -> tuple[ident.Identity, list[str]]:
    """identity.toml as the maintainer edited it, with each value they left at the old
    project's derived from what they did change; returns it and the keys derived."""
    changes: dict[str, str] = {}
    if edited.name != old.name and edited.package == old.package:
        changes["package"] = slug(edited.name)
    if edited.repository != old.repository and edited.docs_url == old.docs_url:
        changes["docs_url"] = default_docs_url(edited.repository)
    if edited.name != old.name and edited.copyright == old.copyright:
        changes["copyright"] = default_copyright(edited.name)
    if first and edited.name != old.name and edited.description == old.description:
        changes["description"] = DEFAULT_DESCRIPTION
    new = ident.validate({**asdict(edited), **changes}, ident.IDENTITY_FILE)
    return new, sorted(changes)


def _sub(text: str, pattern: str, repl: str, path: Path, what: str, count: int = 1) -> str:
    new, n = re.subn(pattern, lambda _m: repl, text, count=count, flags=re.MULTILINE)
    if n == 0:
        raise UserError(
            f"{path}: cannot find {what} to rewrite (pattern {pattern!r}); "
            "restore that line or edit the file by hand"
        )
    return new


def quoted(value: str) -> str:
    """A TOML basic string, which is also a YAML double-quoted scalar: JSON's escapes are a
    subset of both (quotes, backslashes and control characters escaped)."""
    return json.dumps(value, ensure_ascii=False)


def plan(
    root: Path,
    old: ident.Identity,
    new: ident.Identity,
    version: str | None = None,
) -> dict[Path, str]:
    """The new text of every file to rewrite; nothing is written here."""
    out: dict[Path, str] = {}

    path = root / ident.IDENTITY_FILE
    text = path.read_text(encoding="utf-8")
    for key, value in asdict(new).items():
        text = _sub(text, rf"^{key}\s*=.*$", f"{key} = {quoted(value)}", path, key)
    out[path] = text

    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    text = _sub(text, r"^name\s*=.*$", f"name = {quoted(new.package)}", path, "[project] name")
    text = _sub(
        text,
        r"^description\s*=.*$",
        f"description = {quoted(new.description)}",
        path,
        "[project] description",
    )
    text = _sub(
        text,
        r"^authors\s*=.*$",
        f"authors = [{{ name = {quoted(new.copyright)} }}]",
        path,
        "[project] authors",
    )
    if version is not None:
        text = _sub(text, r"^version\s*=.*$", f"version = {quoted(version)}", path, "version")
    text = text.replace(f'"{old.package}[', f'"{new.package}[')
    text = text.replace(old.repo_url, new.repo_url).replace(old.docs_url, new.docs_url)
    out[path] = text

    path = root / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    text = _sub(text, r"^site_name:.*$", f"site_name: {quoted(new.name)}", path, "site_name")
    text = _sub(text, r"^site_url:.*$", f"site_url: {new.docs_url}", path, "site_url")
    text = _sub(text, r"^repo_url:.*$", f"repo_url: {new.repo_url}", path, "repo_url")
    text = _sub(text, r"^repo_name:.*$", f"repo_name: {new.repository}", path, "repo_name")
    text = _sub(
        text,
        r"^site_description:.*$",
        f"site_description: {quoted(new.description)}",
        path,
        "site_description",
    )
    out[path] = text

    path = root / "CITATION.cff"
    if path.is_file():  # optional: a fork may have dropped it
        text = path.read_text(encoding="utf-8")
        text = _sub(text, r"^title:.*$", f"title: {quoted(new.name)}", path, "title")
        text = _sub(text, r"^abstract:.*$", f"abstract: {quoted(new.description)}", path,
                    "abstract")  # fmt: skip
        text = _sub(text, r"^  - name:.*$", f"  - name: {quoted(new.copyright)}", path,
                    "the first author")  # fmt: skip
        if version is not None:  # a new project: its own version, not released yet
            text = _sub(text, r"^version:.*$", f"version: {quoted(version)}", path, "version")
            text = re.sub(r"^date-released:.*\n", "", text, flags=re.MULTILINE)
        text = text.replace(old.repo_url, new.repo_url).replace(old.docs_url, new.docs_url)
        out[path] = text

    path = root / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    if path.is_file():  # the issue chooser links the repository's Discussions
        text = path.read_text(encoding="utf-8")
        out[path] = text.replace(f"{old.repo_url}/", f"{new.repo_url}/")

    from ..governance.workflows import reusable, set_input_default

    for path in reusable(root):  # where callers install the tools from, and which release
        text = set_input_default(path.read_text(encoding="utf-8"), "guildkit-repository",
                                 new.repository)  # fmt: skip
        if version is not None:
            text = set_input_default(text, "guildkit-ref", f"v{version}")
        out[path] = text

    path = root / ".copier-answers.yml"
    if path.is_file():  # a project made by copier: its next update renders with these answers
        text = path.read_text(encoding="utf-8")
        for key, value in asdict(new).items():
            text = re.sub(rf"^{key}:.*$", lambda _m, k=key, v=value: f"{k}: {quoted(v)}", text,
                          count=1, flags=re.MULTILINE)  # fmt: skip
        out[path] = text

    path = root / "README.md"
    text = path.read_text(encoding="utf-8")
    if not re.search(r"^# .*$", text, re.MULTILINE):
        raise UserError(
            f"{path}: cannot find the title line (a line starting '# '); "
            "restore it or edit the file by hand"
        )
    out[path] = _readme(text, old, new)

    for path, text in out.items():
        if path.suffix == ".toml":
            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:  # a bug here, never a half-written fork
                raise UserError(f"{path}: the rename would write invalid TOML ({exc})") from None
    return out


def _readme(text: str, old: ident.Identity, new: ident.Identity) -> str:
    """The title becomes the new name; the old name elsewhere in the text becomes the new
    one (each occurrence once, so a new name that contains the old one is not doubled); one
    line credits the template the project started from (kept, unchanged, by later renames)."""
    lines = text.split("\n")
    title = next(i for i, line in enumerate(lines) if line.startswith("# "))
    word = re.compile(rf"(?<![\w-]){re.escape(old.name)}(?![\w-])")
    out = [line if CREDIT in line else word.sub(lambda _m: new.name, line) for line in lines]
    out[title] = f"# {new.name}"
    if old.name != new.name and not any(CREDIT in line for line in out):
        credit = (
            f"{CREDIT}This project was started from the [{old.name}]({old.repo_url}) "
            "project template."
        )
        out[title + 1 : title + 1] = ["", credit]
    return "\n".join(out)


def set_contacts(root: Path, conduct: str | None, security: str | None) -> dict[Path, str]:
    """The policy's ``contact.conduct`` / ``contact.security`` set, its other lines as they
    were (a line-level edit: this module has no YAML library)."""
    path = root / "governance" / "policy.yml"
    wanted = {key: value for key, value in (("conduct", conduct), ("security", security)) if value}
    for key, value in wanted.items():
        if not re.match(ident.CONTACT_PATTERN, value):
            raise UserError(
                f"rename: the {key} contact {value!r} is neither an email address nor an "
                "https:// link; give one of those"
            )
    if not wanted:
        return {}
    if not path.is_file():
        raise UserError(f"{path}: file not found; the contacts are written into the policy")
    lines = path.read_text(encoding="utf-8").split("\n")
    block_start = re.compile(r"^contact:\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if block_start.match(line)), None)
    if start is None:
        if re.search(r"^contact:", "\n".join(lines), re.MULTILINE):
            raise UserError(
                f"{path}: contact is written inline; write it as a block (contact:, then one "
                "key a line) or set contact.conduct / contact.security by hand"
            )
        while lines and lines[-1] == "":
            lines.pop()
        lines += ["", "contact:", ""]
        start = len(lines) - 2
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "#")) or not lines[end].strip()):
        end += 1
    block = lines[start + 1 : end]
    for key, value in wanted.items():
        entry = f"  {key}: {quoted(value)}"
        at = next((i for i, line in enumerate(block) if re.match(rf"^\s+{key}:", line)), None)
        if at is None:
            last = max((i for i, line in enumerate(block) if line.strip()), default=-1)
            block.insert(last + 1, entry)
        else:
            block[at] = entry
    return {path: "\n".join([*lines[: start + 1], *block, *lines[end:]])}


def rename(
    root: Path,
    name: str | None = None,
    repository: str | None = None,
    *,
    package: str | None = None,
    docs_url: str | None = None,
    description: str | None = None,
    copyright: str | None = None,
    conduct_contact: str | None = None,
    security_contact: str | None = None,
    version: str | None = None,
) -> tuple[ident.Identity, list[str]]:
    """Rename the project at ``root``; returns the new identity and the identity.toml keys
    that were derived because the maintainer left them at the old project's values."""
    old = current_identity(root)
    first = first_rename(root)
    derived: list[str] = []
    given = (package, docs_url, description, copyright)
    if name is None and repository is None and not any(given):
        edited = ident.load(root)  # the maintainer edited identity.toml first
        new, derived = derive_unchanged(old, edited, first)
        if new == old and not (conduct_contact or security_contact or version):
            raise UserError(
                "rename: nothing to do — identity.toml still names this project; give --name "
                "and --repository (make rename NAME=… REPO=owner/name), or edit identity.toml"
            )
    elif not name or not repository:
        raise UserError("rename: give both --name and --repository, or neither")
    else:
        new = new_identity(old, name, repository, package, docs_url, description, copyright,
                           first=first)  # fmt: skip
    try:
        rewrites = plan(root, old, new, version)
        rewrites.update(set_contacts(root, conduct_contact, security_contact))
    except FileNotFoundError as exc:
        raise UserError(f"{exc.filename}: file not found; rename needs it") from None
    for path, text in rewrites.items():
        write_text_atomic(path, text)
    return new, derived


OPTIONS = ("name", "repository", "package", "docs_url", "description", "copyright",
           "conduct_contact", "security_contact", "version")  # fmt: skip


def from_args(args) -> dict:
    """rename()'s keyword arguments from parsed flags (an empty answer counts as none)."""
    return {key: getattr(args, key, None) or None for key in OPTIONS}


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.governance.rename``: the rename alone, with the standard library only
    (copier runs it as a task, in whatever Python copier itself runs in)."""
    import argparse

    from ..errors import cli_entry

    @cli_entry
    def run() -> int:
        p = argparse.ArgumentParser(prog="python -m tools.governance.rename")
        p.add_argument("--root", type=Path, default=Path.cwd())
        for key in OPTIONS:
            p.add_argument(f"--{key.replace('_', '-')}")
        p.add_argument("--quiet", action="store_true", help="print nothing on success")
        args = p.parse_args(argv)
        new, _ = rename(args.root, **from_args(args))
        if not args.quiet:
            print(f"renamed to {new.name} ({new.repository})")
        try:  # the generated files that name the contacts; needs PyYAML and pydantic
            from ..governance.check import sync
            from ..policy import load_policy
        except ImportError:
            print("run `governance sync` to write the contacts into the generated files")
            return 0
        if (args.root / "governance" / "policy.yml").is_file():
            sync(load_policy(args.root), args.root)
        return 0

    return run()


if __name__ == "__main__":
    raise SystemExit(main())
