"""``python -m reference_model bench``: this trainer against the DataLoader baselines.

Everything runs in one process, on the same data and device, so the ratios compare like
with like. Accuracy is read off the validation split (10% of each class of the training
digits, held out of every run, baselines included); the test set is read once per run, at
its end, and decides nothing. Four parts:

(a) throughput: one epoch of the seed recipe (MLP, Adam 1e-3, batch 64) over ``tile`` copies
    of the training set, first as a PyTorch user writes it from the source document
    (torchvision MNIST, ToTensor + Normalize, DataLoader, shuffle), then as a careful user
    would (the whole set normalised once into a TensorDataset, DataLoader, shuffle), then with
    this trainer, eager and compiled — two baselines, so the speed-up is not only the PIL
    conversion's, and the compiled row whether or not it pays on this machine;
(b) time to accuracy over ``seeds`` seeds: the seed recipe for ``seed_epochs`` epochs all
    three ways (the per-sample pipeline on seed 0 only: it computes what the TensorDataset
    one does, slower), then ``--recipe fast``, and the epoch at which fast's validation
    accuracy first reaches the baseline's mean final validation accuracy; mean ± SD;
(c) every optimizer at its default learning rate on the seed recipe (seed 0), and the peak
    memory of a CPU run over ``tile`` copies;
(d) the roofline: the FLOPs a training sample costs, the machine's measured matrix-product
    peak (fp32, and bf16), and the fraction of it the trainer reaches at batch 64 and 1024,
    fp32 and bf16.

``plot_svg`` draws validation accuracy against training seconds for the runs of (b), seed 0,
and (c).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import torch
import torch.nn.functional as F

from . import MEAN, STD, data, dist, optim
from . import model as models
from . import train as training


def _quiet(*_args) -> None:
    pass


def _fit_with_loader(train_set, epochs: int, device: torch.device, seed: int, after_epoch=None):
    """The seed recipe as a PyTorch user writes it: a shuffling DataLoader at batch 64, Adam
    1e-3. Returns (the trained MLP, train seconds with the device synchronised at both ends,
    the cumulative seconds after each epoch). ``after_epoch(net)`` runs off the clock."""
    from torch.utils.data import DataLoader

    torch.manual_seed(seed)
    net = models.MLP().to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    # on CUDA as pytorch/examples sets it: a worker process and pinned memory
    extra = {"num_workers": 1, "pin_memory": True} if device.type == "cuda" else {}
    loader = DataLoader(train_set, batch_size=64, shuffle=True, **extra)
    seconds, elapsed = 0.0, []
    for _ in range(epochs):
        seconds += loader_epoch(net, loader, opt, F.cross_entropy, device)
        elapsed.append(seconds)
        if after_epoch is not None:
            after_epoch(net)
    return net, seconds, elapsed


def loader_epoch(net, loader, opt, loss, device: torch.device) -> float:
    """One epoch of the loop a PyTorch user writes around a DataLoader; its seconds, with the
    device synchronised at both ends."""
    net.train()
    dist.synchronize(device)
    t0 = time.perf_counter()
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        opt.zero_grad()
        loss(net(x), y).backward()
        opt.step()
    dist.synchronize(device)
    return time.perf_counter() - t0


def _train_indices(train_split: data.Split, val_fraction: float) -> torch.Tensor:
    """The training digits left after :func:`data.hold_out`, as indices into the file."""
    numbered = data.Split(torch.arange(len(train_split))[:, None], train_split.labels)
    return data.hold_out(numbered, val_fraction)[0].images.flatten()


def baseline_epochs(
    root: Path, train_split: data.Split, test_split: data.Split, epochs: int, tile: int,
    device: torch.device, seed: int = 0, val_fraction: float = 0.0,
) -> dict:  # fmt: skip
    """The seed recipe as written from the document (torchvision MNIST, ToTensor + Normalize,
    a DataLoader), on the same training digits as this trainer (``train_split`` is the file
    under ``root``, already read): returns its train seconds and its validation and test
    accuracy."""
    from torch.utils.data import ConcatDataset, Subset
    from torchvision import datasets, transforms

    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((MEAN,), (STD,))])
    train_set = datasets.MNIST(str(root), train=True, download=False, transform=tf)
    train_set = Subset(train_set, _train_indices(train_split, val_fraction).tolist())
    if tile > 1:
        train_set = ConcatDataset([train_set] * tile)
    val_part = data.hold_out(train_split, val_fraction)[1]
    curve: list[float] = []

    def judge(net):  # validation after each epoch, off the clock: its time to a target
        if len(val_part):
            curve.append(training.evaluate(net, val_part.to(device))[0])

    net, seconds, elapsed = _fit_with_loader(train_set, epochs, device, seed, judge)
    each = [t - (elapsed[i - 1] if i else 0.0) for i, t in enumerate(elapsed)]
    history = [{"epoch": i + 1, "seconds": t, "val_accuracy": a}
               for i, (t, a) in enumerate(zip(each, curve, strict=False))]  # fmt: skip
    return {"seconds": seconds, "history": history, **_judge(net, val_part, test_split, device)}


def tensor_baseline_epochs(
    train_split: data.Split, test_split: data.Split, epochs: int, tile: int,
    device: torch.device, seed: int = 0, val_fraction: float = 0.0,
) -> dict:  # fmt: skip
    """The second baseline: the digits normalised once into tensors, a TensorDataset and a
    shuffling DataLoader — no per-sample conversion. Returns what :func:`baseline_epochs`
    does."""
    from torch.utils.data import TensorDataset

    train_part, val_part = data.hold_out(train_split, val_fraction)
    tiled = train_part.tile(tile)
    train_set = TensorDataset(data.normalise(tiled.images), tiled.labels)
    net, seconds, _ = _fit_with_loader(train_set, epochs, device, seed)
    return {"seconds": seconds, **_judge(net, val_part, test_split, device)}


def _judge(net, val_part: data.Split, test_split: data.Split, device: torch.device) -> dict:
    """A baseline's validation accuracy (the same held-out digits as the trainer's) and test
    accuracy, read once."""
    return {
        "test_accuracy": training.evaluate(net, test_split.to(device))[0],
        "val_accuracy": training.evaluate(net, val_part.to(device))[0] if len(val_part) else None,
    }


def machine_facts(device: torch.device) -> dict:
    """What a figure was measured on: the CPU's model, cores and features, or the GPU."""
    import os
    import platform

    facts = {"device": str(device), "torch": torch.__version__,
             "python": platform.python_version()}  # fmt: skip
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        facts.update(
            name=props.name,
            capability=f"{props.major}.{props.minor}",
            memory_gib=round(props.total_memory / 2**30, 1),
            cuda=torch.version.cuda,
            description=f"{props.name}, torch {torch.__version__}",
        )
        return facts
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    features = dist.cpu_features()
    facts.update(name=name, cores=os.cpu_count(), threads=torch.get_num_threads(),
                 features=features,
                 description=f"{name}, {os.cpu_count()} cores ({', '.join(features) or 'no AVX'}), "
                 f"torch {torch.__version__}")  # fmt: skip
    return facts


def spread(values: list[float]) -> dict:
    """Mean, sample standard deviation, lowest and highest of one figure over seeds."""
    import statistics

    return {
        "mean": statistics.mean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
        "values": values,
    }


def train_flops_per_sample(net: torch.nn.Module) -> int:
    """Multiply-adds × 2 of a forward pass, times 3 for forward + backward (the backward pass
    computes the weight gradients and the activations' gradients: two products per layer,
    less the first layer's input gradient, which nobody needs)."""
    forward = backward = 0
    first = True
    for layer in net.modules():
        if isinstance(layer, torch.nn.Linear):
            macs = layer.in_features * layer.out_features
            forward += 2 * macs
            backward += 2 * macs * (1 if first else 2)
            first = False
    return forward + backward


def matmul_peak(
    device: torch.device, precision: str, seconds: float = 1.0, max_size: int = 2048
) -> float:
    """Measured FLOP/s of large matrix products (``F.linear``, the trainer's own operation)
    on tensors already in the precision measured — bf16 operands for bf16, so no cast is
    timed: the machine's practical peak for it. The size grows from 256 to ``max_size``
    while time allows (a CPU without bf16 units is slow; a GPU needs 8192 to approach its
    peak)."""
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32

    def product(size: int):
        x = torch.randn(size, size, device=device, dtype=dtype)
        w = torch.randn(size, size, device=device, dtype=dtype)

        def run():
            return F.linear(x, w)

        return run

    size = 256
    while size < max_size:
        run = product(size)
        run()
        dist.synchronize(device)
        t0 = time.perf_counter()
        run()
        dist.synchronize(device)
        if (time.perf_counter() - t0) * 8 * 4 > seconds:  # the next size takes 8× longer
            break
        size *= 2
    run = product(size)
    run()  # warm-up
    dist.synchronize(device)
    runs, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        run()
        runs += 1
    dist.synchronize(device)
    return 2 * size**3 * runs / (time.perf_counter() - t0)


def roofline(train_split, test_split, device: str, samples: int, peak_seconds: float = 1.0) -> dict:
    """The trainer's FLOP rate against the measured peak, over one epoch of ``samples``."""
    dev = dist.resolve_device(device)
    flops = train_flops_per_sample(models.MLP())
    peaks = {
        "fp32": matmul_peak(dev, "fp32", seconds=peak_seconds),
        "bf16": matmul_peak(dev, "bf16", seconds=peak_seconds),
    }
    rows = []
    for batch in (64, 1024):
        for precision in ("fp32", "bf16"):
            cfg = training.recipe_config("seed", epochs=1, batch_size=batch, val_fraction=0.0)
            runtime = training.Runtime(device=device, precision=precision, progress=False)
            copies = max(1, -(-samples // len(train_split)))
            epoch = train_split.tile(copies).head(samples)
            r = training.train(cfg, epoch, test_split, runtime, log=_quiet)
            rate = r.samples_seen / r.train_seconds
            rows.append(
                {
                    "batch": batch,
                    "precision": precision,
                    "samples_per_second": rate,
                    "gflops": rate * flops / 1e9,
                    "fraction_of_peak": rate * flops / peaks[precision],
                    "fraction_of_fp32_peak": rate * flops / peaks["fp32"],
                    "test_accuracy": r.test_accuracy,
                }
            )
    return {"flops_per_sample": flops, "peak_gflops": {k: v / 1e9 for k, v in peaks.items()},
            "runs": rows}  # fmt: skip


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
    seeds: int = 5,
    optimizers: bool = True,
    compile_row: bool = True,
    repeats: int = 3,
    log=print,
    peak_seconds: float = 1.0,
    roofline_samples: int = 10_000,
) -> dict:
    dev = dist.resolve_device(device)
    runtime = training.Runtime(device=device, precision=precision, compile=compile, progress=False)
    train_split = data.load_split(root, "train")
    test_split = data.load_split(root, "test")
    seed = training.recipe_config("seed", epochs=seed_epochs)
    train_part, val_part = data.hold_out(train_split, seed.val_fraction)
    fig: dict = {
        "machine": machine_facts(dev),
        "device": str(dev),
        "precision": precision,
        "compile": compile,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "train_samples": len(train_part),
        "val_samples": len(val_part),
        "test_samples": len(test_split),
        "tile": tile,
        "seeds": seeds,
    }

    log(f"(a) one epoch of {tile} × {len(train_split):,} samples, batch 64, Adam 1e-3, "
        f"{repeats} alternating runs of each …")  # fmt: skip
    # throughput only: the whole training file, nothing held out, no accuracy read. The runs
    # alternate, so a change in the machine's load hits every pipeline alike; each figure is
    # the median, with the range.
    one = training.recipe_config("seed", epochs=1, val_fraction=0.0)
    tiled = train_split.tile(tile)
    runs: dict[str, list[float]] = {"dataloader": [], "tensor_dataloader": [], "ours": []}
    error, compile_seconds = None, []
    for _ in range(repeats):
        runs["dataloader"].append(baseline_epochs(root, train_split, test_split, 1, tile,
                                                  dev)["seconds"])  # fmt: skip
        runs["tensor_dataloader"].append(
            tensor_baseline_epochs(train_split, test_split, 1, tile, dev)["seconds"]
        )
        runs["ours"].append(training.train(one, tiled, test_split,
                                           replace(runtime, compile=False),
                                           log=_quiet).train_seconds)  # fmt: skip
        if compile_row and error is None:
            try:
                compiled = training.train(
                    one, tiled, test_split, replace(runtime, compile=True), log=_quiet
                )
                runs.setdefault("compiled", []).append(compiled.train_seconds)
                compile_seconds.append(compiled.compile_seconds)
            except Exception as exc:  # no C++ compiler, an unsupported backend: report, go on
                error = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    med = statistics.median
    fig["epoch"] = {
        "samples": tile * len(train_split),
        "repeats": repeats,
        "runs": runs,
        "dataloader_seconds": med(runs["dataloader"]),
        "tensor_dataloader_seconds": med(runs["tensor_dataloader"]),
        "ours_seconds": med(runs["ours"]),
        "speedup": med(runs["dataloader"]) / med(runs["ours"]),
        "speedup_vs_tensor_dataloader": med(runs["tensor_dataloader"]) / med(runs["ours"]),
        # each alternating run's own ratio: how far the figure moves with the machine's load
        "speedup_range": _ratio_range(runs["dataloader"], runs["ours"]),
        "speedup_vs_tensor_dataloader_range": _ratio_range(runs["tensor_dataloader"], runs["ours"]),
    }
    if runs.get("compiled"):
        fig["epoch"]["compiled_seconds"] = med(runs["compiled"])
        # the first run's: later runs in this process reuse its compiled code
        fig["epoch"]["compile_seconds"] = compile_seconds[0]
    if error is not None:
        fig["epoch"]["compile_error"] = error

    log(f"(b) {seed_epochs} epochs of the seed recipe three ways, then --recipe fast, "
        f"seeds 0–{seeds - 1}; accuracy on {len(val_part):,} held-out digits …")  # fmt: skip
    base = baseline_epochs(root, train_split, test_split, seed_epochs, 1, dev, 0, seed.val_fraction)
    tensor_runs = [
        tensor_baseline_epochs(train_split, test_split, seed_epochs, 1, dev, s, seed.val_fraction)
        for s in range(seeds)
    ]
    ours_runs = [
        training.train(replace(seed, seed=s), train_split, test_split, runtime, log=_quiet)
        for s in range(seeds)
    ]
    # the target: the baseline recipe's final validation accuracy, averaged over the seeds
    target = spread([r["val_accuracy"] for r in tensor_runs])["mean"]
    fast_runs, reached = [], []
    for s in range(seeds):
        fast = training.train(
            training.recipe_config("fast", seed=s), train_split, test_split, runtime, log=_quiet
        )
        fast_runs.append(fast)
        elapsed = 0.0
        for row in fast.history:
            elapsed += row["seconds"]
            if row["val_accuracy"] >= target:
                reached.append({"seed": s, "epoch": row["epoch"], "seconds": elapsed})
                break
    seed_reached = []
    for s, r in enumerate(ours_runs):
        first = _first_reach(r.history, target)
        if first is not None:
            seed_reached.append({"seed": s, **first})
    base_reached = _first_reach(base.get("history", []), target)
    fig["curves"] = {
        "seed recipe, reference_model": _curve(ours_runs[0].history),
        "--recipe fast": _curve(fast_runs[0].history),
    }
    fig["seed"] = {
        "epochs": seed_epochs,
        "dataloader": base,  # seed 0: the per-sample pipeline computes what the next one does
        "tensor_dataloader": {
            key: spread([r[key] for r in tensor_runs])
            for key in ("seconds", "val_accuracy", "test_accuracy")
        },
        "ours": _spread_results(ours_runs),
        "fast": _spread_results(fast_runs),
    }
    to_target = spread([r["seconds"] for r in reached]) if reached else None
    seed_to_target = spread([r["seconds"] for r in seed_reached]) if seed_reached else None
    # time to the same target on both sides: fast's against the seed recipe's own first epoch
    # at the target (this trainer, over the seeds that reach it; the per-sample pipeline,
    # seed 0), never against a whole 10-epoch run
    fig["fast"] = {
        "config": fast_runs[0].metrics()["config"],
        "target_val_accuracy": target,
        "reached": reached,
        "reached_seeds": len(reached),
        "seconds_to_target": to_target,
        "seed_recipe_reached": seed_reached,
        "seed_recipe_seconds_to_target": seed_to_target,
        "dataloader_reached": base_reached,
        "fraction_of_dataloader_seed": (
            to_target and base_reached and to_target["mean"] / base_reached["seconds"]
        ),
        "fraction_of_ours_seed": (
            to_target and seed_to_target and to_target["mean"] / seed_to_target["mean"]
        ),
    }

    if optimizers:
        log("(c) every optimizer at its default learning rate, seed recipe, seed 0 …")
        rows = {}
        for name, spec in optim.OPTIMIZERS.items():
            r = training.train(
                replace(seed, optimizer=name), train_split, test_split, runtime, log=_quiet
            )
            rows[name] = {
                "lr": spec.lr,
                "val_accuracy": r.val_accuracy,
                "test_accuracy": r.test_accuracy,
                "seconds": r.train_seconds,
            }
            fig["curves"][name] = _curve(r.history)
        fig["optimizers"] = rows
        if dev.type == "cpu":
            fig["peak_rss_mb"] = _peak_rss_mb(root, tile)
    log("(d) the roofline: matrix-product peak, then the trainer at batch 64 and 1024 …")
    fig["roofline"] = roofline(train_part, test_split, device, roofline_samples, peak_seconds)
    fig["bench_self_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return fig


def _first_reach(history: list[dict], target: float) -> dict | None:
    """The first epoch whose validation accuracy reaches ``target``, with the training
    seconds up to its end; None if none does."""
    elapsed = 0.0
    for row in history:  # each row: one epoch's seconds and its validation accuracy
        elapsed += row["seconds"]
        if row.get("val_accuracy") is not None and row["val_accuracy"] >= target:
            return {"epoch": row["epoch"], "seconds": elapsed}
    return None


def _ratio_range(numerators: list[float], denominators: list[float]) -> tuple[float, float]:
    ratios = [a / b for a, b in zip(numerators, denominators, strict=True)]
    return (min(ratios), max(ratios))


def _spread_results(results: list) -> dict:
    return {
        "seconds": spread([r.train_seconds for r in results]),
        "val_accuracy": spread([r.val_accuracy for r in results]),
        "test_accuracy": spread([r.test_accuracy for r in results]),
    }


def _curve(history: list[dict]) -> list[tuple[float, float]]:
    """(cumulative training seconds, validation accuracy) after each epoch."""
    out, elapsed = [], 0.0
    for row in history:
        elapsed += row["seconds"]
        out.append((round(elapsed, 3), row["val_accuracy"]))
    return out


PALETTE = ("#3f51b5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41",
           "#546e7a", "#c0ca33")  # fmt: skip


def plot_svg(fig: dict, width: int = 760, height: int = 420) -> str:
    """Accuracy against training seconds, one line per run (log-scaled time axis): the
    figure on the docs page, drawn here so the bench and the page never disagree."""
    import math
    from html import escape

    curves = fig["curves"]
    points = [p for c in curves.values() for p in c]
    t_lo = min(t for t, _ in points) * 0.8
    t_hi = max(t for t, _ in points) * 1.25
    a_lo = min(0.90, min(a for _, a in points))
    a_hi = max(a for _, a in points) + 0.005
    left, right, top, bottom = 60, 240, 20, 50

    def x(t: float) -> float:
        span = math.log(t_hi) - math.log(t_lo)
        return left + (width - left - right) * (math.log(t) - math.log(t_lo)) / span

    def y(a: float) -> float:
        return top + (height - top - bottom) * (a_hi - a) / (a_hi - a_lo)

    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' font-family='sans-serif' font-size='12'>",
        f"<title>Validation accuracy against training seconds ({escape(fig['device'])})</title>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
    ]
    step = 0.02 if a_hi - a_lo <= 0.12 else 0.05
    ticks = [math.ceil(a_lo / step) * step + k * step for k in range(int(1 / step) + 1)]
    for tick in ticks:
        if a_lo <= tick <= a_hi:
            out.append(f"<line x1='{left}' x2='{width - right}' y1='{y(tick):.1f}' "
                       f"y2='{y(tick):.1f}' stroke='#ddd'/><text x='{left - 6}' "
                       f"y='{y(tick) + 4:.1f}' text-anchor='end'>{tick:.0%}</text>")  # fmt: skip
    tick = 10 ** math.floor(math.log10(t_lo))
    while tick <= t_hi:
        for m in (1, 2, 5):
            t = tick * m
            if t_lo <= t <= t_hi:
                grid = (f"<line x1='{x(t):.1f}' x2='{x(t):.1f}' y1='{top}' "
                        f"y2='{height - bottom}' stroke='#eee'/>")  # fmt: skip
                label = (f"<text x='{x(t):.1f}' y='{height - bottom + 16}' "
                         f"text-anchor='middle'>{t:g} s</text>")  # fmt: skip
                out.append(grid + label)
        tick *= 10
    for i, (name, curve) in enumerate(curves.items()):
        colour = PALETTE[i % len(PALETTE)]
        path = " ".join(f"{x(t):.1f},{y(a):.1f}" for t, a in curve)
        out.append(f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2'>"
                   f"<title>{escape(name)}</title></polyline>")  # fmt: skip
        ly = top + 16 * i + 8
        out.append(f"<line x1='{width - right + 12}' x2='{width - right + 32}' y1='{ly}' "
                   f"y2='{ly}' stroke='{colour}' stroke-width='3'/><text "
                   f"x='{width - right + 36}' y='{ly + 4}'>{escape(name)}</text>")  # fmt: skip
    out.append(f"<text x='{(left + width - right) / 2:.0f}' y='{height - 12}' "
               f"text-anchor='middle'>training seconds (log scale), {escape(fig['device'])}, "
               f"{fig['threads']} threads</text>")  # fmt: skip
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _pm(sp: dict, percent: bool = True) -> str:
    """``mean ± SD`` of a :func:`spread`, in percent or in seconds."""
    if percent:
        return f"{sp['mean']:.2%} ± {100 * sp['sd']:.2f}"
    return f"{sp['mean']:.2f} ± {sp['sd']:.2f}"


def table(fig: dict) -> str:
    """The figures as a markdown report, ready for the docs site."""
    e, s, f = fig["epoch"], fig["seed"], fig["fast"]
    runs = e.get("runs", {})

    def secs(key: str, median: float) -> str:
        values = runs.get(key, [median])
        return f"{median:.2f} ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else (
            f"{median:.2f}")  # fmt: skip

    lo, hi = e.get("speedup_range", (e["speedup"], e["speedup"]))
    tlo, thi = e.get("speedup_vs_tensor_dataloader_range", (e["speedup_vs_tensor_dataloader"],) * 2)
    lines = [
        f"{fig.get('machine', {}).get('description', fig['device'])}; {fig['precision']}, "
        f"compile {fig['compile']}, {fig['threads']} threads; {fig['train_samples']:,} training "
        f"digits, {fig['val_samples']:,} held out for validation, {fig['test_samples']:,} test",
        "",
        f"| (a) one epoch, batch 64, Adam 1e-3; median (range) of {e.get('repeats', 1)} "
        "alternating runs | samples | seconds | samples/s | speed-up |",
        "|---|---:|---:|---:|---:|",
        f"| DataLoader + ToTensor + Normalize | {e['samples']:,} "
        f"| {secs('dataloader', e['dataloader_seconds'])} "
        f"| {e['samples'] / e['dataloader_seconds']:,.0f} | 1.00× |",
        f"| DataLoader over a TensorDataset | {e['samples']:,} "
        f"| {secs('tensor_dataloader', e['tensor_dataloader_seconds'])} "
        f"| {e['samples'] / e['tensor_dataloader_seconds']:,.0f} "
        f"| {e['dataloader_seconds'] / e['tensor_dataloader_seconds']:.2f}× |",
        f"| reference_model trainer | {e['samples']:,} | {secs('ours', e['ours_seconds'])} "
        f"| {e['samples'] / e['ours_seconds']:,.0f} | {e['speedup']:.2f}× (each run "
        f"{lo:.2f}–{hi:.2f}×; {e['speedup_vs_tensor_dataloader']:.2f}× the TensorDataset, "
        f"{tlo:.2f}–{thi:.2f}×) |",
    ]
    if "compiled_seconds" in e:
        lines.append(
            f"| reference_model trainer, --compile | {e['samples']:,} "
            f"| {secs('compiled', e['compiled_seconds'])} "
            f"| {e['samples'] / e['compiled_seconds']:,.0f} "
            f"| {e['dataloader_seconds'] / e['compiled_seconds']:.2f}× "
            f"({e['ours_seconds'] / e['compiled_seconds']:.2f}× eager; "
            f"+{e['compile_seconds']:.1f} s compiling, not counted) |"
        )
    elif "compile_error" in e:
        failed = f"failed: {e['compile_error']}"
        lines.append(f"| reference_model trainer, --compile | — | {failed} | | |")
    tv, ours, fast = s["tensor_dataloader"], s["ours"], s["fast"]
    n = fig["seeds"]
    lines += [
        "",
        f"| (b) seeds 0–{n - 1}, mean ± SD | epochs | train seconds | validation accuracy "
        "| test accuracy |",
        "|---|---:|---:|---:|---:|",
        f"| seed recipe, DataLoader (seed 0 only) | {s['epochs']} "
        f"| {s['dataloader']['seconds']:.2f} | {s['dataloader']['val_accuracy']:.2%} "
        f"| {s['dataloader']['test_accuracy']:.2%} |",
        f"| seed recipe, TensorDataset DataLoader | {s['epochs']} "
        f"| {_pm(tv['seconds'], False)} | {_pm(tv['val_accuracy'])} "
        f"| {_pm(tv['test_accuracy'])} |",
        f"| seed recipe, reference_model | {s['epochs']} | {_pm(ours['seconds'], False)} "
        f"| {_pm(ours['val_accuracy'])} | {_pm(ours['test_accuracy'])} |",
        f"| --recipe fast | {f['config']['epochs']} | {_pm(fast['seconds'], False)} "
        f"| {_pm(fast['val_accuracy'])} | {_pm(fast['test_accuracy'])} |",
        "",
        f"time to accuracy: the target is the TensorDataset baseline's mean final validation "
        f"accuracy, {f['target_val_accuracy']:.2%}; --recipe fast reached it on "
        f"{f['reached_seeds']} of {n} seeds",
    ]

    def at(reached: list[dict]) -> str:
        return ", ".join(f"seed {r['seed']}: epoch {r['epoch']}, {r['seconds']:.2f} s"
                         for r in reached)  # fmt: skip

    if f["seconds_to_target"]:
        lines[-1] += f" ({at(f['reached'])}); mean {f['seconds_to_target']['mean']:.2f} s."
    else:
        lines[-1] += "."
    seed_to, base_at = f.get("seed_recipe_seconds_to_target"), f.get("dataloader_reached")
    line = (f"The seed recipe on this trainer reached the same target on "
            f"{len(f.get('seed_recipe_reached', []))} of {n} seeds")  # fmt: skip
    if seed_to:
        line += f" ({at(f['seed_recipe_reached'])}); mean {seed_to['mean']:.2f} s"
    line += "; the per-sample DataLoader pipeline (seed 0) "
    if base_at:
        line += f"at epoch {base_at['epoch']}, {base_at['seconds']:.2f} s."
    else:
        line += "did not reach it."
    lines.append(line)
    if f.get("fraction_of_ours_seed") or f.get("fraction_of_dataloader_seed"):
        parts = []
        if f.get("fraction_of_ours_seed"):
            parts.append(f"{f['fraction_of_ours_seed']:.3f} of the seed recipe's time to it on "
                         f"this trainer (1/{1 / f['fraction_of_ours_seed']:.1f})")  # fmt: skip
        if f.get("fraction_of_dataloader_seed"):
            parts.append(f"{f['fraction_of_dataloader_seed']:.3f} of the per-sample pipeline's "
                         f"(1/{1 / f['fraction_of_dataloader_seed']:.1f})")  # fmt: skip
        lines.append("Time to the same target: fast's mean is " + ", ".join(parts) + ".")
    if "optimizers" in fig:
        lines += [
            "",
            f"| (c) optimizer, seed recipe, {s['epochs']} epochs, seed 0 | lr "
            "| validation accuracy | test accuracy | seconds |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {name} | {r['lr']:g} | {r['val_accuracy']:.2%} | {r['test_accuracy']:.2%} "
            f"| {r['seconds']:.2f} |"
            for name, r in fig["optimizers"].items()
        ]
    if "peak_rss_mb" in fig:
        lines.append(
            f"\npeak RSS of a CPU epoch over {e['samples']:,} samples: {fig['peak_rss_mb']:.0f} MB"
        )
    if "roofline" in fig:
        rf = fig["roofline"]
        peak = rf["peak_gflops"]
        lines += [
            "",
            f"(d) roofline: {rf['flops_per_sample'] / 1e6:.2f} MFLOP per training sample; "
            f"measured matrix-product peak {peak['fp32']:,.0f} GFLOP/s fp32, "
            f"{peak['bf16']:,.0f} GFLOP/s bf16",
            "",
            "| batch | precision | samples/s | GFLOP/s | of its peak | of fp32 peak "
            "| test accuracy |",
            "|---:|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {r['batch']} | {r['precision']} | {r['samples_per_second']:,.0f} "
            f"| {r['gflops']:,.1f} | {r['fraction_of_peak']:.0%} "
            f"| {r['fraction_of_fp32_peak']:.0%} | {r['test_accuracy']:.2%} |"
            for r in rf["runs"]
        ]
    return "\n".join(lines)
