"""FIFO sizing of residual networks (issue 24): Brevitas ResNet-8 (w2a2) and ResNet-18 (w4a4) at
CIFAR-10 sizes, seeded random weights (built as test_residual_brevitas.py builds them), folded
layer by layer to a frame rate, then `insert-streams` and `size-fifos` timed.

    .venv/bin/python benchmarks/residual_fifos.py [--fps 1000] [--nets resnet8,resnet18]

Needs the `train` extra (Brevitas, PyTorch). The folding is `fold{target-fps=FPS}`, the exact
solver over the series-parallel graph (its time is printed too). `--keep DIR` keeps the exported
models there and reuses them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NETS = {"resnet8": (8, 2, 2), "resnet18": (18, 4, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fps", type=float, default=1000.0)
    parser.add_argument("--nets", default="resnet8,resnet18")
    parser.add_argument("--keep", default=None, help="a folder for the exported models (reused)")
    args = parser.parse_args()

    import torch
    from brevitas.export import export_qonnx

    sys.path.insert(0, str(REPO / "test" / "pytest"))
    import test_residual_brevitas as nets

    from bnnc.devices import DEFAULT_BOARD, load_device
    from bnnc.dialects import df
    from bnnc.driver.pipeline import run_pipeline
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.passes.size_fifos import size_fifos

    clock = load_device(DEFAULT_BOARD).clock_mhz
    target = int(clock * 1e6 // args.fps)
    print(f"{'net':9} {'engines':>7} {'joins':>5} {'fold s':>6} {'sizing s':>8} {'interval':>9} {'latency':>9} "
          f"{'FIFO bits':>10} {'whole-frame bits':>16}   (target {target} cycles at {clock:g} MHz)")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.nets.split(","):
            path = folder / f"{name}.onnx"
            if not path.exists():
                export_qonnx(nets.build(*NETS[name]), torch.zeros(1, 3, 32, 32), str(path), dynamo=False)
            module = run_pipeline(import_onnx(path), "bnn-streamline,lower-bnn-to-dataflow")
            graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
            start = time.perf_counter()
            run_pipeline(module, f"fold{{target-fps={args.fps:g}}},insert-streams")
            folded = time.perf_counter() - start
            start = time.perf_counter()
            summary = size_fifos(graph)
            elapsed = time.perf_counter() - start
            ops = list(graph.body.block.ops)
            engines = sum(isinstance(op, df.EngineOp) and not isinstance(op, df.FifoOp) for op in ops)
            joins = sum(len(op.operands) > 1 for op in ops)
            value = lambda key: summary.data[key].value.data  # noqa: E731
            print(f"{name:9} {engines:7} {joins:5} {folded:6.1f} {elapsed:8.2f} {value('interval'):9} "
                  f"{value('latency'):9} {value('fifo_bits'):10,} {value('whole_frame_bits'):16,}", flush=True)


if __name__ == "__main__":
    main()
