"""bnnc: a compiler from binarized neural networks in ONNX to FPGA dataflow accelerators.

The Python API:

    import bnnc
    module = bnnc.import_onnx("tfc_w1a1.qonnx.onnx")   # an xDSL ModuleOp in the bnn dialect
    y = bnnc.run_bnn(module, x)                          # bit-exact execution on numpy
    y_ref = bnnc.run_reference("tfc_w1a1.qonnx.onnx", x) # onnxruntime on the original model
    build = bnnc.compile("tfc_w1a1.qonnx.onnx", "build/tfc", fps=9000)   # as `bnnc compile`
    report = bnnc.verify("build/tfc", x)                 # as `bnnc verify`
    pm = bnnc.PassManager("bnn-streamline")              # passes, with the module after each
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bnnc import xdsl_fixes  # noqa: F401  (printing floats that parse back, before any printing)

__version__ = "0.1.0"
__all__ = [
    "BnncError", "PassManager", "compile", "import_onnx", "parse_module", "run_bnn", "run_reference", "verify",
]

if TYPE_CHECKING:
    from bnnc.driver.compiler import compile
    from bnnc.errors import BnncError
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.runtime.interpreters.bnn import run_bnn
    from bnnc.driver.ir import parse_module
    from bnnc.driver.pipeline import PassManager
    from bnnc.runtime.reference import run_reference
    from bnnc.driver.verification import verify_build as verify

_LAZY = {
    "BnncError": "bnnc.errors",
    "import_onnx": "bnnc.frontend.onnx_importer",
    "run_bnn": "bnnc.runtime.interpreters.bnn",
    "parse_module": "bnnc.driver.ir",
    "run_reference": "bnnc.runtime.reference",
    "compile": "bnnc.driver.compiler",
    "PassManager": "bnnc.driver.pipeline",
    "verify": "bnnc.driver.verification",
}
_RENAMED = {"verify": "verify_build"}


def __getattr__(name: str) -> Any:
    # Lazy, so that `import bnnc` (and every CLI start-up) stays cheap.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), _RENAMED.get(name, name))
    raise AttributeError(f"module 'bnnc' has no attribute {name!r}")
