"""Stream insertion and FIFO sizing: intervals, depths, the sized verifier, shallow FIFOs."""

import numpy as np
import pytest
from conftest import model_path
from xdsl.utils.exceptions import VerifyException

from bnnc.analysis.cost_model import estimate_graph
from bnnc.devices import load_device
from bnnc.dialects import df
from bnnc.analysis.fifo_model import simulate
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.passes.insert_streams import insert_fifos
from bnnc.driver.pipeline import run_pipeline

NETWORKS = ["tfc_w1a1.qonnx.onnx", "sfc_w1a1_random.qonnx.onnx", "lfc_w1a1.onnx", "cnv_w1a1_random.qonnx.onnx"]
FOLDS = {"fix": "fold{target-fps=9000}", "max": "fold{max=true}"}


def sized(name: str, fold: str):
    module = run_pipeline(
        import_onnx(model_path(name)), f"bnn-streamline,lower-bnn-to-dataflow,{fold},insert-streams,size-fifos"
    )
    return module, next(op for op in module.ops if isinstance(op, df.GraphOp))


@pytest.mark.parametrize("scenario", FOLDS)
@pytest.mark.parametrize("name", NETWORKS)
def test_sized_pipeline_runs_at_the_bottleneck(name, scenario):
    module, graph = sized(name, FOLDS[scenario])
    nodes = estimate_graph(graph, load_device("zc706"), 200.0).nodes
    bottleneck = max(n.cost.cycles for n in nodes)
    # a sliding window's cost formula (FINN's) is an upper bound: in steady state it takes the
    # larger of its input and output words a frame (test_rtl_timing.py)
    paces = [max(n.op.operands[0].type.words.data, n.op.results[0].type.words.data)
             if isinstance(n.op, df.SwuOp) else n.cost.cycles for n in nodes]
    slowest = max(nodes, key=lambda n: n.cost.cycles)
    summary = graph.attributes["df.fifo_sizing"].data
    interval = summary["interval"].value.data
    if isinstance(slowest.op, df.SwuOp):
        assert max(paces) <= interval <= bottleneck
        bottleneck = interval
    assert interval == bottleneck
    fifos = [op for op in graph.body.block.ops if isinstance(op, df.FifoOp)]
    engines = [op for op in graph.body.block.ops if isinstance(op, df.ENGINES) and not isinstance(op, df.FifoOp | df.DwcOp)]
    assert len(fifos) >= len(engines) and all(f.depth is not None and f.depth.value.data >= 2 for f in fifos)
    depths = {f: f.depth.value.data for f in fifos}
    assert simulate(graph, depths).interval == bottleneck


def test_a_too_shallow_fifo_shows_as_a_slowdown():
    _, graph = sized("cnv_w1a1_random.qonnx.onnx", FOLDS["max"])
    fifos = [op for op in graph.body.block.ops if isinstance(op, df.FifoOp)]
    depths = {f: f.depth.value.data for f in fifos}
    interval = simulate(graph, depths).interval
    deepest = max(fifos, key=lambda f: depths[f])
    shallow = simulate(graph, {**depths, deepest: 1})
    assert shallow.deadlocked or shallow.interval > interval


def test_sized_graph_rejects_an_unsized_fifo():
    module, graph = sized("tfc_w1a1.qonnx.onnx", FOLDS["fix"])
    module.verify()
    fifo = next(op for op in graph.body.block.ops if isinstance(op, df.FifoOp))
    del fifo.properties["depth"]
    with pytest.raises(VerifyException, match=r"sized \(df.sized\) but 1 FIFO\(s\) have no depth"):
        module.verify()


def test_insert_streams_is_idempotent_and_keeps_results(mnist_test):
    images, _ = mnist_test
    images = images[:1000]
    expected = BnnExecutor(run_pipeline(import_onnx(model_path("tfc_w1a1.qonnx.onnx")), "bnn-streamline")).run(images)
    module, graph = sized("tfc_w1a1.qonnx.onnx", FOLDS["max"])
    count = sum(isinstance(op, df.FifoOp) for op in graph.body.block.ops)
    insert_fifos(graph)
    assert sum(isinstance(op, df.FifoOp) for op in graph.body.block.ops) == count
    np.testing.assert_array_equal(BnnExecutor(module).run(images), expected)


def test_sizing_is_not_whole_frames_on_cnv():
    _, graph = sized("cnv_w1a1_random.qonnx.onnx", FOLDS["fix"])
    summary = graph.attributes["df.fifo_sizing"].data
    # a fifth at most (159,136 against 1,039,812 bits at this folding, whose sliding windows
    # read their rows in bursts that the FIFOs in front of them absorb)
    assert summary["fifo_bits"].value.data * 5 < summary["whole_frame_bits"].value.data




def test_multi_pixel_designs_with_fifos_stay_bit_exact(tmp_path):
    import synthetic

    for name, model in {
        "cnv-small-before": synthetic.cnv(seed=4, channels=synthetic.SMALL_CNV, pool_order="before"),
        "cnv-padded": synthetic.cnv(seed=1, channels=synthetic.SMALL_CNV, image=16, padding="-1"),
    }.items():
        path = synthetic.save(model, tmp_path, name)
        x = synthetic.random_inputs(model, 8, seed=2)
        expected = BnnExecutor(run_pipeline(import_onnx(path), "bnn-streamline")).run(x)
        module = run_pipeline(
            import_onnx(path), "bnn-streamline,lower-bnn-to-dataflow,fold{max=true},insert-streams,size-fifos"
        )
        module.verify()
        np.testing.assert_array_equal(BnnExecutor(module).run(x), expected, err_msg=name)


def test_fold_after_sizing_drops_fifos_and_sizing(rng):
    module = run_pipeline(
        import_onnx(model_path("cnv_w1a1_random.qonnx.onnx")),
        "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=9000},insert-streams,size-fifos,fold{max=true}",
    )
    graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
    assert "df.sized" not in graph.attributes and "df.fifo_sizing" not in graph.attributes
    assert not any(isinstance(op, df.FifoOp) for op in graph.body.block.ops)
    x = rng.uniform(0, 1, (2, 3, 32, 32)).astype("float32")
    expected = BnnExecutor(run_pipeline(import_onnx(model_path("cnv_w1a1_random.qonnx.onnx")), "bnn-streamline")).run(x)
    run_pipeline(module, "insert-streams,size-fifos")
    np.testing.assert_array_equal(BnnExecutor(module).run(x), expected)
