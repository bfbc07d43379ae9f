"""`df.invoke` run by RTL simulation of the generated Verilog (Verilator or Icarus).

The host's `bnn` ops run in the `bnn` executor; the graph's frames go through the simulated
accelerator's AXI-stream ports (`bnnc.runtime.simulators.rtlsim`), and the measured cycles are kept.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import register_impls

from bnnc.dialects import df
from bnnc.runtime.interpreters.df import DfFunctions
from bnnc.runtime.simulators import rtlsim


@register_impls
class RtlsimFunctions(DfFunctions):
    def __init__(self, simulator: str = "verilator") -> None:
        super().__init__()
        self.simulator = simulator
        self.timings: list[rtlsim.RtlTiming] = []

    def run_graph(self, graph: df.GraphOp, frames: np.ndarray) -> np.ndarray:
        module = graph.parent_op()
        assert isinstance(module, ModuleOp)
        outputs, timing = rtlsim.run_rtlsim(module, frames, self.simulator)
        self.timings.append(timing)
        return outputs
