"""Every `df` engine answers for its own facts (docs/design.md, "What each engine owns"), and
the code that asks them names no engine kind: a new engine kind is its op module, its HLS
template, its Verilog module and its tests ("Adding an engine")."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest
from xdsl.dialects.builtin import IntegerType, Signedness

from bnnc.analysis.cost_model import estimate_graph, node_cost
from bnnc.analysis.fabric_costs import fabric_costs
from bnnc.devices import load_device
from bnnc.dialects import df, hls
from bnnc.dialects.df.checks import _detached_value
from bnnc.dialects.df.engine import EngineOp
from bnnc.driver.compiler import load_module
from bnnc.driver.pipeline import run_pipeline
from conftest import model_path

ROOT = Path(__file__).resolve().parents[2]
INTERFACE = ("cycles", "cost", "word_plan", "execute", "hls_instance", "verilog_instance")


@pytest.mark.parametrize("engine", [e for e in df.ENGINES if e is not df.FifoOp], ids=lambda e: e.name)
def test_every_engine_implements_the_interface(engine):
    missing = [m for m in INTERFACE if getattr(engine, m) is getattr(EngineOp, m)]
    assert not missing, f"{engine.name} leaves {missing} to the interface's default"
    if not engine.EMITTED:  # no template or module yet: both instances raise (test_residual_df.py)
        assert not engine.HLS_TEMPLATES, f"{engine.name} is not emitted but declares templates"
        return
    assert engine.HLS_TEMPLATES, f"{engine.name} declares no HLS template"
    assert all(hls.TEMPLATES[name] is template for name, template in engine.HLS_TEMPLATES.items())


def test_a_fifo_is_an_edge_with_a_cost_and_a_module():
    """The cycle model and the HLS lowering treat a FIFO as the stream's depth, not an engine."""
    for method in ("cycles", "cost", "execute", "verilog_instance"):
        assert getattr(df.FifoOp, method) is not getattr(EngineOp, method)
    assert not df.FifoOp.HLS_TEMPLATES


# The modules that used to hold a function or a table entry per engine kind; they dispatch now.
DISPATCHERS = ["bnnc/analysis/fifo_model.py", "bnnc/runtime/interpreters/df.py",
               "passes/lower_dataflow_to_hls.py", "backends/verilog/engines.py", "dialects/hls.py"]
KINDS = {e.__name__ for e in df.ENGINES if e is not df.FifoOp}


@pytest.mark.parametrize("path", DISPATCHERS)
def test_the_dispatchers_name_no_engine_kind(path):
    tree = ast.parse((ROOT / path).read_text())
    named = sorted({n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in KINDS}
                   | {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in KINDS})
    assert not named, f"{path} names {named}"


def test_the_cost_model_and_the_ops_agree_on_a_network():
    """The estimate's rows are the ops' own costs, and their cycles the ops' `cycles`."""
    module = run_pipeline(load_module(model_path("tfc_w1a1.qonnx.onnx")),
                          "bnn-streamline,lower-bnn-to-dataflow,fold{target-fps=9000},insert-streams,size-fifos")
    graph = next(op for op in module.ops if isinstance(op, df.GraphOp))
    device = load_device("zc706")
    estimate = estimate_graph(graph, device, 200.0)
    engines = [n for n in estimate.nodes if n.op is not None]
    assert engines and len(engines) == sum(isinstance(op, df.EngineOp) for op in graph.body.block.ops)
    for node in engines:
        assert node.cost == node.op.cost(device, fabric_costs(device)) == node_cost(node.op, device)
        assert node.cost.cycles == node.op.cycles()


def test_execute_is_the_ops_semantics():
    """A width converter's `execute` regroups the frame's elements into its output's words."""
    element = IntegerType(4, Signedness.UNSIGNED)
    dwc = df.DwcOp.create(operands=[_detached_value(df.StreamType(element, 2, 3))],
                          result_types=[df.StreamType(element, 3, 2)])
    x = np.arange(12).reshape(2, 3, 2)
    assert np.array_equal(dwc.execute(x), x.reshape(2, 2, 3))
