"""The HLS top's input framing and output TLAST, under g++: a truncated frame (TLAST two words
into it) followed by good frames gives the good frames' outputs, and the output's TLAST is on the
last word of the call only. A test main calls the top with the words and TLAST bits of a file."""

from __future__ import annotations

import subprocess

import numpy as np
from bnnc.backends.hls_cpp.project import write_project
from rtl_cases import graph_of, prepare, random_frames
from test_rtl_engines import CASES
from xdsl.dialects.builtin import ModuleOp

from bnnc.dialects import bnn
from bnnc.runtime.interpreters.df import run_graph
from bnnc.semantics.packing import axi_words_per_frame, from_axi_words, to_axi_words
from bnnc.passes.lower_dataflow_to_hls import lower_graph
from bnnc.runtime.simulators import csim

MAIN = r"""
#include <cstdio>
#include "top.cpp"

// test INPUT FRAMES: INPUT holds lines `hex-word tlast`; prints `hex-word tlast` an output word.
int main(int argc, char **argv) {
  std::FILE *input = std::fopen(argv[1], "r");
  hls::stream<bnnc::axi_word> in("in"), out("out");
  unsigned long long data;
  int last;
  while (std::fscanf(input, "%llx %d", &data, &last) == 2) {
    bnnc::axi_word word;
    word.data = data;
    word.keep = -1;
    word.strb = -1;
    word.user = 0;
    word.id = 0;
    word.dest = 0;
    word.last = last;
    in.write(word);
  }
  TOP(in, out, (unsigned)std::atoi(argv[2]));
  while (!out.empty()) {
    const bnnc::axi_word word = out.read();
    std::printf("%016llx %d\n", (unsigned long long)word.data.to_uint64(), (int)word.last);
  }
  return in.empty() ? 0 : 3;
}
"""


def test_a_truncated_frame_then_good_frames_under_the_c_simulation(tmp_path):
    module = prepare(CASES["conv-pad-1-stride2-mmv9-across-rows"](np.random.default_rng(3)))
    graph = graph_of(module)
    top = lower_graph(graph.clone())
    write_project(ModuleOp([top]), tmp_path)
    (tmp_path / "main.cpp").write_text(MAIN.replace("TOP", top.sym_name.data))
    sources = ["main.cpp", *sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "params").glob("*.cpp"))]
    subprocess.run(["g++", "-std=c++14", "-O1", "-isystem", str(csim.ap_types_dir()), "-I", str(tmp_path),
                    *sources, "-o", "test"], cwd=tmp_path, check=True, capture_output=True, text=True)

    in_port, out_port = top.port("in"), top.port("out")
    in_bits, out_bits = bnn.bit_width(in_port.element), bnn.bit_width(out_port.element)
    frames = random_frames(module, 4, np.random.default_rng(5))
    words = to_axi_words(frames, in_bits)
    assert words.shape[1] >= 3
    beats = [(int(w), i == 1) for i, w in enumerate(words[0][:2])]  # frame 0 cut after two words
    good = words[1:].reshape(-1)
    beats += [(int(w), i + 1 == good.size) for i, w in enumerate(good)]
    (tmp_path / "input.txt").write_text("".join(f"{w:x} {int(t)}\n" for w, t in beats))
    result = subprocess.run(["./test", "input.txt", "4"], cwd=tmp_path, check=True, capture_output=True, text=True)

    lines = [line.split() for line in result.stdout.splitlines()]
    elements = out_port.elements.value.data
    per_frame = axi_words_per_frame(elements, out_bits)
    assert len(lines) == 4 * per_frame
    assert [int(t) for _, t in lines] == [0] * (len(lines) - 1) + [1]  # TLAST once, at the call's end
    signed = not bnn.is_bipolar(out_port.element) and bnn.integer_range(out_port.element)[0] < 0
    out = np.array([int(w, 16) for w, _ in lines], dtype=np.uint64).reshape(4, per_frame)
    values = from_axi_words(out, elements, out_bits, signed)
    np.testing.assert_array_equal(values[1:], run_graph(graph, frames[1:]))
