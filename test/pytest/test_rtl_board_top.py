"""The board's top of the Verilog project (`accelerator.v`, `bnnc_accelerator`) under Icarus:
AXI-lite control as an HLS top's, TLAST once a start, streams closed outside a run, and input
frames re-synchronised on TLAST (a truncated frame, then good frames: the good frames' outputs
are right).

The testbench (below) reads `frames beats`, then one `hex-word tlast` line a beat; it offers the
first beat for 20 cycles before the start (nothing may be taken), writes `frames` (0x10) and
ap_start over AXI-lite, streams the beats back to back, and writes `O hex-word tlast` for each
output word until TLAST, then `R ap_ctrl truncated` read over AXI-lite, or `TIMEOUT`.
"""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from bnnc.backends.verilog.board_top import BOARD_FILE, BOARD_MODULE
from bnnc.backends.verilog.emitter import build_project
from rtl_cases import graph_of, prepare, random_frames
from test_rtl_engines import CASES

from bnnc.runtime.interpreters.df import run_graph
from bnnc.semantics.packing import from_axi_words, to_axi_words

TESTBENCH = r"""
`timescale 1ns / 1ps
module board_tb;
    reg clk = 1'b0, rst_n = 1'b0;
    always #5 clk = ~clk;
    reg [63:0] s_data = 64'd0;
    reg s_valid = 1'b0, s_last = 1'b0;
    wire s_ready, m_valid, m_last;
    wire [63:0] m_data;
    reg [5:0] awaddr = 6'd0, araddr = 6'd0;
    reg awvalid = 1'b0, wvalid = 1'b0, bready = 1'b1, arvalid = 1'b0, rready = 1'b1;
    reg [31:0] wdata = 32'd0;
    wire awready, wready, bvalid, arready, rvalid;
    wire [1:0] bresp, rresp;
    wire [31:0] rdata;
    bnnc_accelerator dut (
        .ap_clk(clk), .ap_rst_n(rst_n),
        .s_axis_tdata(s_data), .s_axis_tvalid(s_valid), .s_axis_tready(s_ready), .s_axis_tlast(s_last),
        .m_axis_tdata(m_data), .m_axis_tvalid(m_valid), .m_axis_tready(1'b1), .m_axis_tlast(m_last),
        .s_axi_control_awaddr(awaddr), .s_axi_control_awvalid(awvalid), .s_axi_control_awready(awready),
        .s_axi_control_wdata(wdata), .s_axi_control_wstrb(4'hf), .s_axi_control_wvalid(wvalid),
        .s_axi_control_wready(wready), .s_axi_control_bresp(bresp), .s_axi_control_bvalid(bvalid),
        .s_axi_control_bready(bready), .s_axi_control_araddr(araddr), .s_axi_control_arvalid(arvalid),
        .s_axi_control_arready(arready), .s_axi_control_rdata(rdata), .s_axi_control_rresp(rresp),
        .s_axi_control_rvalid(rvalid), .s_axi_control_rready(rready)
    );

    task axi_write(input [5:0] address, input [31:0] value);
        begin
            @(negedge clk) begin awaddr = address; wdata = value; awvalid = 1'b1; wvalid = 1'b1; end
            @(posedge clk) while (!(awready && wready)) @(posedge clk);
            @(negedge clk) begin awvalid = 1'b0; wvalid = 1'b0; end
        end
    endtask
    reg [31:0] value;
    task axi_read(input [5:0] address);
        begin
            @(negedge clk) begin araddr = address; arvalid = 1'b1; end
            @(posedge clk) while (!arready) @(posedge clk);
            @(negedge clk) arvalid = 1'b0;
            @(posedge clk) while (!rvalid) @(posedge clk);
            value = rdata;
        end
    endtask

    reg [8*1024-1:0] in_path, out_path;
    integer fin, fout, frames, beats, sent, r, cycles, early, last_flag;
    reg [63:0] words [0:65535];
    reg lasts [0:65535];
    reg [31:0] ctrl;
    reg finished;
    initial begin
        if (!$value$plusargs("input=%s", in_path) || !$value$plusargs("output=%s", out_path)) $finish;
        fin = $fopen(in_path, "r");
        fout = $fopen(out_path, "w");
        r = $fscanf(fin, "%d %d", frames, beats);
        for (sent = 0; sent < beats; sent = sent + 1) begin
            r = $fscanf(fin, "%h %d", words[sent], last_flag);
            lasts[sent] = last_flag;
        end
        repeat (4) @(posedge clk);
        @(negedge clk) begin rst_n = 1'b1; s_data = words[0]; s_last = lasts[0]; s_valid = 1'b1; end
        early = 0;
        repeat (20) @(posedge clk) if (s_ready) early = early + 1;
        $fdisplay(fout, "E %0d", early);
        axi_write(6'h10, frames);
        axi_write(6'h00, 32'd1);
        sent = 0;
        finished = 1'b0;
        cycles = 0;
        while (!finished && cycles < 200000) begin
            @(posedge clk);
            cycles = cycles + 1;
            if (m_valid) begin
                $fdisplay(fout, "O %016h %0d", m_data, m_last);
                if (m_last) finished = 1'b1;
            end
            if (s_valid && s_ready) begin
                sent = sent + 1;
                @(negedge clk) begin
                    if (sent < beats) begin s_data = words[sent]; s_last = lasts[sent]; end
                    else s_valid = 1'b0;
                end
            end
        end
        if (!finished) $fdisplay(fout, "TIMEOUT");
        repeat (4) @(posedge clk);
        axi_read(6'h00);
        ctrl = value;
        axi_read(6'h18);
        $fdisplay(fout, "R %0d %0d", ctrl, value);
        axi_read(6'h00);
        $fdisplay(fout, "R %0d", value);
        $fclose(fout);
        $finish;
    end
endmodule
"""


@pytest.fixture(scope="module")
def board_sim(tmp_path_factory):
    """The compiled testbench around `bnnc_accelerator` of a small design, and the design."""
    module = prepare(CASES["conv-pad-1-stride2-mmv9-across-rows"](np.random.default_rng(3)))
    project = build_project(graph_of(module))
    root = tmp_path_factory.mktemp("board")
    for path, text in project.files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    (root / "board_tb.v").write_text(TESTBENCH)
    library = sorted(str(p.relative_to(root)) for p in root.glob("library/*.v"))
    subprocess.run(["iverilog", "-g2012", "-o", "board.vvp", "-s", "board_tb", "top.v", BOARD_FILE, *library,
                    "board_tb.v"], cwd=root, check=True, capture_output=True, text=True)
    return root, module, project


def simulate(board_sim, frames: int, beats: list[tuple[int, bool]]) -> list[str]:
    root = board_sim[0]
    (root / "input.txt").write_text(f"{frames} {len(beats)}\n" + "".join(f"{w:016x} {int(t)}\n" for w, t in beats))
    subprocess.run(["vvp", "-n", "board.vvp", "+input=input.txt", "+output=output.txt"], cwd=root, check=True,
                   capture_output=True, text=True, timeout=600)
    return (root / "output.txt").read_text().splitlines()


def outputs(lines: list[str], project) -> tuple[np.ndarray, list[int]]:
    words = [line.split() for line in lines if line.startswith("O ")]
    data = np.array([int(w[1], 16) for w in words], dtype=np.uint64)
    per_frame = -(-project.output_elements * project.output_bits // 64)
    values = from_axi_words(data.reshape(-1, per_frame), project.output_elements, project.output_bits,
                            project.output_signed)
    return values, [int(w[2]) for w in words]


def test_a_run_of_frames_gives_one_tlast_and_the_executor_outputs(board_sim):
    root, module, project = board_sim
    frames = random_frames(module, 3, np.random.default_rng(4))
    words = to_axi_words(frames, project.input_bits).reshape(-1)
    lines = simulate(board_sim, 3, [(int(w), i + 1 == words.size) for i, w in enumerate(words)])
    assert "E 0" in lines  # nothing taken before the start
    values, lasts = outputs(lines, project)
    np.testing.assert_array_equal(values, run_graph(graph_of(module), frames))
    assert lasts == [0] * (len(lasts) - 1) + [1]  # TLAST once, on the run's last word
    assert lines[-2:] == ["R 6 0", "R 4"]  # idle and done (cleared by the read); nothing truncated


def test_a_truncated_frame_then_good_frames(board_sim):
    """A transfer cut short (TLAST two words into a frame), then three good frames: four
    outputs, the last three the good frames', and the truncated frame counted."""
    root, module, project = board_sim
    frames = random_frames(module, 4, np.random.default_rng(5))
    words = to_axi_words(frames, project.input_bits)
    per_frame = words.shape[1]
    assert per_frame >= 3
    cut = [(int(w), i == 1) for i, w in enumerate(words[0][:2])]
    good = words[1:].reshape(-1)
    lines = simulate(board_sim, 4, cut + [(int(w), i + 1 == good.size) for i, w in enumerate(good)])
    values, lasts = outputs(lines, project)
    assert values.shape[0] == 4 and lasts[-1] == 1 and sum(lasts) == 1
    np.testing.assert_array_equal(values[1:], run_graph(graph_of(module), frames[1:]))
    assert lines[-2] == "R 6 1"


def test_the_board_top_is_lint_clean(board_sim):
    root = board_sim[0]
    library = sorted(str(p.relative_to(root)) for p in root.glob("library/*.v"))
    result = subprocess.run(["verilator", "--lint-only", "-Wall", "--top-module", BOARD_MODULE, BOARD_FILE, "top.v",
                             *library], cwd=root, check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
