"""Each board's DDR bandwidth (issue 25): `ddr_gbps` with the bus width and data rate it comes
from, each cited, and checked against them when the board file is loaded. The bound it sets on
weights streamed from DDR is for the issue's later parts; here the figures and their check.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bnnc import devices
from bnnc.devices import known_devices, load_device
from bnnc.errors import BnncError

# board -> (bus bits, MT/s): the brief's and the manuals' figures (sources in each file)
DDR = {"zc706": (32, 1066), "pynq-z1": (16, 1050), "pynq-z2": (16, 1050), "zcu104": (64, 2400)}


@pytest.mark.parametrize("board", sorted(DDR))
def test_each_board_has_its_ddr_width_rate_and_source(board):
    device = load_device(board)
    bits, mts = DDR[board]
    assert (device.ddr_bus_bits, device.ddr_mts) == (bits, mts)
    assert device.ddr_gbps == pytest.approx(bits / 8 * mts / 1000, rel=1e-9)
    source = next(text for key, text in device.sources.items() if "ddr_gbps" in key)
    assert "ddr_bus_bits" in next(k for k in device.sources if "ddr_gbps" in k)
    assert f"{bits}-bit" in source and (f"{mts:,} MT/s" in source or f"{mts} MT/s" in source
                                        or f"{mts:,} Mbps" in source)


def test_every_shipped_board_is_covered():
    assert sorted(DDR) == known_devices()


def board_file(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(Path(devices.__file__).with_name("zc706.json").read_text())
    data.update(changes)
    path = tmp_path / "board.json"
    path.write_text(json.dumps({k: v for k, v in data.items() if v is not None}))
    return path


@pytest.mark.parametrize(("changes", "message"), [
    ({"ddr_gbps": 8.528}, "field 'ddr_gbps' is 8.528 GB/s, but a 32-bit DDR at 1066 MT/s moves "
                          "4 bytes x 1.066 G transfers a second = 4.264 GB/s"),
    ({"ddr_mts": 533.0}, "field 'ddr_gbps' is 4.264 GB/s, but a 32-bit DDR at 533 MT/s"),
    ({"ddr_bus_bits": 12}, "field 'ddr_bus_bits' must be a whole number of bytes, got 12"),
    ({"ddr_bus_bits": None}, "missing field 'ddr_bus_bits'"),
    ({"ddr_mts": 0}, "field 'ddr_mts' must be a positive number"),
])
def test_inconsistent_ddr_figures_are_refused_at_load(tmp_path, changes, message):
    path = board_file(tmp_path, **changes)
    with pytest.raises(BnncError, match=f"{path}: {message}".replace(".", r"\.")):
        load_device(path)


def test_rounding_in_the_file_is_accepted(tmp_path):
    assert load_device(board_file(tmp_path, ddr_gbps=4.26)).ddr_gbps == 4.26
