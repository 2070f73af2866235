"""Ingest writes each batch on a thread of its own while the next is parsed: every article
arrives, in order, and a store that fails mid-ingest stops the writing with a clear error,
keeping exactly the articles reported stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_remote_store import serving, start_server

from kg import api
from kg.api import WRITE_BATCH
from kg.errors import StoreError
from kg.rdf.build import ArticleText
from kg.rdf.store import Store, open_store

STATES = ["Chad", "Niger", "Mali", "Ghana", "Togo", "Benin", "Senegal", "Guinea", "Gabon",
          "Kenya", "Sudan", "Egypt", "Libya", "Algeria", "Morocco", "Tunisia", "Nigeria"]


def articles(folder: Path, count: int) -> list[str]:
    """`count` short articles, enough for several write batches, each its own (an article is
    its text: the line naming the folder and the number keeps them apart)."""
    folder.mkdir()
    paths = []
    for i in range(count):
        a, b = STATES[i % len(STATES)], STATES[(i + 1) % len(STATES)]
        path = folder / f"a{i:03d}.md"
        path.write_text(f"---\ndate: 2024-05-{1 + i % 28:02d}\n---\n"
                        f"{a} withdrew its troops from {b}.\nDispatch {folder.name}-{i}.\n",
                        encoding="utf-8")
        paths.append(str(path))
    return paths


def stored_articles(location: str) -> set[str]:
    with open_store(location, must_exist=True) as store:
        return {str(row[0]) for row in store.query(
            "SELECT ?id WHERE { GRAPH ?g { ?a a kg:Article ; kg:articleId ?id } }")}


def test_every_batch_is_written_in_order(tmp_path: Path) -> None:
    paths = articles(tmp_path / "articles", 2 * WRITE_BATCH + 5)  # three batches
    seen: list[str] = []
    report = api.ingest(paths, str(tmp_path / "store"), progress=lambda a: seen.append(a.path))
    assert report.articles == len(paths) and not report.errors
    assert seen == paths  # reported in order, each after it was stored
    assert len(stored_articles(str(tmp_path / "store"))) == len(paths)


def test_writes_grow_with_a_long_run_and_with_workers(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    paths = articles(tmp_path / "articles", 2 * WRITE_BATCH + 5)
    sizes: list[int] = []
    write = Store.write_articles

    def counted(store: Store, batch: list[ArticleText]) -> None:
        sizes.append(len(batch))
        write(store, batch)

    monkeypatch.setattr(Store, "write_articles", counted)
    monkeypatch.setattr(api, "LONG_RUN", WRITE_BATCH)  # a long run from the second batch on
    report = api.ingest(paths, str(tmp_path / "store"))
    assert report.articles == len(paths)
    assert sizes == [WRITE_BATCH, WRITE_BATCH + 5]  # the rest fits in one batch of four times 16
    assert len(stored_articles(str(tmp_path / "store"))) == len(paths)

    monkeypatch.setattr(api, "LONG_RUN", 1000)
    sizes.clear()
    report = api.ingest(paths, str(tmp_path / "two"), workers=2)
    assert report.articles == len(paths)
    assert sizes == [2 * WRITE_BATCH, 5]  # twice as many per write: as often, in seconds


def test_a_long_run_ends_compacted_when_it_wrote_much_of_the_store(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compacted: list[int] = []
    optimize = Store.optimize

    def counted(store: Store) -> float:
        compacted.append(len(store))
        return optimize(store)

    monkeypatch.setattr(Store, "optimize", counted)
    monkeypatch.setattr(api, "LONG_RUN", WRITE_BATCH)
    store = str(tmp_path / "store")
    first = api.ingest(articles(tmp_path / "first", 2 * WRITE_BATCH), store)  # a new store
    assert first.compact_seconds > 0 and len(compacted) == 1
    assert len(stored_articles(store)) == 2 * WRITE_BATCH  # whole after compacting

    api.ingest(articles(tmp_path / "short", WRITE_BATCH - 1), store)  # not a long run
    assert len(compacted) == 1

    monkeypatch.setattr(api, "LONG_RUN", 2)
    again = api.ingest(articles(tmp_path / "few", 3), store)  # long, but a small part of it
    assert again.compact_seconds == 0 and len(compacted) == 1


def test_a_server_that_dies_mid_ingest_stops_it_keeping_what_was_reported(
        tmp_path: Path) -> None:
    paths = articles(tmp_path / "articles", 3 * WRITE_BATCH)
    data = tmp_path / "server"
    server, url = start_server(data)
    try:
        stored: list[str] = []

        def stop_after_first_batch(article: api.Article) -> None:
            stored.append(article.id)
            if len(stored) == WRITE_BATCH:  # the first batch is in: the server goes down
                server.terminate()
                server.wait(timeout=10)

        with pytest.raises(StoreError, match="SPARQL server"):
            api.ingest(paths, url, progress=stop_after_first_batch)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert len(stored) == WRITE_BATCH
    with serving(data) as again:
        assert stored_articles(again) == set(stored)  # the batch reported, nothing after it
