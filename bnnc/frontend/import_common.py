"""What every ONNX import handler shares: the `Tensor` being imported, the importer's state and
its IR helpers.

A `Tensor` is either an SSA value or a folded constant, together with the real scale its codes
carry (see `onnx_importer` on carried scales). `ImporterBase` is the state of one import (the
graph, the tensors translated so far, the block being built) and the helpers the handler groups
use to check their inputs, emit ops, reshape, and turn a carried scale into a real value.
`OnnxImporter` combines it with the handler mixins.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import onnx
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseArrayBase,
    DenseIntOrFPElementsAttr,
    IntegerAttr,
    TensorType,
    f32,
    f64,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue

from bnnc.dialects import bnn
from bnnc.frontend.onnx_graph import OnnxGraph


@dataclass(frozen=True)
class Tensor:
    """An ONNX tensor during import: an SSA value or a constant, and the real scale of its codes."""

    shape: tuple[int, ...]
    value: SSAValue | None = None
    const: np.ndarray | None = None
    scale: np.ndarray = np.float64(1.0)  # scalar, or one factor per channel (axis 1)
    pad: tuple[tuple[int, ...], int] | None = None  # a pending ±1 Pad that only a Conv can take
    # the code of real zero: the real value is scale·(code − zero_point); scalar or per channel
    zero_point: np.ndarray = np.float64(0.0)
    relu: bool = False  # a pending Relu that only the quantizer after it can take

    @property
    def element_type(self) -> Attribute:
        assert self.value is not None
        return bnn.element_type(self.value.type)


def _dense(values: np.ndarray, element: Attribute) -> DenseIntOrFPElementsAttr:
    dtype = np.float64 if element == f64 else np.float32 if element == f32 else np.int64
    array = np.ascontiguousarray(values, dtype=dtype)
    return DenseIntOrFPElementsAttr(TensorType(element, array.shape), BytesAttr(array.tobytes()))


def _array(values) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


class ImporterBase:
    """The state of one import and the helpers shared by the handler mixins."""

    graph: OnnxGraph
    tensors: dict[str, Tensor]
    block: Block | None
    skip: set[int]  # nodes already translated together with a neighbour

    def emit(self, op: Operation) -> SSAValue:
        assert self.block is not None
        self.block.add_op(op)
        return op.results[0]

    def materialise(self, tensor: Tensor) -> SSAValue:
        """The tensor's real value, scale·(code − zero_point), as an affine when needed."""
        assert tensor.value is not None
        scale = np.asarray(tensor.scale, dtype=np.float64).reshape(-1)
        zero_point = np.asarray(tensor.zero_point, dtype=np.float64).reshape(-1)
        if np.all(scale == 1.0) and np.all(zero_point == 0):
            return tensor.value
        if np.all(zero_point == 0):
            return self.affine(tensor.value, scale, np.zeros(1))
        if scale.size == 1 and zero_point.size > 1:
            scale = np.full(zero_point.size, scale[0])
        return self.affine(tensor.value, scale, -zero_point * scale + 0.0)  # no −0

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

    # Shared by the shape handlers and by ArgMax (keepdims = 0).
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
        if np.asarray(tensor.scale).size > 1 or np.asarray(tensor.zero_point).size > 1:
            tensor = Tensor(tensor.shape, value=self.materialise(tensor))
        value = self.emit(
            bnn.ReshapeOp(tensor.value, TensorType(tensor.element_type, shape))
        )
        return replace(tensor, shape=shape, value=value)
