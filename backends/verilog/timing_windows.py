"""The timing check of a whole design, window by window: for designs too big to synthesise flat.

    report, cells = check_windows(project.files, clock_mhz=200)

`timing.check_project` synthesises the whole generated top at once; for CNV at its fastest
folding (~130,000 LUTs) that Yosys run takes hours and GBs on a shared machine. This module cuts
the top (`top.v` as the emitter prints it) into *windows* and synthesises each alone:

- the top's instances form a chain (AXI input, engines, converters, FIFOs, AXI output); a window
  runs from one `bnnc_fifo` to the next, both included, with every instance between them (the
  first window starts at the top's input, the last ends at its output), so each FIFO is in the
  two windows beside it;
- the boundary claim: no combinational path crosses a `bnnc_fifo` from port to port.
  Its `in_ready` and `out_valid` are registers (`not_full`, `not_empty`), its `out_data` is a
  register (block RAM: the read register or the bypass register) or a distributed RAM read at the
  register `rptr` (an arc from the address only: the written data reaches the output through the
  write clock), and its inputs (`in_data`, `in_valid`, `out_ready`) end in its registers and
  RAM. So every register-to-register path of the top runs inside one window: from a register of
  the FIFO before it (or of the instances between) to a register of the instances between or of
  the FIFO after it. Synthesised flattened alone, a window has the same logic between those
  registers as the whole top.
- In a window the signals it shares with the rest of the top are ports; those that are not the
  top's own ports are *cut* (`timing.worst_paths`'s `cut`): no path starts or ends there, as
  the paths through them are register-to-register paths of the neighbouring window. The top's
  own ports keep the port allowance of the whole-design check.

The worst path of the design is the worst over the windows. Resources: the cells of every
window, less the cells of each FIFO that two windows hold (synthesised alone). Yosys optimises
across a window's edge less than across the whole top (it cannot, for instance, merge equal
registers of two windows), so the sums are an approximation of the flat run; the benchmark
(`benchmarks/design_timing.py --windows`) compares both on designs that synthesise flat.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bnnc.backends.verilog.timing import TimingPath, TimingReport, report_of, synthesize_netlist, worst_paths

# the stream ports of the library's modules, by direction (clk and rst_n are the top's)
OUTPUTS = frozenset({"in_ready", "out_data", "out_valid", "out_last", "truncated"})
INPUTS = frozenset({"in_data", "in_valid", "out_ready", "in_last"})
TOP_PORTS = frozenset({"s_axis_tdata", "s_axis_tvalid", "s_axis_tready", "s_axis_tlast", "m_axis_tdata",
                       "m_axis_tvalid", "m_axis_tready", "m_axis_tlast", "frame_truncated"})
FIFO = "bnnc_fifo"

_INSTANCE = re.compile(r"^    (bnnc_\w+) #\(\n(.*?)\n    \) (\w+) \(\n(.*?)\n    \);\n", re.S | re.M)
_CONNECTION = re.compile(r"\.(\w+)\((\w+)\)")
_PORT = re.compile(r"^\s*(?:input|output)\s+wire\s*(\[(\d+):0\])?\s*(\w+)", re.M)
_WIRE = re.compile(r"^\s*wire\s*(\[(\d+):0\])?\s*([\w, ]+);", re.M)


@dataclass
class Unit:
    """One instance of the top: its text and the signals it reads and drives."""

    module: str
    name: str
    text: str
    reads: set[str] = field(default_factory=set)
    drives: set[str] = field(default_factory=set)


def units_of(top: str) -> list[Unit]:
    """The top's instances in the order the emitter prints them (the stream's order)."""
    units = []
    for m in _INSTANCE.finditer(top):
        unit = Unit(m.group(1), m.group(3), m.group(0))
        for port, signal in _CONNECTION.findall(m.group(4)):
            if port in OUTPUTS:
                unit.drives.add(signal)
            elif port in INPUTS:
                unit.reads.add(signal)
        units.append(unit)
    return units


def widths_of(top: str) -> dict[str, int]:
    """Every wire and port of the top with its width."""
    widths = {}
    for m in [*_PORT.finditer(top), *_WIRE.finditer(top)]:
        width = int(m.group(2)) + 1 if m.group(2) is not None else 1
        for name in m.group(3).split(","):
            if name.strip():
                widths[name.strip()] = width
    return widths


def windows_of(units: list[Unit]) -> list[list[Unit]]:
    """The windows: from a FIFO to the next, both in (the chain's ends open)."""
    windows, current = [], []
    for unit in units:
        current.append(unit)
        if unit.module == FIFO and len(current) > 1:
            windows.append(current)
            current = [unit]
    if len(current) > 1 or not windows:
        windows.append(current)
    return windows


def window_top(window: list[Unit], units: list[Unit], widths: dict[str, int]) -> tuple[str, frozenset[str]]:
    """A Verilog top of the window's instances and the names of its cut ports: a signal the
    window reads but does not drive is an input, one it drives that an instance outside it (or
    the top's port) reads is an output; the others are wires."""
    inside = {u.name for u in window}
    driven = set().union(*(u.drives for u in window))
    read_inside = set().union(*(u.reads for u in window))
    read_outside = set().union(*(u.reads for u in units if u.name not in inside))
    inputs = sorted(read_inside - driven)
    outputs = sorted(s for s in driven if s in read_outside or s in TOP_PORTS)
    wires = sorted(driven - set(outputs))

    def decl(kind: str, name: str) -> str:
        width = widths[name]
        return f"{kind} wire {f'[{width - 1}:0] ' if width > 1 else ''}{name}"

    ports = ["input wire ap_clk", "input wire ap_rst_n"] + [decl("input", s) for s in inputs]
    ports += [decl("output", s) for s in outputs]
    body = "".join(f"    {decl('', s).strip()};\n" for s in wires)
    text = ("/* verilator lint_off DECLFILENAME */\nmodule window_top (\n    " + ",\n    ".join(ports)
            + "\n);\n" + body + "".join(u.text for u in window) + "endmodule\n")
    cut = frozenset(s for s in inputs + outputs if s not in TOP_PORTS)
    return text, cut


@dataclass
class WindowResult:
    units: list[str]
    paths: list[TimingPath]
    cells: Counter
    seconds: float = 0.0


def synthesize_window(files: dict[str, str], window: list[Unit], units: list[Unit], widths: dict[str, int],
                      cache: Path | None = None) -> tuple[list[TimingPath], Counter]:
    """Synthesise one window (`synthesize_netlist`) and time it with its cut ports. `cache`: a
    directory of earlier results, by a hash of everything the synthesis reads."""
    text, cut = window_top(window, units, widths)
    modules = sorted({u.module for u in window})
    key = hashlib.sha256("\0".join([text, *(files[f"library/{m}.v"] for m in modules),
                                     *(c for n, c in sorted(files.items()) if n.endswith(".mem") and n in text)])
                         .encode()).hexdigest()[:24]
    stored = cache / f"{key}.json" if cache is not None else None
    if stored is not None and stored.is_file():
        data = json.loads(stored.read_text())
        return [TimingPath(**p) for p in data["paths"]], Counter(data["cells"])
    paths, cells = _synthesize(files, window, text, cut, modules)
    if stored is not None:
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_text(json.dumps({"units": [u.name for u in window], "paths": [asdict(p) for p in paths[:50]],
                                      "cells": cells}))
    return paths, cells


def _synthesize(files: dict[str, str], window: list[Unit], text: str, cut: frozenset[str], modules: list[str]
                ) -> tuple[list[TimingPath], Counter]:
    with tempfile.TemporaryDirectory(prefix="bnnc-window-") as tmp:
        work = Path(tmp)
        (work / "window_top.v").write_text(text)
        for module in modules:
            (work / "library").mkdir(exist_ok=True)
            (work / "library" / f"{module}.v").write_text(files[f"library/{module}.v"])
        for name, content in files.items():
            if name.endswith(".mem") and name in text:
                (work / name).write_text(content)
        netlist = synthesize_netlist(work, [f"library/{m}.v" for m in modules] + ["window_top.v"], "window_top")
    top = netlist["modules"]["window_top"]
    cells = Counter(cell["type"] for cell in top.get("cells", {}).values())
    return worst_paths(netlist, "window_top", cut=cut), cells


def check_windows(files: dict[str, str], clock_mhz: float, progress=None, cache: Path | None = None
                  ) -> tuple[TimingReport, Counter, list[WindowResult]]:
    """The timing report of a generated project (`Project.files`) window by window, the
    design's cells (the windows' less the shared FIFOs'), and each window's result."""
    top = files["top.v"]
    units, widths = units_of(top), widths_of(top)
    results: list[WindowResult] = []
    total: Counter = Counter()
    fifo_cells: dict[str, Counter] = {}  # a FIFO's instance text without its name → its cells
    for window in windows_of(units):
        start = time.time()
        paths, cells = synthesize_window(files, window, units, widths, cache)
        results.append(WindowResult([u.name for u in window], paths, cells, round(time.time() - start, 1)))
        total += cells
        if progress is not None:
            progress(results[-1])
    for window in windows_of(units)[1:]:  # the FIFO each window shares with the one before
        shared = window[0]
        key = shared.text.split("    ) ", 1)[0]  # the module and its parameters
        if key not in fifo_cells:
            fifo_cells[key] = synthesize_window(files, [shared], units, widths, cache)[1]
        total -= fifo_cells[key]
    paths = sorted((p for r in results for p in r.paths), key=lambda p: -p.delay_ns)
    return report_of(paths, clock_mhz), total, results
