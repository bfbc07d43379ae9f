"""How to fold: one options object for the `fold` pass, `bnnc fold`, `bnnc compile` and the API."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from bnnc.devices import DEFAULT_BOARD, load_device
from bnnc.errors import BnncError

OBJECTIVES = ("device", "lut", "bram")
SOLVERS = ("exact", "finn")


@dataclass(frozen=True)
class FoldOptions:
    """The fold pass's options, with the pass's names (`target-fps` is `target_fps`).

    Either a frame rate (`target_fps`, the fix scenario: the cheapest design meeting it) or
    `max` (the fastest design within the budget). `clock_mhz` None means the board's own clock
    (its data file's `clock_mhz`). `solver`: `exact`, or `finn` for FINN's greedy SetFolding
    (fix only). `objective`: what "cheapest" means in the fix scenario (`device` weighs LUT and
    BRAM18 by their share of the device; `lut` or `bram` minimise that resource first).
    Budgets are fractions of the device. `folding`: a JSON file of layers to pin.
    """

    target_fps: float | None = None
    max: bool = False
    clock_mhz: float | None = None
    board: str = DEFAULT_BOARD
    solver: str = "exact"
    budget_lut: float = 0.8
    budget_bram: float = 0.8
    folding: str | None = None
    objective: str = "device"

    @property
    def clock(self) -> float:
        """The clock the design is folded for: the option, or the board's own."""
        return float(self.clock_mhz) if self.clock_mhz is not None else load_device(self.board).clock_mhz

    def check(self) -> None:
        """The options' own mistakes, found before any work: the scenario, the target, the
        clock, the solver, the budgets, the board and the folding file's syntax (its layer names
        need the model: the fold pass checks them)."""
        from bnnc.analysis.folding.files import load_folding

        if self.max == (self.target_fps is not None):
            raise BnncError("fold needs either a target frame rate (target-fps) or max=true")
        if self.clock_mhz is not None and not (math.isfinite(self.clock_mhz) and self.clock_mhz > 0):
            raise BnncError(f"the clock must be a positive number of MHz, got {self.clock_mhz}")
        if self.target_fps is not None and not (math.isfinite(self.target_fps) and self.target_fps > 0):
            raise BnncError(f"the target must be a positive number of frames per second, got {self.target_fps}")
        if self.solver not in SOLVERS:
            raise BnncError(f"unknown solver '{self.solver}'; expected exact or finn")
        if self.max and self.solver != "exact":
            raise BnncError("the max scenario has the exact solver only")
        if self.objective not in OBJECTIVES:
            raise BnncError(f"unknown folding objective '{self.objective}'; expected one of {', '.join(OBJECTIVES)}")
        for name, value in (("budget-lut", self.budget_lut), ("budget-bram", self.budget_bram)):
            if not 0 < value <= 1:
                raise BnncError(f"{name} is a fraction of the device in (0, 1], got {value}")
        load_device(self.board)
        if self.folding:
            load_folding(self.folding)

    def pass_spec(self) -> str:
        """The `fold{...}` pipeline element with these options (defaults left out)."""
        defaults = FoldOptions()
        options = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value == getattr(defaults, field.name) or value is None:
                continue
            key = field.name.replace("_", "-")
            if isinstance(value, bool):
                options.append(f"{key}={'true' if value else 'false'}")
            elif isinstance(value, str):
                options.append(f'{key}="{value}"')
            else:
                options.append(f"{key}={float(value)}")
        return "fold{" + " ".join(options) + "}"
