"""Each `df` engine as an instance of a library module: its parameters and its memory files.

The instance is the op's (`df.EngineOp.verilog_instance`: the module name, the Verilog parameters
in the order the module declares them, the `.mem` files to write); the arithmetic widths are
those `prepare-for-emission` recorded on the engines (accumulators wide enough for every
reachable sum, the adder tree and where the products go), thresholds clamped into the compared
value's range plus one (x >= T is unchanged by the clamp), element codes in two's complement, so
that the RTL computes exactly what the `df` executor does. This module prepares the engine and
asks it.
"""

from __future__ import annotations

from xdsl.ir import Operation

from bnnc.dialects import df
from bnnc.dialects.df.dwc import repack_params
from bnnc.dialects.df.emission import BIPOLAR, SIGNED, UNSIGNED, code_bits, element_kind, hex_words
from bnnc.dialects.df.emission import VerilogInstance as Instance
from bnnc.errors import BnncError
from bnnc.passes.prepare_for_emission import prepare_engine

__all__ = ["BIPOLAR", "SIGNED", "UNSIGNED", "Instance", "code_bits", "element_kind", "hex_words", "instance_of",
           "repack_params"]


def instance_of(op: Operation, name: str) -> Instance:
    if not isinstance(op, df.EngineOp):
        raise BnncError(f"the Verilog backend has no engine for '{op.name}'")
    prepare_engine(op)  # the widths printed below are the prepare pass's (a no-op once prepared)
    return op.verilog_instance(name)
