"""Importing the ONNX ops that only reshape or reorder a tensor.

Identity (and Dropout, an identity at inference), Reshape, Flatten, Squeeze, Unsqueeze and
Transpose. The batch dimension must stay first; a per-channel carried scale is materialised
before its channels move.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from xdsl.dialects.builtin import TensorType

from bnnc.dialects import bnn
from bnnc.frontend.import_common import ImporterBase, Tensor, _array
from bnnc.frontend.onnx_graph import attributes


class ShapeHandlers(ImporterBase):
    """Handlers for Identity, Dropout, Reshape, Flatten, Squeeze, Unsqueeze and Transpose."""

    def identity(self, node, inputs):
        return [inputs[0]]

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
