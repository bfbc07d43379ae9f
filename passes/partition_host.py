"""`partition-host`: record which ops run on the host, around the accelerator.

The accelerator computes on bits and integers; real-valued work stays on the host: the input
quantizer in front (an affine map and a sign or quantize of the real input) and the
post-processing behind (the last layer's per-class affine that reports scores in the model's
units, a label select on those scores). An op runs on the host exactly when it reads or produces
real values; it gets the discardable attribute `bnnc.placement = "host"`.

`hardware_form_problems` says whether a module is in the hardware form the lowering to `df`
expects: host ops only before the first and after the last accelerator op.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from bnnc.dialects import bnn

PLACEMENT = "bnnc.placement"


def runs_on_host(op: Operation) -> bool:
    values = [*op.operands, *op.results]
    return any(bnn.is_real(bnn.element_type(v.type)) for v in values)


def hardware_form_problems(module: builtin.ModuleOp) -> list[str]:
    """Why the module is not in hardware form, or nothing when it is."""
    problems = []
    for function in module.ops:
        if not isinstance(function, func.FuncOp):
            continue
        ops = [op for op in function.body.ops if not isinstance(op, func.ReturnOp)]
        device = [i for i, op in enumerate(ops) if not runs_on_host(op)]
        if not device:
            problems.append(f"@{function.sym_name.data} has no op that can run on the accelerator")
            continue
        for op in ops[device[0] : device[-1] + 1]:
            if runs_on_host(op):
                problems.append(
                    f"'{op.name}' computes on real values between accelerator layers "
                    f"({', '.join(str(v.type) for v in op.operands)}): it was not fused into "
                    "a threshold"
                )
        for op in ops:
            if isinstance(op, bnn.ThresholdOp) and not runs_on_host(op):
                continue
            if isinstance(op, bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp) and bnn.is_bipolar(
                bnn.element_type(op.input.type)
            ) and bnn.is_bipolar(op.weight_type) and op.popcount is None:
                problems.append(f"'{op.name}' is a bipolar dot product, not lowered to a popcount")
            if isinstance(op, bnn.MaxPoolOp) and pools_accumulators(op) and not runs_on_host(op):
                problems.append("'bnn.maxpool' pools accumulators before a threshold, not bits "
                                "or n-bit activations")
    return problems


def pools_accumulators(pool: bnn.MaxPoolOp) -> bool:
    """A pool of a layer's integer accumulators (through other pools), which `reorder-pooling`
    should have put behind the threshold. Bits and n-bit activations (a threshold's output)
    pool as they are: max commutes with a non-decreasing threshold."""
    value = pool.input
    while isinstance(value.owner, bnn.MaxPoolOp):
        value = value.owner.input
    if bnn.is_bipolar(bnn.element_type(value.type)):
        return False
    return isinstance(value.owner, bnn.DenseOp | bnn.Conv2dOp | bnn.DepthwiseConv2dOp)


@dataclass(frozen=True)
class PartitionHostPass(ModulePass):
    """Mark the ops that run on the host with `bnnc.placement = "host"`."""

    name = "partition-host"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for inner in op.walk():
            if inner.dialect_name() == "bnn" and runs_on_host(inner):
                inner.attributes[PLACEMENT] = StringAttr("host")
