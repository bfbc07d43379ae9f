"""The reference semantics of the `bnn` dialect, as numpy implementations for xDSL's interpreter.

Values at run time, whatever the batch size N in dimension 0:
- bipolar tensors are uint8 arrays of bits (1 is +1, 0 is −1);
- integer tensors are int64 arrays;
- real tensors are float64 arrays: real-valued ops are evaluated in double precision (see
  docs/design.md, "Real arithmetic"), so integer accumulators convert to reals exactly; the
  model's input stays float32 where only folded activation chains read it (they compare it
  exactly, `bnn_activation_chains`), and the ops inside a folded chain pass their input on.

Bipolar × bipolar products run on packed 64-bit words: for K inputs,
`dot = K − 2·popcount(x XOR w)`, with `np.bitwise_count`. The padding bits beyond K are zero in
both operands (see `bnnc.semantics.packing`), so they never count.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    PythonValues,
    ReturnedValues,
    TerminatorValue,
    impl,
    impl_callable,
    impl_terminator,
    register_impls,
)
from xdsl.ir import Attribute, Operation

from bnnc.dialects import bnn
from bnnc.errors import BnncError
from bnnc.runtime.interpreters.bnn_activation_chains import (
    ActivationChain,
    find_activation_chains,
    float32_input_suffices,
)
from bnnc.runtime.interpreters.bnn_residual import ResidualFunctions
from bnnc.runtime.interpreters.native import one_core, xnor_popcount

if TYPE_CHECKING:
    from bnnc.runtime.interpreters.df import DfFunctions

# Keep the (rows × weight rows × words) XOR block of one chunk near this many words.
CHUNK_WORDS = 1 << 22
# A batch of a module without accelerator calls runs in slices whose largest activation has
# about this many elements, a slice per core at a time: a slice's activations stay in the
# caches, and numpy's elementwise work, single-threaded, gets every core. On 2 cores
# (benchmarks/compare.py): TFC, 10k images, 89 k → 148 k images/s; CNV, 100 images, 254 → 520.
SLICE_ELEMENTS = 1 << 20
def numeric(x: np.ndarray, element: Attribute) -> np.ndarray:
    """Bits as ±1; integers and reals unchanged."""
    return 2 * x.astype(np.int64) - 1 if bnn.is_bipolar(element) else x


def real(x: np.ndarray, element: Attribute) -> np.ndarray:
    return numeric(x, element).astype(np.float64)


def pack_bits(bits: np.ndarray) -> np.ndarray:
    """(R, K) bits → (R, words) uint64, element i at bit i of its row (as `bnnc.semantics.packing`)."""
    rows, k = bits.shape
    words = -(-k // 64)
    padded = np.zeros((rows, words * 64), dtype=np.uint8)
    padded[:, :k] = bits
    return np.packbits(padded, axis=1, bitorder="little").view(np.uint64)


def xnor_dot(x_bits: np.ndarray, w_words: np.ndarray, k: int) -> np.ndarray:
    """±1 dot products of every row of x_bits (R, K) with every packed weight row (M, words)."""
    x_words = pack_bits(x_bits)
    native = xnor_popcount(x_words, w_words, k)
    if native is not None:
        return native
    rows, m, words = x_words.shape[0], w_words.shape[0], w_words.shape[1]
    out = np.empty((rows, m), dtype=np.int64)
    chunk = max(1, CHUNK_WORDS // max(1, m * words))
    for start in range(0, rows, chunk):
        block = x_words[start : start + chunk, None, :] ^ w_words[None, :, :]
        mismatches = np.bitwise_count(block).sum(axis=2, dtype=np.int64)
        out[start : start + chunk] = k - 2 * mismatches
    return out


def _elementwise(op_type: type[Operation]):
    """The executor's implementation of an elementwise op: `bnn.evaluate_elementwise`, which
    threshold fusion evaluates too; in a folded activation chain, the comparisons of its last op
    (sign or quantize), which the chain's other ops leave to it by passing their input on
    (`bnn_activation_chains`)."""

    @impl(op_type)
    def run(self, interpreter: Interpreter, op: Operation, args: PythonValues) -> PythonValues:
        if op in self.activation_chains:
            folded = self.activation_chains[op]
            return (args[0] if folded is None else folded.codes(args[0]),)
        return (bnn.evaluate_elementwise(op, args[0]),)

    return run


@register_impls
class BnnFunctions(InterpreterFunctions):
    def __init__(self, activation_chains: dict[Operation, ActivationChain | None] | None = None):
        """`activation_chains`: the module's folded chains (`find_activation_chains`), or none."""
        super().__init__()
        self._weights: dict[Operation, tuple[np.ndarray, np.ndarray, int]] = {}
        self.activation_chains = activation_chains or {}

    # -- layers --------------------------------------------------------------------------------

    def _products(self, op: bnn.DenseOp | bnn.Conv2dOp, x: np.ndarray, k: int) -> np.ndarray:
        """Rows of x (R, K) times the layer's weight matrix, as int64 (R, M)."""
        t_in = bnn.element_type(op.operands[0].type)
        if bnn.is_bipolar(t_in) and bnn.is_bipolar(op.weight_type):
            w_words = np.frombuffer(op.weights.data.data, dtype=np.uint64).reshape(
                op.weights.get_shape()
            )
            dot = xnor_dot(x, w_words, k)
            return (dot + k) // 2 if op.popcount is not None else dot
        if op not in self._weights:
            matrix = op.weight_matrix(k)
            self._weights[op] = (matrix.astype(np.float64), matrix.astype(np.float32),
                                 int(np.abs(matrix).sum(axis=1).max(initial=0)))
        weights64, weights32, row_norm = self._weights[op]
        values = numeric(x, t_in)
        # Products of integers summed in floating point are exact while every partial sum stays
        # below 2**24 (float32) or 2**53 (float64): float32 when max|x| · max row Σ|w| allows.
        integral = values.dtype.kind in "iub"
        # The input type's range bounds max|x| without a pass over the data (n-bit codes)
        typed_bound = max(map(abs, bnn.value_range(t_in))) if integral and not bnn.is_real(t_in) else None
        if typed_bound is not None and typed_bound * row_norm < 2**24:
            return np.rint(values.astype(np.float32) @ weights32.T).astype(np.int64)
        if integral and int(np.abs(values).max(initial=0)) * row_norm < 2**24:
            return np.rint(values.astype(np.float32) @ weights32.T).astype(np.int64)
        return np.rint(values.astype(np.float64) @ weights64.T).astype(np.int64)

    @impl(bnn.DenseOp)
    def run_dense(self, interpreter: Interpreter, op: bnn.DenseOp, args: PythonValues) -> PythonValues:
        return (self._products(op, args[0], op.in_features),)

    @impl(bnn.Conv2dOp)
    def run_conv2d(self, interpreter: Interpreter, op: bnn.Conv2dOp, args: PythonValues) -> PythonValues:
        x = args[0]
        kh, kw = bnn.array_values(op.kernel)
        sh, sw = bnn.array_values(op.strides)
        top, left, bottom, right = bnn.array_values(op.pads)
        fill = op.pad_value.value.data
        if bnn.is_bipolar(bnn.element_type(op.input.type)):
            fill = 1 if fill > 0 else 0  # the padding value's bit
        nhwc = np.transpose(x, (0, 2, 3, 1))
        if top or left or bottom or right:
            nhwc = np.pad(
                nhwc, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=fill
            )
        windows = sliding_window_view(nhwc, (kh, kw), axis=(1, 2))[:, ::sh, ::sw]
        n, oh, ow, c = windows.shape[:4]
        # windows: (N, OH, OW, C, kh, kw) -> rows in the (ky, kx, c) order of the weights
        patches = np.ascontiguousarray(windows.transpose(0, 1, 2, 4, 5, 3)).reshape(
            n * oh * ow, kh * kw * c
        )
        acc = self._products(op, patches, kh * kw * c)
        return (acc.reshape(n, oh, ow, -1).transpose(0, 3, 1, 2),)

    @impl(bnn.DepthwiseConv2dOp)
    def run_depthwise_conv2d(self, interpreter: Interpreter, op: bnn.DepthwiseConv2dOp,
                             args: PythonValues) -> PythonValues:
        """One strided multiply-add over the whole batch per kernel tap (kh·kw of them), in
        int64: exact, and MobileNet's 224×224 layers take milliseconds."""
        kh, kw = bnn.array_values(op.kernel)
        sh, sw = bnn.array_values(op.strides)
        top, left, bottom, right = bnn.array_values(op.pads)
        values = numeric(args[0], bnn.element_type(op.input.type)).astype(np.int64)
        if top or left or bottom or right:  # the padding value is a number (±1 on bipolar data)
            values = np.pad(values, ((0, 0), (0, 0), (top, bottom), (left, right)),
                            constant_values=op.pad_value.value.data)
        oh, ow = bnn.shape_of(op.output.type)[2:]
        weights = op.weight_matrix(kh * kw).astype(np.int64)  # (C, kh·kw), (ky, kx) order
        acc = np.zeros((values.shape[0], values.shape[1], oh, ow), dtype=np.int64)
        for ky in range(kh):
            for kx in range(kw):
                tap = values[:, :, ky : ky + (oh - 1) * sh + 1 : sh, kx : kx + (ow - 1) * sw + 1 : sw]
                acc += tap * weights[:, ky * kw + kx][None, :, None, None]
        return ((acc + kh * kw) // 2 if op.popcount is not None else acc,)

    # -- activations and real-valued ops: their arithmetic is the dialect's -------------------------

    run_sign = _elementwise(bnn.SignOp)
    run_quantize = _elementwise(bnn.QuantizeOp)
    run_threshold = _elementwise(bnn.ThresholdOp)
    run_batchnorm = _elementwise(bnn.BatchNormOp)
    run_affine = _elementwise(bnn.AffineOp)

    # -- pooling, shapes, label select ---------------------------------------------------------------

    @impl(bnn.MaxPoolOp)
    def run_maxpool(self, interpreter: Interpreter, op: bnn.MaxPoolOp, args: PythonValues) -> PythonValues:
        kh, kw = bnn.array_values(op.kernel)
        sh, sw = bnn.array_values(op.strides)
        windows = sliding_window_view(args[0], (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
        return (windows.max(axis=(4, 5)),)  # on bits, max is OR

    @impl(bnn.ReshapeOp)
    def run_reshape(self, interpreter: Interpreter, op: bnn.ReshapeOp, args: PythonValues) -> PythonValues:
        x = args[0]
        return (x.reshape((x.shape[0],) + bnn.shape_of(op.output.type)[1:]),)

    @impl(bnn.TransposeOp)
    def run_transpose(self, interpreter: Interpreter, op: bnn.TransposeOp, args: PythonValues) -> PythonValues:
        return (np.transpose(args[0], bnn.array_values(op.perm)),)

    @impl(bnn.TopKOp)
    def run_topk(self, interpreter: Interpreter, op: bnn.TopKOp, args: PythonValues) -> PythonValues:
        scores = numeric(args[0], bnn.element_type(op.input.type))
        order = np.argsort(-scores, axis=-1, kind="stable")  # ties: the lower index first
        return (order[..., : op.k.value.data].astype(np.int64),)

    # -- output activations (host) -------------------------------------------------------------

    @impl(bnn.SoftmaxOp)
    def run_softmax(self, interpreter: Interpreter, op: bnn.SoftmaxOp, args: PythonValues) -> PythonValues:
        x = np.asarray(args[0], dtype=np.float64)
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return (e / e.sum(axis=-1, keepdims=True),)

    @impl(bnn.LogSoftmaxOp)
    def run_log_softmax(self, interpreter: Interpreter, op: bnn.LogSoftmaxOp, args: PythonValues) -> PythonValues:
        x = np.asarray(args[0], dtype=np.float64)
        shifted = x - x.max(axis=-1, keepdims=True)
        return (shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True)),)

    @impl(bnn.SigmoidOp)
    def run_sigmoid(self, interpreter: Interpreter, op: bnn.SigmoidOp, args: PythonValues) -> PythonValues:
        x = np.asarray(args[0], dtype=np.float64)
        return (0.5 * (1.0 + np.tanh(0.5 * x)),)  # 1/(1 + e^−x) without overflow


@register_impls
class EntryFunctions(InterpreterFunctions):
    """`func.func` and `func.return`, all a bnnc module's entry needs. xDSL has these in
    `xdsl.interpreters.func`, but importing that package loads every interpreter xDSL ships
    (RISC-V, linalg, ...): ≈ 0.6 s of every `bnnc` command that runs a pass using the executor."""

    @impl_terminator(func.ReturnOp)
    def run_return(self, interpreter: Interpreter, op: func.ReturnOp,
                   args: PythonValues) -> tuple[TerminatorValue, PythonValues]:
        return ReturnedValues(args), ()

    @impl_callable(func.FuncOp)
    def call_func(self, interpreter: Interpreter, op: func.FuncOp, args: PythonValues) -> PythonValues:
        return interpreter.run_ssacfg_region(op.body, args, op.sym_name.data)


class BnnExecutor:
    """Runs `func.func @main` of a module on a batch of inputs: `bnn` ops, and `df` graphs
    through `df.invoke` once the accelerator part is lowered."""

    def __init__(self, module: ModuleOp, entry: str = "main", rtl_simulator: str | None = None,
                 df_functions: DfFunctions | None = None, threads: int | None = None,
                 fold_activations: bool = True):
        """`rtl_simulator` ('verilator' or 'icarus') runs `df` graphs in RTL simulation;
        `df_functions` replaces how `df.invoke` runs a graph altogether; `threads` (default: the
        cores this process may use) run the slices of a batch of a host-only module;
        `fold_activations` compares where affine/batch-norm ops end in a sign or a quantizer (the
        same codes: `bnn_activation_chains`; False evaluates every op, as the tests compare)."""
        self.module = module
        self.entry = entry
        main = next(
            (op for op in module.ops if isinstance(op, func.FuncOp) and op.sym_name.data == entry),
            None,
        )
        if main is None:
            raise BnncError(f"the module has no function @{entry} to run")
        self.input_type = main.function_type.inputs.data[0]
        self.output_types = main.function_type.outputs.data
        from bnnc.dialects import df, hls
        from bnnc.runtime.interpreters.df import (
            DfFunctions,  # the host calls df graphs via df.invoke
        )
        from bnnc.runtime.interpreters.hls import (
            HlsFunctions,  # ... and HLS tops via hls.invoke (csim)
        )

        if df_functions is not None:
            self.df: DfFunctions = df_functions
        elif rtl_simulator is None:
            self.df = DfFunctions()
        else:
            from bnnc.runtime.interpreters.rtl import RtlsimFunctions

            self.df = RtlsimFunctions(rtl_simulator)
        self.hls = HlsFunctions()
        self.activation_chains = find_activation_chains(module) if fold_activations else {}
        # A float32 input converted to float64 costs as much as the comparisons that use it
        self.float32_input = bool(main.body.block.args) and float32_input_suffices(
            main.body.block.args[0], self.activation_chains)
        self.interpreter = self._new_interpreter()
        # Accelerator calls run their own simulators (already parallel, some with state such
        # as df_functions' captures); only a host-only module runs in slices side by side.
        self.threads = threads or len(os.sched_getaffinity(0))
        self.host_only = not any(isinstance(op, (df.InvokeOp, hls.InvokeOp)) for op in module.walk())
        self._interpreters = [self.interpreter]
        self.largest_per_input = max(
            (int(np.prod(bnn.shape_of(r.type)[1:])) for op in main.walk() for r in op.results
             if isinstance(r.type, TensorType)), default=1)

    def _new_interpreter(self) -> Interpreter:
        interpreter = Interpreter(self.module)
        interpreter.register_implementations(EntryFunctions())
        interpreter.register_implementations(BnnFunctions(self.activation_chains))
        interpreter.register_implementations(ResidualFunctions())
        interpreter.register_implementations(self.df)
        interpreter.register_implementations(self.hls)
        return interpreter

    def _call(self, x: np.ndarray) -> np.ndarray:
        """The entry function on a prepared batch: whole, or in slices on every core."""
        rows = max(1, min(SLICE_ELEMENTS // self.largest_per_input, -(-x.shape[0] // self.threads)))
        if not self.host_only or self.threads < 2 or x.shape[0] <= rows:
            return self.interpreter.call_op(self.entry, (x,))[0]
        slices = [x[i : i + rows] for i in range(0, x.shape[0], rows)]
        workers = min(self.threads, len(slices))
        while len(self._interpreters) < workers:  # an xDSL interpreter runs one call at a time
            self._interpreters.append(self._new_interpreter())

        def work(worker: int) -> list[tuple[int, np.ndarray]]:
            interpreter = self._interpreters[worker]
            with one_core():
                return [(i, interpreter.call_op(self.entry, (slices[i],))[0])
                        for i in range(worker, len(slices), workers)]

        from threadpoolctl import threadpool_limits

        results: list[np.ndarray | None] = [None] * len(slices)
        # BLAS (a non-binary layer's matmul) would start a team of its own in every worker
        with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
            for done in pool.map(work, range(workers)):
                for i, y in done:
                    results[i] = y
        return np.concatenate(results)

    def run(self, x: np.ndarray) -> np.ndarray:
        """The model's output for a batch `x` shaped like the input (any size in dimension 0)."""
        expected = bnn.shape_of(self.input_type)[1:]
        x = np.asarray(x)
        if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
            raise BnncError(
                f"input batch has shape {list(x.shape)}, expected [N, {', '.join(map(str, expected))}]"
            )
        element = bnn.element_type(self.input_type)
        if bnn.is_bipolar(element):
            x = (x >= 0).astype(np.uint8)  # ±1 values in, bits inside (sign(0) = +1)
        elif bnn.is_integer(element):
            x = x.astype(np.int64)
        elif not (self.float32_input and x.dtype == np.float32):
            x = x.astype(np.float64)
        y = self._call(x)
        out_element = bnn.element_type(self.output_types[0])
        if bnn.is_real(out_element):
            return y.astype(np.float32)
        return numeric(y, out_element).astype(np.int64)


def run_bnn(module: ModuleOp, x: np.ndarray) -> np.ndarray:
    return BnnExecutor(module).run(x)
