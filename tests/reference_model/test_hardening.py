"""The reference model's command line against careless input: non-finite numbers, a diverging
run, resumes that would silently ignore flags, finished runs, damaged checkpoints."""

from __future__ import annotations

import json

import pytest
import torch

from reference_model import train as training
from reference_model.__main__ import main
from tests.reference_model.test_train import CPU, QUIET, _splits


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--lr", "nan"], "--lr: nan is not a finite number"),
        (["--lr", "inf"], "--lr: inf is not a finite number"),
        (["--optimizer", "adam", "--lr=-inf"], "--lr: -inf is not a finite number"),
        (["--label-smoothing", "2"], "--label-smoothing: 2 must be at least 0 and below 1"),
        (["--weight-decay", "nan"], "--weight-decay: nan is not a finite number"),
        (["--seed", str(10**17)], "--seed: 100000000000000000 must be from 0 to 4,294,967,295"),
        (["--seed=-1"], "--seed: -1 must be from 0 to"),
        (["--epochs", "two"], "--epochs: 'two' is not a number"),
    ],
)
def test_bad_numbers_are_one_line(tiny_mnist, capsys, flags, message):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--data-dir", str(tiny_mnist), *flags])
    assert exit_.value.code == 2
    assert message in _one_line(capsys)


def test_a_diverging_run_stops_and_writes_no_nan_checkpoint(tiny_mnist, tmp_path, capsys):
    ckpt = tmp_path / "ckpt"
    args = ["train", "--data-dir", str(tiny_mnist), "--optimizer", "sgd", "--lr", "1e6"]
    assert main([*args, "--epochs", "2", "--checkpoint-dir", str(ckpt)]) == 2
    err = _one_line(capsys)
    assert "epoch 1: the training loss became nan" in err and "too high" in err
    assert not (ckpt / "last.pt").exists()


def test_a_diverging_resume_keeps_the_last_good_checkpoint(tiny_mnist, tmp_path):
    tr, te = _splits(tiny_mnist)
    cfg = training.recipe_config("seed", epochs=3, optimizer="sgd")

    def stop_after_epoch_1(line: str) -> None:
        if line.startswith("epoch   2/3"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        training.train(cfg, tr, te, CPU, checkpoint_dir=tmp_path, log=stop_after_epoch_1)
    good = (tmp_path / "last.pt").read_bytes()
    state = training.load_checkpoint(tmp_path / "last.pt")
    state["config"]["lr"] = 1e6  # as if the recipe were changed on resume
    for group in state["optimizer"]["param_groups"]:
        group["lr"] = 1e6
    with pytest.raises(training.Diverged, match=r"last good checkpoint \(epoch 1\) is kept"):
        training.train(cfg, tr, te, CPU, checkpoint_dir=tmp_path, resume=state, **QUIET)
    assert (tmp_path / "last.pt").read_bytes() == good


def _interrupted(tiny_mnist, ckpt, **overrides):
    tr, te = _splits(tiny_mnist)
    cfg = training.recipe_config("seed", epochs=2, **overrides)

    def stop(line: str) -> None:
        if line.startswith("epoch   2/2"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        training.train(cfg, tr, te, CPU, checkpoint_dir=ckpt, log=stop)


def test_resume_keeps_checkpointing_beside_the_resumed_file(tiny_mnist, tmp_path, capsys):
    ckpt = tmp_path / "ckpt"
    _interrupted(tiny_mnist, ckpt)
    assert training.load_checkpoint(ckpt / "last.pt")["epoch"] == 1
    args = ["train", "--data-dir", str(tiny_mnist), "--resume", str(ckpt / "last.pt")]
    assert main(args) == 0
    assert training.load_checkpoint(ckpt / "last.pt")["epoch"] == 2


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--lr", "0.5"], "--lr 0.5 (the checkpoint has None)"),
        (["--epochs", "5"], "--epochs 5 (the checkpoint has 2)"),
        (["--optimizer", "sgd"], "--optimizer sgd (the checkpoint has adam)"),
    ],
)
def test_resume_refuses_flags_that_would_be_ignored(tiny_mnist, tmp_path, capsys, flags, message):
    ckpt = tmp_path / "ckpt"
    _interrupted(tiny_mnist, ckpt)
    args = ["train", "--data-dir", str(tiny_mnist), "--resume", str(ckpt), *flags]
    assert main(args) == 2
    err = _one_line(capsys)
    assert "a resumed run keeps its recipe" in err and message in err
    assert (
        main(["train", "--data-dir", str(tiny_mnist), "--resume", str(ckpt), "--epochs", "2"]) == 0
    )


def test_resuming_a_finished_run_reports_its_accuracy(tiny_mnist, tmp_path, capsys):
    ckpt, metrics = tmp_path / "ckpt", tmp_path / "m.json"
    args = ["train", "--data-dir", str(tiny_mnist), "--epochs", "1"]
    assert main([*args, "--checkpoint-dir", str(ckpt)]) == 0
    first = capsys.readouterr().out
    again = ["train", "--data-dir", str(tiny_mnist), "--resume", str(ckpt)]
    assert main([*again, "--metrics-json", str(metrics)]) == 0
    out = capsys.readouterr().out
    assert "nan" not in out and "finished all 1 epochs" in out
    assert first.rsplit("test accuracy ", 1)[1][:6] == out.rsplit("test accuracy ", 1)[1][:6]
    data = json.loads(metrics.read_text())  # strict JSON: no NaN
    assert 0 < data["test_accuracy"] <= 1


def test_metrics_json_never_holds_nan(tmp_path):
    training.write_metrics(tmp_path / "m.json", {"a": float("nan"), "b": [float("inf"), 1.0]})
    assert json.loads((tmp_path / "m.json").read_text()) == {"a": None, "b": [None, 1.0]}


@pytest.fixture
def checkpoint(tiny_mnist, tmp_path):
    ckpt = tmp_path / "ckpt"
    assert (
        main(
            ["train", "--data-dir", str(tiny_mnist), "--epochs", "1", "--checkpoint-dir", str(ckpt)]
        )
        == 0
    )
    return ckpt / "last.pt"


def test_a_checkpoint_with_wrong_shapes_is_one_line(checkpoint, tiny_mnist, capsys):
    state = training.load_checkpoint(checkpoint)
    state["model"]["net.1.weight"] = torch.zeros(3, 3)
    training.save_checkpoint(checkpoint, {k: v for k, v in state.items() if k != "sha256"})
    args = ["evaluate", "--checkpoint", str(checkpoint), "--data-dir", str(tiny_mnist)]
    assert main(args) == 2
    assert "net.1.weight has shape (3, 3), expected (500, 784)" in _one_line(capsys)


@pytest.mark.parametrize("key", ["optimizer", "model", "config", "epoch"])
def test_a_checkpoint_missing_a_key_is_one_line(checkpoint, tiny_mnist, capsys, key):
    state = training.load_checkpoint(checkpoint)
    del state[key]
    torch.save(state, checkpoint)
    args = ["train", "--data-dir", str(tiny_mnist), "--resume", str(checkpoint)]
    assert main(args) == 2
    assert f"damaged checkpoint: {key!r} is missing" in _one_line(capsys)


def test_flipped_bytes_are_refused_not_loaded(checkpoint, tiny_mnist, capsys):
    data = bytearray(checkpoint.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 4096, 512):  # inside the weights
        data[offset] ^= 0x40
    checkpoint.write_bytes(bytes(data))
    args = ["evaluate", "--checkpoint", str(checkpoint), "--data-dir", str(tiny_mnist)]
    assert main(args) == 2
    err = _one_line(capsys)
    assert "does not match its SHA-256" in err or "not a readable checkpoint" in err


def test_a_tampered_value_with_a_stale_digest_is_refused(checkpoint):
    state = training.load_checkpoint(checkpoint)
    state["epoch"] = 7  # the digest still says 1
    torch.save(state, checkpoint)
    with pytest.raises(training.UserError, match="does not match its SHA-256"):
        training.load_checkpoint(checkpoint)
