"""FPGA boards as data: one JSON file per board in this package, read into a `Device`.

Adding a board adds a file `<name>.json` next to `zc706.json` with every field of `Device`
(`bram18` excepted: it is derived, two BRAM18 halves per BRAM36). The resource model, the folding
solver, the Tcl generator and the reports all read the same `Device`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from bnnc.errors import BnncError


@dataclass(frozen=True)
class Device:
    """One board: its FPGA part, the fabric's resources and the processing-system interface."""

    name: str
    """The board's short name, the one `estimate{board=...}` takes."""
    description: str
    part: str
    """The Vivado part, e.g. `xc7z045ffg900-2`."""
    board_part: str
    """The Vivado board part, e.g. `xilinx.com:zc706:part0:1.4`."""
    family: str
    """The device family as Yosys' `synth_xilinx -family` names it (`xc7`)."""
    lut: int
    ff: int
    bram36: int
    lutram: int
    """LUTs that can act as distributed RAM or shift registers (those of SLICEMs)."""
    dsp: int
    clock_mhz: float
    """The default fabric clock."""
    ps: str
    """The processing system (`ps7` for Zynq-7000)."""
    hp_port_bits: int
    """Data width of the high-performance AXI port that the DMAs use."""

    @property
    def bram18(self) -> int:
        return 2 * self.bram36


def known_devices() -> list[str]:
    """The names of the boards shipped with bnnc."""
    return sorted(
        entry.name.removesuffix(".json")
        for entry in resources.files(__name__).iterdir()
        if entry.name.endswith(".json")
    )


def load_device(name_or_path: str | Path) -> Device:
    """The board called `name_or_path` (a shipped board) or described by that JSON file."""
    text_name = str(name_or_path)
    if isinstance(name_or_path, Path) or text_name.endswith(".json") or "/" in text_name:
        path = Path(name_or_path)
        try:
            text = path.read_text()
        except OSError as exc:
            raise BnncError(f"cannot read the device file {path}: {exc.strerror or exc}") from None
        return _parse(text, str(path))
    resource = resources.files(__name__).joinpath(f"{text_name}.json")
    if not resource.is_file():
        raise BnncError(
            f"unknown board '{text_name}'; known boards: {', '.join(known_devices())} "
            "(or give the path of a .json device file)"
        )
    device = _parse(resource.read_text(), f"{text_name}.json")
    if device.name != text_name:  # the name is how users and reports refer to the board
        raise BnncError(f"{text_name}.json: field 'name' is '{device.name}', expected '{text_name}'")
    return device


def _parse(text: str, where: str) -> Device:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BnncError(f"{where}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BnncError(f"{where}: expected a JSON object with the device's fields")
    expected = {f.name: f.type for f in fields(Device)}
    unknown = sorted(set(data) - set(expected))
    if unknown:  # most likely a typo of a required field: say so rather than ignore it
        raise BnncError(f"{where}: unknown field '{unknown[0]}'; fields are {', '.join(expected)}")
    values: dict[str, Any] = {}
    for name, kind in expected.items():
        if name not in data:
            raise BnncError(f"{where}: missing field '{name}'")
        values[name] = _check(where, name, kind, data[name])
    return Device(**values)


def _check(where: str, name: str, kind: object, value: Any) -> Any:
    # The annotations are strings under `from __future__ import annotations`.
    if kind == "str":
        if isinstance(value, str) and value:
            return value
        raise BnncError(f"{where}: field '{name}' must be a non-empty string, got {value!r}")
    is_int = isinstance(value, int) and not isinstance(value, bool)
    if kind == "int" and is_int and value > 0:
        return value
    if kind == "float" and (is_int or isinstance(value, float)) and 0 < value < math.inf:
        return float(value)
    what = "a positive integer" if kind == "int" else "a positive number"
    raise BnncError(f"{where}: field '{name}' must be {what}, got {value!r}")
