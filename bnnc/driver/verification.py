"""`bnnc verify`: a build run at every level on the same inputs, and where the first one that
disagrees goes wrong.

Levels: `onnx` (onnxruntime on the original model), `bnn` (the imported module, `ir/0-bnn.mlir`),
`df` (the folded, sized graph, `ir/4-sized.mlir`), `csim` (the HLS C++, `ir/5-hls.mlir`) and
`rtlsim` (the Verilog of the sized graph). bnnc's levels must equal the `bnn` level exactly;
`onnx` computes in float32 and must agree to its rounding, with the same top-1.

When a hardware level disagrees, the accelerator is cut after each engine in turn (by bisection)
and the cut run at that level against the stream-level executor on the same frames: the first
engine whose output stream differs is the one named, with the first differing element. A `df`
graph that disagrees is compared engine by engine with one lowered afresh from the streamlined
module at the same folding.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, i64
from xdsl.interpreter import register_impls

from bnnc.driver.build_directory import build_model
from bnnc.driver.compiler import STAGE_OF_ENGINE, load_stage
from bnnc.dialects import df, hls
from bnnc.errors import BnncError

LEVELS = ("onnx", "bnn", "df", "csim", "rtlsim")


@dataclass
class Divergence:
    """Where a level first differs: the engine (its layer and kind) and the first element."""

    engine: str
    frame: int
    element: int
    expected: int
    actual: int

    def __str__(self) -> str:
        return (f"first differs at {self.engine}: frame {self.frame}, element {self.element}: "
                f"expected {self.expected}, got {self.actual}")


@dataclass
class LevelResult:
    level: str
    agrees: bool
    detail: str
    seconds: float
    divergence: Divergence | None = None


@dataclass
class Verification:
    results: list[LevelResult] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return all(r.agrees for r in self.results)

    def table(self) -> str:
        lines = [f"{'level':<8} {'agrees':<7} {'seconds':>8}  detail"]
        for r in self.results:
            lines.append(f"{r.level:<8} {'yes' if r.agrees else 'NO':<7} {r.seconds:>8.2f}  {r.detail}")
        return "\n".join(lines)


def graph_of(module: ModuleOp) -> df.GraphOp:
    graph = next((op for op in module.ops if isinstance(op, df.GraphOp)), None)
    if graph is None:
        raise BnncError("the module has no df.graph")
    return graph


def first_difference(expected: np.ndarray, actual: np.ndarray) -> tuple[int, int, int, int]:
    """(frame, element, expected, actual) of the first difference of two (N, ...) arrays."""
    e, a = expected.reshape(expected.shape[0], -1), actual.reshape(actual.shape[0], -1)
    frame, element = (int(i) for i in np.argwhere(e != a)[0])
    return frame, element, int(e[frame, element]), int(a[frame, element])


# ------------------------------------------------------------------------------------------
# Cutting the accelerator after an engine


def engines(graph: df.GraphOp) -> list:
    """The graph's engines in order, FIFOs left out (they move words, they do not change them)."""
    return [op for op in graph.body.block.ops if isinstance(op, df.ENGINES) and not isinstance(op, df.FifoOp)]


def describe(op) -> str:
    layer = getattr(op, "layer", None)
    return f"{layer.data} ({op.name})" if layer is not None else op.name


def cut_graph(graph: df.GraphOp, engine_index: int) -> df.GraphOp:
    """A copy of the graph whose output is the stream out of its `engine_index`-th engine."""
    cut = graph.clone()
    target = engines(cut)[engine_index]
    ops = list(cut.body.block.ops)
    for op in reversed(ops[ops.index(target) + 1 :]):
        op.detach()
        op.erase(safe_erase=False)
    stream = target.results[0].type
    cut.body.block.add_op(df.OutputOp.build(
        operands=[target.results[0]], properties={"shape": DenseArrayBase.from_list(i64, [stream.elements])}
    ))
    return cut


def cut_top(top: hls.TopOp, graph: df.GraphOp, engine_index: int) -> hls.TopOp:
    """A copy of the hls top whose output port carries the stream out of its `engine_index`-th
    engine instance (instances follow the graph's engines in order, between the two boundary
    converters), packed as the cut graph's output."""
    from bnnc.passes.lower_dataflow_to_hls import boundary_instance, port_op

    cut = top.clone()
    instances = [op for op in cut.body.block.ops if isinstance(op, hls.InstanceOp)][1:-1]
    if len(instances) != len(engines(graph)):
        raise BnncError("the hls top does not follow the df graph engine for engine; cannot locate")
    target = instances[engine_index]
    stream = engines(graph)[engine_index].results[0].type
    ops = list(cut.body.block.ops)
    for op in reversed(ops[ops.index(target) + 1 :]):
        if isinstance(op, hls.InstanceOp | hls.StreamOp | hls.RomOp) or (
            isinstance(op, hls.PortOp) and op.direction.data == "out"
        ):
            op.detach()
            op.erase(safe_erase=False)
    port = port_op("out_axis", "out", stream)
    cut.body.block.add_op(port)
    cut.body.block.add_op(boundary_instance("stream_to_axi", target.outputs[0], port.port, stream))
    # ROMs of the instances that were cut away are no longer used: drop them
    used = {ref.root_reference.data for op in cut.body.block.ops if isinstance(op, hls.InstanceOp) for ref in op.roms}
    for op in list(cut.body.block.ops):
        if isinstance(op, hls.RomOp) and op.sym_name.data not in used:
            op.detach()
            op.erase(safe_erase=False)
    return cut


def bisect_first(count: int, differs: Callable[[int], bool]) -> int | None:
    """The smallest i < count with differs(i), given that differs is monotone (once an engine's
    output differs, every later one's may); None if differs(count - 1) is false."""
    if count == 0 or not differs(count - 1):
        return None
    lo, hi = 0, count - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if differs(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def locate(graph: df.GraphOp, frames: np.ndarray, run_cut: Callable[[int], np.ndarray]) -> Divergence | None:
    """The first engine whose output, by `run_cut(i)`, differs from the df executor's."""
    from bnnc.runtime.interpreters.df import run_graph

    found: dict[int, tuple[int, int, int, int]] = {}

    def differs(i: int) -> bool:
        expected = run_graph(cut_graph(graph, i), frames)
        actual = run_cut(i)
        if np.array_equal(expected, actual):
            return False
        found[i] = first_difference(expected, actual)
        return True

    index = bisect_first(len(engines(graph)), differs)
    if index is None:
        return None
    return Divergence(describe(engines(graph)[index]), *found[index])


def graph_frames(module: ModuleOp, x: np.ndarray) -> np.ndarray:
    """The frames the host part of `module` hands its accelerator for the batch x."""
    from bnnc.runtime.interpreters.bnn import BnnExecutor
    from bnnc.runtime.interpreters.df import DfFunctions

    captured: list[np.ndarray] = []

    class Capture(DfFunctions):
        def run_graph(self, graph, frames):
            captured.append(frames)
            return super().run_graph(graph, frames)

    BnnExecutor(module, df_functions=register_impls(Capture)()).run(x)
    return captured[0]


# ------------------------------------------------------------------------------------------
# The levels


def run_level(level: str, build: Path, model: Path | None, x: np.ndarray, simulator: str) -> np.ndarray:
    if level == "onnx":
        from bnnc.runtime.reference import ReferenceSession

        return ReferenceSession(model).run(x)
    from bnnc.runtime.interpreters.bnn import BnnExecutor

    module = load_stage(build, STAGE_OF_ENGINE[level])
    return BnnExecutor(module, rtl_simulator=simulator if level == "rtlsim" else None).run(x)


def locate_in_build(level: str, build: Path, x: np.ndarray, simulator: str) -> Divergence | None:
    """Where `level` (df, csim or rtlsim) first departs from the stream-level executor."""
    sized = load_stage(build, "sized")
    graph = graph_of(sized)
    frames = graph_frames(sized, x)
    if level == "csim":
        from bnnc.backends.hls_cpp.project import project_files
        from bnnc.runtime.simulators import csim

        top = next(op for op in load_stage(build, "hls").ops if isinstance(op, hls.TopOp))

        def run_cut(i: int) -> np.ndarray:
            cut = cut_top(top, graph, i)
            binary, _ = csim.build(project_files(ModuleOp([cut])))
            return csim.run_frames(binary, cut, frames)

        return locate(graph, frames, run_cut)
    if level == "rtlsim":
        from bnnc.runtime.simulators.rtlsim import run_rtlsim

        return locate(graph, frames, lambda i: run_rtlsim(ModuleOp([cut_graph(graph, i)]), frames, simulator)[0])
    return locate_df(build, graph, frames)


def locate_df(build: Path, graph: df.GraphOp, frames: np.ndarray) -> Divergence | None:
    """The build's sized graph against one lowered afresh from the streamlined module."""
    from bnnc.analysis.folding import current_folding, refold
    from bnnc.runtime.interpreters.df import run_graph
    from bnnc.driver.pipeline import run_pipeline

    fresh_module = run_pipeline(load_stage(build, "streamlined"), "lower-bnn-to-dataflow")
    fresh = graph_of(fresh_module)
    refold(fresh, current_folding(graph), graph.input_op().output.type)
    theirs, ours = engines(graph), engines(fresh)
    if [op.name for op in theirs] != [op.name for op in ours]:
        return None
    for i, op in enumerate(theirs):
        expected = run_graph(cut_graph(fresh, i), frames)
        actual = run_graph(cut_graph(graph, i), frames)
        if expected.shape != actual.shape or not np.array_equal(expected, actual):
            if expected.shape != actual.shape:
                return Divergence(describe(op), 0, 0, expected.size, actual.size)
            return Divergence(describe(op), *first_difference(expected, actual))
    return None


def verify_build(build: str | Path, x: np.ndarray, levels: tuple[str, ...] = LEVELS,
                 simulator: str = "verilator") -> Verification:
    """Run `levels` of the build on x; each bnnc level must equal the bnn level."""
    build = Path(build)
    report = build / "report.json"
    if not report.is_file():
        raise BnncError(f"{build}: not a bnnc build directory (no report.json); run bnnc compile")
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise BnncError(f"unknown level(s) {', '.join(unknown)}; the levels are {', '.join(LEVELS)}")
    model = None
    if "onnx" in levels:  # the model the build was compiled from, where its manifest says
        try:
            model = build_model(build)
        except BnncError as exc:
            others = ",".join(level for level in LEVELS if level != "onnx")
            raise BnncError(f"{exc}; or leave out the onnx level (--levels {others})") from None
    verification = Verification()
    outputs: dict[str, np.ndarray] = {}
    for level in ("bnn", *[lv for lv in levels if lv != "bnn"]):
        if level == "onnx" and model is not None and model.suffix != ".onnx":
            verification.results.append(LevelResult(
                level, True, f"none: the build was compiled from bnnc IR ({model.name}), not ONNX", 0.0))
            continue
        start = time.perf_counter()
        y = run_level(level, build, model, x, simulator)
        seconds = time.perf_counter() - start
        outputs[level] = y
        if level == "bnn":
            verification.results.append(LevelResult(level, True, f"the reference of bnnc's levels, outputs {list(y.shape)}", seconds))
            continue
        reference = outputs["bnn"]
        if level == "onnx":
            top1 = float((np.asarray(y).reshape(len(x), -1).argmax(1) == reference.reshape(len(x), -1).argmax(1)).mean()) if len(x) else 1.0
            close = np.allclose(y, reference, rtol=1e-5, atol=1e-5)
            detail = f"float32: equal to rounding {close}, same top-1 on {top1:.2%}" if len(x) else "empty batch, empty outputs"
            verification.results.append(LevelResult(level, close and top1 == 1.0, detail, seconds))
            continue
        if np.array_equal(y, reference):
            verification.results.append(LevelResult(level, True, f"identical on {len(x)} input(s)", seconds))
            continue
        mismatched = int((y.reshape(len(x), -1) != reference.reshape(len(x), -1)).any(axis=1).sum())
        df_result = next((r for r in verification.results if r.level == "df"), None)
        if level == "rtlsim" and df_result is not None and df_result.divergence is not None:
            divergence = df_result.divergence  # the RTL is built from the same, wrong, df graph
        else:
            divergence = locate_in_build(level, build, x, simulator)
        where = str(divergence) if divergence else "the engines' streams agree with the df executor"
        verification.results.append(LevelResult(level, False, f"{mismatched} of {len(x)} outputs differ; {where}", seconds, divergence))
    return verification
