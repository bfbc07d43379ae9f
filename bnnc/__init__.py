"""bnnc: a compiler from binarized neural networks in ONNX to FPGA dataflow accelerators.

The Python API:

    import bnnc
    module = bnnc.import_onnx("tfc_w1a1.qonnx.onnx")   # an xDSL ModuleOp in the bnn dialect
    y = bnnc.run_bnn(module, x)                          # bit-exact execution on numpy
    y_ref = bnnc.run_reference("tfc_w1a1.qonnx.onnx", x) # onnxruntime on the original model
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["BnncError", "import_onnx", "parse_module", "run_bnn", "run_reference"]

if TYPE_CHECKING:
    from bnnc.errors import BnncError
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.interpreters.bnn import run_bnn
    from bnnc.ir import parse_module
    from bnnc.reference import run_reference

_LAZY = {
    "BnncError": "bnnc.errors",
    "import_onnx": "bnnc.frontend.onnx_importer",
    "run_bnn": "bnnc.interpreters.bnn",
    "parse_module": "bnnc.ir",
    "run_reference": "bnnc.reference",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that `import bnnc` (and every CLI start-up) stays cheap.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'bnnc' has no attribute {name!r}")
