"""The `report` target: the cost model's estimate of every `df.graph`, as a table or as JSON.

    bnnc-opt net.mlir -t report
    bnnc-opt net.mlir -t 'report{format=json}'              # the graph's target (board, clock)
    bnnc-opt net.mlir -t 'report{board=pynq-z1 clock-mhz=100}'   # the same design elsewhere

A printer: it runs `estimate_graph` itself and changes no IR, so it needs neither the `estimate`
pass nor its attributes (and ignores them when present). Per engine it prints the folding, cycles
per frame, LUT, BRAM18 and the engine's cycles as a share of the bottleneck's (100 % is the
bottleneck; a small share means room to fold that engine tighter); then the totals, FPS at the
clock, the latency and the share of the device that the graph uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import IO, Any

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from bnnc.analysis.cost_model import Cost, Estimate, estimate_graph
from bnnc.devices import load_device
from bnnc.dialects import df
from bnnc.analysis.engine_names import engine_names
from bnnc.errors import BnncError

FORMATS = ("table", "json")
COLUMNS = ("node", "kind", "PE", "SIMD", "MMV", "cycles", "LUT", "BRAM18", "share")


def estimate_json(est: Estimate) -> dict[str, Any]:
    """The estimate as plain JSON data; shares and utilisation are fractions of 1. Engines are
    named as `bnnc.analysis.engine_names` names them; a sized FIFO carries its `depth` in words."""
    bottleneck = est.total.cycles
    names = engine_names(est.nodes)
    nodes = [
        {
            "name": name,
            "layer": n.layer,
            "kind": n.kind,
            "pe": n.pe,
            "simd": n.simd,
            "mmv": n.mmv,
            **_costs(n.cost),
            "share": round(n.cost.cycles / bottleneck, 6),
            **({"depth": _fifo_depth(n)} if n.kind == "fifo" else {}),
        }
        for name, n in zip(names, est.nodes)
    ]
    return {
        "graph": est.graph,
        "board": est.device.name,
        "part": est.device.part,
        "clock_mhz": est.clock_mhz,
        "nodes": nodes,
        "total": _costs(est.total),
        "fps": est.fps,
        "latency_cycles": est.latency_cycles,
        "latency_us": est.latency_us,
        "bottleneck": _bottleneck_name(est, names),
        "utilisation": {k: round(v, 6) for k, v in est.utilisation().items()},
    }


def _bottleneck_name(est: Estimate, names: list[str]) -> str:
    """The cost model names its bottleneck by its own (numbered) name: the report's instead."""
    return next((name for name, n in zip(names, est.nodes) if n.name == est.bottleneck), est.bottleneck)


def _fifo_depth(node) -> int | None:
    depth = getattr(node.op, "depth", None)
    return depth.value.data if depth is not None else None


def _costs(cost: Cost) -> dict[str, int]:
    return {"cycles": cost.cycles, "lut": cost.lut, "ff": cost.ff, "bram18": cost.bram18,
            "lutram": cost.lutram, "dsp": cost.dsp}


def _dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def _align(rows: list[tuple[str, ...]], text_columns: int) -> list[str]:
    """Columns padded to their widest cell: the first `text_columns` left, numbers right."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.ljust(w) if i < text_columns else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))
        ).rstrip()
        for row in rows
    ]


def estimate_table(est: Estimate) -> str:
    """The estimate as an aligned text table with a summary below it."""
    d, t, use = est.device, est.total, est.utilisation()
    # Lowered graphs name their engines by index only; the bnn layer tells the reader which.
    layers = any(n.layer is not None for n in est.nodes)
    names = engine_names(est.nodes)
    rows = [COLUMNS[:1] + ("layer",) * layers + COLUMNS[1:]]
    for name, n in zip(names, est.nodes):
        share = f"{100 * n.cost.cycles / t.cycles:.1f}%"
        rows.append((name, *(n.layer or "-",) * layers, n.kind, _dash(n.pe), _dash(n.simd),
                     _dash(n.mmv), str(n.cost.cycles), str(n.cost.lut), str(n.cost.bram18), share))
    rows.append(("total", *("",) * layers, "", "", "", "", "", str(t.lut), str(t.bram18), ""))
    bottleneck = _bottleneck_name(est, names)
    budget = [("LUT", "lut", t.lut, d.lut), ("FF", "ff", t.ff, d.ff),
              ("BRAM18", "bram18", t.bram18, d.bram18), ("LUTRAM", "lutram", t.lutram, d.lutram),
              ("DSP", "dsp", t.dsp, d.dsp)]
    return "\n".join(
        [
            f"df.graph @{est.graph} on {d.name} ({d.part}) at {est.clock_mhz} MHz",
            *_align(rows, 2 + layers),
            f"throughput: {est.fps:.1f} FPS (bottleneck {bottleneck}, {t.cycles} cycles/frame)",
            f"latency: {est.latency_cycles} cycles ({est.latency_us:.2f} us) at most: the engines' cycles "
            "summed along the pipeline (size-fifos' cycle-level model gives the figure the RTL measures)",
            "utilisation: " + ", ".join(
                f"{label} {used}/{avail} ({100 * use[key]:.1f}%)" for label, key, used, avail in budget
            ),
        ]
    )


@dataclass(frozen=True)
class ReportTarget(Target):
    """Print the estimate of each `df.graph`: `format` is `table` or `json`; `board` (a name or
    a device JSON file) and `clock_mhz` are as in the `estimate` pass: the graph's target unless
    given."""

    name = "report"
    format: str = "table"
    board: str | None = None
    # xDSL rejects `100` for a float option, and the driver parses a target's options where it
    # no longer turns that into a one-line error: accept both.
    clock_mhz: int | float | None = None

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        if self.format not in FORMATS:
            raise BnncError(f"report: unknown format '{self.format}'; expected one of {', '.join(FORMATS)}")
        graphs = [op for op in module.walk() if isinstance(op, df.GraphOp)]
        targets = [df.target_of(g, self.board, self.clock_mhz) for g in graphs]
        estimates = [estimate_graph(g, load_device(t.board.data), t.clock) for g, t in zip(graphs, targets)]
        if self.format == "json":
            json.dump({"graphs": [estimate_json(e) for e in estimates]}, output, indent=2)
            output.write("\n")
        elif not estimates:
            output.write("no df.graph in the module\n")
        else:
            output.write("\n\n".join(estimate_table(e) for e in estimates) + "\n")
