"""The HLS project as files: the Tcl under tclsh, the C++ under -Wall -Wextra, and the CLI.

The Tcl runs under plain tclsh with stand-ins for the Vivado HLS commands that check their
arguments (files exist, the part and clock are the fold's, the export goes to the IP catalog)
and record the calls; an unknown command fails the run, as in Vivado.
"""

import re
import subprocess

import numpy as np
import pytest
from bnnc.backends.hls_cpp.project import project_files, write_project
from bnnc.dialects import df
from conftest import REPO

from bnnc.frontend.onnx_importer import import_onnx
from bnnc.driver.pipeline import run_pipeline
from bnnc.runtime.simulators import csim
from bnnc.driver.cli.bnnc_main import main

TFC = REPO / "examples" / "tfc_w1a1.qonnx.onnx"
PIPELINE = (
    "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=9000.0 clock-mhz=250.0},"
    "insert-streams,size-fifos,lower-dataflow-to-hls"
)

# Stand-ins for the Vivado HLS commands hls.tcl uses: each checks its arguments and is recorded.
VIVADO_HLS_STUBS = r"""
set ::calls {}
proc record {args} { lappend ::calls $args }
proc need_file {path} { if {![file exists $path]} { error "no such file: $path" } }
proc open_project {args} { record open_project {*}$args }
proc set_top {name} { record set_top $name }
proc add_files {args} {
    set files [lsearch -all -inline -not -glob $args -*]
    set i [lsearch -exact $args -cflags]
    if {$i >= 0} { set files [lsearch -all -inline -not -exact $files [lindex $args [expr {$i + 1}]]] }
    if {[llength $files] != 1} { error "add_files takes one file, got $args" }
    need_file [lindex $files 0]
    record add_files {*}$args
}
proc open_solution {args} { record open_solution {*}$args }
proc set_part {part} { record set_part $part }
proc create_clock {args} {
    set period [lindex $args [expr {[lsearch -exact $args -period] + 1}]]
    if {![string is double -strict $period] || $period <= 0} { error "bad clock period $period" }
    record create_clock {*}$args
}
proc csim_design {args} { record csim_design {*}$args }
proc csynth_design {args} { record csynth_design {*}$args }
proc export_design {args} {
    if {[lindex $args [expr {[lsearch -exact $args -format] + 1}]] ne "ip_catalog"} { error "export to $args" }
    record export_design {*}$args
}
rename exit tcl_exit
proc exit {{code 0}} { foreach call $::calls { puts $call }; tcl_exit $code }
"""


@pytest.fixture(scope="module")
def tfc_hls():
    return run_pipeline(import_onnx(TFC), PIPELINE)


def run_tcl(project, steps: str) -> subprocess.CompletedProcess:
    driver = project.parent / f"{project.name}-driver.tcl"
    driver.write_text(VIVADO_HLS_STUBS + f"\nset ::env(BNNC_HLS_STEPS) {{{steps}}}\nsource {project / 'hls.tcl'}\n")
    return subprocess.run(["tclsh", str(driver)], capture_output=True, text=True, check=False)


def test_hls_tcl_runs_under_tclsh_with_vivado_stand_ins(tfc_hls, tmp_path):
    tmp_path = tmp_path / "hls"
    files = write_project(tfc_hls, tmp_path)
    result = run_tcl(tmp_path, "csynth export")
    assert result.returncode == 0, result.stderr
    calls = result.stdout.splitlines()
    assert "set_part xc7z045ffg900-2" in calls
    assert "create_clock -period 4.000 -name default" in calls  # the fold's 250 MHz
    assert "set_top accelerator" in calls
    assert calls[-2].startswith("csynth_design") and calls[-1].startswith("export_design -format ip_catalog")
    added = {re.search(r"(\S+\.cpp)", c).group(1) for c in calls if c.startswith("add_files")}
    expected = {str(tmp_path / p) for p in files if p.endswith(".cpp")}
    assert added == expected  # top.cpp, tb.cpp and every ROM source


def test_hls_tcl_csim_needs_its_input(tfc_hls, tmp_path):
    tmp_path = tmp_path / "hls"
    write_project(tfc_hls, tmp_path)
    missing = run_tcl(tmp_path, "csim")
    assert missing.returncode == 1 and "error: csim needs" in missing.stdout
    (tmp_path / "tb_input.bin").write_bytes(b"")
    present = run_tcl(tmp_path, "csim")
    assert present.returncode == 0, present.stderr
    assert any(c.startswith("csim_design -argv") for c in present.stdout.splitlines())


def test_a_broken_tcl_is_caught(tfc_hls, tmp_path):
    tmp_path = tmp_path / "hls"
    write_project(tfc_hls, tmp_path)
    tcl = tmp_path / "hls.tcl"
    tcl.write_text(tcl.read_text().replace("set_part $part", "set_prat $part"))
    result = run_tcl(tmp_path, "csynth")
    assert result.returncode != 0 and 'invalid command name "set_prat"' in result.stderr


def test_generated_cpp_has_no_warnings_of_its_own(tfc_hls):
    """-Wall -Wextra: warnings may come from hls4ml's ap_int headers, never from bnnc's files."""
    files = project_files(tfc_hls)
    _, log = csim.build(files, warnings=True)
    located = re.findall(r"^([^\s:]+):\d+:\d+: warning", log, flags=re.MULTILINE)
    ours = [path for path in located if not path.startswith(str(csim.ap_types_dir()))]
    assert ours == [], log
    # ... and a warning in one of bnnc's files would be seen:
    files["top.cpp"] += "static int unused_parameter(int x) { return 0; }\n"
    _, log = csim.build(files, warnings=True)
    assert re.search(r"^top\.cpp:\d+:\d+: warning: unused parameter", log, flags=re.MULTILINE), log


def _cnv_hls(tmp_path):
    import synthetic

    synthetic.save(synthetic.cnv(seed=21, label_select=True), tmp_path, "cnv")
    return run_pipeline(import_onnx(tmp_path / "cnv.onnx"), PIPELINE)


@pytest.mark.parametrize("model", ["tfc", "cnv"])
def test_generated_cpp_is_cpp98(tfc_hls, tmp_path, model):
    """hls.tcl passes no -std flag: the project is C++98 (gcc 4.6's default dialect, Vivado HLS
    2020.1's C simulation), which Vitis HLS accepts as well. Every template kind (CNV: sliding
    window, MVTU, pool, width converters, label select) under g++ -std=gnu++98."""
    project = tmp_path / "hls"
    files = write_project(tfc_hls if model == "tfc" else _cnv_hls(tmp_path), project)
    assert 'set cflags "-I$here"' in files["hls.tcl"].splitlines()
    sources = ["top.cpp", "tb.cpp", *sorted(p for p in files if p.startswith("params/") and p.endswith(".cpp"))]
    for source in sources:
        result = subprocess.run(["g++", "-std=gnu++98", "-fsyntax-only", "-isystem", str(csim.ap_types_dir()),
                                 "-I", str(project), source], cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{source}: {result.stderr[-3000:]}"
    # ... and C++11 in the project would be seen:
    (project / "top.cpp").write_text((project / "top.cpp").read_text() + "static auto x = 1;\n")
    result = subprocess.run(["g++", "-std=gnu++98", "-fsyntax-only", "-isystem", str(csim.ap_types_dir()),
                             "-I", str(project), "top.cpp"], cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode != 0


def test_bnnc_run_engines_agree(tmp_path, capsys):
    x = np.load(REPO / "examples" / "mnist_test_10.npy")
    np.save(tmp_path / "x.npy", x)
    outputs = {}
    for engine in ("bnn", "df", "csim", "rtlsim"):
        assert main(["run", str(TFC), "--engine", engine, "--fps", "9000",
                     "--input", str(tmp_path / "x.npy"), "--output", str(tmp_path / f"{engine}.npy")]) == 0
        outputs[engine] = np.load(tmp_path / f"{engine}.npy")
    for engine in ("df", "csim", "rtlsim"):
        assert np.array_equal(outputs[engine], outputs["bnn"]), engine
    log = capsys.readouterr().err
    assert "on engine csim" in log
    # the RTL runs at the interval the cycle model predicted for the sized FIFOs
    sized = run_pipeline(import_onnx(TFC), "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=9000.0},insert-streams,size-fifos")
    graph = next(op for op in sized.ops if isinstance(op, df.GraphOp))
    interval = graph.attributes["df.fifo_sizing"].data["interval"].value.data
    assert f"(measured: {interval:,} cycles a frame, latency " in log, log


def test_bnnc_compile_writes_a_build_that_runs(tmp_path):
    build = tmp_path / "tfc"
    assert main(["compile", str(TFC), "-o", str(build), "--fps", "9000"]) == 0
    stages = sorted(p.name for p in (build / "ir").iterdir())
    assert stages == ["0-bnn.mlir", "1-streamlined.mlir", "2-dataflow.mlir", "3-folded.mlir", "4-sized.mlir", "5-hls.mlir"]
    assert (build / "hls" / "top.cpp").is_file() and (build / "hls" / "hls.tcl").is_file()
    assert (build / "rtl" / "top.v").is_file() and (build / "zc706" / "project.tcl").is_file()
    assert (build / "report.json").is_file()
    page = (build / "report.html").read_text()
    assert page.count("<svg") == 2 and "Pipeline balance: 15,944 FPS at 200 MHz" in page
    assert page.count('fill="#c0392b"') == 1  # fc0 alone reaches the bottleneck, 12,544 cycles
    assert "Resources on zc706" in page and "LUT, % of the device" in page
    assert "frames/s (bottleneck" in page and ">fc1<" in page and "FIFOs" in page
    (build / "report.html").unlink()
    assert main(["report", str(build)]) == 0 and (build / "report.html").read_text() == page
    x = np.load(REPO / "examples" / "mnist_test_10.npy")
    np.save(tmp_path / "x.npy", x)
    assert main(["run", str(build), "--engine", "csim", "--input", str(tmp_path / "x.npy"),
                 "--output", str(tmp_path / "y.npy")]) == 0
    assert list(np.load(tmp_path / "y.npy").argmax(1)) == [7, 2, 1, 0, 4, 1, 4, 9, 6, 9]


def test_a_failed_compile_leaves_no_build(tmp_path, capsys):
    build = tmp_path / "tfc"
    with pytest.raises(SystemExit) as exit_info:
        main(["compile", str(TFC), "-o", str(build), "--fps", "1e12"])
    assert exit_info.value.code == 2
    assert "bnnc: error: layer 'fc0' cannot reach the target" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
