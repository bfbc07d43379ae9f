"""`df.threshold`, the standalone multi-threshold unit: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    i64,
)
from xdsl.ir import Attribute
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
from bnnc.dialects.bnn import (
    bit_width,
    dense_values,
    is_bipolar,
    is_integer,
    is_signed_integer,
    signed_bits,
    value_range,
)
from bnnc.dialects.df.checks import _stream, _int, _expect, _check_thresholds
from bnnc.dialects.df.emission import (
    HlsInstance,
    HlsTemplate,
    int_arg,
    type_bits,
    VerilogInstance,
    clamped_thresholds,
    code_bits,
    element_kind,
    hex_words,
    threshold_rom,
)
from bnnc.dialects.df.engine import EngineOp
from bnnc.dialects.df.resources import (
    LUTRAM_BITS_PER_LUT,
    Cost,
    FabricTable,
    ceil,
    rom_register_bits,
)
from bnnc.dialects.df.types import StreamType, stream_type
from bnnc.semantics.arithmetic import threshold_counts
from bnnc.semantics.schedules import WordPlan, output_register_plan


# The comparators' control, calibrated against Yosys on `bnnc_threshold` (docs/rtl.md).
THRESHOLD_BASE_LUT = 20
THRESHOLD_LUT_PER_COMPARED_BIT = 0.5


@irdl_op_definition
class ThresholdOp(EngineOp):
    """A standalone multi-threshold unit on `pixels` pixels of `channels` values, PE per word."""

    name = "df.threshold"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    pixels = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    pe = prop_def(IntegerAttr)
    thresholds = prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    layer = opt_prop_def(StringAttr)
    compare_type = opt_prop_def(IntegerType)
    """The type inputs and thresholds are compared in, chosen by `prepare-for-emission`."""
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `by` $thresholds attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)
    HLS_TEMPLATES: ClassVar[dict[str, HlsTemplate]] = {
        "threshold": HlsTemplate(
            ("InT", "OutT", "ThrT", "CHANNELS", "PIXELS", "PE", "STEPS", "OFFSET"),
            lambda a: [int_arg(a, "PE") * type_bits(a, "InT"), int_arg(a, "PE") * type_bits(a, "OutT")],
            lambda a: [((int_arg(a, "PE"), int_arg(a, "CHANNELS") // int_arg(a, "PE"), int_arg(a, "STEPS")),
                        type_bits(a, "ThrT"))],
            roms=("thresholds",)),
    }

    def verify_(self) -> None:
        self.verify_fold()
        self.verify_streams()
        _expect(is_integer(_stream(self.input).element), "a threshold unit reads integers")
        _check_thresholds(self.thresholds, _int(self.channels), _stream(self.output).element, _int(self.offset))
        if self.compare_type is not None:
            lo, hi = value_range(_stream(self.input).element)
            _expect(is_signed_integer(self.compare_type) and signed_bits(lo, hi + 1) <= bit_width(self.compare_type),
                    f"compare_type {self.compare_type} does not hold the inputs' range [{lo}, {hi + 1}]")

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def input_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.pixels) * _int(self.channels) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        return self.input_type(element)

    def memories(self) -> dict[str, object]:
        return {"thresholds": dense_values(self.thresholds)}

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """One word a cycle, pixels·C/PE."""
        return _int(self.pixels) * _int(self.channels) // _int(self.pe)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """Standalone multi-threshold unit on `pixels` pixels of C channels, PE channels a word.
        Cycles: `cycles`.

        Structure (`bnnc_threshold`): the thresholds are a ROM of CF = C/PE words read at the
        channel-fold counter; Yosys' memory_dff turns the counter and the ROM into a registered
        ROM, so each word holds a threshold row register of PE·steps·b bits (b = the input's bits:
        the compare's sign-extension bit is a duplicate Yosys merges; `rom_register_bits`).
        LUT (Yosys): THRESHOLD_BASE_LUT + per row bit its ROM (⌈CF/64⌉ LUTs) + per comparison
        THRESHOLD_LUT_PER_COMPARED_BIT per bit of the b + 1-bit compare (Yosys maps them partly on
        carry chains; si8, 3 steps, PE 4, CF 8: 20 + 96 + 60 = 176 against Yosys' 157).
        FF: the row register, the output word, the counter and the full flag (108 against 94).
        """
        c, pe = _int(self.channels), _int(self.pe)
        acc = bit_width(_stream(self.input).element)
        steps = self.thresholds.get_shape()[1]
        cf = c // pe
        row = rom_register_bits(pe * steps * acc, cf)
        storage = row * -(-cf // LUTRAM_BITS_PER_LUT)
        compares = pe * steps * ceil(THRESHOLD_LUT_PER_COMPARED_BIT * (acc + 1))
        lut = THRESHOLD_BASE_LUT + storage + compares
        ff = row + _stream(self.output).width + max(1, (cf - 1).bit_length()) + 1
        return Cost(self.cycles(), lut, ff, 0, storage)

    def word_plan(self, frames: int) -> WordPlan:
        """Word for word: a word leaves the cycle after its input word; one output register."""
        words = _stream(self.input).words.data
        return output_register_plan(np.arange(words), frames, words)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """Each value's count of thresholds reached (plus `offset`), PE channels a word."""
        c, pe = _int(self.channels), _int(self.pe)
        thresholds = dense_values(self.thresholds)
        values = x.reshape(x.shape[0], -1, c)  # pixel-major, channel-minor
        out = threshold_counts(values, thresholds, _int(self.offset), is_bipolar(_stream(self.output).element))
        return out.reshape(x.shape[0], -1, pe)

    # ----------------------------------------------------------------------------------------
    # Emission

    def hls_instance(self) -> HlsInstance:
        """`threshold`: thresholds [PE][C/PE][steps], clamped, in the recorded `compare_type`."""
        c, pe = _int(self.channels), _int(self.pe)
        lo, hi = value_range(_stream(self.input).element)
        thr_t = self.compare_type
        name = self.layer.data if self.layer is not None else "threshold"
        rom = threshold_rom(name, self.thresholds, c, pe, lo, hi, thr_t)  # type: ignore[arg-type]
        args: dict[str, Attribute | int] = {
            "InT": _stream(self.input).element, "OutT": _stream(self.output).element, "ThrT": thr_t,  # type: ignore[dict-item]
            "CHANNELS": c, "PIXELS": _int(self.pixels), "PE": pe,
            "STEPS": self.thresholds.get_shape()[1], "OFFSET": _int(self.offset),
        }
        return HlsInstance("threshold", "threshold", args, [rom])

    def verilog_instance(self, name: str) -> VerilogInstance:
        """`bnnc_threshold`: word n holds threshold i of PE p at [(p·steps + i)·CMP_BITS, …)."""
        c, pe = _int(self.channels), _int(self.pe)
        x_elem, out_elem = _stream(self.input).element, _stream(self.output).element
        lo, hi = value_range(x_elem)
        cmp_bits = bit_width(self.compare_type)  # type: ignore[arg-type]
        t = clamped_thresholds(self.thresholds, c, lo, hi)
        steps = t.shape[1]
        file = f"{name}_thresholds.mem"
        params: dict[str, int | str] = {
            "PE": pe, "CF": c // pe, "IN_BITS": bit_width(x_elem), "IN_KIND": element_kind(x_elem), "STEPS": steps,
            "CMP_BITS": cmp_bits, "OFFSET": _int(self.offset), "OUT_BITS": bit_width(out_elem),
            "THRESHOLD_FILE": file,
        }
        return VerilogInstance("bnnc_threshold", params, {file: hex_words(code_bits(t.reshape(c // pe, pe * steps), cmp_bits))})
