"""`tb_input.bin`: frames for the HLS project's C simulation (`BNNC_HLS_STEPS="csim ..."`).

The model carries no example input, so the frames are drawn: `FRAMES` frames of the top's input
port, each element a code its type allows (bits for bipolar elements, the integer range
otherwise), from a fixed seed, packed into 64-bit AXI words as `bnnc run --engine csim` packs a
batch (`bnnc.semantics.packing.to_axi_words`). The same build always gets the same file; frames of one's
own are written the same way:

    bnnc.semantics.packing.to_axi_words(codes, bits).astype("<u8").tofile("hls/tb_input.bin")
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bnnc.dialects import bnn, hls

TB_INPUT = "tb_input.bin"
FRAMES = 4
SEED = 2026


def tb_input_words(top: hls.TopOp, frames: int = FRAMES, seed: int = SEED) -> np.ndarray:
    """`frames` drawn frames of the top's input port as AXI words (frames, words a frame)."""
    from bnnc.semantics.packing import to_axi_words

    port = top.port("in")
    element, elements = port.element, port.elements.value.data
    low, high = (0, 1) if bnn.is_bipolar(element) else bnn.integer_range(element)
    codes = np.random.default_rng(seed).integers(low, high, size=(frames, elements), endpoint=True)
    return to_axi_words(codes, bnn.bit_width(element))


def write_tb_input(top: hls.TopOp, directory: str | Path) -> Path:
    target = Path(directory) / TB_INPUT
    np.ascontiguousarray(tb_input_words(top), dtype="<u8").tofile(target)
    return target
