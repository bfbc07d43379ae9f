"""Folding a dataflow graph with forks and joins (a residual network): its structure, and the
exact fix-FPS solver over it.

The layers of a residual network form a series-parallel graph: a chain of blocks, each a fork,
branches (chains) and a join. `series_parallel_problem` checks it by the two reductions that
define such graphs (merge parallel edges; contract a layer of one input and one reader) and
names an edge that stays when they stop.

`solve_fix_dag` is the chain's dynamic programming (`solvers.solve_fix`) with a wider state: the
layers are taken in the graph's (topological) order, and the state is the stream written by
every *live* layer, one whose output a later layer still reads (on a chain, only the last
layer's; inside a block, the fork's and the branch's). A layer's choice costs its own LUT and
BRAM18 plus the width converter from each input's live stream; choices that lead to the same
state keep the cheaper. Every folding of the graph is a path through these states and costs
what its path adds up to, so the cheapest path is the cheapest folding: exact, over any DAG;
the states stay few because a series-parallel graph of blocks keeps at most one stream a branch
live (the decomposition tree's tables of docs/design.md, evaluated in order).
"""

from __future__ import annotations

from collections import Counter

from xdsl.ir import SSAValue

from bnnc.dialects import df
from bnnc.errors import BnncError


def producer_layer(value: SSAValue) -> str | None:
    """The layer whose engine writes `value`, through FIFOs, converters and forks (None: the
    graph's input)."""
    op = value.owner
    while isinstance(op, df.FifoOp | df.DwcOp | df.ForkOp):
        op = op.operands[0].owner
    layer = getattr(op, "layer", None)
    return layer.data if layer is not None else None


def series_parallel_problem(inputs: dict[str, tuple[str | None, ...]]) -> str | None:
    """Why the layer graph (each layer's input layers, None for the graph's input; the last
    layer feeds the output) is not series-parallel, or None."""
    if not inputs:
        return None
    names = list(inputs)
    edges: Counter[tuple[str, str]] = Counter()
    for name, sources in inputs.items():
        for source in sources:
            edges[(source or "input", name)] += 1
    edges[(names[-1], "output")] += 1
    changed = True
    while changed:
        changed = False
        for edge in edges:  # parallel edges are one edge
            if edges[edge] > 1:
                edges[edge], changed = 1, True
        for node in names:
            ins = [e for e in edges if e[1] == node]
            outs = [e for e in edges if e[0] == node]
            if len(ins) == 1 and len(outs) == 1:  # a layer in series: contract it
                (u, _), (_, v) = ins[0], outs[0]
                del edges[ins[0]], edges[outs[0]]
                edges[(u, v)] += 1
                names.remove(node)
                changed = True
                break
    if list(edges) == [("input", "output")]:
        return None
    u, v = next(e for e in edges if e[0] != "input" or e[1] != "output")
    return (f"the layer graph is not series-parallel: the edge '{u}' -> '{v}' breaks its "
            "decomposition (a concat of several earlier values?); the exact folding solvers "
            "take chains and series-parallel graphs only")


def solve_fix_dag(problem, target_cycles: int, key) -> dict:
    """The cheapest folding (under the objective's sort `key` of (LUT, BRAM18)) in which every
    layer and converter takes at most `target_cycles` (see the module docstring)."""
    readers: Counter[str | None] = Counter(p for layer in problem.layers for p in layer.inputs)
    remaining = Counter(readers)
    # a state: per live layer (in order), (its name, its stream, its pixels); an entry: the cost
    # (LUT, BRAM18) and the state before
    start = ((None, problem.source, 1),)
    frontier: dict[tuple, tuple[tuple[int, int], tuple | None, int]] = {_key(start): ((0, 0), None, -1)}
    states = {_key(start): start}
    history = []
    for layer in problem.layers:
        for producer in layer.inputs:
            remaining[producer] -= 1
        reached: dict[tuple, tuple[tuple[int, int], tuple | None, int]] = {}
        for state_key, (cost, _, _) in frontier.items():
            state = states[state_key]
            live = {name: (stream, pixels) for name, stream, pixels in state}
            for index, choice in enumerate(layer.choices):
                if choice.cost.cycles > target_cycles:
                    continue
                lut, bram = cost[0] + choice.cost.lut, cost[1] + choice.cost.bram18
                feasible = True
                for producer, reads in zip(layer.inputs, choice.reads_all or (choice.reads,)):
                    stream, pixels = live[producer]
                    link = problem.edge(stream, reads, pixels)
                    if link.cycles > target_cycles:
                        feasible = False
                        break
                    lut, bram = lut + link.lut, bram + link.bram18
                if not feasible:
                    continue
                after = tuple(entry for entry in state if remaining[entry[0]] > 0)
                if readers[layer.name] > 0:
                    after += ((layer.name, choice.writes, choice.pixels),)
                new_key = _key(after)
                current = reached.get(new_key)
                if current is None or key(lut, bram) < key(*current[0]):
                    reached[new_key] = ((lut, bram), state_key, index)
                    states[new_key] = after
        if not reached:
            raise BnncError(
                f"no folding of layer '{layer.name}' and the width converters in front of it "
                f"reaches {target_cycles} cycles per frame"
            )
        history.append(reached)
        frontier = reached
    state_key = min(frontier, key=lambda k: key(*frontier[k][0]))
    folding = {}
    for depth in range(len(problem.layers) - 1, -1, -1):
        _, previous, index = history[depth][state_key]
        folding[problem.layers[depth].name] = problem.layers[depth].choices[index].fold
        state_key = previous
    return {layer.name: folding[layer.name] for layer in problem.layers}


def _key(state: tuple) -> tuple:
    """A state's key: the live layers with their streams by identity (the problem interns its
    stream types) and pixels."""
    return tuple((name, id(stream), pixels) for name, stream, pixels in state)
