"""FPGA boards as data: one JSON file per board in this package, read into a `Device`.

Adding a board adds a file `<name>.json` next to `zc706.json` with every field of `Device`
(`bram18` excepted: it is derived, two BRAM18 halves per BRAM36; `shell` is optional, and only a
board with one gets a system wrapper; `uram` is left out where there are none; `sources` cites
the vendor documents of the figures). The resource model (the table of the board's `family`,
`bnnc.analysis.fabric_costs`), the folding solver, the Tcl generator and the reports all read the same
`Device` (docs/boards.md).
"""

from __future__ import annotations

import json
import math
from dataclasses import MISSING, dataclass, field, fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from bnnc.errors import BnncError

DEFAULT_BOARD = "zc706"
"""The board everything is built for unless told otherwise. Its data file's `clock_mhz` is the
default clock: no clock is written anywhere else."""


@dataclass(frozen=True)
class Shell:
    """How the system wrapper puts the accelerator next to the board's processing system.

    Everything that names a Vivado IP, pin, property or address is here, so that another board
    (another Zynq, or a Zynq UltraScale+ with its own PS IP) needs a data file and no code.
    """

    ps_vlnv: str
    """The processing system's IP, `vendor:library:name:version`."""
    ps_automation_rule: str
    """The block automation rule that makes DDR and fixed I/O external and applies the board preset."""
    ps_config: dict[str, str]
    """PS properties (without `CONFIG.`) that enable the ports below, on top of the board preset."""
    clock_property: str
    """The PS property that sets the fabric clock's frequency in MHz."""
    fabric_clock: str
    fabric_reset: str
    """The PS pins of the fabric clock and its (active-low) reset."""
    data_port: str
    data_port_clock: str
    data_segment: str
    """The PS slave port the DMAs use (an HP port), its clock pin and its DDR address segment."""
    ddr_offset: str
    ddr_range: str
    """Where the DDR segment is mapped for the DMAs, as Vivado writes it (`0x00000000`, `1G`)."""
    control_port: str
    control_port_clock: str
    control_space: str
    """The PS master port for AXI-lite control (a GP port), its clock pin, its address space."""
    control_base: str
    """The first address given to the control registers (DMA, then accelerator, 64 KiB each):
    inside the control port's window (0x4000_0000 for a Zynq-7000 GP0, 0xA000_0000 for a Zynq
    UltraScale+ HPM0_FPD)."""
    ps_automation_config: str = ('make_external "FIXED_IO, DDR" apply_board_preset "1" '
                                 'Master "Disable" Slave "Disable"')
    """The `-config` of the block automation rule. A Zynq-7000's DDR and fixed I/O are made
    external; a Zynq UltraScale+ PS has no such ports in the block design (its config is
    `apply_board_preset "1"`)."""


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
    """DSP slices (DSP48E1 on 7-series, DSP48E2 on UltraScale+)."""
    clock_mhz: float
    """The default fabric clock."""
    ps: str
    """The processing system, also its cell's name in the block design (`ps7` for Zynq-7000,
    `psu` for Zynq UltraScale+)."""
    hp_port_bits: int
    """Data width of the high-performance AXI port that the DMAs use."""
    ddr_gbps: float
    """Peak bandwidth of the DDR the DMAs reach, in GB/s: bus bytes x transfers per second
    (a 16-bit DDR3 at 1,050 MT/s: 2.1 GB/s). A frame rate needs (input + output bytes a frame,
    plus the bytes of every weight streamed from DDR) x FPS below it; the PS's other traffic,
    DRAM refresh and bank conflicts take their share first, so a design should plan for a
    fraction of it. Checked at load against the two figures below."""
    ddr_bus_bits: int
    """Data width of that DDR (the processing system's memory), in bits, as the board's manual
    gives it."""
    ddr_mts: float
    """Its data rate in megatransfers a second (twice the DDR clock), as the manual gives it."""
    shell: Shell | None = None
    """The system wrapper's description; None for a board that only has estimates."""
    uram: int = 0
    """UltraRAM blocks (288 Kb each; UltraScale+ only, left out of the file where there are
    none)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Where each figure comes from: a vendor document per field (or group of fields)."""

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
    return _shipped_device(text_name)


@cache
def _shipped_device(text_name: str) -> Device:
    """A shipped board, parsed once (a `Device` is frozen): the FIFO model asks for the
    target's fabric thousands of times a run."""
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
    device = Device(**_fields(Device, data, where))
    _check_ddr(device, where)
    return device


DDR_TOLERANCE = 0.005
"""How far `ddr_gbps` may be from bus bytes x transfers a second: rounding in the file only."""


def _check_ddr(device: Device, where: str) -> None:
    """`ddr_gbps` must be what the DDR's width and data rate give, `ddr_bus_bits` / 8 bytes x
    `ddr_mts` x 10^6 transfers a second, so that a typo in one of the three figures is caught
    where it is made rather than as a wrong bandwidth bound in a report."""
    if device.ddr_bus_bits % 8:
        raise BnncError(f"{where}: field 'ddr_bus_bits' must be a whole number of bytes, got "
                        f"{device.ddr_bus_bits}")
    implied = device.ddr_bus_bits / 8 * device.ddr_mts / 1000
    if abs(device.ddr_gbps - implied) > DDR_TOLERANCE * implied:
        raise BnncError(
            f"{where}: field 'ddr_gbps' is {device.ddr_gbps:g} GB/s, but a {device.ddr_bus_bits}-bit "
            f"DDR at {device.ddr_mts:g} MT/s moves {device.ddr_bus_bits // 8} bytes x "
            f"{device.ddr_mts / 1000:g} G transfers a second = {implied:g} GB/s"
        )


def _fields(cls: type, data: dict[str, Any], where: str) -> dict[str, Any]:
    """The checked values of the dataclass `cls`'s fields in `data`; a field with a default may
    be left out."""
    expected = {f.name: f for f in fields(cls)}
    unknown = sorted(set(data) - set(expected))
    if unknown:  # most likely a typo of a required field: say so rather than ignore it
        raise BnncError(f"{where}: unknown field '{unknown[0]}'; fields are {', '.join(expected)}")
    values: dict[str, Any] = {}
    for name, spec in expected.items():
        if name not in data:
            if spec.default is MISSING and spec.default_factory is MISSING:
                raise BnncError(f"{where}: missing field '{name}'")
            continue
        values[name] = _check(where, name, spec.type, data[name])
    return values


def _check(where: str, name: str, kind: object, value: Any) -> Any:
    # The annotations are strings under `from __future__ import annotations`.
    if kind == "Shell | None":
        if not isinstance(value, dict):
            raise BnncError(f"{where}: field '{name}' must be an object with the fields of a shell")
        return Shell(**_fields(Shell, value, f"{where}: {name}"))
    if kind == "dict[str, str]":
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return dict(value)
        raise BnncError(f"{where}: field '{name}' must be an object of strings, got {value!r}")
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
