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
