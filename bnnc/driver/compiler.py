"""The compile flow: ONNX → bnn → df (folded, sized) → hls → a build directory (the module after
every stage in `ir/`, the HLS project in `hls/`, the Verilog project in `rtl/`, the board's
system wrapper and driver in a directory named after the board, `zc706/` by default,
`report.json` and `report.html`).

    result = compile_model("tfc.onnx", "build/tfc", FoldOptions(max=True))

Each stage is a named pipeline of passes; the module after every stage is kept (`ir/` in the
build directory), so that every level can be executed and compared. The directory is written
under a temporary name and put in place at the end: a failed compile leaves nothing that looks
like a build, and an existing directory is rebuilt only with `force`, keeping every file the
previous build did not write (`bnnc.driver.build_directory`).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xdsl.dialects.builtin import ModuleOp

from bnnc.devices import DEFAULT_BOARD
from bnnc.errors import BnncError
from bnnc.analysis.folding.options import FoldOptions

IR_DIR = "ir"
HLS_DIR = "hls"
RTL_DIR = "rtl"


def load_module(model: Path) -> ModuleOp:
    """A `bnn` module from an ONNX file or from MLIR text."""
    if model.suffix == ".mlir":
        from bnnc.driver.ir import parse_module

        return parse_module(model)
    from bnnc.frontend.onnx_importer import import_onnx

    return import_onnx(model)


def stages(folding: FoldOptions) -> list[tuple[str, str]]:
    """(stage name, pass pipeline) from an imported bnn module to the hls level."""
    return [
        ("streamlined", "bnn-streamline"),
        ("dataflow", "lower-bnn-to-dataflow"),
        ("folded", folding.pass_spec()),
        ("sized", "insert-streams,size-fifos,prepare-for-emission"),
        ("hls", "lower-dataflow-to-hls"),
    ]


def module_level(module: ModuleOp) -> str:
    """The deepest level a module has reached: 'hls', 'sized', 'df' or 'bnn'."""
    from bnnc.dialects import df, hls

    ops = list(module.ops)
    if any(isinstance(op, hls.TopOp) for op in ops):
        return "hls"
    graphs = [op for op in ops if isinstance(op, df.GraphOp)]
    if graphs:
        return "sized" if all("df.sized" in g.attributes for g in graphs) else "df"
    return "bnn"


# Where each level starts in `stages` (a bnn module may or may not be streamlined already:
# streamlining twice changes nothing).
_STAGE_OF_LEVEL = {"bnn": 0, "sized": 4, "hls": 5}


def lower_to(module: ModuleOp, level: str, folding: FoldOptions) -> ModuleOp:
    """Run the stages that take `module` to `level` ('sized' or 'hls') from where it is."""
    from bnnc.driver.pipeline import run_pipeline

    current = module_level(module)
    if current == "df":
        raise BnncError("the module is at the df level but not sized: run fold, insert-streams and size-fifos")
    for _, pipeline in stages(folding)[_STAGE_OF_LEVEL[current] : _STAGE_OF_LEVEL[level]]:
        run_pipeline(module, pipeline)
    return module


@dataclass
class CompileResult:
    directory: Path
    module: ModuleOp
    timings: dict[str, float] = field(default_factory=dict)
    timing: dict | None = None  # the timing check's estimate (report.json "timing"), if it ran


BACKENDS = ("hls", "rtl", "both")


def check_compile(output: str | Path, folding: FoldOptions, backend: str = "both", force: bool = False) -> None:
    """What `compile_model` refuses before it starts: a bad backend or folding option, an
    output path that is a file, or a directory with anything in it without `force`."""
    from bnnc.driver.build_directory import check_output

    if backend not in BACKENDS:
        raise BnncError(f"unknown backend '{backend}'; the backends are {', '.join(BACKENDS)}")
    folding.check()
    check_output(Path(output), force)


def compile_model(model: str | Path, output: str | Path, folding: FoldOptions,
                  progress: Callable[[str, float], None] | None = None, backend: str = "both",
                  force: bool = False, timing: bool = False) -> CompileResult:
    """Compile an ONNX model (or bnn IR) into the build directory `output`: `hls/` for the `hls`
    backend, `rtl/` (the Verilog of the sized graph) for `rtl`, or both; and the board wrapper,
    around the Verilog when the build has it, else around the HLS IP. An `output` with files in
    it is rebuilt only with `force` (`bnnc.driver.build_directory`). `timing`: also run the
    timing check on the Verilog (`bnnc.backends.verilog.timing`, Yosys) and put its estimate
    into `report.json` ("timing")."""
    check_compile(output, folding, backend, force)
    if timing and backend == "hls":
        raise BnncError("the timing check reads the Verilog: use --backend rtl or both with --timing")
    from bnnc.driver.build_directory import install, write_manifest
    from bnnc.backends.hls_cpp.project import write_project
    from bnnc.backends.hls_cpp.tb_input import write_tb_input
    from bnnc.backends.report import estimate_json
    from bnnc.backends.report_html import write_html_report
    from bnnc.backends.report_summary import NOTES
    from bnnc.backends.verilog.emitter import write_project as write_verilog
    from bnnc.backends.zc706 import rtl_sources, write_wrapper
    from bnnc.analysis.cost_model import estimate_graph
    from bnnc.devices import load_device
    from bnnc.dialects import df, hls
    from bnnc.driver.pipeline import run_pipeline

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
    timings: dict[str, float] = {}

    def timed(name: str, action: Callable[[], None]) -> None:
        start = time.perf_counter()
        action()
        timings[name] = time.perf_counter() - start
        if progress is not None:
            progress(name, timings[name])

    try:
        (work / IR_DIR).mkdir()
        holder: dict[str, ModuleOp] = {}
        timed("import", lambda: holder.setdefault("module", load_module(Path(model))))
        module = holder["module"]
        (work / IR_DIR / "0-bnn.mlir").write_text(str(module))
        estimate = None
        timing_report = None
        sizing: dict[str, int] = {}
        verilog: dict[str, dict[str, str]] = {}
        for index, (name, pipeline) in enumerate(stages(folding), start=1):
            timed(name, lambda p=pipeline: run_pipeline(module, p))
            (work / IR_DIR / f"{index}-{name}.mlir").write_text(str(module))
            if name == "sized":
                if backend in ("rtl", "both"):
                    timed("verilog", lambda: verilog.setdefault("files", write_verilog(module, work / RTL_DIR).files))
                if timing:
                    from bnnc.backends.verilog.timing import check_project

                    checked: list[dict] = []
                    board = load_device(folding.board)  # the delay model of its fabric and speed grade
                    timed("timing", lambda: checked.append(
                        check_project(work / RTL_DIR, folding.clock, board.family, board.part).to_json()))
                    timing_report = checked[0]
                graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
                target = df.target_of(graph)
                estimate = estimate_graph(graph, load_device(target.board.data), target.clock)
                sizing = {k: v.value.data for k, v in graph.attributes["df.fifo_sizing"].data.items()}  # type: ignore[attr-defined]
        if backend in ("hls", "both"):
            def hls_project() -> None:
                write_project(module, work / HLS_DIR)
                write_tb_input(next(op for op in module.ops if isinstance(op, hls.TopOp)), work / HLS_DIR)

            timed("hls-cpp", hls_project)
        # The board's accelerator is the Verilog when the build has it (the RTL is what the
        # cycle, FIFO and cost models describe), the HLS IP for --backend hls.
        rtl_files = rtl_sources(verilog["files"]) if "files" in verilog else None
        board = load_device(folding.board)
        timed(board.name, lambda: write_wrapper(module, work / board.name, folding.board, rtl_files))
        report = {"model": Path(model).name,
                  "folding": {**dataclasses.asdict(folding), "clock_mhz": folding.clock}, "timings_s": timings}
        if estimate is not None:
            report["estimate"] = estimate_json(estimate)
            report["fifo_sizing"] = sizing
            report["fifo_depths"] = {n["name"]: n["depth"] for n in report["estimate"]["nodes"] if n["kind"] == "fifo"}
            report["notes"] = NOTES
        if timing_report is not None:
            report["timing"] = timing_report
        (work / "report.json").write_text(json.dumps(report, indent=2) + "\n")
        timed("report", lambda: write_html_report(work))
        write_manifest(work, Path(model))
        install(work, output, force)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return CompileResult(output, module, timings, timing_report)


# The IR stage of a build directory each engine executes.
STAGE_OF_ENGINE = {"bnn": "bnn", "df": "sized", "rtlsim": "sized", "csim": "hls"}


def compile(model: str | Path, output: str | Path, *, fps: float | None = None, max: bool = False,
            clock_mhz: float | None = None, board: str = DEFAULT_BOARD, folding: str | None = None,
            progress: Callable[[str, float], None] | None = None, backend: str = "both",
            force: bool = False, timing: bool = False) -> CompileResult:
    """`bnnc compile` from Python: `fps` (the cheapest design meeting it) or `max` (the
    fastest that fits; the default when neither is given), at `clock_mhz` (the board's own by
    default); `force` rebuilds an existing directory, keeping the files bnnc did not write.
    Returns the build directory, the hls-level module and the stage timings (and the timing
    check's estimate with `timing`)."""
    if fps is None:
        max = True
    options = FoldOptions(target_fps=fps, max=max, clock_mhz=clock_mhz, board=board, folding=folding)
    return compile_model(model, output, options, progress, backend, force, timing)


def load_stage(directory: str | Path, stage: str) -> ModuleOp:
    """The module of a build directory after `stage` (`ir/N-STAGE.mlir`)."""
    from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

    from bnnc.driver.ir import parse_module

    files = sorted((Path(directory) / IR_DIR).glob(f"*-{stage}.mlir"))
    if not files:
        raise BnncError(
            f"{directory}: is a directory but not a bnnc build (no {IR_DIR}/*-{stage}.mlir); "
            "give a model file, or a directory written by bnnc compile"
        )
    if not (Path(directory) / "report.json").is_file():  # the last file a compile writes
        raise BnncError(f"{directory}: not a complete bnnc build (no report.json); compile the "
                        "model again")
    try:
        return parse_module(files[-1])
    except (ParseError, DiagnosticException, VerifyException) as exc:
        lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
        where = lines[0] if lines[0].startswith(str(files[-1])) else files[-1]  # file:line:col
        raise BnncError(f"{where}: the build's IR is damaged ({lines[-1]}); compile the model "
                        "again") from None


def load_build(directory: str | Path, engine: str = "csim") -> ModuleOp:
    """The module of a build directory that `engine` runs: the imported bnn module, the sized
    df module, or the hls module."""
    return load_stage(directory, STAGE_OF_ENGINE[engine])
