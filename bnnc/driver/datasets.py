"""Readers for the evaluation data sets used by the tests, benchmarks and examples.

MNIST comes as IDX files (optionally gzipped); CIFAR-10 samples as an `.npz` of HWC uint8 images.
Images are returned the way the shared models expect them: NCHW float32 in [0, 1].
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from bnnc.errors import BnncError


def read_idx(path: str | Path) -> np.ndarray:
    """An IDX array (the MNIST format): a magic number with the rank, big-endian dims, uint8 data."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise BnncError(f"{path}: cannot read IDX data: {exc}") from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise BnncError(f"{path}: not an unsigned-byte IDX file")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def mnist(directory: str | Path, split: str = "t10k") -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 1, 28, 28) float32 in [0, 1], labels (N,) int64) of an MNIST split."""
    directory = Path(directory)
    images = read_idx(directory / f"{split}-images-idx3-ubyte.gz")
    labels = read_idx(directory / f"{split}-labels-idx1-ubyte.gz")
    return (images[:, None].astype(np.float32) / 255.0), labels.astype(np.int64)


def cifar10_samples(path: str | Path) -> tuple[np.ndarray, np.ndarray]:
    """(images (N, 3, 32, 32) float32 in [0, 1], labels (N,)) from an npz with `x_hwc` and `y`."""
    with np.load(path) as data:
        images = data["x_hwc"].transpose(0, 3, 1, 2).astype(np.float32) / 255.0
        return images, data["y"].astype(np.int64)
