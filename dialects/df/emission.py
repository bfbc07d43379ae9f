"""What an engine gives the emitters (`df.EngineOp.hls_instance`, `verilog_instance`): the
library template or module it instantiates, its parameters and its parameter memories, with the
encodings both backends share. The lowering to `hls` and the Verilog emitter print these and
decide nothing; the widths they print are those `prepare-for-emission` recorded on the op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    TensorType,
)
from xdsl.ir import Attribute

from bnnc.dialects.bnn import bit_width, dense_values, is_bipolar
from bnnc.errors import BnncError
from bnnc.semantics.packing import ui64

BIPOLAR, UNSIGNED, SIGNED = 0, 1, 2  # the element kinds of the Verilog library's *_KIND parameters


def _no_roms(args: dict[str, Attribute]) -> list[tuple[tuple[int, ...], int]]:
    return []


@dataclass(frozen=True)
class HlsTemplate:
    """A function template of bnnc's HLS library (backends/hls_cpp/library): its signature, which
    `hls.instance` verifies against (`dialects/hls.py`, `TEMPLATES`, gathers every engine op's
    `HLS_TEMPLATES`).

    `params` are its template parameters in order: integers (upper case), or element types (`XxxT`,
    given as `!bnn.bipolar`, `siN`, `uiN` or `i32`). A call passes the streams it reads, then
    the streams it writes, then the ROMs named in `roms`, then the frame count. `stream_widths`
    gives the word widths of those streams from the arguments, `rom_shapes` the (shape, entry
    bits) of each ROM.
    """

    params: tuple[str, ...]
    stream_widths: Callable[[dict[str, Attribute]], list[int]]
    rom_shapes: Callable[[dict[str, Attribute]], list[tuple[tuple[int, ...], int]]] = _no_roms
    reads: int = 1
    writes: int = 1
    roms: tuple[str, ...] = ()

    @staticmethod
    def is_type_param(name: str) -> bool:
        return name.endswith("T") and not name.isupper()  # InT, ElemT, ...; not WORDS_OUT


def int_arg(args: dict[str, Attribute], name: str) -> int:
    """An integer argument of a template instance."""
    value = args[name]
    assert isinstance(value, IntegerAttr)
    return value.value.data


def type_bits(args: dict[str, Attribute], name: str) -> int:
    """The bits of an element-type argument of a template instance."""
    return bit_width(args[name])


WINDOW_PARAMS = ("CHANNELS", "IH", "IW", "OH", "OW", "KH", "KW", "SH", "SW")
"""The window's parameters the sliding-window and pool templates share."""


@dataclass
class HlsRom:
    """A parameter memory of an HLS template instance: `<layer>_<suffix>` of `shape` entries of
    `element`, its contents packed into 64-bit words (the last dimension)."""

    suffix: str
    element: IntegerType
    shape: tuple[int, ...]
    contents: DenseIntOrFPElementsAttr
    storage: str
    partition: tuple[int, ...]


@dataclass
class HlsInstance:
    """An instance of a template of the HLS library (`dialects/hls.py`, `TEMPLATES`): its
    template, its arguments in the template's order, its memories, and the kind that names its
    output stream (`<layer>_<kind>`)."""

    template: str
    kind: str
    args: dict[str, Attribute | int]
    roms: list[HlsRom] = field(default_factory=list)


@dataclass
class VerilogInstance:
    """An instance of a module of the Verilog library: the module name, the parameters (in the
    order the module declares them) and the `.mem` files to write (file name -> hex lines)."""

    module: str
    params: dict[str, int | str]
    memories: dict[str, list[str]] = field(default_factory=dict)


def element_codes(values: np.ndarray, element: Attribute) -> np.ndarray:
    """Numbers → their codes in `element` (up to 64 bits), as uint64: bits for bipolar, two's
    complement otherwise."""
    if is_bipolar(element):
        return (values > 0).astype(np.uint64)
    bits = bit_width(element)
    if bits > 64:
        raise BnncError(f"lower-dataflow-to-hls: {element} is wider than the 64 bits bnnc's HLS library handles")
    return values.astype(np.int64).astype(np.uint64) & np.uint64((1 << bits) - 1)


def words_attr(words: np.ndarray) -> DenseIntOrFPElementsAttr:
    """64-bit words as a dense ui64 attribute of their shape."""
    data = np.ascontiguousarray(words, dtype="<u8")
    return DenseIntOrFPElementsAttr(TensorType(ui64, data.shape), BytesAttr(data.tobytes()))


def reshape_words(attr, shape: tuple[int, ...]) -> DenseIntOrFPElementsAttr:
    """Packed rows (R, words) → contents of shape `shape` + [words], R = product(shape)."""
    words = np.frombuffer(attr.data.data, dtype="<u8").reshape(*shape, attr.get_shape()[1])
    return words_attr(words)


def clamped_thresholds(thresholds: DenseIntOrFPElementsAttr, rows: int, lo: int, hi: int) -> np.ndarray:
    """The (rows, steps) thresholds, shared ones broadcast, clamped into [lo, hi + 1]: x ≥ T holds
    for every x in [lo, hi] when T ≤ lo and for none when T > hi, so the result is unchanged while
    the threshold type needs no more bits than the compared value and one."""
    values = dense_values(thresholds).astype(np.int64)
    values = np.broadcast_to(values, (rows, values.shape[1]))
    return np.clip(values, lo, hi + 1)


def threshold_rom(name: str, thresholds: DenseIntOrFPElementsAttr, channels: int, pe: int, lo: int, hi: int,
                  thr_t: IntegerType) -> HlsRom:
    """The thresholds as an HLS ROM [PE][channels/PE][steps] (channel nf·PE + p), clamped."""
    if thr_t.width.data > 64:
        raise BnncError(f"lower-dataflow-to-hls: thresholds of {name} need {thr_t}, wider than 64 bits")
    values = clamped_thresholds(thresholds, channels, lo, hi)
    steps = values.shape[1]
    layout = values.reshape(channels // pe, pe, steps).transpose(1, 0, 2)  # [PE][NF][steps]
    codes = element_codes(layout, thr_t).reshape(pe, channels // pe, steps, 1)
    return HlsRom("thresholds", thr_t, (pe, channels // pe, steps), words_attr(codes), "lutram", (0, 2))


def element_kind(element: Attribute) -> int:
    """The Verilog library's kind of an element type: BIPOLAR, UNSIGNED or SIGNED."""
    if is_bipolar(element):
        return BIPOLAR
    if isinstance(element, IntegerType) and element.signedness.data == Signedness.UNSIGNED:
        return UNSIGNED
    return SIGNED


def hex_words(bits: np.ndarray) -> list[str]:
    """Rows of bits (R, width), bit i of a row its 2^i place, as hex words for $readmemh."""
    rows, width = bits.shape
    padded = np.zeros((rows, -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = bits
    raw = np.packbits(padded, axis=1, bitorder="little")[:, ::-1]
    digits = -(-width // 4)
    return [row.tobytes().hex()[-digits:] for row in raw]


def code_bits(values: np.ndarray, bits: int) -> np.ndarray:
    """Integers (..., n) as two's complement bit planes (..., n·bits), element i at [i·bits, …)."""
    codes = np.asarray(values, dtype=np.int64) & ((1 << bits) - 1)
    planes = (codes[..., None] >> np.arange(bits, dtype=np.int64)) & 1
    return planes.reshape(*codes.shape[:-1], codes.shape[-1] * bits).astype(np.uint8)
