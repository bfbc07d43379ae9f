"""Running passes from Python: a pipeline string (as `bnnc-opt -p`) or pass objects."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.transforms import get_all_passes as get_upstream_passes

from bnnc.errors import BnncError
from bnnc.ir import make_context
from bnnc.registry import get_all_passes


def available_passes():
    return {**get_upstream_passes(), **get_all_passes()}


def run_pipeline(module: ModuleOp, passes: str | Sequence[ModulePass]) -> ModuleOp:
    """Apply the passes in place, verifying the module after each one, and return it."""
    if isinstance(passes, str):
        try:
            pipeline = PassPipeline.parse_spec(available_passes(), passes, _verify)
        except ValueError as exc:
            raise BnncError(f"pipeline '{passes}': {exc}") from None
    else:
        pipeline = PassPipeline(tuple(passes), _verify)
    pipeline.apply(make_context(), module)
    return module


def _verify(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
    module.verify()
