"""Runs the lit/FileCheck suite (test/filecheck) as one pytest test, so one command runs all."""

import subprocess
import sys
from pathlib import Path

TEST_DIR = Path(__file__).resolve().parents[1]


def test_filecheck_suite():
    lit = Path(sys.executable).with_name("lit")
    result = subprocess.run(
        [str(lit), "-v", "-j2", str(TEST_DIR)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "Passed" in result.stdout, result.stdout
