"""`bnnc`: the user-facing driver.

    bnnc compile MODEL -o BUILD [--fps N | --max] [--clock-mhz F] [--board B] [--folding FILE]
                 [--backend hls|rtl|both] [--force]
    bnnc run MODEL_OR_BUILD --engine {onnx,bnn,df,csim,rtlsim} --input X.npy --output Y.npy
    bnnc verify BUILD --input X.npy [--levels onnx,bnn,df,csim,rtlsim]
    bnnc report BUILD
    bnnc fold MODEL [--fps N | --max] ...
    bnnc --version

MODEL is an ONNX file, or bnnc IR as `.mlir`; BUILD a directory `bnnc compile` wrote. X is a
batch shaped like the model's input; Y receives the model's output for the batch, in the ONNX
model's own units. The df, csim and rtlsim engines fold the model first when it is not folded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import numpy as np

from bnnc.devices import DEFAULT_BOARD
from bnnc.errors import BnncError
from bnnc.driver.cli.diagnostics import exit_on_user_errors, usage_error

ENGINES = ("onnx", "bnn", "df", "csim", "rtlsim")


def load_batch(path: Path) -> np.ndarray:
    if not path.exists():
        raise BnncError(f"{path}: no such input file")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError):
        raise BnncError(
            f"{path}: not a .npy array of numbers (save the batch with numpy.save)"
        ) from None


def folding_of(args: argparse.Namespace, default_max: bool = True):
    from bnnc.analysis.folding.options import FoldOptions

    maximise = args.max or (args.fps is None and default_max)
    extra = {key: getattr(args, key) for key in ("solver", "budget_lut", "budget_bram") if hasattr(args, key)}
    return FoldOptions(target_fps=args.fps, max=maximise, clock_mhz=args.clock_mhz, board=args.board,
                       folding=args.folding, **extra)


def executable_module(model: Path, engine: str, args: argparse.Namespace):
    """The module the engine runs: bnn as given (after -p), or lowered as far as it needs."""
    from bnnc.driver.compiler import load_build, load_module, lower_to, module_level
    from bnnc.driver.pipeline import run_pipeline

    module = load_build(model, engine) if model.is_dir() else load_module(model)
    if args.passes:
        run_pipeline(module, args.passes)
    if engine == "bnn":
        return module
    level = module_level(module)
    if engine in ("df", "rtlsim") and level == "hls":
        raise BnncError(f"{model}: the {engine} engine needs the df level; this module is already lowered to hls")
    return lower_to(module, "hls" if engine == "csim" else "sized", folding_of(args))


def run_command(args: argparse.Namespace) -> None:
    model, engine = Path(args.model), args.engine
    if not model.exists():
        raise BnncError(f"{model}: no such model file or build directory")
    x = load_batch(Path(args.input))
    compile_seconds = 0.0
    if engine == "onnx":
        if model.is_dir():  # a build: the model it was compiled from
            from bnnc.driver.build_directory import build_model

            model = build_model(model)
        if model.suffix != ".onnx":
            raise BnncError(f"{model}: the onnx engine runs .onnx models only")
        if args.passes:
            raise BnncError("--passes applies to the bnnc engines; the onnx engine runs the model as is")
        from bnnc.runtime.reference import ReferenceSession

        session = ReferenceSession(model)
        start = time.perf_counter()
        y = session.run(x)
    else:
        from bnnc.runtime.interpreters.bnn import BnnExecutor

        simulator = args.simulator if engine == "rtlsim" else None
        executor = BnnExecutor(executable_module(model, engine, args), rtl_simulator=simulator)
        start = time.perf_counter()
        y = executor.run(x)
        compile_seconds = executor.hls.compile_seconds  # the C or the RTL simulation's build
        compile_seconds += sum(t.build_seconds for t in getattr(executor.df, "timings", []))
    elapsed = time.perf_counter() - start - compile_seconds
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    np.save(output, y)
    rate = len(x) / elapsed if elapsed > 0 else float("inf")
    built = "building the Verilator simulation" if engine == "rtlsim" else "compiling the C simulation"
    if engine == "rtlsim" and args.simulator == "icarus":
        built = "building the Icarus simulation"
    compiled = f" after {compile_seconds:.1f} s {built}" if compile_seconds else ""
    if engine == "rtlsim" and executor.df.timings:
        timing = executor.df.timings[-1]
        interval = f"{timing.interval:,} cycles a frame" if timing.interval is not None else "one frame"
        compiled += f" (measured: {interval}, latency {timing.latency:,} cycles)"
    print(
        f"bnnc run: {len(x)} input(s) on engine {engine} in {elapsed:.3f} s "
        f"({rate:,.0f} images/s){compiled} -> {output} {list(y.shape)} {y.dtype}",
        file=sys.stderr,
    )


def verify_command(args: argparse.Namespace) -> None:
    from bnnc.driver.verification import verify_build

    build = Path(args.build)
    if not build.is_dir():
        raise BnncError(f"{build}: no such build directory (bnnc compile writes one)")
    x = load_batch(Path(args.input))
    levels = tuple(level.strip() for level in args.levels.split(",") if level.strip())
    verification = verify_build(build, x, levels, args.simulator)
    print(verification.table())
    if not verification.agrees:
        raise SystemExit(1)


def report_command(args: argparse.Namespace) -> None:
    from bnnc.backends.report_html import write_html_report

    build = Path(args.build)
    if not build.is_dir():
        raise BnncError(f"{build}: no such build directory (bnnc compile writes one)")
    print(f"bnnc report: {write_html_report(build)}", file=sys.stderr)


def compile_command(args: argparse.Namespace) -> None:
    from bnnc.driver.compiler import check_compile, compile_model

    model = Path(args.model)
    if not model.exists():
        raise BnncError(f"{model}: no such model file")
    output = Path(args.output) if args.output else Path("build") / model.name.split(".")[0]
    check_compile(output, folding_of(args), args.backend, args.force)  # before the progress lines

    def progress(stage: str, seconds: float) -> None:
        print(f"  {stage:<12} {seconds:7.2f} s", file=sys.stderr)

    print(f"bnnc compile: {model} -> {output}", file=sys.stderr)
    result = compile_model(model, output, folding_of(args), progress, args.backend, args.force, args.timing)
    if result.timing is not None:
        print(timing_line(result.timing), file=sys.stderr)
    print(f"bnnc compile: done in {sum(result.timings.values()):.2f} s -> {output}", file=sys.stderr)
    from bnnc.backends.report_summary import summary_lines

    for line in summary_lines(json.loads((output / "report.json").read_text())):
        print(line, file=sys.stderr)


def timing_line(timing: dict) -> str:
    """The timing check's result in one line (an estimate: Yosys netlist, bnnc's delay model)."""
    worst = timing["worst"] or {}
    verdict = "meets" if timing["meets_clock"] else "MISSES"
    return (f"bnnc compile: timing estimate: worst path {timing['worst_ns']:.2f} ns "
            f"({worst.get('engine') or 'top'}: {worst.get('lut_levels', 0)} LUT, {worst.get('carry4', 0)} CARRY4), "
            f"Fmax ~{timing['fmax_mhz']:.0f} MHz, {verdict} {timing['clock_mhz']:g} MHz "
            f"(Yosys + bnnc's {timing.get('delay_model', '7-series -2')} delay model, not Vivado)")


def fold_command(args: argparse.Namespace) -> None:
    from bnnc.backends.report import estimate_json, estimate_table
    from bnnc.analysis.cost_model import estimate_graph
    from bnnc.devices import load_device
    from bnnc.dialects import df
    from bnnc.analysis.folding import current_folding
    from bnnc.analysis.folding.files import save_folding
    from bnnc.driver.compiler import load_module
    from bnnc.passes.fold import fold_graph
    from bnnc.driver.pipeline import run_pipeline

    model = Path(args.model)
    if not model.exists():
        raise BnncError(f"{model}: no such model file")
    module = run_pipeline(load_module(model), "bnn-streamline,lower-bnn-to-dataflow")
    graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
    fold_graph(graph, folding_of(args))  # --max is the default, as in compile and run
    module.verify()
    target = df.target_of(graph)
    estimate = estimate_graph(graph, load_device(target.board.data), target.clock)
    if args.format == "json":
        print(json.dumps(estimate_json(estimate), indent=2))
    else:
        print(estimate_table(estimate))
    if args.output:
        save_folding(current_folding(graph), args.output)
        print(f"bnnc fold: folding written to {args.output}", file=sys.stderr)


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes as `bnnc: error: COMMAND: ...` in one line (the subcommands' parsers are
    of this class too)."""

    def error(self, message: str) -> NoReturn:
        program, *command = self.prog.split()
        where = f"{' '.join(command)}: " if command else ""
        usage_error(program, f"{where}{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="bnnc",
        description="bnnc compiles binarized neural networks (ONNX, QONNX, FINN-ONNX) into "
        "FPGA dataflow accelerators.",
    )
    parser.add_argument("--version", action="version", version=version())
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run a model on a batch of inputs with one engine",
        description="Run MODEL on the batch in X.npy and save the model's output to Y.npy. "
        "Engines: onnx (onnxruntime on the original model, QONNX/FINN custom ops rewritten to "
        "standard ONNX; the reference), bnn (bnnc's bit-exact executor of the bnn dialect), df "
        "(the folded dataflow engines, word by word), csim (the generated HLS C++, compiled with "
        "g++), rtlsim (the generated Verilog under Verilator or Icarus). df, csim and rtlsim fold "
        "an unfolded model first (--fps/--max, default --max).",
    )
    run.add_argument("model", metavar="MODEL", help="an .onnx model, bnnc IR as .mlir, or a build directory")
    run.add_argument("--engine", choices=ENGINES, default="bnn", help="executor (default: bnn)")
    run.add_argument("--input", required=True, metavar="X.npy", help="a batch shaped like the model input")
    run.add_argument("--output", required=True, metavar="Y.npy", help="where to save the outputs")
    run.add_argument(
        "-p",
        "--passes",
        metavar="PIPELINE",
        help="passes to run on the module before the engine executes it, as in bnnc-opt "
        "(e.g. bnn-streamline)",
    )
    run.add_argument("--simulator", choices=("verilator", "icarus"), default="verilator",
                     help="the RTL simulator of the rtlsim engine (default verilator)")
    add_folding_arguments(run, default="--max")
    run.set_defaults(handler=run_command)

    fold = commands.add_parser(
        "fold",
        help="choose each layer's PE, SIMD and MMV for a frame rate or for the fastest design",
        description="Streamline MODEL, lower it to dataflow engines and fold them: --fps N gives "
        "the cheapest design meeting N frames/s at the clock (fix), --max (the default) the "
        "fastest design within the budget (max). Prints the per-layer estimate; -o saves the folding as JSON, "
        "which --folding reads back to pin layers.",
    )
    fold.add_argument("model", metavar="MODEL", help="an .onnx model, or bnn IR as .mlir")
    add_folding_arguments(fold, default="--max")
    fold.add_argument("--solver", choices=("exact", "finn"), default="exact",
                      help="exact (default) or FINN's greedy SetFolding, for comparison (fix only)")
    fold.add_argument("--budget-lut", type=float, default=0.8, help="share of the device's LUT the design may use (default 0.8)")
    fold.add_argument("--budget-bram", type=float, default=0.8, help="share of the device's BRAM the design may use (default 0.8)")
    fold.add_argument("-o", "--output", metavar="FILE", help="save the chosen folding as JSON")
    fold.add_argument("--format", choices=("table", "json"), default="table", help="report format")
    fold.set_defaults(handler=fold_command)

    build = commands.add_parser(
        "compile",
        help="compile a model into a build directory (IR of every stage, HLS project, report)",
        description="Import MODEL, streamline it, lower it to dataflow engines, fold them (--fps N "
        "or --max, default --max), size the FIFOs, lower to hls and write the build directory: "
        "ir/ (the module after every stage), hls/ (the Vivado HLS project), rtl/ (the Verilog), "
        "zc706/ (the board's system wrapper and driver), report.json and report.html.",
    )
    build.add_argument("model", metavar="MODEL", help="an .onnx model, or bnn IR as .mlir")
    build.add_argument("-o", "--output", metavar="BUILD", help="the build directory (default build/MODEL-NAME)")
    add_folding_arguments(build, default="--max")
    build.add_argument("--backend", choices=("hls", "rtl", "both"), default="both",
                       help="hls: the HLS project, the board wrapper around its IP; rtl: the Verilog, the board "
                       "wrapper around it; both (default): both, the board wrapper around the Verilog")
    build.add_argument("--force", action="store_true",
                       help="rebuild into a directory that has files in it: the files of bnnc's "
                       "previous build there are replaced, every other file is kept")
    build.add_argument("--timing", action="store_true",
                       help="synthesise the Verilog with Yosys and estimate the worst path and Fmax of every "
                       "engine and of the design (report.json 'timing'; needs yosys)")
    build.set_defaults(handler=compile_command)

    verify = commands.add_parser(
        "verify",
        help="run a build at every level on the same inputs and compare",
        description="Run BUILD's levels (onnx: the original model under onnxruntime; bnn, df, "
        "csim, rtlsim: bnnc's) on the batch in X.npy and print a table of agreement: bnnc's levels "
        "must equal the bnn level exactly, onnx to float32 rounding with the same top-1. A level "
        "that disagrees is traced to the first engine whose output stream differs. Exit code 1 "
        "when a level disagrees.",
    )
    verify.add_argument("build", metavar="BUILD", help="a build directory written by bnnc compile")
    verify.add_argument("--input", required=True, metavar="X.npy", help="a batch shaped like the model input")
    verify.add_argument("--levels", default="onnx,bnn,df,csim,rtlsim",
                        help="comma-separated levels to run (default: all)")
    verify.add_argument("--simulator", choices=("verilator", "icarus"), default="verilator",
                        help="the RTL simulator of the rtlsim level (default verilator)")
    verify.set_defaults(handler=verify_command)

    report = commands.add_parser(
        "report",
        help="write BUILD/report.html: folding, pipeline balance, resources, FPS, latency",
        description="Write report.html in BUILD from its report.json: per-layer folding, cycles a "
        "frame (a bar chart of the pipeline's balance and its bottleneck), LUT and BRAM per layer "
        "against the device, FPS, latency, FIFO bits and the compile stages' times.",
    )
    report.add_argument("build", metavar="BUILD", help="a build directory written by bnnc compile")
    report.set_defaults(handler=report_command)
    return parser


def version() -> str:
    from importlib.metadata import version as installed

    from bnnc import __version__

    return f"bnnc {__version__} (xdsl {installed('xdsl')})"


def add_folding_arguments(parser: argparse.ArgumentParser, default: str | None) -> None:
    target = parser.add_mutually_exclusive_group()
    suffix = " (the default)" if default == "--max" else ""
    target.add_argument("--fps", type=float, help="target frames per second (fix scenario)")
    target.add_argument("--max", action="store_true", help=f"the fastest design that fits (max scenario){suffix}")
    parser.add_argument("--clock-mhz", type=float, default=None,
                        help="fabric clock in MHz (default: the board's own, 200 on the ZC706)")
    parser.add_argument("--board", default=DEFAULT_BOARD,
                        help=f"board name or device file to fold for (default {DEFAULT_BOARD})")
    parser.add_argument("--folding", metavar="FILE", help="a folding file whose layers are pinned")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with exit_on_user_errors("bnnc"):
        args.handler(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
