"""Folding: how much parallelism each layer of a `df.graph` gets, and how it is chosen.

- `fold.Fold`: PE, SIMD and MMV of one layer;
- `streams`: applying a folding to a graph (`refold`) and reading it back (`current_folding`);
- `files`: folding files (JSON), so that users can pin or tweak layers;
- `problem.FoldingProblem`: the legal choices per layer with their cost, and `verify`;
- `solvers`: the exact solvers (fix-FPS and max-FPS) and FINN's greedy `SetFolding` baseline.
"""

from bnnc.dialects.df import Fold
from bnnc.analysis.folding.streams import check_legal, current_folding, layer_of, refold

__all__ = ["Fold", "check_legal", "current_folding", "layer_of", "refold"]
