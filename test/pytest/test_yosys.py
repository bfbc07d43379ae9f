"""One small Yosys synthesis (`benchmarks/yosys_calibration.py`): the engine synthesises for
xc7 and the cell counts parse into LUT, FF and BRAM figures. A missing `yosys` fails."""

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "yosys_calibration.py"


def load_calibration():
    spec = importlib.util.spec_from_file_location("yosys_calibration", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_one_engine_synthesises_and_counts_parse():
    cal = load_calibration()
    row = cal.measure("fifo-16x32", cal.engine_op("fifo-16x32"))
    assert row.yosys_lut > 0 and row.yosys_ff > 0 and row.yosys_bram18 == 0
    assert row.yosys_lutram > 0  # a 32 x 16 FIFO goes to distributed RAM
    assert row.model_lut > 0


def test_cell_counts_parse():
    cal = load_calibration()
    stat = ('{"creator": "Yosys", "modules": {"\\\\cal_top": {"num_cells_by_type": '
            '{"LUT3": 2, "LUT6": 1, "RAM64M": 1, "FDRE": 5, "RAMB36E1": 1, "CARRY4": 3}}}}')
    cells = cal.cell_counts(stat)
    assert cal.resources(cells) == (7, 4, 5, 2)


def test_an_ultrascale_plus_engine_is_within_15_percent(monkeypatch):
    """`--family xcup`: the engine synthesises for UltraScale+ (RAM32M16: 32 x 14 bits in 8
    LUTs) and the cost model on the ZCU104 (its family's table) is within 15 % of Yosys."""
    cal = load_calibration()
    monkeypatch.setattr(cal, "FAMILY", "xcup")
    row = cal.measure("fifo-64x2", cal.engine_op("fifo-64x2"))
    assert row.yosys_lutram == 40 and row.yosys_bram18 == 0  # 5 RAM32M16 for 64 bits
    assert abs(cal.error(row.model_lut, row.yosys_lut)) <= 0.15, row
    assert abs(cal.error(row.model_ff, row.yosys_ff)) <= 0.15, row
    # the UltraScale+ delay model times the xcup netlist (RAM32M16 reads): it closes 200 MHz,
    # sooner than the same FIFO on 7-series (2.08 ns there)
    assert 0.5 < row.worst_ns < 2.08 and row.lut_levels >= 1, row


def test_ultrascale_plus_cell_counts_parse():
    cal = load_calibration()
    stat = ('{"creator": "Yosys", "modules": {"\\\\cal_top": {"num_cells_by_type": '
            '{"LUT6": 3, "MUXF9": 1, "RAM32M16": 2, "FDRE": 4, "RAMB36E2": 1, "RAMB18E2": 1}}}}')
    assert cal.resources(cal.cell_counts(stat)) == (19, 16, 4, 3)


def test_the_width_converters_are_within_15_percent_on_both_families(monkeypatch):
    """The refitted converter formulas (`df.dwc.repack_cost`, per family: the control per slot
    bit; `regroup_cost`) against Yosys: an AXI output port of 7-bit scores on 7-series and a
    2 → 16 lanes converter on UltraScale+ (a few seconds each)."""
    cal = load_calibration()
    row = cal.measure_port("port-out-5-to-9-ui7")
    assert abs(cal.error(row.model_lut, row.yosys_lut)) <= 0.15, row
    assert abs(cal.error(row.model_ff, row.yosys_ff)) <= 0.15, row
    monkeypatch.setattr(cal, "FAMILY", "xcup")
    row = cal.measure("dwc-2-to-16", cal.engine_op("dwc-2-to-16"))
    assert abs(cal.error(row.model_lut, row.yosys_lut)) <= 0.15, row
    assert abs(cal.error(row.model_ff, row.yosys_ff)) <= 0.15, row
