"""Everything `bnnc-opt` and the Python API can name: dialects, passes and targets.

Lazy factories, as xDSL's own registries, so that start-up imports only what a command uses.
Passes and targets register here as the later levels land.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.utils.target import Target


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    def get_bnn() -> Dialect:
        from bnnc.dialects.bnn import BNN

        return BNN

    def get_df() -> Dialect:
        from bnnc.dialects.df import DF

        return DF

    def get_hls() -> Dialect:
        from bnnc.dialects.hls import HLS

        return HLS

    return {"bnn": get_bnn, "df": get_df, "hls": get_hls}


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    def lazy(module: str, name: str) -> Callable[[], type[ModulePass]]:
        def factory() -> type[ModulePass]:
            import importlib

            return getattr(importlib.import_module(f"bnnc.passes.{module}"), name)

        return factory

    return {
        "bnn-streamline": lazy("bnn_streamline", "BnnStreamlinePass"),
        "estimate": lazy("estimate", "EstimatePass"),
        "fold": lazy("fold", "FoldPass"),
        "insert-streams": lazy("insert_streams", "InsertStreamsPass"),
        "label-select": lazy("label_select", "LabelSelectPass"),
        "lower-bnn-to-dataflow": lazy("lower_bnn_to_dataflow", "LowerBnnToDataflowPass"),
        "lower-dataflow-to-hls": lazy("lower_dataflow_to_hls", "LowerDataflowToHlsPass"),
        "partition-host": lazy("partition_host", "PartitionHostPass"),
        "prepare-for-emission": lazy("prepare_for_emission", "PrepareForEmissionPass"),
        "reorder-pooling": lazy("reorder_pooling", "ReorderPoolingPass"),
        "size-fifos": lazy("size_fifos", "SizeFifosPass"),
        "threshold-fusion": lazy("threshold_fusion", "ThresholdFusionPass"),
        "xnor-lowering": lazy("xnor_lowering", "XnorLoweringPass"),
    }


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    def get_report() -> type[Target]:
        from bnnc.backends.report import ReportTarget

        return ReportTarget

    def get_hls_cpp() -> type[Target]:
        from bnnc.backends.hls_cpp.project import HlsCppTarget

        return HlsCppTarget

    def get_verilog() -> type[Target]:
        from bnnc.backends.verilog.emitter import VerilogTarget

        return VerilogTarget

    return {"hls-cpp": get_hls_cpp, "report": get_report, "verilog": get_verilog}
