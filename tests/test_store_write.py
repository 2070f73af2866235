"""The embedded store's write of a batch of articles: what goes in is exactly the articles'
quads, by either path (one bulk ingestion, or one transaction for a batch too large for it),
and writing an article again replaces its graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

import kg.rdf.store as store_module
from kg.extract.pipeline import extract_article
from kg.rdf.build import ENTITIES_GRAPH, ArticleRDF, build_article
from kg.rdf.store import Store
from kg.read import read_articles
from kg.records import Article


@pytest.fixture(scope="module")
def seed_rdf(seed_path: Path) -> ArticleRDF:
    article = next(iter(read_articles([str(seed_path)])))
    assert isinstance(article, Article)
    return build_article(extract_article(article))


def quads(rdf: ArticleRDF) -> list[ox.Quad]:
    """The article's quads, made one by one from its triples."""
    shared = ox.NamedNode(str(ENTITIES_GRAPH))
    return ([ox.Quad(s, p, o, rdf.graph) for s, p, o in rdf.triples]
            + [ox.Quad(s, p, o, shared) for s, p, o in rdf.shared])


def expected(articles: list[ArticleRDF]) -> set[ox.Quad]:
    """The articles' quads as Oxigraph stores them (it writes numbers in canonical form, as
    "110000000.0" for a decimal 110000000), added one by one to a store in memory."""
    reference = ox.Store()
    for rdf in articles:
        for quad in quads(rdf):
            reference.add(quad)
    return set(reference)


def stored(path: Path, articles: list[ArticleRDF]) -> set[ox.Quad]:
    store = Store(str(path))
    try:
        store.write_articles([rdf.text() for rdf in articles])
        return set(store.oxigraph)
    finally:
        store.close()


def test_a_batch_goes_in_as_its_quads(seed_rdf: ArticleRDF, tmp_path: Path) -> None:
    assert stored(tmp_path / "bulk", [seed_rdf]) == expected([seed_rdf])


def test_a_batch_too_large_for_one_ingestion_is_one_transaction(
        seed_rdf: ArticleRDF, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "ONE_INGESTION", 10)
    assert stored(tmp_path / "transaction", [seed_rdf]) == expected([seed_rdf])


def test_text_that_needs_escaping_survives(tmp_path: Path) -> None:
    node, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    texts = ['He said "leave" \\ now', "two\nlines\tand a tab\r\x0c", "Niamey \u00e9t\u00e9 \U0001F600"]
    rdf = ArticleRDF(ox.NamedNode("https://example.org/graph/a"),
                     [(node, p, ox.Literal(t, language="en")) for t in texts]
                     + [(node, p, ox.Literal("2024-03-16", datatype=ox.NamedNode(
                         "http://www.w3.org/2001/XMLSchema#date")))], [])
    assert stored(tmp_path / "escaped", [rdf]) == expected([rdf]) == set(quads(rdf))


def test_writing_an_article_again_replaces_its_graph(tmp_path: Path) -> None:
    graph, p = ox.NamedNode("https://example.org/graph/a"), ox.NamedNode("https://example.org/p")
    first = ArticleRDF(graph, [(ox.NamedNode(f"https://example.org/old{i}"), p, ox.Literal("x"))
                               for i in range(3)], [])
    second = ArticleRDF(graph, [(ox.NamedNode("https://example.org/new"), p, ox.Literal("y"))], [])
    store = Store(str(tmp_path / "again"))
    try:
        store.write_articles([first.text()])
        store.write_articles([second.text()])
        assert set(store.oxigraph) == set(quads(second))
    finally:
        store.close()
