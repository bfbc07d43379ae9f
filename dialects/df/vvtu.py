"""`df.vvtu`, the vector-vector-threshold unit of a depthwise convolution: everything about the
engine (docs/design.md, "Depthwise convolution below `bnn`")."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from bnnc.dialects.bnn import (
    array_values,
    bit_width,
    dense_values,
    is_bipolar,
    is_integer,
    signed_bits,
    value_range,
)
from bnnc.dialects.df.checks import (
    _check_thresholds,
    _check_weights,
    _expect,
    _int,
    _stream,
    _values,
)
from bnnc.dialects.df.emission import (
    HlsInstance,
    HlsRom,
    HlsTemplate,
    VerilogInstance,
    clamped_thresholds,
    code_bits,
    element_codes,
    element_kind,
    hex_words,
    int_arg,
    reshape_words,
    threshold_rom,
    type_bits,
)
from bnnc.dialects.df.engine import EngineOp, stream_numbers
from bnnc.dialects.df.mvtu import (
    INT_GROUP,
    POPCOUNT_GROUP,
    TREE_RADIX,
    product_luts,
    xnor_tree_lut_per_lane,
)
from bnnc.dialects.df.resources import (
    LUT_OVERHEAD,
    LUTRAM_BITS_PER_LUT,
    LUTRAM_MAX_DEPTH,
    Cost,
    FabricTable,
    ceil,
    rom_register_bits,
    weight_memory_cost,
)
from bnnc.dialects.df.types import StreamType, stream_type
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

from bnnc.devices import Device
from bnnc.semantics.arithmetic import threshold_counts
from bnnc.semantics.packing import pack_rows, to_signed, unpack_rows
from bnnc.semantics.schedules import WordPlan, schedule

# The MVTU's constants carried over (docs/design.md, "Depthwise convolution below `bnn`"); the
# base is the MVTU's fixed part. Each one's use is derived in `VvtuOp.cost`.
VVTU_BASE_LUT = 60
VVTU_BASE_FF = 10  # the channel-fold and tap-fold counters and the stages' valid bits
# Fitted against Yosys (`synth_xilinx -family xc7`) on `bnnc_vvtu` (benchmarks/yosys_calibration.py,
# 2026-12-08, docs/rtl.md): two configurations, ui4 x si4, 3x3, 15 thresholds (c32 PE 8 SIMD 3:
# 1,831 LUT; c8 PE 2 SIMD 9: 792), two constants solved exactly from them (no third
# configuration checks them; 7-series only). n-bit x n-bit lanes: the share of FINN-R's
# mult + adder that the tree of partial products costs; thresholds: the share of thr + comp
# (a 4-word threshold ROM and registered comparisons, the count of a thermometer code).
VVTU_PRODUCT_SHARE = 0.5
VVTU_THRESHOLD_SHARE = 0.39

_VVTU_PARAMS = ("CHANNELS", "TAPS", "PE", "SIMD", "MMV", "VECTORS", "POPCOUNT", "InT", "WeightT", "AccT", "OutT")


def _vvtu_widths(args: dict[str, Attribute]) -> list[int]:
    pe, mmv = int_arg(args, "PE"), int_arg(args, "MMV")
    return [pe * int_arg(args, "SIMD") * mmv * type_bits(args, "InT"), pe * mmv * type_bits(args, "OutT")]


def _vvtu_roms(args: dict[str, Attribute], thresholds: bool) -> list[tuple[tuple[int, ...], int]]:
    pe, simd = int_arg(args, "PE"), int_arg(args, "SIMD")
    cf, tf = int_arg(args, "CHANNELS") // pe, int_arg(args, "TAPS") // simd
    weights = ((cf * tf,), pe * simd * type_bits(args, "WeightT"))
    return [weights, ((pe, cf, int_arg(args, "STEPS")), type_bits(args, "ThrT"))] if thresholds else [weights]


@irdl_op_definition
class VvtuOp(EngineOp):
    """Vector-vector-threshold unit: per output pixel (`vectors` a frame) and channel c of
    `channels`, the dot product of the channel's K = kh·kw window taps with the channel's own K
    weights (a row of the (C, K) weight matrix, taps in (ky, kx) order), then thresholded per
    channel (or the accumulators passed on).

    PE runs over channels, SIMD over taps: input word (pixel group g, channel fold cf, tap fold
    tf) holds, in lane (m, s, p), tap tf·SIMD + s of channel cf·PE + p of pixel g·MMV + m (the
    order of `df.swu` in its depthwise mode); output word (g, cf) holds, in lane (m, p), channel
    cf·PE + p of pixel g·MMV + m: NHWC, as the next pointwise MVTU reads it.
    """

    name = "df.vvtu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    kernel = prop_def(DenseArrayBase)
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
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe", "simd", "mmv")
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "vvtu": HlsTemplate((*_VVTU_PARAMS, "ThrT", "STEPS", "OFFSET"), _vvtu_widths,
                            lambda a: _vvtu_roms(a, thresholds=True), roms=("weights", "thresholds")),
        "vvtu_acc": HlsTemplate(_VVTU_PARAMS, _vvtu_widths, lambda a: _vvtu_roms(a, thresholds=False),
                                roms=("weights",)),
    }

    def verify_(self) -> None:
        kh, kw = _values(self.kernel, 2, "kernel")
        _expect(kh >= 1 and kw >= 1, "kernel must be positive")
        self.verify_fold()
        _check_weights(self.weights, self.weight_type, _int(self.channels), self.taps)
        self.verify_streams()
        in_s, out_s = _stream(self.input), _stream(self.output)
        if self.popcount is not None:
            _expect(is_bipolar(in_s.element) and is_bipolar(self.weight_type),
                    "popcount accumulation needs bipolar inputs and weights")
        if self.thresholds is not None:
            _check_thresholds(self.thresholds, _int(self.channels), out_s.element, _int(self.offset))
        else:
            _expect(is_integer(out_s.element), "accumulator outputs must be integers")

    @property
    def taps(self) -> int:
        """K = kh·kw, the products one accumulator sums."""
        kh, kw = array_values(self.kernel)
        return kh * kw

    @property
    def channel_folds(self) -> int:
        return _int(self.channels) // _int(self.pe)

    @property
    def tap_folds(self) -> int:
        return self.taps // _int(self.simd)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c, k, vectors = _int(self.channels), self.taps, _int(self.vectors)
        return {"pe": (c, f"{c} channels are"), "simd": (k, f"{k} kernel taps are"),
                "mmv": (vectors, f"{vectors} output pixels are")}

    def input_type(self, element: Attribute) -> StreamType:
        mmv = _int(self.mmv)
        lanes = _int(self.pe) * _int(self.simd) * mmv
        return stream_type(element, lanes, _int(self.vectors) * _int(self.channels) * self.taps // lanes, mmv)

    def output_type(self, element: Attribute) -> StreamType:
        mmv = _int(self.mmv)
        lanes = _int(self.pe) * mmv
        return stream_type(element, lanes, _int(self.vectors) * _int(self.channels) // lanes, mmv)

    # ----------------------------------------------------------------------------------------
    # Parameters

    def weight_values(self) -> np.ndarray:
        """The (C, K) weight matrix as numbers (±1 or signed integers)."""
        bits = bit_width(self.weight_type)
        codes = unpack_rows(self.weights, self.taps, bits)
        return 2 * codes - 1 if is_bipolar(self.weight_type) else to_signed(codes, bits)

    def frame_vectors(self) -> int:
        return _int(self.vectors)

    def weight_memory(self) -> np.ndarray:
        """The weight memory as the hardware holds it: (CF·TF, SIMD, PE) weight values, word
        cf·TF + tf holding W[cf·PE + p, tf·SIMD + s] at lane (s, p), for CF = C/PE channel folds
        and TF = K/SIMD tap folds (one word a cycle, all PE channels' SIMD taps)."""
        pe, simd = _int(self.pe), _int(self.simd)
        cf, tf = self.channel_folds, self.tap_folds
        values = self.weight_values().reshape(cf, pe, tf, simd)
        return values.transpose(0, 2, 3, 1).reshape(cf * tf, simd, pe)

    def memories(self) -> dict[str, object]:
        memories: dict[str, object] = {"weights": self.weight_memory()}
        if self.thresholds is not None:
            memories["thresholds"] = dense_values(self.thresholds)
        return memories

    def accumulator_range(self) -> tuple[int, int]:
        """The values an accumulator can take: popcounts 0..K, else K times the range of one
        product of an input and a weight."""
        k = self.taps
        if self.popcount is not None:
            return 0, k
        (xl, xh), (wl, wh) = value_range(_stream(self.input).element), value_range(self.weight_type)
        products = (xl * wl, xl * wh, xh * wl, xh * wh)
        return k * min(products), k * max(products)

    def accumulator_type(self) -> IntegerType:
        """The accumulator's type, which the thresholds share and both emitters print: the rule of
        `prepare-for-emission`'s `accumulator_type` for the MVTU (signed, holding [lo, hi + 1] of
        `accumulator_range`, never narrower than an input or a weight plus a sign bit, or the
        output element)."""
        lo, hi = self.accumulator_range()
        in_bits, w_bits = bit_width(_stream(self.input).element), bit_width(self.weight_type)
        out_bits = bit_width(_stream(self.output).element)
        return IntegerType(max(signed_bits(lo, hi + 1), in_bits + 1, w_bits + 1, out_bits), Signedness.SIGNED)

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """The MVTU's formula with MH = C, MW = K and no weight reuse across channels: every
        output pixel takes (C/PE)·(K/SIMD) folds, one a cycle, MMV pixels together:
        (C/PE)·(K/SIMD)·vectors/MMV."""
        return self.channel_folds * self.tap_folds * (_int(self.vectors) // _int(self.mmv))

    def adder_tree(self) -> tuple[int, int, int]:
        """The dot product's pipelined adder tree of each PE: (GROUP, RADIX, TREE_STAGES), the
        MVTU's at 200 MHz (`MvtuOp.adder_tree`): the first stage sums GROUP lanes (POPCOUNT_GROUP
        XNOR lanes, INT_GROUP negate-and-select lanes, and an n-bit x n-bit product alone: its
        tree of partial products is the stage's logic, 4 x 4 bits with two lanes took 8.6 ns in
        Yosys), each further one RADIX nodes: TREE_STAGES = 1 + ⌈log_RADIX ⌈SIMD/GROUP⌉⌉."""
        simd = _int(self.simd)
        if self.popcount is not None:
            group = POPCOUNT_GROUP
        elif is_bipolar(self.weight_type) or is_bipolar(_stream(self.input).element):
            group = INT_GROUP
        else:
            group = 1
        group = min(simd, group)
        nodes, stages = -(-simd // group), 1
        while nodes > 1:
            nodes, stages = -(-nodes // TREE_RADIX), stages + 1
        return group, TREE_RADIX, stages

    def pipeline_depth(self) -> int:
        """Cycles from the last tap fold of a word to the word's handshake (`bnnc_vvtu`): the
        weight read, the memory's output register, the tree's stages (`adder_tree`), the
        accumulator, the registered comparisons with the thresholds, and the output register
        (which counts them): one stage more than the MVTU's, whose chain of STEPS adders after
        the comparisons does not close 5.0 ns at 15 thresholds."""
        return 5 + self.adder_tree()[2]

    def accumulator_bits(self) -> int:
        """The accumulator's bits as `cost` counts them: bits of K for a popcount, else
        W + A + bits of K − 1."""
        k = self.taps
        if self.popcount is not None:
            return k.bit_length()
        return bit_width(self.weight_type) + bit_width(_stream(self.input).element) + (k - 1).bit_length()

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Vector-vector-threshold unit. Cycles: `cycles`. The MVTU's terms (`MvtuOp.cost`)
        carried over with Q = SIMD lanes a PE; two of them fitted to Yosys on two n-bit
        configurations (VVTU_PRODUCT_SHARE, VVTU_THRESHOLD_SHARE), the XNOR and bipolar-factor
        lanes not calibrated on the VVTU.

        LUT: VVTU_BASE_LUT + LUT_OVERHEAD·PE·MMV·(mult + adder + acc + thr + comp) + weight LUTs,
        with W weight bits, A input bits, acc accumulator bits (`accumulator_bits`), `steps`
        thresholds a channel and CF = C/PE threshold words a PE:
          - XNOR (`popcount`): mult + adder = `xnor_tree_lut_per_lane`(Q)·Q;
          - a bipolar factor: no multiplier, adder = Q·(A + 1) (W + 1 for bipolar inputs), scaled
            by the family's `int_bipolar_share`;
          - otherwise FINN-R's: mult = Q·`product_luts`(W, A), adder = (W + A)·(2Q − 1), scaled by
            VVTU_PRODUCT_SHARE (`bnnc_vvtu` adds the partial products as a balanced tree); the
            products stay in LUTs (4 x 4 bits, MobileNet's, is far below a DSP's worth);
          - thr = steps·acc·⌈CF/64⌉ (thresholds in LUT ROM), comp = steps·acc, both scaled by
            VVTU_THRESHOLD_SHARE.
        MMV replicates the datapath but not the weights. No input buffer: each input word is used
        once (the MVTU keeps its SF words for the next neuron fold; the VVTU has none).

        Weights: depth CF·TF words of PE·SIMD·W bits (`weight_memory_cost`).

        FF: VVTU_BASE_FF + the counters' bits (CF·TF, TF) + the input word in the read and the
        memory-output stages (2·PE·SIMD·MMV·A) + per PE and pixel the accumulator and the output
        + the weight word in the memory-output stage (and the read stage for a LUT ROM) + the
        tree's registers (one accumulator-wide register a node of every stage) + per PE and pixel
        the registered comparisons (`steps` bits, or the accumulator without thresholds).
        """
        c, pe, simd, mmv = _int(self.channels), _int(self.pe), _int(self.simd), _int(self.mmv)
        w, a = bit_width(self.weight_type), bit_width(_stream(self.input).element)
        out_bits = bit_width(_stream(self.output).element)
        acc = self.accumulator_bits()
        share = 1.0
        if self.popcount is not None:
            mult, adder = 0, ceil(simd * xnor_tree_lut_per_lane(simd))
        elif is_bipolar(self.weight_type) or is_bipolar(_stream(self.input).element):
            integer_bits = a if is_bipolar(self.weight_type) else w
            mult, adder, share = 0, simd * (integer_bits + 1), fabric.int_bipolar_share
        else:
            mult, adder = simd * product_luts(w, a), (w + a) * (2 * simd - 1)
            share = VVTU_PRODUCT_SHARE
        steps = self.thresholds.get_shape()[1] if self.thresholds is not None else 0
        thr = steps * acc * -(-(c // pe) // LUTRAM_BITS_PER_LUT)
        comp = steps * acc
        depth = self.channel_folds * self.tap_folds
        bram18, weight_luts, row_mux = weight_memory_cost(depth, pe * simd * w, fabric)
        datapath = LUT_OVERHEAD * pe * mmv * (share * (mult + adder) + acc + VVTU_THRESHOLD_SHARE * (thr + comp))
        lut = ceil(VVTU_BASE_LUT + datapath) + weight_luts + row_mux
        weight_read = 0 if bram18 else rom_register_bits(pe * simd * w, depth)
        weight_out = pe * simd * w if bram18 else weight_read
        group, _, stages = self.adder_tree()
        nodes, tree_nodes = -(-simd // group), 0
        for _ in range(stages):
            tree_nodes, nodes = tree_nodes + nodes, -(-nodes // TREE_RADIX)
        counters = max(1, (depth - 1).bit_length()) + max(1, (self.tap_folds - 1).bit_length())
        compared = steps if steps else acc  # the registered comparisons (or the accumulator)
        ff = (VVTU_BASE_FF + counters + 2 * pe * simd * mmv * a
              + pe * mmv * (acc + compared + out_bits + tree_nodes * acc) + weight_out + weight_read)
        return Cost(self.cycles(), lut, ff, bram18, weight_luts + pe * mmv * thr)

    def word_plan(self, frames: int) -> WordPlan | None:
        return None  # `word_schedule` schedules the VVTU itself

    def word_schedule(self, arrival: np.ndarray, room: np.ndarray, frames: int,
                      plan: WordPlan | None) -> tuple[np.ndarray, np.ndarray]:
        """Per output word (a group of MMV pixels at one channel fold), TF = K/SIMD reads (one a
        cycle), the word with the last: TF cycles a word. A word leaves `pipeline_depth` cycles
        after its last read; the pipeline stalls as a whole while its output word waits."""
        tf = self.tap_folds
        words = _int(self.vectors) // _int(self.mmv) * self.channel_folds * frames
        gaps = np.tile(np.concatenate([np.ones(tf), [0.0]]), words)
        gaps[0] = 0
        is_read = np.tile(np.concatenate([np.ones(tf, bool), [False]]), words)
        constraint = np.empty(gaps.size)
        constraint[is_read] = arrival
        delay = self.pipeline_depth()
        constraint[~is_read] = room - delay
        times = schedule(gaps, constraint)
        return times[is_read], times[~is_read] + delay

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """Input words (pixel group g, channel fold cf, tap fold tf; lanes (pixel m, tap s,
        PE p)) times the weight memory (`weight_memory`), summed over the taps, thresholded;
        output words (g, cf; lanes (m, p))."""
        c, pe, simd, mmv, vectors = (_int(self.channels), _int(self.pe), _int(self.simd), _int(self.mmv),
                                     _int(self.vectors))
        n, cf, tf, k = x.shape[0], self.channel_folds, self.tap_folds, self.taps
        groups = vectors // mmv
        numbers = stream_numbers(x, _stream(self.input)).astype(np.int64)
        words = numbers.reshape(n, groups, cf, tf, mmv, simd, pe)
        memory = self.weight_memory().reshape(cf, tf, simd, pe)
        acc = np.einsum("ngctmsp,ctsp->ngmcp", words, memory)  # integers: exact
        if self.popcount is not None:
            acc = (acc + k) // 2
        acc = acc.reshape(n * groups * mmv, c)
        if self.thresholds is not None:
            out = threshold_counts(acc, dense_values(self.thresholds), _int(self.offset),
                                   is_bipolar(_stream(self.output).element))
        else:
            out = acc
        out = out.reshape(n, groups, mmv, cf, pe).transpose(0, 1, 3, 2, 4)
        return out.reshape(n, groups * cf, mmv * pe)

    # ----------------------------------------------------------------------------------------
    # Emission

    def _weight_words(self) -> np.ndarray:
        """The weight memory's words as bits (CF·TF, PE·SIMD·W), lane (s, p) at
        [(s·PE + p)·W, …): the layout of an input word's lanes."""
        memory = self.weight_memory()  # (words, SIMD, PE) values
        codes = (memory > 0).astype(np.int64) if is_bipolar(self.weight_type) else memory
        return code_bits(codes.reshape(memory.shape[0], -1), bit_width(self.weight_type))

    def hls_instance(self) -> HlsInstance:
        """`vvtu` (thresholds) or `vvtu_acc` (accumulators out): weights one entry a word of
        `weight_memory`, lane (s, p) at [(s·PE + p)·W, …); thresholds [PE][C/PE][steps] in the
        accumulator's type (`accumulator_type`)."""
        c, pe, simd = _int(self.channels), _int(self.pe), _int(self.simd)
        w_bits = bit_width(self.weight_type)
        memory = self.weight_memory()  # (CF·TF, SIMD, PE)
        codes = element_codes(memory, self.weight_type).reshape(memory.shape[0], simd * pe)
        entry = IntegerType(pe * simd * w_bits, Signedness.UNSIGNED)
        contents = reshape_words(pack_rows(codes, w_bits), (memory.shape[0],))
        storage = "lutram" if memory.shape[0] <= LUTRAM_MAX_DEPTH else "bram"
        roms = [HlsRom("weights", entry, (memory.shape[0],), contents, storage, ())]
        acc_t = self.accumulator_type()
        args: dict[str, Attribute | int] = {
            "CHANNELS": c, "TAPS": self.taps, "PE": pe, "SIMD": simd, "MMV": _int(self.mmv),
            "VECTORS": _int(self.vectors), "POPCOUNT": int(self.popcount is not None),
            "InT": _stream(self.input).element, "WeightT": self.weight_type, "AccT": acc_t,
            "OutT": _stream(self.output).element,
        }
        if self.thresholds is None:
            return HlsInstance("vvtu_acc", "vvtu", args, roms)
        lo, hi = self.accumulator_range()
        name = self.layer.data if self.layer is not None else "vvtu"
        roms.append(threshold_rom(name, self.thresholds, c, pe, lo, hi, acc_t))
        args |= {"ThrT": acc_t, "STEPS": self.thresholds.get_shape()[1], "OFFSET": _int(self.offset)}
        return HlsInstance("vvtu", "vvtu", args, roms)

    def verilog_instance(self, name: str) -> VerilogInstance:
        """`bnnc_vvtu`: weight word t holds lane (s, p) at [(s·PE + p)·W, …); threshold word cf
        holds threshold i of PE p (channel cf·PE + p) at [(p·steps + i)·ACC_BITS, …), clamped."""
        c, pe, simd = _int(self.channels), _int(self.pe), _int(self.simd)
        x_elem, out_elem = _stream(self.input).element, _stream(self.output).element
        acc_bits = bit_width(self.accumulator_type())
        memories = {f"{name}_weights.mem": hex_words(self._weight_words())}
        steps = 0
        if self.thresholds is not None:
            lo, hi = self.accumulator_range()
            t = clamped_thresholds(self.thresholds, c, lo, hi)
            steps = t.shape[1]
            memories[f"{name}_thresholds.mem"] = hex_words(code_bits(t.reshape(c // pe, pe * steps), acc_bits))
        group, radix, _ = self.adder_tree()
        params: dict[str, int | str] = {
            "CHANNELS": c, "TAPS": self.taps, "PE": pe, "SIMD": simd, "MMV": _int(self.mmv),
            "IN_BITS": bit_width(x_elem), "IN_KIND": element_kind(x_elem),
            "W_BITS": bit_width(self.weight_type), "W_KIND": element_kind(self.weight_type),
            "POPCOUNT": int(self.popcount is not None), "ACC_BITS": acc_bits, "STEPS": steps,
            "OFFSET": _int(self.offset), "OUT_BITS": bit_width(out_elem), "GROUP": group, "RADIX": radix,
            "WEIGHT_FILE": f"{name}_weights.mem", "THRESHOLD_FILE": f"{name}_thresholds.mem",
        }
        return VerilogInstance("bnnc_vvtu", params, memories)
