"""Running SPARQL: packaged queries by name, user queries with prefixes bound, updates guarded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources

from rdflib.query import Result
from rdflib.term import Node

from kg.errors import DataError, QueryError
from kg.rdf.store import Store

_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
                     re.IGNORECASE | re.MULTILINE)
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_PROLOGUE = re.compile(r"^\s*(#[^\n]*|PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*",
                       re.IGNORECASE)


def packaged_query(name: str) -> str:
    """The text of kg/data/queries/NAME.rq (NAME may be a relative path; with a suffix such as
    `.ru`, for updates, it is used as given)."""
    res = resources.files("kg") / "data" / "queries"
    for part in (name if "." in name.rsplit("/", 1)[-1] else f"{name}.rq").split("/"):
        res = res / part
    if not res.is_file():
        raise DataError(f"no packaged query named {name!r}")
    return res.read_text(encoding="utf-8")


def is_update(text: str) -> bool:
    """Whether a SPARQL text is an update (INSERT, DELETE, DROP, ...) rather than a query."""
    body = text
    while (m := _PROLOGUE.match(body)) and m.end() > 0:
        body = body[m.end():]
    return bool(_UPDATE.match(body))


def run_query(store: Store, text: str, source: str = "query", allow_update: bool = False
              ) -> Result | None:
    """Run a SPARQL query (or, if allowed, an update) with the project's prefixes bound.

    Raises:
        QueryError: on a syntax error (naming `source` and the line) or a refused update.
    """
    try:
        if is_update(text):
            if not allow_update:
                raise QueryError(f"{source}: this is a SPARQL update; pass --update to run it")
            store.update(text)
            return None
        return store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"{source}: SPARQL syntax error: {_first_line(exc)}") from None
    except (ValueError, OSError) as exc:
        raise QueryError(f"{source}: {_first_line(exc)}") from None


def with_values(text: str, bindings: dict[str, Node]) -> str:
    """TEXT with the variables of BINDINGS fixed by a VALUES block opening every WHERE group
    (subqueries too, where a block at the top would not reach), terms serialised by rdflib.

    A VALUES block is what query planners use best: on a million triples Oxigraph answers
    `events-between` about 4x faster with it than with initBindings (bench/store_scale.py).
    """
    if not bindings:
        return text
    names = sorted(bindings)
    block = (f"VALUES ({' '.join('?' + n for n in names)}) "
             f"{{ ({' '.join(bindings[n].n3() for n in names)}) }}")
    out, last = [], 0
    for m in _WHERE.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if "#" in text[line_start:m.start()]:
            continue  # inside a comment
        out += [text[last:m.end()], "\n  ", block]
        last = m.end()
    if not out:
        raise QueryError("a parameterised query needs a WHERE clause")
    return "".join(out) + text[last:]


def select(store: Store, name: str) -> Iterator[dict[str, str | None]]:
    """Rows of the packaged SELECT query NAME as {variable: value as text, or None if unbound}."""
    result = run_query(store, packaged_query(name), f"{name}.rq")
    if result is None or result.type != "SELECT":
        raise DataError(f"packaged query {name!r} is not a SELECT query")
    names = [str(v) for v in result.vars or []]
    for row in result:
        values = row if isinstance(row, tuple) else ()
        yield {k: (None if v is None else str(v)) for k, v in zip(names, values)}


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
