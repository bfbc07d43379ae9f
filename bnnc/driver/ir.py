"""Parsing and printing modules with every bnnc dialect loaded."""

from __future__ import annotations

from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func
from xdsl.parser import Parser

from bnnc.driver.registry import get_all_dialects


def make_context() -> Context:
    ctx = Context()
    ctx.load_dialect(Builtin)
    ctx.load_dialect(Func)
    for name, factory in get_all_dialects().items():
        ctx.register_dialect(name, factory)
    return ctx


def parse_module(path: str | Path) -> ModuleOp:
    """Parse and verify an `.mlir` file."""
    path = Path(path)
    module = Parser(make_context(), path.read_text(), str(path)).parse_module()
    module.verify()
    return module
