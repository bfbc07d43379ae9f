"""The delay models of bnnc's timing check (`bnnc.backends.verilog.timing`), one per fabric family.

`timing.worst_paths` walks a Yosys netlist with the model of the netlist's family: the 7-series
model (`timing.XC7`, its figures and sources in `timing`'s docstring) or the UltraScale+ model
below, chosen by the board's `family` (`bnnc/devices/*.json`; `timing.delay_model`). A new family
adds a `DelayModel` here, and its primitives to `timing.worst_paths` if they are new.

UltraScale+ (Zynq UltraScale+, -2 speed grade, VCCINT 0.85 V; `XCUP`). Xilinx DS925 (Zynq
UltraScale+ MPSoC DC and AC Switching Characteristics, v1.29/1.30, docs.amd.com) gives no CLB
delays (no T_ILO, carry or MUXF figure: the UltraScale+ data sheets leave them to Vivado's timing
models) and, among the pages read for this model, the DSP48E2's and the clock network's maximum
frequencies. What is read and what is assumed:

- DSP48E2 (DS925, "DSP48 Slice Switching Characteristics", -2 at 0.85 V; read): 775 MHz with
  all registers used, 544 MHz for a "two register multiply without MREG" (A/B registers to the P
  register through the multiplier: 1.84 ns), 410 MHz without the pipeline registers MREG and
  ADREG (2.44 ns through the pre-adder and the multiplier). Derived: P leaves PREG 0.35 ns after
  the clock and inputs need 0.25 ns before the AREG/BREG edge (assumptions inside the 1.29 ns of
  the all-register stage); a multiply from the A/B pins to P with no register, 2.40 ns (the 1.84 ns
  of the register-to-register multiply plus the pins' share, an assumption); inputs into MREG
  only, 1.60 ns before the edge (the multiplier, an assumption below 1.84 ns); into PREG only
  2.20 ns (the multiply and the ALU); P after an MREG only, 1.00 ns (the ALU, an assumption).
- The global clock tree runs to 775 MHz at -2 (DS925, "Clock Buffers and Networks"; read): a
  200 MHz clock is far from the fabric's limit, so the paths, not the clock, bound Fmax.
- Flip-flop clock-to-out 0.10 ns, data setup 0.05 ns, CE/SR setup 0.15 ns; a LUT 0.10 ns; routing
  0.25 ns a net plus 0.04 ns a doubling of its fanout; CARRY8 0.25 ns entering (S/DI), 0.05 ns a
  stage of eight bits (CI), MUXF7/MUXF8/MUXF9 0.10 ns: **assumptions**, of the order Vivado
  reports for -2 UltraScale+ slices (a LUT level with its routing ≈ 0.35 ns against ≈ 0.47 ns on
  7-series -2), not figures of DS925.
- Block RAM (RAMB18E2/RAMB36E2) clock-to-out 1.20 ns without the output register (DOA_REG = 0),
  0.40 ns with it, setup 0.30 ns; UltraRAM (URAM288) 1.60 ns without OREG, 0.50 ns with it, setup
  0.40 ns: **assumptions** (the Versal data sheet DS958 gives 0.90 / 0.26 ns for its block RAM
  at -2, a newer process; UltraScale+ is taken slower). Distributed RAM and SRLs: read as a LUT
  (0.10 ns; 0.30 ns for RAM128/RAM256 with their MUXF7), write clock-to-out 0.80 ns, write setup
  0.30 ns: **assumptions**.

7-series -1 (the Pynq-Z1/Z2's xc7z020clg400-1; `speed_grade_1`, selected from the board's part
string by `speed_grade`). The -2 model (`timing.XC7`) scaled by the data sheet's -1/-2 ratios.
The Z-7020's own data sheet is DS187 (Zynq-7000 Z-7007S/7010/7014S/7015/7020 DC and AC switching
characteristics), whose PL is the 28 nm 7-series fabric of Artix-7 and Spartan-7; DS187 was not
at hand when this model was written, so the ratios are **read from DS189** (Spartan-7 data sheet, v1.10,
"Block RAM and FIFO Switching Characteristics" and "Clock Buffers and Networks", VCCINT 1.0 V,
-2 and -1 columns) and **assumed equal for the Z-7020**:

- block RAM clock-to-out without the output register T_RCKO_DO 2.13 → 2.46 ns (x 1.155), with
  it T_RCKO_DO_REG 0.74 → 0.89 ns (x 1.203), address setup T_RCCK_ADDR 0.49 → 0.57 ns (x 1.163)
  (read);
- global clock tree F_MAX_BUFG 628 → 464 MHz (read): 100 MHz, the Pynq default, is far below it;
- every other figure (flip-flops, LUTs, routing, CARRY4, MUXF7/F8, distributed RAM, DSP48E1)
  x 1.155, the block RAM clock-to-out ratio: an **assumption** (the 7-series data sheets give no
  CLB delays to take a ratio of; a LUT level with its routing is then 0.54 ns, not 0.47).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class DelayModel:
    """The figures (ns) the timing check gives each primitive of one fabric family."""

    family: str
    description: str
    ff_clock_to_out: float
    ff_setup: float
    ff_control_setup: float
    lut: float
    route_base: float
    route_per_fanout_doubling: float
    carry_enter: float
    carry_stage: float
    muxf: float
    bram_clock_to_out: float
    bram_clock_to_out_registered: float
    bram_setup: float
    lutram_read: float
    lutram_wide_read: float
    lutram_clock_to_out: float
    lutram_setup: float
    dsp_combinational: float
    dsp_p_registered: float
    dsp_m_registered: float
    dsp_setup_input_reg: float
    dsp_setup_m_reg: float
    dsp_setup_p_reg: float
    uram_clock_to_out: float = 0.0
    uram_clock_to_out_registered: float = 0.0
    uram_setup: float = 0.0

    @property
    def port_arrival(self) -> float:
        """An engine's input port arrives as from a FIFO: clock-to-out and two LUT levels."""
        return self.ff_clock_to_out + 2 * (self.route_base + self.lut)

    @property
    def port_required(self) -> float:
        """An engine's output port must settle two LUT levels and a setup before the edge."""
        return 2 * (self.route_base + self.lut) + self.ff_setup


XCUP = DelayModel(
    family="xcup", description="UltraScale+ -2",
    ff_clock_to_out=0.10, ff_setup=0.05, ff_control_setup=0.15,
    lut=0.10, route_base=0.25, route_per_fanout_doubling=0.04,
    carry_enter=0.25, carry_stage=0.05, muxf=0.10,
    bram_clock_to_out=1.20, bram_clock_to_out_registered=0.40, bram_setup=0.30,
    lutram_read=0.10, lutram_wide_read=0.30, lutram_clock_to_out=0.80, lutram_setup=0.30,
    dsp_combinational=2.40, dsp_p_registered=0.35, dsp_m_registered=1.00,
    dsp_setup_input_reg=0.25, dsp_setup_m_reg=1.60, dsp_setup_p_reg=2.20,
    uram_clock_to_out=1.60, uram_clock_to_out_registered=0.50, uram_setup=0.40,
)


# DS189's -1/-2 ratios (module docstring): the block RAM's own, and the clock-to-out ratio for the rest
SPEED_1_BRAM_CLOCK_TO_OUT = 2.46 / 2.13
SPEED_1_BRAM_CLOCK_TO_OUT_REGISTERED = 0.89 / 0.74
SPEED_1_BRAM_SETUP = 0.57 / 0.49
SPEED_1_LOGIC = SPEED_1_BRAM_CLOCK_TO_OUT  # an assumption: no CLB figures in the data sheet


def speed_grade_1(model: DelayModel) -> DelayModel:
    """A 7-series -2 model (`timing.XC7`) at the -1 speed grade: every figure scaled by
    SPEED_1_LOGIC but the block RAM's, which scale by their own ratios (module docstring)."""
    own = {"bram_clock_to_out": SPEED_1_BRAM_CLOCK_TO_OUT,
           "bram_clock_to_out_registered": SPEED_1_BRAM_CLOCK_TO_OUT_REGISTERED,
           "bram_setup": SPEED_1_BRAM_SETUP}
    scaled = {f.name: round(getattr(model, f.name) * own.get(f.name, SPEED_1_LOGIC), 3)
              for f in dataclasses.fields(model) if isinstance(getattr(model, f.name), float)}
    return dataclasses.replace(model, description=model.description.replace("-2", "-1"), **scaled)


def speed_grade(part: str) -> int | None:
    """The speed grade of a Vivado part name: xc7z020clg400-1 → 1, xc7z045ffg900-2 → 2,
    xczu7ev-ffvc1156-2-e → 2 (the temperature grade after it); None when the name has none."""
    match = re.search(r"-(\d)[a-zA-Z]*(?:-[a-zA-Z]+)?$", part)
    return int(match.group(1)) if match else None
