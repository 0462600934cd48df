"""One registry of optimizers, each with the learning rate it trains this MLP well at,
and the learning-rate schedules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class OptimizerSpec:
    make: Callable[..., torch.optim.Optimizer]
    lr: float  # the default learning rate
    help: str


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "sgd": OptimizerSpec(
        lambda p, lr, wd: torch.optim.SGD(p, lr=lr, weight_decay=wd), 0.1, "plain SGD"
    ),
    "momentum": OptimizerSpec(
        lambda p, lr, wd: torch.optim.SGD(p, lr=lr, momentum=0.9, weight_decay=wd),
        0.05,
        "SGD with heavy-ball momentum 0.9",
    ),
    "nesterov": OptimizerSpec(
        lambda p, lr, wd: torch.optim.SGD(p, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd),
        0.05,
        "SGD with Nesterov momentum 0.9",
    ),
    "adam": OptimizerSpec(
        lambda p, lr, wd: torch.optim.Adam(p, lr=lr, weight_decay=wd), 1e-3, "Adam"
    ),
    "adamw": OptimizerSpec(
        lambda p, lr, wd: torch.optim.AdamW(p, lr=lr, weight_decay=wd),
        1e-3,
        "Adam with decoupled weight decay",
    ),
    "rmsprop": OptimizerSpec(
        lambda p, lr, wd: torch.optim.RMSprop(p, lr=lr, weight_decay=wd), 1e-3, "RMSprop"
    ),
    "adagrad": OptimizerSpec(
        lambda p, lr, wd: torch.optim.Adagrad(p, lr=lr, weight_decay=wd), 1e-2, "Adagrad"
    ),
}

SCHEDULES = ("none", "cosine", "onecycle")


def make_optimizer(
    name: str, params, lr: float | None = None, weight_decay: float = 0.0
) -> torch.optim.Optimizer:
    spec = OPTIMIZERS[name]
    return spec.make(params, spec.lr if lr is None else lr, weight_decay)


def make_schedule(
    name: str, optimizer: torch.optim.Optimizer, total_steps: int
) -> torch.optim.lr_scheduler.LRScheduler | None:
    """A per-step schedule over ``total_steps``; ``none`` keeps the learning rate fixed."""
    if name == "none":
        return None
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=total_steps)
    if name == "onecycle":
        peak = [group["lr"] for group in optimizer.param_groups]
        # Cycle momentum only where the optimizer already has some: plain SGD stays plain.
        has_momentum = "betas" in optimizer.defaults or optimizer.defaults.get("momentum", 0) > 0
        return torch.optim.lr_scheduler.OneCycleLR(
            optimizer,
            max_lr=peak,
            total_steps=total_steps,
            pct_start=0.25,
            cycle_momentum=has_momentum,
        )
    raise ValueError(f"unknown schedule {name!r}")
