"""The `df` level: lowering, folding and the stream-level executor against the `bnn` executor."""

import numpy as np
import pytest
import synthetic
from conftest import model_path

from bnnc.dialects import df
from bnnc.errors import BnncError
from bnnc.analysis.folding import Fold, current_folding, layer_of, refold
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.driver.pipeline import run_pipeline

# BNN-PYNQ's CNV-w1a1 folding (REFERENCE.md). Its fc8 uses PE 4 on 10 outputs padded to 64;
# bnnc does not pad, so fc8 takes PE 2 here (10 % 4 != 0 is refused, see the test below).
BNN_PYNQ_CNV = {
    "conv0": Fold(16, 3), "conv1": Fold(32, 32), "conv2": Fold(16, 32), "conv3": Fold(16, 32),
    "conv4": Fold(4, 32), "conv5": Fold(1, 32), "fc6": Fold(1, 4), "fc7": Fold(1, 8), "fc8": Fold(2, 1),
}


def lowered(module):
    return run_pipeline(module, "bnn-streamline,lower-bnn-to-dataflow")


def graph_of(module) -> df.GraphOp:
    return next(op for op in module.ops if isinstance(op, df.GraphOp))


def divisors(n: int, limit: int | None = None) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0 and (limit is None or d <= limit)]


def random_folding(graph: df.GraphOp, rng: np.random.Generator, max_mmv: int = 4) -> dict[str, Fold]:
    """A random legal folding: PE | MH, SIMD | MW (and | channels for convs), MMV | pixels."""
    swu_channels = {layer_of(op): op.channels.value.data for op in graph.body.block.ops if isinstance(op, df.SwuOp)}
    folding = {}
    for op in graph.body.block.ops:
        name = layer_of(op)
        if isinstance(op, df.MvtuOp):
            simd_limit = swu_channels.get(name)
            simds = [s for s in divisors(op.mw.value.data) if simd_limit is None or simd_limit % s == 0]
            mmvs = divisors(op.vectors.value.data, max_mmv) if name in swu_channels else [1]
            folding[name] = Fold(
                int(rng.choice(divisors(op.mh.value.data))), int(rng.choice(simds)), int(rng.choice(mmvs))
            )
        elif isinstance(op, df.PoolOp | df.LabelSelectOp):
            size = op.channels.value.data if isinstance(op, df.PoolOp) else op.classes.value.data
            folding[name] = Fold(pe=int(rng.choice(divisors(size))))
    return folding


@pytest.mark.parametrize("name", ["tfc_w1a1.qonnx.onnx", "tfc_w1a1.finn.onnx", "lfc_w1a1.onnx"])
def test_df_equals_bnn_on_mnist(name, mnist_test):
    images, _ = mnist_test
    if "finn" in name:
        images = images * 255
    expected = BnnExecutor(run_pipeline(import_onnx(model_path(name)), "bnn-streamline")).run(images)
    module = lowered(import_onnx(model_path(name)))
    np.testing.assert_array_equal(BnnExecutor(module).run(images), expected)  # PE = SIMD = 1
    refold(graph_of(module), random_folding(graph_of(module), np.random.default_rng(3)))
    module.verify()
    np.testing.assert_array_equal(BnnExecutor(module).run(images), expected)


CNV_CASES = {
    "cnv": lambda: synthetic.cnv(seed=21, gamma_zero=1),
    "cnv-pool-before": lambda: synthetic.cnv(seed=22, pool_order="before", label_select=True),
}


@pytest.mark.parametrize("case", CNV_CASES)
def test_df_equals_bnn_on_synthetic_cnv(case, tmp_path):
    model = CNV_CASES[case]()
    path = synthetic.save(model, tmp_path, case)
    x = synthetic.random_inputs(model, 100, seed=5)
    expected = BnnExecutor(run_pipeline(import_onnx(path), "bnn-streamline")).run(x)
    module = lowered(import_onnx(path))
    graph = graph_of(module)
    foldings = [{}, BNN_PYNQ_CNV, random_folding(graph, np.random.default_rng(8))]
    for folding in foldings:
        refold(graph, folding)
        module.verify()
        np.testing.assert_array_equal(BnnExecutor(module).run(x), expected, err_msg=str(folding))
    assert current_folding(graph)["conv1"] == foldings[-1]["conv1"]


def test_padded_small_cnv_and_sfc_lower_and_agree(tmp_path):
    for name, model in {
        "cnv-padded": synthetic.cnv(seed=23, channels=synthetic.SMALL_CNV, image=16, padding="+1"),
        "sfc": synthetic.mlp(synthetic.SFC, seed=24, label_select=True),
    }.items():
        path = synthetic.save(model, tmp_path, name)
        x = synthetic.random_inputs(model, 50, seed=6)
        expected = BnnExecutor(run_pipeline(import_onnx(path), "bnn-streamline")).run(x)
        module = lowered(import_onnx(path))
        for seed in (1, 2):
            refold(graph_of(module), random_folding(graph_of(module), np.random.default_rng(seed)))
            module.verify()
            np.testing.assert_array_equal(BnnExecutor(module).run(x), expected)


def test_width_converters_appear_where_widths_differ():
    module = lowered(import_onnx(model_path("tfc_w1a1.qonnx.onnx")))
    graph = graph_of(module)
    refold(graph, {"fc0": Fold(pe=16, simd=49), "fc1": Fold(pe=4, simd=8)})
    dwcs = [op for op in graph.body.block.ops if isinstance(op, df.DwcOp)]
    # input 1 -> 49 lanes, fc0 16 -> fc1 8 lanes, fc1 4 -> fc2 1 lane
    assert [(d.input.type.lanes.data, d.output.type.lanes.data) for d in dwcs] == [(1, 49), (16, 8), (4, 1)]
    refold(graph, {"fc0": Fold(), "fc1": Fold()})
    assert not any(isinstance(op, df.DwcOp) for op in graph.body.block.ops)


def test_illegal_folding_names_the_layer_and_the_reason(tmp_path):
    module = lowered(import_onnx(synthetic.save(synthetic.cnv(seed=21), tmp_path, "cnv")))
    with pytest.raises(BnncError, match=r"layer 'fc8': MH = 10 is not divisible by PE = 4"):
        refold(graph_of(module), {"fc8": Fold(pe=4)})
    with pytest.raises(BnncError, match=r"unknown layers \['fc99'\]"):
        refold(graph_of(module), {"fc99": Fold()})
    with pytest.raises(BnncError, match=r"layer 'conv1': 64 channels are not divisible by SIMD = 18"):
        refold(graph_of(module), {"conv1": Fold(simd=18)})


