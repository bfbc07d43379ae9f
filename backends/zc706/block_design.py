"""The Zynq block design around the accelerator, as data: cells, connections, addresses.

    design = block_design(top, device)          # what `project.tcl` builds, nothing printed yet

The design is FINN's Zynq shell (REFERENCE.md, "Zynq shell and driver"): the processing system
with its board preset; one AXI DMA whose read channel feeds the accelerator's input stream and
whose write channel takes its output stream, both through an interconnect to the PS's HP port;
AXI-lite control of the DMA and the accelerator from the PS's GP port through a second
interconnect; one fabric clock at the design's clock and a reset synchronised to it. Every
name that is a Vivado IP, pin, property or address of the board comes from the board's `Shell`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bnnc.backends.verilog.board_top import (
    BOARD_MODULE,
    CONTROL_INTERFACE,
    CONTROL_SEGMENT,
    IN_INTERFACE,
    OUT_INTERFACE,
)
from bnnc.dialects import hls

from bnnc.devices import Device, Shell
from bnnc.errors import BnncError
from bnnc.semantics.packing import AXI_WORD_BITS

# The accelerator's IP, as `export_design` in the HLS project's hls.tcl names it.
HLS_VENDOR, HLS_LIBRARY, HLS_VERSION = "bnnc.org", "bnnc", "1.0"
# Xilinx IPs whose versions have not changed from Vivado 2015 to 2024.
DMA_VLNV = "xilinx.com:ip:axi_dma:7.1"
INTERCONNECT_VLNV = "xilinx.com:ip:axi_interconnect:2.1"
RESET_VLNV = "xilinx.com:ip:proc_sys_reset:5.0"
# Simple-mode DMA transfers are at most 2**26 − 1 bytes with the widest length register.
DMA_LENGTH_BITS = 26
CONTROL_RANGE = 0x10000  # 64 KiB of address space for each AXI-lite slave

DMA, ACCELERATOR = "dma", "accelerator"
DATA_INTERCONNECT, CONTROL_INTERCONNECT, RESET = "data_interconnect", "control_interconnect", "reset"


@dataclass(frozen=True)
class Cell:
    """An IP of the catalog (`vlnv`), or with `module` a module reference: an RTL module of
    the project's sources, its interfaces declared by X_INTERFACE_INFO attributes."""

    name: str
    vlnv: str
    config: dict[str, str] = field(default_factory=dict)
    module: str | None = None


@dataclass(frozen=True)
class Address:
    """The slave segment `segment` (cell/interface/segment) mapped into the master's address
    space `space` (cell/space) at `offset`, `range` bytes (Vivado's notation: 64K, 1G)."""

    space: str
    segment: str
    offset: int
    range: str


@dataclass(frozen=True)
class BlockDesign:
    name: str
    ps: Cell
    ps_automation_rule: str
    ps_automation_config: str
    cells: list[Cell]
    """The cells after the PS, in creation order."""
    interface_nets: list[tuple[str, str]]
    """Interface pins connected pairwise: (master or stream source, slave or stream sink)."""
    nets: list[tuple[str, list[str]]]
    """A driver pin and the pins it drives."""
    addresses: list[Address]
    hls_ip_vlnv: str
    clock_mhz: float
    accelerator: str = "hls"
    """`hls`: the IP the HLS project exports; `rtl`: the Verilog's `bnnc_accelerator`."""

    def control_address(self, cell: str) -> int:
        return next(a.offset for a in self.addresses if a.segment.startswith(f"{cell}/"))


def hls_ip_vlnv(top: hls.TopOp) -> str:
    return f"{HLS_VENDOR}:{HLS_LIBRARY}:{top.sym_name.data}:{HLS_VERSION}"


def board_shell(device: Device) -> Shell:
    if device.shell is None:
        raise BnncError(f"board '{device.name}' has no 'shell' in its device file: bnnc cannot "
                        "write a system wrapper for it")
    return device.shell


def _interconnect(name: str, slaves: int, masters: int) -> Cell:
    return Cell(name, INTERCONNECT_VLNV, {"NUM_SI": str(slaves), "NUM_MI": str(masters)})


def _interconnect_clocks(cell: Cell) -> list[str]:
    ports = [f"S{i:02d}" for i in range(int(cell.config["NUM_SI"]))]
    ports += [f"M{i:02d}" for i in range(int(cell.config["NUM_MI"]))]
    return [f"{cell.name}/ACLK", *(f"{cell.name}/{p}_ACLK" for p in ports)]


def _interconnect_resets(cell: Cell) -> list[str]:
    ports = [f"S{i:02d}" for i in range(int(cell.config["NUM_SI"]))]
    ports += [f"M{i:02d}" for i in range(int(cell.config["NUM_MI"]))]
    return [f"{cell.name}/{p}_ARESETN" for p in ports]


def block_design(top: hls.TopOp, device: Device, accelerator_source: str = "hls") -> BlockDesign:
    """The block design for the accelerator `top` on `device`, made of the HLS project's IP
    (`accelerator_source` "hls") or of the Verilog project's `bnnc_accelerator` ("rtl"), whose
    registers and streams are the HLS top's (`bnnc.backends.verilog.board_top`)."""
    shell = board_shell(device)
    if top.part.data != device.part:
        raise BnncError(f"the accelerator was synthesised for {top.part.data}, but board "
                        f"'{device.name}' has {device.part}: compile with --board {device.name}")
    in_port, out_port = top.port("in").port_name.data, top.port("out").port_name.data
    control_port, control_segment = "s_axi_control", "Reg"
    if accelerator_source == "rtl":
        in_port, out_port, control_port, control_segment = IN_INTERFACE, OUT_INTERFACE, CONTROL_INTERFACE, CONTROL_SEGMENT
    elif accelerator_source != "hls":
        raise BnncError(f"unknown accelerator source '{accelerator_source}': hls or rtl")
    clock_mhz = top.clock_mhz.value.data
    ps_name = device.ps  # the PS cell is named after the board's processing system
    ps = Cell(ps_name, shell.ps_vlnv, {**shell.ps_config, shell.clock_property: f"{clock_mhz:g}"})
    width = str(device.hp_port_bits)
    dma = Cell(DMA, DMA_VLNV, {
        "c_include_sg": "0",  # simple mode: one transfer a channel, started by the driver
        "c_sg_length_width": str(DMA_LENGTH_BITS),
        "c_m_axi_mm2s_data_width": width,
        "c_m_axis_mm2s_tdata_width": str(AXI_WORD_BITS),
        "c_m_axi_s2mm_data_width": width,
        "c_s_axis_s2mm_tdata_width": str(AXI_WORD_BITS),
        "c_mm2s_burst_size": "16",
        "c_s2mm_burst_size": "16",
    })
    accelerator = (Cell(ACCELERATOR, hls_ip_vlnv(top)) if accelerator_source == "hls"
                   else Cell(ACCELERATOR, "", module=BOARD_MODULE))
    data = _interconnect(DATA_INTERCONNECT, 2, 1)
    control = _interconnect(CONTROL_INTERCONNECT, 1, 2)
    reset = Cell(RESET, RESET_VLNV)
    interface_nets = [
        (f"{DMA}/M_AXIS_MM2S", f"{ACCELERATOR}/{in_port}"),
        (f"{ACCELERATOR}/{out_port}", f"{DMA}/S_AXIS_S2MM"),
        (f"{DMA}/M_AXI_MM2S", f"{DATA_INTERCONNECT}/S00_AXI"),
        (f"{DMA}/M_AXI_S2MM", f"{DATA_INTERCONNECT}/S01_AXI"),
        (f"{DATA_INTERCONNECT}/M00_AXI", f"{ps_name}/{shell.data_port}"),
        (f"{ps_name}/{shell.control_port}", f"{CONTROL_INTERCONNECT}/S00_AXI"),
        (f"{CONTROL_INTERCONNECT}/M00_AXI", f"{DMA}/S_AXI_LITE"),
        (f"{CONTROL_INTERCONNECT}/M01_AXI", f"{ACCELERATOR}/{control_port}"),
    ]
    clocked = [
        f"{ps_name}/{shell.data_port_clock}", f"{ps_name}/{shell.control_port_clock}",
        f"{DMA}/s_axi_lite_aclk", f"{DMA}/m_axi_mm2s_aclk", f"{DMA}/m_axi_s2mm_aclk",
        f"{ACCELERATOR}/ap_clk", *_interconnect_clocks(data), *_interconnect_clocks(control),
        f"{RESET}/slowest_sync_clk",
    ]
    nets = [
        (f"{ps_name}/{shell.fabric_clock}", clocked),
        (f"{ps_name}/{shell.fabric_reset}", [f"{RESET}/ext_reset_in"]),
        # The interconnects' own reset comes first out of reset, then every peripheral.
        (f"{RESET}/interconnect_aresetn", [f"{DATA_INTERCONNECT}/ARESETN", f"{CONTROL_INTERCONNECT}/ARESETN"]),
        (f"{RESET}/peripheral_aresetn", [
            f"{DMA}/axi_resetn", f"{ACCELERATOR}/ap_rst_n",
            *_interconnect_resets(data), *_interconnect_resets(control),
        ]),
    ]
    control_base = int(shell.control_base, 16)
    addresses = [
        Address(f"{ps_name}/{shell.control_space}", f"{DMA}/S_AXI_LITE/Reg", control_base, "64K"),
        Address(f"{ps_name}/{shell.control_space}", f"{ACCELERATOR}/{control_port}/{control_segment}",
                control_base + CONTROL_RANGE, "64K"),
        Address(f"{DMA}/Data_MM2S", f"{ps_name}/{shell.data_port}/{shell.data_segment}",
                int(shell.ddr_offset, 16), shell.ddr_range),
        Address(f"{DMA}/Data_S2MM", f"{ps_name}/{shell.data_port}/{shell.data_segment}",
                int(shell.ddr_offset, 16), shell.ddr_range),
    ]
    return BlockDesign(
        name="bnnc", ps=ps, ps_automation_rule=shell.ps_automation_rule,
        ps_automation_config=shell.ps_automation_config,
        cells=[dma, accelerator, data, control, reset],
        interface_nets=interface_nets, nets=nets, addresses=addresses,
        hls_ip_vlnv=hls_ip_vlnv(top), clock_mhz=clock_mhz, accelerator=accelerator_source,
    )
