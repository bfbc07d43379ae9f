"""Residual networks at the `df` level (issue 24): the fork, join and global pool engines, the
lowering of a residual graph, the `df` executor over the DAG (bnn = df), FIFO sizing over
reconvergent paths (a shortcut FIFO one word shallower than sized stalls or deadlocks, and the
error names the join), and the backends' refusal of a DAG (no HLS template or Verilog module
for the new engines yet)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from xdsl.dialects.builtin import IntegerAttr, IntegerType, Signedness, StringAttr, i64

from bnnc.analysis.fifo_model import simulate
from bnnc.analysis.folding import Fold, refold
from bnnc.dialects import df
from bnnc.dialects.df.checks import _detached_value
from bnnc.driver.cli.bnnc_main import main as bnnc_main
from bnnc.driver.pipeline import run_pipeline
from bnnc.errors import BnncError
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.passes.size_fifos import check_depths, join_inputs
from bnnc.runtime.interpreters.bnn import BnnExecutor

sys.path.insert(0, str(REPO / "test" / "filecheck" / "import" / "Inputs"))
import make_residual_onnx  # noqa: E402

UI2, UI3 = IntegerType(2, Signedness.UNSIGNED), IntegerType(3, Signedness.UNSIGNED)


def images(count: int, seed: int = 3) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, (count, 3, 8, 8)).astype(np.float32)


@pytest.fixture(scope="module")
def model_file(tmp_path_factory) -> Path:
    import onnx

    path = tmp_path_factory.mktemp("residual_df") / "residual_blocks.onnx"
    onnx.save(make_residual_onnx.CASES["residual_blocks"](), path)
    return path


def graph_of(module) -> df.GraphOp:
    return next(op for op in module.ops if isinstance(op, df.GraphOp))


# ------------------------------------------------------------------------------------------
# The engines alone


def test_engines_execute_word_by_word():
    x = np.random.default_rng(0).integers(0, 4, (3, 8, 2))  # 3 frames, 4 pixels x 4 channels at PE 2
    fork = df.ForkOp.create(operands=[_detached_value(df.StreamType(UI2, 2, 8))],
                            result_types=[df.StreamType(UI2, 2, 8)] * 3)
    assert all(out is x for out in fork.execute(x)) and len(fork.execute(x)) == 3
    join = df.JoinOp.create(
        operands=[_detached_value(df.StreamType(UI2, 2, 8))] * 2, result_types=[df.StreamType(UI3, 2, 8)],
        properties={"channels": IntegerAttr(4, i64), "pixels": IntegerAttr(4, i64), "pe": IntegerAttr(2, i64)})
    y = np.random.default_rng(1).integers(0, 4, (3, 8, 2))
    assert np.array_equal(join.execute(x, y), x + y)
    pool = df.GlobalPoolOp.create(
        operands=[_detached_value(df.StreamType(UI3, 2, 8))], result_types=[df.StreamType(UI3, 2, 2)],
        properties={"channels": IntegerAttr(4, i64), "pixels": IntegerAttr(4, i64), "pe": IntegerAttr(2, i64),
                    "shift": IntegerAttr(2, i64), "zero_point": IntegerAttr(1, i64),
                    "rounding": StringAttr("floor"),
                    "lo": IntegerAttr(0, i64), "hi": IntegerAttr(5, i64)})
    sums = (x + y).reshape(3, 4, 4).sum(axis=1)  # per frame, channel
    expected = np.clip(np.floor((sums + 1) / 4), 0, 5).reshape(3, 2, 2)
    assert np.array_equal(pool.execute(x + y), expected)
    assert (fork.cycles(), join.cycles(), pool.cycles()) == (8, 8, 8)
    assert fork.pipeline_depth() == 0 and join.pipeline_depth() == 1


def test_global_pool_writes_after_the_last_pixel():
    """The word plan: output word cf of a frame leaves after the last pixel's word cf, and the
    next frame's first pixel waits for it (one accumulator a channel)."""
    pool = df.GlobalPoolOp.create(
        operands=[_detached_value(df.StreamType(UI2, 2, 8))], result_types=[df.StreamType(IntegerType(4, Signedness.UNSIGNED), 2, 2)],
        properties={"channels": IntegerAttr(4, i64), "pixels": IntegerAttr(4, i64), "pe": IntegerAttr(2, i64)})
    plan = pool.word_plan(2)
    assert list(plan.need) == [6, 7, 14, 15] and plan.need_delay == 1
    assert list(plan.guard[8:10]) == [0, 1] and (plan.guard[:8] == -1).all() and (plan.guard[10:] == -1).all()


# ------------------------------------------------------------------------------------------
# The graph level


def lowered(model_file: Path, passes: str = "bnn-streamline,lower-bnn-to-dataflow"):
    module = import_onnx(model_file)
    reference = BnnExecutor(module).run(images(6))
    return run_pipeline(module, passes), reference


def test_lowering_builds_forks_joins_and_the_global_pool(model_file):
    module, _ = lowered(model_file)
    graph = graph_of(module)
    kinds = [op.name for op in graph.body.block.ops]
    assert kinds.count("df.fork") == 2 and kinds.count("df.join") == 2 and kinds.count("df.global_pool") == 1
    for op in graph.body.block.ops:  # SSA with one reader a stream
        for result in op.results:
            assert result.uses.get_length() == 1, op.name
    pool = next(op for op in graph.body.block.ops if isinstance(op, df.GlobalPoolOp))
    assert pool.shift.value.data == 2 and pool.rounding.data == "floor"  # the Trunc is its post-op


def test_bnn_equals_df_at_pe_1_and_at_foldings_with_converters(model_file):
    module, reference = lowered(model_file)
    assert np.array_equal(BnnExecutor(module).run(images(6)), reference)
    graph = graph_of(module)
    # the long branch's last layer at PE 4, the join at PE 2, the shortcut at PE 1: converters
    # in front of the join; then everything at PE 8 / SIMD 8
    refold(graph, {"conv2": Fold(pe=4, simd=2), "join0": Fold(pe=2), "global_pool0": Fold(pe=8)})
    join = next(op for op in graph.body.block.ops if isinstance(op, df.JoinOp))
    assert all(isinstance(v.owner, df.DwcOp) for v in join.operands)
    assert np.array_equal(BnnExecutor(module).run(images(6)), reference)
    layers = {op.layer.data for op in graph.body.block.ops if isinstance(op, df.COMPUTE_ENGINES)}
    refold(graph, {name: Fold(pe=8, simd=8 if name.startswith(("conv1", "conv2", "conv3")) else 1)
                   for name in layers if not name.startswith(("fc", "conv0"))})
    assert np.array_equal(BnnExecutor(module).run(images(6)), reference)


@pytest.fixture(scope="module")
def sized(model_file):
    """The residual graph lowered, folded, with FIFOs, sized (tests that change a depth put it
    back)."""
    return lowered(model_file, "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=100000},"
                   "insert-streams,size-fifos")


def test_size_fifos_gives_shortcuts_their_depth_and_one_word_fewer_fails(sized):
    module, reference = sized
    graph = graph_of(module)
    assert np.array_equal(BnnExecutor(module).run(images(6)), reference)
    sizing = graph.attributes["df.fifo_sizing"]
    unbounded = simulate(graph)
    assert sizing.data["interval"].value.data == unbounded.interval  # the sized graph runs at full pace
    shortcuts = {fifo: join for fifo, (join, index) in join_inputs(graph).items()
                 if isinstance(join.operands[index].owner.input.owner, df.ForkOp)}
    assert len(shortcuts) == 2
    sized = {fifo: fifo.depth.value.data for fifo in join_inputs(graph)}
    check_depths(graph, sized)  # the sized depths run
    for fifo, join in shortcuts.items():
        assert sized[fifo] > 16, "the shortcut holds what the branch's windows hold back"
        fifo.depth = IntegerAttr(sized[fifo] - 1, i64)
        timing = simulate(graph, {f: f.depth.value.data for f in graph.body.block.ops if isinstance(f, df.FifoOp)})
        assert timing.deadlocked or timing.interval > unbounded.interval
        with pytest.raises(BnncError, match=rf"at join '{join.layer.data}': its input FIFO "
                                            rf"'{join.layer.data}.fifo' of depth {sized[fifo] - 1} "
                                            rf"must hold {sized[fifo]} words while 'conv"):
            check_depths(graph, sized)
        fifo.depth = IntegerAttr(sized[fifo], i64)


def test_a_deadlock_is_reported_naming_the_join(sized):
    """Far too shallow a shortcut: the fork waits for room the join never makes, the join waits
    for the long branch the fork never feeds."""
    graph = graph_of(sized[0])
    sized = {fifo: fifo.depth.value.data for fifo in join_inputs(graph)}
    fifo, (join, _) = next((f, j) for f, j in join_inputs(graph).items() if sized[f] > 16)
    fifo.depth = IntegerAttr(2, i64)
    assert simulate(graph, {f: f.depth.value.data for f in graph.body.block.ops if isinstance(f, df.FifoOp)}).deadlocked
    with pytest.raises(BnncError, match=rf"size-fifos: deadlock at join '{join.layer.data}': its input "
                                        rf"FIFO '{join.layer.data}.fifo' of depth 2 must hold"):
        check_depths(graph, sized)
    fifo.depth = IntegerAttr(sized[fifo], i64)


# ------------------------------------------------------------------------------------------
# The backends refuse a DAG with one error


def run_cli(capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    try:
        bnnc_main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return code, err


def test_hls_and_verilog_refuse_the_new_engines(model_file):
    module, _ = lowered(model_file, "bnn-streamline,lower-bnn-to-dataflow")
    graph = graph_of(module)
    for op in graph.body.block.ops:
        if isinstance(op, df.EngineOp) and not op.EMITTED:
            with pytest.raises(BnncError, match=f"lower-dataflow-to-hls: '{op.name}' has no HLS template yet"):
                op.hls_instance()
            with pytest.raises(BnncError, match=f"'{op.name}' has no Verilog module yet"):
                op.verilog_instance("x")


def test_compile_refuses_a_residual_model_with_one_error(model_file, tmp_path, capsys):
    """`bnnc compile` folds and sizes the DAG, then stops at the first fork the backend meets
    (the Verilog backend first, by default)."""
    build = tmp_path / "build"
    code, err = run_cli(capsys, "compile", model_file, "-o", build)
    errors = [line for line in err.splitlines() if "error" in line]
    assert code == 2 and len(errors) == 1, err
    assert errors[0].startswith("bnnc: error: the Verilog backend: 'df.fork' has no Verilog module yet"), errors[0]
    assert not build.exists()


def test_bnnc_opt_lowering_to_hls_refuses_a_dag(model_file, tmp_path, capsys):
    """The lowering to `hls` stops at the first fork with one error line (exit 2)."""
    from bnnc.driver.cli.bnnc_opt import main as opt_main

    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        opt_main([str(model_file), "-p", "bnn-streamline,lower-bnn-to-dataflow,lower-dataflow-to-hls"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith(
        "bnnc-opt: error: lower-dataflow-to-hls: 'df.fork' has no HLS template yet"), err


def test_run_engine_df_on_a_residual_model(model_file, tmp_path, capsys):
    """`bnnc run --engine df` folds the DAG and runs it: the same scores as the bnn engine."""
    x = tmp_path / "x.npy"
    np.save(x, images(3))
    outputs = {}
    for engine in ("bnn", "df"):
        out = tmp_path / f"{engine}.npy"
        code, err = run_cli(capsys, "run", model_file, "--engine", engine, "--input", x, "--output", out)
        assert code == 0, err
        outputs[engine] = np.load(out)
    assert np.array_equal(outputs["bnn"], outputs["df"])


# ------------------------------------------------------------------------------------------
# Folding over the DAG


def test_fold_solves_the_dag_and_bnn_equals_df(sized):
    """`fold` (the exact fix solver over the residual graph), then sizing: bnn = df."""
    module, reference = sized
    graph = graph_of(module)
    assert graph.attributes["df.folding"].data["cycles"].value.data <= 2000
    assert graph.attributes["df.fifo_sizing"].data["interval"].value.data <= 2000
    assert np.array_equal(BnnExecutor(module).run(images(6)), reference)


def test_the_dag_solver_is_exact_against_brute_force(model_file):
    """On the residual graph with three choices a layer (spread over each layer's choices), the
    DP's folding costs what the cheapest of all 2^5·3^5 foldings costs, at several targets; and
    FINN's greedy baseline still runs on the DAG."""
    import itertools

    from bnnc.analysis.folding.problem import build_problem
    from bnnc.analysis.folding.solvers import objective_key, solve_finn_greedy, solve_fix
    from bnnc.devices import load_device

    module, _ = lowered(model_file)
    problem = build_problem(graph_of(module), load_device("zc706"), 200.0)
    assert not problem.is_chain and len(problem.layers) == 10
    for layer in problem.layers:  # three choices a layer, two for the convolutions
        count = 2 if len(layer.choices) > 16 else 3
        step = max(1, len(layer.choices) // count)
        layer.choices = layer.choices[::step][:count]
    key = objective_key(problem, "device")
    every = []
    for combo in itertools.product(*(layer.choices for layer in problem.layers)):
        totals = problem.evaluate({layer.name: c.fold for layer, c in zip(problem.layers, combo)})
        every.append((totals.cycles, key(totals.lut, totals.bram18), (totals.lut, totals.bram18)))
    for target in sorted({c.cost.cycles for layer in problem.layers for c in layer.choices})[-6::2]:
        fitting = [entry for entry in every if entry[0] <= target]
        best = min(fitting, key=lambda e: e[1])[2] if fitting else None
        try:
            solution = solve_fix(problem, target)
        except BnncError:
            assert best is None, f"the DP found no folding at {target} cycles, brute force {best}"
            continue
        assert solution.totals.cycles <= target
        assert (solution.totals.lut, solution.totals.bram18) == best, target
    greedy = solve_finn_greedy(problem, 5000)
    assert set(greedy.folding) == {layer.name for layer in problem.layers}


def test_a_graph_that_is_not_series_parallel_is_refused_naming_an_edge():
    """The bridge: x and y read the input, y also reads x, t reads x and y."""
    from bnnc.analysis.folding.dag import series_parallel_problem

    assert series_parallel_problem({"a": (None,), "b": ("a",), "c": ("a", "b"), "d": ("c",)}) is None
    problem = series_parallel_problem({"x": (None,), "y": (None, "x"), "t": ("x", "y")})
    assert problem is not None and "the layer graph is not series-parallel: the edge 'input' -> " in problem


@pytest.mark.parametrize("fold", ["fold{max=true}", "fold{target-fps=20000 solver=finn}"])
def test_max_and_finn_greedy_fold_the_dag(model_file, fold):
    """The max solver (the binary search over the DAG solver) and FINN's greedy baseline fold
    the residual graph, and the folded graph computes what the bnn level does."""
    module, reference = lowered(model_file, f"bnn-streamline,lower-bnn-to-dataflow,{fold}")
    folding = graph_of(module).attributes["df.folding"].data
    assert folding["cycles"].value.data <= (folding["target_cycles"].value.data or 10**9)
    assert np.array_equal(BnnExecutor(module).run(images(6)), reference)
