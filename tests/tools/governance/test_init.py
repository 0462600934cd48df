"""`governance init` in a repository that already exists: CODEOWNERS imported with its meaning
kept file by file, areas from the layout otherwise, people proposed with their evidence,
bots and .mailmap, GitHub's labels and protection, and nothing existing overwritten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.github_server import GitHubServer
from tests.gitrepo import Repo
from tools.governance import codeowners as owners
from tools.governance.cli import main
from tools.policy import load_policy

T0 = datetime(2026, 1, 5, 12, tzinfo=UTC)
ALICE = ("Alice Liddell", "17+alice@users.noreply.github.com")
BOB = ("Bob Stone", "bob@work.example")
BOT = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")


def project(tmp_path, codeowners: str | None = None, where: str = ".github/CODEOWNERS") -> Repo:
    """An existing project: its own layout, authors and a bot; CODEOWNERS if given."""
    repo = Repo(tmp_path / "project")
    files = {"lib/core.py": "a\nb\nc\n", "lib/util/x.py": "x\n", "docs/index.md": "# Docs\n",
             "tests/test_core.py": "t\n", "README.md": "# P\n",
             "CHANGES.md": "- one\n"}  # fmt: skip
    if codeowners is not None:
        files[where] = codeowners
    repo.commit(*ALICE, T0, files)
    for i in range(3):
        repo.commit(
            *BOB, T0 + timedelta(days=i + 1), {"lib/core.py": "a\nb\nc\n" + "d\n" * (i + 1)}
        )
    repo.commit(*ALICE, T0 + timedelta(days=9), {"docs/index.md": "# Docs\nmore\n"})
    repo.commit(*BOT, T0 + timedelta(days=10), {"lib/util/x.py": "y\n"})
    return repo


def run(root, capsys, *flags) -> tuple[int, str, str]:
    code = main(["--root", str(root), *flags])
    out = capsys.readouterr()
    return code, out.out, out.err


# --- CODEOWNERS as GitHub reads it -----------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "owned"),
    [
        ("*", "a/b/c.txt", True),
        ("*.js", "src/app/x.js", True),
        ("*.js", "src/app/x.jsx", False),
        ("/build/logs/", "build/logs/a/b.log", True),
        ("/build/logs/", "x/build/logs/a.log", False),
        ("docs/*", "docs/getting-started.md", True),
        ("docs/*", "docs/build-app/troubleshooting.md", False),  # GitHub's own example
        ("apps/", "x/apps/y.py", True),  # no slash but the trailing one: at any depth
        ("/apps/github", "apps/github/z.py", True),  # a plain name owns a folder's contents
        ("/docs/", "docs", False),
        ("**/logs", "deep/down/logs/a.txt", True),
        ("/scripts/**", "scripts/a/b.sh", True),
    ],
)
def test_patterns_own_what_github_documents(pattern, path, owned):
    assert owners.matches(pattern, path) is owned
    # and the policy globs it becomes own the same file
    from tools.policy.globs import any_match

    assert any_match(owners.to_globs(pattern), path) is owned


def test_negation_ranges_and_bad_owners_are_reported_with_their_line():
    rules, problems = owners.parse("# c\n*.py @a\n!x.py @b\n[ab].md @c\n/x @not a login\n")
    assert [r.pattern for r in rules] == ["*.py"]
    assert [p.line for p in problems] == [3, 4, 5]


# --- init ------------------------------------------------------------------------------------


def test_codeowners_is_imported_with_its_meaning_kept(tmp_path, capsys):
    text = ("* @acme/core\n/docs/ @alice\n*.md @bob  # docs people\n/lib/util/\n"
            "/vendor/ @carol\n")  # fmt: skip
    repo = project(tmp_path, text)
    files = repo.git("ls-files").split()
    before, _ = owners.parse(text)
    code, out, _ = run(repo.root, capsys, "init", "--repository", "acme/p")
    assert code == 0, out
    assert "'/vendor/' owns no file today; left out" in out
    policy = load_policy(repo.root)
    # *.md after /docs/ gives docs/index.md to bob: the file's order must be kept
    assert policy.codeowners_order == "as-written"
    assert policy.areas_for("lib/util/x.py") and policy.areas[policy.areas_for(
        "lib/util/x.py")[0]].unowned  # fmt: skip
    assert policy.areas["core"].teams == ["acme/core"]  # a team's lines: named after it
    assert policy.areas["unowned"].unowned and policy.areas["unowned"].paths == ["lib/util/**"]
    assert {p.login for p in policy.people} == {"alice", "bob"}
    assert run(repo.root, capsys, "check")[0] == 0  # the hand-written file means the same
    code, out, _ = run(repo.root, capsys, "sync")
    assert "wrote .github/CODEOWNERS" in out
    after, _ = owners.parse((repo.root / ".github/CODEOWNERS").read_text())
    assert owners.differences(before, after, files) == []
    assert run(repo.root, capsys, "check")[0] == 0


def test_an_order_that_needs_no_keeping_groups_lines_by_owner(tmp_path, capsys):
    text = "* @acme/core\n/lib/ @bob\n/docs/ @alice\n/lib/util/ @bob\n"
    repo = project(tmp_path, text, where="CODEOWNERS")  # at the top: GitHub reads it there
    assert run(repo.root, capsys, "init")[0] == 0
    policy = load_policy(repo.root)
    assert policy.codeowners_order == "specific-last"
    lib = policy.areas[policy.areas_for("lib/core.py")[0]]
    assert lib.paths == ["lib/**", "lib/util/**"]  # both of bob's lines, one area
    assert not (repo.root / ".github/CODEOWNERS").exists()  # sync keeps the file where it is
    run(repo.root, capsys, "sync")
    assert (repo.root / "CODEOWNERS").read_text().startswith("# Generated")
    assert not (repo.root / ".github/CODEOWNERS").exists()


def test_an_owner_the_policy_cannot_name_stops_init(tmp_path, capsys):
    repo = project(tmp_path, "* @acme/core\n/docs/ docs@acme.example\n")
    code, _, err = run(repo.root, capsys, "init")
    assert code == 2
    assert "cannot give 1 file(s) the owners CODEOWNERS gives them" in err
    assert "docs/index.md: docs@acme.example → nobody" in err
    assert not (repo.root / "governance/policy.yml").exists()
    assert run(repo.root, capsys, "init", "--force")[0] == 0  # written, knowingly


def test_without_codeowners_areas_come_from_the_layout_and_people_are_proposed(tmp_path, capsys):
    repo = project(tmp_path)
    (repo.root / ".mailmap").write_text("Bob Stone <bob@home.example> <bob@work.example>\n")
    code, out, _ = run(repo.root, capsys, "init")
    assert code == 0, out
    policy = load_policy(repo.root)
    assert set(policy.areas) == {"docs", "lib", "tests", "top-level"}
    assert policy.people == []  # nobody is made an owner from history alone
    assert policy.bots == ["dependabot[bot]"]
    assert policy.review.tests.when_changed == ["lib/**"]
    assert policy.review.changelog.path == "CHANGES.md"
    text = (repo.root / "governance/policy.yml").read_text()
    # bob is lib's: 3 of its commits; his address as .mailmap maps it; no login known
    assert '"name": "Bob Stone", "roles": ["maintainer"], "areas": ["lib"' not in text
    assert 'login: "FILL-IN", name: "Bob Stone", roles: ["maintainer"], areas: ["lib"' in text
    assert "the history gives no GitHub login for bob@home.example" in text
    assert "# lib: 3 commits, 3 lines, last 2026-01-08" in text
    assert "dependabot" not in text.split("areas:")[0].split("Proposed")[1]
    assert (repo.root / ".github/CODEOWNERS").is_file()  # written: none existed
    assert run(repo.root, capsys, "check")[0] == 0


def test_a_second_run_changes_nothing_and_nothing_is_overwritten(tmp_path, capsys):
    repo = project(tmp_path, "* @acme/core\n")
    (repo.root / "governance").mkdir()
    (repo.root / "governance/MAINTAINERS.md").write_text("ours\n")
    assert run(repo.root, capsys, "init")[0] == 0
    assert (repo.root / "governance/MAINTAINERS.md").read_text() == "ours\n"
    assert (repo.root / ".github/CODEOWNERS").read_text() == "* @acme/core\n"
    snapshot = {
        p: p.read_bytes() for p in repo.root.rglob("*") if p.is_file() and ".git" not in p.parts
    }
    code, out, _ = run(repo.root, capsys, "init")
    assert code == 0 and "already there; nothing written" in out
    assert snapshot == {p: p.read_bytes() for p in repo.root.rglob("*")
                        if p.is_file() and ".git" not in p.parts}  # fmt: skip


def test_a_custom_policy_path_is_read_back(tmp_path, capsys):
    repo = project(tmp_path, "* @acme/core\n")
    assert run(repo.root, capsys, "--policy", ".config/policy.yml", "init")[0] == 0
    assert (repo.root / ".config/policy.yml").is_file()
    assert run(repo.root, capsys, "--policy", ".config/policy.yml", "check")[0] == 0


def test_outside_git_is_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(tmp_path, capsys, "init")
    assert code == 2 and err.count("\n") == 1 and "not a git repository" in err


def test_labels_and_protection_are_read_from_github(tmp_path, capsys, monkeypatch):
    repo = project(tmp_path, "* @acme/core\n")
    wf = repo.root / ".github/workflows/ci.yml"
    wf.parent.mkdir(parents=True)
    wf.write_text("on: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                  "    steps: [{run: 'true'}]\n")  # fmt: skip
    monkeypatch.setenv("GITHUB_TOKEN", "t0k")
    with GitHubServer(tokens=("t0k",)) as server:
        gh = server.add_repo("acme", "p")
        gh.labels = [{"id": 1, "name": "Bug", "color": "D73A4A", "description": "Broken"}]
        gh.settings.update(allow_rebase_merge=False, allow_merge_commit=False)
        gh.protection = {
            "required_pull_request_reviews": {"required_approving_review_count": 2,
                                              "require_code_owner_reviews": True,
                                              "dismiss_stale_reviews": False},
            "required_status_checks": {"contexts": ["test", "ci/circleci"], "checks": []},
            "allow_force_pushes": {"enabled": False},
        }  # fmt: skip
        code, out, _ = run(repo.root, capsys, "init", "--repository", "acme/p",
                           "--api-url", server.base_url)  # fmt: skip
    assert code == 0, out
    assert "'ci/circleci', which no workflow here produces" in out
    policy = load_policy(repo.root)
    assert [label.name for label in policy.labels] == ["Bug"]
    assert policy.review.approvals.default == 2
    assert policy.review.required_checks == ["test"]
    assert policy.repository.merge_methods == ["squash"]
    assert policy.repository.require_code_owner_review is True
    assert policy.repository.dismiss_stale_approvals is False
    assert policy.repository.block_force_pushes is True
    assert "t0k" not in (repo.root / "governance/policy.yml").read_text() + out


def test_a_ruleset_is_read_as_branch_protection_is(tmp_path, capsys, monkeypatch):
    """Protection by a ruleset (GitHub's newer way) reads as classic protection does; a
    token that may not read protection is said once, and init goes on."""
    repo = project(tmp_path, "* @acme/core\n")
    monkeypatch.setenv("GITHUB_TOKEN", "t0k")
    with GitHubServer(tokens=("t0k",)) as server:
        gh = server.add_repo("acme", "p")
        gh.rulesets = [{
            "id": 5, "name": "main", "target": "branch", "source_type": "Repository",
            "source": "acme/p", "enforcement": "active",
            "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
            "rules": [
                {"type": "pull_request", "parameters": {"required_approving_review_count": 3,
                 "require_code_owner_review": False, "dismiss_stale_reviews_on_push": True}},
                {"type": "non_fast_forward"},
            ],
        }]  # fmt: skip
        server.inject("/api/v3/repos/acme/p/branches/main/protection", 403, times=10,
                      message="Resource not accessible by integration")  # fmt: skip
        code, out, _ = run(repo.root, capsys, "init", "--repository", "acme/p",
                           "--api-url", server.base_url)  # fmt: skip
    assert code == 0, out
    assert out.count("branch protection of main: not readable; needs Administration") == 1
    policy = load_policy(repo.root)
    assert policy.review.approvals.default == 3
    assert policy.repository.dismiss_stale_approvals is True
    assert policy.repository.require_code_owner_review is False
    assert policy.repository.block_force_pushes is True


def test_with_a_token_github_names_the_logins_git_does_not(tmp_path, capsys, monkeypatch):
    repo = project(tmp_path)  # Bob commits as bob@work.example: no login in the history
    bob_newest = repo.git("log", "-1", "--format=%H", "--author=bob@work.example").strip()
    monkeypatch.setenv("GITHUB_TOKEN", "t0k")
    with GitHubServer(tokens=("t0k",)) as server:
        gh = server.add_repo("acme", "p")
        gh.commit_authors[bob_newest] = "bobstone"
        code, out, _ = run(repo.root, capsys, "init", "--repository", "acme/p",
                           "--api-url", server.base_url)  # fmt: skip
        asked = [r["path"] for r in server.requests() if "/commits/" in r["path"]]
    assert code == 0, out
    text = (repo.root / "governance/policy.yml").read_text()
    assert 'login: "bobstone", name: "Bob Stone"' in text
    assert "GitHub names bobstone the author of bob@work.example's commits" in text
    assert asked == [f"/api/v3/repos/acme/p/commits/{bob_newest}"]  # one request a person
