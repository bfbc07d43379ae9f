"""The random-BNN builders of `synthetic`: valid, runnable, non-degenerate, and imported right.

Each configuration is small (a few thousand weights, 16x16 or 32x32 images with 8-64 channels)
so that the file runs in seconds. The models are checked with `onnx.checker` (which accepts the
custom domain `qonnx.custom_op.general` and skips its ops' schemas), run in the reference
engine, and then compared with bnnc's importer and `bnn` executor.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import numpy_helper

import synthetic
from bnnc.errors import BnncError
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.reference import ReferenceSession, make_session, to_standard_onnx

IMAGES = 48  # per configuration: enough to see every channel take both signs
SMALL = synthetic.SMALL_CNV

Builder = Callable[[], onnx.ModelProto]
CONFIGS: dict[str, Builder] = {
    "tfc_qonnx": lambda: synthetic.mlp(synthetic.TFC, 0),
    "tfc_plain": lambda: synthetic.mlp(synthetic.TFC, 1, "plain"),
    "mlp_plain_topk": lambda: synthetic.mlp([784, 48, 32, 10], 2, "plain", label_select=True),
    "mlp_argmax_flatten": lambda: synthetic.mlp(
        [784, 32, 10], 3, label_select=True, label_op="ArgMax", flatten=True),
    "mlp_no_tensor_norm": lambda: synthetic.mlp(
        [48, 24, 24, 5], 4, input_shape=(1, 3, 4, 4), tensor_norm=False),
    "mlp_special_channels": lambda: synthetic.mlp(
        synthetic.TFC, 5, gamma_zero=3, huge_beta=2),
    "cnv_after": lambda: synthetic.cnv(6, "after", channels=SMALL),
    "cnv_before": lambda: synthetic.cnv(7, "before", channels=SMALL),
    "cnv_after_pad_plus": lambda: synthetic.cnv(8, "after", channels=SMALL, image=16,
                                                padding="+1"),
    "cnv_after_pad_minus": lambda: synthetic.cnv(9, "after", channels=SMALL, image=16,
                                                 padding="-1"),
    "cnv_before_pad_plus": lambda: synthetic.cnv(10, "before", channels=SMALL, image=16,
                                                 padding="+1"),
    "cnv_before_pad_minus": lambda: synthetic.cnv(11, "before", channels=SMALL, image=16,
                                                  padding="-1"),
    "cnv_4bit_input_topk": lambda: synthetic.cnv(12, input_bits=4, channels=SMALL, image=12,
                                                 padding="-1", label_select=True),
    "cnv_special_channels": lambda: synthetic.cnv(13, "before", channels=SMALL, gamma_zero=2,
                                                  huge_beta=2),
}
# (gamma_zero + huge_beta) channels per hidden layer that must be constant
SPECIAL = {"mlp_special_channels": 5, "cnv_special_channels": 4}
CNV_CONFIGS = [name for name in CONFIGS if name.startswith("cnv")]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """Config name -> path of its model file, built once per module."""
    folder = tmp_path_factory.mktemp("synthetic")
    paths: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in paths:
            paths[name] = synthetic.save(CONFIGS[name](), folder, name)
        return paths[name]

    return get


def load(path: Path) -> onnx.ModelProto:
    return onnx.load(str(path))


def reference(path: Path, x: np.ndarray) -> np.ndarray:
    return ReferenceSession(path).run(x)


def tensor_values(model: onnx.ModelProto, folder: Path, name: str,
                  x: np.ndarray) -> np.ndarray:
    """The values of the inner tensor `name` on `x`, by the reference engine on a cut model."""
    path = synthetic.save(synthetic.truncated(model, name), folder, "cut")
    return reference(path, x)


def inner_values(path: Path, names: list[str], x: np.ndarray) -> dict[str, np.ndarray]:
    """Several inner tensors at once: the reference engine's standard-ONNX rewrite of the model
    (the custom ops' outputs keep their names), run image by image with those as outputs."""
    model = to_standard_onnx(path)
    del model.graph.output[:]
    model.graph.output.extend(onnx.helper.make_empty_tensor_value_info(n) for n in names)
    session = make_session(model, str(path), threads=1)
    runs = [session.run(names, {"input": x[i:i + 1]}) for i in range(len(x))]
    return {name: np.concatenate([run[j] for run in runs]) for j, name in enumerate(names)}


def initializer_shapes(model: onnx.ModelProto) -> dict[str, list[int]]:
    return {init.name: list(init.dims) for init in model.graph.initializer}


# --------------------------------------------------------------------------------------------
# The models are valid, deterministic and shaped as the topologies
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONFIGS)
def test_loads_and_passes_the_checker(name, saved):
    model = load(saved(name))
    onnx.checker.check_model(model, full_check=True)
    domains = {o.domain: o.version for o in model.opset_import}
    assert domains[""] == synthetic.ONNX_OPSET
    uses_qonnx = any(n.domain == synthetic.QONNX_DOMAIN for n in model.graph.node)
    assert uses_qonnx == ("plain" not in name)
    if uses_qonnx:
        assert domains[synthetic.QONNX_DOMAIN] == synthetic.QONNX_OPSET


def test_builders_are_deterministic():
    for build in (lambda s: synthetic.mlp([784, 16, 10], s),
                  lambda s: synthetic.cnv(s, channels=[2] * 8, image=8, padding="+1")):
        assert build(3).SerializeToString() == build(3).SerializeToString()
        assert build(3).SerializeToString() != build(4).SerializeToString()


def test_random_inputs_are_seeded_images_in_the_unit_interval():
    model = synthetic.cnv(0, channels=[2] * 8, image=8, padding="-1")
    x = synthetic.random_inputs(model, 5, seed=1)
    assert x.shape == (5, 3, 8, 8) and x.dtype == np.float32
    assert 0 <= x.min() and x.max() <= 1 and not np.any(x == 0.5)
    np.testing.assert_array_equal(x, synthetic.random_inputs(model, 5, seed=1))
    assert not np.array_equal(x, synthetic.random_inputs(model, 5, seed=2))


@pytest.mark.parametrize(("layers", "flavour"), [(synthetic.TFC, "qonnx"),
                                                 (synthetic.SFC, "plain"),
                                                 (synthetic.LFC, "qonnx")])
def test_mlp_topologies(layers, flavour):
    model = synthetic.mlp(layers, 0, flavour)
    shapes = initializer_shapes(model)
    weights = [shapes[f"fc{i}.weight"] for i in range(len(layers) - 1)]
    pairs = list(zip(layers[:-1], layers[1:]))
    # Brevitas stores (out, in) and transposes; plain ONNX stores (in, out), as lfc_w1a1.onnx
    assert weights == [[m, k] if flavour == "qonnx" else [k, m] for k, m in pairs]
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("BatchNormalization") == len(layers) - 2
    assert ops.count("MatMul") == len(layers) - 1
    activation = "BipolarQuant" if flavour == "qonnx" else "Sign"
    # one activation on the input and one per hidden layer (qonnx: plus one per weight)
    expected = len(layers) - 1 + (len(layers) - 1 if flavour == "qonnx" else 0)
    assert ops.count(activation) == expected


def test_cnv_topology_matches_the_reference_table(tmp_path):
    model = synthetic.cnv(0, channels=SMALL)
    shapes = initializer_shapes(model)
    convs = [shapes[f"conv{i}.weight"] for i in range(6)]
    assert convs == [[8, 3, 3, 3], [8, 8, 3, 3], [16, 8, 3, 3], [16, 16, 3, 3],
                     [32, 16, 3, 3], [32, 32, 3, 3]]
    assert [shapes[f"fc{i}.weight"] for i in (6, 7, 8)] == [[64, 32], [64, 64], [10, 64]]
    quant = next(n for n in model.graph.node if n.op_type == "Quant")
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in quant.attribute}
    assert attrs == {"narrow": 0, "signed": 1, "rounding_mode": b"ROUND"}
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    assert [float(values[name]) for name in quant.input[1:]] == [2.0**-7, 0.0, 8.0]
    # spatial sizes of conv0..conv5 as in REFERENCE.md: 30, 28, 12, 10, 3, 1
    x = synthetic.random_inputs(model, 1, seed=0)
    convs_out = [n.output[0] for n in model.graph.node if n.op_type == "Conv"]
    sizes = [tensor_values(model, tmp_path, name, x).shape[2:] for name in convs_out]
    assert sizes == [(30, 30), (28, 28), (12, 12), (10, 10), (3, 3), (1, 1)]


@pytest.mark.parametrize("pool_order", ["after", "before"])
def test_pool_order_places_the_max_pool(pool_order):
    model = synthetic.cnv(0, pool_order, channels=[2] * 8)
    ops = [n.op_type for n in model.graph.node if n.domain == "" or n.op_type == "BipolarQuant"]
    pools = [i for i, op in enumerate(ops) if op == "MaxPool"]
    assert len(pools) == 2
    for i in pools:
        before, after = ops[i - 1], ops[i + 1]
        if pool_order == "after":  # conv → BN → BipolarQuant → MaxPool
            assert (before, after) == ("BipolarQuant", "BipolarQuant")  # next: weight quant
        else:  # conv → MaxPool → BN → BipolarQuant
            assert (before, after) == ("Conv", "BatchNormalization")


@pytest.mark.parametrize("padding", ["+1", "-1"])
def test_padding_inserts_bipolar_pad_nodes(padding):
    model = synthetic.cnv(0, channels=[2] * 8, image=16, padding=padding)
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    nodes = list(model.graph.node)
    pads = [n for n in nodes if n.op_type == "Pad"]
    assert len(pads) == 5  # before conv1..conv5; conv0's input is 8-bit, not bipolar
    for pad in pads:
        assert float(values[pad.input[2]]) == float(padding)
        assert values[pad.input[1]].tolist() == [0, 0, 1, 1, 0, 0, 1, 1]
        users = [n for n in nodes if pad.output[0] in n.input]
        assert [n.op_type for n in users] == ["Conv"]
    for conv in (n for n in nodes if n.op_type == "Conv"):
        pads_attr = next(a for a in conv.attribute if a.name == "pads")
        assert list(pads_attr.ints) == [0, 0, 0, 0]


@pytest.mark.parametrize(("image", "padding", "side"), [
    (32, None, 1), (36, None, 2), (16, "+1", 3), (8, "-1", 1), (6, "+1", 1), (9, "-1", 1)])
def test_cnv_image_sizes(image, padding, side):
    assert synthetic.cnv_output_size(image, padding) == side
    model = synthetic.cnv(0, channels=[2] * 6 + [4, 4], image=image, padding=padding)
    fc6 = initializer_shapes(model)["fc6.weight"]
    assert fc6 == [4, 2 * side * side]


@pytest.mark.parametrize(("image", "padding"), [(30, None), (16, None), (5, "+1")])
def test_cnv_rejects_images_too_small(image, padding):
    with pytest.raises(ValueError, match="too small"):
        synthetic.cnv(0, channels=[2] * 8, image=image, padding=padding)


def test_invalid_arguments_are_refused():
    with pytest.raises(ValueError, match="features"):
        synthetic.mlp([100, 10], 0, input_shape=(1, 1, 28, 28))
    with pytest.raises(ValueError, match="gamma_zero"):
        synthetic.mlp([784, 4, 10], 0, gamma_zero=2, huge_beta=2)
    with pytest.raises(ValueError, match="channels"):
        synthetic.cnv(0, channels=[8, 8])
    with pytest.raises(ValueError, match="pool_order"):
        synthetic.cnv(0, "middle")  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# The models compute something: outputs vary, activations are balanced, no ties
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CONFIGS)
def test_outputs_depend_on_the_input(name, saved):
    path = saved(name)
    model = load(path)
    y = reference(path, synthetic.random_inputs(model, IMAGES, seed=0))
    assert y.shape[0] == IMAGES
    rows = np.unique(y.reshape(IMAGES, -1), axis=0)
    if y.dtype == np.int64:  # label select: several classes win
        assert y.shape == (IMAGES, 1) and len(rows) >= 4, rows.ravel()
    else:
        assert y.shape == (IMAGES, 10 if "no_tensor_norm" not in name else 5)
        # a 24-wide last hidden layer may send two images to the same code now and then
        assert len(rows) >= IMAGES * 3 // 4, f"only {len(rows)} distinct score vectors"


@pytest.mark.parametrize("name", CONFIGS)
def test_hidden_activations_are_balanced(name, saved, tmp_path):
    """Every hidden activation is about half +1, and only the special channels are constant."""
    path = saved(name)
    model = load(path)
    x = synthetic.random_inputs(model, IMAGES, seed=1)
    names = synthetic.activation_names(model)
    assert len(names) == (8 if name.startswith("cnv") else
                          len([n for n in model.graph.node if n.op_type == "MatMul"]))
    values = inner_values(path, names, x)
    np.testing.assert_array_equal(values[names[-1]],
                                  tensor_values(model, tmp_path, names[-1], x))
    for index, tensor in enumerate(names):
        h = values[tensor]
        assert set(np.unique(h)) == {-1.0, 1.0}, tensor
        plus = (h > 0).reshape(IMAGES, h.shape[1], -1).mean(axis=(0, 2))
        constant = int(np.sum((plus == 0) | (plus == 1)))
        is_input = name.startswith("tfc") or name.startswith("mlp")
        special = 0 if (is_input and index == 0) else SPECIAL.get(name, 0)
        assert constant == special, f"{tensor}: {constant} constant channels"
        normal = (plus > 0) & (plus < 1)
        assert 0.3 < plus[normal].mean() < 0.7, f"{tensor}: {plus[normal].mean():.2f} are +1"


@pytest.mark.parametrize("name", ["tfc_plain", "cnv_before", "cnv_after_pad_minus",
                                  "cnv_4bit_input_topk", "mlp_special_channels"])
def test_batchnorm_outputs_stay_away_from_zero(name, saved):
    """Thresholds sit half-way between accumulator values: sign(BN) never meets a tie."""
    path = saved(name)
    model = load(path)
    x = synthetic.random_inputs(model, IMAGES, seed=2)
    norms = [n.output[0] for n in model.graph.node if n.op_type == "BatchNormalization"]
    for tensor, y in inner_values(path, norms, x).items():
        assert np.abs(y).min() > 1e-4, tensor


def test_negative_gamma_is_present(saved):
    for name in ("tfc_qonnx", "cnv_before"):
        model = load(saved(name))
        values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
        for node in (n for n in model.graph.node if n.op_type == "BatchNormalization"):
            gamma = values[node.input[1]]
            assert (gamma < 0).any() and (gamma > 0).any(), node.name
            assert np.all((np.abs(gamma) >= 0.5) & (np.abs(gamma) <= 2.0))


def test_gamma_zero_channels_are_exact_zeros(saved):
    model = load(saved("mlp_special_channels"))
    values = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    for node in (n for n in model.graph.node if n.op_type == "BatchNormalization"):
        gamma, beta = values[node.input[1]], values[node.input[2]]
        assert int(np.sum(gamma == 0)) == 3
        assert int(np.sum(np.abs(beta) >= synthetic.HUGE_BETA)) == 2


def test_label_select_picks_the_top_score(tmp_path):
    scores = synthetic.mlp([784, 32, 32, 10], 21)
    labels = synthetic.mlp([784, 32, 32, 10], 21, label_select=True)
    x = synthetic.random_inputs(scores, IMAGES, seed=3)
    s = reference(synthetic.save(scores, tmp_path, "scores"), x)
    y = reference(synthetic.save(labels, tmp_path, "labels"), x)
    np.testing.assert_array_equal(y.ravel(), s.argmax(axis=1))  # the first index on ties


def test_qonnx_executor_agrees_on_a_small_model(tmp_path):
    """qonnx itself reads the models as the reference engine does (few images: it is slow)."""
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_shapes import InferShapes

    model = synthetic.cnv(0, "before", channels=[4] * 6 + [8, 8], image=12, padding="+1")
    path = synthetic.save(model, tmp_path, "small_cnv")
    x = synthetic.random_inputs(model, 2, seed=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper = ModelWrapper(str(path)).transform(InferShapes())
        out = wrapper.graph.output[0].name
        theirs = np.concatenate([execute_onnx(wrapper, {"input": x[i:i + 1]})[out]
                                 for i in range(len(x))])
    np.testing.assert_array_equal(reference(path, x), theirs)


# --------------------------------------------------------------------------------------------
# bnnc's importer and executor against the reference engine
# --------------------------------------------------------------------------------------------


def assert_executor_matches_reference(path: Path, x: np.ndarray) -> None:
    ours = BnnExecutor(import_onnx(path)).run(x)
    ref = reference(path, x)
    if ref.dtype == np.int64:
        np.testing.assert_array_equal(np.asarray(ours).reshape(ref.shape), ref)
    else:
        assert ours.shape == ref.shape
        np.testing.assert_allclose(ours, ref, rtol=1e-5, atol=1e-4)


@pytest.mark.parametrize("name", CONFIGS)
def test_importer_and_executor_agree_with_reference(name, saved):
    path = saved(name)
    assert_executor_matches_reference(path, synthetic.random_inputs(load(path), IMAGES, seed=5))


def test_importer_refuses_zero_padding_of_bipolar_data(tmp_path):
    model = synthetic.cnv(0, channels=[2] * 8, image=16, padding="0")
    path = synthetic.save(model, tmp_path, "zero_pad")
    reference(path, synthetic.random_inputs(model, 2, seed=0))  # valid ONNX all the same
    with pytest.raises(BnncError, match=r"conv1.*zero padding of bipolar"):
        import_onnx(path)


@settings(max_examples=12, deadline=None)
@given(hidden=st.lists(st.integers(1, 40), min_size=1, max_size=3),
       inputs=st.integers(1, 60), outputs=st.integers(2, 12),
       flavour=st.sampled_from(["qonnx", "plain"]), seed=st.integers(0, 2**16))
def test_random_mlps_import_exactly(tmp_path_factory, hidden, inputs, outputs, flavour, seed):
    model = synthetic.mlp([inputs, *hidden, outputs], seed, flavour)
    path = synthetic.save(model, tmp_path_factory.mktemp("mlp"), "mlp")
    assert_executor_matches_reference(path, synthetic.random_inputs(model, 16, seed))


@settings(max_examples=12, deadline=None)
@given(channels=st.lists(st.integers(1, 6), min_size=8, max_size=8),
       image=st.integers(6, 13), pool_order=st.sampled_from(["after", "before"]),
       padding=st.sampled_from(["+1", "-1"]), seed=st.integers(0, 2**16))
def test_random_cnvs_import_exactly(tmp_path_factory, channels, image, pool_order, padding, seed):
    model = synthetic.cnv(seed, pool_order, channels=channels, image=image, padding=padding)
    path = synthetic.save(model, tmp_path_factory.mktemp("cnv"), "cnv")
    assert_executor_matches_reference(path, synthetic.random_inputs(model, 16, seed))
