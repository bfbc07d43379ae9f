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
# A LUT6 as memory: 64 x 1 bits (a ROM of logic LUTs or single-port LUTRAM), or a 32-deep shift
# register (SRLC32E).
LUTRAM_BITS_PER_LUT = 64
SRL_DEPTH = 32
# Simple dual-port distributed RAM as Yosys maps it: the family's `ram32m_*`, `ram64m_*`.
# Memories this shallow go to LUTRAM rather than BRAM (FINN's rule; bnnc_fifo's BRAM_MIN_DEPTH).
LUTRAM_MAX_DEPTH = 128
# A deep ROM's words past its last whole row of block RAMs go to distributed RAM when they take
# at most this many LUTs (`weight_memory_cost`; Yosys does so for TFC fc0's 32 LUTs and SFC
# fc0's 96: where its memory mapping draws the line is an assumption).
BRAM_REMAINDER_MAX_LUTS = 128
# A memory with a registered read (the sliding window's buffer) goes to BRAM in Yosys beyond
# one level of RAM64M.
REGISTERED_LUTRAM_MAX_DEPTH = 64
# A LUT6 selects one of four inputs (4 data + 2 select lines; MUXF7/MUXF8 join them).
MUX_INPUTS_PER_LUT = 4


class FabricTable(Protocol):
    """The per-family constants an engine's resources read (`bnnc.analysis.fabric_costs`)."""

    int_bipolar_share: float
    generic_mvtu_share: float
    ram32m_bits: int
    ram64m_bits: int
    ramm_luts: int
    label_select_base_lut: int
    label_select_lut_per_entry_bit: float
    dsp_packs_registers: bool
    dsp_tree_fabric_share: float
    repack_lut_per_slot_bit: float
    regroup_lut_per_bank_bit: float
    regroup_wide_select_lut_per_word: float


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


# Block RAM modes as Yosys' memory_libmap weighs them for 7-series and UltraScale+ (the
# installed techlibs/xilinx/brams_xc4v.txt, Yosys 0.23): (depth, width) of a RAMB18 (cost 129)
# and of a RAMB36 (cost 257, so one RAMB36 beats two RAMB18s of the same capacity).
RAMB18_MODES = ((16384, 1), (8192, 2), (4096, 4), (2048, 9), (1024, 18), (512, 36))
RAMB36_MODES = ((32768, 1), (16384, 2), (8192, 4), (4096, 9), (2048, 18), (1024, 36), (512, 72))
RAMB18_COST, RAMB36_COST = 129, 257
# What a ROM in soft logic costs against those, a unit a LUT6 (64 bits): fitted on two ROMs that
# Yosys builds from LUTs and no block RAM, TFC's 4,096 x 1 (PE 1, SIMD 1: 152 LUT for the layer,
# 150 modelled) and a 144 x 256 one (1,632 LUT, 1,508 modelled; one RAMB18 row would cost 1,032).
ROM_LOGIC_COST_PER_LUT = 1


def rom_block_layout(depth: int, width: int) -> tuple[int, int]:
    """(BRAM18, rows) of a `depth` x `width` ROM in block RAMs as Yosys lays it out: of every
    RAMB18 and RAMB36 mode, the one of least memory_libmap cost (`RAMB18_COST`, `RAMB36_COST` a
    block, ⌈depth/mode depth⌉ rows of ⌈width/mode width⌉ blocks), fewer rows on a tie. LFC's
    4,096 x 256 layers: 29 RAMB36 in 4K x 9 (58 BRAM18, one row; Yosys: 29 RAMB36E1/E2), not
    four rows of 1K x 18 RAMB18s (60) read through a row multiplexer."""
    _, rows, bram18 = min(_block_layouts(depth, width))
    return bram18, rows


def _block_layouts(depth: int, width: int) -> list[tuple[int, int, int]]:
    """(memory_libmap cost, rows, BRAM18) of every RAMB18 and RAMB36 layout of the ROM."""
    layouts = []
    for modes, cost, bram18_per_block in ((RAMB18_MODES, RAMB18_COST, 1), (RAMB36_MODES, RAMB36_COST, 2)):
        for mode_depth, mode_width in modes:
            rows = -(-depth // mode_depth)
            blocks = rows * -(-width // mode_width)
            layouts.append((blocks * cost, rows, blocks * bram18_per_block))
    return layouts


def weight_memory_cost(depth: int, width: int, fabric: FabricTable) -> tuple[int, int, int]:
    """(BRAM18, LUTRAM LUTs, multiplexer LUTs) of an MVTU's `depth` x `width` weight ROM as Yosys
    maps it.

    Up to LUTRAM_MAX_DEPTH words: distributed RAM (`memory_cost`). Deeper: a ROM whose depth is
    not a multiple of its BRAM mode's depth (`bram18_count`'s table: 4,096 words at 4 bits, ...)
    keeps the words past the last whole rows of block RAMs in distributed RAM
    (`dual_port_lutram`) when that takes at most BRAM_REMAINDER_MAX_LUTS LUTs: TFC's fc0,
    12,544 x 4, 3 RAMB18 and 256 words in 8 RAM64M (32 LUTs) in Yosys, not 4 RAMB18; SFC's fc0,
    12,544 x 16: 12 RAMB18, not 13. Otherwise the layout of `rom_block_layout`, unless the ROM
    in soft logic, ⌈depth/64⌉·width LUT6s (counted as LUTRAM, as `memory_cost` counts a shallow
    one), costs less than it at ROM_LOGIC_COST_PER_LUT a LUT: a 4,096 x 1 ROM is 64 LUTs, not a
    RAMB18 (TFC's fc1 and fc2 at PE 1, SIMD 1: 152 LUT and no block RAM in Yosys), a 144 x 256
    one 768 (calibration rows `mvtu-xnor-pe1-simd1-4096x1`, `mvtu-xnor-pe8-simd32-144deep`).

    A ROM in R > 1 rows (the distributed remainder counted as one) reads through an R-way
    multiplexer per bit in LUTs, ⌈(R − 1)/(MUX_INPUTS_PER_LUT − 1)⌉ LUTs a bit. No calibration
    configuration has more than one row of block RAMs any more: LFC's 4,096 x 256 layers, for
    which this term once counted 256 LUTs, are one row of RAMB36s (the layer alone: 877 LUT in
    Yosys on both families, 876 modelled without a multiplexer).
    """
    bram18, luts = memory_cost(depth, width)
    if not bram18:
        return bram18, luts, 0
    mode_depth = {1: 16384, 2: 8192}.get(width, 4096 if width <= 4 else 2048 if width <= 9
                                         else 1024 if width <= 18 or depth > 512 else 512)
    rows, remainder = divmod(depth, mode_depth)
    remainder_luts = dual_port_lutram(remainder, width, fabric) if remainder else 0
    if rows and remainder and remainder_luts <= BRAM_REMAINDER_MAX_LUTS:
        bram18, luts, ways = bram18 * rows // (rows + 1), remainder_luts, rows + 1
    else:
        cost, ways, bram18 = min(_block_layouts(depth, width))
        logic_luts = -(-depth // LUTRAM_BITS_PER_LUT) * width
        if logic_luts * ROM_LOGIC_COST_PER_LUT < cost:
            return 0, logic_luts, 0
    return bram18, luts, width * -(-(ways - 1) // (MUX_INPUTS_PER_LUT - 1))


def rom_register_bits(width: int, depth: int) -> int:
    """Flip-flops of a `width`-bit register loaded from a `depth`-word ROM in LUTs (the MVTU's
    weight tile read register and its threshold row, the threshold unit's row, which Yosys'
    memory_dff makes a registered ROM): each bit's next value is a function of the ⌈log2 depth⌉
    address bits, and Yosys merges flip-flops of equal next-state functions and drops constant
    ones, so at most 2^(2^AW) − 2 distinct bits remain (a 4-word ROM: 14; the DSP
    configuration's 84-bit weight tile is 14 FFs in Yosys)."""
    address_bits = max(1, (depth - 1).bit_length())
    if address_bits >= 5:  # 2^32 functions: no cap in practice
        return width
    return min(width, 2 ** (2 ** address_bits) - 2)
