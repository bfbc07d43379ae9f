"""Quality of results: the designs bnnc plans for the ZC706 at 200 MHz, next to FINN's.

For TFC, SFC, LFC and CNV, the fix-9000 design (the cheapest meeting 9,000 frames/s) and the
max design (the fastest that fits 80 % of the LUT and BRAM): frames/s, latency, LUT and BRAM18
from bnnc's cost model (calibrated against Yosys, docs/rtl.md), read from the report.json of
the builds (`bnnc compile --fps 9000`, and the compile section's max builds): the whole design,
sized FIFOs and both AXI ports included. Where a Yosys synthesis of the whole design
is part of the run (TFC fix-9000, full mode), its LUT and BRAM18 are given too.

The roofline: binary ops a frame = 2·MW·MH·pixels summed over the matrix-vector units (from
each unit's cycles and folding: cycles·PE·SIMD·MMV = MW·MH·pixels), times frames/s, against
the device's peak under the same LUT-per-op model: every LUT of the device in XNOR-popcount
lanes of SIMD 64 as `bnnc.analysis.cost_model` costs them (one XNOR LUT a lane plus its share of the
popcount tree), each lane 2 ops (a multiply and an add) a cycle.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from common import BNNC, Table, run_process
from context import Context
from inputs import model_path

MODELS = ("TFC", "SFC", "LFC", "CNV")
CLOCK_MHZ = 200.0
FIX_FPS = 9000
PEAK_SIMD = 64

# REFERENCE.md: the FINN paper (FPGA'17, ZC706, 200 MHz); (u) = widely quoted, unverified.
FINN_PAPER = {
    ("SFC", "max"): "12.3 M FPS · 0.31 µs · 91,131 LUT · 9 BRAM18",
    ("LFC", "max"): "1.561 M FPS · 2.44 µs · 82,988 LUT · 792 BRAM18 (u)",
    ("CNV", "max"): "21,906 FPS · 283 µs · 46,253 LUT · 372 BRAM18 (LUT, BRAM u)",
    ("SFC", "fix-9000"): "≈12.2 k FPS (u)",
    ("LFC", "fix-9000"): "≈12.2 k FPS (u)",
}
# REFERENCE.md: FINN's cost model with its automatic folding today: (FPS, LUT, BRAM18).
FINN_MODEL = {
    ("TFC", "fix-9000"): (15_944, 1_271, 7),
    ("SFC", "fix-9000"): (12_207, 1_383, 23),
    ("LFC", "fix-9000"): (12_207, 2_412, 177),
    ("CNV", "fix-9000"): (9_420, 39_918, 195),
    ("TFC", "max"): (100e6, 196_600, 820),
    ("SFC", "max"): (12.5e6, 140_100, 585),
    ("LFC", "max"): (1.5625e6, 151_800, 635),
    ("CNV", "max"): (62_500, 184_700, 650),
}
# REFERENCE.md: BNN-PYNQ's hand folding, its bottleneck cycles at 200 MHz.
BNN_PYNQ_FPS = {"CNV": CLOCK_MHZ * 1e6 / 32_768, "LFC": CLOCK_MHZ * 1e6 / 512}


def peak_ops_per_s() -> tuple[float, float]:
    """(peak binary ops/s of the ZC706, LUT per lane) under bnnc's cost model."""
    from bnnc.analysis.cost_model import XNOR_LUT_PER_LANE, popcount_tree_luts
    from bnnc.devices import load_device

    lut_per_lane = (PEAK_SIMD * XNOR_LUT_PER_LANE + popcount_tree_luts(PEAK_SIMD)) / PEAK_SIMD
    device_lut = load_device("zc706").lut
    return device_lut / lut_per_lane * 2 * CLOCK_MHZ * 1e6, lut_per_lane


def ops_per_frame(estimate: dict) -> int:
    return sum(
        2 * n["cycles"] * n["pe"] * n["simd"] * (n["mmv"] or 1)
        for n in estimate["nodes"]
        if n["kind"] == "mvtu"
    )


def scenario_build(ctx: Context, name: str, scenario: str) -> tuple[Path | None, str | None]:
    """The model's build for a scenario (`bnnc compile --fps 9000` or `--max`, `--backend rtl`,
    made once; the compile section's max build when it ran): its report.json counts the sized
    FIFOs, which `bnnc fold` (before sizing) cannot."""
    build = ctx.builds.get(name) if scenario == "max" else None
    if build is not None and (build / "report.json").exists():
        return build, None
    output = ctx.work / "builds" / f"{name}-{scenario.replace('-', '')}"
    if not (output / "report.json").exists():
        target = ["--max"] if scenario == "max" else ["--fps", str(FIX_FPS)]
        run = run_process(
            [BNNC, "compile", str(model_path(ctx.shared, name)), "-o", str(output), *target,
             "--backend", "rtl"],
            600,
        )
        if not run.ok:
            return None, f"bnnc compile failed: {run.failure()}"
    return output, None


def fold_estimate(ctx: Context, name: str, scenario: str) -> tuple[dict | None, str | None]:
    """The estimate (report.json) of the model's build for the scenario: the whole design,
    sized FIFOs and AXI ports included."""
    build, failure = scenario_build(ctx, name, scenario)
    if build is None:
        return None, failure
    return json.loads((build / "report.json").read_text())["estimate"], None


def yosys_tfc_fix(ctx: Context) -> tuple[dict | None, str]:
    """LUT and BRAM18 of TFC fix-9000's whole Verilog design after Yosys synth_xilinx."""
    if shutil.which("yosys") is None:
        return None, "yosys is not installed"
    output, failure = scenario_build(ctx, "TFC", "fix-9000")
    if output is None:
        return None, failure
    from yosys_calibration import cell_counts, resources

    rtl = output / "rtl"
    sources = " ".join(str(p.relative_to(rtl)) for p in sorted((rtl / "library").glob("*.v")))
    with tempfile.TemporaryDirectory(prefix="bnnc-yosys-") as tmp:
        stat = Path(tmp) / "stat.json"
        script = (
            f"read_verilog -defer {sources} top.v; "
            "synth_xilinx -family xc7 -flatten -top bnnc_top; "
            f"tee -q -o {stat} stat -json"
        )
        synth = run_process(["yosys", "-q", "-p", script], 1200, cwd=rtl)
        if not synth.ok:
            return None, f"yosys failed: {synth.failure()}"
        lut, _, _, bram = resources(cell_counts(stat.read_text()))
    return {
        "lut": lut,
        "bram18": bram,
    }, f"Yosys synth_xilinx of the whole design in {synth.seconds:.0f} s"


def run(ctx: Context) -> list[Table]:
    peak, lut_per_lane = peak_ops_per_s()
    table = Table(
        "Quality of results: ZC706, 200 MHz (bnnc's cost model)",
        [
            "model",
            "design",
            "FPS",
            "latency µs",
            "LUT",
            "BRAM18",
            "Yosys LUT",
            "Yosys BRAM18",
            "binary GOP/s",
            "% of peak",
            "FINN cost model: FPS · LUT · BRAM18",
            "FINN paper",
            "BNN-PYNQ FPS",
            "note",
        ],
    )
    yosys, yosys_note = (None, "") if ctx.quick else yosys_tfc_fix(ctx)
    for name in MODELS:
        for scenario in ("fix-9000", "max"):
            estimate, failure = fold_estimate(ctx, name, scenario)
            finn = FINN_MODEL.get((name, scenario))
            row = {
                "model": name,
                "design": scenario,
                "FINN paper": FINN_PAPER.get((name, scenario)),
                "FINN cost model: FPS · LUT · BRAM18": f"{finn[0]:,.0f} · {finn[1]:,} · {finn[2]:,}"
                if finn
                else None,
                "BNN-PYNQ FPS": BNN_PYNQ_FPS.get(name) if scenario == "max" else None,
            }
            if estimate is None:
                row["note"] = failure
                table.add(**row)
                continue
            ops = ops_per_frame(estimate)
            total = estimate["total"]
            row.update(
                {
                    "FPS": estimate["fps"],
                    "latency µs": estimate["latency_us"],
                    "LUT": total["lut"],
                    "BRAM18": total["bram18"],
                    "binary GOP/s": ops * estimate["fps"] / 1e9,
                    "% of peak": 100 * ops * estimate["fps"] / peak,
                }
            )
            if name == "TFC" and scenario == "fix-9000":
                if yosys:
                    row.update({"Yosys LUT": yosys["lut"], "Yosys BRAM18": yosys["bram18"]})
                row["note"] = yosys_note or None
            table.add(**row)
            ctx.record(
                "quality",
                f"{name} {scenario}",
                fps=estimate["fps"],
                lut=total["lut"],
                bram18=total["bram18"],
            )
        print(f"  quality: {name} done", flush=True)
    table.notes += [
        (
            f"Peak: {peak / 1e12:.1f} binary TOP/s = 218,600 LUT / {lut_per_lane:.2f} LUT a lane "
            f"(SIMD {PEAK_SIMD}, bnnc.analysis.cost_model) · 2 ops · 200 MHz. FINN's poster: 11.6 of "
            "19.7 TOP/s (68 %)."
        ),
        (
            "FINN cost model: FINN's analytical estimate with its automatic folding (REFERENCE.md; "
            "it leaves out FIFOs, width converters, max-pool LUTs and window-buffer BRAM). bnnc's "
            "LUT counts "
            "them."
        ),
        "BNN-PYNQ FPS: its hand folding's bottleneck (REFERENCE.md) at 200 MHz.",
    ]
    return [table]
