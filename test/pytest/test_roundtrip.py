"""Printing the imported IR and parsing it back gives the same text, for every shared model."""

import pytest
from conftest import model_path

from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.driver.ir import make_context
from bnnc.driver.pipeline import run_pipeline
from xdsl.parser import Parser

MODELS = [
    "tfc_w1a1.qonnx.onnx", "tfc_w1a1.finn.onnx", "tfc_w1a2.qonnx.onnx", "tfc_w2a2.qonnx.onnx",
    "lfc_w1a1.onnx", "sfc_w1a1_random.qonnx.onnx", "cnv_w1a1_random.qonnx.onnx",
]


def reparsed(text: str):
    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


@pytest.mark.parametrize("name", MODELS)
def test_print_parse_print_is_the_identity(name):
    text = str(import_onnx(model_path(name)))
    assert str(reparsed(text)) == text


@pytest.mark.parametrize("name", ["tfc_w1a1.qonnx.onnx", "cnv_w1a1_random.qonnx.onnx"])
def test_lowered_and_folded_modules_round_trip_and_still_run(name, rng):
    module = run_pipeline(import_onnx(model_path(name)), "bnn-streamline,lower-bnn-to-dataflow,fold{max=true}")
    text = str(module)
    again = reparsed(text)
    assert str(again) == text
    shape = (4, 1, 28, 28) if "tfc" in name else (4, 3, 32, 32)
    x = rng.uniform(0, 1, shape).astype("float32")
    assert (BnnExecutor(again).run(x) == BnnExecutor(module).run(x)).all()
