"""Analysts' corrections of entity resolution, kept in their own named graph.

`merge(A, B)` records `A owl:sameAs B` and rewrites every stored triple naming A to name B;
ingesting later applies the same rewrite, so the correction survives re-ingest. `split(A, B)`
withdraws a merge (recording `A owl:differentFrom B`); facts already rewritten keep B until the
articles that named A are ingested again.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kg.rdf.store import Store
from kg.rdf.vocab import KGR

CORRECTIONS_GRAPH = KGR["graph/corrections"]
_SAME = ox.NamedNode(str(OWL.sameAs))
_DIFFERENT = ox.NamedNode(str(OWL.differentFrom))
_LABEL = ox.NamedNode(str(RDFS.label))
_ALIAS = ox.NamedNode(str(SKOS.altLabel))


def _graph() -> ox.NamedNode:
    return ox.NamedNode(str(CORRECTIONS_GRAPH))


def merges(store: Any) -> dict[URIRef, URIRef]:
    """Recorded merges: entity IRI -> the IRI it was merged into (followed to the end)."""
    rows = store.query("SELECT ?a ?b WHERE { GRAPH kgr:graph\\/corrections { ?a owl:sameAs ?b } }")
    pairs = {URIRef(str(row[0])): URIRef(str(row[1])) for row in rows}
    out: dict[URIRef, URIRef] = {}
    for source, first in pairs.items():
        target, seen = first, {source}
        while target in pairs and target not in seen:
            seen.add(target)
            target = pairs[target]
        out[source] = target
    return out


def apply(graph: Graph, mapping: dict[URIRef, URIRef]) -> Graph:
    """A copy of `graph` with merged entities renamed (the graph itself when nothing applies)."""
    if not mapping:
        return graph
    def rename(node: Any) -> Any:
        return mapping.get(node, node) if isinstance(node, URIRef) else node

    out = Graph(identifier=graph.identifier)
    for s, p, o in graph:
        if p == RDFS.label and s in mapping:
            p = SKOS.altLabel  # the merged entity's name lives on as an alias
        out.add((rename(s), p, rename(o)))
    return out


def _naming(store: Store, node: ox.NamedNode) -> list[ox.Quad]:
    """Stored quads (outside the corrections graph) with `node` as subject or object."""
    inner, corrections = store.oxigraph, _graph()
    quads = [*inner.quads_for_pattern(node, None, None, None),
             *inner.quads_for_pattern(None, None, node, None)]
    return [q for q in quads if q.graph_name != corrections]


def merge(store: Store, source: URIRef, target: URIRef) -> int:
    """Record that `source` is `target` and rename it in every stored article graph.

    Returns:
        The number of stored triples rewritten.
    """
    inner, old, new = store.oxigraph, ox.NamedNode(str(source)), ox.NamedNode(str(target))
    inner.remove(ox.Quad(old, _DIFFERENT, new, _graph()))
    inner.remove(ox.Quad(new, _DIFFERENT, old, _graph()))
    quads = _naming(store, old)
    rewritten = [ox.Quad(new if q.subject == old else q.subject,
                         _ALIAS if q.subject == old and q.predicate == _LABEL else q.predicate,
                         new if q.object == old else q.object, q.graph_name) for q in quads]
    for quad in quads:
        inner.remove(quad)
    inner.extend([*rewritten, ox.Quad(old, _SAME, new, _graph())])
    return len(quads)


def split(store: Store, source: URIRef, target: URIRef) -> bool:
    """Withdraw the merge of `source` into `target` and record that they differ.

    Returns:
        Whether such a merge had been recorded.
    """
    inner, old, new = store.oxigraph, ox.NamedNode(str(source)), ox.NamedNode(str(target))
    existed = False
    for a, b in ((old, new), (new, old)):
        quad = ox.Quad(a, _SAME, b, _graph())
        if quad in inner:
            inner.remove(quad)
            existed = True
    inner.extend([ox.Quad(old, _DIFFERENT, new, _graph())])
    return existed
