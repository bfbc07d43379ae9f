"""`fold`: choose each layer's PE, SIMD and MMV (resource balancing), as the FINN paper's two
scenarios put it:

    fold{target-fps=9000}                             fix: the cheapest design meeting 9,000 FPS
    fold{max=true budget-lut=0.8 budget-bram=0.8}     max: the fastest design within the budget

Options: `board` (a device file name, default zc706), `solver` (`exact`, or `finn` for FINN's
greedy SetFolding as a baseline; fix only), `objective` (what "cheapest" means in the fix
scenario: `device`, the default, weighs LUT and BRAM18 by their share of the device; `lut` or
`bram` minimise that resource first), `folding` (a JSON file of layers to pin). Budgets
are fractions of the device's LUT and BRAM18; both default to 0.8, leaving a fifth of the device
to the shell, the FIFOs' growth and routing. The solution is applied with `refold` (width
converters included) and recorded on the graph as `df.folding`, whose `lut` and `bram18` count
the engines, their width converters and both AXI-stream ports: the total of `bnnc fold`'s table
(the build's report adds the FIFOs); the graph's `target` (board, part, clock; the clock
defaults to the board's own) is set here, once. Existing FIFOs and their sizing are dropped:
run `insert-streams` and `size-fifos` after `fold`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from bnnc.dialects import df
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, StringAttr, i64
from xdsl.passes import ModulePass

from bnnc.analysis.cost_model import output_port_cost
from bnnc.analysis.fabric_costs import fabric_costs
from bnnc.devices import DEFAULT_BOARD, load_device
from bnnc.errors import BnncError
from bnnc.analysis.folding import refold
from bnnc.analysis.folding.ceiling import ceiling_note
from bnnc.analysis.folding.files import load_folding
from bnnc.analysis.folding.options import FoldOptions
from bnnc.analysis.folding.problem import FoldingProblem, build_problem
from bnnc.analysis.folding.solvers import Solution, solve_finn_greedy, solve_fix, solve_max

NO_EDGE = 10**18  # the cycles `FoldingProblem.edge` gives an edge that no converter implements


def unsize(graph: df.GraphOp) -> None:
    """A new folding changes every stream: FIFOs and their sizing go (insert-streams and
    size-fifos run again after fold)."""
    for op in list(graph.body.block.ops):
        if isinstance(op, df.FifoOp):
            op.output.replace_all_uses_with(op.input)
            op.detach()
            op.erase()
    for key in ("df.sized", "df.fifo_sizing"):
        graph.attributes.pop(key, None)


def fold_graph(graph: df.GraphOp, options: FoldOptions) -> Solution:
    """Solve the folding of one graph, apply it and set the graph's target (board, part,
    clock); the Python face of the `fold` pass."""
    options.check()
    pinned = load_folding(options.folding) if options.folding else None
    unsize(graph)
    device, clock = load_device(options.board), options.clock
    problem = build_problem(graph, device, clock, options.budget_lut, options.budget_bram, pinned)
    check_pinned_neighbours(problem)
    if options.max:
        solution = solve_max(problem)
    else:
        target = problem.cycles_for_fps(options.target_fps)  # type: ignore[arg-type]
        try:
            solution = (solve_fix(problem, target, options.objective) if options.solver == "exact"
                        else solve_finn_greedy(problem, target))
        except BnncError as exc:  # out of reach: say how far the model can go, and why
            note = ceiling_note(problem, target)
            raise BnncError(f"{exc}; {note}" if note else str(exc)) from None
    problems = problem.verify(solution.folding, solution.target_cycles)
    if problems:
        raise BnncError(f"the {options.solver} solver found no folding within the budget: {'; '.join(problems)}")
    refold(graph, solution.folding, problem.input_stream(solution.folding))
    graph.target = df.TargetAttr(options.board, device.part, clock)
    # the output port costs the same under every folding, so the problem leaves it out; the
    # record counts it, as the fold table's total does
    port = output_port_cost(graph.output_op().input.type, fabric_costs(device))
    graph.attributes["df.folding"] = DictionaryAttr({
        "scenario": StringAttr("max" if options.max else "fix"),
        "solver": StringAttr(options.solver),
        "objective": StringAttr(options.objective),
        "target_cycles": IntegerAttr(solution.target_cycles or 0, i64),
        "cycles": IntegerAttr(solution.totals.cycles, i64),
        "lut": IntegerAttr(solution.totals.lut + port.lut, i64),
        "bram18": IntegerAttr(solution.totals.bram18 + port.bram18, i64),
        "bottleneck": StringAttr(solution.totals.bottleneck),
    })
    return solution


def check_pinned_neighbours(problem: FoldingProblem) -> None:
    """Refuse two pinned neighbours (or a pinned first layer and the input) whose words no width
    converter regroups, by name: the solvers would only find that no folding fits the budget."""
    written = {None: (problem.source, "the input stream", 1, True)}
    for layer in problem.layers:
        choice = layer.choices[0]
        fold = f"'{layer.name}' (PE {choice.fold.pe}, SIMD {choice.fold.simd}, MMV {choice.fold.mmv})"
        for producer, reads in zip(layer.inputs, choice.reads_all or (choice.reads,)):
            previous, what, pixels, pinned = written[producer]
            impossible = problem.edge(previous, reads, pixels).cycles >= NO_EDGE
            if pinned and layer.pinned and impossible:
                raise BnncError(
                    f"the pinned foldings of {what} and {fold} do not fit together: no width "
                    f"converter regroups {previous} into {reads} (with several pixels a word, "
                    "the words on both sides must split each pixel's channels evenly)"
                )
        written[layer.name] = (choice.writes, fold, choice.pixels, layer.pinned)


@dataclass(frozen=True)
class FoldPass(ModulePass):
    """Choose and apply the folding of every `df.graph`.

    See the module docstring; the options are `FoldOptions`'."""

    name = "fold"
    target_fps: int | float | None = None
    max: bool = False
    clock_mhz: int | float | None = None
    board: str = DEFAULT_BOARD
    solver: str = "exact"
    budget_lut: int | float = 0.8
    budget_bram: int | float = 0.8
    folding: str | None = None
    objective: str = "device"

    @property
    def options(self) -> FoldOptions:
        return FoldOptions(**{f.name: getattr(self, f.name) for f in dataclasses.fields(FoldOptions)})

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        graphs = [g for g in op.ops if isinstance(g, df.GraphOp)]
        if not graphs:
            raise BnncError("fold needs a df.graph: run lower-bnn-to-dataflow first")
        for graph in graphs:
            fold_graph(graph, self.options)
