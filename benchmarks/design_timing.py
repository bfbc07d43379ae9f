"""Whole designs through Yosys: resources against the estimate, and the timing check.

    python benchmarks/design_timing.py [--only TFC-9000 ...] [--json build/design_timing.json]
                                       [--family xc7|xcup]

A slow benchmark (not CI: CNV-max takes minutes and GBs in Yosys). Each design is compiled as
`bnnc compile --backend rtl` would (import, streamline, lower, fold, insert-streams,
size-fifos), its whole Verilog top (engines, FIFOs, converters, AXI-stream ports) synthesised
flattened with `yosys synth_xilinx -family xc7` (`--family xcup`: UltraScale+, folded for and
estimated on the ZCU104, with the UltraScale+ delay model), and compared with `estimate_graph`'s totals:
LUT (LUT1..LUT6 and the LUTs of distributed RAMs and SRLs), FF, BRAM18 and DSP48E1, plus the
worst register-to-register path by bnnc's timing check (`bnnc.backends.verilog.timing`; its
delay models are estimates: nothing here has run under Vivado). Each row also splits both sides
by instance of the top (`instance_resources`: the model's per-engine cost against the Yosys
cells attributed to the instance by their names; the split of LUTs with no name is a guess,
the totals are exact), which is how a whole-design gap is traced to an engine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "models"

# name -> (model file, fold options)
DESIGNS = {
    "TFC-9000": ("tfc_w1a1.qonnx.onnx", "target-fps=9000"),
    "SFC-9000": ("sfc_w1a1_random.qonnx.onnx", "target-fps=9000"),
    "LFC-9000": ("lfc_w1a1.onnx", "target-fps=9000"),
    "CNV-9000": ("cnv_w1a1_random.qonnx.onnx", "target-fps=9000"),
    "CNV-max": ("cnv_w1a1_random.qonnx.onnx", "max=true"),
}


@dataclass
class DesignRow:
    name: str
    fps: float
    model_lut: int
    yosys_lut: int
    model_ff: int
    yosys_ff: int
    model_bram18: int
    yosys_bram18: int
    model_dsp: int
    yosys_dsp: int
    worst_ns: float
    fmax_mhz: float
    worst_engine: str
    lut_levels: int
    carry4: int
    seconds: float
    through: list[str]  # the cells on the worst path, start to end
    synthesis: str  # "flat" (the whole top) or "windows" (`timing_windows`)
    # per instance of the top (`u3_mvtu_fc0`, `u_axis_in`, ...): the model's and Yosys' LUT, FF,
    # BRAM18 (`instance_resources`, flat synthesis only), to see which engine a whole-design gap
    # comes from
    instances: dict = field(default_factory=dict)


def measure(name: str, clock_mhz: float = 200.0, keep: Path | None = None, windows: bool = False,
            cache: Path | None = None, family: str = "xc7") -> DesignRow:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from yosys_calibration import FAMILY_BOARDS, dsp_count, resources

    from bnnc.backends.verilog.emitter import _engine_name, build_project, find_graph
    from bnnc.analysis.cost_model import estimate_graph
    from bnnc.devices import load_device
    from bnnc.dialects import df
    from bnnc.frontend.onnx_importer import import_onnx
    from bnnc.driver.pipeline import run_pipeline

    if windows and family != "xc7":  # timing_windows synthesises for 7-series only
        raise SystemExit("design_timing.py: --windows synthesises for xc7 only; run --family xcup flat")
    model, fold = DESIGNS[name]
    board = FAMILY_BOARDS[family]  # folded for the board of the family (ZC706, ZCU104), as compiled for it
    module = run_pipeline(import_onnx(SHARED / model),
                          f"bnn-streamline,lower-bnn-to-dataflow,fold{{{fold} clock-mhz={clock_mhz:g} board={board}}},"
                          "insert-streams,size-fifos")
    graph = next(op for op in module.walk() if isinstance(op, df.GraphOp))
    estimate = estimate_graph(graph, load_device(board), clock_mhz)
    project = build_project(find_graph(module))
    start = time.time()
    if windows:
        from bnnc.backends.verilog.timing_windows import check_windows

        def progress(r) -> None:
            worst = f"{r.paths[0].delay_ns:.2f} ns {r.paths[0].through}" if r.paths else "no path"
            print(f"  {name} window {' '.join(r.units)}: {worst}, {r.seconds} s", file=sys.stderr, flush=True)

        report, counter, _ = check_windows(project.files, clock_mhz, progress, cache)
        cells = dict(counter)
        instances: dict = {}
    else:
        report, cells, measured = _flat(name, project, clock_mhz, keep, family)
        names = {id(op): _engine_name(op, i) for i, op in enumerate(graph.body.block.ops)}
        modelled = {("u_" + n.name if n.op is None else names[id(n.op)]): n.cost for n in estimate.nodes}
        instances = {inst: {"model": [c.lut, c.ff, c.bram18] if (c := modelled.get(inst)) else None,
                            "yosys": [measured[inst]["lut"], measured[inst]["ff"], measured[inst]["bram18"]]
                            if inst in measured else None}
                     for inst in sorted(set(modelled) | set(measured))}
    lut, _, ff, bram = resources(cells)
    worst = report.worst
    total = estimate.total
    return DesignRow(name, round(estimate.fps, 1), total.lut, lut, total.ff, ff, total.bram18, bram, total.dsp,
                     dsp_count(cells), round(report.worst_ns, 2), report.fmax_mhz(),
                     worst.engine if worst else "", worst.lut_levels if worst else 0,
                     worst.carry4 if worst else 0, round(time.time() - start, 1), worst.through if worst else [],
                     "windows" if windows else "flat", instances)


def _flat(name: str, project, clock_mhz: float, keep: Path | None, family: str):
    """The whole top synthesised flattened: its timing report, its cells and each instance's
    resources (`instance_resources`)."""
    from bnnc.backends.verilog.emitter import TOP_MODULE
    from bnnc.backends.verilog.timing import delay_model, report_of, synthesize_netlist, worst_paths

    with tempfile.TemporaryDirectory(prefix="bnnc-design-") as tmp:
        work = Path(tmp)
        for path, text in project.files.items():
            (work / path).parent.mkdir(parents=True, exist_ok=True)
            (work / path).write_text(text)
        sources = sorted(p for p in project.files if p.startswith("library/")) + ["top.v"]
        netlist = synthesize_netlist(work, sources, TOP_MODULE, family)
        if keep is not None:  # the netlist, to look at other paths without synthesising again
            keep.mkdir(parents=True, exist_ok=True)
            (keep / f"{name}.json").write_text((work / "netlist.json").read_text())
    model = delay_model(family)
    report = report_of(worst_paths(netlist, TOP_MODULE, model), clock_mhz, model)
    top = netlist["modules"][TOP_MODULE]
    return report, _count(top), instance_resources(top)


def instance_resources(module: dict) -> dict[str, dict[str, int]]:
    """LUT, FF and BRAM18 of each top-level instance of a flattened netlist (an estimate of the
    split: Yosys keeps no hierarchy). A sequential or memory cell belongs to the instance its
    output net is named in (`u3_mvtu_fc0.acc`); a LUT whose output has no such name (ABC's)
    to the instance of the first named cell it drives, followed through other LUTs."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from yosys_calibration import BRAM_CELLS, FF_CELLS, LUT_CELLS

    names: dict[int, str] = {}  # a bit's instance, from any hierarchical name of it
    for net, info in module.get("netnames", {}).items():
        text = net.lstrip("\\")
        if "." in text and not text.startswith("$"):
            for bit in info["bits"]:
                if isinstance(bit, int):
                    names.setdefault(bit, text.split(".", 1)[0])
    driver: dict[int, str] = {}
    inputs: dict[str, list[int]] = {}
    outputs: dict[str, list[int]] = {}
    for cell_name, cell in module["cells"].items():
        directions = cell.get("port_directions", {})
        outputs[cell_name], inputs[cell_name] = [], []
        for port, bits in cell["connections"].items():
            side = outputs if directions.get(port) == "output" else inputs
            side[cell_name] += [b for b in bits if isinstance(b, int)]
        for bit in outputs[cell_name]:
            driver[bit] = cell_name

    def named(cell_name: str) -> str | None:
        return next((names[bit] for bit in outputs[cell_name] if bit in names), None)

    owner: dict[str, str] = {c: n for c in module["cells"] if (n := named(c))}
    work = list(owner)
    while work:  # unnamed cells take the instance of a cell they drive, walking back from the named
        cell_name = work.pop()
        for bit in inputs[cell_name]:
            source = driver.get(bit)
            if source is not None and source not in owner:
                owner[source] = owner[cell_name]
                work.append(source)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"lut": 0, "ff": 0, "bram18": 0})
    for cell_name, cell in module["cells"].items():
        kind, inst = cell["type"], owner.get(cell_name, "(top)")
        totals[inst]["lut"] += LUT_CELLS.get(kind, 0)
        totals[inst]["ff"] += kind in FF_CELLS
        totals[inst]["bram18"] += BRAM_CELLS.get(kind, 0)
    return dict(totals)


def _count(module: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for cell in module.get("cells", {}).values():
        counts[cell["type"]] = counts.get(cell["type"], 0) + 1
    return counts


def error(model: int, measured: int) -> str:
    if measured == 0:
        return "exact" if model == 0 else "n/a"
    return f"{(model - measured) / measured:+.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", choices=list(DESIGNS), help="designs to run (default: all)")
    parser.add_argument("--json", default="build/design_timing.json")
    parser.add_argument("--keep", type=Path, help="a directory to keep each design's Yosys netlist in")
    parser.add_argument("--windows", action="store_true",
                        help="synthesise the top window by window (bnnc.backends.verilog.timing_windows), not flat")
    parser.add_argument("--cache", type=Path, help="with --windows: a directory of window results to reuse")
    parser.add_argument("--family", choices=("xc7", "xcup"), default="xc7", help="the fabric Yosys maps to")
    args = parser.parse_args()
    rows = []
    for name in args.only or list(DESIGNS):
        rows.append(measure(name, keep=args.keep, windows=args.windows, cache=args.cache, family=args.family))
        print(f"{name}: {rows[-1]}", file=sys.stderr, flush=True)
    print("| design | FPS | LUT model / Yosys | FF model / Yosys | BRAM18 model / Yosys | DSP model / Yosys "
          "| worst path (ns) | est. Fmax (MHz) | in | levels |")
    print("|---|---:|---|---|---|---|---:|---:|---|---|")
    for r in rows:
        print(f"| {r.name} | {r.fps:,.0f} | {r.model_lut:,} / {r.yosys_lut:,} ({error(r.model_lut, r.yosys_lut)}) "
              f"| {r.model_ff:,} / {r.yosys_ff:,} ({error(r.model_ff, r.yosys_ff)}) "
              f"| {r.model_bram18} / {r.yosys_bram18} ({error(r.model_bram18, r.yosys_bram18)}) "
              f"| {r.model_dsp} / {r.yosys_dsp} | {r.worst_ns:.2f} | {r.fmax_mhz:.0f} | {r.worst_engine or 'top'} "
              f"| {r.lut_levels} LUT + {r.carry4} CARRY4 |")
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"rows": [asdict(r) for r in rows]}, indent=2) + "\n")
    for r in rows:
        print(f"{r.name} per instance (model / Yosys: LUT, FF, BRAM18; Yosys' split is an estimate):")
        for inst, v in r.instances.items():
            print(f"  {inst:40} {v['model']} / {v['yosys']}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
