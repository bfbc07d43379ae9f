"""How the command-line tools report a user's mistake: one line on stderr and exit code 2.

Only errors about the input are caught here (bad files, bad IR, bad pipelines, bad options);
anything else is a bug in bnnc and keeps its traceback so that it can be reported.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from xdsl.utils.exceptions import DiagnosticException, ParseError, VerifyException

from bnnc.errors import BnncError

USER_ERROR_EXIT = 2


def report(program: str, message: str) -> None:
    print(f"{program}: error: {message}", file=sys.stderr)


def usage_error(program: str, message: str) -> NoReturn:
    """A command-line mistake argparse found (an unknown option, a bad choice), in one line as
    every other input error, without the usage block (`--help` shows it)."""
    report(program, message)
    raise SystemExit(USER_ERROR_EXIT)


@contextmanager
def exit_on_user_errors(program: str, option_errors: bool = False) -> Iterator[None]:
    """Turn input errors into one line and exit code 2.

    With `option_errors`, ValueErrors count as input errors too: xDSL raises them while parsing
    pipelines and pass options, which happens only when a driver is set up.
    """
    try:
        yield
    except BnncError as exc:
        report(program, str(exc))
        raise SystemExit(USER_ERROR_EXIT) from None
    except (ParseError, DiagnosticException, VerifyException) as exc:
        report(program, f"invalid IR: {str(exc).strip()}")
        raise SystemExit(USER_ERROR_EXIT) from None
    except OSError as exc:
        report(program, f"{exc.filename or ''}: {exc.strerror or exc}")
        raise SystemExit(USER_ERROR_EXIT) from None
    except ValueError as exc:
        if not option_errors:
            raise
        report(program, str(exc))
        raise SystemExit(USER_ERROR_EXIT) from None
