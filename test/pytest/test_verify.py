"""`bnnc verify`: full agreement on a good build, and the wrong layer named in a broken one.

A wrong threshold is written into one layer of the build's IR (the sized df graph, or the HLS
top's threshold ROM); verify must report the level as disagreeing and name that layer.
"""

import numpy as np
import pytest
from bnnc.dialects import df, hls
from conftest import REPO
from xdsl.dialects.builtin import BytesAttr, DenseIntOrFPElementsAttr, TensorType

from bnnc.driver.ir import parse_module
from bnnc.semantics.packing import ui64
from bnnc.driver.cli.bnnc_main import main
from bnnc.driver.verification import verify_build

TFC = REPO / "examples" / "tfc_w1a1.qonnx.onnx"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    directory = tmp_path_factory.mktemp("verify") / "tfc"
    assert main(["compile", str(TFC), "-o", str(directory), "--fps", "9000"]) == 0
    return directory


@pytest.fixture(scope="module")
def images(mnist_test):
    return mnist_test[0][:100]


def copy_build(build, tmp_path):
    import shutil

    target = tmp_path / "build"
    shutil.copytree(build, target)
    return target


def rewrite(path, change):
    module = parse_module(path)
    change(module)
    module.verify()
    path.write_text(str(module))


def test_verify_agrees_at_every_level(build, images, tmp_path, capsys):
    np.save(tmp_path / "x.npy", images)
    assert main(["verify", str(build), "--input", str(tmp_path / "x.npy")]) == 0
    table = capsys.readouterr().out
    for level in ("onnx", "bnn", "df", "csim", "rtlsim"):
        assert any(line.startswith(level) and " yes " in line for line in table.splitlines()), table


def test_a_wrong_df_threshold_is_named(build, images, tmp_path):
    broken = copy_build(build, tmp_path)

    def raise_fc1_thresholds(module):
        graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
        mvtu = next(op for op in graph.body.block.ops if isinstance(op, df.MvtuOp) and op.layer.data == "fc1")
        values = np.frombuffer(mvtu.thresholds.data.data, dtype=np.int64) + 9
        mvtu.thresholds = DenseIntOrFPElementsAttr(mvtu.thresholds.type, BytesAttr(values.tobytes()))

    rewrite(broken / "ir" / "4-sized.mlir", raise_fc1_thresholds)
    result = verify_build(broken, images, ("bnn", "df", "csim"))
    by_level = {r.level: r for r in result.results}
    assert not by_level["df"].agrees and by_level["csim"].agrees
    assert by_level["df"].divergence.engine == "fc1 (df.mvtu)"
    assert "first differs at fc1 (df.mvtu)" in by_level["df"].detail


def test_a_wrong_hls_threshold_rom_is_named(build, images, tmp_path):
    broken = copy_build(build, tmp_path)

    def raise_fc2_rom(module):
        top = next(op for op in module.ops if isinstance(op, hls.TopOp))
        rom = next(op for op in top.body.block.ops if isinstance(op, hls.RomOp) and op.sym_name.data == "fc2_thresholds")
        words = np.frombuffer(rom.contents.data.data, dtype="<u8") + np.uint64(9)
        rom.contents = DenseIntOrFPElementsAttr(TensorType(ui64, rom.contents.get_shape()), BytesAttr(words.tobytes()))

    rewrite(broken / "ir" / "5-hls.mlir", raise_fc2_rom)
    result = verify_build(broken, images, ("bnn", "df", "csim"))
    by_level = {r.level: r for r in result.results}
    assert by_level["df"].agrees and not by_level["csim"].agrees
    assert by_level["csim"].divergence.engine == "fc2 (df.mvtu)"
