"""Brevitas residual networks (issue 24), built as users build them and exported to QONNX:
ResNet-8 and ResNet-10 at w2a2 and w1a2, ResNet-18 at w4a4, CIFAR-10 sized, seeded random
weights (the batch norms' statistics set by a few batches of random images, as training would).

ResNet-10 and ResNet-18 are `brevitas_examples.bnn_pynq.models.resnet.QuantResNet` (four stages of
`QuantBasicBlock`, 8-bit first and last layers, `TruncAvgPool2d` to 8 bits, exported as
AveragePool then QONNX Trunc); ResNet-8 is three stages of the same `QuantBasicBlock` (16, 32, 64
channels), the CIFAR ResNet's shape. Binary weights (w1) use bnn_pynq's `CommonWeightQuant`,
which exports BipolarQuant. QuantResNet has no input quantizer ("the input is already 8b RGB"),
so every network gets the 8-bit `QuantIdentity` in front that a user adds for FINN.

Checked on CIFAR-10 test images: the imported `bnn` module against the QONNX model under bnnc's
onnxruntime reference (to float32 rounding of the real scores, and the same top-1), the
streamlined module against the imported one exactly, and the `df` graph (forks, joins, the
global pool) against the streamlined module exactly. Needs the `train` extra: `pytest -m brevitas`.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import shared_path

from bnnc.dialects import bnn
from bnnc.driver.pipeline import run_pipeline
from bnnc.frontend.onnx_importer import import_onnx
from bnnc.runtime.interpreters.bnn import BnnExecutor
from bnnc.runtime.reference import ReferenceSession

pytestmark = pytest.mark.brevitas


def cifar_images(count: int) -> np.ndarray:
    """The first CIFAR-10 test images as NCHW floats in [-1, 1]."""
    data = np.load(shared_path("data", "cifar10", "cifar10_test_first20.npz"))
    x = data["x_hwc"][:count].transpose(0, 3, 1, 2).astype(np.float32)
    return x / 127.5 - 1.0


def resnet8(weight_bits: int, act_bits: int, weight_quant):
    """Three stages of one QuantBasicBlock each (16, 32, 64 channels) between an 8-bit first
    convolution and an 8-bit classifier, pooled by TruncAvgPool2d as QuantResNet pools."""
    import brevitas.nn as qnn
    from brevitas.quant import Int8WeightPerChannelFloat, Int8WeightPerTensorFloat, TruncTo8bit
    from brevitas_examples.bnn_pynq.models.resnet import QuantBasicBlock
    from torch import nn

    class ResNet8(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = qnn.QuantConv2d(3, 16, 3, padding=1, bias=False, weight_bit_width=8,
                                         weight_quant=Int8WeightPerChannelFloat)
            self.bn1 = nn.BatchNorm2d(16)
            self.relu = qnn.QuantReLU(bit_width=act_bits, return_quant_tensor=True)
            blocks, shared, planes_in = [], self.relu, 16
            for planes, stride in ((16, 1), (32, 2), (64, 2)):
                block = QuantBasicBlock(planes_in, planes, stride, shared_quant_act=shared,
                                        act_bit_width=act_bits, weight_bit_width=weight_bits,
                                        weight_quant=weight_quant)
                blocks.append(block)
                shared, planes_in = block.relu_out, planes
            self.blocks = nn.Sequential(*blocks)
            self.pool = qnn.TruncAvgPool2d(kernel_size=8, trunc_quant=TruncTo8bit,
                                           float_to_int_impl_type="FLOOR")
            self.linear = qnn.QuantLinear(64, 10, bias=True, weight_bit_width=8,
                                          weight_quant=Int8WeightPerTensorFloat)

        def forward(self, x):
            out = self.blocks(self.relu(self.bn1(self.conv1(x))))
            return self.linear(self.pool(out).flatten(1))

    return ResNet8()


def build(depth: int, weight_bits: int, act_bits: int):
    """The network with an 8-bit input quantizer in front, seeded, batch norms set."""
    import brevitas.nn as qnn
    import torch
    from brevitas.quant import Int8WeightPerChannelFloat
    from brevitas_examples.bnn_pynq.models.common import CommonWeightQuant
    from brevitas_examples.bnn_pynq.models.resnet import QuantBasicBlock, QuantResNet
    from torch import nn

    torch.manual_seed(depth * 100 + weight_bits * 10 + act_bits)
    weight_quant = CommonWeightQuant if weight_bits == 1 else Int8WeightPerChannelFloat
    if depth == 8:
        body = resnet8(weight_bits, act_bits, weight_quant)
    else:
        blocks = {10: [1, 1, 1, 1], 18: [2, 2, 2, 2]}[depth]
        body = QuantResNet(QuantBasicBlock, blocks, weight_bit_width=weight_bits,
                           act_bit_width=act_bits, weight_quant=weight_quant)
    model = nn.Sequential(qnn.QuantIdentity(bit_width=8, return_quant_tensor=True), body)
    model.train()
    with torch.no_grad():  # a few batches set the batch norms' statistics, as training would
        for _ in range(2):
            model(torch.rand(8, 3, 32, 32) * 2 - 1)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(0.0, 1.0)
    return model.eval()


NETWORKS = [(8, 2, 2), (8, 1, 2), (10, 2, 2), (10, 1, 2), (18, 4, 4)]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    import torch
    from brevitas.export import export_qonnx

    cache: dict[tuple[int, int, int], str] = {}

    def get(depth: int, weight_bits: int, act_bits: int) -> str:
        key = (depth, weight_bits, act_bits)
        if key not in cache:
            path = tmp_path_factory.mktemp("resnet") / f"resnet{depth}_w{weight_bits}a{act_bits}.onnx"
            # torch.export (Brevitas' default, dynamo) loses the QuantTensors QuantBasicBlock
            # asserts on ("Perform add among QuantTensors"): the TorchScript exporter keeps them
            export_qonnx(build(*key), torch.zeros(1, 3, 32, 32), str(path), dynamo=False)
            cache[key] = str(path)
        return cache[key]

    return get


@pytest.mark.parametrize("depth, weight_bits, act_bits", NETWORKS,
                         ids=[f"resnet{d}-w{w}a{a}" for d, w, a in NETWORKS])
def test_resnet_onnx_equals_bnn(depth, weight_bits, act_bits, exported):
    path = exported(depth, weight_bits, act_bits)
    module = import_onnx(path)
    ops = [op.name for op in module.walk()]
    blocks = {8: 3, 10: 4, 18: 8}[depth]
    assert ops.count("bnn.add") == blocks and ops.count("bnn.sum_pool") == 1
    assert ops.count("bnn.trunc") == 1
    assert not any(bnn.is_real(bnn.element_type(op.results[0].type)) for op in module.walk()
                   if isinstance(op, bnn.AddOp)), "the joins add codes, not reals"
    x = cifar_images(4)
    imported = BnnExecutor(module).run(x)
    reference = ReferenceSession(path).run(x)
    # the scores are real (the classifier's scale and bias on the host): float32 under
    # onnxruntime, double precision in the executor, so equal to float32 rounding
    np.testing.assert_allclose(imported, reference, rtol=1e-5, atol=1e-5)
    assert np.array_equal(imported.argmax(axis=1), reference.argmax(axis=1))
    assert len(np.unique(imported, axis=0)) == len(x), "every image must give its own scores"
    run_pipeline(module, "bnn-streamline")
    streamlined = BnnExecutor(module).run(x)
    assert np.array_equal(streamlined, imported)
    # bnn = df: the accelerator as a DAG of forks, joins and the global pool, at PE = SIMD = 1
    run_pipeline(module, "lower-bnn-to-dataflow")
    graph = next(op for op in module.ops if op.name == "df.graph")
    kinds = [op.name for op in graph.body.block.ops]
    assert kinds.count("df.join") == blocks and kinds.count("df.fork") == blocks
    assert kinds.count("df.global_pool") == 1
    assert np.array_equal(BnnExecutor(module).run(x), streamlined)
