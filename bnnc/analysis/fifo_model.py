"""A cycle-level model of a folded `df.graph`: when every engine reads and writes every word.

Times are the cycles of stream handshakes, as the Verilog library (`bnnc.backends.verilog`)
performs them, for a few consecutive frames. Each engine has a schedule of reads and one of
writes, one word a cycle at most on each side, each word at the earliest cycle its own pace, its
input, its internal buffer and the room in its output allow:

    t[i] = max(t[i−1] + gap[i], constraint[i])

which unrolls to t[i] = G[i] + max over j ≤ i of (constraint[j] − G[j]) with G the running sum of
the gaps: a running maximum, so every schedule is computed with numpy, not word by word. The two
schedules of an engine depend on each other: write j needs input word need[j] read (plus the
engine's pipeline delay), and read i needs room in the engine's buffer, i.e. output word guard[i]
written; they are iterated to their fixed point (`bnnc.semantics.schedules.buffered`).

Each engine's schedule is its op's (`df.EngineOp.word_plan` and `word_schedule`, the paces of
its cycle formula, `cycles`, and the buffers of its Verilog module, each derived in the op's
docstring): the MVTU schedules itself; every other engine gives the dependencies `need` and
`guard` above and `bnnc.semantics.schedules.buffered` iterates them.
The accelerator's AXI-stream ports are width converters too: the host offers one 64-bit AXI
word a cycle (`bnnc.semantics.packing`), an input converter turns them into `df.input` words and an
output converter turns the `df.output` words back into AXI words, which the host always takes.

Streams: through a `df.fifo` of depth D (first word fall through), a word written at cycle t can
be read from t + 1, and the producer writes word j only from the cycle after the consumer read
word j − D. Without a FIFO the handshake is one event: the producer writes when the consumer
reads. The host offers frames back to back, or frame f from cycle f·pace (`pace`).

The schedules are iterated (engine after engine, then again) until nothing moves; `depths=None`
leaves every FIFO unbounded. The FIFO depth an edge needs is its largest occupancy,
written-but-not-read words right after a write. If schedules are still moving after the
iteration cap, the graph is reported as deadlocked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.ir import Operation

from bnnc.dialects import df
from bnnc.dialects.bnn import bit_width
from bnnc.dialects.df.dwc import repack_plan
from bnnc.semantics.packing import elements_per_axi_word
from bnnc.semantics.schedules import MAX_PASSES, WordPlan, buffered

FRAMES = 3  # enough for a linear pipeline to reach its steady state


@dataclass
class Node:
    """An engine of the chain, or one of the AXI converters (`op` None, `lanes` set)."""

    op: Operation | None
    in_words: int
    out_words: int
    lanes: tuple[int, int, int] | None = None  # AXI converters: in lanes, out lanes, elements
    reads: np.ndarray | None = None
    writes: np.ndarray | None = None
    plan: WordPlan | None = None  # built on the first run (None for the MVTU)
    planned: bool = False
    inputs: tuple[np.ndarray, np.ndarray] | None = None  # the arrival and room of the last run

    def run(self, arrival: np.ndarray, room: np.ndarray, frames: int) -> None:
        """Schedule reads and writes (the op's `word_schedule`; the AXI converters are
        `bnnc_repack`s); nothing to do when arrival and room are as last time (most engines
        settle long before the whole pipeline does)."""
        if self.inputs is not None and np.array_equal(self.inputs[0], arrival) \
                and np.array_equal(self.inputs[1], room):
            return
        self.inputs = (arrival, room)
        if not self.planned:
            self.plan = repack_plan(*self.lanes, frames) if self.op is None else self.op.word_plan(frames)  # type: ignore[misc, attr-defined]
            self.planned = True
        if self.op is None:
            self.reads, self.writes = buffered(arrival, room, self.plan)  # type: ignore[arg-type]
        else:
            self.reads, self.writes = self.op.word_schedule(arrival, room, frames, self.plan)  # type: ignore[attr-defined]


@dataclass
class PipelineTiming:
    interval: int  # cycles between frames in steady state
    latency: int  # cycles from a frame's first input word to its last output word
    occupancy: dict[Operation, int]  # the largest occupancy of each FIFO (or edge) by its consumer
    deadlocked: bool = False


def _axi_node(stream: df.StreamType, into: bool) -> Node:
    per_word = elements_per_axi_word(bit_width(stream.element))
    elements, words = stream.elements, stream.words.data
    axi_words = -(-elements // per_word)
    if into:
        return Node(None, axi_words, words, (per_word, stream.lanes.data, elements))
    return Node(None, words, axi_words, (stream.lanes.data, per_word, elements))


def _edges(graph: df.GraphOp) -> tuple[list[Operation | None], list[list[tuple[Operation | None, Operation | None]]]]:
    """The engines in order (None for the two AXI converters, first and last) and, per engine,
    its inputs: (producing engine or None for the input converter, the FIFO between or None)."""
    engines: list[Operation | None] = [None]
    engines += [op for op in graph.body.block.ops if isinstance(op, df.ENGINES) and not isinstance(op, df.FifoOp)]
    engines.append(None)
    inputs: list[list[tuple[Operation | None, Operation | None]]] = [[]]
    for op in [*engines[1:-1], graph.output_op()]:
        edges = []
        for value in op.operands:  # type: ignore[union-attr]
            fifo = value.owner if isinstance(value.owner, df.FifoOp) else None
            source = fifo.input if fifo is not None else value  # type: ignore[union-attr]
            producer = source.owner if isinstance(source.owner, df.ENGINES) else None
            edges.append((producer, fifo))
        inputs.append(edges)
    return engines, inputs


def simulate(
    graph: df.GraphOp,
    depths: dict[Operation, int] | None = None,
    frames: int = FRAMES,
    pace: int | None = None,
    horizon: float | None = None,
) -> PipelineTiming:
    """Run the model; `depths` maps FIFO ops to their depth (None: unbounded FIFOs).

    `pace`: the host offers frame f from cycle f·pace on (one AXI word a cycle); without it, as
    fast as the input converter takes them, which lets unbounded FIFOs in front of the
    bottleneck fill with frames the pipeline cannot take anyway.

    The graph may be a DAG (forks and joins, `df.ForkOp`, `df.JoinOp`): an engine of several
    inputs reads them in lockstep, so a read waits for the latest of their arrivals; one of
    several outputs writes them in lockstep, so a write waits for the latest of their rooms.
    The sweeps are a monotone relaxation: every event only moves later, so on a fork that
    reconverges at a join they settle on the least schedule when one exists. A FIFO too shallow
    for what the other branch holds back has none (a deadlock): its events keep moving later,
    and the run stops when an event passes `horizon` (a caller that knows the unbounded
    schedule passes twice its latency plus frames + 1 intervals: a stall beyond that reads as a
    deadlock too) or after MAX_PASSES sweeps (without a horizon).
    """
    engines, inputs = _edges(graph)
    source, sink = graph.input_op().output.type, graph.output_op().input.type
    nodes = [_axi_node(source, True)]  # type: ignore[arg-type]
    nodes += [Node(op, op.operands[0].type.words.data, op.results[0].type.words.data) for op in engines[1:-1]]  # type: ignore[union-attr]
    nodes.append(_axi_node(sink, False))  # type: ignore[arg-type]
    index_of = {op: i for i, op in enumerate(engines) if op is not None}
    # per node, its inputs (producer index, FIFO) and its outputs (consumer index, FIFO)
    ins = [[(index_of.get(p, 0), f) for p, f in edges] for edges in inputs]  # type: ignore[arg-type]
    outs: list[list[tuple[int, Operation | None]]] = [[] for _ in nodes]
    for consumer, edges in enumerate(ins):
        for producer, fifo in edges:
            outs[producer].append((consumer, fifo))
    if horizon is None:  # only the sweep cap ends a run that does not settle
        horizon = np.inf
    previous = None
    for sweep in range(MAX_PASSES):
        # forward sweeps carry the data, backward ones the back-pressure, each in one sweep
        order = range(len(nodes)) if sweep % 2 == 0 else range(len(nodes) - 1, -1, -1)
        for index in order:
            node = nodes[index]
            if index == 0:
                arrival = np.arange(node.in_words * frames, dtype=float)
                if pace is not None:
                    arrival += np.repeat(np.arange(frames) * pace, node.in_words)
            else:
                arrival = np.full(node.in_words * frames, -np.inf)
                for producer, fifo in ins[index]:
                    arrival = np.maximum(arrival, nodes[producer].writes + (1 if fifo is not None else 0))  # type: ignore[operator]
            room = np.full(node.out_words * frames, -np.inf)
            for consumer, fifo in outs[index]:
                consumer_reads = nodes[consumer].reads
                if consumer_reads is None:
                    continue
                if fifo is None:  # a wire: the write is the consumer's read
                    room = np.maximum(room, consumer_reads)
                elif depths is not None and depths.get(fifo) is not None:
                    depth = depths[fifo]
                    if depth < room.size:
                        room[depth:] = np.maximum(room[depth:], consumer_reads[: room.size - depth] + 1)
            node.run(arrival, room, frames)
        current = np.concatenate([n.writes for n in nodes] + [n.reads for n in nodes])  # type: ignore[misc]
        if current.max() > horizon:
            return PipelineTiming(0, 0, {}, deadlocked=True)
        if sweep % 2 == 1 and previous is not None and np.array_equal(current, previous):
            break
        previous = current
    else:
        return PipelineTiming(0, 0, {}, deadlocked=True)
    last = nodes[-1].writes.reshape(frames, -1)[:, -1]  # type: ignore[union-attr]
    occupancy = {}
    for index, edges in enumerate(ins):
        consumer = nodes[index]
        for producer_index, fifo in edges:
            producer = nodes[producer_index]
            key = fifo or consumer.op
            if key is None:
                continue
            written = np.arange(1, producer.writes.size + 1)  # type: ignore[union-attr]
            # a slot frees the cycle after its word is read, so count reads strictly before the write
            read = np.searchsorted(consumer.reads, producer.writes, side="left")  # type: ignore[arg-type]
            occupancy[key] = max(occupancy.get(key, 0), int((written - read).max()))
    return PipelineTiming(int(last[-1] - last[-2]), int(last[0] + 1), occupancy)
