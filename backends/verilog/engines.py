"""Each `df` engine as an instance of a library module: its parameters and its memory files.

A function per op kind returns an `Instance`: the module name, the Verilog parameters (in the
order the module declares them) and the `.mem` files to write. The arithmetic widths are those
`prepare-for-emission` recorded on the engines (accumulators wide enough for every reachable
sum), thresholds clamped into the accumulator's range plus one (x >= T is unchanged by the
clamp), element codes in two's complement, so that the RTL computes exactly what the `df`
executor does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from bnnc.dialects import bnn, df
from xdsl.dialects.builtin import IntegerType, Signedness
from xdsl.ir import Attribute, Operation

from bnnc.analysis.cost_model import mvtu_tree, mvtu_uses_dsp, repack_block
from bnnc.errors import BnncError
from bnnc.passes.prepare_for_emission import prepare_engine

BIPOLAR, UNSIGNED, SIGNED = 0, 1, 2  # the element kinds of the library's *_KIND parameters


@dataclass
class Instance:
    module: str
    params: dict[str, int | str]
    memories: dict[str, list[str]] = field(default_factory=dict)  # file name -> hex lines


def _int(attr) -> int:
    return attr.value.data


def _stream(value) -> df.StreamType:
    assert isinstance(value.type, df.StreamType)
    return value.type


def element_kind(element: Attribute) -> int:
    if bnn.is_bipolar(element):
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


def _thresholds(op, rows: int, lo: int, hi: int) -> np.ndarray:
    """The (rows, steps) thresholds, shared ones broadcast, clamped into [lo, hi + 1]."""
    values = bnn.dense_values(op.thresholds).astype(np.int64)
    values = np.broadcast_to(values, (rows, values.shape[1]))
    return np.clip(values, lo, hi + 1)


def mvtu(op: df.MvtuOp, name: str) -> Instance:
    mw, mh, pe, simd = _int(op.mw), _int(op.mh), _int(op.pe), _int(op.simd)
    nf = mh // pe
    x_elem, out_elem = _stream(op.input).element, _stream(op.output).element
    in_bits, w_bits = bnn.bit_width(x_elem), bnn.bit_width(op.weight_type)
    out_bits = bnn.bit_width(out_elem)
    popcount = op.popcount is not None
    lo, hi = op.accumulator_range()
    acc_bits = bnn.bit_width(op.acc_type)  # type: ignore[arg-type]
    memory = op.weight_memory()  # (PE, tiles, SIMD) values
    codes = (memory > 0).astype(np.int64) if bnn.is_bipolar(op.weight_type) else memory
    # word t: PE p's lanes at [(p·SIMD + s)·W, …)
    weights = code_bits(codes.transpose(1, 0, 2).reshape(nf * (mw // simd), pe * simd), w_bits)
    memories = {f"{name}_weights.mem": hex_words(weights)}
    steps = 0
    if op.thresholds is not None:
        t = _thresholds(op, mh, lo, hi)
        steps = t.shape[1]
        # word n: threshold i of PE p (row n·PE + p) at [(p·steps + i)·ACC_BITS, …)
        memories[f"{name}_thresholds.mem"] = hex_words(code_bits(t.reshape(nf, pe * steps), acc_bits))
    group, radix, _ = mvtu_tree(op)
    params = {
        "MW": mw, "MH": mh, "PE": pe, "SIMD": simd, "MMV": _int(op.mmv),
        "IN_BITS": in_bits, "IN_KIND": element_kind(x_elem),
        "W_BITS": w_bits, "W_KIND": element_kind(op.weight_type), "POPCOUNT": int(popcount),
        "ACC_BITS": acc_bits, "STEPS": steps, "OFFSET": _int(op.offset), "OUT_BITS": out_bits,
        "GROUP": group, "RADIX": radix, "USE_DSP": int(mvtu_uses_dsp(op)),
        "WEIGHT_FILE": f"{name}_weights.mem", "THRESHOLD_FILE": f"{name}_thresholds.mem",
    }
    return Instance("bnnc_mvtu", params, memories)


def swu(op: df.SwuOp, name: str) -> Instance:
    c, simd, mmv = _int(op.channels), _int(op.simd), _int(op.mmv)
    (ih, iw), (oh, ow) = bnn.array_values(op.ifm), bnn.array_values(op.ofm)
    (kh, kw), (sh, sw) = bnn.array_values(op.kernel), bnn.array_values(op.strides)
    top, left, _, _ = bnn.array_values(op.pads)
    element = _stream(op.input).element
    bits = bnn.bit_width(element)
    fill = _int(op.pad_value)
    code = (1 if fill > 0 else 0) if bnn.is_bipolar(element) else fill & ((1 << bits) - 1)
    params = {
        "SIMD": simd, "CF": c // simd, "BITS": bits, "MMV": mmv, "IH": ih, "IW": iw, "OH": oh, "OW": ow,
        "KH": kh, "KW": kw, "SH": sh, "SW": sw, "PAD_TOP": top, "PAD_LEFT": left, "PAD_CODE": code,
    }
    return Instance("bnnc_swu", params)


def pool(op: df.PoolOp, name: str) -> Instance:
    c, pe = _int(op.channels), _int(op.pe)
    (ih, iw), (oh, ow) = bnn.array_values(op.ifm), bnn.array_values(op.ofm)
    (kh, kw), (sh, sw) = bnn.array_values(op.kernel), bnn.array_values(op.strides)
    element = _stream(op.input).element
    params = {
        "PE": pe, "CF": c // pe, "BITS": bnn.bit_width(element), "KIND": element_kind(element),
        "IH": ih, "IW": iw, "OH": oh, "OW": ow, "KH": kh, "KW": kw, "SH": sh, "SW": sw,
    }
    return Instance("bnnc_pool", params)


def threshold(op: df.ThresholdOp, name: str) -> Instance:
    c, pe = _int(op.channels), _int(op.pe)
    x_elem, out_elem = _stream(op.input).element, _stream(op.output).element
    lo, hi = bnn.value_range(x_elem)
    in_bits = bnn.bit_width(x_elem)
    cmp_bits = bnn.bit_width(op.compare_type)  # type: ignore[arg-type]
    t = _thresholds(op, c, lo, hi)
    steps = t.shape[1]
    file = f"{name}_thresholds.mem"
    params = {
        "PE": pe, "CF": c // pe, "IN_BITS": in_bits, "IN_KIND": element_kind(x_elem), "STEPS": steps,
        "CMP_BITS": cmp_bits, "OFFSET": _int(op.offset), "OUT_BITS": bnn.bit_width(out_elem),
        "THRESHOLD_FILE": file,
    }
    return Instance("bnnc_threshold", params, {file: hex_words(code_bits(t.reshape(c // pe, pe * steps), cmp_bits))})


def label_select(op: df.LabelSelectOp, name: str) -> Instance:
    element = _stream(op.input).element
    params = {
        "PE": _int(op.pe), "CLASSES": _int(op.classes), "K": _int(op.k), "BITS": bnn.bit_width(element),
        "KIND": element_kind(element), "OUT_BITS": bnn.bit_width(_stream(op.output).element),
    }
    return Instance("bnnc_label_select", params)


def repack_params(bits: int, in_lanes: int, out_lanes: int, frame: int) -> dict[str, int]:
    """The parameters of a `bnnc_repack` (a df.dwc between one-pixel streams, an AXI port)."""
    return {"BITS": bits, "IN_LANES": in_lanes, "OUT_LANES": out_lanes, "FRAME": frame,
            "BLOCK": repack_block(in_lanes, out_lanes, frame)}


def dwc(op: df.DwcOp, name: str) -> Instance:
    src, dst = _stream(op.input), _stream(op.output)
    bits = bnn.bit_width(src.element)
    if src.mmv.data == 1 and dst.mmv.data == 1:
        return Instance("bnnc_repack", repack_params(bits, src.lanes.data, dst.lanes.data, src.elements))
    pixels = _int(op.pixels)
    vector = src.elements // pixels
    block = math.lcm(src.mmv.data, dst.mmv.data)
    params = {
        "BITS": bits, "VEC": vector, "BLOCK": block,
        "IN_M": src.mmv.data, "IN_L": src.lanes.data // src.mmv.data,
        "OUT_M": dst.mmv.data, "OUT_L": dst.lanes.data // dst.mmv.data,
    }
    return Instance("bnnc_regroup", params)


def fifo(op: df.FifoOp, name: str) -> Instance:
    depth = _int(op.depth) if op.depth is not None else 2
    return Instance("bnnc_fifo", {"WIDTH": _stream(op.input).width, "DEPTH": depth})


ENGINES: dict[type[Operation], Callable[..., Instance]] = {
    df.MvtuOp: mvtu,
    df.SwuOp: swu,
    df.PoolOp: pool,
    df.ThresholdOp: threshold,
    df.LabelSelectOp: label_select,
    df.DwcOp: dwc,
    df.FifoOp: fifo,
}


def instance_of(op: Operation, name: str) -> Instance:
    engine = ENGINES.get(type(op))
    if engine is None:
        raise BnncError(f"the Verilog backend has no engine for '{op.name}'")
    prepare_engine(op)  # the widths printed below are the prepare pass's (a no-op once prepared)
    return engine(op, name)
