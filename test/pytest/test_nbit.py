"""Low-bit networks that are not purely binary (issue 13): n-bit weights and activations through
import, streamlining, `df`, the C simulation and the RTL simulation, bit for bit.

- TFC-w1a2 and TFC-w2a2 (the shared QONNX models) compile with `bnnc.compile` at fix-9000 and
  max; by default a few images run through the C simulation of w2a2's max build and the RTL
  simulation of w1a2's fix-9000 build (Verilator builds of the max designs take minutes), and
  the `bnn` executor is checked against onnxruntime and the accuracy on all of MNIST.
  `slow`: all 10,000 MNIST images through the C simulation and 1,000 through the RTL, at both
  foldings, equal to the `bnn` executor, with the accuracy 94.74 % / 96.60 % exactly.
- A synthetic CNV-w2a2 (`synthetic.cnv(weight_bits=2, act_bits=2)`: 2-bit Quant weights,
  2-bit activations as QONNX Quant or FINN MultiThreshold, max-pools of the 2-bit values):
  small channels by default through bnn (against onnxruntime) and df, in several variants; the
  small one's C and RTL simulations and the full CNV topology through every level are `slow`.
  Pooling before a decreasing activation (BNN-PYNQ's order, γ < 0) exercises the complemented
  n-bit channels of threshold fusion.
- The cost model prices an n-bit x n-bit MVTU above a narrower one.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import onnx
import pytest
import synthetic
from bnnc.backends.verilog.emitter import write_project as write_verilog
from bnnc.dialects import df
from bnnc.dialects.bnn import bipolar
from conftest import model_path
from test_cost_model import ZC706, Pipeline, _i
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    IntegerType,
    Signedness,
    TensorType,
    i64,
)

from bnnc.driver.compiler import compile as compile_build
from bnnc.driver.compiler import load_build
from bnnc.analysis.cost_model import mvtu_cost
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.semantics.packing import pack_rows
from bnnc.driver.pipeline import run_pipeline
from bnnc.runtime.reference import ReferenceSession

TFC = {"w1a2": "tfc_w1a2.qonnx.onnx", "w2a2": "tfc_w2a2.qonnx.onnx"}
ACCURACY = {"w1a2": 0.9474, "w2a2": 0.9660}  # the zoo models on the full MNIST test set
FOLDINGS = {"fix9000": {"fps": 9000.0}, "max": {"max": True}}
FOLD_PASSES = {"fix9000": "fold{target-fps=9000.0 clock-mhz=200.0}", "max": "fold{max=true}"}
BUILDS = [(m, f) for m in TFC for f in FOLDINGS]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """(model, folding) -> the build directory `bnnc.compile` wrote, compiled once."""
    folder = tmp_path_factory.mktemp("nbit")
    builds: dict[tuple[str, str], Path] = {}

    def get(model: str, folding: str) -> Path:
        if (model, folding) not in builds:
            result = compile_build(model_path(TFC[model]), folder / f"{model}-{folding}",
                                   **FOLDINGS[folding])
            builds[model, folding] = result.directory
        return builds[model, folding]

    return get


def run_level(directory: Path, engine: str, x: np.ndarray) -> np.ndarray:
    """The build's module for `engine` ('bnn', 'csim' or 'rtlsim') run on x."""
    simulator = "verilator" if engine == "rtlsim" else None
    return BnnExecutor(load_build(directory, engine), rtl_simulator=simulator).run(x)


# --------------------------------------------------------------------------------------------
# TFC-w1a2 and TFC-w2a2
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model, folding", BUILDS)
def test_tfc_compiles(model, folding, build):
    directory = build(model, folding)
    stages = sorted(p.name for p in (directory / "ir").iterdir())
    assert stages == ["0-bnn.mlir", "1-streamlined.mlir", "2-dataflow.mlir", "3-folded.mlir",
                      "4-sized.mlir", "5-hls.mlir"]
    assert (directory / "hls").is_dir() and (directory / "rtl" / "top.v").is_file()
    estimate = json.loads((directory / "report.json").read_text())["estimate"]
    if folding == "fix9000":
        assert estimate["fps"] >= 9000
    # 2-bit activations between the layers; 2-bit or bipolar weights as the model says
    sized = (directory / "ir" / "4-sized.mlir").read_text()
    mvtus = [line for line in sized.splitlines() if "df.mvtu" in line]
    assert len(mvtus) == 4
    weights = "weights<!bnn.bipolar>" if model == "w1a2" else "weights<si2>"
    assert all(weights in line for line in mvtus)
    assert all("popcount" not in line for line in mvtus)  # no layer reads bits
    assert all("-> !df.stream<" in line and "xsi2, " in line.split("-> ")[1] for line in mvtus[:3])


@pytest.mark.parametrize("model", sorted(TFC))
def test_tfc_bnn_executor_on_mnist(model, mnist_test):
    """The streamlined bnn level against onnxruntime on all 10,000 images: top-1 identical,
    scores equal to float32 rounding, and the published accuracy exactly."""
    images, labels = mnist_test
    path = model_path(TFC[model])
    reference = ReferenceSession(path).run(images)
    scores = BnnExecutor(run_pipeline(import_onnx(path), "bnn-streamline")).run(images)
    assert np.array_equal(scores.argmax(1), reference.argmax(1))
    np.testing.assert_allclose(scores, reference, rtol=0, atol=1e-5)
    assert (scores.argmax(1) == labels).mean() == ACCURACY[model]


# One C simulation and one RTL simulation by default, so that each model runs on one of them
# (the engines' n-bit cases have tests of their own: test_csim_engines, test_rtl_engines).


def test_tfc_w2a2_csim_equals_bnn_on_a_few_images(build, mnist_test):
    directory = build("w2a2", "max")
    x = mnist_test[0][:8]
    assert np.array_equal(run_level(directory, "csim", x), run_level(directory, "bnn", x))


def test_tfc_w1a2_rtlsim_equals_bnn_on_a_few_images(build, mnist_test):
    directory = build("w1a2", "fix9000")
    x = mnist_test[0][:4]
    assert np.array_equal(run_level(directory, "rtlsim", x), run_level(directory, "bnn", x))


def verilator_lint(directory: Path) -> subprocess.CompletedProcess:
    library = sorted(str(p.relative_to(directory)) for p in directory.glob("library/*.v"))
    return subprocess.run(["verilator", "--lint-only", "-Wall", "--top-module", "bnnc_top", "top.v",
                           *library], check=False, cwd=directory, capture_output=True, text=True)


@pytest.mark.parametrize("model", sorted(TFC))
def test_tfc_verilog_is_lint_clean(model, build):
    result = verilator_lint(build(model, "max") / "rtl")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("model, folding", BUILDS)
def test_tfc_csim_on_mnist(model, folding, build, mnist_test):
    """The acceptance run: all 10,000 MNIST images through the C simulation."""
    images, labels = mnist_test
    directory = build(model, folding)
    scores = run_level(directory, "csim", images)
    assert np.array_equal(scores, run_level(directory, "bnn", images))
    reference = ReferenceSession(model_path(TFC[model])).run(images)
    assert np.array_equal(scores.argmax(1), reference.argmax(1))
    assert (scores.argmax(1) == labels).mean() == ACCURACY[model]


@pytest.mark.slow
@pytest.mark.parametrize("model, folding", BUILDS)
def test_tfc_rtlsim_on_1000_images(model, folding, build, mnist_test):
    """The acceptance run: 1,000 MNIST images through the Verilog under Verilator."""
    images = mnist_test[0][:1000]
    directory = build(model, folding)
    assert np.array_equal(run_level(directory, "rtlsim", images), run_level(directory, "bnn", images))


# --------------------------------------------------------------------------------------------
# Synthetic CNV-w2a2
# --------------------------------------------------------------------------------------------

SMALL_W2A2 = {"seed": 41, "channels": synthetic.SMALL_CNV, "weight_bits": 2, "act_bits": 2}


def level_codes(model: onnx.ModelProto, path: Path, x: np.ndarray) -> dict[str, np.ndarray]:
    """The values of every hidden activation of the model on x (onnxruntime, a cut model each)."""
    values = {}
    for name in synthetic.activation_names(model):
        cut = synthetic.save(synthetic.truncated(model, name), path.parent, "cut")
        values[name] = ReferenceSession(cut).run(x)
    return values


@pytest.mark.parametrize("act_op", ["Quant", "MultiThreshold"])
def test_cnv_w2a2_builder(act_op, tmp_path):
    """2-bit weights behind Quant, 2-bit activations (codes -1, 0, 1) that take every level in
    every channel but the constant ones, max-pools after the activations (Brevitas' order)."""
    model = synthetic.cnv(**SMALL_W2A2, act_op=act_op, gamma_zero=1, huge_beta=1)
    path = synthetic.save(model, tmp_path, "cnv")
    ops = [node.op_type for node in model.graph.node]
    assert ops.count("Quant") == 1 + 9 + (8 if act_op == "Quant" else 0)  # input, weights, acts
    assert ops.count("MultiThreshold") == (8 if act_op == "MultiThreshold" else 0)
    assert "BipolarQuant" not in ops
    for pool in (n for n in model.graph.node if n.op_type == "MaxPool"):
        producer = next(n for n in model.graph.node if pool.input[0] in n.output)
        assert producer.op_type == act_op
    x = synthetic.random_inputs(model, 16, seed=1)
    for name, h in level_codes(model, path, x).items():
        assert set(np.unique(h)) <= {-1.0, 0.0, 1.0}, name
        levels = np.stack([(h == v).reshape(16, h.shape[1], -1).mean(axis=(0, 2)) for v in (-1, 0, 1)])
        constant = int(np.sum(levels.max(axis=0) == 1))
        assert constant == 2, f"{name}: {constant} constant channels (γ = 0 and huge β)"
        varied = levels.max(axis=0) < 1
        assert np.all(levels[:, varied].mean(axis=1) > 0.15), f"{name}: levels {levels.mean(axis=1)}"


def test_cnv_binary_default_is_unchanged():
    """weight_bits = act_bits = 1 is the binary CNV the other tests use, draw for draw."""
    binary = synthetic.cnv(seed=7, channels=synthetic.SMALL_CNV)
    explicit = synthetic.cnv(seed=7, channels=synthetic.SMALL_CNV, weight_bits=1, act_bits=1)
    assert binary.SerializeToString() == explicit.SerializeToString()
    assert "BipolarQuant" in {node.op_type for node in binary.graph.node}


def through_levels(path: Path, x: np.ndarray, folding: str, engines: tuple[str, ...]
                   ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The onnx reference's and the imported bnn module's outputs checked against each other;
    then the streamlined module's outputs and each engine's ('df', 'rtlsim', 'csim')."""
    reference = ReferenceSession(path).run(x)
    module = import_onnx(path)
    imported = BnnExecutor(module).run(x)
    np.testing.assert_allclose(imported, reference, rtol=0, atol=1e-4)
    assert np.array_equal(imported.argmax(1), reference.argmax(1))
    run_pipeline(module, "bnn-streamline")
    expected = BnnExecutor(module).run(x)
    assert np.array_equal(expected, imported)
    run_pipeline(module, f"lower-bnn-to-dataflow,{FOLD_PASSES[folding]},insert-streams,size-fifos")
    outputs = {}
    if "df" in engines:
        outputs["df"] = BnnExecutor(module).run(x)
    if "rtlsim" in engines:
        outputs["rtlsim"] = BnnExecutor(module, rtl_simulator="verilator").run(x)
    if "csim" in engines:
        run_pipeline(module, "lower-dataflow-to-hls")
        outputs["csim"] = BnnExecutor(module).run(x)
    return expected, outputs


@pytest.mark.parametrize("variant, folding", [
    pytest.param({}, "fix9000", id="quant-fix9000"),
    pytest.param({}, "max", id="quant-max"),
    pytest.param({"act_op": "MultiThreshold"}, "max", id="multithreshold-max"),
    pytest.param({"pool_order": "before", "gamma_zero": 1, "huge_beta": 1}, "fix9000",
                 id="pool-before-fix9000"),
    pytest.param({"weight_bits": 3, "act_bits": 3, "pool_order": "before"}, "max",
                 id="w3a3-pool-before-max"),
    pytest.param({"act_narrow": False}, "fix9000", id="a2-wide-range-fix9000"),
    pytest.param({"image": 16, "padding": "0"}, "max", id="zero-padded-max"),
])
def test_small_cnv_nbit_df_equals_bnn(variant, folding, tmp_path):
    model = synthetic.cnv(**(SMALL_W2A2 | variant))
    x = synthetic.random_inputs(model, 10, seed=2)
    expected, outputs = through_levels(synthetic.save(model, tmp_path, "cnv"), x, folding, ("df",))
    assert np.array_equal(outputs["df"], expected)


def test_pool_before_a_decreasing_activation_is_complemented(tmp_path):
    """BNN-PYNQ's order with γ < 0 channels: threshold fusion complements them (−code) so that
    the pool stays a max of the thresholded codes, and the next layer negates their weights."""
    model = synthetic.cnv(**(SMALL_W2A2 | {"pool_order": "before"}))
    module = run_pipeline(import_onnx(synthetic.save(model, tmp_path, "cnv")), "bnn-streamline")
    text = str(module)
    assert "bnn.batchnorm" not in text and "bnn.quantize" not in text.split("\n", 3)[-1]
    pools = [op for op in module.walk() if op.name == "bnn.maxpool"]
    assert len(pools) == 2 and all(pool.operands[0].owner.name == "bnn.threshold" for pool in pools)


def test_small_cnv_w2a2_verilog_is_lint_clean(tmp_path):
    """2-bit sliding windows, MVTUs (si8 x si2 and si2 x si2) and max-pools of si2."""
    model = synthetic.cnv(**SMALL_W2A2)
    module = run_pipeline(import_onnx(synthetic.save(model, tmp_path, "cnv")),
                          f"bnn-streamline,lower-bnn-to-dataflow,{FOLD_PASSES['fix9000']},"
                          "insert-streams,size-fifos")
    write_verilog(module, tmp_path / "rtl")
    result = verilator_lint(tmp_path / "rtl")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("folding", sorted(FOLD_PASSES))
def test_small_cnv_w2a2_csim_equals_bnn(folding, tmp_path):
    model = synthetic.cnv(**SMALL_W2A2)
    x = synthetic.random_inputs(model, 10, seed=3)
    expected, outputs = through_levels(synthetic.save(model, tmp_path, "cnv"), x, folding, ("csim",))
    assert np.array_equal(outputs["csim"], expected)


@pytest.mark.slow
@pytest.mark.parametrize("folding", sorted(FOLD_PASSES))
def test_small_cnv_w2a2_rtlsim_equals_bnn(folding, tmp_path):
    model = synthetic.cnv(**SMALL_W2A2)
    x = synthetic.random_inputs(model, 10, seed=3)
    expected, outputs = through_levels(synthetic.save(model, tmp_path, "cnv"), x, folding, ("rtlsim",))
    assert np.array_equal(outputs["rtlsim"], expected)


@pytest.mark.slow
@pytest.mark.parametrize("folding, engines", [
    pytest.param("fix9000", ("df", "rtlsim", "csim"), id="fix9000"),
    # Verilator took over 30 min (rtlsim's limit) to build the max design's 2-bit products
    pytest.param("max", ("df", "csim"), id="max-without-rtlsim"),
])
def test_cnv_w2a2_every_level(folding, engines, tmp_path):
    """The acceptance run: CNV-w2a2 in the REFERENCE.md topology (64..512 channels, 32x32)
    bit-exact through bnn (against onnxruntime), df, csim and rtlsim on 10 images."""
    model = synthetic.cnv(seed=21, weight_bits=2, act_bits=2)
    x = synthetic.random_inputs(model, 10, seed=5)
    expected, outputs = through_levels(synthetic.save(model, tmp_path, "cnv"), x, folding, engines)
    for engine, y in outputs.items():
        assert np.array_equal(y, expected), engine


# --------------------------------------------------------------------------------------------
# The cost model of n-bit MVTUs
# --------------------------------------------------------------------------------------------


def nbit_mvtu(w_bits: int, a_bits: int, pe: int = 4, simd: int = 8) -> df.MvtuOp:
    """A 64 x 32 MVTU of w_bits weights (1: bipolar) on a_bits inputs (1: bipolar), with the
    2^a - 1 thresholds a channel of an a_bits activation (one for a bipolar output)."""
    signed = lambda bits: IntegerType(bits, Signedness.SIGNED)
    element = bipolar if a_bits == 1 else signed(a_bits)
    pipeline = Pipeline((64,), element, simd)
    op = pipeline.mvtu(64, 32, pe, simd)
    if w_bits > 1:
        op.weight_type = signed(w_bits)
        op.weights = pack_rows(np.zeros((32, 64), dtype=np.int64), w_bits)
        op.popcount = None
    steps = 1 if a_bits == 1 else (1 << a_bits) - 1
    raw = BytesAttr(np.zeros(32 * steps, dtype="<i8").tobytes())
    op.thresholds = DenseIntOrFPElementsAttr(TensorType(i64, (32, steps)), raw)
    op.mw = _i(64)
    return op


def test_cost_model_nbit_mvtu_grows_with_bits():
    """LUT grows with the weight and the input bits (multipliers, adders, accumulators and
    2^n - 1 comparators a channel); the cycles do not change; the weight memory grows.

    A ±1 factor is an add or a subtract, not a product: bipolar x n-bit is priced below n-bit x
    n-bit, and about as XNOR-popcount (Yosys: 231 and 233 LUT at PE 4, SIMD 8), so the two are
    not ordered here."""
    bits = (1, 2, 4, 8)
    costs = {(w, a): mvtu_cost(nbit_mvtu(w, a), ZC706) for w in bits for a in bits}
    assert {cost.cycles for cost in costs.values()} == {(32 // 4) * (64 // 8)}
    for (w, a), cost in costs.items():
        if (w, a) != (1, 1) and 2 * a in bits:
            assert costs[w, 2 * a].lut > cost.lut, (w, a)
        if (w, a) != (1, 1) and 2 * w in bits:
            assert costs[2 * w, a].lut > cost.lut, (w, a)
            assert costs[2 * w, a].lutram > cost.lutram, (w, a)  # the weights are in LUTRAM
    assert costs[2, 2].lut > max(costs[1, 2].lut, costs[2, 1].lut)
    assert costs[2, 2].lut > 2 * costs[1, 1].lut


def test_cost_model_tfc_w2a2_costs_more_than_w1a2(tmp_path):
    """The same folding of TFC is dearer with 2-bit weights (products) than with bipolar ones
    (adds and subtracts), on the same 2-bit activations."""
    from bnnc.analysis.cost_model import estimate_graph

    pins = tmp_path / "pins.json"
    luts = {}
    for model in TFC.values():
        module = run_pipeline(import_onnx(model_path(model)), "bnn-streamline,lower-bnn-to-dataflow")
        graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
        if not pins.exists():
            pins.write_text(json.dumps({f"fc{i}": {"pe": 4, "simd": 16} for i in range(3)}
                                       | {"fc3": {"pe": 2, "simd": 16}}))
        run_pipeline(module, f'fold{{target-fps=1000.0 folding="{pins}"}}')
        estimate = estimate_graph(graph, ZC706, 200.0)
        luts[model] = sum(node.cost.lut for node in estimate.nodes if node.kind == "mvtu")
    assert 1.5 * luts[TFC["w1a2"]] < luts[TFC["w2a2"]], luts
