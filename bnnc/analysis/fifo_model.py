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
written; they are iterated to their fixed point (`_buffered`).

Engines (the paces of the cost model's cycle formulas, the buffers of the RTL):
- MVTU: per group of MMV vectors, SF = MW/SIMD reads (one a cycle), the first output word with
  the last read, then NF − 1 more words SF cycles apart (the input is reused from a buffer):
  NF·SF cycles a group. A word leaves `mvtu_pipeline_depth` cycles after its last tile (weight
  read, the RAM's output register, the adder tree's stages, accumulate, threshold); the
  pipeline stalls as a whole while its output word waits.
- Sliding window: a buffer of ROWS = KH + SH input rows (more when MMV does not divide OW and a
  word's pixels span several output rows: `df.SwuOp.buffer_rows`), numbered across frames: input row r
  waits until the output row that last needs row r − ROWS has been written out (for the first
  rows of a frame, a row of the previous frame); a word is written one a cycle, 2 cycles after
  the last input row its window needs (its last pixel's) is in (the row counter, the registered
  buffer read).
- Pool and threshold: a word leaves the cycle after the input word that completes it (the
  pool's window, exactly: its last row, column and channel fold); one output register, so the
  next read waits until the previous output word has left.
- Label select: reads a frame's words one a cycle, the last one only once the K indices of
  the frame `label_select_frames` before it have all left; the indices leave one a cycle from
  `label_select_pipeline_depth` cycles after the last read (its lanes, the merge of their
  lists, the output register), or from the cycle after the previous frame's last index.
- Width converter of one-pixel streams (`bnnc_repack`): two banks of a block of elements
  (`bnnc.analysis.cost_model.repack_block`); a word leaves the cycle after the input word that completes
  it, and a block's first input word is taken from the cycle after the block two before it (the
  bank's previous one) has given its last output word.
- Width converter of multi-pixel streams (`bnnc_regroup`): two banks of lcm(MMV in, MMV out)
  pixels; a bank's words leave from the cycle after its last input word, and a bank is refilled
  from the cycle after its last output word.
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

import math
from dataclasses import dataclass

import numpy as np
from xdsl.ir import Operation

from bnnc.analysis.cost_model import (label_select_frames, label_select_pipeline_depth, mvtu_pipeline_depth,
                                      repack_block)
from bnnc.dialects import df
from bnnc.dialects.bnn import array_values, bit_width
from bnnc.semantics.packing import elements_per_axi_word

FRAMES = 3  # enough for a linear pipeline to reach its steady state
MAX_PASSES = 400
SWU_DELAY = 4  # cycles from reading the last row a window needs to writing the window


def _int(attr) -> int:
    return attr.value.data


def schedule(gaps: np.ndarray, constraints: np.ndarray) -> np.ndarray:
    """t[i] = max(t[i−1] + gaps[i], constraints[i]), t[−1] = −∞, as a running maximum."""
    g = np.cumsum(gaps)
    return g + np.maximum.accumulate(constraints - g)


def _frames(per_frame: np.ndarray, frames: int, words: int) -> np.ndarray:
    """Indices of a per-frame pattern repeated over frames, offset by `words` a frame; −1 (no
    dependency) stays −1."""
    out = per_frame[None, :] + words * np.arange(frames)[:, None]
    return np.where(per_frame[None, :] >= 0, out, -1).reshape(-1)


def _at(times: np.ndarray, index: np.ndarray, delay: int) -> np.ndarray:
    """times[index] + delay, −∞ where index is −1."""
    return np.where(index >= 0, times[np.maximum(index, 0)] + delay, -np.inf)


def _buffered(arrival: np.ndarray, room: np.ndarray, need: np.ndarray, need_delay: int,
              guard: np.ndarray, guard_delay: int) -> tuple[np.ndarray, np.ndarray]:
    """Reads and writes one a cycle: write j from `need_delay` cycles after the read of input
    word need[j], read i from `guard_delay` cycles after the write of output word guard[i]
    (−1: no such dependency), iterated to the fixed point."""
    writes = np.full(need.size, -np.inf)
    reads = arrival
    for _ in range(MAX_PASSES):
        reads = schedule(np.ones(arrival.size), np.maximum(arrival, _at(writes, guard, guard_delay)))
        # a write that needs no read (a window of padding alone) leaves as if the reset were a
        # read at cycle −1
        ready = np.maximum(np.maximum(_at(reads, need, need_delay), room), need_delay - 1.0)
        new = schedule(np.ones(need.size), ready)
        if np.array_equal(new, writes):
            break
        writes = new
    return reads, writes


@dataclass
class Plan:
    """The dependencies of a buffered engine (`_buffered`), fixed by its parameters alone."""

    need: np.ndarray
    need_delay: int
    guard: np.ndarray
    guard_delay: int


@dataclass
class Node:
    """An engine of the chain, or one of the AXI converters (`op` None, `lanes` set)."""

    op: Operation | None
    in_words: int
    out_words: int
    lanes: tuple[int, int, int] | None = None  # AXI converters: in lanes, out lanes, elements
    reads: np.ndarray | None = None
    writes: np.ndarray | None = None
    plan: Plan | None = None  # built on the first run
    inputs: tuple[np.ndarray, np.ndarray] | None = None  # the arrival and room of the last run

    def run(self, arrival: np.ndarray, room: np.ndarray, frames: int) -> None:
        """Schedule reads and writes; nothing to do when arrival and room are as last time
        (most engines settle long before the whole pipeline does)."""
        if self.inputs is not None and np.array_equal(self.inputs[0], arrival) \
                and np.array_equal(self.inputs[1], room):
            return
        self.inputs = (arrival, room)
        if isinstance(self.op, df.MvtuOp):
            self.reads, self.writes = _mvtu(self.op, arrival, room, frames)
            return
        if self.plan is None:
            self.plan = _swu(self.op, frames) if isinstance(self.op, df.SwuOp) else _simple(self, frames)
        p = self.plan
        self.reads, self.writes = _buffered(arrival, room, p.need, p.need_delay, p.guard, p.guard_delay)


def _mvtu(op: df.MvtuOp, arrival: np.ndarray, room: np.ndarray, frames: int) -> tuple[np.ndarray, np.ndarray]:
    sf, nf = _int(op.mw) // _int(op.simd), _int(op.mh) // _int(op.pe)
    groups = _int(op.vectors) // _int(op.mmv) * frames
    # events per group: sf reads, then nf writes (at their last tile)
    per_group = np.concatenate([np.ones(sf), [0.0], np.full(nf - 1, float(sf))])
    gaps = np.tile(per_group, groups)
    gaps[0] = 0
    is_read = np.tile(np.concatenate([np.ones(sf, bool), np.zeros(nf, bool)]), groups)
    constraint = np.empty(gaps.size)
    constraint[is_read] = arrival
    delay = mvtu_pipeline_depth(op)
    constraint[~is_read] = room - delay
    times = schedule(gaps, constraint)
    return times[is_read], times[~is_read] + delay


def _swu(op: df.SwuOp, frames: int) -> Plan:
    c, simd, mmv = _int(op.channels), _int(op.simd), _int(op.mmv)
    (ih, iw), (oh, ow) = array_values(op.ifm), array_values(op.ofm)
    (kh, kw), (sh, _) = array_values(op.kernel), array_values(op.strides)
    top = array_values(op.pads)[0]
    rows = op.buffer_rows()
    row_words = iw * c // simd
    in_words, folds = ih * row_words, kh * kw * c // simd
    out_words = oh * ow * folds // mmv
    # write j (its group's last pixel in output row oy) needs input rows up to oy·SH − top + KH − 1
    oy = (np.arange(out_words) // folds * mmv + mmv - 1) // ow
    last_row = np.minimum(oy * sh + kh - 1 - top, ih - 1)
    # a window that lies in the top padding needs none of its frame's rows, but as the RTL counts
    # rows (rows_in >= frame_base), it waits for the previous frame's last one all the same
    per_frame = (np.maximum(last_row, -1) + 1) * row_words - 1
    need = (per_frame[None, :] + in_words * np.arange(frames)[:, None]).reshape(-1)

    # the last output word of output rows 0…OH−1: the last fold of the group of MMV pixels that
    # holds the row's last pixel (a group may span rows)
    def row_end(out_row: np.ndarray) -> np.ndarray:
        return ((out_row + 1) * ow - 1) // mmv * folds + folds - 1

    # read of input row r (numbered across frames) waits until row t = r − ROWS is free: t lies
    # in frame t // IH, and the writer frees it once the output row ⌊(t mod IH + top)/SH⌋ of that
    # frame (the last that needs it; the frame's last row at most) is written out
    t = np.arange(in_words * frames) // row_words - rows
    q = np.minimum((t % ih + top) // sh, oh - 1)
    guard = np.where(t >= 0, t // ih * out_words + row_end(q), -1)
    return Plan(need, SWU_DELAY, guard, 0)


def _repack_indices(in_lanes: int, out_lanes: int, elements: int, frames: int) -> tuple[np.ndarray, np.ndarray]:
    """`need` and `guard` of a one-pixel width converter (`bnnc_repack`), frame by frame."""
    base = elements * np.arange(frames)[:, None]
    in_end = (np.minimum(np.arange(1, -(-elements // in_lanes) + 1) * in_lanes, elements) + base).reshape(-1)
    out_end = (np.minimum(np.arange(1, -(-elements // out_lanes) + 1) * out_lanes, elements) + base).reshape(-1)
    need = np.searchsorted(in_end, out_end, side="left")
    # blocks alternate between two banks: a block's input words wait until the block two
    # before it (in the same bank) has given its last output word
    block = repack_block(in_lanes, out_lanes, elements)
    blocks = -(-elements // block)
    last = elements - (blocks - 1) * block
    in_words = np.tile([-(-block // in_lanes)] * (blocks - 1) + [-(-last // in_lanes)], frames)
    out_words = np.tile([-(-block // out_lanes)] * (blocks - 1) + [-(-last // out_lanes)], frames)
    round_of_input = np.repeat(np.arange(in_words.size), in_words)
    last_output = np.cumsum(out_words) - 1
    guard = np.where(round_of_input >= 2, last_output[np.maximum(round_of_input - 2, 0)], -1)
    return need, guard


def _simple(node: Node, frames: int) -> Plan:
    op, in_words, out_words = node.op, node.in_words, node.out_words
    j = np.arange(out_words)
    if node.lanes is not None or (isinstance(op, df.DwcOp) and op.input.type.mmv.data == 1  # type: ignore[attr-defined]
                                  and op.output.type.mmv.data == 1):  # type: ignore[attr-defined]
        if node.lanes is not None:
            in_lanes, out_lanes, elements = node.lanes
        else:
            src, dst = op.input.type, op.output.type  # type: ignore[union-attr]
            in_lanes, out_lanes, elements = src.lanes.data, dst.lanes.data, src.elements  # type: ignore[attr-defined]
        need, guard = _repack_indices(in_lanes, out_lanes, elements, frames)
        return Plan(need, 1, guard, 1)
    if isinstance(op, df.DwcOp):  # two banks of a block of pixels
        src, dst = op.input.type, op.output.type
        pixels = _int(op.pixels)
        block = math.lcm(src.mmv.data, dst.mmv.data)  # type: ignore[attr-defined]
        in_block, out_block = in_words * block // pixels, out_words * block // pixels
        i, j = np.arange(in_words * frames), np.arange(out_words * frames)
        need = (j // out_block + 1) * in_block - 1
        guard = np.where(i // in_block >= 2, (i // in_block - 1) * out_block - 1, -1)
        return Plan(need, 1, guard, 1)
    if isinstance(op, df.LabelSelectOp):
        k, held = out_words, label_select_frames(op)
        need = _frames(np.full(k, in_words - 1), frames, in_words)
        last = np.arange(in_words * frames) % in_words == in_words - 1
        # the last word of frame f waits for the last index of frame f − held
        guard = np.where(last, (np.arange(in_words * frames) // in_words - held + 1) * k - 1, -1)
        guard = np.where(guard >= 0, guard, -1)
        return Plan(need, label_select_pipeline_depth(op), guard, 1)
    if isinstance(op, df.PoolOp):
        (_, iw), (_, ow) = array_values(op.ifm), array_values(op.ofm)
        (kh, kw), (sh, sw) = array_values(op.kernel), array_values(op.strides)
        cf = _int(op.channels) // _int(op.pe)
        oy, ox, f = j // (ow * cf), j // cf % ow, j % cf
        per_frame = ((oy * sh + kh - 1) * iw + ox * sw + kw - 1) * cf + f
    else:  # threshold: word for word
        per_frame = j
    need = _frames(per_frame, frames, in_words)
    # one output register: a read after the one completing word j waits until word j has left
    guard = np.searchsorted(need, np.arange(in_words * frames), side="left") - 1
    return Plan(need, 1, guard, 0)


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


def simulate(
    graph: df.GraphOp,
    depths: dict[Operation, int] | None = None,
    frames: int = FRAMES,
    pace: int | None = None,
) -> PipelineTiming:
    """Run the model; `depths` maps FIFO ops to their depth (None: unbounded FIFOs).

    `pace`: the host offers frame f from cycle f·pace on (one AXI word a cycle); without it, as
    fast as the input converter takes them, which lets unbounded FIFOs in front of the
    bottleneck fill with frames the pipeline cannot take anyway.
    """
    chain: list[Operation] = [op for op in graph.body.block.ops if isinstance(op, df.ENGINES) and not isinstance(op, df.FifoOp)]
    fifo_of: dict[Operation, Operation | None] = {}
    for op in chain:
        producer = op.operands[0].owner
        fifo_of[op] = producer if isinstance(producer, df.FifoOp) else None
    source, sink = graph.input_op().output.type, graph.output_op().input.type
    last_producer = graph.output_op().input.owner
    nodes = [_axi_node(source, True)]  # type: ignore[arg-type]
    nodes += [Node(op, op.operands[0].type.words.data, op.results[0].type.words.data) for op in chain]  # type: ignore[attr-defined]
    nodes.append(_axi_node(sink, False))  # type: ignore[arg-type]
    fifos: list[Operation | None] = [None]
    fifos += [fifo_of[op] for op in chain]
    fifos.append(last_producer if isinstance(last_producer, df.FifoOp) else None)
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
                arrival = nodes[index - 1].writes + (1 if fifos[index] is not None else 0)  # type: ignore[operator]
            room = np.full(node.out_words * frames, -np.inf)
            if index + 1 < len(nodes) and nodes[index + 1].reads is not None:
                consumer_reads = nodes[index + 1].reads
                fifo = fifos[index + 1]
                if fifo is None:  # a wire: the write is the consumer's read
                    room = consumer_reads.copy()  # type: ignore[union-attr]
                elif depths is not None and depths.get(fifo) is not None:
                    depth = depths[fifo]
                    if depth < room.size:
                        room[depth:] = consumer_reads[: room.size - depth] + 1  # type: ignore[index]
            node.run(arrival, room, frames)
        current = np.concatenate([n.writes for n in nodes] + [n.reads for n in nodes])  # type: ignore[misc]
        if sweep % 2 == 1 and previous is not None and np.array_equal(current, previous):
            break
        previous = current
    else:
        return PipelineTiming(0, 0, {}, deadlocked=True)
    last = nodes[-1].writes.reshape(frames, -1)[:, -1]  # type: ignore[union-attr]
    occupancy = {}
    for producer, consumer, fifo in zip(nodes, nodes[1:], fifos[1:]):
        key = fifo or consumer.op
        if key is None:
            continue
        written = np.arange(1, producer.writes.size + 1)  # type: ignore[union-attr]
        # a slot frees the cycle after its word is read, so count reads strictly before the write
        read = np.searchsorted(consumer.reads, producer.writes, side="left")  # type: ignore[arg-type]
        occupancy[key] = int((written - read).max())
    return PipelineTiming(int(last[-1] - last[-2]), int(last[0] + 1), occupancy)
