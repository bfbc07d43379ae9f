"""`lower-bnn-to-dataflow`: the accelerator part of a streamlined `bnn` function becomes a
`df.graph` of streaming engines, called from the host function with `df.invoke`.

Per layer (after `bnn-streamline`, see `hardware_form_problems`):

    bnn.dense (+ bnn.threshold)    →  df.mvtu (vectors = 1, thresholds fused)
    bnn.conv2d (+ bnn.threshold)   →  df.swu + df.mvtu (vectors = output pixels)
    bnn.maxpool                    →  df.pool
    bnn.threshold (standalone)     →  df.threshold
    bnn.topk                       →  df.label_select
    bnn.depthwise_conv2d (+ thr.)  →  df.swu {depthwise} + df.vvtu (vectors = output pixels)
    bnn.add                        →  df.join (the requantization after it: a df.threshold)
    bnn.sum_pool (global, + bnn.trunc) → df.global_pool (the Trunc as its post-op)
    a value read by k > 1 engines  →  df.fork with k outputs, one a reader
    bnn.reshape                    →  nothing: streams are NHWC, so a flattening reshape of an
                                      NCHW tensor permutes the next dense layer's weight columns

Every engine starts at PE = SIMD = MMV = 1, or at the folding given by the `folding` option (a
JSON file, see `bnnc.analysis.folding`); `refold` makes the streams agree. An MVTU without a threshold
passes on its accumulators, in the narrowest integer type that holds their range.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    StringAttr,
    SymbolRefAttr,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from bnnc.dialects import bnn, df
from bnnc.errors import BnncError
from bnnc.analysis.folding import refold
from bnnc.analysis.folding.files import load_folding
from bnnc.semantics.packing import pack_rows
from bnnc.passes.channels import dense_i64
from bnnc.passes.partition_host import hardware_form_problems, runs_on_host
from bnnc.passes.value_range import layer_range

GRAPH_NAME = "accelerator"


def _array(values) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def _int(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


@dataclass
class Stream:
    """A bnn tensor while it flows through the graph: its df stream, and for a flattened NCHW
    tensor the bnn index of each stream position (streams stay NHWC)."""

    value: SSAValue
    order: np.ndarray | None = None


@dataclass
class Lowering:
    block: Block
    streams: dict[SSAValue, Stream] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    layer_index: int = 0
    readers: dict[SSAValue, int] = field(default_factory=dict)
    """Per bnn value, the device ops that read it: more than one gets a `df.fork`."""
    copies: dict[SSAValue, list[Stream]] = field(default_factory=dict)

    def define(self, value: SSAValue, stream: Stream) -> None:
        """The stream of a bnn value; a value with k > 1 device readers goes through a
        `df.fork` with k outputs, one a reader (`take`)."""
        self.streams[value] = stream
        count = self.readers.get(value, 1)
        if count > 1:
            fork = df.ForkOp.build(operands=[stream.value], result_types=[[stream.value.type] * count])
            self.block.add_op(fork)
            self.copies[value] = [Stream(out, stream.order) for out in fork.outputs]

    def take(self, value: SSAValue) -> Stream:
        """The stream a reader of a bnn value reads: its own output of the fork, if any."""
        copies = self.copies.get(value)
        return copies.pop(0) if copies else self.streams[value]

    def emit(self, op: Operation, layer: str | None = None) -> SSAValue:
        if layer is not None:
            op.properties["layer"] = StringAttr(layer)
        self.block.add_op(op)
        return op.results[0]

    def name(self, kind: str) -> str:
        index = self.counts.get(kind, 0)
        self.counts[kind] = index + 1
        return f"{kind}{index}"


def frame_shape(tensor_type: Attribute) -> list[int]:
    """One frame of an NCHW (or NC) tensor in stream (NHWC) order."""
    shape = bnn.shape_of(tensor_type)[1:]
    return [*shape[1:], shape[0]] if len(shape) == 3 else list(shape)


def stream_of(value: SSAValue, lanes: int = 1) -> df.StreamType:
    elements = int(np.prod(bnn.shape_of(value.type)[1:]))
    return df.StreamType(bnn.element_type(value.type), lanes, elements // lanes)


RESIDUAL_OPS = {
    bnn.ConcatOp: "a concatenation of streams",
    bnn.SumPoolOp: "an average (sum) pool over windows smaller than the frame",
    bnn.TruncOp: "a QONNX Trunc that does not follow a global sum pool",
}


def global_pool_trunc(pool: bnn.SumPoolOp) -> bnn.TruncOp | None:
    """The Trunc a global sum pool hands its sums to, when it is their only reader (it becomes
    the `df.global_pool`'s post-op)."""
    users = [use.operation for use in pool.output.uses]
    return users[0] if len(users) == 1 and isinstance(users[0], bnn.TruncOp) else None


def is_global(pool: bnn.SumPoolOp) -> bool:
    return tuple(bnn.array_values(pool.kernel)) == tuple(bnn.shape_of(pool.input.type)[2:])


def residual_problem(main: func.FuncOp) -> str | None:
    """Why the function has a residual op this pass cannot lower yet, or None. Joins
    (`bnn.add`), forks (a value several accelerator ops read) and global sum pools (with the
    Trunc after them) lower to `df.join`, `df.fork` and `df.global_pool`; a concat, a sum pool
    over smaller windows and a Trunc elsewhere have no engine yet (docs/design.md, "Residual
    networks at the df level")."""
    later = ("is not supported by lower-bnn-to-dataflow yet: the df level has fork, join and "
             "global pool engines but no concat, window sum pool or standalone Trunc (see "
             "docs/design.md, 'Residual networks at the df level'); the bnn level runs this model "
             "(bnnc run --engine bnn)")
    for op in main.body.block.ops:
        if runs_on_host(op):
            continue
        if isinstance(op, bnn.SumPoolOp) and is_global(op):
            continue
        if isinstance(op, bnn.TruncOp) and isinstance(op.input.owner, bnn.SumPoolOp) \
                and is_global(op.input.owner) and global_pool_trunc(op.input.owner) is op:
            continue
        kind = RESIDUAL_OPS.get(type(op))
        if kind is not None:
            return f"'{op.name}', {kind}, {later}"
    return None


def lower_function(module: builtin.ModuleOp, main: func.FuncOp) -> df.GraphOp:
    residual = residual_problem(main)
    if residual:
        raise BnncError(residual)
    problems = hardware_form_problems(module)
    if problems:
        raise BnncError(
            "the module is not in hardware form (run the bnn-streamline pipeline first): "
            + "; ".join(problems)
        )
    ops = [op for op in main.body.block.ops if not isinstance(op, func.ReturnOp)]
    device = [i for i, op in enumerate(ops) if not runs_on_host(op)]
    segment = ops[device[0] : device[-1] + 1]
    inside = set(segment)
    inputs = {v for op in segment for v in op.operands if v.owner not in inside}
    outputs = [r for op in segment for r in op.results if any(u.operation not in inside for u in r.uses)]
    if len(inputs) != 1 or len(outputs) != 1:
        raise BnncError(
            f"the accelerator part must have one input and one output, found {len(inputs)} and "
            f"{len(outputs)}"
        )
    (source,), (result,) = tuple(inputs), outputs

    block = Block()
    lowering = Lowering(block)
    entry = df.InputOp.build(
        result_types=[stream_of(source)], properties={"shape": _array(frame_shape(source.type))}
    )
    lowering.readers = {v: sum(1 for use in v.uses if use.operation in inside)
                        for v in [source, *(r for op in segment for r in op.results)]}
    lowering.define(source, Stream(lowering.emit(entry)))
    fused: set[Operation] = set()
    for op in segment:
        if op not in fused:
            fused |= lower_op(lowering, op)
    out = lowering.take(result)
    block.add_op(
        df.OutputOp.build(operands=[out.value], properties={"shape": _array(frame_shape(result.type))})
    )
    graph = df.GraphOp.build(properties={"sym_name": StringAttr(GRAPH_NAME)}, regions=[Region(block)])

    invoke = df.InvokeOp.build(
        operands=[[source]],
        result_types=[[result.type]],
        properties={"callee": SymbolRefAttr(GRAPH_NAME)},
    )
    main.body.block.insert_op_before(invoke, segment[-1])
    result.replace_all_uses_with(invoke.results[0])
    for op in reversed(segment):
        op.detach()
        op.erase()
    return graph


def lower_op(lowering: Lowering, op: Operation) -> set[Operation]:
    """Lower one bnn op (and the threshold it absorbs); returns the ops it consumed."""
    if isinstance(op, bnn.ReshapeOp):
        lowering.define(op.output, reshape(lowering.take(op.input), op))
        return {op}
    if isinstance(op, bnn.DenseOp | bnn.Conv2dOp):
        return lower_layer(lowering, op)
    if isinstance(op, bnn.DepthwiseConv2dOp):
        return lower_depthwise(lowering, op)
    if isinstance(op, bnn.AddOp):
        return lower_join(lowering, op)
    if isinstance(op, bnn.SumPoolOp):
        return lower_global_pool(lowering, op)
    source = lowering.take(op.operands[0])
    shape = bnn.shape_of(op.operands[0].type)
    if isinstance(op, bnn.MaxPoolOp):
        _, c, h, w = shape
        pool = df.PoolOp.build(
            operands=[source.value],
            result_types=[stream_of(op.output)],
            properties={
                "channels": _int(c), "ifm": _array((h, w)), "ofm": _array(bnn.shape_of(op.output.type)[2:]),
                "kernel": op.kernel, "strides": op.strides, "pe": _int(1),
            },
        )
        lowering.define(op.output, Stream(lowering.emit(pool, lowering.name("pool"))))
    elif isinstance(op, bnn.ThresholdOp):
        if op.axis.value.data != 1:
            raise BnncError("a standalone threshold must act on channel axis 1")
        channels = shape[1] if len(shape) > 1 else 1
        thresholds = op.thresholds
        if source.order is not None and bnn.dense_values(thresholds).shape[0] > 1:
            # a flattened NCHW tensor streams in NHWC order: per-feature thresholds follow it
            thresholds = dense_i64(bnn.dense_values(thresholds)[source.order])
        unit = df.ThresholdOp.build(
            operands=[source.value],
            result_types=[stream_of(op.output)],
            properties={
                "channels": _int(channels), "pixels": _int(int(np.prod(shape[2:]))), "pe": _int(1),
                "thresholds": thresholds, "offset": op.offset,
            },
        )
        # element for element: the stream keeps its order
        value = lowering.emit(unit, lowering.name("threshold"))
        lowering.define(op.output, Stream(value, source.order))
    elif isinstance(op, bnn.TopKOp):
        classes = shape[-1]
        select = df.LabelSelectOp.build(
            operands=[source.value],
            result_types=[df.StreamType(bnn.narrowest_integer(0, classes - 1), 1, op.k.value.data)],
            properties={"classes": _int(classes), "k": op.k, "pe": _int(1)},
        )
        lowering.define(op.output, Stream(lowering.emit(select, "label_select")))
    else:
        raise BnncError(f"'{op.name}' cannot run on the accelerator (no df engine implements it)")
    return {op}


def fused_threshold(op: Operation) -> bnn.ThresholdOp | None:
    """The threshold a layer's accumulators go to alone, which its engine absorbs, or None."""
    users = [use.operation for use in op.results[0].uses]
    return users[0] if len(users) == 1 and isinstance(users[0], bnn.ThresholdOp) else None


def lower_depthwise(lowering: Lowering, op: bnn.DepthwiseConv2dOp) -> set[Operation]:
    """A depthwise convolution (and the threshold it absorbs): a window unit in its depthwise
    mode, which reorders each window to (channel fold, tap fold) words, and a VVTU that weighs
    each channel's taps with the channel's own kernel (docs/design.md, "Depthwise convolution
    below `bnn`"). The layer is `conv<i>`, numbered with the dense and conv layers."""
    source = lowering.take(op.input)
    layer = f"conv{lowering.layer_index}"
    lowering.layer_index += 1
    _, c, h, w = bnn.shape_of(op.input.type)
    oh, ow = bnn.shape_of(op.output.type)[2:]
    kh, kw = bnn.array_values(op.kernel)
    element = bnn.element_type(op.input.type)
    swu = df.SwuOp.build(
        operands=[source.value],
        result_types=[df.StreamType(element, 1, oh * ow * kh * kw * c)],
        properties={
            "channels": _int(c), "ifm": _array((h, w)), "ofm": _array((oh, ow)),
            "kernel": op.kernel, "strides": op.strides, "pads": op.pads,
            "pad_value": op.pad_value, "simd": _int(1), "depthwise": builtin.UnitAttr(), "pe": _int(1),
        },
    )
    windows = lowering.emit(swu, layer)
    weights = op.weight_matrix(op.reduction)  # (C, kh·kw)
    bits = bnn.bit_width(op.weight_type)
    codes = (weights > 0).astype(np.int64) if bnn.is_bipolar(op.weight_type) else weights
    properties: dict[str, Attribute] = {
        "channels": _int(c), "kernel": op.kernel, "pe": _int(1), "simd": _int(1), "vectors": _int(oh * ow),
        "weights": pack_rows(codes, bits), "weight_type": op.weight_type,
    }
    if op.popcount is not None:
        properties["popcount"] = op.popcount
    consumed: set[Operation] = {op}
    threshold = fused_threshold(op)
    if threshold is not None:
        properties["thresholds"] = threshold.thresholds
        properties["offset"] = threshold.offset
        out_element, result = bnn.element_type(threshold.output.type), threshold.output
        consumed.add(threshold)
    else:
        out_element, result = bnn.narrowest_integer(*layer_range(op)), op.output
    vvtu = df.VvtuOp.build(
        operands=[windows], result_types=[df.StreamType(out_element, 1, oh * ow * c)], properties=properties
    )
    lowering.define(result, Stream(lowering.emit(vvtu, layer)))
    return consumed


def reshape(stream: Stream, op: bnn.ReshapeOp) -> Stream:
    """Streams are NHWC: flattening (C, H, W) keeps the stream and records the bnn order."""
    src, dst = bnn.shape_of(op.input.type)[1:], bnn.shape_of(op.output.type)[1:]
    if len(src) == 3 and len(dst) == 1:
        c, h, w = src
        # stream position (h, w, c) holds bnn element c·H·W + h·W + w
        hh, ww, cc = np.meshgrid(np.arange(h), np.arange(w), np.arange(c), indexing="ij")
        order = (cc * h * w + hh * w + ww).reshape(-1)
        if stream.order is not None:
            order = stream.order[order]
        return Stream(stream.value, order)
    if len(src) == len(dst) or int(np.prod(src[1:] if len(src) == 3 else ())) <= 1:
        return stream  # a reshape that moves no element in stream order
    raise BnncError(
        f"a reshape from {list(src)} to {list(dst)} inside the accelerator changes the stream order"
    )


def lower_layer(lowering: Lowering, op: bnn.DenseOp | bnn.Conv2dOp) -> set[Operation]:
    source = lowering.take(op.input)
    users = [use.operation for use in op.output.uses]
    threshold = users[0] if len(users) == 1 and isinstance(users[0], bnn.ThresholdOp) else None
    weights = op.weight_matrix(op.reduction)
    consumed: set[Operation] = {op}
    index = lowering.layer_index
    lowering.layer_index += 1
    if isinstance(op, bnn.DenseOp):
        layer, vectors, stream = f"fc{index}", 1, source
        if stream.order is not None:
            weights = weights[:, stream.order]  # columns in stream order
    else:
        layer = f"conv{index}"
        _, c, h, w = bnn.shape_of(op.input.type)
        oh, ow = bnn.shape_of(op.output.type)[2:]
        kh, kw = bnn.array_values(op.kernel)
        swu = df.SwuOp.build(
            operands=[source.value],
            result_types=[df.StreamType(bnn.element_type(op.input.type), 1, oh * ow * kh * kw * c)],
            properties={
                "channels": _int(c), "ifm": _array((h, w)), "ofm": _array((oh, ow)),
                "kernel": op.kernel, "strides": op.strides, "pads": op.pads,
                "pad_value": op.pad_value, "simd": _int(1),
            },
        )
        stream, vectors = Stream(lowering.emit(swu, layer)), oh * ow
    mh, mw = weights.shape
    bits = bnn.bit_width(op.weight_type)
    codes = (weights > 0).astype(np.int64) if bnn.is_bipolar(op.weight_type) else weights
    properties: dict[str, Attribute] = {
        "mw": _int(mw), "mh": _int(mh), "pe": _int(1), "simd": _int(1), "vectors": _int(vectors),
        "weights": pack_rows(codes, bits), "weight_type": op.weight_type,
    }
    if op.popcount is not None:
        properties["popcount"] = op.popcount
    if threshold is not None:
        properties["thresholds"] = threshold.thresholds
        properties["offset"] = threshold.offset
        element = bnn.element_type(threshold.output.type)
        result = threshold.output
        consumed.add(threshold)
    else:
        element = bnn.narrowest_integer(*layer_range(op))
        result = op.output
    mvtu = df.MvtuOp.build(
        operands=[stream.value],
        result_types=[df.StreamType(element, 1, vectors * mh)],
        properties=properties,
    )
    lowering.define(result, Stream(lowering.emit(mvtu, layer)))
    return consumed


def lower_join(lowering: Lowering, op: bnn.AddOp) -> set[Operation]:
    """`bnn.add` → `df.join` at PE = 1 (`refold` puts a converter in front of an input whose
    producer writes other lanes). Both operands have one shape, and flattening happens only
    before a dense layer, so their streams are in the same (NHWC) order."""
    lhs, rhs = lowering.take(op.lhs), lowering.take(op.rhs)
    assert (lhs.order is None) == (rhs.order is None) and (
        lhs.order is None or np.array_equal(lhs.order, rhs.order)), "a join of streams in two orders"
    shape = bnn.shape_of(op.output.type)
    join = df.JoinOp.build(
        operands=[lhs.value, rhs.value],
        result_types=[stream_of(op.output)],
        properties={"channels": _int(shape[1] if len(shape) > 1 else 1),
                    "pixels": _int(int(np.prod(shape[2:]))), "pe": _int(1)},
    )
    lowering.define(op.output, Stream(lowering.emit(join, lowering.name("join")), lhs.order))
    return {op}


def lower_global_pool(lowering: Lowering, op: bnn.SumPoolOp) -> set[Operation]:
    """A global `bnn.sum_pool` (and the `bnn.trunc` reading it alone) → `df.global_pool`
    (`residual_problem` has refused every other sum pool)."""
    source = lowering.take(op.input)
    _, c, h, w = bnn.shape_of(op.input.type)
    properties: dict[str, Attribute] = {"channels": _int(c), "pixels": _int(h * w), "pe": _int(1)}
    trunc = global_pool_trunc(op)
    result = op.output
    if trunc is not None:
        properties |= {"shift": trunc.shift, "zero_point": trunc.zero_point, "rounding": trunc.rounding,
                       "lo": trunc.lo, "hi": trunc.hi}
        result = trunc.output
    pool = df.GlobalPoolOp.build(operands=[source.value], result_types=[stream_of(result)], properties=properties)
    lowering.define(result, Stream(lowering.emit(pool, lowering.name("global_pool"))))
    return {op} if trunc is None else {op, trunc}


@dataclass(frozen=True)
class LowerBnnToDataflowPass(ModulePass):
    """Build the accelerator's `df.graph` from the device part of `@main` (see the module doc).

    Options: `folding` — a JSON folding file to start from (default: all ones).
    """

    name = "lower-bnn-to-dataflow"
    folding: str | None = None

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        main = next(
            (f for f in op.ops if isinstance(f, func.FuncOp) and f.sym_name.data == "main"), None
        )
        if main is None:
            raise BnncError("the module has no func.func @main to lower")
        graph = lower_function(op, main)
        op.body.block.insert_op_before(graph, main)
        if self.folding:
            refold(graph, load_folding(self.folding))
