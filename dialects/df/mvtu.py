"""`df.mvtu`, the matrix-vector-threshold unit: everything about the engine."""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    UnitAttr,
    i64,
)
from xdsl.ir import Attribute, TypeAttribute
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from bnnc.devices import DEFAULT_BOARD, Device, load_device
from bnnc.dialects.bnn import (
    bit_width,
    dense_values,
    is_bipolar,
    is_integer,
    is_signed_integer,
    signed_bits,
    value_range,
)
from bnnc.dialects.df.checks import _check_thresholds, _check_weights, _expect, _int, _stream, _values
from bnnc.dialects.df.emission import (
    HlsInstance,
    HlsTemplate,
    int_arg,
    type_bits,
    HlsRom,
    VerilogInstance,
    clamped_thresholds,
    code_bits,
    element_codes,
    element_kind,
    hex_words,
    reshape_words,
    threshold_rom,
)
from bnnc.dialects.df.engine import EngineOp, stream_numbers
from bnnc.dialects.df.resources import (
    LUT_OVERHEAD,
    LUTRAM_BITS_PER_LUT,
    LUTRAM_MAX_DEPTH,
    Cost,
    FabricTable,
    ceil,
    dual_port_lutram,
    rom_register_bits,
    weight_memory_cost,
)
from bnnc.dialects.df.types import STORAGES, Fold, StreamType, stream_type
from bnnc.semantics.arithmetic import threshold_counts
from bnnc.semantics.packing import pack_rows
from bnnc.semantics.schedules import WordPlan, schedule

PRODUCTS = ("lut", "dsp")
"""Where an MVTU's lanes multiply."""

# Constants calibrated against Yosys (`synth_xilinx -family xc7`) on `bnnc_mvtu`
# (`python benchmarks/yosys_calibration.py`, docs/rtl.md); each one's use is derived in the
# docstring of the method that uses it.
# A fixed part (the fold counters, the three pipeline stages' handshakes) plus the per-PE
# datapath as FINN-R writes it.
MVTU_BASE_LUT = 60
# The pipeline (`adder_tree`): lanes the dot product's first tree stage sums, and nodes a later
# stage adds, at TREE_CLOCK_MHZ; a level of logic (LUT and routing) per doubling.
TREE_CLOCK_MHZ = 200.0
POPCOUNT_GROUP = 8
INT_GROUP = 2
TREE_RADIX = 4
TREE_LEVEL_NS = 0.5
# XNOR layers: the "multiplier" of a lane is one LUT (an XNOR of two bits).
XNOR_LUT_PER_LANE = 1
# XNOR layers with the pipelined tree (`adder_tree`): the XNORs merge into the 8-lane first
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
# the family's `int_bipolar_share` of its terms (`bnnc.analysis.fabric_costs`).


_MVTU_PARAMS = ("MW", "MH", "PE", "SIMD", "MMV", "VECTORS", "POPCOUNT", "InT", "WeightT", "AccT", "OutT")


def _mvtu_widths(args: dict[str, Attribute]) -> list[int]:
    mmv = int_arg(args, "MMV")
    return [int_arg(args, "SIMD") * mmv * type_bits(args, "InT"), int_arg(args, "PE") * mmv * type_bits(args, "OutT")]


def _mvtu_roms(args: dict[str, Attribute], thresholds: bool) -> list[tuple[tuple[int, ...], int]]:
    pe, simd = int_arg(args, "PE"), int_arg(args, "SIMD")
    nf, sf = int_arg(args, "MH") // pe, int_arg(args, "MW") // simd
    weights = ((pe, nf * sf), simd * type_bits(args, "WeightT"))
    return [weights, ((pe, nf, int_arg(args, "STEPS")), type_bits(args, "ThrT"))] if thresholds else [weights]


@irdl_op_definition
class MvtuOp(EngineOp):
    """Matrix-vector-threshold unit: `vectors` input vectors of MW elements per frame, each
    multiplied by the (MH, MW) weight matrix, then thresholded (or the accumulators passed on).

    Input words hold SIMD·MMV elements, output words PE·MMV. Without `thresholds` the outputs
    are the accumulators (popcounts when `popcount`, signed sums otherwise).
    """

    name = "df.mvtu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    mw = prop_def(IntegerAttr)
    mh = prop_def(IntegerAttr)
    pe = prop_def(IntegerAttr)
    simd = prop_def(IntegerAttr)
    mmv = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    vectors = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    popcount = opt_prop_def(UnitAttr)
    thresholds = opt_prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    layer = opt_prop_def(StringAttr)
    acc_type = opt_prop_def(IntegerType)
    """The accumulator's type (also the thresholds'), chosen by `prepare-for-emission`."""
    weight_storage = opt_prop_def(StringAttr)
    """Where the weight memory lives, `lutram` or `bram`, chosen by `prepare-for-emission`."""
    products = opt_prop_def(StringAttr)
    """Where the lanes multiply, `lut` or `dsp` (`uses_dsp`), chosen by `prepare-for-emission`."""
    tree = opt_prop_def(DenseArrayBase)
    """The adder tree's (GROUP, RADIX) (`adder_tree`), chosen by `prepare-for-emission`."""
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe", "simd", "mmv")
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "mvtu": HlsTemplate((*_MVTU_PARAMS, "ThrT", "STEPS", "OFFSET"), _mvtu_widths,
                            lambda a: _mvtu_roms(a, thresholds=True), roms=("weights", "thresholds")),
        "mvtu_acc": HlsTemplate(_MVTU_PARAMS, _mvtu_widths, lambda a: _mvtu_roms(a, thresholds=False),
                                roms=("weights",)),
    }

    def verify_(self) -> None:
        self.verify_fold()
        mw, mh = _int(self.mw), _int(self.mh)
        _check_weights(self.weights, self.weight_type, mh, mw)
        self.verify_streams()
        in_s, out_s = _stream(self.input), _stream(self.output)
        if self.popcount is not None:
            _expect(
                is_bipolar(in_s.element) and is_bipolar(self.weight_type),
                "popcount accumulation needs bipolar inputs and weights",
            )
        if self.thresholds is not None:
            _check_thresholds(self.thresholds, mh, out_s.element, _int(self.offset))
        else:
            _expect(is_integer(out_s.element), "accumulator outputs must be integers")
        if self.acc_type is not None:
            lo, hi = self.accumulator_range()
            _expect(is_signed_integer(self.acc_type) and signed_bits(lo, hi + 1) <= bit_width(self.acc_type),
                    f"acc_type {self.acc_type} does not hold the accumulator's range [{lo}, {hi + 1}]")
        if self.weight_storage is not None:
            _expect(self.weight_storage.data in STORAGES,
                    f"weight_storage must be one of {', '.join(STORAGES)}, got '{self.weight_storage.data}'")
        if self.products is not None:
            _expect(self.products.data in PRODUCTS,
                    f"products must be one of {', '.join(PRODUCTS)}, got '{self.products.data}'")
            _expect(self.products.data == "lut" or self.multiplies(),
                    "products = \"dsp\" needs integer inputs and integer weights (a bipolar lane does not multiply)")
        if self.tree is not None:
            group, radix = _values(self.tree, 2, "tree")
            _expect(1 <= group <= _int(self.simd) and radix >= 2,
                    f"tree = [{group}, {radix}] needs 1 <= GROUP <= SIMD = {_int(self.simd)} and RADIX >= 2")

    def accumulator_range(self) -> tuple[int, int]:
        """The values the accumulator can take: popcounts 0..MW, else MW times the range of one
        product of an input and a weight."""
        mw = _int(self.mw)
        if self.popcount is not None:
            return 0, mw
        (xl, xh), (wl, wh) = value_range(_stream(self.input).element), value_range(self.weight_type)
        products = (xl * wl, xl * wh, xh * wl, xh * wh)
        return mw * min(products), mw * max(products)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        mw, mh, vectors = _int(self.mw), _int(self.mh), _int(self.vectors)
        return {"pe": (mh, f"MH = {mh} is"), "simd": (mw, f"MW = {mw} is"),
                "mmv": (vectors, f"{vectors} output pixels are")}

    def input_type(self, element: Attribute) -> StreamType:
        lanes = _int(self.simd) * _int(self.mmv)
        return stream_type(element, lanes, _int(self.vectors) * _int(self.mw) // lanes, _int(self.mmv))

    def output_type(self, element: Attribute) -> StreamType:
        lanes = _int(self.pe) * _int(self.mmv)
        return stream_type(element, lanes, _int(self.vectors) * _int(self.mh) // lanes, _int(self.mmv))

    def frame_vectors(self) -> int:
        return _int(self.vectors)

    def weight_memory(self):
        """The weight memory as the hardware holds it: (PE, NF·SF, SIMD) weight values.

        Output row r lives in PE r mod PE at tile (r div PE)·SF + sf, lane s holding column
        sf·SIMD + s (DESIGN.md, "Folding"), for NF = MH/PE neuron folds and SF = MW/SIMD synapse
        folds.
        """
        from bnnc.semantics.packing import to_signed, unpack_rows

        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        bits = bit_width(self.weight_type)
        codes = unpack_rows(self.weights, mw, bits)
        values = 2 * codes - 1 if is_bipolar(self.weight_type) else to_signed(codes, bits)
        nf, sf = mh // pe, mw // simd
        # values[nf·PE + p, sf·SIMD + s] -> memory[p, nf·SF + sf, s]
        return values.reshape(nf, pe, sf, simd).transpose(1, 0, 2, 3).reshape(pe, nf * sf, simd)

    def memories(self) -> dict[str, object]:
        memories: dict[str, object] = {"weights": self.weight_memory()}
        if self.thresholds is not None:
            memories["thresholds"] = dense_values(self.thresholds)
        return memories

    @property
    def neuron_folds(self) -> int:
        return _int(self.mh) // _int(self.pe)

    @property
    def synapse_folds(self) -> int:
        return _int(self.mw) // _int(self.simd)

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def set_fold(self, fold: Fold) -> None:
        super().set_fold(fold)
        self.properties.pop("tree", None)  # sized for the old SIMD

    def multiplies(self) -> bool:
        """Whether the lanes multiply at all: integer inputs and integer weights (a bipolar factor
        is a negate-and-select, XNOR lanes a LUT)."""
        return not (self.popcount is not None or is_bipolar(self.weight_type)
                    or is_bipolar(_stream(self.input).element))

    def _device(self) -> Device:
        """The board of the graph the op is in (its target), the default board if detached."""
        from bnnc.dialects.df.graph import GraphOp, target_of

        graph = self.parent_op()
        return load_device(target_of(graph).board.data if isinstance(graph, GraphOp) else DEFAULT_BOARD)

    def uses_dsp(self, device: Device | None = None) -> bool:
        """Whether the lanes multiply on DSP slices rather than in LUTs: `products` once
        `prepare-for-emission` has recorded it, else the rule for `device` (the graph's target
        board unless given).

        Only n-bit x n-bit lanes multiply (`multiplies`). A product goes to a DSP when its LUTs
        (`product_luts`) cost more of the device than one DSP slice does: the device's LUTs per
        DSP, rounded (ZC706: 218,600 / 900 = 243). That takes W + A ≥ 24 bits on ZC706 (16 x 8:
        264 LUT); every product of the networks bnnc compiles today (at most 8 x 8: 80 LUT) stays
        in LUTs. A device without DSPs keeps every product in LUTs.
        """
        if self.products is not None:
            return self.products.data == "dsp"
        if not self.multiplies():
            return False
        device = device if device is not None else self._device()
        if device.dsp <= 0:
            return False
        w, a = bit_width(self.weight_type), bit_width(_stream(self.input).element)
        return product_luts(w, a) > round(device.lut / device.dsp)

    def wide_lut_products(self) -> bool:
        """Whether the lanes multiply n-bit by n-bit in LUTs with W + A ≥ 6 bits: such a product
        is alone in the tree's first stage (GROUP = 1), as a DSP's is (4 x 4 bits two lanes a node
        took 8.8 ns in Yosys; 2 x 2 bits fit a LUT6 and keep INT_GROUP)."""
        if not self.multiplies() or self.uses_dsp():
            return False
        return bit_width(self.weight_type) + bit_width(_stream(self.input).element) >= 6

    def adder_tree(self, clock_mhz: float | None = None, device: Device | None = None) -> tuple[int, int, int]:
        """The dot product's pipelined adder tree in `bnnc_mvtu`: (GROUP, RADIX, TREE_STAGES);
        GROUP and RADIX are `tree` once `prepare-for-emission` has recorded it.

        The first stage sums GROUP lanes, every further one RADIX nodes of the stage before, until
        one node is left: TREE_STAGES = 1 + ⌈log_RADIX ⌈SIMD/GROUP⌉⌉. At 200 MHz (5.0 ns) the
        timing check (`bnnc.backends.verilog.timing`) measures a stage of POPCOUNT_GROUP XNOR lanes,
        of INT_GROUP negate-and-select or product lanes, and of TREE_RADIX nodes within the period
        (docs/rtl.md); a product on a DSP is alone in the first stage (the DSP's M/P registers).
        Each doubling of a stage's lanes adds about one level of logic (a LUT and its routing,
        TREE_LEVEL_NS), so a clock whose period is k such levels longer (shorter) takes 2^k times
        (2^−k times) the lanes in its first stage. The clock is the graph's target
        (`df.target_of`) unless given; a detached op (a folding probe) is taken at TREE_CLOCK_MHZ.
        """
        simd = _int(self.simd)
        if self.tree is not None:
            group, radix = _values(self.tree, 2, "tree")
        else:
            if clock_mhz is None:
                from bnnc.dialects.df.graph import GraphOp, target_of

                graph = self.parent_op()
                clock_mhz = target_of(graph).clock if isinstance(graph, GraphOp) else TREE_CLOCK_MHZ
            if self.uses_dsp(device) or self.wide_lut_products():
                base = 1
            else:
                base = POPCOUNT_GROUP if self.popcount is not None else INT_GROUP
            levels = math.floor((1000.0 / clock_mhz - 1000.0 / TREE_CLOCK_MHZ) / TREE_LEVEL_NS)
            group, radix = max(1, min(simd, int(base * 2.0 ** levels))), TREE_RADIX
        nodes, stages = -(-simd // group), 1
        while nodes > 1:
            nodes, stages = -(-nodes // radix), stages + 1
        return group, radix, stages

    def record_structure(self, clock_mhz: float | None, device: Device) -> None:
        """Record `products` and `tree` for `clock_mhz` on `device` (`prepare-for-emission`;
        `adder_tree` for a clock of None), printed with the folding, before the layer's name
        and the widths."""
        decided: dict[str, Attribute] = {}
        if self.products is None:
            decided["products"] = StringAttr("dsp" if self.uses_dsp(device) else "lut")
        if self.tree is None:
            group, radix, _ = self.adder_tree(clock_mhz, device)
            decided["tree"] = DenseArrayBase.from_list(i64, [group, radix])
        if not decided:
            return
        names = list(self.properties)
        at = next((i for i, k in enumerate(names) if k in ("layer", "acc_type", "weight_storage")), len(names))
        items = list(self.properties.items())
        self.properties.clear()
        self.properties.update(dict(items[:at]) | decided | dict(items[at:]))

    def accumulator_bits(self) -> int:
        """The accumulator's bits as `cost` counts them: bits of MW for a popcount, else
        W + A + bits of MW − 1."""
        mw = _int(self.mw)
        if self.popcount is not None:
            return mw.bit_length()
        return bit_width(self.weight_type) + bit_width(_stream(self.input).element) + (mw - 1).bit_length()

    def tree_ff(self, device: Device | None = None) -> int:
        """Flip-flops of one PE's adder tree (`adder_tree`) in `bnnc_mvtu`: stage s holds
        N_s = ⌈N_(s−1)/RADIX⌉ nodes (N_0 = ⌈SIMD/GROUP⌉), each of ⌈log2(lanes + 1)⌉ bits for a
        popcount of its lanes (GROUP·RADIX^s, at most SIMD), else of the accumulator's bits."""
        group, radix, stages = self.adder_tree(device=device)
        simd = _int(self.simd)
        acc = self.accumulator_bits()
        nodes, lanes, ff = -(-simd // group), min(group, simd), 0
        for _ in range(stages):
            ff += nodes * ((lanes).bit_length() if self.popcount is not None else acc)
            nodes, lanes = -(-nodes // radix), min(lanes * radix, simd)
        return ff

    def pipeline_depth(self) -> int:
        """Cycles from an MVTU's last tile of a word to the word's handshake: the weight read, the
        RAM's output register, the tree's stages (`adder_tree`), the accumulator and the output
        register (`bnnc_mvtu`); with more than one threshold a channel, the registered
        comparisons before it (their thermometer code is counted in the output stage)."""
        return 4 + self.adder_tree()[2] + (1 if self.threshold_steps() > 1 else 0)

    def threshold_steps(self) -> int:
        """Thresholds a channel (0 without thresholds)."""
        return self.thresholds.get_shape()[1] if self.thresholds is not None else 0  # type: ignore[attr-defined]

    def cycles(self) -> int:
        """Every output vector takes (MH/PE) neuron folds of (MW/SIMD) synapse folds, one fold
        a cycle, and MMV vectors go through together: (MH/PE)·(MW/SIMD)·vectors/MMV."""
        return self.neuron_folds * self.synapse_folds * (_int(self.vectors) // _int(self.mmv))

    def control_ff(self, device: Device | None = None) -> int:
        """Flip-flops of the MVTU's control (`bnnc_mvtu`): the tile, synapse-fold and neuron-fold
        counters (TA, SA, NA bits), the input buffer's read address (SA), the CW = 3 + NA control
        bits of stage 1 and of each of the 1 + TREE_STAGES stages after it, the accumulator's neuron
        fold (NA), its valid and the output's full flag. (38 for PE 4 SIMD 8 MW 64 MH 32, as Yosys
        counts them.)"""
        nf, sf = self.neuron_folds, self.synapse_folds
        ta, sa, na = (max(1, (n - 1).bit_length()) for n in (nf * sf, sf, nf))
        cw = 3 + na
        return ta + 2 * sa + 2 * na + cw * (2 + self.adder_tree(device=device)[2]) + 2

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Matrix-vector-threshold unit. Cycles: `cycles`.

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
            shifts and adds of `bnnc_mvtu`), adder = (W+A)·(2Q − 1); scaled by the family's
            `generic_mvtu_share` (1 on 7-series);
          - thr = steps·acc·⌈TMEM/64⌉ (thresholds in LUT ROM), comp = steps·acc (comparators);
          - acc = bits of MW for a popcount (0…MW); W + A + bits of MW − 1 for a signed sum of
            MW products (a product needs W + A bits; MW of them add ⌈log2 MW⌉ bits).
        MMV replicates the datapath (each pixel of a word has its own PEs) but not the weights.

        Weights: depth ω = MW·MH/(PE·SIMD) words of PE·SIMD·W bits (`weight_memory_cost`).

        Input buffer: the SF = MW/SIMD words of MMV·SIMD·A bits that the neuron folds after the first
        reuse, a distributed RAM (`dual_port_lutram`), counted in LUT and LUTRAM (Yosys: 8, 24, 12,
        44, 24 LUTRAM in the five XNOR configurations); deeper than LUTRAM_MAX_DEPTH words it is
        not counted (no calibration configuration is that deep: where Yosys puts it is not known).

        FF: the control (`control_ff`) + the input word in the read and the RAM-output stages +
        per PE and pixel the accumulator, the output bits and the adder tree (`tree_ff`) + the
        weight word in the RAM-output stage, and once more in the read stage when the weights are
        LUT ROM (a BRAM's read register holds it otherwise; a registered ROM, `rom_register_bits`)
        + with thresholds in LUT ROM their row, read through the accumulator's neuron-fold register
        (`rom_register_bits` of PE·steps·acc bits).

        On DSPs (`uses_dsp`) the multiplier LUTs and the first stage's adders are not counted,
        of the later stages' adders the family's `dsp_tree_fabric_share` (the rest go to the DSPs'
        ALUs); where the family's `dsp_packs_registers` (7-series Yosys), the input and weight
        registers of stages 1 and 2 are the DSP slices' A1/A2 and B1/B2 registers and the tree's
        first stage their M/P register: none of them in fabric.

        DSP: one DSP slice a lane, PE·MMV·SIMD, when the products go to DSPs (`uses_dsp`).
        """
        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        mmv = _int(self.mmv)
        w, a = bit_width(self.weight_type), bit_width(_stream(self.input).element)
        out_bits = bit_width(_stream(self.output).element)
        dsp_products = self.uses_dsp(device)
        share = 1.0
        if self.popcount is not None:
            acc = mw.bit_length()
            mult = 0
            adder = ceil(simd * xnor_tree_lut_per_lane(simd))
        elif is_bipolar(self.weight_type) or is_bipolar(_stream(self.input).element):
            acc = w + a + (mw - 1).bit_length()
            integer_bits = a if is_bipolar(self.weight_type) else w
            mult, adder, share = 0, simd * (integer_bits + 1), fabric.int_bipolar_share
        elif dsp_products:  # products and first-stage sums in the DSP slices, the later sums partly
            acc = w + a + (mw - 1).bit_length()
            later_sums = (-(-simd // self.adder_tree(device=device)[0]) - 1) * acc
            mult, adder = 0, ceil(fabric.dsp_tree_fabric_share * later_sums)
        else:
            acc = w + a + (mw - 1).bit_length()
            mult = simd * product_luts(w, a)
            adder = (w + a) * (2 * simd - 1)
            share = fabric.generic_mvtu_share
        steps = self.thresholds.get_shape()[1] if self.thresholds is not None else 0
        thr = steps * acc * -(-(mh // pe) // LUTRAM_BITS_PER_LUT)
        comp = steps * acc
        depth = mw * mh // (pe * simd)
        bram18, weight_luts, row_mux = weight_memory_cost(depth, pe * simd * w, fabric)
        if not bram18 and dsp_products:  # a shallow ROM: one LUT per distinct registered bit
            weight_luts = rom_register_bits(pe * simd * w, depth)
        if mw // simd <= LUTRAM_MAX_DEPTH:
            input_buffer = dual_port_lutram(mw // simd, simd * mmv * a, fabric)
        else:  # not calibrated: no configuration has SF > 128 (where Yosys puts it is not measured)
            input_buffer = 0
        datapath = LUT_OVERHEAD * pe * mmv * (share * (mult + adder) + acc + thr + comp)
        lut = ceil(MVTU_BASE_LUT + datapath) + weight_luts + row_mux + input_buffer
        # the input word twice (read, RAM output stage), the weight tile in the RAM output stage
        # (and in the read register when the weights are LUT ROM), the trees, the accumulators
        weight_read = 0 if bram18 else rom_register_bits(pe * simd * w, depth)
        # the RAM-output stage: a copy of the read register (of a ROM's, as merged as it)
        weight_out = pe * simd * w if bram18 else weight_read
        threshold_row = rom_register_bits(pe * steps * acc, mh // pe) if steps else 0
        if dsp_products and fabric.dsp_packs_registers:  # A1/A2, B1/B2, M/P of the DSP slices
            registers = pe * mmv * (acc + out_bits) + weight_read
        else:
            registers = (2 * simd * mmv * a + pe * mmv * (acc + out_bits + self.tree_ff(device))
                         + weight_out + weight_read)
        # with several thresholds, the registered comparison bits and their valid (not calibrated
        # against Yosys yet: an estimate)
        compared = pe * mmv * steps + 1 if steps > 1 else 0
        ff = self.control_ff(device) + registers + threshold_row + compared
        dsp = pe * mmv * simd if dsp_products else 0
        return Cost(self.cycles(), lut, ff, bram18, weight_luts + pe * mmv * thr + input_buffer, dsp)

    def word_plan(self, frames: int) -> WordPlan | None:
        return None  # `word_schedule` schedules the MVTU itself

    def word_schedule(self, arrival: np.ndarray, room: np.ndarray, frames: int,
                      plan: WordPlan | None) -> tuple[np.ndarray, np.ndarray]:
        """Per group of MMV vectors, SF = MW/SIMD reads (one a cycle), the first output word with
        the last read, then NF − 1 more words SF cycles apart (the input is reused from a buffer):
        NF·SF cycles a group. A word leaves `pipeline_depth` cycles after its last tile; the
        pipeline stalls as a whole while its output word waits."""
        sf, nf = self.synapse_folds, self.neuron_folds
        groups = _int(self.vectors) // _int(self.mmv) * frames
        # events per group: sf reads, then nf writes (at their last tile)
        per_group = np.concatenate([np.ones(sf), [0.0], np.full(nf - 1, float(sf))])
        gaps = np.tile(per_group, groups)
        gaps[0] = 0
        is_read = np.tile(np.concatenate([np.ones(sf, bool), np.zeros(nf, bool)]), groups)
        constraint = np.empty(gaps.size)
        constraint[is_read] = arrival
        delay = self.pipeline_depth()
        constraint[~is_read] = room - delay
        times = schedule(gaps, constraint)
        return times[is_read], times[~is_read] + delay


    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """Input words (pixel group g, synapse fold f; lanes (pixel m, lane s)) times the weight
        memory (`weight_memory`), thresholded; output words (pixel group g, neuron fold f; lanes
        (pixel m, PE p))."""
        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        mmv, vectors = _int(self.mmv), _int(self.vectors)
        n, nf, sf = x.shape[0], mh // pe, mw // simd
        vec = x.reshape(n, vectors // mmv, sf, mmv, simd).transpose(0, 1, 3, 2, 4).reshape(n * vectors, mw)
        memory = self.weight_memory()  # (PE, NF·SF, SIMD)
        matrix = memory.reshape(pe, nf, sf, simd).transpose(2, 3, 1, 0).reshape(mw, mh)  # [col, row]
        # ±1 or small-integer products summed in float32 are exact below 2^24; wider sums (products
        # wide enough for DSPs) in float64, exact below 2^53
        numbers = stream_numbers(vec, _stream(self.input))
        bound = float(np.abs(numbers).max(initial=0)) * float(np.abs(matrix).max(initial=0)) * mw
        exact = np.float32 if bound < 2**24 else np.float64
        acc = np.rint(numbers.astype(exact) @ matrix.astype(exact))
        acc = acc.astype(np.int64)
        if self.popcount is not None:
            acc = (acc + mw) // 2
        if self.thresholds is not None:
            thresholds = dense_values(self.thresholds)  # (MH or 1, steps)
            out = threshold_counts(acc, thresholds, _int(self.offset), is_bipolar(_stream(self.output).element))
        else:
            out = acc
        out = out.reshape(n, vectors // mmv, mmv, nf, pe).transpose(0, 1, 3, 2, 4)
        return out.reshape(n, (vectors // mmv) * nf, mmv * pe)

    # ----------------------------------------------------------------------------------------
    # Emission

    def hls_instance(self) -> HlsInstance:
        """`mvtu` (thresholds) or `mvtu_acc` (accumulators out): weights as `weight_memory` gives
        them, one entry per (PE, tile) of SIMD lanes packed as a stream word, in the recorded
        `weight_storage`; thresholds [PE][MH/PE][steps] in the recorded `acc_type`."""
        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        nf, sf = mh // pe, mw // simd
        w_bits = bit_width(self.weight_type)
        memory = self.weight_memory()  # (PE, NF·SF, SIMD) numbers
        codes = element_codes(memory, self.weight_type).reshape(pe * nf * sf, simd)
        entry = IntegerType(simd * w_bits, Signedness.UNSIGNED)
        contents = reshape_words(pack_rows(codes, w_bits), (pe, nf * sf))
        roms = [HlsRom("weights", entry, (pe, nf * sf), contents, self.weight_storage.data, (0,))]  # type: ignore[union-attr]
        acc_t = self.acc_type
        args: dict[str, Attribute | int] = {
            "MW": mw, "MH": mh, "PE": pe, "SIMD": simd, "MMV": _int(self.mmv), "VECTORS": _int(self.vectors),
            "POPCOUNT": int(self.popcount is not None), "InT": _stream(self.input).element,
            "WeightT": self.weight_type, "AccT": acc_t, "OutT": _stream(self.output).element,  # type: ignore[dict-item]
        }
        if self.thresholds is None:
            return HlsInstance("mvtu_acc", "mvtu", args, roms)
        lo, hi = self.accumulator_range()
        name = self.layer.data if self.layer is not None else "mvtu"
        roms.append(threshold_rom(name, self.thresholds, mh, pe, lo, hi, acc_t))  # type: ignore[arg-type]
        args |= {"ThrT": acc_t, "STEPS": self.thresholds.get_shape()[1], "OFFSET": _int(self.offset)}  # type: ignore[dict-item]
        return HlsInstance("mvtu", "mvtu", args, roms)

    def verilog_instance(self, name: str) -> VerilogInstance:
        """`bnnc_mvtu`: weight word t holds PE p's lanes at [(p·SIMD + s)·W, …); threshold word n
        holds threshold i of PE p (row n·PE + p) at [(p·steps + i)·ACC_BITS, …), clamped; the
        recorded `acc_type`, `tree` and `products`."""
        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        nf = mh // pe
        x_elem, out_elem = _stream(self.input).element, _stream(self.output).element
        in_bits, w_bits = bit_width(x_elem), bit_width(self.weight_type)
        lo, hi = self.accumulator_range()
        acc_bits = bit_width(self.acc_type)  # type: ignore[arg-type]
        memory = self.weight_memory()  # (PE, tiles, SIMD) values
        codes = (memory > 0).astype(np.int64) if is_bipolar(self.weight_type) else memory
        weights = code_bits(codes.transpose(1, 0, 2).reshape(nf * (mw // simd), pe * simd), w_bits)
        memories = {f"{name}_weights.mem": hex_words(weights)}
        steps = 0
        if self.thresholds is not None:
            t = clamped_thresholds(self.thresholds, mh, lo, hi)
            steps = t.shape[1]
            memories[f"{name}_thresholds.mem"] = hex_words(code_bits(t.reshape(nf, pe * steps), acc_bits))
        group, radix, _ = self.adder_tree()
        params: dict[str, int | str] = {
            "MW": mw, "MH": mh, "PE": pe, "SIMD": simd, "MMV": _int(self.mmv),
            "IN_BITS": in_bits, "IN_KIND": element_kind(x_elem),
            "W_BITS": w_bits, "W_KIND": element_kind(self.weight_type), "POPCOUNT": int(self.popcount is not None),
            "ACC_BITS": acc_bits, "STEPS": steps, "OFFSET": _int(self.offset), "OUT_BITS": bit_width(out_elem),
            "GROUP": group, "RADIX": radix, "USE_DSP": int(self.uses_dsp()),
            "WEIGHT_FILE": f"{name}_weights.mem", "THRESHOLD_FILE": f"{name}_thresholds.mem",
        }
        return VerilogInstance("bnnc_mvtu", params, memories)


def xnor_tree_lut_per_lane(simd: int) -> float:
    """LUTs a lane of an XNOR MVTU's pipelined popcount tree costs, XNOR included:
    XNOR_TREE_LUT_PER_LANE at SIMD 8 plus XNOR_TREE_LUT_PER_LANE_DOUBLING per doubling of SIMD
    (each doubling adds a tree stage whose nodes are a bit wider; fewer lanes than the first
    stage's group cost its figure): 0.7, 1.2, 1.7, 2.2 at SIMD 8, 16, 32, 64 (Yosys xc7: 0.69,
    1.14, 1.91 / 1.78, 2.20)."""
    doublings = math.log2(max(simd, POPCOUNT_GROUP) / POPCOUNT_GROUP)
    return XNOR_TREE_LUT_PER_LANE + XNOR_TREE_LUT_PER_LANE_DOUBLING * doublings


def product_luts(w: int, a: int) -> int:
    """LUTs of one W x A-bit product in fabric (FINN-R's generic multiplier, `MvtuOp.cost`)."""
    return (2 * -(-(w + a) // LUT_INPUTS) - 1) * (w + a)


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
