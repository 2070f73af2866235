"""RDF serialisations of the whole store, and GraphML of the drawn graph."""

from __future__ import annotations

from typing import BinaryIO

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from kg.export.view import GraphView
from kg.rdf.store import Store
from kg.rdf.vocab import PREFIXES

RDF_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


def write_rdf(store: Store, fmt: str, out: BinaryIO) -> None:
    """Serialise the store: turtle merges all article graphs; trig, nquads and jsonld keep them."""
    target: Graph | Dataset = Graph() if fmt == "turtle" else Dataset()
    for prefix, ns in PREFIXES.items():
        target.bind(prefix, ns)
    for s, p, o, g in store.quads():
        if isinstance(target, Dataset):
            target.graph(URIRef(str(g))).add((s, p, o))
        else:
            target.add((s, p, o))
    target.serialize(out, format=RDF_FORMATS[fmt])


def to_networkx(view: GraphView) -> nx.MultiDiGraph:
    """The drawn graph as a networkx multigraph with types, weights and dates as attributes."""
    g = nx.MultiDiGraph()
    for n in view.nodes:
        g.add_node(n.id, label=n.label, type=n.type, country=n.country or "",
                   wikidata=n.wikidata or "")
    for e in view.edges:
        g.add_edge(e.source, e.target, key=e.relation, relation=e.relation, label=e.label,
                   event_type=e.event_type, weight=len(e.sources), dates=" ".join(e.dates))
    return g


def write_graphml(view: GraphView, out: BinaryIO) -> None:
    nx.write_graphml(to_networkx(view), out)
