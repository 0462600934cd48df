"""Write small MNIST-layout IDX files for tests: ten noisy class prototypes."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np


def images_bytes(images: np.ndarray, magic: int = 2051) -> bytes:
    n, rows, cols = images.shape
    return struct.pack(">4I", magic, n, rows, cols) + images.astype(np.uint8).tobytes()


def labels_bytes(labels: np.ndarray, magic: int = 2049) -> bytes:
    return struct.pack(">2I", magic, len(labels)) + labels.astype(np.uint8).tobytes()


def synthetic(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Learnable fake digits: each class a fixed blob pattern, each sample noisy."""
    protos = np.random.default_rng(1234).random((10, 28, 28)) > 0.75
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    noise = rng.random((n, 28, 28)) < 0.1
    images = (protos[labels] ^ noise).astype(np.uint8) * 255
    return images, labels


def write_mnist(root: Path, n_train: int = 600, n_test: int = 200, gz: bool = False) -> Path:
    raw = Path(root) / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for prefix, n, seed in (("train", n_train, 1), ("t10k", n_test, 2)):
        images, labels = synthetic(n, seed)
        for name, blob in (
            (f"{prefix}-images-idx3-ubyte", images_bytes(images)),
            (f"{prefix}-labels-idx1-ubyte", labels_bytes(labels)),
        ):
            if gz:
                (raw / f"{name}.gz").write_bytes(gzip.compress(blob))
            else:
                (raw / name).write_bytes(blob)
    return Path(root)
