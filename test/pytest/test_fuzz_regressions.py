"""Bugs the differential fuzzer (test_fuzz.py) found, each as the network it shrank to.

Each test names the bug and where it was fixed, and runs its network through the fuzzer's own
check (`check_case`: onnx = bnn = streamlined = df, plus the levels given) or asserts the clear
error bnnc now gives.
"""

from __future__ import annotations

import pytest
from random_bnn import ActSpec, Case, LayerSpec, NetSpec, build
from test_fuzz import check_case

from bnnc.errors import BnncError
from bnnc.analysis.folding import Fold
from bnnc.analysis.folding.files import save_folding
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.driver.pipeline import run_pipeline

OUTPUT = LayerSpec("dense", 1, act=None)  # a one-class output layer


def test_output_layer_of_bipolar_dot_products_without_post_processing():
    """The scores are the last layer's ±1 dot products, returned as they are: xnor-lowering
    restored them from the popcount as f32 but left @main returning i32, an invalid module.
    Fixed in passes/xnor_lowering.py (the function's result type follows)."""
    check_case(Case(NetSpec("qonnx", (1, 1, 1), 1, (OUTPUT,))))


@pytest.mark.parametrize("input_bits", [1, 3])
def test_multithreshold_on_uint8_pixels(input_bits):
    """A FINN-ONNX MultiThreshold on the uint8 input: the reference engine counted in uint8, so
    out_bias −1 overflowed, and cast the thresholds to uint8, so 127.5 became 127. Fixed in
    bnnc/runtime/reference/custom_ops.py (integer inputs are compared and counted in float32, as qonnx
    does)."""
    check_case(Case(NetSpec("finn", (4,), input_bits, (OUTPUT,), input_type="uint8", seed=3)))


def test_window_of_padding_alone():
    """A 1x1 convolution with stride 2 and a padded top row on a 1x1 image: its only window is
    padding and needs no input row, which left the FIFO model's times at −∞ (NaN interval, a
    ValueError in size-fifos). Fixed in bnnc/analysis/fifo_model.py (such a window waits for the previous
    frame, as the RTL's row count does)."""
    spec = NetSpec("qonnx", (1, 3, 3), 1, (
        LayerSpec("conv", 1, pool=(2, 2)),
        LayerSpec("conv", 1, strides=(2, 1), pads=(1, 0, 0, 0), pad_value=-1),
        OUTPUT,
    ))
    check_case(Case(spec), ("rtlsim",))


def test_negative_padding_of_unsigned_codes_is_refused():
    """A Pad of −scale in front of a convolution whose input is an unsigned quantizer's codes:
    the importer built a `bnn.conv2d` padded with −1 on ui2 codes, which failed verification
    with a traceback. Now one clear error (bnnc/frontend/import_layers.py)."""
    spec = NetSpec("plain", (1, 3, 3), 1, (
        LayerSpec("conv", 1, act=ActSpec(2, signed=False)),
        LayerSpec("conv", 1, pads=(1, 1, 1, 1), pad_value=-1),
        OUTPUT,
    ))
    with pytest.raises(BnncError, match=r"pads its ui2 input with code -1 .* range \[0, 3\]"):
        check_case(Case(spec))


def test_pinned_foldings_that_no_converter_joins_are_named(tmp_path):
    """conv0 at MMV 7 writes 7 one-channel pixels a word; fc1 at SIMD 7 reads 7 elements a
    word, and no converter of multi-pixel streams regroups them. Pinned in a folding file, the
    fold pass reported that "even the slowest folding exceeds the budget". It now names the two
    layers (passes/fold.py); the fuzzer draws foldings that converters can join."""
    spec = NetSpec("qonnx", (1, 3, 7), 1, (LayerSpec("conv", 1, kernel=(3, 1)),
                                           LayerSpec("dense", 2, act=None)))
    path = tmp_path / "model.onnx"
    path.write_bytes(build(spec).SerializeToString())
    module = run_pipeline(import_onnx(path), "bnn-streamline,lower-bnn-to-dataflow")
    save_folding({"conv0": Fold(1, 1, 7), "fc1": Fold(1, 7, 1)}, tmp_path / "folding.json")
    with pytest.raises(BnncError, match=r"'conv0' \(PE 1, SIMD 1, MMV 7\) and 'fc1' \(PE 1, "
                                        r"SIMD 7, MMV 1\) do not fit together"):
        run_pipeline(module, f'fold{{max=true folding="{tmp_path / "folding.json"}"}}')


@pytest.mark.parametrize("seed", [1, 2])  # thresholds alike for all pixels (1), per pixel (2)
def test_threshold_of_a_flattened_image(seed):
    """A uint8 image (2, 1, 3) flattened, then an n-bit MultiThreshold and a dense layer: the
    standalone threshold engine dropped the flattened stream's order (streams are NHWC), so
    the dense layer's weight columns were left in NCHW order, and per-pixel thresholds were
    applied to the wrong pixels. Fixed in passes/lower_bnn_to_dataflow.py."""
    spec = NetSpec("finn", (2, 1, 3), 3, (LayerSpec("dense", 3, act=None),), input_type="uint8",
                   seed=seed)
    check_case(Case(spec))


def test_max_folding_bound_by_the_input_converter():
    """Nine 8-bit inputs arrive 3 a word (3 cycles); fc0 pinned at SIMD 9 takes 1 cycle, so the
    converter behind the input port is the bottleneck. The max search tried only the layers'
    cycle counts as targets (here 1), found none that fits and reported that "even the slowest
    folding exceeds the budget". Fixed in bnnc/analysis/folding/solvers.py (it tries the input
    converter's cycles too)."""
    spec = NetSpec("qonnx", (1, 3, 3), 8, (LayerSpec("dense", 1, act=None),))
    outcome = check_case(Case(spec, folding=(2,)))
    assert outcome.folding == {"fc0": Fold(1, 9, 1)}


@pytest.mark.parametrize("seed", [0, 2])  # thresholds alike for both pixels (0), per pixel (2)
def test_threshold_of_a_one_row_image(seed):
    """A uint8 image (1, 1, 2) flattened, then an n-bit MultiThreshold: canonicalize moved the
    threshold above the Reshape onto the image's width axis (axis 3), which the lowering refuses
    ("a standalone threshold must act on channel axis 1"). It took one row of 3 thresholds
    shared by all pixels for per-channel ones, and moved per-pixel thresholds to an axis no
    threshold unit handles. Fixed in passes/canonicalization/bnn.py."""
    spec = NetSpec("finn", (1, 1, 2), 2, (LayerSpec("dense", 1, act=None),), input_type="uint8",
                   seed=seed)
    check_case(Case(spec), ("csim",))


def test_integral_float_parameters_survive_printing(tmp_path):
    """A BN variance of 3,324,876 (an integral f32 with more digits than the short form keeps):
    xDSL printed it as its bit pattern, 0x4A4AEF30, which xDSL's parser reads in a dense literal
    as the integer 1,246,424,880, so the module reloaded from text (a build directory's
    ir/0-bnn.mlir) gave other scores. The long profile's csim run, which prints and parses
    every stage, found it. Fixed in bnnc/xdsl_fixes.py (such floats print as "3324876.0")."""
    import re

    import numpy as np
    import random_bnn
    from random_bnn import BnSpec

    from bnnc.runtime.interpreters.bnn import BnnExecutor
    from bnnc.driver.ir import parse_module

    layers = (
        LayerSpec("conv", 4, kernel=(2, 2), strides=(1, 2), pads=(1, 0, 1, 0), pad_value=-1),
        LayerSpec("dense", 2, weight_bits=7, act=ActSpec(8, True, True, "CEIL"), bn=BnSpec(negative=2)),
        LayerSpec("dense", 3, weight_bits=7, act=ActSpec(8, False, False, "CEIL"), bn=BnSpec(huge=1)),
        LayerSpec("dense", 10, weight_bits=7, act=None),
    )
    spec = NetSpec("plain", (1, 6, 7), 1, layers, flatten="Flatten", tensor_norm=-1, seed=17550)
    path = tmp_path / "model.onnx"
    path.write_bytes(build(spec).SerializeToString())
    module = import_onnx(path)
    text = str(module)
    assert re.search(r"\b0x[0-9A-F]", text) is None and "3324876.0" in text
    (tmp_path / "bnn.mlir").write_text(text)
    x = random_bnn.inputs(spec, 12)
    np.testing.assert_array_equal(BnnExecutor(parse_module(tmp_path / "bnn.mlir")).run(x),
                                  BnnExecutor(module).run(x))
    check_case(Case(spec))
