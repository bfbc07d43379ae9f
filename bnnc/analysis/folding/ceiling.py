"""What an impossible frame-rate target is missing: the fastest design there is, and what sets it.

`fold{target-fps=N}` that no folding meets says how fast the model can go at the clock within
the budget (the max scenario's answer) and which part sets that ceiling: a layer at its fastest
folding, a width converter, or the 64-bit AXI input port, which takes a frame's elements a
word at a time however the layers are folded (TFC: 784 one-bit pixels, 13 words, 15.4 M FPS at
200 MHz).
"""

from __future__ import annotations

from bnnc.analysis.cost_model import input_port_cost
from bnnc.analysis.fabric_costs import fabric_costs
from bnnc.errors import BnncError
from bnnc.analysis.folding.problem import FoldingProblem


def ceiling_note(problem: FoldingProblem, target_cycles: int) -> str | None:
    """'the fastest design ... reaches F FPS (C cycles a frame ...), set by WHAT', or None when
    the max scenario finds nothing either, or reaches the target (then the target failed for
    another reason, which its own message gives)."""
    from bnnc.analysis.folding.solvers import solve_max

    try:
        best = solve_max(problem)
    except BnncError:
        return None
    cycles = best.totals.cycles
    if cycles <= target_cycles:
        return None
    fps = problem.clock_mhz * 1e6 / cycles
    what = _what(problem, best.totals.bottleneck, best.folding, cycles)
    return (f"the fastest design within the budget reaches {fps:,.0f} FPS "
            f"({_plural(cycles, 'cycle')} a frame at {problem.clock_mhz:g} MHz), set by {what}")


def _what(problem: FoldingProblem, bottleneck: str, folding, cycles: int) -> str:
    if "->" not in bottleneck:
        fold = folding[bottleneck]
        return (f"layer '{bottleneck}' at its fastest folding that fits "
                f"(PE {fold.pe}, SIMD {fold.simd}, MMV {fold.mmv})")
    before, after = bottleneck.split("->")
    if before != "input":
        return f"the width converter between '{before}' and '{after}'"
    from bnnc.dialects.bnn import bit_width
    from bnnc.semantics.packing import axi_words_per_frame

    elements, bits = problem.source.elements, bit_width(problem.source.element)
    words = axi_words_per_frame(elements, bits)
    if input_port_cost(problem.source, fabric_costs(problem.device)).cycles >= cycles:
        return (f"the 64-bit AXI input port: a frame of {_plural(elements, 'element')} of "
                f"{_plural(bits, 'bit')} is {_plural(words, 'word')}, one a cycle")
    return f"the width converter behind the AXI input port, in front of '{after}'"


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
