"""review-bot on someone else's repository and on odd file names: built-in defaults, names
that look like options, links out of the repository, spaces, and broken event payloads."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.gitrepo import Repo
from tools.review_bot.cli import main
from tools.review_bot.diff import parse_hunks, split_git_diff
from tools.review_bot.sources import local

D = datetime(2026, 5, 1, tzinfo=UTC)


def _outside(tmp_path, files: dict) -> Repo:
    """A repository with no governance/policy.yml, a base branch, then a feature branch."""
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@example.org", D, {"README.md": "hi\n", "conftest.py": "X = 1\n"})
    repo.git("branch", "base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Ana Ruiz", "ana@example.org", D, files)
    return repo


def _local(repo, monkeypatch, capsys) -> tuple[dict, str]:
    monkeypatch.chdir(repo.root)
    code = main(["local", "--base", "base", "--format", "json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out), out.err


def test_without_a_policy_the_built_in_defaults_apply(tmp_path, monkeypatch, capsys):
    repo = _outside(tmp_path, {"pkg/core.py": "import os\n"})
    data, err = _local(repo, monkeypatch, capsys)
    assert "policy: built-in defaults" in err
    rules = {f["rule"] for f in data["findings"]}
    assert "tests" in rules and "ruff" in rules and "dco" not in rules
    repo.commit("Ana Ruiz", "ana@example.org", D, {"tests/test_core.py": "def test(): pass\n"})
    data, _ = _local(repo, monkeypatch, capsys)
    assert "tests" not in {f["rule"] for f in data["findings"]}


@pytest.mark.parametrize("name", ["--output-file=conftest.py", "-x.py", "--config=x.py"])
def test_file_names_that_look_like_options_stay_file_names(tmp_path, monkeypatch, capsys, name):
    repo = _outside(tmp_path, {name: "import os\n"})
    data, _ = _local(repo, monkeypatch, capsys)
    assert (repo.root / "conftest.py").read_text() == "X = 1\n"  # not overwritten
    assert any(f["rule"] == "ruff" and f["path"] == name for f in data["findings"])


def test_a_link_out_of_the_repository_is_not_read(tmp_path, monkeypatch, capsys):
    secret = tmp_path / "secret.py"
    secret.write_text("import os  # a file outside the repository\n")
    repo = _outside(tmp_path, {})
    (repo.root / "evil.py").symlink_to(secret)
    repo.git("add", "evil.py")
    repo.commit("Ana Ruiz", "ana@example.org", D, {})
    data, err = _local(repo, monkeypatch, capsys)
    assert "Traceback" not in err
    assert not any(f["rule"] == "ruff" and f["path"] == "evil.py" for f in data["findings"])


def test_names_with_spaces_are_reviewed(tmp_path, monkeypatch, capsys):
    repo = _outside(tmp_path, {"my module.py": "import os\n", "docs/a b.md": "x\n"})
    data, _ = _local(repo, monkeypatch, capsys)
    assert any(f["rule"] == "ruff" and f["path"] == "my module.py" for f in data["findings"])
    facts = local.read(repo.root, "base", "HEAD")
    assert sorted(f.path for f in facts.files) == ["docs/a b.md", "my module.py"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_characters="\0/\n"),
            min_size=1,
            max_size=16,
        ).filter(lambda s: s not in (".", "..", ".git")),
        min_size=1,
        max_size=3,
        unique=True,
    )
)
def test_any_file_name_round_trips_through_the_diff_parser(tmp_path_factory, names):
    repo = Repo(tmp_path_factory.mktemp("names"))
    repo.commit("Ana Ruiz", "ana@example.org", D, {"seed.txt": "x\n"})
    try:
        repo.commit("Ana Ruiz", "ana@example.org", D, {n: f"{n}\n" for n in names})
    except subprocess.CalledProcessError:
        assume(False)  # a name git itself refuses
    tracked = repo.git("ls-files", "-z").split("\0")
    assume(all(n in tracked for n in names))
    facts = local.read(repo.root, "HEAD~1", "HEAD")
    assert sorted(f.path for f in facts.files) == sorted(names)
    assert all(f.additions == 1 for f in facts.files)


HUNK_LINES = st.lists(st.sampled_from(["+", "-", " "]), min_size=1, max_size=40)


@given(start=st.integers(1, 10_000), tags=HUNK_LINES)
def test_hunk_line_numbers_follow_the_new_side(start, tags):
    new_count = sum(t != "-" for t in tags)
    old_count = sum(t != "+" for t in tags)
    patch = f"@@ -{start},{old_count} +{start},{new_count} @@\n" + "\n".join(f"{t}x" for t in tags)
    (hunk,) = parse_hunks(patch)
    new_side = [start + i for i in range(new_count)]
    assert sorted(hunk.added + hunk.context) == new_side
    assert len(hunk.added) == tags.count("+")


@given(st.text(max_size=400))
def test_the_diff_splitter_never_crashes(text):
    for f in split_git_diff("diff --git " + text):
        assert isinstance(f.path, str)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\xff\xfe not utf-8", "not UTF-8 text"),
        (b"{not json", "not JSON"),
        (json.dumps({"pull_request": {"number": 1}}).encode(), "repository.full_name is missing"),
        (
            json.dumps(
                {
                    "repository": {"full_name": "a/b"},
                    "pull_request": {
                        "number": 1,
                        "head": {"sha": "a" * 40},
                        "user": {"login": "x"},
                    },
                }
            ).encode(),
            "pull_request.base.sha is missing",
        ),
        (
            json.dumps(
                {"repository": {"full_name": "a/b"}, "pull_request": {"number": "1"}}
            ).encode(),
            "pull_request.number is missing or not a int",
        ),
        (
            json.dumps(
                {
                    "repository": {"full_name": "a/b"},
                    "pull_request": {
                        "number": 1,
                        "base": {"sha": "--output=x"},
                        "head": {"sha": "a" * 40},
                        "user": {"login": "x"},
                    },
                }
            ).encode(),
            "pull_request.base.sha '--output=x' is not a commit SHA",
        ),
    ],
)
def test_a_broken_event_payload_is_one_line(tmp_path, monkeypatch, capsys, payload, message):
    repo = _outside(tmp_path, {"a.py": "x = 1\n"})
    event = tmp_path / "event.json"
    event.write_bytes(payload)
    monkeypatch.chdir(repo.root)
    assert main(["analyze", "--event", str(event), "--output", str(tmp_path / "f.json")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
