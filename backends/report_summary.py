"""What `bnnc compile` prints when it is done: what it built, from the build's `report.json`.

    bnnc compile: 15,944 FPS at 200 MHz for a target of 9,000 (folding moves in steps: ...)
    bnnc compile: bottleneck fc0, 12,544 cycles a frame; latency 12,892 cycles (64.46 us)
    bnnc compile: LUT 1,163 (0.5 % of xc7z045ffg900-2), BRAM18 4 (0.4 %), DSP 0 (0.0 %), FF 1,538 ...

A printer: every figure is the report's (the cost model's estimate; the latency and interval
of the FIFO sizing's cycle-level model when the graph was sized).
"""

from __future__ import annotations

from typing import Any

RESOURCES = (("LUT", "lut"), ("BRAM18", "bram18"), ("DSP", "dsp"), ("FF", "ff"))

# What the report's two latencies and two intervals are (report.json's "notes", report.html).
NOTES = {
    "latency": "estimate.latency_cycles is an upper bound: every engine's cycles a frame summed "
               "along the pipeline, as if each waited for its producer's whole frame. "
               "fifo_sizing.latency is the cycle-level model of the sized pipeline, where an "
               "engine starts on the first words of a frame: the figure the RTL simulation "
               "measures, and the one to use.",
    "interval": "estimate.total.cycles is the bottleneck engine's cycles a frame by its formula "
                "(the FPS figure: clock / these cycles). fifo_sizing.interval is the cycle-level "
                "model's steady state with the FIFOs sized: it can be a little shorter where an "
                "engine's formula counts work that overlaps the next frame (a sliding window "
                "filling its row buffer); size-fifos checks that the sized FIFOs keep the pace "
                "the model reaches with unbounded ones.",
}


def summary_lines(report: dict[str, Any]) -> list[str]:
    estimate = report.get("estimate")
    if estimate is None:
        return []
    folding, sizing = report.get("folding", {}), report.get("fifo_sizing", {})
    clock = estimate["clock_mhz"]
    fps = f"{estimate['fps']:,.0f} FPS at {clock:g} MHz"
    if folding.get("target_fps") is not None:
        target = (f"for a target of {folding['target_fps']:,.0f} (folding moves in steps: this is the "
                  "cheapest design that meets it)")
    else:
        target = ("(--max: the fastest design within the budget, 80 % of the device's LUT and "
                  "BRAM18)")
    interval = sizing.get("interval", estimate["total"]["cycles"])
    latency = sizing.get("latency", estimate["latency_cycles"])
    use, total, part = estimate["utilisation"], estimate["total"], estimate["part"]
    resources = []
    for label, key in RESOURCES:
        if key in total:  # the DSPs once the cost model counts them
            share = f" of {part}" if not resources else ""
            resources.append(f"{label} {total[key]:,} ({100 * use.get(key, 0):.1f} %{share})")
    cycles = estimate["total"]["cycles"]
    sized = f" (the sized pipeline, cycle by cycle: {interval:,})" if interval != cycles else ""
    return [
        f"bnnc compile: {fps} {target}",
        f"bnnc compile: bottleneck {estimate['bottleneck']}, {cycles:,} cycles a frame{sized}; "
        f"latency {latency:,} cycles ({latency / clock:.2f} us)",
        "bnnc compile: " + ", ".join(resources) + " (estimates of the cost model, FIFOs included)",
    ]
