"""Open a build's report.html in headless Chromium and save a screenshot of it.

    python benchmarks/screenshot_report.py build/tfc report.png

Chromium is Debian's (`apt-get install chromium`); the page stands alone (its plots are embedded
PNGs), so it renders from the file with the network off.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--window-size=1280,2200",
)


def screenshot(build: Path, png: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    page = (build / "report.html").resolve()
    if not page.is_file():
        raise SystemExit(f"{page}: no report; run bnnc compile (or bnnc report) first")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={png.resolve()}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )
    if not png.is_file() or png.stat().st_size == 0:
        raise SystemExit("chromium wrote no screenshot")
    print(f"{png}: {png.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
