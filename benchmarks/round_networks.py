"""The `bnn` executor against onnxruntime on the n-bit, residual and depthwise networks of issues
24, 25 and 28 (part of the throughput section).

The networks: the n-bit TFCs of ../shared (w1a2, w2a2) on MNIST; and the QKeras-style graphs the
tests write with `onnx.helper` — the residual block of `make_residual_onnx.py` (CIFAR-10-sized,
uniform random images) and the depthwise-separable network of `depthwise_nets.py` in its QKeras
and Brevitas styles (16×16, random images). Brevitas' own ResNet-8 and MobileNet-v1 need the
`train` extra (torch, brevitas): without it their rows say so. Rates are `best_rate`'s; "same
outputs" is the share of images whose whole output vector equals onnxruntime's bit for bit
(integer outputs; real outputs to float32 rounding, as `test_bnn_executor.py` compares them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from common import Table, best_rate, top1_agreement
from context import Context
from inputs import _mnist

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ["model", "images", "onnxruntime images/s", "bnn executor images/s", "bnn / onnxruntime",
           "same outputs %", "top-1 agreement %", "note"]
IMAGES = {"TFC-w1a2": 10_000, "TFC-w2a2": 10_000, "residual block": 1_000,
          "separable (QKeras)": 2_000, "separable (Brevitas)": 2_000}
QUICK_IMAGES = {name: max(100, n // 5) for name, n in IMAGES.items()}
BREVITAS_MODELS = ("ResNet-8 (Brevitas)", "MobileNet-v1 w4a4 (Brevitas)")


def _networks(ctx: Context, sizes: dict[str, int]) -> dict[str, tuple[Path, np.ndarray]]:
    """name → (ONNX file, input batch)."""
    sys.path[:0] = [str(REPO / "test" / "pytest"), str(REPO / "test" / "filecheck" / "import" / "Inputs")]
    import depthwise_nets
    import make_residual_onnx
    import onnx

    folder = ctx.work / "round_networks"
    folder.mkdir(parents=True, exist_ok=True)
    mnist = _mnist(ctx.shared)
    rng = np.random.default_rng(0)
    networks = {
        "TFC-w1a2": (ctx.shared / "models" / "tfc_w1a2.qonnx.onnx", mnist[: sizes["TFC-w1a2"]]),
        "TFC-w2a2": (ctx.shared / "models" / "tfc_w2a2.qonnx.onnx", mnist[: sizes["TFC-w2a2"]]),
    }
    residual = folder / "residual_block.onnx"
    onnx.save(make_residual_onnx.CASES["residual_block"](), residual)
    networks["residual block"] = (
        residual, rng.uniform(-1, 1, (sizes["residual block"], 3, 32, 32)).astype(np.float32))
    for style, name in (("qkeras", "separable (QKeras)"), ("brevitas", "separable (Brevitas)")):
        path = folder / f"separable_{style}.onnx"
        onnx.save(depthwise_nets.separable(0, style), path)
        networks[name] = (path, depthwise_nets.inputs(sizes[name], 1))
    return {name: (path, np.ascontiguousarray(x)) for name, (path, x) in networks.items()}


def _same_outputs(scores: np.ndarray, reference: np.ndarray) -> float:
    if np.issubdtype(reference.dtype, np.integer):
        same = (scores == reference).all(axis=1)
    else:
        same = np.isclose(scores, reference, rtol=1e-5, atol=1e-4).all(axis=1)
    return 100 * float(same.mean())


def run(ctx: Context) -> list[Table]:
    import bnnc
    from bnnc.runtime.interpreters.bnn import BnnExecutor
    from bnnc.runtime.reference import ReferenceSession

    table = Table("The bnn executor against onnxruntime: the n-bit, residual and depthwise "
                  "networks", COLUMNS)
    sizes = QUICK_IMAGES if ctx.quick else IMAGES
    for name, (path, x) in _networks(ctx, sizes).items():
        session = ReferenceSession(path)
        reference = np.asarray(session.run(x)).reshape(len(x), -1)
        onnx_rate = best_rate(len(x), lambda s=session, x=x: s.run(x))
        executor = BnnExecutor(bnnc.import_onnx(path))
        scores = executor.run(x).reshape(len(x), -1)
        rate = best_rate(len(x), lambda e=executor, x=x: e.run(x))
        table.add(model=name, images=len(x), **{
            "onnxruntime images/s": onnx_rate, "bnn executor images/s": rate,
            "bnn / onnxruntime": rate / onnx_rate,
            "same outputs %": _same_outputs(scores, reference),
            "top-1 agreement %": 100 * top1_agreement(scores, reference)})
        ctx.record("throughput", name, bnn_rate=rate, onnx_rate=onnx_rate)
    try:
        import brevitas  # noqa: F401
        missing = None
    except ImportError:
        missing = "not run: needs the train extra (torch, brevitas), not installed here"
    for name in BREVITAS_MODELS:
        table.add(model=name, note=missing or "not run: not part of this benchmark yet "
                  "(test_residual_brevitas.py and test_mobilenet.py check them, `pytest -m brevitas`)")
    table.notes.append(
        "Residual block: make_residual_onnx.py, CIFAR-10 size, uniform random images; separable: "
        "depthwise_nets.py (seed 0), 16×16 random images; both as the tests write them.")
    print("  throughput: this round's networks done", flush=True)
    return [table]
