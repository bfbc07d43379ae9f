"""The performance targets of issues 14 and 28, each checked against what this run measured."""

from __future__ import annotations

import round_networks
from common import Table
from context import Context

# Larq Compute Engine's CPU speed as the issue quotes it, used when LCE cannot run here.
QUOTED_LCE = {"TFC": 300_000, "SFC": 77_000, "CNV": 477}
FINN_FIX_9000 = {"TFC": (1_271, 7), "SFC": (1_383, 23), "LFC": (2_412, 177), "CNV": (39_918, 195)}
MAX_FPS = {"CNV": 62_500, "SFC": 12.5e6, "LFC": 1.56e6}


def run(ctx: Context) -> list[Table]:
    table = Table("Targets (issues 14 and 28)", ["target", "measured", "goal", "met"])

    def check(
        what: str, measured, goal_text: str, met: bool | None, missing: str = "not measured"
    ) -> None:
        if measured is None:
            table.add(target=what, measured=missing, goal=goal_text, met="not measured")
        else:
            table.add(
                target=what, measured=measured, goal=goal_text, met="met" if met else "NOT MET"
            )

    get = ctx.get
    cnv_s = get("compile", "CNV", "bnnc_both_s")
    check(
        "compile CNV → build dir (--backend both), s",
        cnv_s,
        "≤ 3",
        cnv_s is not None and cnv_s <= 3,
    )
    tfc_s, hls4ml_s = get("compile", "TFC", "bnnc_both_s"), get("compile", "TFC", "hls4ml_s")
    check(
        "compile TFC → build dir, s",
        tfc_s,
        f"< hls4ml ONNX → HLS ({hls4ml_s:.2f} s)"
        if hls4ml_s
        else "< hls4ml ONNX → HLS (not measured)",
        tfc_s is not None and hls4ml_s is not None and tfc_s < hls4ml_s,
    )
    for name in ("CNV", "LFC"):
        mb = get("compile", name, "peak_mb")
        check(f"compile {name}: peak memory, MB", mb, "≤ 1,024", mb is not None and mb <= 1024)
    for name in ("TFC", "SFC", "CNV"):
        rate = get("throughput", name, "bnn_rate")
        lce = get("throughput", name, "lce_rate")
        goal = lce if lce else QUOTED_LCE[name]
        source = "LCE, this run" if lce else "LCE, quoted"
        check(
            f"bnn executor {name} (as bnnc run), images/s",
            rate,
            f"≥ {goal:,.0f} ({source})",
            rate is not None and rate >= goal,
        )
        bound = get("throughput", name, "numpy_packed_rate")
        check(
            f"bnn executor {name} vs bit-packed numpy, images/s",
            rate,
            f"≥ {bound:,.0f}" if bound else "≥ numpy (not measured)",
            rate is not None and bound is not None and rate >= bound,
        )
    for name in ("TFC", "SFC", "LFC", "CNV", *round_networks.IMAGES):  # issue 28
        rate, onnx_rate = get("throughput", name, "bnn_rate"), get("throughput", name, "onnx_rate")
        check(
            f"bnn executor {name} vs onnxruntime, images/s",
            rate,
            f"≥ {onnx_rate:,.0f} (onnxruntime, this run)" if onnx_rate else "≥ onnxruntime (not measured)",
            rate is not None and onnx_rate is not None and rate >= onnx_rate,
        )
    for name, goal in (("TFC", 30_000), ("CNV", 20)):
        rate = get("throughput", name, "csim_rate")
        check(f"csim {name}, images/s", rate, f"≥ {goal:,}", rate is not None and rate >= goal)
    for name in ("TFC", "SFC", "LFC", "CNV"):
        seconds = get("throughput", name, "csim_compile_s")
        if seconds is not None or name in ("TFC", "CNV"):
            check(
                f"csim {name}: g++ of the generated C++, s",
                seconds,
                "≤ 10",
                seconds is not None and seconds <= 10,
            )
    for name, goal in (("TFC", 1_000), ("CNV", 1)):
        rate = get("throughput", name, "rtlsim_amortised")
        check(
            f"rtlsim {name}, images/s, build amortised over 1,000",
            rate,
            f"≥ {goal:,}",
            rate is not None and rate >= goal,
        )
    for name, goal in MAX_FPS.items():
        fps = get("quality", f"{name} max", "fps")
        check(
            f"max design {name}, FPS (ZC706, 200 MHz)",
            fps,
            f"≥ {goal:,.0f}",
            fps is not None and fps >= goal,
        )
    for name, (lut, bram) in FINN_FIX_9000.items():
        got_lut, got_bram = (
            get("quality", f"{name} fix-9000", "lut"),
            get("quality", f"{name} fix-9000", "bram18"),
        )
        check(
            f"fix-9000 {name}: LUT",
            got_lut,
            f"< {lut:,} (FINN)",
            got_lut is not None and got_lut < lut,
        )
        check(
            f"fix-9000 {name}: BRAM18",
            got_bram,
            f"< {bram:,} (FINN)",
            got_bram is not None and got_bram < bram,
        )
    met = sum(row["met"] == "met" for row in table.rows)
    table.notes.append(
        f"{met} of {len(table.rows)} targets met. rtlsim amortised rate = "
        "1000 / (build + 1000 · t_image), t_image measured on a few images."
    )
    return [table]
