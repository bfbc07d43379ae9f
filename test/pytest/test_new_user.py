"""Issue 26: what a new user meets first. Compile keeps what it did not write, empty batches,
hls/tb_input.bin, the compile summary, one name an engine in every report, FIFO depths, `run
BUILD --engine onnx`, the rtlsim build time, `fold`'s default, the ceiling of an impossible
`--fps`, `--version`, `bnnc-opt --help`, and the README's promises."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO
from test_bad_inputs import assert_one_error, bnnc, bnnc_opt, dense_model, save

from bnnc.driver.build_directory import MANIFEST
from bnnc.driver.cli.bnnc_main import main

TFC = REPO / "examples" / "tfc_w1a1.qonnx.onnx"
IMAGES = REPO / "examples" / "mnist_test_10.npy"


def compile_ok(capsys, *args) -> list[str]:
    capsys.readouterr()
    assert main([str(a) for a in ("compile", *args)]) == 0
    return capsys.readouterr().err.splitlines()


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def tfc_build(tmp_path_factory) -> Path:
    build = tmp_path_factory.mktemp("tfc") / "build"
    assert main(["compile", str(TFC), "-o", str(build), "--fps", "9000"]) == 0
    return build


# ------------------------------------------------------------------------------------------
# 1. compile never deletes what it did not write


def test_compile_refuses_a_directory_with_files_in_it(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = tmp_path / "build"
    (output / "zc706").mkdir(parents=True)
    (output / "zc706" / "bnnc.bit").write_bytes(b"hours of Vivado")
    assert_one_error(*bnnc(capsys, "compile", model, "-o", output), "bnnc",
                     f"{output}: exists and is not empty", "--force", "keeps every other file")
    assert files_of(output) == {"zc706/bnnc.bit": b"hours of Vivado"}
    compile_ok(capsys, model, "-o", tmp_path / "previous", "--fps", "1000")  # a build: refused too
    assert_one_error(*bnnc(capsys, "compile", model, "-o", tmp_path / "previous"), "bnnc",
                     "exists and is a bnnc build")


def test_compile_into_an_empty_directory(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    (tmp_path / "build").mkdir()
    compile_ok(capsys, model, "-o", tmp_path / "build")
    assert (tmp_path / "build" / "report.json").is_file()


def test_force_replaces_bnnc_files_and_keeps_foreign_ones(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = tmp_path / "build"
    compile_ok(capsys, model, "-o", output, "--fps", "1000")
    foreign = {"zc706/bnnc.bit": b"bitstream", "hls/accelerator_hls/solution1/log": b"csynth",
               "notes.txt": b"mine"}
    for path, data in foreign.items():
        (output / path).parent.mkdir(parents=True, exist_ok=True)
        (output / path).write_bytes(data)
    # a file of the previous build that the next one does not write goes with it
    (output / "ir" / "9-stale.mlir").write_text("stale\n")
    manifest = json.loads((output / MANIFEST).read_text())
    manifest["files"].append("ir/9-stale.mlir")
    (output / MANIFEST).write_text(json.dumps(manifest))
    compile_ok(capsys, model, "-o", output, "--max", "--force")
    after = files_of(output)
    assert {path: after.get(path) for path in foreign} == foreign
    assert "ir/9-stale.mlir" not in after
    assert json.loads(after["report.json"])["folding"]["max"] is True  # the new build
    assert set(json.loads(after[MANIFEST])["files"]) == set(after) - set(foreign)


def test_force_never_overwrites_a_foreign_file(capsys, tmp_path):
    """A file where the build goes that the previous build did not write: refused, by name,
    with nothing changed."""
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = tmp_path / "build"
    compile_ok(capsys, model, "-o", output, "--fps", "1000")
    (output / "hls" / "tb_input.bin").write_bytes(b"my own frames")
    manifest = json.loads((output / MANIFEST).read_text())
    manifest["files"].remove("hls/tb_input.bin")
    (output / MANIFEST).write_text(json.dumps(manifest))
    before = files_of(output)
    code, lines = bnnc(capsys, "compile", model, "-o", output, "--max", "--force")
    assert code == 2 and lines[-1].startswith("bnnc: error: ")
    assert "holds files that bnnc did not write where the build goes (hls/tb_input.bin)" in lines[-1]
    assert files_of(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build.")] == []


def test_build_directories_have_normal_permissions(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    old = os.umask(0o022)
    try:
        compile_ok(capsys, model, "-o", tmp_path / "build")
    finally:
        os.umask(old)
    for directory in [tmp_path / "build", *(p for p in (tmp_path / "build").rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o755, directory


# ------------------------------------------------------------------------------------------
# 2. an empty batch is valid everywhere: an empty output of the right shape and type


@pytest.mark.parametrize("engine", ["onnx", "bnn", "df", "csim", "rtlsim"])
def test_empty_batch_on_every_engine(capsys, tmp_path, tfc_build, engine):
    np.save(tmp_path / "x.npy", np.zeros((0, 1, 28, 28), np.float32))
    np.save(tmp_path / "one.npy", np.load(IMAGES)[:1])
    for batch in ("x", "one"):
        assert main(["run", str(tfc_build), "--engine", engine, "--input", str(tmp_path / f"{batch}.npy"),
                     "--output", str(tmp_path / f"{batch}-y.npy")]) == 0
    empty, one = np.load(tmp_path / "x-y.npy"), np.load(tmp_path / "one-y.npy")
    assert empty.shape == (0, *one.shape[1:]) and empty.dtype == one.dtype
    assert "Traceback" not in capsys.readouterr().err


def test_empty_batch_in_verify(capsys, tmp_path, tfc_build):
    np.save(tmp_path / "x.npy", np.zeros((0, 1, 28, 28), np.float32))
    capsys.readouterr()
    assert main(["verify", str(tfc_build), "--input", str(tmp_path / "x.npy")]) == 0
    table = capsys.readouterr().out
    for level in ("onnx", "bnn", "df", "csim", "rtlsim"):
        assert re.search(rf"^{level}\s+yes\s", table, flags=re.MULTILINE), table
    assert "outputs [0, 10]" in table and "empty batch, empty outputs" in table


# ------------------------------------------------------------------------------------------
# 3. hls/tb_input.bin: frames the C simulation runs as bnnc's executors do


def test_tb_input_runs_in_the_c_simulation(tfc_build):
    from bnnc.backends.hls_cpp.project import project_files
    from bnnc.backends.hls_cpp.tb_input import FRAMES
    from bnnc.driver.compiler import load_stage
    from bnnc.dialects import bnn, df, hls
    from bnnc.runtime.interpreters.df import run_graph
    from bnnc.semantics.packing import from_axi_words
    from bnnc.runtime.simulators import csim

    words = np.fromfile(tfc_build / "hls" / "tb_input.bin", dtype="<u8")
    module = load_stage(tfc_build, "hls")
    top = next(op for op in module.ops if isinstance(op, hls.TopOp))
    port = top.port("in")
    elements = port.elements.value.data
    frames = from_axi_words(words.reshape(FRAMES, -1), elements, bnn.bit_width(port.element), False)
    assert frames.shape == (FRAMES, elements) and 0 < frames.mean() < 1  # drawn bits, not zeros
    graph = next(op for op in load_stage(tfc_build, "sized").ops if isinstance(op, df.GraphOp))
    binary, _ = csim.build(project_files(module))
    assert np.array_equal(csim.run_frames(binary, top, frames), run_graph(graph, frames))
    tcl = (tfc_build / "hls" / "hls.tcl").read_text()
    assert "`bnnc compile` writes one" in tcl and "bnnc run" not in tcl


# ------------------------------------------------------------------------------------------
# 4. the compile says what it built


def test_compile_prints_what_it_built(capsys, tmp_path):
    lines = compile_ok(capsys, TFC, "-o", tmp_path / "tfc", "--fps", "9000")
    summary = "\n".join(line for line in lines if line.startswith("bnnc compile: ") and "done" not in line)
    assert "15,944 FPS at 200 MHz for a target of 9,000 (folding moves in steps" in summary, summary
    assert "bottleneck fc0, 12,544 cycles a frame; latency 21,211 cycles" in summary, summary
    assert re.search(r"LUT \d[\d,]* \(\d+\.\d % of xc7z045ffg900-2\), BRAM18 3 \(0\.3 %\), DSP 0 \(0\.0 %\)", summary), summary
    lines = compile_ok(capsys, TFC, "-o", tmp_path / "tfc-max")
    assert any("(--max: the fastest design within the budget" in line for line in lines), lines


# ------------------------------------------------------------------------------------------
# 5 and 6. the reports: one name an engine, FIFO depths, the two latencies, no absolute paths


def test_reports_name_engines_alike_and_show_fifo_depths(capsys, tmp_path, tfc_build):
    report = json.loads((tfc_build / "report.json").read_text())
    names = [n["name"] for n in report["estimate"]["nodes"]]
    assert names == ["axis_in", "fc0.fifo", "fc0", "fc1.fifo", "fc1", "fc2.fifo", "fc2", "fc3.fifo", "fc3",
                     "axis_out.fifo", "axis_out"]
    assert report["estimate"]["bottleneck"] == "fc0"
    # bnnc fold names the same engines the same way (it has no FIFOs yet)
    capsys.readouterr()
    assert main(["fold", str(TFC), "--fps", "9000"]) == 0
    table = capsys.readouterr().out
    rows = [line.split()[0] for line in table.splitlines()[2:] if line.split()[0] in names]
    assert rows == ["axis_in", "fc0", "fc1", "fc2", "fc3", "axis_out"]
    assert "bottleneck fc0," in table and "#" not in table
    # the IR's record of the folding counts what the fold table's total counts
    total = int(re.search(r"^total\s+(\d+)", table, flags=re.MULTILINE).group(1))
    folded = (tfc_build / "ir" / "3-folded.mlir").read_text()
    assert f"lut = {total} : i64" in folded
    # FIFO depths: the sized IR's, in the JSON and in the HTML's table
    sized = (tfc_build / "ir" / "4-sized.mlir").read_text()
    depths = [int(d) for d in re.findall(r"df\.fifo %\S+ \{depth = (\d+) : i64", sized)]
    assert list(report["fifo_depths"].values()) == depths and len(depths) == 5
    page = (tfc_build / "report.html").read_text()
    for name, depth in report["fifo_depths"].items():
        assert re.search(rf"<td>{re.escape(name)}</td>.*?<td>{depth:,}</td></tr>", page), name
    assert "<td>#" not in page and '"#' not in json.dumps(report)
    # the two latencies and intervals, said in both
    assert set(report["notes"]) == {"latency", "interval"}
    assert "21,211 cycles (106.06 µs), the sized pipeline cycle by cycle; 21,980 cycles" in page
    assert "Two latencies, two intervals" in page


def test_reports_hold_no_absolute_path(tfc_build):
    report = json.loads((tfc_build / "report.json").read_text())
    assert report["model"] == "tfc_w1a1.qonnx.onnx"
    for name in ("report.json", "report.html"):
        assert str(REPO) not in (tfc_build / name).read_text()


# ------------------------------------------------------------------------------------------
# 7. run and fold as a new user expects them


def test_run_a_build_on_the_onnx_engine(capsys, tmp_path, tfc_build):
    np.save(tmp_path / "x.npy", np.load(IMAGES))
    for source, out in ((tfc_build, "build.npy"), (TFC, "model.npy")):
        assert main(["run", str(source), "--engine", "onnx", "--input", str(tmp_path / "x.npy"),
                     "--output", str(tmp_path / out)]) == 0
    assert np.array_equal(np.load(tmp_path / "build.npy"), np.load(tmp_path / "model.npy"))


def test_run_a_build_whose_model_is_gone(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    compile_ok(capsys, model, "-o", tmp_path / "build")
    model.unlink()
    np.save(tmp_path / "x.npy", np.ones((2, 8), np.float32))
    assert_one_error(*bnnc(capsys, "run", tmp_path / "build", "--engine", "onnx", "--input",
                           tmp_path / "x.npy", "--output", tmp_path / "y.npy"),
                     "bnnc", f"the build's model {model} is not there any more")


def test_verify_a_build_whose_model_is_gone(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    compile_ok(capsys, model, "-o", tmp_path / "build")
    model.unlink()
    np.save(tmp_path / "x.npy", np.ones((2, 8), np.float32))
    assert_one_error(*bnnc(capsys, "verify", tmp_path / "build", "--input", tmp_path / "x.npy"),
                     "bnnc", f"the build's model {model} is not there any more",
                     "or leave out the onnx level (--levels bnn,df,csim,rtlsim)")
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "build"), "--input", str(tmp_path / "x.npy"), "--levels", "bnn,df"]) == 0


def test_rtlsim_reports_its_build_apart(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BNNC_CACHE_DIR", str(tmp_path / "cache"))  # a build from scratch
    model = save(dense_model(), tmp_path / "dense.onnx")
    np.save(tmp_path / "x.npy", np.ones((3, 8), np.float32))
    capsys.readouterr()
    assert main(["run", str(model), "--engine", "rtlsim", "--input", str(tmp_path / "x.npy"),
                 "--output", str(tmp_path / "y.npy")]) == 0
    log = capsys.readouterr().err
    found = re.search(r"in ([\d.]+) s \([\d,]+ images/s\) after ([\d.]+) s building the Verilator simulation", log)
    assert found, log
    assert float(found.group(2)) > float(found.group(1))  # Verilator's build is not in images/s


def test_fold_defaults_to_max(capsys):
    outputs = []
    for extra in ([], ["--max"]):
        capsys.readouterr()
        assert main(["fold", str(TFC), *extra]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and "bottleneck axis_in" in outputs[0]


def test_an_impossible_fps_says_the_ceiling_and_what_sets_it(capsys):
    assert_one_error(*bnnc(capsys, "fold", TFC, "--fps", "2e7"), "bnnc",
                     "the fastest design within the budget reaches 15,384,615 FPS (13 cycles a frame at 200 MHz)",
                     "set by the 64-bit AXI input port: a frame of 784 elements of 1 bit is 13 words")


# ------------------------------------------------------------------------------------------
# 8. versions and bnnc-opt's help


def test_versions(capsys):
    import bnnc

    for tool in (main, None):
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            tool(["--version"]) if tool else bnnc_opt_main_version()
        assert exit_info.value.code == 0
        out = capsys.readouterr().out
        assert re.fullmatch(rf"bnnc(-opt)? {re.escape(bnnc.__version__)} \(xdsl 0\.74\.\d+\)\n", out), out


def bnnc_opt_main_version() -> None:
    from bnnc.driver.cli.bnnc_opt import main as opt_main

    opt_main(["--version"])


def test_bnnc_opt_help_lists_bnnc_passes_first_described(capsys):
    from bnnc.driver.registry import get_all_passes
    from bnnc.driver.cli.bnnc_opt import main as opt_main

    capsys.readouterr()
    with pytest.raises(SystemExit):
        opt_main(["--help"])
    text = capsys.readouterr().out
    ours, xdsl = text.index("bnnc's passes"), text.index("xDSL's passes")
    assert ours < xdsl and "apply-pdl" not in text[:xdsl]
    assert "apply-pdl" in text[xdsl:]
    for name in get_all_passes():
        line = re.search(rf"^  {re.escape(name)}\s+(\S.*)$", text[ours:xdsl], flags=re.MULTILINE)
        assert line and len(line.group(1)) > 20, name  # a description, not only the name
    assert re.search(r"^  fold\s+Choose and apply the folding of every `df.graph`\.$", text, flags=re.MULTILINE)


def test_bnnc_opt_errors_still_one_line(capsys, tmp_path):
    assert_one_error(*bnnc_opt(capsys, "--frobnicate"), "bnnc-opt", "unrecognized arguments")


# ------------------------------------------------------------------------------------------
# 7 and 9. the README


def test_readme_says_what_a_new_user_needs():
    readme = (REPO / "README.md").read_text()
    assert "bnnc run MODEL_OR_BUILD --engine {onnx,bnn,df,csim,rtlsim}" in readme
    assert "BNNC_SHARED" in readme and "--index-url https://download.pytorch.org/whl/cpu" in readme
    board = readme[readme.index("Running on the board"):]
    board = board[: board.index("```python")]
    assert "examples/mnist_test_10.npy" in board  # the images the board example loads go with it
    assert "bnnc compile MODEL [-o BUILD]" in readme and "[--force]" in readme


def test_engine_names_of_converters_and_fifos():
    """Two FIFOs around a converter in front of a layer's first engine: named after the engine
    they feed, numbered in stream order; a layer with two engines names both by kind."""
    from bnnc.analysis.cost_model import Cost, NodeEstimate
    from bnnc.analysis.engine_names import engine_names

    def node(name, layer, kind, op=True):
        return NodeEstimate(name, layer, kind, None, None, None, Cost(1, 0, 0, 0, 0), object() if op else None)

    nodes = [node("axis_in", None, "axis", op=False), node("#0", "conv0", "swu"), node("#1", "conv0", "mvtu"),
             node("#2", None, "fifo"), node("#3", None, "dwc"), node("#4", None, "fifo"), node("#5", "conv1", "swu"),
             node("#6", "conv1", "mvtu"), node("#7", "fc2", "mvtu"), node("#8", None, "fifo"),
             node("axis_out", None, "axis", op=False)]
    assert engine_names(nodes) == [
        "axis_in", "conv0.swu", "conv0.mvtu", "conv1.swu.fifo", "conv1.swu.dwc", "conv1.swu.fifo2", "conv1.swu",
        "conv1.mvtu", "fc2", "axis_out.fifo", "axis_out"]


def test_force_does_not_follow_a_symlinked_directory(capsys, tmp_path):
    """`hls/` replaced by a link to somewhere else: its files are not the build's to delete."""
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = tmp_path / "build"
    compile_ok(capsys, model, "-o", output)
    elsewhere = tmp_path / "elsewhere"
    (output / "hls").rename(elsewhere)
    (output / "hls").symlink_to(elsewhere)
    before = files_of(elsewhere)
    code, lines = bnnc(capsys, "compile", model, "-o", output, "--force")
    assert code == 2 and "holds files that bnnc did not write" in lines[-1]
    assert files_of(elsewhere) == before
