"""The flags of pytorch/examples' MNIST script, for researchers who come from it."""

from __future__ import annotations

import torch

from reference_model import model as models
from reference_model.__main__ import main


def test_dry_run_trains_one_batch_and_writes_no_checkpoint(tiny_mnist, tmp_path, capsys):
    args = ["train", "--data-dir", str(tiny_mnist), "--dry-run", "--batch-size", "32",
            "--test-batch-size", "50", "--checkpoint-dir", str(tmp_path / "ck")]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "dry run: one epoch of 32 samples, 50 test samples" in out and "epoch   1/1" in out
    assert not (tmp_path / "ck").exists()


def test_log_interval_logs_the_batch_loss(tiny_mnist, capsys):
    args = ["train", "--data-dir", str(tiny_mnist), "--epochs", "1", "--batch-size", "100",
            "--log-interval", "2", "--no-progress"]  # fmt: skip
    assert main(args) == 0
    lines = [x for x in capsys.readouterr().out.splitlines() if "batch loss" in x]
    assert [x.split()[3] for x in lines] == ["2/6", "4/6", "6/6"]


def test_save_model_writes_loadable_weights(tiny_mnist, tmp_path, capsys):
    path = tmp_path / "mnist_mlp.pt"
    assert main(["train", "--data-dir", str(tiny_mnist), "--epochs", "1",
                 "--save-model", str(path)]) == 0  # fmt: skip
    net = models.MLP()
    net.load_state_dict(torch.load(path, weights_only=True))
    assert f"weights written to {path}" in capsys.readouterr().out


def test_the_test_batch_size_does_not_change_the_accuracy(tiny_mnist, capsys):
    accuracies = []
    for size in ("7", "2000"):
        assert main(["train", "--data-dir", str(tiny_mnist), "--epochs", "1",
                     "--test-batch-size", size]) == 0  # fmt: skip
        accuracies.append(capsys.readouterr().out.rsplit("test accuracy ", 1)[1].split()[0])
    assert accuracies[0] == accuracies[1]
