"""The validation split: held out of training, the same for every seed, read every epoch;
early stopping and time to accuracy on it; the test set read once, at the end."""

from __future__ import annotations

import json

import pytest
import torch

from reference_model import data
from reference_model import train as training
from reference_model.__main__ import main

QUIET = dict(log=lambda *_: None)
CPU = training.Runtime(device="cpu", progress=False)


def _splits(root):
    return data.load_split(root, "train"), data.load_split(root, "test")


def test_the_held_out_digits_are_never_trained_on(tiny_mnist):
    whole, _ = _splits(tiny_mnist)
    train_part, val_part = data.hold_out(whole, 0.1)
    assert len(train_part) + len(val_part) == len(whole)
    # every class contributes its share (stratified), and the two parts are disjoint
    for digit in range(10):
        of_class = int((whole.labels == digit).sum())
        assert int((val_part.labels == digit).sum()) == round(of_class * 0.1)
    idx = torch.arange(len(whole))
    again_train, again_val = data.hold_out(data.Split(idx[:, None], whole.labels), 0.1)
    assert not set(again_train.images.flatten().tolist()) & set(again_val.images.flatten().tolist())
    # the same digits whatever the run's seed: the split does not read the global RNG
    torch.manual_seed(123)
    assert torch.equal(data.hold_out(whole, 0.1)[1].images, val_part.images)


def test_a_run_trains_on_the_rest_and_validates_every_epoch(tiny_mnist):
    tr, te = _splits(tiny_mnist)
    result = training.train(training.recipe_config("seed", epochs=2), tr, te, CPU, **QUIET)
    m = result.metrics()
    assert m["train_samples"] == 540 and m["val_samples"] == 60
    assert result.samples_seen == 2 * 540
    assert all("val_accuracy" in row and "test_accuracy" not in row for row in m["history"])
    assert 0.5 < m["val_accuracy"] <= 1 and 0.5 < m["test_accuracy"] <= 1


def test_val_fraction_zero_trains_on_everything(tiny_mnist):
    tr, te = _splits(tiny_mnist)
    cfg = training.recipe_config("seed", epochs=1, val_fraction=0.0)
    result = training.train(cfg, tr, te, CPU, **QUIET)
    assert result.samples_seen == 600 and result.val_samples == 0
    assert "val_accuracy" not in result.history[0] and 0.5 < result.test_accuracy <= 1


def test_the_target_accuracy_stops_the_run_when_validation_reaches_it(tiny_mnist):
    tr, te = _splits(tiny_mnist)
    cfg = training.recipe_config("fast", epochs=20, target_accuracy=0.9)
    result = training.train(cfg, tr, te, CPU, **QUIET)
    reached = [row["epoch"] for row in result.history if row["val_accuracy"] >= 0.9]
    assert result.epochs_run == reached[0] < 20
    assert "reached validation accuracy 90.00%" in result.stopped


def test_patience_stops_and_keeps_the_best_epochs_weights(tiny_mnist):
    tr, te = _splits(tiny_mnist)
    # a learning rate that makes validation accuracy bounce, so the last epoch is not the best
    cfg = training.recipe_config("seed", optimizer="sgd", lr=2.0, epochs=30, patience=2)
    result = training.train(cfg, tr, te, CPU, **QUIET)
    history = result.history
    best = max(history, key=lambda row: row["val_accuracy"])
    assert result.epochs_run < 30 and result.epochs_run - result.best_epoch == 2
    assert result.best_epoch == best["epoch"]
    # the returned model is the best epoch's: its validation accuracy is that epoch's
    assert result.val_accuracy == pytest.approx(best["val_accuracy"])
    assert "no better validation accuracy for 2 epochs" in result.stopped


def test_an_early_stopped_run_resumes_to_the_same_end(tiny_mnist, tmp_path):
    tr, te = _splits(tiny_mnist)
    cfg = training.recipe_config("seed", optimizer="sgd", lr=2.0, epochs=30, patience=2)
    whole = training.train(cfg, tr, te, CPU, **QUIET)

    def stop_in_epoch_2(line: str) -> None:
        if line.startswith("epoch   2/30"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        training.train(cfg, tr, te, CPU, checkpoint_dir=tmp_path, log=stop_in_epoch_2)
    resumed = training.train(
        cfg, tr, te, CPU, checkpoint_dir=tmp_path,
        resume=training.load_checkpoint(tmp_path / "last.pt"), **QUIET,
    )  # fmt: skip
    assert resumed.epochs_run == whole.epochs_run and resumed.best_epoch == whole.best_epoch
    for key, value in whole.net.state_dict().items():
        assert torch.equal(resumed.net.state_dict()[key], value), key
    # resuming the stopped run trains nothing more and reports the same model
    again = training.train(
        cfg, tr, te, CPU, resume=training.load_checkpoint(tmp_path / "last.pt"), **QUIET
    )
    assert again.epochs_run == whole.epochs_run and again.test_accuracy == whole.test_accuracy


def test_the_cli_reports_validation_then_test(tiny_mnist, tmp_path, capsys):
    metrics = tmp_path / "m.json"
    args = ["train", "--data-dir", str(tiny_mnist), "--epochs", "2"]
    assert main([*args, "--metrics-json", str(metrics)]) == 0
    out = capsys.readouterr().out
    assert "60 held out for validation" in out and "val accuracy" in out
    assert out.count("test accuracy") == 1  # once, at the end
    m = json.loads(metrics.read_text())
    assert m["config"]["val_fraction"] == 0.1 and m["val_samples"] == 60


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--val-fraction", "1"], "must be at least 0 and below 1"),
        (["--val-fraction", "nan"], "not a finite number"),
        (["--target-accuracy", "95"], "at most 1 (0.95 = 95%)"),
        (["--patience", "0"], "must be greater than 0"),
        (["--val-fraction", "0", "--patience", "2"], "--val-fraction is 0"),
        (["--val-fraction", "0.999"], "no training samples left"),
    ],
)
def test_bad_validation_flags_are_one_line(tiny_mnist, capsys, flags, message):
    try:
        code = main(["train", "--data-dir", str(tiny_mnist), *flags])
    except SystemExit as exit_:  # argparse's refusals exit with 2
        code = exit_.code
    assert code != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in err
