"""Yosys resources of every Verilog engine against `bnnc.analysis.cost_model`: LUT, FF, BRAM18 and DSP,
and each engine's worst register-to-register path by bnnc's timing check
(`bnnc.backends.verilog.timing`, an estimate with its documented 7-series -2 delay model; on
`--family xcup` the UltraScale+ -2 model of `bnnc.backends.verilog.delay_models`).

    python benchmarks/yosys_calibration.py [--json build/yosys_calibration.json] [--only NAME]
                                           [--family xc7|xcup]

Each configuration is a one-engine `df.graph` (built as the RTL tests build them, random
weights); its engine is instantiated alone in a wrapper with its ports as top-level pins and
synthesised with `yosys synth_xilinx -family xc7 -flatten` (`--family xcup`: UltraScale+, against
the cost model on the ZCU104). Counted from `stat -json`:
LUT = LUT1..LUT6 plus the LUTs of distributed memories and shift registers (RAM32M and RAM64M
use 4, RAM32X1D/RAM64X1D 2, RAM128X1D 4, SRL16E/SRLC32E and single-port 64x1 RAMs 1; on
UltraScale+ RAM32M16 and RAM64M8 8); FF = FDRE/FDSE/FDCE/FDPE; BRAM18 = RAMB18E1/E2 +
2·RAMB36E1/E2; URAM288 apart; DSP = DSP48E1/E2. The cost model's figures for the same
op come from `bnnc.analysis.cost_model.node_cost`. The last row is a small whole design (TFC, folded for
9000 frames/s): its whole Verilog top (engines, FIFOs, converters, AXI-stream ports) synthesised
flattened, against the totals of `bnnc.analysis.cost_model.estimate_graph`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "test" / "pytest"))

from bnnc.backends.verilog.emitter import LIBRARY
from bnnc.backends.verilog.engines import instance_of
from bnnc.backends.verilog.timing import delay_model, worst_paths
from bnnc.dialects import df
from rtl_cases import depthwise_swu_line, graph, graph_of, mvtu_line, prepare, stream, swu_line, vvtu_line

from bnnc.analysis.cost_model import node_cost
from bnnc.devices import load_device
from bnnc.errors import BnncError

B = "!bnn.bipolar"
LUT_CELLS = {f"LUT{i}": 1 for i in range(1, 7)} | {
    "RAM32M": 4, "RAM64M": 4, "RAM32X1D": 2, "RAM64X1D": 2, "RAM128X1D": 4, "RAM32X1S": 1,
    "RAM64X1S": 1, "RAM128X1S": 2, "RAM256X1S": 4, "RAM32M16": 8, "RAM64M8": 8, "SRL16E": 1, "SRLC32E": 1,
}
LUTRAM_CELLS = {k: v for k, v in LUT_CELLS.items() if not k.startswith("LUT")}
FF_CELLS = ("FDRE", "FDSE", "FDCE", "FDPE")
BRAM_CELLS = {"RAMB18E1": 1, "RAMB36E1": 2, "RAMB18E2": 1, "RAMB36E2": 2}
# The board whose device (and so whose fabric family's cost-model table) each family is compared on.
FAMILY_BOARDS = {"xc7": "zc706", "xcup": "zcu104"}
FAMILY = "xc7"  # set by --family


def _mvtu(mw, mh, pe, simd, in_type=B, out_type=B, **kw):
    def build(rng):
        popcount = in_type == B and kw.get("w_bits", 1) == 1
        line = mvtu_line(rng, mw, mh, pe, simd, in_type, out_type, popcount=popcount, **kw)
        return graph((mw,), stream(simd, in_type, mw // simd), [line], (mh,))
    return build


def _swu(c, simd, ifm, kernel, **kw):
    def build(rng):
        line, (oh, ow) = swu_line(c, simd, ifm, kernel, **kw)
        return graph((*ifm, c), stream(simd, kw.get("element", B), ifm[0] * ifm[1] * c // simd), [line],
                     (oh * ow * kernel[0] * kernel[1] * c,), pixels=oh * ow)
    return build


def _pool(c, pe, ifm, element=B):
    def build(rng):
        ih, iw = ifm
        props = (f"channels = {c} : i64, ifm = array<i64: {ih}, {iw}>, ofm = array<i64: {ih // 2}, {iw // 2}>, "
                 f"kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = {pe} : i64")
        words = ih * iw * c // pe
        line = f"df.pool %x {{{props}}} : {stream(pe, element, words)} -> {stream(pe, element, words // 4)}"
        return graph((ih, iw, c), stream(pe, element, words), [line], (ih // 2, iw // 2, c))
    return build


def _threshold(c, pe, pixels, steps, element="si8"):
    def build(rng):
        t = np.sort(rng.integers(-100, 100, (c, steps)), axis=1)
        rows = ", ".join("[" + ", ".join(map(str, r)) + "]" for r in t)
        out = B if steps == 1 else f"ui{int(steps).bit_length()}"
        words = pixels * c // pe
        line = (f"df.threshold %x by dense<[{rows}]> : tensor<{c}x{steps}xi64> {{channels = {c} : i64, "
                f"pixels = {pixels} : i64, pe = {pe} : i64}} : {stream(pe, element, words)} -> {stream(pe, out, words)}")
        return graph((pixels, c), stream(pe, element, words), [line], (pixels, c))
    return build


def _label_select(classes, k, pe, element):
    def build(rng):
        line = (f"df.label_select %x {{classes = {classes} : i64, k = {k} : i64, pe = {pe} : i64}} "
                f": {stream(pe, element, classes // pe)} -> {stream(1, f'ui{(classes - 1).bit_length()}', k)}")
        return graph((classes,), stream(pe, element, classes // pe), [line], (k,))
    return build


def _dwc(lanes_in, lanes_out, elements, element=B):
    def build(rng):
        s = stream(lanes_out, element, elements // lanes_out)
        return graph((elements,), stream(lanes_in, element, elements // lanes_in), [f"df.fifo %x : {s} -> {s}"],
                     (elements,))
    return build


def _regroup(rng):  # an SWU of MMV 2 regrouped to one pixel a word
    return _swu(8, 8, (6, 6), (3, 3), mmv=2)(rng)


def _regroup_out(rng):  # one pixel a word to MMV 4 (in front of an MVTU of MMV 4)
    return graph((16 * 32,), stream(8, B, 64), [f"df.fifo %x : {stream(32, B, 16, 4)} -> {stream(32, B, 16, 4)}"],
                 (16 * 32,), pixels=16)


def _vvtu(c, kernel, pe, simd, in_type, out_type, **kw):
    def build(rng):
        k = kernel[0] * kernel[1]
        line = vvtu_line(rng, c, kernel, pe, simd, in_type, out_type, **kw)
        return graph((16 * c * k,), stream(pe * simd, in_type, 16 * c * k // (pe * simd)), [line], (16 * c,))
    return build


def _swu_depthwise(c, pe, simd, ifm, kernel, **kw):
    def build(rng):
        line, (oh, ow) = depthwise_swu_line(c, pe, simd, ifm, kernel, **kw)
        return graph((ifm[0] * ifm[1] * c,), stream(pe, kw.get("element", "ui4"), ifm[0] * ifm[1] * c // pe),
                     [line], (oh * ow * kernel[0] * kernel[1] * c,), pixels=oh * ow)
    return build


def _fifo(width, depth):
    def build(rng):
        s = stream(width, B, 4 * depth)
        return graph((4 * depth * width,), s, [f"df.fifo %x : {s} -> {s}"], (4 * depth * width,))
    return build, depth


# name -> (graph builder, the op kind synthesised, a FIFO depth to force or None)
CONFIGS = {
    "mvtu-xnor-pe4-simd8": (_mvtu(64, 32, 4, 8, thresholds_range=(20, 44)), df.MvtuOp),
    "mvtu-xnor-pe8-simd32": (_mvtu(256, 64, 8, 32, thresholds_range=(100, 156)), df.MvtuOp),
    "mvtu-xnor-pe16-simd16": (_mvtu(256, 64, 16, 16, thresholds_range=(100, 156)), df.MvtuOp),
    "mvtu-xnor-pe2-simd64": (_mvtu(512, 128, 2, 64, thresholds_range=(200, 312)), df.MvtuOp),
    "mvtu-xnor-pe32-simd32-deep": (_mvtu(1024, 256, 32, 32, thresholds_range=(400, 624)), df.MvtuOp),
    # LFC's 1024 x 1024 layers: 4,096 x 256 weights in four rows of block RAMs (a minute or more)
    "mvtu-xnor-pe8-simd32-4rows": (_mvtu(1024, 1024, 8, 32, thresholds_range=(462, 562)), df.MvtuOp),
    # CNV's conv4 (1,152 x 256): 2,304 x 128 weights, deeper than one row of 512 x 72 RAMB36s
    "mvtu-xnor-pe4-simd32-2304deep": (_mvtu(1152, 256, 4, 32, thresholds_range=(526, 626)), df.MvtuOp),
    # a ROM of 144 x 256 bits, deeper than LUTRAM_MAX_DEPTH but small: soft logic or block RAM
    "mvtu-xnor-pe8-simd32-144deep": (_mvtu(288, 128, 8, 32, thresholds_range=(124, 164)), df.MvtuOp),
    # TFC's fc1 at PE 1, SIMD 1: a 4,096 x 1 ROM
    "mvtu-xnor-pe1-simd1-4096x1": (_mvtu(64, 64, 1, 1, thresholds_range=(24, 40)), df.MvtuOp),
    "mvtu-si8xbipolar-pe4-simd3": (_mvtu(27, 16, 4, 3, "si8", B, thresholds_range=(-300, 300)), df.MvtuOp),
    "mvtu-ui2xsi2-pe4-simd8": (_mvtu(64, 16, 4, 8, "ui2", "ui2", w_bits=2, steps=3,
                                     thresholds_range=(-40, 40)), df.MvtuOp),
    # a 4-bit pointwise layer (MobileNet's): 15 thresholds a channel, registered comparisons
    "mvtu-ui4xsi4-pe8-simd8-15steps": (_mvtu(64, 32, 8, 8, "ui4", "ui4", w_bits=4, steps=15,
                                             thresholds_range=(-200, 200)), df.MvtuOp),
    "mvtu-si14xsi14-dsp-pe2-simd3": (_mvtu(6, 4, 2, 3, "si14", "si32", w_bits=14, steps=0), df.MvtuOp),
    "swu-3x3-c16-simd16": (_swu(16, 16, (8, 8), (3, 3)), df.SwuOp),
    "swu-3x3-c64-simd32-mmv1": (_swu(64, 32, (10, 10), (3, 3)), df.SwuOp),
    "swu-3x3-c8-mmv2": (_regroup, df.SwuOp),
    "pool-bipolar-c64-pe16": (_pool(64, 16, (8, 8)), df.PoolOp),
    "pool-ui4-c16-pe4": (_pool(16, 4, (8, 8), "ui4"), df.PoolOp),
    "threshold-si8-c32-pe4-3steps": (_threshold(32, 4, 16, 3), df.ThresholdOp),
    "label-select-10-top1-ui10": (_label_select(10, 1, 1, "ui10"), df.LabelSelectOp),
    "label-select-100-top5-pe4": (_label_select(100, 5, 4, "si8"), df.LabelSelectOp),
    "dwc-2-to-16": (_dwc(2, 16, 512), df.DwcOp),
    "dwc-64-to-8": (_dwc(64, 8, 1024), df.DwcOp),
    "dwc-mmv2-to-1": (_regroup, df.DwcOp),
    "dwc-1-to-mmv4": (_regroup_out, df.DwcOp),
    # MobileNet-v1's depthwise layers: ui4 x si4, 3x3, 15 thresholds a channel
    "vvtu-ui4xsi4-c32-pe8-simd3": (_vvtu(32, (3, 3), 8, 3, "ui4", "ui4", vectors=16, w_bits=4, steps=15,
                                         thresholds_range=(-200, 200)), df.VvtuOp),
    "vvtu-ui4xsi4-c8-pe2-simd9": (_vvtu(8, (3, 3), 2, 9, "ui4", "ui4", vectors=16, w_bits=4, steps=15,
                                        thresholds_range=(-200, 200)), df.VvtuOp),
    "swu-depthwise-3x3-c32-pe8-simd3": (_swu_depthwise(32, 8, 3, (8, 8), (3, 3), pads=(1, 1, 1, 1)), df.SwuOp),
    "fifo-16x32": (_fifo(16, 32)[0], df.FifoOp, 32),
    "fifo-8x256": (_fifo(8, 256)[0], df.FifoOp, 256),
    "fifo-64x2": (_fifo(64, 2)[0], df.FifoOp, 2),
    "fifo-64x1024": (_fifo(64, 1024)[0], df.FifoOp, 1024),
}

# The AXI-stream ports (`bnnc_repack` from or to 64-bit words, `cost_model.input_port_cost` and
# `output_port_cost` without `bnnc_frame_in`): name -> (bits, lanes in, lanes out, elements a frame)
PORTS = {
    "port-in-64-to-4-784": (1, 64, 4, 784),  # TFC's and SFC's input port at fix-9000
    "port-in-64-to-49-784": (1, 64, 49, 784),  # LFC's
    "port-out-5-to-9-ui7": (7, 5, 9, 10),  # an output port of 7-bit scores
}


@dataclass
class Row:
    name: str
    model_lut: int
    model_ff: int
    model_bram18: int
    yosys_lut: int
    yosys_lutram: int
    yosys_ff: int
    yosys_bram18: int
    seconds: float
    model_dsp: int = 0
    yosys_dsp: int = 0
    worst_ns: float = 0.0  # the timing check's worst register-to-register path
    lut_levels: int = 0
    carry4: int = 0
    cells: dict | None = None  # Yosys' cell counts by type, to see what a figure is made of


def _wrapper(module: str, params: dict, in_width: int, out_width: int) -> str:
    def literal(v):
        return f'"{v}"' if isinstance(v, str) else str(v)

    ps = ",\n".join(f"        .{k}({literal(v)})" for k, v in params.items())
    return f"""module cal_top (
    input wire clk, input wire rst_n,
    input wire [{in_width - 1}:0] in_data, input wire in_valid, output wire in_ready,
    output wire [{out_width - 1}:0] out_data, output wire out_valid, input wire out_ready
);
    {module} #(
{ps}
    ) u (.clk(clk), .rst_n(rst_n), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
         .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
"""


def synthesize(top_text: str, memories: dict[str, list[str]], modules: list[str]) -> tuple[dict[str, int], dict]:
    """Cell counts of `cal_top` after `synth_xilinx -family FAMILY -flatten`, and its JSON netlist."""
    yosys = shutil.which("yosys")
    if yosys is None:
        raise BnncError("yosys is not installed or not on PATH")
    with tempfile.TemporaryDirectory(prefix="bnnc-yosys-") as tmp:
        work = Path(tmp)
        (work / "cal_top.v").write_text(top_text)
        for file, lines in memories.items():
            (work / file).write_text("\n".join(lines) + "\n")
        sources = " ".join(str(LIBRARY / f"{m}.v") for m in modules)
        script = (f"read_verilog -defer {sources} cal_top.v; synth_xilinx -family {FAMILY} -flatten -top cal_top; "
                  "tee -q -o stat.json stat -json; write_json netlist.json")
        result = subprocess.run([yosys, "-q", "-p", script], cwd=work, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BnncError("yosys failed: " + " | ".join((result.stderr or result.stdout).strip().splitlines()[-10:]))
        return cell_counts((work / "stat.json").read_text()), json.loads((work / "netlist.json").read_text())


def cell_counts(stat_json: str) -> dict[str, int]:
    """The cells of the top module of a Yosys `stat -json` report."""
    text = stat_json[stat_json.index("{"):]
    modules = json.loads(text)["modules"]
    top = modules.get("\\cal_top") or next(iter(modules.values()))
    return {name.lstrip("\\"): count for name, count in top["num_cells_by_type"].items()}


def resources(cells: dict[str, int]) -> tuple[int, int, int, int]:
    """(LUT including LUTRAM, LUTRAM, FF, BRAM18) of a cell count."""
    lut = sum(cells.get(c, 0) * n for c, n in LUT_CELLS.items())
    lutram = sum(cells.get(c, 0) * n for c, n in LUTRAM_CELLS.items())
    ff = sum(cells.get(c, 0) for c in FF_CELLS)
    bram = sum(cells.get(c, 0) * n for c, n in BRAM_CELLS.items())
    return lut, lutram, ff, bram


def dsp_count(cells: dict[str, int]) -> int:
    """DSP48E1 (7-series) and DSP48E2 (UltraScale+) of a cell count."""
    return cells.get("DSP48E1", 0) + cells.get("DSP48E2", 0)


def worst_path(netlist: dict, top: str) -> tuple[float, int, int]:
    """(ns, LUT levels, carry cells) of the timing check's worst path by the delay model of
    FAMILY (`timing.delay_model`: CARRY4s on 7-series, CARRY8s on UltraScale+)."""
    worst = worst_paths(netlist, top, delay_model(FAMILY))[0]
    return round(worst.delay_ns, 2), worst.lut_levels, worst.carry4


def engine_op(name: str):
    build, kind, *depth = CONFIGS[name]
    module = prepare(build(np.random.default_rng(sum(map(ord, name)))))
    op = next(o for o in graph_of(module).body.block.ops if isinstance(o, kind))
    if depth:
        from xdsl.dialects.builtin import IntegerAttr, i64
        op.depth = IntegerAttr(depth[0], i64)
    return op


def measure(name: str, op) -> Row:
    device = load_device(FAMILY_BOARDS[FAMILY])
    start = time.time()
    inst = instance_of(op, "u")
    top = _wrapper(inst.module, inst.params, op.operands[0].type.width, op.results[0].type.width)
    cells, netlist = synthesize(top, inst.memories, [inst.module])
    lut, lutram, ff, bram = resources(cells)
    delay, levels, carry4 = worst_path(netlist, "\\cal_top")
    cost = node_cost(op, device)
    return Row(name, cost.lut, cost.ff, cost.bram18, lut, lutram, ff, bram, round(time.time() - start, 1),
               cost.dsp, dsp_count(cells), delay, levels, carry4, cells)


def measure_port(name: str) -> Row:
    """A `bnnc_repack` as the AXI-stream port instantiates it, against `repack_cost`."""
    from bnnc.analysis.fabric_costs import fabric_costs
    from bnnc.dialects.df.dwc import repack_cost, repack_params

    bits, lanes_in, lanes_out, elements = PORTS[name]
    start = time.time()
    params = repack_params(bits, lanes_in, lanes_out, elements)
    top = _wrapper("bnnc_repack", params, lanes_in * bits, lanes_out * bits)
    cells, netlist = synthesize(top, {}, ["bnnc_repack"])
    lut, lutram, ff, bram = resources(cells)
    delay, levels, carry4 = worst_path(netlist, "\\cal_top")
    cost = repack_cost(lanes_in, lanes_out, elements, bits, fabric_costs(load_device(FAMILY_BOARDS[FAMILY])))
    return Row(name, cost.lut, cost.ff, cost.bram18, lut, lutram, ff, bram, round(time.time() - start, 1),
               cost.dsp, dsp_count(cells), delay, levels, carry4, cells)


def design_row() -> Row:
    """TFC-w1a1 folded for 9000 frames/s, the whole design (engines, FIFOs, converters and the
    AXI-stream ports) synthesised as one flattened top, against the estimate's totals."""
    from conftest import model_path

    from bnnc.backends.verilog.emitter import TOP_MODULE, build_project, find_graph
    from bnnc.analysis.cost_model import estimate_graph
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.driver.pipeline import run_pipeline

    module = run_pipeline(import_onnx(model_path("tfc_w1a1.qonnx.onnx")),
                          "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=9000 clock-mhz=200},"
                          "insert-streams,size-fifos")
    graph = graph_of(module)
    estimate = estimate_graph(graph, load_device(FAMILY_BOARDS[FAMILY]), 200.0)
    project = build_project(find_graph(module))
    start = time.time()
    with tempfile.TemporaryDirectory(prefix="bnnc-yosys-") as tmp:
        work = Path(tmp)
        for path, text in project.files.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text)
        sources = " ".join(sorted(p for p in project.files if p.startswith("library/")))
        script = (f"read_verilog -defer {sources} top.v; synth_xilinx -family {FAMILY} -flatten -top {TOP_MODULE}; "
                  "tee -q -o stat.json stat -json; write_json netlist.json")
        result = subprocess.run(["yosys", "-q", "-p", script], cwd=work, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BnncError("yosys failed: " + " | ".join((result.stderr or result.stdout).strip().splitlines()[-10:]))
        cells = cell_counts((work / "stat.json").read_text())
        lut, lutram, ff, bram = resources(cells)
        delay, levels, carry4 = worst_path(json.loads((work / "netlist.json").read_text()), f"\\{TOP_MODULE}")
    total = estimate.total
    return Row("design-tfc-fix9000 (whole)", total.lut, total.ff, total.bram18, lut, lutram, ff, bram,
               round(time.time() - start, 1), total.dsp, dsp_count(cells), delay, levels, carry4)


def error(model: int, measured: int) -> float:
    return (model - measured) / measured if measured else (0.0 if model == 0 else float("inf"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default="build/yosys_calibration.json")
    parser.add_argument("--only", action="append", help="configurations to run (default: all)")
    parser.add_argument("--no-design", action="store_true", help="leave out the whole-design row")
    parser.add_argument("--family", choices=sorted(FAMILY_BOARDS), default="xc7",
                        help="the fabric Yosys maps to (default xc7)")
    args = parser.parse_args()
    global FAMILY
    FAMILY = args.family
    names = args.only or list(CONFIGS) + list(PORTS)
    rows = []
    for name in names:
        rows.append(measure_port(name) if name in PORTS else measure(name, engine_op(name)))
        print(f"{name}: {rows[-1]}", file=sys.stderr, flush=True)
    if not args.no_design:
        rows.append(design_row())
    print(f"| {'configuration':30} | {'LUT model':>9} | {'LUT yosys':>9} | {'LUT err':>7} | {'LUTRAM':>6} | "
          f"{'FF model':>8} | {'FF yosys':>8} | {'FF err':>6} | {'BRAM18 model':>12} | {'BRAM18 yosys':>12} | "
          f"{'DSP model':>9} | {'DSP yosys':>9} | {'worst ns':>8} | {'levels':>10} |")
    print(f"|{'-' * 32}|{'-' * 11}|{'-' * 11}|{'-' * 9}|{'-' * 8}|{'-' * 10}|{'-' * 10}|{'-' * 8}|{'-' * 14}|"
          f"{'-' * 14}|{'-' * 11}|{'-' * 11}|{'-' * 10}|{'-' * 12}|")
    for r in rows:
        levels = f"{r.lut_levels} LUT+{r.carry4} C4"
        print(f"| {r.name:30} | {r.model_lut:9} | {r.yosys_lut:9} | {error(r.model_lut, r.yosys_lut):+7.0%} | "
              f"{r.yosys_lutram:6} | {r.model_ff:8} | {r.yosys_ff:8} | {error(r.model_ff, r.yosys_ff):+6.0%} | "
              f"{r.model_bram18:12} | {r.yosys_bram18:12} | {r.model_dsp:9} | {r.yosys_dsp:9} | "
              f"{r.worst_ns:8.2f} | {levels:>10} |")
    worst = max(abs(error(r.model_lut, r.yosys_lut)) for r in rows)
    print(f"worst LUT error: {worst:.1%}; worst path: {max(r.worst_ns for r in rows):.2f} ns")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"rows": [asdict(r) for r in rows], "worst_lut_error": worst}, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
