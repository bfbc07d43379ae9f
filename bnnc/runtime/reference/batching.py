"""Can the model run a whole batch at once? A static proof, and the batched copy of the model.

Models are exported with a fixed batch dimension of 1, and some hard-code it (`Reshape` to
`[1, -1]`), so by default a batch is run one image per call through one reused session. When a
static analysis proves that every node treats axis 0 as an independent batch axis (see
`prove_batchable`), the session is instead built on a copy whose batch dimension is symbolic
(`batchable_model`), and images run in chunks. `ReferenceSession` also checks the batched model
against image-by-image runs on a few random inputs when the session is built, and abandons it if
they disagree in a single bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import helper, numpy_helper

from bnnc.runtime.reference.custom_ops import STANDARD_DOMAINS
from bnnc.runtime.reference.runtime import has_subgraph, make_session

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
