"""Each named query on a small ingested corpus written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_checks import miscopied

from kg import api
from kg.errors import QueryError
from kg.rdf.store import open_store

ARTICLES = {
    "a.md": "---\ntitle: A\nurl: https://example.org/a\ndate: 2024-03-20\n---\n"
            "Niger hosts about 1,000 US troops at Air Base 201 in Agadez.\n\n"
            "French troops withdrew from Niger in December 2023.\n\n"
            "At least 100 Russian military instructors arrived in Niamey on April 10, 2024.\n",
    "b.md": "---\ntitle: B\nurl: https://example.org/b\ndate: 2024-04-25\n---\n"
            "The United States agreed to withdraw its troops from Niger by September 15.\n\n"
            "Soldiers seized power in Gabon in August 2023.\n\n"
            "German soldiers began withdrawing from Niger last week.\n",
}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("named")
    folder = root / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    store = root / "store"
    api.ingest([str(folder)], str(store))
    return store


def rows(store_path: Path, name: str, **params: str) -> list[dict[str, str]]:
    with open_store(str(store_path), must_exist=True) as store:
        result = api.run_named(store, name, params)
        return [{str(v): ("" if r[v] is None else str(r[v])) for v in result.vars} for r in result]


def test_every_named_query_is_listed_with_its_parameters() -> None:
    names = api.named_queries()
    assert {"presence", "movements", "timeline", "alignment-shifts", "coups",
            "events-between"} <= set(names)
    assert [p.name for p in names["events-between"].params] == ["type", "from", "to"]


def test_presence(store_path: Path) -> None:
    status = {r["forces"]: r for r in rows(store_path, "presence", country="NER")}
    # a withdrawal agreed ends nothing yet; one completed does, on its date
    assert status["United States"]["status"] == "end-planned"
    assert status["United States"]["endsBy"] == "2024-09-15"
    assert status["United States"]["endedOn"] == ""
    assert status["France"]["status"] == "ended" and status["France"]["endedOn"] == "2023-12"
    assert status["Germany"]["status"] == "ending"  # under way
    assert status["United States"]["last"] < "2024-09"  # a deadline is no day they were seen
    assert status["Russia"]["status"] == "began"
    assert "2024-04-10" in status["Russia"]["first"]
    assert "instructors arrived in Niamey" in status["Russia"]["sentences"]
    assert "French troops withdrew" in status["France"]["sentences"]
    assert status["United States"]["sources"] == "2" and status["United States"]["confidence"] == "medium"
    assert status["France"]["confidence"] == "low"


def test_movements(store_path: Path) -> None:
    moves = {(r["actor"], r["movement"]) for r in rows(store_path, "movements", country="NER")}
    assert ("Russia military instructors", "sent instructors") in moves
    assert any(actor.startswith("France") and m == "withdrew" for actor, m in moves)
    assert any(actor.startswith("United States") and m == "agreed to withdraw"
               for actor, m in moves)
    status = {(r["actor"].split()[0], r["movement"]): r["status"]
              for r in rows(store_path, "movements", country="NER")}
    assert status[("France", "withdrew")] == "completed"
    assert status[("United", "agreed to withdraw")] == "planned"
    assert status[("Germany", "withdrew")] == "under-way"


def test_timeline_is_ordered_by_date(store_path: Path) -> None:
    timeline = rows(store_path, "timeline", country="NER")
    dates = [r["date"] for r in timeline]
    assert dates == sorted(dates)
    assert {"RETREAT", "AID", "PRESENCE"} <= {r["type"] for r in timeline}
    assert all(r["article"].startswith("https://example.org/") for r in timeline)


def test_alignment_shifts(store_path: Path) -> None:
    niger = [r for r in rows(store_path, "alignment-shifts") if r["host"] == "Niger"]
    assert niger and "France" in niger[0]["ended"] and "United States" in niger[0]["ended"]
    assert "Russia" in niger[0]["began"]


def test_coups(store_path: Path) -> None:
    coups = {r["state"]: int(r["reports"]) for r in rows(store_path, "coups")}
    assert coups.get("Gabon", 0) >= 1
    assert "Niger" not in coups


def test_events_between(store_path: Path) -> None:
    late_2023 = rows(store_path, "events-between", type="RETREAT", **{"from": "2023-12-01",
                                                                      "to": "2023-12-31"})
    assert {r["source"] for r in late_2023} == {"France forces"}
    assert rows(store_path, "events-between", type="COUP", **{"from": "2020-01-01",
                                                              "to": "2020-12-31"}) == []


def test_an_answer_counts_and_reads_again(store_path: Path) -> None:
    """`len` (which `list` asks first) counts the rows without losing them."""
    with open_store(str(store_path), must_exist=True) as store:
        answer = api.run_named(store, "timeline", {"country": "NER"})
        first = [tuple(row) for row in answer]
        again = api.run_named(store, "timeline", {"country": "NER"})
        assert len(again) == len(first) > 5
        assert [tuple(row) for row in again] == first == [tuple(row) for row in list(again)]
        unbound = store.query("SELECT ?x WHERE { OPTIONAL { ?x kg:noSuchProperty ?y } }")
        assert len(unbound) == 0 and list(unbound) == []  # an empty solution is no row


def test_bad_parameters_are_clear_errors(store_path: Path) -> None:
    with open_store(str(store_path), must_exist=True) as store:
        for name, params, words in [
            ("presence", {}, "missing --param country"),
            ("presence", {"country": "Nigr"}, "no state kg knows"),
            ("presence", {"country": "XYZ"}, "no state kg knows"),
            ("presence", {"country": "NER", "year": "2024"}, "unknown parameter"),
            ("events-between", {"type": "WALK", "from": "2024-01-01", "to": "2024-02-01"},
             "not an event type"),
            ("nope", {}, "no named query"),
        ]:
            with pytest.raises(QueryError, match=words):
                api.run_named(store, name, params)


def test_cli_named_query(store_path: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main
    runner = CliRunner()
    listed = runner.invoke(main, ["query", "--list"])
    assert listed.exit_code == 0 and "presence --param country=..." in listed.output
    result = runner.invoke(main, ["query", "--store", str(store_path), "--name", "presence",
                                  "--param", "country=NER", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Russia,began" in result.output
    bad = runner.invoke(main, ["query", "--store", str(store_path), "--name", "presence"])
    assert bad.exit_code != 0 and "missing --param country" in bad.output




def test_merge_is_applied_and_survives_reingest(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndate: 2024-05-02\n---\nNiger and Mali signed a defence pact. The rebels attacked "
                                 "Kidal.\n\nMNLA fighters ambushed a Malian convoy.\n",
                                 encoding="utf-8")
    store_path = tmp_path / "store"
    api.ingest([str(folder)], str(store_path))
    with open_store(str(store_path), must_exist=True) as store:
        before = {e.label for e in api.entities(store)}
        assert "Mali" in before
        a, b, changed = api.merge_entities(store, "Mali", "Niger")  # a deliberate correction
        assert (a.label, b.label) == ("Mali", "Niger") and changed > 0
        after = {e.label: e for e in api.entities(store)}
        assert "Mali" not in after and "Mali" in after["Niger"].aliases
    api.ingest([str(folder)], str(store_path))  # re-ingest: the correction still holds
    with open_store(str(store_path), must_exist=True) as store:
        assert "Mali" not in {e.label for e in api.entities(store)}
        assert miscopied(store) == []  # events renamed to Niger copy Niger's label
        assert api.validate(store)[0]  # Niger keeps one ISO code after the renamed article
        pact = {(str(row["source"]), str(row["target"])) for row in api.run_named(
            store, "events-between", {"type": "SUPPORT", "from": "2024-01-01", "to": "2024-12-31"})}
        assert pact == {("Niger", "Niger")}  # "Niger and Mali signed": both parties are Niger
    # a new article naming Mali but not Niger: its events' copies take Niger's stored label
    news = tmp_path / "b.md"
    news.write_text("---\ndate: 2024-05-03\n---\nMali accused Algeria of harbouring "
                    "terrorists.\n", encoding="utf-8")
    api.ingest([str(news)], str(store_path))
    with open_store(str(store_path), must_exist=True) as store:
        assert miscopied(store) == []
        accused = [(str(row["source"]), str(row["target"])) for row in api.run_named(
            store, "events-between", {"type": "ACCUSE", "from": "2024-01-01", "to": "2024-12-31"})]
        assert accused == [("Niger", "Algeria")]
        assert api.split_entities(store, "https://w3id.org/kg-security/id/state/MLI", "Niger")
    api.ingest([str(folder)], str(store_path))  # after the split, Mali is its own entity again
    with open_store(str(store_path), must_exist=True) as store:
        assert "Mali" in {e.label for e in api.entities(store)}
        assert miscopied(store) == []


def test_parameters_open_every_where_group_as_values_blocks() -> None:
    from rdflib import Literal, URIRef

    from kg.rdf.queries import with_values

    text = ("# a comment that says WHERE { is ignored\n"
            "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?name } } FILTER(?x != ?c) }")
    bound = with_values(text, {"name": Literal('say "hi" } ?x'), "c": URIRef("urn:c")})
    assert bound.startswith("# a comment that says WHERE { is ignored\n")
    assert bound.count('VALUES (?c ?name) { (<urn:c> "say \\"hi\\" } ?x") }') == 2
    # the quoted value stays one literal: the query parses and binds it
    from rdflib import Graph
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:p"), Literal('say "hi" } ?x')))
    assert [str(r[0]) for r in g.query(bound)] == ["urn:a"]
    with pytest.raises(QueryError):
        with_values("ASK {}", {"c": URIRef("urn:c")})


def test_page_presence_intervals_agree_with_the_presence_query(store_path: Path) -> None:
    """The page's Timeline derives presence from the page's edges as presence.rq does."""
    from kg.export.graph_view import graph_view
    from kg.export.timeline import presence_intervals

    with open_store(str(store_path), must_exist=True) as store:
        intervals = {i["forces"]: i for i in presence_intervals(graph_view(store))
                     if i["host"] == "NER"}
    code = {"France": "FRA", "Germany": "DEU", "Russia": "RUS", "United States": "USA"}
    query = {code[r["forces"]]: r for r in rows(store_path, "presence", country="NER")}
    assert set(intervals) == set(query)
    for forces, row in query.items():
        page = intervals[forces]
        assert [page["status"], page["first"] or "", page["last"] or "", page["ended_on"] or "",
                page["ends_by"] or ""] == [row["status"], row["first"], row["last"],
                                           row["endedOn"], row["endsBy"]], forces


def test_a_country_parameter_takes_a_name_or_demonym_as_well_as_a_code(store_path: Path) -> None:
    with open_store(str(store_path), must_exist=True) as store:
        by_code = [tuple(row) for row in api.run_named(store, "presence", {"country": "NER"})]
        assert by_code
        for value in ("Niger", "niger", "Nigerien", " ner "):
            rows = [tuple(row) for row in api.run_named(store, "presence", {"country": value})]
            assert rows == by_code, value

