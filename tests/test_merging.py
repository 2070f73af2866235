"""Merging: events told by several articles become one canonical event with every mention as
evidence; an analyst's `kg merge` makes two entities one (and `kg split` withdraws it)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from store_checks import miscopied

from kg import api
from kg.cli import main
from kg.rdf.corrections import CORRECTIONS_GRAPH
from kg.rdf.store import open_store

ARTICLES = {
    "a.md": "---\ntitle: A\nurl: https://example.org/a\ndate: 2024-05-21\n---\n"
            "Chad withdrew its troops from Sudan on Monday.\n",
    "b.md": "---\ntitle: B\nurl: https://example.org/b\ndate: 2024-05-22\n---\n"
            "The withdrawal of Chadian soldiers from Sudan was completed this week.\n",
    "c.md": "---\ntitle: C\nurl: https://example.org/c\ndate: 2024-05-23\n---\n"
            "Egypt withdrew its advisers from Libya.\n",
}


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rows(store_path: Path) -> list[dict[str, str]]:
    with open_store(str(store_path), must_exist=True) as store:
        data = api.export(store, "events-csv", None) or b""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_same_withdrawal_in_two_articles_is_one_event(tmp_path: Path) -> None:
    store = tmp_path / "store"
    api.ingest([str(corpus(tmp_path))], str(store))
    chad = [r for r in rows(store) if r["event_type"] == "RETREAT" and r["source_country"] == "TCD"]
    assert {r["article"] for r in chad} == {"https://example.org/a", "https://example.org/b"}
    assert all(r["mentions"] == "2" and r["sources"] == "2" for r in chad)
    assert all(r["first_reported"] == "2024-05-21" and r["last_reported"] == "2024-05-22"
               for r in chad)
    egypt = [r for r in rows(store) if r["source_country"] == "EGY"]
    assert egypt and all(r["sources"] == "1" for r in egypt)


def test_reingesting_does_not_change_counts(tmp_path: Path) -> None:
    store = tmp_path / "store"
    folder = corpus(tmp_path)
    api.ingest([str(folder)], str(store))
    first = sorted((r["event_id"], r["mentions"], r["sources"]) for r in rows(store))
    api.ingest([str(folder)], str(store))
    assert sorted((r["event_id"], r["mentions"], r["sources"]) for r in rows(store)) == first


PACT = ("---\ndate: 2024-05-02\n---\nNiger and Mali signed a defence pact. The rebels attacked "
        "Kidal.\n\nMNLA fighters ambushed a Malian convoy.\n")
KGR = "https://w3id.org/kg-security/id/"
MALI, NIGER = ox.NamedNode(KGR + "state/MLI"), ox.NamedNode(KGR + "state/NER")
SAME, DIFFERENT = (ox.NamedNode("http://www.w3.org/2002/07/owl#" + n)
                   for n in ("sameAs", "differentFrom"))
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALIAS = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
NOTATION = ox.NamedNode("http://www.w3.org/2004/02/skos/core#notation")
SOURCE_LABEL = ox.NamedNode("https://w3id.org/kg-security/ontology#sourceLabel")


def test_merge_rewrites_every_graph_and_split_withdraws_it(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text(PACT, encoding="utf-8")
    path = str(tmp_path / "store")
    api.ingest([str(folder)], path)
    corrections, entities = ox.NamedNode(str(CORRECTIONS_GRAPH)), ox.NamedNode(KGR + "graph/entities")
    with open_store(path) as store:
        inner = store.oxigraph
        naming = [q for q in inner if MALI in (q.subject, q.object)]
        assert naming and {q.graph_name for q in naming} != {corrections}
        assert not api.split_entities(store, "Mali", "Niger")  # no merge yet: records they differ
        assert ox.Quad(MALI, DIFFERENT, NIGER, corrections) in inner

        mali = ox.Literal("Mali", language="en")
        copies = {q.object for q in inner.quads_for_pattern(None, SOURCE_LABEL, None)}
        assert mali in copies and not miscopied(store)  # events copy their parties' labels

        assert api.merge_entities(store, "Mali", "Niger")[2] == len(naming)
        copies = {q.object for q in inner.quads_for_pattern(None, SOURCE_LABEL, None)}
        assert mali not in copies and not miscopied(store)  # the copies now say Niger
        assert [q for q in inner if MALI in (q.subject, q.object)] == [
            ox.Quad(MALI, SAME, NIGER, corrections)]  # the differentFrom is withdrawn too
        # Mali's code lives on as a notation of Niger (a state has one ISO code), so the
        # graph still conforms to the shapes
        assert ox.Quad(NIGER, NOTATION, ox.Literal("MLI"), entities) in inner
        assert api.validate(store)[0]
        # Mali's label lives on as Niger's alias
        assert ox.Quad(NIGER, ALIAS, mali, entities) in inner
        assert ox.Quad(NIGER, LABEL, mali, entities) not in inner

        assert api.split_entities(store, "https://w3id.org/kg-security/id/state/MLI", "Niger")
        assert list(inner.quads_for_pattern(None, None, None, corrections)) == [
            ox.Quad(MALI, DIFFERENT, NIGER, corrections)]


def test_cli_merge_and_split(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text(PACT, encoding="utf-8")
    path = str(tmp_path / "store")
    api.ingest([str(folder)], path)
    runner = CliRunner()
    merged = runner.invoke(main, ["merge", "--store", path, "MNLA", "Mali"])
    assert merged.exit_code == 0 and merged.output.startswith("merged National Movement")
    same = runner.invoke(main, ["merge", "--store", path, "Mali", "Republic of Mali"])
    assert same.exit_code == 0 and "already one entity" in same.output  # nothing to do: no error
    assert "nothing to merge" in same.output
    unknown = runner.invoke(main, ["merge", "--store", path, "Atlantis", "Mali"])
    assert unknown.exit_code != 0 and "no entity named 'Atlantis'" in unknown.output
    split = runner.invoke(main, ["split", "--store", path, KGR + "entity/mnla", "Mali"])
    assert split.exit_code == 0 and split.output.startswith("merge withdrawn")
