"""The `df` (dataflow) dialect: the network as a pipeline of streaming hardware engines.

A `df.graph` holds the accelerator: one engine per layer, linked by streams, as FINN builds it.
The host's part of the network stays in `func.func @main` (bnn ops) and calls the graph with
`df.invoke`, which packs a tensor into the graph's input stream and unpacks the output.

Streams carry frames word by word. `!df.stream<LANESxELEM, WORDS>` is a stream whose words hold
LANES elements of type ELEM (`!bnn.bipolar`, `siN`, `uiN`), WORDS words per frame. Element i of
a word sits at bits [i·w, (i+1)·w) (DESIGN.md, "Stream words"). Frames are NHWC, channels
innermost; a sliding window streams (ky, kx, c) per output pixel. A plain stream cuts that
element sequence into consecutive words. A multi-pixel stream, `!df.stream<L x ELEM, W, mmv = M>`,
carries M pixels side by side: word (g, f) holds, in lane (m, s), element f·(L/M) + s of pixel
g·M + m. Only the sliding window, the MVTU and width converters (which know the pixel count)
handle multi-pixel streams.

Every engine may carry the name of the `bnn` layer it implements (`layer`), which folding files
and reports use. Folding lives on the engines: an MVTU with MW inputs, MH outputs has PE processing elements and
SIMD lanes; output row r is computed by PE r mod PE at neuron fold r div PE. Convolution engines
also take MMV output pixels per cycle; a word then holds MMV pixels of SIMD (or PE) lanes each,
pixel-major.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    TensorType,
    UnitAttr,
    i64,
)
from xdsl.ir import Attribute, Dialect, ParametrizedAttribute, TypeAttribute
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
    irdl_attr_definition,
    irdl_op_definition,
    lazy_traits_def,
    operand_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.traits import HasParent, IsolatedFromAbove, IsTerminator, Pure, SymbolOpInterface
from xdsl.utils.exceptions import VerifyException

from bnnc.dialects.bnn import (
    array_values,
    bit_width,
    dense_values,
    integer_range,
    is_bipolar,
    is_integer,
)
from bnnc.packing import words_per_row


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


def _stream(value) -> StreamType:
    assert isinstance(value.type, StreamType)
    return value.type


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise VerifyException(message)


def _check_stream(
    what: str, stream: StreamType, element: Attribute | None, lanes: int, words: int, mmv: int = 1
) -> None:
    _expect(stream.mmv.data == mmv, f"{what} carries {stream.mmv.data} pixels per word, expected {mmv}")
    if element is not None:
        _expect(stream.element == element, f"{what} carries {stream.element}, expected {element}")
    _expect(
        stream.lanes.data == lanes,
        f"{what} has {stream.lanes.data} lanes, expected {lanes} for this folding",
    )
    _expect(
        stream.words.data == words,
        f"{what} has {stream.words.data} words per frame, expected {words}",
    )


def _values(attr: DenseArrayBase, count: int, what: str) -> tuple[int, ...]:
    values = array_values(attr)
    _expect(len(values) == count, f"'{what}' must have {count} values, got {list(values)}")
    return values


def _check_weights(weights: DenseIntOrFPElementsAttr, weight_type: Attribute, rows: int, cols: int) -> None:
    _expect(
        is_bipolar(weight_type) or (is_integer(weight_type) and not _unsigned(weight_type) and bit_width(weight_type) >= 2),
        f"weights must be bipolar or signed integers of 2 bits or more, got {weight_type}",
    )
    packed = weights.get_element_type()
    _expect(
        isinstance(packed, IntegerType) and packed.width.data == 64,
        f"packed weights must be 64-bit words (ui64), got {packed}",
    )
    expected = [rows, words_per_row(cols, bit_width(weight_type))]
    _expect(
        list(weights.get_shape()) == expected,
        f"packed weights have shape {list(weights.get_shape())}, expected {expected} for {rows}x{cols} weights",
    )


def _unsigned(t: Attribute) -> bool:
    return isinstance(t, IntegerType) and t.signedness.data.name == "UNSIGNED"


def _check_thresholds(thresholds: DenseIntOrFPElementsAttr, channels: int, output: Attribute, offset: int) -> None:
    shape = thresholds.get_shape()
    _expect(
        len(shape) == 2 and shape[0] in (1, channels),
        f"thresholds must be ({channels} or 1, steps), got {list(shape)}",
    )
    _expect(isinstance(thresholds.get_element_type(), IntegerType), "thresholds must be integers")
    values = dense_values(thresholds)
    _expect(bool((values[:, 1:] >= values[:, :-1]).all()), "thresholds must be sorted ascending in each channel")
    steps = shape[1]
    if is_bipolar(output):
        _expect(steps == 1 and offset == 0, "a bipolar output needs one threshold per channel and offset 0")
    else:
        lo, hi = integer_range(output)  # type: ignore[arg-type]
        _expect(lo <= offset and offset + steps <= hi, f"outputs {offset}..{offset + steps} do not fit {output}")


def _divides(what: str, total: int, part: int, names: str) -> None:
    _expect(part >= 1, f"{what} must be positive, got {part}")
    _expect(total % part == 0, f"{names}: {total} is not divisible by {what} = {part}")


# --------------------------------------------------------------------------------------------
# The graph and its boundary


def _check_frame(shape: DenseArrayBase, stream: StreamType) -> None:
    dims = array_values(shape)
    _expect(bool(dims) and min(dims) >= 1, f"frame dimensions must be positive, got {list(dims)}")
    elements = 1
    for d in dims:
        elements *= d
    _expect(stream.elements == elements, f"the stream does not hold one frame of shape {list(dims)}")
    _expect(stream.mmv.data == 1, "the graph's boundary streams carry one pixel per word")


@irdl_op_definition
class GraphOp(IRDLOperation):
    """The accelerator: a region of engines from `df.input` to `df.output`.

    Once `size-fifos` has run, the discardable attribute `df.sized` asks the verifier to reject
    any FIFO without a depth.
    """

    name = "df.graph"
    sym_name = prop_def(SymbolNameConstraint())
    body = region_def("single_block")
    traits = traits_def(SymbolOpInterface(), IsolatedFromAbove())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$sym_name attr-dict-with-keyword $body"

    def verify_(self) -> None:
        ops = list(self.body.block.ops)
        inputs = [op for op in ops if isinstance(op, InputOp)]
        _expect(len(inputs) == 1, f"a graph needs exactly one df.input, found {len(inputs)}")
        _expect(bool(ops) and isinstance(ops[-1], OutputOp), "a graph must end with df.output")
        if "df.sized" in self.attributes:
            unsized = [op for op in ops if isinstance(op, FifoOp) and op.depth is None]
            _expect(not unsized, f"the graph is sized (df.sized) but {len(unsized)} FIFO(s) have no depth")

    def input_op(self) -> InputOp:
        return next(op for op in self.body.block.ops if isinstance(op, InputOp))

    def output_op(self) -> OutputOp:
        return self.body.block.last_op  # type: ignore[return-value]


@irdl_op_definition
class InputOp(IRDLOperation):
    """The graph's input stream; `shape` is one frame in NHWC (or (features,)) order."""

    name = "df.input"
    output = result_def(StreamType)
    shape = prop_def(DenseArrayBase)
    traits = lazy_traits_def(lambda: (HasParent(GraphOp),))
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "attr-dict `:` type($output)"

    def verify_(self) -> None:
        _check_frame(self.shape, _stream(self.output))


@irdl_op_definition
class OutputOp(IRDLOperation):
    """The graph's result stream; `shape` is one frame of the result."""

    name = "df.output"
    input = operand_def(StreamType)
    shape = prop_def(DenseArrayBase)
    traits = lazy_traits_def(lambda: (HasParent(GraphOp), IsTerminator()))
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input)"

    def verify_(self) -> None:
        _check_frame(self.shape, _stream(self.input))


@irdl_op_definition
class InvokeOp(IRDLOperation):
    """Run a `df.graph` on a batch tensor from the host: NCHW (or NC) in, NC or NHWC out.

    The input tensor is transposed to NHWC and streamed frame by frame; the output frame is
    unpacked into a tensor of the result type (NCHW again for 4-d results).
    """

    name = "df.invoke"
    callee = prop_def(SymbolRefAttr)
    inputs = var_operand_def(TensorType)
    outputs = var_result_def(TensorType)
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$callee `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs)"

    def verify_(self) -> None:
        from xdsl.traits import SymbolTable

        graph = SymbolTable.lookup_symbol(self, self.callee)
        _expect(isinstance(graph, GraphOp), f"no df.graph named {self.callee}")
        _expect(len(self.inputs) == 1 and len(self.outputs) == 1, "a graph takes one tensor and gives one")
        for tensor, stream, what in (
            (self.inputs[0].type, graph.input_op().output.type, "input"),  # type: ignore[union-attr]
            (self.outputs[0].type, graph.output_op().input.type, "output"),  # type: ignore[union-attr]
        ):
            elements = 1
            for d in tensor.get_shape()[1:]:  # type: ignore[attr-defined]
                elements *= d
            element = tensor.element_type  # type: ignore[attr-defined]
            _expect(
                is_bipolar(element) == is_bipolar(stream.element) and (is_bipolar(element) or is_integer(element)),
                f"the {what} tensor's elements {element} do not match the graph's {stream.element}",
            )
            _expect(stream.elements == elements, f"the {what} tensor does not hold one frame of the graph's {what}")


# --------------------------------------------------------------------------------------------
# Engines


@irdl_op_definition
class MvtuOp(IRDLOperation):
    """Matrix-vector-threshold unit: `vectors` input vectors of MW elements per frame, each
    multiplied by the (MH, MW) weight matrix, then thresholded (or the accumulators passed on).

    Input words hold SIMD·MMV elements, output words PE·MMV. Without `thresholds` the outputs
    are the accumulators (popcounts when `popcount`, signed sums otherwise).
    """

    name = "df.mvtu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    mw = prop_def(IntegerAttr)
    mh = prop_def(IntegerAttr)
    pe = prop_def(IntegerAttr)
    simd = prop_def(IntegerAttr)
    mmv = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    vectors = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    weights = prop_def(DenseIntOrFPElementsAttr)
    weight_type = prop_def(TypeAttribute)
    popcount = opt_prop_def(UnitAttr)
    thresholds = opt_prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        mmv, vectors = _int(self.mmv), _int(self.vectors)
        _divides("PE", mh, pe, f"MH % PE (MH = {mh})")
        _divides("SIMD", mw, simd, f"MW % SIMD (MW = {mw})")
        _divides("MMV", vectors, mmv, f"vectors % MMV (vectors = {vectors})")
        _check_weights(self.weights, self.weight_type, mh, mw)
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, None, simd * mmv, vectors * mw // (simd * mmv), mmv)
        _check_stream("the output stream", out_s, None, pe * mmv, vectors * mh // (pe * mmv), mmv)
        if self.popcount is not None:
            _expect(
                is_bipolar(in_s.element) and is_bipolar(self.weight_type),
                "popcount accumulation needs bipolar inputs and weights",
            )
        if self.thresholds is not None:
            _check_thresholds(self.thresholds, mh, out_s.element, _int(self.offset))
        else:
            _expect(is_integer(out_s.element), "accumulator outputs must be integers")

    @property
    def neuron_folds(self) -> int:
        return _int(self.mh) // _int(self.pe)

    @property
    def synapse_folds(self) -> int:
        return _int(self.mw) // _int(self.simd)


@irdl_op_definition
class SwuOp(IRDLOperation):
    """Sliding-window unit: turns an NHWC image stream into the (ky, kx, c) window of every
    output pixel, row by row; padded positions hold `pad_value`."""

    name = "df.swu"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    ifm = prop_def(DenseArrayBase)
    ofm = prop_def(DenseArrayBase)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pads = prop_def(DenseArrayBase)
    pad_value = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    simd = prop_def(IntegerAttr)
    mmv = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        c, simd, mmv = _int(self.channels), _int(self.simd), _int(self.mmv)
        (ih, iw), (oh, ow) = _values(self.ifm, 2, "ifm"), _values(self.ofm, 2, "ofm")
        (kh, kw), (sh, sw) = _values(self.kernel, 2, "kernel"), _values(self.strides, 2, "strides")
        top, left, bottom, right = _values(self.pads, 4, "pads")
        _expect(min(kh, kw, sh, sw) >= 1, "kernel and strides must be positive")
        _expect(min(top, left, bottom, right) >= 0, "pads must be non-negative")
        _expect(
            kh <= ih + top + bottom and kw <= iw + left + right,
            f"a {kh}x{kw} kernel does not fit a padded {ih}x{iw} input",
        )
        _expect(
            (oh, ow) == ((ih + top + bottom - kh) // sh + 1, (iw + left + right - kw) // sw + 1),
            f"output {oh}x{ow} does not match the window of a {ih}x{iw} input",
        )
        _divides("SIMD", c, simd, f"channels % SIMD (channels = {c})")
        _divides("MMV", oh * ow, mmv, f"output pixels % MMV (pixels = {oh * ow})")
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, None, simd, ih * iw * c // simd)
        _check_stream(
            "the output stream", out_s, in_s.element, simd * mmv, oh * ow * kh * kw * c // (simd * mmv), mmv
        )
        if any((top, left, bottom, right)):
            if is_bipolar(in_s.element):
                _expect(_int(self.pad_value) in (-1, 1), "padding of bipolar data must be +1 or -1")
            else:
                lo, hi = integer_range(in_s.element)  # type: ignore[arg-type]
                _expect(lo <= _int(self.pad_value) <= hi, f"pad value {_int(self.pad_value)} is outside {in_s.element}")


@irdl_op_definition
class PoolOp(IRDLOperation):
    """Max-pool of an NHWC stream (an OR of bits on bipolar data), PE channels per word."""

    name = "df.pool"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    ifm = prop_def(DenseArrayBase)
    ofm = prop_def(DenseArrayBase)
    kernel = prop_def(DenseArrayBase)
    strides = prop_def(DenseArrayBase)
    pe = prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        c, pe = _int(self.channels), _int(self.pe)
        (ih, iw), (oh, ow) = _values(self.ifm, 2, "ifm"), _values(self.ofm, 2, "ofm")
        (kh, kw), (sh, sw) = _values(self.kernel, 2, "kernel"), _values(self.strides, 2, "strides")
        _expect(min(kh, kw, sh, sw) >= 1, "kernel and strides must be positive")
        _expect(kh <= ih and kw <= iw, f"a {kh}x{kw} window does not fit a {ih}x{iw} input")
        expected = ((ih - kh) // sh + 1, (iw - kw) // sw + 1)
        _expect((oh, ow) == expected, f"output {oh}x{ow} does not match the pool, expected {expected[0]}x{expected[1]}")
        _divides("PE", c, pe, f"channels % PE (channels = {c})")
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, None, pe, ih * iw * c // pe)
        _check_stream("the output stream", out_s, in_s.element, pe, oh * ow * c // pe)


@irdl_op_definition
class ThresholdOp(IRDLOperation):
    """A standalone multi-threshold unit on `pixels` pixels of `channels` values, PE per word."""

    name = "df.threshold"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    channels = prop_def(IntegerAttr)
    pixels = prop_def(IntegerAttr, default_value=IntegerAttr(1, i64))
    pe = prop_def(IntegerAttr)
    thresholds = prop_def(DenseIntOrFPElementsAttr)
    offset = prop_def(IntegerAttr, default_value=IntegerAttr(0, i64))
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `by` $thresholds attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        c, pe, pixels = _int(self.channels), _int(self.pe), _int(self.pixels)
        _divides("PE", c, pe, f"channels % PE (channels = {c})")
        _check_stream("the input stream", _stream(self.input), None, pe, pixels * c // pe)
        _check_stream("the output stream", _stream(self.output), None, pe, pixels * c // pe)
        _expect(is_integer(_stream(self.input).element), "a threshold unit reads integers")
        _check_thresholds(self.thresholds, c, _stream(self.output).element, _int(self.offset))


@irdl_op_definition
class LabelSelectOp(IRDLOperation):
    """The indices of the k largest of `classes` scores (ties: the lower index), one per word."""

    name = "df.label_select"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    classes = prop_def(IntegerAttr)
    k = prop_def(IntegerAttr)
    pe = prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        classes, k, pe = _int(self.classes), _int(self.k), _int(self.pe)
        _divides("PE", classes, pe, f"classes % PE (classes = {classes})")
        _expect(1 <= k <= classes, f"k = {k} must be between 1 and {classes}")
        _check_stream("the input stream", _stream(self.input), None, pe, classes // pe)
        _expect(is_integer(_stream(self.input).element), "label select needs integer scores")
        out = _stream(self.output)
        _check_stream("the output stream", out, None, 1, k)
        _expect(
            is_integer(out.element) and integer_range(out.element)[1] >= classes - 1,  # type: ignore[arg-type]
            f"{out.element} cannot hold class indices up to {classes - 1}",
        )


@irdl_op_definition
class DwcOp(IRDLOperation):
    """Data-width converter: the same elements regrouped from one word width to another.

    Between multi-pixel streams it also regroups pixels, for which it needs the frame's `pixels`.
    """

    name = "df.dwc"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    pixels = opt_prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        in_s, out_s = _stream(self.input), _stream(self.output)
        _expect(in_s.element == out_s.element, "a width converter keeps the element type")
        _expect(in_s.elements == out_s.elements, "a width converter keeps the elements per frame")
        if in_s.mmv.data > 1 or out_s.mmv.data > 1:
            _expect(self.pixels is not None, "a width converter of multi-pixel streams needs `pixels`")
            pixels = _int(self.pixels)  # type: ignore[arg-type]
            _expect(pixels >= 1 and in_s.elements % pixels == 0, f"{pixels} pixels do not divide the frame")
            vector = in_s.elements // pixels
            for s in (in_s, out_s):
                lanes = s.lanes.data // s.mmv.data
                _expect(
                    pixels % s.mmv.data == 0 and vector % lanes == 0,
                    f"{s} does not split a frame of {pixels} pixels of {vector} elements",
                )


@irdl_op_definition
class FifoOp(IRDLOperation):
    """A FIFO on a stream; `depth` (words) stays unset until `size-fifos` runs."""

    name = "df.fifo"
    input = operand_def(StreamType)
    output = result_def(StreamType)
    depth = opt_prop_def(IntegerAttr)
    layer = opt_prop_def(StringAttr)
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input attr-dict `:` type($input) `->` type($output)"

    def verify_(self) -> None:
        _expect(self.input.type == self.output.type, "a FIFO keeps its stream type")
        if self.depth is not None:
            _expect(_int(self.depth) >= 1, "a FIFO depth must be positive")


ENGINES = (MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, DwcOp, FifoOp)

DF = Dialect(
    "df",
    [GraphOp, InputOp, OutputOp, InvokeOp, MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, DwcOp, FifoOp],
    [StreamType],
)
