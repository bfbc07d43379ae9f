"""`df.fifo`, a FIFO on a stream: everything about it."""

from __future__ import annotations

from xdsl.dialects.builtin import IntegerAttr, StringAttr
from xdsl.ir import Attribute
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from bnnc.devices import Device
from bnnc.dialects.df.checks import _stream, _int, _expect
from bnnc.dialects.df.emission import VerilogInstance
from bnnc.dialects.df.engine import EngineOp
from bnnc.dialects.df.resources import LUTRAM_MAX_DEPTH, Cost, FabricTable, bram18_count, ceil, dual_port_lutram
from bnnc.dialects.df.types import StreamType


# Calibrated against Yosys on `bnnc_fifo` (docs/rtl.md): the pointers and the count, their
# increments and compares (with rptr + 1 and count ± 1 kept as registers, 2026-12-07: about
# 8 LUT an address bit).
FIFO_BASE_LUT = 10
FIFO_LUT_PER_POINTER_BIT = 8
# A FIFO in block RAM reads at rptr_next (a select per address bit) and compares it with wptr
# for the bypass: per address bit (fifo-8x256: 8 LUT3 of rptr_next in Yosys).
FIFO_BRAM_LUT_PER_POINTER_BIT = 1.5
# A FIFO of unset depth has the depth Vivado HLS gives a stream by default.
DEFAULT_FIFO_DEPTH = 2


@irdl_op_definition
class FifoOp(EngineOp):
    """A FIFO on a stream; `depth` (words) stays unset until `size-fifos` runs."""

    name = "df.fifo"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    depth = opt_prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _expect(self.input.type == self.output.type, "a FIFO keeps its stream type")
        if self.depth is not None:
            _expect(_int(self.depth) >= 1, "a FIFO depth must be positive")

    def input_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    # ----------------------------------------------------------------------------------------
    # Cycles and resources (the cycle-level model treats a FIFO as an edge, not an engine)

    def cycles(self) -> int:
        """One word a cycle, the stream's words per frame."""
        return _stream(self.input).words.data

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """A FIFO (`bnnc_fifo`) of `depth` words (DEFAULT_FIFO_DEPTH until `size-fifos` sets it) of w
        bits. Cycles: `cycles`.

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
        depth = self.depth_or_default()
        width = _stream(self.input).width
        aw = max(1, (depth - 1).bit_length())
        lut = FIFO_BASE_LUT + FIFO_LUT_PER_POINTER_BIT * aw
        ff = 6 * aw + 5
        if depth <= LUTRAM_MAX_DEPTH:
            bram18, luts = 0, dual_port_lutram(depth, width, fabric)
        else:
            bram18, luts = bram18_count(depth, width), 0
            lut = ceil(lut + width + FIFO_BRAM_LUT_PER_POINTER_BIT * aw)
            ff += width + 1
        return Cost(self.cycles(), lut + luts, ff, bram18, luts)

    def depth_or_default(self) -> int:
        """The depth, or DEFAULT_FIFO_DEPTH until `size-fifos` has set one."""
        return _int(self.depth) if self.depth is not None else DEFAULT_FIFO_DEPTH

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x):
        """The same words, later."""
        return x

    # ----------------------------------------------------------------------------------------
    # Emission

    # (The HLS lowering gives the stream the FIFO sits on its depth: no template instance.)

    def verilog_instance(self, name: str) -> VerilogInstance:
        return VerilogInstance("bnnc_fifo", {"WIDTH": _stream(self.input).width, "DEPTH": self.depth_or_default()})
