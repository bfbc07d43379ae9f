"""`hls.invoke` for xDSL's interpreter: the accelerator run as the C simulation of its C++.

The host's `bnn` ops run in the `bnn` executor as always; at `hls.invoke` the batch is packed
into AXI words (`bnnc.semantics.packing.to_axi_words`, the code the board driver uses too), streamed
through the compiled top, and the output words are unpacked into a tensor, as `df.invoke` does
with the `df` executor's streams.
"""

from __future__ import annotations

import time

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues, impl, register_impls
from xdsl.traits import SymbolTable

from bnnc.dialects import bnn, hls
from bnnc.errors import BnncError
from bnnc.runtime.simulators import csim


def _module(op) -> ModuleOp:
    while not isinstance(op, ModuleOp):
        op = op.parent_op()
    return op


@register_impls
class HlsFunctions(InterpreterFunctions):
    """Runs `hls.invoke` by C simulation; binaries are built once per module (and cached)."""

    def __init__(self) -> None:
        super().__init__()
        self.binaries: dict[str, csim.CsimBinary] = {}
        self.compile_seconds = 0.0
        self.run_seconds = 0.0  # in the C simulation (packing and unpacking included)

    def binary(self, top: hls.TopOp) -> csim.CsimBinary:
        name = top.sym_name.data
        if name not in self.binaries:
            from bnnc.backends.hls_cpp.project import project_files

            binary, _ = csim.build(project_files(_module(top)))
            self.binaries[name] = binary
            self.compile_seconds += binary.compile_seconds
        return self.binaries[name]

    @impl(hls.InvokeOp)
    def run_invoke(self, interpreter: Interpreter, op: hls.InvokeOp, args: PythonValues) -> PythonValues:
        top = SymbolTable.lookup_symbol(op, op.callee)
        if not isinstance(top, hls.TopOp):
            raise BnncError(f"hls.invoke: no hls.top named {op.callee}")
        if args[0].shape[0] == 0:  # an empty batch: nothing to simulate, an empty output
            from bnnc.runtime.interpreters.df import empty_output

            return (empty_output(op.outputs[0].type, np.uint8),)
        binary = self.binary(top)  # compiled on the first call
        start = time.perf_counter()
        x = args[0]
        if x.ndim == 4:
            x = x.transpose(0, 2, 3, 1)  # NCHW tensor -> NHWC stream order
        out = csim.run_frames(binary, top, x.reshape(x.shape[0], -1))
        shape = bnn.shape_of(op.outputs[0].type)
        if len(shape) == 4:
            _, c, h, w = shape
            out = out.reshape(-1, h, w, c).transpose(0, 3, 1, 2)
        out = out.reshape((-1, *shape[1:]))
        self.run_seconds += time.perf_counter() - start
        return (out.astype(np.uint8) if bnn.is_bipolar(bnn.element_type(op.outputs[0].type)) else out,)
