"""Residual networks at the `bnn` level (issue 24), in the default suite (no torch): the
hand-made QKeras-style residual QONNX graphs of `make_residual_onnx.py` against bnnc's
onnxruntime reference on CIFAR-10 images, the streamlined module against the imported one, the
Trunc arithmetic against qonnx's own implementation, and the command line: `bnnc run` runs a
residual model on the onnx and bnn engines, `bnnc compile` refuses it with one error and leaves
nothing behind. (The Brevitas ResNets are in test_residual_brevitas.py, `pytest -m brevitas`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, shared_path

from bnnc.driver.cli.bnnc_main import main as bnnc_main
from bnnc.driver.pipeline import run_pipeline
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.reference import ReferenceSession
from bnnc.semantics.arithmetic import TRUNC_ROUNDING, truncate

sys.path.insert(0, str(REPO / "test" / "filecheck" / "import" / "Inputs"))
import make_residual_onnx  # noqa: E402


def cifar_images(count: int) -> np.ndarray:
    data = np.load(shared_path("data", "cifar10", "cifar10_test_first20.npz"))
    return data["x_hwc"][:count].transpose(0, 3, 1, 2).astype(np.float32) / 127.5 - 1.0


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("residual")

    def get(case: str) -> Path:
        path = folder / f"{case}.onnx"
        if not path.exists():
            import onnx

            onnx.save(make_residual_onnx.CASES[case](), path)
        return path

    return get


def test_residual_block_onnx_equals_bnn(saved):
    """The join, the fork, concat, both average pools and Trunc on 20 CIFAR-10 images: the
    scores are multiples of powers of two here, so float32 and double agree exactly."""
    path = saved("residual_block")
    x = cifar_images(20)
    module = import_onnx(path)
    imported = BnnExecutor(module).run(x)
    reference = ReferenceSession(path).run(x)
    assert np.array_equal(imported, reference)
    assert len(np.unique(imported, axis=0)) == 20, "every image must give its own scores"
    run_pipeline(module, "bnn-streamline")
    names = [op.name for op in module.walk()]
    assert "bnn.batchnorm" not in names and "bnn.quantize" in names  # only the input quantizer
    assert names.count("bnn.threshold") == 4  # conv0, conv1, the join's requantization, conv2
    assert np.array_equal(BnnExecutor(module).run(x), imported)


@pytest.mark.parametrize("case, shape", [
    ("add_scales_differ", (64, 4)), ("trunc_v1", (64, 2, 3, 3)), ("trunc_rescaled", (64, 6)),
    ("concat_scales", (64, 2, 2, 2)),
])
def test_small_residual_graphs(case, shape, saved):
    path = saved(case)
    x = np.random.default_rng(5).uniform(-1.2, 1.2, shape).astype(np.float32)
    module = import_onnx(path)
    imported = BnnExecutor(module).run(x)
    assert np.array_equal(imported, ReferenceSession(path).run(x))
    run_pipeline(module, "bnn-streamline")
    assert np.array_equal(BnnExecutor(module).run(x), imported)


@pytest.mark.parametrize("rounding", sorted(TRUNC_ROUNDING))
@pytest.mark.parametrize("signed, narrow", [(0, 0), (1, 0), (1, 1)])
def test_trunc_matches_qonnx(rounding, signed, narrow):
    """`bnn.trunc`'s arithmetic is qonnx's `trunc_v2` (and `trunc_v1`) on codes of the Trunc's
    own scale, for every rounding mode, shifts down and up, with and without the clamp."""
    from qonnx.custom_op.general.trunc import trunc_v1, trunc_v2

    rng = np.random.default_rng(7)
    lo_in = -512 if signed else 0
    codes = rng.integers(lo_in, 512, 4000).astype(np.int64)
    codes[:8] = [0, 1, -1 if signed else 2, 7, 8, 9, 511, lo_in]  # ties and the ends
    scale = np.float32(0.375)
    mode = "HALF_EVEN" if rounding == "round" else rounding.upper()
    for out_bits, shift in ((4, 4), (8, 2), (6, 0), (8, -1)):
        out_scale = np.float32(scale * 2.0**shift)
        expected = trunc_v2(codes.astype(np.float32) * scale, scale, np.float32(0), np.float32(10),
                            narrow, signed, out_scale, np.float32(out_bits), mode)
        lo = -(1 << (out_bits - 1)) + narrow if signed else 0
        hi = (1 << (out_bits - 1)) - 1 if signed else (1 << out_bits) - 1 - narrow
        got = truncate(codes, shift, 0, rounding, lo, hi)
        np.testing.assert_array_equal(got * np.float64(out_scale), expected)
    expected = trunc_v1(codes.astype(np.float32) * scale, scale, np.float32(0), np.float32(10),
                        np.float32(7), mode)
    got = truncate(codes, 3, 0, rounding, -(1 << 40), 1 << 40)
    np.testing.assert_array_equal(got * np.float64(scale), expected)


def run_cli(capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    try:
        bnnc_main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return code, err


def test_cli_runs_and_refuses_residual_model(saved, tmp_path, capsys):
    path = saved("residual_block")
    x = tmp_path / "x.npy"
    np.save(x, cifar_images(3))
    outputs = {}
    for engine in ("onnx", "bnn"):
        out = tmp_path / f"{engine}.npy"
        code, err = run_cli(capsys, "run", path, "--engine", engine, "--input", x, "--output", out)
        assert code == 0, err
        outputs[engine] = np.load(out)
    assert np.array_equal(outputs["onnx"], outputs["bnn"])
    build = tmp_path / "build"
    code, err = run_cli(capsys, "compile", path, "-o", build)
    errors = [line for line in err.splitlines() if "error" in line]  # beside the stage times
    assert code == 2 and len(errors) == 1, err
    assert errors[0].startswith("bnnc: error: 'bnn.concat', a concatenation of streams")
    assert "is not supported by lower-bnn-to-dataflow yet" in errors[0]
    assert not build.exists()


def test_product_of_two_computed_tensors_is_refused(tmp_path, capsys):
    """Only Add joins two computed tensors; Mul of two is refused with one error line."""
    import onnx
    from onnx import TensorProto, helper

    b = make_residual_onnx.Builder()
    p = b.quant("x", "p", 0.5, 2, signed=1)
    q = b.quant("x", "q", 0.25, 3, signed=1)
    b.nodes.append(helper.make_node("Mul", [p, q], ["y"], name="product"))
    model = make_residual_onnx.model(b.nodes, [("x", [1, 4])], [("y", TensorProto.FLOAT, [1, 4])],
                                     b.inits, (make_residual_onnx.QONNX,))
    path = tmp_path / "product.onnx"
    onnx.save(model, path)
    np.save(tmp_path / "x.npy", np.zeros((1, 4), np.float32))
    code, err = run_cli(capsys, "run", path, "--engine", "bnn", "--input", tmp_path / "x.npy",
                        "--output", tmp_path / "y.npy")
    assert code == 2, err
    assert err.strip().splitlines()[-1].endswith(
        "node 'product' (Mul): exactly one operand must be a constant; Mul of two computed "
        "tensors is not supported (Add of two is a residual join)")
