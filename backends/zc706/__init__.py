"""The `zc706` system wrapper: what turns the HLS project into a bitstream and runs it from Python.

    write_wrapper(module, "build/tfc/zc706", "zc706")     (module at the hls level)

Files, relative to the wrapper's directory (`zc706/` of a build, beside `hls/`):

    build.sh                 the two Vivado scripts (after the HLS export, for the HLS IP)
    project.tcl              Vivado project, Zynq block design around the accelerator, wrapper:
                             the Verilog's bnnc_accelerator (../rtl, a module reference, with its
                             memory images) or the HLS project's IP (../hls, exported first)
    bitstream.tcl            synthesis, implementation, bitstream, hardware handoff (.hwh, .xsa)
    constraints.xdc          bitstream options (the shell has no pins of its own)
    bnnc_driver/__init__.py  the PYNQ driver (`Accelerator`), shipped from `runtime/driver.py`
    bnnc_driver/host.py      the host's ops, shipped from `runtime/host.py`
    bnnc_driver/packing.py   the AXI packing functions of `bnnc.semantics.packing`, their source copied
    bnnc_driver/accelerator.json   ports, host steps, cells, registers of this accelerator

The board description (part, board part, PS IP and ports, addresses) is the device file's.
"""

from __future__ import annotations

import inspect
import json
from importlib import resources
from pathlib import Path
from typing import Any

from bnnc.backends.zc706.block_design import ACCELERATOR, DMA, DMA_LENGTH_BITS, block_design
from bnnc.backends.zc706.host_program import element_kind, host_program
from bnnc.backends.zc706.tcl import (
    CONSTRAINTS,
    OUTPUT,
    emit_bitstream_tcl,
    emit_build_sh,
    emit_constraints,
    emit_project_tcl,
    project_name,
)
from bnnc.dialects import bnn, hls
from xdsl.dialects.builtin import ModuleOp

from bnnc.semantics import packing
from bnnc.devices import load_device
from bnnc.errors import BnncError

DRIVER_PACKAGE = "bnnc_driver"
# The first AXI-lite register of an HLS top after its control registers: `frames`.
FRAMES_REGISTER = 0x10
# What the board's driver needs of bnnc.semantics.packing; the copy is their source, so it cannot drift.
PACKING_FUNCTIONS = (packing.to_signed, packing.elements_per_axi_word, packing.axi_words_per_frame,
                     packing.to_axi_words, packing.from_axi_words)


def packing_source() -> str:
    """`bnnc_driver/packing.py`: the AXI packing functions of `bnnc.semantics.packing`, verbatim."""
    parts = [
        ('"""The AXI-stream packing of bnnc (`bnnc.semantics.packing`), copied from its source by bnnc: the same\n'
        'code packs and unpacks the C simulation\'s, the RTL simulation\'s and the board\'s words."""\n'),
        "from __future__ import annotations\n\nimport numpy as np\n",
        f"AXI_WORD_BITS = {packing.AXI_WORD_BITS}\n",
        *(inspect.getsource(function) for function in PACKING_FUNCTIONS),
    ]
    return "\n\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def runtime_source(name: str) -> str:
    return (resources.files("bnnc.backends.zc706") / "runtime" / name).read_text()


def _top(module: ModuleOp) -> hls.TopOp:
    tops = [op for op in module.ops if isinstance(op, hls.TopOp)]
    if len(tops) != 1:
        raise BnncError(f"zc706: the module must hold one hls.top (run lower-dataflow-to-hls), holds {len(tops)}")
    return tops[0]


def driver_config(module: ModuleOp, design) -> dict[str, Any]:
    top = _top(module)
    program = host_program(module)
    invoke = program.pop("invoke")
    in_port, out_port = top.port("in"), top.port("out")

    def port(p: hls.PortOp, tensor) -> dict[str, Any]:
        bits, elements = bnn.bit_width(p.element), p.elements.value.data
        signed = element_kind(p.element) == "integer" and bnn.integer_range(p.element)[0] < 0
        return {"shape": list(bnn.shape_of(tensor.type)), "element": element_kind(p.element),
                "bits": bits, "signed": signed, "elements": elements,
                "words": packing.axi_words_per_frame(elements, bits)}

    return {
        "top": top.sym_name.data,
        "clock_mhz": design.clock_mhz,
        "bitfile": f"{OUTPUT}.bit",
        "cells": {"dma": DMA, "accelerator": ACCELERATOR},
        "control_addresses": {cell: hex(design.control_address(cell)) for cell in (DMA, ACCELERATOR)},
        "frames_register": FRAMES_REGISTER,
        "dma_length_bits": DMA_LENGTH_BITS,
        "max_transfer_bytes": 2**DMA_LENGTH_BITS - 1,
        "input": port(in_port, invoke.inputs[0]),
        "output": port(out_port, invoke.outputs[0]),
        **program,
    }


def rtl_sources(verilog_files) -> list[str]:
    """The files of a Verilog project (`bnnc.backends.verilog.emitter`) that go into Vivado:
    the top, the board's top, the library and the memory images (not the testbenches)."""
    return sorted(f for f in verilog_files if f.endswith((".v", ".mem")) and f != "tb.v")


def wrapper_files(module: ModuleOp, board_name: str = "zc706", rtl_files: list[str] | None = None) -> dict[str, str]:
    """Every file of the wrapper of the hls-level `module` for a board, by relative path: around
    the HLS project's IP, or with `rtl_files` (`rtl_sources` of the build's Verilog project)
    around the Verilog's `bnnc_accelerator`, whose registers and streams are the HLS top's."""
    top = _top(module)
    device = load_device(board_name)
    source = "rtl" if rtl_files else "hls"
    design = block_design(top, device, source)
    name = top.sym_name.data
    return {
        "build.sh": emit_build_sh(name, source, device.name),
        "project.tcl": emit_project_tcl(design, device, name, rtl_files),
        "bitstream.tcl": emit_bitstream_tcl(design, project_name(device)),
        CONSTRAINTS: emit_constraints(),
        f"{DRIVER_PACKAGE}/__init__.py": runtime_source("driver.py"),
        f"{DRIVER_PACKAGE}/host.py": runtime_source("host.py"),
        f"{DRIVER_PACKAGE}/packing.py": packing_source(),
        f"{DRIVER_PACKAGE}/accelerator.json": json.dumps(driver_config(module, design), indent=2) + "\n",
    }


def write_wrapper(module: ModuleOp, directory: str | Path, board_name: str = "zc706",
                  rtl_files: list[str] | None = None) -> dict[str, str]:
    """Write the wrapper into `directory` (created if needed); returns the files written."""
    files = wrapper_files(module, board_name, rtl_files)
    root = Path(directory)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (root / "build.sh").chmod(0o755)
    return files
