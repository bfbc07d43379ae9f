"""One layer's folding."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Fold:
    """PE processing elements, SIMD lanes and MMV pixels per cycle of one layer."""

    pe: int = 1
    simd: int = 1
    mmv: int = 1

    def as_dict(self) -> dict[str, int]:
        return {"pe": self.pe, "simd": self.simd, "mmv": self.mmv}
