"""A damaged store — a table gone, a block overwritten — is one line naming the store and
what to do, on every path that opens it; never a traceback."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.gitrepo import Repo
from tools.community_report.cli import main

D = datetime(2026, 5, 1, tzinfo=UTC)


@pytest.fixture
def filled(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    for i in range(30):
        repo.commit(f"Dev {i % 4}", f"dev{i % 4}@corp.test", D.replace(day=1 + i % 28),
                    {f"src/m{i}.py": "x = 1\n" * (i + 1)})  # fmt: skip
    store = tmp_path / "store.duckdb"
    assert main([str(repo.root), "--store", str(store), "--format", "json"]) == 0
    capsys.readouterr()
    return repo, store


def _one_line(capsys, *args) -> str:
    code = main(list(args))
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize("extra", [[], ["--by", "month"]])
def test_a_missing_table_is_one_line(filled, capsys, extra):
    import duckdb

    repo, store = filled
    con = duckdb.connect(str(store))
    con.execute("DROP TABLE commits")
    con.close()
    err = _one_line(capsys, str(repo.root), "--store", str(store), *extra)
    assert "damaged (table commits missing)" in err and "move it aside" in err


@pytest.mark.parametrize("extra", [[], ["--by", "month"]])
def test_an_overwritten_block_is_one_line(filled, capsys, extra):
    repo, store = filled
    data = bytearray(store.read_bytes())
    for at in range(len(data) // 3, len(data), 4096):  # every block past the header
        data[at : at + 512] = bytes(range(256)) * 2
    store.write_bytes(bytes(data))
    err = _one_line(capsys, str(repo.root), "--store", str(store), *extra)
    assert f"--store {store}" in err and "give another --store" in err
