"""`bnnc-opt --help`: bnnc's passes and targets first, each with its one-line description (the
first line of its class docstring), then the names of xDSL's own passes, which are registered
too (they work on xDSL's dialects, not on bnnc's)."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable

WIDTH = 100


def describe(factory: Callable[[], type]) -> str:
    """The first sentence of the class's docstring, up to a colon outside backquotes (what
    follows one is detail: options, a file's layout), without a pointer to the module
    docstring."""
    paragraph = " ".join((factory().__doc__ or "").strip().split("\n\n")[0].split())
    sentence = re.split(r"(?<=\.)\s", paragraph)[0]
    colons = [m.start() for m in re.finditer(": ", sentence)
              if sentence[: m.start()].count("`") % 2 == 0]
    sentence = sentence[: colons[0]] if colons else sentence
    return re.sub(r"\s*\(see the module doc[^)]*\)", "", sentence)


def _table(title: str, entries: dict[str, Callable[[], type]]) -> list[str]:
    width = max(len(name) for name in entries) + 2
    rows = [f"{title}:"]
    for name in sorted(entries):
        text = textwrap.wrap(describe(entries[name]), WIDTH - width - 2,
                             break_on_hyphens=False) or [""]
        rows.append(f"  {name:<{width}}{text[0]}")
        rows += [" " * (width + 2) + more for more in text[1:]]
    return rows


def epilog(passes: dict[str, Callable[[], type]], targets: dict[str, Callable[[], type]],
           xdsl_passes: Iterable[str]) -> str:
    others = sorted(name for name in xdsl_passes if name not in passes)
    return "\n".join([
        *_table("bnnc's passes (-p, comma-separated, options in braces: fold{max=true})", passes),
        "",
        *_table("bnnc's targets (-t)", targets),
        "",
        "xDSL's passes, registered too (for xDSL's dialects):",
        textwrap.fill(", ".join(others), WIDTH, initial_indent="  ", subsequent_indent="  ",
                      break_on_hyphens=False),
    ])
