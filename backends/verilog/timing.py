"""bnnc's own timing check: the worst register-to-register path of a Yosys netlist.

    report = check_project("build/x/rtl", clock_mhz=200)      # the whole generated top
    report = check_instance(instance_of(op, "u"), in_w, out_w) # one engine alone

The Verilog is synthesised with `yosys synth_xilinx -family xc7 -flatten` (the same run as the
resource calibration, `benchmarks/yosys_calibration.py`) and written as a JSON netlist of 7-series
primitives; `worst_paths` then walks it as a static timing analysis with the delay model below.
No placement is known, so routing is a per-net estimate: the figures are an *estimate* of what
Vivado would report, not a sign-off. Nothing here has run under Vivado.

The board's fabric family chooses the model (`delay_model`): 7-series below, UltraScale+ in
`bnnc.backends.verilog.delay_models` (DS925's DSP48E2 figures and assumptions, all named there),
with the netlist synthesised by `synth_xilinx -family xcup` (CARRY8, MUXF9, RAMB18E2/RAMB36E2,
URAM288, DSP48E2). The 7-series model (`XC7`) is built from the constants below.

Delay model (Zynq-7000, -2 speed grade; the figures of REFERENCE.md "7-series timing", which
quotes the order of magnitude of Xilinx DS191's switching characteristics; each is a named
constant below, and those REFERENCE.md does not give are marked as bnnc's assumptions):

- flip-flop clock-to-out T_CKO = 0.40 ns, data setup T_DCK = 0.10 ns (REFERENCE.md); clock enable
  and synchronous reset setup 0.30 ns (assumption: DS191 lists CE/SR setups a few tenths of a
  ns above the data setup);
- a LUT (any of LUT1..LUT6) T_ILO = 0.12 ns (REFERENCE.md: ≈ 0.1 ns), plus the routing of its
  input net;
- routing of a general net: 0.35 ns (REFERENCE.md: 0.3–0.5 ns a level) plus 0.05 ns for every
  doubling of its fanout (assumption: a net of fanout 1,000 costs ≈ 0.85 ns, the delay Vivado
  reports for an unreplicated high-fanout enable before phys_opt replicates it); dedicated
  connections cost nothing: CARRY4 CO[3] → the next CARRY4's CI, LUT → MUXF7 → MUXF8;
- CARRY4: 0.40 ns from S/DI/CYINIT to any output (entering the chain), 0.10 ns from CI to any
  output (one stage of four bits) (REFERENCE.md);
- MUXF7/MUXF8: 0.30 ns (REFERENCE.md);
- block RAM (RAMB18E1/RAMB36E1) clock-to-out 2.10 ns without the output register (DO_REG = 0),
  0.80 ns with it (REFERENCE.md: 0.6–0.9 ns); address/data/enable setup 0.50 ns (assumption);
- distributed RAM and shift registers (RAM32M, RAM64M, RAMnnX1D/S, SRL16E, SRLC32E): read
  address to output as a LUT (0.12 ns; 0.42 ns for RAM128/RAM256, which add a MUXF7), write
  clock to output 1.00 ns, write-port setup 0.50 ns (assumptions, of the order of a LUT plus a
  flip-flop);
- DSP48E1: an unregistered multiply, A/B to P, 3.80 ns (REFERENCE.md: 3.5–4 ns); with its
  registers, P leaves 0.50 ns after the clock (PREG = 1) or 2.00 ns (MREG = 1 only, the
  post-adder after the M register), and its inputs need 0.30 ns (AREG/BREG = 1), 2.50 ns (only
  MREG) or 3.50 ns (only PREG) before the edge (assumptions between the fully pipelined ≈ 450 MHz
  and the unregistered multiply of REFERENCE.md).

A path starts at a clocked output (flip-flop Q, a RAM's output, DSP P) or at an input port of the
top and ends at a clocked input (flip-flop D/CE/R, a RAM's write or address port, DSP inputs) or
at an output port. An engine synthesised alone has its streams as ports; in a design they are
FIFO registers seen through a little logic (a FIFO's `count != FULL` for a ready, its LUTRAM read
for data): an input port arrives `PORT_ARRIVAL_NS` after the clock (clock-to-out and two LUT
levels) and an output port must settle `PORT_REQUIRED_NS` before the edge (two LUT levels and the
setup of the FIFO's pointers). The top's own AXI ports get the same allowance.

The slack of a path is period − (arrival at the endpoint + its routing + setup); the worst path of
a netlist (or of one engine of it: endpoints are attributed by the hierarchical name of the net
they drive or read) gives its estimated Fmax = 1000 / (delay) MHz.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bnnc.backends.verilog.delay_models import XCUP, DelayModel, speed_grade, speed_grade_1
from bnnc.errors import BnncError

# ---- the delay model (ns); derivations and sources in the module docstring
FF_CLOCK_TO_OUT = 0.40
FF_SETUP = 0.10
FF_CONTROL_SETUP = 0.30
LUT_DELAY = 0.12
ROUTE_BASE = 0.35
ROUTE_PER_FANOUT_DOUBLING = 0.05
CARRY_ENTER = 0.40
CARRY_STAGE = 0.10
MUXF_DELAY = 0.30
BRAM_CLOCK_TO_OUT = 2.10
BRAM_CLOCK_TO_OUT_REGISTERED = 0.80
BRAM_SETUP = 0.50
LUTRAM_READ = 0.12
LUTRAM_WIDE_READ = 0.42
LUTRAM_CLOCK_TO_OUT = 1.00
LUTRAM_SETUP = 0.50
DSP_COMBINATIONAL = 3.80
DSP_P_REGISTERED = 0.50
DSP_M_REGISTERED = 2.00
DSP_SETUP_INPUT_REG = 0.30
DSP_SETUP_M_REG = 2.50
DSP_SETUP_P_REG = 3.50
PORT_ARRIVAL_NS = FF_CLOCK_TO_OUT + 2 * (ROUTE_BASE + LUT_DELAY)
PORT_REQUIRED_NS = 2 * (ROUTE_BASE + LUT_DELAY) + FF_SETUP

XC7 = DelayModel(
    family="xc7", description="7-series -2",
    ff_clock_to_out=FF_CLOCK_TO_OUT, ff_setup=FF_SETUP, ff_control_setup=FF_CONTROL_SETUP,
    lut=LUT_DELAY, route_base=ROUTE_BASE, route_per_fanout_doubling=ROUTE_PER_FANOUT_DOUBLING,
    carry_enter=CARRY_ENTER, carry_stage=CARRY_STAGE, muxf=MUXF_DELAY,
    bram_clock_to_out=BRAM_CLOCK_TO_OUT, bram_clock_to_out_registered=BRAM_CLOCK_TO_OUT_REGISTERED,
    bram_setup=BRAM_SETUP, lutram_read=LUTRAM_READ, lutram_wide_read=LUTRAM_WIDE_READ,
    lutram_clock_to_out=LUTRAM_CLOCK_TO_OUT, lutram_setup=LUTRAM_SETUP,
    dsp_combinational=DSP_COMBINATIONAL, dsp_p_registered=DSP_P_REGISTERED, dsp_m_registered=DSP_M_REGISTERED,
    dsp_setup_input_reg=DSP_SETUP_INPUT_REG, dsp_setup_m_reg=DSP_SETUP_M_REG, dsp_setup_p_reg=DSP_SETUP_P_REG,
)
# The model of each fabric family (the board file's `family`; `delay_models` has the UltraScale+ one),
# at the -2 speed grade; other grades by (family, grade) (`delay_models.speed_grade_1`: the Pynq's -1).
DELAY_MODELS = {"xc7": XC7, "xcup": XCUP}
XC7_SPEED_1 = speed_grade_1(XC7)
OTHER_SPEED_GRADES = {("xc7", 1): XC7_SPEED_1}


def delay_model(family: str, part: str | None = None) -> DelayModel:
    """The delay model of a fabric family (`Device.family`) at the speed grade of the board's
    `part` (`delay_models.speed_grade`; -2 when no part is given or the name has no grade)."""
    model = DELAY_MODELS.get(family)
    if model is None:
        raise BnncError(f"the timing check has no delay model for the fabric family '{family}'; "
                        f"the families are {', '.join(sorted(DELAY_MODELS))}")
    grade = speed_grade(part) if part else None
    if grade is None or grade == 2:
        return model
    other = OTHER_SPEED_GRADES.get((family, grade))
    if other is None:
        known = ", ".join(f"{f} -{g}" for f, g in sorted({(f, 2) for f in DELAY_MODELS} | set(OTHER_SPEED_GRADES)))
        raise BnncError(f"the timing check has no delay model for speed grade -{grade} of the fabric family "
                        f"'{family}' (part {part}); it has {known}")
    return other


FLIP_FLOPS = {"FDRE", "FDSE", "FDCE", "FDPE"}
CLOCKS = {"C", "CLK", "WCLK", "CLKARDCLK", "CLKBWRCLK", "CLKARDCLKU", "CLKARDCLKL", "CLKBWRCLKU",
          "CLKBWRCLKL", "REGCLKARDRCLK", "REGCLKB", "REGCLKARDRCLKL", "REGCLKARDRCLKU", "REGCLKBL",
          "REGCLKBU"}
# distributed RAMs and SRLs: is the read a wide one (RAM128/RAM256, through a MUXF7)
LUTRAMS = {"RAM32M": False, "RAM64M": False, "RAM32M16": False, "RAM64M8": False, "RAM32X1D": False,
           "RAM64X1D": False, "RAM32X1S": False, "RAM64X1S": False, "RAM128X1D": True, "RAM128X1S": True,
           "RAM256X1S": True, "SRL16E": False, "SRLC32E": False}
BRAMS = {"RAMB18E1", "RAMB36E1", "RAMB18E2", "RAMB36E2"}
URAMS = {"URAM288", "URAM288_BASE"}
DSPS = {"DSP48E1", "DSP48E2"}
CARRIES = {"CARRY4", "CARRY8"}
MUXFS = {"MUXF7", "MUXF8", "MUXF9"}
IGNORED = {"GND", "VCC", "BUFG", "IBUF", "OBUF"}


@dataclass
class TimingPath:
    """The worst path to one endpoint: its delay and what lies on it."""

    delay_ns: float
    start: str  # the net (or cell type) the path starts at
    end: str
    lut_levels: int
    carry4: int  # carry-chain cells: CARRY4 (7-series), CARRY8 (UltraScale+)
    muxf: int
    engine: str  # the instance the endpoint belongs to ("" for the top)
    through: list[str] = field(default_factory=list)  # the cells on the path, start to end


@dataclass
class TimingReport:
    clock_mhz: float
    worst: TimingPath | None
    engines: dict[str, TimingPath] = field(default_factory=dict)  # instance → its worst path
    model: DelayModel = XC7

    @property
    def worst_ns(self) -> float:
        return self.worst.delay_ns if self.worst else 0.0

    def fmax_mhz(self, path: TimingPath | None = None) -> float:
        delay = (path or self.worst).delay_ns if (path or self.worst) else 0.0
        return round(1000.0 / delay, 1) if delay > 0 else math.inf

    def meets(self) -> bool:
        return self.worst_ns <= 1000.0 / self.clock_mhz + 1e-9

    def to_json(self) -> dict:
        def entry(p: TimingPath) -> dict:
            return {**asdict(p), "delay_ns": round(p.delay_ns, 3), "fmax_mhz": self.fmax_mhz(p)}

        return {
            "model": f"bnnc delay model of {self.model.description} (backends/verilog/timing.py, "
                     "delay_models.py) on the Yosys synth_xilinx netlist: an estimate, not Vivado timing",
            "family": self.model.family,
            "delay_model": self.model.description,
            "clock_mhz": self.clock_mhz,
            "period_ns": round(1000.0 / self.clock_mhz, 3),
            "worst_ns": round(self.worst_ns, 3),
            "fmax_mhz": self.fmax_mhz(),
            "meets_clock": self.meets(),
            "worst": entry(self.worst) if self.worst else None,
            "engines": {name: entry(p) for name, p in sorted(self.engines.items())},
        }


def _route(fanout: int, model: DelayModel = XC7) -> float:
    return model.route_base + model.route_per_fanout_doubling * math.log2(max(fanout, 1))


def _param_int(cell: dict, name: str, default: int = 0) -> int:
    value = cell.get("parameters", {}).get(name)
    if value is None:
        return default
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.upper() in ("TRUE", "FALSE"):  # UltraScale+ string attributes (URAM288's OREG_A)
        return int(text.upper() == "TRUE")
    return int(text, 2) if set(text) <= {"0", "1"} and text else int(text or default)


def _dsp_registers(cell: dict) -> tuple[bool, bool, bool]:
    inputs = _param_int(cell, "AREG") > 0 or _param_int(cell, "BREG") > 0
    return inputs, _param_int(cell, "MREG") > 0, _param_int(cell, "PREG") > 0


class _Netlist:
    """The top module of a Yosys JSON netlist as timing arcs between bits."""

    def __init__(self, netlist: dict, top: str | None = None):
        modules = netlist["modules"]
        top = top.lstrip("\\") if top else None  # Yosys' JSON names modules without the backslash
        name = top if top in modules else next(
            (n for n, m in modules.items() if m.get("attributes", {}).get("top")), next(iter(modules)))
        self.module = modules[name]
        self.cells: dict[str, dict] = self.module.get("cells", {})
        self.fanout: dict[int, int] = defaultdict(int)
        self.driver: dict[int, tuple[str, str]] = {}
        for cell_name, cell in self.cells.items():
            for port, bits in cell["connections"].items():
                for bit in bits:
                    if not isinstance(bit, int):
                        continue
                    if self._is_output(cell, port):
                        self.driver[bit] = (cell_name, port)
                    else:
                        self.fanout[bit] += 1
        self.inputs: set[int] = set()
        self.outputs: set[int] = set()
        for port in self.module.get("ports", {}).values():
            bits = {b for b in port["bits"] if isinstance(b, int)}
            if port["direction"] == "input":
                self.inputs |= bits
            else:
                self.outputs |= bits
                for b in bits:
                    self.fanout[b] += 1
        self.names: dict[int, str] = {}
        for net, info in self.module.get("netnames", {}).items():
            hidden = info.get("hide_name", 0)
            for bit in info["bits"]:
                if isinstance(bit, int) and (bit not in self.names or (not hidden and "$" in self.names[bit])):
                    if not hidden or bit not in self.names:
                        self.names[bit] = net

    @staticmethod
    def _is_output(cell: dict, port: str) -> bool:
        direction = cell.get("port_directions", {}).get(port)
        if direction is not None:
            return direction == "output"
        kind = cell["type"]
        if kind.startswith("LUT") or kind == "INV" or kind in MUXFS:
            return port == "O"
        if kind in CARRIES:
            return port in ("O", "CO")
        if kind in FLIP_FLOPS:
            return port == "Q"
        raise BnncError(f"timing check: no port directions for a {kind} cell")


def worst_paths(netlist: dict, top: str | None = None, model: DelayModel = XC7,
                cut: frozenset[str] = frozenset()) -> list[TimingPath]:
    """The worst path to every endpoint of the netlist's top module, by the delay model of its
    fabric family (7-series above, derived in the module docstring; UltraScale+ in
    `delay_models`), worst first. `cut`: ports where the netlist was cut out of a larger design
    (`timing_windows`): no path starts or ends there."""
    net = _Netlist(netlist, top)
    cut_bits = {b for name, port in net.module.get("ports", {}).items() if name in cut
                for b in port["bits"] if isinstance(b, int)}
    arrival: dict[int, float] = {}
    origin: dict[int, tuple[int | None, str]] = {}  # bit → (the bit before it, the cell passed)
    # combinational arcs: output bit → [(input bit, delay of the cell, dedicated connection)]
    arcs: dict[int, list[tuple[int, float, bool]]] = defaultdict(list)
    endpoints: list[tuple[int, float, str]] = []  # (bit, setup, the endpoint's cell)

    def start(bit: int, delay: float, kind: str) -> None:
        if delay > arrival.get(bit, -math.inf):
            arrival[bit] = delay
            origin[bit] = (None, kind)

    for bit in net.inputs - cut_bits:
        start(bit, model.port_arrival, "port")
    for name, cell in net.cells.items():
        kind = cell["type"]
        conn = cell["connections"]
        ins = {p: [b for b in bits if isinstance(b, int)] for p, bits in conn.items()
               if not net._is_output(cell, p) and p not in CLOCKS}
        outs = {p: [b for b in bits if isinstance(b, int)] for p, bits in conn.items() if net._is_output(cell, p)}
        if kind in IGNORED:
            continue
        if kind == "INV" or (kind.startswith("LUT") and kind[3:].isdigit()):  # INV is a LUT1
            for o in outs.get("O", []):
                for b in (b for bits in ins.values() for b in bits):
                    arcs[o].append((b, model.lut, False))
        elif kind in MUXFS:
            for o in outs.get("O", []):
                for p, bits in ins.items():
                    for b in bits:
                        arcs[o].append((b, model.muxf, p in ("I0", "I1")))
        elif kind in CARRIES:
            for bits in outs.values():
                for o in bits:
                    for p, in_bits in ins.items():
                        for b in in_bits:
                            if p == "CI":
                                arcs[o].append((b, model.carry_stage, True))
                            else:
                                arcs[o].append((b, model.carry_enter, False))
        elif kind in FLIP_FLOPS:
            for o in outs.get("Q", []):
                start(o, model.ff_clock_to_out, kind)
            for p, bits in ins.items():
                for b in bits:
                    endpoints.append((b, model.ff_setup if p == "D" else model.ff_control_setup, name))
        elif kind in BRAMS:
            for p, bits in outs.items():
                port_a = p.startswith(("DOA", "DOPA", "DOUTA", "DOUTPA"))
                registered = _param_int(cell, "DOA_REG" if port_a else "DOB_REG") > 0
                for o in bits:
                    start(o, model.bram_clock_to_out_registered if registered else model.bram_clock_to_out, kind)
            for bits in ins.values():
                for b in bits:
                    endpoints.append((b, model.bram_setup, name))
        elif kind in URAMS:
            for p, bits in outs.items():
                registered = _param_int(cell, "OREG_B" if p.endswith("_B") else "OREG_A") > 0
                for o in bits:
                    start(o, model.uram_clock_to_out_registered if registered else model.uram_clock_to_out, kind)
            for bits in ins.values():
                for b in bits:
                    endpoints.append((b, model.uram_setup, name))
        elif kind in LUTRAMS:
            read = model.lutram_wide_read if LUTRAMS[kind] else model.lutram_read
            address = [b for p, bits in ins.items() if p.startswith(("A", "DPRA")) for b in bits]
            for bits in outs.values():
                for o in bits:
                    start(o, model.lutram_clock_to_out, kind)
                    for b in address:
                        arcs[o].append((b, read, False))
            for bits in ins.values():
                for b in bits:
                    endpoints.append((b, model.lutram_setup, name))
        elif kind in DSPS:
            in_reg, m_reg, p_reg = _dsp_registers(cell)
            data = [b for p, bits in ins.items() if p in ("A", "B", "C", "D", "ACIN", "BCIN", "PCIN") for b in bits]
            for bits in outs.values():
                for o in bits:
                    if p_reg:
                        start(o, model.dsp_p_registered, kind)
                    elif m_reg or in_reg:
                        start(o, model.dsp_m_registered if m_reg else model.dsp_combinational, kind)
                    else:
                        for b in data:
                            arcs[o].append((b, model.dsp_combinational, False))
            setup = model.dsp_setup_input_reg if in_reg else model.dsp_setup_m_reg if m_reg else model.dsp_setup_p_reg
            if in_reg or m_reg or p_reg:
                for bits in ins.values():
                    for b in bits:
                        endpoints.append((b, setup, name))
        else:
            raise BnncError(f"timing check: the delay model has no figure for a {kind} cell")
    for bit in net.outputs - cut_bits:
        endpoints.append((bit, model.port_required, "port"))

    # arrival times in topological order of the combinational arcs (iterative: netlists are big)
    pending = {o: len(a) for o, a in arcs.items()}
    users: dict[int, list[int]] = defaultdict(list)
    for o, a in arcs.items():
        for b, _, _ in a:
            users[b].append(o)
    ready = [b for b in set(arrival) | net.inputs | {b for a in arcs.values() for b, _, _ in a}
             if b not in arcs]
    seen_ready = set(ready)
    while ready:
        bit = ready.pop()
        for o in users.get(bit, ()):
            pending[o] -= 1
            if pending[o] == 0:
                best, best_from, best_cell = arrival.get(o, -math.inf), None, None
                for b, delay, dedicated in arcs[o]:
                    t = arrival.get(b, -math.inf)
                    if t == -math.inf:
                        continue
                    t += delay + (0.0 if dedicated else _route(net.fanout[b], model))
                    if t > best:
                        best, best_from = t, b
                        best_cell = net.cells[net.driver[o][0]]["type"]
                if best_from is not None:
                    arrival[o] = best
                    origin[o] = (best_from, best_cell)
                if o not in seen_ready:
                    seen_ready.add(o)
                    ready.append(o)
    if any(n > 0 for n in pending.values()):
        raise BnncError("timing check: the netlist has a combinational loop")

    def trace(bit: int) -> tuple[str, int, int, int, list[str]]:
        luts = carries = muxes = 0
        through: list[str] = []
        while True:
            before, kind = origin.get(bit, (None, "?"))
            through.append(f"{kind} {net.names.get(bit, '')}".strip())
            if kind.startswith("LUT") or kind in LUTRAMS or kind == "INV":
                luts += 1
            elif kind in CARRIES:
                carries += 1
            elif kind in MUXFS:
                muxes += 1
            if before is None:
                return net.names.get(bit, kind), luts, carries, muxes, through[::-1]
            bit = before

    worst: dict[int, TimingPath] = {}
    for bit, setup, cell in endpoints:
        t = arrival.get(bit)
        if t is None or t == -math.inf:
            continue
        delay = t + _route(net.fanout[bit], model) + setup
        if bit in worst and worst[bit].delay_ns >= delay:
            continue
        begin, luts, carries, muxes, through = trace(bit)
        end = _cell_label(net, cell) if cell != "port" else net.names.get(bit, "port")
        worst[bit] = TimingPath(delay, begin, end, luts, carries, muxes, _instance_of(end, cell), through)
    return sorted(worst.values(), key=lambda p: -p.delay_ns)


def _cell_label(net: _Netlist, cell_name: str) -> str:
    """A sequential cell by the name of the register or memory it implements: the net its first
    output drives (a flip-flop's Q is the register's name), else the cell's own name."""
    cell = net.cells[cell_name]
    for port, bits in cell["connections"].items():
        if net._is_output(cell, port):
            for bit in bits:
                name = net.names.get(bit, "") if isinstance(bit, int) else ""
                if name and not name.startswith("$"):
                    return name
    return cell_name.replace("$flatten\\", "").replace("$flatten", "")


def _instance_of(net_name: str, cell_name: str) -> str:
    """The top-level instance a (flattened) net or cell name belongs to: `u3_mvtu_fc0.acc` →
    `u3_mvtu_fc0`; "" for the top's own."""
    for name in (net_name, cell_name):
        text = name.lstrip("\\")
        if "." in text and not text.startswith("$"):
            return text.split(".", 1)[0]
    return ""


def report_of(paths: list[TimingPath], clock_mhz: float, model: DelayModel = XC7) -> TimingReport:
    engines: dict[str, TimingPath] = {}
    for p in paths:
        if p.engine and p.engine not in engines:
            engines[p.engine] = p
    return TimingReport(clock_mhz, paths[0] if paths else None, engines, model)


def synthesize_netlist(directory: Path, sources: list[str], top: str, family: str = "xc7") -> dict:
    """`synth_xilinx -family FAMILY -flatten` of `top` in `directory` (its .mem files beside),
    as a JSON netlist."""
    yosys = shutil.which("yosys")
    if yosys is None:
        raise BnncError("yosys is not installed or not on PATH (the timing check needs it)")
    script = (f"read_verilog -defer {' '.join(sources)}; synth_xilinx -family {family} -flatten -top {top}; "
              "write_json netlist.json")
    result = subprocess.run([yosys, "-q", "-p", script], cwd=directory, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BnncError("yosys failed: " + " | ".join((result.stderr or result.stdout).strip().splitlines()[-10:]))
    return json.loads((directory / "netlist.json").read_text())


def check_project(rtl: str | Path, clock_mhz: float, family: str = "xc7", part: str | None = None) -> TimingReport:
    """The timing of a generated Verilog project (`bnnc compile`'s `rtl/`): the whole top,
    flattened, its paths attributed to the engine instances; synthesised for the fabric `family`
    (the board's) and timed by its delay model at the speed grade of `part` (`delay_model`)."""
    from bnnc.backends.verilog.emitter import TOP_MODULE

    root = Path(rtl)
    if not (root / "top.v").is_file():
        raise BnncError(f"{root} holds no generated Verilog project (top.v)")
    with tempfile.TemporaryDirectory(prefix="bnnc-timing-") as tmp:
        work = Path(tmp)
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".v", ".mem"):
                target = work / path.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        sources = sorted(str(p.relative_to(work)) for p in (work / "library").glob("*.v")) + ["top.v"]
        netlist = synthesize_netlist(work, sources, TOP_MODULE, family)
    model = delay_model(family, part)
    return report_of(worst_paths(netlist, f"\\{TOP_MODULE}", model) or worst_paths(netlist, None, model), clock_mhz,
                     model)


def check_instance(instance, in_width: int, out_width: int, clock_mhz: float = 200.0,
                   family: str = "xc7") -> TimingReport:
    """The timing of one library engine alone (`bnnc.backends.verilog.engines.Instance`), its
    streams as ports (arriving and required as from the FIFOs around it), on the fabric `family`."""
    from bnnc.backends.verilog.emitter import LIBRARY

    params = ",\n".join(f"        .{k}({chr(34) + v + chr(34) if isinstance(v, str) else v})"
                        for k, v in instance.params.items())
    top = f"""module timing_top (
    input wire clk, input wire rst_n,
    input wire [{in_width - 1}:0] in_data, input wire in_valid, output wire in_ready,
    output wire [{out_width - 1}:0] out_data, output wire out_valid, input wire out_ready
);
    {instance.module} #(
{params}
    ) u (.clk(clk), .rst_n(rst_n), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
         .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
"""
    with tempfile.TemporaryDirectory(prefix="bnnc-timing-") as tmp:
        work = Path(tmp)
        (work / "timing_top.v").write_text(top)
        for file, lines in instance.memories.items():
            (work / file).write_text("\n".join(lines) + "\n")
        netlist = synthesize_netlist(work, [str(LIBRARY / f"{instance.module}.v"), "timing_top.v"], "timing_top",
                                     family)
    model = delay_model(family)
    report = report_of(worst_paths(netlist, "\\timing_top", model), clock_mhz, model)
    if report.worst is not None:
        report.engines = {"u": report.worst}
    return report
