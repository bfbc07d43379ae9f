"""Bit packing shared by every level of bnnc.

Weights of binary and n-bit layers live in the IR as `DenseIntOrFPElementsAttr`s of `ui64`
words built directly from bytes (never from Python lists: see docs/design.md). A matrix of
M rows and K elements of `bits` bits each becomes M rows of ceil(K·bits/64) words, and element
i of a row occupies bits [i·bits, (i+1)·bits) of the row, least significant first: the same
convention as the stream words of the hardware (DESIGN.md, "Stream words").

Bipolar values are stored as one bit, 1 for +1 and 0 for −1. Signed n-bit values are stored
in two's complement in their n bits.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    IntegerType,
    Signedness,
    TensorType,
)

WORD_BITS = 64
ui64 = IntegerType(64, Signedness.UNSIGNED)


def words_per_row(elements: int, bits: int) -> int:
    return -(-elements * bits // WORD_BITS)


def pack_rows(values: np.ndarray, bits: int) -> DenseIntOrFPElementsAttr:
    """Pack an (M, K) array of integer codes, each in [0, 2**bits), into (M, words) ui64 words."""
    rows, cols = values.shape
    codes = np.asarray(values, dtype=np.int64) & ((1 << bits) - 1)
    # Spread every code over `bits` little-endian bit positions, then pack 8 positions a byte.
    bit_planes = (codes[:, :, None] >> np.arange(bits, dtype=np.int64)) & 1
    flat = bit_planes.reshape(rows, cols * bits).astype(np.uint8)
    nwords = words_per_row(cols, bits)
    padded = np.zeros((rows, nwords * WORD_BITS), dtype=np.uint8)
    padded[:, : cols * bits] = flat
    raw = np.packbits(padded, axis=1, bitorder="little").tobytes()
    return DenseIntOrFPElementsAttr(TensorType(ui64, (rows, nwords)), BytesAttr(raw))


def unpack_rows(attr: DenseIntOrFPElementsAttr, cols: int, bits: int) -> np.ndarray:
    """Inverse of `pack_rows`: the (M, cols) array of unsigned codes, as int64."""
    rows, nwords = attr.get_shape()
    raw = np.frombuffer(attr.data.data, dtype=np.uint8).reshape(rows, nwords * 8)
    flat = np.unpackbits(raw, axis=1, bitorder="little")[:, : cols * bits]
    planes = flat.reshape(rows, cols, bits).astype(np.int64)
    return (planes << np.arange(bits, dtype=np.int64)).sum(axis=2)


def to_signed(codes: np.ndarray, bits: int) -> np.ndarray:
    """Reinterpret unsigned `bits`-bit codes as two's complement values."""
    return np.where(codes >= (1 << (bits - 1)), codes - (1 << bits), codes)


# --------------------------------------------------------------------------------------------
# The accelerator's AXI-stream boundary (HLS top, Verilog top, DMA driver)

AXI_WORD_BITS = 64


def elements_per_axi_word(bits: int) -> int:
    """Elements of `bits` bits in one AXI word: as many whole ones as fit; none straddles."""
    if not 1 <= bits <= AXI_WORD_BITS:
        raise ValueError(f"an element of {bits} bits does not fit a {AXI_WORD_BITS}-bit AXI word")
    return AXI_WORD_BITS // bits


def axi_words_per_frame(elements: int, bits: int) -> int:
    return -(-elements // elements_per_axi_word(bits))


def to_axi_words(codes: np.ndarray, bits: int) -> np.ndarray:
    """Frames of element codes (N, E) → the AXI words the accelerator reads, (N, words) uint64.

    Element i of a frame sits in word i div P at bits [(i mod P)·bits, …) for P elements a word
    (`elements_per_axi_word`); the last word of a frame is zero-padded. Codes are taken modulo
    2**bits, so signed values may be passed as they are (two's complement).
    """
    n, elements = codes.shape
    per_word = elements_per_axi_word(bits)
    words = axi_words_per_frame(elements, bits)
    if AXI_WORD_BITS % bits == 0:  # whole bytes of lanes, or lanes in bytes: no 64-bit lanes needed
        values = np.asarray(codes)
        if values.dtype.kind not in "iu" or bits > 8 * values.dtype.itemsize:
            values = values.astype(np.int64)  # sign-extends a narrower signed code
        values = values.view(f"u{values.dtype.itemsize}")  # two's complement, as `& mask` takes it
        padded = np.zeros((n, words * per_word), dtype=f"<u{max(1, bits // 8)}")
        np.bitwise_and(values, values.dtype.type((1 << bits) - 1), out=padded[:, :elements], casting="unsafe")
        if bits == 1:
            padded = np.packbits(padded, axis=1, bitorder="little")
        elif bits < 8:  # 8 // bits lanes a byte, the first in the low bits
            lanes = padded.reshape(n, -1, 8 // bits)
            padded = lanes[:, :, 0].copy()
            for i in range(1, 8 // bits):
                padded |= lanes[:, :, i] << np.uint8(i * bits)
        return np.ascontiguousarray(padded).view("<u8").astype(np.uint64)
    padded = np.zeros((n, words * per_word), dtype=np.uint64)
    padded[:, :elements] = np.asarray(codes, dtype=np.int64).astype(np.uint64) & np.uint64((1 << bits) - 1)
    shifts = (np.arange(per_word, dtype=np.uint64) * np.uint64(bits))[None, None, :]
    lanes = padded.reshape(n, words, per_word) << shifts
    return np.bitwise_or.reduce(lanes, axis=2)


def from_axi_words(words: np.ndarray, elements: int, bits: int, signed: bool) -> np.ndarray:
    """The inverse of `to_axi_words`: (N, words) uint64 → (N, elements) int64 values."""
    per_word = elements_per_axi_word(bits)
    n = words.shape[0]
    shifts = (np.arange(per_word, dtype=np.uint64) * np.uint64(bits))[None, None, :]
    mask = np.uint64((1 << bits) - 1) if bits < AXI_WORD_BITS else np.uint64(0xFFFFFFFFFFFFFFFF)
    lanes = (np.asarray(words, dtype=np.uint64)[:, :, None] >> shifts) & mask
    codes = lanes.reshape(n, -1)[:, :elements].astype(np.int64)
    return to_signed(codes, bits) if signed else codes
