"""An extraction made ready to store: its RDF as text, with the analysts' merges applied, and
what an ingest reports of it.

This is the last stage before writing, and it runs where the article was extracted: in each
worker process of a parallel ingest (kg.extract.pipeline.process_articles), so the one process
that writes receives plain text instead of rebuilding every article itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg.rdf.build import ArticleText, build_article
from kg.records import Article, Extraction


@dataclass(frozen=True)
class PreparedArticle:
    """One article ready to write.

    Attributes:
        article: the article read.
        rdf: its named graph and the shared descriptions it adds, as N-Quads.
        asserted_events: how many of its events are asserted (not negated, hedged or planned).
        entities: ids of the entities its events name as parties or places.
        extraction: the extraction itself, when the caller asked to keep it (`kg extract`).
    """

    article: Article
    rdf: ArticleText
    asserted_events: int
    entities: frozenset[str]
    extraction: Extraction | None = None


class Prepare:
    """Extraction -> PreparedArticle, for one process's run of articles.

    Each entity, actor and rule is described (in the shared graph) with the first article of the
    run that names it; in a parallel ingest, with the first that each worker sees, and the
    writing process keeps the first of those (ArticleText.first_descriptions). `merged` maps
    merged entities' IRIs to the entities they were merged into, and `merged_labels` gives
    those entities' stored labels (kg.rdf.corrections): a merge recorded by an analyst survives
    re-ingest. `fingerprint` (kg.identity) is stored on each article, naming what extracted it.
    """

    def __init__(self, merged: dict[ox.NamedNode, ox.NamedNode] | None = None,
                 merged_labels: dict[ox.NamedNode, ox.Literal] | None = None,
                 keep: bool = False, fingerprint: str | None = None) -> None:
        self.merged = merged or {}
        self.merged_labels = merged_labels or {}
        self.keep = keep
        self.fingerprint = fingerprint
        self.described: set[ox.NamedNode] = set()

    def __call__(self, extraction: Extraction) -> PreparedArticle:
        rdf = build_article(extraction, self.described, self.fingerprint)
        self.described.update(s for s, _, _ in rdf.shared)  # written with this article
        entities: set[str] = set()
        for e in extraction.events:
            entities.update(a.entity.id for a in (e.source, e.target) if a is not None)
            if e.location is not None:
                entities.add(e.location.id)
        return PreparedArticle(
            article=extraction.article,
            rdf=rdf.renamed(self.merged, self.merged_labels).text([s for s, _, _ in rdf.shared]),
            asserted_events=sum(1 for e in extraction.events if e.modality == "asserted"),
            entities=frozenset(entities),
            extraction=extraction if self.keep else None)
