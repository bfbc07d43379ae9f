"""The `bnn` executor's folded sign chains (`bnn_activation_chains`): the comparison gives the bits the
arithmetic gives, on every input, including the values at and next to each threshold, ±0, ±inf,
NaN and float32 inputs; chains it cannot prove are left to the arithmetic."""

import numpy as np
import pytest
from conftest import model_path
from xdsl.parser import Parser

from bnnc.dialects import bnn
from bnnc.driver.ir import make_context
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.interpreters.bnn_activation_chains import find_activation_chains

SHARED_MODELS = [
    ("tfc_w1a1.qonnx.onnx", (1, 28, 28)),
    ("sfc_w1a1_random.qonnx.onnx", (1, 28, 28)),
    ("lfc_w1a1.onnx", (1, 28, 28)),
    ("cnv_w1a1_random.qonnx.onnx", (3, 32, 32)),
]


def parse(text: str):
    return Parser(make_context(), text).parse_module()


def real_chain(scale: str, bias: str, channels: int = 3) -> str:
    """A real input through an affine and a batch norm, per channel, then sign."""
    return f"""
builtin.module {{
  func.func @main(%x: tensor<1x{channels}xf32>) -> tensor<1x{channels}x!bnn.bipolar> {{
    %0 = bnn.affine %x scale dense<{scale}> : tensor<{channels}xf64> bias dense<{bias}> : tensor<{channels}xf64> : tensor<1x{channels}xf32> -> tensor<1x{channels}xf32>
    %1 = bnn.batchnorm %0 {{gamma = dense<[1.5, -0.75, 2.0]> : tensor<3xf32>, beta = dense<[0.1, -0.2, 0.3]> : tensor<3xf32>, mean = dense<[0.01, 0.02, -0.03]> : tensor<3xf32>, var = dense<[1.0, 2.0, 0.5]> : tensor<3xf32>, epsilon = 1.0e-05 : f64}} : tensor<1x{channels}xf32> -> tensor<1x{channels}xf32>
    %2 = bnn.sign %1 : tensor<1x{channels}xf32> -> tensor<1x{channels}x!bnn.bipolar>
    func.return %2 : tensor<1x{channels}x!bnn.bipolar>
  }}
}}"""


def sign_bits(module, x: np.ndarray, fold: bool) -> np.ndarray:
    """The module's output, the sign's bits as ±1."""
    return BnnExecutor(module, fold_activations=fold, threads=1).run(x)


def hard_floats(rng: np.random.Generator, channels: int) -> np.ndarray:
    """Inputs at the edges: ±0, ±inf, NaN, huge and tiny values, the float32 neighbours of each
    channel's threshold, and random values."""
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 3.4e38, -3.4e38, 1e-45, -1e-45,
                         0.5, -0.5, 1.0, -1.0], dtype=np.float32)
    columns = [np.tile(specials, (channels, 1)).T]
    module = parse(real_chain("[2.0, 3.0, -0.5]", "[-1.0, 0.25, 0.0]"))
    folded = next(v for v in find_activation_chains(module).values() if v is not None)
    for threshold in (folded.at_least32, folded.at_most32):
        t = np.nan_to_num(np.broadcast_to(threshold, (1, channels)).astype(np.float32))
        for step in range(-3, 4):
            near = t.copy()
            for _ in range(abs(step)):
                near = np.nextafter(near, np.float32(np.inf if step > 0 else -np.inf))
            columns.append(near)
    columns.append(rng.standard_normal((2000, channels)).astype(np.float32) * 3)
    return np.concatenate(columns)


def test_real_chain_with_both_directions_folds_and_keeps_every_bit(rng):
    module = parse(real_chain("[2.0, 3.0, -0.5]", "[-1.0, 0.25, 0.0]"))
    plan = find_activation_chains(module)
    folded = [v for v in plan.values() if v is not None]
    assert len(folded) == 1 and not folded[0].increasing_only and not folded[0].decreasing_only
    x = hard_floats(rng, 3)
    np.testing.assert_array_equal(sign_bits(module, x, True), sign_bits(module, x, False))
    # float64 inputs take the float64 thresholds: the same bits again
    x64 = np.concatenate([x.astype(np.float64), rng.standard_normal((500, 3)) * 1e-3])
    np.testing.assert_array_equal(sign_bits(module, x64, True), sign_bits(module, x64, False))


def test_the_real_input_stays_float32_only_where_every_use_is_a_folded_chain():
    assert BnnExecutor(parse(real_chain("[2.0, 3.0, -0.5]", "[-1.0, 0.25, 0.0]"))).float32_input
    # a zero scale makes the chain constant but for inf·0 = NaN: not a comparison, not folded
    module = parse(real_chain("[2.0, 0.0, 0.5]", "[-1.0, 0.25, 0.0]"))
    assert find_activation_chains(module) == {}
    assert not BnnExecutor(module).float32_input


def test_integer_chain_folds_exactly_on_every_accumulator():
    """Batch norm with a negative γ on integer accumulators: every value of the range checked."""
    module = parse("""
builtin.module {
  func.func @main(%x: tensor<1x4xi8>) -> tensor<1x4x!bnn.bipolar> {
    %0 = bnn.batchnorm %x {gamma = dense<[1.3, -0.7, 1.0e-07, -2.0]> : tensor<4xf32>, beta = dense<[0.4, 0.1, -1.0e-07, 300.0]> : tensor<4xf32>, mean = dense<[-3.5, 2.25, 0.0, 1.0]> : tensor<4xf32>, var = dense<[2.0, 1.0, 1.0, 4.0]> : tensor<4xf32>, epsilon = 1.0e-05 : f64} : tensor<1x4xi8> -> tensor<1x4xf32>
    %1 = bnn.affine %0 scale dense<1.0> : tensor<1xf64> bias dense<-0.05> : tensor<1xf64> : tensor<1x4xf32> -> tensor<1x4xf32>
    %2 = bnn.sign %1 : tensor<1x4xf32> -> tensor<1x4x!bnn.bipolar>
    func.return %2 : tensor<1x4x!bnn.bipolar>
  }
}""")
    plan = find_activation_chains(module)
    assert sum(v is not None for v in plan.values()) == 1
    x = np.repeat(np.arange(-128, 128)[:, None], 4, axis=1)
    folded = BnnExecutor(module, threads=1).run(x)
    np.testing.assert_array_equal(folded, BnnExecutor(module, fold_activations=False).run(x))
    assert set(np.unique(folded[:, 3])) == {1}  # β = 300 dominates: every accumulator is +1


def test_a_chain_value_used_twice_is_not_folded():
    module = parse("""
builtin.module {
  func.func @main(%x: tensor<1x2xf32>) -> (tensor<1x2x!bnn.bipolar>, tensor<1x2xf32>) {
    %0 = bnn.affine %x scale dense<2.0> : tensor<1xf64> bias dense<-1.0> : tensor<1xf64> : tensor<1x2xf32> -> tensor<1x2xf32>
    %1 = bnn.sign %0 : tensor<1x2xf32> -> tensor<1x2x!bnn.bipolar>
    func.return %1, %0 : tensor<1x2x!bnn.bipolar>, tensor<1x2xf32>
  }
}""")
    assert find_activation_chains(module) == {}


@pytest.mark.parametrize(("name", "shape"), SHARED_MODELS)
def test_shared_models_fold_every_sign_and_give_the_same_outputs(name, shape, rng):
    module = import_onnx(model_path(name))
    plan = find_activation_chains(module)
    signs = [op for op in module.walk() if isinstance(op, bnn.SignOp)]
    assert signs and all(plan.get(op) is not None for op in signs)
    x = rng.uniform(-0.1, 1.1, (64,) + shape).astype(np.float32)
    x[0] = 0.5  # the input quantizer's threshold: sign(2·0.5 − 1) = sign(0) = +1
    x[1] = np.nextafter(np.float32(0.5), np.float32(0))
    np.testing.assert_array_equal(BnnExecutor(module).run(x),
                                  BnnExecutor(module, fold_activations=False).run(x))


@pytest.mark.parametrize(("rounding", "lo", "hi"), [("round", -2, 1), ("floor", 0, 15), ("ceil", -8, 7)])
def test_quantizer_chain_folds_exactly_on_every_accumulator(rounding, lo, hi):
    """Batch norm (one γ negative) then an n-bit quantizer on integer accumulators: every value."""
    module = parse(f"""
builtin.module {{
  func.func @main(%x: tensor<1x3xi10>) -> tensor<1x3xsi4> {{
    %0 = bnn.batchnorm %x {{gamma = dense<[1.3, -0.7, 0.02]> : tensor<3xf32>, beta = dense<[0.4, 0.1, -0.3]> : tensor<3xf32>, mean = dense<[-3.5, 2.25, 0.0]> : tensor<3xf32>, var = dense<[20.0, 9.0, 1.0]> : tensor<3xf32>, epsilon = 1.0e-05 : f64}} : tensor<1x3xi10> -> tensor<1x3xf32>
    %1 = bnn.quantize %0 {{scale = 0.25 : f64, zero_point = 0.0 : f64, lo = {lo} : i64, hi = {hi} : i64, rounding = "{rounding}"}} : tensor<1x3xf32> -> tensor<1x3xsi4>
    func.return %1 : tensor<1x3xsi4>
  }}
}}""")
    plan = find_activation_chains(module)
    assert sum(v is not None for v in plan.values()) == 1
    x = np.repeat(np.arange(-512, 512)[:, None], 3, axis=1)
    codes = BnnExecutor(module, threads=1).run(x)
    np.testing.assert_array_equal(codes, BnnExecutor(module, fold_activations=False).run(x))
    assert codes.min() == lo and codes.max() == hi


def test_real_input_quantizer_chain_keeps_every_code(rng):
    """The n-bit input quantizer of an imported model (x·2 − 1, then 2 bits) on float32 edges."""
    module = import_onnx(model_path("tfc_w1a2.qonnx.onnx"))
    plan = find_activation_chains(module)
    assert all(plan.get(op) is not None for op in module.walk() if isinstance(op, bnn.QuantizeOp))
    x = rng.uniform(-0.2, 1.2, (256, 1, 28, 28)).astype(np.float32)
    x.reshape(-1)[:13] = [0.0, -0.0, np.inf, -np.inf, 0.25, 0.5, 0.75, 1.0, 0.125, 0.375, 0.625,
                          0.875, 3.4e38]
    np.testing.assert_array_equal(BnnExecutor(module).run(x),
                                  BnnExecutor(module, fold_activations=False).run(x))
