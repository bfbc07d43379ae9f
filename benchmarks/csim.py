"""The C simulation: compile time of the generated C++ and images/s, per network and folding.

    .venv/bin/python benchmarks/csim.py [--shared ../shared] [--json out.json] [--quick] [--nets TFC,CNV]

For TFC (10,000 MNIST images), LFC (1,000) and the random-weight CNV built by the tests'
`synthetic.cnv` (20 inputs), at a fix-9000 and a max folding: the time to compile the project
with g++ from an empty cache (`csim.build`: the top and the testbench in one translation unit
at -O1, the ROM images beside it, in parallel on the machine's cores), then the C simulation's
throughput on the batch (`hls.invoke`: packing, the run of the binary on one process a core,
unpacking; the host's bnn ops excluded), and a check that the outputs equal those of the df
executor. Wall times depend on what else the machine runs, so the CPU seconds of the compilers
and of the simulation processes are given too, and the load average. `--quick` runs TFC only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
sys.path.insert(0, str(REPO / "test" / "pytest"))

from run import machine

FOLDINGS = {"fix-9000": "fold{target-fps=9000.0 clock-mhz=200.0}", "max": "fold{max=true}"}


def networks(shared: Path, quick: bool):
    from bnnc.driver.datasets import mnist

    images, _ = mnist(shared / "data" / "mnist")
    yield "TFC", shared / "models" / "tfc_w1a1.qonnx.onnx", images
    if quick:
        return
    yield "LFC", shared / "models" / "lfc_w1a1.onnx", images[:1000]
    import synthetic

    path = synthetic.save(synthetic.cnv(seed=21), Path(tempfile.mkdtemp()), "cnv")
    yield "CNV", path, synthetic.image_batch(np.random.default_rng(21), 20, [1, 3, 32, 32])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(path: Path, x: np.ndarray, folding: str) -> dict:
    from bnnc.backends.hls_cpp.project import project_files

    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.runtime.interpreters.bnn import BnnExecutor
    from bnnc.driver.pipeline import run_pipeline
    from bnnc.runtime.simulators import csim

    module = run_pipeline(
        import_onnx(path), f"bnn-streamline,lower-bnn-to-dataflow,{FOLDINGS[folding]},insert-streams,size-fifos"
    )
    expected = BnnExecutor(module).run(x)  # the df executor behind df.invoke
    run_pipeline(module, "lower-dataflow-to-hls")
    with tempfile.TemporaryDirectory() as cache:
        os.environ["BNNC_CACHE_DIR"] = cache  # an empty cache: the compile is timed
        cpu = children_cpu()
        start = time.perf_counter()
        csim.build(project_files(module))  # what hls.invoke builds first, timed here
        compile_s, compile_cpu = time.perf_counter() - start, children_cpu() - cpu
        executor = BnnExecutor(module)
        cpu = children_cpu()
        actual = executor.run(x)
        run_cpu = children_cpu() - cpu
    seconds = executor.hls.run_seconds
    return {
        "images": len(x),
        "compile_s": round(compile_s, 2),
        "compile_cpu_s": round(compile_cpu, 2),
        "run_s": round(seconds, 3),
        "run_cpu_s": round(run_cpu, 3),
        "images_per_s": round(len(x) / seconds, 1),
        "equal_to_df": bool(np.array_equal(actual, expected)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--nets", help="a comma-separated subset of TFC, LFC, CNV")
    args = parser.parse_args()
    info = machine()
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items()))
    rows = []
    print(f"{'net':<5} {'folding':<9} {'images':>7} {'compile s':>10} {'(cpu s)':>8} {'run s':>8} {'(cpu s)':>8} "
          f"{'images/s':>10}  equal  load")
    for name, path, x in networks(args.shared, args.quick):
        if args.nets and name not in args.nets.split(","):
            continue
        for folding in FOLDINGS:
            row = {"net": name, "folding": folding, **measure(path, x, folding), "load": round(os.getloadavg()[0], 1)}
            rows.append(row)
            print(f"{name:<5} {folding:<9} {row['images']:>7} {row['compile_s']:>10.2f} {row['compile_cpu_s']:>8.2f} "
                  f"{row['run_s']:>8.3f} {row['run_cpu_s']:>8.3f} {row['images_per_s']:>10,.1f}  {row['equal_to_df']!s:<5}  "
                  f"{row['load']}", flush=True)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
