"""hls4ml on a QONNX model, in a process of its own (run by `hls4ml_peer.py`).

    python hls4ml_worker.py write MODEL OUTDIR IO_TYPE STRATEGY
    python hls4ml_worker.py predict MODEL OUTDIR IO_TYPE STRATEGY X.npy OUT.npz

The flow hls4ml 1.3.0 documents for QONNX: qonnx's cleanup, channels-last conversion,
Gemm → MatMul and cleanup again, then `config_from_onnx_model` (per-layer granularity, the
Vitis backend, its default precision ap_fixed<16,6>) and `convert_from_onnx_model`. `write`
writes the HLS project (ONNX → HLS C++); `predict` also compiles it with g++ (hls4ml's own C
simulation library) and runs the batch; it notes when `write()` returned in OUT.npz.written.
A failure prints one line, `hls4ml: TYPE: MESSAGE`,and exits with status 2.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path


def convert(model: str, output_dir: str, io_type: str, strategy: str):
    import hls4ml
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.transformation.channels_last import ConvertToChannelsLastAndClean
    from qonnx.transformation.gemm_to_matmul import GemmToMatMul
    from qonnx.util.cleanup import cleanup_model

    wrapper = cleanup_model(ModelWrapper(model))
    wrapper = wrapper.transform(ConvertToChannelsLastAndClean())
    wrapper = wrapper.transform(GemmToMatMul())
    wrapper = cleanup_model(wrapper)
    config = hls4ml.utils.config.config_from_onnx_model(
        wrapper, granularity="name", backend="Vitis", default_precision="fixed<16,6>"
    )
    config["Model"]["Strategy"] = strategy
    return hls4ml.converters.convert_from_onnx_model(
        wrapper, output_dir=output_dir, io_type=io_type, backend="Vitis", hls_config=config
    )


def main() -> None:
    import numpy as np

    mode, model, output_dir, io_type, strategy = sys.argv[1:6]
    timings: dict[str, object] = {}
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hls_model = convert(model, output_dir, io_type, strategy)
        hls_model.write()
    timings["convert_write_s"] = time.perf_counter() - start
    # What hls4ml itself warns about the model (it may say it does not support it).
    timings["warnings"] = sorted({str(w.message) for w in caught if "hls4ml" in w.filename})
    if mode == "predict":
        # When write() ended: the parent's whole-process time of ONNX → HLS C++.
        Path(sys.argv[7] + ".written").write_text(repr(time.time()))
        x_path, out_path = sys.argv[6:8]
        x = np.load(x_path)
        x = x.transpose(0, 2, 3, 1) if x.ndim == 4 and x.shape[1] == 3 else x.reshape(len(x), -1)
        x = np.ascontiguousarray(x, np.float32)
        start = time.perf_counter()
        hls_model.compile()
        timings["compile_s"] = time.perf_counter() - start
        hls_model.predict(x[:2])  # warm-up (loads the library)
        start = time.perf_counter()
        y = np.asarray(hls_model.predict(x)).reshape(len(x), -1)
        timings["predict_s"] = time.perf_counter() - start
        np.savez(out_path, y=y, info=json.dumps(timings))
    print(json.dumps(timings))


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    try:
        main()
    except Exception as error:  # noqa: BLE001 - any failure of the peer is a result, one line
        message = (str(error).strip().splitlines() or [""])[0][:200]
        print(f"hls4ml: {type(error).__name__}: {message}", file=sys.stderr)
        raise SystemExit(2) from None
