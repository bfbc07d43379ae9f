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

import math
from abc import ABC
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import ClassVar

from xdsl.dialects.builtin import (
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntAttr,
    IntegerAttr,
    IntegerType,
    StringAttr,
    SymbolNameConstraint,
    SymbolRefAttr,
    TensorType,
    UnitAttr,
    f64,
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
    is_signed_integer,
    signed_bits,
    value_range,
)
from bnnc.devices import DEFAULT_BOARD, load_device
from bnnc.semantics.packing import words_per_row


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


def target_of(graph: GraphOp, board: str | None = None, clock_mhz: float | None = None) -> TargetAttr:
    """The graph's target, or the default board's at its own clock when it has none; `board` and
    `clock_mhz`, when given, override it (an estimate for another board or clock). A board
    given without a clock takes the board's own."""
    target = graph.target if graph.target is not None else target_for()
    if board is not None and board != target.board.data:
        target = target_for(board, clock_mhz)
    if clock_mhz is not None and clock_mhz != target.clock:
        target = TargetAttr(target.board.data, target.part.data, clock_mhz)
    return target


def _stream(value) -> StreamType:
    assert isinstance(value.type, StreamType)
    return value.type


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise VerifyException(message)


def _check_stream(what: str, stream: StreamType, expected: StreamType) -> None:
    _expect(stream.mmv.data == expected.mmv.data,
            f"{what} carries {stream.mmv.data} pixels per word, expected {expected.mmv.data}")
    _expect(stream.element == expected.element, f"{what} carries {stream.element}, expected {expected.element}")
    _expect(
        stream.lanes.data == expected.lanes.data,
        f"{what} has {stream.lanes.data} lanes, expected {expected.lanes.data} for this folding",
    )
    _expect(
        stream.words.data == expected.words.data,
        f"{what} has {stream.words.data} words per frame, expected {expected.words.data}",
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
    """The accelerator: a region of engines from `df.input` to `df.output`, built for `target`
    (board, part, clock; see `TargetAttr`).

    Once `size-fifos` has run, the discardable attribute `df.sized` asks the verifier to reject
    any FIFO without a depth.
    """

    name = "df.graph"
    sym_name = prop_def(SymbolNameConstraint())
    target = opt_prop_def(TargetAttr)
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
# The engine interface

STORAGES = ("lutram", "bram")
"""Where a parameter memory can live."""


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@cache
def stream_type(element: Attribute, lanes: int, words: int, mmv: int = 1) -> StreamType:
    """One shared `StreamType` per shape: folding asks for the same few thousand many times, and
    building (verifying) an attribute costs far more than looking it up."""
    return StreamType(element, lanes, words, mmv)


class EngineOp(IRDLOperation, ABC):
    """What every `df` engine answers for itself, so that no one else derives it: the parameters
    folding sets and what each must divide (`fold_extents`), whether a folding is legal
    (`fold_problems`) and every legal one (`legal_folds`), the streams it reads and writes at
    its folding (`input_type`, `output_type`), a copy at another folding (`refolded`), and its
    parameter memories in the hardware's layout (`memories`). The verifier checks the op's own
    folding and streams through the same methods; the folding problem, `refold`, the cost and
    FIFO models, the executors and both emitters ask these.
    """

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ()
    """The folding parameters the engine has, among `pe`, `simd` and `mmv`."""

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        """Per folding parameter, the number it must divide and how a message names it with its
        verb ("MH = 10 is", "64 channels are")."""
        return {}

    def fold(self) -> Fold:
        """The engine's folding (1 for the parameters it does not have)."""
        return Fold(**{key: _int(getattr(self, key)) for key in self.FOLD_PARAMETERS})

    def fold_problems(self, fold: Fold) -> list[str]:
        """Why `fold` does not fit this engine (empty when it does); other parameters ignored."""
        problems = []
        for key, (extent, noun) in self.fold_extents().items():
            value = getattr(fold, key)
            if value < 1:
                problems.append(f"{key.upper()} must be positive, got {value}")
            elif extent % value:
                problems.append(f"{noun} not divisible by {key.upper()} = {value}")
        return problems

    def legal_folds(self) -> list[Fold]:
        """Every folding of this engine's own parameters, in (pe, simd, mmv) order."""
        extents = self.fold_extents()
        folds = [Fold()]
        for key in ("pe", "simd", "mmv"):
            if key in extents:
                folds = [Fold(**{**f.as_dict(), key: d}) for f in folds for d in divisors(extents[key][0])]
        return folds

    def input_type(self, element: Attribute) -> StreamType:
        """The stream of `element`s the engine reads at its folding."""
        raise NotImplementedError(self.name)

    def output_type(self, element: Attribute) -> StreamType:
        """The stream of `element`s the engine writes at its folding."""
        raise NotImplementedError(self.name)

    def set_fold(self, fold: Fold) -> None:
        """Set the folding parameters in place (the streams are `refold`'s to retype)."""
        for key in self.FOLD_PARAMETERS:
            self.properties[key] = _i64(getattr(fold, key))

    def refolded(self, fold: Fold, shell: EngineOp | None = None) -> EngineOp:
        """A detached copy at another folding, with streams to match, to cost it. `shell`, a
        detached copy of this op (`detached`), computes the streams; pass the same shell for
        every fold of an engine (building ops is most of a folding search's time)."""
        shell = shell if shell is not None else self.detached()
        shell.set_fold(fold)
        reads = shell.input_type(_stream(self.operands[0]).element)
        writes = shell.output_type(_stream(self.results[0]).element)
        return type(self).create(operands=[_detached_value(reads)], result_types=[writes],
                                 properties=dict(shell.properties))

    def detached(self) -> EngineOp:
        """A copy reading a fresh block argument, so that it leaves no use on the graph."""
        return type(self).create(operands=[_detached_value(self.operands[0].type)],
                                 result_types=[self.results[0].type], properties=dict(self.properties))

    def memories(self) -> dict[str, object]:
        """The parameter memories (name → array in the hardware's layout); none by default."""
        return {}

    def verify_fold(self) -> None:
        """The verifier's check of the op's own folding: the interface's legality."""
        problems = self.fold_problems(self.fold())
        if problems:
            raise VerifyException(problems[0])

    def verify_streams(self) -> None:
        """The verifier's check of the op's streams against its parameters."""
        in_s, out_s = _stream(self.operands[0]), _stream(self.results[0])
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(out_s.element))


def _detached_value(stream: Attribute):
    from xdsl.ir import Block

    return Block(arg_types=[stream]).args[0]


@cache
def _i64(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)  # building (and verifying) attributes is most of a probe's time


# --------------------------------------------------------------------------------------------
# Engines


@irdl_op_definition
class MvtuOp(EngineOp):
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
    acc_type = opt_prop_def(IntegerType)
    """The accumulator's type (also the thresholds'), chosen by `prepare-for-emission`."""
    weight_storage = opt_prop_def(StringAttr)
    """Where the weight memory lives, `lutram` or `bram`, chosen by `prepare-for-emission`."""
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `weights` `<` $weight_type `>` $weights attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe", "simd", "mmv")

    def verify_(self) -> None:
        self.verify_fold()
        mw, mh = _int(self.mw), _int(self.mh)
        _check_weights(self.weights, self.weight_type, mh, mw)
        self.verify_streams()
        in_s, out_s = _stream(self.input), _stream(self.output)
        if self.popcount is not None:
            _expect(
                is_bipolar(in_s.element) and is_bipolar(self.weight_type),
                "popcount accumulation needs bipolar inputs and weights",
            )
        if self.thresholds is not None:
            _check_thresholds(self.thresholds, mh, out_s.element, _int(self.offset))
        else:
            _expect(is_integer(out_s.element), "accumulator outputs must be integers")
        if self.acc_type is not None:
            lo, hi = self.accumulator_range()
            _expect(is_signed_integer(self.acc_type) and signed_bits(lo, hi + 1) <= bit_width(self.acc_type),
                    f"acc_type {self.acc_type} does not hold the accumulator's range [{lo}, {hi + 1}]")
        if self.weight_storage is not None:
            _expect(self.weight_storage.data in STORAGES,
                    f"weight_storage must be one of {', '.join(STORAGES)}, got '{self.weight_storage.data}'")

    def accumulator_range(self) -> tuple[int, int]:
        """The values the accumulator can take: popcounts 0..MW, else MW times the range of one
        product of an input and a weight."""
        mw = _int(self.mw)
        if self.popcount is not None:
            return 0, mw
        (xl, xh), (wl, wh) = value_range(_stream(self.input).element), value_range(self.weight_type)
        products = (xl * wl, xl * wh, xh * wl, xh * wh)
        return mw * min(products), mw * max(products)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        mw, mh, vectors = _int(self.mw), _int(self.mh), _int(self.vectors)
        return {"pe": (mh, f"MH = {mh} is"), "simd": (mw, f"MW = {mw} is"),
                "mmv": (vectors, f"{vectors} output pixels are")}

    def input_type(self, element: Attribute) -> StreamType:
        lanes = _int(self.simd) * _int(self.mmv)
        return stream_type(element, lanes, _int(self.vectors) * _int(self.mw) // lanes, _int(self.mmv))

    def output_type(self, element: Attribute) -> StreamType:
        lanes = _int(self.pe) * _int(self.mmv)
        return stream_type(element, lanes, _int(self.vectors) * _int(self.mh) // lanes, _int(self.mmv))

    def weight_memory(self):
        """The weight memory as the hardware holds it: (PE, NF·SF, SIMD) weight values.

        Output row r lives in PE r mod PE at tile (r div PE)·SF + sf, lane s holding column
        sf·SIMD + s (DESIGN.md, "Folding"), for NF = MH/PE neuron folds and SF = MW/SIMD synapse
        folds.
        """
        from bnnc.semantics.packing import to_signed, unpack_rows

        mw, mh, pe, simd = _int(self.mw), _int(self.mh), _int(self.pe), _int(self.simd)
        bits = bit_width(self.weight_type)
        codes = unpack_rows(self.weights, mw, bits)
        values = 2 * codes - 1 if is_bipolar(self.weight_type) else to_signed(codes, bits)
        nf, sf = mh // pe, mw // simd
        # values[nf·PE + p, sf·SIMD + s] -> memory[p, nf·SF + sf, s]
        return values.reshape(nf, pe, sf, simd).transpose(1, 0, 2, 3).reshape(pe, nf * sf, simd)

    def memories(self) -> dict[str, object]:
        memories: dict[str, object] = {"weights": self.weight_memory()}
        if self.thresholds is not None:
            memories["thresholds"] = dense_values(self.thresholds)
        return memories

    @property
    def neuron_folds(self) -> int:
        return _int(self.mh) // _int(self.pe)

    @property
    def synapse_folds(self) -> int:
        return _int(self.mw) // _int(self.simd)


@irdl_op_definition
class SwuOp(EngineOp):
    """Sliding-window unit: turns an NHWC image stream into the (ky, kx, c) window of every
    output pixel, row by row; padded positions hold `pad_value`. MMV output pixels share a word
    (MMV divides the output pixels)."""

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

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("simd", "mmv")

    def verify_(self) -> None:
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
        self.verify_fold()
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(in_s.element))
        if any((top, left, bottom, right)):
            if is_bipolar(in_s.element):
                _expect(_int(self.pad_value) in (-1, 1), "padding of bipolar data must be +1 or -1")
            else:
                lo, hi = integer_range(in_s.element)  # type: ignore[arg-type]
                _expect(lo <= _int(self.pad_value) <= hi, f"pad value {_int(self.pad_value)} is outside {in_s.element}")

    def buffer_rows(self) -> int:
        """Input rows in the window's buffer (`bnnc_swu`): KH + SH·(span + 1), the rows of a
        group's windows and SH rows read ahead, the span being how many rows past its first a
        group of MMV consecutive (raster-order) pixels reaches (0 when MMV divides OW); the first
        pixels of the groups lie at the multiples of gcd(MMV, OW) of a row."""
        mmv, ow = _int(self.mmv), array_values(self.ofm)[1]
        (kh, _), (sh, _) = array_values(self.kernel), array_values(self.strides)
        span = (ow - math.gcd(mmv, ow) + mmv - 1) // ow
        return kh + sh * (span + 1)

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c, (oh, ow) = _int(self.channels), array_values(self.ofm)
        return {"simd": (c, f"{c} channels are"), "mmv": (oh * ow, f"{oh * ow} output pixels are")}

    def legal_folds(self) -> list[Fold]:
        """The folds the folding takes (its search and pinned folding files): MMV only among the
        divisors of the output width. A word of pixels from two rows is legal (the verifier and
        `refold` accept it, the RTL and C++ handle it), but its window buffer holds an extra row
        for no gain in cycles."""
        ow = array_values(self.ofm)[1]
        return [f for f in super().legal_folds() if ow % f.mmv == 0]

    def input_type(self, element: Attribute) -> StreamType:
        ih, iw = array_values(self.ifm)
        return stream_type(element, _int(self.simd), ih * iw * _int(self.channels) // _int(self.simd))

    def output_type(self, element: Attribute) -> StreamType:
        (oh, ow), (kh, kw) = array_values(self.ofm), array_values(self.kernel)
        lanes = _int(self.simd) * _int(self.mmv)
        return stream_type(element, lanes, oh * ow * kh * kw * _int(self.channels) // lanes, _int(self.mmv))


@irdl_op_definition
class PoolOp(EngineOp):
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

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)

    def verify_(self) -> None:
        (ih, iw), (oh, ow) = _values(self.ifm, 2, "ifm"), _values(self.ofm, 2, "ofm")
        (kh, kw), (sh, sw) = _values(self.kernel, 2, "kernel"), _values(self.strides, 2, "strides")
        _expect(min(kh, kw, sh, sw) >= 1, "kernel and strides must be positive")
        _expect(kh <= ih and kw <= iw, f"a {kh}x{kw} window does not fit a {ih}x{iw} input")
        expected = ((ih - kh) // sh + 1, (iw - kw) // sw + 1)
        _expect((oh, ow) == expected, f"output {oh}x{ow} does not match the pool, expected {expected[0]}x{expected[1]}")
        self.verify_fold()
        in_s, out_s = _stream(self.input), _stream(self.output)
        _check_stream("the input stream", in_s, self.input_type(in_s.element))
        _check_stream("the output stream", out_s, self.output_type(in_s.element))

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def input_type(self, element: Attribute) -> StreamType:
        ih, iw = array_values(self.ifm)
        return stream_type(element, _int(self.pe), ih * iw * _int(self.channels) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        oh, ow = array_values(self.ofm)
        return stream_type(element, _int(self.pe), oh * ow * _int(self.channels) // _int(self.pe))


@irdl_op_definition
class ThresholdOp(EngineOp):
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
    compare_type = opt_prop_def(IntegerType)
    """The type inputs and thresholds are compared in, chosen by `prepare-for-emission`."""
    traits = traits_def(Pure())
    irdl_options = (ParsePropInAttrDict(),)
    assembly_format = "$input `by` $thresholds attr-dict `:` type($input) `->` type($output)"

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)

    def verify_(self) -> None:
        self.verify_fold()
        self.verify_streams()
        _expect(is_integer(_stream(self.input).element), "a threshold unit reads integers")
        _check_thresholds(self.thresholds, _int(self.channels), _stream(self.output).element, _int(self.offset))
        if self.compare_type is not None:
            lo, hi = value_range(_stream(self.input).element)
            _expect(is_signed_integer(self.compare_type) and signed_bits(lo, hi + 1) <= bit_width(self.compare_type),
                    f"compare_type {self.compare_type} does not hold the inputs' range [{lo}, {hi + 1}]")

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        c = _int(self.channels)
        return {"pe": (c, f"{c} channels are")}

    def input_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.pixels) * _int(self.channels) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        return self.input_type(element)

    def memories(self) -> dict[str, object]:
        return {"thresholds": dense_values(self.thresholds)}


@irdl_op_definition
class LabelSelectOp(EngineOp):
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

    FOLD_PARAMETERS: ClassVar[tuple[str, ...]] = ("pe",)

    def verify_(self) -> None:
        classes, k = _int(self.classes), _int(self.k)
        self.verify_fold()
        _expect(1 <= k <= classes, f"k = {k} must be between 1 and {classes}")
        self.verify_streams()
        _expect(is_integer(_stream(self.input).element), "label select needs integer scores")
        out = _stream(self.output)
        _expect(
            is_integer(out.element) and integer_range(out.element)[1] >= classes - 1,  # type: ignore[arg-type]
            f"{out.element} cannot hold class indices up to {classes - 1}",
        )

    def fold_extents(self) -> dict[str, tuple[int, str]]:
        classes = _int(self.classes)
        return {"pe": (classes, f"{classes} classes are")}

    def input_type(self, element: Attribute) -> StreamType:
        return stream_type(element, _int(self.pe), _int(self.classes) // _int(self.pe))

    def output_type(self, element: Attribute) -> StreamType:
        return stream_type(element, 1, _int(self.k))


@irdl_op_definition
class DwcOp(EngineOp):
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

    def input_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_type(self, element: Attribute) -> StreamType:
        return _stream(self.output)


@irdl_op_definition
class FifoOp(EngineOp):
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

    def input_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)

    def output_type(self, element: Attribute) -> StreamType:
        return _stream(self.input)


ENGINES = (MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, DwcOp, FifoOp)
COMPUTE_ENGINES = (MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp)
"""The engines that implement a layer and take a folding (converters and FIFOs do not)."""

DF = Dialect(
    "df",
    [GraphOp, InputOp, OutputOp, InvokeOp, MvtuOp, SwuOp, PoolOp, ThresholdOp, LabelSelectOp, DwcOp, FifoOp],
    [StreamType, TargetAttr],
)
