"""Importing the output activations: Softmax, LogSoftmax and Sigmoid.

They turn scores into probabilities and run on the host behind the accelerator (`bnn.softmax`,
`bnn.log_softmax`, `bnn.sigmoid`, real-valued, placed on the host by `partition-host`), so they
are accepted only at a graph output. In front of a label select (TopK, ArgMax) they are dropped:
each is increasing in every score (softmax along its row), so the labels are the same without
it, and the label select keeps the accelerator's integer scores.
"""

from __future__ import annotations

from xdsl.dialects.builtin import TensorType, f32

from bnnc.dialects import bnn
from bnnc.frontend.import_common import ImporterBase, Tensor
from bnnc.frontend.onnx_graph import attributes

OUTPUT_OPS = {"Softmax": bnn.SoftmaxOp, "LogSoftmax": bnn.LogSoftmaxOp, "Sigmoid": bnn.SigmoidOp}
LABEL_SELECTS = ("TopK", "ArgMax")


class OutputHandlers(ImporterBase):
    """Handlers for Softmax, LogSoftmax and Sigmoid."""

    def output_activation(self, node, inputs):
        x = self.variable(node, inputs[0])
        if node.op_type != "Sigmoid":
            # opset 13 defaults to the last axis; before it, to axis 1 of a coerced 2-d tensor
            default = -1 if self.graph.opset >= 13 else 1
            axis = int(attributes(node).get("axis", default))  # type: ignore[call-overload]
            if axis % len(x.shape) != len(x.shape) - 1:
                raise self.graph.error(node, f"axis {axis} is not the last axis of {list(x.shape)}")
        problem = self.output_problem(node)
        if problem:
            raise self.graph.error(node, problem)
        if node.output[0] in self.graph.consumers:  # only label selects read it
            return [x]  # increasing: the label select gives the same labels without it
        op = OUTPUT_OPS[node.op_type](self.materialise(x), TensorType(f32, x.shape))
        return [Tensor(x.shape, value=self.emit(op))]

    def output_problem(self, node) -> str | None:
        """Why this output activation cannot be imported (it is not at the output nor in front
        of a label select), or None."""
        users = [self.graph.nodes[i] for i in self.graph.consumers.get(node.output[0], [])]
        is_output = any(o.name == node.output[0] for o in self.graph.outputs)
        if not users or (not is_output and all(
            u.op_type in LABEL_SELECTS and u.domain in ("", "ai.onnx") for u in users
        )):
            return None
        return (
            f"{node.op_type} is supported only at the graph output (it runs on the host) or in "
            "front of a label select (TopK, ArgMax), where it is dropped; here it feeds "
            + ", ".join(f"'{self.graph.label(u)}' ({u.op_type})" for u in users)
        )
