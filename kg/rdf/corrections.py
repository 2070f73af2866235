"""Analysts' corrections of entity resolution, kept in their own named graph.

`merge(A, B)` records `A owl:sameAs B` and rewrites every stored triple naming A to name B;
ingesting later applies the same rewrite, so the correction survives re-ingest. `split(A, B)`
withdraws a merge (recording `A owl:differentFrom B`); facts already rewritten keep B until the
articles that named A are ingested again.

Both are one SPARQL Update request, on the embedded store (pyoxigraph applies an update in one
transaction) as on a SPARQL server (which applies a request as a unit, as Oxigraph and Fuseki
do): a merge is never left half done.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from kg.rdf.vocab import KGR

CORRECTIONS_GRAPH = KGR["graph/corrections"]

# ?old and ?new are bound by a VALUES block opening each WHERE group (see _bind).
_MERGE = r"""
DELETE { GRAPH kgr:graph\/corrections { ?old owl:differentFrom ?new . ?new owl:differentFrom ?old } }
INSERT { GRAPH kgr:graph\/corrections { ?old owl:sameAs ?new } }
WHERE { } ;
DELETE { GRAPH ?g { ?old ?p ?o } }
INSERT { GRAPH ?g { ?new ?q ?o2 } }
WHERE {
  GRAPH ?g { ?old ?p ?o }
  FILTER (!sameTerm(?g, kgr:graph\/corrections))
  BIND (IF(sameTerm(?p, rdfs:label), skos:altLabel, ?p) AS ?q)
  BIND (IF(sameTerm(?o, ?old), ?new, ?o) AS ?o2)
} ;
DELETE { GRAPH ?g { ?s ?p ?old } }
INSERT { GRAPH ?g { ?s ?p ?new } }
WHERE { GRAPH ?g { ?s ?p ?old } FILTER (!sameTerm(?g, kgr:graph\/corrections)) }
"""
_NAMING = r"""
SELECT (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { { ?old ?p ?o } UNION { ?s ?p ?old } }
  FILTER (!sameTerm(?g, kgr:graph\/corrections))
}
"""
_SPLIT = r"""
DELETE { GRAPH kgr:graph\/corrections { ?old owl:sameAs ?new . ?new owl:sameAs ?old } }
INSERT { GRAPH kgr:graph\/corrections { ?old owl:differentFrom ?new } }
WHERE { }
"""
_MERGED = r"""
ASK WHERE { GRAPH kgr:graph\/corrections { { ?old owl:sameAs ?new } UNION { ?new owl:sameAs ?old } } }
"""
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


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


def _bind(text: str, old: URIRef, new: URIRef) -> str:
    """`text` with ?old and ?new bound by a VALUES block opening each WHERE group.

    SPARQL Update has no parameters (and a store's query bindings need not reach every group),
    so the terms go into the text, serialised by rdflib, which refuses IRIs that could break out
    of their brackets.
    """
    values = f"VALUES (?old ?new) {{ ({old.n3()} {new.n3()}) }}"
    return _WHERE.sub(lambda m: f"{m.group(0)} {values}", text)


def merge(store: Any, source: URIRef, target: URIRef) -> int:
    """Record that `source` is `target` and rename it in every stored graph, in one update.

    `store` is a kg.rdf.store.Store or a kg.rdf.remote.RemoteStore.

    Returns:
        The number of stored triples that named `source` (counted just before the update).
    """
    (row,) = list(store.query(_bind(_NAMING, source, target)))
    store.update(_bind(_MERGE, source, target))
    return int(str(row[0]))


def split(store: Any, source: URIRef, target: URIRef) -> bool:
    """Withdraw the merge of `source` into `target` and record that they differ, in one update.

    Returns:
        Whether such a merge had been recorded.
    """
    existed = bool(store.query(_bind(_MERGED, source, target)).askAnswer)
    store.update(_bind(_SPLIT, source, target))
    return existed
