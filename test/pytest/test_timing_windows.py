"""The whole-design timing check window by window (`bnnc.backends.verilog.timing_windows`): the
top cut at its FIFOs, each FIFO in the two windows beside it, the cut ports neither starting nor
ending a path, and (slow) the windows of TFC giving the worst path and the cells of the flat
synthesis. A missing `yosys` fails."""


import pytest
from conftest import model_path

from bnnc.backends.verilog import timing
from bnnc.backends.verilog.emitter import TOP_MODULE, build_project, find_graph
from bnnc.backends.verilog.timing import report_of, synthesize_netlist, worst_paths
from bnnc.backends.verilog.timing_windows import (FIFO, TOP_PORTS, check_windows, units_of, widths_of, window_top,
                                                  windows_of)
from bnnc.driver.compiler import load_module
from bnnc.driver.pipeline import run_pipeline


def _project(fold: str = "target-fps=9000"):
    module = run_pipeline(load_module(model_path("tfc_w1a1.qonnx.onnx")),
                          f"bnn-streamline,lower-bnn-to-dataflow,fold{{{fold}}},insert-streams,size-fifos")
    return build_project(find_graph(module))


def test_the_top_is_cut_at_its_fifos():
    top = _project().files["top.v"]
    units = units_of(top)
    assert units[0].name == "u_frame_in" and units[-1].name == "u_axis_out"
    windows = windows_of(units)
    assert len(windows) == sum(u.module == FIFO for u in units) + 1
    # every instance in a window; every FIFO in the two beside it, at their ends
    assert [u.name for w in windows for u in w if u.module != FIFO] == [u.name for u in units if u.module != FIFO]
    for before, after in zip(windows, windows[1:]):
        assert before[-1] is after[0] and before[-1].module == FIFO
    assert all(u.module != FIFO for w in windows for u in w[1:-1])
    widths = widths_of(top)
    assert widths["s_axis_tdata"] == 64 and widths["ap_clk"] == 1
    text, cut = window_top(windows[1], units, widths)
    assert "module window_top" in text and text.count(f"{FIFO} #(") == 2
    # the window's streams to its neighbours are cut; the top's own ports never are
    assert cut and not cut & TOP_PORTS
    first, first_cut = window_top(windows[0], units, widths)
    assert "input wire [63:0] s_axis_tdata" in first and "s_axis_tdata" not in first_cut


def test_cut_ports_start_and_end_no_path():
    ports = {"i": {"direction": "input", "bits": [5]}, "o": {"direction": "output", "bits": [6]},
             "j": {"direction": "input", "bits": [7]}}
    cells = {"l": {"type": "LUT1", "connections": {"I0": [5], "O": [6]}},
             "m": {"type": "LUT1", "connections": {"I0": [7], "O": [8]}},
             "f": {"type": "FDRE", "connections": {"C": [1], "CE": ["1"], "R": ["0"], "D": [8], "Q": [9]}}}
    netlist = {"modules": {"t": {"attributes": {"top": 1}, "ports": ports, "cells": cells, "netnames": {}}}}
    assert len(worst_paths(netlist)) == 2  # i -> o and j -> f
    kept = worst_paths(netlist, cut=frozenset({"i", "o"}))
    assert len(kept) == 1 and kept[0].delay_ns == pytest.approx(
        timing.PORT_ARRIVAL_NS + timing.ROUTE_BASE + timing.LUT_DELAY + timing.ROUTE_BASE + timing.FF_SETUP)


@pytest.mark.slow
def test_windows_give_the_flat_synthesis(tmp_path):
    """TFC fix-9000: the windows' worst path is the flat top's, their cells within 2 %."""
    project = _project()
    report, cells, results = check_windows(project.files, 200.0)
    for path, text in project.files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    sources = sorted(p for p in project.files if p.startswith("library/")) + ["top.v"]
    netlist = synthesize_netlist(tmp_path, sources, TOP_MODULE)
    flat = report_of(worst_paths(netlist, TOP_MODULE), 200.0)
    assert report.worst_ns == pytest.approx(flat.worst_ns, abs=0.05)
    flat_cells = {}
    for cell in netlist["modules"][TOP_MODULE]["cells"].values():
        flat_cells[cell["type"]] = flat_cells.get(cell["type"], 0) + 1
    for kind in ("FDRE", "RAMB18E1"):
        assert abs(cells.get(kind, 0) - flat_cells.get(kind, 0)) <= max(2, 0.02 * flat_cells.get(kind, 0)), kind
    luts = sum(n for k, n in cells.items() if k.startswith("LUT"))
    flat_luts = sum(n for k, n in flat_cells.items() if k.startswith("LUT"))
    assert abs(luts - flat_luts) <= 0.02 * flat_luts
