"""The training example end to end: Brevitas on the CPU, QONNX export, bnnc compile and verify.

Slow (and needs the `train` extra: torch 2.13.0 CPU, brevitas): `pytest -m slow`.
"""

import re
import subprocess
import sys

import pytest
from conftest import REPO, shared_path


@pytest.mark.slow
def test_train_export_compile_verify(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "examples" / "train_tfc.py"), "--data", str(shared_path("data", "mnist")),
         "--out", str(tmp_path), "--epochs", "2", "--verify-images", "50"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    torch_accuracy = float(re.search(r"PyTorch accuracy on the 10,000 test images: ([\d.]+)%", result.stdout).group(1))
    bnnc_accuracy = float(re.search(r"bnnc \(bnn executor\) accuracy: ([\d.]+)%", result.stdout).group(1))
    same = int(re.search(r"same label as PyTorch on ([\d,]+) of", result.stdout).group(1).replace(",", ""))
    # PyTorch trains and evaluates batch norm in float32, bnnc in float64: labels may differ only
    # where a pre-activation sits within float32 rounding of a threshold (docs/design.md)
    assert same >= 9_980 and abs(bnnc_accuracy - torch_accuracy) <= 0.2 and torch_accuracy > 60, result.stdout
    for level in ("onnx", "bnn", "df", "csim"):
        assert re.search(rf"^{level}\s+yes\s", result.stdout, flags=re.MULTILINE), result.stdout
