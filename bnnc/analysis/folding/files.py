"""Folding files: `{"layer": {"pe": 4, "simd": 8, "mmv": 1}, ...}` in JSON.

A user saves the folding a solver chose, edits a layer or two, and compiles with it: pinned
layers keep their entry, and a solver folds the others around them.
"""

from __future__ import annotations

import json
from pathlib import Path

from bnnc.errors import BnncError
from bnnc.dialects.df import Fold

KEYS = ("pe", "simd", "mmv")


def load_folding(path: str | Path) -> dict[str, Fold]:
    try:
        data = json.loads(Path(path).read_text())
    except OSError as exc:
        raise BnncError(f"{path}: cannot read the folding file: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BnncError(f"{path}: the folding file is not JSON ({exc}); bnnc fold -o writes "
                        "one") from None
    if not isinstance(data, dict):
        raise BnncError(f"{path}: a folding file maps layer names to {{\"pe\", \"simd\", \"mmv\"}}")
    folding = {}
    for layer, entry in data.items():
        if not isinstance(entry, dict) or not set(entry) <= set(KEYS):
            raise BnncError(f"{path}: layer '{layer}': expected keys among {list(KEYS)}, got {entry}")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in entry.values()):
            raise BnncError(f"{path}: layer '{layer}': PE, SIMD and MMV must be positive "
                            f"integers, got {entry}")
        folding[layer] = Fold(**entry)
    return folding


def save_folding(folding: dict[str, Fold], path: str | Path) -> None:
    Path(path).write_text(json.dumps({k: v.as_dict() for k, v in folding.items()}, indent=2) + "\n")
