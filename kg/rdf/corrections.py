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

from typing import Any

from rdflib import Literal, URIRef

from kg.rdf.queries import packaged_query, with_values
from kg.rdf.vocab import KGR

CORRECTIONS_GRAPH = KGR["graph/corrections"]

def merges(store: Any) -> dict[URIRef, URIRef]:
    """Recorded merges: entity IRI -> the IRI it was merged into (followed to the end)."""
    rows = store.query(packaged_query("corrections/merges"))
    pairs = {URIRef(str(row[0])): URIRef(str(row[1])) for row in rows}
    out: dict[URIRef, URIRef] = {}
    for source, first in pairs.items():
        target, seen = first, {source}
        while target in pairs and target not in seen:
            seen.add(target)
            target = pairs[target]
        out[source] = target
    return out


def merged_labels(store: Any) -> dict[URIRef, Literal]:
    """The label of each entity something was merged into: where ingest renames a merged party,
    the event's copy of its label (kg:sourceLabel, kg:targetLabel) becomes this one."""
    rows = store.query(packaged_query("corrections/labels"))
    return {URIRef(str(row[0])): row[1] for row in rows}


def _bound(name: str, old: URIRef, new: URIRef) -> str:
    """The packaged query or update kg/data/queries/corrections/NAME with ?old and ?new bound
    (SPARQL Update has no parameters: a VALUES block opens each WHERE group)."""
    return with_values(packaged_query(f"corrections/{name}"), {"old": old, "new": new})


def merge(store: Any, source: URIRef, target: URIRef) -> int:
    """Record that `source` is `target` and rename it in every stored graph, in one update.

    `store` is a kg.rdf.store.Store or a kg.rdf.remote.RemoteStore.

    Returns:
        The number of stored triples that named `source` (counted just before the update).
    """
    (row,) = list(store.query(_bound("naming.rq", source, target)))
    store.update(_bound("merge.ru", source, target))
    return int(str(row[0]))


def split(store: Any, source: URIRef, target: URIRef) -> bool:
    """Withdraw the merge of `source` into `target` and record that they differ, in one update.

    Returns:
        Whether such a merge had been recorded.
    """
    existed = bool(store.query(_bound("merged.rq", source, target)).askAnswer)
    store.update(_bound("split.ru", source, target))
    return existed
