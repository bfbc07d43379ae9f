"""The `bnn` executor's residual ops: the join (`bnn.add`), `bnn.concat`, `bnn.sum_pool` and
`bnn.trunc`, with the value conventions of `bnnc.runtime.interpreters.bnn` (bits for bipolar
tensors, int64 for integers, float64 for reals).

A DAG needs nothing else of the executor: xDSL's interpreter evaluates the function's SSA values
in order, and a value used twice is read twice.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.interpreter import Interpreter, InterpreterFunctions, PythonValues, impl, register_impls
from xdsl.ir import Attribute

from bnnc.dialects import bnn


def _numbers(x: np.ndarray, element: Attribute) -> np.ndarray:
    """Bits as ±1 integers; integers and reals as they are."""
    return 2 * x.astype(np.int64) - 1 if bnn.is_bipolar(element) else x


def _in_result_type(values: np.ndarray, result: Attribute) -> np.ndarray:
    """Integer results as int64, real ones as float64."""
    return values.astype(np.float64) if bnn.is_real(result) else values.astype(np.int64)


@register_impls
class ResidualFunctions(InterpreterFunctions):
    @impl(bnn.AddOp)
    def run_add(self, interpreter: Interpreter, op: bnn.AddOp, args: PythonValues) -> PythonValues:
        lhs = _numbers(args[0], bnn.element_type(op.lhs.type))
        rhs = _numbers(args[1], bnn.element_type(op.rhs.type))
        return (_in_result_type(np.add(lhs, rhs), bnn.element_type(op.output.type)),)

    @impl(bnn.ConcatOp)
    def run_concat(self, interpreter: Interpreter, op: bnn.ConcatOp, args: PythonValues) -> PythonValues:
        result = bnn.element_type(op.output.type)
        if all(bnn.element_type(v.type) == result for v in op.inputs):
            parts = list(args)  # one encoding throughout (bits stay bits)
        else:
            parts = [_numbers(x, bnn.element_type(v.type)) for x, v in zip(args, op.inputs)]
        return (np.concatenate(parts, axis=op.axis.value.data),)

    @impl(bnn.SumPoolOp)
    def run_sum_pool(self, interpreter: Interpreter, op: bnn.SumPoolOp, args: PythonValues) -> PythonValues:
        kh, kw = bnn.array_values(op.kernel)
        sh, sw = bnn.array_values(op.strides)
        x = _numbers(args[0], bnn.element_type(op.input.type))
        x = _in_result_type(x, bnn.element_type(op.output.type))
        if (kh, kw) == x.shape[2:]:  # the global pool: one window
            return (x.sum(axis=(2, 3), keepdims=True),)
        windows = sliding_window_view(x, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
        return (windows.sum(axis=(4, 5)),)

    @impl(bnn.TruncOp)
    def run_trunc(self, interpreter: Interpreter, op: bnn.TruncOp, args: PythonValues) -> PythonValues:
        return (bnn.evaluate_elementwise(op, args[0]),)
