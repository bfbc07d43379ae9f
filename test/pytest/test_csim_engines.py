"""Every template of the HLS library against the `df` executor, on small hand-made graphs.

Each graph chains a few engines in configurations the shipped networks do not reach (integer
windows with padding and strides, MMV groups that cross output rows, n-bit weights, standalone
thresholds with an offset, width converters whose widths do not divide, label select with ties),
is lowered to `hls`, compiled with g++ and run on random frames; the words must equal those of
the `df` executor (`bnnc.runtime.interpreters.df.run_graph`), which defines the streams. Also the ROM
images the C simulation links instead of compiling the ROM sources (`rom_image.py`).
"""

import subprocess

import numpy as np
import pytest
from bnnc.backends.hls_cpp import rom_image
from bnnc.backends.hls_cpp.emitter import HEADER, rom_definition
from bnnc.backends.hls_cpp.project import project_files
from bnnc.dialects import df
from bnnc.passes.lower_dataflow_to_hls import lower_graph
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, IntegerType, ModuleOp, TensorType, i64
from xdsl.parser import Parser

from bnnc.runtime.interpreters import df as df_executor
from bnnc.driver.ir import make_context
from bnnc.semantics.packing import pack_rows
from bnnc.runtime.simulators import csim

FRAMES = 24


def weights(rng, rows: int, cols: int, bits: int) -> str:
    """Random packed weights as MLIR text: bipolar bits (bits = 1) or signed n-bit codes."""
    codes = rng.integers(0, 1 << bits, size=(rows, cols))
    return str(pack_rows(codes, bits))


def thresholds(rng, channels: int, steps: int, lo: int, hi: int) -> str:
    values = np.sort(rng.integers(lo, hi + 1, size=(channels, steps)), axis=1)
    attr = DenseIntOrFPElementsAttr.from_list(TensorType(i64, (channels, steps)), values.reshape(-1).tolist())
    return str(attr)


def window_pool_int8(rng) -> str:
    """si8 image → 3x2 window, stride 2x1, pads (1, 0, 1, 1) of −3, MMV 3 across rows →
    MVTU si8 × ±1 with 3 thresholds (ui2) → multi-pixel converter → integer max-pool 2x2 / 1x2."""
    return f"""
df.graph @accelerator {{
  %0 = df.input {{shape = array<i64: 5, 5, 4>}} : !df.stream<2xsi8, 50>
  %1 = df.swu %0 {{channels = 4 : i64, ifm = array<i64: 5, 5>, ofm = array<i64: 3, 5>, kernel = array<i64: 3, 2>, strides = array<i64: 2, 1>, pads = array<i64: 1, 0, 1, 1>, pad_value = -3 : i64, simd = 2 : i64, mmv = 3 : i64}} : !df.stream<2xsi8, 50> -> !df.stream<6xsi8, 60, mmv = 3>
  %2 = df.fifo %1 {{depth = 4 : i64}} : !df.stream<6xsi8, 60, mmv = 3> -> !df.stream<6xsi8, 60, mmv = 3>
  %3 = df.mvtu %2 weights<!bnn.bipolar> {weights(rng, 6, 24, 1)} {{mw = 24 : i64, mh = 6 : i64, pe = 3 : i64, simd = 2 : i64, mmv = 3 : i64, vectors = 15 : i64, thresholds = {thresholds(rng, 6, 3, -300, 300)}, layer = "conv0"}} : !df.stream<6xsi8, 60, mmv = 3> -> !df.stream<9xui2, 10, mmv = 3>
  %4 = df.dwc %3 {{pixels = 15 : i64}} : !df.stream<9xui2, 10, mmv = 3> -> !df.stream<2xui2, 45>
  %5 = df.pool %4 {{channels = 6 : i64, ifm = array<i64: 3, 5>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 1, 2>, pe = 2 : i64, layer = "pool0"}} : !df.stream<2xui2, 45> -> !df.stream<2xui2, 12>
  df.output %5 {{shape = array<i64: 2, 2, 6>}} : !df.stream<2xui2, 12>
}}"""


def nbit_mlp(rng) -> str:
    """ui2 → MVTU ui2 × si2 weights, accumulators out (mvtu_acc) → converter 2 → 4 lanes →
    standalone 3-step threshold with offset −1 (si3) → converter 4 → 6 lanes (widths that do
    not divide) → top-3 label select of 12 small scores (many ties)."""
    return f"""
df.graph @accelerator {{
  %0 = df.input {{shape = array<i64: 16>}} : !df.stream<4xui2, 4>
  %1 = df.mvtu %0 weights<si2> {weights(rng, 12, 16, 2)} {{mw = 16 : i64, mh = 12 : i64, pe = 2 : i64, simd = 4 : i64, layer = "fc0"}} : !df.stream<4xui2, 4> -> !df.stream<2xsi8, 6>
  %2 = df.dwc %1 : !df.stream<2xsi8, 6> -> !df.stream<4xsi8, 3>
  %3 = df.threshold %2 by {thresholds(rng, 12, 3, -20, 20)} {{channels = 12 : i64, pe = 4 : i64, offset = -1 : i64, layer = "act0"}} : !df.stream<4xsi8, 3> -> !df.stream<4xsi3, 3>
  %4 = df.dwc %3 : !df.stream<4xsi3, 3> -> !df.stream<6xsi3, 2>
  %5 = df.label_select %4 {{classes = 12 : i64, k = 3 : i64, pe = 6 : i64, layer = "top3"}} : !df.stream<6xsi3, 2> -> !df.stream<1xui4, 3>
  df.output %5 {{shape = array<i64: 3>}} : !df.stream<1xui4, 3>
}}"""


def xnor_window(rng) -> str:
    """Bipolar image, 3x3 window padded with −1, MMV 4 → XNOR-popcount MVTU, weights wider
    than 64 bits a row → converter from 4 pixels a word → OR-pool 2x2 → a wide output word."""
    return f"""
df.graph @accelerator {{
  %0 = df.input {{shape = array<i64: 4, 4, 8>}} : !df.stream<4x!bnn.bipolar, 32>
  %1 = df.swu %0 {{channels = 8 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 4, 4>, kernel = array<i64: 3, 3>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, pad_value = -1 : i64, simd = 4 : i64, mmv = 4 : i64}} : !df.stream<4x!bnn.bipolar, 32> -> !df.stream<16x!bnn.bipolar, 72, mmv = 4>
  %2 = df.mvtu %1 weights<!bnn.bipolar> {weights(rng, 8, 72, 1)} {{mw = 72 : i64, mh = 8 : i64, pe = 4 : i64, simd = 4 : i64, mmv = 4 : i64, vectors = 16 : i64, popcount, thresholds = {thresholds(rng, 8, 1, 28, 44)}, layer = "conv0"}} : !df.stream<16x!bnn.bipolar, 72, mmv = 4> -> !df.stream<16x!bnn.bipolar, 8, mmv = 4>
  %3 = df.dwc %2 {{pixels = 16 : i64}} : !df.stream<16x!bnn.bipolar, 8, mmv = 4> -> !df.stream<8x!bnn.bipolar, 16>
  %4 = df.pool %3 {{channels = 8 : i64, ifm = array<i64: 4, 4>, ofm = array<i64: 2, 2>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pe = 8 : i64, layer = "pool0"}} : !df.stream<8x!bnn.bipolar, 16> -> !df.stream<8x!bnn.bipolar, 4>
  %5 = df.dwc %4 : !df.stream<8x!bnn.bipolar, 4> -> !df.stream<32x!bnn.bipolar, 1>
  df.output %5 {{shape = array<i64: 2, 2, 8>}} : !df.stream<32x!bnn.bipolar, 1>
}}"""


def wide_mvtu(rng) -> str:
    """±1 inputs × si3 weights (no popcount), SIMD 36 (a 108-bit weight word), accumulators out."""
    return f"""
df.graph @accelerator {{
  %0 = df.input {{shape = array<i64: 72>}} : !df.stream<36x!bnn.bipolar, 2>
  %1 = df.mvtu %0 weights<si3> {weights(rng, 6, 72, 3)} {{mw = 72 : i64, mh = 6 : i64, pe = 3 : i64, simd = 36 : i64, layer = "fc0"}} : !df.stream<36x!bnn.bipolar, 2> -> !df.stream<3xsi12, 2>
  df.output %1 {{shape = array<i64: 6>}} : !df.stream<3xsi12, 2>
}}"""


CASES = {"window_pool_int8": window_pool_int8, "nbit_mlp": nbit_mlp, "xnor_window": xnor_window, "wide_mvtu": wide_mvtu}


def random_frames(rng, graph: df.GraphOp) -> np.ndarray:
    stream = graph.input_op().output.type
    element = stream.element
    if isinstance(element, IntegerType):
        lo, hi = (-(1 << (element.width.data - 1)), (1 << (element.width.data - 1)) - 1)
        if element.signedness.data.name == "UNSIGNED":
            lo, hi = 0, (1 << element.width.data) - 1
    else:
        lo, hi = 0, 1
    return rng.integers(lo, hi + 1, size=(FRAMES, stream.elements))


@pytest.mark.parametrize("case", sorted(CASES))
def test_template_equals_df_executor(case):
    rng = np.random.default_rng(sorted(CASES).index(case))
    module = Parser(make_context(), CASES[case](rng)).parse_module()
    module.verify()
    graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
    frames = random_frames(rng, graph)
    expected = df_executor.run_graph(graph, frames)
    assert np.array_equal(csim.run_graph(graph, frames), expected)


# ROM images (backends/hls_cpp/rom_image.py): the C simulation links the bytes of each ROM's
# array instead of compiling its source. Each storage size and sign of ap_int, and each literal
# form the emitter prints, against the bytes g++ builds from the same source.
SYNTHETIC_ROMS = {
    "bits": ("ap_uint<1>", (2, 3), ["0x1ULL", "0x0ULL", "0x1ULL", "0x1ULL", "0x0ULL", "0x0ULL"]),
    "thresholds": ("ap_int<11>", (2, 2, 1), ["-1024", "1023", "-1", "0"]),
    "three_bytes": ("ap_int<24>", (3,), ["-8388608", "8388607", "-2"]),
    "five_bytes": ("ap_uint<40>", (2,), ["0xffffffffffULL", "0x1ULL"]),
    "words": ("ap_uint<64>", (2,), ["0xffffffffffffffffULL", "0x8000000000000000ULL"]),
    "signed_word": ("ap_int<64>", (2,), ["-9223372036854775807", "9223372036854775807"]),
    "wide": ("ap_uint<72>", (2,), ['ap_uint<72>("0xff0000000000000001", 16)', 'ap_uint<72>("0x000000000000000000", 16)']),
    "signed_wide": ("ap_int<130>", (2,), [
        'ap_int<130>("0x20000000000000000000000000000000f", 16)',
        'ap_int<130>("0x1ffffffffffffffffffffffffffffffff", 16)',
    ]),
}


def test_rom_images_are_the_bytes_gxx_builds_from_the_sources(tmp_path):
    (tmp_path / "params").mkdir()
    expected, dumps = b"", []
    for name, (ctype, dims, entries) in SYNTHETIC_ROMS.items():
        source = HEADER.format(name="t") + rom_definition(ctype, name, dims, entries)
        image = rom_image.read_rom_source(source)
        assert image is not None and image.name == name and image.dims == dims
        expected += image.data
        (tmp_path / "params" / f"{name}.cpp").write_text(source)
        declaration = f"{ctype} {name}{''.join(f'[{d}]' for d in dims)}"
        (tmp_path / "params" / f"{name}.h").write_text(f"#include <ap_int.h>\nextern const {declaration};\n")
        dumps.append(f"  std::fwrite(&{name}, sizeof {name}, 1, stdout);")
    includes = "".join(f'#include "params/{name}.cpp"\n' for name in SYNTHETIC_ROMS)
    (tmp_path / "dump.cpp").write_text(includes + "#include <cstdio>\nint main() {\n" + "\n".join(dumps) + "\n}\n")
    include = ["-isystem", str(csim.ap_types_dir()), "-I", str(tmp_path)]
    subprocess.run([csim.CXX, "-std=c++14", *include, "dump.cpp", "-o", "dump"], cwd=tmp_path, check=True)
    assert subprocess.run([str(tmp_path / "dump")], capture_output=True, check=True).stdout == expected


def test_a_source_unlike_the_emitters_is_compiled():
    ctype, dims, entries = SYNTHETIC_ROMS["thresholds"]
    source = HEADER.format(name="t") + rom_definition(ctype, "thresholds", dims, entries)
    assert rom_image.read_rom_source(source) is not None
    for edited in (source.replace("-1024", "-1024 + 1"), source.replace("{", "{ ", 1), source + "int x;\n",
                   source.replace("{0}", "{0x0ULL}")):
        assert rom_image.read_rom_source(edited) is None
    # ... and one its header does not declare as it defines it (g++ would reject it)
    assert rom_image.read_rom_source(source, "extern const ap_int<11> thresholds[2][2][1];") is not None
    assert rom_image.read_rom_source(source, "extern const ap_int<12> thresholds[2][2][1];") is None


def test_an_image_unlike_its_source_is_rejected(monkeypatch, tmp_path):
    """The start-up check compares sampled entries (the first always) with ap_int's own; the
    build then compiles the ROM sources instead, and the simulation is right."""
    encode = rom_image.encode

    def wrong(values, width, signed):
        data = bytearray(encode(values, width, signed))
        data[0] ^= 1
        return bytes(data)

    monkeypatch.setattr(rom_image, "encode", wrong)
    monkeypatch.setenv("BNNC_CACHE_DIR", str(tmp_path))  # never cache a binary built so
    rng = np.random.default_rng(0)
    module = Parser(make_context(), nbit_mlp(rng)).parse_module()
    graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
    top = lower_graph(graph.clone())
    binary, log = csim.build(project_files(ModuleOp([top])))
    assert "ROM images rejected" in log and "the image of ROM fc0_weights differs from its source at entry 0" in log
    frames = random_frames(rng, graph)
    assert np.array_equal(csim.run_frames(binary, top, frames), df_executor.run_graph(graph, frames))


# The engine cases of the RTL tests, through the templates (each restructured as one loop a call,
# with state across frames): three frames each. A few by default, every case with -m slow.
ENGINE_CASES = ["conv-pad-1-stride2-mmv9-across-rows", "swu-mmv5-spans-three-rows", "pool-si4-3x3-stride2-overlap",
                "pool-bipolar-2x2", "dwc-5-to-3-si3", "threshold-si8-si2"]


def _engine_case_params():
    from test_rtl_engines import CASES as RTL_CASES

    return [pytest.param(name, marks=() if name in ENGINE_CASES else pytest.mark.slow) for name in sorted(RTL_CASES)]


@pytest.mark.parametrize("name", _engine_case_params())
def test_templates_equal_the_df_executor_on_the_rtl_cases(name):
    from rtl_cases import graph_of, prepare, random_frames
    from test_rtl_engines import CASES as RTL_CASES

    module = prepare(RTL_CASES[name](np.random.default_rng(11)))
    frames = random_frames(module, 3, np.random.default_rng(12))
    graph = graph_of(module)
    np.testing.assert_array_equal(csim.run_graph(graph, frames), df_executor.run_graph(graph, frames))
