"""Simulation throughput (images/s) and the peers' correctness on the same inputs.

Per model, on one batch: onnxruntime on the original model (bnnc's reference engine, whose
scores are the reference), bnnc's `bnn` executor (the imported module, as `bnnc run --engine
bnn`, and after `bnn-streamline`), bnnc's C simulation and Verilator RTL simulation of the
build `compile_times` kept (the max design), hls4ml's compiled `predict()`, Larq Compute Engine
and the numpy references. Rates are the best of repeated runs after a warm-up, excluding
one-time builds, which have their own column; csim and rtlsim build from an empty cache. The
agreement is the share of images whose top-1 class is a top-1 class of the reference.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import round_networks
from common import BNNC, Table, best_rate, run_process, top1_agreement
from compile_times import BNNC_TIMEOUT
from context import Context
from inputs import batch, model_path
from peers import hls4ml_peer, lce_peer
from peers.binary_layers import UnsupportedModel, read_binary_model
from peers.numpy_bnn import NumpyBnn

MODELS = ("TFC", "SFC", "LFC", "CNV")
IMAGES = {"TFC": 10_000, "SFC": 10_000, "LFC": 2_000, "CNV": 100}
QUICK_IMAGES = {"TFC": 2_000, "SFC": 2_000, "LFC": 500, "CNV": 20}
CSIM_IMAGES = {"TFC": 10_000, "SFC": 10_000, "LFC": 1_000, "CNV": 20}
RTLSIM_IMAGES = {"TFC": 1_000, "CNV": 4}  # the rtlsim targets; LFC/SFC builds are long
AMORTISED_OVER = 1_000  # rtlsim rate with its build spread over this many images
HLS4ML_MODELS = {"TFC", "SFC", "CNV"}
SKIPPED_IN_QUICK = {"CNV"}  # its hls4ml and Verilator builds take minutes
LCE_TIMEOUT = 900

COLUMNS = ["model", "engine", "images", "images/s", "build s", "top-1 agreement %", "note"]


def percent_agreeing(scores: np.ndarray, reference: np.ndarray) -> float:
    return 100 * top1_agreement(scores, reference)


@contextmanager
def _fresh_cache():
    """An empty BNNC_CACHE_DIR for the block, so csim/rtlsim builds are timed from scratch."""
    old = os.environ.get("BNNC_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="bnnc-cache-") as tmp:
        os.environ["BNNC_CACHE_DIR"] = tmp
        try:
            yield
        finally:
            if old is None:
                os.environ.pop("BNNC_CACHE_DIR", None)
            else:
                os.environ["BNNC_CACHE_DIR"] = old


def _bnnc_rows(ctx: Context, name: str, x: np.ndarray, reference: np.ndarray, table: Table) -> None:
    import bnnc
    from bnnc.runtime.interpreters.bnn import BnnExecutor

    path = model_path(ctx.shared, name)
    for label, passes in (
        ("bnnc bnn executor", None),
        ("bnnc bnn executor, streamlined", "bnn-streamline"),
    ):
        module = bnnc.import_onnx(path)
        if passes:
            module = bnnc.PassManager(passes, keep=False).run(module)
        executor = BnnExecutor(module)
        rate = best_rate(len(x), lambda e=executor: e.run(x))
        agreement = percent_agreeing(executor.run(x), reference)
        table.add(
            model=name,
            engine=label,
            images=len(x),
            **{"images/s": rate, "top-1 agreement %": agreement},
        )
        ctx.record(
            "throughput", name, **{("bnn" if passes is None else "bnn_streamlined") + "_rate": rate}
        )
    _csim_row(ctx, name, x, reference, table)
    if name in RTLSIM_IMAGES and ctx.quick and name in SKIPPED_IN_QUICK:
        table.add(model=name, engine="bnnc rtlsim (Verilator)", note="skipped in --quick (minutes)")
    elif name in RTLSIM_IMAGES:
        _rtlsim_row(ctx, name, x, reference, table)


def _build(ctx: Context, name: str) -> Path | None:
    """The max build the compile section kept, or, when it did not run (`--sections
    throughput`), one `bnnc compile` of the model (None if it fails)."""
    if name not in ctx.builds:
        output = ctx.work / "builds" / name
        run = run_process([BNNC, "compile", str(model_path(ctx.shared, name)), "-o", str(output),
                           "--force"], BNNC_TIMEOUT)
        if run.ok:
            ctx.builds[name] = output
    return ctx.builds.get(name)


def _csim_row(ctx: Context, name: str, x: np.ndarray, reference: np.ndarray, table: Table) -> None:
    from bnnc.driver.compiler import load_build
    from bnnc.runtime.interpreters.bnn import BnnExecutor

    build = _build(ctx, name)
    if build is None:
        table.add(model=name, engine="bnnc csim (g++)", note="no build (bnnc compile failed)")
        return
    n = CSIM_IMAGES[name] if not ctx.quick else min(CSIM_IMAGES[name], QUICK_IMAGES[name])
    xs = x[:n]
    with _fresh_cache():
        executor = BnnExecutor(load_build(build, "csim"))
        scores = executor.run(xs)  # compiles the C++ (empty cache), then runs
        compile_s = executor.hls.compile_seconds
        start = time.perf_counter()
        executor.run(xs)
        rate = n / (time.perf_counter() - start)
    table.add(
        model=name,
        engine="bnnc csim (g++)",
        images=n,
        **{
            "images/s": rate,
            "build s": compile_s,
            "top-1 agreement %": percent_agreeing(scores, reference),
        },
    )
    ctx.record("throughput", name, csim_rate=rate, csim_compile_s=compile_s)


def _rtlsim_row(
    ctx: Context, name: str, x: np.ndarray, reference: np.ndarray, table: Table
) -> None:
    from bnnc.driver.compiler import load_build
    from bnnc.runtime.interpreters.bnn import BnnExecutor

    build = _build(ctx, name)
    if build is None:
        table.add(
            model=name, engine="bnnc rtlsim (Verilator)", note="no build (bnnc compile failed)"
        )
        return
    n = RTLSIM_IMAGES[name] if not ctx.quick else max(1, RTLSIM_IMAGES[name] // 5)
    xs = x[:n]
    with _fresh_cache():
        executor = BnnExecutor(load_build(build, "rtlsim"), rtl_simulator="verilator")
        start = time.perf_counter()
        scores = executor.run(xs)  # builds the simulation (empty cache), then runs
        first = time.perf_counter() - start
        start = time.perf_counter()
        executor.run(xs)
        second = time.perf_counter() - start
    build_s, per_image = max(first - second, 0.0), second / n
    amortised = AMORTISED_OVER / (build_s + AMORTISED_OVER * per_image)
    table.add(
        model=name,
        engine="bnnc rtlsim (Verilator)",
        images=n,
        **{
            "images/s": 1 / per_image,
            "build s": build_s,
            "top-1 agreement %": percent_agreeing(scores, reference),
            "note": f"{amortised:,.1f} images/s with the build amortised over "
            f"{AMORTISED_OVER:,} images",
        },
    )
    ctx.record(
        "throughput",
        name,
        rtlsim_rate=1 / per_image,
        rtlsim_build_s=build_s,
        rtlsim_amortised=amortised,
    )


def run(ctx: Context) -> list[Table]:
    table = Table("Simulation throughput and top-1 agreement with onnxruntime", COLUMNS)
    sizes = QUICK_IMAGES if ctx.quick else IMAGES
    batches, references, binary_models = {}, {}, {}
    from bnnc.runtime.reference import ReferenceSession

    for name in MODELS:
        x = batch(ctx.shared, name, sizes[name])
        session = ReferenceSession(model_path(ctx.shared, name))
        references[name] = np.asarray(session.run(x)).reshape(len(x), -1)
        batches[name] = x
        onnx_rate = best_rate(len(x), lambda s=session, x=x: s.run(x))
        table.add(
            model=name,
            engine="onnxruntime (original model)",
            images=len(x),
            **{
                "images/s": onnx_rate,
                "top-1 agreement %": 100.0,
                "note": "the reference",
            },
        )
        ctx.record("throughput", name, onnx_rate=onnx_rate)
        _bnnc_rows(ctx, name, x, references[name], table)
        try:
            binary_models[name] = read_binary_model(model_path(ctx.shared, name))
        except UnsupportedModel as error:
            table.add(
                model=name, engine="numpy", note=f"the reader does not support the model: {error}"
            )
        else:
            for mode, label in (
                ("packed", "numpy bit-packed (bitwise_count)"),
                ("matmul", "numpy ±1 float BLAS"),
            ):
                ref = NumpyBnn(binary_models[name], mode)
                rate = best_rate(len(x), lambda r=ref, x=x: r.run(x))
                table.add(
                    model=name,
                    engine=label,
                    images=len(x),
                    **{
                        "images/s": rate,
                        "top-1 agreement %": percent_agreeing(ref.run(x), references[name]),
                    },
                )
                ctx.record("throughput", name, **{f"numpy_{mode}_rate": rate})
        print(f"  throughput: {name} bnnc and numpy done", flush=True)

    lce = lce_peer.run({n: (m, batches[n]) for n, m in binary_models.items()}, LCE_TIMEOUT)
    for name, result in lce.items():
        if result.failure:
            table.add(model=name, engine="Larq Compute Engine", note=f"not run: {result.failure}")
            continue
        info = result.info
        table.add(
            model=name,
            engine="Larq Compute Engine",
            images=info["images"],
            **{
                "images/s": result.images_per_s,
                "build s": result.convert_s,
                "top-1 agreement %": percent_agreeing(result.scores, references[name]),
                "note": f"batch {info['batch']}, {info['threads']} threads, "
                f"{info['binary_convs']} of "
                f"{info['layers']} layers as LceBconv2d",
            },
        )
        ctx.record("throughput", name, lce_rate=result.images_per_s)
    print("  throughput: LCE done", flush=True)

    reason = hls4ml_peer.missing()
    for name in MODELS:
        if name not in HLS4ML_MODELS:
            continue
        if reason:
            table.add(model=name, engine="hls4ml predict()", note=f"not run: {reason}")
            continue
        if ctx.quick and name in SKIPPED_IN_QUICK:
            table.add(model=name, engine="hls4ml predict()", note="skipped in --quick (minutes)")
            continue
        images = (hls4ml_peer.QUICK_IMAGES if ctx.quick else hls4ml_peer.IMAGES)[name]
        x = batches[name][:images]
        result = ctx.peer_runs.get(("hls4ml", name)) or hls4ml_peer.predict(
            name, model_path(ctx.shared, name), x, hls4ml_peer.TIMEOUT[name]
        )
        if result.failure:
            table.add(model=name, engine="hls4ml predict()", note=f"not run: {result.failure}")
            continue
        table.add(
            model=name,
            engine="hls4ml predict()",
            images=len(x),
            **{
                "images/s": result.images_per_s,
                "build s": result.compile_s,
                "top-1 agreement %": percent_agreeing(result.scores, references[name]),
                "note": "; ".join(f"hls4ml warns: {w}" for w in result.warnings) or None,
            },
        )
        print(f"  throughput: hls4ml {name} done", flush=True)
    table.rows.sort(key=lambda row: MODELS.index(row["model"]))
    table.notes += [
        (
            "build s: csim = g++ of the generated C++, rtlsim = Verilator build, hls4ml = its "
            "compile(), "
            "LCE = Keras model build + LCE conversion; each from an empty cache."
        ),
        (
            "CNV inputs: the 20 CIFAR-10 samples in ../shared, then uniform random images "
            "(random weights: agreement only)."
        ),
    ]
    return [table, *round_networks.run(ctx)]
