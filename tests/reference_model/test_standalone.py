"""The folder a researcher copies: `reference_model/` alone, in an empty folder, with only
torch and torchvision (no tools/, no tqdm), runs its command line and trains; and every bad
checkpoint it may be handed is one line."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import torch

from reference_model import train as training
from reference_model.__main__ import main
from tests.conftest import ROOT
from tests.reference_model.idx import write_mnist

# Run the copy with the project's own packages (and tqdm) made unimportable, as in a
# researcher's environment that has torch and torchvision alone.
ALONE = (
    "import sys, runpy\n"
    "for name in ('tools', 'tqdm', 'benchmarks'):\n"
    "    sys.modules[name] = None\n"
    "import reference_model\n"
    "assert reference_model.__file__.startswith(sys.argv[1]), reference_model.__file__\n"
    "sys.argv = ['python -m reference_model', *sys.argv[2:]]\n"
    "runpy.run_module('reference_model', run_name='__main__', alter_sys=True)\n"
)


def test_a_copy_of_the_folder_alone_runs_and_trains(tmp_path):
    home = tmp_path / "research"
    shutil.copytree(ROOT / "reference_model", home / "reference_model",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    data = write_mnist(tmp_path / "mnist")

    def run(*args):
        return subprocess.run([sys.executable, "-c", ALONE, str(home), *args], cwd=home,
                              capture_output=True, text=True)  # fmt: skip

    helped = run("train", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "usage: python -m reference_model train" in helped.stdout
    trained = run("train", "--data-dir", str(data), "--epochs", "1", "--device", "cpu",
                  "--checkpoint-dir", str(tmp_path / "ckpt"))  # fmt: skip
    assert trained.returncode == 0, trained.stderr
    assert "test accuracy" in trained.stdout and (tmp_path / "ckpt" / "last.pt").is_file()
    bad = run("train", "--data-dir", str(tmp_path / "nowhere"), "--device", "cpu")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "Traceback" not in bad.stderr


@pytest.fixture
def checkpoint(tmp_path, capsys):
    data = write_mnist(tmp_path / "mnist")
    args = ["train", "--data-dir", str(data), "--epochs", "1", "--device", "cpu",
            "--no-progress", "--checkpoint-dir", str(tmp_path / "ckpt")]  # fmt: skip
    assert main(args) == 0
    capsys.readouterr()
    return data, tmp_path / "ckpt" / "last.pt"


def _resave(path, state: dict) -> None:
    """A checkpoint edited by hand, its digest made to match again (so only the edit shows)."""
    state = {k: v for k, v in state.items() if k != "sha256"}
    training.save_checkpoint(path, state)


def _mutate_missing(state):
    del state["optimizer"]


def _mutate_renamed(state):
    state["model"] = {f"module.{k}": v for k, v in state["model"].items()}


def _mutate_other_architecture(state):
    state["model"] = {
        k: torch.zeros(v.shape[0] + 1, *v.shape[1:]) for k, v in state["model"].items()
    }


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (_mutate_missing, "'optimizer' is missing"),
        (_mutate_renamed, "the weights do not fit the mlp model (missing"),
        (_mutate_other_architecture, "has shape"),
    ],
)
@pytest.mark.parametrize("command", ["evaluate", "resume"])
def test_a_bad_checkpoint_is_one_line(checkpoint, capsys, tmp_path, mutate, message, command):
    data, path = checkpoint
    state = torch.load(path, map_location="cpu", weights_only=True)
    mutate(state)
    bad = tmp_path / "bad.pt"
    if "optimizer" in state:
        _resave(bad, state)
    else:  # a key missing: written without a digest of its own
        torch.save(state, bad)
    _assert_one_line(capsys, command, data, bad, message)


def test_a_truncated_or_foreign_checkpoint_is_one_line(checkpoint, capsys, tmp_path):
    data, path = checkpoint
    blob = path.read_bytes()
    cut = tmp_path / "cut.pt"
    cut.write_bytes(blob[: len(blob) // 2])
    _assert_one_line(capsys, "evaluate", data, cut, "not a readable checkpoint")
    foreign = tmp_path / "foreign.pt"
    torch.save(torch.nn.Linear(3, 2).state_dict(), foreign)  # another network's weights
    for command in ("evaluate", "resume"):
        _assert_one_line(capsys, command, data, foreign, "not a reference_model checkpoint")


def _assert_one_line(capsys, command, data, path, message):
    if command == "evaluate":
        args = ["evaluate", "--checkpoint", str(path), "--data-dir", str(data)]
    else:
        args = ["train", "--resume", str(path), "--data-dir", str(data), "--device", "cpu",
                "--epochs", "2", "--no-progress"]  # fmt: skip
    code = main(args)
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert message in err, err


@pytest.mark.parametrize("flag", ["--metrics-json", "--save-model"])
def test_an_output_that_cannot_be_written_is_refused_before_training(tmp_path, capsys, flag):
    """Refused after training, the run's minutes were lost and the message named a temporary
    file; now the path is checked first."""
    data = write_mnist(tmp_path / "mnist")
    folder = tmp_path / "out"
    folder.mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for target, message in ((folder, "is a folder; give a file name"),
                            (blocker / "sub" / "m.json", "is a file, not a folder")):  # fmt: skip
        args = ["train", "--data-dir", str(data), "--epochs", "1", "--device", "cpu",
                "--no-progress", flag, str(target)]  # fmt: skip
        assert main(args) == 2
        captured = capsys.readouterr()
        assert "training mlp" not in captured.out  # refused before any training
        err = captured.err.strip()
        assert len(err.splitlines()) == 1 and message in err and ".tmp" not in err, err
