"""Importing the layers: MatMul, Gemm and Conv, and the Pad a Conv may take.

A layer's weights are recognised after folding (`weights.classify`: bipolar or n-bit codes and a
scale per output channel) and packed into the `bnn.dense` or `bnn.conv2d` op; the weight scale
times the input's scale is carried on the `i32` accumulator. A `Pad` is recorded on its tensor
and taken by the Conv that reads it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import onnx
from xdsl.dialects.builtin import IntegerAttr, TensorType, i32, i64
from xdsl.ir import Operation

from bnnc.dialects import bnn
from bnnc.frontend.import_common import ImporterBase, Tensor, _array
from bnnc.frontend.onnx_graph import attributes
from bnnc.frontend.weights import LayerWeights, NotBinaryRepresentable, classify
from bnnc.semantics.packing import pack_rows

LAYER_OPS = {"MatMul": 1, "Gemm": 1, "Conv": 1}  # op type -> index of the weight input


def weight_matrix(node: onnx.NodeProto, weights: np.ndarray) -> np.ndarray:
    """A layer's weights as the (out_channels, reduction) matrix of `bnn.dense`/`bnn.conv2d`."""
    if node.op_type == "Conv":
        m, c, kh, kw = weights.shape
        return weights.transpose(0, 2, 3, 1).reshape(m, kh * kw * c)  # reduction in (ky, kx, c)
    if node.op_type == "Gemm" and attributes(node).get("transB", 0):
        return weights
    return weights.T


class LayerHandlers(ImporterBase):
    """Handlers for MatMul, Gemm, Conv and Pad, and the weight classification they share."""

    def layer_weights(self, node: onnx.NodeProto, matrix: np.ndarray) -> LayerWeights:
        try:
            return classify(matrix, self.quantizer_scale(node))
        except NotBinaryRepresentable as exc:
            raise self.graph.error(node, str(exc)) from None

    def quantizer_scale(self, node: onnx.NodeProto) -> float | np.ndarray | None:
        """The scale of a Quant node that produced this layer's weights, if any: one number, or
        one per output channel (Brevitas' per-channel weight quantizers)."""
        weight_name = node.input[LAYER_OPS[node.op_type]]
        for producer in self.graph.nodes:
            if weight_name in producer.output and producer.op_type in ("Transpose", "Identity"):
                weight_name = producer.input[0]
        for producer in self.graph.nodes:
            if weight_name in producer.output and producer.op_type == "Quant":
                scale = self.graph.constants.get(producer.input[1])
                if scale is not None and np.asarray(scale).size == 1:
                    return float(np.asarray(scale).reshape(-1)[0])
                if scale is not None and node.op_type == "Conv" and np.asarray(scale).ndim == 4:
                    return np.asarray(scale, dtype=np.float64).reshape(-1)  # (M, 1, 1, 1)
        return None

    def layer_input(self, node: onnx.NodeProto, tensor: Tensor | None) -> tuple[Tensor, float]:
        tensor = self.variable(node, tensor)
        if np.asarray(tensor.zero_point).size > 1:
            raise self.graph.error(node, "the input carries a per-channel zero point here")
        element = tensor.element_type
        if not (bnn.is_bipolar(element) or bnn.is_integer(element)):
            raise self.graph.error(
                node,
                f"the layer input is real-valued ({element}); a binary layer needs bipolar or "
                "quantized integer inputs (add a Sign, BipolarQuant, Quant or MultiThreshold "
                "before it)",
            )
        return tensor, self.scalar_scale(node, tensor)

    def accumulator(self, op: Operation, weights: LayerWeights, in_scale: float,
                    in_zero_point: float = 0.0) -> Tensor:
        """The layer's accumulator with the scale of its real value. Inputs with a zero point z
        are codes q of s·(q − z), so the real sum is s·s_w·(acc − z·Σ_k W[m, k]): an affine
        with that bias per output channel, materialised here."""
        value = self.emit(op)
        scale = weights.scale * in_scale
        if np.all(scale == scale[0]):
            scale = np.float64(scale[0])
        shape = bnn.shape_of(value.type)
        if in_zero_point == 0:
            return Tensor(shape, value=value, scale=scale)
        row_sums = weights.codes.sum(axis=1).astype(np.float64)
        scales = np.broadcast_to(np.asarray(scale, dtype=np.float64), row_sums.shape)
        return Tensor(shape, value=self.affine(value, scales.copy(), -in_zero_point * scales * row_sums))

    def matmul(self, node, inputs):
        x, in_scale = self.layer_input(node, inputs[0])
        w = self.constant(node, inputs[1], "weight matrix")
        if len(x.shape) != 2 or w.ndim != 2 or w.shape[0] != x.shape[1]:
            raise self.graph.error(
                node, f"shapes {list(x.shape)} x {list(w.shape)} do not give a (1, K) x (K, M) product"
            )
        return [self.dense(x, self.layer_weights(node, weight_matrix(node, w)), in_scale)]

    def dense(self, x: Tensor, weights: LayerWeights, in_scale: float) -> Tensor:
        """The dense layer on x's codes; x's zero point goes to the accumulator's bias."""
        rows = weights.codes.shape[0]
        codes = (weights.codes > 0).astype(np.int64) if weights.bits == 1 else weights.codes
        op = bnn.DenseOp.build(
            operands=[x.value],
            result_types=[TensorType(i32, (x.shape[0], rows))],
            properties={"weights": pack_rows(codes, weights.bits), "weight_type": weights.weight_type},
        )
        return self.accumulator(op, weights, in_scale, float(x.zero_point))

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
        code = float(value) / float(scale[0]) + float(np.asarray(data.zero_point).reshape(-1)[0])
        if np.asarray(data.zero_point).size != 1 or not code.is_integer():
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
        if len(x.shape) == 4 and w.ndim == 4 and w.shape[1] != x.shape[1]:
            raise self.graph.error(
                node, f"the weights {list(w.shape)} read {w.shape[1]} input channels, but the "
                f"input {list(x.shape)} has {x.shape[1]}",
            )
        if len(x.shape) != 4 or w.ndim != 4:
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
        if any(pads) and bnn.is_integer(x.element_type):
            lo, hi = bnn.integer_range(x.element_type)
            if not lo <= pad_value <= hi:
                raise self.graph.error(
                    node, f"pads its {x.element_type} input with code {pad_value} (the padding "
                    f"value over the input's scale), outside the input's range [{lo}, {hi}]; pad "
                    "with a value the input's quantizer can output",
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
        acc = self.accumulator(op, weights, in_scale, float(x.zero_point))
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
