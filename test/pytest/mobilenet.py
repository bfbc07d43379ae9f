"""Brevitas' MobileNet-v1 w4a4 (`quant_mobilenet_v1_4b` of `brevitas_examples`) with seeded random
weights, exported to QONNX for the tests (issue 25). Needs the `train` extra.

The model has no input quantizer (its first convolution reads real pixels, FINN's example adds
one when it compiles it), so an 8-bit signed `QuantIdentity` is put in front, as FINN's
preprocessing does. Random weights and the BNs' initial statistics would send most channels
to one level; two calibration images (seeded random pixels) in training mode set every BN's
running mean and variance from the accumulators it sees, and γ, β are drawn around (1, 0.3).

`features(path)` exports the network up to, excluding, the final pooling (`TruncAvgPool2d`,
QONNX `Trunc`, which another part of bnnc imports); `whole(path)` the whole network.
`image()` is CIFAR-10 test image 0 of the shared folder, scaled up 7× to 224×224 (each pixel
a 7×7 block) and normalised with the model's mean and standard deviation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import shared_path

SIZE = 224
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.float32(0.226)
SEED = 0


def _network(whole: bool):
    import torch
    from brevitas.nn import QuantIdentity
    from brevitas.quant import Int8ActPerTensorFloat
    from brevitas_examples.imagenet_classification.models import quant_mobilenet_v1_4b
    from torch import nn

    torch.manual_seed(SEED)
    model = quant_mobilenet_v1_4b(pretrained=False)
    body = model if whole else model.features
    net = nn.Sequential(QuantIdentity(act_quant=Int8ActPerTensorFloat, return_quant_tensor=True), body)
    batchnorms = [m for m in net.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in batchnorms:
        bn.momentum = None  # a cumulative average over the calibration batch
    net.train()
    with torch.no_grad():
        net(torch.rand(2, 3, SIZE, SIZE) * 4 - 2)
        for bn in batchnorms:
            bn.weight.uniform_(0.7, 1.3)
            bn.bias.uniform_(0.0, 0.6)
    return net.eval()


def export(path: Path, whole: bool = False) -> Path:
    import torch
    from brevitas.export import export_qonnx

    export_qonnx(_network(whole), torch.zeros(1, 3, SIZE, SIZE), str(path))
    return path


def features(path: Path) -> Path:
    return export(path, whole=False)


def whole(path: Path) -> Path:
    return export(path, whole=True)


def image() -> np.ndarray:
    """(1, 3, 224, 224) float32: CIFAR-10 test image 0, each pixel repeated 7×7, normalised."""
    pixels = np.load(shared_path("data", "cifar10", "cifar10_test_first20.npz"))["x_hwc"][0]
    big = np.repeat(np.repeat(pixels, SIZE // 32, axis=0), SIZE // 32, axis=1)  # (224, 224, 3)
    x = (big.astype(np.float32) / 255 - MEAN) / STD
    return np.ascontiguousarray(x.transpose(2, 0, 1)[None])
