"""What the page's Timeline, Table and provenance show, computed from a GraphView.

Presence intervals follow the named query ``presence`` (kg/data/queries/named/presence.rq) over
the view's edges instead of the store's events: which state's forces are in which country, and
whether their presence began, is ending or ended. A relation's time is its events' dates, else its
articles' publication dates (kg:timelineDate: the reported date); one with neither is undated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from kg.export.scope import period
from kg.export.view import EdgeView, GraphView, SourceRef

__all__ = ["STATUS_ORDER", "article_groups", "edge_when", "presence_intervals"]

_EPOCH = dt.date(1970, 1, 1).toordinal()  # the page counts days from 1970-01-01, as JS dates do

# What an interval's status is, by the first of its event kinds present (presence.rq's ?status).
STATUS_ORDER: tuple[tuple[str, str], ...] = (
    ("withdrew", "ended"),
    ("withdrawing", "ending"),
    ("agreed-to-withdraw", "end-planned"),
    ("arrived", "began"),
    ("present", "present"),
    ("arrival-planned", "arrival-planned"),
)


def _kind(edge: EdgeView) -> str | None:
    """What an edge says of a presence, as presence.rq's ?kind; None if nothing."""
    planned = "planned" in edge.statuses
    if edge.relation == "hasForcesIn":
        return "present"
    if edge.relation == "withdrewFrom":  # ends it when completed or when the text does not say
        under_way = "under-way" in edge.statuses and "completed" not in edge.statuses
        return "withdrawing" if under_way else "withdrew"
    if edge.relation == "concededTo":  # "lifted the curfew" is no withdrawal
        return "agreed-to-withdraw" if planned else None
    if edge.relation in {"deployedTo", "sendsInstructorsTo"}:
        return "arrival-planned" if planned else "arrived"
    return None


def _day(d: dt.date) -> int:
    return d.toordinal() - _EPOCH


def edge_when(edge: EdgeView) -> dict[str, Any]:
    """When a relation happened: its events' dates, else its articles' dates; None if neither.

    Returns "first" and "last", the earliest and latest ISO dates as written (to the year, month
    or day, compared as text as presence.rq's MIN and MAX do), "first_day" and "last_day", the
    days they cover counted from 1970-01-01, and "dated_by": "event", "article" or None.
    """
    for dated_by, values in (("event", edge.dates), ("article", _article_dates(edge.sources))):
        spans = {v: p for v, p in ((v, period(v)) for v in values) if p is not None}
        if spans:
            return {"first": min(spans), "last": max(spans),
                    "first_day": _day(min(a for a, _ in spans.values())),
                    "last_day": _day(max(b for _, b in spans.values())), "dated_by": dated_by}
    return {"first": None, "last": None, "first_day": None, "last_day": None, "dated_by": None}


def _article_dates(sources: tuple[SourceRef, ...]) -> list[str]:
    return sorted({s.article_date for s in sources if s.article_date})


def presence_intervals(view: GraphView) -> list[dict[str, Any]]:
    """Whose forces are in which country, from when to when, and whether that presence ended.

    One interval per forces state (the forces' country, else the forces) and host country (the
    target's country, else the target), as presence.rq groups them. Each lists its relations
    (edge id, kind, first and last day) so that the page can say how things stood on a date.
    """
    nodes = {n.id: n for n in view.nodes}
    groups: dict[tuple[str, str], list[tuple[EdgeView, str]]] = defaultdict(list)
    for edge in view.edges:
        kind = _kind(edge)
        if kind is None:
            continue
        forces = nodes[edge.source].country or edge.source
        host = nodes[edge.target].country or edge.target
        if forces != host:
            groups[(forces, host)].append((edge, kind))
    state_label = {n.country: n.label for n in view.nodes if n.type == "State" and n.country}

    def name(key: str) -> str:
        return state_label.get(key) or (nodes[key].label if key in nodes else key)

    def forces_name(key: str, actors: set[str]) -> str:
        if key in state_label:
            return f"{state_label[key]} forces"
        return ", ".join(sorted(nodes[a].label for a in actors))  # "France forces"

    out = []
    for (forces, host), members in sorted(groups.items()):
        kinds = {k for _, k in members}
        events = []
        early, late, ended, deadline = [], [], [], []
        for edge, kind in sorted(members, key=lambda m: m[0].id):
            when = edge_when(edge)
            events.append({"edge": edge.id, "kind": kind, "first_day": when["first_day"],
                           "last_day": when["last_day"], "first": when["first"],
                           "last": when["last"]})
            if when["first"] is None:
                continue
            if kind in {"arrival-planned", "agreed-to-withdraw"}:  # a date to come, not a sighting
                deadline.append(when["last"])
            else:
                early.append(when["first"])
                late.append(when["last"])
            if kind == "withdrew":
                ended.append(when["last"])
        out.append({
            "forces": forces, "forces_label": forces_name(forces, {e.source for e, _ in members}),
            "host": host, "host_label": name(host),
            "actors": sorted({e.source for e, _ in members}),
            "status": next(s for k, s in STATUS_ORDER if k in kinds),
            "first": min(early, default=None), "last": max(late, default=None),
            "ended_on": max(ended, default=None),
            "ends_by": max(deadline, default=None) if "agreed-to-withdraw" in kinds else None,
            "articles": len({s.article_id for e, _ in members for s in e.sources}),
            "events": events,
        })
    return out


def article_groups(edge: EdgeView) -> list[dict[str, Any]]:
    """An edge's sources by article, newest first (undated last): each article once, with its
    sentences once each and the rule ids behind each sentence."""
    articles: dict[str, dict[str, Any]] = {}
    for s in edge.sources:
        group = articles.setdefault(s.article_id, {
            "article_id": s.article_id, "title": s.article_title, "url": s.article_url,
            "name": s.article_name, "date": s.article_date, "sentences": {}})
        group["sentences"].setdefault(s.sentence, set()).add(s.rule)
    ordered = sorted(articles.values(), key=lambda a: a["article_id"])
    ordered.sort(key=lambda a: a["date"] or "", reverse=True)  # stable: ties keep the id order
    return [
        {**{k: v for k, v in a.items() if k != "sentences"},
         "sentences": [{"text": t, "rules": sorted(r)} for t, r in a["sentences"].items()]}
        for a in ordered
    ]
