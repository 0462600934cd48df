"""``python -m benchmarks.community_peers`` measures our own figures in a process of their own,
and says, per peer, when a peer is not installed, instead of failing the whole run."""

from __future__ import annotations

import json
import sys
import venv

from benchmarks import community_peers


def test_the_peers_benchmark_runs_ours_and_names_a_missing_peer(tmp_path, capsys):
    out = tmp_path / "fig.json"
    venv.create(tmp_path / "bare", with_pip=False)
    bare = str(tmp_path / "bare" / "bin" / "python")  # a Python without the peers
    argv = ["--commits", "60", "--blame-commits", "20", "--peers-python", bare,
            "--repeats", "2", "--json", str(out)]  # fmt: skip
    assert community_peers.main(argv) == 0
    fig = json.loads(out.read_text())
    lines, blame = fig["tasks"]["lines"]["rows"], fig["tasks"]["blame"]["rows"]
    assert lines["ours"]["seconds"] > 0 and blame["ours"]["seconds"] > 0
    assert lines["ours"]["same_every_run"]  # both runs counted the same lines
    for row in (lines["pydriller"], lines["perceval"], blame["git-fame"]):
        assert row["error"].startswith("not installed")
    table = capsys.readouterr().out
    assert "| PyDriller | not installed in" in table and "60 commits" in table


def test_our_driver_gives_each_authors_lines(tmp_path):
    from benchmarks.community_report import make_repo

    repo = tmp_path / "r"
    make_repo(repo, 40)
    got = community_peers._run(sys.executable, "ours-lines", repo, repo)
    # make_repo writes one line a commit, each to a new file at this size
    assert sum(a for a, _ in got["by"].values()) == 40
    assert all("@" in email for email in got["by"])
