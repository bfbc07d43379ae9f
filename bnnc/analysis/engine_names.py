"""The names reports give a graph's engines: the same engine has the same name in `bnnc fold`'s
table, the build's `report.json` and `report.html`, whatever FIFOs are inserted around it.

- an engine of a `bnn` layer is named after the layer (`fc0`), or after the layer and its kind
  when the layer has several engines (`conv1.swu`, `conv1.mvtu`);
- another engine the IR names (a value's name hint, as in hand-written IR) keeps that name;
- a FIFO or width converter is named after the named engine it feeds and its kind:
  `fc0.fifo` is the FIFO in front of `fc0`, `conv1.swu.dwc` the converter in front of
  `conv1.swu`, `axis_out.fifo` the FIFO in front of the output port; a second one of the same
  kind in front of the same engine gets a number (`conv1.swu.fifo2`);
- the AXI-stream ports are `axis_in` and `axis_out`.

Numbers (`#3`, the cost model's own names for engines without a name hint) shift as FIFOs are
inserted, so no report shows them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bnnc.analysis.cost_model import NodeEstimate


def engine_names(nodes: Sequence[NodeEstimate]) -> list[str]:
    """One name a node of the estimate (ports included), in order (see the module docstring)."""
    per_layer = Counter(n.layer for n in nodes if n.layer is not None)
    names: list[str | None] = []
    for n in nodes:
        if n.layer is not None:
            names.append(n.layer if per_layer[n.layer] == 1 else f"{n.layer}.{n.kind}")
        elif n.op is None or not n.name.startswith("#"):  # a port, or a name hint
            names.append(n.name)
        else:
            names.append(None)  # named after what it feeds, below
    seen: Counter[str] = Counter()
    consumer = "axis_out"
    for i in range(len(nodes) - 1, -1, -1):
        if names[i] is None:
            base = f"{consumer}.{nodes[i].kind}"
            seen[base] += 1
            names[i] = base
        else:
            consumer = names[i]  # type: ignore[assignment]
    # numbered in stream order: the first in front of an engine is plain, the next ones 2, 3, ...
    order: Counter[str] = Counter()
    result = []
    for name in names:
        assert name is not None
        if seen[name] > 1:
            order[name] += 1
            result.append(name if order[name] == 1 else f"{name}{order[name]}")
        else:
            result.append(name)
    return result
