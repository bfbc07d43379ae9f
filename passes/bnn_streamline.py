"""`bnn-streamline`: the named pipeline that brings any imported BNN to the hardware form.

    canonicalize, threshold-fusion, reorder-pooling, xnor-lowering, label-select,
    canonicalize, partition-host

After it, the accelerator part of the network is integer-input binary (or n-bit) layers, each
followed by per-channel integer thresholds on its popcount or sum, OR-pooling of bits and a label
select; the host keeps the input quantizer and the output's post-processing. The result is
bit-identical to the imported model (tests: test/pytest/test_bnn_streamline.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.passes import ModulePass, PassPipeline
from xdsl.transforms.canonicalize import CanonicalizePass

from bnnc.passes.label_select import LabelSelectPass
from bnnc.passes.partition_host import PartitionHostPass
from bnnc.passes.reorder_pooling import ReorderPoolingPass
from bnnc.passes.threshold_fusion import ThresholdFusionPass
from bnnc.passes.xnor_lowering import XnorLoweringPass

STAGES: tuple[ModulePass, ...] = (
    CanonicalizePass(),
    ThresholdFusionPass(),
    ReorderPoolingPass(),
    XnorLoweringPass(),
    LabelSelectPass(),
    CanonicalizePass(),
    PartitionHostPass(),
)


@dataclass(frozen=True)
class BnnStreamlinePass(ModulePass):
    """Run the streamlining passes in order (see the module docstring)."""

    name = "bnn-streamline"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        PassPipeline(STAGES).apply(ctx, op)
