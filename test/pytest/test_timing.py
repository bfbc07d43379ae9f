"""bnnc's timing check (`bnnc.backends.verilog.timing`): the delay model on hand-made netlists,
one engine of each kind synthesised with Yosys and closing 200 MHz by the model, and the check
in `bnnc compile --timing` (report.json, report.html, the compile output). A missing `yosys`
fails."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import model_path
from test_yosys import load_calibration

from bnnc.backends.verilog import timing
from bnnc.backends.verilog.engines import instance_of
from bnnc.backends.verilog.timing import check_instance, worst_paths
from bnnc.errors import BnncError

BNNC = Path(sys.executable).with_name("bnnc")

PERIOD_NS = 5.0  # 200 MHz


def _netlist(cells: dict, ports: dict | None = None) -> dict:
    return {"modules": {"t": {"attributes": {"top": 1}, "ports": ports or {}, "cells": cells, "netnames": {}}}}


def _ff(d: int, q: int) -> dict:
    return {"type": "FDRE", "connections": {"C": [1], "CE": ["1"], "R": ["0"], "D": [d], "Q": [q]}}


def _lut(ins: list[int], out: int) -> dict:
    return {"type": f"LUT{len(ins)}", "connections": {**{f"I{i}": [b] for i, b in enumerate(ins)}, "O": [out]}}


def _carry(ci, s: list[int], co: list[int]) -> dict:
    return {"type": "CARRY4", "port_directions": {"CI": "input", "CYINIT": "input", "DI": "input", "S": "input",
                                                  "O": "output", "CO": "output"},
            "connections": {"CI": [ci], "CYINIT": ["0"], "DI": ["0"] * 4, "S": s, "O": [90 + b for b in co],
                            "CO": co}}


def test_two_luts_between_flip_flops():
    # q 10 -> LUT -> 11 -> LUT -> 12 -> D; every net of fanout 1
    paths = worst_paths(_netlist({"a": _ff(20, 10), "l1": _lut([10], 11), "l2": _lut([11], 12), "b": _ff(12, 13)}))
    expected = (timing.FF_CLOCK_TO_OUT + 2 * (timing.ROUTE_BASE + timing.LUT_DELAY) + timing.ROUTE_BASE
                + timing.FF_SETUP)
    worst = paths[0]
    assert worst.delay_ns == pytest.approx(expected)
    assert (worst.lut_levels, worst.carry4) == (2, 0)


def test_carry_chain_is_dedicated_and_fanout_costs():
    # a LUT into a two-CARRY4 chain (CO[3] -> CI dedicated), its CO[3] into a flip-flop; the
    # LUT's input net fans out to 4 sinks
    cells = {"a": _ff(20, 10), "l": _lut([10], 11), "c0": _carry("0", [11, 11, 11, 11], [30, 31, 32, 33]),
             "c1": _carry(33, ["0"] * 4, [40, 41, 42, 43]), "b": _ff(43, 50),
             "x": _lut([10], 60), "y": _lut([10], 61), "z": _lut([10], 62)}
    worst = worst_paths(_netlist(cells))[0]
    expected = (timing.FF_CLOCK_TO_OUT + timing.ROUTE_BASE + 2 * timing.ROUTE_PER_FANOUT_DOUBLING + timing.LUT_DELAY
                + timing.ROUTE_BASE + 2 * timing.ROUTE_PER_FANOUT_DOUBLING  # the LUT's net: 4 sinks of the chain
                + timing.CARRY_ENTER + timing.CARRY_STAGE + timing.ROUTE_BASE + timing.FF_SETUP)
    assert worst.delay_ns == pytest.approx(expected)
    assert (worst.lut_levels, worst.carry4) == (1, 2)


def test_ports_arrive_and_are_required_as_through_fifos():
    ports = {"i": {"direction": "input", "bits": [5]}, "o": {"direction": "output", "bits": [6]}}
    worst = worst_paths(_netlist({"l": _lut([5], 6)}, ports))[0]
    assert worst.delay_ns == pytest.approx(timing.PORT_ARRIVAL_NS + timing.ROUTE_BASE + timing.LUT_DELAY
                                           + timing.ROUTE_BASE + timing.PORT_REQUIRED_NS)


def test_unknown_cell_and_loop_are_errors():
    with pytest.raises(BnncError, match="no figure for a XORCY cell"):
        worst_paths(_netlist({"a": _ff(20, 10), "x": {"type": "XORCY", "port_directions": {"O": "output", "LI": "input"},
                                                     "connections": {"LI": [10], "O": [11]}}}))
    with pytest.raises(BnncError, match="combinational loop"):
        worst_paths(_netlist({"a": _lut([11], 10), "b": _lut([10], 11), "f": _ff(10, 12)}))


# one small configuration of each engine kind (benchmarks/yosys_calibration.py builds them)
ENGINES = [
    "mvtu-xnor-pe4-simd8", "mvtu-si8xbipolar-pe4-simd3", "swu-3x3-c8-mmv2", "pool-ui4-c16-pe4",
    "threshold-si8-c32-pe4-3steps", "label-select-10-top1-ui10", "dwc-2-to-16", "dwc-mmv2-to-1",
    "label-select-100-top5-pe4",  # lanes and a merge network; one list took 39.7 ns
    "fifo-16x32", "fifo-8x256",
    "vvtu-ui4xsi4-c8-pe2-simd9",  # a whole 3x3 window a cycle: the tree's 9 lanes in 4 stages
    "swu-depthwise-3x3-c32-pe8-simd3",  # three taps a word, each lane its own buffer copy
]


@pytest.mark.parametrize("name", ENGINES)
def test_engine_closes_200_mhz_by_the_delay_model(name):
    cal = load_calibration()
    op = cal.engine_op(name)
    report = check_instance(instance_of(op, "u"), op.operands[0].type.width, op.results[0].type.width)
    worst = report.worst
    assert worst is not None and worst.lut_levels >= 1
    assert report.worst_ns <= PERIOD_NS, f"{name}: {worst}"
    assert report.meets() and report.fmax_mhz() >= 200.0 and not math.isinf(report.fmax_mhz())


def test_compile_timing_goes_into_the_report(tmp_path):
    build = tmp_path / "tfc"
    result = subprocess.run(
        [str(BNNC), "compile", str(model_path("tfc_w1a1.qonnx.onnx")),
         "-o", str(build), "--fps", "1000", "--backend", "rtl", "--timing"],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "timing estimate: worst path" in result.stderr and "meets 200 MHz" in result.stderr
    report = json.loads((build / "report.json").read_text())
    checked = report["timing"]
    assert checked["clock_mhz"] == 200.0 and 0 < checked["worst_ns"] <= PERIOD_NS
    assert checked["meets_clock"] and checked["fmax_mhz"] >= 200.0
    assert {name.split("_")[1] for name in checked["engines"]} >= {"mvtu", "fifo"}
    assert "timing (estimate)" in (build / "report.html").read_text()


def test_timing_needs_the_verilog(tmp_path):
    result = subprocess.run(
        [str(BNNC), "compile", str(model_path("tfc_w1a1.qonnx.onnx")),
         "-o", str(tmp_path / "x"), "--backend", "hls", "--timing"], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "bnnc: error: the timing check reads the Verilog" in result.stderr


def test_the_tree_follows_the_graphs_target_clock():
    """The MVTU's first tree stage takes the lanes its period allows at the graph's target clock
    (`cost_model.mvtu_tree`): more at 100 MHz than at 200, fewer at 333; the emitter prints the
    same GROUP the cycle model counts stages of."""
    from bnnc.analysis.cost_model import mvtu_pipeline_depth, mvtu_tree
    from bnnc.dialects import df
    from bnnc.driver.compiler import load_module
    from bnnc.driver.pipeline import run_pipeline

    groups = {}
    for clock in (100, 200, 333):
        module = run_pipeline(load_module(model_path("tfc_w1a1.qonnx.onnx")),
                              f"bnn-streamline,lower-bnn-to-dataflow,fold{{max=true clock-mhz={clock}}}")
        graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
        mvtu = next(op for op in graph.body.block.ops if isinstance(op, df.MvtuOp) and op.simd.value.data >= 16)
        group, _, stages = mvtu_tree(mvtu)
        assert instance_of(mvtu, "u").params["GROUP"] == group
        assert mvtu_pipeline_depth(mvtu) == 4 + stages
        groups[clock] = group
    assert groups[100] > groups[200] > groups[333]


# ---- the UltraScale+ delay model (`delay_models.XCUP`): its primitives on hand-made netlists

def _carry8(ci, s: list[int], co: list[int]) -> dict:
    return {"type": "CARRY8", "port_directions": {"CI": "input", "CI_TOP": "input", "DI": "input", "S": "input",
                                                  "O": "output", "CO": "output"},
            "connections": {"CI": [ci], "CI_TOP": ["0"], "DI": ["0"] * 8, "S": s, "O": [190 + b for b in co],
                            "CO": co}}


def test_ultrascale_plus_carry8_chain_and_muxf9():
    """Two CARRY8s in a chain (CO[7] → CI dedicated) and a LUT → MUXF7 → MUXF8 → MUXF9 tree (the
    joins dedicated) take the UltraScale+ figures; the 7-series model refuses neither but gives
    them its own."""
    xcup = timing.delay_model("xcup")
    cells = {"a": _ff(20, 10), "l": _lut([10], 11),
             "c0": _carry8("0", [11] + ["0"] * 7, list(range(30, 38))),
             "c1": _carry8(37, ["0"] * 8, list(range(40, 48))), "b": _ff(47, 50)}
    worst = worst_paths(_netlist(cells), None, xcup)[0]
    expected = (xcup.ff_clock_to_out + xcup.route_base + xcup.lut + xcup.route_base + xcup.carry_enter
                + xcup.carry_stage + xcup.route_base + xcup.ff_setup)
    assert worst.delay_ns == pytest.approx(expected)
    assert (worst.lut_levels, worst.carry4) == (1, 2)

    def mux(kind, i0, i1, out):
        return {"type": kind, "port_directions": {"I0": "input", "I1": "input", "S": "input", "O": "output"},
                "connections": {"I0": [i0], "I1": [i1], "S": [10], "O": [out]}}

    cells = {"a": _ff(20, 10), "l0": _lut([10], 11), "l1": _lut([10], 12), "m7": mux("MUXF7", 11, 12, 13),
             "m8": mux("MUXF8", 13, 13, 14), "m9": mux("MUXF9", 14, 14, 15), "b": _ff(15, 16)}
    worst = worst_paths(_netlist(cells), None, xcup)[0]
    # the worst arrival at the MUXF9 is its select (net 10, fanout 5) or the data through the LUTs
    data = xcup.ff_clock_to_out + xcup.route_base + xcup.route_per_fanout_doubling * math.log2(5) + xcup.lut
    select = xcup.ff_clock_to_out + xcup.route_base + xcup.route_per_fanout_doubling * math.log2(5)
    expected = max(data + 3 * xcup.muxf, select + xcup.muxf) + xcup.route_base + xcup.ff_setup
    assert worst.delay_ns == pytest.approx(expected)
    assert worst.muxf == 3


def test_ultrascale_plus_block_ram_uram_and_dsp48e2():
    """RAMB36E2 (DOUTADOUT, DOA_REG), URAM288 (OREG_A as a string) and DSP48E2 (A/B/M/P
    registers) start paths at the UltraScale+ clock-to-out figures."""
    xcup = timing.delay_model("xcup")
    bram = {"type": "RAMB36E2", "parameters": {"DOA_REG": 0},
            "port_directions": {"CLKARDCLK": "input", "ADDRARDADDR": "input", "DOUTADOUT": "output"},
            "connections": {"CLKARDCLK": [1], "ADDRARDADDR": [20], "DOUTADOUT": [10]}}
    uram = {"type": "URAM288", "parameters": {"OREG_A": "TRUE"},
            "port_directions": {"CLK": "input", "ADDR_A": "input", "DOUT_A": "output"},
            "connections": {"CLK": [1], "ADDR_A": [21], "DOUT_A": [11]}}
    dsp = {"type": "DSP48E2", "parameters": {"AREG": 1, "BREG": 1, "MREG": 1, "PREG": 1},
           "port_directions": {"CLK": "input", "A": "input", "B": "input", "P": "output"},
           "connections": {"CLK": [1], "A": [22], "B": [22], "P": [12]}}
    cells = {"r": bram, "u": uram, "d": dsp, "fa": _ff(10, 30), "fb": _ff(11, 31), "fc": _ff(12, 32),
             "x": _ff(33, 20), "y": _ff(33, 21), "z": _ff(33, 22)}
    by_end = {p.end: p.delay_ns for p in worst_paths(_netlist(cells), None, xcup)}
    tail = xcup.route_base + xcup.ff_setup
    assert by_end["fa"] == pytest.approx(xcup.bram_clock_to_out + tail)
    assert by_end["fb"] == pytest.approx(xcup.uram_clock_to_out_registered + tail)
    assert by_end["fc"] == pytest.approx(xcup.dsp_p_registered + tail)
    # the DSP's A and B share a net of fanout 2 into its input registers
    assert by_end["d"] == pytest.approx(xcup.ff_clock_to_out + xcup.route_base + xcup.route_per_fanout_doubling
                                        + xcup.dsp_setup_input_reg)


def test_the_board_family_chooses_the_delay_model():
    from bnnc.devices import load_device

    assert timing.delay_model(load_device("zc706").family) is timing.XC7
    assert timing.delay_model(load_device("zcu104").family).description == "UltraScale+ -2"
    # the 7-series model is the constants of `timing`, unchanged
    assert timing.XC7.lut == timing.LUT_DELAY and timing.XC7.port_arrival == pytest.approx(timing.PORT_ARRIVAL_NS)
    with pytest.raises(BnncError, match="no delay model for the fabric family 'xcv'"):
        timing.delay_model("xcv")


@pytest.mark.slow
def test_compile_timing_on_ultrascale_plus(tmp_path):
    """`bnnc compile --board zcu104 --timing` synthesises for xcup and reports the UltraScale+
    -2 delay model's estimate (slow: TFC through `synth_xilinx -family xcup`, a minute or two)."""
    build = tmp_path / "tfc"
    result = subprocess.run(
        [str(BNNC), "compile", str(model_path("tfc_w1a1.qonnx.onnx")), "-o", str(build), "--fps", "1000",
         "--board", "zcu104", "--backend", "rtl", "--timing"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "UltraScale+ -2 delay model" in result.stderr and "meets 200 MHz" in result.stderr
    checked = json.loads((build / "report.json").read_text())["timing"]
    assert checked["family"] == "xcup" and checked["delay_model"] == "UltraScale+ -2"
    assert 0 < checked["worst_ns"] <= PERIOD_NS and checked["meets_clock"]


# ---- the speed grade: the Pynq boards' -1 part (`delay_models.speed_grade_1`)

def test_the_part_string_chooses_the_speed_grade():
    """The Pynq-Z1/Z2's xc7z020clg400-1 is timed with the 7-series -1 model: the -2 figures
    scaled by DS189's -1/-2 ratios (block RAM by its own, everything else by its clock-to-out
    ratio); the ZC706's -2 part and the ZCU104's -2-e keep their -2 models, and a grade the check
    has no model for is a clear error."""
    from bnnc.backends.verilog import delay_models
    from bnnc.devices import load_device

    assert [delay_models.speed_grade(p) for p in ("xc7z020clg400-1", "xc7z045ffg900-2", "xczu7ev-ffvc1156-2-e",
                                                  "xc7a35t")] == [1, 2, 2, None]
    pynq = {timing.delay_model(load_device(b).family, load_device(b).part) for b in ("pynq-z1", "pynq-z2")}
    assert pynq == {timing.XC7_SPEED_1} and timing.XC7_SPEED_1.description == "7-series -1"
    assert timing.delay_model("xc7", load_device("zc706").part) is timing.XC7
    assert timing.delay_model("xcup", load_device("zcu104").part) is timing.XCUP
    slow, fast = timing.XC7_SPEED_1, timing.XC7
    assert slow.bram_clock_to_out == pytest.approx(fast.bram_clock_to_out * 2.46 / 2.13, abs=1e-3)
    assert slow.bram_clock_to_out_registered == pytest.approx(fast.bram_clock_to_out_registered * 0.89 / 0.74,
                                                              abs=1e-3)
    assert slow.lut == pytest.approx(fast.lut * 2.46 / 2.13, abs=1e-3)
    assert slow.route_base == pytest.approx(fast.route_base * 2.46 / 2.13, abs=1e-3)
    # the same two-LUT path is longer at -1 by the logic ratio
    cells = {"a": _ff(20, 10), "l0": _lut([10], 11), "l1": _lut([11], 12), "b": _ff(12, 13)}
    at_2, at_1 = (worst_paths(_netlist(cells), None, m)[0].delay_ns for m in (fast, slow))
    assert at_1 == pytest.approx(at_2 * 2.46 / 2.13, abs=0.01)
    with pytest.raises(BnncError, match="no delay model for speed grade -1 of the fabric family 'xcup'"):
        timing.delay_model("xcup", "xczu3eg-sbva484-1-e")


def test_compile_times_a_pynq_board_with_the_speed_grade_1_model(tmp_path, monkeypatch):
    """`bnnc compile --board pynq-z1 --timing` hands the board's part to the timing check, which
    picks the -1 model (the synthesis is replaced by a one-path netlist: the wiring is what is
    checked here; `test_compile_timing_on_ultrascale_plus` synthesises for real)."""
    from bnnc.driver.compiler import compile as compile_api

    seen = {}

    def fake_synthesize(directory, sources, top, family="xc7"):
        seen["family"] = family
        return _netlist({"a": _ff(20, 10), "l": _lut([10], 11), "b": _ff(11, 12)})

    monkeypatch.setattr(timing, "synthesize_netlist", fake_synthesize)
    compile_api(model_path("tfc_w1a1.qonnx.onnx"), tmp_path / "tfc", board="pynq-z1", fps=1000,
                backend="rtl", timing=True)
    checked = json.loads((tmp_path / "tfc" / "report.json").read_text())["timing"]
    assert seen["family"] == "xc7" and checked["delay_model"] == "7-series -1"
