"""Yosys elaborates the MVTU in time linear in its trees (docs/rtl.md, "CNV-max: why a window
did not finish"): a popcount tree is written without function calls, and the tree's shape is
read from localparams computed once, not from constant functions called for every pixel and PE.
Yosys 0.23 had taken ~50 min to elaborate CNV-max's conv1 (MMV 14 x PE 32 trees of 64 XNOR
lanes) before any synthesis pass ran. A missing `yosys` fails."""

import resource
import shutil
import subprocess

import pytest

from bnnc.backends.verilog.emitter import LIBRARY


def _elaborate(tmp_path, *, mmv: int, pe: int, simd: int, popcount: bool) -> tuple[str, float]:
    """Elaborate one `bnnc_mvtu` (no synthesis): its RTLIL text and the CPU seconds Yosys took."""
    yosys = shutil.which("yosys")
    assert yosys is not None, "yosys is not installed or not on PATH"
    in_bits, in_kind, kind = (1, 0, 1) if popcount else (8, 2, 0)
    mh, mw = 2 * pe, 3 * simd
    (tmp_path / "w.mem").write_text("\n".join("0" * ((pe * simd + 3) // 4) for _ in range(2 * 3)) + "\n")
    (tmp_path / "t.mem").write_text("\n".join("0" * ((pe * 13 + 3) // 4) for _ in range(2)) + "\n")
    (tmp_path / "top.v").write_text(f"""module top (input wire clk, input wire rst_n,
    input wire [{mmv * simd * in_bits - 1}:0] in_data, input wire in_valid, output wire in_ready,
    output wire [{mmv * pe - 1}:0] out_data, output wire out_valid, input wire out_ready);
    bnnc_mvtu #(.MW({mw}), .MH({mh}), .PE({pe}), .SIMD({simd}), .MMV({mmv}), .IN_BITS({in_bits}),
        .IN_KIND({in_kind}), .POPCOUNT({kind}), .ACC_BITS(13), .STEPS(1), .OUT_BITS(1), .GROUP({8 if popcount else 2}),
        .RADIX(4), .WEIGHT_FILE("w.mem"), .THRESHOLD_FILE("t.mem")) u (
        .clk(clk), .rst_n(rst_n), .in_data(in_data), .in_valid(in_valid), .in_ready(in_ready),
        .out_data(out_data), .out_valid(out_valid), .out_ready(out_ready));
endmodule
""")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([yosys, "-q", "-p", f"read_verilog -defer {LIBRARY / 'bnnc_mvtu.v'} top.v; hierarchy -top top; "
                    "write_rtlil top.il"], cwd=tmp_path, check=True, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return (tmp_path / "top.il").read_text(), seconds


def test_a_popcount_tree_inlines_no_function(tmp_path):
    """Every call of a function in a combinational block is inlined by Yosys with wires of its
    own (`\\lane$func$...`): none in an XNOR tree; the n-bit lanes still go through `lane`."""
    text, _ = _elaborate(tmp_path, mmv=2, pe=4, simd=16, popcount=True)
    assert "bnnc_mvtu" in text and "$func$" not in text
    nbit, _ = _elaborate(tmp_path, mmv=1, pe=2, simd=3, popcount=False)
    assert "\\lane$func$" in nbit


@pytest.mark.slow
def test_cnv_max_conv1_elaborates_in_minutes_not_an_hour(tmp_path):
    """conv1 of CNV-max (PE 32, SIMD 64, MMV 14: 448 trees): ~30 s of CPU now, ~50 min before
    (quadratic in the trees: 22 s at MMV 1, 60 s at 2, 242 s at 4)."""
    _, seconds = _elaborate(tmp_path, mmv=14, pe=32, simd=64, popcount=True)
    assert seconds < 300, seconds
