"""Horizontal bar charts as inline SVG, for `report.html`.

Written by hand rather than with a plotting library: the report needs two simple charts, and
importing and rendering with matplotlib took longer (≈ 2 s) than the rest of a CNV compile. SVG
keeps the page a single file, scales without blurring and is searchable text.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

LABEL_WIDTH = 190
PANEL_WIDTH = 360
PANEL_GAP = 40
ROW_HEIGHT = 22
TOP = 46
BOTTOM = 44
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Panel:
    """One x axis of a chart: a value for each row, drawn as bars in `colours` (one or per row)."""

    axis_label: str
    values: list[float]
    colours: list[str]
    marker: float | None = None  # a dashed vertical line (the bottleneck)


def nice_ticks(largest: float, count: int = 5) -> list[float]:
    """0, step, 2·step, ... up to `largest` or just past it, with step 1, 2 or 5 × 10^k."""
    if largest <= 0:
        return [0.0, 1.0]
    rough = largest / count
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return [i * step for i in range(math.ceil(largest / step - 1e-9) + 1)]


def _tick_text(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 or value == int(value) else f"{value:.2g}"


def _panel(panel: Panel, x0: float, rows: int) -> list[str]:
    ticks = nice_ticks(max([*panel.values, panel.marker or 0]))
    scale = PANEL_WIDTH / ticks[-1]
    bottom = TOP + rows * ROW_HEIGHT
    parts = []
    for tick in ticks:
        x = x0 + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{bottom}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{x:.1f}" y="{bottom + 15}" text-anchor="middle" {FONT}>'
                     f"{_tick_text(tick)}</text>")
    for row, value in enumerate(panel.values):
        colour = panel.colours[row] if len(panel.colours) > 1 else panel.colours[0]
        y = TOP + row * ROW_HEIGHT + 3
        parts.append(f'<rect x="{x0}" y="{y}" width="{max(value * scale, 0.5):.1f}" '
                     f'height="{ROW_HEIGHT - 6}" fill="{colour}"><title>{value:,.4g}</title></rect>')
    if panel.marker is not None:
        x = x0 + panel.marker * scale
        parts.append(f'<line x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{bottom}" '
                     f'stroke="#c0392b" stroke-dasharray="5,3"/>')
    parts.append(f'<line x1="{x0}" y1="{bottom}" x2="{x0 + PANEL_WIDTH}" y2="{bottom}" stroke="#444"/>')
    parts.append(f'<text x="{x0 + PANEL_WIDTH / 2}" y="{bottom + 34}" text-anchor="middle" {FONT}>'
                 f"{html.escape(panel.axis_label)}</text>")
    return parts


def bar_chart(title: str, labels: list[str], panels: list[Panel]) -> str:
    """An `<svg>` element: one row per label, one panel of bars per x axis, sharing the rows."""
    rows = len(labels)
    width = LABEL_WIDTH + len(panels) * (PANEL_WIDTH + PANEL_GAP)
    height = TOP + rows * ROW_HEIGHT + BOTTOM
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
              f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">'),
             (f'<text x="{width / 2}" y="20" text-anchor="middle" {FONT} font-size="15" '
              f'font-weight="bold">{html.escape(title)}</text>')]
    for row, label in enumerate(labels):
        y = TOP + row * ROW_HEIGHT + ROW_HEIGHT / 2 + 4
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y}" text-anchor="end" {FONT}>'
                     f"{html.escape(label)}</text>")
    for index, panel in enumerate(panels):
        parts.extend(_panel(panel, LABEL_WIDTH + index * (PANEL_WIDTH + PANEL_GAP), rows))
    parts.append("</svg>")
    return "\n".join(parts)
