"""The state a benchmark run carries between its sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Context:
    shared: Path
    quick: bool
    work: Path  # build directories and other files of this run
    repeats: int = 3  # whole-process timings: the median of this many runs
    builds: dict[str, Path] = field(default_factory=dict)  # model -> `bnnc compile` build (max)
    # section -> model -> figures, for the targets
    results: dict[str, dict] = field(default_factory=dict)
    # (peer, model) -> a result one section measured for another
    peer_runs: dict[tuple[str, str], object] = field(default_factory=dict)

    def record(self, section: str, model: str, **figures) -> None:
        self.results.setdefault(section, {}).setdefault(model, {}).update(figures)

    def get(self, section: str, model: str, key: str, default=None):
        return self.results.get(section, {}).get(model, {}).get(key, default)
