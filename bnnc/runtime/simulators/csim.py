"""C simulation: the generated HLS C++ compiled with g++ and run on frames of AXI words.

No Xilinx tool is needed: the `ap_int`/`ap_fixed` headers and the `hls::stream` model come from
the PyPI package hls4ml (install it with `pip install --no-deps hls4ml==1.3.0`), found where it
is installed and never copied into bnnc. The testbench (`tb.cpp`) is the one the HLS project
ships, so this is the same C simulation Vivado's `csim_design` runs.

Builds are cached by the hash of the project's files and the compiler command, in
`$BNNC_CACHE_DIR/csim` (default `~/.cache/bnnc/csim`): a model compiles once. The top and the
testbench are one translation unit, compiled with optimisation (one parse of the ap_int
headers). The parameter ROMs are not compiled: g++ takes about 0.1 ms an entry of an `ap_int`
array initializer, minutes for a large network, so their sources are read as data and linked as
images of the arrays (`backends/hls_cpp/rom_image.py`, checked against ap_int at start-up);
a source the reader does not recognise, and every source when checking warnings, is compiled
(without optimisation and exception tables, which g++ builds in time quadratic in the entries).
A batch runs in one process a core, each on its share of the frames.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bnnc.errors import BnncError

HLS4ML_HINT = "pip install --no-deps 'hls4ml==1.3.0'"
CXX = os.environ.get("CXX", "g++")
CXX_FLAGS = ("-std=c++14",)
TOP_FLAGS = ("-O1",)  # -O2 compiles 1.3x longer and runs no faster; -Og runs 3x slower (measured)
PARAMS_FLAGS = ("-O0", "-fno-exceptions")
WARNING_FLAGS = ("-Wall", "-Wextra")
MIN_FRAMES_PER_PROCESS = 8  # a smaller batch runs in one process: a start-up costs ~5 ms


@cache
def native_flags() -> tuple[str, ...]:
    """-mpopcnt where this machine has the instruction (the binary runs where it is built)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return ()
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return ()
    return ("-mpopcnt",) if " popcnt" in flags else ()


def processes() -> int:
    """The cores this process may run on: a batch is split over as many processes."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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


def compile_commands(project: Path, output: Path, warnings: bool = False, images: bool = True) -> list[list[str]]:
    """The g++ commands that build the C simulation of the project in `project`, whose sources
    they compile are written beside it: `csim_main.cpp` (the top and the testbench, and the
    check of the ROM images), `csim_roms.cpp` (the ROM images) and `params_all.cpp` (the ROM
    sources compiled as C++: those the image reader does not recognise; all of them without
    `images` or with `warnings`)."""
    from bnnc.backends.hls_cpp.rom_image import check_source, image_source, read_rom_source

    include = ["-isystem", str(ap_types_dir()), "-I", str(project)]
    extra = list(WARNING_FLAGS) if warnings else []
    read = images and not warnings
    images, sources = [], []
    for path in sorted((project / "params").glob("*.cpp")):
        header = path.with_suffix(".h")
        image = read_rom_source(path.read_text(), header.read_text()) if read and header.is_file() else None
        if image is None:
            sources.append(str(path.relative_to(project)))
        else:
            images.append(image)
    main = '#include "top.cpp"\n#include "tb.cpp"\n' + (check_source(images) if images else "")
    (project / "csim_main.cpp").write_text(main)
    commands = [
        [CXX, *CXX_FLAGS, *TOP_FLAGS, *native_flags(), *extra, *include, "-c", "csim_main.cpp", "-o", str(output / "main.o")]
    ]
    if images:
        (project / "csim_roms.cpp").write_text(image_source(images))
        commands.append([CXX, *CXX_FLAGS, "-O0", "-c", "csim_roms.cpp", "-o", str(output / "roms.o")])
    if sources:
        (project / "params_all.cpp").write_text("".join(f'#include "{p}"\n' for p in sources))
        commands.append(
            [CXX, *CXX_FLAGS, *PARAMS_FLAGS, *extra, *include, "-c", "params_all.cpp", "-o", str(output / "params.o")]
        )
    return commands


def build(files: Mapping[str, str], warnings: bool = False) -> tuple[CsimBinary, str]:
    """Compile (or find in the cache) the C simulation of a project given as {path: text}.

    Returns the binary and the compilers' warnings (empty unless `warnings`). A binary whose
    ROM images fail their start-up check (an ap_int whose layout is not the one rom_image.py
    writes) is built again with the ROM sources compiled, and the log says why.
    """
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    digest.update(" ".join((CXX, *CXX_FLAGS, *TOP_FLAGS, *native_flags(), *PARAMS_FLAGS, str(warnings))).encode())
    digest.update(b"csim v2")  # the build's layout: one unit for top and testbench, ROM images
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
        logs = _compile_and_link(compile_commands(source, work, warnings), source, work)
        rejected = _start_up_failure(work)
        if rejected and (source / "csim_roms.cpp").is_file():
            logs += [f"C simulation: ROM images rejected, ROM sources compiled instead: {rejected}\n"]
            logs += _compile_and_link(compile_commands(source, work, warnings, images=False), source, work)
        target.mkdir(parents=True, exist_ok=True)
        os.replace(work / "csim", binary)  # atomic: a concurrent build cannot leave half a binary
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return CsimBinary(binary, time.perf_counter() - start), "".join(logs)


def _compile_and_link(commands: list[list[str]], source: Path, work: Path) -> list[str]:
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        logs = list(pool.map(lambda c: _compile(c, source), commands))
    objects = [c[c.index("-o") + 1] for c in commands]
    _compile([CXX, *objects, "-o", str(work / "csim")], work)
    return logs


def _start_up_failure(work: Path) -> str:
    """What the binary in `work` prints (or its exit status) when run on no frames; '' if it
    runs silently, as it must."""
    (work / "empty.bin").write_bytes(b"")
    result = subprocess.run(
        [str(work / "csim"), str(work / "empty.bin"), str(work / "empty.out")], capture_output=True, text=True, check=False
    )
    printed = (result.stdout + result.stderr).strip()
    return printed or (f"exit status {result.returncode}" if result.returncode else "")


def run(binary: CsimBinary, words: np.ndarray, out_words: int, frames_per_call: int = 1024) -> np.ndarray:
    """Frames of input AXI words (N, in words) through the C simulation → (N, out_words).

    The frames are independent (every call of the top starts afresh), so the batch is split
    into contiguous shares run by one process a core at the same time."""
    words = np.ascontiguousarray(words, dtype="<u8")
    shares = max(1, min(processes(), words.shape[0] // MIN_FRAMES_PER_PROCESS))
    bounds = np.linspace(0, words.shape[0], shares + 1).round().astype(int)
    with tempfile.TemporaryDirectory(prefix="bnnc-csim-") as tmp:
        runs = []
        for i in range(shares):
            given, produced = Path(tmp) / f"input{i}.bin", Path(tmp) / f"output{i}.bin"
            words[bounds[i] : bounds[i + 1]].tofile(given)
            command = [str(binary.path), str(given), str(produced), str(frames_per_call)]
            runs.append((subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), produced))
        outs = []
        for process, produced in runs:
            stdout, stderr = process.communicate()
            # hls::stream's model and ap_int report misuse (a read of an empty stream, words left
            # in a stream, operands of different widths) on stdout or stderr and go on; the
            # testbench prints nothing otherwise, so anything printed is a bug and fails the run.
            printed = (stdout + stderr).strip()
            if process.returncode != 0 or printed:
                for other, _ in runs:
                    other.kill()
                    other.wait()
                raise BnncError(f"C simulation failed: {printed[-2000:]}")
            outs.append(np.fromfile(produced, dtype="<u8"))
    out = np.concatenate(outs)
    if out.size != words.shape[0] * out_words:
        raise BnncError(f"C simulation wrote {out.size} words, expected {words.shape[0] * out_words}")
    return out.reshape(words.shape[0], out_words)


def run_call(binary: CsimBinary, words: np.ndarray, out_words: int) -> tuple[np.ndarray, np.ndarray]:
    """One call of the top on all the frames of `words` (N, in words), as one DMA transfer
    drives it (TLAST on the last input word): the output words (N * out_words,) and their
    TLAST bits, as the top wrote them."""
    words = np.ascontiguousarray(words, dtype="<u8")
    frames = words.shape[0]
    with tempfile.TemporaryDirectory(prefix="bnnc-csim-") as tmp:
        given, produced, lasts = Path(tmp) / "input.bin", Path(tmp) / "output.bin", Path(tmp) / "last.bin"
        words.tofile(given)
        result = subprocess.run([str(binary.path), str(given), str(produced), str(max(frames, 1)), str(lasts)],
                                capture_output=True, text=True, check=False)
        printed = (result.stdout + result.stderr).strip()
        if result.returncode != 0 or printed:
            raise BnncError(f"C simulation failed: {printed[-2000:]}")
        out, last = np.fromfile(produced, dtype="<u8"), np.fromfile(lasts, dtype=np.uint8)
    if out.size != frames * out_words or last.size != out.size:
        raise BnncError(f"C simulation wrote {out.size} words, expected {frames * out_words}")
    return out, last.astype(bool)


def run_frames(binary: CsimBinary, top, frames: np.ndarray) -> np.ndarray:
    """Frames of element codes (N, elements) through a compiled `hls.top`: packed into
    AXI words as its input port takes them, run, and the output words unpacked into element
    values (N, output elements), as the `df` executor gives them."""
    from bnnc.dialects import bnn
    from bnnc.semantics.packing import axi_words_per_frame, from_axi_words, to_axi_words

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
