"""Larq Compute Engine as a peer: the same networks (weights read from the ONNX files by
`binary_layers`) built in Keras/Larq, converted by LCE and run by its interpreter, in the
peer's own venv (TensorFlow needs numpy < 2). One worker process runs every model."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from common import LCE_VENV, run_process

from peers.binary_layers import BinaryModel, save_npz

WORKER = Path(__file__).with_name("lce_worker.py")


def python() -> Path:
    return LCE_VENV / "bin" / "python"


def missing() -> str | None:
    """Why LCE cannot run here, or None."""
    if not python().exists():
        return f"no LCE venv at {LCE_VENV} (run benchmarks/setup.sh)"
    if not list(LCE_VENV.glob("lib/python*/site-packages/larq_compute_engine")):
        return f"larq-compute-engine is not installed in {LCE_VENV} (run benchmarks/setup.sh)"
    return None


@dataclass
class LceResult:
    images_per_s: float = float("nan")
    convert_s: float = float("nan")
    scores: np.ndarray | None = None
    info: dict = field(default_factory=dict)
    failure: str | None = None


def run(models: dict[str, tuple[BinaryModel, np.ndarray]], timeout: float) -> dict[str, LceResult]:
    """Each model's LCE throughput and scores on its batch (all in one worker process)."""
    reason = missing()
    if reason:
        return {name: LceResult(failure=reason) for name in models}
    with tempfile.TemporaryDirectory(prefix="lce-") as tmp:
        args = []
        for name, (model, x) in models.items():
            save_npz(model, Path(tmp) / f"{name}.npz")
            np.save(Path(tmp) / f"{name}-x.npy", x)
            args += [
                str(Path(tmp) / f"{name}.npz"),
                str(Path(tmp) / f"{name}-x.npy"),
                str(Path(tmp) / f"{name}-out.npz"),
            ]
        process = run_process([str(python()), str(WORKER), *args], timeout)
        results = {}
        for name in models:
            out = Path(tmp) / f"{name}-out.npz"
            if not out.exists():
                why = (
                    f"did not finish in {timeout:.0f} s"
                    if process.returncode is None
                    else process.failure()
                )
                results[name] = LceResult(failure=why)
                continue
            data = np.load(out)
            info = json.loads(str(data["info"]))
            results[name] = LceResult(
                info["images"] / info["run_s"], info["convert_s"], data["y"], info
            )
        return results
