"""Print a folded, sized `df.graph` as a Verilog project; the `verilog` target.

    bnnc-opt net.mlir -p '...,size-fifos' -t verilog        # every file, each under a header line
    write_project(module, "build/rtl")                     # the files themselves

The project: `top.v` (the graph's engines and FIFOs connected stream by stream, between a
64-bit AXI-stream slave and master), `accelerator.v` (the board's top around it, with AXI-lite
control), one `.mem` file per weight or threshold memory, the
engine library (`library/*.v`), a Verilator C++ harness and an Icarus testbench. A printer: the
IR is read, never changed.

The top's ports: `ap_clk`, `ap_rst_n` (active low, synchronous), `s_axis_*` (input frames, the
`df.input` elements packed as `bnnc.semantics.packing.to_axi_words` packs them; TLAST ends a transfer, and
a frame it cuts short is padded with zeros by `bnnc_frame_in`, `frame_truncated` pulsing) and
`m_axis_*` (the `df.output` elements in the same packing, TLAST on each frame's last word). Every
stream inside is a `<name>_data` / `_valid` / `_ready` triple, AXI-stream style. The board's top,
`accelerator.v` (`board_top.py`), wraps it with AXI-lite control and TLAST once a transfer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bnnc.backends.verilog import testbench
from bnnc.backends.verilog.board_top import board_files
from bnnc.backends.verilog.engines import Instance, instance_of, repack_params
from bnnc.passes.prepare_for_emission import prepare_graph
from bnnc.dialects import bnn, df
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue
from xdsl.utils.target import Target

from bnnc.errors import BnncError
from bnnc.semantics.packing import AXI_WORD_BITS, axi_words_per_frame, elements_per_axi_word

LIBRARY = Path(__file__).parent / "library"
TOP_MODULE = "bnnc_top"


def library_files() -> dict[str, str]:
    return {f"library/{p.name}": p.read_text() for p in sorted(LIBRARY.glob("*.v"))}


def find_graph(module: ModuleOp) -> df.GraphOp:
    graphs = [op for op in module.walk() if isinstance(op, df.GraphOp)]
    if len(graphs) != 1:
        raise BnncError(f"the Verilog backend needs exactly one df.graph, found {len(graphs)}")
    prepare_graph(graphs[0])  # the widths the engines print (a no-op once prepared)
    return graphs[0]


def _stream(value: SSAValue) -> df.StreamType:
    assert isinstance(value.type, df.StreamType)
    return value.type


def _parameters(params: dict[str, int | str]) -> str:
    def literal(v: int | str) -> str:
        return f'"{v}"' if isinstance(v, str) else str(v)

    return ",\n".join(f"        .{k}({literal(v)})" for k, v in params.items())


def _connect(ports: dict[str, str]) -> str:
    return ",\n".join(f"        .{k}({v})" for k, v in ports.items())


def _instance(module: str, params: dict[str, int | str], name: str, ports: dict[str, str]) -> str:
    return f"    {module} #(\n{_parameters(params)}\n    ) {name} (\n{_connect(ports)}\n    );\n"


def _stream_ports(source: str, sink: str) -> dict[str, str]:
    return {
        "clk": "ap_clk", "rst_n": "ap_rst_n",
        "in_data": f"{source}_data", "in_valid": f"{source}_valid", "in_ready": f"{source}_ready",
        "out_data": f"{sink}_data", "out_valid": f"{sink}_valid", "out_ready": f"{sink}_ready",
    }


@dataclass
class Project:
    """The generated files (path relative to the project → text) and facts the harnesses need."""

    files: dict[str, str]
    input_bits: int
    output_bits: int
    output_signed: bool
    output_elements: int


def _engine_name(op, index: int) -> str:
    layer = op.properties.get("layer")
    kind = op.name.removeprefix("df.")
    suffix = f"_{re.sub(r'[^A-Za-z0-9_]', '_', layer.data)}" if layer is not None else ""
    return f"u{index}_{kind}{suffix}"


def build_project(graph: df.GraphOp) -> Project:
    """Every file of the project for `graph`."""
    names: dict[SSAValue, str] = {}
    wires: list[str] = []
    body: list[str] = []
    memories: dict[str, str] = {}

    def declare(value: SSAValue) -> str:
        name = f"s{len(names)}"
        names[value] = name
        width = _stream(value).width
        wires.append(f"    wire [{width - 1}:0] {name}_data;  // {value.type}\n"
                     f"    wire {name}_valid, {name}_ready;")
        return name

    ops = list(graph.body.block.ops)
    source = graph.input_op().output
    sink = graph.output_op().input
    in_stream, out_stream = _stream(source), _stream(sink)
    in_bits, out_bits = bnn.bit_width(in_stream.element), bnn.bit_width(out_stream.element)
    declare(source)
    lasts = [source]  # converters inside the graph flag frame ends that nothing needs
    body.append(_instance(
        "bnnc_frame_in", {"WORDS": axi_words_per_frame(in_stream.elements, in_bits)}, "u_frame_in",
        {"clk": "ap_clk", "rst_n": "ap_rst_n", "in_data": "s_axis_tdata", "in_valid": "s_axis_tvalid",
         "in_ready": "s_axis_tready", "in_last": "s_axis_tlast", "out_data": "axis_in_data",
         "out_valid": "axis_in_valid", "out_ready": "axis_in_ready", "truncated": "frame_truncated"},
    ))
    body.append(_instance(
        "bnnc_repack",
        {**repack_params(in_bits, elements_per_axi_word(in_bits), in_stream.lanes.data, in_stream.elements),
         "IN_WIDTH": AXI_WORD_BITS},
        "u_axis_in",
        {"clk": "ap_clk", "rst_n": "ap_rst_n", "in_data": "axis_in_data", "in_valid": "axis_in_valid",
         "in_ready": "axis_in_ready", "out_data": f"{names[source]}_data",
         "out_valid": f"{names[source]}_valid", "out_ready": f"{names[source]}_ready",
         "out_last": f"{names[source]}_last"},
    ))
    for index, op in enumerate(ops):
        if isinstance(op, df.InputOp | df.OutputOp):
            continue
        name = _engine_name(op, index)
        inst: Instance = instance_of(op, name)
        memories.update({file: "\n".join(lines) + "\n" for file, lines in inst.memories.items()})
        # Only memory files that are written are named (an MVTU without thresholds reads none):
        # Vivado must find every name top.v gives among the project's files.
        params = {k: v for k, v in inst.params.items()
                  if not (isinstance(v, str) and v.endswith(".mem") and v not in inst.memories)}
        declare(op.results[0])
        if isinstance(op, df.DwcOp) and inst.module == "bnnc_repack":
            lasts.append(op.results[0])
        ports = _stream_ports(names[op.operands[0]], names[op.results[0]])
        if inst.module == "bnnc_repack":
            ports["out_last"] = f"{names[op.results[0]]}_last"
        body.append(f"    // {op.name}{'' if op.properties.get('layer') is None else ' ' + op.properties['layer'].data}"
                    f": {op.operands[0].type} -> {op.results[0].type}\n"
                    + _instance(inst.module, params, name, ports))
    body.append(_instance(
        "bnnc_repack",
        {**repack_params(out_bits, out_stream.lanes.data, elements_per_axi_word(out_bits), out_stream.elements),
         "OUT_WIDTH": AXI_WORD_BITS},
        "u_axis_out",
        {"clk": "ap_clk", "rst_n": "ap_rst_n", "in_data": f"{names[sink]}_data",
         "in_valid": f"{names[sink]}_valid", "in_ready": f"{names[sink]}_ready",
         "out_data": "m_axis_tdata", "out_valid": "m_axis_tvalid", "out_ready": "m_axis_tready",
         "out_last": "m_axis_tlast"},
    ))
    top = _TOP.format(
        graph=graph.sym_name.data, module=TOP_MODULE, wires="\n".join(wires), body="\n".join(body),
        lasts=", ".join(f"{names[v]}_last" for v in lasts),
    )
    files = {"top.v": top, **board_files(), **memories, **library_files(),
             "harness.cpp": testbench.VERILATOR_HARNESS, "tb.v": testbench.icarus_testbench(TOP_MODULE)}
    signed = not bnn.is_bipolar(out_stream.element) and _signed(out_stream.element)
    return Project(files, in_bits, out_bits, signed, out_stream.elements)


def _signed(element) -> bool:
    from bnnc.backends.verilog.engines import SIGNED, element_kind

    return element_kind(element) == SIGNED


_TOP = """\
// The df.graph @{graph} as a streaming accelerator, generated by bnnc: do not edit.
// Language: Verilog-2005. Library: library/*.v. Memories: *.mem ($readmemh, read at start).
/* verilator lint_off DECLFILENAME */  // the file is top.v whatever the graph is called
module {module} (
    input  wire        ap_clk,
    input  wire        ap_rst_n,
    input  wire [63:0] s_axis_tdata,
    input  wire        s_axis_tvalid,
    output wire        s_axis_tready,
    input  wire        s_axis_tlast,
    output wire [63:0] m_axis_tdata,
    output wire        m_axis_tvalid,
    input  wire        m_axis_tready,
    output wire        m_axis_tlast,
    output wire        frame_truncated
);
    wire [63:0] axis_in_data;  // the input frames after bnnc_frame_in
    wire axis_in_valid, axis_in_ready;
{wires}
    /* verilator lint_off UNUSEDSIGNAL */  // only the AXI master needs the end of a frame
    wire {lasts};
    /* verilator lint_on UNUSEDSIGNAL */

{body}endmodule
"""


def write_project(module: ModuleOp, directory: str | Path) -> Project:
    """Write the project of the module's `df.graph` into `directory` (created if missing)."""
    project = build_project(find_graph(module))
    root = Path(directory)
    for path, text in project.files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return project


@dataclass(frozen=True)
class VerilogTarget(Target):
    """Print the Verilog project of the module's `df.graph`: every file under a header line
    `// ----- <path> -----`; `library=false` leaves out the engine library, `memories=false` the
    `.mem` files and `harness=false` the testbenches (FileCheck tests look at top.v)."""

    name = "verilog"
    library: bool = True
    memories: bool = True
    harness: bool = True

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        project = build_project(find_graph(module))
        for path, text in project.files.items():
            if path.startswith("library/") and not self.library:
                continue
            if path.endswith(".mem") and not self.memories:
                continue
            if path in ("harness.cpp", "tb.v") and not self.harness:
                continue
            output.write(f"// ----- {path} -----\n{text}")
