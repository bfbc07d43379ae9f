"""Compile time, whole process: `bnnc compile` against hls4ml's ONNX → HLS C++ conversion.

Each figure is the median wall time of `repeats` fresh processes (Python start-up, imports,
reading the model, writing every file). bnnc: `bnnc compile MODEL -o DIR --backend B` at its
default folding (the fastest design that fits the ZC706 at 200 MHz): `hls` is ONNX → HLS C++
(with the ZC706 wrapper and the report), `rtl` ONNX → Verilog, `both` the complete build
directory. hls4ml: qonnx cleanup + `convert_from_onnx_model` + `write()` (`peers/hls4ml_peer`).
The peak memory is the compile process's own maximum resident set (ru_maxrss).
"""

from __future__ import annotations

from common import BNNC, Table, median, run_process
from context import Context
from inputs import batch, model_path
from peers import hls4ml_peer

MODELS = ("TFC", "SFC", "LFC", "CNV")
HLS4ML_MODELS = ("TFC", "SFC", "CNV")  # the set; LFC is plain ONNX, not QONNX
BACKENDS = ("hls", "rtl", "both")
BNNC_TIMEOUT = 600
HLS4ML_TIMEOUT = 600
# hls4ml takes minutes to convert and write CNV: one run, not the median of several.
HLS4ML_SINGLE_RUN = {"CNV"}


def bnnc_compile(
    ctx: Context, name: str, backend: str
) -> tuple[list[float], list[float], str | None]:
    """(seconds, peak MB, failure) of `repeats` runs; the last `both` build is kept."""
    seconds, memory = [], []
    output = ctx.work / "builds" / name
    for _ in range(ctx.repeats):
        run = run_process(
            [
                BNNC,
                "compile",
                str(model_path(ctx.shared, name)),
                "-o",
                str(output),
                "--backend",
                backend,
                "--force",  # the previous run's build, rebuilt
            ],
            BNNC_TIMEOUT,
        )
        if not run.ok:
            return seconds, memory, f"bnnc compile failed: {run.failure()}"
        seconds.append(run.seconds)
        memory.append(run.max_rss_mb)
    if backend == "both":
        ctx.builds[name] = output
    return seconds, memory, None


def _hls4ml_figure(
    ctx: Context, row: dict, notes: list[str], name: str, times: list[float], failure: str | None
) -> None:
    if not times:
        notes.append(f"hls4ml: {failure}")
        return
    row["hls4ml → HLS C++"] = median(times)
    ctx.record("compile", name, hls4ml_s=median(times))
    if "bnnc → HLS C++" in row:
        row["hls4ml / bnnc"] = median(times) / row["bnnc → HLS C++"]


def run(ctx: Context) -> list[Table]:
    table = Table(
        "Compile time, whole process (s, median of runs)",
        [
            "model",
            "bnnc → HLS C++",
            "bnnc → RTL",
            "bnnc → build dir",
            "bnnc peak MB",
            "hls4ml → HLS C++",
            "hls4ml / bnnc",
            "runs",
            "note",
        ],
    )
    hls4ml_missing = hls4ml_peer.missing()
    for name in MODELS:
        row: dict = {"model": name, "runs": ctx.repeats}
        notes = []
        for backend in BACKENDS:
            if name == "LFC" and backend != "both":
                continue  # LFC is here for its memory target only
            seconds, memory, failure = bnnc_compile(ctx, name, backend)
            if failure:
                notes.append(f"{backend}: {failure}")
                continue
            column = {"hls": "bnnc → HLS C++", "rtl": "bnnc → RTL", "both": "bnnc → build dir"}[
                backend
            ]
            row[column] = median(seconds)
            ctx.record("compile", name, **{f"bnnc_{backend}_s": median(seconds)})
            if backend == "both":
                row["bnnc peak MB"] = max(memory)
                ctx.record("compile", name, peak_mb=max(memory))
        if name not in HLS4ML_MODELS:
            notes.append("hls4ml: not compared (the issue's set is TFC, SFC, CNV)")
        elif hls4ml_missing:
            notes.append(f"hls4ml: {hls4ml_missing}")
        elif ctx.quick and name in HLS4ML_SINGLE_RUN:
            notes.append("hls4ml: skipped in --quick (minutes)")
        elif name in HLS4ML_SINGLE_RUN:
            # One process converts, writes, compiles and predicts (the throughput section's
            # row); its time from start to the end of write() is the whole-process figure.
            x = batch(ctx.shared, name, hls4ml_peer.IMAGES[name])
            result = hls4ml_peer.predict(
                name, model_path(ctx.shared, name), x, hls4ml_peer.TIMEOUT[name]
            )
            ctx.peer_runs["hls4ml", name] = result
            row["runs"] = f"{ctx.repeats} (hls4ml 1)"
            times = [result.write_s] if result.write_s else []
            _hls4ml_figure(ctx, row, notes, name, times, result.failure)
        else:
            times, failure = hls4ml_peer.write_times(
                name, model_path(ctx.shared, name), ctx.repeats, HLS4ML_TIMEOUT
            )
            _hls4ml_figure(ctx, row, notes, name, times, failure)
        row["note"] = "; ".join(notes) or None
        table.add(**row)
        print(f"  compile: {name} done", flush=True)
    table.notes.append(
        "bnnc compile at its default folding (max, ZC706, 200 MHz); hls4ml 1.3.0, "
        "Vitis backend, ap_fixed<16,6>, io_parallel (CNV: io_stream, Resource)."
    )
    return [table]
