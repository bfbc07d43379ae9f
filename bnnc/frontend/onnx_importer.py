"""ONNX (plain, QONNX, FINN-ONNX) to the `bnn` dialect.

The importer translates node by node and keeps the ONNX layout (NCHW, channel axis 1); the
`bnn` passes do the streamlining. Two things happen on the way, because they are about reading the
file rather than about rewriting the network:

- Constants are folded (shape subgraphs, quantizers on weights; see `onnx_graph`).
- Quantization scales are carried, not materialised: a BipolarQuant with scale s or a Quant with
  scale s produces integer codes whose real value is s·code, and a layer's weights leave their
  scale on the accumulator. The scale becomes a `bnn.affine` only where a real value is needed
  (batch norm, an affine, the graph output), so binary layers see ±1 and integer codes.

The handlers, one method per ONNX op, are grouped by concern into mixins: `import_shapes`
(reshapes and transposes), `import_layers` (MatMul, Gemm, Conv, Pad), `import_activations`
(real-valued per-channel ops, activations, Relu and quantizers), `import_select` (max pooling
and label select), `import_outputs` (Softmax, LogSoftmax, Sigmoid on the host) and
`import_residual` (the join Add, Concat, average pooling, QONNX's Trunc), over the state and helpers of `import_common`. This module is the driver: it folds
constants, checks that every node is supported, and translates the graph node by node.

Semantics that differ from ONNX, by design: `Sign(0)` is +1 (the bipolar convention, as Brevitas'
BipolarQuant), where ONNX gives 0. Exact zeros do not occur on the shared models' inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
from xdsl.dialects import func
from xdsl.dialects.builtin import IntegerType, ModuleOp, Signedness, TensorType, f32
from xdsl.ir import Attribute, Block, Region

from bnnc.errors import BnncError
from bnnc.frontend.import_activations import ActivationHandlers
from bnnc.frontend.import_common import Tensor
from bnnc.frontend.import_layers import LAYER_OPS, LayerHandlers, weight_matrix
from bnnc.frontend.import_outputs import OUTPUT_OPS, OutputHandlers
from bnnc.frontend.import_residual import ResidualHandlers
from bnnc.frontend.import_select import SelectHandlers
from bnnc.frontend.import_shapes import ShapeHandlers
from bnnc.frontend.onnx_graph import (
    QONNX_DOMAINS,
    OnnxGraph,
    attributes,
    build_graph,
    evaluate_node,
    load_model,
    parse_model,
    node_domain,
)

ONNX_ELEMENT_TYPES: dict[int, Attribute] = {
    onnx.TensorProto.FLOAT: f32,
    onnx.TensorProto.UINT8: IntegerType(8, Signedness.UNSIGNED),
    onnx.TensorProto.INT8: IntegerType(8, Signedness.SIGNED),
}
# op type -> (fewest, most) inputs, for the ops whose handlers index their inputs
ARITY = {
    "Reshape": (2, 2), "MatMul": (2, 2), "Gemm": (2, 3), "Conv": (2, 3), "Pad": (1, 4),
    "BatchNormalization": (5, 5), "Add": (2, 2), "Sub": (2, 2), "Mul": (2, 2), "Div": (2, 2),
    "BipolarQuant": (2, 2), "Quant": (4, 4), "MultiThreshold": (2, 2), "TopK": (1, 2),
    "Trunc": (5, 6),
}
REQUIRED_ATTRIBUTES = {"MaxPool": ("kernel_shape",)}


def import_onnx(path: str | Path) -> ModuleOp:
    """Read an ONNX file and return a verified module holding `func.func @main` in `bnn` ops."""
    return OnnxImporter(build_graph(load_model(path), str(path))).run()


def import_model_bytes(data: bytes, name: str) -> ModuleOp:
    """The same as `import_onnx` for a model already read into memory (`name` is for messages)."""
    return OnnxImporter(build_graph(parse_model(data, name), name)).run()


class OnnxImporter(ShapeHandlers, LayerHandlers, ActivationHandlers, SelectHandlers, OutputHandlers,
                   ResidualHandlers):
    """Translates one `OnnxGraph` into a module (`run`), dispatching on each node's op type."""

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
            "Add": self.add,
            "Sub": self.elementwise,
            "Mul": self.elementwise,
            "Div": self.elementwise,
            "Sign": self.sign,
            "Relu": self.relu,
            "Softmax": self.output_activation,
            "LogSoftmax": self.output_activation,
            "Sigmoid": self.output_activation,
            "MaxPool": self.maxpool,
            "TopK": self.topk,
            "ArgMax": self.argmax,
            "Round": self.round_clip,
            "Clip": self.round_clip,
            "Concat": self.concat,
            "AveragePool": self.average_pool,
            "GlobalAveragePool": self.average_pool,
            "Shape": self.identity,  # folded in `run`; listed so it counts as supported
        }
        self.custom_handlers = {
            "BipolarQuant": self.bipolar_quant,
            "Quant": self.quant,
            "MultiThreshold": self.multithreshold,
            "Trunc": self.trunc,
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
            where = self.placement_problem(node) if known else None
            if not known or where:
                unsupported.append(
                    f"'{self.graph.label(node)}' ({node.op_type}, domain {node_domain(node)})"
                    + (f" where it is not supported: {where}" if where else "")
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

    def placement_problem(self, node: onnx.NodeProto) -> str | None:
        """Why a node of a known op type cannot be imported where it sits (a Relu that feeds no
        quantizer, an output activation inside the network), or None."""
        if node.domain not in ("", "ai.onnx"):
            return None
        if node.op_type == "Relu":
            return self.relu_problem(node)
        if node.op_type in OUTPUT_OPS:
            return self.output_problem(node)
        return None

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
