"""The GPU benchmark script, tried on the CPU: it runs in one go and prints its fixed format."""

from __future__ import annotations

import json

import pytest
import torch

from benchmarks import reference_gpu


def test_the_gpu_script_runs_in_one_go_and_keeps_its_format(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "gpu.json"
    args = ["--data-dir", str(tiny_mnist), "--device", "cpu", "--seeds", "2", "--no-compile",
            "--tile", "1", "--anchor-epochs", "2", "--repeats", "2"]  # fmt: skip
    assert reference_gpu.main([*args, "--json", str(out)]) == 0
    report = capsys.readouterr().out
    fig = json.loads(out.read_text())
    assert fig["format"] == reference_gpu.FORMAT
    assert set(fig) == {"format", "machine", "flops_per_sample", "peak_gflops", "epoch", "fast",
                        "to_99"}  # fmt: skip
    pipelines = [(r["pipeline"], r["batch"], r["precision"]) for r in fig["epoch"]]
    assert pipelines == [
        ("DataLoader + ToTensor + Normalize", 64, "fp32"),
        ("DataLoader over a TensorDataset", 64, "fp32"),
        ("reference_model trainer", 64, "fp32"),
        ("reference_model trainer", 64, "bf16"),
    ]
    for r in fig["epoch"]:
        assert r["samples"] == 600 and r["fraction_of_bf16_peak"] > 0
        assert r["speedup"] == pytest.approx(fig["epoch"][0]["seconds"] / r["seconds"])
    assert [r["seed"] for r in fig["fast"]["runs"]] == [0, 1]
    for r in fig["fast"]["runs"]:
        assert r["reached"] == (r["val_accuracy"] >= fig["fast"]["target_val_accuracy"])
    assert report.startswith("# reference model on ") and "of bf16 peak" in report
    # time to 99%: cnn99 in both precisions over the seeds, and pytorch/examples' recipe
    assert [r["seed"] for r in fig["to_99"]["cnn99"]["bf16"]] == [0, 1]
    assert 1 <= fig["to_99"]["anchor"]["epochs"] <= 2
    assert "| pytorch/examples mnist |" in report and "--recipe cnn99" in report


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is here")
def test_without_cuda_the_gpu_script_says_so_in_one_line(tiny_mnist, capsys):
    assert reference_gpu.main(["--data-dir", str(tiny_mnist)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err] and "no CUDA device here" in err


def test_the_anchor_bench_alternates_and_reports_medians(tiny_mnist, tmp_path, capsys):
    """pytorch/examples' recipe against --recipe cnn99, run in turn; tried on generated digits
    (neither reaches 99% there, and the report says so)."""
    from benchmarks import reference_anchor

    out = tmp_path / "anchor.json"
    args = ["--data-dir", str(tiny_mnist), "--pairs", "2", "--anchor-epochs", "1"]
    assert reference_anchor.main([*args, "--json", str(out)]) == 0
    fig = json.loads(out.read_text())
    assert [r["seed"] for r in fig["anchor"]["runs"]] == [0, 1] == [
        r["seed"] for r in fig["cnn99"]["runs"]]  # fmt: skip
    a = fig["anchor"]["seconds"]
    assert a["min"] <= a["median"] <= a["max"]
    assert fig["ratio"] == pytest.approx(fig["cnn99"]["seconds"]["median"] / a["median"])
    assert all(r["epochs"] == 1 for r in fig["anchor"]["runs"])
    report = capsys.readouterr().out
    assert "| pytorch/examples mnist (anchor) |" in report and "Not every run reached" in report
