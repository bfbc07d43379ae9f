"""`df.join`, the residual add of two streams (FINN's AddStreams): everything about the engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from bnnc.dialects.bnn import bit_width, integer_range, is_integer, value_range
from bnnc.dialects.df.checks import _expect, _int, _stream
from bnnc.dialects.df.emission import HlsInstance, VerilogInstance
from bnnc.dialects.df.engine import EngineOp, not_emitted, stream_numbers
from bnnc.dialects.df.resources import Cost, FabricTable
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
from bnnc.semantics.schedules import WordPlan, output_register_plan

# Estimates, not calibrated (no Verilog module yet): a ripple adder is one LUT a sum bit on a
# carry chain, plus the handshake of two inputs.
JOIN_BASE_LUT = 4
JOIN_LUT_PER_SUM_BIT = 1


@irdl_op_definition
class JoinOp(EngineOp):
    """The elementwise integer sum of two streams of `pixels` pixels of `channels` values, both
    at `pe` lanes a word (bipolar values as ±1): `bnn.add` at the `df` level. The result type must
    hold every sum."""

    name = "df.join"
    lhs = operand_def(StreamType)
    rhs = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    pixels = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    pe = prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)
    EMITTED: ClassVar[bool] = False

    def verify_(self) -> None:
        _expect(_int(self.channels) >= 1 and _int(self.pixels) >= 1, "channels and pixels must be positive")
        self.verify_fold()
        self.verify_streams()
        out = _stream(self.output).element
        _expect(is_integer(out), f"a join writes integers, got {out}")
        (llo, lhi), (rlo, rhi) = (value_range(_stream(v).element) for v in (self.lhs, self.rhs))
        lo, hi = integer_range(out)  # type: ignore[arg-type]
        _expect(lo <= llo + rlo and hi >= lhi + rhi,
                f"{out} does not hold the sums' range [{llo + rlo}, {lhi + rhi}]")

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def _stream(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.pixels) * _int(self.channels) // _int(self.pe))

    def input_type(self, element: Attribute) -> StreamType:
        return self._stream(element)

    def output_type(self, element: Attribute) -> StreamType:
        return self._stream(element)

    def input_types(self, elements: list[Attribute]) -> list[StreamType]:
        return [self._stream(e) for e in elements]

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """One word of each input a cycle: pixels·C/PE."""
        return _int(self.pixels) * _int(self.channels) // _int(self.pe)

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """An estimate (no Verilog module yet, so not calibrated against Yosys): PE adders of the
        output's b bits, JOIN_LUT_PER_SUM_BIT a bit on the carry chain, and JOIN_BASE_LUT for
        the two-input handshake; FF: the output register (PE·b) and its valid bit. Cycles:
        `cycles`."""
        pe, bits = _int(self.pe), bit_width(_stream(self.output).element)
        return Cost(self.cycles(), JOIN_BASE_LUT + JOIN_LUT_PER_SUM_BIT * pe * bits, pe * bits + 1, 0, 0)

    def word_plan(self, frames: int) -> WordPlan:
        """Word for word, both inputs read in the same cycle (the FIFO model gives a join the
        later of its inputs' arrivals): output word i leaves the cycle after input word i;
        one output register."""
        words = _stream(self.output).words.data
        return output_register_plan(np.arange(words), frames, words)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:  # type: ignore[override]
        """Lane by lane, the integer sum of the two words (bipolar lanes as ±1)."""
        return stream_numbers(lhs, _stream(self.lhs)).astype(np.int64) \
            + stream_numbers(rhs, _stream(self.rhs)).astype(np.int64)

    # ----------------------------------------------------------------------------------------
    # Emission: not yet (EMITTED is False)

    def hls_instance(self) -> HlsInstance:
        raise not_emitted(self, "lower-dataflow-to-hls")

    def verilog_instance(self, name: str) -> VerilogInstance:
        raise not_emitted(self, "the Verilog backend")
