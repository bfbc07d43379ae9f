"""The benchmark's own pieces that need no peer: the numpy references and the tables.

The peers themselves (hls4ml, Larq Compute Engine) are optional and never needed here.
"""

import sys

import numpy as np
import pytest
from conftest import REPO, model_path

from bnnc.runtime.reference import ReferenceSession

sys.path.insert(0, str(REPO / "benchmarks"))

from common import Table, format_cell, top1_agreement
from peers.binary_layers import UnsupportedModel, read_binary_model
from peers.numpy_bnn import NumpyBnn


@pytest.mark.parametrize("mode", ["packed", "matmul"])
def test_numpy_reference_matches_onnxruntime_on_tfc(mnist_test, mode):
    x = mnist_test[0][:50]
    path = model_path("tfc_w1a1.qonnx.onnx")
    reference = np.asarray(ReferenceSession(path).run(x)).reshape(len(x), -1)
    scores = NumpyBnn(read_binary_model(path), mode).run(x)
    np.testing.assert_allclose(scores, reference, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["packed", "matmul"])
def test_numpy_reference_matches_onnxruntime_on_cnv(mode):
    path = model_path("cnv_w1a1_random.qonnx.onnx")
    x = np.random.default_rng(3).uniform(0, 1, (2, 3, 32, 32)).astype(np.float32)
    model = read_binary_model(path)
    assert [b.kind for b in model.blocks] == ["conv"] * 6 + ["dense"] * 3
    assert [b.maxpool for b in model.blocks].count(True) == 2
    assert model.input_quant.kind == "int"
    reference = np.asarray(ReferenceSession(path).run(x)).reshape(len(x), -1)
    np.testing.assert_allclose(NumpyBnn(model, mode).run(x), reference, rtol=1e-4, atol=1e-4)


def test_reader_refuses_a_float_network():
    with pytest.raises(UnsupportedModel):
        read_binary_model(model_path("mnist_conv_float.onnx"))


def test_agreement_counts_ties_in_the_reference():
    reference = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    assert top1_agreement(np.array([[0, 0, 1.0], [0, 1.0, 0]]), reference) == 0.5


def test_table_text_and_markdown():
    table = Table("T", ["model", "images/s", "note"])
    table.add(model="TFC", **{"images/s": 123456.7})
    table.add(model="CNV", **{"images/s": 0.0421}, note="a | b")
    table.notes.append("why")
    text = table.text().splitlines()
    assert text[0] == "== T"
    assert text[2].split() == ["TFC", "123,457", "-"]
    assert "0.0421" in text[3]
    assert text[-1].strip() == "why"
    markdown = table.markdown()
    assert "| CNV | 0.0421 | a \\| b |" in markdown
    assert [format_cell(v) for v in (None, True, 12, 3.14159, 42.42, float("nan"))] == [
        "-",
        "yes",
        "12",
        "3.14",
        "42.4",
        "-",
    ]


def test_round_networks_run_on_both_engines_with_the_same_outputs(tmp_path):
    """The networks benchmarks/round_networks.py times: the bnn executor gives onnxruntime's outputs."""
    import round_networks
    from context import Context

    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.runtime.interpreters.bnn import BnnExecutor

    ctx = Context(model_path("tfc_w1a1.qonnx.onnx").parents[1], True, tmp_path)
    networks = round_networks._networks(ctx, dict.fromkeys(round_networks.IMAGES, 8))
    assert list(networks) == list(round_networks.IMAGES)
    for name, (path, x) in networks.items():
        reference = np.asarray(ReferenceSession(path).run(x)).reshape(len(x), -1)
        scores = BnnExecutor(import_onnx(path)).run(x).reshape(len(x), -1)
        assert round_networks._same_outputs(scores, reference) == 100.0, name
