"""onnxruntime sessions that run a graph exactly as written, and constant folding with them.

onnxruntime's graph optimizations stay off, even the basic level: it fuses BatchNormalization
into the preceding MatMul or Conv, which changes rounding, and in a binarized network a value
that moves across zero flips an activation. Nodes that do not depend on the input (the weight
quantizers) are instead evaluated once, by onnxruntime, and replaced by their values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import onnx
from onnx import helper, numpy_helper

from bnnc.errors import BnncError

if TYPE_CHECKING:
    import onnxruntime


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
