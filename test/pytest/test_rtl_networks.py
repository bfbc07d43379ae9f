"""Whole networks in RTL simulation against the stream-level executor, and the generated
Verilog's hygiene: `verilator --lint-only -Wall` clean, Icarus agreeing with Verilator.

TFC-w1a1 runs by default (one Verilator build each, about 15 s); the synthetic CNV and its
maximum folding are `slow` (a build of about 30 s and tens of thousands of cycles a frame).
"""

import subprocess

import numpy as np
import pytest
import synthetic
from bnnc.backends.verilog.emitter import TOP_MODULE, write_project
from conftest import model_path
from rtl_cases import graph_of, prepare
from test_rtl_engines import CASES

from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters import df as df_interpreter
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.interpreters.df import run_graph
from bnnc.driver.pipeline import run_pipeline
from bnnc.runtime.simulators.rtlsim import run_rtlsim

FIX = "fold{target-fps=9000 clock-mhz=200}"
MAX = "fold{max=true}"


def compiled(path, folding: str):
    module = import_onnx(path)
    return run_pipeline(module, f"bnn-streamline,lower-bnn-to-dataflow,{folding},insert-streams,size-fifos")


def stream_frames(module, inputs: np.ndarray) -> np.ndarray:
    """Host inputs as the `df.input` elements `df.invoke` streams in: the bnn executor runs the
    host part of @main and hands the frames to `run_graph`, which is caught there."""

    class Caught(Exception):
        pass

    def catch(graph, frames):
        raise Caught(frames)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(df_interpreter, "run_graph", catch)
        with pytest.raises(Caught) as caught:
            BnnExecutor(module).run(inputs)
    return caught.value.args[0]


@pytest.mark.parametrize("folding", [FIX, MAX], ids=["fix9000", "max"])
def test_tfc_on_mnist(folding, mnist_test):
    images, _ = mnist_test
    module = compiled(model_path("tfc_w1a1.qonnx.onnx"), folding)
    frames = stream_frames(module, images[:4])
    out, timing = run_rtlsim(module, frames)
    np.testing.assert_array_equal(out, run_graph(graph_of(module), frames))
    assert timing.interval is not None


@pytest.mark.slow
@pytest.mark.parametrize("folding", [FIX, MAX], ids=["fix9000", "max"])
def test_synthetic_cnv(folding, tmp_path):
    model = synthetic.cnv(seed=21)
    module = compiled(synthetic.save(model, tmp_path, "cnv"), folding)
    frames = stream_frames(module, synthetic.random_inputs(model, 2, seed=5))
    out, _ = run_rtlsim(module, frames)
    np.testing.assert_array_equal(out, run_graph(graph_of(module), frames))


def lint(directory) -> subprocess.CompletedProcess:
    library = sorted(str(p.relative_to(directory)) for p in directory.glob("library/*.v"))
    return subprocess.run(["verilator", "--lint-only", "-Wall", "--top-module", TOP_MODULE, "top.v", *library],
                          check=False, cwd=directory, capture_output=True, text=True)


@pytest.mark.parametrize("case", sorted(CASES))
def test_lint_clean(case, tmp_path):
    write_project(prepare(CASES[case](np.random.default_rng(0))), tmp_path)
    result = lint(tmp_path)
    assert result.returncode == 0, result.stderr


def test_lint_clean_tfc(tmp_path):
    write_project(compiled(model_path("tfc_w1a1.qonnx.onnx"), FIX), tmp_path)
    result = lint(tmp_path)
    assert result.returncode == 0, result.stderr


def test_icarus_agrees_with_verilator():
    module = prepare(CASES["conv-pad+1-stride2-mmv3"](np.random.default_rng(7)))
    frames = np.random.default_rng(8).integers(0, 2, (3, graph_of(module).input_op().output.type.elements))
    out_v, timing_v = run_rtlsim(module, frames, simulator="verilator")
    out_i, timing_i = run_rtlsim(module, frames, simulator="icarus")
    np.testing.assert_array_equal(out_v, out_i)
    assert timing_v == timing_i  # the same cycles, not only the same words


@pytest.mark.slow
@pytest.mark.parametrize("folding", [FIX, MAX], ids=["fix9000", "max"])
def test_tfc_rtl_equals_bnn_on_1000_images(folding, mnist_test):
    """The issue's acceptance run: 1,000 MNIST images through the RTL, host part included."""
    images = mnist_test[0][:1000]
    module = run_pipeline(import_onnx(model_path("tfc_w1a1.qonnx.onnx")), "bnn-streamline")
    expected = BnnExecutor(module).run(images)
    run_pipeline(module, f"lower-bnn-to-dataflow,{folding},insert-streams,size-fifos")
    np.testing.assert_array_equal(BnnExecutor(module, rtl_simulator="verilator").run(images), expected)


@pytest.mark.slow
@pytest.mark.parametrize("folding", [FIX, MAX], ids=["fix9000", "max"])
def test_cnv_rtl_equals_bnn_on_10_inputs(folding, tmp_path):
    model = synthetic.cnv(seed=21)
    x = synthetic.image_batch(np.random.default_rng(21), 10, [1, 3, 32, 32])
    module = run_pipeline(import_onnx(synthetic.save(model, tmp_path, "cnv")), "bnn-streamline")
    expected = BnnExecutor(module).run(x)
    run_pipeline(module, f"lower-bnn-to-dataflow,{folding},insert-streams,size-fifos")
    np.testing.assert_array_equal(BnnExecutor(module, rtl_simulator="verilator").run(x), expected)
