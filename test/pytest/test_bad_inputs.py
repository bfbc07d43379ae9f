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

Importer bugs this corpus found are fixed and kept at the end as regression tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from bnnc.tools.bnnc_main import main as bnnc_main
from bnnc.tools.bnnc_opt import main as bnnc_opt_main

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
            helper.make_node("Softmax", ["t"], ["y"]),  # unnamed: called by type and position
        ],
        [init("w", pm1((8, 4)))],
    )


def test_unknown_ops_all_named(capsys, tmp_path):
    path = save(unknown_ops_model(), tmp_path / "unknown.onnx")
    line = assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", str(path),
        "cannot import this model as a binarized network", "3 node(s) with unsupported op types",
        "'relu0' (Relu, domain ai.onnx)", "'tanh0' (Tanh, domain ai.onnx)",
        "'Softmax#4' (Softmax, domain ai.onnx)",
    )
    assert "fc0" not in line


def test_unknown_ops_subprocess(tmp_path):
    path = save(unknown_ops_model(), tmp_path / "unknown.onnx")
    code, lines = run_subprocess(BNNC_OPT, path)
    assert_one_error(code, lines, "bnnc-opt", "'relu0' (Relu", "'tanh0' (Tanh", "Softmax")


def test_unsupported_custom_domain_ops(capsys, tmp_path):
    model = make_model(
        [
            helper.make_node("Frobnicate", ["x"], ["f"], name="frob0", domain="com.example"),
            # a QONNX op bnnc does not translate, in a domain it otherwise knows
            helper.make_node(
                "Trunc", ["f", "s", "z", "b", "b"], ["y"], name="trunc0", domain=QONNX
            ),
        ],
        [init("s", np.float32(1)), init("z", np.float32(0)), init("b", np.float32(4))],
        domains=("com.example", QONNX),
    )
    path = save(model, tmp_path / "custom.onnx")
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "2 node(s) with unsupported op types",
        "'frob0' (Frobnicate, domain com.example)", f"'trunc0' (Trunc, domain {QONNX})",
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
    assert_one_error(
        *bnnc_opt(capsys, path), "bnnc-opt", "node 'residual_add' (Add)",
        "exactly one operand must be a constant", "residual connection", "not supported",
    )


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


# ------------------------------------------------------------------------------------------
# Regressions: importer bugs found by this corpus, fixed, and kept as tests.


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
