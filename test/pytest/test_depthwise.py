"""Depthwise convolution at the `bnn` level (issue 25): `bnn.depthwise_conv2d` imported from
ONNX `Conv` with `group` = channels, in QKeras' and Brevitas' QONNX styles (`depthwise_nets`);
the executor against a direct sum; streamlining over it; the refusal of other group counts at
import; the CLI running it on the `bnn` and `df` engines (the engine below `bnn`: `test_vvtu.py`). The
MobileNet-v1 test (`test_mobilenet.py`) needs torch and runs under `pytest -m brevitas`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import depthwise_nets
import numpy as np
import pytest
import synthetic
from xdsl.dialects import func
from xdsl.dialects.builtin import (FunctionType, IntegerAttr, IntegerType, ModuleOp, Signedness,
                                  TensorType, UnitAttr, i32, i64)
from xdsl.ir import Block, Region

from bnnc.dialects import bnn
from bnnc.driver.pipeline import run_pipeline
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.frontend.weights import NotBinaryRepresentable, classify
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.reference import ReferenceSession
from bnnc.semantics.packing import pack_rows

BNNC = Path(sys.executable).parent / "bnnc"
MAKE_DEPTHWISE = Path(__file__).parents[1] / "filecheck" / "import" / "Inputs" / "make_depthwise_onnx.py"


def ops_of(module, kind):
    return [op for op in module.walk() if isinstance(op, kind)]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("separable")
    return {style: synthetic.save(depthwise_nets.separable(0, style), folder, style)
            for style in ("qkeras", "brevitas")}


@pytest.mark.parametrize("style", ["qkeras", "brevitas"])
def test_separable_network_onnx_bnn_and_streamlined(style, saved):
    """onnx ≈ bnn (float32 against float64), the streamlined module = the imported one; the
    pointwise layers are ordinary 1×1 convolutions, the depthwise ones their own op."""
    x = depthwise_nets.inputs(64, 1)
    reference = ReferenceSession(saved[style]).run(x)
    module = import_onnx(saved[style])
    depthwise = ops_of(module, bnn.DepthwiseConv2dOp)
    assert [bnn.array_values(op.strides) for op in depthwise] == [(1, 1), (2, 2)]
    assert [bnn.array_values(op.kernel) for op in ops_of(module, bnn.Conv2dOp)] == [(3, 3), (1, 1), (1, 1)]
    imported = BnnExecutor(module).run(x)
    np.testing.assert_allclose(imported, reference, rtol=1e-5, atol=1e-4)
    assert np.array_equal(imported.argmax(1), reference.argmax(1))
    assert len(np.unique(imported, axis=0)) == len(x)  # every input its own scores: not stuck
    run_pipeline(module, "bnn-streamline")
    assert len(ops_of(module, bnn.ThresholdOp)) == 5  # every 4-bit ReLU fused into thresholds
    assert not ops_of(module, bnn.BatchNormOp)
    assert np.array_equal(BnnExecutor(module).run(x), imported)


def test_pointwise_convolutions_run_at_every_level(tmp_path):
    """A 1×1 convolution is an ordinary conv2d: the network without its depthwise layers goes
    through every level, bnn = df = C simulation = RTL simulation (Verilator)."""
    path = synthetic.save(depthwise_nets.separable(0, "brevitas", layers=depthwise_nets.POINTWISE_ONLY),
                          tmp_path, "pointwise")
    x = depthwise_nets.inputs(8, 3)
    module = import_onnx(path)
    assert [bnn.array_values(op.kernel) for op in ops_of(module, bnn.Conv2dOp)] == [(3, 3), (1, 1), (1, 1)]
    imported = BnnExecutor(module).run(x)
    np.testing.assert_allclose(imported, ReferenceSession(path).run(x), rtol=1e-5, atol=1e-4)
    run_pipeline(module, "bnn-streamline")
    expected = BnnExecutor(module).run(x)
    assert np.array_equal(expected, imported)
    run_pipeline(module, "lower-bnn-to-dataflow,fold{target-fps=2000.0 clock-mhz=200.0},insert-streams,size-fifos")
    assert np.array_equal(BnnExecutor(module).run(x), expected), "df"
    assert np.array_equal(BnnExecutor(module, rtl_simulator="verilator").run(x[:2]), expected[:2]), "rtlsim"
    run_pipeline(module, "lower-dataflow-to-hls")
    assert np.array_equal(BnnExecutor(module).run(x), expected), "csim"


def depthwise_module(x_type, weights: np.ndarray, weight_type, kernel, strides, pads, pad_value,
                     popcount: bool) -> ModuleOp:
    n, c, h, w = x_type.get_shape()
    oh = (h + pads[0] + pads[2] - kernel[0]) // strides[0] + 1
    ow = (w + pads[1] + pads[3] - kernel[1]) // strides[1] + 1
    block = Block(arg_types=[x_type])
    bits = bnn.bit_width(weight_type)
    codes = (weights > 0).astype(np.int64) if bits == 1 else weights
    properties = {
        "weights": pack_rows(codes, bits), "weight_type": weight_type,
        "kernel": bnn.DenseArrayBase.from_list(i64, list(kernel)),
        "strides": bnn.DenseArrayBase.from_list(i64, list(strides)),
        "pads": bnn.DenseArrayBase.from_list(i64, list(pads)),
        "pad_value": IntegerAttr(pad_value, i64),
    }
    if popcount:
        properties["popcount"] = UnitAttr()
    op = bnn.DepthwiseConv2dOp.build(operands=[block.args[0]], result_types=[TensorType(i32, (n, c, oh, ow))],
                                     properties=properties)
    block.add_ops([op, func.ReturnOp(op.output)])
    main = func.FuncOp("main", FunctionType.from_lists([x_type], [op.output.type]), Region(block))
    module = ModuleOp([main])
    module.verify()
    return module


def direct_sum(x: np.ndarray, w: np.ndarray, kernel, strides, pads, pad_value) -> np.ndarray:
    """acc[n, c, y, x] = Σ_(ky, kx) x_padded[n, c, y·sh + ky, x·sw + kx]·W[c, ky·kw + kx], one
    element at a time."""
    top, left, bottom, right = pads
    padded = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=pad_value)
    kh, kw = kernel
    sh, sw = strides
    oh = (padded.shape[2] - kh) // sh + 1
    ow = (padded.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], x.shape[1], oh, ow), dtype=np.int64)
    for n in range(x.shape[0]):
        for c in range(x.shape[1]):
            for y in range(oh):
                for xx in range(ow):
                    window = padded[n, c, y * sh:y * sh + kh, xx * sw:xx * sw + kw].reshape(-1)
                    out[n, c, y, xx] = int(window @ w[c])
    return out


@pytest.mark.parametrize("case", ["bipolar_popcount", "nbit_strided", "asymmetric"])
def test_depthwise_executor_equals_direct_sum(case):
    rng = np.random.default_rng(["bipolar_popcount", "nbit_strided", "asymmetric"].index(case))
    if case == "bipolar_popcount":  # ±1 data, ±1 padding, popcount accumulation (K = 9)
        shape, kernel, strides, pads, pad_value = (3, 4, 6, 5), (3, 3), (1, 1), (1, 1, 1, 1), -1
        x = rng.choice([-1, 1], shape)
        w = rng.choice([-1, 1], (4, 9))
        x_type, weight_type = TensorType(bnn.bipolar, (1, 4, 6, 5)), bnn.bipolar
    elif case == "nbit_strided":  # unsigned 4-bit codes, signed 3-bit weights, stride 2, pad 5
        shape, kernel, strides, pads, pad_value = (2, 5, 9, 8), (3, 3), (2, 2), (1, 1, 1, 1), 5
        x = rng.integers(0, 16, shape)
        w = rng.integers(-4, 4, (5, 9))
        x_type = TensorType(IntegerType(4, Signedness.UNSIGNED), (1, 5, 9, 8))
        weight_type = IntegerType(3, Signedness.SIGNED)
    else:  # a 2×3 kernel, strides (1, 2), padding on two sides, signed inputs
        shape, kernel, strides, pads, pad_value = (2, 3, 5, 7), (2, 3), (1, 2), (0, 2, 1, 0), -2
        x = rng.integers(-8, 8, shape)
        w = rng.integers(-8, 8, (3, 6))
        x_type = TensorType(IntegerType(4, Signedness.SIGNED), (1, 3, 5, 7))
        weight_type = IntegerType(4, Signedness.SIGNED)
    popcount = case == "bipolar_popcount"
    module = depthwise_module(x_type, w, weight_type, kernel, strides, pads, pad_value, popcount)
    got = BnnExecutor(module).run(x)
    expected = direct_sum(x, w, kernel, strides, pads, pad_value)
    if popcount:
        expected = (expected + 9) // 2  # the agreeing bits of a ±1 dot product of length 9
    assert np.array_equal(got, expected)


def test_per_channel_quantizer_scales_read_codes_without_unit_steps():
    """A depthwise row has kh·kw codes; {3, −3, 5} has no ±1, so the step guessed from the values
    (3s) would not divide 5s: the quantizer's per-channel scale reads them as they are."""
    scales = np.array([0.5, 0.125])
    codes = np.array([[1, -1, 2, 0, 7, -7, 3, 1, 0], [3, 0, -3, 5, 0, 0, -3, 3, 5]])
    weights = classify(codes * scales[:, None], scales)
    assert np.array_equal(weights.codes, codes) and np.array_equal(weights.scale, scales)
    with pytest.raises(NotBinaryRepresentable, match="distinct real values"):
        classify(codes[1:] * 0.125)  # guessed: 5/3 is no integer


def run(*args) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BNNC), *map(str, args)], capture_output=True, text=True,
                            timeout=600, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_cli_refuses_other_group_counts(tmp_path):
    model = tmp_path / "group_two.onnx"
    subprocess.run([sys.executable, str(MAKE_DEPTHWISE), "group_two", str(model)], check=True)
    np.save(tmp_path / "x.npy", np.zeros((1, 4, 4, 4), np.float32))
    result = run("run", model, "--engine", "bnn", "--input", tmp_path / "x.npy", "--output", tmp_path / "y.npy")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"bnnc: error: {model}: node 'conv0' (Conv): is a grouped convolution with group = 2 over "
        "4 input channels (weights [4, 2, 3, 3]); supported are group = 1 and depthwise (group = "
        "the input channels, one filter a channel)"]
    assert not (tmp_path / "y.npy").exists()


def test_cli_runs_depthwise_on_bnn_and_df(saved, tmp_path):
    """`bnnc run --engine bnn` runs it, and so does `--engine df`, folded for the default board
    (the depthwise layers on `df.vvtu`, `test_vvtu.py`), with the same outputs."""
    x = depthwise_nets.inputs(3, 2)
    np.save(tmp_path / "x.npy", x)
    result = run("run", saved["qkeras"], "--engine", "bnn", "--input", tmp_path / "x.npy",
                 "--output", tmp_path / "y.npy")
    assert result.returncode == 0, result.stderr
    expected = BnnExecutor(import_onnx(saved["qkeras"])).run(x)
    assert np.array_equal(np.load(tmp_path / "y.npy"), expected)
    result = run("run", saved["qkeras"], "--engine", "df", "--fps", "2000", "--input", tmp_path / "x.npy",
                 "--output", tmp_path / "df.npy")
    assert result.returncode == 0, result.stderr
    assert np.array_equal(np.load(tmp_path / "df.npy"), expected)
