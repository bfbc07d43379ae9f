"""Running passes from Python: a pipeline string (as `bnnc-opt -p`) or pass objects."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.transforms import get_all_passes as get_upstream_passes
from xdsl.utils.exceptions import ArgSpecParseError

from bnnc.errors import BnncError
from bnnc.driver.ir import make_context
from bnnc.driver.registry import get_all_passes


def available_passes():
    return {**get_upstream_passes(), **get_all_passes()}


def run_pipeline(module: ModuleOp, passes: str | Sequence[ModulePass]) -> ModuleOp:
    """Apply the passes in place, verifying the module after each one, and return it."""
    if isinstance(passes, str):
        try:
            pipeline = PassPipeline.parse_spec(available_passes(), passes, _verify)
        except (ValueError, ArgSpecParseError) as exc:
            raise pipeline_error(passes, exc) from None
    else:
        pipeline = PassPipeline(tuple(passes), _verify)
    pipeline.apply(make_context(), module)
    return module


def pipeline_error(spec: str, exc: ValueError | ArgSpecParseError) -> BnncError:
    """One line for a pipeline xDSL cannot parse: unknown passes or options (ValueError), or
    broken syntax (ArgSpecParseError, whose message spans the spec, a caret and the reason)."""
    if isinstance(exc, ArgSpecParseError):
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        where = next((line for line in lines if line.startswith("pass-pipeline:")), "")
        column = f" at column {where.rsplit(':', 1)[1]}" if where else ""
        return BnncError(f"pipeline '{spec}'{column}: {lines[-1]}")
    return BnncError(f"pipeline '{spec}': {exc}")


def _verify(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
    module.verify()


class PassManager:
    """Passes to run on a module, each stage kept for inspection.

        pm = PassManager()
        pm.add("bnn-streamline", name="streamlined")
        pm.add([LowerBnnToDataflowPass()], name="dataflow")
        module = pm.run(module)
        pm.stages["streamlined"]     # a copy of the module after that stage

    A stage is a pipeline string (as `bnnc-opt -p`) or pass objects; the module is verified
    after every pass. `keep=False` keeps no copies (cloning a module with large weights costs).
    """

    def __init__(self, passes: str | Sequence[ModulePass] | None = None, keep: bool = True):
        self.pipeline: list[tuple[str, str | Sequence[ModulePass]]] = []
        self.keep = keep
        self.stages: dict[str, ModuleOp] = {}
        if passes:
            self.add(passes)

    def add(self, passes: str | Sequence[ModulePass], name: str | None = None) -> PassManager:
        label = name or (passes if isinstance(passes, str) else ",".join(p.name for p in passes))
        if label in {n for n, _ in self.pipeline}:
            raise BnncError(f"PassManager: a stage named '{label}' is already there")
        self.pipeline.append((label, passes))
        return self

    def run(self, module: ModuleOp) -> ModuleOp:
        """Run every stage on `module`, in place, and return it."""
        self.stages.clear()
        for label, passes in self.pipeline:
            run_pipeline(module, passes)
            if self.keep:
                self.stages[label] = module.clone()
        return module
