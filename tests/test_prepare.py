"""The last stage before writing, run in the worker processes of a parallel ingest: what two
workers store is exactly what one stores, merges included, and each subject is described once."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import api
from kg.rdf.build import ENTITIES_GRAPH, ArticleRDF
from kg.rdf.store import open_store

PAIRS = [("Chad", "Mali"), ("Niger", "Mali"), ("Mali", "Chad"), ("Ghana", "Niger"),
         ("Mali", "Togo"), ("Chad", "Niger"), ("Togo", "Mali"), ("Niger", "Chad"),
         ("Mali", "Ghana"), ("Chad", "Ghana")]


def write_articles(folder: Path) -> None:
    """Articles naming the same states again and again, so that both workers meet them."""
    folder.mkdir()
    for i, (a, b) in enumerate(PAIRS):
        (folder / f"a{i}.md").write_text(
            f"---\ndate: 2024-05-{i + 1:02d}\n---\n{a} deployed 300 troops to {b}. "
            f"Wagner instructors arrived in {b}.\n", encoding="utf-8")


def stored(path: Path) -> set[ox.Quad]:
    with open_store(str(path), must_exist=True) as store:
        return set(store.oxigraph)  # type: ignore[union-attr]


def test_two_workers_store_and_report_what_one_does(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder)
    reports, stores = [], []
    for workers in (1, 2):
        path = tmp_path / f"store{workers}"
        api.ingest([str(folder)], str(path), workers=workers)
        with open_store(str(path), must_exist=True) as store:
            api.merge_entities(store, "Mali", "Niger")  # applied by the workers on re-ingest
        reports.append(api.ingest([str(folder)], str(path), workers=workers))
        stores.append(stored(path))
    one, two = reports
    assert (one.articles, one.events, one.entities, one.triples) == \
        (two.articles, two.events, two.entities, two.triples)
    assert one.articles == len(PAIRS) and one.events >= len(PAIRS)
    assert stores[0] == stores[1]
    labels = {str(q.object) for q in stores[1] if q.predicate.value.endswith("#sourceLabel")}
    assert '"Niger"@en' in labels and '"Mali"@en' not in labels  # the merge was applied


def test_a_subject_is_described_with_the_first_article_only() -> None:
    shared = ox.NamedNode(str(ENTITIES_GRAPH))
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    mali, chad = (ox.NamedNode(f"https://example.org/{n}") for n in ("mali", "chad"))

    def article(name: str, *described: ox.NamedNode) -> ArticleRDF:
        return ArticleRDF(ox.NamedNode(f"https://example.org/graph/{name}"),
                          [(mali, label, ox.Literal(name))],
                          [(s, label, ox.Literal(s.value[-4:])) for s in described])

    seen: set[str] = set()
    first = article("a", mali, chad).text().first_descriptions(seen)
    second = article("b", mali).text().first_descriptions(seen)
    assert len(first) == 3 and len(second) == 1  # Mali's description went with the first
    assert seen == {mali.value, chad.value}
    assert second.nquads() == f'{mali} {label} "b" <https://example.org/graph/b> .\n'
    assert first.ntriples(shared=True).count(" .\n") == 2
    assert f"<{shared.value}>" not in first.ntriples(shared=True)
