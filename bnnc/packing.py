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
