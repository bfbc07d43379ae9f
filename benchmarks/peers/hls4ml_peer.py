"""hls4ml (PyPI `hls4ml` with `qonnx`) as a peer: ONNX → HLS C++ time, and its compiled
`predict()`. Every run is a fresh process (`hls4ml_worker.py`): whole-process times, as for
`bnnc compile`, and a crash or a hang of the peer cannot take the benchmark down."""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from common import ProcessRun, run_process

WORKER = Path(__file__).with_name("hls4ml_worker.py")
# hls4ml's advice: io_parallel for small dense networks; io_stream and the Resource strategy
# for convolutional ones (a fully unrolled io_parallel CNV does not compile in useful time).
IO = {"CNV": ("io_stream", "Resource")}
DEFAULT_IO = ("io_parallel", "Latency")
# Images through predict(): its C simulation runs ~1,000 images/s on TFC, ~0.2 on CNV.
IMAGES = {"TFC": 10_000, "SFC": 2_000, "CNV": 10}
QUICK_IMAGES = {"TFC": 2_000, "SFC": 500, "CNV": 2}
TIMEOUT = {"TFC": 300, "SFC": 300, "CNV": 900}


def missing() -> str | None:
    """Why hls4ml cannot run here, or None."""
    for module in ("hls4ml", "qonnx", "yaml", "h5py"):
        if importlib.util.find_spec(module) is None:
            return f"'{module}' is not installed (run benchmarks/setup.sh)"
    return None


def _command(mode: str, name: str, model: Path, output: Path, *extra: str) -> list[str]:
    io_type, strategy = IO.get(name, DEFAULT_IO)
    return [sys.executable, str(WORKER), mode, str(model), str(output), io_type, strategy, *extra]


def _reason(run: ProcessRun, timeout: float) -> str:
    if run.returncode is None:
        return f"did not finish in {timeout:.0f} s"
    lines = [line for line in run.stderr.splitlines() if line.startswith("hls4ml: ")]
    return lines[-1].removeprefix("hls4ml: ") if lines else run.failure()


def write_times(
    name: str, model: Path, repeats: int, timeout: float
) -> tuple[list[float], str | None]:
    """Whole-process seconds of convert + write, `repeats` times; (times, failure)."""
    times = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="hls4ml-") as tmp:
            run = run_process(_command("write", name, model, Path(tmp) / "prj"), timeout)
        if not run.ok:
            return times, _reason(run, timeout)
        times.append(run.seconds)
    return times, None


@dataclass
class PredictResult:
    compile_s: float = float("nan")
    images_per_s: float = float("nan")
    scores: np.ndarray | None = None
    failure: str | None = None
    write_s: float | None = None  # from the process's start to the end of write()
    warnings: list[str] = field(default_factory=list)  # hls4ml's own warnings on the model


def predict(name: str, model: Path, x: np.ndarray, timeout: float) -> PredictResult:
    """Convert, write, compile (g++, timed) and run `x` through hls4ml's `predict()`."""
    with tempfile.TemporaryDirectory(prefix="hls4ml-") as tmp:
        np.save(Path(tmp) / "x.npy", x)
        out = Path(tmp) / "out.npz"
        started = time.time()
        run = run_process(
            _command("predict", name, model, Path(tmp) / "prj", str(Path(tmp) / "x.npy"), str(out)),
            timeout,
        )
        written = Path(str(out) + ".written")
        write_s = float(written.read_text()) - started if written.exists() else None
        if not run.ok:
            return PredictResult(failure=_reason(run, timeout), write_s=write_s)
        data = np.load(out)
        info = json.loads(str(data["info"]))
        rate = len(x) / info["predict_s"]
        return PredictResult(
            info["compile_s"], rate, data["y"], None, write_s, info.get("warnings", [])
        )
