"""`bnnc-opt`: xDSL's modular optimizer driver with bnnc's dialects, passes and targets.

It reads `.mlir` text or an `.onnx` model (imported into the `bnn` dialect), runs a `-p` pipeline
and prints with a `-t` target. Problems with the input end in one `bnnc-opt: error: ...` line and
exit code 2, not in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO

from xdsl.dialects.builtin import ModuleOp
from xdsl.xdsl_opt_main import xDSLOptMain

from bnnc import __version__
from bnnc.errors import BnncError
from bnnc.driver.registry import get_all_dialects, get_all_passes, get_all_targets
from bnnc.driver.cli.diagnostics import exit_on_user_errors, usage_error
from bnnc.driver.cli.opt_help import epilog


class BnncOptMain(xDSLOptMain):
    version_format = f"bnnc-opt {__version__} (xdsl {{xdsl_version}})"

    def register_all_dialects(self) -> None:
        from xdsl.universe import Universe

        ours = get_all_dialects()
        # xDSL's own dialects, except those whose names bnnc's take (xDSL has an `hls` of its own)
        for name, factory in Universe.get_multiverse().all_dialects.items():
            if name not in ours:
                self.ctx.register_dialect(name, factory)
        for name, factory in ours.items():
            self.ctx.register_dialect(name, factory)

    def register_all_frontends(self) -> None:
        super().register_all_frontends()

        def parse_onnx(stream: IO[bytes]) -> ModuleOp:
            from bnnc.frontend.onnx_importer import import_model_bytes

            return import_model_bytes(stream.read(), self.get_input_name())

        self.available_frontends["onnx"] = parse_onnx

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        arg_parser.prog = "bnnc-opt"  # not argv[0]: main() also runs in process
        # bnnc's passes first, described; xDSL's after them (its help lists ~150 names in -p)
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        arg_parser.epilog = epilog(get_all_passes(), get_all_targets(), self.available_passes)
        for action in arg_parser._actions:
            if "--passes" in action.option_strings:
                action.help = "a pipeline of passes, comma-separated (listed below)"
        arg_parser.error = lambda message: usage_error(  # type: ignore[method-assign]
            "bnnc-opt", f"{message} (see bnnc-opt --help)")

    def register_all_passes(self) -> None:
        super().register_all_passes()
        for name, factory in get_all_passes().items():
            self.register_pass(name, factory)

    def register_all_targets(self) -> None:
        super().register_all_targets()
        self.available_targets.update(get_all_targets())


    def parse_chunk(self, chunk: IO[bytes], file_extension: str, start_offset: int = 0):
        try:
            return super().parse_chunk(chunk, file_extension, start_offset)
        except (ValueError, TypeError, KeyError) as exc:
            # xDSL's attribute parsers raise these on some malformed attributes
            raise BnncError(f"{self.get_input_name()}: cannot parse the input: {exc}") from None

    def output_resulting_program(self, prog: ModuleOp) -> str:
        try:
            return super().output_resulting_program(prog)
        except ValueError as exc:  # xDSL parses target options here
            raise BnncError(f"target '{self.args.target}': {exc}") from None

    def setup_pipeline(self) -> None:
        from xdsl.utils.exceptions import ArgSpecParseError

        from bnnc.driver.pipeline import pipeline_error

        try:
            super().setup_pipeline()
        except (ValueError, ArgSpecParseError) as exc:  # unknown passes, options or syntax
            raise pipeline_error(self.args.passes, exc) from None

    def prepare_input(self):
        try:
            return super().prepare_input()
        except ValueError as exc:  # an unknown file extension
            raise BnncError(f"{self.get_input_name()}: {exc}; expected .mlir or .onnx") from None


def main(args: Sequence[str] | None = None) -> None:
    with exit_on_user_errors("bnnc-opt", option_errors=True):
        driver = BnncOptMain(description="bnnc modular optimizer driver", args=args)
    with exit_on_user_errors("bnnc-opt"):
        driver.run()


if __name__ == "__main__":
    sys.exit(main())
