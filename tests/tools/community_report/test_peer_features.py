"""What peers (git-fame, PyDriller, gitstats, GrimoireLab) give: lines per contributor,
Co-authored-by credit, hotspots, --include; and the trends agree with the report on them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.gitrepo import Repo
from tools.community_report.cli import main

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
WINDOW = ["--since", "2026-04-01", "--until", "2026-07-01", "--format", "json", "--no-store"]


def _json(capsys, *args) -> dict:
    code = main([*args])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def _repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "r")
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 1, 10), {"src/a.py": "1\n"})
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 2), {"src/a.py": "1\n2\n3\n"})
    bot = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
    message = (
        "Pair work\n\nCo-authored-by: Dee Park <dee@corp.example>\n"
        "Co-authored-by: Ana Ruiz <ana@corp.example>\n"
        f"Co-authored-by: not an address\nCo-authored-by: {bot}\n"
    )
    files = {"src/a.py": "1\n", "docs/x.md": "d\n"}
    repo.commit("Ben Li", "ben@corp.example", D(2026, 4, 3), files, message=message)
    repo.commit("Ben Li", "ben@corp.example", D(2026, 5, 3), {"src/a.py": "9\n", "README": "r\n"})
    return repo


def test_co_authors_are_credited_as_contributors(tmp_path, capsys):
    report = _json(capsys, str(_repo(tmp_path).root), *WINDOW)
    c = report["contributors"]
    # Dee never authored a commit, yet is active and new; the bot and the malformed line are not
    assert c["active"] == 3 and c["new"] == 2
    assert {p["who"] for p in c["new_contributors"]} == {"ben@corp.example", "dee@corp.example"}
    assert report["commits"]["total"] == 3  # commits still count once, for their author


def test_lines_per_contributor_and_hotspots(tmp_path, capsys):
    report = _json(capsys, str(_repo(tmp_path).root), *WINDOW)
    top = {
        p["who"]: (p["commits"], p["added"], p["deleted"]) for p in report["contributors"]["top"]
    }
    assert top == {"ana@corp.example": (1, 2, 0), "ben@corp.example": (2, 3, 3)}
    hot = report["hotspots"]
    assert hot == [{"path": "src/a.py", "commits": 3, "added": 3, "deleted": 3, "authors": 2}]


def test_include_counts_only_matching_paths(tmp_path, capsys):
    report = _json(capsys, str(_repo(tmp_path).root), *WINDOW, "--include", "docs/**")
    assert [o["area"] for o in report["ownership"]] == ["docs"]
    assert any("outside --include" in n for n in report["notes"])
    assert main([str(tmp_path), "--include", "/abs", *WINDOW]) != 0
    assert "--include '/abs'" in capsys.readouterr().err


def test_trends_credit_co_authors_as_the_report_does(tmp_path, capsys):
    repo = _repo(tmp_path)
    store = ["--store", str(tmp_path / "s.duckdb")]
    trends = _json(capsys, str(repo.root), *store, "--by", "month", "--format", "json")
    april = {p["period"]: p for p in trends["series"]["all"]}["2026-04"]
    args = ["--since", "2026-04-01", "--until", "2026-05-01", "--format", "json"]
    window = _json(capsys, str(repo.root), *store, *args)
    assert april["active"] == window["contributors"]["active"] == 3
    assert april["new"] == window["contributors"]["new"] == 2


def test_blame_shows_who_owns_the_code_as_it_stands(tmp_path, capsys):
    repo = Repo(tmp_path / "r")
    old = "".join(f"line {k}\n" for k in range(40))
    repo.commit("Ana Ruiz", "ana@corp.example", D(2025, 1, 10), {"lib/core.py": old})
    new = old.replace("line 3\n", "line three\n")
    repo.commit("Ben Li", "ben@corp.example", D(2026, 5, 2), {"lib/core.py": new, "b.bin": b"\0\1"})
    report = _json(capsys, str(repo.root), *WINDOW, "--blame")
    # nobody changed lib/ much in the window, but Ana's 39 untouched lines are visible
    (lib,) = [o for o in report["code_ownership"] if o["area"] == "lib"]
    assert lib["lines"] == 40 and lib["owners"] == 2
    assert lib["top"][0] == {"who": "ana@corp.example", "name": "Ana Ruiz", "lines": 39,
                             "share": 0.975}  # fmt: skip
    assert lib["inactive_share"] == 0.975 and lib["status"] == "at risk"
    assert all(o["area"] != "(top level)" for o in report["code_ownership"])  # binary: no lines
    assert "Code as it stands (blame)" in _text(capsys, str(repo.root), "--blame")
    assert _json(capsys, str(repo.root), *WINDOW)["code_ownership"] is None


def _text(capsys, *args) -> str:
    assert main([*args, "--since", "2026-04-01", "--until", "2026-07-01", "--no-store"]) == 0
    return capsys.readouterr().out


def _tree(root) -> dict:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}


def test_blame_through_path_filters_gives_plain_blames_figures(tmp_path, monkeypatch):
    from tools.community_report.sources import git as git_source

    repo = Repo(tmp_path / "r")
    text = "".join(f"line {k}\n" for k in range(30))
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 1, 2), {"src/a.py": text, "b.py": "b\n"})
    repo.git("checkout", "-q", "-b", "side")
    repo.commit("Ben Li", "ben@corp.example", D(2026, 1, 5),
                {"src/a.py": text.replace("line 7\n", "seven\n")})  # fmt: skip
    repo.git("checkout", "-q", "main")
    repo.commit("Chen Wu", "chen@corp.example", D(2026, 1, 6), {"b.py": "b\nc\n"})
    repo.merge("side", "Ana Ruiz", "ana@corp.example", D(2026, 1, 7))
    repo.rename("src/a.py", "src/moved.py", "Chen Wu", "chen@corp.example", D(2026, 1, 8))
    for k in range(30):  # history the blames walk past
        repo.commit("Dee Park", "dee@corp.example", D(2026, 2, 1 + k % 27), {f"x/{k}.py": "x\n"})
    git_dir = repo.root / ".git"
    before = _tree(git_dir)

    def blame() -> list:
        activity = git_source.read_commits(repo.root)
        git_source.read_blame(repo.root, activity)
        return sorted((b.path, b.who, b.lines) for b in activity.blame)

    filtered = blame()
    assert _tree(git_dir) == before  # the commit graph went to a temporary folder
    monkeypatch.setattr(git_source, "_path_filters", lambda root, folder: None)
    assert filtered == blame()
    assert ("src/moved.py", "ben@corp.example", 1) in filtered  # through the merge and rename
    assert ("src/moved.py", "ana@corp.example", 29) in filtered


def test_a_crowd_of_trailers_credits_nobody_and_trailer_only_people_are_shown(tmp_path, capsys):
    """One commit naming 300 co-authors made 301 active and new contributors: such a commit
    now credits none of them, says so, and the trends agree; a real pair's co-author is
    still credited, a person once per commit, and listed apart."""
    repo = _repo(tmp_path)
    crowd = "".join(f"Co-authored-by: Fan {k} <fan{k}@spam.example>\n" for k in range(300))
    repo.commit("Ben Li", "ben@corp.example", D(2026, 4, 20), {"x.txt": "x\n"},
                message="Typo\n\n" + crowd + crowd)  # fmt: skip
    report = _json(capsys, str(repo.root), *WINDOW)
    c = report["contributors"]
    assert c["active"] == 3 and c["new"] == 2  # as before the crowd: Ana, Ben, Dee
    assert [p["who"] for p in c["credited_only"]] == ["dee@corp.example"]
    assert any("more than 10 Co-authored-by trailers (at most 300)" in n for n in report["notes"])
    text = main([str(repo.root), *WINDOW, "--format", "text"]) == 0 and capsys.readouterr().out
    assert "Credited only by Co-authored-by trailers" in text and "Dee Park" in text
    store = ["--store", str(tmp_path / "s.duckdb")]
    trends = _json(capsys, str(repo.root), *store, "--by", "month", "--format", "json")
    april = {p["period"]: p for p in trends["series"]["all"]}["2026-04"]
    assert april["active"] == 3 and april["new"] == 2


def test_lock_files_and_vendor_folders_are_left_out_of_lines_as_linguist_does(tmp_path, capsys):
    """flask's uv.lock was its second hotspot; pip's src/pip/_vendor/ dominated its lines.
    GitHub's Linguist defaults leave them out without any attribute: so do lines, hotspots
    and ownership (commits still count), with a note; --keep-generated keeps them, and an
    attribute `-linguist-generated` opts one back in."""
    repo = Repo(tmp_path / "r")
    lock = "".join(f"pkg{k} = 1\n" for k in range(500))
    for day, n in ((2, 1), (3, 2)):  # two commits each: a file changed once is no hotspot
        repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, day), {
            "uv.lock": lock * n, "src/pkg/_vendor/six.py": lock * n,
            "src/pkg/core.py": "x = 1\n" * n, "web/package-lock.json": lock * n})  # fmt: skip

    def lines_and_hotspots(*extra):
        report = _json(capsys, str(repo.root), *WINDOW, *extra)
        (ana,) = report["contributors"]["top"]
        return ana["added"], {h["path"] for h in report["hotspots"]}, report

    added, hot, report = lines_and_hotspots()
    assert (added, hot) == (2, {"src/pkg/core.py"})
    assert report["commits"]["total"] == 2  # commits still count
    note = next(n for n in report["notes"] if "Linguist" in n)
    assert "3 of them lock files or vendored code" in note and "--keep-generated" in note
    added, hot, _ = lines_and_hotspots("--keep-generated")
    assert added == 2 + 3 * 1000
    assert hot == {"uv.lock", "src/pkg/_vendor/six.py", "src/pkg/core.py", "web/package-lock.json"}
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 4),
                {".gitattributes": "uv.lock -linguist-generated\n"})  # fmt: skip
    assert "uv.lock" in lines_and_hotspots()[1]  # the project opted it back in


def _blame_owners(capsys, root, *flags) -> dict[str, int]:
    report = _json(capsys, str(root), *WINDOW, "--blame", *flags)
    (lib,) = [o for o in report["code_ownership"] if o["area"] == "lib"]
    return {o["who"]: o["lines"] for o in lib["top"]}


def test_blame_options_match_git_fames_and_ignore_revs_are_honoured(tmp_path, capsys):
    """-w, -M and .git-blame-ignore-revs, each changing who owns which lines as git does."""
    repo = Repo(tmp_path / "r")
    # blocks long enough (20+ letters and digits) for git to recognise as moved
    body = "".join(f"def function_number_{i}():\n    return {i} * 1000\n" for i in range(6))
    repo.commit("Ana Ruiz", "ana@corp.example", D(2026, 4, 2), {"lib/a.py": body})
    # Ben re-indents every line (whitespace only), then Cy moves the first function to the end
    repo.commit("Ben Li", "ben@corp.example", D(2026, 4, 3),
                {"lib/a.py": body.replace("    return", "        return")},
                message="Reformat")  # fmt: skip
    reformat = repo.git("rev-parse", "HEAD").strip()
    lines = body.replace("    return", "        return").splitlines(keepends=True)
    moved = "".join(lines[2:] + lines[:2])
    repo.commit("Cy Diaz", "cy@corp.example", D(2026, 4, 4), {"lib/a.py": moved}, message="Move")
    plain = _blame_owners(capsys, repo.root)  # Ana's def lines, Ben's re-indented returns
    assert plain == {"ana@corp.example": 5, "ben@corp.example": 5, "cy@corp.example": 2}
    # -w looks through the whitespace change; -M keeps the moved lines with their author
    assert _blame_owners(capsys, repo.root, "--blame-whitespace") == {
        "ana@corp.example": 10, "cy@corp.example": 2}  # fmt: skip
    assert _blame_owners(capsys, repo.root, "--blame-whitespace", "--blame-moves") == {
        "ana@corp.example": 12}  # fmt: skip
    # the reformat listed in .git-blame-ignore-revs: blame looks through it by default
    (repo.root / ".git-blame-ignore-revs").write_text(f"# formatting\n{reformat}\n")
    ignored = _blame_owners(capsys, repo.root)
    assert "ben@corp.example" not in ignored and sum(ignored.values()) == 12
    assert _blame_owners(capsys, repo.root, "--no-ignore-revs") == plain


def test_release_cadence_from_the_tags(tmp_path, capsys):
    repo = _repo(tmp_path)
    env = {"GIT_COMMITTER_DATE": "2026-04-10T00:00:00+00:00", "GIT_COMMITTER_NAME": "R",
           "GIT_COMMITTER_EMAIL": "r@corp.example"}  # fmt: skip
    repo.git("tag", "v0.9", "HEAD~3")  # lightweight: its commit's date, 2026-01-10
    repo.git("tag", "-a", "v1.0", "-m", "1.0", "HEAD~1", env=env)  # annotated: the tagger's
    env["GIT_COMMITTER_DATE"] = "2026-05-20T00:00:00+00:00"
    repo.git("tag", "-a", "v1.1", "-m", "1.1", env=env)
    env["GIT_COMMITTER_DATE"] = "2026-08-01T00:00:00+00:00"
    repo.git("tag", "-a", "v2.0", "-m", "2.0", env=env)  # after the window: not counted
    rel = _json(capsys, str(repo.root), *WINDOW)["releases"]
    assert rel == {"in_window": ["v1.0", "v1.1"], "total": 3, "median_days_between": 65.0,
                   "last": "v1.1", "days_since_last": 42.0}  # fmt: skip
    assert "Releases" in _text(capsys, str(repo.root), *WINDOW[:4])
