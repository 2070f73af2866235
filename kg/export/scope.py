"""Narrow a GraphView to what a page or export should show: event types, dates, a country, a focus.

Pure filtering: nothing is read from the store, and nodes and edges keep their ids and data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

from kg.analyze import _matches, ego_network
from kg.errors import KGError
from kg.export.view import EdgeView, GraphView, NodeView
from kg.rdf.vocab import event_classes

__all__ = ["centres", "event_types", "period", "scope_view"]

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_COUNTRY = re.compile(r"[A-Z]{3}")


def event_types() -> frozenset[str]:
    """Every event type an edge can carry: the ontology's PLOVER types, COUP and PRESENCE."""
    return frozenset(c.plover for c in event_classes().values())


def centres(view: GraphView, focus: str) -> list[NodeView]:
    """The nodes `focus` names: by id, else label, else alias (any case), else a State's ISO code."""
    return _matches(view, focus)


def period(value: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day of an ISO date known to the year, month or day; None if not one."""
    match = _ISO.fullmatch(value.strip())
    if match is None:
        return None
    year = int(match.group(1))
    month, day = match.group(2), match.group(3)
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), 1), dt.date(year, int(month), last)
        return dt.date(year, int(month), int(day)), dt.date(year, int(month), int(day))
    except ValueError:  # month 13, 30 February
        return None


def scope_view(
    view: GraphView,
    focus: str | None = None,
    depth: int = 1,
    since: str | None = None,
    until: str | None = None,
    types: Iterable[str] | None = None,
    country: str | None = None,
) -> GraphView:
    """Keep the part of a graph that matches every given criterion.

    Edges are filtered first (types, dates, country), then the neighbourhood of `focus` is taken
    in what remains; nodes left with no edge are dropped, except the focus node itself.

    Args:
        view: the whole graph.
        focus: a node id, a label or alias (any case), or a State's ISO alpha-3 code; keep only
            nodes within `depth` hops of it (either direction). Several equal matches (a shared
            alias) are all kept as centres.
        depth: hops from `focus` (0 keeps the focus node alone); ignored without `focus`.
        since: keep edges with a date on or after this ISO date (YYYY, YYYY-MM or YYYY-MM-DD);
            a date known only to the year or month counts when that period overlaps the range.
        until: keep edges with a date on or before this ISO date (same forms). With `since` or
            `until`, edges without any date are dropped.
        types: event types to keep (PLOVER types, COUP, PRESENCE; any case; an item may hold
            several separated by commas). None or empty keeps every type.
        country: ISO alpha-3 code (any case); keep edges with either end node in that country.

    Returns:
        A new GraphView with the kept nodes and edges, in the view's order.

    Raises:
        KGError: an unknown event type (the message lists the valid ones), a date that is not
            ISO, `since` after `until`, a country that is not three letters, a negative depth,
            or no node matching `focus`.
    """
    keep_types = _types(types)
    window = _window(since, until)
    iso = _country(country)
    countries = {n.id: n.country for n in view.nodes}

    def kept(edge: EdgeView) -> bool:
        if keep_types is not None and edge.event_type.upper() not in keep_types:
            return False
        if window is not None and not _overlaps(edge.dates, *window):
            return False
        return iso is None or iso in (countries.get(edge.source), countries.get(edge.target))

    edges = tuple(e for e in view.edges if kept(e))
    centres: set[str] = set()
    if focus is not None:
        if depth < 0:
            raise KGError(f"depth must be 0 or more, not {depth}")
        centres = {n.id for n in _matches(view, focus)}
        if not centres:
            raise KGError(f"no entity matching {focus!r}")
        near = ego_network(GraphView(view.nodes, edges), focus, depth)
        edges = near.edges
    linked = {e.source for e in edges} | {e.target for e in edges} | centres
    return GraphView(nodes=tuple(n for n in view.nodes if n.id in linked), edges=edges)


def _types(types: Iterable[str] | None) -> frozenset[str] | None:
    if types is None:
        return None
    if isinstance(types, str):
        types = [types]
    wanted = {t.strip().upper() for item in types for t in item.split(",") if t.strip()}
    if not wanted:
        return None
    valid = event_types()
    unknown = sorted(wanted - valid)
    if unknown:
        raise KGError(
            f"unknown event type(s) {', '.join(unknown)}; valid: {', '.join(sorted(valid))}"
        )
    return frozenset(wanted)


def _window(since: str | None, until: str | None) -> tuple[dt.date, dt.date] | None:
    if since is None and until is None:
        return None
    start, end = dt.date.min, dt.date.max
    if since is not None:
        start = _bound(since, "since")[0]
    if until is not None:
        end = _bound(until, "until")[1]
    if start > end:
        raise KGError(f"since ({since}) is after until ({until})")
    return start, end


def _bound(value: str, name: str) -> tuple[dt.date, dt.date]:
    found = period(value)
    if found is None:
        raise KGError(f"{name}: {value!r} is not a date like 2024, 2024-03 or 2024-03-16")
    return found


def _overlaps(dates: Iterable[str], start: dt.date, end: dt.date) -> bool:
    spans = (period(d) for d in dates)
    return any(s is not None and s[0] <= end and s[1] >= start for s in spans)


def _country(country: str | None) -> str | None:
    if country is None:
        return None
    code = country.strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise KGError(f"country: {country!r} is not an ISO alpha-3 code like NER")
    return code
