"""coopkg's one exception family; the CLI turns it into a message and an exit code."""

from __future__ import annotations


class CoopkgError(Exception):
    """Base of every error coopkg reports to a user (never shown as a traceback)."""

    exit_code = 2


class InputError(CoopkgError):
    """An input file that cannot be read as an article: names the file (and line)."""

    def __init__(self, source: str, reason: str, line: int | None = None) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {reason}")


class ModelError(CoopkgError):
    """No spaCy pipeline is installed for a language."""


class OutputError(CoopkgError):
    """An output cannot be written (unwritable folder, full disk, ...)."""
