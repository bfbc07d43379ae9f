"""The executor's native XNOR-popcount kernel gives the numpy path's integers exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bnnc.runtime.interpreters import native
from bnnc.runtime.interpreters.bnn import BnnExecutor, pack_bits, xnor_dot

SHARED = Path(__file__).resolve().parents[3] / "shared"


def test_the_kernel_builds_here():
    assert native._library() is not None, "cc -fopenmp could not build the native kernels"


@pytest.mark.parametrize("rows, m, k", [(1, 1, 1), (7, 3, 63), (33, 10, 64), (100, 17, 65), (513, 64, 784)])
def test_native_equals_numpy(rows, m, k, monkeypatch):
    rng = np.random.default_rng(rows * 1000 + k)
    x = rng.integers(0, 2, (rows, k), dtype=np.uint8)
    w = pack_bits(rng.integers(0, 2, (m, k), dtype=np.uint8))
    fast = xnor_dot(x, w, k)
    monkeypatch.setenv("BNNC_NATIVE", "0")
    slow = xnor_dot(x, w, k)
    expected = (2 * x.astype(np.int64) - 1) @ (2 * np.unpackbits(
        w.view(np.uint8), axis=1, bitorder="little")[:, :k].astype(np.int64) - 1).T
    assert fast.dtype == slow.dtype == np.int64
    np.testing.assert_array_equal(fast, expected)
    np.testing.assert_array_equal(slow, expected)


def test_executor_same_with_and_without_native(monkeypatch):
    from bnnc.driver.datasets import mnist
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.driver.pipeline import run_pipeline

    images, _ = mnist(SHARED / "data" / "mnist")
    module = run_pipeline(import_onnx(SHARED / "models" / "tfc_w1a1.qonnx.onnx"), "bnn-streamline")
    fast = BnnExecutor(module).run(images[:200])
    monkeypatch.setenv("BNNC_NATIVE", "0")
    slow = BnnExecutor(module).run(images[:200])
    np.testing.assert_array_equal(fast, slow)
