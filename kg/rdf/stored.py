"""What the store already holds of an article about to be ingested, so that ingest can leave an
unchanged article alone and count the others as added or replaced (kg.identity says what makes
an article the same). The same requests on the embedded store and on a SPARQL server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from kg.identity import content_hash
from kg.rdf.build import article_iri, graph_iri
from kg.rdf.queries import packaged_query, with_values
from kg.records import Article


@dataclass(frozen=True)
class StoredArticle:
    """The store's copy of an article.

    Attributes:
        stored: whether an article of this id is stored.
        text_hash, extractor_hash: the hashes it was stored with (None if an older kg stored it).
        legacy: graphs of articles without a url that an older kg stored from the same path,
            which it identified by their path: the same article under its old id, to drop when
            it is stored again.
    """

    stored: bool
    text_hash: str | None = None
    extractor_hash: str | None = None
    legacy: tuple[URIRef, ...] = ()

    def unchanged(self, article: Article, fingerprint: str | None) -> bool:
        """Whether storing `article`, extracted by `fingerprint` (kg.identity), would write the
        same graph again (never when the fingerprint is unknown)."""
        return self.stored and fingerprint is not None \
            and self.text_hash == content_hash(article) and self.extractor_hash == fingerprint


def stored_article(store: Any, article: Article) -> StoredArticle:
    """What `store` (a kg.rdf.store.Store or kg.rdf.remote.RemoteStore) holds of `article`."""
    query = with_values(packaged_query("stored"), {"article": URIRef(article_iri(article.id)),
                                                   "own": URIRef(graph_iri(article.id)),
                                                   "path": Literal(article.path)})
    stored, legacy = False, []
    hashes: tuple[str | None, str | None] = (None, None)
    for found, text_hash, extractor_hash, old in store.query(query):
        if found is not None:
            stored, hashes = True, (_str(text_hash), _str(extractor_hash))
        elif old is not None:
            legacy.append(URIRef(str(old)))
    return StoredArticle(stored, *hashes, legacy=tuple(sorted(legacy)))


def drop_graphs(store: Any, graphs: tuple[URIRef, ...]) -> None:
    """Remove these named graphs (articles), in one request."""
    store.update(" ;\n".join(f"DROP SILENT GRAPH {graph.n3()}" for graph in graphs))


def _str(value: object) -> str | None:
    return None if value is None else str(value)
