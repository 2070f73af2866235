"""Named queries: parameterised SPARQL files in kg/data/queries/named, run by name.

Each file starts with comment lines: the first is its description, then one line per parameter,
`# param NAME (TYPE): description`, where TYPE is `state` (an ISO alpha-3 code, bound to the state's
IRI), `date` (YYYY-MM-DD), `type` (a PLOVER type, COUP or PRESENCE) or `string`. Parameters are
checked, made into RDF terms and bound by a VALUES block opening every WHERE group (serialised by
rdflib; the user's text is never pasted into the query), the same on every store.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rdflib import XSD, Literal

from kg.errors import DataError, QueryError
from kg.rdf.queries import run_query, with_values
from kg.rdf.store import Store
from kg.rdf.vocab import KGR, event_classes

PARAM_TYPES = {"state", "date", "type", "string"}
_PARAM = re.compile(r"^#\s*param\s+([a-z][a-z0-9_]*)\s*\((\w+)\)\s*:\s*(.+)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: tuple[Param, ...]
    text: str


def parse_named(name: str, text: str) -> NamedQuery:
    """Read a named query's header; DataError naming the file and line of a bad header."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise DataError(f"{name}.rq:1: a named query starts with a '# description' line")
    params: list[Param] = []
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.startswith("#"):
            break
        m = _PARAM.match(line)
        if m is None:
            continue
        if m.group(2) not in PARAM_TYPES:
            raise DataError(f"{name}.rq:{lineno}: unknown parameter type {m.group(2)!r}; "
                            f"use one of {', '.join(sorted(PARAM_TYPES))}")
        params.append(Param(m.group(1), m.group(2), m.group(3).strip()))
    return NamedQuery(name, lines[0].lstrip("# ").strip(), tuple(params), text)


@functools.lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    """Every packaged named query, by name."""
    folder = resources.files("kg") / "data" / "queries" / "named"
    out: dict[str, NamedQuery] = {}
    for res in sorted(folder.iterdir(), key=lambda r: r.name):
        if res.name.endswith(".rq"):
            name = res.name[:-3]
            out[name] = parse_named(name, res.read_text(encoding="utf-8"))
    return out


def _bind(query: NamedQuery, param: Param, value: str) -> Any:
    where = f"--param {param.name}={value}"
    if param.type == "state":
        return KGR[f"state/{_state_code(value, where)}"]
    if param.type == "date":
        try:
            return Literal(dt.date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
        except ValueError:
            raise QueryError(f"{where}: not a date (YYYY-MM-DD)") from None
    if param.type == "type":
        kinds = {c.plover for c in event_classes().values()}
        if value.strip().upper() not in kinds:
            raise QueryError(f"{where}: not an event type; use one of {', '.join(sorted(kinds))}")
        return Literal(value.strip().upper())
    return Literal(value)


def _state_code(value: str, where: str) -> str:
    """The ISO alpha-3 code of a state given by its code, name or demonym ("NER", "Niger",
    "Nigerien", "niger").

    Raises:
        QueryError: no state kg knows goes by it.
    """
    from kg.link.gazetteer import load_gazetteer  # only when a state is given: it takes a second

    gaz = load_gazetteer()
    text = value.strip()
    if re.fullmatch(r"[A-Za-z]{3}", text) and gaz.state(text.upper()) is not None:
        return text.upper()
    code = gaz.state_named(text) or gaz.state_named(text.title())
    if code is None:
        raise QueryError(f"{where}: no state kg knows by that code, name or demonym "
                         "(e.g. NER, Niger or Nigerien)")
    return code


def run_named(store: Store, name: str, params: dict[str, str]) -> Any:
    """Run the named query NAME with its parameters bound.

    Raises:
        QueryError: unknown query, a missing, unknown or malformed parameter.
    """
    query = named_queries().get(name)
    if query is None:
        raise QueryError(f"no named query {name!r}; `kg query --list` shows them")
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise QueryError(f"{name}: unknown parameter {unknown[0]!r}; it takes "
                         f"{', '.join(known) or 'none'}")
    missing = [p for p in known if p not in params]
    if missing:
        raise QueryError(f"{name}: missing --param {missing[0]}=... ({known[missing[0]].description})")
    bindings = {p: _bind(query, known[p], v) for p, v in params.items()}
    return run_query(store, with_values(query.text, bindings), f"{name}.rq")
