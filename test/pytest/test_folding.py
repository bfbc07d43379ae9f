"""The folding problem and its solvers: legality, targets, budgets, pinning, FINN's baseline."""

import json

import numpy as np
import pytest
import synthetic
from bnnc.dialects import df
from bnnc.passes.fold import fold_graph
from conftest import model_path

from bnnc.devices import load_device
from bnnc.errors import BnncError
from bnnc.analysis.folding import Fold, current_folding
from bnnc.analysis.folding.options import FoldOptions
from bnnc.analysis.folding.problem import build_problem
from bnnc.analysis.folding.solvers import OBJECTIVES, objective_key, solve_finn_greedy, solve_fix, solve_max
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.driver.pipeline import run_pipeline
from bnnc.driver.cli.bnnc_main import main as bnnc_main

DEVICE = load_device("zc706")
NETWORKS = ["tfc_w1a1.qonnx.onnx", "sfc_w1a1_random.qonnx.onnx", "lfc_w1a1.onnx", "cnv_w1a1_random.qonnx.onnx"]


def lowered_graph(path):
    module = run_pipeline(import_onnx(path), "bnn-streamline,lower-bnn-to-dataflow")
    return module, next(op for op in module.ops if isinstance(op, df.GraphOp))


@pytest.fixture(scope="module")
def problems():
    return {name: build_problem(lowered_graph(model_path(name))[1], DEVICE, 200.0) for name in NETWORKS}


@pytest.mark.parametrize("name", NETWORKS)
def test_fix_9000_meets_the_target_and_beats_or_ties_finn(problems, name):
    problem = problems[name]
    target = problem.cycles_for_fps(9000)
    exact, greedy = solve_fix(problem, target), solve_finn_greedy(problem, target)
    assert problem.verify(exact.folding, target) == []
    assert problem.verify(greedy.folding, target) == []
    assert exact.totals.cycles <= target
    share = objective_key(problem, "device")
    assert share(exact.totals.lut, exact.totals.bram18) <= share(greedy.totals.lut, greedy.totals.bram18)
    lut_first = solve_fix(problem, target, "lut")
    assert lut_first.totals.lut <= min(exact.totals.lut, greedy.totals.lut)


# FINN's own plan at 9,000 FPS (REFERENCE.md: LUT, BRAM18), which leaves out width converters
FINN_FIX_9000 = {"tfc_w1a1.qonnx.onnx": (1_271, 7), "sfc_w1a1_random.qonnx.onnx": (1_383, 23),
                 "cnv_w1a1_random.qonnx.onnx": (39_918, 195)}


@pytest.mark.parametrize("name", sorted(FINN_FIX_9000))
def test_fix_9000_is_smaller_than_finns_plan_in_lut_and_bram(problems, name):
    exact = solve_fix(problems[name], problems[name].cycles_for_fps(9000))
    lut, bram18 = FINN_FIX_9000[name]
    assert exact.totals.lut < lut and exact.totals.bram18 < bram18, exact.totals


@pytest.mark.parametrize("name", NETWORKS)
def test_max_fits_the_budget_and_no_faster_design_does(problems, name):
    problem = problems[name]
    best = solve_max(problem)
    assert problem.verify(best.folding, best.target_cycles) == []
    faster = sorted({c.cost.cycles for l in problem.layers for c in l.choices if c.cost.cycles < best.totals.cycles})
    if not faster:
        return
    fits = False  # the next faster cycle target must not fit the budget, whichever resource goes first
    for objective in OBJECTIVES:
        try:
            solution = solve_fix(problem, faster[-1], objective)
        except BnncError:
            continue
        fits = fits or not problem.verify(solution.folding, faster[-1])
    assert not fits


def test_exact_fix_is_optimal_on_a_small_network_by_brute_force(tmp_path):
    path = synthetic.save(synthetic.mlp([24, 12, 8, 4], seed=2, input_shape=[1, 1, 4, 6]), tmp_path, "mlp")
    problem = build_problem(lowered_graph(path)[1], DEVICE, 200.0)
    target = 12
    import itertools

    for objective in OBJECTIVES:
        exact = solve_fix(problem, target, objective)
        key = objective_key(problem, objective)
        best = None
        for combo in itertools.product(*[[c.fold for c in layer.choices] for layer in problem.layers]):
            folding = {layer.name: fold for layer, fold in zip(problem.layers, combo)}
            if problem.verify(folding, target):
                continue
            totals = problem.evaluate(folding)
            if totals.cycles <= target and (best is None or key(totals.lut, totals.bram18) < best):
                best = key(totals.lut, totals.bram18)
        assert key(exact.totals.lut, exact.totals.bram18) == best, objective


def test_impossible_target_names_the_layer_and_its_best(problems):
    problem = problems["tfc_w1a1.qonnx.onnx"]
    with pytest.raises(BnncError, match=r"layer 'fc0' cannot reach the target.*its best is 1 cycles"):
        solve_fix(problem, problem.cycles_for_fps(1e9))


def test_illegal_pinned_layer_lists_the_legal_choices(tmp_path):
    pins = tmp_path / "pins.json"
    pins.write_text(json.dumps({"fc0": {"pe": 3}}))
    _, graph = lowered_graph(model_path("tfc_w1a1.qonnx.onnx"))
    with pytest.raises(BnncError, match=r"layer 'fc0': PE 3, SIMD 1, MMV 1 is not a legal folding; legal choices: PE in \[1, 2, 4, 8, 16, 32, 64\]"):
        fold_graph(graph, FoldOptions(target_fps=9000, folding=str(pins)))


def test_pinned_layers_over_the_budget_are_named(tmp_path):
    """LFC's fc1 fully unrolled (1,024 x 1,024 lanes) cannot fit the ZC706: max names the pinned
    layer rather than blaming "the slowest folding", which the user never asked for."""
    pins = tmp_path / "pins.json"
    pins.write_text(json.dumps({"fc1": {"pe": 1024, "simd": 1024}}))
    _, graph = lowered_graph(model_path("lfc_w1a1.onnx"))
    with pytest.raises(BnncError, match=r"the layers pinned by the folding file \(fc1\) with the slowest "
                                        r"folding of the others exceeds the budget of 174880 LUT"):
        fold_graph(graph, FoldOptions(max=True, folding=str(pins)))


def test_pinned_layers_keep_their_folding_and_the_result_stays_bit_exact(tmp_path, rng):
    model = synthetic.cnv(seed=31, channels=synthetic.SMALL_CNV)
    path = synthetic.save(model, tmp_path, "cnv")
    pins = tmp_path / "pins.json"
    pins.write_text(json.dumps({"conv1": {"pe": 4, "simd": 2, "mmv": 2}}))
    module, graph = lowered_graph(path)
    x = synthetic.random_inputs(model, 20, seed=3)
    expected = BnnExecutor(run_pipeline(import_onnx(path), "bnn-streamline")).run(x)
    fold_graph(graph, FoldOptions(max=True, folding=str(pins)))
    module.verify()
    assert current_folding(graph)["conv1"] == Fold(4, 2, 2)
    np.testing.assert_array_equal(BnnExecutor(module).run(x), expected)


def test_bnnc_fold_writes_a_folding_file_that_reads_back(tmp_path, capsys):
    out = tmp_path / "folding.json"
    assert bnnc_main(["fold", str(model_path("tfc_w1a1.qonnx.onnx")), "--fps", "9000", "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "fc0" in report and "FPS" in report
    folding = json.loads(out.read_text())
    assert set(folding) == {"fc0", "fc1", "fc2", "fc3"}
    assert bnnc_main(["fold", str(model_path("tfc_w1a1.qonnx.onnx")), "--fps", "9000", "--folding", str(out)]) == 0


def test_fold_takes_one_scenario_at_most(capsys):
    """--max is the default (test_new_user.py); --fps and --max together are refused."""
    with pytest.raises(SystemExit) as exit_info:
        bnnc_main(["fold", str(model_path("tfc_w1a1.qonnx.onnx")), "--fps", "9000", "--max"])
    assert exit_info.value.code == 2
    assert "argument --max: not allowed with argument --fps" in capsys.readouterr().err


@pytest.mark.parametrize(("flags", "message"), [
    (["--fps", "nan"], "positive number of frames per second, got nan"),
    (["--fps", "1000", "--clock-mhz", "-5"], "clock must be a positive number of MHz, got -5"),
])
def test_bad_rates_and_clocks_are_clear_errors(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        bnnc_main(["fold", str(model_path("tfc_w1a1.qonnx.onnx")), *flags])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_folding_leaves_no_stray_uses_on_the_streams():
    """The solver's cost probes are detached: after `fold`, every stream has exactly its one
    reader (a probe built on a graph value left 105 phantom readers on TFC's input, which the
    HLS lowering's one-reader check then refused)."""
    module = run_pipeline(import_onnx(model_path("tfc_w1a1.qonnx.onnx")),
                          "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=9000.0},insert-streams")
    graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
    readers = {op.name: r.uses.get_length() for op in graph.body.block.ops for r in op.results}
    assert set(readers.values()) == {1}, readers


def test_the_axi_ports_and_converters_are_priced_on_the_boards_fabric():
    """The folding prices the input port, the width converters and the recorded output port with
    the cost table of the board's fabric family, not the 7-series one on every board."""
    from bnnc.analysis.cost_model import dwc_stream_cost, input_port_cost, output_port_cost
    from bnnc.analysis.fabric_costs import FABRICS

    graph = lowered_graph(model_path("tfc_w1a1.qonnx.onnx"))[1]
    zcu104 = load_device("zcu104")
    problem = build_problem(graph, zcu104, 200.0)
    first = problem.layers[0].choices[0]
    assert problem.edge(problem.source, first.reads) == input_port_cost(first.reads, FABRICS["xcup"])
    assert input_port_cost(first.reads, FABRICS["xcup"]) != input_port_cost(first.reads, FABRICS["xc7"])
    second = problem.layers[1]
    pair = next((c.writes, d.reads) for c in problem.layers[0].choices for d in second.choices
                if c.writes != d.reads and c.writes.mmv.data == 1 and d.reads.mmv.data == 1)
    assert problem.edge(*pair) == dwc_stream_cost(*pair, FABRICS["xcup"])
    solution = fold_graph(graph, FoldOptions(target_fps=9000, board="zcu104"))
    port = output_port_cost(graph.output_op().input.type, FABRICS["xcup"])
    assert port != output_port_cost(graph.output_op().input.type, FABRICS["xc7"])
    assert graph.attributes["df.folding"].data["lut"].value.data == solution.totals.lut + port.lut


def test_a_multi_pixel_converter_is_priced_as_bnnc_regroup():
    """Between multi-pixel streams the folding prices the converter as `df.dwc` does
    (`regroup_cost`), not with the one-pixel `bnnc_repack` formula."""
    from bnnc.analysis.cost_model import dwc_stream_cost, regroup_cost
    from bnnc.analysis.fabric_costs import FABRICS

    problem = build_problem(lowered_graph(model_path("cnv_w1a1_random.qonnx.onnx"))[1], DEVICE, 200.0)
    for before, after in zip(problem.layers, problem.layers[1:]):
        for c in before.choices:
            for d in after.choices:
                if c.writes != d.reads and (c.writes.mmv.data > 1 or d.reads.mmv.data > 1):
                    cost = problem.edge(c.writes, d.reads, c.pixels)
                    if cost.cycles < 10**18:
                        assert cost == regroup_cost(c.writes, d.reads, c.pixels, FABRICS["xc7"])
                        assert cost != dwc_stream_cost(c.writes, d.reads, FABRICS["xc7"])
                        return
    pytest.fail("no multi-pixel converter among CNV's choices")
