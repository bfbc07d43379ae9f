"""The RTL's cycles against the cycle model: measured interval and latency within 5 % of
`bnnc.analysis.fifo_model.simulate` (the model `size-fifos` sizes the FIFOs with) for every engine kind
and for whole CNV pipelines, and the interval of a one-engine graph equal to the bottleneck of
`bnnc.analysis.cost_model`'s cycles. The sliding window's cost formula (FINN's, on the padded image,
the buffer filled afresh every frame) is an upper bound: the RTL reads the next frame's rows
while it writes the last windows, so in steady state an SWU takes the larger of its input and
output words a frame.

Each graph is compiled as a compile would (`insert-streams,size-fifos`), so the RTL runs with the
FIFO depths the model chose: reaching the model's interval is also the check that those depths
neither deadlock nor slow the pipeline down. The engine cases run on Icarus (a fraction of a
second each), the small CNV on Verilator; the full-size synthetic CNV is `slow`.
"""

from pathlib import Path

import numpy as np
import pytest
import synthetic
from bnnc.dialects import df
from rtl_cases import graph, graph_of, prepare, random_frames, stream
from test_rtl_engines import CASES
from test_rtl_networks import FIX, MAX, compiled, stream_frames

from bnnc.analysis.cost_model import node_cost
from bnnc.devices import load_device
from bnnc.analysis.fifo_model import simulate
from bnnc.runtime.simulators.rtlsim import run_rtlsim

TOLERANCE = 0.05
FRAMES = 4


def fifo_only(rng):  # a FIFO between the AXI converters, nothing else
    s = stream(4, "ui6", 16)
    return graph((64,), s, [f"df.fifo %x : {s} -> {s}"], (64,))


# case -> the engine kind that bounds its interval
TIMED = {
    "mvtu-popcount-thresholds": df.MvtuOp,
    "mvtu-si8-bipolar-weights": df.MvtuOp,
    "mvtu-nbit-weights": df.MvtuOp,
    "conv-mmv2": df.MvtuOp,  # behind an SWU of MMV 2, before a multi-pixel DWC
    "conv-pad+1-stride2-mmv3": df.MvtuOp,
    "swu-int-padding-strides": df.SwuOp,
    "swu-pad-1-mmv2": df.DwcOp,  # SWU of MMV 2, then the multi-pixel DWC, 72 words a frame
    "swu-mmv2-across-rows": df.DwcOp,  # MMV 2 not dividing OW = 3
    "swu-mmv5-spans-three-rows": df.DwcOp,
    "conv-pad-1-stride2-mmv9-across-rows": df.SwuOp,  # one group of 9 pixels a frame
    "conv-mmv2-odd-width": df.MvtuOp,
    "pool-bipolar-2x2": df.PoolOp,
    "pool-ui3-3x3": df.PoolOp,
    "pool-si4-3x3-stride2-overlap": df.PoolOp,
    "pool-bipolar-3x3-stride1-overlap": df.PoolOp,
    "threshold-si8-si2": df.ThresholdOp,
    "label-select-top3-ties": df.LabelSelectOp,
    "dwc-6-to-4": df.DwcOp,
    "dwc-4-to-6": df.DwcOp,
    "fifo": df.FifoOp,
    "vvtu-ui4-si4-mmv2-thresholds": df.DwcOp,  # the input converter (36 words) before the VVTU (18 cycles)
    "vvtu-popcount-whole-window": df.VvtuOp,
    "vvtu-si4-si3-accumulators": df.VvtuOp,
    "swu-depthwise-pe2-simd3-mmv3": df.SwuOp,
    "depthwise-layer-si4-2x3": df.SwuOp,
}
BUILDERS = {**CASES, "fifo": fifo_only}


def pace(op) -> int:
    """The cost model's cycles a frame; for a sliding window, its steady state (see above)."""
    if isinstance(op, df.SwuOp):
        bound = node_cost(op, load_device("zc706")).cycles
        words = max(op.input.type.words.data, op.output.type.words.data)
        assert words <= bound
        return words
    return node_cost(op, load_device("zc706")).cycles


def close(measured: int, modelled: int) -> bool:
    return abs(measured - modelled) <= TOLERANCE * modelled


def model_timing(module, frames: int):
    g = graph_of(module)
    depths = {f: f.depth.value.data for f in g.body.block.ops if isinstance(f, df.FifoOp)}
    return simulate(g, depths, frames=frames)


def check_timing(module, frames: np.ndarray, simulator: str):
    model = model_timing(module, frames.shape[0])
    assert not model.deadlocked
    _, rtl = run_rtlsim(module, frames, simulator=simulator)
    assert rtl.interval is not None
    assert close(rtl.interval, model.interval), (rtl, model)
    assert close(rtl.latency, model.latency), (rtl, model)
    return model, rtl


@pytest.mark.parametrize("case", TIMED)
def test_engine_timing(case):
    rng = np.random.default_rng(sum(map(ord, case)))
    module = prepare(BUILDERS[case](rng))
    model, _ = check_timing(module, random_frames(module, FRAMES, rng), "icarus")
    paces = {op: pace(op) for op in graph_of(module).body.block.ops if isinstance(op, df.ENGINES)}
    assert model.interval == max(paces.values())
    assert model.interval == max(p for op, p in paces.items() if isinstance(op, TIMED[case]))


def test_sized_fifos_run_small_cnv_at_the_model_interval(tmp_path):
    model = synthetic.cnv(seed=3, image=16, padding="-1", channels=synthetic.SMALL_CNV)
    module = compiled(synthetic.save(model, tmp_path, "cnv"), FIX)
    frames = stream_frames(module, synthetic.random_inputs(model, FRAMES, seed=4))
    timing, _ = check_timing(module, frames, "verilator")
    summary = graph_of(module).attributes["df.fifo_sizing"].data
    assert summary["interval"].value.data == timing.interval


@pytest.mark.slow
@pytest.mark.parametrize("folding", [FIX, MAX], ids=["fix9000", "max"])
def test_sized_fifos_run_cnv_at_the_model_interval(folding, tmp_path: Path):
    model = synthetic.cnv(seed=21)
    module = compiled(synthetic.save(model, tmp_path, "cnv"), folding)
    frames = stream_frames(module, synthetic.random_inputs(model, FRAMES, seed=5))
    _, rtl = check_timing(module, frames, "verilator")
    assert rtl.interval == graph_of(module).attributes["df.fifo_sizing"].data["interval"].value.data
