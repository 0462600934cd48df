"""``python -m benchmarks.reference_seeds``: every optimizer on the seed recipe over several
seeds — the mean, the sample standard deviation and the lowest run of the final test
accuracy. The accuracy tests' floors sit below the lowest of these (docs: Reference model)."""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from reference_model import data, optim
from reference_model import train as training


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=Path("../shared/datasets/mnist-5k"))
    p.add_argument("--seeds", type=int, default=5, help="seeds 0 … N-1 (default 5)")
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    train_split = data.load_split(args.data_dir, "train")
    test_split = data.load_split(args.data_dir, "test")
    runtime = training.Runtime(device="cpu", progress=False)
    rows = {}
    print("| optimizer | mean | sample SD | lowest (seed) | runs |")
    print("|---|---:|---:|---:|---|")
    for name in sorted(optim.OPTIMIZERS):
        accs = []
        for seed in range(args.seeds):
            cfg = training.recipe_config("seed", optimizer=name, seed=seed)
            r = training.train(cfg, train_split, test_split, runtime, log=lambda *_: None)
            accs.append(r.test_accuracy)
        low = min(range(len(accs)), key=accs.__getitem__)
        sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
        rows[name] = {"accuracies": accs, "mean": statistics.mean(accs), "sd": sd}
        print(f"| {name} | {statistics.mean(accs):.2%} | {100 * sd:.2f} | {accs[low]:.2%} ({low}) "
              f"| {', '.join(f'{a:.2%}' for a in accs)} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
