"""Runs a BNN in Larq Compute Engine; executed by `lce_peer.py` in the LCE virtual environment.

    <lce venv>/bin/python lce_worker.py MODEL.npz X.npy OUT.npz [MODEL.npz X.npy OUT.npz ...]

MODEL.npz holds the blocks `binary_layers.read_binary_model` read from the ONNX model (±1
weights, per-channel affine, sign, max-pool) and the input's quantizer. This builds the same
network as a Keras model with Larq's quantized layers (a dense layer is a 1×1 binary
convolution on a 1×1 image, which LCE lowers to its binary kernel), converts it with LCE's
converter and runs it in LCE's interpreter. The worker imports only TensorFlow, Larq and LCE:
nothing of bnnc. Several models in one run share TensorFlow's import (tens of seconds).
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

BATCH = int(os.environ.get("BNNC_LCE_BATCH", "16"))
THREADS = int(os.environ.get("BNNC_LCE_THREADS", str(os.cpu_count() or 1)))
MIN_SECONDS = 2.0  # run the batch again until this long has passed, then take the best pass


def build_keras(spec: dict):
    import larq as lq
    import tensorflow as tf

    blocks = int(spec["blocks"])
    image = str(spec["kind_0"]) == "conv"
    shape = tuple(int(d) for d in spec["input_shape"])  # ONNX, without the batch
    inputs = tf.keras.Input(
        (shape[1], shape[2], shape[0]) if image else (1, 1, int(np.prod(shape))), batch_size=BATCH
    )
    x = inputs
    for i in range(blocks):
        w, scale, bias = (
            spec[f"weights_{i}"].astype(np.float32),
            spec[f"scale_{i}"],
            spec[f"bias_{i}"],
        )
        integer_input = i == 0 and str(spec["quant_kind"]) == "int"
        if str(spec[f"kind_{i}"]) == "conv":
            kernel = w.transpose(1, 2, 3, 0)  # (out, kh, kw, in) -> (kh, kw, in, out)
        else:
            if x.shape[1] * x.shape[2] > 1:
                x = tf.keras.layers.Reshape((1, 1, -1))(x)  # NHWC order, as the weights are
            kernel = w.T.reshape(1, 1, w.shape[1], w.shape[0])
        conv = lq.layers.QuantConv2D(
            w.shape[0],
            kernel.shape[:2],
            padding="valid",
            use_bias=False,
            input_quantizer=None if integer_input else "ste_sign",
            kernel_quantizer="ste_sign",
            kernel_constraint="weight_clip",
        )
        x = conv(x)
        conv.set_weights([kernel])
        if integer_input:  # the conv sums q·step products already: the step is not in the scale
            scale = scale / float(spec["quant_scale"])
        norm = tf.keras.layers.BatchNormalization(epsilon=1e-3)
        x = norm(x)
        norm.set_weights(
            [
                scale.astype(np.float32),
                bias.astype(np.float32),
                np.zeros_like(scale, np.float32),
                np.full_like(scale, 1 - 1e-3, np.float32),
            ]
        )
        if bool(spec[f"maxpool_{i}"]):
            x = tf.keras.layers.MaxPool2D(2)(x)  # scales are ≥ 0: the pool commutes with the sign
    return tf.keras.Model(inputs, x)


def model_input(spec: dict, x: np.ndarray) -> np.ndarray:
    """The ONNX input → what the Keras model takes: a·x + b (its first layer takes the sign),
    or the quantizer's values for an integer input; NHWC."""
    x = float(spec["quant_a"]) * x.astype(np.float32) + float(spec["quant_b"])
    if str(spec["quant_kind"]) == "int":
        step = float(spec["quant_scale"])
        x = np.clip(np.round(x / step), int(spec["quant_qmin"]), int(spec["quant_qmax"])) * step
    if x.ndim == 4 and x.shape[1] in (1, 3) and str(spec["kind_0"]) == "conv":
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1), np.float32)
    return np.ascontiguousarray(x.reshape(len(x), 1, 1, -1), np.float32)


def operator_names(flatbuffer: bytes) -> list[str]:
    """The op of every operator of the converted model (LceBconv2d: LCE's binary convolution)."""
    from larq_compute_engine.mlir.python import tflite_schema

    model = tflite_schema.ModelT.InitFromObj(tflite_schema.Model.GetRootAsModel(flatbuffer, 0))
    builtin = {
        v: k for k, v in vars(tflite_schema.BuiltinOperator).items() if not k.startswith("_")
    }
    names = []
    for op in model.subgraphs[0].operators:
        code = model.operatorCodes[op.opcodeIndex]
        names.append(
            code.customCode.decode()
            if code.customCode
            else builtin.get(max(code.builtinCode, code.deprecatedBuiltinCode), "?")
        )
    return names


def run_model(spec_path: str, x_path: str, out_path: str) -> None:
    import larq_compute_engine as lce
    import tensorflow as tf
    from larq_compute_engine.tflite.python.interpreter import Interpreter

    spec = dict(np.load(spec_path))
    x = np.load(x_path)
    start = time.perf_counter()
    flatbuffer = lce.convert_keras_model(build_keras(spec))
    convert_s = time.perf_counter() - start
    interpreter = Interpreter(flatbuffer, num_threads=THREADS).interpreter
    n = len(x) - len(x) % BATCH
    if n == 0:
        raise SystemExit(f"lce_worker: fewer than {BATCH} inputs")

    def run_all() -> np.ndarray:
        prepared = model_input(spec, x[:n])
        outputs = [interpreter.predict([prepared[i : i + BATCH]])[0] for i in range(0, n, BATCH)]
        return np.concatenate(outputs).reshape(n, -1)

    y = run_all()  # warm-up, and the outputs
    best, total = float("inf"), 0.0
    while total < MIN_SECONDS:
        t = time.perf_counter()
        run_all()
        best = min(best, time.perf_counter() - t)
        total += time.perf_counter() - t
    ops = operator_names(flatbuffer)
    info = {
        "convert_s": convert_s,
        "run_s": best,
        "images": n,
        "batch": BATCH,
        "threads": THREADS,
        "lce_version": lce.__version__,
        "tensorflow_version": tf.__version__,
        "binary_convs": ops.count("LceBconv2d"),
        "operators": ops,
        "layers": int(spec["blocks"]),
    }
    np.savez(out_path, y=y, info=json.dumps(info))


def main() -> None:
    args = sys.argv[1:]
    if not args or len(args) % 3:
        raise SystemExit(__doc__)
    start = time.perf_counter()
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    print(
        f"lce_worker: TensorFlow imported in {time.perf_counter() - start:.1f} s", file=sys.stderr
    )
    for i in range(0, len(args), 3):
        run_model(*args[i : i + 3])


if __name__ == "__main__":
    main()
