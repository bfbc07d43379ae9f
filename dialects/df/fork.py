"""`df.fork`, the duplication of a stream (FINN's DuplicateStreams): everything about the engine."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from bnnc.dialects.df.checks import _expect, _stream
from bnnc.dialects.df.emission import HlsInstance, VerilogInstance
from bnnc.dialects.df.engine import EngineOp, not_emitted
from bnnc.dialects.df.resources import Cost, FabricTable
from bnnc.dialects.df.types import StreamType
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Attribute
from xdsl.irdl import (
    ParsePropInAttrDict,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    traits_def,
    var_result_def,
)
from xdsl.traits import Pure

from bnnc.devices import Device
from bnnc.semantics.schedules import WordPlan, repeat_frames

# An estimate, not calibrated (no Verilog module yet): the valid fan-out and the AND of the
# outputs' readies, one LUT an output; no register of its own.
FORK_LUT_PER_OUTPUT = 1


@irdl_op_definition
class ForkOp(EngineOp):
    """One stream in, n ≥ 2 copies of it out (same words, same folding), in lockstep.

    A `df.graph` stays SSA with one reader a stream: a value several engines read goes through
    a fork, one output a reader. The fork has no buffer: it moves a word when its input has one
    and every output can take it, so the FIFOs behind it absorb the branches' skew.
    """

    name = "df.fork"
    input = operand_def(StreamType)
    outputs = var_result_def(StreamType)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($outputs)"

    EMITTED: ClassVar[bool] = False

    def verify_(self) -> None:
        _expect(len(self.outputs) >= 2, f"a fork has two or more outputs, got {len(self.outputs)}")
        for index, output in enumerate(self.outputs):
            _expect(output.type == self.input.type,
                    f"output {index} is {output.type}, a fork copies its input {self.input.type}")

    def input_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_types(self, elements: list[Attribute]) -> list[StreamType]:
        return [_stream(self.input)] * len(self.outputs)

    # ----------------------------------------------------------------------------------------
    # Cycles, resources and the word schedule

    def cycles(self) -> int:
        """One word a cycle: the stream's words a frame."""
        return _stream(self.input).words.data

    def cost(self, device: Device, fabric: FabricTable) -> Cost:
        """An estimate (no Verilog module yet, so not calibrated against Yosys): FORK_LUT_PER_OUTPUT
        a copy for the valid fan-out and the AND of the readies; the data wires are shared, so
        no LUT or FF for them. Cycles: `cycles`."""
        return Cost(self.cycles(), FORK_LUT_PER_OUTPUT * len(self.outputs), 0, 0, 0)

    def pipeline_depth(self) -> int:
        """No register: a word leaves in the cycle it arrives."""
        return 0

    def word_plan(self, frames: int) -> WordPlan:
        """Lockstep and unbuffered: word i is written on every output in the cycle it is read
        (write j needs read j, delay 0) and read i waits for write i (delay 0), so reads and
        writes are one event, which waits for the input and for room on every output (the FIFO
        model gives a fork the latest of its outputs' rooms)."""
        words = _stream(self.input).words.data
        same = repeat_frames(np.arange(words), frames, words)
        return WordPlan(same, 0, same, 0)

    # ----------------------------------------------------------------------------------------
    # Semantics

    def execute(self, x: np.ndarray) -> tuple[np.ndarray, ...]:
        """The same words on every output."""
        return tuple(x for _ in self.outputs)

    # ----------------------------------------------------------------------------------------
    # Emission: not yet (EMITTED is False)

    def hls_instance(self) -> HlsInstance:
        raise not_emitted(self, "lower-dataflow-to-hls")

    def verilog_instance(self, name: str) -> VerilogInstance:
        raise not_emitted(self, "the Verilog backend")
