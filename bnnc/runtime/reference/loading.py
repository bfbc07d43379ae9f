"""Reading a model and normalising it into standard ONNX that onnxruntime can run.

The custom ops' rewrites (`custom_ops`) need opset 13, so models are first raised to it with
onnx's version converter, after declaring the custom domains that exports leave undeclared.
Initializers are dropped from the graph inputs (older exports list them there) and annotations
that mean nothing to onnxruntime are removed.
"""

from __future__ import annotations

from pathlib import Path

import onnx
from google.protobuf.message import DecodeError
from onnx import helper

from bnnc.errors import BnncError
from bnnc.runtime.reference.custom_ops import (
    LOWERINGS,
    QUANTIZER_DOMAINS,
    STANDARD_DOMAINS,
    lower_custom_ops,
)

TARGET_OPSET = 13
# IR version 7 is the first that allows opset 13, and that lets initializers not be inputs.
MIN_IR_VERSION = 7


def load_model(path: str | Path) -> onnx.ModelProto:
    """Read an ONNX file, turning every way it can fail into a `BnncError`."""
    path = Path(path)
    if not path.is_file():
        raise BnncError(f"{path}: no such file")
    try:
        model = onnx.load(str(path))
    except (DecodeError, ValueError, OSError) as e:
        raise BnncError(f"{path}: not a readable ONNX model ({e})") from e
    if len(model.graph.node) == 0:
        raise BnncError(f"{path}: the ONNX graph has no nodes (is this an ONNX model?)")
    return model


def real_inputs(graph: onnx.GraphProto) -> list[onnx.ValueInfoProto]:
    """Graph inputs that are fed at run time.

    Exports before IR version 4 list every initializer as a graph input too; those are
    weights, not inputs.
    """
    initializers = {init.name for init in graph.initializer}
    return [inp for inp in graph.input if inp.name not in initializers]


def drop_initializer_inputs(graph: onnx.GraphProto) -> None:
    """Remove initializers from the graph inputs.

    onnxruntime treats an initializer that is also an input as a default value the caller may
    override, so it would neither constant-fold it nor anything computed from it.
    """
    keep = real_inputs(graph)
    del graph.input[:]
    graph.input.extend(keep)


def opset_of(model: onnx.ModelProto, domain: str = "") -> int | None:
    for opset in model.opset_import:
        if opset.domain == domain or (domain == "" and opset.domain == "ai.onnx"):
            return opset.version
    return None


def declare_custom_domains(model: onnx.ModelProto) -> None:
    """Add an opset import for every custom domain the nodes use.

    Brevitas exports omit the `onnx.brevitas` import, and the version converter refuses a node
    whose domain is not imported.
    """
    declared = {opset.domain for opset in model.opset_import}
    used = {node.domain for node in model.graph.node} - STANDARD_DOMAINS - declared
    for domain in sorted(used):
        model.opset_import.append(helper.make_opsetid(domain, 1))


def upgrade_opset(model: onnx.ModelProto, where: str) -> onnx.ModelProto:
    """Raise the default-domain opset to `TARGET_OPSET` (never lower it)."""
    version = opset_of(model)
    if version is not None and version >= TARGET_OPSET:
        return model
    try:
        return onnx.version_converter.convert_version(model, TARGET_OPSET)
    except Exception as e:  # the converter raises several unrelated C++ error types
        raise BnncError(
            f"{where}: cannot convert the model from opset {version} to {TARGET_OPSET}: {e}"
        ) from e


def check_domains(model: onnx.ModelProto, where: str) -> None:
    """Refuse custom ops this engine cannot rewrite, before doing any work."""
    for index, node in enumerate(model.graph.node):
        if node.domain in STANDARD_DOMAINS:
            continue
        if node.domain in QUANTIZER_DOMAINS and node.op_type in LOWERINGS:
            continue
        label = node.name or f"{node.op_type}#{index}"
        raise BnncError(
            f"{where}: node '{label}' is the custom op {node.domain}.{node.op_type}, which the "
            f"reference engine does not know (it handles {', '.join(sorted(LOWERINGS))} in the "
            f"domains {', '.join(sorted(QUANTIZER_DOMAINS))})"
        )


def clean_annotations(graph: onnx.GraphProto) -> None:
    """Drop value_info and quantization annotations.

    The value_info of exports is sometimes stale or describes custom ops' outputs with types
    the rewrite does not promise; onnxruntime infers what it needs. FINN's quantization
    annotations (finn_datatype) mean nothing to onnxruntime.
    """
    del graph.value_info[:]
    del graph.quantization_annotation[:]


def to_standard_onnx(path: str | Path) -> onnx.ModelProto:
    """Load a plain, QONNX or FINN-ONNX model and rewrite it into standard ONNX (opset >= 13)."""
    where = str(path)
    model = load_model(path)
    check_domains(model, where)
    if len(real_inputs(model.graph)) != 1:
        names = [inp.name for inp in real_inputs(model.graph)]
        raise BnncError(f"{where}: the reference engine needs exactly one input, found {names}")
    if len(model.graph.output) == 0:
        raise BnncError(f"{where}: the graph has no outputs")
    declare_custom_domains(model)
    # The converter wants IR < 4 models as they are, initializers listed among the inputs.
    model = upgrade_opset(model, where)
    drop_initializer_inputs(model.graph)
    model.ir_version = max(model.ir_version, MIN_IR_VERSION)
    lower_custom_ops(model, where)
    clean_annotations(model.graph)
    return model
