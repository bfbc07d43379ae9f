"""The host's ops around `hls.invoke`, as the data the board driver runs (`runtime/host.py`).

`partition-host` leaves real-valued work on the host: the input quantizer before the
accelerator, the scores' affine map and a label select after it. The driver on the board has
no xDSL, so each of these `bnn` ops becomes a step: its name and its parameters as plain
JSON values (floats round-trip exactly through JSON).
"""

from __future__ import annotations

from typing import Any

from bnnc.dialects import bnn, hls
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute, Operation, SSAValue

from bnnc.errors import BnncError


def element_kind(element: Attribute) -> str:
    if bnn.is_bipolar(element):
        return "bipolar"
    return "real" if bnn.is_real(element) else "integer"


def _kind_of(value: SSAValue) -> str:
    return element_kind(bnn.element_type(value.type))


def _floats(attr) -> list[float]:
    return [float(v) for v in bnn.dense_values(attr).reshape(-1)]


def _step(op: Operation) -> dict[str, Any]:
    step: dict[str, Any] = {"input": _kind_of(op.operands[0]), "output": _kind_of(op.results[0])}
    if isinstance(op, bnn.AffineOp):
        return {"op": "affine", **step, "scale": _floats(op.scale), "bias": _floats(op.bias),
                "axis": op.axis.value.data}
    if isinstance(op, bnn.BatchNormOp):
        return {"op": "batchnorm", **step, "axis": op.axis.value.data, "epsilon": op.epsilon.value.data,
                **{name: _floats(getattr(op, name)) for name in ("gamma", "beta", "mean", "var")}}
    if isinstance(op, bnn.SignOp):
        return {"op": "sign", **step}
    if isinstance(op, bnn.QuantizeOp):
        return {"op": "quantize", **step, "scale": op.scale.value.data, "zero_point": op.zero_point.value.data,
                "lo": op.lo.value.data, "hi": op.hi.value.data, "rounding": op.rounding.data}
    if isinstance(op, bnn.ThresholdOp):
        return {"op": "threshold", **step, "thresholds": bnn.dense_values(op.thresholds).tolist(),
                "offset": op.offset.value.data, "axis": op.axis.value.data}
    if isinstance(op, bnn.MaxPoolOp):
        return {"op": "maxpool", **step, "kernel": list(bnn.array_values(op.kernel)),
                "strides": list(bnn.array_values(op.strides))}
    if isinstance(op, bnn.ReshapeOp):
        return {"op": "reshape", **step, "shape": list(bnn.shape_of(op.output.type))}
    if isinstance(op, bnn.TransposeOp):
        return {"op": "transpose", **step, "perm": list(bnn.array_values(op.perm))}
    if isinstance(op, bnn.TopKOp):
        return {"op": "topk", **step, "k": op.k.value.data}
    if isinstance(op, bnn.SoftmaxOp | bnn.LogSoftmaxOp | bnn.SigmoidOp):
        return {"op": op.name.removeprefix("bnn."), **step}
    raise BnncError(f"zc706: the board driver cannot run '{op.name}' on the host")


def host_program(module: ModuleOp, entry: str = "main") -> dict[str, Any]:
    """The steps before and after the accelerator, and the model's input and output."""
    main = next((op for op in module.ops if isinstance(op, func.FuncOp) and op.sym_name.data == entry), None)
    if main is None:
        raise BnncError(f"zc706: the module has no function @{entry}")
    ops = [op for op in main.body.ops if not isinstance(op, func.ReturnOp)]
    invokes = [i for i, op in enumerate(ops) if isinstance(op, hls.InvokeOp)]
    if len(invokes) != 1:
        raise BnncError(f"zc706: @{entry} must call the accelerator once (hls.invoke), calls it {len(invokes)} times")
    value: SSAValue = main.body.block.args[0]
    for op in ops:  # the driver runs a chain: each op reads the one before it
        if len(op.operands) != 1 or op.operands[0] is not value:
            raise BnncError(f"zc706: '{op.name}' in @{entry} does not read the previous op's result")
        value = op.results[0]
    (index,) = invokes
    return {
        "model_input": {"shape": list(bnn.shape_of(main.body.block.args[0].type)),
                        "element": _kind_of(main.body.block.args[0])},
        "model_output": {"element": _kind_of(value)},
        "pre": [_step(op) for op in ops[:index]],
        "post": [_step(op) for op in ops[index + 1 :]],
        "invoke": ops[index],
    }
