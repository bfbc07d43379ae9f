"""`prepare-for-emission`: record on the `df` graph every hardware decision the emitters need.

CIRCT's `PrepareForEmission` is the model: the HLS lowering and the Verilog emitter print what
this pass decided and decide nothing themselves, so the C++ and the RTL cannot disagree on a
width or a memory. Per engine:

    df.mvtu       products        `lut` or `dsp`: where the lanes multiply, against the target
                                  board's LUTs per DSP (`df.MvtuOp.uses_dsp`)
                  tree            the adder tree's (GROUP, RADIX) at the target clock
                                  (`df.MvtuOp.adder_tree`)
                  acc_type        the accumulator's type, which the thresholds share
                  weight_storage  `lutram` or `bram`, the cost model's rule for its depth
    df.threshold  compare_type    the type inputs and thresholds are compared in

The pass is idempotent and changes no stream; the emitters run it on a graph that has not been
prepared (as CIRCT's ExportVerilog prepares a module itself), so its decisions are the only ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import IntegerType, Signedness, StringAttr
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from bnnc.devices import load_device
from bnnc.dialects import df
from bnnc.dialects.df.resources import LUTRAM_MAX_DEPTH
from bnnc.dialects.bnn import bit_width, signed_bits, value_range


def accumulator_type(op: df.MvtuOp) -> IntegerType:
    """The MVTU's accumulator type: signed, wide enough for every reachable sum and for the
    thresholds clamped into [lo, hi + 1] of that range (x ≥ T is unchanged by the clamp), and
    never narrower than an input or a weight plus a sign bit (each lane's product is formed in it)
    or the output element (an MVTU without thresholds passes the accumulator on)."""
    lo, hi = op.accumulator_range()
    in_bits, w_bits = bit_width(op.input.type.element), bit_width(op.weight_type)  # type: ignore[attr-defined]
    out_bits = bit_width(op.output.type.element)  # type: ignore[attr-defined]
    return IntegerType(max(signed_bits(lo, hi + 1), in_bits + 1, w_bits + 1, out_bits), Signedness.SIGNED)


def compare_type(op: df.ThresholdOp) -> IntegerType:
    """A threshold unit's comparison type: signed, holding the input's range and one more (the
    clamped thresholds), and the input's codes with a sign bit."""
    element = op.input.type.element  # type: ignore[attr-defined]
    lo, hi = value_range(element)
    return IntegerType(max(signed_bits(lo, hi + 1), bit_width(element) + 1), Signedness.SIGNED)


def weight_storage(op: df.MvtuOp) -> str:
    """LUTRAM for a weight memory of at most LUTRAM_MAX_DEPTH words (NF·SF), else BRAM: the cost
    model's rule (`df.resources.memory_cost`)."""
    return "lutram" if op.neuron_folds * op.synapse_folds <= LUTRAM_MAX_DEPTH else "bram"


def prepare_engine(op: Operation) -> None:
    """Record the decisions on one engine (those already recorded are kept), for the target of
    its graph (the default board at its own clock for an engine outside a graph)."""
    if isinstance(op, df.MvtuOp):
        if op.products is None or op.tree is None:
            graph = op.parent_op()
            if isinstance(graph, df.GraphOp):
                target = df.target_of(graph)
                op.record_structure(target.clock, load_device(target.board.data))
            else:
                op.record_structure(None, load_device(df.target_for().board.data))
        if op.acc_type is None:
            op.acc_type = accumulator_type(op)
        if op.weight_storage is None:
            op.weight_storage = StringAttr(weight_storage(op))
    elif isinstance(op, df.ThresholdOp) and op.compare_type is None:
        op.compare_type = compare_type(op)


def prepare_graph(graph: df.GraphOp) -> None:
    """Record the decisions on every engine of `graph` (those already recorded are kept)."""
    for op in graph.body.block.ops:
        prepare_engine(op)


def is_prepared(graph: df.GraphOp) -> bool:
    return all(
        (op.acc_type is not None and op.weight_storage is not None and op.products is not None
         and op.tree is not None) if isinstance(op, df.MvtuOp)
        else op.compare_type is not None if isinstance(op, df.ThresholdOp) else True
        for op in graph.body.block.ops
    )


@dataclass(frozen=True)
class PrepareForEmissionPass(ModulePass):
    """Record the emitters' decisions on every `df.graph` (see the module docstring)."""

    name = "prepare-for-emission"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for graph in op.walk():
            if isinstance(graph, df.GraphOp):
                prepare_graph(graph)
