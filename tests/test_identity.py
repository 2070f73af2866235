"""Article identity (kg.identity, kg.rdf.stored): an article is its url, else its text; a copy is
the article read first, a url read again with other text is refused within a run and replaces
the stored article across runs, and a store an older kg wrote (articles identified by path) is
not doubled by ingesting its articles again, on the embedded store as on a server."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef
from test_html_page import page_data
from test_remote_store import serving

from kg import api
from kg.errors import InputError
from kg.export.graph_view import graph_view
from kg.export.html import render_html
from kg.identity import Readings, content_hash, fingerprint, text_id
from kg.rdf.store import open_store
from kg.records import Article

REPORT = "Chad sent 400 soldiers to Niger.\n\nThe troops will guard the border with Nigeria.\n"
# What an older kg wrote that this one does not: it named an article without a url by its path
# (the articles below are first ingested with their path as url, to have those ids) and stored
# no hashes.
AS_AN_OLDER_KG = """
DELETE WHERE { GRAPH ?g { ?a kg:url ?url } } ;
DELETE WHERE { GRAPH ?g { ?a kg:textHash ?hash } } ;
DELETE WHERE { GRAPH ?g { ?a kg:extractorHash ?hash } }
"""


def article(text: str = REPORT, path: str = "a.md", **fields: object) -> Article:
    return Article(id=str(fields.get("url") or text_id(text)), path=path, text=text,
                   **fields)  # type: ignore[arg-type]


def test_a_text_id_ignores_spacing_and_unicode_composition_but_not_words() -> None:
    assert text_id("Chad  closed\n\nits border. ") == text_id("Chad closed its border.")
    assert text_id("Caf\u00e9 talks") == text_id("Cafe\u0301 talks")
    assert text_id("Chad closed its border.") != text_id("Chad opened its border.")


def test_the_content_hash_is_the_text_and_front_matter_not_the_path() -> None:
    first = article()
    assert content_hash(first) == content_hash(dataclasses.replace(first, path="b/copy.txt"))
    for change in ({"title": "Chad sends troops"}, {"date": dt.date(2024, 3, 1)},
                   {"source": "Wire"}, {"meta": (("lang", "en"),)},
                   {"text": REPORT.replace("\n\n", "\n")}):  # same id, other offsets
        assert content_hash(dataclasses.replace(first, **change)) != content_hash(first)


def test_the_fingerprint_covers_the_merges_applied() -> None:
    merged = {URIRef("https://example.org/mli"): URIRef("https://example.org/ner")}
    assert fingerprint() == fingerprint({}) != fingerprint(merged)


def test_readings_keep_the_first_of_copies_and_refuse_a_url_with_other_text() -> None:
    readings = Readings()
    url = "https://news.example.org/chad"
    assert not readings.is_copy(article(path="inbox/a.md"))
    assert readings.is_copy(article(path="archive/a.txt"))
    assert readings.is_copy(article(path="inbox/a.md"))  # the same file named twice
    assert not readings.is_copy(article(url=url, path="x.md"))
    assert readings.is_copy(article(url=url, path="y.md", title="Another title"))
    with pytest.raises(InputError) as refused:
        readings.is_copy(article("Chad recalled its soldiers.\n", url=url, path="z.md"))
    assert str(refused.value) == (f"z.md: has the url {url} of x.md, with other text; "
                                  "the article read from x.md is kept")


@pytest.fixture(params=["embedded", "server"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: a directory, or an `oxigraph serve` on it."""
    if request.param == "embedded":
        yield str(tmp_path / "store")
    else:
        with serving(tmp_path / "server") as url:
            yield url


def sources(location: str) -> set[tuple[str, str]]:
    """(article, sources) of each row of the events table."""
    with open_store(location, must_exist=True) as store:
        text = api.export(store, "events-csv", None) or b""
    return {(row["article"], row["sources"])
            for row in csv.DictReader(io.StringIO(text.decode("utf-8")))}


def test_a_store_an_older_kg_wrote_is_not_doubled_by_ingesting_its_articles_again(
        location: str, tmp_path: Path) -> None:
    inbox, archive = tmp_path / "inbox" / "chad.md", tmp_path / "archive" / "chad.txt"
    for path in (inbox, archive):  # the same article in two folders, stored twice as before
        path.parent.mkdir()
        path.write_text(f"---\nurl: {path}\n---\n{REPORT}", encoding="utf-8")
    assert api.ingest([str(inbox), str(archive)], location).articles == 2
    with open_store(location, must_exist=True) as store:
        store.update(AS_AN_OLDER_KG)
    assert sources(location) == {(str(inbox), "2"), (str(archive), "2")}

    for path in (inbox, archive):
        path.write_text(REPORT, encoding="utf-8")
    report = api.ingest([str(inbox), str(archive)], location)
    assert (report.added, report.replaced, report.unchanged, report.errors) == (0, 1, 1, [])
    assert sources(location) == {(str(inbox), "1")}
    with open_store(location, must_exist=True) as store:
        assert api.stats(store)["articles"] == 1

    again = api.ingest([str(archive), str(inbox)], location)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 2)
    assert sources(location) == {(str(inbox), "1")}  # the path first read stays its name


def test_the_page_names_an_untitled_article_by_its_path_not_its_text_id(tmp_path: Path) -> None:
    path, store_path = tmp_path / "chad.md", str(tmp_path / "store")
    path.write_text(REPORT, encoding="utf-8")
    api.ingest([str(path)], store_path)
    with open_store(store_path, must_exist=True) as store:
        view = graph_view(store)
    refs = [s for e in view.edges for s in e.sources]
    assert refs and {(s.article_name, s.article_title) for s in refs} == {(str(path), None)}
    assert {s.article_id for s in refs} == {text_id(REPORT)}
    shown = page_data(render_html(view))["info"]["edges"]  # what the page's panel shows
    assert {a["name"] for e in shown for a in e["articles"]} == {str(path)}
