"""The importer folds Transpose, Pow, Concat, Gather and Unsqueeze on constants in numpy; each
must give what the ONNX reference evaluator gives (values, dtype and shape)."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper
from onnx.reference import ReferenceEvaluator

from bnnc.frontend.onnx_graph import _NUMPY_FOLDS, OnnxGraph, evaluate_node

RNG = np.random.default_rng(0)
F = RNG.standard_normal((2, 3, 4)).astype(np.float32)

CASES = [
    ("Transpose", {}, [F], 13),
    ("Transpose", {"perm": [1, 2, 0]}, [F], 13),
    ("Pow", {}, [F, np.array(2, dtype=np.int64)], 13),
    ("Pow", {}, [np.abs(F), np.array(0.5, dtype=np.float32)], 13),
    ("Concat", {"axis": -1}, [F, F[:, :, :2]], 13),
    ("Concat", {"axis": 0}, [np.array([1], np.int64), np.array([-1, 7], np.int64)], 13),
    ("Gather", {}, [np.array([5, 6, 7], np.int64), np.array(-1, np.int64)], 13),
    ("Gather", {"axis": 1}, [F, np.array([[0, 2], [-1, 1]], np.int64)], 13),
    ("Unsqueeze", {"axes": [0, -1]}, [F], 11),
    ("Unsqueeze", {}, [np.array(3, np.int64), np.array([0], np.int64)], 13),
    ("Unsqueeze", {}, [F, np.array([-1, 1], np.int64)], 13),
]


@pytest.mark.parametrize("op, attrs, inputs, opset", CASES)
def test_numpy_fold_matches_the_reference_evaluator(op, attrs, inputs, opset):
    assert op in _NUMPY_FOLDS
    names = [f"in{i}" for i in range(len(inputs))]
    node = helper.make_node(op, names, ["out"], **attrs)
    model = helper.make_model(
        helper.make_graph([node], "fold", [helper.make_tensor_value_info(n, 0, None) for n in names],
                          [helper.make_tensor_value_info("out", 0, None)]),
        opset_imports=[helper.make_opsetid("", opset)],
    )
    expected = ReferenceEvaluator(model).run(None, dict(zip(names, inputs)))[0]
    graph = OnnxGraph(path="m.onnx", model=model, nodes=[node], labels={0: op}, inputs=[], outputs=[],
                      opset=opset, consumers={})
    (got,) = evaluate_node(graph, node, inputs)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_a_bad_attribute_is_an_error_naming_the_node():
    node = helper.make_node("Transpose", ["in0"], ["out"], perm=[0, 0, 1], name="t0")
    model = helper.make_model(helper.make_graph([node], "g", [], []))
    graph = OnnxGraph(path="m.onnx", model=model, nodes=[node], labels={0: "t0"}, inputs=[], outputs=[],
                      opset=13, consumers={})
    with pytest.raises(Exception, match="t0.*cannot evaluate this node"):
        evaluate_node(graph, node, [F])
