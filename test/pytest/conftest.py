"""Shared fixtures: where the shared models and data sets are, and the data loaded once.

The shared folder sits beside the repository (`../shared`), on developer machines and in CI; set
BNNC_SHARED to use another place. A missing shared folder fails the tests: it never skips them.
"""

import os
from pathlib import Path

import numpy as np
import pytest

from bnnc.driver.datasets import mnist

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("BNNC_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    assert path.exists(), f"missing shared file {path} (set BNNC_SHARED to the shared folder)"
    return path


def model_path(name: str) -> Path:
    return shared_path("models", name)


@pytest.fixture(scope="session")
def mnist_test() -> tuple[np.ndarray, np.ndarray]:
    return mnist(shared_path("data", "mnist"))


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
