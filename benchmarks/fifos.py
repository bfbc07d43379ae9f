"""FIFO sizing per network and scenario: time, interval vs bottleneck, FIFO bits vs whole frames.

    .venv/bin/python benchmarks/fifos.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    args = parser.parse_args()

    from bnnc.analysis.cost_model import estimate_graph
    from bnnc.devices import load_device
    from bnnc.dialects import df
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.passes.size_fifos import size_fifos
    from bnnc.driver.pipeline import run_pipeline

    models = Path(args.shared) / "models"
    print(f"{'net':4} {'scenario':8} {'sizing s':>8} {'interval':>9} {'bottleneck':>10} {'latency':>8} {'FIFO bits':>10} {'whole-frame bits':>16}")
    for name, file in (("TFC", "tfc_w1a1.qonnx.onnx"), ("SFC", "sfc_w1a1_random.qonnx.onnx"),
                       ("LFC", "lfc_w1a1.onnx"), ("CNV", "cnv_w1a1_random.qonnx.onnx")):
        for scenario, fold in (("fix-9000", "fold{target-fps=9000}"), ("max", "fold{max=true}")):
            module = run_pipeline(import_onnx(models / file), f"bnn-streamline,lower-bnn-to-dataflow,{fold},insert-streams")
            graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
            start = time.perf_counter()
            summary = size_fifos(graph)
            elapsed = time.perf_counter() - start
            bottleneck = max(n.cost.cycles for n in estimate_graph(graph, load_device("zc706"), 200.0).nodes)
            value = lambda key: summary.data[key].value.data  # noqa: E731
            print(f"{name:4} {scenario:8} {elapsed:8.2f} {value('interval'):9} {bottleneck:10} {value('latency'):8} "
                  f"{value('fifo_bits'):10,} {value('whole_frame_bits'):16,}")


if __name__ == "__main__":
    main()
