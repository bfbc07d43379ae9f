"""The reference engine (`--engine onnx`): run an ONNX model on a batch of images with onnxruntime.

bnnc checks everything it compiles against this engine, so it has to compute what the model
file means, not what bnnc thinks it means. The models come in three dialects:

* plain ONNX (Sign, MatMul, BatchNormalization, ...), which onnxruntime runs as is;
* QONNX, whose quantizers are the custom ops `BipolarQuant` and `Quant` in the domain
  `onnx.brevitas` (Brevitas < 0.8) or `qonnx.custom_op.general`;
* FINN-ONNX, whose activations are `MultiThreshold` in `finn.custom_op.general` or
  `qonnx.custom_op.general`.

The engine is a pipeline, one module per stage:

* `loading`: read the file, check its domains, raise it to opset 13 and rewrite it into
  standard ONNX (`to_standard_onnx`);
* `custom_ops`: the rewrite of each custom op into standard ONNX ops that compute exactly the
  floats qonnx computes;
* `runtime`: onnxruntime sessions that run the graph as written, and constant folding;
* `batching`: the static proof that a model may run many images per call, and the batched copy;
* `session`: `ReferenceSession` and `run_reference`, which tie the stages together.
"""

from bnnc.runtime.reference.loading import to_standard_onnx
from bnnc.runtime.reference.runtime import make_session  # tests build their own sessions
from bnnc.runtime.reference.session import ReferenceSession, run_reference

__all__ = ["ReferenceSession", "run_reference", "to_standard_onnx"]
