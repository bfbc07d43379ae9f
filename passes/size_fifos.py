"""`size-fifos`: every FIFO's depth, from the cycle-level model of the folded pipeline.

The model (`bnnc.analysis.fifo_model`) first runs a few frames through unbounded FIFOs: the pipeline's
interval, its bottleneck's pace. Then all FIFOs start at depth 2 and every FIFO that fills up
doubles until the model reaches that interval (unbounded occupancies would only measure how far
the host runs ahead). A FIFO's depth is then the largest number of words it held, rounded by
this rule: at least 2 (a registered handshake); up
to 32 words, the next power of two (a 32-deep shift register costs the same); above, the next
multiple of 32; but never rounded above a whole frame. The model then runs again with those depths and must reach the same interval,
or the pass fails naming the FIFO that slows the pipeline down (or the deadlock). The graph gets
`df.sized`, which makes its verifier reject an unsized FIFO, and `df.fifo_sizing` with the
interval, the latency and the FIFO bits against the naive whole-frame sizing.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, UnitAttr, i64
from xdsl.passes import ModulePass

from bnnc.dialects import df
from bnnc.errors import BnncError
from bnnc.analysis.fifo_model import simulate

MIN_DEPTH = 2
SRL_DEPTH = 32
MAX_ROUNDS = 40


def rounded_depth(occupancy: int, frame_words: int) -> int:
    """The rounding rule of the module docstring, never above a whole frame (or MIN_DEPTH)."""
    depth = max(MIN_DEPTH, occupancy)
    if depth <= SRL_DEPTH:
        rounded = 1 << (depth - 1).bit_length()
    else:
        rounded = -(-depth // SRL_DEPTH) * SRL_DEPTH
    return max(depth, min(rounded, frame_words))


def size_fifos(graph: df.GraphOp) -> DictionaryAttr:
    fifos = [op for op in graph.body.block.ops if isinstance(op, df.FifoOp)]
    if not fifos:
        raise BnncError(f"df.graph @{graph.sym_name.data} has no FIFOs: run insert-streams first")
    target = simulate(graph).interval  # unbounded FIFOs: the bottleneck's pace
    depths = {fifo: MIN_DEPTH for fifo in fifos}
    for _ in range(MAX_ROUNDS):
        timing = simulate(graph, depths)
        if timing.deadlocked:
            raise BnncError("the pipeline deadlocks even with the largest FIFO depths tried")
        if timing.interval <= target:
            break
        full = [f for f in fifos if timing.occupancy.get(f, 0) >= depths[f]]
        if not full:
            raise BnncError(
                f"the pipeline runs at {timing.interval} cycles per frame instead of {target}, "
                "and no FIFO is ever full: the cycle model cannot explain the slowdown"
            )
        for fifo in full:
            depths[fifo] *= 2
    else:
        raise BnncError(f"FIFO sizing did not reach the interval of {target} cycles per frame")
    # No write ever waited on a FIFO holding fewer words than it needed: the largest occupancy,
    # rounded, keeps the same schedule (checked below).
    depths = {
        fifo: rounded_depth(max(timing.occupancy.get(fifo, MIN_DEPTH), MIN_DEPTH), fifo.output.type.words.data)  # type: ignore[attr-defined]
        for fifo in fifos
    }
    bounded = simulate(graph, depths)
    if bounded.deadlocked or bounded.interval > target:
        raise BnncError(
            f"the rounded FIFO depths run at {bounded.interval} cycles per frame, not {target}"
        )
    bits = naive = 0
    for fifo in fifos:
        fifo.depth = IntegerAttr(depths[fifo], i64)
        stream = fifo.output.type
        bits += depths[fifo] * stream.width  # type: ignore[attr-defined]
        naive += stream.words.data * stream.width  # type: ignore[attr-defined]
    summary = DictionaryAttr({
        "interval": IntegerAttr(bounded.interval, i64),
        "latency": IntegerAttr(bounded.latency, i64),
        "fifo_bits": IntegerAttr(bits, i64),
        "whole_frame_bits": IntegerAttr(naive, i64),
    })
    graph.attributes["df.fifo_sizing"] = summary
    graph.attributes["df.sized"] = UnitAttr()
    return summary


@dataclass(frozen=True)
class SizeFifosPass(ModulePass):
    """Size every FIFO of every `df.graph` (see the module docstring)."""

    name = "size-fifos"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        graphs = [g for g in op.ops if isinstance(g, df.GraphOp)]
        if not graphs:
            raise BnncError("size-fifos needs a df.graph: run lower-bnn-to-dataflow first")
        for graph in graphs:
            size_fifos(graph)
