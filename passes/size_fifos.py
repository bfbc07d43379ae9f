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

A DAG (a fork whose branches reconverge at a join) sizes the join's input FIFOs first: each
starts at its occupancy in the model with unbounded FIFOs and the host at the pipeline's pace,
the words the fork emits on that branch before the join takes them, which is what the other
branch's engines hold back (a sliding window's rows, the MVTUs' fill). Once the other FIFOs
have their depths, each join input gets the least depth at which the model still runs at the
interval (a bisection, `_least_depth`), not rounded: one word fewer deadlocks the pipeline or
slows it down, and the pass names the join, the FIFO, its depth and the occupancy needed
(`deadlock_error`; `check_depths` checks depths set by hand).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, StringAttr, UnitAttr, i64
from xdsl.ir import Operation
from xdsl.passes import ModulePass

from bnnc.dialects import df
from bnnc.errors import BnncError
from bnnc.analysis.fifo_model import FRAMES, simulate

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


def join_inputs(graph: df.GraphOp) -> dict[Operation, tuple[Operation, int]]:
    """The FIFOs in front of an engine of several inputs (a join), with the engine and the
    input's index: where a fork's branches reconverge."""
    found = {}
    for op in graph.body.block.ops:
        if isinstance(op, df.EngineOp) and len(op.operands) > 1:
            for index, value in enumerate(op.operands):
                if isinstance(value.owner, df.FifoOp):
                    found[value.owner] = (op, index)
    return found


def _name(op: Operation) -> str:
    layer = op.properties.get("layer")
    return layer.data if isinstance(layer, StringAttr) else op.name  # type: ignore[union-attr]


def _branch_engines(join: Operation, index: int) -> list[str]:
    """The layers on the join's other inputs back to the fork they start from (what fills
    while the FIFO on input `index` waits)."""
    names: list[str] = []
    for other, value in enumerate(join.operands):
        if other == index:
            continue
        op = value.owner
        while isinstance(op, df.EngineOp) and len(op.results) == 1 and len(op.operands) == 1:
            if op.properties.get("layer") is not None and _name(op) not in names:
                names.append(_name(op))
            op = op.operands[0].owner
    return list(reversed(names))


def deadlock_error(graph: df.GraphOp, depths: dict[Operation, int], needs: dict[Operation, int],
                   interval: int | None = None, target: int | None = None) -> BnncError:
    """The error of depths the model cannot run at the target interval (a deadlock, or a stall
    when `interval` is given): it names the join and the input FIFO shallower than the
    occupancy the unbounded schedule needed (`needs`), or says no join input is to blame."""
    what = "deadlock" if interval is None else f"stall ({interval} cycles a frame instead of {target})"
    for fifo, (join, index) in join_inputs(graph).items():
        need, depth = needs.get(fifo, 0), depths.get(fifo)
        if depth is not None and depth < need:
            fill = ", ".join(f"'{n}'" for n in _branch_engines(join, index)) or "the other branch"
            suffix = "" if index == 0 else str(index + 1)
            return BnncError(
                f"size-fifos: {what} at join '{_name(join)}': its input FIFO '{_name(join)}.fifo{suffix}' "
                f"of depth {depth} must hold {need:,} words while {fill} fill"
            )
    return BnncError(f"size-fifos: {what}: the pipeline cannot run with these FIFO depths")


def check_depths(graph: df.GraphOp, needs: dict[Operation, int] | None = None) -> None:
    """Run the model with the graph's FIFO depths; raise `deadlock_error` when it deadlocks or
    runs slower than with unbounded FIFOs (a run past `_horizon` reads as a deadlock). `needs`:
    the depths the join inputs need (those `size-fifos` chose), by default their occupancy with
    unbounded FIFOs."""
    fifos = [op for op in graph.body.block.ops if isinstance(op, df.FifoOp)]
    unbounded = simulate(graph)
    target = unbounded.interval
    needs = needs if needs is not None else simulate(graph, pace=target).occupancy
    depths = {f: f.depth_or_default() for f in fifos}
    timing = simulate(graph, depths, horizon=_horizon(unbounded.latency, target))
    if timing.deadlocked:
        raise deadlock_error(graph, depths, needs)
    if timing.interval > target:
        raise deadlock_error(graph, depths, needs, timing.interval, target)


def _horizon(latency: int, interval: int) -> float:
    """When a run with bounded FIFOs is given up (`simulate`'s horizon): twice the unbounded
    latency plus one interval more than the frames need. A run past it is a deadlock, or a
    stall far beyond the interval, which sizing rejects alike."""
    return 2.0 * latency + (FRAMES + 1) * interval


def _least_depth(graph: df.GraphOp, depths: dict[Operation, int], fifo: Operation, target: int,
                 horizon: float) -> int:
    """The least depth of a join's input FIFO at which the model, the other FIFOs as in
    `depths`, neither deadlocks nor runs slower than `target` (a bisection: a deeper FIFO never
    delays an event). Not rounded: one word fewer deadlocks or stalls the pipeline. `horizon`
    ends a run that has gone past any schedule at the target interval (`simulate`)."""
    def runs(depth: int) -> bool:
        timing = simulate(graph, {**depths, fifo: depth}, horizon=horizon)
        return not timing.deadlocked and timing.interval <= target

    lo, hi = MIN_DEPTH - 1, depths[fifo]  # runs(hi); lo is below any depth tried
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if runs(mid):
            hi = mid
        else:
            lo = mid
    return hi


def size_fifos(graph: df.GraphOp) -> DictionaryAttr:
    fifos = [op for op in graph.body.block.ops if isinstance(op, df.FifoOp)]
    if not fifos:
        raise BnncError(f"df.graph @{graph.sym_name.data} has no FIFOs: run insert-streams first")
    target = simulate(graph).interval  # unbounded FIFOs: the bottleneck's pace
    depths = {fifo: MIN_DEPTH for fifo in fifos}
    needs: dict[Operation, int] = {}
    shortcuts = join_inputs(graph)
    if shortcuts:
        # A join's input FIFO holds what the other branch holds back: its occupancy with
        # unbounded FIFOs and the host at the pipeline's pace (not ahead of it).
        needs = simulate(graph, pace=target).occupancy
        for fifo in shortcuts:
            depths[fifo] = max(MIN_DEPTH, needs.get(fifo, MIN_DEPTH))
    for _ in range(MAX_ROUNDS):
        timing = simulate(graph, depths)
        if timing.deadlocked:
            raise deadlock_error(graph, depths, needs)
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
        fifo: depths[fifo] if fifo in shortcuts else
        rounded_depth(max(timing.occupancy.get(fifo, MIN_DEPTH), MIN_DEPTH), fifo.output.type.words.data)  # type: ignore[attr-defined]
        for fifo in fifos
    }
    if shortcuts:
        horizon = _horizon(simulate(graph).latency, target)
        for fifo in shortcuts:
            depths[fifo] = needs[fifo] = _least_depth(graph, depths, fifo, target, horizon)
    bounded = simulate(graph, depths)
    if bounded.deadlocked:
        raise deadlock_error(graph, depths, needs)
    if bounded.interval > target:
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
