"""The `df` dialect's types and attributes: streams, the folding of an engine, the target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from xdsl.dialects.builtin import FloatAttr, IntAttr, StringAttr, f64
from xdsl.ir import Attribute, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from bnnc.devices import DEFAULT_BOARD, load_device
from bnnc.dialects.bnn import bit_width, is_bipolar, is_integer


@irdl_attr_definition
class StreamType(ParametrizedAttribute, TypeAttribute):
    """A stream of words of `lanes` elements, `words` words per frame."""

    name = "df.stream"
    lanes: IntAttr
    element: Attribute
    words: IntAttr
    mmv: IntAttr

    def __init__(self, element: Attribute, lanes: int, words: int, mmv: int = 1):
        super().__init__(IntAttr(lanes), element, IntAttr(words), IntAttr(mmv))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        with parser.in_angle_brackets():
            pos = parser.pos
            dims, element = parser.parse_ranked_shape()
            if len(dims) != 1:
                parser.raise_error("expected LANESxELEMENT, e.g. 32x!bnn.bipolar", pos)
            parser.parse_punctuation(",")
            words = parser.parse_integer(allow_boolean=False, allow_negative=False)
            mmv = 1
            if parser.parse_optional_punctuation(","):
                parser.parse_keyword("mmv")
                parser.parse_punctuation("=")
                mmv = parser.parse_integer(allow_boolean=False, allow_negative=False)
        return (IntAttr(dims[0]), element, IntAttr(words), IntAttr(mmv))

    def print_parameters(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_string(f"{self.lanes.data}x")
            printer.print_attribute(self.element)
            printer.print_string(f", {self.words.data}")
            if self.mmv.data != 1:
                printer.print_string(f", mmv = {self.mmv.data}")

    def verify(self) -> None:
        if self.lanes.data < 1 or self.words.data < 1:
            raise VerifyException("a stream needs at least one lane and one word per frame")
        if self.mmv.data < 1 or self.lanes.data % self.mmv.data:
            raise VerifyException(f"{self.lanes.data} lanes do not split into mmv = {self.mmv.data} pixels")
        if not (is_bipolar(self.element) or is_integer(self.element)):
            raise VerifyException(f"stream elements must be bipolar or integers, got {self.element}")

    @property
    def width(self) -> int:
        """Bits per word."""
        return self.lanes.data * bit_width(self.element)

    @property
    def elements(self) -> int:
        """Elements per frame."""
        return self.lanes.data * self.words.data


@dataclass(frozen=True, order=True)
class Fold:
    """PE processing elements, SIMD lanes and MMV pixels per cycle of one layer (an engine that
    has no such parameter ignores it)."""

    pe: int = 1
    simd: int = 1
    mmv: int = 1

    def as_dict(self) -> dict[str, int]:
        return {"pe": self.pe, "simd": self.simd, "mmv": self.mmv}


@irdl_attr_definition
class TargetAttr(ParametrizedAttribute):
    """What a `df.graph` is built for: the board (a device file's name or path), its FPGA part
    and the fabric clock in MHz. Set once, by `fold`; every estimate, lowering and wrapper reads
    it (`target_of`). A graph without one is for the default board at its own clock."""

    name = "df.target"
    board: StringAttr
    part: StringAttr
    clock_mhz: FloatAttr

    def __init__(self, board: str, part: str, clock_mhz: float):
        super().__init__(StringAttr(board), StringAttr(part), FloatAttr(float(clock_mhz), f64))

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> Sequence[Attribute]:
        values: dict[str, Attribute] = {}
        with parser.in_angle_brackets():
            for key in ("board", "part", "clock_mhz"):
                if key != "board":
                    parser.parse_punctuation(",")
                parser.parse_keyword(key)
                parser.parse_punctuation("=")
                if key == "clock_mhz":
                    values[key] = FloatAttr(parser.parse_float(), f64)
                else:
                    values[key] = StringAttr(parser.parse_str_literal())
        return (values["board"], values["part"], values["clock_mhz"])

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(
            f'<board = "{self.board.data}", part = "{self.part.data}", '
            f"clock_mhz = {float(self.clock_mhz.value.data)!r}>"
        )

    def verify(self) -> None:
        if not self.board.data or not self.part.data:
            raise VerifyException("a target needs a board and a part")
        clock = self.clock_mhz.value.data
        if not (clock > 0 and clock < float("inf")):
            raise VerifyException(f"the target clock must be a positive number of MHz, got {clock}")

    @property
    def clock(self) -> float:
        """The fabric clock in MHz."""
        return float(self.clock_mhz.value.data)


def target_for(board: str = DEFAULT_BOARD, clock_mhz: float | None = None) -> TargetAttr:
    """The target of `board` (a name or a device file) at `clock_mhz`, by default the board's own
    clock (its data file's `clock_mhz`): the one place a default clock comes from."""
    device = load_device(board)
    return TargetAttr(board, device.part, device.clock_mhz if clock_mhz is None else clock_mhz)


STORAGES = ("lutram", "bram")
"""Where a parameter memory can live."""


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@cache
def stream_type(element: Attribute, lanes: int, words: int, mmv: int = 1) -> StreamType:
    """One shared `StreamType` per shape: folding asks for the same few thousand many times, and
    building (verifying) an attribute costs far more than looking it up."""
    return StreamType(element, lanes, words, mmv)
