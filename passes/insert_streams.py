"""`insert-streams`: a width converter wherever words differ, and a FIFO on every edge.

    %w = df.mvtu ...  : ... -> !df.stream<16x!bnn.bipolar, 4>
    %f = df.fifo %w   : !df.stream<16x!bnn.bipolar, 4> -> !df.stream<16x!bnn.bipolar, 4>
    %c = df.dwc %f    : !df.stream<16x!bnn.bipolar, 4> -> !df.stream<8x!bnn.bipolar, 8>

Converters are already there: `refold`, which the lowering and `fold` run, puts one wherever a
producer's words differ from what its consumer reads. This pass gives each engine's input (and
the graph's output) a FIFO of unset depth, after the converter if there is one, which
`size-fifos` sizes; a join gets one on each input (the shortcut's is the FIFO that absorbs what
the other branch holds back). Running the pass twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from bnnc.dialects import df


def insert_fifos(graph: df.GraphOp) -> None:
    for op in list(graph.body.block.ops):
        if isinstance(op, df.FifoOp | df.InputOp | df.DwcOp):
            continue
        if not isinstance(op, df.ENGINES) and not isinstance(op, df.OutputOp):
            continue
        operands = list(op.operands)
        for index, value in enumerate(operands):  # a join has two inputs, each its own FIFO
            if isinstance(value.owner, df.FifoOp):
                continue
            fifo = df.FifoOp.build(operands=[value], result_types=[value.type])
            Rewriter.insert_op(fifo, InsertPoint.before(op))
            operands[index] = fifo.output
        op.operands = operands


@dataclass(frozen=True)
class InsertStreamsPass(ModulePass):
    """Give every stream of every `df.graph` its width converter and an unsized FIFO."""

    name = "insert-streams"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for graph in op.ops:
            if isinstance(graph, df.GraphOp):
                insert_fifos(graph)
