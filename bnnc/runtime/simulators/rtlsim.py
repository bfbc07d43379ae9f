"""Run a folded, sized `df.graph` in RTL simulation: bit-exact outputs and measured cycles.

    outputs, timing = run_rtlsim(module, frames)                     # Verilator
    outputs, timing = run_rtlsim(module, frames, simulator="icarus")  # slower, a few frames

`frames` are the `df.input` elements of each frame (N, E), as `bnnc.runtime.interpreters.df.run_graph`
takes them; the outputs are the `df.output` elements (N, E_out) as `run_graph` returns them.
The frames go in through the top's AXI-stream slave, one 64-bit word a cycle, back to back.

Builds are cached under `$BNNC_CACHE_DIR` (default `~/.cache/bnnc`)/rtlsim/<hash of the generated
files and the simulator>, so running the same design again does not rebuild it. Missing tools,
build failures and deadlocks raise `BnncError`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from bnnc.backends.verilog.emitter import TOP_MODULE, Project, build_project, find_graph
from bnnc.errors import BnncError
from bnnc.semantics.packing import from_axi_words, to_axi_words

SIMULATORS = ("verilator", "icarus")
IDLE_CYCLES = 1_000_000  # no handshake for this long: the design is deadlocked
BUILD_TIMEOUT = 1800


@dataclass(frozen=True)
class RtlTiming:
    """Measured cycles: `interval` between the last two frames' last output words (None for a
    single frame), `latency` from the first frame's first input word to its last output word
    (inclusive, as `bnnc.analysis.fifo_model`), and every frame's start and finish cycle; and the
    seconds spent building the simulation (0 when it came from the cache)."""

    interval: int | None
    latency: int
    starts: tuple[int, ...]
    finishes: tuple[int, ...]
    build_seconds: float = field(default=0.0, compare=False)  # equal timings: the same cycles


def cache_root() -> Path:
    return Path(os.environ.get("BNNC_CACHE_DIR", Path.home() / ".cache" / "bnnc")) / "rtlsim"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BnncError(f"rtlsim: '{name}' is not installed or not on PATH (apt-get install "
                        f"{'verilator' if name == 'verilator' else 'iverilog'})")
    return path


def _run(command: list[str], cwd: Path, what: str, timeout: int) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, check=False, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise BnncError(f"rtlsim: {what} timed out after {timeout} s") from e
    if result.returncode != 0:
        log = (result.stderr or result.stdout).strip().splitlines()
        raise BnncError(f"rtlsim: {what} failed (exit {result.returncode}): " + " | ".join(log[-15:]))
    return result


def _digest(project: Project, simulator: str) -> str:
    h = hashlib.sha256(simulator.encode())
    if simulator == "verilator":  # other options, another build
        h.update(" ".join([*VERILATOR_OPTIONS, *MAKE_OPTIONS]).encode())
    for path in sorted(project.files):
        h.update(path.encode() + b"\0" + project.files[path].encode() + b"\0")
    return h.hexdigest()[:24]


def _sources(project: Project) -> list[str]:
    return ["top.v", *sorted(p for p in project.files if p.startswith("library/"))]


VERILATOR_OPTIONS = ("-O3", "-Wno-fatal")
MAKE_OPTIONS = ("OPT_FAST=-O1", "OPT_SLOW=-O0", "OPT_GLOBAL=-O1")
"""How Verilator's C++ is compiled. Its `Slow` files are the settle pass, a copy of every
combinational function run once at time 0 (half the code): -O0. The `Fast` files run every
cycle: -O1, which on TFC's max design compiles in about half the time of Verilator's default
-Os with -O1 (and simulates as fast). The runtime (`verilated.o`, `verilated_threads.o`), the
same for every design, is compiled once into the cache (`_runtime_objects`)."""
RUNTIME_OBJECTS = ("verilated.o", "verilated_threads.o")


def _runtime_objects(make_dir: Path, jobs: int) -> None:
    """Put Verilator's runtime objects into `make_dir` (a verilated `obj_dir`): from the cache, or
    compiled there by its makefile and cached, keyed by the Verilator and compiler versions and
    the options. Copies are newer than their sources, so make keeps them."""
    versions = [subprocess.run([name, "--version"], capture_output=True, text=True,
                               check=False).stdout for name in ("verilator", os.environ.get("CXX", "g++"))]
    key = hashlib.sha256("\0".join([*versions, *MAKE_OPTIONS]).encode()).hexdigest()[:24]
    cached = cache_root() / f"runtime-{key}"
    if not all((cached / name).is_file() for name in RUNTIME_OBJECTS):
        _run(["make", "-j", str(jobs), "-f", "Vtop.mk", *MAKE_OPTIONS, *RUNTIME_OBJECTS], make_dir,
             "verilator runtime build", BUILD_TIMEOUT)
        staging = Path(tempfile.mkdtemp(prefix="runtime-", dir=cache_root()))
        for name in RUNTIME_OBJECTS:
            shutil.copy2(make_dir / name, staging / name)
        try:
            staging.rename(cached)
        except OSError:  # another process cached them meanwhile
            shutil.rmtree(staging, ignore_errors=True)
        return
    for name in RUNTIME_OBJECTS:
        shutil.copy(cached / name, make_dir / name)


def _verilator_build(tool: str, project: Project, work: Path) -> None:
    """Verilate, then compile with make: the runtime objects from the cache, the design's files
    with `MAKE_OPTIONS`, on every core."""
    jobs = os.cpu_count() or 1
    _run([tool, "--cc", "--exe", *VERILATOR_OPTIONS, "--top-module", TOP_MODULE, "--prefix",
          "Vtop", "-o", "sim", *_sources(project), "harness.cpp"], work, "verilator", BUILD_TIMEOUT)
    make_dir = work / "obj_dir"
    _runtime_objects(make_dir, jobs)
    _run(["make", "-j", str(jobs), "-f", "Vtop.mk", *MAKE_OPTIONS, "sim"], make_dir,
         "verilator build (make)", BUILD_TIMEOUT)
    shutil.move(str(make_dir / "sim"), str(work / "sim"))
    shutil.rmtree(make_dir)


def build(project: Project, simulator: str = "verilator") -> Path:
    """Build (or find in the cache) the simulation of `project`; its directory, which holds the
    executable (`sim` or `sim.vvp`) and the `.mem` files it reads from its working directory."""
    if simulator not in SIMULATORS:
        raise BnncError(f"rtlsim: unknown simulator '{simulator}'; expected one of {', '.join(SIMULATORS)}")
    tool = _tool("verilator" if simulator == "verilator" else "iverilog")
    target = cache_root() / _digest(project, simulator)
    if (target / "done").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=target.parent))
    try:
        for path, text in project.files.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text)
        if simulator == "verilator":
            _verilator_build(tool, project, work)
        else:
            _run([tool, "-g2012", "-o", "sim.vvp", "-s", "bnnc_tb", *_sources(project), "tb.v"],
                 work, "iverilog build", BUILD_TIMEOUT)
        (work / "done").write_text("")
        try:
            work.rename(target)
        except OSError:  # another process built it meanwhile
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return target


def _simulate(directory: Path, simulator: str, words: np.ndarray, timeout: int) -> list[str]:
    frames, per_frame = words.shape
    with tempfile.TemporaryDirectory(prefix="bnnc-rtlsim-") as tmp:
        stimulus, trace = Path(tmp) / "input.hex", Path(tmp) / "output.txt"
        lines = [f"{frames} {per_frame}", *(f"{int(w):016x}" for w in words.reshape(-1))]
        stimulus.write_text("\n".join(lines) + "\n")
        if simulator == "verilator":
            command = [str(directory / "sim"), str(stimulus), str(trace), str(IDLE_CYCLES)]
        else:
            command = [_tool("vvp"), "-n", str(directory / "sim.vvp"), f"+input={stimulus}",
                       f"+output={trace}", f"+idle={IDLE_CYCLES}"]
        result = _run(command, directory, f"{simulator} simulation", timeout)
        if "deadlock" in result.stdout:
            raise BnncError(f"rtlsim: {result.stdout.strip()}")
        return trace.read_text().splitlines()


def run_rtlsim(module: ModuleOp, frames: np.ndarray, simulator: str = "verilator",
               timeout: int = 3600) -> tuple[np.ndarray, RtlTiming]:
    """Simulate the module's `df.graph` on `frames` (N, E); (outputs (N, E_out), timing)."""
    project = build_project(find_graph(module))
    frames = np.asarray(frames)
    if frames.ndim != 2:
        raise BnncError(f"rtlsim: frames must be (N, elements), got shape {frames.shape}")
    start = time.perf_counter()
    directory = build(project, simulator)
    build_seconds = time.perf_counter() - start
    trace = _simulate(directory, simulator, to_axi_words(frames, project.input_bits), timeout)
    starts = [int(line.split()[1]) for line in trace if line.startswith("I ")]
    outputs = [line.split() for line in trace if line.startswith("O ")]
    finishes = [int(o[1]) for o in outputs if o[3] == "1"]
    if len(finishes) != frames.shape[0]:
        raise BnncError(f"rtlsim: {len(finishes)} frames came out of {frames.shape[0]}")
    words = np.array([int(o[2], 16) for o in outputs], dtype=np.uint64).reshape(frames.shape[0], -1)
    values = from_axi_words(words, project.output_elements, project.output_bits, project.output_signed)
    interval = finishes[-1] - finishes[-2] if len(finishes) > 1 else None
    timing = RtlTiming(interval, finishes[0] - starts[0] + 1, tuple(starts), tuple(finishes), build_seconds)
    return values, timing
