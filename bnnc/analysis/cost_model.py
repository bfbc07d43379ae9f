"""The analytical cost model of the `df` engines: cycles per frame and FPGA resources.

Every engine answers for its own cycles and resources (`df.EngineOp.cost`, the derivation of
each formula in the op's docstring, its constants in its op module); this module asks the op,
with the constants of the board's fabric family (`bnnc.analysis.fabric_costs`), costs the
AXI-stream ports, and sums a graph up (`estimate_graph`). Cycles follow the models FINN uses
(REFERENCE.md, "Cycle models"); LUT and BRAM follow FINN-R (REFERENCE.md, "Resource models") with
an XNOR variant for popcount layers; LUT and FF are calibrated against Yosys netlists of the
Verilog library (docs/rtl.md: every configuration of `benchmarks/yosys_calibration.py` within
15 % on 7-series and UltraScale+, FF counted from each engine's registers), and the cycles
against RTL simulation. These are estimates, not Vivado's figures.

The names below are re-exported from the op modules for the callers that read them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.dialects.builtin import IntegerAttr, StringAttr
from xdsl.ir import Operation, SSAValue

from bnnc.analysis.fabric_costs import FABRICS, FabricCosts, fabric_costs
from bnnc.devices import Device
from bnnc.dialects import df
from bnnc.dialects.bnn import bit_width
from bnnc.dialects.df import resources
from bnnc.dialects.df.dwc import (  # noqa: F401  (re-exported)
    REPACK_LUT_PER_MUX_INPUT,
    regroup_cost,
    repack_block,
    repack_cost,
)
from bnnc.dialects.df.fifo import (  # noqa: F401  (re-exported)
    DEFAULT_FIFO_DEPTH,
    FIFO_BASE_LUT,
    FIFO_BRAM_LUT_PER_POINTER_BIT,
    FIFO_LUT_PER_POINTER_BIT,
)
from bnnc.dialects.df.label_select import LABEL_SELECT_MERGE_LUT_PER_BIT  # noqa: F401
from bnnc.dialects.df.mvtu import (  # noqa: F401  (re-exported)
    INT_GROUP,
    LUT_INPUTS,
    MVTU_BASE_LUT,
    POPCOUNT_GROUP,
    TREE_CLOCK_MHZ,
    TREE_LEVEL_NS,
    TREE_RADIX,
    XNOR_LUT_PER_LANE,
    XNOR_TREE_LUT_PER_LANE,
    XNOR_TREE_LUT_PER_LANE_DOUBLING,
    popcount_tree_luts,
    product_luts,
    xnor_tree_lut_per_lane,
)
from bnnc.dialects.df.pool import POOL_BASE_FF, POOL_BASE_LUT, POOL_LUT_PER_INT_BIT  # noqa: F401
from bnnc.dialects.df.resources import (  # noqa: F401  (re-exported)
    BRAM_REMAINDER_MAX_LUTS,
    LUT_OVERHEAD,
    LUTRAM_BITS_PER_LUT,
    LUTRAM_MAX_DEPTH,
    MUX_INPUTS_PER_LUT,
    REGISTERED_LUTRAM_MAX_DEPTH,
    SRL_DEPTH,
    Cost,
    bram18_count,
    memory_cost,
    rom_register_bits,
)
from bnnc.dialects.df.swu import SWU_BASE_FF, SWU_BASE_LUT, SWU_FF_PER_PIXEL, SWU_LUT_PER_PIXEL  # noqa: F401
from bnnc.dialects.df.threshold import THRESHOLD_BASE_LUT, THRESHOLD_LUT_PER_COMPARED_BIT  # noqa: F401
from bnnc.errors import BnncError
from bnnc.semantics.packing import axi_words_per_frame, elements_per_axi_word


def _stream(value: SSAValue) -> df.StreamType:
    assert isinstance(value.type, df.StreamType)
    return value.type


def dual_port_lutram(depth: int, width: int, fabric: FabricCosts = FABRICS["xc7"]) -> int:
    """LUTs of a simple dual-port distributed RAM (`df.resources.dual_port_lutram`)."""
    return resources.dual_port_lutram(depth, width, fabric)


def weight_memory_cost(depth: int, width: int,
                       fabric: FabricCosts = FABRICS["xc7"]) -> tuple[int, int, int]:
    """(BRAM18, LUTRAM LUTs, multiplexer LUTs) of an MVTU's weight ROM
    (`df.resources.weight_memory_cost`)."""
    return resources.weight_memory_cost(depth, width, fabric)


def mvtu_control_ff(op: df.MvtuOp) -> int:
    """`df.MvtuOp.control_ff`."""
    return op.control_ff()


def mvtu_tree(op: df.MvtuOp, clock_mhz: float | None = None) -> tuple[int, int, int]:
    """The MVTU's adder tree (GROUP, RADIX, TREE_STAGES): `df.MvtuOp.adder_tree`."""
    return op.adder_tree(clock_mhz)


def mvtu_uses_dsp(op: df.MvtuOp) -> bool:
    """Whether the MVTU's products go to DSPs on its target board: `df.MvtuOp.uses_dsp`."""
    return op.uses_dsp()


def mvtu_pipeline_depth(op: df.MvtuOp) -> int:
    """`df.MvtuOp.pipeline_depth`."""
    return op.pipeline_depth()


def node_cost(op: Operation, device: Device) -> Cost:
    """The cost of one df engine on `device`: the op's own (`df.EngineOp.cost`)."""
    if not isinstance(op, df.EngineOp):
        raise BnncError(f"no cost model for '{op.name}'")
    return op.cost(device, fabric_costs(device))


def mvtu_cost(op: df.MvtuOp, device: Device) -> Cost:
    return node_cost(op, device)


def dwc_stream_cost(src: df.StreamType, dst: df.StreamType,
                    fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """Data-width converter between one-pixel streams: `repack_cost` of its lanes."""
    return repack_cost(src.lanes.data, dst.lanes.data, src.elements, bit_width(src.element), fabric)


def frame_in_cost(words: int) -> Cost:
    """`bnnc_frame_in`, in front of the input port: a counter of the frame's W AXI words
    (⌈log2 W⌉ bits, its increment and compare: 2 LUTs a bit), the padding and truncated flags
    (TFC, 13 words: 8 LUT, 6 FF in Yosys). Its data select merges into the port's bank loads."""
    bits = max(1, (words - 1).bit_length())
    return Cost(0, 2 * bits, bits + 2, 0, 0)


def input_port_cost(stream: df.StreamType, fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """The AXI-stream input port (`bnnc_repack`): 64-bit AXI words of ⌊64/B⌋ elements
    (`bnnc.semantics.packing`) to the words of `stream`, behind `bnnc_frame_in`
    (`frame_in_cost`)."""
    bits = bit_width(stream.element)
    lanes = elements_per_axi_word(bits)
    repack = repack_cost(lanes, stream.lanes.data, stream.elements, bits, fabric)
    return repack + frame_in_cost(axi_words_per_frame(stream.elements, bits))


def output_port_cost(stream: df.StreamType, fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """The AXI-stream output port (`bnnc_repack`): the words of `stream` to 64-bit AXI words."""
    bits = bit_width(stream.element)
    return repack_cost(stream.lanes.data, elements_per_axi_word(bits), stream.elements, bits, fabric)


# --------------------------------------------------------------------------------------------
# A whole graph


@dataclass(frozen=True)
class NodeEstimate:
    """One engine of a graph: its name (the result's name hint, or `#index` among the engines),
    the `bnn` layer it implements when known, its kind and its folding."""

    name: str
    layer: str | None
    kind: str
    pe: int | None
    simd: int | None
    mmv: int | None
    cost: Cost
    op: Operation | None = field(compare=False, repr=False)  # None for the AXI-stream ports


@dataclass(frozen=True)
class Estimate:
    """The cost of a `df.graph`: per-engine rows and the pipeline's totals.

    `total` sums the resources; its `cycles` are the bottleneck's, the pipeline's initiation
    interval (a new frame every that many cycles).
    """

    graph: str
    device: Device
    clock_mhz: float
    nodes: tuple[NodeEstimate, ...]
    total: Cost
    latency_cycles: int
    bottleneck: str

    @property
    def fps(self) -> float:
        """Frames per second at the clock: f_clk / bottleneck cycles."""
        return self.clock_mhz * 1e6 / self.total.cycles

    @property
    def latency_us(self) -> float:
        return self.latency_cycles / self.clock_mhz

    def utilisation(self) -> dict[str, float]:
        """The share of the device's LUT, FF, BRAM18, LUTRAM and DSP that the graph uses."""
        d, t = self.device, self.total
        return {"lut": t.lut / d.lut, "ff": t.ff / d.ff, "bram18": t.bram18 / d.bram18,
                "lutram": t.lutram / d.lutram, "dsp": t.dsp / d.dsp if d.dsp else 0.0}


def _folding(op: Operation, name: str) -> int | None:
    attr = op.properties.get(name)
    return attr.value.data if isinstance(attr, IntegerAttr) else None


def _layer(op: Operation) -> str | None:
    attr = op.properties.get("layer")
    return attr.data if isinstance(attr, StringAttr) else None


def estimate_graph(graph: df.GraphOp, device: Device, clock_mhz: float) -> Estimate:
    """Cost every engine of `graph`, and the AXI-stream ports around it (`axis_in`,
    `axis_out`), and sum them up into an `Estimate`.

    Latency: a frame's cycles summed along the pipeline, the longest such sum over the paths
    from the input port to the output port (FINN's "sum along the pipeline, not the product");
    for a linear pipeline that is the sum of the node cycles. It is an upper bound: an engine
    starts on the first words of a frame before its producer has finished the frame.
    Bottleneck: the slowest node, an engine rather than a port when they tie.
    """
    if clock_mhz <= 0:
        raise BnncError(f"the clock must be positive, got {clock_mhz} MHz")
    fabric = fabric_costs(device)
    axis_in = input_port_cost(_stream(graph.input_op().output), fabric)
    axis_out = output_port_cost(_stream(graph.output_op().input), fabric)
    nodes: list[NodeEstimate] = [NodeEstimate("axis_in", None, "axis", None, None, None, axis_in, None)]
    # cycles from the frame's start until a value is complete
    finish: dict[SSAValue, int] = {graph.input_op().output: axis_in.cycles}
    for op in graph.body.block.ops:
        if not isinstance(op, df.ENGINES):
            continue
        cost = node_cost(op, device)
        start = max((finish.get(v, 0) for v in op.operands), default=0)
        for result in op.results:
            finish[result] = start + cost.cycles
        name = op.results[0].name_hint or f"#{len(nodes) - 1}"
        folding = [_folding(op, p) for p in ("pe", "simd", "mmv")]
        nodes.append(NodeEstimate(name, _layer(op), op.name.removeprefix("df."), *folding, cost, op))
    nodes.append(NodeEstimate("axis_out", None, "axis", None, None, None, axis_out, None))
    total = sum((n.cost for n in nodes), Cost(0, 0, 0, 0, 0))
    slowest = max(nodes, key=lambda n: (n.cost.cycles, n.op is not None))  # the first of equals
    total = Cost(slowest.cost.cycles, total.lut, total.ff, total.bram18, total.lutram, total.dsp)
    latency = finish[graph.output_op().input] + axis_out.cycles
    return Estimate(graph.sym_name.data, device, clock_mhz, tuple(nodes), total, latency, slowest.name)
