"""The ZC706 system wrapper: its Vivado scripts under tclsh, build.sh, and the board driver.

The scripts run under plain tclsh with `vivado_stubs.tcl`, stand-ins for the Vivado commands
that keep a model of the block design (cells, pins, interface pins, nets, address segments) and
fail on what Vivado would refuse; deliberately broken scripts must fail there. The driver runs
as shipped in the build (its own copy of the packing code), with only the DMA replaced: by the
C simulation of the generated C++, or by the `df` executor for the full-size CNV.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import synthetic
from bnnc.backends.hls_cpp.project import project_files
from bnnc.backends.zc706 import PACKING_FUNCTIONS, wrapper_files, write_wrapper
from conftest import REPO, model_path
from pg021_dma import AcceleratorModel, DmaError, DmaHang, Pg021Dma

from bnnc.semantics import packing
from bnnc.driver.compiler import compile_model, load_build
from bnnc.analysis.folding.options import FoldOptions
from bnnc.devices import load_device
from bnnc.errors import BnncError
from bnnc.runtime.interpreters import df as df_executor
from bnnc.runtime.simulators import csim
from bnnc.driver.cli.bnnc_main import main

STUBS = Path(__file__).with_name("vivado_stubs.tcl")
TFC = REPO / "examples" / "tfc_w1a1.qonnx.onnx"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """TFC, LFC and CNV compiled at 9,000 FPS, each with its wrapper in zc706/."""
    root = tmp_path_factory.mktemp("zc706")
    synthetic.save(synthetic.cnv(seed=21), root, "cnv")
    models = {"tfc": TFC, "lfc": model_path("lfc_w1a1.onnx"), "cnv": root / "cnv.onnx"}
    result = {}
    for name, model in models.items():  # the default backend: both, the board on the Verilog
        result[name] = compile_model(model, root / name, FoldOptions(target_fps=9000)).directory
    result["tfc-hls"] = compile_model(TFC, root / "tfc-hls", FoldOptions(target_fps=9000), backend="hls").directory
    result["tfc-rtl"] = compile_model(TFC, root / "tfc-rtl", FoldOptions(target_fps=9000), backend="rtl").directory
    return result


def run_script(build: Path, script: str, text: str | None = None, version: str = "2020.2",
               make_ip_repo: bool = True, board: str = "zc706") -> subprocess.CompletedProcess:
    """`<board>/<script>` (or `text` in its place) under tclsh with the Vivado stand-ins."""
    zc706 = build / board
    config = json.loads((zc706 / "bnnc_driver" / "accelerator.json").read_text())
    top = config["top"]
    hls_ip = "ip_repo" in (zc706 / "project.tcl").read_text()  # else the Verilog
    if make_ip_repo and hls_ip:  # what the HLS export leaves behind
        (build / "hls" / f"{top}_hls" / "solution1" / "impl" / "ip").mkdir(parents=True, exist_ok=True)
    path = zc706 / script
    if text is not None:
        path = zc706 / f"broken-{script}"
        path.write_text(text)
    driver = zc706 / f"check-{script}"
    define_ip = ""
    if hls_ip:  # the HLS top's stream ports, as emit_top names them (`hls.port` names)
        ports = re.search(r"hls::stream<bnnc::axi_word> &(\w+), hls::stream<bnnc::axi_word> &(\w+)",
                          (build / "hls" / "top.cpp").read_text()).groups()
        define_ip = f"stub_hls_ip bnnc.org:bnnc:{top}:1.0 {ports[0]} {ports[1]}\n"
    driver.write_text(f"source {STUBS}\n{define_ip}source {path}\nstub_report\n")
    env = {**os.environ, "BNNC_STUB_VIVADO_VERSION": version}
    return subprocess.run(["tclsh", str(driver)], capture_output=True, text=True, check=False, env=env)


# --------------------------------------------------------------------------------------------
# The Vivado scripts


@pytest.mark.parametrize("name", ["tfc", "lfc", "cnv", "tfc-hls", "tfc-rtl"])
def test_the_wrapper_scripts_pass_the_checker(builds, name):
    build = builds[name]
    files = sorted(str(p.relative_to(build / "zc706")) for p in (build / "zc706").rglob("*") if p.is_file())
    assert files == ["bitstream.tcl", "bnnc_driver/__init__.py", "bnnc_driver/accelerator.json",
                     "bnnc_driver/host.py", "bnnc_driver/packing.py", "build.sh", "constraints.xdc",
                     "project.tcl"]
    assert (build / "hls").is_dir() == (name != "tfc-rtl") and (build / "rtl").is_dir() == (name != "tfc-hls")
    project = run_script(build, "project.tcl")
    assert project.returncode == 0, project.stderr
    facts = project.stdout.splitlines()
    assert "project part xc7z045ffg900-2" in facts and "project validated 1" in facts
    assert any(f.startswith("project properties board_part xilinx.com:zc706:part0:1.4") for f in facts)
    if name == "tfc-hls":
        assert "cell accelerator bnnc.org:bnnc:accelerator:1.0" in facts
        assert "address ps7/Data accelerator/s_axi_control/Reg 1073807360 65536" in facts  # 0x40010000
    else:  # the Verilog and every memory image it reads are project files
        assert "cell accelerator module:bnnc_accelerator" in facts
        assert "address ps7/Data accelerator/s_axi_control/reg0 1073807360 65536" in facts
        listed = next(f for f in facts if f.startswith("project files ")).split()[2:]
        added = {Path(f).relative_to(build / "rtl").as_posix() for f in listed if f.startswith(str(build / "rtl"))}
        rtl = {p.relative_to(build / "rtl").as_posix() for p in (build / "rtl").rglob("*")
               if p.suffix in (".v", ".mem") and p.name != "tb.v"}
        assert added == rtl and any(f.endswith(".mem") for f in added)
    bitstream = run_script(build, "bitstream.tcl")
    assert bitstream.returncode == 0, bitstream.stderr
    for output in ("bnnc.bit", "bnnc.hwh", "bnnc.xsa", "utilization.rpt", "timing.rpt"):
        assert (build / "zc706" / output).is_file(), output


@pytest.mark.parametrize(("version", "handoff"), [("2019.1", "bnnc.hdf"), ("2020.1", "bnnc.xsa")])
def test_the_handoff_follows_the_vivado_version(builds, version, handoff, tmp_path):
    build = builds["tfc"]
    for output in ("bnnc.hdf", "bnnc.xsa", "bnnc.hwh"):
        (build / "zc706" / output).unlink(missing_ok=True)
    assert run_script(build, "project.tcl", version=version).returncode == 0
    result = run_script(build, "bitstream.tcl", version=version)
    assert result.returncode == 0, result.stderr  # .hwh under .srcs before 2020.2
    assert (build / "zc706" / handoff).is_file() and (build / "zc706" / "bnnc.hwh").is_file()


BREAKAGES = {
    "renamed cell": (("[get_bd_intf_pins dma/M_AXIS_MM2S]", "[get_bd_intf_pins dma0/M_AXIS_MM2S]"),
                     "cell 'dma0' is used before it is created"),
    "bad IP identifier": (("xilinx.com:ip:axi_dma:7.1", "xilinx.com:ip:axi_dma"),
                          "malformed IP identifier 'xilinx.com:ip:axi_dma'"),
    "unknown IP version": (("xilinx.com:ip:axi_dma:7.1", "xilinx.com:ip:axi_dma:9.9"),
                           "IP 'xilinx.com:ip:axi_dma:9.9' is not in the catalog"),
    "unknown pin": (("[get_bd_pins accelerator/ap_clk]", "[get_bd_pins accelerator/ap_clock]"),
                    "cell 'accelerator' has no pin 'ap_clock'"),
    "unknown command": (("validate_bd_design", "validate_design"), 'invalid command name "validate_design"'),
    "cell used first": (("create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset:5.0 reset\n", ""),
                        "cell 'reset' is used before it is created"),
    "PS port not enabled": (("CONFIG.PCW_USE_S_AXI_HP0 {1}", "CONFIG.PCW_USE_S_AXI_HP0 {0}"),
                            "cell 'ps7' has no interface pin 'S_AXI_HP0'"),
    "scatter-gather DMA": (("CONFIG.c_include_sg {0}", "CONFIG.c_include_sg {1}"),
                           "pin dma/m_axi_sg_aclk is not connected"),
    "stream reversed": (("[get_bd_intf_pins accelerator/m_axis] [get_bd_intf_pins dma/S_AXIS_S2MM]",
                         "[get_bd_intf_pins accelerator/m_axis] [get_bd_intf_pins dma/M_AXIS_MM2S]"),
                        "is master master, not master -- slave"),
    "no compile order": (("update_compile_order -fileset sources_1\n", ""),
                         "module reference before update_compile_order"),
    "module not in the sources": (("-reference bnnc_accelerator", "-reference bnnc_accel"),
                                  "module 'bnnc_accel' is not in the project's sources"),
    "overlapping addresses": (("-offset 0x40010000", "-offset 0x40000000"), "address ranges overlap"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_broken_scripts_are_caught(builds, breakage):
    (old, new), message = BREAKAGES[breakage]
    text = (builds["tfc"] / "zc706" / "project.tcl").read_text()
    assert old in text
    result = run_script(builds["tfc"], "project.tcl", text.replace(old, new, 1))
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_an_unassigned_address_segment_is_caught(builds):
    text = (builds["tfc"] / "zc706" / "project.tcl").read_text()
    lines = [line for line in text.splitlines(keepends=True) if "accelerator/s_axi_control/reg0" not in line]
    result = run_script(builds["tfc"], "project.tcl", "".join(lines))
    assert result.returncode != 0
    assert "address segment accelerator/s_axi_control/reg0 is not assigned in ps7/Data" in result.stderr


def test_memory_images_left_out_of_the_project_are_caught(builds):
    """$readmemh's bare file names resolve only among the project's files: without them
    synthesis would initialise the weights to zero."""
    text = (builds["tfc"] / "zc706" / "project.tcl").read_text()
    assert "add_files -norecurse $memories\n" in text
    assert run_script(builds["tfc"], "project.tcl", text.replace("add_files -norecurse $memories\n", "")).returncode == 0
    result = run_script(builds["tfc"], "bitstream.tcl")
    assert result.returncode != 0 and "$readmemh cannot find 'u" in result.stderr, result.stderr
    assert run_script(builds["tfc"], "project.tcl").returncode == 0  # the project as generated again


def test_the_project_needs_the_hls_export_first(builds, tmp_path):
    build = tmp_path / "tfc"
    shutil.copytree(builds["tfc-hls"] / "hls", build / "hls", ignore=shutil.ignore_patterns("*_hls"))
    write_wrapper(load_build(builds["tfc-hls"], "csim"), build / "zc706")
    result = run_script(build, "project.tcl", make_ip_repo=False)
    assert result.returncode == 1 and "error: no accelerator IP in" in result.stdout
    assert not (build / "zc706" / "vivado").exists()


def test_the_rtl_project_needs_the_verilog(builds, tmp_path):
    build = tmp_path / "tfc"
    shutil.copytree(builds["tfc-rtl"] / "zc706", build / "zc706", ignore=shutil.ignore_patterns("vivado"))
    result = run_script(build, "project.tcl")
    assert result.returncode == 1 and "this wrapper needs the build's Verilog" in result.stdout
    assert not (build / "zc706" / "vivado").exists()


def run_build_sh(build: Path, tmp_path: Path) -> list[str]:
    """build.sh under sh, with stand-ins for vivado_hls and vivado that log where they ran."""
    log = tmp_path / "log"
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("vivado_hls", "vitis_hls", "vivado"):
        (tools / tool).write_text(f'#!/bin/sh\necho "{tool} $(pwd) $BNNC_HLS_STEPS $*" >> {log}\n')
        (tools / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{tools}:/usr/bin:/bin"}
    result = subprocess.run([str(build / "zc706" / "build.sh")], capture_output=True, text=True, env=env,
                            cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


def test_build_sh_runs_the_hls_export_then_vivado(builds, tmp_path):
    build = builds["tfc-hls"]
    calls = run_build_sh(build, tmp_path)
    assert calls[0] == f"vivado_hls {build / 'hls'} csynth export -f hls.tcl"
    assert calls[1].startswith(f"vivado {build / 'zc706'}") and calls[1].endswith("-source project.tcl")
    assert calls[2].endswith("-source bitstream.tcl") and len(calls) == 3


@pytest.mark.parametrize("name", ["tfc", "tfc-rtl"])
def test_build_sh_of_the_verilog_runs_no_hls(builds, tmp_path, name):
    build = builds[name]
    calls = run_build_sh(build, tmp_path)
    assert len(calls) == 2 and all(c.startswith(f"vivado {build / 'zc706'}") for c in calls)
    assert calls[0].endswith("-source project.tcl") and calls[1].endswith("-source bitstream.tcl")


# --------------------------------------------------------------------------------------------
# The board driver


def import_driver(build: Path, board: str = "zc706"):
    """The driver package of the build, imported from its files under a name of its own."""
    package = build / board / "bnnc_driver"
    name = f"bnnc_driver_{build.name}_{board}".replace("-", "_")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, package / "__init__.py",
                                                  submodule_search_locations=[str(package)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def once_per_call(simulate):
    """An accelerator model from a simulator of frames (words (F, in) -> words (F, out)) that
    knows no TLAST: TLAST on the call's last word, as the accelerator puts it."""

    def with_last(words):
        out = np.asarray(simulate(words)).reshape(-1)
        return out, np.arange(out.size) == out.size - 1

    return with_last


def accelerator_on_dma(driver, build: Path, simulate, length_bits: int | None = None, board: str = "zc706"):
    """The build's driver with the PG021 DMA model around `simulate` (words (F, in) -> output
    words and their TLAST bits); `length_bits` narrows the DMA's length register, for the
    driver and the DMA alike."""
    config_path = build / board / "bnnc_driver" / "accelerator.json"
    config = json.loads(config_path.read_text())
    if length_bits is not None:
        config = {**config, "dma_length_bits": length_bits, "max_transfer_bytes": 2**length_bits - 1}
        config_path = build / f"accelerator-{length_bits}.json"
        config_path.write_text(json.dumps(config))
    model = AcceleratorModel(simulate, config["input"]["words"])
    dma = Pg021Dma(model, config["dma_length_bits"])
    accelerator = driver.Accelerator(dma=dma, control=model, config=config_path,
                                     allocate=lambda shape, dtype: np.zeros(shape, dtype))
    return accelerator, model, dma


@pytest.fixture(scope="module")
def tfc_csim(builds):
    build = builds["tfc"]
    binary, _ = csim.build(project_files(load_build(build, "csim")))
    out_words = json.loads((build / "zc706" / "bnnc_driver" / "accelerator.json").read_text())["output"]["words"]
    return lambda words: csim.run_call(binary, words, out_words)


def csim_run(build: Path, x: np.ndarray, tmp_path: Path) -> np.ndarray:
    np.save(tmp_path / "x.npy", x)
    assert main(["run", str(build), "--engine", "csim", "--input", str(tmp_path / "x.npy"),
                 "--output", str(tmp_path / "y.npy")]) == 0
    return np.load(tmp_path / "y.npy")


def test_the_driver_on_the_c_simulation_gives_bnnc_run(builds, tfc_csim, tmp_path):
    build = builds["tfc"]
    accelerator, model, dma = accelerator_on_dma(import_driver(build), build, tfc_csim)
    x = np.load(REPO / "examples" / "mnist_test_10.npy")
    expected = csim_run(build, x, tmp_path)
    y = accelerator.run(x, batch_size=4)  # three transfers: 4, 4 and 2 frames
    assert y.dtype == expected.dtype and np.array_equal(y, expected)
    assert list(y.argmax(1)) == [7, 2, 1, 0, 4, 1, 4, 9, 6, 9]
    assert [v for offset, v in model.writes if offset == 0x10] == [4, 4, 2]
    assert dma.recvchannel.transferred == 2 * 8 * accelerator.output["words"]
    assert accelerator.timing["frames"] == 10 and accelerator.timing["fps"] > 0


@pytest.mark.parametrize(("frames", "length_bits", "transfers"), [
    (1, None, 1), (2, None, 1), (1000, None, 1),
    (1000, 14, 7),  # 104 bytes a frame in: 157 frames fit 16,383 bytes, 7 transfers
])
def test_batches_through_the_pg021_dma_give_bnnc_run(builds, tfc_csim, mnist_test, tmp_path, frames, length_bits,
                                                     transfers):
    """One receive a transfer, ended by the accelerator's one TLAST: any batch, and batches
    longer than one transfer of the DMA's length register."""
    build = builds["tfc"]
    x = mnist_test[0][:frames]
    accelerator, model, dma = accelerator_on_dma(import_driver(build), build, tfc_csim, length_bits)
    y = accelerator.run(x)
    assert np.array_equal(y, csim_run(build, x, tmp_path))
    assert len([v for offset, v in model.writes if offset == 0x10]) == transfers
    assert dma.sendchannel.idle and dma.recvchannel.idle and not model.output


def test_a_batch_longer_than_the_length_register_is_refused_by_the_dma(builds, tfc_csim, mnist_test):
    """A driver configured for a wider length register than the DMA's: PG021's register cannot
    hold the transfer, and the model refuses it as PYNQ does."""
    build = builds["tfc"]
    accelerator, _, _ = accelerator_on_dma(import_driver(build), build, tfc_csim)
    accelerator.dma = Pg021Dma(accelerator.control, length_bits=14)
    with pytest.raises(DmaError, match="does not fit the 14-bit length register"):
        accelerator.run(mnist_test[0][:200])


@pytest.mark.parametrize(("fault", "frames", "message"), [
    ("tlast every frame", 3, r"received \d+ bytes for 3 frames, expected \d+"),
    ("tlast every frame", 300, "channel did not finish a chunk of 300 frames: the accelerator stalled"),
    ("no tlast", 6, "write \\(S2MM\\) channel stopped with an error"),
    ("late tlast", 3, "write \\(S2MM\\) channel stopped with an error"),
])
def test_the_driver_raises_on_the_wrong_tlast_never_hangs(builds, monkeypatch, fault, frames, message):
    """What an accelerator with TLAST elsewhere than once a transfer does to the DMA (the
    receive ends early, and the accelerator stalls on the rest; a receive that ends at its
    length leaves the packet open, and the next receive overruns; a packet longer than the
    receive: DMAIntErr): the driver raises, it does not hang."""
    build = builds["tfc"]
    driver = import_driver(build)
    monkeypatch.setattr(driver, "IDLE_TIMEOUT_S", 0.2)
    out_words = json.loads((build / "zc706" / "bnnc_driver" / "accelerator.json").read_text())["output"]["words"]

    def simulate(words):
        out = np.arange(words.shape[0] * out_words, dtype=np.uint64)
        index = np.arange(out.size)
        last = index % out_words == out_words - 1 if fault == "tlast every frame" else index < 0
        if fault == "late tlast":  # one word too many, TLAST on it
            out, last = np.append(out, 0), np.append(last, True)
        return out, last

    accelerator, _, _ = accelerator_on_dma(driver, build, simulate)
    with pytest.raises((RuntimeError, TimeoutError), match=message):
        accelerator.run_words(np.zeros((frames, accelerator.input["words"]), dtype=np.uint64),
                              batch_size=3 if fault == "no tlast" else None)  # two chunks, or one


def test_the_dma_model_follows_pg021(builds):
    """Simple mode: MM2S TLAST on the transfer's last beat; an S2MM receive ends at TLAST with
    the bytes written; a packet past LENGTH halts the channel; a stall is a hang."""
    seen = []

    def simulate(words):
        seen.append(words.copy())
        return words.reshape(-1), np.arange(words.size) == words.size - 1

    model = AcceleratorModel(simulate, in_words=2, slack_words=2)
    dma = Pg021Dma(model, length_bits=8)
    target = np.zeros(8, dtype=np.uint64)
    with pytest.raises(DmaError, match="does not fit the 8-bit length register"):
        dma.sendchannel.transfer(np.zeros(32, dtype=np.uint64))
    model.write(0x10, 2)
    model.write(0x00, 1)
    dma.recvchannel.transfer(target)
    dma.sendchannel.transfer(np.arange(4, dtype=np.uint64))
    dma.sendchannel.wait()
    dma.recvchannel.wait()
    assert dma.recvchannel.transferred == 32 and list(target[:4]) == [0, 1, 2, 3]
    assert model.read(0x00) & 0x4
    # A 4-word packet into a 2-word receive: DMAIntErr once the third word comes.
    model.write(0x00, 1)
    dma.recvchannel.transfer(np.zeros(2, dtype=np.uint64))
    dma.sendchannel.transfer(np.arange(4, dtype=np.uint64))
    assert dma.recvchannel.error and not dma.recvchannel.idle
    with pytest.raises(DmaError, match="DMAIntErr"):
        dma.recvchannel.wait()
    # Input and no start: the accelerator takes nothing, the read channel never ends.
    stalled = Pg021Dma(AcceleratorModel(simulate, in_words=2), length_bits=8)
    stalled.sendchannel.transfer(np.arange(2, dtype=np.uint64))
    with pytest.raises(DmaHang, match="never ends"):
        stalled.sendchannel.wait()


@pytest.mark.parametrize("name", ["lfc", "cnv"])
def test_the_driver_on_the_stream_executor_gives_bnnc_run(builds, name, rng):
    """The host steps of LFC (affine, sign; affine) and CNV (8-bit quantizer; affine), with the
    accelerator replaced by the `df` executor (word for word the streams of the hardware)."""
    build = builds[name]
    graph = next(op for op in load_build(build, "df").ops if op.name == "df.graph")
    config = json.loads((build / "zc706" / "bnnc_driver" / "accelerator.json").read_text())
    inp, out = config["input"], config["output"]

    def simulate(words):
        codes = packing.from_axi_words(words, inp["elements"], inp["bits"], inp["signed"])
        return packing.to_axi_words(df_executor.run_graph(graph, codes), out["bits"])

    accelerator, _, _ = accelerator_on_dma(import_driver(build), build, once_per_call(simulate))
    shape = config["model_input"]["shape"][1:]
    x = rng.uniform(0, 1, size=(3, *shape)).astype(np.float32)
    from bnnc.runtime.interpreters.bnn import BnnExecutor

    expected = BnnExecutor(load_build(build, "df")).run(x)
    assert np.array_equal(accelerator.run(x), expected)


def test_the_shipped_packing_is_bnnc_packing(builds, rng):
    shipped = import_driver(builds["tfc"]).packing
    for function in PACKING_FUNCTIONS:
        assert inspect.getsource(getattr(shipped, function.__name__)) == inspect.getsource(function)
    codes = rng.integers(-128, 128, size=(5, 3072))
    words = shipped.to_axi_words(codes, 8)
    assert np.array_equal(words, packing.to_axi_words(codes, 8))
    assert np.array_equal(shipped.from_axi_words(words, 3072, 8, True), codes)


def test_the_driver_checks_its_input(builds):
    driver = import_driver(builds["tfc"])
    accelerator, _, _ = accelerator_on_dma(driver, builds["tfc"], lambda words: None)
    with pytest.raises(ValueError, match=r"input batch has shape \[2, 28, 28\], expected \[N, 1, 28, 28\]"):
        accelerator.run(np.zeros((2, 28, 28)))


# --------------------------------------------------------------------------------------------
# Boards as data


def board_file(tmp_path: Path, **changes) -> Path:
    data = json.loads((REPO / "bnnc" / "devices" / "zc706.json").read_text())
    data.update(changes)
    path = tmp_path / "board.json"
    path.write_text(json.dumps(data))
    return path


def test_a_second_board_needs_only_a_data_file(builds, tmp_path):
    module = load_build(builds["tfc"], "csim")
    shell = json.loads((REPO / "bnnc" / "devices" / "zc706.json").read_text())["shell"]
    shell = {**shell, "data_port": "S_AXI_HP2", "data_port_clock": "S_AXI_HP2_ACLK",
             "data_segment": "HP2_DDR_LOWOCM", "control_base": "0x43C00000"}
    files = wrapper_files(module, str(board_file(tmp_path, name="mine", board_part="example.com:mine:part0:1.0",
                                                 shell=shell)))
    tcl = files["project.tcl"]
    assert "set_property board_part example.com:mine:part0:1.0 [current_project]" in tcl
    assert "[get_bd_intf_pins ps7/S_AXI_HP2]" in tcl and "ps7/S_AXI_HP2/HP2_DDR_LOWOCM" in tcl
    assert json.loads(files["bnnc_driver/accelerator.json"])["control_addresses"]["accelerator"] == "0x43c10000"


def test_boards_without_a_shell_or_of_another_part_are_refused(builds, tmp_path):
    module = load_build(builds["tfc"], "csim")
    data = json.loads((REPO / "bnnc" / "devices" / "zc706.json").read_text())
    del data["shell"]
    (tmp_path / "bare.json").write_text(json.dumps(data))
    assert load_device(tmp_path / "bare.json").shell is None  # estimates still work
    with pytest.raises(BnncError, match="has no 'shell' in its device file"):
        wrapper_files(module, str(tmp_path / "bare.json"))
    with pytest.raises(BnncError, match="synthesised for xc7z045ffg900-2, but board 'zc706' has xc7z020clg400-1"):
        wrapper_files(module, str(board_file(tmp_path, part="xc7z020clg400-1")))
    with pytest.raises(BnncError, match="shell: unknown field 'data_prot'"):
        load_device(board_file(tmp_path, shell={**data.get("shell", {}), "data_prot": "x"}))
