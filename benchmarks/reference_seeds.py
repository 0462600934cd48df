"""``python -m benchmarks.reference_seeds``: every optimizer on the seed recipe, and
``--recipe fast`` and ``--recipe cnn99``, over several seeds — the mean, the sample standard
deviation and the lowest run of the final validation accuracy (10% of the training digits,
held out) and of the test accuracy (read once per run, at its end), and the training time.
The accuracy tests' floors sit below the lowest test accuracy of these runs (docs: Reference
model)."""

from __future__ import annotations

import argparse
import json
import statistics
from dataclasses import replace
from pathlib import Path

import torch

from reference_model import bench, data, optim
from reference_model import train as training
from reference_model.bench import spread


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=Path("../shared/datasets/mnist-5k"))
    p.add_argument("--seeds", type=int, default=5, help="seeds 0 … N-1 (default 5)")
    p.add_argument("--recipes-only", action="store_true",
                   help="the three recipes (seed, fast, cnn99) only")  # fmt: skip
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    train_split = data.load_split(args.data_dir, "train")
    test_split = data.load_split(args.data_dir, "test")
    runtime = training.Runtime(device="cpu", progress=False)
    names = ["adam"] if args.recipes_only else sorted(optim.OPTIMIZERS)
    runs = {f"seed recipe, {name}": training.recipe_config("seed", optimizer=name)
            for name in names}  # fmt: skip
    runs["--recipe fast"] = training.recipe_config("fast")
    runs["--recipe cnn99"] = training.recipe_config("cnn99")
    print(
        f"{len(train_split):,} training digits ({args.data_dir}), seeds 0–{args.seeds - 1}, "
        f"{bench.machine_facts(torch.device('cpu'))['description']}\n"
    )
    rows = {}
    print(
        "| run | validation mean ± SD | test mean ± SD | lowest test (seed) | test, each seed "
        "| training s, median (range) |"
    )
    print("|---|---:|---:|---:|---|---:|")
    for label, cfg in runs.items():
        val, test, seconds = [], [], []
        for seed in range(args.seeds):
            r = training.train(replace(cfg, seed=seed), train_split,
                               test_split, runtime, log=lambda *_: None)  # fmt: skip
            val.append(r.val_accuracy)
            test.append(r.test_accuracy)
            seconds.append(r.train_seconds)
        v, t = spread(val), spread(test)
        low = test.index(t["min"])
        rows[label] = {"val_accuracy": v, "test_accuracy": t, "train_seconds": spread(seconds)}
        print(f"| {label} | {v['mean']:.2%} ± {100 * v['sd']:.2f} | {t['mean']:.2%} ± "
              f"{100 * t['sd']:.2f} | {t['min']:.2%} ({low}) "
              f"| {', '.join(f'{a:.2%}' for a in test)} | {statistics.median(seconds):.1f} "
              f"({min(seconds):.1f}–{max(seconds):.1f}) |", flush=True)  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
