"""``python -m reference_model bench``: this trainer against the DataLoader baseline.

Everything runs in one process, on the same data and device, so the ratios compare like
with like. Three parts:

(a) throughput: one epoch of the seed recipe (MLP, Adam 1e-3, batch 64) over ``tile`` copies
    of the training set, first as a PyTorch user writes it from the source document
    (torchvision MNIST, ToTensor + Normalize, DataLoader, shuffle), then as a careful user
    would (the whole set normalised once into a TensorDataset, DataLoader, shuffle), then with
    this trainer — two baselines, so the speed-up is not only the PIL conversion's;
(b) time to accuracy: the seed recipe for ``seed_epochs`` epochs both ways, then
    ``--recipe fast`` until it reaches the baseline's final test accuracy;
(c) every optimizer at its default learning rate on the seed recipe, and the peak memory of
    a CPU run over ``tile`` copies.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F

from reference_model import MEAN, STD, data, dist, optim
from reference_model import model as models
from reference_model import train as training


def _quiet(*_args) -> None:
    pass


def baseline_epochs(
    root: Path, epochs: int, tile: int, device: torch.device, seed: int = 0
) -> tuple[float, float]:
    """The seed recipe as written from the document: returns (train seconds, test accuracy)."""
    from torch.utils.data import ConcatDataset, DataLoader
    from torchvision import datasets, transforms

    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((MEAN,), (STD,))])
    train_set = datasets.MNIST(str(root), train=True, download=False, transform=tf)
    test_set = datasets.MNIST(str(root), train=False, download=False, transform=tf)
    if tile > 1:
        train_set = ConcatDataset([train_set] * tile)
    torch.manual_seed(seed)
    net = models.MLP().to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loader = DataLoader(train_set, batch_size=64, shuffle=True)
    seconds = 0.0
    for _ in range(epochs):
        net.train()
        dist.synchronize(device)
        t0 = time.perf_counter()
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            loss = F.cross_entropy(net(x), y)
            loss.backward()
            opt.step()
        dist.synchronize(device)
        seconds += time.perf_counter() - t0
    net.eval()
    correct = 0
    with torch.no_grad():
        for x, y in DataLoader(test_set, batch_size=1000):
            correct += (net(x.to(device)).argmax(1) == y.to(device)).sum().item()
    return seconds, correct / len(test_set)


def tensor_baseline_epochs(
    root: Path, epochs: int, tile: int, device: torch.device, seed: int = 0
) -> tuple[float, float]:
    """The second baseline: the digits normalised once into tensors, a TensorDataset and a
    shuffling DataLoader — no per-sample conversion. Returns (train seconds, test accuracy)."""
    from torch.utils.data import DataLoader, TensorDataset

    train_split = data.load_split(root, "train").tile(tile)
    test_split = data.load_split(root, "test")
    train_set = TensorDataset(data.normalise(train_split.images), train_split.labels)
    torch.manual_seed(seed)
    net = models.MLP().to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loader = DataLoader(train_set, batch_size=64, shuffle=True)
    seconds = 0.0
    for _ in range(epochs):
        net.train()
        dist.synchronize(device)
        t0 = time.perf_counter()
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            F.cross_entropy(net(x), y).backward()
            opt.step()
        dist.synchronize(device)
        seconds += time.perf_counter() - t0
    acc, _ = training.evaluate(net, test_split.to(device))
    return seconds, acc


def _peak_rss_mb(root: Path, tile: int) -> float:
    """Peak resident memory of a fresh process training one CPU epoch over ``tile`` copies."""
    code = (
        "import resource, sys\n"
        "from reference_model import data, train as t\n"
        f"tr = data.load_split({str(root)!r}, 'train').tile({tile})\n"
        f"te = data.load_split({str(root)!r}, 'test')\n"
        "t.train(t.recipe_config('seed', epochs=1), tr, te, t.Runtime(device='cpu'), "
        "log=lambda *a: None)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    return int(out.split()[-1]) / 1024  # Linux reports KiB


def run(
    root: Path,
    device: str = "auto",
    precision: str = "fp32",
    compile: bool = False,
    tile: int = 12,
    seed_epochs: int = 10,
    optimizers: bool = True,
    log=print,
) -> dict:
    dev = dist.resolve_device(device)
    runtime = training.Runtime(device=device, precision=precision, compile=compile, progress=False)
    train_split = data.load_split(root, "train")
    test_split = data.load_split(root, "test")
    fig: dict = {
        "device": str(dev),
        "precision": precision,
        "compile": compile,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_samples": len(train_split),
        "tile": tile,
    }

    log(f"(a) one epoch of {tile} × {len(train_split):,} samples, batch 64, Adam 1e-3 …")
    base_s, _ = baseline_epochs(root, 1, tile, dev)
    tensor_s, _ = tensor_baseline_epochs(root, 1, tile, dev)
    seed = training.recipe_config("seed", epochs=1)
    ours = training.train(seed, train_split.tile(tile), test_split, runtime, log=_quiet)
    fig["epoch"] = {
        "samples": tile * len(train_split),
        "dataloader_seconds": base_s,
        "tensor_dataloader_seconds": tensor_s,
        "ours_seconds": ours.train_seconds,
        "speedup": base_s / ours.train_seconds,
        "speedup_vs_tensor_dataloader": tensor_s / ours.train_seconds,
    }

    log(f"(b) {seed_epochs} epochs of the seed recipe both ways, then --recipe fast …")
    base_s, base_acc = baseline_epochs(root, seed_epochs, 1, dev)
    tensor_s, tensor_acc = tensor_baseline_epochs(root, seed_epochs, 1, dev)
    ours = training.train(
        replace(seed, epochs=seed_epochs), train_split, test_split, runtime, log=_quiet
    )
    fast = training.train(
        training.recipe_config("fast"), train_split, test_split, runtime, log=_quiet
    )
    elapsed, reached = 0.0, None
    for row in fast.history:
        elapsed += row["seconds"]
        if row["test_accuracy"] >= base_acc:
            reached = {"epoch": row["epoch"], "seconds": elapsed}
            break
    fig["seed"] = {
        "epochs": seed_epochs,
        "dataloader_seconds": base_s,
        "dataloader_accuracy": base_acc,
        "tensor_dataloader_seconds": tensor_s,
        "tensor_dataloader_accuracy": tensor_acc,
        "ours_seconds": ours.train_seconds,
        "ours_accuracy": ours.test_accuracy,
    }
    fig["fast"] = {
        "config": fast.metrics()["config"],
        "seconds": fast.train_seconds,
        "accuracy": fast.test_accuracy,
        "target_accuracy": base_acc,
        "reached": reached,
        "fraction_of_dataloader_seed": reached["seconds"] / base_s if reached else None,
        "fraction_of_ours_seed": reached["seconds"] / ours.train_seconds if reached else None,
    }

    if optimizers:
        log("(c) every optimizer at its default learning rate, seed recipe …")
        rows = {}
        for name, spec in optim.OPTIMIZERS.items():
            r = training.train(
                replace(seed, epochs=seed_epochs, optimizer=name),
                train_split,
                test_split,
                runtime,
                log=_quiet,
            )
            rows[name] = {"lr": spec.lr, "accuracy": r.test_accuracy, "seconds": r.train_seconds}
        fig["optimizers"] = rows
        if dev.type == "cpu":
            fig["peak_rss_mb"] = _peak_rss_mb(root, tile)
    fig["bench_self_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return fig


def table(fig: dict) -> str:
    """The figures as a markdown report, ready for the docs site."""
    e, s, f = fig["epoch"], fig["seed"], fig["fast"]
    lines = [
        f"device {fig['device']}, {fig['precision']}, compile {fig['compile']}, "
        f"torch {fig['torch']}, {fig['threads']} threads",
        "",
        "| (a) one epoch, batch 64, Adam 1e-3 | samples | seconds | samples/s | speed-up |",
        "|---|---:|---:|---:|---:|",
        f"| DataLoader + ToTensor + Normalize | {e['samples']:,} | {e['dataloader_seconds']:.2f} "
        f"| {e['samples'] / e['dataloader_seconds']:,.0f} | 1.00× |",
        f"| DataLoader over a TensorDataset | {e['samples']:,} "
        f"| {e['tensor_dataloader_seconds']:.2f} "
        f"| {e['samples'] / e['tensor_dataloader_seconds']:,.0f} "
        f"| {e['dataloader_seconds'] / e['tensor_dataloader_seconds']:.2f}× |",
        f"| reference_model trainer | {e['samples']:,} | {e['ours_seconds']:.2f} "
        f"| {e['samples'] / e['ours_seconds']:,.0f} | {e['speedup']:.2f}× "
        f"({e['speedup_vs_tensor_dataloader']:.2f}× the TensorDataset) |",
        "",
        "| (b) time to accuracy | epochs | train seconds | test accuracy |",
        "|---|---:|---:|---:|",
        f"| seed recipe, DataLoader | {s['epochs']} | {s['dataloader_seconds']:.2f} "
        f"| {s['dataloader_accuracy']:.2%} |",
        f"| seed recipe, TensorDataset DataLoader | {s['epochs']} "
        f"| {s['tensor_dataloader_seconds']:.2f} | {s['tensor_dataloader_accuracy']:.2%} |",
        f"| seed recipe, reference_model | {s['epochs']} | {s['ours_seconds']:.2f} "
        f"| {s['ours_accuracy']:.2%} |",
    ]
    if f["reached"]:
        lines.append(
            f"| --recipe fast, to {f['target_accuracy']:.2%} | {f['reached']['epoch']} "
            f"| {f['reached']['seconds']:.2f} | ≥ {f['target_accuracy']:.2%} |"
        )
        lines.append(
            f"\nfast reaches the DataLoader seed run's accuracy in "
            f"{f['fraction_of_dataloader_seed']:.3f} of its time "
            f"(1/{1 / f['fraction_of_dataloader_seed']:.1f}), "
            f"{f['fraction_of_ours_seed']:.3f} of this trainer's seed run "
            f"(1/{1 / f['fraction_of_ours_seed']:.1f})."
        )
    else:
        lines.append(
            f"| --recipe fast (did not reach {f['target_accuracy']:.2%}) "
            f"| {f['config']['epochs']} | {f['seconds']:.2f} | {f['accuracy']:.2%} |"
        )
    if "optimizers" in fig:
        lines += [
            "",
            f"| (c) optimizer, seed recipe, {s['epochs']} epochs | lr | test accuracy | seconds |",
            "|---|---:|---:|---:|",
        ]
        lines += [
            f"| {name} | {r['lr']:g} | {r['accuracy']:.2%} | {r['seconds']:.2f} |"
            for name, r in fig["optimizers"].items()
        ]
    if "peak_rss_mb" in fig:
        lines.append(
            f"\npeak RSS of a CPU epoch over {e['samples']:,} samples: {fig['peak_rss_mb']:.0f} MB"
        )
    return "\n".join(lines)
