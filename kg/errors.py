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


class StoreError(CoopkgError):
    """The graph store cannot be opened, locked, read or written."""


class QuerySyntaxError(CoopkgError):
    """A SPARQL query that does not parse; carries the 1-based line and column of the error."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        self.detail = message
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"SPARQL syntax error{where}: {message}")


class QueryTimeout(CoopkgError):
    """A query that ran longer than its time limit and was stopped."""
