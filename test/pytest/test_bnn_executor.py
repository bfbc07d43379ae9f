"""The `bnn` executor against the reference engine and the published accuracies of the models."""

import numpy as np
import pytest
from conftest import model_path, shared_path

from bnnc.errors import BnncError
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor, pack_bits, xnor_dot
from bnnc.runtime.reference import ReferenceSession

# model, accuracy on the 10k MNIST test set (REFERENCE.md / the models' README)
MNIST_MODELS = [
    ("tfc_w1a1.qonnx.onnx", 92.96),
    ("lfc_w1a1.onnx", 98.35),
    ("tfc_w1a2.qonnx.onnx", 94.74),
    ("tfc_w2a2.qonnx.onnx", 96.60),
]


def top1_with_ties(scores: np.ndarray) -> tuple[np.ndarray, int]:
    """Labels (first index on ties, as np.argmax and ONNX TopK) and how many rows have a tie."""
    best = scores.max(axis=1, keepdims=True)
    ties = int(((scores == best).sum(axis=1) > 1).sum())
    return scores.argmax(axis=1), ties


@pytest.mark.parametrize(("name", "accuracy"), MNIST_MODELS)
def test_mnist_accuracy_and_agreement_with_reference(name, accuracy, mnist_test):
    images, labels = mnist_test
    bnn_scores = BnnExecutor(import_onnx(model_path(name))).run(images)
    ref_scores = ReferenceSession(model_path(name)).run(images)
    bnn_labels, bnn_ties = top1_with_ties(bnn_scores)
    ref_labels, _ = top1_with_ties(ref_scores)
    # Scores are integer accumulators under a final affine: the executor evaluates it in double
    # precision, onnxruntime in single, so they agree to float32 rounding, not bit for bit.
    np.testing.assert_allclose(bnn_scores, ref_scores, rtol=1e-5, atol=1e-4)
    disagreements = np.flatnonzero(bnn_labels != ref_labels)
    assert disagreements.size == 0, f"labels differ on images {disagreements[:20]}"
    print(f"{name}: {bnn_ties} image(s) with tied top scores (both engines pick the lower index)")
    assert round(100 * float((bnn_labels == labels).mean()), 2) == accuracy


def test_finn_onnx_reproduces_its_expected_output():
    x = np.load(shared_path("models", "tfc_w1a1.finn.input.npy"))
    expected = np.load(shared_path("models", "tfc_w1a1.finn.expected_output.npy"))
    y = BnnExecutor(import_onnx(model_path("tfc_w1a1.finn.onnx"))).run(x)
    np.testing.assert_array_equal(y.reshape(expected.shape), expected)
    np.testing.assert_array_equal(y.reshape(-1), [7, 2, 1, 0])


def test_finn_and_qonnx_flavours_of_tfc_agree(mnist_test):
    images, _ = mnist_test
    images = images[:500]
    qonnx_labels = BnnExecutor(import_onnx(model_path("tfc_w1a1.qonnx.onnx"))).run(images)
    finn_labels = BnnExecutor(import_onnx(model_path("tfc_w1a1.finn.onnx"))).run(images * 255)
    np.testing.assert_array_equal(qonnx_labels.argmax(axis=1), finn_labels.reshape(-1))


@pytest.mark.parametrize(
    ("name", "shape"),
    [("sfc_w1a1_random.qonnx.onnx", (1, 28, 28)), ("cnv_w1a1_random.qonnx.onnx", (3, 32, 32))],
)
def test_random_weight_exports_match_reference(name, shape, rng):
    x = rng.uniform(0, 1, size=(8, *shape)).astype(np.float32)
    y = BnnExecutor(import_onnx(model_path(name))).run(x)
    ref = ReferenceSession(model_path(name)).run(x)
    np.testing.assert_allclose(y, ref, rtol=1e-5, atol=1e-4)


def test_batch_and_single_image_agree(mnist_test):
    images, _ = mnist_test
    executor = BnnExecutor(import_onnx(model_path("tfc_w1a1.qonnx.onnx")))
    batch = executor.run(images[:16])
    singles = np.concatenate([executor.run(images[i : i + 1]) for i in range(16)])
    np.testing.assert_array_equal(batch, singles)


@pytest.mark.parametrize(
    ("name", "shape"),
    [("tfc_w1a1.qonnx.onnx", (1, 28, 28)), ("cnv_w1a1_random.qonnx.onnx", (3, 32, 32))],
)
def test_batch_in_slices_on_every_core_equals_one_batch(name, shape, rng, monkeypatch):
    """A large batch runs in slices, side by side on worker threads with a BLAS thread and a
    kernel core each (CNV's first layer is a BLAS matmul, the others the native kernel); the
    outputs, in order, are those of the whole batch in one call."""
    import bnnc.runtime.interpreters.bnn as executor_module

    module = import_onnx(model_path(name))
    x = rng.uniform(0, 1, size=(11, *shape)).astype(np.float32)
    whole = BnnExecutor(module, threads=1).run(x)
    sliced = BnnExecutor(module, threads=3)
    monkeypatch.setattr(executor_module, "SLICE_ELEMENTS", 2 * sliced.largest_per_input)
    np.testing.assert_array_equal(sliced.run(x), whole)
    assert len(sliced._interpreters) == 3  # 6 slices of at most 2 images on 3 workers

def test_wrong_input_shape_is_a_clear_error():
    executor = BnnExecutor(import_onnx(model_path("tfc_w1a1.qonnx.onnx")))
    with pytest.raises(BnncError, match=r"expected \[N, 1, 28, 28\]"):
        executor.run(np.zeros((2, 784), dtype=np.float32))


@pytest.mark.parametrize("k", [1, 63, 64, 65, 200])
def test_xnor_popcount_equals_pm1_dot_product(k, rng):
    x_bits = rng.integers(0, 2, size=(7, k), dtype=np.uint8)
    w_bits = rng.integers(0, 2, size=(5, k), dtype=np.uint8)
    expected = (2 * x_bits.astype(np.int64) - 1) @ (2 * w_bits.astype(np.int64) - 1).T
    np.testing.assert_array_equal(xnor_dot(x_bits, pack_bits(w_bits), k), expected)
