"""``python -m benchmarks.community_store`` runs end to end on a small size and writes the
figures its table and the docs are made from (timings are its job, not the tests')."""

from __future__ import annotations

import json

from benchmarks import community_store


def test_the_store_benchmark_runs_and_reports_each_case(tmp_path, capsys):
    out = tmp_path / "fig.json"
    argv = ["--commits", "120", "--items", "40", "--comments", "40", "--hours", "2",
            "--events-per-hour", "300", "--repositories", "6", "--no-spark", "--runs", "2",
            "--json", str(out)]  # fmt: skip
    assert community_store.main(argv) == 0
    fig = json.loads(out.read_text())
    table = capsys.readouterr().out
    g = fig["gharchive"]
    assert g["events"] == 600 and g["runs"] == 3
    org, every = g["organisation"], g["every_repository"]
    # acme is 3 of the 6 repositories: reading for it keeps some events, never all of them
    assert 0 < org["kept"] < every["kept"] <= g["events"]
    assert every["stored"]["items"] > org["stored"]["items"] > 0
    assert org["events_per_cpu_second"] > 0
    assert fig["incremental"]["commits"] == 120 and fig["trends"]["periods"] > 0
    # the trends run over the commits the incremental case stored, and the items
    assert fig["trends"]["commits"] == 120 + 600
    (whole,) = fig["whole_command"]  # no --real-repo: the generated history alone
    assert whole["commits"] == 120 and whole["runs"] == 2
    # the store's runs report what the run without one reports, round after round
    assert whole["same_figures"] is True
    for label in ("the whole command", "bare scan", "ingest for one organisation",
                  "ingest for every repository", "store update alone", "DuckDB"):  # fmt: skip
        assert label in table
