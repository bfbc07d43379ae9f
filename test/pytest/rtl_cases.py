"""Small `df.graph`s for the RTL tests, written as MLIR text with random weights.

Each builder returns the text of one engine (or a short chain) between `df.input` and
`df.output`; `prepare` parses it and runs `insert-streams,size-fifos`, as a compile would.
"""

from __future__ import annotations

import re

import numpy as np
from bnnc.dialects import df
from xdsl.parser import Parser

from bnnc.driver.ir import make_context
from bnnc.semantics.packing import pack_rows
from bnnc.driver.pipeline import run_pipeline


def dense_weights(values: np.ndarray, bits: int) -> str:
    """(MH, MW) weight codes as the `dense<"0x…"> : tensor<MH x W x ui64>` of an MVTU."""
    attr = pack_rows(values, bits)
    rows, words = attr.get_shape()
    return f'dense<"0x{attr.data.data.hex().upper()}"> : tensor<{rows}x{words}xui64>'


def dense_thresholds(values: np.ndarray) -> str:
    rows = ", ".join("[" + ", ".join(str(int(v)) for v in row) + "]" for row in values)
    return f"dense<[{rows}]> : tensor<{values.shape[0]}x{values.shape[1]}xi64>"


def stream(lanes: int, element: str, words: int, mmv: int = 1) -> str:
    return f"!df.stream<{lanes}x{element}, {words}{f', mmv = {mmv}' if mmv > 1 else ''}>"


def graph(input_shape: tuple[int, ...], input_stream: str, body: list[str], output_shape: tuple[int, ...],
          pixels: int | None = None) -> str:
    """`body` lines use %x for their input; a width converter goes in wherever a line reads
    words other than its producer's (`pixels` for converters of multi-pixel streams)."""
    lines = [f"  %v0 = df.input {{shape = array<i64: {', '.join(map(str, input_shape))}>}} : {input_stream}"]
    out_type = input_stream
    for line in body:
        wanted = line.rsplit(" : ", 1)[1].split(" -> ")[0]
        if wanted != out_type:
            attrs = f" {{pixels = {pixels} : i64}}" if "mmv" in wanted + out_type else ""
            lines.append(f"  %v{len(lines)} = df.dwc %v{len(lines) - 1}{attrs} : {out_type} -> {wanted}")
        lines.append(f"  %v{len(lines)} = " + line.replace("%x", f"%v{len(lines) - 1}"))
        out_type = line.rsplit("-> ", 1)[1]
    plain = re.fullmatch(r"!df.stream<(\d+)x(.+), (\d+), mmv = (\d+)>", out_type)
    if plain:  # the graph's output carries one pixel a word
        lanes, element, words, mmv = plain.groups()
        wanted = stream(int(lanes) // int(mmv), element, int(words) * int(mmv))
        lines.append(f"  %v{len(lines)} = df.dwc %v{len(lines) - 1} {{pixels = {pixels} : i64}} : {out_type} -> {wanted}")
        out_type = wanted
    shape = ", ".join(map(str, output_shape))
    lines.append(f"  df.output %v{len(lines) - 1} {{shape = array<i64: {shape}>}} : {out_type}")
    return "df.graph @accelerator {\n" + "\n".join(lines) + "\n}\n"


def prepare(text: str):
    module = Parser(make_context(), text).parse_module()
    run_pipeline(module, "insert-streams,size-fifos")
    module.verify()
    return module


def graph_of(module) -> df.GraphOp:
    return next(op for op in module.walk() if isinstance(op, df.GraphOp))


def random_frames(module, n: int, rng: np.random.Generator) -> np.ndarray:
    """Random `df.input` elements: bits for bipolar streams, the type's range for integers."""
    from bnnc.dialects.bnn import value_range

    s = graph_of(module).input_op().output.type
    lo, hi = value_range(s.element)
    if lo == -1 and hi == 1 and "bipolar" in str(s.element):
        return rng.integers(0, 2, (n, s.elements))
    return rng.integers(lo, hi + 1, (n, s.elements))


def mvtu_line(rng, mw, mh, pe, simd, in_type, out_type, *, mmv=1, vectors=1, w_bits=1, steps=1,
              offset=0, popcount=False, thresholds_range=None, shared=False, lanes_in=None) -> str:
    """An MVTU of random weights (bipolar for w_bits = 1, else signed w_bits) and thresholds."""
    if w_bits == 1:
        weights, w_type = rng.integers(0, 2, (mh, mw)), "!bnn.bipolar"
    else:
        weights, w_type = rng.integers(-(1 << (w_bits - 1)), 1 << (w_bits - 1), (mh, mw)), f"si{w_bits}"
    props = [f"mw = {mw} : i64", f"mh = {mh} : i64", f"pe = {pe} : i64", f"simd = {simd} : i64",
             f"vectors = {vectors} : i64", f"mmv = {mmv} : i64"]
    if popcount:
        props.append("popcount")
    if thresholds_range is not None:
        lo, hi = thresholds_range
        t = np.sort(rng.integers(lo, hi + 1, (1 if shared else mh, steps)), axis=1)
        props.append(f"thresholds = {dense_thresholds(t)}")
        if offset:
            props.append(f"offset = {offset} : i64")
    src = stream(simd * mmv, in_type, vectors * mw // (simd * mmv), mmv)
    dst = stream(pe * mmv, out_type, vectors * mh // (pe * mmv), mmv)
    return (f"df.mvtu %x weights<{w_type}> {dense_weights(weights, w_bits)} {{{', '.join(props)}}} "
            f": {src} -> {dst}")


def swu_line(c, simd, ifm, kernel, strides=(1, 1), pads=(0, 0, 0, 0), pad_value=0, mmv=1, element="!bnn.bipolar"):
    (ih, iw), (kh, kw), (sh, sw) = ifm, kernel, strides
    top, left, bottom, right = pads
    oh, ow = (ih + top + bottom - kh) // sh + 1, (iw + left + right - kw) // sw + 1
    props = (f"channels = {c} : i64, ifm = array<i64: {ih}, {iw}>, ofm = array<i64: {oh}, {ow}>, "
             f"kernel = array<i64: {kh}, {kw}>, strides = array<i64: {sh}, {sw}>, "
             f"pads = array<i64: {top}, {left}, {bottom}, {right}>, pad_value = {pad_value} : i64, "
             f"simd = {simd} : i64, mmv = {mmv} : i64")
    src = stream(simd, element, ih * iw * c // simd)
    dst = stream(simd * mmv, element, oh * ow * kh * kw * c // (simd * mmv), mmv)
    return f"df.swu %x {{{props}}} : {src} -> {dst}", (oh, ow)


def vvtu_line(rng, c, kernel, pe, simd, in_type, out_type, *, mmv=1, vectors=1, w_bits=1, steps=1,
              popcount=False, thresholds_range=None) -> str:
    """A VVTU (depthwise) of random weights (bipolar for w_bits = 1, else signed w_bits), one row
    of kh·kw a channel, and thresholds; it reads the window unit's depthwise words."""
    k = kernel[0] * kernel[1]
    if w_bits == 1:
        weights, w_type = rng.integers(0, 2, (c, k)), "!bnn.bipolar"
    else:
        weights, w_type = rng.integers(-(1 << (w_bits - 1)), 1 << (w_bits - 1), (c, k)), f"si{w_bits}"
    props = [f"channels = {c} : i64", f"kernel = array<i64: {kernel[0]}, {kernel[1]}>", f"pe = {pe} : i64",
             f"simd = {simd} : i64", f"vectors = {vectors} : i64", f"mmv = {mmv} : i64"]
    if popcount:
        props.append("popcount")
    if thresholds_range is not None:
        lo, hi = thresholds_range
        props.append(f"thresholds = {dense_thresholds(np.sort(rng.integers(lo, hi + 1, (c, steps)), axis=1))}")
    lanes = pe * simd * mmv
    src = stream(lanes, in_type, vectors * c * k // lanes, mmv)
    dst = stream(pe * mmv, out_type, vectors * c // (pe * mmv), mmv)
    return (f"df.vvtu %x weights<{w_type}> {dense_weights(weights, w_bits)} {{{', '.join(props)}}} "
            f": {src} -> {dst}")


def depthwise_swu_line(c, pe, simd, ifm, kernel, strides=(1, 1), pads=(0, 0, 0, 0), pad_value=0, mmv=1,
                       element="ui4"):
    """A window unit in its depthwise mode: PE channels a word in, PE·SIMD·MMV lanes out."""
    (ih, iw), (kh, kw), (sh, sw) = ifm, kernel, strides
    top, left, bottom, right = pads
    oh, ow = (ih + top + bottom - kh) // sh + 1, (iw + left + right - kw) // sw + 1
    props = (f"channels = {c} : i64, ifm = array<i64: {ih}, {iw}>, ofm = array<i64: {oh}, {ow}>, "
             f"kernel = array<i64: {kh}, {kw}>, strides = array<i64: {sh}, {sw}>, "
             f"pads = array<i64: {top}, {left}, {bottom}, {right}>, pad_value = {pad_value} : i64, "
             f"simd = {simd} : i64, mmv = {mmv} : i64, depthwise, pe = {pe} : i64")
    lanes = pe * simd * mmv
    src = stream(pe, element, ih * iw * c // pe)
    dst = stream(lanes, element, oh * ow * kh * kw * c // lanes, mmv)
    return f"df.swu %x {{{props}}} : {src} -> {dst}", (oh, ow)
