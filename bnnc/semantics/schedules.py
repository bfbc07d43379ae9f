"""The max-plus recurrences of the cycle-level model (`bnnc.analysis.fifo_model`), in numpy: an
engine's reads and writes, one word a cycle at most on each side, each at the earliest cycle its
own pace, its input, its internal buffer and the room in its output allow:

    t[i] = max(t[i−1] + gap[i], constraint[i])

which unrolls to t[i] = G[i] + max over j ≤ i of (constraint[j] − G[j]) with G the running sum of
the gaps: a running maximum. Every engine's word schedule (`EngineOp.word_schedule`) is built
from these; what each engine depends on is in its op.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_PASSES = 400


def schedule(gaps: np.ndarray, constraints: np.ndarray) -> np.ndarray:
    """t[i] = max(t[i−1] + gaps[i], constraints[i]), t[−1] = −∞, as a running maximum."""
    g = np.cumsum(gaps)
    return g + np.maximum.accumulate(constraints - g)


def repeat_frames(per_frame: np.ndarray, frames: int, words: int) -> np.ndarray:
    """Indices of a per-frame pattern repeated over frames, offset by `words` a frame; −1 (no
    dependency) stays −1."""
    out = per_frame[None, :] + words * np.arange(frames)[:, None]
    return np.where(per_frame[None, :] >= 0, out, -1).reshape(-1)


def at(times: np.ndarray, index: np.ndarray, delay: int) -> np.ndarray:
    """times[index] + delay, −∞ where index is −1."""
    return np.where(index >= 0, times[np.maximum(index, 0)] + delay, -np.inf)


@dataclass
class WordPlan:
    """The dependencies of a buffered engine (`buffered`), fixed by its parameters alone: write
    j from `need_delay` cycles after the read of input word need[j], read i from `guard_delay`
    cycles after the write of output word guard[i] (−1: no such dependency)."""

    need: np.ndarray
    need_delay: int
    guard: np.ndarray
    guard_delay: int


def buffered(arrival: np.ndarray, room: np.ndarray, plan: WordPlan) -> tuple[np.ndarray, np.ndarray]:
    """Reads and writes one a cycle under `plan`, iterated to the fixed point."""
    need, need_delay, guard, guard_delay = plan.need, plan.need_delay, plan.guard, plan.guard_delay
    writes = np.full(need.size, -np.inf)
    reads = arrival
    for _ in range(MAX_PASSES):
        reads = schedule(np.ones(arrival.size), np.maximum(arrival, at(writes, guard, guard_delay)))
        # a write that needs no read (a window of padding alone) leaves as if the reset were a
        # read at cycle −1
        ready = np.maximum(np.maximum(at(reads, need, need_delay), room), need_delay - 1.0)
        new = schedule(np.ones(need.size), ready)
        if np.array_equal(new, writes):
            break
        writes = new
    return reads, writes


def output_register_plan(per_frame: np.ndarray, frames: int, in_words: int) -> WordPlan:
    """An engine with one output register: output word j leaves the cycle after input word
    per_frame[j] of its frame is read, and a read after the one completing word j waits until
    word j has left."""
    need = repeat_frames(per_frame, frames, in_words)
    guard = np.searchsorted(need, np.arange(in_words * frames), side="left") - 1
    return WordPlan(need, 1, guard, 0)
