"""Differential fuzzing: random networks (`random_bnn`) through every level, identical outputs.

Each generated model runs in the reference engine (onnxruntime on the ONNX file) and in bnnc's
`bnn` executor on the imported module; they must agree as the other tests require (int64 labels
exactly, float scores to float32 rounding). Then the module is streamlined, lowered to `df`,
folded at a random legal folding (pinned through a folding file, as `bnnc compile --folding`),
sized, and run by the stream-level executor; with `csim` it is lowered to `hls` and run as the C
simulation under g++, with `rtlsim` its Verilog runs under Icarus, at the cycle model's interval
and latency; with either, the module is also printed and parsed back after each stage, as a
build directory keeps it. Every bnnc level must equal the `bnn` level bit for bit.

Profiles (the environment variable BNNC_FUZZ_PROFILE):

    quick (default, in CI): 200 models through bnn/df, 20 more through csim, 4 through rtlsim;
                            derandomized, so every run draws the same models
    long:                   2,000 models through bnn/df, 100 more through csim, 25 through rtlsim,
                            a fresh random seed each run (hypothesis prints how to reproduce)

    BNNC_FUZZ_PROFILE=long pytest test/pytest/test_fuzz.py

A failure is shrunk by hypothesis to a minimal case, printed as Python; once fixed, it belongs
in test_fuzz_regressions.py, which runs the same check on it.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import random_bnn
from bnnc.dialects import df
from hypothesis import HealthCheck, given, settings
from xdsl.dialects.builtin import ModuleOp

from bnnc.devices import load_device
from bnnc.analysis.fifo_model import simulate
from bnnc.analysis.folding import Fold, current_folding
from bnnc.analysis.folding.files import save_folding
from bnnc.analysis.folding.problem import build_problem
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.driver.ir import parse_module
from bnnc.driver.pipeline import run_pipeline
from bnnc.runtime.reference import ReferenceSession
from bnnc.runtime.simulators.rtlsim import RtlTiming

FRAMES = 12  # inputs per model
PROFILE = os.environ.get("BNNC_FUZZ_PROFILE", "quick")
PROFILES = {  # examples per level
    "quick": {"df": 200, "csim": 20, "rtlsim": 4},
    "long": {"df": 2000, "csim": 100, "rtlsim": 25},
}
if PROFILE not in PROFILES:
    raise ValueError(f"BNNC_FUZZ_PROFILE={PROFILE!r}: expected one of {', '.join(PROFILES)}")
# Smaller networks for the levels that compile (g++, Icarus): seconds per model.
HARDWARE_SIZES = {"max_convs": 2, "max_dense": 2, "max_channels": 4, "max_features": 8}
IMPOSSIBLE = 10**18  # the cycles of an edge no width converter implements


def fuzz_settings(level: str) -> settings:
    return settings(
        max_examples=PROFILES[PROFILE][level],
        deadline=None,
        derandomize=PROFILE == "quick",
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --------------------------------------------------------------------------------------------
# One case through the levels
# --------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """Outputs per level, and the folding the df graph was given."""

    outputs: dict[str, np.ndarray] = field(default_factory=dict)
    folding: dict[str, Fold] = field(default_factory=dict)


def choose_folding(graph: df.GraphOp, choice: tuple[int, ...]) -> dict[str, Fold]:
    """Layer i gets the legal folding number choice[i % len(choice)] (modulo their number) among
    those whose words a width converter can regroup from the previous layer's (see
    `FoldingProblem.edge`: a multi-pixel stream cannot always be regrouped) and that cost at most
    the layer's share of the device budget (else a large random network, fully unrolled, does
    not fit and the compiler rightly refuses it)."""
    problem = build_problem(graph, load_device("zc706"), 200.0)
    folding = {}
    previous, pixels = problem.source, 1
    # a layer's share of the budget, so that the pinned design fits (the cheapest always counts)
    share_lut, share_bram = problem.budget_lut // len(problem.layers), problem.budget_bram18 // len(problem.layers)
    for index, layer in enumerate(problem.layers):
        joinable = [c for c in layer.legal if problem.edge(previous, c.reads, pixels).cycles < IMPOSSIBLE]
        options = [c for c in joinable if c.cost.lut <= share_lut and c.cost.bram18 <= share_bram] or joinable
        pick = options[choice[index % len(choice)] % len(options)] if choice else options[0]
        folding[layer.name] = pick.fold
        previous, pixels = pick.writes, pick.pixels
    return folding


def assert_close_to_reference(ours: np.ndarray, reference: np.ndarray) -> None:
    """bnn against onnxruntime, as test_synthetic: labels exactly, scores to float32 rounding."""
    if reference.dtype == np.int64:
        np.testing.assert_array_equal(np.asarray(ours).reshape(reference.shape), reference)
    else:
        assert ours.shape == reference.shape, (ours.shape, reference.shape)
        np.testing.assert_allclose(ours, reference, rtol=1e-5, atol=1e-4)


def run_levels(case: random_bnn.Case, levels: tuple[str, ...], folder: Path) -> Outcome:
    """Run a case through onnx, bnn, the streamlined bnn module, df and `levels` (of csim,
    rtlsim), asserting agreement as it goes (the first level that differs fails)."""
    spec = case.spec
    model = random_bnn.build(spec)
    path = folder / "model.onnx"
    path.write_bytes(model.SerializeToString())
    x = random_bnn.inputs(spec, FRAMES)
    outcome = Outcome()

    def stage(module: ModuleOp, name: str) -> ModuleOp:
        # with the hardware levels (few, slow anyway), through text as a build directory
        return reparsed(module, folder, name) if levels else module

    reference = ReferenceSession(path).run(x)
    module = stage(import_onnx(path), "bnn")
    expected = BnnExecutor(module).run(x)
    outcome.outputs.update(onnx=reference, bnn=expected)
    assert_close_to_reference(expected, reference)

    def check(level: str, executor: BnnExecutor) -> None:
        got = executor.run(x)
        outcome.outputs[level] = got
        np.testing.assert_array_equal(got, expected, err_msg=f"{level} differs from bnn")

    module = stage(run_pipeline(module, "bnn-streamline"), "streamlined")
    check("streamlined", BnnExecutor(module))
    run_pipeline(module, "lower-bnn-to-dataflow")
    outcome.folding = choose_folding(graph_of(module), case.folding)
    save_folding(outcome.folding, folder / "folding.json")
    run_pipeline(module, f'fold{{max=true folding="{folder / "folding.json"}"}},'
                         "insert-streams,size-fifos")
    module = stage(module, "sized")
    assert current_folding(graph_of(module)) == outcome.folding
    check("df", BnnExecutor(module))
    if "rtlsim" in levels:
        rtl = BnnExecutor(module, rtl_simulator="icarus")
        check("rtlsim", rtl)
        assert_model_timing(graph_of(module), rtl.df.timings[0])  # type: ignore[attr-defined]
    if "csim" in levels:
        module = stage(run_pipeline(module, "lower-dataflow-to-hls"), "hls")
        check("csim", BnnExecutor(module))
    return outcome


def reparsed(module: ModuleOp, folder: Path, stage: str) -> ModuleOp:
    """The module printed and parsed back, as a build directory keeps it and `bnnc run` and
    `bnnc verify` load it."""
    path = folder / f"{stage}.mlir"
    path.write_text(str(module))
    return parse_module(path)


def graph_of(module: ModuleOp) -> df.GraphOp:
    return next(op for op in module.ops if isinstance(op, df.GraphOp))


def assert_model_timing(graph: df.GraphOp, rtl: RtlTiming) -> None:
    """The RTL, with the FIFO depths size-fifos chose, runs at the interval and latency of the
    cycle model (within 5 %, as test_rtl_timing requires): the depths neither deadlock nor slow
    the pipeline down."""
    depths = {op: op.depth.value.data for op in graph.body.block.ops if isinstance(op, df.FifoOp)}
    model = simulate(graph, depths, frames=FRAMES)
    assert not model.deadlocked
    for measured, modelled in ((rtl.interval, model.interval), (rtl.latency, model.latency)):
        assert measured is not None and abs(measured - modelled) <= 0.05 * modelled, (rtl, model)


def check_case(case: random_bnn.Case, levels: tuple[str, ...] = ()) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="bnnc-fuzz-") as folder:
        return run_levels(case, levels, Path(folder))


# --------------------------------------------------------------------------------------------
# The fuzz tests
# --------------------------------------------------------------------------------------------


@fuzz_settings("df")
@given(case=random_bnn.cases())
def test_bnn_and_df_agree_with_the_reference(case):
    check_case(case)


@fuzz_settings("csim")
@given(case=random_bnn.cases(**HARDWARE_SIZES))
def test_csim_agrees(case):
    check_case(case, ("csim",))


@fuzz_settings("rtlsim")
@given(case=random_bnn.cases(**HARDWARE_SIZES))
def test_rtlsim_agrees(case):
    check_case(case, ("rtlsim",))
