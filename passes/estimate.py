"""`estimate`: annotate every engine and every `df.graph` with the cost model's estimate.

    %m = df.mvtu %in ... {df.estimate = {cycles = 4 : i64, lut = 326 : i64, ff = 117 : i64,
                                         bram18 = 0 : i64, lutram = 8 : i64}, mw = 8 : i64, ...}

Engines get their cycles per frame and resources (`bnnc.analysis.cost_model`); the graph gets the totals,
its initiation interval as `cycles`, `fps` at `clock_mhz`, `latency_cycles` (summed along the
pipeline) and the name of its `bottleneck`. The attributes are discardable: nothing downstream
needs them, and running the pass again replaces them. `report` prints the same numbers without
changing the IR.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import DictionaryAttr, FloatAttr, IntegerAttr, StringAttr, f64, i64
from xdsl.ir import Attribute
from xdsl.passes import ModulePass

from bnnc.analysis.cost_model import Cost, estimate_graph
from bnnc.devices import load_device
from bnnc.dialects import df

ESTIMATE_ATTR = "df.estimate"


def _cost_attrs(cost: Cost) -> dict[str, Attribute]:
    return {
        "cycles": IntegerAttr(cost.cycles, i64),
        "lut": IntegerAttr(cost.lut, i64),
        "ff": IntegerAttr(cost.ff, i64),
        "bram18": IntegerAttr(cost.bram18, i64),
        "lutram": IntegerAttr(cost.lutram, i64),
    }


@dataclass(frozen=True)
class EstimatePass(ModulePass):
    """Annotate the engines and graphs with `df.estimate`.

    Options: `board`, a board name (`zc706`) or the path of a device JSON file; `clock_mhz`,
    the clock that `fps` is computed at. Both default to the graph's target (`df.target_of`).
    """

    name = "estimate"
    board: str | None = None
    clock_mhz: int | float | None = None

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for graph in op.walk():
            if not isinstance(graph, df.GraphOp):
                continue
            target = df.target_of(graph, self.board, self.clock_mhz)
            estimate = estimate_graph(graph, load_device(target.board.data), target.clock)
            for node in estimate.nodes:
                if node.op is None:  # an AXI-stream port: in the totals only
                    continue
                node.op.attributes[ESTIMATE_ATTR] = DictionaryAttr(_cost_attrs(node.cost))
            graph.attributes[ESTIMATE_ATTR] = DictionaryAttr(
                {
                    **_cost_attrs(estimate.total),
                    "fps": FloatAttr(estimate.fps, f64),
                    "latency_cycles": IntegerAttr(estimate.latency_cycles, i64),
                    "bottleneck": StringAttr(estimate.bottleneck),
                    "clock_mhz": FloatAttr(target.clock, f64),
                }
            )
