"""Applying a folding to a `df.graph`: PE, SIMD and MMV per layer, and the streams they imply.

A folding maps layer names to `Fold(pe, simd, mmv)`. A convolution is a sliding-window unit and an
MVTU that share a layer name: the window unit streams SIMD channels of MMV pixels per word, as
its MVTU reads them. `refold` sets the engines' parameters, recomputes every stream type from
them, and puts a `df.dwc` wherever a producer's words are not the width its consumer reads
(removing the converters that are no longer needed). The fold pass (which chooses a folding) and
the lowering (which starts at PE = SIMD = MMV = 1) both use it.
"""

from __future__ import annotations

from xdsl.dialects.builtin import IntegerAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from bnnc.dialects import df
from bnnc.dialects.bnn import array_values
from bnnc.errors import BnncError
from bnnc.dialects.df import Fold


def layer_of(op: Operation) -> str | None:
    layer = getattr(op, "layer", None)
    return layer.data if layer is not None else None


def current_folding(graph: df.GraphOp) -> dict[str, Fold]:
    """Each layer's folding, as its engines hold it (a convolution's MVTU has all three)."""
    folding: dict[str, Fold] = {}
    for op in graph.body.block.ops:
        name = layer_of(op)
        if isinstance(op, df.COMPUTE_ENGINES) and name and not isinstance(op, df.SwuOp):
            folding[name] = op.fold()
    return folding


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def layer_legal_folds(engines: tuple[df.EngineOp, ...]) -> list[Fold]:
    """Every folding of a layer: the last engine's legal folds that all its engines take (a
    convolution's window unit shares SIMD and MMV with its MVTU)."""
    def own(engine: df.EngineOp, fold: Fold) -> tuple[int, ...]:
        return tuple(getattr(fold, key) for key in engine.FOLD_PARAMETERS)

    taken = [{own(e, f) for f in e.legal_folds()} for e in engines]
    return [f for f in engines[-1].legal_folds() if all(own(e, f) in t for e, t in zip(engines, taken))]


def check_legal(op: Operation, fold: Fold) -> list[str]:
    """Why a fold does not fit an engine (empty when it does): the engine's own answer."""
    return op.fold_problems(fold) if isinstance(op, df.EngineOp) else []


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
        if isinstance(op, df.EngineOp):
            op.set_fold(fold)
    for op in list(block.ops):
        if isinstance(op, df.COMPUTE_ENGINES):
            wanted = op.input_types([v.type.element for v in op.operands])  # type: ignore[attr-defined]
            for index, stream in enumerate(wanted):
                _connect(op, stream, index)
            written = op.output_types([r.type.element for r in op.results])  # type: ignore[attr-defined]
            for result, stream in zip(op.results, written):
                _retype(result, stream)
        elif isinstance(op, df.EngineOp) and not isinstance(op, df.DwcOp):  # FIFOs and forks copy their input
            for result in op.results:
                _retype(result, op.operands[0].type)
        elif isinstance(op, df.OutputOp) and op.input.type.mmv.data > 1:  # type: ignore[attr-defined]
            # the boundary carries one pixel a word: a converter after a last layer with MMV > 1
            stream = op.input.type  # type: ignore[attr-defined]
            mmv = stream.mmv.data
            _connect(op, df.StreamType(stream.element, stream.lanes.data // mmv, stream.words.data * mmv))


def output_pixels(producer: Operation) -> int:
    """Pixels per frame of a multi-pixel stream, from the engine that writes it."""
    while isinstance(producer, df.FifoOp | df.DwcOp | df.ForkOp):
        producer = producer.input.owner  # type: ignore[assignment]
    vectors = producer.frame_vectors()  # type: ignore[attr-defined]
    if vectors is not None:
        return vectors
    oh, ow = array_values(producer.ofm)  # type: ignore[attr-defined]
    return oh * ow


def _retype(value: SSAValue, new_type) -> None:
    """Give a result a new type in place (its users keep reading it)."""
    if value.type != new_type:
        new_value = Rewriter.replace_value_with_new_type(value, new_type)
        new_value.name_hint = value.name_hint


def _connect(consumer: Operation, wanted: df.StreamType, index: int = 0) -> None:
    value: SSAValue = consumer.operands[index]
    if value.type == wanted:
        return
    properties = {}
    if value.type.mmv.data > 1:  # type: ignore[attr-defined]
        properties["pixels"] = IntegerAttr(output_pixels(value.owner), i64)
    elif wanted.mmv.data > 1:
        properties["pixels"] = IntegerAttr(_int(consumer.vectors), i64)  # type: ignore[attr-defined]
    dwc = df.DwcOp.build(operands=[value], result_types=[wanted], properties=properties)
    Rewriter.insert_op(dwc, InsertPoint.before(consumer))
    operands = list(consumer.operands)
    operands[index] = dwc.output
    consumer.operands = operands
