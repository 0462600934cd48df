"""The training loop, evaluation and checkpoints.

One epoch: draw the epoch's permutation, slice it into batches, gather and normalise each
batch on the device, step. The loss is accumulated on the device and read once per epoch,
so the step loop never waits for the device.

A fraction of the training digits (10% by default) is held out as the validation split:
every per-epoch figure, early stopping and time to accuracy read it. The test set is read
once, at the end of the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import BinaryIO

import torch
import torch.nn.functional as F

from . import UserError, data, dist, optim
from . import model as models

try:  # a progress bar where tqdm is installed; a copy of this folder runs without it
    from tqdm import tqdm
except ImportError:  # pragma: no cover - exercised by the standalone-copy test
    tqdm = None


@dataclass(frozen=True)
class Config:
    """Everything that decides what a run computes. The defaults are the seed recipe."""

    model: str = "mlp"
    epochs: int = 10
    batch_size: int = 64
    optimizer: str = "adam"
    lr: float | None = None  # None: the optimizer's default learning rate
    weight_decay: float = 0.0
    schedule: str = "none"
    label_smoothing: float = 0.0
    seed: int = 0
    recipe: str = "seed"
    val_fraction: float = 0.1  # of each class, held out of training for validation
    patience: int = 0  # stop after this many epochs without a better validation accuracy
    target_accuracy: float | None = None  # stop once the validation accuracy reaches this

    @property
    def learning_rate(self) -> float:
        return optim.OPTIMIZERS[self.optimizer].lr if self.lr is None else self.lr


# The quickest recipe found that matches the seed recipe's accuracy, chosen on the validation
# split by `python -m benchmarks.reference_tune` (docs: Reference model). Twice the batch
# amortises each step; a one-cycle schedule lets Nesterov momentum peak at its lr; label
# smoothing keeps the short run from over-confident minima.
FAST = {
    "epochs": 3,
    "batch_size": 128,
    "optimizer": "nesterov",
    "lr": 0.2,
    "schedule": "onecycle",
    "label_smoothing": 0.1,
}

RECIPES: dict[str, dict] = {
    # The source document: MLP 784-500-10, Adam at 1e-3, batch 64, 10 epochs.
    "seed": {},
    "fast": FAST,
    # 99% test accuracy on the full MNIST in three epochs: fast's schedule on the small CNN
    # (strided convolutions, batch norm, channels-last) with a little weight decay; chosen on
    # the validation split (docs: Reference model).
    "cnn99": {**FAST, "model": "small-cnn", "weight_decay": 5e-4},
}


def recipe_config(recipe: str, **overrides) -> Config:
    """The recipe's configuration, with every override that is not None applied on top."""
    values = {**RECIPES[recipe], "recipe": recipe}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Config(**values)


@dataclass(frozen=True)
class Runtime:
    """How a run executes; none of this changes the result beyond float rounding."""

    device: str = "auto"
    precision: str = "fp32"  # or bf16 (autocast), or auto (resolve_precision)
    compile: bool = False
    deterministic: bool = False
    progress: bool | None = None  # None: a progress bar when stderr is a terminal
    log_interval: int | None = None  # log the batch loss every N steps (waits for the device)
    test_batch_size: int = 2000  # evaluation batch; memory, not results, depends on it


@dataclass
class Result:
    config: Config
    device: str
    precision: str
    world_size: int
    rank: int = 0
    epochs_run: int = 0
    train_seconds: float = 0.0
    compile_seconds: float = 0.0  # torch.compile's warm-up, kept out of train_seconds
    samples_seen: int = 0
    train_samples: int = 0
    val_samples: int = 0
    val_accuracy: float = float("nan")  # of the returned model
    val_loss: float = float("nan")
    best_epoch: int = 0  # the epoch with the best validation accuracy
    stopped: str | None = None  # why the run ended before its last epoch, if it did
    test_accuracy: float = float("nan")  # read once, at the end
    test_loss: float = float("nan")
    history: list[dict] = field(default_factory=list)
    net: torch.nn.Module | None = field(default=None, repr=False)  # the trained module

    def metrics(self) -> dict:
        return {
            "test_accuracy": self.test_accuracy,
            "test_loss": self.test_loss,
            "val_accuracy": self.val_accuracy,
            "val_loss": self.val_loss,
            "best_epoch": self.best_epoch,
            "stopped": self.stopped,
            "train_samples": self.train_samples,
            "val_samples": self.val_samples,
            "train_seconds": self.train_seconds,
            "compile_seconds": self.compile_seconds,
            "epochs": self.epochs_run,
            "samples_per_second": self.samples_seen / self.train_seconds
            if self.train_seconds
            else 0.0,
            "device": self.device,
            "optimizer": self.config.optimizer,
            "lr": self.config.learning_rate,
            "precision": self.precision,
            "world_size": self.world_size,
            "config": asdict(self.config),
            "history": self.history,
        }


def set_determinism(on: bool) -> None:
    if on:
        # cuBLAS needs this before its first call to be deterministic.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(on)
    torch.backends.cudnn.benchmark = not on


def resolve_precision(precision: str, device: torch.device) -> str:
    """``auto``: bf16 where the hardware computes it natively — a CUDA GPU that supports it,
    a CPU with AVX-512 BF16 or AMX — else fp32. Measured on an AVX-512 BF16 CPU (docs:
    Reference model), bf16 trained the seed recipe 1.27× and cnn99 1.32× faster at the same
    accuracy; without those instructions bf16 is emulated and several times slower."""
    if precision != "auto":
        return precision
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    if device.type == "cpu":
        return "bf16" if {"avx512_bf16", "amx_bf16"} & set(dist.cpu_features()) else "fp32"
    return "fp32"


def autocast(device: torch.device, precision: str):
    if precision == "fp32":
        return contextlib.nullcontext()
    return torch.autocast(device.type, dtype=torch.bfloat16)


@torch.no_grad()
def evaluate(
    net: torch.nn.Module, split: data.Split, precision: str = "fp32", batch_size: int = 2000
) -> tuple[float, float]:
    """(accuracy, mean cross-entropy) over a split already on the model's device."""
    device = split.images.device
    was_training = net.training
    net.eval()
    correct = torch.zeros((), dtype=torch.long, device=device)
    # float64 keeps 10k summed losses exact; MPS has no float64, so float32 there
    wide = torch.float32 if device.type == "mps" else torch.float64
    loss = torch.zeros((), dtype=wide, device=device)
    for start in range(0, len(split), batch_size):
        x = data.normalise(split.images[start : start + batch_size])
        y = split.labels[start : start + batch_size]
        with autocast(device, precision):
            logits = net(x).float()
        correct += (logits.argmax(1) == y).sum()
        loss += F.cross_entropy(logits, y, reduction="sum").to(wide)
    net.train(was_training)
    n = max(len(split), 1)
    return correct.item() / n, loss.item() / n


# --- checkpoints ---------------------------------------------------------------------------


CHECKPOINT_KEYS = {
    "format": int,
    "config": dict,
    "epoch": int,
    "model": dict,
    "optimizer": dict,
    "rng": dict,
    "history": list,
    "train_seconds": float,
    "samples_seen": int,
}


def _feed(h, value) -> None:
    """Hash a checkpoint's content in a canonical order: tensors by dtype, shape and bytes."""
    if isinstance(value, torch.Tensor):
        t = value.detach().cpu().contiguous()
        h.update(f"T{t.dtype}{tuple(t.shape)}".encode())
        h.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    elif isinstance(value, dict):
        h.update(f"D{len(value)}".encode())
        for key in sorted(value, key=repr):
            h.update(repr(key).encode())
            _feed(h, value[key])
    elif isinstance(value, list | tuple):
        h.update(f"L{len(value)}".encode())
        for item in value:
            _feed(h, item)
    else:
        h.update(f"V{value!r}".encode())


def digest(state: dict) -> str:
    """SHA-256 of everything in the checkpoint but the digest itself."""
    h = hashlib.sha256()
    _feed(h, {k: v for k, v in state.items() if k != "sha256"})
    return h.hexdigest()


class _NoBar:
    """tqdm's interface, showing nothing (tqdm not installed)."""

    def __init__(self, **_):
        pass

    def update(self, *_):
        pass

    def set_postfix(self, *_, **__):
        pass

    def close(self):
        pass


def write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through ``write`` into a temporary file beside ``path``, flushed, then renamed
    over it: a reader sees the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def save_checkpoint(path: Path, state: dict) -> None:
    """Written atomically; the state carries its own SHA-256, so a damaged file is refused,
    never loaded."""
    state = {**state, "sha256": digest(state)}
    write_atomic(path, lambda f: torch.save(state, f))


def checkpoint_path(path: Path | str) -> Path:
    path = Path(path)
    return path / "last.pt" if path.is_dir() else path


def load_checkpoint(path: Path | str) -> dict:
    """A checkpoint this package wrote, checked whole: its digest, its keys and their types,
    and the model's parameter names and shapes. One clear line for anything else."""
    path = checkpoint_path(path)
    if not path.is_file():
        raise UserError(f"{path}: no checkpoint there; give a file written by --checkpoint-dir")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for a foreign or damaged file
        raise UserError(f"{path}: not a readable checkpoint ({type(exc).__name__})") from None
    if not isinstance(state, dict) or state.get("format") != 1:
        raise UserError(f"{path}: not a reference_model checkpoint (format 1)")
    for key, kind in CHECKPOINT_KEYS.items():
        if not isinstance(state.get(key), kind):
            raise UserError(
                f"{path}: damaged checkpoint: {key!r} is missing or not a {kind.__name__}"
            )
    if "sha256" in state and state["sha256"] != digest(state):
        raise UserError(
            f"{path}: damaged checkpoint: its content does not match its SHA-256; restore it "
            "from a backup or train again"
        )
    if "sha256" not in state:
        print(
            f"warning: {path}: an older checkpoint without a digest; not verified", file=sys.stderr
        )
    try:
        cfg = config_from_checkpoint(state)
        expected = models.build(cfg.model).state_dict()
    except (TypeError, ValueError, KeyError) as exc:
        raise UserError(f"{path}: damaged checkpoint: bad config ({exc})") from None
    got = state["model"]
    if set(got) != set(expected):
        missing = sorted(set(expected) - set(got))[:3]
        extra = sorted(set(got) - set(expected))[:3]
        raise UserError(
            f"{path}: the weights do not fit the {cfg.model} model (missing {missing}, "
            f"unexpected {extra})"
        )
    for name, tensor in expected.items():
        if not isinstance(got[name], torch.Tensor) or got[name].shape != tensor.shape:
            shape = tuple(getattr(got[name], "shape", ()))
            raise UserError(
                f"{path}: the weights do not fit the {cfg.model} model: {name} has shape "
                f"{shape}, expected {tuple(tensor.shape)}"
            )
    return state


def config_from_checkpoint(state: dict) -> Config:
    known = {f.name for f in fields(Config)}
    # checkpoints from before the validation split trained on the whole training set
    values = {"val_fraction": 0.0, **state["config"]}
    cfg = Config(**{k: v for k, v in values.items() if k in known})
    if cfg.model not in models.MODELS or cfg.optimizer not in optim.OPTIMIZERS:
        raise ValueError(f"unknown model {cfg.model!r} or optimizer {cfg.optimizer!r}")
    return cfg


class Diverged(UserError):
    """The loss or the weights stopped being finite numbers."""


# --- training ------------------------------------------------------------------------------


def best_epoch(history: list[dict]) -> int:
    """The first epoch with the highest validation accuracy (0 without validation)."""
    best, best_acc = 0, -1.0
    for row in history:
        if row.get("val_accuracy") is not None and row["val_accuracy"] > best_acc:
            best, best_acc = row["epoch"], row["val_accuracy"]
    return best


def stop_reason(cfg: Config, history: list[dict]) -> str | None:
    """Why a run should end after the epochs in ``history``: the target reached, or no better
    validation accuracy for ``patience`` epochs. A function of the history alone, so a resumed
    run decides as the uninterrupted one did."""
    if not history or history[-1].get("val_accuracy") is None:
        return None
    last = history[-1]
    if cfg.target_accuracy is not None and last["val_accuracy"] >= cfg.target_accuracy:
        return f"reached validation accuracy {cfg.target_accuracy:.2%} at epoch {last['epoch']}"
    if cfg.patience and last["epoch"] - best_epoch(history) >= cfg.patience:
        return (
            f"no better validation accuracy for {cfg.patience} epochs after epoch "
            f"{best_epoch(history)}"
        )
    return None


def train(
    cfg: Config,
    train_split: data.Split,
    test_split: data.Split,
    runtime: Runtime = Runtime(),
    checkpoint_dir: Path | None = None,
    resume: dict | None = None,
    log=print,
) -> Result:
    """Train ``cfg`` on ``train_split`` less its validation part; validate after every epoch;
    test once at the end.

    ``resume`` is a state from :func:`load_checkpoint`: its recipe replaces ``cfg`` and the
    run continues after its last completed epoch. With ``patience`` the returned model is the
    best epoch's (by validation accuracy), as early stopping's users expect.
    """
    if resume is not None:
        cfg = config_from_checkpoint(resume)
    set_determinism(runtime.deterministic)
    device = dist.resolve_device(runtime.device)
    ctx, device = dist.init(device)
    runtime = replace(runtime, precision=resolve_precision(runtime.precision, device))
    say = log if ctx.is_main else (lambda *_: None)

    torch.manual_seed(cfg.seed)  # the same initial weights on every rank
    net = models.build(cfg.model).to(device)
    model = dist.wrap(net, ctx, device)
    if runtime.compile:
        # On CUDA, "reduce-overhead" replays the step as CUDA graphs: this model is small
        # enough that kernel launches, not arithmetic, bound its speed.
        mode = "reduce-overhead" if device.type == "cuda" else None
        model = torch.compile(model, mode=mode)

    if (cfg.patience or cfg.target_accuracy) and not cfg.val_fraction:
        raise UserError(
            "--patience and --target-accuracy read the validation split, but --val-fraction "
            "is 0; give a fraction above 0 (e.g. 0.1)"
        )
    train_part, val_part = data.hold_out(train_split, cfg.val_fraction)
    n = len(train_part)
    if n == 0:
        raise UserError(
            f"no training samples left: {len(train_split)} samples, {len(val_part)} held out "
            "for validation; lower --val-fraction or give more data"
        )
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    opt = optim.make_optimizer(cfg.optimizer, net.parameters(), cfg.lr, cfg.weight_decay)
    sched = optim.make_schedule(cfg.schedule, opt, cfg.epochs * steps_per_epoch)

    result = Result(cfg, str(device), runtime.precision, ctx.world_size, ctx.rank)
    result.train_samples, result.val_samples = n, len(val_part)
    best_state = None  # the best epoch's weights, kept when early stopping may need them
    start_epoch = 0
    if resume is not None:
        try:
            net.load_state_dict(resume["model"])
            opt.load_state_dict(resume["optimizer"])
            if sched is not None:
                sched.load_state_dict(resume["schedule"])
            torch.set_rng_state(resume["rng"]["torch"])
            if (resume.get("best") or {}).get("model") is not None:
                best_state = {k: v.to(device) for k, v in resume["best"]["model"].items()}
        except (RuntimeError, ValueError, KeyError, TypeError, AttributeError) as exc:
            message = " ".join(str(exc).split())[:200]
            raise UserError(f"the checkpoint cannot be resumed: {message}") from None
        if resume["rng"].get("cuda") is not None and device.type == "cuda":
            torch.cuda.set_rng_state(resume["rng"]["cuda"], device)
        start_epoch = resume["epoch"]
        result.history = list(resume["history"])
        result.train_seconds = resume["train_seconds"]
        result.samples_seen = resume["samples_seen"]
        result.epochs_run = start_epoch
        say(f"resuming after epoch {start_epoch} of {cfg.epochs} ({cfg.recipe} recipe)")
    result.stopped = stop_reason(cfg, result.history)

    train_dev, val_dev = train_part.to(device), val_part.to(device)
    say(
        f"training {cfg.model} with {cfg.optimizer} (lr {cfg.learning_rate:g}) on {device}"
        f"{f' × {ctx.world_size} ranks' if ctx.distributed else ''}, "
        f"{n:,} samples ({len(val_part):,} held out for validation), batch {cfg.batch_size}, "
        f"{runtime.precision}"
    )
    if runtime.compile and result.stopped is None and start_epoch < cfg.epochs:
        result.compile_seconds = _warm_up(model, net, cfg, n, ctx, device, runtime)
        say(f"compiled in {result.compile_seconds:.1f} s (not counted in the epochs' time)")
    show_bar = runtime.progress if runtime.progress is not None else sys.stderr.isatty()
    for epoch in range(start_epoch, cfg.epochs):
        if result.stopped is not None:
            break
        model.train()
        loss_sum = torch.zeros((), device=device)
        seen = 0  # samples this rank trained on (its share of each global batch)
        dist.synchronize(device)
        t0 = time.perf_counter()
        order = data.epoch_order(n, cfg.seed, epoch, device)
        bar = (tqdm or _NoBar)(
            total=steps_per_epoch,
            desc=f"epoch {epoch + 1}/{cfg.epochs}",
            disable=not (show_bar and ctx.is_main),
            leave=False,
        )
        for start in range(0, n, cfg.batch_size):
            n_global = min(cfg.batch_size, n - start)
            idx = order[start : start + n_global][ctx.rank :: ctx.world_size]
            x, y = data.normalise(train_dev.images[idx]), train_dev.labels[idx]
            with autocast(device, runtime.precision):
                logits = model(x)
            per_rank = F.cross_entropy(
                logits.float(), y, reduction="sum", label_smoothing=cfg.label_smoothing
            )
            # DDP averages gradients over ranks; scaling by world/n_global makes that average
            # the mean over the global batch, whatever each rank's share of it.
            loss = per_rank * (ctx.world_size / n_global)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if sched is not None:
                sched.step()
            loss_sum += per_rank.detach()
            seen += len(range(ctx.rank, n_global, ctx.world_size))
            bar.update()
            step = start // cfg.batch_size + 1
            if runtime.log_interval and step % runtime.log_interval == 0:
                # .item() waits for the device: only when asked for, as in pytorch/examples
                say(
                    f"  epoch {epoch + 1} step {step}/{steps_per_epoch}  batch loss "
                    f"{per_rank.item() / max(len(idx), 1):.4f}"
                )
        bar.close()
        dist.synchronize(device)
        seconds = time.perf_counter() - t0

        # every rank's loss and samples, so the logged loss is the global batch's, not rank 0's
        totals = dist.all_sum(
            torch.stack([loss_sum.float(), torch.tensor(float(seen), device=device)]), ctx
        )
        train_loss = totals[0].item() / max(totals[1].item(), 1)
        if not math.isfinite(train_loss) or not all(
            torch.isfinite(p).all() for p in net.parameters()
        ):
            kept = (
                f"; the last good checkpoint (epoch {epoch}) is kept in "
                f"{Path(checkpoint_dir) / 'last.pt'}"
                if checkpoint_dir is not None and epoch > 0
                else ""
            )
            raise Diverged(
                f"epoch {epoch + 1}: the training loss became {train_loss} (lr "
                f"{cfg.learning_rate:g} is likely too high for {cfg.optimizer}); training "
                f"stopped{kept}"
            )
        result.train_seconds += seconds
        result.samples_seen += n
        result.epochs_run = epoch + 1
        row = {"epoch": epoch + 1, "train_loss": train_loss, "seconds": seconds}
        if len(val_part):
            row["val_accuracy"], row["val_loss"] = evaluate(
                net, val_dev, runtime.precision, runtime.test_batch_size
            )
        result.history.append(row)
        if cfg.patience and best_epoch(result.history) == epoch + 1:
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
        result.stopped = stop_reason(cfg, result.history)
        checked = (
            f"val loss {row['val_loss']:.4f}  val accuracy {row['val_accuracy']:.2%}  "
            if len(val_part)
            else ""
        )
        say(
            f"epoch {epoch + 1:>3}/{cfg.epochs}  train loss {row['train_loss']:.4f}  {checked}"
            f"{seconds:.2f} s  {n / seconds:,.0f} samples/s"
        )
        if checkpoint_dir is not None and ctx.is_main:
            save_checkpoint(
                Path(checkpoint_dir) / "last.pt",
                {
                    "format": 1,
                    "config": asdict(cfg),
                    "epoch": epoch + 1,
                    "model": net.state_dict(),
                    "optimizer": opt.state_dict(),
                    "schedule": sched.state_dict() if sched is not None else None,
                    "rng": {
                        "torch": torch.get_rng_state(),
                        "cuda": torch.cuda.get_rng_state(device) if device.type == "cuda" else None,
                    },
                    "best": {"model": best_state},
                    "history": result.history,
                    "train_seconds": result.train_seconds,
                    "samples_seen": result.samples_seen,
                },
            )
        dist.barrier(ctx)
    if resume is not None and result.epochs_run == start_epoch:  # nothing left to train
        finished = f"all {cfg.epochs} epochs" if start_epoch >= cfg.epochs else "early"
        say(f"the checkpoint has finished {finished}; evaluating it only")
    if result.stopped:
        say(f"stopped early: {result.stopped}")
    result.best_epoch = best_epoch(result.history)
    if best_state is not None and result.best_epoch != result.epochs_run:
        net.load_state_dict(best_state)
        say(f"kept the weights of epoch {result.best_epoch}, the best on validation")
    if result.best_epoch:  # the returned weights' validation figures, measured at their epoch
        returned = result.best_epoch if best_state is not None else result.epochs_run
        row = result.history[returned - 1]
        result.val_accuracy, result.val_loss = row["val_accuracy"], row["val_loss"]
    # the test set, once: nothing above has looked at it
    result.test_accuracy, result.test_loss = evaluate(
        net, test_split.to(device), runtime.precision, runtime.test_batch_size
    )
    result.net = net
    return result


def _finite(value):
    """JSON has no NaN: a number that is not finite is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _warm_up(model, net, cfg: Config, n: int, ctx, device, runtime: Runtime) -> float:
    """Compile before the clock starts: forward and backward passes at each batch shape the
    epochs will use (the full batch and the ragged last one, which would otherwise compile
    again mid-epoch) — on CUDA three of each, since CUDA-graph trees record a shape on its
    second call and replay it from the third. Gradients are dropped, and the RNG and the
    model's buffers (batch norm's running statistics) restored, so results do not change."""
    # a list, not a set: under DDP every rank must run as many backward passes as the others
    sizes = [len(range(ctx.rank, cfg.batch_size, ctx.world_size))]
    if n % cfg.batch_size:
        sizes.append(len(range(ctx.rank, n % cfg.batch_size, ctx.world_size)))
    dist.synchronize(device)
    t0 = time.perf_counter()
    devices = [device] if device.type == "cuda" else []
    passes = 3 if device.type == "cuda" else 1
    buffers = {name: b.clone() for name, b in net.named_buffers()}
    with torch.random.fork_rng(devices=devices):
        for size in sizes:
            for _ in range(passes):
                x = torch.zeros(size, 784, device=device)
                with autocast(device, runtime.precision):
                    logits = model(x)
                logits.float().sum().backward()
                net.zero_grad(set_to_none=True)
    with torch.no_grad():
        for name, b in net.named_buffers():
            b.copy_(buffers[name])
    dist.synchronize(device)
    return time.perf_counter() - t0


def save_model(path: Path, net: torch.nn.Module) -> None:
    """The trained weights alone (a state_dict), as pytorch/examples' --save-model writes
    them: load with ``model.load_state_dict(torch.load(path, weights_only=True))``."""
    weights = {k: v.detach().cpu() for k, v in net.state_dict().items()}
    write_atomic(Path(path), lambda f: torch.save(weights, f))


def write_metrics(path: Path, metrics: dict) -> None:
    text = json.dumps(_finite(metrics), indent=2, allow_nan=False) + "\n"
    write_atomic(Path(path), lambda f: f.write(text.encode()))
