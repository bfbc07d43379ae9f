"""The imports go one way, as docs/design.md ("Layers") sets them: numpy semantics at the bottom,
dialects above, then the front end and the analyses, the passes, the backends and the runtimes,
and the driver at the top. Every import counts, those inside functions too (a lazy import is
still a dependency); the package `bnnc` itself (the lazy API facade) is the only exception."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {"bnnc": ROOT / "bnnc", "bnnc.dialects": ROOT / "dialects", "bnnc.passes": ROOT / "passes",
           "bnnc.backends": ROOT / "backends"}

# (layer, module prefixes), bottom first; a module may import its own layer and those below.
LAYERS = [
    ("semantics", ("bnnc.errors", "bnnc.devices", "bnnc.semantics", "bnnc.xdsl_fixes")),
    ("dialects", ("bnnc.dialects",)),
    ("front end and analyses", ("bnnc.frontend", "bnnc.analysis")),
    ("passes", ("bnnc.passes",)),
    ("backends", ("bnnc.backends",)),
    ("runtimes", ("bnnc.runtime",)),
    ("driver", ("bnnc.driver",)),
]
ALLOWED = {
    # A dialect attaches its canonicalization patterns (imported lazily, as xDSL's dialects do).
    ("dialects", "bnnc.passes.canonicalization"),
}


def modules() -> dict[str, Path]:
    found = {}
    for package, directory in SOURCES.items():
        for path in directory.rglob("*.py"):
            parts = path.relative_to(directory).with_suffix("").parts
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, name: str) -> set[str]:
    result = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package
                package = name.split(".")[: -node.level] if not path.name == "__init__.py" else name.split(".")[: len(name.split(".")) - node.level + 1]
                base = ".".join([*package, base]).rstrip(".")
            if base.startswith("bnnc"):
                result.add(base)
                result.update(f"{base}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            result.update(a.name for a in node.names if a.name.startswith("bnnc"))
    return result


def layer_of(module: str) -> int | None:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def graph() -> nx.DiGraph:
    known = modules()
    g = nx.DiGraph()
    for name, path in known.items():
        g.add_node(name)
        for target in imports(path, name):
            if target in known and target != name:
                g.add_edge(name, target)
    return g


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in modules() if m != "bnnc" and layer_of(m) is None)
    assert not unplaced, f"modules outside every layer (give them a subpackage): {unplaced}"


def test_imports_go_down_the_layers():
    wrong = []
    for source, target in graph().edges:
        if source == "bnnc":
            continue
        s, t = layer_of(source), layer_of(target)
        if s is None or t is None or t <= s:
            continue
        if any(LAYERS[s][0] == layer and target.startswith(prefix) for layer, prefix in ALLOWED):
            continue
        wrong.append(f"{source} ({LAYERS[s][0]}) imports {target} ({LAYERS[t][0]})")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("layer,forbidden", [
    ("bnnc.dialects", ("bnnc.backends", "bnnc.runtime", "bnnc.driver", "bnnc.analysis", "bnnc.frontend")),
    ("bnnc.passes", ("bnnc.runtime", "bnnc.backends", "bnnc.driver")),
    ("bnnc.backends", ("bnnc.runtime", "bnnc.driver")),
])
def test_named_rules(layer, forbidden):
    """The issue's rules, spelled out: dialects import no passes but their canonicalization
    patterns, no backends or runtimes; passes no interpreters, simulators or backends; backends
    no interpreters or CLI."""
    wrong = [f"{s} -> {t}" for s, t in graph().edges
             if s.startswith(layer) and any(t.startswith(f) for f in forbidden)]
    if layer == "bnnc.dialects":
        wrong += [f"{s} -> {t}" for s, t in graph().edges if s.startswith(layer)
                  and t.startswith("bnnc.passes") and not t.startswith("bnnc.passes.canonicalization")]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles():
    """No module imports itself through others, lazily or not; the one allowed upward edge (a
    dialect's lazy import of its canonicalization patterns) is how xDSL breaks that cycle."""
    g = graph()
    g.remove_node("bnnc")
    g.remove_edges_from([(s, t) for s, t in list(g.edges) if s.startswith("bnnc.dialects.")
                         and t.startswith("bnnc.passes.canonicalization")])
    cycles = sorted(sorted(c) for c in nx.simple_cycles(g))
    assert not cycles, cycles
