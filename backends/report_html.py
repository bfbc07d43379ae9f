"""`report.html` of a build directory: the design at a glance, from its `report.json`.

    bnnc report build/tfc            (bnnc compile writes it too)

Per layer: folding, cycles a frame as bars against the bottleneck (pipeline balance: a short bar
is an engine folded more than it needs), LUT and BRAM18 as shares of the device; then FPS,
latency, FIFO bits and the compile stages' times. The charts are inline SVG
(`report_charts.py`), so the file stands alone. A printer: it reads the JSON and changes nothing.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from bnnc.backends.report_charts import Panel, bar_chart
from bnnc.backends.report_summary import NOTES

from bnnc.errors import BnncError

REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
BOTTLENECK_COLOUR = "#c0392b"
ENGINE_COLOUR = "#2e86c1"

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.75em; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; }
.figures svg { max-width: 100%; height: auto; display: block; margin: 1em 0; }
.summary td { text-align: left; }
.bottleneck { color: #c0392b; font-weight: bold; }
"""


def _label(node: dict[str, Any]) -> str:
    return f"{node['name']} ({node['kind']})"


def cycles_plot(estimate: dict[str, Any]) -> str:
    """Cycles a frame per engine against the bottleneck: the pipeline's balance."""
    nodes = estimate["nodes"]
    cycles = [n["cycles"] for n in nodes]
    bottleneck = max(cycles)
    colours = [BOTTLENECK_COLOUR if c == bottleneck else ENGINE_COLOUR for c in cycles]
    axis = "cycles a frame (the longest bar sets the frame rate)"
    title = f"Pipeline balance: {estimate['fps']:,.0f} FPS at {estimate['clock_mhz']:g} MHz"
    return bar_chart(title, [_label(n) for n in nodes], [Panel(axis, cycles, colours, bottleneck)])


def resources_plot(estimate: dict[str, Any]) -> str:
    """LUT and BRAM18 per engine, as shares of the device."""
    nodes = [n for n in estimate["nodes"] if n["lut"] or n["bram18"]]
    utilisation = estimate["utilisation"]
    device_lut = estimate["total"]["lut"] / utilisation["lut"] if utilisation.get("lut") else None
    device_bram = estimate["total"]["bram18"] / utilisation["bram18"] if utilisation.get("bram18") else None
    lut_share = [100 * n["lut"] / device_lut if device_lut else 0 for n in nodes]
    bram_share = [100 * n["bram18"] / device_bram if device_bram else 0 for n in nodes]
    title = f"Resources on {estimate['board']} ({estimate['part']})"
    return bar_chart(title, [_label(n) for n in nodes], [
        Panel("LUT, % of the device", lut_share, [ENGINE_COLOUR]),
        Panel("BRAM18, % of the device", bram_share, ["#7d3c98"]),
    ])


def _row(cells: list[Any], header: bool = False) -> str:
    tag = "th" if header else "td"
    return "<tr>" + "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in cells) + "</tr>"


def _latency(estimate: dict[str, Any], sizing: dict[str, Any]) -> str:
    clock = estimate["clock_mhz"]
    bound = f"{estimate['latency_cycles']:,} cycles ({estimate['latency_us']:.2f} µs) at most"
    if "latency" not in sizing:
        return bound
    return (f"{sizing['latency']:,} cycles ({sizing['latency'] / clock:.2f} µs), the sized pipeline "
            f"cycle by cycle; {bound}, the engines' cycles summed")


def render(report: dict[str, Any]) -> str:
    estimate = report.get("estimate")
    if estimate is None:
        raise BnncError("report.json has no estimate: the build stopped before its graph was sized")
    total, utilisation = estimate["total"], estimate["utilisation"]
    bottleneck = max(n["cycles"] for n in estimate["nodes"])
    rows = [_row(["engine", "kind", "PE", "SIMD", "MMV", "cycles", "share", "LUT", "BRAM18", "FIFO depth"],
                 header=True)]
    for n in estimate["nodes"]:
        depth = f"{n['depth']:,}" if n.get("depth") is not None else "-"
        cells = [n["name"], n["kind"], n["pe"] or "-", n["simd"] or "-", n["mmv"] or "-",
                 f"{n['cycles']:,}", f"{100 * n['cycles'] / bottleneck:.0f} %", f"{n['lut']:,}", n["bram18"],
                 depth]
        row = _row(cells)
        rows.append(row.replace("<tr>", '<tr class="bottleneck">') if n["cycles"] == bottleneck else row)
    sizing = report.get("fifo_sizing", {})
    summary = [
        ("model", Path(report.get("model", "")).name),
        ("board", f"{estimate['board']} ({estimate['part']}) at {estimate['clock_mhz']:g} MHz"),
        ("folding", json.dumps(report.get("folding", {}))),
        ("throughput", f"{estimate['fps']:,.1f} frames/s (bottleneck {estimate['bottleneck']}, {bottleneck:,} cycles a frame)"),
        ("latency", _latency(estimate, sizing)),
        ("LUT", f"{total['lut']:,} ({100 * utilisation.get('lut', 0):.1f} % of the device)"),
        ("BRAM18", f"{total['bram18']:,} ({100 * utilisation.get('bram18', 0):.1f} %)"),
        ("FF", f"{total['ff']:,} ({100 * utilisation.get('ff', 0):.1f} %)"),
        ("DSP", f"{total.get('dsp', 0):,} ({100 * utilisation.get('dsp', 0):.1f} %)"),
    ]
    if sizing:
        fifos = (f"{sizing.get('fifo_bits', 0):,} bits (whole frames would be "
                 f"{sizing.get('whole_frame_bits', 0):,}); the sized pipeline takes a frame every "
                 f"{sizing.get('interval', 0):,} cycles (depths in the table below)")
        summary.append(("FIFOs", fifos))
    timing = report.get("timing")
    if timing:
        worst = timing.get("worst") or {}
        summary.append(("timing (estimate)",
                        f"worst path {timing['worst_ns']:.2f} ns in {worst.get('engine') or 'the top'}, "
                        f"Fmax ~{timing['fmax_mhz']:.0f} MHz, {'meets' if timing['meets_clock'] else 'misses'} "
                        f"{timing['clock_mhz']:g} MHz (Yosys netlist, bnnc's {timing.get('delay_model', '7-series -2')} "
                        "delay model; not Vivado)"))
    stages = [_row(["stage", "seconds"], header=True)] + [
        _row([name, f"{seconds:.2f}"]) for name, seconds in report.get("timings_s", {}).items()
    ]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>bnnc report: {html.escape(Path(report.get('model', 'model')).name)}</title>
<style>{STYLE}</style></head><body>
<h1>bnnc: {html.escape(Path(report.get('model', 'model')).name)}</h1>
<table class="summary">{''.join(_row([k, v]) for k, v in summary)}</table>
<div class="figures">
{cycles_plot(estimate)}
{resources_plot(estimate)}
</div>
<h2>Engines</h2>
<table>{''.join(rows)}</table>
<h2>Two latencies, two intervals</h2>
{''.join(f"<p><b>{html.escape(k)}</b>: {html.escape(v)}</p>" for k, v in NOTES.items())}
<h2>Compile stages</h2>
<table>{''.join(stages)}</table>
<p>Estimates of bnnc's cost model (calibrated against Yosys, see docs/rtl.md); cycles as the RTL runs them.</p>
</body></html>
"""


def write_html_report(build: str | Path) -> Path:
    build = Path(build)
    source = build / REPORT_JSON
    if not source.is_file():
        raise BnncError(f"{build}: no {REPORT_JSON}; give a directory written by bnnc compile")
    target = build / REPORT_HTML
    target.write_text(render(json.loads(source.read_text())))
    return target
