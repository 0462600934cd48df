"""Devices and scale-out: the same entry point runs alone or under ``torchrun`` (DDP)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn

from . import UserError

DEVICES = ("auto", "cpu", "cuda", "mps", "xpu")


def _available(kind: str) -> bool:
    if kind == "cpu":
        return True
    if kind == "cuda":
        return torch.cuda.is_available()
    if kind == "mps":
        return torch.backends.mps.is_available()
    if kind == "xpu":
        return hasattr(torch, "xpu") and torch.xpu.is_available()
    return False


def resolve_device(name: str) -> torch.device:
    """``auto`` takes the current accelerator (torch.accelerator), else the CPU."""
    if name == "auto":
        if torch.accelerator.is_available():
            return torch.accelerator.current_accelerator()
        return torch.device("cpu")
    if name not in DEVICES:
        raise UserError(f"--device {name}: unknown device; choose one of {', '.join(DEVICES)}")
    if not _available(name):
        seen = [kind for kind in DEVICES[1:] if _available(kind)]
        raise UserError(
            f"--device {name}: no {name} device is available to torch {torch.__version__} "
            f"on this machine (available: {', '.join(seen)}); use --device auto or --device cpu"
        )
    return torch.device(name)


def synchronize(device: torch.device) -> None:
    """Wait for the device's queued work, so that wall-clock times are honest."""
    if device.type != "cpu":
        torch.accelerator.synchronize(device)


@dataclass(frozen=True)
class Context:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def init(device: torch.device) -> tuple[Context, torch.device]:
    """Join the process group that ``torchrun`` describes in the environment, if any.

    NCCL on CUDA, Gloo on CPU; each rank drives the accelerator of its local rank.
    """
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return Context(), device
    ctx = Context(int(os.environ["RANK"]), world, int(os.environ.get("LOCAL_RANK", "0")))
    if device.type == "cuda":
        device = torch.device("cuda", ctx.local_rank)
        torch.cuda.set_device(device)
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    return ctx, device


def wrap(model: nn.Module, ctx: Context, device: torch.device) -> nn.Module:
    if not ctx.distributed:
        return model
    ids = [device.index] if device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(model, device_ids=ids)


def all_sum(tensor: torch.Tensor, ctx: Context) -> torch.Tensor:
    """The tensor summed over every rank (itself outside DDP); one collective."""
    if ctx.distributed:
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return tensor


def barrier(ctx: Context) -> None:
    if ctx.distributed:
        dist.barrier()


def shutdown() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


CPU_FEATURES = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16")


def cpu_features() -> list[str]:
    """The instruction sets of :data:`CPU_FEATURES` this CPU has (Linux's /proc/cpuinfo;
    empty elsewhere): whether bf16 can run at full speed depends on them."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    flags = next((line.split(":", 1)[1].split() for line in text.splitlines()
                  if line.startswith("flags")), [])  # fmt: skip
    return [f for f in CPU_FEATURES if f in flags]
