"""A corpus of malformed inputs: every one must end in one clear error line and exit code 2.

Each case builds its input in `tmp_path` and runs it through the real command-line entry points,
in process (`bnnc` and `bnnc-opt` `main`, catching `SystemExit`, stderr from `capsys`); a few also
run the installed `bnnc`/`bnnc-opt` executables in a subprocess to prove that no traceback reaches
the user there either. Every test checks:

- exit code 2;
- exactly one line on stderr, starting with `bnnc: error:` or `bnnc-opt: error:` (MLIR parse
  errors add the caret context that xDSL prints, which the test spells out);
- the words that say what and where (the node's name, what is wrong);
- no `Traceback`.

`bnnc compile` prints its progress (a header, then a line a stage) on stderr: a mistake found
once the compile has started is the last line and the only error line after that progress,
and every compile case checks that no build directory that looks complete is left (no `-o`
directory with a `report.json`, no temporary directory beside it).

Bugs this corpus found are fixed and kept at the end as regression tests.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from bnnc.driver.cli.bnnc_main import main as bnnc_main
from bnnc.driver.cli.bnnc_opt import main as bnnc_opt_main
from bnnc.frontend.onnx_importer import import_onnx

SHARED_MODELS = Path(__file__).resolve().parents[3] / "shared" / "models"
BNNC = Path(sys.executable).with_name("bnnc")
BNNC_OPT = Path(sys.executable).with_name("bnnc-opt")
QONNX = "qonnx.custom_op.general"


# ------------------------------------------------------------------------------------------
# Building models


def pm1(shape, seed: int = 0) -> np.ndarray:
    return np.where(np.random.default_rng(seed).random(shape) < 0.5, -1.0, 1.0).astype(np.float32)


def init(name: str, value) -> TensorProto:
    return numpy_helper.from_array(np.asarray(value), name)


def make_model(
    nodes: list[onnx.NodeProto],
    initializers: list[TensorProto] = (),
    inputs: list[tuple[str, list]] = (("x", [1, 8]),),
    outputs: list[str] = ("y",),
    input_type: int = TensorProto.FLOAT,
    domains: tuple[str, ...] = (),
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "bad",
        [helper.make_tensor_value_info(name, input_type, shape) for name, shape in inputs],
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, None) for name in outputs],
        list(initializers),
    )
    opsets = [helper.make_opsetid("", 13)] + [helper.make_opsetid(d, 1) for d in domains]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 8
    return model


def save(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save(model, path)
    return path


def dense_model() -> onnx.ModelProto:
    """A valid Sign -> MatMul(±1) network on 8 features."""
    return make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["y"], name="fc0"),
        ],
        [init("w", pm1((8, 4)))],
    )


# ------------------------------------------------------------------------------------------
# Running the tools


def run_in_process(capsys, main, args: list[str]) -> tuple[int, list[str]]:
    capsys.readouterr()  # drop anything printed before
    with pytest.raises(SystemExit) as exc_info:
        main([str(a) for a in args])
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return exc_info.value.code, err.splitlines()


def bnnc_opt(capsys, *args) -> tuple[int, list[str]]:
    return run_in_process(capsys, bnnc_opt_main, list(args))


def bnnc(capsys, *args) -> tuple[int, list[str]]:
    return run_in_process(capsys, bnnc_main, list(args))


def run_subprocess(tool: Path, *args) -> tuple[int, list[str]]:
    result = subprocess.run(
        [str(tool), *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stderr.splitlines()


def assert_one_error(code: int, lines: list[str], program: str, *words: str) -> str:
    """Exit code 2, exactly one stderr line `PROGRAM: error: ...`, holding every word."""
    assert code == 2, lines
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"{program}: error: "), line
    for word in words:
        assert word in line, f"{word!r} not in {line!r}"
    return line


# ------------------------------------------------------------------------------------------
# Files that are not ONNX models


def test_missing_file(capsys, tmp_path):
    missing = tmp_path / "missing.onnx"
    assert_one_error(*bnnc_opt(capsys, missing), "bnnc-opt", str(missing), "No such file")
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((1, 8), np.float32))
    assert_one_error(
        *bnnc(capsys, "run", missing, "--input", x, "--output", tmp_path / "y.npy"),
        "bnnc", str(missing), "no such model file",
    )


def test_empty_file(capsys, tmp_path):
    empty = tmp_path / "empty.onnx"
    empty.write_bytes(b"")
    assert_one_error(*bnnc_opt(capsys, empty), "bnnc-opt", str(empty), "the file is empty")


def truncated_model(tmp_path: Path) -> Path:
    data = (SHARED_MODELS / "tfc_w1a1.finn.onnx").read_bytes()
    path = tmp_path / "truncated.onnx"
    path.write_bytes(data[: len(data) // 2])
    return path


def test_truncated_model(capsys, tmp_path):
    path = truncated_model(tmp_path)
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", str(path), "not a readable ONNX model", "truncated"
    )


def test_truncated_model_subprocess(tmp_path):
    path = truncated_model(tmp_path)
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((1, 784), np.float32))
    code, lines = run_subprocess(BNNC, "run", path, "--input", x, "--output", tmp_path / "y.npy")
    assert_one_error(code, lines, "bnnc", str(path), "not a readable ONNX model")
    code, lines = run_subprocess(BNNC_OPT, path)
    assert_one_error(code, lines, "bnnc-opt", str(path), "not a readable ONNX model")


def test_text_file_is_not_onnx(capsys, tmp_path):
    path = tmp_path / "notes.onnx"
    path.write_text("this is a text file, not an ONNX model\n")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", str(path), "not a readable ONNX model"
    )


def test_directory(capsys, tmp_path):
    folder = tmp_path / "model.onnx"
    folder.mkdir()
    assert_one_error(*bnnc_opt(capsys, folder), "bnnc-opt", str(folder), "Is a directory")
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((1, 8), np.float32))
    assert_one_error(
        *bnnc(capsys, "run", folder, "--input", x, "--output", tmp_path / "y.npy"),
        "bnnc", str(folder), "is a directory",
    )


def test_unknown_extension(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "model.txt")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", str(path), "Unrecognized file extension 'txt'",
        ".mlir or .onnx",
    )


# ------------------------------------------------------------------------------------------
# ONNX graphs bnnc cannot import


def unknown_ops_model() -> onnx.ModelProto:
    return make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["a"], name="fc0"),
            helper.make_node("Relu", ["a"], ["r"], name="relu0"),
            helper.make_node("Tanh", ["r"], ["t"], name="tanh0"),
            helper.make_node("Hardmax", ["t"], ["y"]),  # unnamed: called by type and position
        ],
        [init("w", pm1((8, 4)))],
    )


def test_unknown_ops_all_named(capsys, tmp_path):
    path = save(unknown_ops_model(), tmp_path / "unknown.onnx")
    line = assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", str(path),
        "cannot import this model as a binarized network", "3 node(s) with unsupported op types",
        "'relu0' (Relu, domain ai.onnx)", "'tanh0' (Tanh, domain ai.onnx)",
        "'Hardmax#4' (Hardmax, domain ai.onnx)",
    )
    assert "fc0" not in line


def test_unknown_ops_subprocess(tmp_path):
    path = save(unknown_ops_model(), tmp_path / "unknown.onnx")
    code, lines = run_subprocess(BNNC_OPT, path)
    assert_one_error(code, lines, "bnnc-opt", "'relu0' (Relu", "'tanh0' (Tanh", "Hardmax")


def test_unsupported_custom_domain_ops(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Frobnicate", ["x"], ["f"], name="frob0", domain="com.example"),
            # a QONNX op bnnc does not translate, in a domain it otherwise knows
            helper.make_node(
                "FloatQuant", ["f", "s", "z", "b", "b"], ["y"], name="fquant0", domain=QONNX
            ),
        ],
        [init("s", np.float32(1)), init("z", np.float32(0)), init("b", np.float32(4))],
        domains=("com.example", QONNX),
    )
    path = save(model, tmp_path / "custom.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "2 node(s) with unsupported op types",
        "'frob0' (Frobnicate, domain com.example)", f"'fquant0' (FloatQuant, domain {QONNX})",
    )


def test_matmul_inner_dimension_mismatch(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["y"], name="fc_bad"),
        ],
        [init("w", pm1((6, 4)))],
    )
    path = save(model, tmp_path / "kmismatch.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'fc_bad' (MatMul)", "[1, 8] x [6, 4]",
        "do not give a (1, K) x (K, M) product",
    )


def test_missing_initializer(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "fc0_weight"], ["y"], name="fc0"),
        ],
    )
    path = save(model, tmp_path / "noinit.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'fc0' (MatMul)", "reads 'fc0_weight'",
        "missing initializer",
    )


def test_non_binary_matmul_weights(capsys, tmp_path):
    weights = np.random.default_rng(3).normal(size=(8, 4)).astype(np.float32)
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["y"], name="fc_real"),
        ],
        [init("w", weights)],
    )
    path = save(model, tmp_path / "real_weights.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt",
        "1 layer(s) whose weights are not binary-representable", "node 'fc_real' (MatMul)",
        "4x8 weights take 32 distinct real values",
    )


def test_nan_in_batchnorm(capsys, tmp_path):
    mean = np.zeros(4, np.float32)
    mean[2] = np.nan
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["a"], name="fc0"),
            helper.make_node(
                "BatchNormalization", ["a", "g", "b", "m", "v"], ["y"], name="bn_nan"
            ),
        ],
        [
            init("w", pm1((8, 4))),
            init("g", np.ones(4, np.float32)),
            init("b", np.zeros(4, np.float32)),
            init("m", mean),
            init("v", np.ones(4, np.float32)),
        ],
    )
    path = save(model, tmp_path / "bn_nan.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'bn_nan' (BatchNormalization)",
        "mean holds NaN or Inf",
    )


def test_zero_padding_conv_on_bipolar_data(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Conv", ["s", "w"], ["y"], name="conv_zero_pad",
                             kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        ],
        [init("w", pm1((3, 2, 3, 3)))],
        inputs=[("x", [1, 2, 6, 6])],
    )
    path = save(model, tmp_path / "zero_pad.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'conv_zero_pad' (Conv)",
        "zero padding of bipolar (±1) data has no binary encoding", "pad with +1 or -1",
    )


def test_dynamic_input_dimensions(capsys, tmp_path):
    model = dense_model()
    dims = model.graph.input[0].type.tensor_type.shape.dim
    dims[1].Clear()
    dims[1].dim_param = "features"
    path = save(model, tmp_path / "dynamic.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "graph input 'x'", "dynamic dimensions [1, -1]",
        "static shapes",
    )


def test_batch_size_other_than_one(capsys, tmp_path):
    model = dense_model()
    model.graph.input[0].type.tensor_type.shape.dim[0].dim_value = 4
    path = save(model, tmp_path / "batch4.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "graph input 'x'", "batch size 4",
        "export the model with batch 1",
    )


def test_unsupported_input_element_type(capsys, tmp_path):
    model = dense_model()
    model.graph.input[0].type.tensor_type.elem_type = TensorProto.INT32
    path = save(model, tmp_path / "int32.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "graph input 'x'", "element type INT32",
        "expected FLOAT, UINT8 or INT8",
    )


def test_two_graph_inputs(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["y"], name="fc0"),
        ],
        inputs=[("x", [1, 8]), ("w", [8, 4])],
    )
    path = save(model, tmp_path / "two_inputs.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "expected one graph input", "['x', 'w']"
    )


def test_cycle(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Add", ["s", "b"], ["a"], name="loop_add"),
            helper.make_node("Mul", ["a", "two"], ["b"], name="loop_mul"),
            helper.make_node("Identity", ["a"], ["y"], name="out"),
        ],
        [init("two", np.float32(2))],
    )
    path = save(model, tmp_path / "cycle.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "the graph has a cycle", "loop_add", "loop_mul"
    )


def test_tensor_produced_twice(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign_a"),
            helper.make_node("Sign", ["x"], ["s"], name="sign_b"),
            helper.make_node("MatMul", ["s", "w"], ["y"], name="fc0"),
        ],
        [init("w", pm1((8, 4)))],
    )
    path = save(model, tmp_path / "twice.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "tensor 's' is produced twice", "'sign_a'", "'sign_b'"
    )


def test_residual_add_of_two_computed_tensors(capsys, tmp_path):
    """Imported since issue 24 (a join of reals here: the accumulator and its real half). A
    join of reals has no integer form on the accelerator: the lowering to df leaves it on the
    host, behind the accelerator's accumulators."""
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["a"], name="fc0"),
            helper.make_node("Mul", ["a", "half"], ["h"], name="scale0"),
            helper.make_node("Add", ["a", "h"], ["y"], name="residual_add"),
        ],
        [init("w", pm1((8, 4))), init("half", np.float32(0.5))],
    )
    path = save(model, tmp_path / "residual.onnx")
    assert "bnn.add" in str(import_onnx(path))
    from bnnc.driver.pipeline import run_pipeline

    module = run_pipeline(import_onnx(path), "bnn-streamline,lower-bnn-to-dataflow")
    graph, main = list(module.ops)
    assert "df.join" not in str(graph) and "bnn.add" in str(main)


def test_real_valued_layer_input(capsys, tmp_path):
    model = make_model(
        [helper.make_node("MatMul", ["x", "w"], ["y"], name="fc_float_in")],
        [init("w", pm1((8, 4)))],
    )
    path = save(model, tmp_path / "float_input.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'fc_float_in' (MatMul)",
        "the layer input is real-valued (f32)", "add a Sign, BipolarQuant, Quant or MultiThreshold",
    )


def test_pad_read_by_a_non_conv(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Pad", ["s", "pads", "value"], ["p"], name="pad0"),
            helper.make_node("MaxPool", ["p"], ["y"], name="pool_after_pad", kernel_shape=[2, 2]),
        ],
        [init("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64)), init("value", np.float32(-1))],
        inputs=[("x", [1, 2, 6, 6])],
    )
    path = save(model, tmp_path / "pad_pool.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'pool_after_pad' (MaxPool)",
        "only a Conv may follow Pad",
    )


def mnist_conv_float_words() -> list[str]:
    return [
        "mnist_conv_float.onnx", "cannot import this model as a binarized network",
        "'ReLU32' (Relu, domain ai.onnx)", "'ReLU114' (Relu, domain ai.onnx)",
        "not binary-representable", "node 'Convolution28' (Conv)",
        "node 'Convolution110' (Conv)", "node 'Times212' (MatMul)",
    ]


def test_float_mnist_model_names_every_non_binary_node(capsys):
    path = SHARED_MODELS / "mnist_conv_float.onnx"
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", *mnist_conv_float_words())


def test_float_mnist_model_subprocess(tmp_path):
    path = SHARED_MODELS / "mnist_conv_float.onnx"
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((1, 1, 28, 28), np.float32))
    code, lines = run_subprocess(BNNC, "run", path, "--input", x, "--output", tmp_path / "y.npy")
    assert_one_error(code, lines, "bnnc", *mnist_conv_float_words())
    assert not (tmp_path / "y.npy").exists()


# ------------------------------------------------------------------------------------------
# Contradictory shapes, NaN and Inf, n-bit where binary is required


def bn_model(channels: int = 4, **params: np.ndarray) -> onnx.ModelProto:
    """Sign -> MatMul(8 -> 4) -> BatchNormalization 'bn0' with `channels` entries a parameter
    (scale, bias, mean, var), any of them replaced by `params`."""
    values = {"g": np.ones(channels, np.float32), "b": np.zeros(channels, np.float32),
              "m": np.zeros(channels, np.float32), "v": np.ones(channels, np.float32)} | params
    return make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("MatMul", ["s", "w"], ["a"], name="fc0"),
            helper.make_node("BatchNormalization", ["a", "g", "b", "m", "v"], ["y"], name="bn0"),
        ],
        [init("w", pm1((8, 4))), *(init(name, value) for name, value in values.items())],
    )


def with_entry(value: float, index: int = 1, size: int = 4) -> np.ndarray:
    array = np.ones(size, np.float32)
    array[index] = value
    return array


@pytest.mark.parametrize("params, words", [
    pytest.param({"g": with_entry(np.inf)}, ["scale holds NaN or Inf"], id="inf-gamma"),
    pytest.param({"v": with_entry(-np.inf, 0)}, ["var holds NaN or Inf"], id="minus-inf-var"),
    pytest.param({"b": with_entry(np.nan, 3)}, ["bias holds NaN or Inf"], id="nan-beta"),
    pytest.param({"v": -np.ones(4, np.float32)}, ["var + epsilon is not positive"], id="negative-var"),
])
def test_batchnorm_parameters_that_are_not_numbers(capsys, tmp_path, params, words):
    path = save(bn_model(**params), tmp_path / "bn.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "node 'bn0' (BatchNormalization)", *words)


def test_batchnorm_channels_contradict_the_input(capsys, tmp_path):
    path = save(bn_model(channels=3), tmp_path / "bn3.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "node 'bn0' (BatchNormalization)",
                     "scale has 3 entries but the input has 4 channels")


def test_reshape_to_another_element_count(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Reshape", ["s", "t"], ["y"], name="rs_bad"),
        ],
        [init("t", np.array([1, 5], np.int64))],
    )
    path = save(model, tmp_path / "reshape.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "node 'rs_bad' (Reshape)",
                     "cannot reshape [1, 8] to [1, 5]", "element counts differ")


def test_weights_wider_than_8_bits(capsys, tmp_path):
    """n-bit weights go up to 8 bits: a 9-bit Quant of the weights is not representable."""
    weights = np.random.default_rng(0).integers(-200, 200, (8, 4)).astype(np.float32)
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Quant", ["wr", "sc", "zp", "bw"], ["w"], name="wq9", domain=QONNX),
            helper.make_node("MatMul", ["s", "w"], ["y"], name="fc9"),
        ],
        [init("wr", weights), init("sc", np.float32(1)), init("zp", np.float32(0)),
         init("bw", np.float32(9))],
        domains=(QONNX,),
    )
    path = save(model, tmp_path / "w9.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "node 'fc9' (MatMul)",
                     "not binary-representable", "within 8 bits (n-bit)")


POPCOUNT_SI2_WEIGHTS = {
    "bnn": """func.func @main(%x: tensor<1x4x!bnn.bipolar>) -> tensor<1x2xi32> {
  %a = bnn.dense %x weights<si2> dense<[[11], [0]]> : tensor<2x1xui64> {popcount} : tensor<1x4x!bnn.bipolar> -> tensor<1x2xi32>
  func.return %a : tensor<1x2xi32>
}
""",
    "df": """df.graph @accelerator {
  %0 = df.input {shape = array<i64: 4>} : !df.stream<1x!bnn.bipolar, 4>
  %1 = df.mvtu %0 weights<si2> dense<[[11], [0]]> : tensor<2x1xui64> {mw = 4 : i64, mh = 2 : i64, pe = 1 : i64, simd = 1 : i64, popcount} : !df.stream<1x!bnn.bipolar, 4> -> !df.stream<1xsi4, 2>
  df.output %1 {shape = array<i64: 2>} : !df.stream<1xsi4, 2>
}
""",
}


@pytest.mark.parametrize("level", sorted(POPCOUNT_SI2_WEIGHTS))
def test_nbit_weights_where_binary_is_required(capsys, tmp_path, level):
    """An XNOR-popcount layer needs bipolar weights: 2-bit weights with `popcount` are refused."""
    path = tmp_path / "popcount.mlir"
    path.write_text(POPCOUNT_SI2_WEIGHTS[level])
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "invalid IR",
                     "popcount accumulation needs bipolar inputs and weights")


# ------------------------------------------------------------------------------------------
# Bad inputs to `bnnc run`


def test_run_bad_batch_shape(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((3, 5), np.float32))
    y = tmp_path / "y.npy"
    assert_one_error(
        *bnnc(capsys, "run", model, "--engine", "bnn", "--input", x, "--output", y),
        "bnnc", "input batch has shape [3, 5]", "expected [N, 8]",
    )
    assert_one_error(
        *bnnc(capsys, "run", model, "--engine", "onnx", "--input", x, "--output", y),
        "bnnc", str(model), "input of shape [3, 5] does not match the model input 'x'",
    )
    assert not y.exists()


def test_run_bad_batch_shape_subprocess(tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((8,), np.float32))  # one image without its batch axis
    code, lines = run_subprocess(BNNC, "run", model, "--input", x, "--output", tmp_path / "y.npy")
    assert_one_error(code, lines, "bnnc", "input batch has shape [8]", "expected [N, 8]")
    assert not (tmp_path / "y.npy").exists()


def test_run_input_is_not_npy(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    x = tmp_path / "x.npy"
    x.write_text("0 1 0 1 1 0 1 0\n")
    assert_one_error(
        *bnnc(capsys, "run", model, "--input", x, "--output", tmp_path / "y.npy"),
        "bnnc", str(x), "not a .npy array",
    )


def test_run_missing_input_file(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    x = tmp_path / "absent.npy"
    assert_one_error(
        *bnnc(capsys, "run", model, "--input", x, "--output", tmp_path / "y.npy"),
        "bnnc", str(x), "no such input file",
    )


def test_run_onnx_engine_on_mlir(capsys, tmp_path):
    mlir = tmp_path / "model.mlir"
    mlir.write_text(
        "func.func @main(%x: tensor<1x8xf32>) -> tensor<1x8x!bnn.bipolar> {\n"
        "  %0 = bnn.sign %x : tensor<1x8xf32> -> tensor<1x8x!bnn.bipolar>\n"
        "  func.return %0 : tensor<1x8x!bnn.bipolar>\n"
        "}\n"
    )
    x = tmp_path / "x.npy"
    np.save(x, np.ones((2, 8), np.float32))
    y = tmp_path / "y.npy"
    assert_one_error(
        *bnnc(capsys, "run", mlir, "--engine", "onnx", "--input", x, "--output", y),
        "bnnc", str(mlir), "the onnx engine runs .onnx models only",
    )


# ------------------------------------------------------------------------------------------
# Bad IR and bad options for bnnc-opt


def test_broken_mlir(capsys, tmp_path):
    path = tmp_path / "broken.mlir"
    path.write_text(
        "func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {\n"
        "  %0 = bnn.sign %x : tensor<1x4xf32> ->\n"
        "}\n"
    )
    code, lines = bnnc_opt(capsys, path)
    assert code == 2
    # one error line, then xDSL's caret context: the offending line, the caret, the reason
    assert lines == [f"bnnc-opt: error: invalid IR: {path}:3:1", "}", "^", "type expected"]


def test_broken_mlir_subprocess(tmp_path):
    path = tmp_path / "broken.mlir"
    path.write_text("func.func @main(%x: tensor<1x4xf32>) {\n  %0 = bnn.nonsense %x\n}\n")
    code, lines = run_subprocess(BNNC_OPT, path)
    assert code == 2
    assert lines[0].startswith(f"bnnc-opt: error: invalid IR: {path}:2:"), lines
    assert any("bnn.nonsense" in line for line in lines), lines


def test_unknown_pass(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path, "-p", "nope"), "bnnc-opt", "Unrecognized passes: ['nope']"
    )


def test_unknown_pass_option(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path, "-p", "bnn-streamline,lower-bnn-to-dataflow,fold{speed=3}"),
        "bnnc-opt", "pipeline 'bnn-streamline,lower-bnn-to-dataflow,fold{speed=3}'",
        '["speed"] not found', '"target_fps"',
    )


def test_pass_option_of_the_wrong_type(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc_opt(capsys, path, "-p", "fold{target-fps=fast}"), "bnnc-opt",
                     "pipeline 'fold{target-fps=fast}'", "given ('fast',)")


def test_bad_option_values_reach_the_pass(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    lowered = "bnn-streamline,lower-bnn-to-dataflow"
    assert_one_error(*bnnc_opt(capsys, path, "-p", f"{lowered},fold{{max=true clock-mhz=-1}}"),
                     "bnnc-opt", "the clock must be a positive number of MHz, got -1")
    assert_one_error(*bnnc_opt(capsys, path, "-p", f"{lowered},fold{{target-fps=9000 board=nope}}"),
                     "bnnc-opt", "unknown board 'nope'", "known boards: pynq-z1, pynq-z2, zc706, zcu104")


def test_unknown_target(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc_opt(capsys, path, "-t", "nope"), "bnnc-opt",
                     "argument -t/--target: invalid choice: 'nope'", "hls-cpp", "verilog")


def test_unknown_target_option(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc_opt(capsys, path, "-t", "report{format=xml}"), "bnnc-opt",
                     "report: unknown format 'xml'", "table, json")


@pytest.mark.parametrize("target, words", [
    ("hls-cpp", ["the module has no hls.top", "run lower-dataflow-to-hls first"]),
    ("verilog", ["the Verilog backend needs exactly one df.graph, found 0"]),
])
def test_target_at_the_wrong_level(capsys, tmp_path, target, words):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc_opt(capsys, path, "-t", target), "bnnc-opt", *words)


def test_unknown_flag(capsys, tmp_path):
    path = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc_opt(capsys, path, "--optimise-harder"), "bnnc-opt",
                     "unrecognized arguments: --optimise-harder", "bnnc-opt --help")


# ------------------------------------------------------------------------------------------
# Bad inputs to `bnnc compile`: every case leaves nothing that looks like a build


def assert_compile_error(code: int, lines: list[str], *words: str) -> str:
    """Exit code 2; the last stderr line is the error, the only one; before it at most the
    compile's progress (its header and a line a stage)."""
    assert code == 2, lines
    assert lines and lines[-1].startswith("bnnc: error: "), lines
    for line in lines[:-1]:
        assert line.startswith(("bnnc compile: ", "  ")) and "error" not in line, lines
    for word in words:
        assert word in lines[-1], f"{word!r} not in {lines[-1]!r}"
    return lines[-1]


def assert_no_build(output: Path) -> None:
    """No build that looks complete: no report.json at `output`, no compile's temporary
    directory (`.NAME.*`) left beside it."""
    assert not (output / "report.json").exists()
    assert not (output.is_dir() and any(output.iterdir())), sorted(output.iterdir())
    leftovers = [p.name for p in output.parent.iterdir() if p.name.startswith(f".{output.name}.")]
    assert leftovers == []


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# (id, extra arguments (files made in tmp_path), words of the message, found before the compile
# starts (then the error is the only line))
COMPILE_CASES = [
    ("impossible-fps", lambda t: ["--fps", "1e9"],
     ["layer 'fc0' cannot reach the target", "less than one cycle per frame at 200 MHz"], False),
    ("fps-zero", lambda t: ["--fps", "0"], ["positive number of frames per second, got 0.0"], True),
    ("fps-negative", lambda t: ["--fps", "-5"], ["positive number of frames per second"], True),
    ("fps-nan", lambda t: ["--fps", "nan"], ["positive number of frames per second, got nan"], True),
    ("clock-zero", lambda t: ["--clock-mhz", "0"], ["positive number of MHz, got 0.0"], True),
    ("clock-negative", lambda t: ["--clock-mhz", "-100"], ["positive number of MHz, got -100.0"],
     True),
    ("unknown-board", lambda t: ["--board", "zc999"],
     ["unknown board 'zc999'", "known boards: pynq-z1, pynq-z2, zc706, zcu104"], True),
    ("board-file-not-json", lambda t: ["--board", str(write(t / "board.json", "part: x\n"))],
     ["board.json"], True),
    ("folding-unknown-layer", lambda t: ["--folding", str(write(t / "f.json", '{"fc7": {"pe": 1}}'))],
     ["the folding names unknown layers ['fc7']", "the layers are ['fc0']"], False),
    ("folding-illegal-pe", lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"pe": 3}}'))],
     ["layer 'fc0': PE 3, SIMD 1, MMV 1 is not a legal folding", "PE in [1, 2, 4]"], False),
    ("folding-illegal-simd",
     lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"simd": 16}}'))],
     ["PE 1, SIMD 16, MMV 1 is not a legal folding", "SIMD in [1, 2, 4, 8]"], False),
    ("folding-illegal-mmv",
     lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"mmv": 2}}'))],
     ["MMV 2 is not a legal folding", "MMV in [1]"], False),
    ("folding-bad-json", lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"pe": 1'))],
     ["f.json: the folding file is not JSON", "bnnc fold -o writes one"], True),
    ("folding-yaml", lambda t: ["--folding", str(write(t / "f.yaml", "fc0:\n  pe: 4\n"))],
     ["f.yaml: the folding file is not JSON"], True),
    ("folding-string-pe", lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"pe": "4"}}'))],
     ["layer 'fc0': PE, SIMD and MMV must be positive integers", "{'pe': '4'}"], True),
    ("folding-zero-pe", lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"pe": 0}}'))],
     ["must be positive integers"], True),
    ("folding-bool-simd",
     lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"simd": true}}'))],
     ["must be positive integers"], True),
    ("folding-list", lambda t: ["--folding", str(write(t / "f.json", "[4, 8]"))],
     ["a folding file maps layer names to"], True),
    ("folding-unknown-key",
     lambda t: ["--folding", str(write(t / "f.json", '{"fc0": {"pe": 2, "speed": 1}}'))],
     ["layer 'fc0': expected keys among ['pe', 'simd', 'mmv']"], True),
    ("folding-missing", lambda t: ["--folding", str(t / "absent.json")],
     ["absent.json: cannot read the folding file: No such file or directory"], True),
    ("backend", lambda t: ["--backend", "vhdl"],
     ["compile: argument --backend: invalid choice: 'vhdl'", "bnnc compile --help"], True),
    ("fps-and-max", lambda t: ["--fps", "100", "--max"],
     ["argument --max: not allowed with argument --fps"], True),
]


@pytest.mark.parametrize("extra, words, early",
                         [pytest.param(*case[1:], id=case[0]) for case in COMPILE_CASES])
def test_compile_bad_options(capsys, tmp_path, extra, words, early):
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = tmp_path / "build"
    code, lines = bnnc(capsys, "compile", model, "-o", output, *extra(tmp_path))
    if early:  # found before the compile started: the error is the only line
        assert_one_error(code, lines, "bnnc", *words)
    else:
        assert_compile_error(code, lines, *words)
    assert_no_build(output)


@pytest.mark.parametrize("make, words", [
    pytest.param(lambda t: t / "absent.onnx", ["absent.onnx: no such model file"], id="missing"),
    pytest.param(lambda t: write(t / "notes.onnx", "not a model\n"),
                 ["notes.onnx", "not a readable ONNX model"], id="not-onnx"),
    pytest.param(lambda t: save(unknown_ops_model(), t / "unknown.onnx"),
                 ["3 node(s) with unsupported op types", "'relu0' (Relu"], id="unsupported-ops"),
    pytest.param(lambda t: save(bn_model(g=with_entry(np.inf)), t / "bn.onnx"),
                 ["node 'bn0' (BatchNormalization)", "scale holds NaN or Inf"], id="inf-in-bn"),
])
def test_compile_bad_models(capsys, tmp_path, make, words):
    output = tmp_path / "build"
    code, lines = bnnc(capsys, "compile", make(tmp_path), "-o", output, "--fps", "1000")
    assert_compile_error(code, lines, *words)
    assert_no_build(output)


def test_compile_broken_mlir(capsys, tmp_path):
    path = write(tmp_path / "broken.mlir", "func.func @main(%x: tensor<1x4xf32>) {\n")
    output = tmp_path / "build"
    code, lines = bnnc(capsys, "compile", path, "-o", output)
    assert code == 2
    # the progress header, one error line, then xDSL's caret context (as bnnc-opt prints it)
    assert lines == [f"bnnc compile: {path} -> {output}", f"bnnc: error: invalid IR: {path}:2:1",
                     "", "^", " in block definition"]
    assert_no_build(output)


def test_compile_output_is_a_file(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = write(tmp_path / "build", "my notes\n")
    assert_one_error(*bnnc(capsys, "compile", model, "-o", output), "bnnc",
                     f"{output}: exists and is not a directory")
    assert output.read_text() == "my notes\n"  # left alone
    assert_no_build(output)


def test_failed_compile_keeps_the_previous_build(capsys, tmp_path):
    """The build is written aside and renamed at the end: a compile that fails leaves the build
    that was there untouched, not a mix of the two."""
    model = save(dense_model(), tmp_path / "dense.onnx")
    output = tmp_path / "build"
    capsys.readouterr()
    assert bnnc_main(["compile", str(model), "-o", str(output), "--fps", "1000"]) == 0
    before = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    code, lines = bnnc(capsys, "compile", model, "-o", output, "--fps", "1e9", "--force")
    assert_compile_error(code, lines, "cannot reach the target")
    after = {p.relative_to(output): p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".build.")]


def test_compile_bad_folding_subprocess(tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    folding = write(tmp_path / "f.json", '{"fc0": {"pe": 3}}')
    output = tmp_path / "build"
    code, lines = run_subprocess(BNNC, "compile", model, "-o", output, "--folding", folding)
    assert_compile_error(code, lines, "PE 3, SIMD 1, MMV 1 is not a legal folding")
    assert_no_build(output)


# ------------------------------------------------------------------------------------------
# Bad inputs to `bnnc fold`


FOLD_CASES = [
    ("impossible-fps", ["--fps", "1e9"], ["layer 'fc0' cannot reach the target"]),
    ("clock-zero", ["--fps", "9000", "--clock-mhz", "0"], ["positive number of MHz, got 0.0"]),
    ("unknown-board", ["--max", "--board", "zc999"], ["unknown board 'zc999'"]),
    ("budget-zero", ["--fps", "9000", "--budget-lut", "0"],
     ["budget-lut is a fraction of the device in (0, 1], got 0.0"]),
    ("budget-above-one", ["--fps", "9000", "--budget-bram", "1.5"],
     ["budget-bram is a fraction of the device in (0, 1], got 1.5"]),
    ("over-budget", ["--fps", "1e6", "--budget-lut", "0.0001"],
     ["the exact solver found no folding within the budget", "LUT exceed the budget"]),
    ("max-with-finn", ["--max", "--solver", "finn"], ["the max scenario has the exact solver only"]),
    ("unknown-solver", ["--max", "--solver", "greedy"],
     ["fold: argument --solver: invalid choice: 'greedy'"]),
    ("fps-not-a-number", ["--fps", "fast"], ["fold: argument --fps: invalid float value: 'fast'"]),
]


@pytest.mark.parametrize("args, words", [pytest.param(*case[1:], id=case[0]) for case in FOLD_CASES])
def test_fold_bad_options(capsys, tmp_path, args, words):
    model = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc(capsys, "fold", model, *args), "bnnc", *words)


@pytest.mark.parametrize("text, words", [
    ('{"fc0": {"pe": 3}}', ["layer 'fc0': PE 3, SIMD 1, MMV 1 is not a legal folding"]),
    ('{"fc5": {"pe": 1}}', ["the folding names unknown layers ['fc5']"]),
    ("fc0: {pe: 2}", ["the folding file is not JSON"]),
])
def test_fold_bad_folding_files(capsys, tmp_path, text, words):
    model = save(dense_model(), tmp_path / "dense.onnx")
    folding = write(tmp_path / "pins.json", text)
    assert_one_error(*bnnc(capsys, "fold", model, "--fps", "1000", "--folding", folding), "bnnc",
                     *words)


def test_fold_output_is_a_directory(capsys, tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    (tmp_path / "out").mkdir()
    assert_one_error(*bnnc(capsys, "fold", model, "--max", "-o", tmp_path / "out"), "bnnc",
                     "out: Is a directory")


# ------------------------------------------------------------------------------------------
# `bnnc run`, `verify` and `report` on directories that are not (whole) builds


@pytest.fixture(scope="module")
def good_build(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("good")
    model = save(dense_model(), folder / "dense.onnx")
    assert bnnc_main(["compile", str(model), "-o", str(folder / "build"), "--fps", "1000"]) == 0
    return folder / "build"


def copy_of(build: Path, tmp_path: Path, change) -> Path:
    target = tmp_path / "build"
    shutil.copytree(build, target)
    change(target)
    return target


def batch(tmp_path: Path) -> Path:
    x = tmp_path / "x.npy"
    np.save(x, np.ones((2, 8), np.float32))
    return x


BROKEN_BUILDS = {
    # (how the copy is damaged, run's engine, words of run's message, words of verify's)
    "not-a-build": (lambda b: shutil.rmtree(b) or b.mkdir(), "csim", ["is a directory but not a bnnc build (no ir/*-hls.mlir)"],
                    ["not a bnnc build directory (no report.json)"]),
    "no-hls-stage": (lambda b: (b / "ir" / "5-hls.mlir").unlink(), "csim",
                     ["no ir/*-hls.mlir"], ["no ir/*-hls.mlir"]),
    # the two below are regressions: `run` ran a build without report.json, and printed xDSL's
    # caret context over several lines for a damaged IR file
    "no-report": (lambda b: (b / "report.json").unlink(), "bnn",
                  ["not a complete bnnc build (no report.json)", "compile the model again"],
                  ["not a bnnc build directory (no report.json)"]),
    "damaged-ir": (lambda b: (b / "ir" / "4-sized.mlir").write_text("df.graph @accelerator {\n"),
                   "df", ["ir/4-sized.mlir:2:", "the build's IR is damaged", "compile the model again"],
                   ["ir/4-sized.mlir:2:", "the build's IR is damaged"]),
}


def check_broken_build(capsys, tmp_path: Path, good_build: Path, case: str) -> None:
    damage, engine, run_words, verify_words = BROKEN_BUILDS[case]
    build = copy_of(good_build, tmp_path, damage)
    x, y = batch(tmp_path), tmp_path / "y.npy"
    assert_one_error(*bnnc(capsys, "run", build, "--engine", engine, "--input", x, "--output", y),
                     "bnnc", str(build), *run_words)
    assert not y.exists()
    levels = "bnn,df,csim" if case != "no-report" else "bnn"
    assert_one_error(*bnnc(capsys, "verify", build, "--input", x, "--levels", levels), "bnnc",
                     str(build), *verify_words)


@pytest.mark.parametrize("case", ["not-a-build", "no-hls-stage"])
def test_run_and_verify_broken_builds(capsys, tmp_path, good_build, case):
    check_broken_build(capsys, tmp_path, good_build, case)


def test_verify_and_report_need_a_build(capsys, tmp_path, good_build):
    x = batch(tmp_path)
    assert_one_error(*bnnc(capsys, "verify", tmp_path / "nothing", "--input", x), "bnnc",
                     "nothing: no such build directory (bnnc compile writes one)")
    assert_one_error(*bnnc(capsys, "verify", good_build, "--input", x, "--levels", "bnn,gates"),
                     "bnnc", "unknown level(s) gates", "onnx, bnn, df, csim, rtlsim")
    (tmp_path / "empty").mkdir()
    assert_one_error(*bnnc(capsys, "report", tmp_path / "empty"), "bnnc",
                     "empty: no report.json; give a directory written by bnnc compile")


def test_run_engine_at_the_wrong_level(capsys, tmp_path, good_build):
    x = batch(tmp_path)
    hls = tmp_path / "top.mlir"
    hls.write_text((good_build / "ir" / "5-hls.mlir").read_text())
    assert_one_error(
        *bnnc(capsys, "run", hls, "--engine", "rtlsim", "--input", x, "--output", tmp_path / "y.npy"),
        "bnnc", "the rtlsim engine needs the df level; this module is already lowered to hls",
    )


# ------------------------------------------------------------------------------------------
# Command lines argparse refuses: one line too, without the usage block


@pytest.mark.parametrize("args, words", [
    ([], ["the following arguments are required: COMMAND", "bnnc --help"]),
    (["frobnicate"], ["argument COMMAND: invalid choice: 'frobnicate'"]),
    (["run", "model.onnx"], ["run: the following arguments are required: --input, --output"]),
    (["run", "m.onnx", "--input", "x.npy", "--output", "y.npy", "--engine", "gpu"],
     ["run: argument --engine: invalid choice: 'gpu'"]),
    (["verify", "build", "--input", "x.npy", "--simulator", "modelsim"],
     ["verify: argument --simulator: invalid choice: 'modelsim'"]),
])
def test_bnnc_usage_errors(capsys, args, words):
    assert_one_error(*bnnc(capsys, *args), "bnnc", *words)


# ------------------------------------------------------------------------------------------
# Regressions: bugs found by this corpus, fixed, and kept as tests.
#
# Also guarded above: option mistakes of `bnnc compile` reported before its progress header
# (COMPILE_CASES marked early), argparse's usage block cut to one line (test_unknown_target,
# test_unknown_flag, test_bnnc_usage_errors), a folding file that is not JSON named as such
# (folding-yaml), the channel count of a Conv's weights against its input
# (test_conv_channels_contradict_the_input).


@pytest.mark.parametrize("spec, column, reason", [
    ("fold{", 6, "Expected argument name here"),
    ("bnn-streamline,,canonicalize", 16, "Expected pass name here"),
    ("fold{max=true", 14, "Malformed pass arguments, expected either a space or `}` here"),
])
def test_pipeline_syntax_error_is_one_line(capsys, tmp_path, spec, column, reason):
    """xDSL's ArgSpecParseError (a BaseException) escaped as a traceback with exit code 1."""
    model = save(dense_model(), tmp_path / "dense.onnx")
    assert_one_error(*bnnc_opt(capsys, model, "-p", spec), "bnnc-opt",
                     f"pipeline '{spec}' at column {column}: {reason}")
    x = batch(tmp_path)
    assert_one_error(
        *bnnc(capsys, "run", model, "-p", spec, "--input", x, "--output", tmp_path / "y.npy"),
        "bnnc", f"pipeline '{spec}' at column {column}: {reason}",
    )


def test_pipeline_syntax_error_subprocess(tmp_path):
    model = save(dense_model(), tmp_path / "dense.onnx")
    code, lines = run_subprocess(BNNC_OPT, model, "-p", "fold{")
    assert_one_error(code, lines, "bnnc-opt", "pipeline 'fold{' at column 6")


def quantizer_model(node: onnx.NodeProto, inits: list[TensorProto]) -> onnx.ModelProto:
    """`node` (a quantizer of x into 'q') in front of a ±1 MatMul."""
    return make_model([node, helper.make_node("MatMul", ["q", "w"], ["y"], name="fc0")],
                      [init("w", pm1((8, 4))), *inits], domains=(QONNX,))


NAN_QUANTIZERS = {
    "quant-nan-scale": (
        helper.make_node("Quant", ["x", "sc", "zp", "bw"], ["q"], name="inq", domain=QONNX),
        [init("sc", np.float32(np.nan)), init("zp", np.float32(0)), init("bw", np.float32(2))],
        ["node 'inq' (Quant)", "the scale must be a positive number, got nan"]),
    "bipolar-quant-inf-scale": (
        helper.make_node("BipolarQuant", ["x", "sc"], ["q"], name="bq0", domain=QONNX),
        [init("sc", np.float32(np.inf))],
        ["node 'bq0' (BipolarQuant)", "the scale must be one positive number, got [inf]"]),
    "multithreshold-nan": (
        helper.make_node("MultiThreshold", ["x", "t"], ["q"], name="mt0", domain=QONNX,
                         out_dtype="INT2", out_bias=-1.0),
        [init("t", np.array([[0.0, np.nan]], np.float32))],
        ["node 'mt0' (MultiThreshold)", "the thresholds hold NaN or Inf"]),
    "multithreshold-inf": (
        helper.make_node("MultiThreshold", ["x", "t"], ["q"], name="mt0", domain=QONNX,
                         out_dtype="INT2", out_bias=-1.0),
        [init("t", np.array([[-np.inf, 0.5]], np.float32))],
        ["node 'mt0' (MultiThreshold)", "the thresholds hold NaN or Inf"]),
}


@pytest.mark.parametrize("case", sorted(NAN_QUANTIZERS))
def test_nan_in_quantizers_names_the_node(capsys, tmp_path, case):
    """NaN passed `scale <= 0` and reached the bnn verifier: 'invalid IR', no file, no node."""
    node, inits, words = NAN_QUANTIZERS[case]
    path = save(quantizer_model(node, inits), tmp_path / "q.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", str(path), *words)


def test_conv_channels_contradict_the_input(capsys, tmp_path):
    """Was 'input ... and weights ... are not NCHW / MCkk', which hid the channel mismatch."""
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Conv", ["s", "w"], ["y"], name="conv_bad", kernel_shape=[3, 3]),
        ],
        [init("w", pm1((3, 4, 3, 3)))],
        inputs=[("x", [1, 2, 6, 6])],
    )
    path = save(model, tmp_path / "channels.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "node 'conv_bad' (Conv)",
                     "the weights [3, 4, 3, 3] read 4 input channels", "[1, 2, 6, 6] has 2")


@pytest.mark.parametrize("case", ["no-report", "damaged-ir"])
def test_run_refuses_half_written_and_damaged_builds(capsys, tmp_path, good_build, case):
    check_broken_build(capsys, tmp_path, good_build, case)


def test_compile_option_errors_come_before_the_progress(capsys, tmp_path):
    """The progress header came first, so an option mistake took two lines."""
    model = save(dense_model(), tmp_path / "dense.onnx")
    code, lines = bnnc(capsys, "compile", model, "-o", tmp_path / "build", "--clock-mhz", "0")
    assert lines == ["bnnc: error: the clock must be a positive number of MHz, got 0.0"]
    assert code == 2


def run_model_in_process(
    capsys, tmp_path: Path, model: onnx.ModelProto, shape
) -> tuple[int, list[str]]:
    """`bnnc run` on the model with a batch of 2, in process: a non-user exception (a bnnc bug)
    propagates out of this and fails the test."""
    path = save(model, tmp_path / "model.onnx")
    x = tmp_path / "x.npy"
    np.save(x, np.ones((2, *shape[1:]), np.float32))
    capsys.readouterr()
    try:
        code = bnnc_main(["run", str(path), "--input", str(x), "--output", str(tmp_path / "y.npy")])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return code, err.splitlines()


def test_gemm_bias_of_shape_1_by_m_imports(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Sign", ["x"], ["s"], name="sign0"),
            helper.make_node("Gemm", ["s", "w", "c"], ["y"], name="fc0", transB=1),
        ],
        [init("w", pm1((4, 8))), init("c", np.arange(4, dtype=np.float32).reshape(1, 4))],
    )
    code, lines = run_model_in_process(capsys, tmp_path, model, (1, 8))
    assert code == 0, lines


def pad_model(
    conv_pads: list[int] | None, pad_value: float = -1.0, quant_scale: float | None = None
) -> onnx.ModelProto:
    """Sign (or a 4-bit Quant with `quant_scale`) -> Pad(pad_value, 1 pixel) -> Conv 3x3 with
    `conv_pads`, or the Pad as the graph output when `conv_pads` is None."""
    if quant_scale is None:
        nodes = [helper.make_node("Sign", ["x"], ["s"], name="sign0")]
    else:
        quant = helper.make_node("Quant", ["x", "qs", "qz", "qb"], ["s"], name="inq", domain=QONNX)
        nodes = [quant]
    nodes.append(helper.make_node("Pad", ["s", "pads", "value"], ["p"], name="pad0"))
    if conv_pads is not None:
        nodes.append(
            helper.make_node("Conv", ["p", "w"], ["y"], name="conv0", kernel_shape=[3, 3],
                             pads=conv_pads)
        )
    return make_model(
        nodes,
        [
            init("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64)),
            init("value", np.float32(pad_value)),
            init("w", pm1((3, 2, 3, 3))),
            init("qs", np.float32(quant_scale or 1.0)),
            init("qz", np.float32(0)),
            init("qb", np.float32(4)),
        ],
        inputs=[("x", [1, 2, 6, 6])],
        outputs=["y" if conv_pads is not None else "p"],
        domains=(QONNX,),
    )


def test_pad_minus_one_then_zero_padding_conv_is_rejected(capsys, tmp_path):
    path = save(pad_model([1, 1, 1, 1]), tmp_path / "pad_conv_pads.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "conv0", "zero padding")


def test_pad_as_graph_output_is_rejected(capsys, tmp_path):
    path = save(pad_model(None), tmp_path / "pad_out.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", "pad0", "Pad")


def test_pad_value_is_divided_by_the_carried_scale(capsys, tmp_path):
    path = save(pad_model([0, 0, 0, 0], pad_value=1.0, quant_scale=0.5), tmp_path / "qpad.onnx")
    capsys.readouterr()
    bnnc_opt_main([str(path)])
    out = capsys.readouterr().out
    assert "pad_value = 2 : i64" in out, out


def test_negative_pad_names_the_node(capsys, tmp_path):
    model = pad_model([0, 0, 0, 0])
    crop = np.array([0, 0, -1, -1, 0, 0, 0, 0], np.int64)
    model.graph.initializer[0].CopyFrom(init("pads", crop))
    path = save(model, tmp_path / "crop.onnx")
    assert_one_error(*bnnc_opt(capsys, path), "bnnc-opt", str(path), "pad0")


def malformed(name: str, nodes, inits, shape=(1, 8), domains=()):
    return make_model(nodes, inits, inputs=[("x", list(shape))], domains=domains), shape, name


MALFORMED_NODES = [
    pytest.param(
        *malformed(
            "bq0", [helper.make_node("BipolarQuant", ["x"], ["y"], name="bq0", domain=QONNX)],
            [], domains=(QONNX,),
        ),
        id="bipolarquant-without-scale",
    ),
    pytest.param(
        *malformed(
            "pool0",
            [helper.make_node("Sign", ["x"], ["s"], name="sign0"),
             helper.make_node("MaxPool", ["s"], ["y"], name="pool0")],
            [], shape=(1, 2, 6, 6),
        ),
        id="maxpool-without-kernel-shape",
    ),
    pytest.param(
        *malformed(
            "bn0",
            [helper.make_node("Sign", ["x"], ["s"], name="sign0"),
             helper.make_node("MatMul", ["s", "w"], ["a"], name="fc0"),
             helper.make_node("BatchNormalization", ["a", "g", "b"], ["y"], name="bn0")],
            [init("w", pm1((8, 4))), init("g", np.ones(4, np.float32)),
             init("b", np.zeros(4, np.float32))],
        ),
        id="batchnorm-with-three-inputs",
    ),
    pytest.param(
        *malformed(
            "conv0",
            [helper.make_node("Sign", ["x"], ["s"], name="sign0"),
             helper.make_node("Conv", ["s", "w"], ["y"], name="conv0", strides=[2])],
            [init("w", pm1((3, 2, 3, 3)))], shape=(1, 2, 6, 6),
        ),
        id="conv-with-one-stride",
    ),
    pytest.param(
        *malformed(
            "rs0",
            [helper.make_node("Sign", ["x"], ["s"], name="sign0"),
             helper.make_node("Reshape", ["s", "t"], ["y"], name="rs0")],
            [init("t", np.array([1, 8, 0], np.int64))],
        ),
        id="reshape-zero-beyond-rank",
    ),
    pytest.param(
        *malformed(
            "wq",
            [helper.make_node("Sign", ["x"], ["s"], name="sign0"),
             helper.make_node("Quant", ["wr", "sc", "zp", "bw"], ["w"], name="wq", domain=QONNX),
             helper.make_node("MatMul", ["s", "w"], ["y"], name="fc0")],
            [init("wr", np.random.default_rng(0).normal(size=(8, 4)).astype(np.float32)),
             init("sc", np.float32(0.5)), init("zp", np.float32(0)), init("bw", np.float32(0))],
            domains=(QONNX,),
        ),
        id="weight-quant-bit-width-0",
    ),
]


@pytest.mark.parametrize("model, shape, node_name", MALFORMED_NODES)
def test_malformed_node_is_one_line(capsys, tmp_path, model, shape, node_name):
    code, lines = run_model_in_process(capsys, tmp_path, model, shape)
    assert_one_error(code, lines, "bnnc", node_name)
