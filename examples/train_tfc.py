"""Train a small binarized MLP (TFC-w1a1: 784-64-64-64-10) with Brevitas on the CPU, export it as
QONNX, compile it with bnnc and verify the build at every level: the loop users work in.

    pip install -e '.[train]'            # torch 2.13.0 (CPU) and brevitas
    python examples/train_tfc.py --data ../shared/data/mnist --out build/trained-tfc

The training set is the 5,000-image MNIST subset in ../shared/data/mnist/train_subset_5k.csv.gz
(784 pixels then the label a row); the test images are MNIST's t10k set.
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path

import numpy as np
import torch
from brevitas.export import export_qonnx
from brevitas.nn import QuantIdentity, QuantLinear
from brevitas.quant import SignedBinaryActPerTensorConst, SignedBinaryWeightPerTensorConst
from torch import nn

import bnnc
from bnnc.driver.datasets import mnist

HIDDEN = (64, 64, 64)


class Bipolarize(nn.Module):
    """Pixels in [0, 1] to [-1, 1], exported as Mul and Sub, which bnnc folds into the quantizer."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * 2.0 - 1.0


def tfc() -> nn.Sequential:
    layers: list[nn.Module] = [Bipolarize(), QuantIdentity(act_quant=SignedBinaryActPerTensorConst)]
    width = 784
    for hidden in HIDDEN:
        layers += [
            QuantLinear(width, hidden, bias=False, weight_quant=SignedBinaryWeightPerTensorConst),
            nn.BatchNorm1d(hidden),
            QuantIdentity(act_quant=SignedBinaryActPerTensorConst),
        ]
        width = hidden
    layers.append(QuantLinear(width, 10, bias=False, weight_quant=SignedBinaryWeightPerTensorConst))
    return nn.Sequential(*layers)


def training_set(data: Path) -> tuple[torch.Tensor, torch.Tensor]:
    with gzip.open(data / "train_subset_5k.csv.gz", "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.float32)
    return torch.from_numpy(rows[:, :784] / 255.0), torch.from_numpy(rows[:, 784].astype(np.int64))


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, epochs: int, seed: int) -> None:
    torch.manual_seed(seed)
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    loss = nn.CrossEntropyLoss()
    model.train()
    for epoch in range(epochs):
        order = torch.randperm(len(x))
        total = 0.0
        for start in range(0, len(x), 100):
            batch = order[start : start + 100]
            optimiser.zero_grad()
            error = loss(model(x[batch]), y[batch])
            error.backward()
            optimiser.step()
            total += float(error) * len(batch)
        print(f"epoch {epoch + 1}: loss {total / len(x):.3f}")
    model.eval()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist")
    parser.add_argument("--out", type=Path, default=Path("build") / "trained-tfc")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verify-images", type=int, default=100)
    args = parser.parse_args()

    model = tfc()
    train(model, *training_set(args.data), args.epochs, args.seed)
    images, labels = mnist(args.data)
    flat = images.reshape(len(images), 784)
    with torch.no_grad():
        accuracy = float((model(torch.from_numpy(flat)).argmax(1).numpy() == labels).mean())
    print(f"PyTorch accuracy on the 10,000 test images: {accuracy:.2%}")

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / "tfc_trained.qonnx.onnx"
    export_qonnx(model, torch.zeros(1, 784), export_path=str(onnx_path))
    with torch.no_grad():
        torch_labels = model(torch.from_numpy(flat)).argmax(1).numpy()
    bnnc_labels = bnnc.run_bnn(bnnc.import_onnx(onnx_path), flat).argmax(1)
    print(f"bnnc (bnn executor) accuracy: {float((bnnc_labels == labels).mean()):.2%}; "
          f"same label as PyTorch on {int((bnnc_labels == torch_labels).sum()):,} of {len(flat):,} images")

    build = bnnc.compile(onnx_path, args.out / "build", fps=9000, force=True)  # this script's own build
    check = bnnc.verify(build.directory, flat[: args.verify_images], levels=("onnx", "bnn", "df", "csim"))
    print(check.table())
    if not check.agrees:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
