"""The depthwise engine below `bnn` (issue 25): `df.vvtu` and the window unit's depthwise mode,
alone at every legal folding and in the separable networks of `depthwise_nets`: the `df`
executor against the direct sum and the `bnn` executor, the HLS templates (`swu_dw`, `vvtu`,
`vvtu_acc`) under g++ against the `df` executor (docs/design.md, "Depthwise convolution below
`bnn`")."""

from __future__ import annotations

import depthwise_nets
import numpy as np
import pytest
import synthetic
from test_depthwise import depthwise_module, direct_sum
from xdsl.dialects.builtin import IntegerType, Signedness, TensorType

from bnnc.analysis.cost_model import node_cost
from bnnc.analysis.folding import Fold, current_folding, refold
from bnnc.analysis.folding.streams import layer_legal_folds
from bnnc.devices import load_device
from bnnc.dialects import bnn, df
from bnnc.driver.pipeline import run_pipeline
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters import df as df_executor
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.simulators import csim

# (input, its codes' range, weight type, weight range, kernel, strides, pads, pad value, popcount)
ENGINE_CASES = {
    "bipolar_popcount": ((4, 6, 5), bnn.bipolar, None, bnn.bipolar, None, (3, 3), (1, 1), (1, 1, 1, 1), -1, True),
    "nbit_strided": ((6, 9, 8), IntegerType(4, Signedness.UNSIGNED), (0, 16), IntegerType(3, Signedness.SIGNED),
                     (-4, 4), (3, 3), (2, 2), (1, 1, 1, 1), 5, False),
    "asymmetric": ((4, 5, 7), IntegerType(4, Signedness.SIGNED), (-8, 8), IntegerType(4, Signedness.SIGNED),
                   (-8, 8), (2, 3), (1, 2), (0, 2, 1, 0), -2, False),
}


def graph_of(module) -> df.GraphOp:
    return next(op for op in module.ops if isinstance(op, df.GraphOp))


def engine_case(case: str, frames: int = 2):
    """A module of one depthwise layer lowered to `df`, its inputs, and the direct sum."""
    shape, x_type, x_range, w_type, w_range, kernel, strides, pads, pad_value, popcount = ENGINE_CASES[case]
    rng = np.random.default_rng(list(ENGINE_CASES).index(case))
    c, k = shape[0], kernel[0] * kernel[1]
    if popcount:
        x, w = rng.choice([-1, 1], (frames, *shape)), rng.choice([-1, 1], (c, k))
    else:
        x, w = rng.integers(*x_range, (frames, *shape)), rng.integers(*w_range, (c, k))
    module = depthwise_module(TensorType(x_type, (1, *shape)), w, w_type, kernel, strides, pads, pad_value, popcount)
    expected = direct_sum(x, w, kernel, strides, pads, pad_value)
    if popcount:
        expected = (expected + k) // 2
    run_pipeline(module, "lower-bnn-to-dataflow")
    return module, x, expected


def layer_engines(graph: df.GraphOp, layer: str) -> tuple[df.EngineOp, ...]:
    return tuple(op for op in graph.body.block.ops
                 if isinstance(op, df.COMPUTE_ENGINES) and op.layer is not None and op.layer.data == layer)


@pytest.mark.parametrize("case", ENGINE_CASES)
def test_the_engine_alone_at_every_legal_folding(case):
    """The window unit in its depthwise mode and the VVTU at every (PE, SIMD, MMV) both take:
    the `df` executor = the direct sum, and the folding problem sees the same list."""
    module, x, expected = engine_case(case)
    graph = graph_of(module)
    swu, vvtu = layer_engines(graph, "conv0")
    assert isinstance(swu, df.SwuOp) and swu.depthwise is not None and isinstance(vvtu, df.VvtuOp)
    folds = layer_legal_folds((swu, vvtu))
    c, k = vvtu.channels.value.data, vvtu.taps
    ow = bnn.array_values(swu.ofm)[1]
    assert sorted(folds) == sorted(Fold(p, s, m) for p in df.divisors(c) for s in df.divisors(k)
                                   for m in df.divisors(ow))
    for fold in folds:
        refold(graph, {"conv0": fold})
        module.verify()
        assert np.array_equal(BnnExecutor(module).run(x), expected), fold


def test_the_engines_words_in_the_designs_order():
    """Window word (cf, tf) holds tap tf·SIMD + s of channel cf·PE + p at lane (s, p); the VVTU's
    weight word cf·TF + tf holds W[cf·PE + p, tf·SIMD + s] at lane (s, p)."""
    module, x, _ = engine_case("nbit_strided", frames=1)
    graph = graph_of(module)
    refold(graph, {"conv0": Fold(pe=2, simd=3)})
    swu, vvtu = layer_engines(graph, "conv0")
    image = x[0].transpose(1, 2, 0)  # HWC
    words = swu.execute(image.reshape(1, -1, 2))  # one frame, input words of PE = 2 channels
    assert words.shape == (1, 5 * 4 * 3 * 3, 6)  # 5 x 4 pixels (stride 2), 3 channel folds, 3 tap folds
    padded = np.pad(image, ((1, 1), (1, 1), (0, 0)), constant_values=5)
    # output pixel (0, 1), channel fold 1, tap fold 2: taps 6..8 = (ky 2, kx 0..2) of channels 2, 3,
    # padded rows 0·2 + 2, columns 1·2 + 0..2
    word = words[0, (1 * 3 + 1) * 3 + 2].reshape(3, 2)
    assert np.array_equal(word, padded[2, 2:5, 2:4])
    memory = vvtu.weight_memory()
    weights = vvtu.weight_values()
    assert np.array_equal(memory[1 * 3 + 2], weights[2:4, 6:9].T)


def test_the_vvtu_schedule_runs_at_its_cycles():
    """The FIFO (cycle) model's interval of the VVTU alone is its `cycles`: C/PE·K/SIMD cycles a
    pixel, MMV pixels together."""
    module, _, _ = engine_case("nbit_strided")
    graph = graph_of(module)
    refold(graph, {"conv0": Fold(pe=2, simd=3, mmv=2)})
    vvtu = layer_engines(graph, "conv0")[1]
    assert vvtu.cycles() == 3 * 3 * 20 // 2  # C/PE = 3, K/SIMD = 3, 20 pixels, MMV 2
    words_in = vvtu.input.type.words.data
    frames = 3
    arrival = np.arange(words_in * frames, dtype=float)  # one word a cycle, always
    room = np.full(vvtu.output.type.words.data * frames, -np.inf)
    reads, writes = vvtu.word_schedule(arrival, room, frames, vvtu.word_plan(frames))
    assert np.array_equal(np.diff(reads), np.ones(reads.size - 1))
    assert writes[-1] - writes[-1 - vvtu.output.type.words.data] == vvtu.cycles()
    assert writes[0] == reads[2] + vvtu.pipeline_depth()  # TF = 3 reads a word


def test_the_cost_is_the_mvtus_terms():
    """The VVTU's LUT estimate grows with PE·SIMD and its BRAM with the weight memory; cycles
    are `cycles`, on the device's fabric."""
    module, _, _ = engine_case("nbit_strided")
    graph = graph_of(module)
    device = load_device("zc706")
    costs = {}
    for fold in (Fold(1, 1), Fold(2, 3), Fold(6, 9)):
        refold(graph, {"conv0": fold})
        vvtu = layer_engines(graph, "conv0")[1]
        costs[fold] = node_cost(vvtu, device)
        assert costs[fold].cycles == vvtu.cycles()
    assert costs[Fold(1, 1)].lut < costs[Fold(2, 3)].lut < costs[Fold(6, 9)].lut
    assert costs[Fold(1, 1)].cycles == 6 * 9 * 20 and costs[Fold(6, 9)].cycles == 20


@pytest.fixture(scope="module")
def separable(tmp_path_factory):
    folder = tmp_path_factory.mktemp("separable-df")
    return {style: synthetic.save(depthwise_nets.separable(0, style), folder, style)
            for style in ("qkeras", "brevitas")}


@pytest.mark.parametrize("style", ["qkeras", "brevitas"])
def test_separable_network_bnn_equals_df(style, separable):
    """`depthwise_nets.separable` lowers whole (conv1 and conv3 are depthwise, thresholds fused)
    and the `df` executor equals the `bnn` one at PE = SIMD = 1, at hand-picked foldings, and at
    the foldings `fold` chooses for two frame rates; the RTL (Verilator) and the C simulation of
    the last equal both."""
    x = depthwise_nets.inputs(16, 1)
    expected = BnnExecutor(run_pipeline(import_onnx(separable[style]), "bnn-streamline")).run(x)
    module = run_pipeline(import_onnx(separable[style]), "bnn-streamline,lower-bnn-to-dataflow")
    graph = graph_of(module)
    vvtus = [op for op in graph.body.block.ops if isinstance(op, df.VvtuOp)]
    assert [op.layer.data for op in vvtus] == ["conv1", "conv3"]
    assert all(op.thresholds is not None for op in vvtus)
    for folding in ({}, {"conv1": Fold(2, 3, 1), "conv3": Fold(4, 9, 2)},
                    {"conv1": Fold(8, 9, 4), "conv3": Fold(1, 1, 8)}):
        refold(graph, folding)
        module.verify()
        assert np.array_equal(BnnExecutor(module).run(x), expected), folding
    for fps in (2000, 50000):
        module = run_pipeline(import_onnx(separable[style]), "bnn-streamline,lower-bnn-to-dataflow,"
                              f"fold{{target-fps={fps}.0 clock-mhz=200.0}},insert-streams,size-fifos")
        assert np.array_equal(BnnExecutor(module).run(x), expected), current_folding(graph_of(module))
    assert np.array_equal(BnnExecutor(module, rtl_simulator="verilator").run(x[:2]), expected[:2]), "rtlsim"
    run_pipeline(module, "lower-dataflow-to-hls")  # the C simulation of the last folding
    assert np.array_equal(BnnExecutor(module).run(x), expected), "csim"


def engine_frames(case: str, x: np.ndarray) -> np.ndarray:
    """The inputs as `df.input` element codes: NHWC frames, bits for a bipolar stream."""
    frames = x.transpose(0, 2, 3, 1).reshape(len(x), -1)
    return (frames > 0).astype(np.int64) if ENGINE_CASES[case][1] == bnn.bipolar else frames


def check_csim(case: str, folds) -> None:
    module, x, _ = engine_case(case, frames=3)
    graph = graph_of(module)
    frames = engine_frames(case, x)
    for fold in folds:
        refold(graph, {"conv0": fold})
        module.verify()
        expected = df_executor.run_graph(graph, frames)
        assert np.array_equal(csim.run_graph(graph, frames), expected), fold


def corner_folds(case: str) -> list[Fold]:
    """PE = SIMD = MMV = 1, everything in parallel, and one folding between."""
    module, _, _ = engine_case(case, frames=1)
    folds = sorted(layer_legal_folds(layer_engines(graph_of(module), "conv0")))
    return [folds[0], folds[len(folds) // 2], folds[-1]]


@pytest.mark.parametrize("case", ENGINE_CASES)
def test_templates_equal_the_df_executor(case):
    """`swu_dw` and `vvtu`/`vvtu_acc` through g++ = the `df` executor, word for word, at three
    foldings of each case (every legal one: the slow test below)."""
    check_csim(case, corner_folds(case))


@pytest.mark.slow
@pytest.mark.parametrize("case", ENGINE_CASES)
def test_templates_equal_the_df_executor_at_every_legal_folding(case):
    module, _, _ = engine_case(case, frames=1)
    check_csim(case, layer_legal_folds(layer_engines(graph_of(module), "conv0")))
