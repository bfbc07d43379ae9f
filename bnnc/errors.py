"""Errors that reach users as one clear line and a non-zero exit code, never a traceback."""


class BnncError(Exception):
    """A problem with the user's input: what, where, and what would be accepted."""
