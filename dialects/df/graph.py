"""The `df` graph and its boundary: `df.graph`, `df.input`, `df.output`, and `df.invoke` from the host."""

from __future__ import annotations

from xdsl.dialects.builtin import DenseArrayBase, SymbolNameConstraint, SymbolRefAttr, TensorType
from xdsl.irdl import (
    IRDLOperation,
    ParsePropInAttrDict,
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
from xdsl.traits import HasParent, IsolatedFromAbove, IsTerminator, SymbolOpInterface

from bnnc.dialects.bnn import array_values, is_bipolar, is_integer
from bnnc.dialects.df.checks import _stream, _expect
from bnnc.dialects.df.fifo import FifoOp
from bnnc.dialects.df.types import StreamType, TargetAttr, target_for


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
