"""Native kernels of the bnn executor, compiled once with the C compiler and loaded with ctypes.

numpy has no fused XOR-popcount-sum: the executor's XNOR dot products went through three
full-size temporaries and a reduction over a short axis, an order of magnitude slower than one
loop with the popcount instruction. The kernel (`xnor_popcount.c`) is that loop, on all cores
with OpenMP. It is built on first use into `$BNNC_CACHE_DIR/native/<hash>/` (default
`~/.cache/bnnc`), like the C simulation's binaries.

Without a C compiler, or with `BNNC_NATIVE=0`, the executor keeps its numpy path, which gives
the same integers (the tests compare both).
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import numpy as np

CC = os.environ.get("CC", "cc")
FLAGS = ("-O3", "-fopenmp", "-shared", "-fPIC", "-std=c11")
SOURCE = "xnor_popcount.c"


def cache_dir() -> Path:
    root = os.environ.get("BNNC_CACHE_DIR")
    return (Path(root) if root else Path.home() / ".cache" / "bnnc") / "native"


def enabled() -> bool:
    return os.environ.get("BNNC_NATIVE", "1") != "0"


@functools.cache
def _library() -> ctypes.CDLL | None:
    """The compiled kernels, or None when they cannot be built here (no compiler)."""
    source = resources.files(__package__).joinpath(SOURCE).read_text()
    digest = hashlib.sha256(" ".join((CC, *FLAGS, source)).encode()).hexdigest()[:32]
    target = cache_dir() / digest / "libbnnc_native.so"
    if not target.is_file():
        if shutil.which(CC) is None:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            c_file, built = Path(work) / SOURCE, Path(work) / target.name
            c_file.write_text(source)
            result = subprocess.run([CC, *FLAGS, str(c_file), "-o", str(built)], check=False,
                                    capture_output=True, text=True)
            if result.returncode != 0:
                return None
            built.replace(target)  # atomic: a concurrent process sees all of it or nothing
    # OpenMP threads that spin while waiting steal the cores from everything else on a busy
    # machine (a test runner, a second simulation); sleeping costs microseconds per call
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    library = ctypes.CDLL(str(target))
    pointer = np.ctypeslib.ndpointer
    library.bnnc_xnor_popcount.argtypes = [
        pointer(np.uint64, flags="C"), pointer(np.uint64, flags="C"), pointer(np.int64, flags="C"),
        ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, ctypes.c_int,
    ]
    library.bnnc_xnor_popcount.restype = None
    return library


_this_thread = threading.local()


@contextmanager
def one_core():
    """Kernels called from this thread inside the block use one core: for a caller that already
    runs a batch on every core, where OpenMP teams of its own would oversubscribe them."""
    _this_thread.threads = 1
    try:
        yield
    finally:
        _this_thread.threads = 0


def xnor_popcount(x_words: np.ndarray, w_words: np.ndarray, k: int) -> np.ndarray | None:
    """k − 2·popcount(x XOR w) for every pair of packed rows, (R, M) int64; None when the
    native kernels are off or unavailable."""
    library = _library() if enabled() else None
    if library is None:
        return None
    x_words = np.ascontiguousarray(x_words, dtype=np.uint64)
    w_words = np.ascontiguousarray(w_words, dtype=np.uint64)
    rows, words = x_words.shape
    m = w_words.shape[0]
    assert w_words.shape[1] == words, (x_words.shape, w_words.shape)
    out = np.empty((rows, m), dtype=np.int64)
    threads = getattr(_this_thread, "threads", 0)
    library.bnnc_xnor_popcount(x_words, w_words, out, rows, m, words, k, threads)
    return out
