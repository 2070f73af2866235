"""The small exception hierarchy every kg stage raises; the CLI turns these into one-line errors."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error kg reports to a user."""


class InputError(KGError):
    """An article or input file cannot be read (missing, binary, empty, malformed).

    The message names the file (and line where known) and what is wrong.
    """

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class DataError(KGError):
    """A package data file (gazetteer, lexicon, rule, query, ontology) is invalid."""


class QueryError(KGError):
    """A SPARQL query is malformed or not allowed (e.g. an update without --update)."""


class StoreError(KGError):
    """The store cannot be opened, read or written."""
