"""The cost model's constants that depend on the FPGA fabric family, one table per family.

`bnnc.analysis.cost_model` reads the table of `device.family` (`fabric_costs`); every other constant of
the model is the same on every family (a LUT6 and its carry chain do the same arithmetic on
7-series and UltraScale+). A new fabric family adds a row here, calibrated with
`python benchmarks/yosys_calibration.py --family FAMILY` (docs/rtl.md), and nothing else.

Both rows are fitted against Yosys 0.23 `synth_xilinx -family F -flatten` with its default
options; on UltraScale+ that maps logic into wide LUTs (LUT7/LUT8/LUT9: two, four or eight
LUT6s joined by MUXF7/MUXF8/MUXF9), which costs LUT6s where 7-series Yosys builds a shallower
tree of narrow LUTs. Vivado's mapping differs from both: these are Yosys figures, not Vivado's.
"""

from __future__ import annotations

from dataclasses import dataclass

from bnnc.devices import Device
from bnnc.errors import BnncError


@dataclass(frozen=True)
class FabricCosts:
    family: str
    description: str
    int_bipolar_share: float
    """The share of its adder terms that an MVTU of integer inputs x bipolar weights (or the
    reverse) costs: the negate-and-select and the pipelined tree (`cost_model.mvtu_cost`)."""
    generic_mvtu_share: float
    """The same share for an MVTU of integer inputs x integer weights (FINN-R's terms as
    written)."""
    ram32m_bits: int
    ram64m_bits: int
    ramm_luts: int
    """Simple dual-port distributed RAM as Yosys maps it: `ramm_luts` LUTs hold 32 x `ram32m_bits`
    (RAM32M, RAM32M16) up to 32 words, 64 x `ram64m_bits` (RAM64M, RAM64M8) per 64 words beyond."""
    label_select_base_lut: int
    label_select_lut_per_entry_bit: float
    """Label select: a fixed part and, per lane, list entry and bit, a comparator and a select."""
    dsp_packs_registers: bool
    """Whether Yosys packs an MVTU's DSP lanes' input, weight and first tree-stage registers into
    the DSP slices' A/B/M/P registers (7-series: 161 FF for the DSP configuration; UltraScale+
    0.23 does not: 491)."""
    dsp_tree_fabric_share: float
    """The share of a DSP MVTU's later tree adders left in fabric (7-series: about half go into
    the DSP48E1s' ALUs; UltraScale+: none do)."""
    repack_lut_per_slot_bit: float
    """`bnnc_repack`'s control, LUTs per bit of its slot numbers (`df.dwc.repack_cost`: the slot
    counters, fill levels and the four outcomes of `available`)."""
    regroup_lut_per_bank_bit: float
    """`bnnc_regroup`, LUTs per bit of its two banks (`df.dwc.regroup_cost`: each bank bit is a
    (select, data) pair of the output AND-OR)."""
    regroup_wide_select_lut_per_word: float
    """`bnnc_regroup`'s output select, LUTs per output bit and per word beyond a LUT6 tree's
    (`df.dwc.REGROUP_SELECT_WORDS_PER_LUT`): 0 where Yosys maps it into LUT6s (7-series)."""


FABRICS = {
    # 7-series (Zynq-7000): the calibration of docs/rtl.md, "Both families, every row within
    # 15 %": every configuration within 15 % of Yosys in LUT, FF, BRAM18 and DSP.
    "xc7": FabricCosts(
        family="xc7", description="7-series (LUT6, RAM32M/RAM64M, RAMB18E1/RAMB36E1, DSP48E1)",
        # si8 x bipolar SIMD 3 PE 4: 415 LUT, ui2 x si2 SIMD 8 PE 4: 675 LUT (2026-12-08, with the
        # input buffer's LUTRAM counted apart): the adders' shares
        int_bipolar_share=1.47,
        generic_mvtu_share=0.70,
        ram32m_bits=6, ram64m_bits=3, ramm_luts=4,
        # the pipelined label select (2026-12-08): a lane's list, 2 LUTs an entry bit, and the
        # merge (`df.LabelSelectOp.cost`): 10-top1-ui10 34 LUT in Yosys (4 + 2·15), 100-top5-pe4
        # 2,618 (model 2,542)
        label_select_base_lut=4, label_select_lut_per_entry_bit=2,
        dsp_packs_registers=True, dsp_tree_fabric_share=0.5,  # si14 x si14 PE 2 SIMD 3: 246 LUT, 161 FF
        # bnnc_repack (2026-12-08, the registered `available`): 2 -> 16, 64 -> 8, 64 -> 4 and
        # 64 -> 49 lanes of bits, 5 -> 9 of 7 bits: 74, 136, 180, 1,117, 102 LUT in Yosys
        repack_lut_per_slot_bit=16,
        # bnnc_regroup (the one-hot AND-OR select): 175 and 205 LUT for 256 and 288 bank bits
        regroup_lut_per_bank_bit=0.7, regroup_wide_select_lut_per_word=0.0,
    ),
    # UltraScale+ (Zynq UltraScale+): docs/rtl.md, "Both families, every row within 15 %";
    # refitted on the pipelined engines under `-family xcup`
    # (2026-12-08, Yosys 0.23; docs/rtl.md, UltraScale+ column), after the MVTU's input buffer,
    # control and registered ROMs were modelled from the RTL. Integer MVTUs: si8 x bipolar SIMD 3
    # PE 4 is 415 LUT, ui2 x si2 SIMD 8 PE 4 679: the 7-series shares (before: 1.62, 0.75, when
    # the shares absorbed the input buffer's RAM32M16s). XNOR MVTUs: Yosys
    # xcup 206, 1,046, 1,056, 477, 2,964 LUT for PE x SIMD 4 x 8, 8 x 32, 16 x 16, 2 x 64, 32 x 32
    # are the 7-series figures within 7 %: no wide-LUT term any more (it was PE·SIMD²/96 when the
    # tree was one figure a lane). RAM32M16 holds 32 x 14 bits in 8 LUTs, RAM64M8 64 x 7
    # (fifo-16x32: 16 LUTRAM, fifo-64x2: 40). FIFOs in BRAM: 92 and 149 LUT, the 7-series formula's 94 and 169 (before it counted
    # the read address: 4 LUTs more than it). The DSP MVTU: Yosys keeps every register in
    # fabric (491 FF) and every adder (298 LUT).
    "xcup": FabricCosts(
        family="xcup",
        description=("UltraScale+ (LUT6 with MUXF9, RAM32M16/RAM64M8, RAMB18E2/RAMB36E2, "
                     "URAM288, DSP48E2)"),
        int_bipolar_share=1.47,
        generic_mvtu_share=0.70,
        ram32m_bits=14, ram64m_bits=7, ramm_luts=8,
        # the pipelined label select (2026-12-08): 34 and 2,619 LUT in Yosys for 15 and 320 lane
        # entry bits (the merge's term as on 7-series): 0 + 2.25 an entry bit
        label_select_base_lut=0, label_select_lut_per_entry_bit=2.25,
        dsp_packs_registers=False, dsp_tree_fabric_share=1.0,  # si14 x si14: 298 LUT, 491 FF
        # bnnc_repack: the same five shapes 85, 142, 191, 1,095, 102 LUT in Yosys: the wide
        # multiplexers as on 7-series (the 1.4 scale of the mux, fitted on 2 -> 16 and 64 -> 8
        # alone, put LFC's port at +29 %), the control 18.5 LUTs a slot bit
        repack_lut_per_slot_bit=18.5,
        # bnnc_regroup: 175 LUT for 1 -> MMV 4 (8 words a bit) as on 7-series; 264 for MMV 2 ->
        # 1 (36 words): Yosys builds the 36-word select from LUT7-LUT9 (194 MUXF7, 88 MUXF8)
        regroup_lut_per_bank_bit=0.7, regroup_wide_select_lut_per_word=0.3,
    ),
}


def fabric_costs(device: Device) -> FabricCosts:
    """The cost table of the device's fabric family."""
    table = FABRICS.get(device.family)
    if table is None:
        raise BnncError(f"board '{device.name}': no cost model for the fabric family "
                        f"'{device.family}'; the families are {', '.join(sorted(FABRICS))}")
    return table
