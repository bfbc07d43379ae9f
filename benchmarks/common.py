"""What the benchmark sections share: the machine and versions, timed subprocesses, tables.

A section returns `Table`s; `compare.py` prints them as aligned text and writes them, with the
machine, the versions and the date, as JSON and Markdown.
"""

from __future__ import annotations

import importlib.metadata
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
BNNC = str(Path(sys.executable).with_name("bnnc"))
# The LCE peer needs TensorFlow with numpy < 2, bnnc numpy ≥ 2: it lives in a venv of its own,
# inside the project's venv (so `.venv/` in .gitignore covers it). benchmarks/setup.sh makes it.
LCE_VENV = Path(os.environ.get("BNNC_LCE_VENV", Path(sys.prefix) / "peers" / "lce"))


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            cpu,
        )
    ram = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        ram = f"{kb / 2**20:.1f} GiB"
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "load average at start": " ".join(f"{v:.2f}" for v in os.getloadavg()),
    }


def _tool_version(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return "absent"
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return (
        (result.stdout or result.stderr).strip().splitlines()[0] if result.returncode == 0 else "?"
    )


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def lce_versions() -> dict[str, str]:
    """The peer venv's packages, read from its metadata (no TensorFlow import)."""
    found = {"tensorflow": "absent", "larq": "absent", "larq-compute-engine": "absent"}
    for site in LCE_VENV.glob("lib/python*/site-packages"):
        for dist in importlib.metadata.distributions(path=[str(site)]):
            name = dist.metadata["Name"].lower().replace("_", "-")
            if name in ("tensorflow", "tensorflow-cpu"):
                found["tensorflow"] = dist.version
            elif name in found:
                found[name] = dist.version
    return found


def versions() -> dict[str, str]:
    rev = (
        subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        or "unknown"
    )
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    info = {
        "bnnc": f"{package_version('bnnc')} (git {rev}{', modified' if dirty else ''})",
        "python": platform.python_version(),
    }
    for name in ("xdsl", "numpy", "onnx", "onnxruntime", "hls4ml", "qonnx"):
        info[name] = package_version(name)
    info.update(lce_versions())
    info["g++"] = _tool_version(["g++", "--version"])
    info["verilator"] = _tool_version(["verilator", "--version"])
    info["yosys"] = _tool_version(["yosys", "-V"])
    return info


@dataclass
class ProcessRun:
    seconds: float
    max_rss_mb: float
    returncode: int | None  # None: killed at the timeout
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def failure(self) -> str:
        """One line: why the process failed (its last line of error output)."""
        if self.returncode is None:
            return "timed out"
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        return lines[-1][:160] if lines else f"exit status {self.returncode}"


def run_process(
    command: list[str],
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> ProcessRun:
    """Run `command`; its wall time and its own peak resident memory (`wait4`'s ru_maxrss),
    killed (with its process group) after `timeout` seconds."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True
        )
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            try:
                os.killpg(process.pid, 9)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        code = None if expired.is_set() else process.returncode
        return ProcessRun(seconds, usage.ru_maxrss / 1024, code, out.read(), err.read())


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def best_rate(images: int, fn, min_seconds: float = 1.0, max_repeats: int = 5) -> float:
    """Images per second of `fn()` on `images` images: the best of repeated runs (at least
    one, more until `min_seconds` have passed), after a warm-up run."""
    fn()
    best, total, repeats = float("inf"), 0.0, 0
    while repeats == 0 or (total < min_seconds and repeats < max_repeats):
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        best, total, repeats = min(best, elapsed), total + elapsed, repeats + 1
    return images / best


def top1_agreement(scores, reference) -> float:
    """Share of images whose top-1 class is a top-1 class of the reference. Ties in the
    reference (common: BNN scores are affine maps of integers) count as agreement."""
    import numpy as np

    scores = np.asarray(scores, np.float64).reshape(len(scores), -1)
    reference = np.asarray(reference, np.float64).reshape(len(reference), -1)[: len(scores)]
    chosen = reference[np.arange(len(scores)), scores.argmax(axis=1)]
    best = reference.max(axis=1)
    return float(np.mean(chosen >= best - 1e-5 * (1 + np.abs(best))))


@dataclass
class Table:
    """A titled table: `rows` are dicts keyed by `columns`; `notes` go under it."""

    title: str
    columns: list[str]
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, **row) -> None:
        self.rows.append(row)

    def cells(self) -> list[list[str]]:
        return [[format_cell(row.get(c)) for c in self.columns] for row in self.rows]

    def text(self) -> str:
        cells = self.cells()
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        lines = [
            f"== {self.title}",
            "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)),
        ]
        for row in cells:
            lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        lines += [f"  {note}" for note in self.notes]
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [
            f"### {self.title}",
            "",
            "| " + " | ".join(self.columns) + " |",
            "|" + "---|" * len(self.columns),
        ]
        lines += [
            "| " + " | ".join(v.replace("|", "\\|") for v in row) + " |" for row in self.cells()
        ]
        if self.notes:
            lines += [""] + [f"- {note}" for note in self.notes]
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "columns": self.columns,
            "rows": self.rows,
            "notes": self.notes,
        }


def format_cell(value) -> str:
    """Numbers as people read them: 3 significant digits below 100, thousands separators."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if abs(value) >= 100:
            return f"{value:,.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.3g}" if value else "0"
    return str(value)
