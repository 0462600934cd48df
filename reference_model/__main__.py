"""``python -m reference_model {train,evaluate,bench}``: the reference model's command line."""

from __future__ import annotations

import argparse
import functools
import math
import os
import sys
from pathlib import Path

from . import UserError, data, dist, optim
from . import train as training


class Parser(argparse.ArgumentParser):
    """argparse whose errors are one line (what is wrong; see --help), like every other."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {' '.join(message.split())}; see {self.prog} --help\n")


def cli_entry(func):
    """Run a command: bad input (UserError) or a file that cannot be read or written is one
    line on stderr and exit 2; Ctrl-C exits 130."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> int:
        try:
            return func(*args, **kwargs) or 0
        except UserError as exc:
            print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        return 2

    return wrapper


def _number(kind, text: str):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text} is not a finite number")
    return value


def positive(kind):
    def parse(text: str):
        value = _number(kind, text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
        return value

    return parse


def non_negative(text: str) -> float:
    value = _number(float, text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must be 0 or more")
    return value


def fraction_below_one(text: str) -> float:
    value = _number(float, text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be at least 0 and below 1")
    return value


def accuracy(text: str) -> float:
    value = _number(float, text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} must be above 0 and at most 1 (0.95 = 95%)")
    return value


MAX_SEED = 2**32 - 1


def seed(text: str) -> int:
    value = _number(int, text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text} must be from 0 to {MAX_SEED:,}")
    return value


def add_runtime_flags(p: argparse.ArgumentParser, precision: str = "auto") -> None:
    p.add_argument(
        "--device",
        default="auto",
        choices=dist.DEVICES,
        help="auto: the current accelerator (torch.accelerator), else the CPU (default)",
    )
    p.add_argument(
        "--precision",
        default=precision,
        choices=("auto", "fp32", "bf16"),
        help="bf16 runs the forward pass under bfloat16 autocast; auto picks bf16 where the "
        "hardware computes it natively (a CUDA GPU that supports it, a CPU with AVX-512 BF16 "
        f"or AMX), else fp32 (default: {precision})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m reference_model",
        description="Train, evaluate and benchmark the MNIST reference model.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    t = sub.add_parser(
        "train",
        help="train a model (defaults: the source document's seed recipe)",
        description="Train on MNIST. Flags left out take the recipe's value; the default "
        "recipe 'seed' is the MLP 784-500-10, Adam lr 1e-3, batch 64, 10 epochs; 'fast' matches "
        "its accuracy in 3 epochs; 'cnn99' is a small CNN that reaches 99% test accuracy on "
        "the full MNIST in 3 epochs.",
    )
    t.add_argument("--data-dir", type=Path, default=Path("data"), help="MNIST root (default: data)")
    t.add_argument("--download", action="store_true", help="fetch MNIST through torchvision")
    t.add_argument("--mirror", help="with --download: a mirror URL holding the .gz files")
    t.add_argument("--recipe", choices=sorted(training.RECIPES), default="seed")
    t.add_argument("--model", choices=tuple(training.models.MODELS), help="default: mlp")
    t.add_argument("--epochs", type=positive(int))
    t.add_argument("--batch-size", type=positive(int))
    t.add_argument(
        "--optimizer",
        choices=sorted(optim.OPTIMIZERS),
        help="default: adam; each has its own default lr ("
        + ", ".join(f"{k} {v.lr:g}" for k, v in optim.OPTIMIZERS.items())
        + ")",
    )
    t.add_argument("--lr", type=positive(float), help="default: the optimizer's")
    t.add_argument("--weight-decay", type=non_negative)
    t.add_argument("--schedule", choices=optim.SCHEDULES, help="default: none")
    t.add_argument("--label-smoothing", type=fraction_below_one, help="from 0 (default) to below 1")
    t.add_argument("--seed", type=seed, help=f"from 0 (default) to {MAX_SEED:,}")
    t.add_argument(
        "--val-fraction",
        type=fraction_below_one,
        metavar="F",
        help="hold out F of each class of the training set for validation (default 0.1; the "
        "same digits for every seed); every per-epoch figure is on it, the test set is read "
        "once at the end; 0 trains on all of it and validates nothing",
    )
    t.add_argument(
        "--patience",
        type=positive(int),
        metavar="N",
        help="early stopping: stop after N epochs without a better validation accuracy and "
        "keep the best epoch's weights",
    )
    t.add_argument(
        "--target-accuracy",
        type=accuracy,
        metavar="A",
        help="stop at the end of the first epoch whose validation accuracy is at least A "
        "(e.g. 0.95): time to accuracy",
    )
    add_runtime_flags(t)
    t.add_argument("--compile", action="store_true", help="torch.compile the model")
    t.add_argument(
        "--deterministic", action="store_true", help="torch.use_deterministic_algorithms(True)"
    )
    t.add_argument("--checkpoint-dir", type=Path, help="write DIR/last.pt after every epoch")
    t.add_argument(
        "--resume",
        type=Path,
        help="continue from a checkpoint file (or its folder), with its recipe; recipe flags "
        "may repeat its values but not change them. Later checkpoints go to --checkpoint-dir, "
        "else beside the resumed file",
    )
    t.add_argument("--metrics-json", type=Path, help="write the run's metrics here")
    t.add_argument("--no-progress", action="store_true", help="plain log lines even on a terminal")
    # the flags of pytorch/examples' mnist, for those who come from it
    t.add_argument(
        "--dry-run",
        action="store_true",
        help="a quick check: one epoch of one batch, tested on one test batch; no checkpoints",
    )
    t.add_argument(
        "--log-interval",
        type=positive(int),
        metavar="N",
        help="log the batch loss every N steps (each log waits for the device)",
    )
    t.add_argument(
        "--test-batch-size", type=positive(int), default=2000, help="evaluation batch (2000)"
    )
    t.add_argument(
        "--save-model",
        type=Path,
        metavar="PATH",
        help="write the trained weights (a state_dict) to PATH at the end",
    )

    e = sub.add_parser("evaluate", help="test accuracy of a checkpoint")
    e.add_argument("--checkpoint", type=Path, required=True)
    e.add_argument("--data-dir", type=Path, default=Path("data"))
    add_runtime_flags(e)
    e.add_argument("--metrics-json", type=Path)

    b = sub.add_parser(
        "bench",
        help="benchmark against the DataLoader baseline",
        description="Side by side in one run: the seed recipe through two DataLoader "
        "pipelines against this package's trainer (eager and compiled; alternating runs, "
        "medians and ranges), --recipe fast's time to the baseline's validation accuracy over "
        "several seeds against the seed recipe's time to the same accuracy, every optimizer, "
        "and the roofline.",
    )
    b.add_argument("--data-dir", type=Path, default=Path("data"))
    add_runtime_flags(b, precision="fp32")  # the baselines it is compared with run in fp32
    b.add_argument("--compile", action="store_true")
    b.add_argument(
        "--tile",
        type=positive(int),
        default=12,
        help="copies of the training set per throughput epoch (default 12: 5k → 60k)",
    )
    b.add_argument("--seed-epochs", type=positive(int), default=10)
    b.add_argument(
        "--seeds",
        type=positive(int),
        default=5,
        help="time to accuracy over seeds 0 … N-1, reported as mean ± SD (default 5)",
    )
    b.add_argument(
        "--repeats",
        type=positive(int),
        default=3,
        help="alternating runs of each throughput epoch of (a), reported as the median and "
        "range (default 3)",
    )
    b.add_argument(
        "--no-compile-row",
        action="store_true",
        help="leave out the compiled epoch of (a) (its warm-up takes a while on a CPU)",
    )
    b.add_argument("--json", type=Path, help="also write the figures here")
    b.add_argument("--plot", type=Path, help="write accuracy against training seconds here, as SVG")
    return parser


RECIPE_FLAGS = ("model", "epochs", "batch_size", "optimizer", "lr", "weight_decay", "schedule",
                "label_smoothing", "seed", "val_fraction", "patience",
                "target_accuracy")  # fmt: skip


def _resume_conflicts(args, state: dict) -> list[str]:
    """Recipe flags given with --resume whose value differs from the checkpoint's."""
    saved = training.config_from_checkpoint(state)
    out = []
    for name in RECIPE_FLAGS:
        given = getattr(args, name)
        if given is not None and given != getattr(saved, name):
            out.append(
                f"--{name.replace('_', '-')} {given} (the checkpoint has {getattr(saved, name)})"
            )
    if "--recipe" in sys.argv and args.recipe != saved.recipe:
        out.append(f"--recipe {args.recipe} (the checkpoint has {saved.recipe})")
    return out


def check_output(path: Path | None, flag: str) -> None:
    """Refuse an output path before the work, not after it: a folder where a file is meant,
    or a place that cannot be written."""
    if path is None:
        return
    if path.is_dir():
        raise UserError(
            f"{flag} {path}: is a folder; give a file name, e.g. {path / 'out'}"
            + (".json" if "json" in flag else ".pt")
        )
    parent = path.parent
    while not parent.exists() and parent != parent.parent:  # folders to be made
        parent = parent.parent
    if not parent.is_dir():
        raise UserError(f"{flag} {path}: {parent} is a file, not a folder; give another path")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{flag} {path}: cannot write in {parent}; give another path")


def cmd_train(args) -> int:
    check_output(args.metrics_json, "--metrics-json")
    check_output(args.save_model, "--save-model")
    if args.resume and not args.resume.exists():
        raise UserError(f"--resume {args.resume}: no such file or folder")
    resume = training.load_checkpoint(args.resume) if args.resume else None
    checkpoint_dir = args.checkpoint_dir
    if resume is not None:
        conflicts = _resume_conflicts(args, resume)
        if conflicts:
            raise UserError(
                f"--resume {args.resume}: a resumed run keeps its recipe, but "
                f"{'; '.join(conflicts)}; drop those flags, or start a new run"
            )
        if checkpoint_dir is None:  # keep checkpointing where the run was checkpointed
            checkpoint_dir = training.checkpoint_path(args.resume).parent
    if args.download:
        data.download(args.data_dir, args.mirror)
    train_split = data.load_split(args.data_dir, "train")
    test_split = data.load_split(args.data_dir, "test")
    if args.dry_run:
        if resume is not None:
            raise UserError("--dry-run with --resume: a dry run starts from scratch; drop one")
        batch = args.batch_size or training.RECIPES[args.recipe].get("batch_size", 64)
        train_split, test_split = train_split.head(batch), test_split.head(args.test_batch_size)
        args.epochs, checkpoint_dir = 1, None
        print(f"dry run: one epoch of {len(train_split)} samples, {len(test_split)} test samples")
    cfg = training.recipe_config(
        args.recipe,
        model=args.model,
        epochs=args.epochs,
        batch_size=args.batch_size,
        optimizer=args.optimizer,
        lr=args.lr,
        weight_decay=args.weight_decay,
        schedule=args.schedule,
        label_smoothing=args.label_smoothing,
        seed=args.seed,
        val_fraction=args.val_fraction,
        patience=args.patience,
        target_accuracy=args.target_accuracy,
    )
    runtime = training.Runtime(
        device=args.device,
        precision=args.precision,
        compile=args.compile,
        deterministic=args.deterministic,
        progress=False if args.no_progress else None,
        log_interval=args.log_interval,
        test_batch_size=args.test_batch_size,
    )
    result = training.train(
        cfg, train_split, test_split, runtime, checkpoint_dir=checkpoint_dir, resume=resume
    )
    if result.rank == 0:
        metrics = result.metrics()
        if result.val_samples:
            print(
                f"validation accuracy {result.val_accuracy:.2%} (epoch {result.best_epoch} was "
                f"the best of {result.epochs_run}; {result.val_samples:,} held-out digits)"
            )
        print(
            f"test accuracy {result.test_accuracy:.2%} after {result.epochs_run} epochs; "
            f"{result.train_seconds:.2f} s training, "
            f"{metrics['samples_per_second']:,.0f} samples/s on {result.device}"
        )
        if args.metrics_json:
            training.write_metrics(args.metrics_json, metrics)
        if args.save_model:
            training.save_model(args.save_model, result.net)
            print(f"weights written to {args.save_model}")
    dist.shutdown()
    return 0


def cmd_evaluate(args) -> int:
    check_output(args.metrics_json, "--metrics-json")
    state = training.load_checkpoint(args.checkpoint)
    cfg = training.config_from_checkpoint(state)
    device = dist.resolve_device(args.device)
    net = training.models.build(cfg.model)
    net.load_state_dict(state["model"])
    split = data.load_split(args.data_dir, "test").to(device)
    precision = training.resolve_precision(args.precision, device)
    acc, loss = training.evaluate(net.to(device), split, precision)
    print(
        f"test accuracy {acc:.2%}, test loss {loss:.4f} ({len(split):,} images, {device}, "
        f"{precision})"
    )
    if args.metrics_json:
        training.write_metrics(
            args.metrics_json,
            {
                "test_accuracy": acc,
                "test_loss": loss,
                "device": str(device),
                "config": state["config"],
            },
        )
    return 0


def cmd_bench(args) -> int:
    from . import bench

    check_output(args.json, "--json")
    check_output(args.plot, "--plot")
    figures = bench.run(
        args.data_dir,
        device=args.device,
        precision=args.precision,
        compile=args.compile,
        tile=args.tile,
        seed_epochs=args.seed_epochs,
        seeds=args.seeds,
        compile_row=not args.no_compile_row,
        repeats=args.repeats,
    )
    print(bench.table(figures))
    if args.json:
        training.write_metrics(args.json, figures)
    if args.plot:
        svg = bench.plot_svg(figures).encode()
        training.write_atomic(args.plot, lambda f: f.write(svg))
        print(f"plot written to {args.plot}")
    return 0


@cli_entry
def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return {"train": cmd_train, "evaluate": cmd_evaluate, "bench": cmd_bench}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
