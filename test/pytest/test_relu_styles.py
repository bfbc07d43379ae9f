"""Quantized networks as FINN's and hls4ml's examples build them (issue 23): unsigned activations
(Brevitas' QuantReLU: Relu + unsigned Quant), Gemm with bias, fixed-point inputs, Softmax and
Sigmoid outputs, through every level bit for bit.

Each style (`qnn_styles`: KWS-like w3a3 MLP with 8-bit inputs, UNSW-like w2a2 MLP with Gemm,
binary inputs and a Sigmoid, jet-tagging-like MLP with fixed-point inputs, bias Adds and a
Softmax, a QuantReLU CNV w2a2) runs on random inputs: onnxruntime ≈ the imported `bnn` module
(float32 against float64 rounding), and the streamlined `bnn` module = `df` = C simulation =
RTL simulation (Verilator), exactly. The real Brevitas export is checked by the `brevitas` test
(needs the `train` extra; `.ci/run` installs it and runs `pytest -m brevitas`).
"""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest
import qnn_styles
import synthetic
from xdsl.ir import BlockArgument

from bnnc.dialects import bnn
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.driver.pipeline import run_pipeline
from bnnc.runtime.reference import ReferenceSession

# style -> (model builder, inputs(n, seed), activation bits, folding pass)
STYLES = {
    "kws": (qnn_styles.kws_mlp, qnn_styles.kws_inputs, 3, "fold{target-fps=20000.0 clock-mhz=200.0}"),
    "unsw": (qnn_styles.unsw_mlp, qnn_styles.unsw_inputs, 2, "fold{target-fps=20000.0 clock-mhz=200.0}"),
    "jet": (qnn_styles.jet_mlp, qnn_styles.jet_inputs, 6, "fold{target-fps=100000.0 clock-mhz=200.0}"),
    "cnv": (qnn_styles.relu_cnv, lambda n, seed: qnn_styles.cnv_inputs(n, seed, 32), 2,
            "fold{target-fps=2000.0 clock-mhz=200.0}"),
}
OUTPUT_OPS = {"kws": None, "unsw": bnn.SigmoidOp, "jet": bnn.SoftmaxOp, "cnv": None}


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("styles")
    paths = {}

    def get(style: str):
        if style not in paths:
            paths[style] = synthetic.save(STYLES[style][0](0), folder, style)
        return paths[style]

    return get


def ops_of(module, kind):
    return [op for op in module.walk() if isinstance(op, kind)]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_through_every_level(style, saved):
    """onnx ≈ bnn, then bnn (streamlined) = df = csim = rtlsim on random inputs."""
    path = saved(style)
    _, inputs, _, folding = STYLES[style]
    x = inputs(24, 1)
    reference = ReferenceSession(path).run(x)
    module = import_onnx(path)
    imported = BnnExecutor(module).run(x)
    np.testing.assert_allclose(imported, reference, rtol=1e-5, atol=1e-5)
    if reference.shape[1] > 1:
        assert np.array_equal(imported.argmax(1), reference.argmax(1))
    run_pipeline(module, "bnn-streamline")
    expected = BnnExecutor(module).run(x)
    assert np.array_equal(expected, imported)
    run_pipeline(module, f"lower-bnn-to-dataflow,{folding},insert-streams,size-fifos")
    assert np.array_equal(BnnExecutor(module).run(x), expected), "df"
    rtl = BnnExecutor(module, rtl_simulator="verilator").run(x[:4])
    assert np.array_equal(rtl, expected[:4]), "rtlsim"
    run_pipeline(module, "lower-dataflow-to-hls")
    assert np.array_equal(BnnExecutor(module).run(x), expected), "csim"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_imports_unsigned_activations(style, saved):
    """No Relu is left: each QuantReLU is an unsigned quantizer (codes 0..2^n - 1), fused into
    2^n - 1 integer thresholds a channel; the output activation runs on the host."""
    _, _, bits, _ = STYLES[style]
    module = import_onnx(saved(style))
    hidden = [op for op in ops_of(module, bnn.QuantizeOp) if not isinstance(op.input, BlockArgument)]
    unsigned = [op for op in hidden if not bnn.is_signed_integer(bnn.element_type(op.output.type))
                and op.hi.value.data == (1 << bits) - 1 and op.lo.value.data == 0]
    assert unsigned == hidden
    assert len(unsigned) == (8 if style == "cnv" else 3)
    run_pipeline(module, "bnn-streamline")
    thresholds = ops_of(module, bnn.ThresholdOp)
    assert len(thresholds) == len(unsigned)
    for op in thresholds:
        assert bnn.dense_values(op.thresholds).shape[1] == (1 << bits) - 1
        assert bnn.element_type(op.output.type) == bnn.element_type(unsigned[0].output.type)
    outputs = ops_of(module, bnn.SigmoidOp) + ops_of(module, bnn.SoftmaxOp)
    if OUTPUT_OPS[style] is None:
        assert not outputs
    else:
        assert [type(op) for op in outputs] == [OUTPUT_OPS[style]]
        assert outputs[0].attributes["bnnc.placement"].data == "host"


@pytest.mark.parametrize("output", ["Softmax", "LogSoftmax", "Sigmoid"])
def test_output_activation_before_label_select_is_dropped(output, tmp_path):
    """jet tagging with its output activation then ArgMax: the activation is dropped (it keeps
    the order), the label select reads the integer scores on the accelerator, and the labels
    equal onnxruntime's on every input and the df level's."""
    path = synthetic.save(qnn_styles.jet_mlp(0, output=output, label=True), tmp_path, "jet_label")
    x = qnn_styles.jet_inputs(200, 3)
    module = import_onnx(path)
    assert not ops_of(module, bnn.SoftmaxOp) + ops_of(module, bnn.LogSoftmaxOp) + ops_of(module, bnn.SigmoidOp)
    labels = BnnExecutor(module).run(x)
    assert np.array_equal(labels, ReferenceSession(path).run(x))
    assert len(np.unique(labels)) > 1
    run_pipeline(module, "bnn-streamline,lower-bnn-to-dataflow,fold{max=true},insert-streams,size-fifos")
    assert np.array_equal(BnnExecutor(module).run(x), labels)


@pytest.mark.parametrize("bits, signed, zero_point", [
    *[(bits, signed, 0.0) for bits in (1, 2, 3, 5, 8) for signed in (True, False)],
    (8, False, 128.0), (4, True, -3.0)])
def test_input_quantizers(bits, signed, zero_point, tmp_path):
    """Fixed-point inputs of 1 to 8 bits with a scale (QKeras' quantized_bits; a signed 1-bit
    Quant is bipolar, as qonnx runs it) and zero points, into a Gemm with bias, BN and a
    QuantReLU: onnx ≈ bnn, bnn = df (and = csim at 1 and 8 bits)."""
    scale = 2.0 ** -(bits - 1) if bits > 1 else 0.5
    calibration = np.random.default_rng(0).normal(0, 1, (256, 12)).astype(np.float32)
    model = qnn_styles.mlp("inputs", 3, [12, 8, 4], input_quant=(scale, bits, signed, zero_point),
                           weight_bits=3, act_bits=2, gemm=True, bias=True, batchnorm=True,
                           power_of_two=False, output=None, inputs=calibration)
    path = synthetic.save(model, tmp_path, "inputs")
    x = np.random.default_rng(1).normal(0, 1, (32, 12)).astype(np.float32)
    module = import_onnx(path)
    imported = BnnExecutor(module).run(x)
    np.testing.assert_allclose(imported, ReferenceSession(path).run(x), rtol=1e-5, atol=1e-5)
    run_pipeline(module, "bnn-streamline")
    assert np.array_equal(BnnExecutor(module).run(x), imported)
    run_pipeline(module, "lower-bnn-to-dataflow,fold{max=true},insert-streams,size-fifos")
    assert np.array_equal(BnnExecutor(module).run(x), imported)
    if bits in (1, 8):
        run_pipeline(module, "lower-dataflow-to-hls")
        assert np.array_equal(BnnExecutor(module).run(x), imported)


@pytest.mark.parametrize("style", ["unsw", "jet"])
def test_board_driver_runs_the_output_activation(style, saved, tmp_path):
    """The build's ZC706 driver runs Sigmoid / Softmax as host steps after the accelerator (the
    PG021 DMA model around the `df` executor, word for word the hardware's streams): bnnc's
    outputs."""
    from test_zc706 import accelerator_on_dma, import_driver, once_per_call

    from bnnc.semantics import packing
    from bnnc.driver.compiler import compile as compile_build
    from bnnc.driver.compiler import load_build
    from bnnc.runtime.interpreters import df as df_executor

    build = compile_build(saved(style), tmp_path / style, fps=20000.0).directory
    config = json.loads((build / "zc706" / "bnnc_driver" / "accelerator.json").read_text())
    assert config["post"][-1]["op"] == {"unsw": "sigmoid", "jet": "softmax"}[style]
    graph = next(op for op in load_build(build, "df").ops if op.name == "df.graph")
    inp, out = config["input"], config["output"]

    def simulate(words):
        codes = packing.from_axi_words(words, inp["elements"], inp["bits"], inp["signed"])
        return packing.to_axi_words(df_executor.run_graph(graph, codes), out["bits"])

    accelerator, _, _ = accelerator_on_dma(import_driver(build), build, once_per_call(simulate))
    x = STYLES[style][1](6, 4)
    assert np.array_equal(accelerator.run(x), BnnExecutor(load_build(build, "df")).run(x))


@pytest.mark.slow
def test_full_size_relu_cnv_w2a2(tmp_path):
    """The QuantReLU CNV w2a2 at CNV's channels (64..512) through every level on a few images."""
    path = synthetic.save(qnn_styles.relu_cnv(1, channels=synthetic.CNV_CHANNELS), tmp_path, "cnv")
    x = qnn_styles.cnv_inputs(8, 2, 32)
    module = import_onnx(path)
    imported = BnnExecutor(module).run(x)
    np.testing.assert_allclose(imported, ReferenceSession(path).run(x), rtol=1e-5, atol=1e-4)
    run_pipeline(module, "bnn-streamline")
    expected = BnnExecutor(module).run(x)
    assert np.array_equal(expected, imported)
    run_pipeline(module, "lower-bnn-to-dataflow,fold{target-fps=1000.0 clock-mhz=200.0},insert-streams,size-fifos")
    assert np.array_equal(BnnExecutor(module).run(x), expected), "df"
    assert np.array_equal(BnnExecutor(module, rtl_simulator="verilator").run(x[:2]), expected[:2]), "rtlsim"
    run_pipeline(module, "lower-dataflow-to-hls")
    assert np.array_equal(BnnExecutor(module).run(x), expected), "csim"


def quant_relu_outputs(model: onnx.ModelProto) -> list[str]:
    relus = {node.output[0] for node in model.graph.node if node.op_type == "Relu"}
    return [node.output[0] for node in model.graph.node if node.op_type == "Quant" and node.input[0] in relus]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_activations_take_every_level(style, tmp_path):
    """The builders' calibration works: every hidden layer's codes take every level, and the
    special channels are there (a channel stuck at ReLU's floor 0)."""
    model, inputs, bits, _ = STYLES[style]
    model = model(0)
    x = inputs(64, 2)
    names = quant_relu_outputs(model)
    assert names
    for name in names:
        scale = next(init for init in model.graph.initializer
                     if init.name.endswith("act_quant.scale") and any(
                         n.output[0] == name and init.name in n.input for n in model.graph.node))
        codes = ReferenceSession(synthetic.save(synthetic.truncated(model, name), tmp_path, "cut")).run(x)
        codes = np.round(codes / onnx.numpy_helper.to_array(scale)).astype(np.int64)
        assert set(np.unique(codes)) == set(range(1 << bits)), name
        per_channel = np.moveaxis(codes, 1, -1).reshape(-1, codes.shape[1])
        assert np.any(np.all(per_channel == 0, axis=0)), f"{name}: no channel at the floor"


# --------------------------------------------------------------------------------------------
# The real Brevitas export (needs torch and brevitas: the `train` extra)
# --------------------------------------------------------------------------------------------


def brevitas_models():
    import torch
    from brevitas.nn import QuantConv2d, QuantIdentity, QuantLinear, QuantReLU
    from torch import nn

    torch.manual_seed(0)
    mlp = nn.Sequential(
        QuantIdentity(bit_width=8, return_quant_tensor=True),
        QuantLinear(40, 32, bias=True, weight_bit_width=3),
        nn.BatchNorm1d(32),
        QuantReLU(bit_width=3, return_quant_tensor=True),
        QuantLinear(32, 16, bias=False, weight_bit_width=3),
        nn.BatchNorm1d(16),
        QuantReLU(bit_width=3, return_quant_tensor=True),
        QuantLinear(16, 5, bias=True, weight_bit_width=3),
    )
    cnn = nn.Sequential(
        QuantIdentity(bit_width=8, return_quant_tensor=True),
        QuantConv2d(3, 8, 3, bias=False, weight_bit_width=2),
        nn.BatchNorm2d(8),
        QuantReLU(bit_width=2, return_quant_tensor=True),
        nn.MaxPool2d(2),
        QuantConv2d(8, 8, 3, bias=False, weight_bit_width=2),
        nn.BatchNorm2d(8),
        QuantReLU(bit_width=2, return_quant_tensor=True),
        nn.Flatten(),
        QuantLinear(8 * 2 * 2, 10, bias=False, weight_bit_width=2),
    )
    for model, shape in ((mlp, (256, 40)), (cnn, (64, 3, 10, 10))):
        model.train()
        with torch.no_grad():  # a few batches set the BN statistics away from (0, 1)
            for _ in range(4):
                model(torch.randn(*shape))
        for module in model.modules():
            if isinstance(module, nn.BatchNorm1d | nn.BatchNorm2d):
                module.weight.data.uniform_(0.5, 1.5)
                module.bias.data.uniform_(-0.2, 0.8)
        model.eval()
    return {"mlp": (mlp, (1, 40)), "cnn": (cnn, (1, 3, 10, 10))}


@pytest.mark.brevitas
def test_brevitas_export_matches(tmp_path):
    """Brevitas 0.13 exports QuantReLU as Relu then a QONNX Quant (signed 0, narrow 0, zero point
    0), the form `qnn_styles` writes; its models compile and agree at every level."""
    import torch
    from brevitas.export import export_qonnx

    for name, (model, shape) in brevitas_models().items():
        path = tmp_path / f"{name}.onnx"
        export_qonnx(model, torch.randn(*shape), str(path))
        exported = onnx.load(str(path))
        after_relu = [n for n in exported.graph.node if n.op_type == "Quant" and any(
            r.op_type == "Relu" and r.output[0] == n.input[0] for r in exported.graph.node)]
        assert len(after_relu) == 2, name
        g = synthetic.GraphBuilder()
        qnn_styles.add_relu_quant(g, "x", "layer", 0.5, 2)
        written = {a.name: onnx.helper.get_attribute_value(a) for a in g.nodes[-1].attribute}
        for node in after_relu:
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
            assert attrs == written, (name, attrs)
            zero_point = next(i for i in exported.graph.initializer if i.name == node.input[2])
            assert onnx.numpy_helper.to_array(zero_point) == 0
        x = np.random.default_rng(3).normal(0, 1, (16, *shape[1:])).astype(np.float32)
        with torch.no_grad():
            torch_out = model(torch.from_numpy(x))
        torch_out = getattr(torch_out, "value", torch_out).numpy()
        module = import_onnx(path)
        imported = BnnExecutor(module).run(x)
        np.testing.assert_allclose(imported, ReferenceSession(path).run(x), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(imported, torch_out, rtol=1e-4, atol=1e-4)
        run_pipeline(module, "bnn-streamline")
        expected = BnnExecutor(module).run(x)
        assert np.array_equal(expected, imported)
        run_pipeline(module, "lower-bnn-to-dataflow,fold{max=true},insert-streams,size-fifos")
        assert np.array_equal(BnnExecutor(module).run(x), expected)
        run_pipeline(module, "lower-dataflow-to-hls")
        assert np.array_equal(BnnExecutor(module).run(x), expected)
