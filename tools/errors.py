"""The one error type a user sees, and the wrapper that turns it into one line and exit 2."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import wraps


class UserError(Exception):
    """Bad input: the message says what is wrong, where, and how to fix it."""


def brief(exc: BaseException, limit: int = 160) -> str:
    """An exception's message on one line, cut to ``limit`` characters: for quoting a
    library's error inside one of ours."""
    return " ".join(str(exc).split())[:limit]


def cli_entry(func: Callable[..., int | None]) -> Callable[..., int]:
    """Run a command-line ``main``; a UserError becomes one line on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args, **kwargs) -> int:
        try:
            return func(*args, **kwargs) or 0
        except UserError as exc:
            message = " ".join(str(exc).split())  # always one line
            print(f"error: {message}", file=sys.stderr)
            return 2
        except OSError as exc:  # a file that cannot be read or written: say which, and why
            where = f"{exc.filename}: " if exc.filename else ""
            print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130

    return wrapper


class Parser(argparse.ArgumentParser):
    """argparse with the same one-line errors as everything else: what is wrong and where to
    look, no usage block (``--help`` has it)."""

    def error(self, message: str):
        message = " ".join(message.split())
        self.exit(2, f"error: {self.prog}: {message}; see {self.prog} --help\n")
