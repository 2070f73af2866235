"""RDF serialisations of the whole store, written as they are read; GraphML of the drawn graph.

No graph is built in memory first, so an export's memory does not follow the store's size: the
embedded store is written by pyoxigraph (`Store.dump`); a remote store's quads are parsed as the
server sends them and written straight out (pyoxigraph's serialisers, JSON-LD included). Turtle
merges the graphs and writes each triple once: on the embedded store subject by subject
(pyoxigraph holds the set of distinct subjects, a few bytes each); a server answers a SELECT
DISTINCT (its memory, not kg's). bench/export_memory.py measures all of this.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.export.view import GraphView
from kg.rdf.remote import RemoteStore
from kg.rdf.vocab import PREFIXES

RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
               "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
_PREFIXED = {"turtle", "trig"}  # JSON-LD is written without a @context, as rdflib did
_REMOTE_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_REMOTE_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
_SUBJECTS = "SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def write_rdf(store: Any, fmt: str, out: BinaryIO) -> None:
    """Serialise the store: turtle merges all graphs into one; trig, nquads and jsonld keep the
    named graphs. `store` is a kg.rdf.store.Store or a kg.rdf.remote.RemoteStore."""
    rdf_format, prefixes = RDF_FORMATS[fmt], PREFIXES if fmt in _PREFIXED else None
    items: Iterator[ox.Triple] | Iterator[ox.Quad]
    if isinstance(store, RemoteStore):
        if fmt == "turtle":
            items = (ox.Triple(r[0], r[1], r[2]) for r in store.solutions(_REMOTE_TRIPLES))
        else:
            items = (ox.Quad(r[0], r[1], r[2], r[3]) for r in store.solutions(_REMOTE_QUADS))
    elif fmt == "turtle":
        items = _merged_triples(store.oxigraph)
    else:
        store.oxigraph.dump(out, rdf_format, prefixes=prefixes)
        return
    ox.serialize(items, out, rdf_format, prefixes=prefixes)


def _merged_triples(inner: ox.Store) -> Iterator[ox.Triple]:
    """The distinct triples of all graphs, subject by subject: a triple stated in several graphs
    is given once, holding one subject's triples at a time to tell."""
    subjects = inner.query(_SUBJECTS)
    assert isinstance(subjects, ox.QuerySolutions)
    for row in subjects:
        seen: set[ox.Triple] = set()
        for quad in inner.quads_for_pattern(row[0], None, None, None):
            if quad.triple not in seen:
                seen.add(quad.triple)
                yield quad.triple


# characters XML 1.0 cannot hold (C0 controls but tab, newline and return; lone surrogates;
# U+FFFE and U+FFFF): an article's label holding one would make GraphML and GEXF unreadable
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", value)


def to_networkx(view: GraphView) -> nx.MultiDiGraph:
    """The drawn graph as a networkx multigraph with types, weights and dates as attributes.
    Each edge's key is unique in the graph (GraphML and GEXF write it as the edge id, which
    Gephi needs unique), and text holds only characters XML can carry."""
    g = nx.MultiDiGraph()
    for n in view.nodes:
        g.add_node(xml_text(n.id), label=xml_text(n.label), type=n.type,
                   country=n.country or "", wikidata=n.wikidata or "")
    keys: set[str] = set()
    for i, e in enumerate(view.edges):
        key = xml_text(e.id) if e.id and e.id not in keys else f"e{i}"
        keys.add(key)
        g.add_edge(xml_text(e.source), xml_text(e.target), key=key, relation=e.relation,
                   label=xml_text(e.label), event_type=e.event_type, weight=len(e.sources),
                   dates=" ".join(e.dates))
    return g


def write_graphml(view: GraphView, out: BinaryIO) -> None:
    nx.write_graphml(to_networkx(view), out)
