"""The GPU benchmark script, tried on the CPU: it runs in one go and prints its fixed format."""

from __future__ import annotations

import json

import pytest
import torch

from benchmarks import reference_gpu


def test_the_gpu_script_runs_in_one_go_and_keeps_its_format(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "gpu.json"
    args = ["--data-dir", str(tiny_mnist), "--device", "cpu", "--seeds", "2", "--no-compile"]
    assert reference_gpu.main([*args, "--json", str(out)]) == 0
    report = capsys.readouterr().out
    fig = json.loads(out.read_text())
    assert fig["format"] == reference_gpu.FORMAT
    assert set(fig) == {"format", "machine", "flops_per_sample", "peak_gflops", "epoch", "fast"}
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


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is here")
def test_without_cuda_the_gpu_script_says_so_in_one_line(tiny_mnist, capsys):
    assert reference_gpu.main(["--data-dir", str(tiny_mnist)]) != 0
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [err] and "no CUDA device here" in err
