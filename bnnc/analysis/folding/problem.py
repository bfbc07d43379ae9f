"""The folding problem of a `df.graph`, kept apart from the solvers that fill it in.

Per layer (an MVTU with its sliding window, a pool, a label select, a standalone threshold) the
problem lists every legal `Fold` with what it costs: cycles per frame, LUT and BRAM18 from the
cost model (`bnnc.analysis.cost_model`), and the streams it reads and writes. Neighbouring layers whose
word widths differ need a width converter, whose cost the problem adds (`edge`). A solution
maps every layer to one of its choices; `verify` proves it legal and within the budget.

Legal choices: PE divides MH (channels, classes), SIMD divides MW and, for a convolution, the
input channels (the window unit streams SIMD channels of one pixel); MMV divides the output
width (a word never spans two output rows) and exists for convolutions only.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from xdsl.ir import Operation

from bnnc.analysis.cost_model import Cost, dwc_stream_cost, input_port_cost, node_cost, regroup_cost
from bnnc.analysis.fabric_costs import FabricCosts, fabric_costs
from bnnc.devices import Device
from bnnc.dialects import df
from bnnc.dialects.bnn import bit_width
from bnnc.errors import BnncError
from bnnc.semantics.packing import AXI_WORD_BITS
from bnnc.dialects.df import Fold
from bnnc.analysis.folding.dag import producer_layer, series_parallel_problem
from bnnc.analysis.folding.streams import layer_legal_folds, layer_of


divisors = df.divisors


@dataclass(frozen=True)
class Choice:
    """One legal folding of a layer and what it costs."""

    fold: Fold
    cost: Cost
    reads: df.StreamType
    writes: df.StreamType
    pixels: int = 1  # pixels per frame of what it writes (multi-pixel streams need them)
    reads_all: tuple[df.StreamType, ...] = ()  # one stream an input (a join has two)


@dataclass
class Layer:
    name: str
    engines: tuple[Operation, ...]  # a convolution's window unit and MVTU, or one engine
    legal: list[Choice]  # every legal choice
    choices: list[Choice]  # those worth considering: not dominated (or the pinned one)
    pinned: bool = False
    inputs: tuple[str | None, ...] = (None,)  # the layer each input comes from (None: df.input)

    def choice(self, fold: Fold) -> Choice | None:
        return next((c for c in self.legal if c.fold == fold), None)


def _edge_cost(writes: df.StreamType, reads: df.StreamType, pixels: int, fabric: FabricCosts) -> Cost:
    if writes == reads:
        return Cost(0, 0, 0, 0, 0)
    if writes.mmv.data > 1 or reads.mmv.data > 1:
        vector = writes.elements // pixels
        for s in (writes, reads):
            if pixels % s.mmv.data or vector % (s.lanes.data // s.mmv.data):
                return Cost(10**18, 0, 0, 0, 0)
        return regroup_cost(writes, reads, pixels, fabric)  # bnnc_regroup, as df.dwc.cost prices it
    return dwc_stream_cost(writes, reads, fabric)


@dataclass
class Totals:
    cycles: int  # the bottleneck's
    lut: int
    bram18: int
    bottleneck: str
    dsp: int = 0


@dataclass
class FoldingProblem:
    graph_name: str
    device: Device
    clock_mhz: float
    source: df.StreamType  # what df.input delivers
    layers: list[Layer]
    budget_lut: int
    budget_bram18: int
    fixed: Cost = field(default_factory=lambda: Cost(0, 0, 0, 0, 0))  # FIFOs: no choice
    # DSP48E1s: a budget checked by `verify` (and so by the max solver), not a dimension the
    # fix solver trades against LUT and BRAM (only products of 24 bits and more use DSPs,
    # cost_model.mvtu_uses_dsp)
    budget_dsp: int = 0
    _edges: dict[tuple[int, int, int], tuple[df.StreamType, df.StreamType, Cost]] = field(
        default_factory=dict, repr=False, compare=False)

    def cycles_for_fps(self, fps: float) -> int:
        """The cycle budget per frame at the clock: ⌊f_clk / FPS⌋."""
        if fps <= 0:
            raise BnncError(f"the target must be a positive frame rate, got {fps}")
        return int(self.clock_mhz * 1e6 // fps)

    def edge(self, writes: df.StreamType, reads: df.StreamType, pixels: int = 1) -> Cost:
        """The width converter between two neighbours (nothing when the words agree).

        A converter out of a multi-pixel stream regroups whole pixels; when the words of either
        side would split a pixel's vector unevenly there is no such converter, and the edge
        costs infinitely many cycles. Memoised: the solvers ask for the same pairs many times.
        """
        key = (id(writes), id(reads), pixels)  # stream types are interned by build_problem
        entry = self._edges.get(key)
        if entry is None or entry[0] is not writes or entry[1] is not reads:  # (a reused id)
            cost = (self._port(reads, pixels) if writes is self.source
                    else _edge_cost(writes, reads, pixels, fabric_costs(self.device)))
            entry = self._edges[key] = (writes, reads, cost)
        return entry[2]

    def _direct(self, reads: df.StreamType) -> bool:
        """Whether the input port can give the first layer its words itself (one-pixel words)."""
        return (reads.mmv.data == 1 and reads.element == self.source.element
                and reads.elements == self.source.elements)

    def _port(self, reads: df.StreamType, pixels: int) -> Cost:
        """The edge out of the input: the AXI-stream port's width converter straight to the
        words the first layer reads, or, for multi-pixel words, to `source`'s words and a width
        converter from there (the two run side by side: the slower one's cycles)."""
        fabric = fabric_costs(self.device)  # the converters are priced on the board's fabric
        if self._direct(reads):
            return input_port_cost(reads, fabric)
        port, link = input_port_cost(self.source, fabric), _edge_cost(self.source, reads, pixels, fabric)
        return dataclasses.replace(port + link, cycles=max(port.cycles, link.cycles))

    @property
    def is_chain(self) -> bool:
        """Whether every layer reads the one before it (the input for the first), alone."""
        previous: str | None = None
        for layer in self.layers:
            if layer.inputs != (previous,):
                return False
            previous = layer.name
        return True

    def input_stream(self, solution: dict[str, Fold]) -> df.StreamType:
        """The words `df.input` delivers under a solution: the first layer's own, when the
        port can give them (no width converter behind it) and it is the input's only reader,
        else `source`'s."""
        if not self.layers or sum(i is None for layer in self.layers for i in layer.inputs) > 1:
            return self.source
        first = self.layers[0].choice(solution[self.layers[0].name])
        return first.reads if first is not None and self._direct(first.reads) else self.source

    def evaluate(self, solution: dict[str, Fold]) -> Totals:
        """Totals of a legal solution, width converters included (the input's as 'input')."""
        lut, bram, cycles, bottleneck = self.fixed.lut, self.fixed.bram18, 0, ""
        dsp = self.fixed.dsp
        written: dict[str | None, tuple[df.StreamType, int]] = {None: (self.source, 1)}
        for layer in self.layers:
            choice = layer.choice(solution[layer.name])
            assert choice is not None, f"{solution[layer.name]} is not legal for {layer.name}"
            rows = []
            for producer, reads in zip(layer.inputs, choice.reads_all or (choice.reads,)):
                previous, pixels = written[producer]
                link = self.edge(previous, reads, pixels)
                lut, bram, dsp = lut + link.lut, bram + link.bram18, dsp + link.dsp
                rows.append((f"{producer or 'input'}->{layer.name}", link.cycles))
            lut, bram = lut + choice.cost.lut, bram + choice.cost.bram18
            dsp += choice.cost.dsp
            for name, c in (*rows, (layer.name, choice.cost.cycles)):
                if c > cycles:
                    cycles, bottleneck = c, name
            written[layer.name] = (choice.writes, choice.pixels)
        return Totals(cycles, lut, bram, bottleneck, dsp)

    def verify(self, solution: dict[str, Fold], target_cycles: int | None = None) -> list[str]:
        """Every reason the solution is not a legal folding within budget (empty if it is)."""
        problems = []
        names = {layer.name for layer in self.layers}
        if set(solution) != names:
            problems.append(f"layers {sorted(names ^ set(solution))} are missing or unknown")
            return problems
        for layer in self.layers:
            if layer.choice(solution[layer.name]) is None:
                problems.append(f"layer '{layer.name}': {solution[layer.name]} is not a legal folding")
        if problems:
            return problems
        totals = self.evaluate(solution)
        if target_cycles is not None and totals.cycles > target_cycles:
            problems.append(f"'{totals.bottleneck}' takes {totals.cycles} cycles > {target_cycles}")
        if totals.lut > self.budget_lut:
            problems.append(f"{totals.lut} LUT exceed the budget of {self.budget_lut}")
        if totals.bram18 > self.budget_bram18:
            problems.append(f"{totals.bram18} BRAM18 exceed the budget of {self.budget_bram18}")
        if totals.dsp > self.budget_dsp:
            problems.append(f"{totals.dsp} DSP48E1 exceed the budget of {self.budget_dsp}")
        return problems


def layer_choices(engines: tuple[Operation, ...], device: Device, folds: list[Fold],
                  interned: dict[df.StreamType, df.StreamType] | None = None) -> list[Choice]:
    """Every fold's cost and streams; equal stream types share one object of `interned`, so that
    the solvers compare and look them up by identity (hashing attributes dominated their time)."""
    interned = {} if interned is None else interned
    shells = [op.detached() for op in engines]
    choices = []
    for fold in folds:
        probes = [op.refolded(fold, shell) for op, shell in zip(engines, shells)]
        costs = [node_cost(p, device) for p in probes]
        cost = Cost(max(c.cycles for c in costs), sum(c.lut for c in costs), sum(c.ff for c in costs),
                    sum(c.bram18 for c in costs), sum(c.lutram for c in costs), sum(c.dsp for c in costs))
        pixels = probes[-1].frame_vectors() or 1  # type: ignore[attr-defined]
        every = tuple(interned.setdefault(v.type, v.type) for v in probes[0].operands)
        writes = probes[-1].results[0].type
        writes = interned.setdefault(writes, writes)
        choices.append(Choice(fold, cost, every[0], writes, pixels, every))  # type: ignore[arg-type]
    return choices


def prune(choices: list[Choice]) -> list[Choice]:
    """Drop choices that another with the same streams beats on cycles, LUT and BRAM alike.

    Per pair of streams, in increasing (cycles, LUT, BRAM18, fold) order, a choice is dominated
    exactly when one kept before it has no more LUT and BRAM18 (dominance is transitive, so the
    kept ones are the only ones to compare with). The kept choices keep their original order.
    """
    def rank(c: Choice) -> tuple:
        return (c.cost.cycles, c.cost.lut, c.cost.bram18, c.fold)

    groups: dict[tuple, list[Choice]] = {}
    for c in choices:
        groups.setdefault((c.reads_all, c.writes, c.pixels), []).append(c)
    kept_ids = set()
    for group in groups.values():
        frontier: list[Choice] = []
        for c in sorted(group, key=rank):
            if not any(o.cost.lut <= c.cost.lut and o.cost.bram18 <= c.cost.bram18 for o in frontier):
                frontier.append(c)
                kept_ids.add(id(c))
    return [c for c in choices if id(c) in kept_ids]


def build_problem(
    graph: df.GraphOp,
    device: Device,
    clock_mhz: float,
    budget_lut: float = 0.8,
    budget_bram: float = 0.8,
    pinned: dict[str, Fold] | None = None,
) -> FoldingProblem:
    """The folding problem of a graph; `pinned` layers get exactly one (legal) choice. A graph
    with forks and joins must be series-parallel (`series_parallel_problem`)."""
    pinned = pinned or {}
    engines: dict[str, list[Operation]] = {}
    fixed = Cost(0, 0, 0, 0, 0)
    for op in graph.body.block.ops:
        name = layer_of(op)
        if isinstance(op, df.COMPUTE_ENGINES) and name:
            engines.setdefault(name, []).append(op)
        elif isinstance(op, df.FifoOp | df.ForkOp):
            fixed = fixed + node_cost(op, device)  # FIFOs and forks: no folding of their own
    inputs = {name: tuple(producer_layer(v) for v in ops[0].operands) for name, ops in engines.items()}
    problem = series_parallel_problem(inputs)
    if problem:
        raise BnncError(f"fold: {problem}")
    unknown = sorted(set(pinned) - set(engines))
    if unknown:
        raise BnncError(f"the folding names unknown layers {unknown}; the layers are {sorted(engines)}")
    source = io_stream(graph, device)
    interned: dict = {}  # not the source: `edge` tells the input port by its identity
    layers = []
    for name, ops in engines.items():
        legal = layer_legal_folds(tuple(ops))
        if name in pinned:
            if pinned[name] not in legal:
                options = "; ".join(
                    f"{key.upper()} in {sorted({getattr(f, key) for f in legal})}" for key in ("pe", "simd", "mmv")
                )
                raise BnncError(
                    f"layer '{name}': PE {pinned[name].pe}, SIMD {pinned[name].simd}, MMV "
                    f"{pinned[name].mmv} is not a legal folding; legal choices: {options}"
                )
            every = layer_choices(tuple(ops), device, [pinned[name]], interned)
            choices = every
        else:
            every = layer_choices(tuple(ops), device, legal, interned)
            choices = prune(every)
        layers.append(Layer(name, tuple(ops), every, choices, pinned=name in pinned, inputs=inputs[name]))
    return FoldingProblem(
        graph.sym_name.data, device, clock_mhz, source, layers,
        int(device.lut * budget_lut), int(device.bram18 * budget_bram), fixed,
        budget_dsp=int(device.dsp * budget_lut),
    )


def io_stream(graph: df.GraphOp, device: Device) -> df.StreamType:
    """The input stream for a first layer that reads multi-pixel words: as many elements a word
    as fit the accelerator's AXI-stream word (and divide the frame), one word a cycle. The word is
    the narrower of the board's HP port and bnnc's 64-bit AXI-stream ports: a 128-bit HP port
    (ZCU104) does not widen the accelerator's stream. (A first layer of one-pixel words gets its
    own words from the port, `FoldingProblem.input_stream`.)"""
    stream = graph.input_op().output.type
    bits = bit_width(stream.element)  # type: ignore[attr-defined]
    elements = stream.elements  # type: ignore[attr-defined]
    port_bits = min(device.hp_port_bits, AXI_WORD_BITS)
    lanes = max(d for d in divisors(elements) if d * bits <= max(port_bits, bits))
    return df.StreamType(stream.element, lanes, elements // lanes)  # type: ignore[attr-defined]
