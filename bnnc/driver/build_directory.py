"""A build directory and what bnnc owns in it: the manifest, and putting a new build in place.

`bnnc compile` writes a build under a temporary name beside the output and puts it in place at
the end, so a failed compile changes nothing. The build's manifest (`bnnc-build.json`) lists
every file the compile wrote and where the model was. The output may be:

- absent: the temporary directory is renamed to it;
- an empty directory: the files are moved into it;
- a directory with anything in it: refused unless `force`. With `force`, the files the
  previous build's manifest lists are replaced and every other file is kept (a bitstream,
  Vivado's project directories, the user's notes). A new file whose path holds a file that
  is not the previous build's is refused, naming it: nothing foreign is overwritten. A file
  the manifest lists but that is reached through a symbolic link (someone's, bnnc makes none)
  is not the build's either.

Directories are created with the usual permissions (0777 less the umask), not the 0700 of a
temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from bnnc.errors import BnncError

MANIFEST = "bnnc-build.json"
REPORT = "report.json"  # the file whose presence marks a complete build: moved in last but one


def umask_mode(mode: int = 0o777) -> int:
    """`mode` less the process's umask (read by setting it and putting it back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask


def check_output(output: Path, force: bool) -> None:
    """What is refused before any work: an output that is a file, or a directory with anything
    in it without `force`."""
    if output.exists() and not output.is_dir():
        raise BnncError(f"{output}: exists and is not a directory")
    if output.is_dir() and any(output.iterdir()) and not force:
        what = "a bnnc build" if (output / MANIFEST).is_file() else "not empty"
        raise BnncError(
            f"{output}: exists and is {what}; give --force to rebuild it (bnnc then replaces only "
            f"the files its previous build wrote, listed in {MANIFEST}, and keeps every other "
            "file), or another -o directory"
        )


def write_manifest(work: Path, model: Path, extra: dict[str, Any] | None = None) -> None:
    """List every file under `work` (and the manifest itself) with the model's path."""
    from bnnc import __version__

    files = sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file())
    manifest = {"bnnc": __version__, "model": str(model.resolve()), **(extra or {}),
                "files": sorted({*files, MANIFEST})}
    (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def read_manifest(build: Path) -> dict[str, Any] | None:
    """The build's manifest, or None if it has none (or one that is not a manifest)."""
    try:
        manifest = json.loads((build / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def owned_files(build: Path) -> set[str]:
    """The files of the build's manifest that are inside it (a hand-edited entry that leaves
    the directory is ignored, never deleted)."""
    manifest = read_manifest(build) or {}
    files = manifest.get("files", [])
    if not isinstance(files, list):
        return set()
    inside = set()
    for entry in files:
        path = PurePosixPath(entry) if isinstance(entry, str) else None
        if path is not None and not path.is_absolute() and ".." not in path.parts and path.parts:
            inside.add(path.as_posix())
    return inside


def install(work: Path, output: Path, force: bool) -> None:
    """Put the build written in `work` at `output` (see the module docstring); `work` is gone
    afterwards."""
    if not output.exists():
        work.chmod(umask_mode())
        work.rename(output)
        return
    check_output(output, force)
    # a file reached through a link someone put in place is not the build's, wherever it points
    old = {path for path in owned_files(output) if not _through_symlink(output, output / path)}
    new = sorted(p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file())
    foreign = [p for p in new if p not in old and _occupied(output, p, old)]
    if foreign:
        more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
        shown = ", ".join(foreign[:5]) + more
        raise BnncError(f"{output}: holds files that bnnc did not write where the build goes "
                        f"({shown}); move them away, or give another -o directory")
    # The old build goes first, its report first: a directory caught half-way is not complete.
    for path in sorted(old, key=lambda p: p != REPORT):
        target = output / path
        if target.is_file() or target.is_symlink():
            target.unlink()
    _remove_empty_parents(output, old)
    for path in sorted(new, key=lambda p: (p == MANIFEST, p == REPORT)):
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(work / path, target)
    shutil.rmtree(work, ignore_errors=True)


def _occupied(output: Path, path: str, old: set[str]) -> bool:
    """A foreign file (or directory) at `path`, or a foreign file where one of its parent
    directories must go."""
    target = output / path
    if target.exists() or target.is_symlink():
        return True
    parent = target.parent
    while parent != output:
        owned = parent.relative_to(output).as_posix() in old
        if parent.exists() and not parent.is_dir() and not owned:
            return True
        parent = parent.parent
    return False


def _through_symlink(output: Path, target: Path) -> bool:
    """A directory on the way from `output` to `target` is a symbolic link (someone put one
    there; bnnc writes none)."""
    parent = target.parent
    while parent != output:
        if parent.is_symlink():
            return True
        parent = parent.parent
    return False


def _remove_empty_parents(output: Path, files: set[str]) -> None:
    """The directories of the old build's files that are empty now, deepest first."""
    directories = {parent for f in files for parent in PurePosixPath(f).parents if parent.parts}
    for directory in sorted(directories, key=lambda d: len(d.parts), reverse=True):
        path = output / directory
        if path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()


def build_model(build: Path) -> Path:
    """The model a build was compiled from, as its manifest records it; a clear error when the
    build does not say or the file is gone."""
    manifest = read_manifest(build)
    model = manifest.get("model") if manifest else None
    if not isinstance(model, str):
        raise BnncError(f"{build}: the build does not record its model (no {MANIFEST}); "
                        "compile it again, or give the model file")
    path = Path(model)
    if not path.is_file():
        raise BnncError(f"{build}: the build's model {path} is not there any more; give the "
                        "model file instead of the build")
    return path
