"""Importing max pooling and label select (TopK, ArgMax).

Both keep a carried scale that is one positive factor, since it changes neither the maximum's
position nor the ordering of scores; any other scale is materialised first.
"""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import IntegerAttr, TensorType, i64
from xdsl.ir import SSAValue

from bnnc.dialects import bnn
from bnnc.frontend.import_common import ImporterBase, Tensor, _array
from bnnc.frontend.onnx_graph import attributes


class SelectHandlers(ImporterBase):
    """Handlers for MaxPool, TopK and ArgMax."""

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
