"""`ReferenceSession`: a model prepared once for onnxruntime, run on batches of images.

The model is rewritten into standard ONNX (`loading`), cut down to its first output, and its
constants are folded (`runtime`). Images then run one per onnxruntime call through one reused
session, or in chunks of `BATCH_CHUNK` when the model is provably batchable (`batching`) and the
batched session agrees bit for bit with image-by-image runs on a few random inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from onnx import helper

from bnnc.errors import BnncError
from bnnc.runtime.reference.batching import batchable_model, keep_first_output
from bnnc.runtime.reference.loading import to_standard_onnx
from bnnc.runtime.reference.runtime import fold_constants, make_session

if TYPE_CHECKING:
    import onnxruntime

# Images per onnxruntime call on a batchable model: large enough that per-call overhead
# vanishes, small enough that CNV's activations stay in a few hundred MB.
BATCH_CHUNK = 256
# Random images used to check a batched session against image-by-image runs.
BATCH_CHECK_IMAGES = 3


class ReferenceSession:
    """A model prepared once for onnxruntime; `run` evaluates it on a batch of images.

    `run(x)` takes an array shaped like the model input but with any number N of images on
    axis 0 and returns the model's first output for each image, stacked on axis 0.
    `allow_batching=False` forces one image per onnxruntime call even when the model is
    provably batchable (to cross-check the batched path, or to debug).
    """

    def __init__(self, model_path: str | Path, *, allow_batching: bool = True) -> None:
        self.path = str(model_path)
        self.model = to_standard_onnx(model_path)
        keep_first_output(self.model.graph)
        fold_constants(self.model, self.path)
        graph_input = self.model.graph.input[0]
        self.input_name = graph_input.name
        self.output_name = self.model.graph.output[0].name
        self.input_dtype = np.dtype(
            helper.tensor_dtype_to_np_dtype(graph_input.type.tensor_type.elem_type))
        self.input_shape = [d.dim_value if d.HasField("dim_value") else None
                            for d in graph_input.type.tensor_type.shape.dim]
        # Batch 1 per call is latency-bound: extra threads only add synchronisation.
        self._single = make_session(self.model, self.path, threads=1)
        self._batched = self._batched_session() if allow_batching else None

    @property
    def batched(self) -> bool:
        """Whether whole chunks of images run in one onnxruntime call."""
        return self._batched is not None

    def _batched_session(self) -> onnxruntime.InferenceSession | None:
        candidate = batchable_model(self.model)
        if candidate is None:
            return None
        try:
            session = make_session(candidate, self.path, threads=0)
        except BnncError:
            return None
        probe = self._random_images(BATCH_CHECK_IMAGES)
        try:
            together = session.run([self.output_name], {self.input_name: probe})[0]
            one_by_one = self._run_single(probe)
        except Exception:  # any runtime failure: the proof missed something, stay safe
            return None
        if together.shape != one_by_one.shape or not np.array_equal(together, one_by_one):
            return None
        return session

    def _random_images(self, count: int) -> np.ndarray:
        shape = [count, *[d or 1 for d in self.input_shape[1:]]]
        rng = np.random.default_rng(0)
        if np.issubdtype(self.input_dtype, np.integer):
            info = np.iinfo(self.input_dtype)
            return rng.integers(max(info.min, 0), min(info.max, 255), size=shape,
                                endpoint=True).astype(self.input_dtype)
        return rng.random(shape).astype(self.input_dtype)

    def _check_input(self, x: np.ndarray) -> np.ndarray:
        if x.ndim != len(self.input_shape) or any(
            want is not None and got != want
            for want, got in zip(self.input_shape[1:], x.shape[1:], strict=True)
        ):
            want = ["N", *[d if d is not None else "?" for d in self.input_shape[1:]]]
            raise BnncError(f"{self.path}: input of shape {list(x.shape)} does not match the "
                            f"model input '{self.input_name}' of shape {want}")
        return np.ascontiguousarray(x, dtype=self.input_dtype)

    def _run_single(self, x: np.ndarray) -> np.ndarray:
        run = self._single.run
        names = [self.output_name]
        outputs = [run(names, {self.input_name: x[i:i + 1]})[0] for i in range(x.shape[0])]
        return stack_outputs(outputs)

    def _run_batched(self, x: np.ndarray) -> np.ndarray:
        assert self._batched is not None
        names = [self.output_name]
        outputs = [self._batched.run(names, {self.input_name: x[i:i + BATCH_CHUNK]})[0]
                   for i in range(0, x.shape[0], BATCH_CHUNK)]
        return np.concatenate(outputs, axis=0)

    def run(self, x: np.ndarray) -> np.ndarray:
        """The model's first output for every image of the batch `x`, stacked on axis 0."""
        x = self._check_input(np.asarray(x))
        if x.shape[0] == 0:  # empty in, empty out: the output's shape and type from one frame
            return self.run(np.zeros((1, *x.shape[1:]), dtype=x.dtype))[:0]
        try:
            if self._batched is not None:
                return self._run_batched(x)
            return self._run_single(x)
        except BnncError:
            raise
        except Exception as e:  # onnxruntime's runtime errors
            raise BnncError(f"{self.path}: onnxruntime failed: {e}") from e


def stack_outputs(outputs: list[np.ndarray]) -> np.ndarray:
    """Per-image outputs keep their batch axis of 1, so they concatenate; outputs without one
    (rank 0, or a first axis that is not a batch of 1) get a new leading axis."""
    if all(out.ndim > 0 and out.shape[0] == 1 for out in outputs):
        return np.concatenate(outputs, axis=0)
    return np.stack(outputs, axis=0)


def run_reference(model_path: str | Path, x: np.ndarray) -> np.ndarray:
    """Run the model at `model_path` on the batch `x` (see `ReferenceSession.run`)."""
    return ReferenceSession(model_path).run(x)
