"""QONNX and FINN custom ops (BipolarQuant, Quant, MultiThreshold, Trunc) rewritten into standard ONNX.

onnxruntime knows none of the custom ops, and qonnx's own executor (which does know them) runs
one single-node onnxruntime session per node and per image: correct, but some 20-150 ms per
MNIST image, far too slow to sweep a test set. So before creating the session the engine
rewrites every custom op into a small subgraph of standard ONNX ops (GreaterOrEqual, Where,
Clip, Round, ReduceSum, ...) that computes exactly the same floats as qonnx's numpy
implementation: comparisons and rounding are exact, and the divisions and multiplications
happen in the same order and precision. The rewritten ops need opset 11-13 (`Round`,
`GreaterOrEqual`, `Clip` with tensor bounds, `Unsqueeze`/`ReduceSum` with axes as inputs), so
older models are first raised to opset 13 with onnx's version converter (see `loading`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from bnnc.errors import BnncError

STANDARD_DOMAINS = frozenset({"", "ai.onnx", "ai.onnx.ml"})
QUANTIZER_DOMAINS = frozenset(
    {"onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general", "finn"}
)


# --------------------------------------------------------------------------------------------
# Building replacement subgraphs
# --------------------------------------------------------------------------------------------


class GraphEditor:
    """Collects the new node list of a graph and hands out fresh tensor names and constants."""

    def __init__(self, model: onnx.ModelProto, where: str) -> None:
        self.model = model
        self.where = where
        self.nodes: list[onnx.NodeProto] = []
        self.constants: dict[str, np.ndarray] = {
            init.name: numpy_helper.to_array(init) for init in model.graph.initializer
        }
        self._taken = {init.name for init in model.graph.initializer}
        self._taken |= {vi.name for vi in model.graph.input}
        for node in model.graph.node:
            self._taken.update(node.output)
            self._taken.update(node.input)
            self._taken.add(node.name)
            self._note_constant_node(node)
        self._counter = 0
        self._inferred: dict[str, tuple[int | None, int]] = {}

    def _note_constant_node(self, node: onnx.NodeProto) -> None:
        # Constant nodes carry weights as often as initializers do after version conversion.
        if node.op_type == "Constant" and node.domain in STANDARD_DOMAINS:
            for attr in node.attribute:
                if attr.name == "value":
                    self.constants[node.output[0]] = numpy_helper.to_array(attr.t)

    def fresh(self, hint: str) -> str:
        while True:
            self._counter += 1
            name = f"{hint}__ref{self._counter}"
            if name not in self._taken:
                self._taken.add(name)
                return name

    def constant(self, value: np.ndarray, hint: str) -> str:
        name = self.fresh(hint)
        self.model.graph.initializer.append(numpy_helper.from_array(np.asarray(value), name))
        self.constants[name] = np.asarray(value)
        return name

    def op(self, op_type: str, inputs: list[str], hint: str, out: str | None = None,
           **attrs: Any) -> str:
        """Append one standard node and return the name of its (single) output."""
        out = out or self.fresh(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=self.fresh(hint), **attrs))
        return out

    def known(self, name: str) -> np.ndarray | None:
        return self.constants.get(name)

    def error(self, node: onnx.NodeProto, message: str) -> BnncError:
        label = node.name or node.op_type
        return BnncError(f"{self.where}: node '{label}' ({node.op_type}): {message}")

    def rank_and_type(self, name: str) -> tuple[int | None, int]:
        """Rank and element type of a tensor, from shape inference over the nodes so far.

        The nodes already emitted are standard ONNX, so inference reaches any input of the
        custom op being rewritten even when earlier custom ops had hidden its shape. Results
        are kept until a tensor they do not cover is asked for.
        """
        if name in self.constants:
            value = self.constants[name]
            return value.ndim, helper.np_dtype_to_tensor_dtype(value.dtype)
        if name not in self._inferred:
            self._inferred = self._infer()
        return self._inferred.get(name, (None, TensorProto.FLOAT))

    def _infer(self) -> dict[str, tuple[int | None, int]]:
        graph = self.model.graph
        # Initializers enter as typed inputs: inference needs their shapes, not their bytes;
        # except int64 ones (axes, shapes, e.g. a lowered MultiThreshold's ReduceSum axes),
        # whose values decide the rank of what they shape.
        shaping = [init for init in graph.initializer if init.data_type == TensorProto.INT64]
        weights = [helper.make_tensor_value_info(init.name, init.data_type, list(init.dims))
                   for init in graph.initializer if init.data_type != TensorProto.INT64]
        probe = helper.make_model(
            helper.make_graph(self.nodes, "probe", [*graph.input, *weights], [],
                              shaping, value_info=list(graph.value_info)),
            opset_imports=list(self.model.opset_import), ir_version=self.model.ir_version)
        try:
            inferred = onnx.shape_inference.infer_shapes(probe)
        except Exception:  # inference is best effort here: no answer means "unknown"
            return {}
        found: dict[str, tuple[int | None, int]] = {}
        for info in [*inferred.graph.input, *inferred.graph.value_info]:
            if info.type.HasField("tensor_type"):
                tensor = info.type.tensor_type
                rank = len(tensor.shape.dim) if tensor.HasField("shape") else None
                found[info.name] = (rank, tensor.elem_type or TensorProto.FLOAT)
        return found


def is_constant(editor: GraphEditor, name: str, value: float) -> bool:
    known = editor.known(name)
    return known is not None and bool(np.all(known == value))


def scalar_like(value: float, elem_type: int) -> np.ndarray:
    return np.array(value, dtype=helper.tensor_dtype_to_np_dtype(elem_type))


def bool_attr(node: onnx.NodeProto, name: str, default: int) -> int:
    for attr in node.attribute:
        if attr.name == name:
            return int(helper.get_attribute_value(attr))
    return default


def float_attr(node: onnx.NodeProto, name: str, default: float) -> float:
    for attr in node.attribute:
        if attr.name == name:
            return float(helper.get_attribute_value(attr))
    return default


def string_attr(node: onnx.NodeProto, name: str, default: str) -> str:
    for attr in node.attribute:
        if attr.name == name:
            value = helper.get_attribute_value(attr)
            return value.decode() if isinstance(value, bytes) else str(value)
    return default


# --------------------------------------------------------------------------------------------
# The custom ops, as standard ONNX
# --------------------------------------------------------------------------------------------


def emit_bipolar(editor: GraphEditor, x: str, elem_type: int, hint: str) -> str:
    """`+1 where x >= 0 else -1`: 0 maps to +1, unlike ONNX `Sign`, which maps it to 0."""
    zero = editor.constant(scalar_like(0.0, elem_type), f"{hint}_zero")
    plus = editor.constant(scalar_like(1.0, elem_type), f"{hint}_plus")
    minus = editor.constant(scalar_like(-1.0, elem_type), f"{hint}_minus")
    nonnegative = editor.op("GreaterOrEqual", [x, zero], f"{hint}_ge")  # NaN -> -1, as qonnx
    return editor.op("Where", [nonnegative, plus, minus], f"{hint}_bipolar")


def lower_bipolar_quant(editor: GraphEditor, node: onnx.NodeProto) -> None:
    """BipolarQuant(x, scale) = where(x >= 0, +1, -1) * scale."""
    x, scale = node.input[0], node.input[1]
    _, elem_type = editor.rank_and_type(x)
    hint = node.output[0]
    y = emit_bipolar(editor, x, elem_type, hint)
    if is_constant(editor, scale, 1.0):
        editor.op("Identity", [y], hint, out=node.output[0])
    else:
        editor.op("Mul", [y, scale], hint, out=node.output[0])


def integer_range(signed: bool, narrow: bool, bits: int) -> tuple[int, int]:
    """The QONNX integer range; `narrow` drops the lowest signed / highest unsigned value."""
    if signed:
        low = -(2 ** (bits - 1)) + (1 if narrow else 0)
        return low, 2 ** (bits - 1) - 1
    return 0, 2**bits - (2 if narrow else 1)


def emit_rounding(editor: GraphEditor, y: str, mode: str, hint: str, node: onnx.NodeProto,
                  elem_type: int) -> str:
    """Round `y` to an integer with one of QONNX's rounding modes (case-insensitive).

    The sign-magnitude modes are spelled as qonnx computes them: sign(y) * f(|y|).
    """
    mode = mode.upper()
    if mode in ("ROUND", "HALF_EVEN"):
        return editor.op("Round", [y], hint)  # ONNX Round ties to even, like numpy.round
    if mode == "CEIL":
        return editor.op("Ceil", [y], hint)
    if mode == "FLOOR":
        return editor.op("Floor", [y], hint)
    magnitude_rounding = {
        "UP": ("Ceil", None),
        "DOWN": ("Floor", None),
        "ROUND_TO_ZERO": ("Floor", None),  # Brevitas' name for DOWN (truncation)
        "HALF_UP": ("Floor", 0.5),
        "HALF_DOWN": ("Ceil", -0.5),
    }
    if mode not in magnitude_rounding:
        raise editor.error(
            node,
            f"unsupported rounding_mode '{mode}' (supported: ROUND, HALF_EVEN, CEIL, FLOOR, UP, "
            "DOWN, ROUND_TO_ZERO, HALF_UP, HALF_DOWN)",
        )
    op_type, offset = magnitude_rounding[mode]
    magnitude = editor.op("Abs", [y], f"{hint}_abs")
    if offset is not None:
        shift = editor.constant(scalar_like(offset, elem_type), f"{hint}_half")
        magnitude = editor.op("Add", [magnitude, shift], f"{hint}_shift")
    rounded = editor.op(op_type, [magnitude], f"{hint}_mag")
    sign = editor.op("Sign", [y], f"{hint}_sign")
    return editor.op("Mul", [sign, rounded], f"{hint}_round")


def constant_bitwidth(editor: GraphEditor, node: onnx.NodeProto) -> int:
    value = editor.known(node.input[3])
    if value is None:
        raise editor.error(node, "the bit width must be a constant (initializer or Constant)")
    if value.size != 1 or float(value.item()) != int(value.item()) or value.item() < 1:
        raise editor.error(node, f"the bit width must be one positive integer, got {value}")
    return int(value.item())


def lower_quant(editor: GraphEditor, node: onnx.NodeProto) -> None:
    """Quant(x, scale, zeropt, bitwidth) as qonnx's `int_quant` computes it.

    y = x / scale + zeropt; clamp to the integer range; round; (y - zeropt) * scale. qonnx
    clamps before rounding; with integer bounds that equals the spec's round-then-clamp. Like
    qonnx, a signed 1-bit Quant is bipolar (x >= 0 -> +1, else -1), since Brevitas exports
    bipolar quantizers that way.
    """
    if len(node.input) != 4:
        raise editor.error(node, f"expected 4 inputs (x, scale, zeropt, bitwidth), got "
                                 f"{len(node.input)}")
    x, scale, zeropt, _ = node.input
    signed = bool(bool_attr(node, "signed", 1))
    narrow = bool(bool_attr(node, "narrow", 0))
    mode = string_attr(node, "rounding_mode", "ROUND")
    bits = constant_bitwidth(editor, node)
    _, elem_type = editor.rank_and_type(x)
    hint = node.output[0]

    y = x if is_constant(editor, scale, 1.0) else editor.op("Div", [x, scale], f"{hint}_div")
    has_zeropt = not is_constant(editor, zeropt, 0.0)
    if has_zeropt:
        y = editor.op("Add", [y, zeropt], f"{hint}_zp")
    if bits == 1 and signed:
        q = emit_bipolar(editor, y, elem_type, hint)
    else:
        low, high = integer_range(signed, narrow, bits)
        low_name = editor.constant(scalar_like(low, elem_type), f"{hint}_min")
        high_name = editor.constant(scalar_like(high, elem_type), f"{hint}_max")
        clamped = editor.op("Clip", [y, low_name, high_name], f"{hint}_clip")
        q = emit_rounding(editor, clamped, mode, hint, node, elem_type)
    if has_zeropt:
        q = editor.op("Sub", [q, zeropt], f"{hint}_unzp")
    if is_constant(editor, scale, 1.0):
        editor.op("Identity", [q], hint, out=node.output[0])
    else:
        editor.op("Mul", [q, scale], hint, out=node.output[0])


def threshold_channel_axis(editor: GraphEditor, node: onnx.NodeProto, rank: int) -> int:
    """The channel axis of a MultiThreshold input, decided exactly as qonnx decides it.

    `data_layout` names it ("NCHW", "NHWC", "NC", ...); without the attribute qonnx guesses
    from the rank: NC, NWC (channels last!) or NCHW; higher ranks use axis 1.
    """
    layout = string_attr(node, "data_layout", "")
    if not layout and rank < 5:
        guesses = {2: "NC", 3: "NWC", 4: "NCHW"}
        if rank not in guesses:
            raise editor.error(node, f"cannot threshold a tensor of rank {rank}")
        layout = guesses[rank]
    axis = layout.index("C") if "C" in layout else 1
    if axis >= rank:
        raise editor.error(node, f"data_layout '{layout}' does not fit a tensor of rank {rank}")
    return axis


def lower_multithreshold(editor: GraphEditor, node: onnx.NodeProto) -> None:
    """MultiThreshold(x, T) = out_scale * #{k : x >= T[c, k]} + out_bias, c = x's channel.

    T has shape (C, n) or (1, n). It is reshaped to (C, 1, ..., 1, n) so that it broadcasts
    against x with a trailing axis added; the comparison then yields (..., n) booleans whose
    sum over the last axis is the count.
    """
    x, thresholds_name = node.input[0], node.input[1]
    thresholds = editor.known(thresholds_name)
    if thresholds is None or thresholds.ndim != 2:
        raise editor.error(node, "the thresholds must be a constant matrix (channels, steps)")
    rank, elem_type = editor.rank_and_type(x)
    if rank is None:
        raise editor.error(node, f"cannot infer the rank of the input '{x}'")
    axis = threshold_channel_axis(editor, node, rank)
    trailing = rank - 1 - axis
    hint = node.output[0]
    np_type = helper.tensor_dtype_to_np_dtype(elem_type)
    if not np.issubdtype(np_type, np.floating):
        # qonnx compares and counts in floats whatever the input (e.g. uint8 pixels): integer
        # thresholds would truncate 127.5, and an integer count could not take out_bias -1
        x = editor.op("Cast", [x], f"{hint}_as_float", to=TensorProto.FLOAT)
        elem_type, np_type = TensorProto.FLOAT, np.dtype(np.float32)
    shaped = thresholds.astype(np_type).reshape(
        thresholds.shape[0], *([1] * trailing), thresholds.shape[1]
    )
    steps = editor.constant(shaped, f"{hint}_thresholds")
    last = editor.constant(np.array([-1], dtype=np.int64), f"{hint}_axis")
    expanded = editor.op("Unsqueeze", [x, last], f"{hint}_unsq")
    reached = editor.op("GreaterOrEqual", [expanded, steps], f"{hint}_ge")
    as_number = editor.op("Cast", [reached], f"{hint}_cast", to=elem_type)
    count = editor.op("ReduceSum", [as_number, last], f"{hint}_count", keepdims=0)
    scale = float_attr(node, "out_scale", 1.0)
    bias = float_attr(node, "out_bias", 0.0)
    if scale != 1.0:
        count = editor.op("Mul", [count, editor.constant(scalar_like(scale, elem_type),
                                                          f"{hint}_scale")], f"{hint}_mul")
    if bias != 0.0:
        count = editor.op("Add", [count, editor.constant(scalar_like(bias, elem_type),
                                                          f"{hint}_bias")], f"{hint}_add")
    editor.op("Identity", [count], hint, out=node.output[0])


def lower_trunc(editor: GraphEditor, node: onnx.NodeProto) -> None:
    """QONNX Trunc, as qonnx's `trunc_v1` (five inputs) and `trunc_v2` (six) compute it:

    v1: y = rnd(round(x / scale + zp) / 2^(in_bits - out_bits)); out = (y - zp) * scale
    v2: y = rnd(clip(round(x / scale + zp) / t, lo, hi)); out = (y - zp / t) * out_scale,
        t = 2^round(log2(out_scale / scale)), [lo, hi] the output bit width's range.

    The power of two t is computed here from the constant scales, as qonnx computes it in
    numpy; dividing by it is exact in either precision."""
    if len(node.input) not in (5, 6):
        raise editor.error(node, f"has {len(node.input)} inputs; Trunc takes five (v1) or six (v2)")
    version2 = len(node.input) == 6
    x, scale, zeropt = node.input[0], node.input[1], node.input[2]
    known = [editor.known(name) for name in node.input[1:]]
    if any(value is None for value in known):
        raise editor.error(node, "the scales, zero point and bit widths must be constants")
    _, elem_type = editor.rank_and_type(x)
    hint = node.output[0]
    mode = string_attr(node, "rounding_mode", "FLOOR")
    y = editor.op("Div", [x, scale], f"{hint}_div")
    y = editor.op("Add", [y, zeropt], f"{hint}_zp")
    y = editor.op("Round", [y], f"{hint}_round")
    if version2:
        out_scale = np.asarray(known[3])
        trunc_scale = 2 ** np.round(np.log2(out_scale / np.asarray(known[0])))
        bits = int(np.asarray(known[4]).reshape(-1)[0])
        low, high = integer_range(bool(bool_attr(node, "signed", 1)), bool(bool_attr(node, "narrow", 0)), bits)
    else:
        shift = float(np.asarray(known[2]).reshape(-1)[0] - np.asarray(known[3]).reshape(-1)[0])
        trunc_scale = np.asarray(2.0**shift)
    divisor = editor.constant(trunc_scale.astype(helper.tensor_dtype_to_np_dtype(elem_type)), f"{hint}_tscale")
    y = editor.op("Div", [y, divisor], f"{hint}_trunc")
    if version2:
        low_name = editor.constant(scalar_like(low, elem_type), f"{hint}_min")
        high_name = editor.constant(scalar_like(high, elem_type), f"{hint}_max")
        y = editor.op("Clip", [y, low_name, high_name], f"{hint}_clip")
    y = emit_rounding(editor, y, mode, f"{hint}_rnd", node, elem_type)
    if version2:
        out_zeropt = editor.op("Div", [zeropt, divisor], f"{hint}_ozp")
        y = editor.op("Sub", [y, out_zeropt], f"{hint}_unzp")
        editor.op("Mul", [y, node.input[4]], hint, out=node.output[0])
    else:
        y = editor.op("Sub", [y, zeropt], f"{hint}_unzp")
        editor.op("Mul", [y, scale], hint, out=node.output[0])


LOWERINGS = {
    "BipolarQuant": lower_bipolar_quant,
    "Quant": lower_quant,
    "IntQuant": lower_quant,  # qonnx's newer name for Quant
    "MultiThreshold": lower_multithreshold,
    "Trunc": lower_trunc,
}


def lower_custom_ops(model: onnx.ModelProto, where: str) -> None:
    """Replace every custom node by its standard subgraph, in place, keeping node order."""
    editor = GraphEditor(model, where)
    for node in model.graph.node:
        if node.domain in STANDARD_DOMAINS:
            editor.nodes.append(node)
            continue
        if len(node.output) != 1:
            raise editor.error(node, f"expected one output, got {len(node.output)}")
        LOWERINGS[node.op_type](editor, node)
    del model.graph.node[:]
    model.graph.node.extend(editor.nodes)
    keep = [o for o in model.opset_import if o.domain in STANDARD_DOMAINS]
    del model.opset_import[:]
    model.opset_import.extend(keep)
