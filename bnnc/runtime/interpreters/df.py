"""The stream-level semantics of the `df` dialect: a `df.graph` run word by word, frame-batched.

A stream value is an array (N, words, lanes) of element codes (bits as uint8 for bipolar
streams, int64 for integers): exactly the words the hardware moves, unpacked into lanes, for N
frames at once. Each engine reads and writes words in its hardware order, so running a folded
graph checks the stream packing, the MMV pixel grouping, the sliding-window order and the
weight memory layout that the HLS and Verilog backends emit (`df.MvtuOp.weight_memory`). Each
engine's semantics is its op's (`df.EngineOp.execute`); this module runs the graph and the host's
`df.invoke`.
"""

from __future__ import annotations

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues, impl, register_impls
from xdsl.ir import SSAValue
from xdsl.traits import SymbolTable

from bnnc.dialects import bnn, df
from bnnc.errors import BnncError


def run_graph(graph: df.GraphOp, frames: np.ndarray) -> np.ndarray:
    """Frames (N, elements in stream order) in, output frames (N, elements) out."""
    values: dict[SSAValue, np.ndarray] = {}
    for op in graph.body.block.ops:
        if isinstance(op, df.InputOp):
            stream = op.output.type
            values[op.output] = frames.reshape(frames.shape[0], stream.words.data, stream.lanes.data)
        elif isinstance(op, df.OutputOp):
            x = values[op.input]
            return x.reshape(x.shape[0], -1)
        else:  # ops in order are a topological order of the DAG (forks, joins) as of a chain
            out = op.execute(*(values[v] for v in op.operands))  # type: ignore[attr-defined]
            for result, words in zip(op.results, out if isinstance(out, tuple) else (out,)):
                values[result] = words
    raise BnncError(f"df.graph @{graph.sym_name.data} has no df.output")


def empty_output(tensor_type, bipolar_dtype) -> np.ndarray:
    """The output of an accelerator call on an empty batch: no frame, the tensor's other
    dimensions, and the element type a call on frames gives (bits as `bipolar_dtype`)."""
    dtype = bipolar_dtype if bnn.is_bipolar(bnn.element_type(tensor_type)) else np.int64
    return np.zeros((0, *bnn.shape_of(tensor_type)[1:]), dtype=dtype)


@register_impls
class DfFunctions(InterpreterFunctions):
    """`df.invoke`: the graph run by the stream-level executor (subclasses run it elsewhere)."""

    def run_graph(self, graph: df.GraphOp, frames: np.ndarray) -> np.ndarray:
        return run_graph(graph, frames)

    @impl(df.InvokeOp)
    def run_invoke(self, interpreter: Interpreter, op: df.InvokeOp, args: PythonValues) -> PythonValues:
        graph = SymbolTable.lookup_symbol(op, op.callee)
        if not isinstance(graph, df.GraphOp):
            raise BnncError(f"df.invoke: no df.graph named {op.callee}")
        x = args[0]
        shape = bnn.shape_of(op.outputs[0].type)
        if x.shape[0] == 0:  # an empty batch: no frame to stream, an empty output
            return (empty_output(op.outputs[0].type, np.uint8),)
        if x.ndim == 4:
            x = x.transpose(0, 2, 3, 1)  # NCHW tensor -> NHWC stream order
        out = self.run_graph(graph, x.reshape(x.shape[0], -1))
        if len(shape) == 4:
            _, c, h, w = shape
            out = out.reshape(-1, h, w, c).transpose(0, 3, 1, 2)
        out = out.reshape((-1, *shape[1:]))
        return (out if bnn.is_bipolar(bnn.element_type(op.outputs[0].type)) else out.astype(np.int64),)

