"""The `bnn` passes: hardware form, bit-exactness before and after, and the fused thresholds."""

import subprocess
import sys

import numpy as np
import pytest
import synthetic
from conftest import model_path
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32, i32
from xdsl.ir import Block, Region

from bnnc.dialects import bnn
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.semantics.packing import pack_rows
from bnnc.passes.partition_host import hardware_form_problems
from bnnc.driver.pipeline import run_pipeline

SHARED_MODELS = [
    "tfc_w1a1.qonnx.onnx",
    "tfc_w1a1.finn.onnx",
    "tfc_w1a2.qonnx.onnx",
    "tfc_w2a2.qonnx.onnx",
    "lfc_w1a1.onnx",
    "sfc_w1a1_random.qonnx.onnx",
    "cnv_w1a1_random.qonnx.onnx",
]


@pytest.mark.parametrize("name", SHARED_MODELS)
def test_shared_models_reach_hardware_form(name):
    module = run_pipeline(import_onnx(model_path(name)), "bnn-streamline")
    assert hardware_form_problems(module) == []
    text = str(module)
    assert "bnn.batchnorm" not in text
    assert "bnn.sign" not in text.split("bnn.dense", 1)[1]  # only the host's input quantizer


def test_an_unfused_layer_is_reported():
    module = import_onnx(model_path("tfc_w1a1.qonnx.onnx"))  # not streamlined
    problems = hardware_form_problems(module)
    assert any("bnn.batchnorm" in p for p in problems), problems


@pytest.mark.parametrize(
    ("name", "scale", "accuracy"),
    [
        ("tfc_w1a1.qonnx.onnx", 1, 92.96),
        ("tfc_w1a1.finn.onnx", 255, 92.96),
        ("tfc_w1a2.qonnx.onnx", 1, 94.74),
        ("tfc_w2a2.qonnx.onnx", 1, 96.60),
        ("lfc_w1a1.onnx", 1, 98.35),
    ],
)
def test_streamlined_models_are_bit_exact_on_mnist(name, scale, accuracy, mnist_test):
    images, labels = mnist_test
    images = images * scale
    before = BnnExecutor(import_onnx(model_path(name))).run(images)
    after = BnnExecutor(run_pipeline(import_onnx(model_path(name)), "bnn-streamline")).run(images)
    # The output affine maps are merged in double precision and reported in single precision.
    np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-5)
    predicted = after.argmax(axis=1) if after.shape[1] > 1 else after[:, 0]
    np.testing.assert_array_equal(predicted, before.argmax(axis=1) if before.shape[1] > 1 else before[:, 0])
    assert round(100 * float((predicted == labels).mean()), 2) == accuracy


def test_accuracy_through_bnnc_run(mnist_test, tmp_path):
    images, labels = mnist_test
    np.save(tmp_path / "x.npy", images)
    bnnc = [sys.executable, "-m", "bnnc.driver.cli.bnnc_main"]
    subprocess.run(
        [*bnnc, "run", str(model_path("lfc_w1a1.onnx")), "--engine", "bnn", "-p", "bnn-streamline",
         "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / "y.npy")],
        check=True,
    )
    scores = np.load(tmp_path / "y.npy")
    assert round(100 * float((scores.argmax(axis=1) == labels).mean()), 2) == 98.35


SYNTHETIC = {
    "sfc-qonnx": lambda: synthetic.mlp(synthetic.SFC, seed=5, gamma_zero=2, huge_beta=2),
    "sfc-plain-topk": lambda: synthetic.mlp(synthetic.SFC, seed=6, flavour="plain", label_select=True),
    "cnv-pool-after": lambda: synthetic.cnv(seed=7, pool_order="after", gamma_zero=1, huge_beta=1),
    "cnv-pool-before": lambda: synthetic.cnv(seed=8, pool_order="before", label_select=True),
    "cnv-small-padded": lambda: synthetic.cnv(seed=9, channels=synthetic.SMALL_CNV, image=16, padding="-1"),
}


@pytest.mark.parametrize("name", SYNTHETIC)
def test_synthetic_networks_bit_exact_before_and_after(name, tmp_path):
    model = SYNTHETIC[name]()
    path = synthetic.save(model, tmp_path, name)
    x = synthetic.random_inputs(model, 100, seed=11)
    before = BnnExecutor(import_onnx(path)).run(x)
    streamlined = run_pipeline(import_onnx(path), "bnn-streamline")
    assert hardware_form_problems(streamlined) == []
    after = BnnExecutor(streamlined).run(x)
    if before.dtype == np.int64:
        np.testing.assert_array_equal(after, before)
    else:
        np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-5)


def test_brevitas_and_bnn_pynq_pooling_orders_end_alike(tmp_path):
    after = run_pipeline(import_onnx(synthetic.save(synthetic.cnv(seed=7), tmp_path, "a")), "bnn-streamline")
    before = run_pipeline(
        import_onnx(synthetic.save(synthetic.cnv(seed=7, pool_order="before"), tmp_path, "b")),
        "bnn-streamline",
    )
    for module in (after, before):
        pools = [op for op in module.walk() if isinstance(op, bnn.MaxPoolOp)]
        assert len(pools) == 2
        assert all(bnn.is_bipolar(bnn.element_type(p.input.type)) for p in pools)


# --------------------------------------------------------------------------------------------
# Property: the fused thresholds equal the float reference for every accumulator value.


def bn_sign_module(k: int, weights: np.ndarray, gamma, beta, mean, var, eps) -> ModuleOp:
    """x (1, K) bipolar → dense → batchnorm → sign, as the importer would produce it."""
    channels = weights.shape[0]
    block = Block(arg_types=[TensorType(bnn.bipolar, (1, k))])
    acc = bnn.DenseOp.build(
        operands=[block.args[0]],
        result_types=[TensorType(i32, (1, channels))],
        properties={"weights": pack_rows(weights, 1), "weight_type": bnn.bipolar},
    )
    norm = bnn.BatchNormOp.build(
        operands=[acc.output],
        result_types=[TensorType(f32, (1, channels))],
        properties={
            "gamma": _f32(gamma), "beta": _f32(beta), "mean": _f32(mean), "var": _f32(var),
            "epsilon": _float(eps),
        },
    )
    sign = bnn.SignOp(norm.output, TensorType(bnn.bipolar, (1, channels)))
    block.add_ops([acc, norm, sign, func.ReturnOp(sign.output)])
    out_type = TensorType(bnn.bipolar, (1, channels))
    return ModuleOp([func.FuncOp("main", ([block.args[0].type], [out_type]), Region(block))])


def _f32(values):
    from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr

    array = np.ascontiguousarray(values, dtype=np.float32)
    return DenseIntOrFPElementsAttr(TensorType(f32, array.shape), BytesAttr(array.tobytes()))


def _float(value):
    from xdsl.dialects.builtin import FloatAttr, f64

    return FloatAttr(float(value), f64)


def every_input(k: int) -> np.ndarray:
    """All 2^K bipolar inputs as bits (so every reachable accumulator value is covered)."""
    codes = np.arange(1 << k)
    return ((codes[:, None] >> np.arange(k)) & 1).astype(np.float32)


channel = st.tuples(
    st.one_of(st.floats(-4, 4), st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-6, -1e-6])),  # γ
    st.one_of(st.floats(-6, 6), st.sampled_from([0.0, 1e6, -1e6])),  # β, huge included
    st.one_of(st.integers(-6, 6).map(float), st.floats(-6, 6)),  # μ: integers give exact ties
    st.one_of(st.sampled_from([1.0, 4.0, 0.25]), st.floats(1e-3, 20)),  # var
)


@settings(max_examples=60, deadline=None)
@given(
    k=st.integers(1, 7),
    channels=st.lists(channel, min_size=1, max_size=6),
    seed=st.integers(0, 2**16),
    eps=st.sampled_from([0.0, 1e-5]),
)
def test_fused_thresholds_equal_float_reference(k, channels, seed, eps):
    gamma, beta, mean, var = (np.array(v, dtype=np.float32) for v in zip(*channels))
    weights = np.random.default_rng(seed).integers(0, 2, size=(len(channels), k))
    module = bn_sign_module(k, weights, gamma, beta, mean, var, eps)
    x = every_input(k)
    before = BnnExecutor(module).run(2 * x - 1)
    # The float reference, computed here without bnnc: sign(BN(dot)) with sign(0) = +1.
    dot = (2 * x - 1) @ (2 * weights.T - 1)
    sigma = np.sqrt(var.astype(np.float64) + eps)
    reference = np.where(
        (dot - mean.astype(np.float64)) / sigma * gamma.astype(np.float64) + beta >= 0, 1, -1
    )
    np.testing.assert_array_equal(before, reference)
    fused = run_pipeline(module, "threshold-fusion,xnor-lowering")
    assert not any(isinstance(op, bnn.BatchNormOp | bnn.SignOp) for op in fused.walk())
    np.testing.assert_array_equal(BnnExecutor(fused).run(2 * x - 1), reference)
