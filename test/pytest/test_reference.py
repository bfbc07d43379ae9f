"""The reference engine (`bnnc.runtime.reference`) against qonnx's own executor and the published
accuracies of the shared models.

qonnx's `execute_onnx` is the authority on what the QONNX and FINN custom ops mean; it runs one
onnxruntime session per node, so it only sees a few images per model here. The whole MNIST test
set then checks the engine's speed and the models' published accuracies.

The data loaders are local so that this file does not depend on conftest's fixtures.
"""

from __future__ import annotations

import gzip
import time
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from bnnc.errors import BnncError
from bnnc.runtime.reference import ReferenceSession, run_reference

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
MODELS = SHARED / "models"
MNIST = SHARED / "data" / "mnist"
CUSTOM_DOMAIN = "qonnx.custom_op.general"


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (the MNIST format): zero, zero, type code, rank, big-endian dims, data."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    assert data[:3] == b"\x00\x00\x08", f"{path}: not an unsigned-byte IDX file"
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


@lru_cache(maxsize=1)
def mnist_test_set() -> tuple[np.ndarray, np.ndarray]:
    """The 10k test images as (N, 1, 28, 28) uint8 and their labels."""
    images = read_idx(MNIST / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(MNIST / "t10k-labels-idx1-ubyte.gz")
    return images.reshape(-1, 1, 28, 28), labels


def mnist_float(count: int | None = None) -> np.ndarray:
    """Test images scaled to [0, 1], as the QONNX and plain-ONNX MNIST models expect."""
    images = mnist_test_set()[0][:count]
    return (images / np.float32(255)).astype(np.float32)


def model(name: str) -> Path:
    path = MODELS / name
    assert path.exists(), f"missing shared model {path}"
    return path


# --------------------------------------------------------------------------------------------
# qonnx as the oracle
# --------------------------------------------------------------------------------------------


def qonnx_outputs(path: Path, x: np.ndarray) -> np.ndarray:
    """The first graph output of qonnx's executor for each image of `x`, stacked on axis 0."""
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_shapes import InferShapes

    with warnings.catch_warnings():
        # qonnx warns about domain renames and per-node shape mismatches it then ignores.
        warnings.simplefilter("ignore")
        wrapper = ModelWrapper(str(path)).transform(InferShapes())
        inputs = {init.name for init in wrapper.graph.initializer}
        name = next(i.name for i in wrapper.graph.input if i.name not in inputs)
        output = wrapper.graph.output[0].name
        return np.concatenate(
            [execute_onnx(wrapper, {name: x[i: i + 1]})[output] for i in range(len(x))]
        )


def cnv_inputs(count: int) -> np.ndarray:
    return np.random.default_rng(2024).random((count, 3, 32, 32), dtype=np.float32)


def finn_inputs() -> np.ndarray:
    return np.load(model("tfc_w1a1.finn.input.npy"))


SHARED_MODELS = [
    ("tfc_w1a1.qonnx.onnx", lambda: mnist_float(5)),
    ("tfc_w1a2.qonnx.onnx", lambda: mnist_float(5)),
    ("tfc_w2a2.qonnx.onnx", lambda: mnist_float(5)),
    ("lfc_w1a1.onnx", lambda: mnist_float(5)),
    ("sfc_w1a1_random.qonnx.onnx", lambda: mnist_float(5)),
    ("cnv_w1a1_random.qonnx.onnx", lambda: cnv_inputs(4)),
    ("tfc_w1a1.finn.onnx", finn_inputs),
]


@pytest.mark.parametrize(("name", "inputs"), SHARED_MODELS, ids=[m for m, _ in SHARED_MODELS])
def test_agrees_with_qonnx_executor(name, inputs):
    x = inputs()
    ours = run_reference(model(name), x)
    theirs = qonnx_outputs(model(name), x)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)


def test_finn_model_gives_expected_classes():
    # The FINN model takes raw pixels (float32 0..255, annotated UINT8) and ends in TopK, so its
    # first output is the (1, 1) int64 index of the best class per image.
    x = finn_inputs()
    expected = np.load(model("tfc_w1a1.finn.expected_output.npy"))
    out = run_reference(model("tfc_w1a1.finn.onnx"), x)
    assert out.shape == (4, 1) and out.dtype == np.int64
    np.testing.assert_array_equal(out.ravel(), expected.ravel())
    np.testing.assert_array_equal(expected.ravel(), [7, 2, 1, 0])


def test_uint8_input_is_cast_to_the_model_input_type():
    x = finn_inputs()
    session = ReferenceSession(model("tfc_w1a1.finn.onnx"))
    np.testing.assert_array_equal(session.run(x.astype(np.uint8)), session.run(x))


def many_inputs(name: str) -> np.ndarray:
    if name.startswith("cnv"):
        return cnv_inputs(16)
    if ".finn." in name:
        return mnist_test_set()[0][:64].astype(np.float32)
    return mnist_float(64)


@pytest.mark.parametrize("name", [m for m, _ in SHARED_MODELS])
def test_batched_runs_equal_image_by_image_runs(name):
    x = many_inputs(name)
    batched = ReferenceSession(model(name))
    single = ReferenceSession(model(name), allow_batching=False)
    assert batched.batched, "every shared model is provably batchable"
    assert not single.batched
    np.testing.assert_array_equal(batched.run(x), single.run(x))


# --------------------------------------------------------------------------------------------
# Each custom op on its own, against qonnx
# --------------------------------------------------------------------------------------------


def single_node_model(tmp_path: Path, op_type: str, x_shape: list[int],
                      params: dict[str, np.ndarray], **attrs: object) -> Path:
    """A model made of one custom node `op_type(x, *params)` in qonnx's domain."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, x_shape)
    node = helper.make_node(op_type, ["x", *params], ["y"], domain=CUSTOM_DOMAIN, **attrs)
    graph = helper.make_graph([node], "single", [x], [y],
                              [numpy_helper.from_array(v, k) for k, v in params.items()])
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(CUSTOM_DOMAIN, 1)])
    path = tmp_path / f"{op_type}.onnx"
    onnx.save(proto, path)
    return path


def grid(shape: list[int], step: float = 0.25) -> np.ndarray:
    """Evenly spaced values around 0 (0 included): exact ties for every rounding mode."""
    count = int(np.prod(shape))
    return ((np.arange(count) - count // 2) * step).astype(np.float32).reshape(shape)


def f32(value: float | list[float]) -> np.ndarray:
    return np.array(value, dtype=np.float32)


@pytest.mark.parametrize("scale", [f32(1.0), f32(0.5), f32([0.5, 1.0, 2.0]).reshape(1, 3, 1, 1)])
def test_bipolar_quant_matches_qonnx(tmp_path, scale):
    x = grid([1, 3, 4, 4])
    path = single_node_model(tmp_path, "BipolarQuant", [1, 3, 4, 4], {"scale": scale})
    ours = run_reference(path, x)
    np.testing.assert_array_equal(ours, qonnx_outputs(path, x))
    assert x[0, 1, 2, 0] == 0 and ours[0, 1, 2, 0] > 0  # 0 maps to +1, unlike ONNX Sign


QUANT_CASES = [
    # bitwidth, signed, narrow, rounding mode, scale, zero point
    (2, 1, 1, "ROUND", 1.0, 0.0),
    (2, 1, 0, "ROUND", 0.5, 0.0),
    (4, 0, 0, "ROUND", 0.5, 0.0),
    (4, 0, 1, "FLOOR", 0.25, 0.0),
    (3, 1, 0, "CEIL", 0.5, 0.0),
    (8, 1, 0, "ROUND", 1 / 128, 0.0),
    (3, 1, 1, "UP", 0.5, 0.0),
    (3, 1, 1, "DOWN", 0.5, 0.0),
    (3, 1, 0, "HALF_UP", 0.5, 0.0),
    (3, 1, 0, "HALF_DOWN", 0.5, 0.0),
    (3, 1, 0, "half_even", 0.5, 0.0),
    (4, 0, 0, "ROUND", 0.5, 3.0),
    (1, 1, 0, "ROUND", 1.0, 0.0),  # qonnx treats signed 1-bit as bipolar
    (1, 0, 0, "ROUND", 1.0, 0.0),
]


@pytest.mark.parametrize(("bits", "signed", "narrow", "mode", "scale", "zeropt"), QUANT_CASES)
def test_quant_matches_qonnx(tmp_path, bits, signed, narrow, mode, scale, zeropt):
    x = grid([1, 3, 4, 4], step=0.125)
    params = {"scale": f32(scale), "zeropt": f32(zeropt), "bitwidth": f32(bits)}
    path = single_node_model(tmp_path, "Quant", [1, 3, 4, 4], params, signed=signed,
                             narrow=narrow, rounding_mode=mode)
    np.testing.assert_array_equal(run_reference(path, x), qonnx_outputs(path, x))


def test_quant_round_to_zero_truncates(tmp_path):
    # Brevitas' name, unknown to qonnx 1.0: truncation towards zero, numpy's fix.
    x = grid([1, 3, 4, 4], step=0.3)
    params = {"scale": f32(0.5), "zeropt": f32(0.0), "bitwidth": f32(4.0)}
    path = single_node_model(tmp_path, "Quant", [1, 3, 4, 4], params, signed=1, narrow=0,
                             rounding_mode="ROUND_TO_ZERO")
    expected = np.clip(np.fix(np.clip(x / f32(0.5), -8, 7)), -8, 7) * f32(0.5)
    np.testing.assert_array_equal(run_reference(path, x), expected)


def test_quant_unknown_rounding_mode_is_refused(tmp_path):
    params = {"scale": f32(1.0), "zeropt": f32(0.0), "bitwidth": f32(4.0)}
    path = single_node_model(tmp_path, "Quant", [1, 4], params, signed=1, narrow=0,
                             rounding_mode="STOCHASTIC")
    with pytest.raises(BnncError, match="rounding_mode 'STOCHASTIC'"):
        ReferenceSession(path)


MULTITHRESHOLD_CASES = [
    # input shape, thresholds shape, data_layout (None: absent), out_scale, out_bias
    ([1, 3, 4, 4], (3, 5), None, 1.0, 0.0),
    ([1, 4, 4, 3], (3, 5), "NHWC", 1.0, 0.0),
    ([1, 3, 4, 4], (1, 3), "NCHW", 2.0, -1.0),
    ([1, 6], (6, 3), None, 1.0, 0.0),
    ([1, 6], (1, 1), "NC", 2.0, -1.0),
    ([1, 4, 3], (3, 2), None, 0.5, 0.25),  # rank 3 without a layout is NWC: channels last
]


@pytest.mark.parametrize(("shape", "steps", "layout", "scale", "bias"), MULTITHRESHOLD_CASES)
def test_multithreshold_matches_qonnx(tmp_path, shape, steps, layout, scale, bias):
    x = grid(shape)
    # Sorted thresholds on the same grid as x, so that some values sit exactly on one.
    thresholds = np.sort(grid([steps[0] * steps[1]], step=0.5).reshape(steps), axis=1)
    attrs: dict[str, object] = {"out_dtype": "INT8", "out_scale": scale, "out_bias": bias}
    if layout is not None:
        attrs["data_layout"] = layout
    path = single_node_model(tmp_path, "MultiThreshold", shape, {"thresholds": thresholds},
                             **attrs)
    np.testing.assert_array_equal(run_reference(path, x), qonnx_outputs(path, x))


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


def test_missing_file_is_a_bnnc_error(tmp_path):
    with pytest.raises(BnncError, match="no such file"):
        ReferenceSession(tmp_path / "absent.onnx")


def test_garbage_file_is_a_bnnc_error(tmp_path):
    path = tmp_path / "garbage.onnx"
    path.write_bytes(b"this is not a protobuf \x00\xff\x17")
    with pytest.raises(BnncError):
        ReferenceSession(path)


def test_unknown_custom_op_is_a_bnnc_error(tmp_path):
    params = {"scale": f32(1.0), "zeropt": f32(0.0), "bitwidth": f32(4.0)}
    path = single_node_model(tmp_path, "FloatQuant", [1, 4], params)
    with pytest.raises(BnncError, match="FloatQuant"):
        ReferenceSession(path)


def test_trunc_of_neither_version_is_a_bnnc_error(tmp_path):
    """QONNX Trunc has five inputs (v1) or six (v2); four is neither."""
    params = {"scale": f32(1.0), "zeropt": f32(0.0), "bitwidth": f32(4.0)}
    path = single_node_model(tmp_path, "Trunc", [1, 4], params)
    with pytest.raises(BnncError, match=r"\(Trunc\): has 4 inputs; Trunc takes five \(v1\) or six \(v2\)"):
        ReferenceSession(path)


def test_wrong_input_shape_is_a_bnnc_error():
    session = ReferenceSession(model("tfc_w1a1.qonnx.onnx"))
    with pytest.raises(BnncError, match="does not match"):
        session.run(np.zeros((2, 784), dtype=np.float32))


# --------------------------------------------------------------------------------------------
# The whole MNIST test set
# --------------------------------------------------------------------------------------------

ACCURACIES = [
    ("tfc_w1a1.qonnx.onnx", 92.96),
    ("lfc_w1a1.onnx", 98.35),
    ("tfc_w1a2.qonnx.onnx", 94.74),
    ("tfc_w2a2.qonnx.onnx", 96.60),
    ("tfc_w1a1.finn.onnx", 92.96),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "accuracy"), ACCURACIES, ids=[m for m, _ in ACCURACIES])
def test_mnist_accuracy(name, accuracy, record_property):
    images, labels = mnist_test_set()
    session = ReferenceSession(model(name))
    finn = name.endswith(".finn.onnx")  # raw pixels in, class index out
    x = images.astype(np.float32) if finn else mnist_float()
    start = time.perf_counter()
    out = session.run(x)
    seconds = time.perf_counter() - start
    predicted = out.ravel() if finn else out.argmax(axis=1)
    correct = int((predicted == labels).sum())
    rate = len(x) / seconds
    record_property("images_per_second", round(rate))
    print(f"{name}: {correct / 100:.2f} % in {seconds:.2f} s ({rate:.0f} images/s, "
          f"batched={session.batched})")
    assert correct == round(accuracy * 100)
