"""The `hls-cpp` target: a Vivado HLS / Vitis HLS project for the `hls.top` of a module.

    bnnc-opt net.mlir -p '...,lower-dataflow-to-hls' -t hls-cpp     (all files, one after another)
    write_project(module, "build/hls")                                 (the files in a directory)

The project: `top.cpp` and `top.h` (the top function), `params/*.h|.cpp` (one ROM each), bnnc's
template library (`bnnc.h`, `bnnc/*.h`), `tb.cpp` (a testbench that streams frames from a file
of AXI words through the top and writes the output words to a file: the C simulation, under
Vivado's csim or g++), and `hls.tcl` (project, part, clock, csim / csynth / IP export).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import IO

from bnnc.backends.hls_cpp.emitter import (
    HEADER,
    emit_header,
    emit_rom,
    emit_top,
    rom_files,
    top_ops,
)
from bnnc.dialects import hls
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from bnnc.errors import BnncError

FILE_MARKER = "// ----- file: {path}"


def library_files() -> dict[str, str]:
    """bnnc's HLS template library, as shipped with the package."""
    root = resources.files("bnnc.backends.hls_cpp") / "library"
    files = {"bnnc.h": (root / "bnnc.h").read_text()}
    for entry in sorted((root / "bnnc").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".h"):
            files[f"bnnc/{entry.name}"] = entry.read_text()
    return files


def emit_testbench(top: hls.TopOp) -> str:
    name = top.sym_name.data
    upper = name.upper()
    return HEADER.format(name=name) + f"""// The C-simulation testbench: tb INPUT OUTPUT [FRAMES_PER_CALL [OUTPUT_TLAST]]
// INPUT holds frames of {upper}_IN_WORDS little-endian 64-bit AXI words; OUTPUT receives their
// {upper}_OUT_WORDS output words each. Each call of the top is one DMA transfer of up to
// FRAMES_PER_CALL frames: TLAST on its last input word, as the DMA's read channel sends it.
// OUTPUT_TLAST, if given, receives one byte an output word: its TLAST. Exits non-zero if the top
// leaves words unread or unwritten, or if TLAST is not on the last word of the call's output.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "top.h"

static int fail(const char *message, const char *detail) {{
  std::fprintf(stderr, "tb: %s%s\\n", message, detail);
  return 1;
}}

int main(int argc, char **argv) {{
  if (argc < 3) return fail("usage: tb INPUT OUTPUT [FRAMES_PER_CALL [OUTPUT_TLAST]]", "");
  const unsigned long per_call = argc > 3 ? std::strtoul(argv[3], 0, 10) : 1024;
  std::FILE *input = std::fopen(argv[1], "rb");
  if (!input) return fail("cannot read ", argv[1]);
  std::vector<unsigned long long> words;
  unsigned long long word;
  while (std::fread(&word, sizeof word, 1, input) == 1) words.push_back(word);
  std::fclose(input);
  if (words.size() % {upper}_IN_WORDS != 0 || per_call == 0)
    return fail("the input is not a whole number of frames: ", argv[1]);
  const unsigned long frames = words.size() / {upper}_IN_WORDS;
  std::vector<unsigned long long> results;
  std::vector<unsigned char> lasts;
  results.reserve(frames * {upper}_OUT_WORDS);
  for (unsigned long first = 0; first < frames; first += per_call) {{
    const unsigned long count = frames - first < per_call ? frames - first : per_call;
    hls::stream<bnnc::axi_word> in("tb_in"), out("tb_out");
    for (unsigned long i = 0; i < count * {upper}_IN_WORDS; i++) {{
      bnnc::axi_word axi;
      axi.data = words[first * {upper}_IN_WORDS + i];
      axi.keep = -1;
      axi.strb = -1;
      axi.user = 0;
      axi.id = 0;
      axi.dest = 0;
      axi.last = i + 1 == count * {upper}_IN_WORDS;
      in.write(axi);
    }}
    {name}(in, out, count);
    for (unsigned long i = 0; i < count * {upper}_OUT_WORDS; i++) {{
      if (out.empty()) return fail("the top wrote too few output words", "");
      const bnnc::axi_word axi = out.read();
      if ((axi.last == 1) != (i + 1 == count * {upper}_OUT_WORDS)) return fail("TLAST is misplaced", "");
      results.push_back(axi.data.to_uint64());
      lasts.push_back(axi.last == 1);
    }}
    if (!out.empty()) return fail("the top wrote too many output words", "");
    if (!in.empty()) return fail("the top left input words unread", "");
  }}
  std::FILE *output = std::fopen(argv[2], "wb");
  if (!output) return fail("cannot write ", argv[2]);
  const bool written = std::fwrite(results.data(), sizeof(unsigned long long), results.size(), output) == results.size();
  if (std::fclose(output) != 0 || !written) return fail("cannot write ", argv[2]);
  if (argc > 4) {{
    std::FILE *flags = std::fopen(argv[4], "wb");
    if (!flags || std::fwrite(lasts.data(), 1, lasts.size(), flags) != lasts.size() || std::fclose(flags) != 0)
      return fail("cannot write ", argv[4]);
  }}
  return 0;
}}
"""


def emit_tcl(top: hls.TopOp, parameter_sources: list[str]) -> str:
    name = top.sym_name.data
    clock_ns = 1000.0 / top.clock_mhz.value.data
    sources = " ".join(parameter_sources)
    return f"""# Generated by bnnc from hls.top @{name}: the HLS project of the accelerator.
#
#   vivado_hls -f hls.tcl        (Vivado HLS 2020.1)      vitis_hls -f hls.tcl   (Vitis HLS)
#
# Steps: BNNC_HLS_STEPS, a list of csim, csynth and export (default: csynth export).
# csim streams tb_input.bin (frames of 64-bit AXI words; `bnnc compile` writes a few drawn
# frames, see bnnc/backends/hls_cpp/tb_input.py) through the top into tb_output.bin.

set top {name}
set part {top.part.data}
set clock_ns {clock_ns:.3f}
set steps {{csynth export}}
if {{[info exists ::env(BNNC_HLS_STEPS)]}} {{
    set steps $::env(BNNC_HLS_STEPS)
}}
set here [file dirname [file normalize [info script]]]
# No -std flag: the project is C++98 (a test compiles it with g++ -std=gnu++98), the dialect
# Vivado HLS 2020.1's C simulation (gcc 4.6) and synthesis default to; Vitis HLS accepts it too.
set cflags "-I$here"

open_project -reset ${{top}}_hls
set_top $top
add_files [file join $here top.cpp] -cflags $cflags
foreach source {{{sources}}} {{
    add_files [file join $here $source] -cflags $cflags
}}
add_files -tb [file join $here tb.cpp] -cflags $cflags
open_solution -reset solution1
set_part $part
create_clock -period $clock_ns -name default

if {{[lsearch -exact $steps csim] >= 0}} {{
    set input [file join $here tb_input.bin]
    if {{![file exists $input]}} {{
        puts "error: csim needs $input (frames of 64-bit AXI words: `bnnc compile` writes one, bnnc.semantics.packing.to_axi_words packs your own)"
        exit 1
    }}
    csim_design -argv "$input [file join $here tb_output.bin]"
}}
if {{[lsearch -exact $steps csynth] >= 0}} {{
    csynth_design
}}
if {{[lsearch -exact $steps export] >= 0}} {{
    export_design -format ip_catalog -vendor bnnc.org -library bnnc -version 1.0 -display_name "bnnc $top"
}}
exit
"""


def project_files(module: ModuleOp) -> dict[str, str]:
    """Every file of the HLS project, by path relative to the project directory."""
    tops = top_ops(module)
    if len(tops) > 1:
        raise BnncError("hls-cpp: the module has more than one hls.top; a project holds one accelerator")
    top = tops[0]
    files: dict[str, str] = {"top.h": emit_header(top), "top.cpp": emit_top(top)}
    for rom in top.body.block.ops:
        if isinstance(rom, hls.RomOp):
            header, source = rom_files(rom)
            files[header], files[source] = emit_rom(rom, top.sym_name.data)
    files["tb.cpp"] = emit_testbench(top)
    library = library_files()
    files["hls.tcl"] = emit_tcl(top, sorted(p for p in files if p.startswith("params/") and p.endswith(".cpp")))
    files.update(library)
    return files


def write_project(module: ModuleOp, directory: str | Path) -> dict[str, str]:
    """Write the project into `directory` (created if needed); returns the files written."""
    files = project_files(module)
    root = Path(directory)
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return files


@dataclass(frozen=True)
class HlsCppTarget(Target):
    """Print every file of the HLS project, each after a `// ----- file: PATH` line.

    `library=false` leaves out the template library, which is the same for every model.
    """

    name = "hls-cpp"
    library: bool = True

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        files = project_files(module)
        shipped = library_files() if not self.library else {}
        for path, text in files.items():
            if path in shipped:
                continue
            output.write(FILE_MARKER.format(path=path) + "\n")
            output.write(text)
