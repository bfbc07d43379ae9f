"""Reading an ONNX file into a checked, topologically ordered graph with its constants folded.

Everything that can go wrong with the file itself (missing, truncated, not ONNX, cycles, inputs
that nothing produces) is found here and reported as a `BnncError` naming the file and the node,
before the importer translates a single op.

Constant folding covers the arithmetic exporters put around weights and shapes (Shape → Gather →
Unsqueeze → Concat → Reshape, BipolarQuant or Quant on weight initializers, Transpose of
weights, Pow of constants, ...). Standard ops are evaluated by onnx's own reference evaluator at
the model's opset; the quantizer custom ops by `fold_quantizer`.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import helper, numpy_helper

from bnnc.errors import BnncError
from bnnc.semantics.arithmetic import ROUNDING

QONNX_DOMAINS = ("onnx.brevitas", "qonnx.custom_op.general", "finn.custom_op.general", "finn")


def node_label(node: onnx.NodeProto, index: int) -> str:
    """How a node is named in messages: its name, or its op type and position when unnamed."""
    return node.name or f"{node.op_type}#{index}"


def node_domain(node: onnx.NodeProto) -> str:
    return node.domain or "ai.onnx"


def attributes(node: onnx.NodeProto) -> dict[str, object]:
    values = {}
    for attr in node.attribute:
        value = helper.get_attribute_value(attr)
        values[attr.name] = value.decode() if isinstance(value, bytes) else value
    return values


@dataclass
class OnnxGraph:
    """An ONNX graph ready for import: nodes in topological order and known constants."""

    path: str
    model: onnx.ModelProto
    nodes: list[onnx.NodeProto]
    labels: dict[int, str]
    inputs: list[onnx.ValueInfoProto]
    outputs: list[onnx.ValueInfoProto]
    constants: dict[str, np.ndarray] = field(default_factory=dict)
    opset: int = 13
    consumers: dict[str, list[int]] = field(default_factory=dict)

    def error(self, node: onnx.NodeProto, message: str) -> BnncError:
        index = self.nodes.index(node)
        return BnncError(
            f"{self.path}: node '{self.labels[index]}' ({node.op_type}): {message}"
        )

    def label(self, node: onnx.NodeProto) -> str:
        return self.labels[self.nodes.index(node)]


def load_model(path: str | Path) -> onnx.ModelProto:
    path = Path(path)
    if not path.exists():
        raise BnncError(f"{path}: no such file")
    if path.is_dir():
        raise BnncError(f"{path}: is a directory, expected an .onnx file")
    return parse_model(path.read_bytes(), str(path))


def parse_model(data: bytes, path: str) -> onnx.ModelProto:
    if not data:
        raise BnncError(f"{path}: the file is empty, expected an ONNX model")
    try:
        model = onnx.load_from_string(data)
    except (DecodeError, RuntimeError, ValueError) as exc:
        raise BnncError(
            f"{path}: not a readable ONNX model (truncated or not protobuf): {exc}"
        ) from None
    if not model.HasField("graph") or not model.graph.node:
        raise BnncError(f"{path}: not an ONNX model, or a model whose graph has no nodes")
    return model


def topological_order(successors: dict[int, set[int]]) -> list[int]:
    """Kahn's algorithm taking the lowest ready index first, so the order is the file's wherever
    the dependencies allow; nodes on a cycle are left out."""
    indegree = dict.fromkeys(successors, 0)
    for js in successors.values():
        for j in js:
            indegree[j] += 1
    ready = [i for i, d in indegree.items() if d == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        i = heapq.heappop(ready)
        order.append(i)
        for j in successors[i]:
            indegree[j] -= 1
            if indegree[j] == 0:
                heapq.heappush(ready, j)
    return order


def build_graph(model: onnx.ModelProto, path: str) -> OnnxGraph:
    """Order the nodes topologically and check that every input has a producer."""
    g = model.graph
    initializers = {init.name for init in g.initializer}
    real_inputs = [i for i in g.input if i.name not in initializers]
    if len(real_inputs) != 1:
        names = [i.name for i in real_inputs]
        raise BnncError(f"{path}: expected one graph input (the image batch), found {names}")
    if not g.output:
        raise BnncError(f"{path}: the graph has no outputs")

    labels = {i: node_label(n, i) for i, n in enumerate(g.node)}
    producer: dict[str, int] = {}
    successors: dict[int, set[int]] = {i: set() for i in range(len(g.node))}
    for i, node in enumerate(g.node):
        for out in node.output:
            if out in producer:
                raise BnncError(
                    f"{path}: tensor '{out}' is produced twice, by '{labels[producer[out]]}' "
                    f"and '{labels[i]}'"
                )
            producer[out] = i
    available = initializers | {real_inputs[0].name}
    consumers: dict[str, list[int]] = {}
    for i, node in enumerate(g.node):
        for name in node.input:
            if not name:
                continue  # an omitted optional input
            consumers.setdefault(name, []).append(i)
            if name in producer:
                successors[producer[name]].add(i)
            elif name not in available:
                raise BnncError(
                    f"{path}: node '{labels[i]}' ({node.op_type}) reads '{name}', which is "
                    "neither a graph input, an initializer nor the output of a node "
                    "(missing initializer?)"
                )
    for out in g.output:
        if out.name not in producer and out.name not in available:
            raise BnncError(f"{path}: graph output '{out.name}' is produced by no node")
    order = topological_order(successors)
    if len(order) < len(g.node):
        import networkx as nx  # only to name the cycle; its import costs ~0.3 s of every compile

        cycle = [labels[i] for i, _ in nx.find_cycle(nx.DiGraph(
            [(i, j) for i, js in successors.items() for j in js]))]
        raise BnncError(f"{path}: the graph has a cycle through {cycle}")

    default_opset = next(
        (o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13
    )
    nodes = [g.node[i] for i in order]
    ordered_labels = {k: labels[i] for k, i in enumerate(order)}
    position = {i: k for k, i in enumerate(order)}
    graph = OnnxGraph(
        path=path,
        model=model,
        nodes=nodes,
        labels=ordered_labels,
        inputs=real_inputs,
        outputs=list(g.output),
        opset=default_opset,
        consumers={name: sorted(position[i] for i in users) for name, users in consumers.items()},
    )
    for init in g.initializer:
        try:
            graph.constants[init.name] = numpy_helper.to_array(init)
        except Exception as exc:  # noqa: BLE001 - onnx raises many kinds on broken tensors
            raise BnncError(f"{path}: initializer '{init.name}' cannot be read: {exc}") from None
    return graph


def fold_quantizer(node: onnx.NodeProto, inputs: list[np.ndarray]) -> np.ndarray:
    """QONNX BipolarQuant and Quant on constants (the weights' quantizers)."""
    attrs = attributes(node)
    if node.op_type == "BipolarQuant":
        x, scale = inputs
        return np.where(x >= 0, 1.0, -1.0).astype(np.float32) * scale
    x, scale, zero_point, bit_width = inputs
    bits = float(np.asarray(bit_width).reshape(-1)[0])
    if not bits.is_integer() or not 1 <= bits <= 32:
        raise BnncError(f"node '{node.name}' (Quant): bit width {bits} is not an integer in 1..32")
    lo, hi = quant_range(int(bits), bool(attrs.get("signed", 1)), bool(attrs.get("narrow", 0)))
    rounding = str(attrs.get("rounding_mode", "ROUND")).upper()
    if rounding not in ROUNDING_MODES:
        raise BnncError(f"node '{node.name}' (Quant): rounding mode {rounding} is not supported")
    if bits == 1 and bool(attrs.get("signed", 1)):  # bipolar, as qonnx executes it
        q = np.where(x / scale + zero_point >= 0, 1.0, -1.0)
        return ((q - zero_point) * scale).astype(np.float32)
    q = ROUNDING[ROUNDING_MODES[rounding]](x / scale + zero_point)
    return ((np.clip(q, lo, hi) - zero_point) * scale).astype(np.float32)


def quant_range(bits: int, signed: bool, narrow: bool) -> tuple[int, int]:
    if signed:
        return -(1 << (bits - 1)) + int(narrow), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1 - int(narrow)


# QONNX rounding modes and the names bnn.quantize gives them (their numpy functions: ROUNDING)
ROUNDING_MODES = {"ROUND": "round", "FLOOR": "floor", "CEIL": "ceil", "ROUND_TO_ZERO": "round_to_zero"}


def _unsqueeze(node: onnx.NodeProto, inputs: list[np.ndarray]) -> np.ndarray:
    axes = inputs[1] if len(inputs) > 1 else attributes(node)["axes"]  # an input from opset 13
    x = inputs[0]
    rank = x.ndim + len(axes)
    for axis in sorted(int(a) % rank for a in axes):
        x = np.expand_dims(x, axis)
    return x


# The shape arithmetic and weight transposes that exporters leave for constant folding, in numpy:
# the ONNX reference evaluator would do them as well, but importing it costs ~0.4 s of every
# compile. Anything else still goes to the evaluator.
_NUMPY_FOLDS = {
    "Transpose": lambda node, x: np.transpose(x[0], attributes(node).get("perm")),
    "Pow": lambda node, x: np.power(x[0], x[1]).astype(x[0].dtype),
    "Concat": lambda node, x: np.concatenate(x, axis=int(attributes(node)["axis"])),  # type: ignore[call-overload]
    "Gather": lambda node, x: np.take(x[0], x[1], axis=int(attributes(node).get("axis", 0))),  # type: ignore[call-overload]
    "Unsqueeze": _unsqueeze,
}


def evaluate_node(graph: OnnxGraph, node: onnx.NodeProto, inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Evaluate a node whose inputs are all known, at the model's opset."""
    if node.op_type in ("BipolarQuant", "Quant") and node.domain in QONNX_DOMAINS:
        return [fold_quantizer(node, inputs)]
    if node.domain in ("", "ai.onnx") and node.op_type in _NUMPY_FOLDS and all(node.input):
        try:
            return [np.asarray(_NUMPY_FOLDS[node.op_type](node, inputs))]
        except Exception as exc:  # noqa: BLE001 - numpy raises many kinds on bad attributes
            raise graph.error(node, f"cannot evaluate this node on its constant inputs: {exc}") from None
    names = [f"in{i}" for i in range(len(node.input))]
    single = helper.make_node(
        node.op_type,
        [n if orig else "" for n, orig in zip(names, node.input)],
        [f"out{i}" for i in range(len(node.output))],
        domain=node.domain,
    )
    single.attribute.extend(node.attribute)
    feeds = {n: v for n, v, orig in zip(names, inputs, node.input) if orig}
    model = helper.make_model(
        helper.make_graph(
            [single],
            "fold",
            [helper.make_tensor_value_info(n, 0, None) for n in feeds],
            [helper.make_tensor_value_info(o, 0, None) for o in single.output],
        ),
        opset_imports=[helper.make_opsetid("", graph.opset)],
    )
    from onnx.reference import ReferenceEvaluator  # imported when a model needs it: ~0.4 s

    try:
        return list(ReferenceEvaluator(model).run(None, feeds))
    except Exception as exc:  # noqa: BLE001 - the evaluator raises anything on bad attributes
        raise graph.error(node, f"cannot evaluate this node on its constant inputs: {exc}") from None
