"""The project's identity (``identity.toml`` at the repository root), read by every tool."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import UserError

IDENTITY_FILE = "identity.toml"
REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
# A private contact (policy contact.conduct / contact.security): an email address or a form.
CONTACT_PATTERN = r"^([^@\s]+@[^@\s]+\.[a-z]{2,}|https://\S+)$"
_PACKAGE = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


@dataclass(frozen=True)
class Identity:
    name: str
    package: str
    description: str
    repository: str
    docs_url: str
    copyright: str

    @property
    def owner(self) -> str:
        return self.repository.split("/", 1)[0]

    @property
    def repo_url(self) -> str:
        return f"https://github.com/{self.repository}"


def find_root(start: Path | None = None, markers: tuple[str, ...] = (IDENTITY_FILE,)) -> Path:
    """The nearest directory at or above ``start`` that holds one of ``markers``."""
    here = (start or Path.cwd()).resolve()
    for directory in (here, *here.parents):
        if any((directory / marker).is_file() for marker in markers):
            return directory
    raise UserError(
        f"{here}: no {' or '.join(markers)} here or in any parent directory; "
        "run this from inside the project's checkout"
    )


_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~/%+-]*)?$")


def validate(data: dict, where: str) -> Identity:
    """Check the raw table of ``identity.toml``; one clear error for the first problem."""
    names = [f.name for f in fields(Identity)]
    for key in data:
        if key not in names:
            raise UserError(f"{where}: unknown key {key!r}; allowed keys: {', '.join(names)}")
    for key in names:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise UserError(f"{where}: {key} must be a non-empty string, got {value!r}")
    if not REPOSITORY.match(data["repository"]):
        raise UserError(
            f"{where}: repository must look like owner/name, got {data['repository']!r}"
        )
    if not _PACKAGE.match(data["package"]):
        raise UserError(
            f"{where}: package must be lower case letters, digits and hyphens, "
            f"got {data['package']!r}"
        )
    for key in names:
        if re.search(r"[\x00-\x1f\x7f\u2028\u2029]", data[key]):
            raise UserError(
                f"{where}: {key} holds a line break or control character ({data[key]!r}); "
                "give it on one line"
            )
    if not _URL.match(data["docs_url"]):
        raise UserError(
            f"{where}: docs_url must be a plain http(s) URL such as "
            f"https://owner.github.io/name/, got {data['docs_url']!r}"
        )
    return Identity(**{key: data[key] for key in names})


def load(root: Path | None = None) -> Identity:
    path = (root or find_root()) / IDENTITY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{path}: file not found; every checkout of this project has one") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc})") from None
    return validate(data, str(path))
