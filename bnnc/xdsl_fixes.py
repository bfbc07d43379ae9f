"""Work-arounds for xDSL 0.74 bugs that change what a printed module means, applied on import.

Integral floats with more significant digits than the short form keeps (3324876.0 in a BN
variance): xDSL's printer writes their bit pattern in hex (`0x4A4AEF30`), and its parser reads a
hex element of a `dense<[...]>` literal back as the integer value (1.25e9), not as bits. A
module saved and loaded (a build directory's `ir/*.mlir`, `bnnc-opt` in a pipe) then computed
something else. Here such a value prints as a decimal with a point ("3324876.0"), which parses
back to the same float. NaN and infinities keep xDSL's form: bnnc refuses them in BN parameters.
"""

from __future__ import annotations

import math

from xdsl.dialects.builtin import Float32Type, Float64Type
from xdsl.printer import Printer

_xdsl_print_float = Printer.print_float


def _print_float(self: Printer, value: float, type) -> None:
    if math.isfinite(value) and isinstance(type, Float32Type | Float64Type):
        short = float(f"{value:.5e}")
        exact = f"{value:.{9 if isinstance(type, Float32Type) else 17}g}"  # round-trips
        if type.unpack(type.pack([short]), 1)[0] != value and "." not in exact:
            mantissa, _, exponent = exact.partition("e")
            self.print_string(f"{mantissa}.0" + (f"e{exponent}" if exponent else ""))
            return
    _xdsl_print_float(self, value, type)


Printer.print_float = _print_float
