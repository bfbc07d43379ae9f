"""Solvers of the `FoldingProblem`: exact fix-FPS and max-FPS, and FINN's greedy baseline.

Exact fix (a cycle target T): every layer must take at most T cycles, and so must every width
converter between neighbours. Layers form a chain, and a converter's cost depends only on its two
neighbours' streams, so dynamic programming over the chain (a shortest path through the layers'
choices) finds the cheapest folding exactly. "Cheapest" is an objective (`OBJECTIVES`):
`device` (the default) weighs LUT and BRAM18 by their share of the device, LUT/L + BRAM18/B, so
a block RAM costs as much as the ~200 LUT it stands for on a ZC706 (with LUT first, a design
saving 3 LUT at the price of 2 BRAM18 would win; with shares, the 2 BRAM18 weigh more); `lut`
and `bram` minimise one resource first, then the other.

A graph with forks and joins (a residual network) is solved by the same dynamic programming
over its layers in order with the streams of every live layer as the state, exact as well
(`bnnc.analysis.folding.dag`); a graph that is not series-parallel is refused.

Exact max: the highest frame rate whose cheapest folding fits the budget. The cheapest cost
only grows as T shrinks, so a binary search over the distinct cycle counts that the choices can
take finds the smallest T that fits. With two resources the search tries the `device`
objective, then LUT first, then BRAM first; a design that fits only by trading one against the
other finely could be missed (it is exact whenever one resource binds, as in every network here).

FINN-greedy: FINN's `SetFolding` as a baseline. Per MVTU, SIMD grows through its divisors while
the layer misses the target and the weight word stays within 36 bits, then PE grows; the window
unit takes the MVTU's SIMD; pools and label selects grow PE. No MMV, no resource awareness.
"""

from __future__ import annotations

from dataclasses import dataclass

from bnnc.dialects import df
from bnnc.errors import BnncError
from bnnc.dialects.df import Fold
from bnnc.analysis.folding.dag import solve_fix_dag
from bnnc.analysis.folding.options import OBJECTIVES
from bnnc.analysis.folding.problem import FoldingProblem, Totals

INFINITE = (float("inf"), float("inf"))
IMPOSSIBLE_EDGE = 10**18  # the cycles `FoldingProblem.edge` gives an edge no converter implements
FINN_WEIGHT_WIDTH_MAX = 36  # SetFolding's mvau_wwidth_max


@dataclass
class Solution:
    folding: dict[str, Fold]
    totals: Totals
    target_cycles: int | None = None



def objective_key(problem: FoldingProblem, objective: str):
    """The sort key of (LUT, BRAM18) totals under an objective (see the module docstring); the
    device shares are compared as the integers LUT·B + BRAM18·L, exactly."""
    lut_total, bram_total = problem.device.lut, problem.device.bram18
    if objective == "device":
        return lambda lut, bram: (lut * bram_total + bram * lut_total, lut, bram)
    if objective == "lut":
        return lambda lut, bram: (lut, bram)
    if objective == "bram":
        return lambda lut, bram: (bram, lut)
    raise BnncError(f"unknown folding objective '{objective}'; expected one of {', '.join(OBJECTIVES)}")


def solve_fix(problem: FoldingProblem, target_cycles: int, objective: str = "device") -> Solution:
    """The cheapest folding (under `objective`) in which every layer and converter takes at most
    `target_cycles`."""
    _key = objective_key(problem, objective)
    explain_impossible(problem, target_cycles)
    if not problem.is_chain:  # forks and joins: the DP over live streams (`folding.dag`)
        folding = solve_fix_dag(problem, target_cycles, _key)
        return Solution(folding, problem.evaluate(folding), target_cycles)
    # frontier: for each stream the previous layer can write (keyed by identity: the problem
    # interns its stream types), the cheapest prefix ending in it, as (cost, index of that
    # layer's choice, the stream); back[i][j]: the previous choice of choice j.
    Entry = tuple[tuple[int, int], int, df.StreamType, int]
    frontier: dict[tuple[int, int], Entry] = {(id(problem.source), 1): ((0, 0), -1, problem.source, 1)}
    back: list[dict[int, int]] = []
    for layer in problem.layers:
        reached: dict[tuple[int, int], Entry] = {}
        pointers: dict[int, int] = {}
        for index, choice in enumerate(layer.choices):
            if choice.cost.cycles > target_cycles:
                continue
            best: tuple[tuple[int, int], int] | None = None
            for key, previous, writes, pixels in frontier.values():
                link = problem.edge(writes, choice.reads, pixels)
                if link.cycles > target_cycles:
                    continue
                total = (key[0] + link.lut + choice.cost.lut, key[1] + link.bram18 + choice.cost.bram18)
                if best is None or _key(*total) < _key(*best[0]):
                    best = (total, previous)
            if best is None:
                continue
            pointers[index] = best[1]
            end = (id(choice.writes), choice.pixels)
            current = reached.get(end)
            if current is None or _key(*best[0]) < _key(*current[0]):
                reached[end] = (best[0], index, choice.writes, choice.pixels)
        if not reached:
            raise BnncError(
                f"no folding of layer '{layer.name}' and the width converter in front of it "
                f"reaches {target_cycles} cycles per frame"
            )
        back.append(pointers)
        frontier = reached
    _, index, _, _ = min(frontier.values(), key=lambda entry: _key(*entry[0]))
    folding: dict[str, Fold] = {}
    for depth in range(len(problem.layers) - 1, -1, -1):
        folding[problem.layers[depth].name] = problem.layers[depth].choices[index].fold
        index = back[depth][index]
    folding = {layer.name: folding[layer.name] for layer in problem.layers}
    return Solution(folding, problem.evaluate(folding), target_cycles)


def explain_impossible(problem: FoldingProblem, target_cycles: int) -> None:
    """Name the slowest layer that cannot meet the target, with its best figure."""
    misses = []
    for layer in problem.layers:
        best = min(layer.choices, key=lambda c: (c.cost.cycles, c.cost.lut))
        if best.cost.cycles > target_cycles:
            misses.append((best.cost.cycles, layer.name, best))
    if not misses:
        return
    cycles, name, best = max(misses, key=lambda m: m[0])
    budget = f"{target_cycles} cycles" if target_cycles >= 1 else "less than one cycle"
    others = f" ({len(misses) - 1} other layer(s) cannot either)" if len(misses) > 1 else ""
    raise BnncError(
        f"layer '{name}' cannot reach the target, {budget} per frame at {problem.clock_mhz:g} MHz: "
        f"its best is {cycles} cycles ({problem.clock_mhz * 1e6 / cycles:,.0f} FPS) at PE "
        f"{best.fold.pe}, SIMD {best.fold.simd}, MMV {best.fold.mmv}{others}"
    )


def solve_max(problem: FoldingProblem) -> Solution:
    """The fastest folding within the problem's LUT and BRAM budgets."""
    floor = max(min(c.cost.cycles for c in layer.choices) for layer in problem.layers)
    cycles = {c.cost.cycles for layer in problem.layers for c in layer.choices} | converter_cycles(problem)
    targets = sorted(c for c in cycles if c >= floor)

    def fits(target: int) -> Solution | None:
        for objective in OBJECTIVES:
            try:
                solution = solve_fix(problem, target, objective)
            except BnncError:
                return None
            if not problem.verify(solution.folding, target):
                return solution
        return None

    low, high, best = 0, len(targets) - 1, None
    while low <= high:
        middle = (low + high) // 2
        solution = fits(targets[middle])
        if solution is not None:
            best, high = solution, middle - 1
        else:
            low = middle + 1
    if best is None:
        pinned = [layer.name for layer in problem.layers if layer.pinned]
        what = (f"the layers pinned by the folding file ({', '.join(pinned)}) with the slowest "
                "folding of the others" if pinned else "even the slowest folding")
        raise BnncError(
            f"{what} exceeds the budget of {problem.budget_lut} LUT and "
            f"{problem.budget_bram18} BRAM18 on {problem.device.name}"
        )
    return best


def converter_cycles(problem: FoldingProblem) -> set[int]:
    """The cycles of the width converter behind the input port, for each stream the first layer
    may read: it can be the bottleneck (a small layer behind the I/O port), so max must try them
    as targets too. A converter between layers takes max(words in, words out) cycles, which its
    neighbours, moving one word a cycle at most, take as well."""
    reads = {id(c.reads): c.reads for c in problem.layers[0].choices} if problem.layers else {}
    cycles = {problem.edge(problem.source, r, 1).cycles for r in reads.values()}
    return {c for c in cycles if c < IMPOSSIBLE_EDGE}


def solve_finn_greedy(problem: FoldingProblem, target_cycles: int) -> Solution:
    """FINN's `SetFolding` (see the module docstring), on the same problem and cost model."""
    folding = {}
    for layer in problem.layers:
        by_fold = {c.fold: c for c in layer.legal}
        last = layer.engines[-1]
        if isinstance(last, df.MvtuOp):
            weight_bits = 1 if last.weight_type.name == "bnn.bipolar" else last.weight_type.width.data  # type: ignore[attr-defined]
            simds = sorted({f.simd for f in by_fold})
            pes = sorted({f.pe for f in by_fold})
            fold = Fold(1, 1, 1)
            for simd in simds:
                if by_fold[fold].cost.cycles <= target_cycles or simd * weight_bits > FINN_WEIGHT_WIDTH_MAX:
                    break
                fold = Fold(1, simd, 1)
            for pe in pes:
                if by_fold[fold].cost.cycles <= target_cycles:
                    break
                fold = Fold(pe, fold.simd, 1)
        else:
            fold = Fold()
            for pe in sorted({f.pe for f in by_fold}):
                if by_fold[fold].cost.cycles <= target_cycles:
                    break
                fold = Fold(pe=pe)
        folding[layer.name] = fold
    return Solution(folding, problem.evaluate(folding), target_cycles)


