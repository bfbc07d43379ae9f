"""The models of the comparison and the batches they run on."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np

# name -> file in ../shared/models
MODELS = {
    "TFC": "tfc_w1a1.qonnx.onnx",
    "SFC": "sfc_w1a1_random.qonnx.onnx",
    "LFC": "lfc_w1a1.onnx",
    "CNV": "cnv_w1a1_random.qonnx.onnx",
}
CIFAR_RANDOM_IMAGES = 80  # added to the 20 CIFAR-10 samples shared/ has


def model_path(shared: Path, name: str) -> Path:
    return shared / "models" / MODELS[name]


@cache
def _mnist(shared: Path) -> np.ndarray:
    from bnnc.driver.datasets import mnist

    images, _ = mnist(shared / "data" / "mnist")
    return images


@cache
def _cifar(shared: Path) -> np.ndarray:
    samples = np.load(shared / "data" / "cifar10" / "cifar10_test_first20.npz")["x_hwc"]
    real = samples.transpose(0, 3, 1, 2).astype(np.float32) / 255
    noise = (
        np.random.default_rng(0).uniform(0, 1, (CIFAR_RANDOM_IMAGES, 3, 32, 32)).astype(np.float32)
    )
    return np.concatenate([real, noise])


def batch(shared: Path, name: str, images: int) -> np.ndarray:
    """`images` inputs for the model: MNIST test images, or for CNV the 20 CIFAR-10 samples then
    uniform random images (CNV's weights are random: its inputs need no meaning)."""
    source = _cifar(shared) if name == "CNV" else _mnist(shared)
    if images > len(source):
        source = np.concatenate([source] * -(-images // len(source)))
    return np.ascontiguousarray(source[:images])
