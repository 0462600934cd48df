from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tools import identity
from tools.errors import UserError


def test_the_checkout_has_a_valid_identity():
    ident = identity.load(ROOT)
    assert ident.repo_url == f"https://github.com/{ident.repository}"
    assert ident.owner == ident.repository.split("/")[0]


def test_find_root_walks_up(tmp_path):
    (tmp_path / "identity.toml").write_text("")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert identity.find_root(deep) == tmp_path.resolve()


def test_outside_a_checkout_is_one_clear_error(tmp_path):
    with pytest.raises(UserError, match=r"no identity\.toml here or in any parent"):
        identity.find_root(tmp_path)


VALID = (ROOT / "identity.toml").read_text()


def _set(text: str, key: str, value: str) -> str:
    return re.sub(rf"^{key} = .*$", f'{key} = "{value}"', text, count=1, flags=re.MULTILINE)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t + 'colour = "blue"\n', "unknown key 'colour'"),
        (lambda t: _set(t, "repository", "no slash"), "owner/name"),
        (lambda t: _set(t, "package", "Upper Case"), "package must be lower case"),
        (lambda t: _set(t, "docs_url", "ftp://example.org/"), "docs_url must be a plain http"),
        (lambda t: _set(t, "name", ""), "name must be a non-empty string"),
        (lambda t: t + "broken = [\n", "not valid TOML"),
    ],
)
def test_bad_identity_files(tmp_path, edit, message):
    (tmp_path / "identity.toml").write_text(edit(VALID))
    with pytest.raises(UserError, match=message) as info:
        identity.load(tmp_path)
    assert str(info.value).startswith(str(tmp_path / "identity.toml"))
