"""The folding solvers side by side: fix-9000 (exact vs FINN-greedy) and max, per network.

    .venv/bin/python benchmarks/folding.py [--shared ../shared] [--clock-mhz 200]

Prints LUT and BRAM18 of each fix design under the same cost model (width converters and
pools counted), the max designs' frame rates next to the FINN paper's, which resource binds,
and how long building and solving took.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "test" / "pytest"))  # the synthetic network builders

PAPER_MAX_FPS = {"SFC": 12.3e6, "LFC": 1.561e6, "CNV": 21_906}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--clock-mhz", type=float, default=200.0)
    parser.add_argument("--fps", type=float, default=9000.0)
    args = parser.parse_args()

    from bnnc.devices import load_device
    from bnnc.dialects import df
    from bnnc.analysis.folding.problem import build_problem
    from bnnc.analysis.folding.solvers import solve_finn_greedy, solve_fix, solve_max
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.driver.pipeline import run_pipeline

    models = Path(args.shared) / "models"
    networks = {
        "TFC": models / "tfc_w1a1.qonnx.onnx",
        "SFC": models / "sfc_w1a1_random.qonnx.onnx",
        "LFC": models / "lfc_w1a1.onnx",
        "CNV": models / "cnv_w1a1_random.qonnx.onnx",
    }
    device = load_device("zc706")
    print(f"device zc706, clock {args.clock_mhz:g} MHz, fix target {args.fps:,.0f} FPS, budgets 0.8 LUT / 0.8 BRAM")
    print(f"{'net':4} {'exact LUT':>10} {'BRAM18':>7} {'FPS':>9} | {'FINN-greedy LUT':>15} {'BRAM18':>7} {'FPS':>9} | "
          f"{'max FPS':>12} {'LUT':>8} {'BRAM18':>7} {'binds':>6} {'paper':>10} | {'solve s':>7}")
    for name, path in networks.items():
        module = run_pipeline(import_onnx(path), "bnn-streamline,lower-bnn-to-dataflow")
        graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
        start = time.perf_counter()
        problem = build_problem(graph, device, args.clock_mhz)
        target = problem.cycles_for_fps(args.fps)
        exact = solve_fix(problem, target)
        greedy = solve_finn_greedy(problem, target)
        fastest = solve_max(problem)
        elapsed = time.perf_counter() - start
        for solution, t in ((exact, target), (greedy, target), (fastest, fastest.target_cycles)):
            assert problem.verify(solution.folding, t) == [], problem.verify(solution.folding, t)
        fps = lambda s: args.clock_mhz * 1e6 / s.totals.cycles  # noqa: E731
        lut_share = fastest.totals.lut / problem.budget_lut
        bram_share = fastest.totals.bram18 / problem.budget_bram18
        binds = "LUT" if lut_share >= bram_share else "BRAM"
        paper = f"{PAPER_MAX_FPS[name]:,.0f}" if name in PAPER_MAX_FPS else "-"
        print(f"{name:4} {exact.totals.lut:10,} {exact.totals.bram18:7} {fps(exact):9,.0f} | "
              f"{greedy.totals.lut:15,} {greedy.totals.bram18:7} {fps(greedy):9,.0f} | "
              f"{fps(fastest):12,.0f} {fastest.totals.lut:8,} {fastest.totals.bram18:7} {binds:>6} {paper:>10} | {elapsed:7.2f}")


if __name__ == "__main__":
    main()
