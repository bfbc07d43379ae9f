"""The boards beyond the ZC706, each a data file: Pynq-Z1 and Pynq-Z2 (xc7z020) and the ZCU104
(Zynq UltraScale+ xczu7ev).

For each board: its file holds the vendor's figures and cites them; TFC and CNV compile for it
within its device; its system wrapper runs under the Vivado stand-ins (`vivado_stubs.tcl`) and
deliberately wrong shells fail there; the driver shipped in its build, on the PG021 DMA model,
gives what `bnnc run` on the C simulation gives.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import REPO, model_path
from pg021_dma import Pg021Dma
from test_zc706 import accelerator_on_dma, csim_run, import_driver, run_script

from bnnc.backends.hls_cpp.project import project_files
from bnnc.driver.compiler import compile_model, load_build
from bnnc.devices import known_devices, load_device
from bnnc.errors import BnncError
from bnnc.analysis.folding.options import FoldOptions
from bnnc.runtime.simulators import csim

TFC = REPO / "examples" / "tfc_w1a1.qonnx.onnx"
BOARDS = ["pynq-z1", "pynq-z2", "zcu104"]

# The issue's figures (the vendors' product tables: DS190 for the xc7z020, DS891 for the xczu7ev).
XC7Z020 = ("xc7", 53200, 106400, 140, 0, 220)  # family, LUT, FF, BRAM36, URAM, DSP
RESOURCES = {
    "pynq-z1": ("xc7z020clg400-1", "www.digilentinc.com:pynq-z1:part0:1.0", *XC7Z020),
    "pynq-z2": ("xc7z020clg400-1", "tul.com.tw:pynq-z2:part0:1.0", *XC7Z020),
    "zcu104": ("xczu7ev-ffvc1156-2-e", "xilinx.com:zcu104:part0:1.1",
               "xcup", 230400, 460800, 312, 96, 1728),
}


@pytest.mark.parametrize("name", BOARDS)
def test_each_board_is_a_data_file_with_its_sources(name):
    assert set(BOARDS) < set(known_devices())
    d = load_device(name)
    assert (d.part, d.board_part, d.family, d.lut, d.ff, d.bram36, d.uram, d.dsp) == RESOURCES[name]
    assert d.shell is not None and d.ddr_gbps > 0
    cited = " ".join(d.sources)  # every figure names the document it comes from
    for figure in ("lut", "ff", "bram36", "dsp", "lutram", "ddr_gbps"):
        assert figure in cited, figure
    assert all(text.strip() for text in d.sources.values())


def test_the_ddr_bandwidth_is_bus_bytes_times_transfers():
    assert load_device("pynq-z1").ddr_gbps == pytest.approx(2 * 1.05)  # 16 bits at 1,050 MT/s
    assert load_device("zc706").ddr_gbps == pytest.approx(4 * 1.066)  # 32 bits at 1,066 MT/s
    assert load_device("zcu104").ddr_gbps == pytest.approx(8 * 2.4)  # 64 bits at 2,400 MT/s


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[tuple[str, str], object]:
    """TFC at 9,000 FPS and CNV at --max for each board (the default backend: both, the board
    on the Verilog), and TFC on the HLS IP for the ZCU104."""
    root = tmp_path_factory.mktemp("boards")
    result = {}
    cnv = model_path("cnv_w1a1_random.qonnx.onnx")
    for board in BOARDS:
        tfc_options = FoldOptions(target_fps=9000, board=board)
        result[board, "tfc"] = compile_model(TFC, root / board / "tfc", tfc_options)
        max_options = FoldOptions(max=True, board=board)
        result[board, "cnv"] = compile_model(cnv, root / board / "cnv", max_options)
    hls_options = FoldOptions(target_fps=9000, board="zcu104")
    result["zcu104", "tfc-hls"] = compile_model(TFC, root / "zcu104" / "tfc-hls", hls_options,
                                                backend="hls")
    return result


@pytest.mark.parametrize("board", BOARDS)
@pytest.mark.parametrize("model", ["tfc", "cnv"])
def test_tfc_and_cnv_fit_each_board(builds, board, model):
    estimate = json.loads((builds[board, model].directory / "report.json").read_text())["estimate"]
    assert estimate["board"] == board and estimate["part"] == load_device(board).part
    assert all(share <= 1.0 for share in estimate["utilisation"].values()), estimate["utilisation"]
    assert estimate["clock_mhz"] == load_device(board).clock_mhz


@pytest.mark.parametrize(("board", "model"),
                         [(b, m) for b in BOARDS for m in ("tfc", "cnv")] + [("zcu104", "tfc-hls")])
def test_each_wrapper_passes_the_checker(builds, board, model):
    build = builds[board, model].directory
    assert (build / board / "project.tcl").is_file() and not (build / "zc706").exists()
    project = run_script(build, "project.tcl", board=board)
    assert project.returncode == 0, project.stderr
    facts = project.stdout.splitlines()
    device = load_device(board)
    assert f"project part {device.part}" in facts and "project validated 1" in facts
    assert f"project name bnnc_{board}" in facts
    ps = device.ps
    assert f"cell {ps} {device.shell.ps_vlnv}" in facts
    base = int(device.shell.control_base, 16)
    segment = "Reg" if model == "tfc-hls" else "reg0"
    assert f"address {ps}/Data accelerator/s_axi_control/{segment} {base + 0x10000} 65536" in facts
    bitstream = run_script(build, "bitstream.tcl", board=board)
    assert bitstream.returncode == 0, bitstream.stderr
    assert (build / board / "bnnc.bit").is_file() and (build / board / "bnnc.hwh").is_file()
    config = json.loads((build / board / "bnnc_driver" / "accelerator.json").read_text())
    assert config["control_addresses"] == {"dma": hex(base), "accelerator": hex(base + 0x10000)}


def test_the_zcu104_block_design(builds):
    tcl = (builds["zcu104", "tfc"].directory / "zcu104" / "project.tcl").read_text()
    assert "create_bd_cell -type ip -vlnv xilinx.com:ip:zynq_ultra_ps_e:3.3 psu" in tcl
    rule = "apply_bd_automation -rule xilinx.com:bd_rule:zynq_ultra_ps_e"
    assert f'{rule} -config {{apply_board_preset "1"}}' in tcl
    assert "CONFIG.PSU__SAXIGP2__DATA_WIDTH {128}" in tcl
    assert "CONFIG.c_m_axi_mm2s_data_width {128}" in tcl
    assert "CONFIG.PSU__CRL_APB__PL0_REF_CTRL__FREQMHZ {200}" in tcl
    clocks = ("[get_bd_pins psu/pl_clk0] [get_bd_pins psu/saxihp0_fpd_aclk] "
              "[get_bd_pins psu/maxihpm0_fpd_aclk]")
    assert clocks in tcl
    ddr = "-offset 0x00000000 -range 2G -target_address_space [get_bd_addr_spaces dma/Data_MM2S]"
    assert ddr in tcl
    build_sh = (builds["zcu104", "tfc"].directory / "zcu104" / "build.sh").read_text()
    assert "./zcu104/build.sh" in build_sh and "zc706" not in build_sh


def test_the_pynq_block_design(builds):
    tcl = (builds["pynq-z2", "tfc"].directory / "pynq-z2" / "project.tcl").read_text()
    assert "set_property board_part tul.com.tw:pynq-z2:part0:1.0 [current_project]" in tcl
    assert "CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ {100}" in tcl
    assert "-range 512M -target_address_space [get_bd_addr_spaces dma/Data_S2MM]" in tcl


ZCU104_BREAKAGES = {
    # Enabled by default, HPM1_FPD's clock input would have no driver.
    "HPM1 left on": (("CONFIG.PSU__USE__M_AXI_GP1 {0}", "CONFIG.PSU__USE__M_AXI_GP1 {1}"),
                     "pin psu/maxihpm1_fpd_aclk is not connected"),
    "HP port off": (("CONFIG.PSU__USE__S_AXI_GP2 {1}", "CONFIG.PSU__USE__S_AXI_GP2 {0}"),
                    "cell 'psu' has no interface pin 'S_AXI_HP0_FPD'"),
    "HP port too wide": (("PSU__SAXIGP2__DATA_WIDTH {128}", "PSU__SAXIGP2__DATA_WIDTH {256}"),
                         "PSU__SAXIGP2__DATA_WIDTH 256 is not 32, 64 or 128"),
    "Zynq-7000 control window": (
        ("-offset 0xA0010000", "-offset 0x40010000"),
        "at 0x40010000 is outside psu/M_AXI_HPM0_FPD's window 0xA0000000..0xAFFFFFFF"),
    "Zynq-7000 automation": (('-config {apply_board_preset "1"}',
                              '-config {make_external "FIXED_IO, DDR" apply_board_preset "1"}'),
                             "cell 'psu' has no interface pin 'FIXED_IO'"),
    "Zynq-7000 rule": (("bd_rule:zynq_ultra_ps_e", "bd_rule:processing_system7"),
                       "rule xilinx.com:bd_rule:processing_system7 on 'psu'"),
    "Zynq-7000 clock pin": (("[get_bd_pins psu/pl_clk0]", "[get_bd_pins psu/FCLK_CLK0]"),
                            "cell 'psu' has no pin 'FCLK_CLK0'"),
}


@pytest.mark.parametrize("breakage", sorted(ZCU104_BREAKAGES))
def test_broken_zcu104_scripts_are_caught(builds, breakage):
    (old, new), message = ZCU104_BREAKAGES[breakage]
    build = builds["zcu104", "tfc"].directory
    text = (build / "zcu104" / "project.tcl").read_text()
    assert old in text
    result = run_script(build, "project.tcl", text.replace(old, new, 1), board="zcu104")
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_a_zynq_7000_control_base_outside_gp0_is_caught(builds):
    build = builds["pynq-z1", "tfc"].directory
    text = (build / "pynq-z1" / "project.tcl").read_text()
    moved = text.replace("-offset 0x40010000", "-offset 0x80010000")
    result = run_script(build, "project.tcl", moved, board="pynq-z1")
    assert result.returncode != 0
    assert "outside ps7/M_AXI_GP0's window 0x40000000..0x7FFFFFFF" in result.stderr


@pytest.mark.parametrize("board", BOARDS)
def test_the_driver_on_the_c_simulation_gives_bnnc_run(builds, board, mnist_test, tmp_path):
    """Each board's driver, as shipped in its build, through the PG021 DMA model (simple mode,
    the board's 26-bit length register) to the C simulation of the build's C++."""
    build = builds[board, "tfc"].directory
    binary, _ = csim.build(project_files(load_build(build, "csim")))
    config = json.loads((build / board / "bnnc_driver" / "accelerator.json").read_text())
    out_words = config["output"]["words"]
    accelerator, model, dma = accelerator_on_dma(
        import_driver(build, board), build, lambda words: csim.run_call(binary, words, out_words),
        board=board)
    assert isinstance(dma, Pg021Dma)
    x = mnist_test[0][:20]
    y = accelerator.run(x, batch_size=8)  # three transfers: 8, 8 and 4 frames
    assert np.array_equal(y, csim_run(build, x, tmp_path))
    assert [v for offset, v in model.writes if offset == 0x10] == [8, 8, 4]
    assert dma.sendchannel.idle and dma.recvchannel.idle


def test_a_board_of_another_part_is_refused(builds):
    """The accelerator is synthesised for one part: the ZCU104's build is not a Pynq's."""
    from bnnc.backends.zc706 import wrapper_files

    module = load_build(builds["zcu104", "tfc"].directory, "csim")
    message = "synthesised for xczu7ev-ffvc1156-2-e, but board 'pynq-z1' has xc7z020"
    with pytest.raises(BnncError, match=message):
        wrapper_files(module, "pynq-z1")


def test_the_cost_model_reads_the_family_table():
    """The same engine on 7-series and UltraScale+: a 2-deep, 64-bit FIFO is 11 RAM32M (44
    LUTs) on the ZC706 and 5 RAM32M16 (40 LUTs) on the ZCU104."""
    from rtl_cases import graph, graph_of, prepare, stream

    from bnnc.analysis.cost_model import node_cost
    from bnnc.dialects import df

    s = stream(64, "!bnn.bipolar", 8)
    module = prepare(graph((512,), s, [f"df.fifo %x : {s} -> {s}"], (512,)))
    fifo = next(op for op in graph_of(module).body.block.ops if isinstance(op, df.FifoOp))
    assert node_cost(fifo, load_device("zc706")).lutram == 44
    assert node_cost(fifo, load_device("zcu104")).lutram == 40
    assert node_cost(fifo, load_device("pynq-z1")) == node_cost(fifo, load_device("zc706"))


def test_an_unknown_fabric_family_is_a_clear_error(tmp_path, capsys):
    from bnnc.driver.cli.bnnc_main import main

    data = json.loads((REPO / "bnnc" / "devices" / "zcu104.json").read_text())
    (tmp_path / "vu.json").write_text(json.dumps({**data, "name": "vu", "family": "xcvu"}))
    with pytest.raises(SystemExit) as exit_:
        main(["compile", str(TFC), "-o", str(tmp_path / "out"), "--fps", "1000",
              "--board", str(tmp_path / "vu.json")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err
    assert "bnnc: error: board 'vu': no cost model for the fabric family 'xcvu'" in err
    assert "families are xc7, xcup" in err and "Traceback" not in err
