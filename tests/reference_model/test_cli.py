from __future__ import annotations

import json

import pytest
import torch

from reference_model import bench
from reference_model.__main__ import main
from tests.reference_model.idx import write_mnist


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_train_then_evaluate_end_to_end(tiny_mnist, tmp_path, capsys):
    metrics_path, ckpt = tmp_path / "out" / "metrics.json", tmp_path / "ckpt"
    flags = "--epochs 2 --batch-size 32 --optimizer nesterov --schedule cosine --device cpu"
    args = ["train", "--data-dir", str(tiny_mnist), *flags.split(), "--no-progress"]
    code = main([*args, "--checkpoint-dir", str(ckpt), "--metrics-json", str(metrics_path)])
    out = capsys.readouterr().out
    assert code == 0
    assert "training mlp with nesterov (lr 0.05) on cpu" in out and "epoch   2/2" in out
    metrics = json.loads(metrics_path.read_text())
    required = "test_accuracy train_seconds epochs samples_per_second device optimizer precision"
    assert set(required.split()) | {"world_size"} <= metrics.keys()
    assert metrics["epochs"] == 2 and metrics["optimizer"] == "nesterov"
    assert metrics["config"]["batch_size"] == 32 and metrics["config"]["schedule"] == "cosine"

    args = ["evaluate", "--checkpoint", str(ckpt / "last.pt"), "--data-dir", str(tiny_mnist)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"test accuracy {metrics['test_accuracy']:.2%}" in out


def test_the_default_recipe_is_the_documents(tiny_mnist, tmp_path, capsys):
    metrics_path = tmp_path / "m.json"
    args = ["train", "--data-dir", str(tiny_mnist), "--epochs", "1"]
    assert main([*args, "--metrics-json", str(metrics_path)]) == 0
    cfg = json.loads(metrics_path.read_text())["config"]
    seed = ("mlp", "adam", 64, "none", "seed")
    assert (
        cfg["model"],
        cfg["optimizer"],
        cfg["batch_size"],
        cfg["schedule"],
        cfg["recipe"],
    ) == seed
    assert json.loads(metrics_path.read_text())["lr"] == 1e-3


def test_cnn_trains(tiny_mnist, capsys):
    assert main(["train", "--data-dir", str(tiny_mnist), "--model", "cnn", "--epochs", "1"]) == 0
    assert "training cnn" in capsys.readouterr().out


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_is_one_clear_line(tiny_mnist, capsys):
    assert main(["train", "--data-dir", str(tiny_mnist), "--device", "cuda"]) == 2
    err = _one_error_line(capsys)
    assert "--device cuda: no cuda device is available" in err and "--device cpu" in err


def test_missing_data_is_one_clear_line(tmp_path, capsys):
    assert main(["train", "--data-dir", str(tmp_path / "nowhere")]) == 2
    err = _one_error_line(capsys)
    assert "train-images-idx3-ubyte: missing" in err and "--download" in err


def test_resume_from_a_missing_checkpoint_is_one_clear_line(tiny_mnist, tmp_path, capsys):
    args = ["train", "--data-dir", str(tiny_mnist), "--resume", str(tmp_path / "nope.pt")]
    assert main(args) == 2
    assert "no such file" in _one_error_line(capsys)


def test_bad_numbers_are_refused(tiny_mnist, capsys):
    with pytest.raises(SystemExit) as info:
        main(["train", "--data-dir", str(tiny_mnist), "--lr", "-1"])
    assert info.value.code == 2
    assert "-1 must be greater than 0" in capsys.readouterr().err


def test_download_failure_is_one_clear_line(tmp_path, capsys):
    # A mirror on a closed loopback port: torchvision's real download code runs and fails.
    args = ["train", "--data-dir", str(tmp_path), "--download", "--mirror", "http://127.0.0.1:9/"]
    assert main(args) == 2
    assert "could not download MNIST from http://127.0.0.1:9/" in _one_error_line(capsys)


def test_a_mirror_serving_other_files_is_refused(tmp_path, capsys):
    # torchvision checks each download's MD5: synthetic files from a loopback mirror fail it.
    import functools
    import http.server
    import threading

    served = tmp_path / "mirror"
    write_mnist(served, n_train=20, n_test=10, gz=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *_args):
            pass

    handler = functools.partial(Quiet, directory=str(served / "MNIST" / "raw"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/"
        args = ["train", "--data-dir", str(tmp_path / "data"), "--download", "--mirror", url]
        assert main(args) == 2
    finally:
        server.shutdown()
    err = capsys.readouterr().err  # torchvision's own progress bar comes first
    assert "Traceback" not in err
    assert f"could not download MNIST from {url}" in err.strip().splitlines()[-1]


def test_bench_runs_both_pipelines_side_by_side(tiny_mnist):
    fig = bench.run(
        tiny_mnist, device="cpu", tile=2, seed_epochs=1, seeds=3, optimizers=False,
        compile_row=False, log=lambda *_: None, peak_seconds=0.05, roofline_samples=256,
        repeats=3,
    )  # fmt: skip
    assert fig["epoch"]["samples"] == 1200
    # (a) three alternating runs of each pipeline; each figure is their median, with the range
    runs = fig["epoch"]["runs"]
    assert {k: len(v) for k, v in runs.items()} == {"dataloader": 3, "tensor_dataloader": 3,
                                                     "ours": 3}  # fmt: skip
    assert fig["epoch"]["ours_seconds"] == sorted(runs["ours"])[1]
    lo, hi = fig["epoch"]["speedup_range"]
    assert lo <= max(a / b for a, b in zip(runs["dataloader"], runs["ours"], strict=True)) <= hi
    # time to the target on both sides: the seed recipe's own first epoch at it, not its
    # whole run
    for run in fig["fast"]["seed_recipe_reached"]:
        assert 1 <= run["epoch"] <= 1 and run["seconds"] > 0
    assert fig["machine"]["description"]
    # (b) over three seeds, accuracy on the held-out digits; the target is the baseline's mean
    tv = fig["seed"]["tensor_dataloader"]
    assert len(tv["val_accuracy"]["values"]) == 3 and fig["val_samples"] == 60
    assert fig["fast"]["target_val_accuracy"] == pytest.approx(tv["val_accuracy"]["mean"])
    for run in fig["fast"]["reached"]:
        assert run["seconds"] > 0 and 1 <= run["epoch"] <= 4
    # the per-sample pipeline and the TensorDataset compute the same run (seed 0)
    assert fig["seed"]["dataloader"]["val_accuracy"] == pytest.approx(
        tv["val_accuracy"]["values"][0]
    )
    assert fig["epoch"]["speedup"] == pytest.approx(
        fig["epoch"]["dataloader_seconds"] / fig["epoch"]["ours_seconds"]
    )
    assert fig["epoch"]["speedup_vs_tensor_dataloader"] == pytest.approx(
        fig["epoch"]["tensor_dataloader_seconds"] / fig["epoch"]["ours_seconds"]
    )
    report = bench.table(fig)
    assert "seeds 0–2, mean ± SD" in report and "validation accuracy" in report
    assert "reached it on" in report
    assert "DataLoader + ToTensor + Normalize" in report and "reference_model trainer" in report
    assert "DataLoader over a TensorDataset" in report
    rf = fig["roofline"]
    assert (
        rf["flops_per_sample"] == 1_598_000
    )  # 2·(784·500 + 500·10) forward, ×2 backward - input grad
    assert [(r["batch"], r["precision"]) for r in rf["runs"]] == [
        (64, "fp32"), (64, "bf16"), (1024, "fp32"), (1024, "bf16")]  # fmt: skip
    assert all(r["fraction_of_fp32_peak"] > 0 for r in rf["runs"])
    assert "MFLOP per training sample" in report
    svg = bench.plot_svg(fig)
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    lines = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == len(fig["curves"]) == 2
