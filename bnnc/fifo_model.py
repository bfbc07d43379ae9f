"""A cycle-level model of a folded `df.graph`: when every engine reads and writes every word.

Each engine is a schedule of word events, one event a cycle, in its hardware order, for a few
consecutive frames. An event happens at the earliest cycle its own pace, its input and the room
in its output FIFO allow:

    t[i] = max(t[i−1] + gap[i], constraint[i])

which unrolls to t[i] = G[i] + max over j ≤ i of (constraint[j] − G[j]) with G the running sum of
the gaps: a running maximum, so every schedule is computed with numpy, not word by word.

Engines (the same pace as the cost model's cycle formulas):
- MVTU: per group of MMV vectors, SF = MW/SIMD reads (one a cycle), the first output word with
  the last read, then NF − 1 more words SF cycles apart (the input is reused from a buffer):
  NF·SF cycles a group.
- Sliding window: reads one word a cycle, at most KH + SH input rows ahead of the windows it has
  written out; writes one word a cycle once the rows its window needs are in.
- Pool, width converter, threshold, label select: read one word a cycle; write a word a cycle
  once the inputs it depends on are in.
A stream between engines delivers a word one cycle after it is written. A FIFO of depth D lets
the producer write word j only once the consumer has read word j − D. The host offers one input
word a cycle, frames at the pipeline's interval once that is known (`pace`).

Without depth limits the pipeline is feed-forward and one pass gives every schedule; the FIFO
depth an edge needs is its largest occupancy, written-but-not-read words right after a write.
With depths, passes repeat until nothing moves; if schedules are still moving after the
iteration cap, the graph is reported as deadlocked.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.ir import Operation

from bnnc.dialects import df
from bnnc.dialects.bnn import array_values

FRAMES = 3  # enough for a linear pipeline to reach its steady state
MAX_PASSES = 200


def _int(attr) -> int:
    return attr.value.data


def schedule(gaps: np.ndarray, constraints: np.ndarray) -> np.ndarray:
    """t[i] = max(t[i−1] + gaps[i], constraints[i]), t[−1] = −∞, as a running maximum."""
    g = np.cumsum(gaps)
    return g + np.maximum.accumulate(constraints - g)


def _frames(per_frame: np.ndarray, frames: int, words: int) -> np.ndarray:
    """Indices of a per-frame pattern repeated over frames, offset by `words` a frame."""
    return (per_frame[None, :] + words * np.arange(frames)[:, None]).reshape(-1)


@dataclass
class Node:
    op: Operation
    in_words: int
    out_words: int
    reads: np.ndarray | None = None
    writes: np.ndarray | None = None


def _mvtu(op: df.MvtuOp, arrival: np.ndarray, room: np.ndarray, frames: int) -> tuple[np.ndarray, np.ndarray]:
    sf, nf = _int(op.mw) // _int(op.simd), _int(op.mh) // _int(op.pe)
    groups = _int(op.vectors) // _int(op.mmv) * frames
    # events per group: sf reads, then nf writes
    per_group = np.concatenate([np.ones(sf), [0.0], np.full(nf - 1, float(sf))])
    gaps = np.tile(per_group, groups)
    gaps[0] = 0
    is_read = np.tile(np.concatenate([np.ones(sf, bool), np.zeros(nf, bool)]), groups)
    constraint = np.empty(gaps.size)
    constraint[is_read] = arrival
    constraint[~is_read] = room
    times = schedule(gaps, constraint)
    return times[is_read], times[~is_read]


def _need_writes(reads: np.ndarray, need: np.ndarray, room: np.ndarray) -> np.ndarray:
    """Writes one a cycle, each after the read of input word `need[j]` (−1: none)."""
    ready = np.where(need >= 0, reads[np.maximum(need, 0)], -np.inf)
    return schedule(np.ones(need.size), np.maximum(ready, room))


def _swu(op: df.SwuOp, arrival: np.ndarray, room: np.ndarray, frames: int) -> tuple[np.ndarray, np.ndarray]:
    c, simd, mmv = _int(op.channels), _int(op.simd), _int(op.mmv)
    (ih, iw), (oh, ow) = array_values(op.ifm), array_values(op.ofm)
    (kh, kw), (sh, _) = array_values(op.kernel), array_values(op.strides)
    top = array_values(op.pads)[0]
    row_words = iw * c // simd
    in_words, folds = ih * row_words, kh * kw * c // simd
    out_words = oh * ow // mmv * folds
    # write j of output row oy needs padded rows up to oy·SH + KH − 1 (unpadded: − top)
    oy = (np.arange(out_words) // folds * mmv + mmv - 1) // ow
    last_row = np.minimum(oy * sh + kh - 1 - top, ih - 1)
    need = _frames(np.where(last_row >= 0, (last_row + 1) * row_words - 1, -1), frames, in_words)
    need = np.where(np.tile(last_row >= 0, frames), need, -1)
    # read of input row r waits until output row ⌊(r + top − (KH + SH))/SH⌋ is written out
    r = np.arange(in_words) // row_words
    free_row = np.minimum((r + top - (kh + sh)) // sh, oh - 1)
    last_write = (free_row + 1) * (ow // mmv) * folds - 1
    guard = _frames(np.where(free_row >= 0, last_write, -1), frames, out_words)
    guard = np.where(np.tile(free_row >= 0, frames), guard, -1)
    writes = np.full(out_words * frames, -np.inf)
    reads = None
    for _ in range(MAX_PASSES):
        freed = np.where(guard >= 0, writes[np.maximum(guard, 0)] + 1, -np.inf)
        reads = schedule(np.ones(arrival.size), np.maximum(arrival, freed))
        new = _need_writes(reads, need, room)
        if np.array_equal(new, writes):
            break
        writes = new
    return reads, writes  # type: ignore[return-value]


def _simple(op: Operation, arrival: np.ndarray, room: np.ndarray, frames: int, in_words: int,
            out_words: int) -> tuple[np.ndarray, np.ndarray]:
    reads = schedule(np.ones(arrival.size), arrival)
    j = np.arange(out_words)
    if isinstance(op, df.PoolOp):
        (_, iw), (oh, _) = array_values(op.ifm), array_values(op.ofm)
        (kh, _), (sh, _) = array_values(op.kernel), array_values(op.strides)
        row_words = iw * _int(op.channels) // _int(op.pe)
        oy = j // (out_words // oh)
        need = (oy * sh + kh) * row_words - 1
    elif isinstance(op, df.LabelSelectOp):
        need = np.full(out_words, in_words - 1)
    elif isinstance(op, df.DwcOp):
        src, dst = op.input.type, op.output.type
        need = ((j + 1) * dst.lanes.data - 1) // src.lanes.data  # type: ignore[attr-defined]
    else:  # threshold: word for word
        need = j
    return reads, _need_writes(reads, _frames(need, frames, in_words), room)


@dataclass
class PipelineTiming:
    interval: int  # cycles between frames in steady state
    latency: int  # cycles from a frame's first input word to its last output word
    occupancy: dict[Operation, int]  # the largest occupancy of each FIFO (or edge) by its consumer
    deadlocked: bool = False


def simulate(
    graph: df.GraphOp,
    depths: dict[Operation, int] | None = None,
    frames: int = FRAMES,
    pace: int | None = None,
) -> PipelineTiming:
    """Run the model; `depths` maps FIFO ops to their depth (None: unbounded FIFOs).

    `pace`: the host offers frame f from cycle f·pace on (one word a cycle); without it, as
    fast as the first engine reads, which lets unbounded FIFOs in front of the bottleneck fill
    with frames the pipeline cannot take anyway.
    """
    chain: list[Operation] = [op for op in graph.body.block.ops if isinstance(op, df.ENGINES) and not isinstance(op, df.FifoOp)]
    fifo_of: dict[Operation, Operation | None] = {}
    for op in chain:
        producer = op.operands[0].owner
        fifo_of[op] = producer if isinstance(producer, df.FifoOp) else None
    nodes = [Node(op, op.operands[0].type.words.data, op.results[0].type.words.data) for op in chain]  # type: ignore[attr-defined]
    source_words = graph.input_op().output.type.words.data  # type: ignore[attr-defined]
    previous = None
    for _ in range(MAX_PASSES):
        for index, node in enumerate(nodes):
            if index == 0:
                arrival = np.arange(source_words * frames, dtype=float)
                if pace is not None:
                    arrival += np.repeat(np.arange(frames) * pace, source_words)
            else:
                arrival = nodes[index - 1].writes + 1  # type: ignore[operator]
            room = np.full(node.out_words * frames, -np.inf)
            if index + 1 < len(nodes) and depths is not None:
                fifo = fifo_of[nodes[index + 1].op]
                depth = depths.get(fifo) if fifo is not None else None
                consumer_reads = nodes[index + 1].reads
                if depth is not None and consumer_reads is not None and depth < room.size:
                    room[depth:] = consumer_reads[: room.size - depth] + 1
            op = node.op
            if isinstance(op, df.MvtuOp):
                node.reads, node.writes = _mvtu(op, arrival, room, frames)
            elif isinstance(op, df.SwuOp):
                node.reads, node.writes = _swu(op, arrival, room, frames)
            else:
                node.reads, node.writes = _simple(op, arrival, room, frames, node.in_words, node.out_words)
        current = np.concatenate([n.writes for n in nodes])  # type: ignore[misc]
        if depths is None or (previous is not None and np.array_equal(current, previous)):
            break
        previous = current
        if not np.all(np.isfinite(current)):
            break
    else:
        return PipelineTiming(0, 0, {}, deadlocked=True)
    last = nodes[-1].writes.reshape(frames, -1)[:, -1]  # type: ignore[union-attr]
    occupancy = {}
    for producer, consumer in zip(nodes, nodes[1:]):
        written = np.arange(1, producer.writes.size + 1)  # type: ignore[union-attr]
        # a slot frees the cycle after its word is read, so count reads strictly before the write
        read = np.searchsorted(consumer.reads, producer.writes, side="left")  # type: ignore[arg-type]
        occupancy[fifo_of[consumer.op] or consumer.op] = int((written - read).max())
    return PipelineTiming(int(last[-1] - last[-2]), int(last[0] + 1), occupancy)

