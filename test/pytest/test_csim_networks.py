"""Whole networks through the HLS C++ and its C simulation (g++), against the `bnn` executor.

The module is streamlined, lowered to `df`, folded (fix-9000 and max), sized and lowered to
`hls`; `hls.invoke` then runs the compiled top. Its outputs must equal the `bnn` executor's on
the streamlined module, element for element, hence the same accuracy. TFC runs the whole MNIST
test set in the default suite; LFC (1,000 images) and the full-size synthetic CNV (20 inputs)
are slow tests (their C++ takes a minute to compile); a small CNV stands for them in CI.
"""

import numpy as np
import pytest
import synthetic
from conftest import model_path

from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.driver.pipeline import run_pipeline

FOLDINGS = {"fix-9000": "fold{target-fps=9000.0 clock-mhz=200.0}", "max": "fold{max=true}"}


def through_csim(path, x: np.ndarray, folding: str) -> tuple[np.ndarray, np.ndarray]:
    """(bnn executor's outputs, the C simulation's) on the batch x."""
    module = run_pipeline(import_onnx(path), "bnn-streamline")
    expected = BnnExecutor(module).run(x)
    run_pipeline(module, f"lower-bnn-to-dataflow,{FOLDINGS[folding]},insert-streams,size-fifos,lower-dataflow-to-hls")
    return expected, BnnExecutor(module).run(x)


@pytest.mark.parametrize("folding", sorted(FOLDINGS))
def test_tfc_csim_equals_bnn_on_mnist(folding, mnist_test):
    images, labels = mnist_test
    expected, actual = through_csim(model_path("tfc_w1a1.qonnx.onnx"), images, folding)
    assert np.array_equal(actual, expected)
    assert (actual.argmax(1) == labels).mean() == pytest.approx(0.9296)


@pytest.mark.slow
@pytest.mark.parametrize("folding", sorted(FOLDINGS))
def test_lfc_csim_equals_bnn(folding, mnist_test):
    images, _ = mnist_test
    expected, actual = through_csim(model_path("lfc_w1a1.onnx"), images[:1000], folding)
    assert np.array_equal(actual, expected)


@pytest.mark.parametrize("folding", sorted(FOLDINGS))
def test_small_cnv_csim_equals_bnn(folding, tmp_path):
    model = synthetic.cnv(seed=31, channels=synthetic.SMALL_CNV, pool_order="before", label_select=True)
    x = synthetic.image_batch(np.random.default_rng(31), 20, [1, 3, 32, 32])
    expected, actual = through_csim(synthetic.save(model, tmp_path, "cnv"), x, folding)
    assert np.array_equal(actual, expected)


@pytest.mark.slow
@pytest.mark.parametrize("folding", sorted(FOLDINGS))
def test_cnv_csim_equals_bnn(folding, tmp_path):
    x = synthetic.image_batch(np.random.default_rng(21), 20, [1, 3, 32, 32])
    expected, actual = through_csim(synthetic.save(synthetic.cnv(seed=21), tmp_path, "cnv"), x, folding)
    assert np.array_equal(actual, expected)
