"""`df.global_pool`, the global sum pool with its Trunc: everything about the engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from bnnc.dialects.bnn import integer_range, is_integer, signed_bits, value_range
from bnnc.dialects.df.checks import _expect, _int, _stream
from bnnc.dialects.df.emission import HlsInstance, VerilogInstance
from bnnc.dialects.df.engine import EngineOp, not_emitted, stream_numbers
from bnnc.dialects.df.resources import LUTRAM_BITS_PER_LUT, Cost, FabricTable
from bnnc.dialects.df.types import StreamType, stream_type
from xdsl.dialects.builtin import IntegerAttr, StringAttr, i64
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
from bnnc.semantics.arithmetic import TRUNC_ROUNDING, truncate
from bnnc.semantics.schedules import WordPlan, repeat_frames

# Estimates, not calibrated (no Verilog module yet): an accumulator adder is one LUT a bit on a
# carry chain; the Trunc's rounding increment and clamp about two LUTs an accumulator bit.
GLOBAL_POOL_BASE_LUT = 12
GLOBAL_POOL_LUT_PER_ACC_BIT = 1
GLOBAL_POOL_TRUNC_LUT_PER_ACC_BIT = 2


@irdl_op_definition
class GlobalPoolOp(EngineOp):
    """The sum of each of `channels` channels over the frame's `pixels` pixels (global average
    pooling without its division, `bnn.sum_pool` over the whole H×W), PE channels a word, then
    optionally the Trunc that follows it in Brevitas' export (`bnn.trunc`: shift, zero point,
    rounding, clamp to [lo, hi]); without `shift` the output is the sums themselves.

    It reads the whole frame into one accumulator a channel and writes the C results, PE a word,
    as the last pixel's words arrive.
    """

    name = "df.global_pool"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    pixels = prop_def(IntegerAttr)
    pe = prop_def(IntegerAttr)
    shift = opt_prop_def(IntegerAttr)
    zero_point = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    rounding = opt_prop_def(StringAttr)
    lo = opt_prop_def(IntegerAttr)
    hi = opt_prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)
    EMITTED: ClassVar[bool] = False

    def verify_(self) -> None:
        _expect(_int(self.channels) >= 1 and _int(self.pixels) >= 1, "channels and pixels must be positive")
        self.verify_fold()
        self.verify_streams()
        out = _stream(self.output).element
        _expect(is_integer(out), f"a global pool writes integers, got {out}")
        trunc = [self.shift, self.rounding, self.lo, self.hi]
        _expect(all(p is None for p in trunc) or all(p is not None for p in trunc),
                "a Trunc post-op needs shift, rounding, lo and hi together")
        out_lo, out_hi = integer_range(out)  # type: ignore[arg-type]
        if self.shift is None:
            lo, hi = self.sum_range()
            _expect(out_lo <= lo and hi <= out_hi, f"{out} does not hold the sums' range [{lo}, {hi}]")
            return
        _expect(-62 <= _int(self.shift) <= 62, f"shift must be in -62..62, got {_int(self.shift)}")
        _expect(self.rounding.data in TRUNC_ROUNDING,  # type: ignore[union-attr]
                f"unknown rounding '{self.rounding.data}', expected one of {sorted(TRUNC_ROUNDING)}")  # type: ignore[union-attr]
        lo, hi = _int(self.lo), _int(self.hi)  # type: ignore[arg-type]
        _expect(lo <= hi, f"clamp range [{lo}, {hi}] is empty")
        _expect(out_lo <= lo and hi <= out_hi, f"{out} does not hold the clamp range [{lo}, {hi}]")

    def sum_range(self) -> tuple[int, int]:
        """The range of a channel's sum over the frame (bipolar values as ±1)."""
        lo, hi = value_range(_stream(self.input).element)
        return _int(self.pixels) * lo, _int(self.pixels) * hi

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def input_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.pixels) * _int(self.channels) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.channels) // _int(self.pe))

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """One input word a cycle, pixels·C/PE; the C/PE output words leave while the last
        pixel's words arrive, so they add no cycle."""
        return _int(self.pixels) * _int(self.channels) // _int(self.pe)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """An estimate (no Verilog module yet, so not calibrated against Yosys). Structure: PE
        accumulators of a = the sum's signed bits, each a memory of CF = C/PE entries (LUTRAM,
        LUTRAM_BITS_PER_LUT entries a LUT and bit, none when CF = 1: a register), its adder
        (GLOBAL_POOL_LUT_PER_ACC_BIT a bit) and the Trunc's rounding and clamp
        (GLOBAL_POOL_TRUNC_LUT_PER_ACC_BIT a bit) when there is one. FF: the output register,
        the accumulators when CF = 1, the pixel and fold counters. Cycles: `cycles`."""
        pe, c, pixels = _int(self.pe), _int(self.channels), _int(self.pixels)
        cf = c // pe
        acc = signed_bits(*self.sum_range())
        lutram = 0 if cf == 1 else pe * acc * -(-cf // LUTRAM_BITS_PER_LUT)
        per_lane = GLOBAL_POOL_LUT_PER_ACC_BIT + (GLOBAL_POOL_TRUNC_LUT_PER_ACC_BIT if self.shift is not None else 0)
        lut = GLOBAL_POOL_BASE_LUT + pe * acc * per_lane + lutram
        counters = max(1, (pixels - 1).bit_length()) + max(1, (cf - 1).bit_length())
        ff = _stream(self.output).width + 1 + (pe * acc if cf == 1 else 0) + counters
        return Cost(self.cycles(), lut, ff, 0, lutram)

    def word_plan(self, frames: int) -> WordPlan:
        """Output word cf of a frame leaves the cycle after the last pixel's input word cf is
        read (one output register); the first pixel's word cf of the next frame overwrites
        accumulator cf, so its read waits until output word cf of the frame before has left."""
        pixels = _int(self.pixels)
        cf = _int(self.channels) // _int(self.pe)
        words = pixels * cf
        need = repeat_frames((pixels - 1) * cf + np.arange(cf), frames, words)
        guard = np.full(words * frames, -1)
        for frame in range(1, frames):
            guard[frame * words: frame * words + cf] = (frame - 1) * cf + np.arange(cf)
        return WordPlan(need, 1, guard, 0)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> np.ndarray:
        """Each channel's sum over the frame's pixels, then the Trunc; PE channels a word."""
        c, pe = _int(self.channels), _int(self.pe)
        values = stream_numbers(x, _stream(self.input)).astype(np.int64).reshape(x.shape[0], -1, c)
        sums = values.sum(axis=1)
        if self.shift is not None:
            sums = truncate(sums, _int(self.shift), _int(self.zero_point), self.rounding.data,  # type: ignore[union-attr]
                            _int(self.lo), _int(self.hi))  # type: ignore[arg-type]
        return sums.reshape(x.shape[0], -1, pe)

    # ----------------------------------------------------------------------------------------
    # Emission: not yet (EMITTED is False)

    def hls_instance(self) -> HlsInstance:
        raise not_emitted(self, "lower-dataflow-to-hls")

    def verilog_instance(self, name: str) -> VerilogInstance:
        raise not_emitted(self, "the Verilog backend")
