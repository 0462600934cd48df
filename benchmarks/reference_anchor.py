"""``python -m benchmarks.reference_anchor``: time to 99% test accuracy on the full MNIST —
pytorch/examples' MNIST recipe, as a user copies it, against ``--recipe cnn99``.

The anchor is that example's network and loop, written here from its published description:
two 3×3 convolutions (32 and 64 channels), max-pooling, dropout 0.25, a 128-unit layer,
dropout 0.5, log-softmax; Adadelta at lr 1.0 with the learning rate × 0.7 after each epoch;
batch 64 from a shuffling DataLoader over torchvision's MNIST with ToTensor + Normalize
(on CUDA with ``num_workers=1, pin_memory=True``, as the example sets), at most 14 epochs.
Its test accuracy is read after every epoch and the clock stops at the first epoch that
reaches 99% — which favours the anchor. ``cnn99`` is run whole (3 epochs) and its test
accuracy read once, at the end: its time is that of the whole recipe.

Runs alternate (anchor, ours, anchor, ours, …) so that a change in the machine's load hits
both; each side is reported as the median of its runs with the range, and the ratio as
the median's. Training time only on both sides (evaluation excluded).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import statistics
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from reference_model import MEAN, STD, bench, data, dist
from reference_model import train as training

TARGET = 0.99
MAX_EPOCHS = 14  # the example's own


class ExampleNet(nn.Module):
    """The network of pytorch/examples' mnist/main.py."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.drop1, self.drop2 = nn.Dropout(0.25), nn.Dropout(0.5)
        self.fc1, self.fc2 = nn.Linear(9216, 128), nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
        x = F.relu(self.fc1(torch.flatten(self.drop1(x), 1)))
        return F.log_softmax(self.fc2(self.drop2(x)), dim=1)


@contextlib.contextmanager
def plain_root(root: Path) -> Iterator[Path]:
    """An MNIST root torchvision reads: ``root`` itself when its files are plain, else a
    temporary copy with the ``.gz`` files unpacked."""
    raw = data.raw_dir(root)
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
             "t10k-labels-idx1-ubyte"]  # fmt: skip
    if all((raw / n).is_file() for n in names):
        yield root
        return
    with tempfile.TemporaryDirectory(prefix="mnist-plain-") as tmp:
        out = data.raw_dir(tmp)
        out.mkdir(parents=True)
        for n in names:
            (out / n).write_bytes(gzip.decompress((raw / f"{n}.gz").read_bytes()))
        yield Path(tmp)


def anchor_run(root: Path, device: torch.device, seed: int, max_epochs: int = MAX_EPOCHS) -> dict:
    """The example's recipe until its test accuracy reaches TARGET (or ``max_epochs``)."""
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    torch.manual_seed(seed)
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((MEAN,), (STD,))])
    train_set = datasets.MNIST(str(root), train=True, download=False, transform=tf)
    test_set = datasets.MNIST(str(root), train=False, download=False, transform=tf)
    extra = {"num_workers": 1, "pin_memory": True} if device.type == "cuda" else {}
    loader = DataLoader(train_set, batch_size=64, shuffle=True, **extra)
    tests = DataLoader(test_set, batch_size=1000, **extra)
    net = ExampleNet().to(device)
    opt = torch.optim.Adadelta(net.parameters(), lr=1.0)
    step = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    seconds, accuracy = 0.0, []
    for _ in range(max_epochs):
        seconds += bench.loader_epoch(net, loader, opt, F.nll_loss, device)
        step.step()
        net.eval()
        correct = 0
        with torch.no_grad():
            for x, y in tests:
                correct += int((net(x.to(device)).argmax(1) == y.to(device)).sum())
        accuracy.append(correct / len(test_set))
        if accuracy[-1] >= TARGET:
            break
    return {"seed": seed, "seconds": seconds, "epochs": len(accuracy),
            "reached": accuracy[-1] >= TARGET, "test_by_epoch": accuracy}  # fmt: skip


def ours_run(train_split, test_split, device: str, seed: int, precision: str = "fp32",
             compile: bool = False) -> dict:  # fmt: skip
    cfg = replace(training.recipe_config("cnn99"), seed=seed)
    runtime = training.Runtime(device=device, precision=precision, compile=compile,
                               progress=False)  # fmt: skip
    r = training.train(cfg, train_split, test_split, runtime, log=bench._quiet)
    return {"seed": seed, "seconds": r.train_seconds, "epochs": r.epochs_run,
            "reached": r.test_accuracy >= TARGET, "test_accuracy": r.test_accuracy,
            "val_accuracy": r.val_accuracy, "compile_seconds": r.compile_seconds}  # fmt: skip


def _median(runs: list[dict]) -> dict:
    values = [r["seconds"] for r in runs]
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run(root: Path, device: str = "cpu", pairs: int = 3, log=print,
        max_epochs: int = MAX_EPOCHS) -> dict:  # fmt: skip
    dev = dist.resolve_device(device)
    train_split, test_split = data.load_split(root, "train"), data.load_split(root, "test")
    anchor, ours = [], []
    with plain_root(root) as plain:
        for i in range(pairs):
            log(f"pair {i + 1}/{pairs}: pytorch/examples' recipe to {TARGET:.0%} …")
            anchor.append(anchor_run(plain, dev, seed=i, max_epochs=max_epochs))
            log(f"pair {i + 1}/{pairs}: --recipe cnn99 …")
            ours.append(ours_run(train_split, test_split, device, seed=i))
    a, o = _median(anchor), _median(ours)
    return {
        "format": "reference-model-anchor/1",
        "machine": bench.machine_facts(dev),
        "train_samples": len(train_split),
        "target": TARGET,
        "anchor": {"runs": anchor, "seconds": a},
        "cnn99": {"runs": ours, "seconds": o},
        "ratio": o["median"] / a["median"],
    }


def report(fig: dict) -> str:
    a, o = fig["anchor"], fig["cnn99"]
    m = fig["machine"]

    def percents(values) -> str:
        return ", ".join(f"{v:.2%}" for v in values)

    def cell(s: dict) -> str:
        return f"{s['median']:.2f} s ({s['min']:.2f}–{s['max']:.2f})"

    lines = [
        f"Time to {fig['target']:.0%} test accuracy, {fig['train_samples']:,} training digits, "
        f"{m['description']}; medians of {len(a['runs'])} alternating runs (range):",
        "",
        "| recipe | training time to 99% | epochs | test accuracy |",
        "|---|---:|---|---|",
        f"| pytorch/examples mnist (anchor) | {cell(a['seconds'])} "
        f"| {', '.join(str(r['epochs']) for r in a['runs'])} "
        f"| {percents(r['test_by_epoch'][-1] for r in a['runs'])} |",
        f"| --recipe cnn99 (whole run) | {cell(o['seconds'])} "
        f"| {', '.join(str(r['epochs']) for r in o['runs'])} "
        f"| {percents(r['test_accuracy'] for r in o['runs'])} |",
        "",
        f"cnn99 takes {fig['ratio']:.3f} of the anchor's time (1/{1 / fig['ratio']:.1f}).",
    ]
    if not all(r["reached"] for r in a["runs"] + o["runs"]):
        lines.append("Not every run reached the target: see the test accuracy column.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=Path("../shared/datasets/mnist-60k"))
    p.add_argument("--device", default="cpu")
    p.add_argument("--pairs", type=int, default=3, help="alternating runs of each (default 3)")
    p.add_argument("--anchor-epochs", type=int, default=MAX_EPOCHS,
                   help="the anchor runs at most this many epochs (default 14)")  # fmt: skip
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    fig = run(args.data_dir, args.device, args.pairs,
              log=lambda line: print(line, file=sys.stderr),
              max_epochs=args.anchor_epochs)  # fmt: skip
    print(report(fig))
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
