"""ONNX (plain, QONNX, FINN-ONNX) to the `bnn` dialect.

The importer translates node by node and keeps the ONNX layout (NCHW, channel axis 1); the
`bnn` passes do the streamlining. Two things happen on the way, because they are about reading the
file rather than about rewriting the network:

- Constants are folded (shape subgraphs, quantizers on weights; see `onnx_graph`).
- Quantization scales are carried, not materialised: a BipolarQuant with scale s or a Quant with
  scale s produces integer codes whose real value is s·code, and a layer's weights leave their
  scale on the accumulator. The scale becomes a `bnn.affine` only where a real value is needed
  (batch norm, an affine, the graph output), so binary layers see ±1 and integer codes.

Semantics that differ from ONNX, by design: `Sign(0)` is +1 (the bipolar convention, as Brevitas'
BipolarQuant), where ONNX gives 0. Exact zeros do not occur on the shared models' inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import onnx
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    Signedness,
    StringAttr,
    TensorType,
    f32,
    f64,
    i32,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, Region, SSAValue

from bnnc.dialects import bnn
from bnnc.errors import BnncError
from bnnc.frontend.onnx_graph import (
    QONNX_DOMAINS,
    OnnxGraph,
    attributes,
    build_graph,
    evaluate_node,
    load_model,
    parse_model,
    node_domain,
    quant_range,
)
from bnnc.frontend.weights import LayerWeights, NotBinaryRepresentable, classify
from bnnc.packing import pack_rows

ROUNDING_MODES = {"ROUND": "round", "FLOOR": "floor", "CEIL": "ceil", "ROUND_TO_ZERO": "round_to_zero"}
ONNX_ELEMENT_TYPES: dict[int, Attribute] = {
    onnx.TensorProto.FLOAT: f32,
    onnx.TensorProto.UINT8: IntegerType(8, Signedness.UNSIGNED),
    onnx.TensorProto.INT8: IntegerType(8, Signedness.SIGNED),
}
LAYER_OPS = {"MatMul": 1, "Gemm": 1, "Conv": 1}  # op type -> index of the weight input
# op type -> (fewest, most) inputs, for the ops whose handlers index their inputs
ARITY = {
    "Reshape": (2, 2), "MatMul": (2, 2), "Gemm": (2, 3), "Conv": (2, 3), "Pad": (1, 4),
    "BatchNormalization": (5, 5), "Add": (2, 2), "Sub": (2, 2), "Mul": (2, 2), "Div": (2, 2),
    "BipolarQuant": (2, 2), "Quant": (4, 4), "MultiThreshold": (2, 2), "TopK": (1, 2),
}
REQUIRED_ATTRIBUTES = {"MaxPool": ("kernel_shape",)}


@dataclass(frozen=True)
class Tensor:
    """An ONNX tensor during import: an SSA value or a constant, and the real scale of its codes."""

    shape: tuple[int, ...]
    value: SSAValue | None = None
    const: np.ndarray | None = None
    scale: np.ndarray = np.float64(1.0)  # scalar, or one factor per channel (axis 1)
    pad: tuple[tuple[int, ...], int] | None = None  # a pending ±1 Pad that only a Conv can take

    @property
    def element_type(self) -> Attribute:
        assert self.value is not None
        return bnn.element_type(self.value.type)


def import_onnx(path: str | Path) -> ModuleOp:
    """Read an ONNX file and return a verified module holding `func.func @main` in `bnn` ops."""
    return OnnxImporter(build_graph(load_model(path), str(path))).run()


def import_model_bytes(data: bytes, name: str) -> ModuleOp:
    """The same as `import_onnx` for a model already read into memory (`name` is for messages)."""
    return OnnxImporter(build_graph(parse_model(data, name), name)).run()


def weight_matrix(node: onnx.NodeProto, weights: np.ndarray) -> np.ndarray:
    """A layer's weights as the (out_channels, reduction) matrix of `bnn.dense`/`bnn.conv2d`."""
    if node.op_type == "Conv":
        m, c, kh, kw = weights.shape
        return weights.transpose(0, 2, 3, 1).reshape(m, kh * kw * c)  # reduction in (ky, kx, c)
    if node.op_type == "Gemm" and attributes(node).get("transB", 0):
        return weights
    return weights.T


def _dense(values: np.ndarray, element: Attribute) -> DenseIntOrFPElementsAttr:
    dtype = np.float64 if element == f64 else np.float32 if element == f32 else np.int64
    array = np.ascontiguousarray(values, dtype=dtype)
    return DenseIntOrFPElementsAttr(TensorType(element, array.shape), BytesAttr(array.tobytes()))


def _array(values) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


def _unsigned_bits(limit: int) -> int:
    return max(1, int(limit).bit_length())


class OnnxImporter:
    def __init__(self, graph: OnnxGraph):
        self.graph = graph
        self.tensors: dict[str, Tensor] = {}
        self.block: Block | None = None
        self.handlers: dict[str, Callable[[onnx.NodeProto, list[Tensor]], list[Tensor]]] = {
            "Identity": self.identity,
            "Dropout": self.identity,
            "Reshape": self.reshape,
            "Flatten": self.flatten,
            "Squeeze": self.squeeze,
            "Unsqueeze": self.unsqueeze,
            "Transpose": self.transpose,
            "MatMul": self.matmul,
            "Gemm": self.gemm,
            "Conv": self.conv,
            "Pad": self.pad,
            "BatchNormalization": self.batchnorm,
            "Add": self.elementwise,
            "Sub": self.elementwise,
            "Mul": self.elementwise,
            "Div": self.elementwise,
            "Sign": self.sign,
            "MaxPool": self.maxpool,
            "TopK": self.topk,
            "ArgMax": self.argmax,
            "Round": self.round_clip,
            "Clip": self.round_clip,
            "Shape": self.identity,  # folded in `run`; listed so it counts as supported
        }
        self.custom_handlers = {
            "BipolarQuant": self.bipolar_quant,
            "Quant": self.quant,
            "MultiThreshold": self.multithreshold,
        }
        self.skip: set[int] = set()  # nodes already translated together with a neighbour

    # ---------------------------------------------------------------------------------------
    # Driver

    def run(self) -> ModuleOp:
        self.fold_constants()
        self.check_supported()
        (graph_input,) = self.graph.inputs
        in_type = self.input_type(graph_input)
        self.block = Block(arg_types=[in_type])
        self.block.args[0].name_hint = "input"
        self.tensors[graph_input.name] = Tensor(
            tuple(in_type.get_shape()), value=self.block.args[0]
        )
        consts = self.graph.constants
        for index, node in enumerate(self.graph.nodes):
            if index in self.skip or all(out in consts for out in node.output if out):
                continue
            if node.op_type == "Shape" and node.domain in ("", "ai.onnx"):
                shape = self.lookup(node.input[0]).shape
                consts[node.output[0]] = np.array(shape, dtype=np.int64)
                continue
            if all(name in consts for name in node.input if name):
                # inputs derived from a Shape node are known only now
                values = evaluate_node(self.graph, node, [consts[n] for n in node.input if n])
                consts.update(zip(node.output, values))
                continue
            inputs = [self.lookup(name) if name else None for name in node.input]
            results = self.translate(node, inputs)
            for name, tensor in zip(node.output, results):
                if name:
                    self.tensors[name] = tensor
        outputs = [self.materialise(self.output_tensor(o.name)) for o in self.graph.outputs]
        self.block.add_op(func.ReturnOp(*outputs))
        main = func.FuncOp(
            "main",
            ([in_type], [o.type for o in outputs]),
            Region(self.block),
        )
        module = ModuleOp([main])
        module.verify()
        return module

    def input_type(self, graph_input: onnx.ValueInfoProto) -> TensorType:
        tensor_type = graph_input.type.tensor_type
        dims = [d.dim_value if d.HasField("dim_value") else -1 for d in tensor_type.shape.dim]
        where = f"{self.graph.path}: graph input '{graph_input.name}'"
        if not dims:
            raise BnncError(f"{where} has no shape; expected a static shape such as [1, 1, 28, 28]")
        if dims[0] in (-1, 0):
            dims[0] = 1  # a symbolic batch: the IR holds one frame, the executor any batch
        if any(d <= 0 for d in dims[1:]):
            raise BnncError(f"{where} has dynamic dimensions {dims}; bnnc needs static shapes")
        if dims[0] != 1:
            raise BnncError(f"{where} has batch size {dims[0]}; export the model with batch 1")
        element = ONNX_ELEMENT_TYPES.get(tensor_type.elem_type)
        if element is None:
            name = onnx.TensorProto.DataType.Name(tensor_type.elem_type)
            raise BnncError(f"{where} has element type {name}; expected FLOAT, UINT8 or INT8")
        return TensorType(element, dims)

    def fold_constants(self) -> None:
        """Evaluate every node whose inputs are all constants, in topological order."""
        consts = self.graph.constants
        for node in self.graph.nodes:
            inputs = [name for name in node.input if name]
            if node.op_type == "Constant":
                consts[node.output[0]] = evaluate_node(self.graph, node, [])[0]
            elif inputs and all(name in consts for name in inputs):
                values = evaluate_node(self.graph, node, [consts[name] for name in inputs])
                consts.update(zip(node.output, values))

    def check_supported(self) -> None:
        """Report every node bnnc cannot translate, all at once, before any translation."""
        unsupported, not_binary = [], []
        shape_derived: set[str] = set()
        for node in self.graph.nodes:
            if all(out in self.graph.constants for out in node.output if out):
                continue
            if node.op_type == "Shape" or all(
                name in self.graph.constants or name in shape_derived for name in node.input if name
            ):
                shape_derived.update(node.output)  # folded during translation
                continue
            known = (
                node.op_type in self.custom_handlers
                if node.domain in QONNX_DOMAINS
                else node.domain in ("", "ai.onnx") and node.op_type in self.handlers
            )
            if not known:
                unsupported.append(
                    f"'{self.graph.label(node)}' ({node.op_type}, domain {node_domain(node)})"
                )
            elif node.op_type in LAYER_OPS and node.domain in ("", "ai.onnx"):
                weight_name = node.input[LAYER_OPS[node.op_type]]
                weights = self.graph.constants.get(weight_name)
                if weights is not None and weights.ndim in (2, 4):
                    try:
                        self.layer_weights(node, weight_matrix(node, weights))
                    except BnncError as exc:
                        not_binary.append(str(exc).split(": ", 1)[1])
        problems = []
        if unsupported:
            problems.append(
                f"{len(unsupported)} node(s) with unsupported op types: {', '.join(unsupported)}"
            )
        if not_binary:
            problems.append(
                f"{len(not_binary)} layer(s) whose weights are not binary-representable: "
                + "; ".join(not_binary)
            )
        if problems:
            raise BnncError(
                f"{self.graph.path}: cannot import this model as a binarized network: "
                + " | ".join(problems)
            )

    def translate(self, node: onnx.NodeProto, inputs: list[Tensor | None]) -> list[Tensor]:
        if node.domain in QONNX_DOMAINS:
            handler = self.custom_handlers[node.op_type]
        else:
            handler = self.handlers[node.op_type]
        fewest, most = ARITY.get(node.op_type, (1, len(node.input)))
        given = sum(1 for name in node.input if name)
        if not fewest <= len(node.input) <= most or not node.input or not node.input[0]:
            raise self.graph.error(
                node, f"has {given} input(s); {node.op_type} takes {fewest} to {most}"
            )
        missing = [a for a in REQUIRED_ATTRIBUTES.get(node.op_type, ()) if a not in attributes(node)]
        if missing:
            raise self.graph.error(node, f"lacks the required attribute(s) {missing}")
        for tensor in inputs:
            if tensor is not None and tensor.pad is not None and node.op_type != "Conv":
                raise self.graph.error(node, "reads a padded tensor; only a Conv may follow Pad")
        try:
            return handler(node, inputs)  # type: ignore[arg-type]
        except (ValueError, IndexError, KeyError, TypeError) as exc:
            # a malformed attribute or input shape that a handler did not foresee
            raise self.graph.error(node, f"malformed node: {exc}") from None

    def lookup(self, name: str) -> Tensor:
        if name in self.graph.constants:
            value = self.graph.constants[name]
            return Tensor(tuple(value.shape), const=value)
        return self.tensors[name]

    def output_tensor(self, name: str) -> Tensor:
        if name in self.graph.constants:
            raise BnncError(f"{self.graph.path}: graph output '{name}' is a constant")
        tensor = self.tensors[name]
        if tensor.pad is not None:
            producer = next(node for node in self.graph.nodes if name in node.output)
            raise self.graph.error(
                producer, f"its padded output '{name}' is a graph output; Pad is supported only "
                "in front of a Conv",
            )
        return tensor

    def emit(self, op: Operation) -> SSAValue:
        assert self.block is not None
        self.block.add_op(op)
        return op.results[0]

    def materialise(self, tensor: Tensor) -> SSAValue:
        """The tensor's real value: its codes times the carried scale, as an affine when needed."""
        assert tensor.value is not None
        scale = np.asarray(tensor.scale, dtype=np.float64)
        if np.all(scale == 1.0):
            return tensor.value
        return self.affine(tensor.value, scale.reshape(-1), np.zeros(1))

    def affine(self, value: SSAValue, scale: np.ndarray, bias: np.ndarray, axis: int = 1) -> SSAValue:
        shape = bnn.shape_of(value.type)
        return self.emit(
            bnn.AffineOp.build(
                operands=[value],
                result_types=[TensorType(f32, shape)],
                properties={
                    "scale": _dense(scale, f64),
                    "bias": _dense(bias, f64),
                    "axis": IntegerAttr(axis, i64),
                },
            )
        )

    def variable(self, node: onnx.NodeProto, tensor: Tensor | None, what: str = "input") -> Tensor:
        if tensor is None or tensor.value is None:
            raise self.graph.error(node, f"expected a computed {what}, got a constant or nothing")
        return tensor

    def constant(self, node: onnx.NodeProto, tensor: Tensor | None, what: str) -> np.ndarray:
        if tensor is None or tensor.const is None:
            raise self.graph.error(
                node, f"the {what} must be a constant (an initializer or foldable subgraph)"
            )
        return tensor.const

    def scalar_scale(self, node: onnx.NodeProto, tensor: Tensor) -> float:
        scale = np.asarray(tensor.scale).reshape(-1)
        if scale.size != 1 or np.any(scale <= 0) and not np.all(scale == scale[0]):
            raise self.graph.error(node, "the input carries a per-channel scale here")
        return float(scale[0])

    # ---------------------------------------------------------------------------------------
    # Shapes

    def identity(self, node, inputs):
        return [inputs[0]]

    def reshaped(self, node, tensor: Tensor, shape: tuple[int, ...]) -> Tensor:
        tensor = self.variable(node, tensor)
        if int(np.prod(shape)) != int(np.prod(tensor.shape)):
            raise self.graph.error(
                node, f"cannot reshape {list(tensor.shape)} to {list(shape)}: element counts differ"
            )
        if not shape or shape[0] != tensor.shape[0]:
            raise self.graph.error(
                node, f"reshape to {list(shape)} moves the batch dimension; it must stay first"
            )
        if shape == tensor.shape:
            return tensor
        if np.asarray(tensor.scale).size > 1:
            tensor = Tensor(tensor.shape, value=self.materialise(tensor))
        value = self.emit(
            bnn.ReshapeOp(tensor.value, TensorType(tensor.element_type, shape))
        )
        return replace(tensor, shape=shape, value=value)

    def reshape(self, node, inputs):
        data, target = inputs[0], self.constant(node, inputs[1], "target shape")
        shape = []
        for i, dim in enumerate(target.astype(np.int64).tolist()):
            if dim == 0 and not attributes(node).get("allowzero"):
                if i >= len(data.shape):
                    raise self.graph.error(node, f"target shape entry {i} is 0 (copy) beyond the input's rank")
                dim = data.shape[i]
            if dim < -1 or dim == 0:
                raise self.graph.error(node, f"invalid target shape {target.tolist()}")
            shape.append(dim)
        if shape.count(-1) > 1:
            raise self.graph.error(node, f"target shape {shape} has more than one -1")
        if -1 in shape:
            known = int(np.prod([d for d in shape if d != -1]))
            total = int(np.prod(data.shape))
            if known == 0 or total % known:
                raise self.graph.error(node, f"cannot reshape {list(data.shape)} to {shape}")
            shape[shape.index(-1)] = total // known
        return [self.reshaped(node, data, tuple(shape))]

    def flatten(self, node, inputs):
        data = inputs[0]
        axis = int(attributes(node).get("axis", 1)) % max(len(data.shape), 1)
        shape = (int(np.prod(data.shape[:axis])), int(np.prod(data.shape[axis:])))
        return [self.reshaped(node, data, shape)]

    def axes(self, node, inputs) -> list[int]:
        attrs = attributes(node)
        if "axes" in attrs:
            return [int(a) for a in attrs["axes"]]  # type: ignore[union-attr]
        if len(inputs) > 1 and inputs[1] is not None:
            return [int(a) for a in self.constant(node, inputs[1], "axes")]
        return []

    def squeeze(self, node, inputs):
        data = inputs[0]
        rank = len(data.shape)
        if any(not -rank <= a < rank for a in self.axes(node, inputs)):
            raise self.graph.error(node, f"axes {self.axes(node, inputs)} are out of range for rank {rank}")
        axes = [a % rank for a in self.axes(node, inputs)] or [
            i for i, d in enumerate(data.shape) if d == 1 and i > 0
        ]
        if 0 in axes:
            raise self.graph.error(node, "squeezing the batch dimension is not supported")
        if any(data.shape[a] != 1 for a in axes):
            raise self.graph.error(node, f"cannot squeeze axes {axes} of shape {list(data.shape)}")
        shape = tuple(d for i, d in enumerate(data.shape) if i not in axes)
        return [self.reshaped(node, data, shape)]

    def unsqueeze(self, node, inputs):
        data = inputs[0]
        rank = len(data.shape) + len(self.axes(node, inputs))
        axes = sorted(a % rank for a in self.axes(node, inputs))
        if 0 in axes:
            raise self.graph.error(node, "unsqueezing before the batch dimension is not supported")
        shape = list(data.shape)
        for a in axes:
            shape.insert(a, 1)
        return [self.reshaped(node, data, tuple(shape))]

    def transpose(self, node, inputs):
        data = self.variable(node, inputs[0])
        perm = [int(p) for p in attributes(node).get("perm", range(len(data.shape) - 1, -1, -1))]  # type: ignore[arg-type]
        if sorted(perm) != list(range(len(data.shape))):
            raise self.graph.error(node, f"perm {perm} does not fit rank {len(data.shape)}")
        if perm[0] != 0:
            raise self.graph.error(node, f"perm {perm} moves the batch dimension")
        if perm == sorted(perm):
            return [data]
        if np.asarray(data.scale).size > 1:
            data = Tensor(data.shape, value=self.materialise(data))
        shape = tuple(data.shape[p] for p in perm)
        value = self.emit(
            bnn.TransposeOp.build(
                operands=[data.value],
                result_types=[TensorType(data.element_type, shape)],
                properties={"perm": _array(perm)},
            )
        )
        return [replace(data, shape=shape, value=value)]

    # ---------------------------------------------------------------------------------------
    # Layers

    def layer_weights(self, node: onnx.NodeProto, matrix: np.ndarray) -> LayerWeights:
        try:
            return classify(matrix, self.quantizer_scale(node))
        except NotBinaryRepresentable as exc:
            raise self.graph.error(node, str(exc)) from None

    def quantizer_scale(self, node: onnx.NodeProto) -> float | None:
        """The scalar scale of a Quant node that produced this layer's weights, if any."""
        weight_name = node.input[LAYER_OPS[node.op_type]]
        for producer in self.graph.nodes:
            if weight_name in producer.output and producer.op_type in ("Transpose", "Identity"):
                weight_name = producer.input[0]
        for producer in self.graph.nodes:
            if weight_name in producer.output and producer.op_type == "Quant":
                scale = self.graph.constants.get(producer.input[1])
                if scale is not None and np.asarray(scale).size == 1:
                    return float(np.asarray(scale).reshape(-1)[0])
        return None

    def layer_input(self, node: onnx.NodeProto, tensor: Tensor | None) -> tuple[Tensor, float]:
        tensor = self.variable(node, tensor)
        element = tensor.element_type
        if not (bnn.is_bipolar(element) or bnn.is_integer(element)):
            raise self.graph.error(
                node,
                f"the layer input is real-valued ({element}); a binary layer needs bipolar or "
                "quantized integer inputs (add a Sign, BipolarQuant, Quant or MultiThreshold "
                "before it)",
            )
        return tensor, self.scalar_scale(node, tensor)

    def accumulator(self, op: Operation, weights: LayerWeights, in_scale: float) -> Tensor:
        value = self.emit(op)
        scale = weights.scale * in_scale
        if np.all(scale == scale[0]):
            scale = np.float64(scale[0])
        return Tensor(bnn.shape_of(value.type), value=value, scale=scale)

    def matmul(self, node, inputs):
        x, in_scale = self.layer_input(node, inputs[0])
        w = self.constant(node, inputs[1], "weight matrix")
        if len(x.shape) != 2 or w.ndim != 2 or w.shape[0] != x.shape[1]:
            raise self.graph.error(
                node, f"shapes {list(x.shape)} x {list(w.shape)} do not give a (1, K) x (K, M) product"
            )
        return [self.dense(x, self.layer_weights(node, weight_matrix(node, w)), in_scale)]

    def dense(self, x: Tensor, weights: LayerWeights, in_scale: float) -> Tensor:
        rows = weights.codes.shape[0]
        codes = (weights.codes > 0).astype(np.int64) if weights.bits == 1 else weights.codes
        op = bnn.DenseOp.build(
            operands=[x.value],
            result_types=[TensorType(i32, (x.shape[0], rows))],
            properties={"weights": pack_rows(codes, weights.bits), "weight_type": weights.weight_type},
        )
        return self.accumulator(op, weights, in_scale)

    def gemm(self, node, inputs):
        attrs = attributes(node)
        if attrs.get("transA", 0):
            raise self.graph.error(node, "transA = 1 is not supported")
        x, in_scale = self.layer_input(node, inputs[0])
        w = self.constant(node, inputs[1], "weight matrix")
        if w.ndim == 2:
            w = weight_matrix(node, w)
        if len(x.shape) != 2 or w.ndim != 2 or w.shape[1] != x.shape[1]:
            raise self.graph.error(node, f"shapes {list(x.shape)} and {list(w.shape)} do not agree")
        acc = self.dense(x, self.layer_weights(node, w), in_scale * float(attrs.get("alpha", 1.0)))
        if len(inputs) > 2 and inputs[2] is not None:
            bias = self.constant(node, inputs[2], "bias") * float(attrs.get("beta", 1.0))
            value = self.materialise(acc)
            bias = bias.reshape(-1)
            if bias.size not in (1, w.shape[0]):
                raise self.graph.error(node, f"bias of {bias.size} values for {w.shape[0]} outputs")
            value = self.affine(value, np.ones(1), np.broadcast_to(bias, (w.shape[0],)).copy())
            return [Tensor(acc.shape, value=value)]
        return [acc]

    def pad(self, node, inputs):
        data = self.variable(node, inputs[0])
        attrs = attributes(node)
        pads = attrs.get("pads")
        if pads is None:
            pads = self.constant(node, inputs[1], "pads")
        value = attrs.get("value", 0.0)
        if len(inputs) > 2 and inputs[2] is not None:
            value = float(self.constant(node, inputs[2], "padding value").reshape(-1)[0])
        if attrs.get("mode", "constant") != "constant":
            raise self.graph.error(node, f"mode '{attrs['mode']}' is not supported; only constant")
        pads = [int(p) for p in pads]  # type: ignore[union-attr]
        rank = len(data.shape)
        if rank != 4 or len(pads) != 8 or any(pads[i] or pads[i + rank] for i in (0, 1)):
            raise self.graph.error(node, "only spatial padding of NCHW tensors is supported")
        if min(pads) < 0:
            raise self.graph.error(node, f"negative pads {pads} (cropping) are not supported")
        # The tensor holds codes of real value scale·code: the padding value is a code too.
        scale = np.asarray(data.scale).reshape(-1)
        if scale.size != 1:
            raise self.graph.error(node, "padding a tensor with per-channel scales is not supported")
        code = float(value) / float(scale[0])
        if not code.is_integer():
            raise self.graph.error(
                node, f"padding value {value} is not a multiple of the tensor's scale {scale[0]}"
            )
        return [replace(data, pad=((pads[2], pads[3], pads[6], pads[7]), int(code)))]

    def conv(self, node, inputs):
        attrs = attributes(node)
        padded = inputs[0].pad if inputs[0] is not None else None
        x, in_scale = self.layer_input(node, inputs[0])
        w = self.constant(node, inputs[1], "weights")
        if int(attrs.get("group", 1)) != 1:
            raise self.graph.error(node, "grouped convolutions are not supported")
        if any(int(d) != 1 for d in attrs.get("dilations", [1, 1])):  # type: ignore[union-attr]
            raise self.graph.error(node, "dilated convolutions are not supported")
        if len(x.shape) != 4 or w.ndim != 4 or w.shape[1] != x.shape[1]:
            raise self.graph.error(
                node, f"input {list(x.shape)} and weights {list(w.shape)} are not NCHW / MCkk"
            )
        m, c, kh, kw = w.shape
        for name, expected in (("strides", 2), ("dilations", 2), ("pads", 4), ("kernel_shape", 2)):
            if name in attrs and len(attrs[name]) != expected:  # type: ignore[arg-type]
                raise self.graph.error(node, f"'{name}' has {len(attrs[name])} values, expected {expected}")  # type: ignore[arg-type]
        if "kernel_shape" in attrs and tuple(attrs["kernel_shape"]) != (kh, kw):  # type: ignore[arg-type]
            raise self.graph.error(node, f"kernel_shape {list(attrs['kernel_shape'])} disagrees with weights {list(w.shape)}")  # type: ignore[arg-type]
        sh, sw = (int(s) for s in attrs.get("strides", [1, 1]))  # type: ignore[union-attr]
        if min(sh, sw) < 1:
            raise self.graph.error(node, f"strides must be positive, got {[sh, sw]}")
        pads = self.conv_pads(node, attrs, x.shape, (kh, kw), (sh, sw))
        pad_value = 0
        if padded is not None:
            extra, pad_value = padded
            if any(pads) and pad_value != 0:
                raise self.graph.error(
                    node, "combines a Pad of value {pad_value} with its own zero padding; "
                    "one padding value per convolution is supported",
                )
            pads = tuple(p + e for p, e in zip(pads, extra))
        if any(pads) and bnn.is_bipolar(x.element_type):
            if padded is None or pad_value not in (-1, 1):
                raise self.graph.error(
                    node,
                    "zero padding of bipolar (±1) data has no binary encoding; pad with +1 or -1 "
                    "(a constant Pad node before the Conv) or export without padding",
                )
        oh = (x.shape[2] + pads[0] + pads[2] - kh) // sh + 1
        ow = (x.shape[3] + pads[1] + pads[3] - kw) // sw + 1
        if oh < 1 or ow < 1:
            raise self.graph.error(node, f"a {kh}x{kw} kernel does not fit input {list(x.shape)}")
        weights = self.layer_weights(node, weight_matrix(node, w))
        codes = (weights.codes > 0).astype(np.int64) if weights.bits == 1 else weights.codes
        op = bnn.Conv2dOp.build(
            operands=[x.value],
            result_types=[TensorType(i32, (x.shape[0], m, oh, ow))],
            properties={
                "weights": pack_rows(codes, weights.bits),
                "weight_type": weights.weight_type,
                "kernel": _array((kh, kw)),
                "strides": _array((sh, sw)),
                "pads": _array(pads),
                "pad_value": IntegerAttr(int(pad_value), i64),
            },
        )
        acc = self.accumulator(op, weights, in_scale)
        if len(inputs) > 2 and inputs[2] is not None:
            bias = self.constant(node, inputs[2], "bias")
            value = self.affine(self.materialise(acc), np.ones(1), bias.astype(np.float64))
            return [Tensor(acc.shape, value=value)]
        return [acc]

    def conv_pads(self, node, attrs, shape, kernel, strides) -> tuple[int, int, int, int]:
        auto_pad = attrs.get("auto_pad", "NOTSET")
        if auto_pad in ("NOTSET", ""):
            top, left, bottom, right = (int(p) for p in attrs.get("pads", [0, 0, 0, 0]))  # type: ignore[union-attr]
            return top, left, bottom, right
        if auto_pad == "VALID":
            return 0, 0, 0, 0
        total = [
            max((-(-size // s) - 1) * s + k - size, 0)
            for size, k, s in zip(shape[2:], kernel, strides)
        ]
        first = [t // 2 if auto_pad == "SAME_UPPER" else t - t // 2 for t in total]
        return first[0], first[1], total[0] - first[0], total[1] - first[1]

    # ---------------------------------------------------------------------------------------
    # Real-valued per-channel ops

    def batchnorm(self, node, inputs):
        x = self.variable(node, inputs[0])
        gamma, beta, mean, var = (
            self.constant(node, t, what) for t, what in zip(inputs[1:5], ("scale", "bias", "mean", "var"))
        )
        channels = x.shape[1] if len(x.shape) > 1 else 0
        for name, p in (("scale", gamma), ("bias", beta), ("mean", mean), ("var", var)):
            if p.size != channels:
                raise self.graph.error(
                    node, f"{name} has {p.size} entries but the input has {channels} channels"
                )
            if not np.all(np.isfinite(p)):
                raise self.graph.error(node, f"{name} holds NaN or Inf")
        epsilon = float(attributes(node).get("epsilon", 1e-5))
        if np.any(var + epsilon <= 0):
            raise self.graph.error(node, "var + epsilon is not positive for some channel")
        value = self.materialise(x)
        op = bnn.BatchNormOp.build(
            operands=[value],
            result_types=[TensorType(f32, x.shape)],
            properties={
                "gamma": _dense(gamma.reshape(-1), f32),
                "beta": _dense(beta.reshape(-1), f32),
                "mean": _dense(mean.reshape(-1), f32),
                "var": _dense(var.reshape(-1), f32),
                "epsilon": FloatAttr(epsilon, f64),
                "axis": IntegerAttr(1, i64),
            },
        )
        return [Tensor(x.shape, value=self.emit(op))]

    def elementwise(self, node, inputs):
        a, b = inputs
        if (a is None or a.const is None) == (b is None or b.const is None):
            raise self.graph.error(
                node, "exactly one operand must be a constant; adding two computed tensors "
                "(e.g. a residual connection) is not supported",
            )
        const_first = a is not None and a.const is not None
        x, c = (b, a.const) if const_first else (a, b.const)  # type: ignore[union-attr]
        x = self.variable(node, x)
        axis, vector = self.channel_vector(node, x.shape, np.asarray(c, dtype=np.float64))
        op = node.op_type
        ones, zeros = np.ones_like(vector), np.zeros_like(vector)
        if op == "Add":
            scale, bias = ones, vector
        elif op == "Mul":
            scale, bias = vector, zeros
        elif op == "Sub":
            scale, bias = (-ones, vector) if const_first else (ones, -vector)
        else:  # Div
            if const_first:
                raise self.graph.error(node, "dividing a constant by a tensor is not supported")
            if np.any(vector == 0):
                raise self.graph.error(node, "division by zero")
            scale, bias = 1.0 / vector, zeros
        value = self.affine(self.materialise(x), scale, bias, axis)
        return [Tensor(x.shape, value=value)]

    def channel_vector(self, node, shape: tuple[int, ...], c: np.ndarray) -> tuple[int, np.ndarray]:
        """A broadcast constant as (axis, values): one value, or one per entry of one axis."""
        if c.ndim > len(shape):
            raise self.graph.error(node, f"constant of shape {list(c.shape)} widens the tensor")
        aligned = c.reshape((1,) * (len(shape) - c.ndim) + c.shape)
        for dim, size in zip(aligned.shape, shape):
            if dim not in (1, size):
                raise self.graph.error(
                    node, f"constant of shape {list(c.shape)} does not broadcast to {list(shape)}"
                )
        if not np.all(np.isfinite(aligned)):
            raise self.graph.error(node, "the constant holds NaN or Inf")
        varying = [i for i, dim in enumerate(aligned.shape) if dim > 1]
        flat = aligned.reshape(-1)
        if np.all(flat == flat[0]):
            return 1, flat[:1].copy()
        if len(varying) != 1 or varying[0] == 0:
            raise self.graph.error(
                node, f"constant of shape {list(c.shape)} varies along more than one channel axis"
            )
        return varying[0], flat.copy()

    # ---------------------------------------------------------------------------------------
    # Activations and quantizers

    def binarize(self, node, x: Tensor) -> SSAValue:
        """sign(x); a positive carried scale does not change signs, so it is dropped."""
        if bnn.is_bipolar(x.element_type):
            return x.value  # type: ignore[return-value]
        scale = np.asarray(x.scale)
        value = x.value if np.all(scale > 0) else self.materialise(x)
        return self.emit(bnn.SignOp(value, TensorType(bnn.bipolar, x.shape)))

    def sign(self, node, inputs):
        x = self.variable(node, inputs[0])
        return [Tensor(x.shape, value=self.binarize(node, x))]

    def bipolar_quant(self, node, inputs):
        x = self.variable(node, inputs[0])
        scale = self.constant(node, inputs[1], "scale").reshape(-1)
        if scale.size != 1 or scale[0] <= 0:
            raise self.graph.error(node, "the scale must be one positive number")
        return [Tensor(x.shape, value=self.binarize(node, x), scale=np.float64(scale[0]))]

    def quant(self, node, inputs):
        x = self.variable(node, inputs[0])
        scale, zero_point, bit_width = (
            self.constant(node, t, what).reshape(-1)
            for t, what in zip(inputs[1:4], ("scale", "zero point", "bit width"))
        )
        attrs = attributes(node)
        if scale.size != 1 or zero_point.size != 1 or bit_width.size != 1:
            raise self.graph.error(node, "per-channel activation quantizers are not supported")
        bits = int(bit_width[0])
        if bits != bit_width[0] or not 1 <= bits <= 16:
            raise self.graph.error(node, f"bit width {bit_width[0]} is not an integer in 1..16")
        if zero_point[0] != 0:
            raise self.graph.error(node, f"zero point {zero_point[0]} is not supported; only 0")
        if scale[0] <= 0:
            raise self.graph.error(node, "the scale must be positive")
        rounding = str(attrs.get("rounding_mode", "ROUND")).upper()
        if rounding not in ROUNDING_MODES:
            raise self.graph.error(node, f"rounding mode {rounding} is not supported")
        signed, narrow = bool(attrs.get("signed", 1)), bool(attrs.get("narrow", 0))
        lo, hi = quant_range(bits, signed, narrow)
        result = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
        return [self.quantize(x, float(scale[0]), lo, hi, result, ROUNDING_MODES[rounding])]

    def quantize(self, x: Tensor, scale: float, lo: int, hi: int, result: IntegerType, rounding: str) -> Tensor:
        op = bnn.QuantizeOp.build(
            operands=[self.materialise(x)],
            result_types=[TensorType(result, x.shape)],
            properties={
                "scale": FloatAttr(scale, f64),
                "zero_point": FloatAttr(0.0, f64),
                "lo": IntegerAttr(lo, i64),
                "hi": IntegerAttr(hi, i64),
                "rounding": StringAttr(rounding),
            },
        )
        return Tensor(x.shape, value=self.emit(op), scale=np.float64(scale))

    def round_clip(self, node, inputs):
        """Round followed by Clip (or Clip then Round) with integer bounds: an integer quantizer."""
        x = self.variable(node, inputs[0])
        users = self.graph.consumers.get(node.output[0], [])
        partner = self.graph.nodes[users[0]] if len(users) == 1 else None
        wanted = "Clip" if node.op_type == "Round" else "Round"
        if partner is None or partner.op_type != wanted or partner.domain not in ("", "ai.onnx"):
            raise self.graph.error(
                node,
                "Round and Clip are supported only as a pair (Round then Clip, or Clip then "
                "Round) with integer bounds: an input quantizer",
            )
        clip = partner if node.op_type == "Round" else node
        lo, hi = self.clip_bounds(clip)
        self.skip.add(users[0])
        signed = lo < 0
        bits = max(_unsigned_bits(max(abs(lo) - 1, hi)) + 1, 2) if signed else _unsigned_bits(hi)
        result = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
        tensor = self.quantize(x, 1.0, lo, hi, result, "round")
        self.tensors[partner.output[0]] = tensor
        return [tensor]

    def clip_bounds(self, clip: onnx.NodeProto) -> tuple[int, int]:
        attrs = attributes(clip)
        bounds = [attrs.get("min"), attrs.get("max")]
        for i in (1, 2):
            if len(clip.input) > i and clip.input[i]:
                const = self.graph.constants.get(clip.input[i])
                if const is None:
                    raise self.graph.error(clip, "the clip bounds must be constants")
                bounds[i - 1] = float(np.asarray(const).reshape(-1)[0])
        if any(b is None or not float(b).is_integer() for b in bounds):  # type: ignore[arg-type]
            raise self.graph.error(
                clip, f"clip bounds {bounds} must both be given and integral to form a quantizer"
            )
        lo, hi = int(bounds[0]), int(bounds[1])  # type: ignore[arg-type]
        if lo >= hi:
            raise self.graph.error(clip, f"empty clip range [{lo}, {hi}]")
        return lo, hi

    def multithreshold(self, node, inputs):
        x = self.variable(node, inputs[0])
        thresholds = self.constant(node, inputs[1], "thresholds").astype(np.float64)
        attrs = attributes(node)
        axis = len(x.shape) - 1 if attrs.get("data_layout") == "NHWC" else 1
        channels = x.shape[axis] if len(x.shape) > axis else 0
        if thresholds.ndim != 2 or thresholds.shape[0] not in (1, channels):
            raise self.graph.error(
                node, f"thresholds of shape {list(thresholds.shape)} do not fit {channels} channels"
            )
        thresholds = np.sort(thresholds, axis=1)
        value = self.materialise(x)
        if bnn.is_integer(bnn.element_type(value.type)):
            # x >= t holds for an integer x exactly when x >= ceil(t)
            thresholds_attr = _dense(np.ceil(thresholds).astype(np.int64), i64)
        else:
            thresholds_attr = _dense(thresholds, f64)
        steps = thresholds.shape[1]
        out_scale = float(attrs.get("out_scale", 1.0))
        out_bias = float(attrs.get("out_bias", 0.0))
        if attrs.get("out_dtype") == "BIPOLAR":
            if steps != 1:
                raise self.graph.error(node, "a BIPOLAR output needs one threshold per channel")
            if (out_scale, out_bias) != (2.0, -1.0):
                raise self.graph.error(
                    node, f"a BIPOLAR output with out_scale {out_scale} and out_bias {out_bias}; "
                    "expected 2 and -1 (the ±1 encoding)",
                )
            return [Tensor(x.shape, value=self.threshold(value, thresholds_attr, 0, bnn.bipolar, axis))]
        offset = out_bias / out_scale if out_scale else 0.5
        if float(offset).is_integer():
            offset = int(offset)
            signed = offset < 0
            bits = (
                max(_unsigned_bits(max(-offset - 1, offset + steps)) + 1, 2)
                if signed
                else _unsigned_bits(offset + steps)
            )
            result = IntegerType(bits, Signedness.SIGNED if signed else Signedness.UNSIGNED)
            out = self.threshold(value, thresholds_attr, offset, result, axis)
            return [Tensor(x.shape, value=out, scale=np.float64(out_scale))]
        result = IntegerType(_unsigned_bits(steps), Signedness.UNSIGNED)
        counts = self.threshold(value, thresholds_attr, 0, result, axis)
        return [Tensor(x.shape, value=self.affine(counts, np.array([out_scale]), np.array([out_bias])))]

    def threshold(self, value, thresholds, offset: int, result: Attribute, axis: int) -> SSAValue:
        return self.emit(
            bnn.ThresholdOp.build(
                operands=[value],
                result_types=[TensorType(result, bnn.shape_of(value.type))],
                properties={
                    "thresholds": thresholds,
                    "offset": IntegerAttr(offset, i64),
                    "axis": IntegerAttr(axis, i64),
                },
            )
        )

    # ---------------------------------------------------------------------------------------
    # Pooling and label select

    def maxpool(self, node, inputs):
        x = self.variable(node, inputs[0])
        attrs = attributes(node)
        if len(x.shape) != 4:
            raise self.graph.error(node, f"expected an NCHW input, got shape {list(x.shape)}")
        if any(int(p) for p in attrs.get("pads", [0]*4)) or attrs.get("auto_pad", "NOTSET") not in ("NOTSET", "VALID"):  # type: ignore[union-attr]
            raise self.graph.error(node, "padded max-pooling is not supported")
        if int(attrs.get("ceil_mode", 0)) or any(int(d) != 1 for d in attrs.get("dilations", [1, 1])):  # type: ignore[union-attr]
            raise self.graph.error(node, "ceil_mode and dilations are not supported")
        kh, kw = (int(k) for k in attrs["kernel_shape"])  # type: ignore[union-attr]
        sh, sw = (int(s) for s in attrs.get("strides", [1, 1]))  # type: ignore[union-attr]
        if kh > x.shape[2] or kw > x.shape[3]:
            raise self.graph.error(node, f"a {kh}x{kw} window does not fit {list(x.shape)}")
        shape = (x.shape[0], x.shape[1], (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1)
        scale = np.asarray(x.scale)
        value = x.value if np.all(scale > 0) else self.materialise(x)
        op = bnn.MaxPoolOp.build(
            operands=[value],
            result_types=[TensorType(bnn.element_type(value.type), shape)],
            properties={"kernel": _array((kh, kw)), "strides": _array((sh, sw))},
        )
        kept = x.scale if np.all(scale > 0) else np.float64(1.0)
        return [Tensor(shape, value=self.emit(op), scale=kept)]

    def scores(self, node, x: Tensor, axis: int) -> SSAValue:
        if axis % len(x.shape) != len(x.shape) - 1:
            raise self.graph.error(node, "label select is supported on the last axis only")
        scale = np.asarray(x.scale)
        # Ordering is unchanged by one positive factor, so the scale can stay behind.
        return x.value if scale.size == 1 and scale > 0 else self.materialise(x)  # type: ignore[return-value]

    def label_select(self, node, x: Tensor, k: int, axis: int) -> SSAValue:
        value = self.scores(node, x, axis)
        if not 1 <= k <= x.shape[-1]:
            raise self.graph.error(node, f"k = {k} must be between 1 and {x.shape[-1]}")
        if bnn.is_bipolar(bnn.element_type(value.type)):
            raise self.graph.error(node, "label select on bipolar scores is not supported")
        return self.emit(
            bnn.TopKOp.build(
                operands=[value],
                result_types=[TensorType(i64, x.shape[:-1] + (k,))],
                properties={"k": IntegerAttr(k, i64)},
            )
        )

    def topk(self, node, inputs):
        x = self.variable(node, inputs[0])
        attrs = attributes(node)
        if not int(attrs.get("largest", 1)):
            raise self.graph.error(node, "largest = 0 (the k smallest) is not supported")
        k = int(attrs["k"]) if "k" in attrs else int(self.constant(node, inputs[1], "k").reshape(-1)[0])  # type: ignore[arg-type]
        values_used = node.output[0] in self.graph.consumers or any(
            o.name == node.output[0] for o in self.graph.outputs
        )
        if values_used:
            raise self.graph.error(node, "only the indices output of TopK may be used")
        indices = self.label_select(node, x, k, int(attrs.get("axis", -1)))  # type: ignore[arg-type]
        return [Tensor((), const=np.zeros(0)), Tensor(x.shape[:-1] + (k,), value=indices)]

    def argmax(self, node, inputs):
        x = self.variable(node, inputs[0])
        attrs = attributes(node)
        if int(attrs.get("select_last_index", 0)):
            raise self.graph.error(node, "select_last_index = 1 is not supported")
        indices = Tensor(x.shape[:-1] + (1,), value=self.label_select(node, x, 1, int(attrs.get("axis", 0))))  # type: ignore[arg-type]
        if int(attrs.get("keepdims", 1)):
            return [indices]
        return [self.reshaped(node, indices, x.shape[:-1])]
