"""Every Verilog library engine against the stream-level executor (`bnnc.runtime.interpreters.df`).

Each case is a small graph of one engine (with the width converters and FIFOs a compile would
add) on random weights, thresholds and frames; the RTL must give exactly `run_graph`'s words.
By default the cases run on Icarus (a build takes a fraction of a second); `-m slow` runs them
on Verilator too.
"""

import numpy as np
import pytest
from rtl_cases import (depthwise_swu_line, graph, graph_of, mvtu_line, prepare, random_frames, stream, swu_line,
                       vvtu_line)

from bnnc.runtime.interpreters.df import run_graph
from bnnc.runtime.simulators.rtlsim import run_rtlsim

B = "!bnn.bipolar"


def fc_popcount_thresholds(rng):
    return graph((16,), stream(1, B, 16), [mvtu_line(rng, 16, 8, 2, 4, B, B, popcount=True, thresholds_range=(4, 12))], (8,))


def fc_popcount_accumulators(rng):
    return graph((12,), stream(4, B, 3), [mvtu_line(rng, 12, 6, 3, 2, B, "ui4", popcount=True)], (6,))


def fc_unfolded(rng):  # PE = MH, SIMD = MW: one tile a vector
    return graph((8,), stream(8, B, 1), [mvtu_line(rng, 8, 4, 4, 8, B, B, popcount=True, thresholds_range=(2, 6))], (4,))


def fc_int_input_bipolar_weights(rng):  # a first layer: si8 pixels, multi-threshold si2 outputs
    line = mvtu_line(rng, 12, 6, 2, 3, "si8", "si2", steps=3, offset=-2, thresholds_range=(-300, 300))
    return graph((12,), stream(3, "si8", 4), [line], (6,))


def fc_nbit_weights(rng):  # ui3 x si3 products, accumulators out
    return graph((10,), stream(5, "ui3", 2), [mvtu_line(rng, 10, 4, 2, 5, "ui3", "si10", w_bits=3)], (4,))


def fc_dsp_products(rng):  # si14 x si14: products wide enough for DSP48E1s (cost_model.mvtu_uses_dsp)
    return graph((6,), stream(3, "si14", 2), [mvtu_line(rng, 6, 4, 2, 3, "si14", "si32", w_bits=14)], (4,))


def fc_nbit_shared_thresholds(rng):  # si4 x si2, one shared set of 3 thresholds, ui2 out
    line = mvtu_line(rng, 8, 6, 3, 4, "si4", "ui2", w_bits=2, steps=3, thresholds_range=(-20, 20), shared=True)
    return graph((8,), stream(4, "si4", 2), [line], (6,))


def conv_mmv(rng):  # sliding window (MMV 2) into an MVTU of MMV 2, regrouped to one pixel a word
    swu, (oh, ow) = swu_line(4, 2, (4, 4), (3, 3), mmv=2)
    mvtu = mvtu_line(rng, 36, 6, 3, 2, B, B, mmv=2, vectors=oh * ow, popcount=True, thresholds_range=(10, 26))
    return graph((4, 4, 4), stream(2, B, 32), [swu, mvtu], (oh, ow, 6), pixels=oh * ow)


def conv_padding_stride(rng):  # +1 padding, stride 2, MMV 3 (3 | OW = 3), regrouped
    swu, (oh, ow) = swu_line(2, 1, (6, 6), (3, 3), strides=(2, 2), pads=(1, 1, 1, 1), pad_value=1, mmv=3)
    mvtu = mvtu_line(rng, 18, 4, 2, 1, B, B, mmv=3, vectors=oh * ow, popcount=True, thresholds_range=(5, 13))
    return graph((6, 6, 2), stream(1, B, 72), [swu, mvtu], (oh, ow, 4), pixels=oh * ow)


def swu_int_padding(rng):  # si4 pixels padded with -3, asymmetric pads, strides (1, 2)
    swu, (oh, ow) = swu_line(3, 3, (5, 4), (2, 3), strides=(1, 2), pads=(1, 0, 2, 1), pad_value=-3, element="si4")
    return graph((5, 4, 3), stream(3, "si4", 20), [swu], (oh * ow * 6 * 3,))


def swu_negative_padding_mmv(rng):  # -1 padding of bipolar data, asymmetric, MMV 2, regrouped back
    swu, (oh, ow) = swu_line(2, 2, (3, 6), (2, 2), pads=(0, 1, 1, 0), pad_value=-1, mmv=2)
    return graph((3, 6, 2), stream(2, B, 18), [swu], (oh * ow * 8,), pixels=oh * ow)


def swu_mmv_across_rows(rng):  # MMV 2 does not divide OW = 3: words span two output rows
    swu, (oh, ow) = swu_line(2, 1, (6, 5), (3, 3), mmv=2)
    return graph((6, 5, 2), stream(1, B, 60), [swu], (oh * ow * 18,), pixels=oh * ow)


def swu_mmv_spans_three_rows(rng):  # MMV 5 over OW = 2, si3 data: a word spans three rows
    swu, (oh, ow) = swu_line(3, 3, (7, 4), (3, 3), mmv=5, element="si3")
    return graph((7, 4, 3), stream(3, "si3", 28), [swu], (oh * ow * 27,), pixels=oh * ow)


def conv_mmv_across_rows(rng):  # +1 padding, stride 2, MMV 9 over OW = 3 (three rows), into an MVTU of MMV 9
    swu, (oh, ow) = swu_line(2, 2, (12, 6), (3, 3), strides=(2, 2), pads=(1, 1, 1, 1), pad_value=-1, mmv=9)
    mvtu = mvtu_line(rng, 18, 4, 2, 2, B, B, mmv=9, vectors=oh * ow, popcount=True, thresholds_range=(5, 13))
    return graph((12, 6, 2), stream(2, B, 72), [swu, mvtu], (oh, ow, 4), pixels=oh * ow)


def conv_mmv2_odd_width(rng):  # 2x2 kernel, OW = 3, MMV 2, into an MVTU of MMV 2
    swu, (oh, ow) = swu_line(4, 2, (5, 4), (2, 2), mmv=2)
    mvtu = mvtu_line(rng, 16, 6, 3, 2, B, B, mmv=2, vectors=oh * ow, popcount=True, thresholds_range=(4, 12))
    return graph((5, 4, 4), stream(2, B, 40), [swu, mvtu], (oh, ow, 6), pixels=oh * ow)


def pool(kind: str, c: int, pe: int, ifm: tuple[int, int], kernel: int, stride: int, element: str):
    def build(rng):
        (ih, iw) = ifm
        oh, ow = (ih - kernel) // stride + 1, (iw - kernel) // stride + 1
        props = (f"channels = {c} : i64, ifm = array<i64: {ih}, {iw}>, ofm = array<i64: {oh}, {ow}>, "
                 f"kernel = array<i64: {kernel}, {kernel}>, strides = array<i64: {stride}, {stride}>, pe = {pe} : i64")
        line = f"df.pool %x {{{props}}} : {stream(pe, element, ih * iw * c // pe)} -> {stream(pe, element, oh * ow * c // pe)}"
        return graph((ih, iw, c), stream(pe, element, ih * iw * c // pe), [line], (oh, ow, c))
    return build


def threshold(rng):
    t = np.sort(rng.integers(-100, 100, (6, 3)), axis=1)
    rows = ", ".join("[" + ", ".join(map(str, r)) + "]" for r in t)
    line = (f"df.threshold %x by dense<[{rows}]> : tensor<6x3xi64> {{channels = 6 : i64, pixels = 4 : i64, "
            f"pe = 2 : i64, offset = -2 : i64}} : {stream(2, 'si8', 12)} -> {stream(2, 'si2', 12)}")
    return graph((4, 6), stream(2, "si8", 12), [line], (4, 6))


def threshold_bipolar_out(rng):
    t = rng.integers(0, 30, (4, 1))
    rows = ", ".join(f"[{v[0]}]" for v in t)
    line = (f"df.threshold %x by dense<[{rows}]> : tensor<4x1xi64> {{channels = 4 : i64, pixels = 3 : i64, "
            f"pe = 4 : i64}} : {stream(4, 'ui5', 3)} -> {stream(4, B, 3)}")
    return graph((3, 4), stream(4, "ui5", 3), [line], (3, 4))


def label_select(classes: int, k: int, pe: int, element: str):
    def build(rng):
        line = (f"df.label_select %x {{classes = {classes} : i64, k = {k} : i64, pe = {pe} : i64}} "
                f": {stream(pe, element, classes // pe)} -> {stream(1, 'ui4', k)}")
        return graph((classes,), stream(pe, element, classes // pe), [line], (k,))
    return build


def dwc(lanes_in: int, lanes_out: int, elements: int, element: str = B):
    def build(rng):
        line = f"df.fifo %x : {stream(lanes_out, element, elements // lanes_out)} -> {stream(lanes_out, element, elements // lanes_out)}"
        return graph((elements,), stream(lanes_in, element, elements // lanes_in), [line], (elements,))
    return build


def vvtu_nbit_thresholds(rng):  # depthwise: 6 channels, 3x3, PE 2, SIMD 3, MMV 2, ui4 x si4, ui2 out
    line = vvtu_line(rng, 6, (3, 3), 2, 3, "ui4", "ui2", mmv=2, vectors=4, w_bits=4, steps=3,
                     thresholds_range=(-100, 100))
    return graph((4 * 6 * 9,), stream(6, "ui4", 36), [line], (4 * 6,), pixels=4)


def vvtu_popcount(rng):  # bipolar x bipolar, a whole window a word (SIMD 9 = K), one threshold
    line = vvtu_line(rng, 4, (3, 3), 4, 9, B, B, vectors=3, popcount=True, thresholds_range=(2, 7))
    return graph((3 * 4 * 9,), stream(36, B, 3), [line], (3 * 4,))


def vvtu_signed_accumulators(rng):  # si4 x si3, a 2x2 kernel, PE = SIMD = 1, accumulators out
    line = vvtu_line(rng, 3, (2, 2), 1, 1, "si4", "si9", vectors=2, w_bits=3)
    return graph((2 * 3 * 4,), stream(1, "si4", 24), [line], (2 * 3,))


def swu_depthwise(rng):  # the window's depthwise order: PE 2 channels, SIMD 3 taps, pads 1, stride 2, MMV 2
    line, (oh, ow) = depthwise_swu_line(4, 2, 3, (5, 6), (3, 3), (2, 2), (1, 1, 1, 1), 5, mmv=3)
    return graph((5 * 6 * 4,), stream(2, "ui4", 60), [line], (oh * ow * 9 * 4,), pixels=oh * ow)


def depthwise_layer(rng):  # window unit (depthwise) and VVTU, si4 pixels padded with -2, 2x3 kernel
    line, (oh, ow) = depthwise_swu_line(6, 3, 2, (4, 5), (2, 3), (1, 2), (0, 1, 1, 0), -2, element="si4")
    vvtu = vvtu_line(rng, 6, (2, 3), 3, 2, "si4", "ui2", vectors=oh * ow, w_bits=3, steps=3,
                     thresholds_range=(-40, 40))
    return graph((4 * 5 * 6,), stream(3, "si4", 40), [line, vvtu], (oh * ow * 6,))


CASES = {
    "swu-depthwise-pe2-simd3-mmv3": swu_depthwise,
    "depthwise-layer-si4-2x3": depthwise_layer,
    "vvtu-ui4-si4-mmv2-thresholds": vvtu_nbit_thresholds,
    "vvtu-popcount-whole-window": vvtu_popcount,
    "vvtu-si4-si3-accumulators": vvtu_signed_accumulators,
    "mvtu-popcount-thresholds": fc_popcount_thresholds,
    "mvtu-popcount-accumulators": fc_popcount_accumulators,
    "mvtu-unfolded": fc_unfolded,
    "mvtu-si8-bipolar-weights": fc_int_input_bipolar_weights,
    "mvtu-nbit-weights": fc_nbit_weights,
    "mvtu-nbit-shared-thresholds": fc_nbit_shared_thresholds,
    "mvtu-dsp-products": fc_dsp_products,
    "conv-mmv2": conv_mmv,
    "conv-pad+1-stride2-mmv3": conv_padding_stride,
    "swu-int-padding-strides": swu_int_padding,
    "swu-pad-1-mmv2": swu_negative_padding_mmv,
    "swu-mmv2-across-rows": swu_mmv_across_rows,
    "swu-mmv5-spans-three-rows": swu_mmv_spans_three_rows,
    "conv-pad-1-stride2-mmv9-across-rows": conv_mmv_across_rows,
    "conv-mmv2-odd-width": conv_mmv2_odd_width,
    "pool-bipolar-2x2": pool("bipolar", 4, 2, (4, 6), 2, 2, B),
    "pool-si4-2x2-odd": pool("si4", 3, 3, (5, 5), 2, 2, "si4"),
    "pool-ui3-3x3": pool("ui3", 2, 1, (7, 6), 3, 3, "ui3"),
    "pool-si4-3x3-stride2-overlap": pool("si4", 4, 2, (7, 8), 3, 2, "si4"),
    "pool-bipolar-3x3-stride1-overlap": pool("bipolar", 2, 2, (5, 6), 3, 1, B),
    "pool-ui3-2x2-stride1-overlap": pool("ui3", 3, 1, (4, 5), 2, 1, "ui3"),
    "threshold-si8-si2": threshold,
    "threshold-bipolar-out": threshold_bipolar_out,
    "label-select-top1": label_select(10, 1, 2, "ui7"),
    "label-select-top3-ties": label_select(12, 3, 3, "ui2"),
    "label-select-signed": label_select(10, 4, 5, "si6"),
    "dwc-6-to-4": dwc(6, 4, 24),
    "dwc-4-to-6": dwc(4, 6, 24),
    "dwc-5-to-3-si3": dwc(5, 3, 15, "si3"),
}


def check(case: str, simulator: str, frames: int = 4):
    rng = np.random.default_rng(sum(map(ord, case)))
    module = prepare(CASES[case](rng))
    x = random_frames(module, frames, rng)
    expected = run_graph(graph_of(module), x)
    out, timing = run_rtlsim(module, x, simulator=simulator)
    np.testing.assert_array_equal(out, expected)
    assert timing.interval is not None and timing.interval > 0


@pytest.mark.parametrize("case", CASES)
def test_engine_icarus(case):
    check(case, "icarus")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_engine_verilator(case):
    check(case, "verilator")
