"""`df.swu`, the sliding-window unit: everything about the engine."""

from __future__ import annotations

import math
from typing import ClassVar

from xdsl.dialects.builtin import DenseArrayBase, IntegerAttr, StringAttr, i64
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

from bnnc.dialects.bnn import array_values, integer_range, is_bipolar
from bnnc.dialects.df.types import StreamType, Fold, stream_type
from bnnc.dialects.df.checks import _stream, _int, _expect, _check_stream, _values
from bnnc.dialects.df.engine import EngineOp


@irdl_op_definition
class SwuOp(EngineOp):
    """Sliding-window unit: turns an NHWC image stream into the (ky, kx, c) window of every
    output pixel, row by row; padded positions hold `pad_value`. MMV output pixels share a word
    (MMV divides the output pixels)."""

    name = "df.swu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    ifm = prop_def(DenseArrayBase)
    ofm = prop_def(DenseArrayBase)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pads = prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    simd = prop_def(IntegerAttr)
    mmv = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("simd", "mmv")

    def verify_(self) -> None:
        (ih, iw), (oh, ow) = _values(self.ifm, 2, "ifm"), _values(self.ofm, 2, "ofm")
        (kh, kw), (sh, sw) = _values(self.kernel, 2, "kernel"), _values(self.strides, 2, "strides")
        top, left, bottom, right = _values(self.pads, 4, "pads")
        _expect(min(kh, kw, sh, sw) >= 1, "kernel and strides must be positive")
        _expect(min(top, left, bottom, right) >= 0, "pads must be non-negative")
        _expect(
            kh <= ih + top + bottom and kw <= iw + left + right,
            f"a {kh}x{kw} kernel does not fit a padded {ih}x{iw} input",
        )
        _expect(
            (oh, ow) == ((ih + top + bottom - kh) // sh + 1, (iw + left + right - kw) // sw + 1),
            f"output {oh}x{ow} does not match the window of a {ih}x{iw} input",
        )
        self.verify_fold()
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(in_s.element))
        if any((top, left, bottom, right)):
            if is_bipolar(in_s.element):
                _expect(_int(self.pad_value) in (-1, 1), "padding of bipolar data must be +1 or -1")
            else:
                lo, hi = integer_range(in_s.element)  # type: ignore[arg-type]
                _expect(lo <= _int(self.pad_value) <= hi, f"pad value {_int(self.pad_value)} is outside {in_s.element}")

    def buffer_rows(self) -> int:
        """Input rows in the window's buffer (`bnnc_swu`): KH + SH·(span + 1), the rows of a
        group's windows and SH rows read ahead, the span being how many rows past its first a
        group of MMV consecutive (raster-order) pixels reaches (0 when MMV divides OW); the first
        pixels of the groups lie at the multiples of gcd(MMV, OW) of a row."""
        mmv, ow = _int(self.mmv), array_values(self.ofm)[1]
        (kh, _), (sh, _) = array_values(self.kernel), array_values(self.strides)
        span = (ow - math.gcd(mmv, ow) + mmv - 1) // ow
        return kh + sh * (span + 1)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c, (oh, ow) = _int(self.channels), array_values(self.ofm)
        return {"simd": (c, f"{c} channels are"), "mmv": (oh * ow, f"{oh * ow} output pixels are")}

    def legal_folds(self) -> list[Fold]:
        """The folds the folding takes (its search and pinned folding files): MMV only among the
        divisors of the output width. A word of pixels from two rows is legal (the verifier and
        `refold` accept it, the RTL and C++ handle it), but its window buffer holds an extra row
        for no gain in cycles."""
        ow = array_values(self.ofm)[1]
        return [f for f in super().legal_folds() if ow % f.mmv == 0]

    def input_type(self, element: Attribute) -> StreamType:
        ih, iw = array_values(self.ifm)
        return stream_type(element, _int(self.simd), ih * iw * _int(self.channels) // _int(self.simd))

    def output_type(self, element: Attribute) -> StreamType:
        (oh, ow), (kh, kw) = array_values(self.ofm), array_values(self.kernel)
        lanes = _int(self.simd) * _int(self.mmv)
        return stream_type(element, lanes, oh * ow * kh * kw * _int(self.channels) // lanes, _int(self.mmv))
