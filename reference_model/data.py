"""MNIST from its IDX files into one uint8 tensor on the training device.

The torchvision layout is ``ROOT/MNIST/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte``,
each file plain or gzipped. Every header is checked, so a truncated or foreign file gets one
line that names it. Batches are drawn by index from a per-epoch permutation and normalised
on the device: no DataLoader, no PIL, no per-sample Python.
"""

from __future__ import annotations

import gzip
import struct
from dataclasses import dataclass
from pathlib import Path

import torch

from . import MEAN, STD, UserError

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
SPLITS = {"train": "train", "test": "t10k"}
HOW_TO_GET = (
    "run with --download (optionally --mirror URL), or copy the file, plain or .gz, "
    "from an MNIST mirror into that folder"
)


@dataclass
class Split:
    images: torch.Tensor  # uint8 [N, 784]
    labels: torch.Tensor  # int64 [N]

    def __len__(self) -> int:
        return self.labels.numel()

    def to(self, device: torch.device | str) -> Split:
        return Split(self.images.to(device), self.labels.to(device))

    def head(self, count: int) -> Split:
        """The first ``count`` samples (a dry run's single batch)."""
        return Split(self.images[:count], self.labels[:count])

    def tile(self, copies: int) -> Split:
        """The split repeated ``copies`` times (for full-size epochs from a small set)."""
        return Split(self.images.repeat(copies, 1), self.labels.repeat(copies))


# The validation split's own seed: the same held-out digits for every run seed, so runs with
# different seeds are compared on one validation set.
VALIDATION_SEED = 31_415


def hold_out(split: Split, fraction: float) -> tuple[Split, Split]:
    """(train, validation): ``fraction`` of each class held out of the training split, drawn
    with :data:`VALIDATION_SEED`. Both parts keep the file's order, so a run on the train part
    draws its epochs exactly as a run on a whole split of that size would."""
    if fraction <= 0:
        return split, Split(split.images[:0], split.labels[:0])
    order = torch.randperm(len(split), generator=torch.Generator().manual_seed(VALIDATION_SEED))
    held = []
    for digit in range(10):
        of_class = order[split.labels[order] == digit]
        held.append(of_class[: round(of_class.numel() * fraction)])
    mask = torch.zeros(len(split), dtype=torch.bool)
    mask[torch.cat(held)] = True
    val_idx, train_idx = mask.nonzero().flatten(), (~mask).nonzero().flatten()
    return (
        Split(split.images[train_idx], split.labels[train_idx]),
        Split(split.images[val_idx], split.labels[val_idx]),
    )


def raw_dir(root: Path | str) -> Path:
    return Path(root) / "MNIST" / "raw"


def _read(path: Path) -> bytes:
    plain, packed = path, path.with_name(path.name + ".gz")
    if plain.is_file():
        return plain.read_bytes()
    if packed.is_file():
        try:
            return gzip.decompress(packed.read_bytes())
        except (OSError, EOFError) as exc:
            raise UserError(f"{packed}: not a readable gzip file ({exc}); {HOW_TO_GET}") from None
    raise UserError(f"{plain}: missing (nor is there a .gz); {HOW_TO_GET}")


def _header(path: Path, data: bytes, magic: int, ndim: int) -> tuple[int, ...]:
    size = 4 + 4 * ndim
    if len(data) < size:
        raise UserError(f"{path}: truncated header ({len(data)} bytes); {HOW_TO_GET}")
    found, *dims = struct.unpack(f">{1 + ndim}I", data[:size])
    if found != magic:
        raise UserError(
            f"{path}: magic number {found}, expected {magic}: not an MNIST "
            f"{'image' if magic == IMAGES_MAGIC else 'label'} file; {HOW_TO_GET}"
        )
    expected = size + int(torch.tensor(dims).prod())
    if len(data) != expected:
        raise UserError(
            f"{path}: {len(data)} bytes but its header promises {expected}; "
            f"the file is truncated or padded; {HOW_TO_GET}"
        )
    return tuple(dims)


def load_split(root: Path | str, split: str) -> Split:
    """Read and check one split (``train`` or ``test``) as CPU tensors."""
    prefix = SPLITS[split]
    folder = raw_dir(root)
    img_path = folder / f"{prefix}-images-idx3-ubyte"
    lbl_path = folder / f"{prefix}-labels-idx1-ubyte"
    images, labels = _read(img_path), _read(lbl_path)
    n, rows, cols = _header(img_path, images, IMAGES_MAGIC, 3)
    if (rows, cols) != (28, 28):
        raise UserError(f"{img_path}: images are {rows}×{cols}, expected 28×28; {HOW_TO_GET}")
    (m,) = _header(lbl_path, labels, LABELS_MAGIC, 1)
    if m != n:
        raise UserError(
            f"{lbl_path}: {m} labels for {n} images in {img_path.name}; "
            f"the two files do not belong together; {HOW_TO_GET}"
        )
    x = torch.frombuffer(bytearray(images[16:]), dtype=torch.uint8).view(n, 28 * 28)
    y = torch.frombuffer(bytearray(labels[8:]), dtype=torch.uint8).long()
    if n and int(y.max()) > 9:
        raise UserError(f"{lbl_path}: label {int(y.max())} is outside 0–9; {HOW_TO_GET}")
    return Split(x, y)


def download(root: Path | str, mirror: str | None = None) -> None:
    """Fetch MNIST through torchvision into ``ROOT/MNIST/raw`` (from ``mirror`` if given)."""
    from torchvision.datasets import MNIST

    class _MNIST(MNIST):
        mirrors = [mirror.rstrip("/") + "/"] if mirror else MNIST.mirrors

    try:
        for train in (True, False):
            _MNIST(str(root), train=train, download=True)
    except (OSError, RuntimeError) as exc:
        where = mirror or "torchvision's mirrors"
        detail = " ".join(str(exc).split())
        raise UserError(
            f"could not download MNIST from {where} ({detail}); check the URL and your "
            f"connection, or copy the files into {raw_dir(root)}"
        ) from None


def normalise(images: torch.Tensor) -> torch.Tensor:
    """uint8 pixels → float, the same values as ToTensor() then Normalize(MEAN, STD)."""
    return images.float().div_(255).sub_(MEAN).div_(STD)


def epoch_order(n: int, seed: int, epoch: int, device: torch.device) -> torch.Tensor:
    """The epoch's permutation: a function of (seed, epoch) alone, so a resumed run and every
    rank of a distributed run draw the same one."""
    g = torch.Generator().manual_seed(seed * 100_003 + epoch)
    return torch.randperm(n, generator=g).to(device, non_blocking=True)


def batch_indices(order: torch.Tensor, batch_size: int, rank: int = 0, world: int = 1):
    """Global batches of ``batch_size`` in epoch order; each rank takes every world-th sample."""
    for start in range(0, order.numel(), batch_size):
        yield order[start : start + batch_size][rank::world]
