"""What every engine's resource model shares: the `Cost` of an engine, the memories of the fabric
(BRAM18 aspect ratios, LUTRAM) and the constants that are the same for every engine kind.

Each engine's own formula and constants are in its op module (`MvtuOp.cost`, ...); the constants
that differ between fabric families (7-series, UltraScale+) come in the family's table
(`bnnc.analysis.fabric_costs.FabricCosts`), which the cost model passes to the op. Constants are
calibrated against Yosys (`synth_xilinx -family xc7`) on the Verilog library
(`python benchmarks/yosys_calibration.py`, docs/rtl.md); each one's use is derived in the
docstring of the function that uses it. These are estimates, not Vivado's figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

# The per-PE datapath as FINN-R writes it, with no glue factor on top (MVTU and threshold units).
LUT_OVERHEAD = 1.0
# Pipeline registers and handshakes of an engine beyond its datapath (an estimate).
ENGINE_BASE_FF = 100
# A LUT6 as memory: 64 x 1 bits (a ROM of logic LUTs or single-port LUTRAM), or a 32-deep shift
# register (SRLC32E).
LUTRAM_BITS_PER_LUT = 64
SRL_DEPTH = 32
# Simple dual-port distributed RAM as Yosys maps it: the family's `ram32m_*`, `ram64m_*`.
# Memories this shallow go to LUTRAM rather than BRAM (FINN's rule; bnnc_fifo's BRAM_MIN_DEPTH).
LUTRAM_MAX_DEPTH = 128
# A memory with a registered read (the sliding window's buffer) goes to BRAM in Yosys beyond
# one level of RAM64M.
REGISTERED_LUTRAM_MAX_DEPTH = 64
# A LUT6 selects one of four inputs (4 data + 2 select lines; MUXF7/MUXF8 join them).
MUX_INPUTS_PER_LUT = 4


class FabricTable(Protocol):
    """The per-family constants an engine's resources read (`bnnc.analysis.fabric_costs`)."""

    int_bipolar_share: float
    generic_mvtu_share: float
    popcount_lut_per_pe_lane_squared: float
    ram32m_bits: int
    ram64m_bits: int
    ramm_luts: int
    label_select_base_lut: int
    label_select_lut_per_entry_bit: float
    fifo_bram_extra_lut: int


@dataclass(frozen=True)
class Cost:
    """What one engine costs: cycles per frame and resources. `lutram` is part of `lut`."""

    cycles: int
    lut: int
    ff: int
    bram18: int
    lutram: int
    dsp: int = 0  # DSP48E1 slices

    def __add__(self, other: Cost) -> Cost:
        return Cost(*(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        return (self.cycles, self.lut, self.ff, self.bram18, self.lutram, self.dsp)


def ceil(x: float) -> int:
    return math.ceil(x - 1e-9)  # 1.1 * 10 is 11.000000000000002: do not round that up to 12


def bram18_count(depth: int, width: int) -> int:
    """BRAM18s for a `depth` x `width` memory, by FINN-R's table of BRAM18 aspect ratios.

    A BRAM18 is 16K x 1, 8K x 2, 4K x 4, 2K x 9, 1K x 18 or 512 x 36. Narrow memories use the
    mode of their width; a memory wider than 18 bits uses 1K x 18 when it is deeper than 512
    (fewer blocks than 512 x 36 for deep memories) and 512 x 36 otherwise.
    """
    if width == 1:
        return -(-depth // 16384)
    if width == 2:
        return -(-depth // 8192)
    if width <= 4:
        return -(-depth // 4096) * -(-width // 4)
    if width <= 9:
        return -(-depth // 2048) * -(-width // 9)
    if width <= 18 or depth > 512:
        return -(-depth // 1024) * -(-width // 18)
    return -(-depth // 512) * -(-width // 36)


def memory_cost(depth: int, width: int) -> tuple[int, int]:
    """(BRAM18, LUTRAM LUTs) of a `depth` x `width` memory.

    At most LUTRAM_MAX_DEPTH words go to distributed RAM, one LUT per 64 x 1 bits:
    ceil(depth/64)·width LUTs; deeper memories go to BRAM (`bram18_count`). Vivado may build a
    small constant ROM from logic LUTs rather than LUTRAM: counting it as LUTRAM is conservative.
    """
    if depth <= LUTRAM_MAX_DEPTH:
        return 0, -(-depth // LUTRAM_BITS_PER_LUT) * width
    return bram18_count(depth, width), 0


def dual_port_lutram(depth: int, width: int, fabric: FabricTable) -> int:
    """LUTs of a `depth` x `width` simple dual-port distributed RAM (a FIFO's or a buffer's):
    `ramm_luts` per RAM32M of 32 x `ram32m_bits` up to 32 words, else per RAM64M of 64 x
    `ram64m_bits` per 64 words. 7-series (RAM32M 32 x 6, RAM64M 64 x 3, 4 LUTs each):
    fifo-16x32: 4·⌈16/6⌉ = 12 LUTs, fifo-8x128: 2·4·⌈8/3⌉ = 24; UltraScale+ (RAM32M16 32 x 14,
    RAM64M8 64 x 7, 8 LUTs each): fifo-16x32 8·⌈16/14⌉ = 16, fifo-64x2 8·⌈64/14⌉ = 40."""
    if depth <= 32:
        return fabric.ramm_luts * -(-width // fabric.ram32m_bits)
    return -(-depth // 64) * fabric.ramm_luts * -(-width // fabric.ram64m_bits)
