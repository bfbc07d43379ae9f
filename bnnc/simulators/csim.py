"""C simulation: the generated HLS C++ compiled with g++ and run on frames of AXI words.

No Xilinx tool is needed: the `ap_int`/`ap_fixed` headers and the `hls::stream` model come from
the PyPI package hls4ml (install it with `pip install --no-deps hls4ml==1.3.0`), found where it
is installed and never copied into bnnc. The testbench (`tb.cpp`) is the one the HLS project
ships, so this is the same C simulation Vivado's `csim_design` runs.

Builds are cached by the hash of the project's files and the compiler command, in
`$BNNC_CACHE_DIR/csim` (default `~/.cache/bnnc/csim`): a model compiles once. The top and the
testbench are compiled with optimisation; the parameter ROMs (only data) without, and without
exception tables, which g++ otherwise builds in time quadratic in the number of entries.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bnnc.errors import BnncError

HLS4ML_HINT = "pip install --no-deps 'hls4ml==1.3.0'"
CXX = os.environ.get("CXX", "g++")
CXX_FLAGS = ("-std=c++14",)
TOP_FLAGS = ("-O1",)  # -O2 compiles 1.6x longer and runs no faster (CNV, measured)
PARAMS_FLAGS = ("-O0", "-fno-exceptions")
WARNING_FLAGS = ("-Wall", "-Wextra")


def ap_types_dir() -> Path:
    """The directory of hls4ml's `ap_int.h` (found without importing hls4ml)."""
    spec = importlib.util.find_spec("hls4ml")
    if spec is None or not spec.submodule_search_locations:
        raise BnncError(f"C simulation needs the ap_int headers of hls4ml, which is not installed: {HLS4ML_HINT}")
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "templates" / "vivado" / "ap_types"
        if (candidate / "ap_int.h").is_file() and (candidate / "hls_stream.h").is_file():
            return candidate
    raise BnncError(f"hls4ml is installed but has no templates/vivado/ap_types/ap_int.h: {HLS4ML_HINT}")


def cache_dir() -> Path:
    root = os.environ.get("BNNC_CACHE_DIR")
    return (Path(root) if root else Path.home() / ".cache" / "bnnc") / "csim"


@dataclass(frozen=True)
class CsimBinary:
    """A compiled C simulation; `compile_seconds` is 0 when it came from the cache."""

    path: Path
    compile_seconds: float


def _compile(command: list[str], cwd: Path) -> str:
    if shutil.which(command[0]) is None:
        raise BnncError(f"C simulation needs a C++ compiler; '{command[0]}' was not found (install g++)")
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BnncError(f"C simulation: the generated C++ does not compile:\n{result.stderr[-4000:]}")
    return result.stderr


def compile_commands(project: Path, output: Path, warnings: bool = False) -> list[list[str]]:
    """The g++ commands that build the C simulation of the project in `project`."""
    include = ["-isystem", str(ap_types_dir()), "-I", str(project)]
    extra = list(WARNING_FLAGS) if warnings else []
    params = sorted(str(p.relative_to(project)) for p in (project / "params").glob("*.cpp"))
    unity = project / "params_all.cpp"
    unity.write_text("".join(f'#include "{p}"\n' for p in params))
    return [
        [CXX, *CXX_FLAGS, *TOP_FLAGS, *extra, *include, "-c", "top.cpp", "-o", str(output / "top.o")],
        [CXX, *CXX_FLAGS, *TOP_FLAGS, *extra, *include, "-c", "tb.cpp", "-o", str(output / "tb.o")],
        [CXX, *CXX_FLAGS, *PARAMS_FLAGS, *extra, *include, "-c", "params_all.cpp", "-o", str(output / "params.o")],
    ]


def build(files: Mapping[str, str], warnings: bool = False) -> tuple[CsimBinary, str]:
    """Compile (or find in the cache) the C simulation of a project given as {path: text}.

    Returns the binary and the compilers' warnings (empty unless `warnings`).
    """
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    digest.update(" ".join((CXX, *CXX_FLAGS, *TOP_FLAGS, *PARAMS_FLAGS, str(warnings))).encode())
    target = cache_dir() / digest.hexdigest()[:32]
    binary = target / "csim"
    if binary.is_file() and not warnings:
        return CsimBinary(binary, 0.0), ""
    start = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=target.parent))
    try:
        source = work / "src"
        for path, text in files.items():
            (source / path).parent.mkdir(parents=True, exist_ok=True)
            (source / path).write_text(text)
        commands = compile_commands(source, work, warnings)
        with ThreadPoolExecutor(max_workers=len(commands)) as pool:
            logs = list(pool.map(lambda c: _compile(c, source), commands))
        _compile([CXX, str(work / "top.o"), str(work / "tb.o"), str(work / "params.o"), "-o", str(work / "csim")], work)
        target.mkdir(parents=True, exist_ok=True)
        os.replace(work / "csim", binary)  # atomic: a concurrent build cannot leave half a binary
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return CsimBinary(binary, time.perf_counter() - start), "".join(logs)


def run(binary: CsimBinary, words: np.ndarray, out_words: int, frames_per_call: int = 1024) -> np.ndarray:
    """Frames of input AXI words (N, in words) through the C simulation → (N, out_words)."""
    words = np.ascontiguousarray(words, dtype="<u8")
    with tempfile.TemporaryDirectory(prefix="bnnc-csim-") as tmp:
        given, produced = Path(tmp) / "input.bin", Path(tmp) / "output.bin"
        words.tofile(given)
        result = subprocess.run(
            [str(binary.path), str(given), str(produced), str(frames_per_call)], capture_output=True, text=True, check=False
        )
        # hls::stream's model and ap_int report misuse (a read of an empty stream, words left in
        # a stream, operands of different widths) on stdout or stderr and go on; the testbench
        # prints nothing otherwise, so anything printed is a bug and fails the simulation.
        printed = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or printed:
            raise BnncError(f"C simulation failed: {printed[-2000:]}")
        out = np.fromfile(produced, dtype="<u8")
    if out.size != words.shape[0] * out_words:
        raise BnncError(f"C simulation wrote {out.size} words, expected {words.shape[0] * out_words}")
    return out.reshape(words.shape[0], out_words)


def run_frames(binary: CsimBinary, top, frames: np.ndarray) -> np.ndarray:
    """Frames of element codes (N, elements) through a compiled `hls.top`: packed into
    AXI words as its input port takes them, run, and the output words unpacked into element
    values (N, output elements), as the `df` executor gives them."""
    from bnnc.dialects import bnn
    from bnnc.packing import axi_words_per_frame, from_axi_words, to_axi_words

    in_port, out_port = top.port("in"), top.port("out")
    in_bits, out_bits = bnn.bit_width(in_port.element), bnn.bit_width(out_port.element)
    elements = out_port.elements.value.data
    words = run(binary, to_axi_words(frames, in_bits), axi_words_per_frame(elements, out_bits))
    signed = not bnn.is_bipolar(out_port.element) and bnn.integer_range(out_port.element)[0] < 0
    return from_axi_words(words, elements, out_bits, signed)


def run_graph(graph, frames: np.ndarray) -> np.ndarray:
    """A `df.graph` through `lower-dataflow-to-hls` and the C simulation, as `run_graph` of the
    `df` executor takes and gives them: element codes (N, elements) in stream order, in and out.

    The graph is lowered from a copy; the module it belongs to is left as it is.
    """
    from xdsl.dialects.builtin import ModuleOp

    from bnnc.backends.hls_cpp.project import project_files
    from bnnc.passes.lower_dataflow_to_hls import lower_graph

    top = lower_graph(graph.clone())
    module = ModuleOp([top])
    module.verify()
    binary, _ = build(project_files(module))
    return run_frames(binary, top, frames)
