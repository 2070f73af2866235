"""A neutral, drawable view of the graph (nodes, edges, their sources) that the page and GraphML use."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceRef:
    """One sentence that supports an edge, with the article it came from."""

    sentence: str
    article_title: str | None
    article_url: str | None  # only http(s) urls are ever made links
    article_date: str | None  # ISO date
    article_id: str
    rule: str
    article_name: str | None = None  # what readers know it by: its url, else its path


@dataclass(frozen=True)
class NodeView:
    """An entity or actor drawn as a node."""

    id: str  # IRI
    label: str
    type: str  # ontology class local name: State, ArmedForce, Junta, Person, Organisation, ...
    country: str | None = None  # ISO alpha-3
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class EdgeView:
    """A direct relation (from one or more events) drawn as an edge."""

    id: str
    source: str  # NodeView.id
    target: str  # NodeView.id
    relation: str  # ontology property local name, e.g. "withdrewFrom"
    label: str  # readable, e.g. "withdrew from"
    event_type: str  # PLOVER type or COUP / PRESENCE
    dates: tuple[str, ...] = ()
    quantities: tuple[str, ...] = ()  # e.g. "more than 1,000 personnel"
    statuses: tuple[str, ...] = ()  # how far its movements had gone: planned, under-way, completed
    sources: tuple[SourceRef, ...] = field(default=())


@dataclass(frozen=True)
class GraphView:
    """Nodes and edges to draw."""

    nodes: tuple[NodeView, ...]
    edges: tuple[EdgeView, ...]
