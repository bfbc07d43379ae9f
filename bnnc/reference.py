"""The reference engine (`--engine onnx`): run an ONNX model on a batch of images with onnxruntime.

bnnc checks everything it compiles against this engine, so it has to compute what the model
file means, not what bnnc thinks it means. The models come in three dialects:

* plain ONNX (Sign, MatMul, BatchNormalization, ...), which onnxruntime runs as is;
* QONNX, whose quantizers are the custom ops `BipolarQuant` and `Quant` in the domain
  `onnx.brevitas` (Brevitas < 0.8) or `qonnx.custom_op.general`;
* FINN-ONNX, whose activations are `MultiThreshold` in `finn.custom_op.general` or
  `qonnx.custom_op.general`.

onnxruntime knows none of the custom ops, and qonnx's own executor (which does know them) runs
one single-node onnxruntime session per node and per image: correct, but some 20-150 ms per
MNIST image, far too slow to sweep a test set. So before creating the session this module
rewrites every custom op into a small subgraph of standard ONNX ops (GreaterOrEqual, Where,
Clip, Round, ReduceSum, ...) that computes exactly the same floats as qonnx's numpy
implementation: comparisons and rounding are exact, and the divisions and multiplications
happen in the same order and precision. The rewritten ops need opset 11-13 (`Round`,
`GreaterOrEqual`, `Clip` with tensor bounds, `Unsqueeze`/`ReduceSum` with axes as inputs), so
older models are first raised to opset 13 with onnx's version converter.

Models are exported with a fixed batch dimension of 1, and some hard-code it (`Reshape` to
`[1, -1]`), so a batch is run one image per call through one reused session. When a static
analysis proves that every node treats axis 0 as an independent batch axis (see
`prove_batchable`), the session is instead built on a copy whose batch dimension is symbolic,
and images run in chunks; the batched model is also checked against image-by-image runs on a few
random inputs when the session is built, and abandoned if they disagree in a single bit.

onnxruntime's graph optimizations stay off, even the basic level: it fuses BatchNormalization
into the preceding MatMul or Conv, which changes rounding, and in a binarized network a value
that moves across zero flips an activation. Nodes that do not depend on the input (the weight
quantizers) are instead evaluated once, by onnxruntime, and replaced by their values.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import TensorProto, helper, numpy_helper

from bnnc.errors import BnncError

if TYPE_CHECKING:
    import onnxruntime

TARGET_OPSET = 13
# IR version 7 is the first that allows opset 13, and that lets initializers not be inputs.
MIN_IR_VERSION = 7
STANDARD_DOMAINS = frozenset({"", "ai.onnx", "ai.onnx.ml"})
QUANTIZER_DOMAINS = frozenset(
    {"onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general", "finn"}
)
# Images per onnxruntime call on a batchable model: large enough that per-call overhead
# vanishes, small enough that CNV's activations stay in a few hundred MB.
BATCH_CHUNK = 256
# Random images used to check a batched session against image-by-image runs.
BATCH_CHECK_IMAGES = 3


# --------------------------------------------------------------------------------------------
# Loading and normalising the model
# --------------------------------------------------------------------------------------------


def load_model(path: str | Path) -> onnx.ModelProto:
    """Read an ONNX file, turning every way it can fail into a `BnncError`."""
    path = Path(path)
    if not path.is_file():
        raise BnncError(f"{path}: no such file")
    try:
        model = onnx.load(str(path))
    except (DecodeError, ValueError, OSError) as e:
        raise BnncError(f"{path}: not a readable ONNX model ({e})") from e
    if len(model.graph.node) == 0:
        raise BnncError(f"{path}: the ONNX graph has no nodes (is this an ONNX model?)")
    return model


def real_inputs(graph: onnx.GraphProto) -> list[onnx.ValueInfoProto]:
    """Graph inputs that are fed at run time.

    Exports before IR version 4 list every initializer as a graph input too; those are
    weights, not inputs.
    """
    initializers = {init.name for init in graph.initializer}
    return [inp for inp in graph.input if inp.name not in initializers]


def drop_initializer_inputs(graph: onnx.GraphProto) -> None:
    """Remove initializers from the graph inputs.

    onnxruntime treats an initializer that is also an input as a default value the caller may
    override, so it would neither constant-fold it nor anything computed from it.
    """
    keep = real_inputs(graph)
    del graph.input[:]
    graph.input.extend(keep)


def opset_of(model: onnx.ModelProto, domain: str = "") -> int | None:
    for opset in model.opset_import:
        if opset.domain == domain or (domain == "" and opset.domain == "ai.onnx"):
            return opset.version
    return None


def declare_custom_domains(model: onnx.ModelProto) -> None:
    """Add an opset import for every custom domain the nodes use.

    Brevitas exports omit the `onnx.brevitas` import, and the version converter refuses a node
    whose domain is not imported.
    """
    declared = {opset.domain for opset in model.opset_import}
    used = {node.domain for node in model.graph.node} - STANDARD_DOMAINS - declared
    for domain in sorted(used):
        model.opset_import.append(helper.make_opsetid(domain, 1))


def upgrade_opset(model: onnx.ModelProto, where: str) -> onnx.ModelProto:
    """Raise the default-domain opset to `TARGET_OPSET` (never lower it)."""
    version = opset_of(model)
    if version is not None and version >= TARGET_OPSET:
        return model
    try:
        return onnx.version_converter.convert_version(model, TARGET_OPSET)
    except Exception as e:  # the converter raises several unrelated C++ error types
        raise BnncError(
            f"{where}: cannot convert the model from opset {version} to {TARGET_OPSET}: {e}"
        ) from e


def check_domains(model: onnx.ModelProto, where: str) -> None:
    """Refuse custom ops this engine cannot rewrite, before doing any work."""
    for index, node in enumerate(model.graph.node):
        if node.domain in STANDARD_DOMAINS:
            continue
        if node.domain in QUANTIZER_DOMAINS and node.op_type in LOWERINGS:
            continue
        label = node.name or f"{node.op_type}#{index}"
        raise BnncError(
            f"{where}: node '{label}' is the custom op {node.domain}.{node.op_type}, which the "
            f"reference engine does not know (it handles {', '.join(sorted(LOWERINGS))} in the "
            f"domains {', '.join(sorted(QUANTIZER_DOMAINS))})"
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
        # Initializers enter as typed inputs: inference needs their shapes, not their bytes.
        weights = [helper.make_tensor_value_info(init.name, init.data_type, list(init.dims))
                   for init in graph.initializer]
        probe = helper.make_model(
            helper.make_graph(self.nodes, "probe", [*graph.input, *weights], [],
                              value_info=list(graph.value_info)),
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
    np_type = helper.tensor_dtype_to_np_dtype(elem_type)
    shaped = thresholds.astype(np_type).reshape(
        thresholds.shape[0], *([1] * trailing), thresholds.shape[1]
    )
    hint = node.output[0]
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


LOWERINGS = {
    "BipolarQuant": lower_bipolar_quant,
    "Quant": lower_quant,
    "IntQuant": lower_quant,  # qonnx's newer name for Quant
    "MultiThreshold": lower_multithreshold,
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


def clean_annotations(graph: onnx.GraphProto) -> None:
    """Drop value_info and quantization annotations.

    The value_info of exports is sometimes stale or describes custom ops' outputs with types
    the rewrite does not promise; onnxruntime infers what it needs. FINN's quantization
    annotations (finn_datatype) mean nothing to onnxruntime.
    """
    del graph.value_info[:]
    del graph.quantization_annotation[:]


def to_standard_onnx(path: str | Path) -> onnx.ModelProto:
    """Load a plain, QONNX or FINN-ONNX model and rewrite it into standard ONNX (opset >= 13)."""
    where = str(path)
    model = load_model(path)
    check_domains(model, where)
    if len(real_inputs(model.graph)) != 1:
        names = [inp.name for inp in real_inputs(model.graph)]
        raise BnncError(f"{where}: the reference engine needs exactly one input, found {names}")
    if len(model.graph.output) == 0:
        raise BnncError(f"{where}: the graph has no outputs")
    declare_custom_domains(model)
    # The converter wants IR < 4 models as they are, initializers listed among the inputs.
    model = upgrade_opset(model, where)
    drop_initializer_inputs(model.graph)
    model.ir_version = max(model.ir_version, MIN_IR_VERSION)
    lower_custom_ops(model, where)
    clean_annotations(model.graph)
    return model


# --------------------------------------------------------------------------------------------
# Can the model run a whole batch at once?
# --------------------------------------------------------------------------------------------

# Ops that compute each output element from the elements at the same index of their inputs
# (after numpy broadcasting).
ELEMENTWISE = frozenset({
    "Abs", "Add", "And", "Cast", "Ceil", "Clip", "Div", "Dropout", "Elu", "Equal", "Erf", "Exp",
    "Floor", "Greater", "GreaterOrEqual", "HardSigmoid", "Identity", "LeakyRelu", "Less",
    "LessOrEqual", "Log", "Max", "Min", "Mul", "Neg", "Not", "Or", "Pow", "PRelu", "Reciprocal",
    "Relu", "Round", "Selu", "Sigmoid", "Sign", "Softplus", "Softsign", "Sqrt", "Sub", "Tanh",
    "Where", "Xor",
})
# Ops whose first input is (N, C, ...) and whose other inputs are per-channel parameters: they
# only ever iterate over the batch axis.
SPATIAL = frozenset({
    "AveragePool", "BatchNormalization", "Conv", "ConvTranspose", "GlobalAveragePool",
    "GlobalLpPool", "GlobalMaxPool", "InstanceNormalization", "LpPool", "LRN", "MaxPool",
})
# Ops working along one `axis` attribute (with its default), harmless unless it is axis 0.
AXIS_OPS = {
    "ArgMax": 0, "ArgMin": 0, "Gather": 0, "Hardmax": -1, "LogSoftmax": -1, "Softmax": -1,
    "TopK": -1,
}
# Ops working along an `axes` list (attribute before opset 13 or 18, input after).
AXES_OPS = frozenset({
    "ReduceL1", "ReduceL2", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum",
    "Squeeze", "Unsqueeze",
})


@dataclass
class BatchFacts:
    """What the batch analysis knows about the batch-1 model.

    `batched`: tensors whose axis 0 is the batch. `values`: every tensor at batch size 1 (only
    the values of tensors that do not depend on the image are read, the others give shapes).
    `reshapes`: Reshape node index -> target to use for batches.
    """

    batched: set[str]
    values: dict[str, np.ndarray]
    reshapes: dict[int, np.ndarray]

    def rank(self, name: str) -> int | None:
        value = self.values.get(name)
        return None if value is None else value.ndim

    def shape(self, name: str) -> tuple[int, ...] | None:
        value = self.values.get(name)
        return None if value is None else value.shape


def probe_tensors(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """Every tensor of the batch-1 model, from one onnxruntime run on an all-zero image.

    This gives the exact shape of every tensor, which onnx's shape inference loses after a
    Reshape whose target is computed (Shape -> Gather -> Concat), and the value of every tensor
    that does not depend on the image: weights, shape arithmetic, Reshape targets, axes.
    """
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    graph = probe.graph
    known = {out.name for out in graph.output}
    graph.output.extend(helper.make_empty_tensor_value_info(name)
                        for node in graph.node for name in node.output
                        if name and name not in known)
    session = make_session(probe, "probe", threads=1)
    shape = static_input_shape(model)
    assert shape is not None
    dtype = helper.tensor_dtype_to_np_dtype(graph.input[0].type.tensor_type.elem_type)
    names = [out.name for out in session.get_outputs()]
    image = np.zeros(shape, dtype=dtype)
    results = session.run(names, {graph.input[0].name: image})
    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    values[graph.input[0].name] = image
    values.update(zip(names, results, strict=True))
    return values


def normalise_axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


def int_attr(node: onnx.NodeProto, name: str) -> int | None:
    for attr in node.attribute:
        if attr.name == name:
            return int(helper.get_attribute_value(attr))
    return None


def axes_of(facts: BatchFacts, node: onnx.NodeProto) -> list[int] | None:
    for attr in node.attribute:
        if attr.name == "axes":
            return [int(a) for a in helper.get_attribute_value(attr)]
    if len(node.input) > 1 and node.input[1] in facts.values:
        return [int(a) for a in facts.values[node.input[1]].ravel()]
    return None


def only_first_batched(facts: BatchFacts, node: onnx.NodeProto) -> bool:
    return node.input[0] in facts.batched and not any(
        name in facts.batched for name in node.input[1:])


def broadcast_keeps_batch(facts: BatchFacts, node: onnx.NodeProto) -> bool:
    """Numpy broadcasting keeps axis 0 as the batch iff every batched input has the full rank
    and every other input has a lower rank or a leading 1."""
    present = [name for name in node.input if name]
    ranks = [facts.rank(name) for name in present]
    if any(rank is None for rank in ranks):
        return False
    full = max(r for r in ranks if r is not None)
    for name, rank in zip(present, ranks, strict=True):
        if name in facts.batched and rank != full:
            return False
        if name not in facts.batched and rank == full and facts.values[name].shape[0] != 1:
            return False
    return True


def axes_keep_batch(facts: BatchFacts, node: onnx.NodeProto, rank: int) -> bool:
    axes = axes_of(facts, node)
    if not axes or not only_first_batched(facts, node):
        return False  # no axes means every axis, the batch one included
    out_rank = rank + len(axes) if node.op_type == "Unsqueeze" else rank
    return all(normalise_axis(a, out_rank) != 0 for a in axes)


def reshape_keeps_batch(facts: BatchFacts, node: onnx.NodeProto, index: int) -> bool:
    """A Reshape whose target starts with the batch size 1 (or 0, "copy", or a -1 that
    resolves to 1) and is otherwise per sample; its target is rewritten to start with 0, which
    copies N."""
    target = facts.values.get(node.input[1])
    out_shape = facts.shape(node.output[0])
    if target is None or target.ndim != 1 or target.size == 0 or out_shape is None:
        return False
    if not only_first_batched(facts, node) or int_attr(node, "allowzero"):
        return False
    if int(target[0]) not in (0, 1, -1) or out_shape[0] != 1:
        return False
    rewritten = target.astype(np.int64)
    rewritten[0] = 0
    facts.reshapes[index] = rewritten
    return True


def node_keeps_batch(facts: BatchFacts, node: onnx.NodeProto, index: int) -> bool:
    """Whether a node fed batched tensors computes each sample on its own, batch on axis 0."""
    op = node.op_type
    rank = facts.rank(node.input[0])
    if node.domain not in STANDARD_DOMAINS or rank is None:
        return False
    if op in ELEMENTWISE:
        return broadcast_keeps_batch(facts, node)
    if op in SPATIAL:
        # Training-mode BatchNormalization and MaxPool's indices depend on the whole batch.
        return (only_first_batched(facts, node) and len(node.output) == 1
                and not int_attr(node, "training_mode"))
    if op == "MatMul":
        weight_rank = facts.rank(node.input[1])
        return (only_first_batched(facts, node) and rank >= 2 and weight_rank is not None
                and weight_rank <= 2)
    if op == "Gemm":
        bias_rank = facts.rank(node.input[2]) if len(node.input) > 2 else 0
        return (only_first_batched(facts, node) and not int_attr(node, "transA")
                and bias_rank is not None and bias_rank <= 1)
    if op == "Transpose":
        perm = [list(a.ints) for a in node.attribute if a.name == "perm"]
        return only_first_batched(facts, node) and bool(perm) and perm[0][0] == 0
    if op == "Flatten":
        axis = int_attr(node, "axis")
        return normalise_axis(1 if axis is None else axis, rank) == 1
    if op == "Concat":
        axis = int_attr(node, "axis")
        return (axis is not None and normalise_axis(axis, rank) != 0
                and all(name in facts.batched for name in node.input))
    if op in AXIS_OPS:
        axis = int_attr(node, "axis")
        axis = AXIS_OPS[op] if axis is None else axis
        return only_first_batched(facts, node) and normalise_axis(axis, rank) != 0
    if op in AXES_OPS:
        return axes_keep_batch(facts, node, rank)
    if op == "Reshape":
        return reshape_keeps_batch(facts, node, index)
    return False


def static_input_shape(model: onnx.ModelProto) -> list[int] | None:
    dims = model.graph.input[0].type.tensor_type.shape.dim
    if not dims or not all(d.HasField("dim_value") for d in dims):
        return None
    return [d.dim_value for d in dims]


def prove_batchable(model: onnx.ModelProto) -> BatchFacts | None:
    """Walk the graph from the input, following which tensors carry the batch on axis 0.

    Every node reading such a tensor must keep samples independent along axis 0
    (`node_keeps_batch`). Values computed from a batched tensor's Shape are only valid at
    batch size 1, so they may feed nothing but a Reshape target, which is then replaced by a
    batch-size-free constant.
    """
    facts = BatchFacts({model.graph.input[0].name}, probe_tensors(model), {})
    from_shape: set[str] = set()
    for index, node in enumerate(model.graph.node):
        if has_subgraph(node):
            return None
        if not any(name in facts.batched for name in node.input):
            if any(name in from_shape for name in node.input):
                from_shape.update(node.output)
            continue
        if node.op_type == "Shape":
            from_shape.update(node.output)
            continue
        shape_fed = [i for i, name in enumerate(node.input) if name in from_shape]
        if shape_fed and (node.op_type != "Reshape" or shape_fed != [1]):
            return None
        if not node_keeps_batch(facts, node, index):
            return None
        facts.batched.update(name for name in node.output if name)
    if model.graph.output[0].name not in facts.batched:
        return None
    return facts


def batchable_model(model: onnx.ModelProto) -> onnx.ModelProto | None:
    """A copy of `model` taking any batch size, or None when batching is not proven."""
    shape = static_input_shape(model)
    if shape is None or shape[0] != 1:
        return None
    try:
        facts = prove_batchable(model)
    except Exception:  # a failed probe just means "not provably batchable"
        return None
    if facts is None:
        return None
    batched = onnx.ModelProto()
    batched.CopyFrom(model)
    graph = batched.graph
    for index, target in facts.reshapes.items():
        node = graph.node[index]
        name = f"{node.output[0]}__batch_shape"
        graph.initializer.append(numpy_helper.from_array(target, name))
        node.input[1] = name
    for info in [graph.input[0], *graph.output]:
        dims = info.type.tensor_type.shape.dim
        if len(dims) > 0:
            dims[0].Clear()
            dims[0].dim_param = "N"
    remove_dead_nodes(graph)
    return batched


def keep_first_output(graph: onnx.GraphProto) -> None:
    """The engine returns only the first output; dropping the others spares computing them."""
    del graph.output[1:]
    remove_dead_nodes(graph)


def remove_dead_nodes(graph: onnx.GraphProto) -> None:
    """Drop nodes no output depends on (the Shape chains the Reshape rewrite disconnected)."""
    needed = {out.name for out in graph.output}
    keep: list[onnx.NodeProto] = []
    for node in reversed(graph.node):
        if any(name in needed for name in node.output):
            keep.append(node)
            needed.update(name for name in node.input if name)
    del graph.node[:]
    graph.node.extend(reversed(keep))


# --------------------------------------------------------------------------------------------
# Sessions
# --------------------------------------------------------------------------------------------


def import_onnxruntime() -> Any:
    try:
        import onnxruntime
    except ImportError as e:
        raise BnncError(
            "the reference engine needs onnxruntime (pip install 'bnnc[test]')"
        ) from e
    return onnxruntime


def make_session(model: onnx.ModelProto, where: str, threads: int) -> onnxruntime.InferenceSession:
    """An onnxruntime session that runs the graph exactly as written.

    Even onnxruntime's basic optimization level fuses BatchNormalization into a preceding Conv
    or MatMul, which changes float rounding; in a binarized network a value moved across zero
    flips an activation. Constants are folded beforehand by `fold_constants` instead.
    """
    ort = import_onnxruntime()
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    try:
        return ort.InferenceSession(model.SerializeToString(), options,
                                    providers=["CPUExecutionProvider"])
    except Exception as e:  # onnxruntime raises its own exception types from C++
        raise BnncError(f"{where}: onnxruntime cannot load the rewritten model: {e}") from e


def has_subgraph(node: onnx.NodeProto) -> bool:
    """If, Loop and Scan bodies may read outer tensors that are not among the node's inputs."""
    return any(attr.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS)
               for attr in node.attribute)


# Ops whose output is not a function of their inputs: never folded.
NONDETERMINISTIC = frozenset({
    "Bernoulli", "Multinomial", "RandomNormal", "RandomNormalLike", "RandomUniform",
    "RandomUniformLike",
})


def fold_constants(model: onnx.ModelProto, where: str) -> None:
    """Replace every node that does not depend on the input by its value, in place.

    The values are computed by onnxruntime itself, with the kernels the session would use, so
    folding changes no bit; it spares recomputing quantized weights (BipolarQuant on every
    weight tensor) at every call.
    """
    graph = model.graph
    constant = {init.name for init in graph.initializer}
    folded: list[onnx.NodeProto] = []
    for node in graph.node:
        if node.op_type not in NONDETERMINISTIC and not has_subgraph(node) and all(
            not name or name in constant for name in node.input
        ):
            folded.append(node)
            constant.update(node.output)
    if not folded:
        return
    live = [node for node in graph.node if node not in folded]
    needed = {name for node in live for name in node.input} | {o.name for o in graph.output}
    frontier = [name for node in folded for name in node.output if name in needed]
    values = evaluate_constant_nodes(model, folded, frontier, where)
    del graph.node[:]
    graph.node.extend(live)
    graph.initializer.extend(numpy_helper.from_array(v, name) for name, v in values.items())
    used = {name for node in live for name in node.input} | {o.name for o in graph.output}
    keep = [init for init in graph.initializer if init.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)


def evaluate_constant_nodes(model: onnx.ModelProto, nodes: list[onnx.NodeProto],
                            outputs: list[str], where: str) -> dict[str, np.ndarray]:
    if not outputs:
        return {}
    graph = helper.make_graph(nodes, "constants", [],
                              [helper.make_empty_tensor_value_info(name) for name in outputs],
                              list(model.graph.initializer))
    constants = helper.make_model(graph, opset_imports=list(model.opset_import),
                                  ir_version=model.ir_version)
    session = make_session(constants, where, threads=0)
    try:
        return dict(zip(outputs, session.run(outputs, {}), strict=True))
    except Exception as e:  # onnxruntime's runtime errors
        raise BnncError(f"{where}: onnxruntime failed on the model's constants: {e}") from e


class ReferenceSession:
    """A model prepared once for onnxruntime; `run` evaluates it on a batch of images.

    `run(x)` takes an array shaped like the model input but with any number N of images on
    axis 0 and returns the model's first output for each image, stacked on axis 0.
    `allow_batching=False` forces one image per onnxruntime call even when the model is
    provably batchable (to cross-check the batched path, or to debug).
    """

    def __init__(self, model_path: str | Path, *, allow_batching: bool = True) -> None:
        self.path = str(model_path)
        self.model = to_standard_onnx(model_path)
        keep_first_output(self.model.graph)
        fold_constants(self.model, self.path)
        graph_input = self.model.graph.input[0]
        self.input_name = graph_input.name
        self.output_name = self.model.graph.output[0].name
        self.input_dtype = np.dtype(
            helper.tensor_dtype_to_np_dtype(graph_input.type.tensor_type.elem_type))
        self.input_shape = [d.dim_value if d.HasField("dim_value") else None
                            for d in graph_input.type.tensor_type.shape.dim]
        # Batch 1 per call is latency-bound: extra threads only add synchronisation.
        self._single = make_session(self.model, self.path, threads=1)
        self._batched = self._batched_session() if allow_batching else None

    @property
    def batched(self) -> bool:
        """Whether whole chunks of images run in one onnxruntime call."""
        return self._batched is not None

    def _batched_session(self) -> onnxruntime.InferenceSession | None:
        candidate = batchable_model(self.model)
        if candidate is None:
            return None
        try:
            session = make_session(candidate, self.path, threads=0)
        except BnncError:
            return None
        probe = self._random_images(BATCH_CHECK_IMAGES)
        try:
            together = session.run([self.output_name], {self.input_name: probe})[0]
            one_by_one = self._run_single(probe)
        except Exception:  # any runtime failure: the proof missed something, stay safe
            return None
        if together.shape != one_by_one.shape or not np.array_equal(together, one_by_one):
            return None
        return session

    def _random_images(self, count: int) -> np.ndarray:
        shape = [count, *[d or 1 for d in self.input_shape[1:]]]
        rng = np.random.default_rng(0)
        if np.issubdtype(self.input_dtype, np.integer):
            info = np.iinfo(self.input_dtype)
            return rng.integers(max(info.min, 0), min(info.max, 255), size=shape,
                                endpoint=True).astype(self.input_dtype)
        return rng.random(shape).astype(self.input_dtype)

    def _check_input(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != len(self.input_shape) or any(
            want is not None and got != want
            for want, got in zip(self.input_shape[1:], x.shape[1:], strict=True)
        ):
            want = ["N", *[d if d is not None else "?" for d in self.input_shape[1:]]]
            raise BnncError(f"{self.path}: input of shape {list(x.shape)} does not match the "
                            f"model input '{self.input_name}' of shape {want}")
        return np.ascontiguousarray(x, dtype=self.input_dtype)

    def _run_single(self, x: np.ndarray) -> np.ndarray:
        run = self._single.run
        names = [self.output_name]
        outputs = [run(names, {self.input_name: x[i:i + 1]})[0] for i in range(x.shape[0])]
        return stack_outputs(outputs)

    def _run_batched(self, x: np.ndarray) -> np.ndarray:
        assert self._batched is not None
        names = [self.output_name]
        outputs = [self._batched.run(names, {self.input_name: x[i:i + BATCH_CHUNK]})[0]
                   for i in range(0, x.shape[0], BATCH_CHUNK)]
        return np.concatenate(outputs, axis=0)

    def run(self, x: np.ndarray) -> np.ndarray:
        """The model's first output for every image of the batch `x`, stacked on axis 0."""
        x = self._check_input(np.asarray(x))
        if x.shape[0] == 0:
            raise BnncError(f"{self.path}: the input batch is empty")
        try:
            if self._batched is not None:
                return self._run_batched(x)
            return self._run_single(x)
        except BnncError:
            raise
        except Exception as e:  # onnxruntime's runtime errors
            raise BnncError(f"{self.path}: onnxruntime failed: {e}") from e


def stack_outputs(outputs: list[np.ndarray]) -> np.ndarray:
    """Per-image outputs keep their batch axis of 1, so they concatenate; outputs without one
    (rank 0, or a first axis that is not a batch of 1) get a new leading axis."""
    if all(out.ndim > 0 and out.shape[0] == 1 for out in outputs):
        return np.concatenate(outputs, axis=0)
    return np.stack(outputs, axis=0)


def run_reference(model_path: str | Path, x: np.ndarray) -> np.ndarray:
    """Run the model at `model_path` on the batch `x` (see `ReferenceSession.run`)."""
    return ReferenceSession(model_path).run(x)


__all__ = ["ReferenceSession", "run_reference", "to_standard_onnx"]
