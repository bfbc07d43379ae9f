"""The analytical cost model of the `df` engines: cycles per frame and FPGA resources.

One function per engine kind, each with the derivation of its formula in its docstring, and
`node_cost` to dispatch on the op. Cycles follow the models FINN uses (REFERENCE.md, "Cycle
models"); LUT and BRAM follow FINN-R (REFERENCE.md, "Resource models") with an XNOR variant for
popcount layers; LUT and FF are calibrated against Yosys netlists of the Verilog library
(docs/rtl.md: every configuration of `benchmarks/yosys_calibration.py` within 15 % on 7-series
and UltraScale+, FF counted from each engine's registers), and the cycles against RTL
simulation. Every constant that such a calibration would move is named below, so that it
changes in one place; those that differ between fabric families (7-series,
UltraScale+) are in the family's table, `bnnc.analysis.fabric_costs`, read through the `Device`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xdsl.dialects.builtin import IntegerAttr, StringAttr
from xdsl.ir import Operation, SSAValue

from bnnc.devices import Device
from bnnc.dialects import df
from bnnc.dialects.bnn import array_values, bit_width, is_bipolar
from bnnc.errors import BnncError
from bnnc.analysis.fabric_costs import FABRICS, FabricCosts, fabric_costs
from bnnc.semantics.packing import axi_words_per_frame, elements_per_axi_word

# Constants calibrated against Yosys (`synth_xilinx -family xc7`) on the Verilog library
# (`python benchmarks/yosys_calibration.py`, docs/rtl.md); each one's use is derived in the
# docstring of the function that uses it.
# MVTU: a fixed part (the fold counters, the three pipeline stages' handshakes) plus the per-PE
# datapath as FINN-R writes it, with no glue factor on top.
MVTU_BASE_LUT = 60
LUT_OVERHEAD = 1.0
# MVTU pipeline (`mvtu_tree`): lanes the dot product's first tree stage sums, and nodes a later
# stage adds, at TREE_CLOCK_MHZ; a level of logic (LUT and routing) per doubling.
TREE_CLOCK_MHZ = 200.0
POPCOUNT_GROUP = 8
INT_GROUP = 2
TREE_RADIX = 4
TREE_LEVEL_NS = 0.5
# A DSP48E1 is worth this many LUTs of the device (ZC706: 218,600 LUT / 900 DSP): a product
# goes to a DSP when its LUTs would cost more (`mvtu_uses_dsp`).
DSP_LUT_EQUIVALENT = 243
# XNOR layers: the "multiplier" of a lane is one LUT (an XNOR of two bits).
XNOR_LUT_PER_LANE = 1
# XNOR layers with the pipelined tree (`mvtu_tree`): the XNORs merge into the 8-lane first
# stage's adders; XNORs and tree together, per lane at SIMD 8, and more per doubling of SIMD
# (the later stages' nodes widen by a bit a stage; below SIMD 8 the first stage's figure)
# (fitted on the five XNOR configurations of benchmarks/yosys_calibration.py, 2026-12-08:
# 0.69, 1.14, 1.91 / 1.78, 2.20 a lane at SIMD 8, 16, 32, 64).
XNOR_TREE_LUT_PER_LANE = 0.7
XNOR_TREE_LUT_PER_LANE_DOUBLING = 0.5
# FINN-R's generic multiplier packs a (W+A)-bit product into LUT6s six inputs at a time.
LUT_INPUTS = 6
# Integer inputs x bipolar weights: a lane adds or subtracts its (A+1)-bit input (negate and
# select), one LUT per bit on the carry chain, in the pipelined tree; the adder comes out at
# the family's `int_bipolar_share` of its terms (`fabric_costs`).
# The sliding window: row, slot and window counters as narrow as their ranges (fixed), and per
# pixel of a word its incremental row, column and slot, the padding tests and the two address
# stages (recalibrated 2026-12-07 after the 32-bit arithmetic went: ~1,000 -> ~140 LUT).
SWU_BASE_LUT = 100
SWU_LUT_PER_PIXEL = 10
SWU_BASE_FF = 66
SWU_FF_PER_PIXEL = 22
# Pool: narrow position counters and the window tests (recalibrated 2026-12-07, 32-bit counters
# gone: ~320 -> ~100 LUT); an integer lane's comparator and select per bit.
POOL_BASE_LUT = 60
POOL_BASE_FF = 27
POOL_LUT_PER_INT_BIT = 3
THRESHOLD_BASE_LUT = 20
THRESHOLD_LUT_PER_COMPARED_BIT = 0.5
# Label select: per lane and list entry, a comparator and an insert select per bit of the
# (score, index) entry (the family's `label_select_*`); its word and left counters are 32-bit
# `integer`s.
LABEL_SELECT_COUNTER_FF = 64
# bnnc_repack: the slot and block counters, the fill compare and the handshakes; the output
# multiplexer, LUTs per input of a mux wider than one LUT6 (Yosys decodes the slot and ORs).
REPACK_BASE_LUT = 45
REPACK_LUT_PER_MUX_INPUT = 0.625
# bnnc_regroup: the load select of each bank bit, shared by two bits in a LUT6.
REGROUP_LUT_PER_BANK_BIT = 0.35
REGROUP_BASE_LUT = 0  # the slot counters vanish beside the multiplexer
# FIFOs: the pointers and the count, their increments and compares (with rptr + 1 and count ± 1
# kept as registers, 2026-12-07: about 8 LUT an address bit).
FIFO_BASE_LUT = 10
FIFO_LUT_PER_POINTER_BIT = 8
# A FIFO in block RAM reads at rptr_next (a select per address bit) and compares it with wptr
# for the bypass: per address bit (fifo-8x256: 8 LUT3 of rptr_next in Yosys).
FIFO_BRAM_LUT_PER_POINTER_BIT = 1.5
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
# A FIFO of unset depth is costed at the depth Vivado HLS gives a stream by default.
DEFAULT_FIFO_DEPTH = 2
# A LUT6 selects one of four inputs (4 data + 2 select lines; MUXF7/MUXF8 join them).
MUX_INPUTS_PER_LUT = 4


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


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _stream(value: SSAValue) -> df.StreamType:
    assert isinstance(value.type, df.StreamType)
    return value.type


def _ceil(x: float) -> int:
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


def weight_memory_cost(depth: int, width: int,
                       fabric: FabricCosts = FABRICS["xc7"]) -> tuple[int, int, int]:
    """(BRAM18, LUTRAM LUTs, multiplexer LUTs) of an MVTU's `depth` x `width` weight ROM as Yosys
    maps it:
    `memory_cost`, except that a ROM deeper than LUTRAM_MAX_DEPTH whose depth is not a multiple of
    its BRAM mode's depth (`bram18_count`'s table: 4,096 words at 4 bits, ...) keeps the words
    past the last whole rows of block RAMs in distributed RAM (`dual_port_lutram`) when that
    takes at most BRAM_REMAINDER_MAX_LUTS LUTs. TFC's fc0, 12,544 x 4: 3 RAMB18 and 256 words
    in 8 RAM64M (32 LUTs) in Yosys, not 4 RAMB18; SFC's fc0, 12,544 x 16: 12 RAMB18, not 13.

    A ROM split in depth over R rows of block RAMs (and the distributed remainder) reads through
    an R-way multiplexer per bit in LUTs, ⌈(R − 1)/(MUX_INPUTS_PER_LUT − 1)⌉ LUTs a bit: LFC's
    fc1, 4,096 x 256 in 4 rows of 1K x 18, 256 LUTs (Yosys: 1,187 LUT for the engine alone,
    876 without them).
    """
    bram18, luts = memory_cost(depth, width)
    if not bram18:
        return bram18, luts, 0
    mode_depth = {1: 16384, 2: 8192}.get(width, 4096 if width <= 4 else 2048 if width <= 9
                                         else 1024 if width <= 18 or depth > 512 else 512)
    rows, remainder = divmod(depth, mode_depth)
    remainder_luts = dual_port_lutram(remainder, width, fabric) if remainder else 0
    if rows and remainder and remainder_luts <= BRAM_REMAINDER_MAX_LUTS:
        bram18, luts = bram18 * rows // (rows + 1), remainder_luts
    ways = -(-depth // mode_depth)  # the rows, with the distributed remainder as one
    return bram18, luts, width * -(-(ways - 1) // (MUX_INPUTS_PER_LUT - 1))


def dual_port_lutram(depth: int, width: int, fabric: FabricCosts = FABRICS["xc7"]) -> int:
    """LUTs of a `depth` x `width` simple dual-port distributed RAM (a FIFO's or a buffer's):
    `ramm_luts` per RAM32M of 32 x `ram32m_bits` up to 32 words, else per RAM64M of 64 x
    `ram64m_bits` per 64 words. 7-series (RAM32M 32 x 6, RAM64M 64 x 3, 4 LUTs each):
    fifo-16x32: 4·⌈16/6⌉ = 12 LUTs, fifo-8x128: 2·4·⌈8/3⌉ = 24; UltraScale+ (RAM32M16 32 x 14,
    RAM64M8 64 x 7, 8 LUTs each): fifo-16x32 8·⌈16/14⌉ = 16, fifo-64x2 8·⌈64/14⌉ = 40."""
    if depth <= 32:
        return fabric.ramm_luts * -(-width // fabric.ram32m_bits)
    return -(-depth // 64) * fabric.ramm_luts * -(-width // fabric.ram64m_bits)


def popcount_tree_luts(lanes: int) -> int:
    """LUTs of a balanced adder tree summing `lanes` single bits.

    Pairs of partial sums are added level by level; adding two numbers of at most b bits costs
    b LUTs (one per bit, the carry on the carry chain) and gives b + 1 bits; an odd operand
    passes to the next level. For 2^L lanes that is sum over l of 2^(L-l)·l ≈ 2·lanes LUTs
    (SIMD 32: 57, SIMD 128: 247).
    """
    widths = [1] * lanes
    luts = 0
    while len(widths) > 1:
        pairs = [max(a, b) for a, b in zip(widths[::2], widths[1::2], strict=False)]
        luts += sum(pairs)
        widths = [w + 1 for w in pairs] + (widths[-1:] if len(widths) % 2 else [])
    return luts


def mvtu_tree(op: df.MvtuOp, clock_mhz: float | None = None) -> tuple[int, int, int]:
    """The dot product's pipelined adder tree in `bnnc_mvtu`: (GROUP, RADIX, TREE_STAGES).

    The first stage sums GROUP lanes, every further one RADIX nodes of the stage before, until
    one node is left: TREE_STAGES = 1 + ⌈log_RADIX ⌈SIMD/GROUP⌉⌉. At 200 MHz (5.0 ns) the
    timing check (`bnnc.backends.verilog.timing`) measures a stage of POPCOUNT_GROUP XNOR lanes,
    of INT_GROUP negate-and-select or product lanes, and of TREE_RADIX nodes within the period
    (docs/rtl.md). Each doubling of a stage's lanes adds about one level of logic (a LUT and its
    routing, TREE_LEVEL_NS), so a clock whose period is k such levels longer (shorter) takes
    2^k times (2^−k times) the lanes in its first stage. The clock is the graph's target
    (`df.target_of`) unless given; a detached op (a folding probe) is taken at TREE_CLOCK_MHZ.
    """
    if clock_mhz is None:
        graph = op.parent_op()
        clock_mhz = df.target_of(graph).clock if isinstance(graph, df.GraphOp) else TREE_CLOCK_MHZ
    simd = _int(op.simd)
    if mvtu_uses_dsp(op):  # the product alone in the first stage: the DSP's M/P registers
        base = 1
    else:
        base = POPCOUNT_GROUP if op.popcount is not None else INT_GROUP
    levels = math.floor((1000.0 / clock_mhz - 1000.0 / TREE_CLOCK_MHZ) / TREE_LEVEL_NS)
    group = max(1, min(simd, int(base * 2.0 ** levels)))
    nodes, stages = -(-simd // group), 1
    while nodes > 1:
        nodes, stages = -(-nodes // TREE_RADIX), stages + 1
    return group, TREE_RADIX, stages


def product_luts(w: int, a: int) -> int:
    """LUTs of one W x A-bit product in fabric (FINN-R's generic multiplier, `mvtu_cost`)."""
    return (2 * -(-(w + a) // LUT_INPUTS) - 1) * (w + a)


def mvtu_uses_dsp(op: df.MvtuOp) -> bool:
    """Whether an MVTU's lanes multiply on DSP48E1s rather than in LUTs.

    Only n-bit x n-bit lanes multiply at all (a bipolar factor is a negate-and-select, XNOR
    lanes a LUT). A product goes to a DSP when its LUTs (`product_luts`) cost more of the
    device than one DSP slice does: DSP_LUT_EQUIVALENT LUTs, the ZC706's LUTs per DSP
    (218,600 / 900 = 243). That takes W + A ≥ 24 bits (16 x 8: 264 LUT); every product of the
    networks bnnc compiles today (at most 8 x 8: 80 LUT) stays in LUTs.
    """
    if op.popcount is not None or is_bipolar(op.weight_type) or is_bipolar(_stream(op.input).element):
        return False
    return product_luts(bit_width(op.weight_type), bit_width(_stream(op.input).element)) > DSP_LUT_EQUIVALENT


def mvtu_tree_ff(op: df.MvtuOp) -> int:
    """Flip-flops of one PE's adder tree (`mvtu_tree`) in `bnnc_mvtu`: stage s holds
    N_s = ⌈N_(s−1)/RADIX⌉ nodes (N_0 = ⌈SIMD/GROUP⌉), each of ⌈log2(lanes + 1)⌉ bits for a
    popcount of its lanes (GROUP·RADIX^s, at most SIMD), else of the accumulator's bits."""
    group, radix, stages = mvtu_tree(op)
    simd = _int(op.simd)
    acc = mvtu_acc_bits(op)
    nodes, lanes, ff = -(-simd // group), min(group, simd), 0
    for _ in range(stages):
        ff += nodes * ((lanes).bit_length() if op.popcount is not None else acc)
        nodes, lanes = -(-nodes // radix), min(lanes * radix, simd)
    return ff


def mvtu_acc_bits(op: df.MvtuOp) -> int:
    """The accumulator's bits as `mvtu_cost` counts them: bits of MW for a popcount, else
    W + A + bits of MW − 1."""
    mw = _int(op.mw)
    if op.popcount is not None:
        return mw.bit_length()
    return bit_width(op.weight_type) + bit_width(_stream(op.input).element) + (mw - 1).bit_length()


def xnor_tree_lut_per_lane(simd: int) -> float:
    """LUTs a lane of an XNOR MVTU's pipelined popcount tree costs, XNOR included:
    XNOR_TREE_LUT_PER_LANE at SIMD 8 plus XNOR_TREE_LUT_PER_LANE_DOUBLING per doubling of SIMD
    (each doubling adds a tree stage whose nodes are a bit wider; fewer lanes than the first
    stage's group cost its figure): 0.7, 1.2, 1.7, 2.2 at SIMD 8, 16, 32, 64 (Yosys xc7: 0.69,
    1.14, 1.91 / 1.78, 2.20)."""
    doublings = math.log2(max(simd, POPCOUNT_GROUP) / POPCOUNT_GROUP)
    return XNOR_TREE_LUT_PER_LANE + XNOR_TREE_LUT_PER_LANE_DOUBLING * doublings


def rom_register_bits(width: int, depth: int) -> int:
    """Flip-flops of a `width`-bit register loaded from a `depth`-word ROM in LUTs (the MVTU's
    weight tile read register and its threshold row, which Yosys' memory_dff makes a registered
    ROM): each bit's next value is a function of the ⌈log2 depth⌉ address bits, and Yosys merges
    flip-flops of equal next-state functions and drops constant ones, so at most 2^(2^AW) − 2
    distinct bits remain (a 4-word ROM: 14; the DSP configuration's 84-bit weight tile is 14 FFs
    in Yosys)."""
    address_bits = max(1, (depth - 1).bit_length())
    if address_bits >= 5:  # 2^32 functions: no cap in practice
        return width
    return min(width, 2 ** (2 ** address_bits) - 2)


def mvtu_control_ff(op: df.MvtuOp) -> int:
    """Flip-flops of an MVTU's control (`bnnc_mvtu`): the tile, synapse-fold and neuron-fold
    counters (TA, SA, NA bits), the input buffer's read address (SA), the CW = 3 + NA control
    bits of stage 1 and of each of the 1 + TREE_STAGES stages after it, the accumulator's neuron
    fold (NA), its valid and the output's full flag. (38 for PE 4 SIMD 8 MW 64 MH 32, as Yosys
    counts them.)"""
    nf, sf = _int(op.mh) // _int(op.pe), _int(op.mw) // _int(op.simd)
    ta, sa, na = (max(1, (n - 1).bit_length()) for n in (nf * sf, sf, nf))
    cw = 3 + na
    return ta + 2 * sa + 2 * na + cw * (2 + mvtu_tree(op)[2]) + 2


def mvtu_pipeline_depth(op: df.MvtuOp) -> int:
    """Cycles from an MVTU's last tile of a word to the word's handshake: the weight read, the
    RAM's output register, the tree's stages (`mvtu_tree`), the accumulator and the output
    register (`bnnc_mvtu`)."""
    return 4 + mvtu_tree(op)[2]


def mvtu_cost(op: df.MvtuOp, device: Device) -> Cost:
    """Matrix-vector-threshold unit.

    Cycles: every output vector takes (MH/PE) neuron folds of (MW/SIMD) synapse folds, one fold
    a cycle, and MMV vectors go through together: (MH/PE)·(MW/SIMD)·vectors/MMV.

    LUT (FINN-R's terms, calibrated): MVTU_BASE_LUT + LUT_OVERHEAD·PE·MMV·(mult + adder + acc +
    thr + comp) + weight LUTs, with Q = SIMD lanes, W weight bits, A input bits, acc accumulator
    bits, `steps` thresholds per channel and TMEM = MH/PE threshold words per PE:
      - XNOR layers (`popcount`): mult + adder = `xnor_tree_lut_per_lane`(Q)·Q, the XNORs
        merged into the pipelined tree's first stage (before the tree was pipelined: mult = Q
        and the `popcount_tree_luts` adder, ≈ 3.2 LUT per lane all in);
      - integer inputs x bipolar weights: no multiplier (a ±1 product is the add or the subtract
        of the input), adder = Q·(A + 1) (one LUT per bit of each sign-extended lane on the
        carry chain), the negate-and-select and the pipelined tree: the adder scaled by
        the family's `int_bipolar_share` (7-series: si8 x bipolar, SIMD 3, PE 4: 415 LUT in Yosys, 60 + 4·(1.73·27 +
        3·14) here; until 2026-12-07 Yosys put these lanes on DSP48E1s and the share, 0.5,
        scaled the whole per-PE sum);
        bipolar inputs x integer weights likewise, with W for A;
      - otherwise FINN-R as written: mult = Q·(2⌈(W+A)/6⌉ − 1)·(W+A) (`product_luts`: the
        shifts and adds of `bnnc_mvtu`; 0 when the products go to DSPs), adder = (W+A)·(2Q − 1);
        scaled by the family's `generic_mvtu_share` (1 on 7-series);
      - thr = steps·acc·⌈TMEM/64⌉ (thresholds in LUT ROM), comp = steps·acc (comparators);
      - acc = bits of MW for a popcount (0…MW); W + A + bits of MW − 1 for a signed sum of
        MW products (a product needs W + A bits; MW of them add ⌈log2 MW⌉ bits).
    MMV replicates the datapath (each pixel of a word has its own PEs) but not the weights.

    Weights: depth ω = MW·MH/(PE·SIMD) words of PE·SIMD·W bits (`weight_memory_cost`).

    Input buffer: the SF = MW/SIMD words of MMV·SIMD·A bits that the neuron folds after the first
    reuse, a distributed RAM (`dual_port_lutram`), counted in LUT and LUTRAM (Yosys: 8, 24, 12,
    44, 24 LUTRAM in the five XNOR configurations); deeper than LUTRAM_MAX_DEPTH words it is
    not counted (no calibration configuration is that deep: where Yosys puts it is not known).

    FF: the control (`mvtu_control_ff`) + the input word in the read and the RAM-output stages +
    per PE and pixel the accumulator, the output bits and the adder tree (`mvtu_tree_ff`) + the
    weight word in the RAM-output stage, and once more in the read stage when the weights are
    LUT ROM (a BRAM's read register holds it otherwise; a registered ROM, `rom_register_bits`)
    + with thresholds in LUT ROM their row, read through the accumulator's neuron-fold register
    (`rom_register_bits` of PE·steps·acc bits).

    On DSPs (`mvtu_uses_dsp`) the multiplier LUTs and the first stage's adders are not counted,
    of the later stages' adders the family's `dsp_tree_fabric_share` (the rest go to the DSPs'
    ALUs); where the family's `dsp_packs_registers` (7-series Yosys), the input and weight
    registers of stages 1 and 2 are the DSP48s' A1/A2 and B1/B2 registers and the tree's first
    stage their M/P register: none of them in fabric.

    DSP: one DSP48E1 a lane, PE·MMV·SIMD, when the products go to DSPs (`mvtu_uses_dsp`);
    their multiplier LUTs are then not counted.
    """
    mw, mh, pe, simd = _int(op.mw), _int(op.mh), _int(op.pe), _int(op.simd)
    mmv, vectors = _int(op.mmv), _int(op.vectors)
    cycles = (mh // pe) * (mw // simd) * (vectors // mmv)
    w, a = bit_width(op.weight_type), bit_width(_stream(op.input).element)
    out_bits = bit_width(_stream(op.output).element)
    fabric = fabric_costs(device)
    share = 1.0
    if op.popcount is not None:
        acc = mw.bit_length()
        mult = 0
        adder = _ceil(simd * xnor_tree_lut_per_lane(simd))
    elif is_bipolar(op.weight_type) or is_bipolar(_stream(op.input).element):
        acc = w + a + (mw - 1).bit_length()
        integer_bits = a if is_bipolar(op.weight_type) else w
        mult, adder, share = 0, simd * (integer_bits + 1), fabric.int_bipolar_share
    elif mvtu_uses_dsp(op):  # products and first-stage sums in the DSP48s, the later sums partly
        acc = w + a + (mw - 1).bit_length()
        later_sums = (-(-simd // mvtu_tree(op)[0]) - 1) * acc
        mult, adder = 0, _ceil(fabric.dsp_tree_fabric_share * later_sums)
    else:
        acc = w + a + (mw - 1).bit_length()
        mult = simd * product_luts(w, a)
        adder = (w + a) * (2 * simd - 1)
        share = fabric.generic_mvtu_share
    steps = op.thresholds.get_shape()[1] if op.thresholds is not None else 0
    thr = steps * acc * -(-(mh // pe) // LUTRAM_BITS_PER_LUT)
    comp = steps * acc
    depth = mw * mh // (pe * simd)
    bram18, weight_luts, row_mux = weight_memory_cost(depth, pe * simd * w, fabric)
    if not bram18 and mvtu_uses_dsp(op):  # a shallow ROM: one LUT per distinct registered bit
        weight_luts = rom_register_bits(pe * simd * w, depth)
    if mw // simd <= LUTRAM_MAX_DEPTH:
        input_buffer = dual_port_lutram(mw // simd, simd * mmv * a, fabric)
    else:  # not calibrated: no configuration has SF > 128 (where Yosys puts it is not measured)
        input_buffer = 0
    datapath = LUT_OVERHEAD * pe * mmv * (share * (mult + adder) + acc + thr + comp)
    lut = _ceil(MVTU_BASE_LUT + datapath) + weight_luts + row_mux + input_buffer
    # the input word twice (read, RAM output stage), the weight tile in the RAM output stage
    # (and in the read register when the weights are LUT ROM), the trees, the accumulators
    weight_read = 0 if bram18 else rom_register_bits(pe * simd * w, depth)
    # the RAM-output stage: a copy of the read register (of a ROM's, as merged as it)
    weight_out = pe * simd * w if bram18 else weight_read
    threshold_row = rom_register_bits(pe * steps * acc, mh // pe) if steps else 0
    if mvtu_uses_dsp(op) and fabric.dsp_packs_registers:  # A1/A2, B1/B2, M/P of the DSP48s
        registers = pe * mmv * (acc + out_bits) + weight_read
    else:
        registers = (2 * simd * mmv * a + pe * mmv * (acc + out_bits + mvtu_tree_ff(op)) + weight_out
                     + weight_read)
    ff = mvtu_control_ff(op) + registers + threshold_row
    dsp = pe * mmv * simd if mvtu_uses_dsp(op) else 0
    return Cost(cycles, lut, ff, bram18, weight_luts + pe * mmv * thr + input_buffer, dsp)


def swu_cost(op: df.SwuOp, device: Device) -> Cost:
    """Sliding-window unit (a KH x KW window, stride SH x SW, C channels, SIMD lanes, MMV).

    Cycles (FINN's model, written for a square kernel, here per axis): the buffer first fills
    with KH rows, IW·KH·(C/SIMD) cycles; then each of the OH output rows takes the longer of
    writing its windows out, ⌈OW·KH·KW·(C/SIMD)/MMV⌉ (MMV windows a word; rounded up per row),
    and reading the SH input rows the next output row needs, SH·IW·(C/SIMD) (the input stream
    has SIMD lanes, so MMV does not speed up reading). Padding: IW and IH are the padded sizes,
    as if the padded image were streamed in (the cost of a separate padding stage before the
    window), an upper bound for a unit that makes up the padded positions itself.

    Buffer (`bnnc_swu`): ROWS = `df.SwuOp.buffer_rows` input rows (KH + SH when MMV divides OW)
    of IW·(C/SIMD) words of SIMD·bits, one copy per pixel of a word. The read is registered, so
    a copy deeper than REGISTERED_LUTRAM_MAX_DEPTH goes to BRAM (`bram18_count`), a shallower one
    to distributed RAM (`dual_port_lutram`). FINN counts these buffers as 0 BRAM.

    LUT (Yosys): SWU_BASE_LUT (the narrow row, slot and window counters and their compares) +
    SWU_LUT_PER_PIXEL per pixel of a word (its incremental position, padding tests, address) +
    one LUT per output bit (the padding select) + the buffer's LUTRAM: 138 / 142 / 152 against
    Yosys' 128 / 149 / 148 for the three calibration windows (docs/rtl.md). FF: SWU_BASE_FF (the
    counters) + SWU_FF_PER_PIXEL per pixel (its position and the two address stages) + the
    output word unless the buffer is a BRAM (whose output register holds it).
    """
    c, simd, mmv = _int(op.channels), _int(op.simd), _int(op.mmv)
    (ih, iw), (oh, ow) = array_values(op.ifm), array_values(op.ofm)
    (kh, kw), (sh, _) = array_values(op.kernel), array_values(op.strides)
    top, left, bottom, right = array_values(op.pads)
    ih, iw = ih + top + bottom, iw + left + right
    folds = c // simd
    write_row = -(-(ow * kh * kw * folds) // mmv)
    cycles = iw * kh * folds + oh * max(write_row, sh * iw * folds)
    bits = bit_width(_stream(op.input).element)
    depth = op.buffer_rows() * (iw - left - right) * folds
    if depth > REGISTERED_LUTRAM_MAX_DEPTH:
        bram18, buffer_luts = mmv * bram18_count(depth, simd * bits), 0
    else:
        bram18, buffer_luts = 0, mmv * dual_port_lutram(depth, simd * bits, fabric_costs(device))
    out_width = _stream(op.output).width
    lut = SWU_BASE_LUT + SWU_LUT_PER_PIXEL * mmv + out_width + buffer_luts
    # the output word's register is the BRAM's own when the buffer is block RAM
    ff = SWU_BASE_FF + SWU_FF_PER_PIXEL * mmv + (0 if bram18 else out_width)
    return Cost(cycles, lut, ff, bram18, buffer_luts)


def pool_cost(op: df.PoolOp, device: Device) -> Cost:
    """Streaming max-pool, PE channels a word.

    Cycles: the unit reads one input word a cycle and writes fewer words than it reads, so a
    frame takes its input words, IH·IW·C/PE (FINN's IW² model is marked inaccurate).

    State (`bnnc_pool`): the partial maxima of RR = ⌈KH/SH⌉ output rows, RR·OW·C/PE words of
    PE·bits, each input word updating up to RR·CC of them (CC = ⌈KW/SW⌉). Without overlap
    (RR = CC = 1) one read and one write port: distributed RAM (`dual_port_lutram`); with
    overlap, flip-flops.
    LUT (Yosys): POOL_BASE_LUT (narrow position counters, window tests) + per candidate window
    and lane an OR (one LUT) for bipolar values, or a comparator and a select
    (POOL_LUT_PER_INT_BIT·bits LUTs) for integers, + the LUTRAM: 84 / 116 against Yosys' 81 /
    122. FINN counts max-pool as 0 LUT. FF: POOL_BASE_FF + one input and one output word (+ the
    partial maxima with overlap).
    """
    c, pe = _int(op.channels), _int(op.pe)
    (ih, iw), (_, ow) = array_values(op.ifm), array_values(op.ofm)
    (kh, kw), (sh, sw) = array_values(op.kernel), array_values(op.strides)
    element = _stream(op.input).element
    cycles = ih * iw * c // pe
    bits = bit_width(element)
    rr, cc = -(-kh // sh), -(-kw // sw)
    words = rr * ow * c // pe
    lane = 1 if is_bipolar(element) else POOL_LUT_PER_INT_BIT * bits
    ff = POOL_BASE_FF + 2 * pe * bits
    if rr * cc == 1:
        buffer_luts = dual_port_lutram(words, pe * bits, fabric_costs(device))
    else:
        buffer_luts, ff = 0, ff + words * pe * bits
    lut = POOL_BASE_LUT + rr * cc * pe * lane + buffer_luts
    return Cost(cycles, lut, ff, 0, buffer_luts)


def threshold_cost(op: df.ThresholdOp, device: Device) -> Cost:
    """Standalone multi-threshold unit on `pixels` pixels of C channels, PE channels a word.

    Cycles: one word a cycle, pixels·C/PE.
    Structure (`bnnc_threshold`): the thresholds are a ROM of CF = C/PE words read at the
    channel-fold counter; Yosys' memory_dff turns the counter and the ROM into a registered
    ROM, so each word holds a threshold row register of PE·steps·b bits (b = the input's bits:
    the compare's sign-extension bit is a duplicate Yosys merges; `rom_register_bits`).
    LUT (Yosys): THRESHOLD_BASE_LUT + per row bit its ROM (⌈CF/64⌉ LUTs) + per comparison
    THRESHOLD_LUT_PER_COMPARED_BIT per bit of the b + 1-bit compare (Yosys maps them partly on
    carry chains; si8, 3 steps, PE 4, CF 8: 20 + 96 + 60 = 176 against Yosys' 157).
    FF: the row register, the output word, the counter and the full flag (108 against 94).
    """
    c, pe, pixels = _int(op.channels), _int(op.pe), _int(op.pixels)
    acc = bit_width(_stream(op.input).element)
    steps = op.thresholds.get_shape()[1]
    cf = c // pe
    row = rom_register_bits(pe * steps * acc, cf)
    storage = row * -(-cf // LUTRAM_BITS_PER_LUT)
    compares = pe * steps * _ceil(THRESHOLD_LUT_PER_COMPARED_BIT * (acc + 1))
    lut = THRESHOLD_BASE_LUT + storage + compares
    ff = row + _stream(op.output).width + max(1, (cf - 1).bit_length()) + 1
    return Cost(pixels * c // pe, lut, ff, 0, storage)


def label_select_cost(op: df.LabelSelectOp, device: Device) -> Cost:
    """Top-k of `classes` scores of b bits, PE scores a word.

    Cycles: one input word a cycle, classes/PE; the k indices leave while the next frame
    streams in.
    LUT (Yosys): the family's `label_select_base_lut` + `label_select_lut_per_entry_bit`·PE·k·
    (b + 1 + index bits): each of the PE scores of a word is ranked against each of the k
    entries of the list (a comparator) and each entry selects between staying, shifting and
    taking the score (a select), one LUT per bit each on 7-series (110 / 720 against Yosys' 111 /
    783). FF (`bnnc_label_select`): its two `integer` counters (the input word, the indices
    still to give: 2·32) and per list entry its score (b + 1 bits, signed), its index twice (the
    list and the output list) and its used flag: 84 / 184 against Yosys' 83 / 184.
    """
    classes, k, pe = _int(op.classes), _int(op.k), _int(op.pe)
    entry = bit_width(_stream(op.input).element) + (classes - 1).bit_length()
    fabric = fabric_costs(device)
    per_entry_bit = fabric.label_select_lut_per_entry_bit
    lut = _ceil(fabric.label_select_base_lut + per_entry_bit * pe * k * (entry + 1))
    index_bits = (classes - 1).bit_length()
    score_bits = bit_width(_stream(op.input).element) + 1
    ff = LABEL_SELECT_COUNTER_FF + k * (score_bits + 2 * index_bits + 1)
    return Cost(classes // pe, lut, ff, 0, 0)


def dwc_cost(op: df.DwcOp, device: Device) -> Cost:
    """A data-width converter: `dwc_stream_cost` for one-pixel streams, `regroup_cost` for
    multi-pixel ones."""
    src, dst = _stream(op.input), _stream(op.output)
    if src.mmv.data == 1 and dst.mmv.data == 1:
        return dwc_stream_cost(src, dst, fabric_costs(device))
    return regroup_cost(src, dst, _int(op.pixels))


def repack_block(in_lanes: int, out_lanes: int, elements: int) -> int:
    """Elements of a block of `bnnc_repack`: lcm(L_in, L_out), or the whole frame if shorter.

    Every input word of a block then starts at a multiple of L_in and every output word at a
    multiple of L_out from the block's start, at fixed bits of a bank, and the frame's last
    block (the E mod block elements left, or a whole block) starts on a word boundary of both
    sides too. The Verilog emitter, the cost model and the cycle model (`bnnc.analysis.fifo_model`) all
    take the block from here.
    """
    return min(math.lcm(in_lanes, out_lanes), elements)


def repack_cost(in_lanes: int, out_lanes: int, elements: int, bits: int,
                fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """A width converter between one-pixel streams (`bnnc_repack`), L_in to L_out lanes of B
    bits, E elements a frame: the df.dwc between one-pixel streams and the AXI-stream ports.

    Cycles: it takes or gives one word a cycle on each side, so max(in words, out words).
    Structure: two banks of a block (`repack_block`), input slots S_in = ⌈block/L_in⌉ and output
    slots S_out = ⌈block/L_out⌉ at fixed bits. LUT (Yosys): REPACK_BASE_LUT, plus for each output
    bit (of the min(L_out, block) lanes that ever carry an element) a 2·S_out-way multiplexer
    over the slots of both banks: one LUT6 up to MUX_INPUTS_PER_LUT ways,
    ⌈REPACK_LUT_PER_MUX_INPUT·2·S_out⌉ beyond; an input word's bits are clock enables of the
    bank registers, no LUTs. Against Yosys (docs/rtl.md): 64 → 56
    lanes of bits, 784 a frame (TFC's input port), 635 / 629; 5 → 9 lanes of 7 bits (its output
    port) 138 / 133; 2 → 16, 1,024 a frame, 91 / 101. On a family that maps the slot decode and
    its OR into wider LUT trees (UltraScale+) the multiplexer costs `repack_mux_scale` times as
    many LUTs (the family's `repack_mux_scale`). FF: both banks,
    block·B bits each (the words' lanes past a frame's end are constant zeros, which Yosys
    removes; TFC's output port: 161 against 165), and the counters: the write and read slots and
    their increments (4 of ⌈log2(max(S_in, S_out) + 1)⌉ bits), the two banks' fill levels
    (⌈log2(S_out + 1)⌉ bits each) and 5 flags (55 / 157 against Yosys' 55 / 157).
    """
    words_in, words_out = -(-elements // in_lanes), -(-elements // out_lanes)
    block = repack_block(in_lanes, out_lanes, elements)
    slots_in, slots_out = -(-block // in_lanes), -(-block // out_lanes)
    ways = 2 * slots_out
    mux = 1 if ways <= MUX_INPUTS_PER_LUT else _ceil(REPACK_LUT_PER_MUX_INPUT * ways)
    per_bit = fabric.repack_mux_scale * mux
    bank = block * bits  # lanes past a frame's end are constants
    counters = 4 * max(slots_in, slots_out).bit_length() + 2 * slots_out.bit_length() + 5
    lanes = min(out_lanes, block)  # lanes past a frame's end are constant zeros
    return Cost(max(words_in, words_out), _ceil(REPACK_BASE_LUT + per_bit * lanes * bits),
                2 * bank + counters, 0, 0)


def dwc_stream_cost(src: df.StreamType, dst: df.StreamType,
                    fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """Data-width converter between one-pixel streams: `repack_cost` of its lanes."""
    return repack_cost(src.lanes.data, dst.lanes.data, src.elements, bit_width(src.element), fabric)


def frame_in_cost(words: int) -> Cost:
    """`bnnc_frame_in`, in front of the input port: a counter of the frame's W AXI words
    (⌈log2 W⌉ bits, its increment and compare: 2 LUTs a bit), the padding and truncated flags
    (TFC, 13 words: 8 LUT, 6 FF in Yosys). Its data select merges into the port's bank loads."""
    bits = max(1, (words - 1).bit_length())
    return Cost(0, 2 * bits, bits + 2, 0, 0)


def input_port_cost(stream: df.StreamType, fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """The AXI-stream input port (`bnnc_repack`): 64-bit AXI words of ⌊64/B⌋ elements
    (`bnnc.semantics.packing`) to the words of `stream`, behind `bnnc_frame_in`
    (`frame_in_cost`)."""
    bits = bit_width(stream.element)
    lanes = elements_per_axi_word(bits)
    repack = repack_cost(lanes, stream.lanes.data, stream.elements, bits, fabric)
    return repack + frame_in_cost(axi_words_per_frame(stream.elements, bits))


def output_port_cost(stream: df.StreamType, fabric: FabricCosts = FABRICS["xc7"]) -> Cost:
    """The AXI-stream output port (`bnnc_repack`): the words of `stream` to 64-bit AXI words."""
    bits = bit_width(stream.element)
    return repack_cost(stream.lanes.data, elements_per_axi_word(bits), stream.elements, bits, fabric)


def regroup_cost(src: df.StreamType, dst: df.StreamType, pixels: int) -> Cost:
    """Data-width converter between multi-pixel streams (`bnnc_regroup`).

    Cycles: max(in words, out words). Two banks of a block of lcm(MMV_in, MMV_out) pixels
    (SIZE bits each); every input word has fixed bits in a bank and every output word is one of
    2·(output words a block) words.
    LUT (Yosys): REGROUP_BASE_LUT + the output multiplexer, ⌈2·out slots/MUX_INPUTS_PER_LUT⌉ per
    output bit, + REGROUP_LUT_PER_BANK_BIT per bit of both banks (the load select):
    216 / 192 against Yosys' 218 / 179. FF: both banks.
    """
    block = math.lcm(src.mmv.data, dst.mmv.data)
    size = block * (src.elements // pixels) * bit_width(src.element)
    out_slots = dst.words.data * block // pixels
    mux = dst.width * -(-2 * out_slots // MUX_INPUTS_PER_LUT)
    lut = _ceil(REGROUP_BASE_LUT + mux + REGROUP_LUT_PER_BANK_BIT * 2 * size)
    return Cost(max(src.words.data, dst.words.data), lut, 2 * size + 2 * out_slots.bit_length() + 4, 0, 0)


def fifo_cost(op: df.FifoOp, device: Device) -> Cost:
    """A FIFO (`bnnc_fifo`) of `depth` words (DEFAULT_FIFO_DEPTH until `size-fifos` sets it) of w
    bits.

    Cycles: one word a cycle, the stream's words per frame.
    Storage: up to LUTRAM_MAX_DEPTH words an asynchronously read distributed RAM
    (`dual_port_lutram`; Yosys uses RAM32M even for 2 words); deeper a BRAM with a registered
    read (`bram18_count`) and a w-bit bypass register and select, the read address rptr_next and
    its compare with wptr (FIFO_BRAM_LUT_PER_POINTER_BIT an address bit: 94 / 169 for 256 x 8
    and 1024 x 64 against Yosys' 100 / 149; UltraScale+ 92 / 149).
    LUT (Yosys): FIFO_BASE_LUT + FIFO_LUT_PER_POINTER_BIT per address bit (two pointers and the
    count: increments, wraps, full and empty compares) + the storage (+ w for the bypass
    select): 10 + 4·5 + 12 = 42 for 32 x 16 (Yosys 41), 50 for 256 x 8 (51).
    FF: the two pointers, rptr + 1, the count with count ± 1 and the two flags,
    6·⌈log2 depth⌉ + 5, + w + 1 for the bypass.
    """
    stream = _stream(op.input)
    depth = _int(op.depth) if op.depth is not None else DEFAULT_FIFO_DEPTH
    width = stream.width
    aw = max(1, (depth - 1).bit_length())
    lut = FIFO_BASE_LUT + FIFO_LUT_PER_POINTER_BIT * aw
    ff = 6 * aw + 5
    fabric = fabric_costs(device)
    if depth <= LUTRAM_MAX_DEPTH:
        bram18, luts = 0, dual_port_lutram(depth, width, fabric)
    else:
        bram18, luts = bram18_count(depth, width), 0
        lut = _ceil(lut + width + FIFO_BRAM_LUT_PER_POINTER_BIT * aw)
        ff += width + 1
    return Cost(stream.words.data, lut + luts, ff, bram18, luts)


_COSTS: dict[type[Operation], Callable[[Any, Device], Cost]] = {
    df.MvtuOp: mvtu_cost,
    df.SwuOp: swu_cost,
    df.PoolOp: pool_cost,
    df.ThresholdOp: threshold_cost,
    df.LabelSelectOp: label_select_cost,
    df.DwcOp: dwc_cost,
    df.FifoOp: fifo_cost,
}


def node_cost(op: Operation, device: Device) -> Cost:
    """The cost of one df engine."""
    cost = _COSTS.get(type(op))
    if cost is None:
        raise BnncError(f"no cost model for '{op.name}'")
    return cost(op, device)


# --------------------------------------------------------------------------------------------
# A whole graph


@dataclass(frozen=True)
class NodeEstimate:
    """One engine of a graph: its name (the result's name hint, or `#index` among the engines),
    the `bnn` layer it implements when known, its kind and its folding."""

    name: str
    layer: str | None
    kind: str
    pe: int | None
    simd: int | None
    mmv: int | None
    cost: Cost
    op: Operation | None = field(compare=False, repr=False)  # None for the AXI-stream ports


@dataclass(frozen=True)
class Estimate:
    """The cost of a `df.graph`: per-engine rows and the pipeline's totals.

    `total` sums the resources; its `cycles` are the bottleneck's, the pipeline's initiation
    interval (a new frame every that many cycles).
    """

    graph: str
    device: Device
    clock_mhz: float
    nodes: tuple[NodeEstimate, ...]
    total: Cost
    latency_cycles: int
    bottleneck: str

    @property
    def fps(self) -> float:
        """Frames per second at the clock: f_clk / bottleneck cycles."""
        return self.clock_mhz * 1e6 / self.total.cycles

    @property
    def latency_us(self) -> float:
        return self.latency_cycles / self.clock_mhz

    def utilisation(self) -> dict[str, float]:
        """The share of the device's LUT, FF, BRAM18, LUTRAM and DSP that the graph uses."""
        d, t = self.device, self.total
        return {"lut": t.lut / d.lut, "ff": t.ff / d.ff, "bram18": t.bram18 / d.bram18,
                "lutram": t.lutram / d.lutram, "dsp": t.dsp / d.dsp if d.dsp else 0.0}


def _folding(op: Operation, name: str) -> int | None:
    attr = op.properties.get(name)
    return attr.value.data if isinstance(attr, IntegerAttr) else None


def _layer(op: Operation) -> str | None:
    attr = op.properties.get("layer")
    return attr.data if isinstance(attr, StringAttr) else None


def estimate_graph(graph: df.GraphOp, device: Device, clock_mhz: float) -> Estimate:
    """Cost every engine of `graph`, and the AXI-stream ports around it (`axis_in`,
    `axis_out`), and sum them up into an `Estimate`.

    Latency: a frame's cycles summed along the pipeline, the longest such sum over the paths
    from the input port to the output port (FINN's "sum along the pipeline, not the product");
    for a linear pipeline that is the sum of the node cycles. It is an upper bound: an engine
    starts on the first words of a frame before its producer has finished the frame.
    Bottleneck: the slowest node, an engine rather than a port when they tie.
    """
    if clock_mhz <= 0:
        raise BnncError(f"the clock must be positive, got {clock_mhz} MHz")
    axis_in = input_port_cost(_stream(graph.input_op().output), fabric_costs(device))
    axis_out = output_port_cost(_stream(graph.output_op().input), fabric_costs(device))
    nodes: list[NodeEstimate] = [NodeEstimate("axis_in", None, "axis", None, None, None, axis_in, None)]
    # cycles from the frame's start until a value is complete
    finish: dict[SSAValue, int] = {graph.input_op().output: axis_in.cycles}
    for op in graph.body.block.ops:
        if not isinstance(op, df.ENGINES):
            continue
        cost = node_cost(op, device)
        start = max((finish.get(v, 0) for v in op.operands), default=0)
        for result in op.results:
            finish[result] = start + cost.cycles
        name = op.results[0].name_hint or f"#{len(nodes) - 1}"
        folding = [_folding(op, p) for p in ("pe", "simd", "mmv")]
        nodes.append(NodeEstimate(name, _layer(op), op.name.removeprefix("df."), *folding, cost, op))
    nodes.append(NodeEstimate("axis_out", None, "axis", None, None, None, axis_out, None))
    total = sum((n.cost for n in nodes), Cost(0, 0, 0, 0, 0))
    slowest = max(nodes, key=lambda n: (n.cost.cycles, n.op is not None))  # the first of equals
    total = Cost(slowest.cost.cycles, total.lut, total.ff, total.bram18, total.lutram, total.dsp)
    latency = finish[graph.output_op().input] + axis_out.cycles
    return Estimate(graph.sym_name.data, device, clock_mhz, tuple(nodes), total, latency, slowest.name)
