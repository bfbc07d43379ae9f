"""Applying a folding to a `df.graph`: PE, SIMD and MMV per layer, and the streams they imply.

A folding maps layer names to `Fold(pe, simd, mmv)`. A convolution is a sliding-window unit and an
MVTU that share a layer name: the window unit streams SIMD channels of MMV pixels per word, as
its MVTU reads them. `refold` sets the engines' parameters, recomputes every stream type from
them, and puts a `df.dwc` wherever a producer's words are not the width its consumer reads
(removing the converters that are no longer needed). The fold pass (which chooses a folding) and
the lowering (which starts at PE = SIMD = MMV = 1) both use it.
"""

from __future__ import annotations

import functools

from xdsl.dialects.builtin import IntegerAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from bnnc.dialects import df
from bnnc.dialects.bnn import array_values
from bnnc.errors import BnncError
from bnnc.folding.fold import Fold


def layer_of(op: Operation) -> str | None:
    layer = getattr(op, "layer", None)
    return layer.data if layer is not None else None


def current_folding(graph: df.GraphOp) -> dict[str, Fold]:
    folding = {}
    for op in graph.body.block.ops:
        name = layer_of(op)
        if isinstance(op, df.MvtuOp) and name:
            folding[name] = Fold(_int(op.pe), _int(op.simd), _int(op.mmv))
        elif isinstance(op, df.PoolOp | df.ThresholdOp | df.LabelSelectOp) and name:
            folding[name] = Fold(pe=_int(op.pe))
    return folding


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _set(op: Operation, **values: int) -> None:
    for key, value in values.items():
        op.properties[key] = IntegerAttr(value, i64)


@functools.cache
def _stream(element, lanes: int, words: int, mmv: int = 1) -> df.StreamType:
    """One shared `df.StreamType` per shape: folding asks for the same few thousand times, and
    building (verifying) an attribute costs far more than looking it up."""
    return df.StreamType(element, lanes, words, mmv)


def input_type(op: Operation, element) -> df.StreamType:
    """The stream an engine reads, from its parameters."""
    if isinstance(op, df.MvtuOp):
        lanes = _int(op.simd) * _int(op.mmv)
        return _stream(element, lanes, _int(op.vectors) * _int(op.mw) // lanes, _int(op.mmv))
    if isinstance(op, df.SwuOp):
        ih, iw = array_values(op.ifm)
        return _stream(element, _int(op.simd), ih * iw * _int(op.channels) // _int(op.simd))
    if isinstance(op, df.PoolOp):
        ih, iw = array_values(op.ifm)
        return _stream(element, _int(op.pe), ih * iw * _int(op.channels) // _int(op.pe))
    if isinstance(op, df.ThresholdOp):
        return _stream(element, _int(op.pe), _int(op.pixels) * _int(op.channels) // _int(op.pe))
    if isinstance(op, df.LabelSelectOp):
        return _stream(element, _int(op.pe), _int(op.classes) // _int(op.pe))
    raise AssertionError(op.name)


def output_type(op: Operation, element) -> df.StreamType:
    """The stream an engine writes, from its parameters and its output element type."""
    if isinstance(op, df.MvtuOp):
        lanes = _int(op.pe) * _int(op.mmv)
        return _stream(element, lanes, _int(op.vectors) * _int(op.mh) // lanes, _int(op.mmv))
    if isinstance(op, df.SwuOp):
        (oh, ow), (kh, kw) = array_values(op.ofm), array_values(op.kernel)
        lanes = _int(op.simd) * _int(op.mmv)
        return _stream(element, lanes, oh * ow * kh * kw * _int(op.channels) // lanes, _int(op.mmv))
    if isinstance(op, df.PoolOp):
        oh, ow = array_values(op.ofm)
        return _stream(element, _int(op.pe), oh * ow * _int(op.channels) // _int(op.pe))
    if isinstance(op, df.ThresholdOp):
        return _stream(element, _int(op.pe), _int(op.pixels) * _int(op.channels) // _int(op.pe))
    if isinstance(op, df.LabelSelectOp):
        return _stream(element, 1, _int(op.k))
    raise AssertionError(op.name)


def check_legal(op: Operation, fold: Fold) -> list[str]:
    """Why a fold does not fit an engine (empty when it does)."""
    problems = []
    if isinstance(op, df.MvtuOp):
        if _int(op.mh) % fold.pe:
            problems.append(f"MH = {_int(op.mh)} is not divisible by PE = {fold.pe}")
        if _int(op.mw) % fold.simd:
            problems.append(f"MW = {_int(op.mw)} is not divisible by SIMD = {fold.simd}")
        if _int(op.vectors) % fold.mmv:
            problems.append(f"{_int(op.vectors)} output pixels are not divisible by MMV = {fold.mmv}")
    elif isinstance(op, df.SwuOp):
        if _int(op.channels) % fold.simd:
            problems.append(f"{_int(op.channels)} channels are not divisible by SIMD = {fold.simd}")
    elif isinstance(op, df.PoolOp | df.ThresholdOp):
        if _int(op.channels) % fold.pe:
            problems.append(f"{_int(op.channels)} channels are not divisible by PE = {fold.pe}")
    elif isinstance(op, df.LabelSelectOp) and _int(op.classes) % fold.pe:
        problems.append(f"{_int(op.classes)} classes are not divisible by PE = {fold.pe}")
    if min(fold.pe, fold.simd, fold.mmv) < 1:
        problems.append("PE, SIMD and MMV must be positive")
    return problems


def refold(graph: df.GraphOp, folding: dict[str, Fold], source: df.StreamType | None = None) -> None:
    """Apply `folding` (layers not named keep theirs) and make every stream consistent.

    `source` sets the words of the graph's input stream (the host interface's width).
    """
    block = graph.body.block
    if source is not None:
        entry = graph.input_op()
        if source.element != entry.output.type.element or source.elements != entry.output.type.elements:  # type: ignore[attr-defined]
            raise BnncError(f"the input stream {source} does not carry one frame of {entry.output.type}")
        _retype(entry.output, source)
    known = {layer_of(op) for op in block.ops if layer_of(op)}
    unknown = sorted(set(folding) - known)
    if unknown:
        raise BnncError(f"the folding names unknown layers {unknown}; the layers are {sorted(known)}")
    for op in list(block.ops):
        if isinstance(op, df.DwcOp):
            op.output.replace_all_uses_with(op.input)
            op.detach()
            op.erase()
    for op in block.ops:
        fold = folding.get(layer_of(op) or "")
        if fold is None:
            continue
        problems = check_legal(op, fold)
        if problems:
            raise BnncError(f"illegal folding of layer '{layer_of(op)}': {'; '.join(problems)}")
        if isinstance(op, df.MvtuOp):
            _set(op, pe=fold.pe, simd=fold.simd, mmv=fold.mmv)
        elif isinstance(op, df.SwuOp):
            _set(op, simd=fold.simd, mmv=fold.mmv)
        elif isinstance(op, df.PoolOp | df.ThresholdOp | df.LabelSelectOp):
            _set(op, pe=fold.pe)
    for op in list(block.ops):
        if isinstance(op, df.ENGINES) and not isinstance(op, df.DwcOp | df.FifoOp):
            _connect(op, input_type(op, op.input.type.element))  # type: ignore[attr-defined]
            _retype(op.results[0], output_type(op, op.results[0].type.element))  # type: ignore[attr-defined]
        elif isinstance(op, df.FifoOp):
            _retype(op.output, op.input.type)


def output_pixels(producer: Operation) -> int:
    """Pixels per frame of a multi-pixel stream, from the engine that writes it."""
    while isinstance(producer, df.FifoOp | df.DwcOp):
        producer = producer.input.owner  # type: ignore[assignment]
    if isinstance(producer, df.MvtuOp):
        return _int(producer.vectors)
    oh, ow = array_values(producer.ofm)  # type: ignore[attr-defined]
    return oh * ow


def _retype(value: SSAValue, new_type) -> None:
    """Give a result a new type in place (its users keep reading it)."""
    if value.type != new_type:
        new_value = Rewriter.replace_value_with_new_type(value, new_type)
        new_value.name_hint = value.name_hint


def _connect(consumer: Operation, wanted: df.StreamType) -> None:
    value: SSAValue = consumer.operands[0]
    if value.type == wanted:
        return
    properties = {}
    if value.type.mmv.data > 1:  # type: ignore[attr-defined]
        properties["pixels"] = IntegerAttr(output_pixels(value.owner), i64)
    elif wanted.mmv.data > 1:
        properties["pixels"] = IntegerAttr(_int(consumer.vectors), i64)  # type: ignore[attr-defined]
    dwc = df.DwcOp.build(operands=[value], result_types=[wanted], properties=properties)
    Rewriter.insert_op(dwc, InsertPoint.before(consumer))
    consumer.operands = [dwc.output, *consumer.operands[1:]]
