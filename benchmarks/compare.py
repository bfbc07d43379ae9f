"""bnnc against its peers, side by side, in one run on one machine.

    python benchmarks/compare.py [--quick] [--json out.json] [--markdown out.md]
                                 [--sections compile,quality,throughput]

Prints the machine, the versions and the date, then one table a section:
  compile     whole-process compile times, `bnnc compile` against hls4ml (compile_times.py);
  quality     the designs bnnc plans for the ZC706 next to FINN's, and the roofline (quality.py);
  throughput  images/s of bnnc's executors and simulators, hls4ml, Larq Compute Engine, numpy
              and onnxruntime, with each one's top-1 agreement with onnxruntime (throughput.py);
and the targets of issue 14, each with its measured value (targets.py). The peers are
optional: install them with benchmarks/setup.sh; a peer that is absent or fails is a row that
says why. `--quick` (one run each, smaller batches, no Yosys, no CNV in the RTL simulation or in
hls4ml) is for checking the script, not for figures. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compile_times
import quality
import targets
import throughput
from common import SHARED, machine, versions
from context import Context

SECTIONS = {"compile": compile_times, "quality": quality, "throughput": throughput}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="one run each, small batches: a smoke test"
    )
    parser.add_argument("--json", type=Path, help="write the machine, versions and tables here")
    parser.add_argument("--markdown", type=Path, help="write the tables as Markdown here")
    parser.add_argument(
        "--shared", type=Path, default=SHARED, help="the shared models and data (../shared)"
    )
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"a comma-separated subset of {','.join(SECTIONS)} (targets always follow)",
    )
    parser.add_argument("--keep", type=Path, help="keep the build directories here")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(
            f"unknown section(s) {', '.join(unknown)}; the sections are {', '.join(SECTIONS)}"
        )
    if not (args.shared / "models").is_dir():
        parser.error(f"{args.shared}: no models/ here; give the shared directory with --shared")

    start = time.perf_counter()
    info, tools = machine(), versions()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print("versions: " + ", ".join(f"{k} {v}" for k, v in tools.items()), flush=True)
    work = Path(tempfile.mkdtemp(prefix="bnnc-bench-"))
    ctx = Context(args.shared, args.quick, work, repeats=1 if args.quick else 3)
    tables = []
    try:
        for name, section in SECTIONS.items():  # in order: the later ones reuse the builds
            if name in sections:
                section_start = time.perf_counter()
                for table in section.run(ctx):
                    tables.append(table)
                    print("\n" + table.text(), flush=True)
                print(f"  ({name}: {time.perf_counter() - section_start:.0f} s)", flush=True)
        for table in targets.run(ctx):
            tables.append(table)
            print("\n" + table.text())
    finally:
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - start
    cpu = sum(
        getattr(resource.getrusage(who), f)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for f in ("ru_utime", "ru_stime")
    )
    command = "python benchmarks/compare.py " + " ".join(argv if argv is not None else sys.argv[1:])
    # On a loaded machine the wall time stretches; the CPU time shows what the run itself needs.
    print(
        f"\nbenchmarks/compare.py: {elapsed / 60:.1f} min ({cpu / 60:.1f} min of CPU time)",
        flush=True,
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "command": command.strip(),
                    "elapsed_s": elapsed,
                    "cpu_s": cpu,
                    "machine": info,
                    "versions": tools,
                    "tables": [t.as_json() for t in tables],
                },
                indent=2,
                default=float,
            )
            + "\n"
        )
    if args.markdown:
        header = [
            (
                f"Measured {info['date']} on {info['cpu']} ({info['cores']} cores, {info['ram']}), "
                f"in {elapsed / 60:.1f} min ({cpu / 60:.1f} min of CPU time), by "
                f"`{command.strip()}`."
            ),
            "",
            "Versions: " + ", ".join(f"{k} {v}" for k, v in tools.items()) + ".",
        ]
        args.markdown.write_text(
            "\n".join(header) + "\n\n" + "\n\n".join(t.markdown() for t in tables) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
