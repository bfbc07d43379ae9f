"""bnnc's benchmarks: prints the machine, then compile-step times and executor throughput.

    .venv/bin/python benchmarks/run.py [--shared ../shared] [--repeat 3] [--json out.json]

Times are medians of `--repeat` runs in this process (imports and start-up excluded, except in
the `bnnc run` row, which times the whole command). Numbers belong in the issue notes with the
command that produced them, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def machine() -> dict[str, str]:
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import numpy
    import onnxruntime
    import xdsl

    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "xdsl": str(getattr(xdsl, "__version__", "0.74.0")),
        "onnxruntime": onnxruntime.__version__,
    }


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(REPO.parent / "shared"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args()

    from bnnc.driver.datasets import mnist
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.runtime.interpreters.bnn import BnnExecutor
    from bnnc.driver.pipeline import run_pipeline
    from bnnc.runtime.reference import ReferenceSession

    shared = Path(args.shared)
    images, _ = mnist(shared / "data" / "mnist")
    cifar = np.random.default_rng(0).uniform(0, 1, (100, 3, 32, 32)).astype(np.float32)
    models = [
        ("TFC-w1a1", "tfc_w1a1.qonnx.onnx", images),
        ("LFC-w1a1", "lfc_w1a1.onnx", images),
        ("SFC-w1a1", "sfc_w1a1_random.qonnx.onnx", images),
        ("CNV-w1a1", "cnv_w1a1_random.qonnx.onnx", cifar),
    ]
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    rows = []
    header = f"{'model':10} {'import s':>9} {'streamline s':>13} {'bnn img/s':>11} {'streamlined img/s':>18} {'onnxruntime img/s':>18} {'images':>7}"
    print(header)
    for label, name, x in models:
        path = shared / "models" / name
        import_s = median_time(lambda: import_onnx(path), args.repeat)
        module = import_onnx(path)
        streamline_s = median_time(lambda: run_pipeline(import_onnx(path), "bnn-streamline"), args.repeat) - import_s
        imported = BnnExecutor(module)
        streamlined = BnnExecutor(run_pipeline(import_onnx(path), "bnn-streamline"))
        session = ReferenceSession(path)
        bnn_rate = len(x) / median_time(lambda: imported.run(x), args.repeat)
        fast_rate = len(x) / median_time(lambda: streamlined.run(x), args.repeat)
        ref_rate = len(x) / median_time(lambda: session.run(x), args.repeat)
        row = {
            "model": label, "import_s": import_s, "streamline_s": max(streamline_s, 0.0),
            "bnn_images_per_s": bnn_rate, "streamlined_images_per_s": fast_rate,
            "onnxruntime_images_per_s": ref_rate, "images": len(x),
        }
        rows.append(row)
        print(
            f"{label:10} {import_s:9.3f} {row['streamline_s']:13.3f} {bnn_rate:11,.0f} "
            f"{fast_rate:18,.0f} {ref_rate:18,.0f} {len(x):7}"
        )

    with tempfile.TemporaryDirectory() as tmp:
        np.save(Path(tmp) / "x.npy", images[:10])
        command = [
            str(Path(sys.executable).with_name("bnnc")), "run", str(shared / "models" / "lfc_w1a1.onnx"),
            "--engine", "bnn", "--input", str(Path(tmp) / "x.npy"), "--output", str(Path(tmp) / "y.npy"),
        ]
        whole = median_time(lambda: subprocess.run(command, check=True, capture_output=True), args.repeat)
    print(f"bnnc run, LFC, 10 images, whole command (start-up, import, run): {whole:.2f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "rows": rows, "bnnc_run_lfc_10_s": whole}, indent=2))


if __name__ == "__main__":
    main()
