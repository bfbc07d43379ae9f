"""`bnnc`: the user-facing driver.

    bnnc run MODEL --engine {onnx,bnn} --input X.npy --output Y.npy

MODEL is an ONNX file, or `bnn` IR as `.mlir` (for the bnn engine). X is a batch shaped like the
model's input; Y receives the model's output for the batch, in the ONNX model's own units.
Later levels add engines (df, csim, rtlsim) and the `compile`, `verify` and `report` commands.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bnnc.errors import BnncError
from bnnc.tools.diagnostics import exit_on_user_errors

ENGINES = ("onnx", "bnn")


def load_module(model: Path):
    """A `bnn` module from an ONNX file or from MLIR text."""
    if model.suffix == ".mlir":
        from bnnc.ir import parse_module

        return parse_module(model)
    from bnnc.frontend.onnx_importer import import_onnx

    return import_onnx(model)


def load_batch(path: Path) -> np.ndarray:
    if not path.exists():
        raise BnncError(f"{path}: no such input file")
    try:
        return np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError):
        raise BnncError(
            f"{path}: not a .npy array of numbers (save the batch with numpy.save)"
        ) from None


def run_command(args: argparse.Namespace) -> None:
    model, engine = Path(args.model), args.engine
    if not model.exists():
        raise BnncError(f"{model}: no such model file")
    x = load_batch(Path(args.input))
    if engine == "onnx":
        if model.suffix != ".onnx":
            raise BnncError(f"{model}: the onnx engine runs .onnx models only")
        if args.passes:
            raise BnncError("--passes applies to the bnn engine; the onnx engine runs the model as is")
        from bnnc.reference import ReferenceSession

        session = ReferenceSession(model)
        start = time.perf_counter()
        y = session.run(x)
    else:
        from bnnc.interpreters.bnn import BnnExecutor

        module = load_module(model)
        if args.passes:
            from bnnc.pipeline import run_pipeline

            run_pipeline(module, args.passes)
        executor = BnnExecutor(module)
        start = time.perf_counter()
        y = executor.run(x)
    elapsed = time.perf_counter() - start
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    np.save(output, y)
    rate = len(x) / elapsed if elapsed > 0 else float("inf")
    print(
        f"bnnc run: {len(x)} input(s) on engine {engine} in {elapsed:.3f} s "
        f"({rate:,.0f} images/s) -> {output} {list(y.shape)} {y.dtype}",
        file=sys.stderr,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bnnc",
        description="bnnc compiles binarized neural networks (ONNX, QONNX, FINN-ONNX) into "
        "FPGA dataflow accelerators.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="run a model on a batch of inputs with one engine",
        description="Run MODEL on the batch in X.npy and save the model's output to Y.npy. "
        "Engines: onnx (onnxruntime on the original model, QONNX/FINN custom ops rewritten to "
        "standard ONNX; the reference), bnn (bnnc's bit-exact executor of the bnn dialect).",
    )
    run.add_argument("model", metavar="MODEL", help="an .onnx model, or bnn IR as .mlir")
    run.add_argument("--engine", choices=ENGINES, default="bnn", help="executor (default: bnn)")
    run.add_argument("--input", required=True, metavar="X.npy", help="a batch shaped like the model input")
    run.add_argument("--output", required=True, metavar="Y.npy", help="where to save the outputs")
    run.add_argument(
        "-p",
        "--passes",
        metavar="PIPELINE",
        help="passes to run on the bnn module before the bnn engine executes it, as in bnnc-opt "
        "(e.g. bnn-streamline)",
    )
    run.set_defaults(handler=run_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    with exit_on_user_errors("bnnc"):
        args.handler(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
