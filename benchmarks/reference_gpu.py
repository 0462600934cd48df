"""``python -m benchmarks.reference_gpu``: the reference model's GPU figures, in one go.

Run it on a CUDA machine with an MNIST root (``--download`` fetches one through torchvision):

    python -m benchmarks.reference_gpu --data-dir data --json gpu-bench.json

It measures, in one process on one GPU:

1. the GPU's practical matrix-product peak, fp32 and bf16 (large ``F.linear`` products, the
   trainer's own operation, on operands already in that precision);
2. one epoch of ``--tile`` copies of the training digits at batch 64 (the seed recipe): the
   per-sample DataLoader pipeline, the TensorDataset DataLoader, then this trainer in fp32,
   bf16, and bf16 compiled (``torch.compile`` mode ``reduce-overhead``: CUDA graphs); and the
   trainer at batch 1024, bf16 compiled — each row the median of ``--repeats`` (3)
   alternating runs with its range, its samples/s, GFLOP/s and fraction of the bf16 peak;
3. ``--recipe fast`` in bf16, compiled, over seeds 0 … N-1: the time to reach the seed
   recipe's validation accuracy (the TensorDataset baseline's, seed 0), and the test accuracy
   read once at the end;
4. time to 99% test accuracy: ``--recipe cnn99`` over the same seeds, fp32 eager and bf16
   compiled (the whole 3-epoch run; test read once at its end), and pytorch/examples' MNIST
   recipe (seed 0, test read after every epoch until it reaches 99%; ``benchmarks.
   reference_anchor``). On the full MNIST this is the figure to hold against the 0.76 s of
   train_mnist_fast.

Epochs of ``--tile`` 4 copies of the training set (240,000 samples on the full MNIST) are long
enough to time on a data-centre GPU; the whole script takes a few minutes there.

The output format is fixed (``FORMAT`` below): a markdown report on stdout and, with
``--json``, the same figures as JSON. ``--device cpu`` runs the same script on a CPU (the
tests do, on generated digits), so the day a GPU is at hand the figure is one command away.
"""

from __future__ import annotations

import statistics
import sys
from dataclasses import replace
from pathlib import Path

import torch

from reference_model import UserError, bench, data, dist
from reference_model import model as models
from reference_model import train as training
from reference_model.__main__ import Parser, cli_entry, positive

FORMAT = "reference-model-gpu-bench/1"


def run(root: Path, device: str, tile: int, seeds: int, compile: bool, log=print,
        anchor_epochs: int = 14, repeats: int = 3) -> dict:  # fmt: skip
    dev = dist.resolve_device(device)
    flops = bench.train_flops_per_sample(models.MLP())
    train_split, test_split = data.load_split(root, "train"), data.load_split(root, "test")
    log("peak: large matrix products, fp32 and bf16 …")
    max_size = 8192 if dev.type == "cuda" else 2048
    peaks = {p: bench.matmul_peak(dev, p, max_size=max_size) for p in ("fp32", "bf16")}
    tiled = train_split.tile(tile)
    samples = len(tiled)

    def row(name: str, batch: int, precision: str, compiled: bool, runs: list[float],
            compile_seconds: float = 0.0) -> dict:  # fmt: skip
        seconds = statistics.median(runs)
        rate = samples / seconds
        return {
            "pipeline": name, "batch": batch, "precision": precision, "compile": compiled,
            "samples": samples, "seconds": seconds, "runs": runs, "samples_per_second": rate,
            "gflops": rate * flops / 1e9, "fraction_of_bf16_peak": rate * flops / peaks["bf16"],
            "compile_seconds": compile_seconds,
        }  # fmt: skip

    variants = [(64, "fp32", False), (64, "bf16", False)]
    if compile:
        variants += [(64, "bf16", True), (1024, "bf16", True)]
    log(f"one epoch of {samples:,} samples: the two DataLoader baselines at batch 64, then the "
        f"trainer in {len(variants)} ways; {repeats} alternating runs of each …")  # fmt: skip
    times: dict[int, list[float]] = {i: [] for i in range(2 + len(variants))}
    compiling: dict[int, float] = {}
    for _ in range(repeats):  # alternating, so a change in load hits every row alike
        times[0].append(bench.baseline_epochs(root, train_split, test_split, 1, tile,
                                              dev)["seconds"])  # fmt: skip
        times[1].append(bench.tensor_baseline_epochs(train_split, test_split, 1, tile,
                                                     dev)["seconds"])  # fmt: skip
        for i, (batch, precision, compiled) in enumerate(variants, 2):
            cfg = training.recipe_config("seed", epochs=1, batch_size=batch, val_fraction=0.0)
            runtime = training.Runtime(device=device, precision=precision, compile=compiled,
                                       progress=False)  # fmt: skip
            r = training.train(cfg, tiled, test_split, runtime, log=bench._quiet)
            times[i].append(r.train_seconds)
            compiling[i] = r.compile_seconds
    rows = [
        row("DataLoader + ToTensor + Normalize", 64, "fp32", False, times[0]),
        row("DataLoader over a TensorDataset", 64, "fp32", False, times[1]),
    ]
    rows += [row("reference_model trainer", batch, precision, compiled, times[i], compiling[i])
             for i, (batch, precision, compiled) in enumerate(variants, 2)]  # fmt: skip
    baseline = rows[0]["seconds"]
    for r in rows:
        r["speedup"] = baseline / r["seconds"]

    log(f"time to accuracy: --recipe fast, bf16{', compiled' if compile else ''}, "
        f"seeds 0–{seeds - 1} …")  # fmt: skip
    fast_cfg = training.recipe_config("fast")
    target = bench.tensor_baseline_epochs(
        train_split, test_split, training.Config().epochs, 1, dev, 0, fast_cfg.val_fraction
    )["val_accuracy"]
    runtime = training.Runtime(device=device, precision="bf16", compile=compile, progress=False)
    fast_runs = []
    for seed in range(seeds):
        r = training.train(replace(fast_cfg, seed=seed, target_accuracy=target), train_split,
                           test_split, runtime, log=bench._quiet)  # fmt: skip
        fast_runs.append({
            "seed": seed, "reached": r.val_accuracy >= target, "epochs": r.epochs_run,
            "seconds": r.train_seconds, "compile_seconds": r.compile_seconds,
            "val_accuracy": r.val_accuracy, "test_accuracy": r.test_accuracy,
        })  # fmt: skip
    from benchmarks import reference_anchor as anchor

    log(f"time to 99% test: --recipe cnn99, fp32 and bf16{' compiled' if compile else ''}, "
        f"seeds 0–{seeds - 1}; pytorch/examples' recipe, seed 0 …")  # fmt: skip
    cnn99 = {
        "fp32": [anchor.ours_run(train_split, test_split, device, s) for s in range(seeds)],
        "bf16": [anchor.ours_run(train_split, test_split, device, s, "bf16", compile)
                 for s in range(seeds)],
    }  # fmt: skip
    with anchor.plain_root(root) as plain:
        example = anchor.anchor_run(plain, dev, 0, anchor_epochs)
    return {
        "format": FORMAT,
        "machine": bench.machine_facts(dev),
        "flops_per_sample": flops,
        "peak_gflops": {k: v / 1e9 for k, v in peaks.items()},
        "epoch": rows,
        "fast": {"target_val_accuracy": target, "runs": fast_runs},
        "to_99": {"cnn99": cnn99, "compile": compile, "anchor": example},
    }


def report(fig: dict) -> str:
    m, peak = fig["machine"], fig["peak_gflops"]
    lines = [
        f"# reference model on {m['name']} ({m['device']}, torch {m['torch']})",
        "",
        f"{fig['flops_per_sample'] / 1e6:.2f} MFLOP per training sample; measured peak "
        f"{peak['fp32']:,.0f} GFLOP/s fp32, {peak['bf16']:,.0f} GFLOP/s bf16",
        "",
        "| one epoch | batch | precision | compile | seconds, median (range) | samples/s "
        "| speed-up "
        "| GFLOP/s | of bf16 peak | compiling (s) |",
        "|---|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['pipeline']} | {r['batch']} | {r['precision']} | {'yes' if r['compile'] else 'no'} "
        f"| {r['seconds']:.3f} ({min(r['runs']):.3f}–{max(r['runs']):.3f}) "
        f"| {r['samples_per_second']:,.0f} | {r['speedup']:.2f}× "
        f"| {r['gflops']:,.1f} | {r['fraction_of_bf16_peak']:.2%} | {r['compile_seconds']:.1f} |"
        for r in fig["epoch"]
    ]
    f = fig["fast"]
    lines += [
        "",
        f"| --recipe fast to {f['target_val_accuracy']:.2%} validation | reached | epochs "
        "| train seconds | validation | test |",
        "|---|---|---:|---:|---:|---:|",
    ]
    lines += [
        f"| seed {r['seed']} | {'yes' if r['reached'] else 'no'} | {r['epochs']} "
        f"| {r['seconds']:.3f} | {r['val_accuracy']:.2%} | {r['test_accuracy']:.2%} |"
        for r in f["runs"]
    ]
    t = fig["to_99"]
    lines += [
        "",
        "| time to 99% test | precision | seed | epochs | train seconds | test |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for precision, runs in t["cnn99"].items():
        label = f"--recipe cnn99{' (compiled)' if precision == 'bf16' and t['compile'] else ''}"
        lines += [f"| {label} | {precision} | {r['seed']} | {r['epochs']} | {r['seconds']:.3f} "
                  f"| {r['test_accuracy']:.2%} |" for r in runs]  # fmt: skip
    a = t["anchor"]
    lines.append(f"| pytorch/examples mnist | fp32 | {a['seed']} | {a['epochs']} "
                 f"| {a['seconds']:.3f} | {a['test_by_epoch'][-1]:.2%} |")  # fmt: skip
    return "\n".join(lines)


@cli_entry
def main(argv: list[str] | None = None) -> int:
    p = Parser(prog="python -m benchmarks.reference_gpu", description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=Path("data"), help="MNIST root (data)")
    p.add_argument("--download", action="store_true", help="fetch MNIST through torchvision")
    p.add_argument("--device", default="cuda", help="cuda (default), or cpu for a trial run")
    p.add_argument("--tile", type=positive(int), default=4, help="training sets per epoch (4)")
    p.add_argument("--anchor-epochs", type=positive(int), default=14,
                   help="pytorch/examples' recipe: at most this many epochs (14)")  # fmt: skip
    p.add_argument("--seeds", type=positive(int), default=3, help="seeds 0 … N-1 (3)")
    p.add_argument("--repeats", type=positive(int), default=3,
                   help="alternating runs of each epoch row: median and range (3)")  # fmt: skip
    p.add_argument("--no-compile", action="store_true", help="leave out the compiled rows")
    p.add_argument("--json", type=Path, help="also write the figures here")
    args = p.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        raise UserError("no CUDA device here; run this on a GPU machine, or --device cpu to try it")
    if args.download:
        data.download(args.data_dir)
    fig = run(args.data_dir, args.device, args.tile, args.seeds, not args.no_compile,
              log=lambda line: print(line, file=sys.stderr),
              anchor_epochs=args.anchor_epochs, repeats=args.repeats)  # fmt: skip
    print(report(fig))
    if args.json:
        training.write_metrics(args.json, fig)
    return 0


if __name__ == "__main__":
    sys.exit(main())
