"""Store formats: a store records its format, a store written by an older kg is refused with a
message naming `kg upgrade`, and the upgrade (or loading an old dump) gives exactly the data a
fresh ingest writes, on the embedded store and on a real `oxigraph serve`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from store_checks import miscopied
from test_cli import stored_quads
from test_remote_store import server_quads, serving

from kg import api
from kg.cli import main
from kg.rdf.build import FORMAT_VERSION
from kg.rdf.store import open_store
from kg.rdf.store_format import stored_format

# The shortcuts format 3 added on each event: its type when asserted, its parties' labels.
FORMAT_3_SHORTCUTS = """
DELETE WHERE { GRAPH ?g { ?e kg:assertedType ?o } } ;
DELETE WHERE { GRAPH ?g { ?e kg:sourceLabel ?o } } ;
DELETE WHERE { GRAPH ?g { ?e kg:targetLabel ?o } }
"""
# What kg wrote before store formats were recorded (format 1): no record, and none of the
# shortcuts formats 2 and 3 keep on each event.
TO_FORMAT_1 = """
DELETE WHERE { GRAPH ?g { ?s kg:formatVersion ?v } } ;
DELETE WHERE { GRAPH ?g { ?e kg:evidenceSentence ?o } } ;
DELETE WHERE { GRAPH ?g { ?e kg:fromArticle ?o } } ;
DELETE WHERE { GRAPH ?g { ?e kg:timelineDate ?o } } ;
""" + FORMAT_3_SHORTCUTS
# What kg wrote in format 2: the record says 2, and the format 3 shortcuts are missing.
TO_FORMAT_2 = """
DELETE WHERE { GRAPH ?g { ?s kg:formatVersion ?v } } ;
INSERT DATA { GRAPH kgg:entities { kgr:store kg:formatVersion 2 } } ;
""" + FORMAT_3_SHORTCUTS
TO_FORMAT = {1: TO_FORMAT_1, 2: TO_FORMAT_2}


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    """The seed article ingested with a publication date (it has none of its own), so that
    events carry timeline dates, from the text or from the article."""
    path = tmp_path_factory.mktemp("dated") / "kg-data"
    report = api.ingest([str(seed_path)], str(path), date=dt.date(2024, 5, 1))
    assert report.articles == 1 and not report.errors
    return path


def _old_copy(dated_store: Path, tmp_path: Path, version: int = 1) -> Path:
    """A copy of the ingested seed store as kg wrote it in store format `version` (1: before
    formats were recorded)."""
    old = tmp_path / "old"
    shutil.copytree(dated_store, old)
    with open_store(str(old), must_exist=True, check_format=False) as store:
        store.update(TO_FORMAT[version])
        assert stored_format(store) == version
    return old


def test_an_dated_store_records_its_format_and_event_shortcuts(dated_store: Path) -> None:
    with open_store(str(dated_store), must_exist=True) as store:
        assert stored_format(store) == FORMAT_VERSION
        rows = list(store.query(
            "SELECT ?e ?s ?sentence ?name ?path ?when ?date ?published WHERE { "
            "?e kg:eventType ?t ; kg:evidenceSentence ?s ; kg:evidence/kg:sentence ?sentence ; "
            "kg:fromArticle ?name ; prov:wasDerivedFrom/kg:path ?path . "
            "OPTIONAL { ?e kg:timelineDate ?when } OPTIONAL { ?e kg:date ?date } "
            "OPTIONAL { ?e prov:wasDerivedFrom/dcterms:date ?published } }"))
        events = {str(r[0]) for r in store.query("SELECT ?e WHERE { ?e kg:eventType ?t }")}
    assert {str(r[0]) for r in rows} == events and len(events) > 10  # every event has them
    for _, short, sentence, name, path, when, date, published in rows:
        assert str(short) == str(sentence)
        assert str(name) == str(path)  # the seed has no url: it is named by its path
        assert str(when) == str(date if date is not None else published)


def test_events_carry_their_asserted_type_and_parties_labels(dated_store: Path) -> None:
    with open_store(str(dated_store), must_exist=True) as store:
        assert miscopied(store) == []
        copies = {str(row[0]) for row in store.query(
            "SELECT ?c WHERE { ?e kg:sourceLabel ?c }")}
        asserted = list(store.query("SELECT ?e WHERE { ?e kg:assertedType ?t }"))
        others = list(store.query(
            "SELECT ?e WHERE { ?e kg:modality ?m FILTER(?m != 'asserted') }"))
    assert {"United States forces", "Niger junta"} <= copies
    assert len(asserted) > 10 and others  # the seed has hypothetical events, which get none


@pytest.mark.parametrize("version", sorted(TO_FORMAT))
def test_an_old_store_is_refused_until_upgraded(runner: CliRunner, dated_store: Path,
                                                tmp_path: Path, version: int) -> None:
    old = _old_copy(dated_store, tmp_path, version)
    for command in (["stats"], ["query", "--name", "timeline", "--param", "country=NER"]):
        result = runner.invoke(main, [*command, "--store", str(old)])
        assert result.exit_code != 0
        assert f"written by an older kg (store format {version}" in result.output
        assert f"kg upgrade --store {old}" in result.output and "Traceback" not in result.output

    result = runner.invoke(main, ["upgrade", "--store", str(old)])
    assert result.exit_code == 0, result.output
    assert f"upgraded {old} from store format {version} to {FORMAT_VERSION}" in result.output
    assert stored_quads(str(old)) == stored_quads(str(dated_store))  # exactly what an ingest writes
    result = runner.invoke(main, ["upgrade", "--store", str(old)])
    assert result.exit_code == 0 and "is up to date" in result.output
    result = runner.invoke(main, ["query", "--store", str(old), "--name", "events-between",
                                  "--param", "type=RETREAT", "--param", "from=2024-01-01",
                                  "--param", "to=2024-05-31", "--format", "csv"])
    assert result.exit_code == 0 and "France" in result.output, result.output


def test_a_store_from_a_newer_kg_is_refused(runner: CliRunner, dated_store: Path,
                                            tmp_path: Path) -> None:
    newer = tmp_path / "newer"
    shutil.copytree(dated_store, newer)
    with open_store(str(newer), must_exist=True) as store:
        store.update(f"DELETE WHERE {{ GRAPH ?g {{ ?s kg:formatVersion ?v }} }} ; INSERT DATA "
                     f"{{ GRAPH kgr:graph\\/entities {{ kgr:store kg:formatVersion "
                     f"{FORMAT_VERSION + 1} }} }}")
    before = stored_quads(str(newer))
    for command in (["stats"], ["upgrade"]):
        result = runner.invoke(main, [*command, "--store", str(newer)])
        assert result.exit_code != 0
        assert f"written by a newer kg (store format {FORMAT_VERSION + 1}" in result.output
    assert stored_quads(str(newer)) == before  # nothing touched


def test_loading_an_old_dump_upgrades_it(runner: CliRunner, dated_store: Path,
                                         tmp_path: Path) -> None:
    old, dump = _old_copy(dated_store, tmp_path), tmp_path / "old.nq"
    with open_store(str(old), must_exist=True, check_format=False) as store:
        dump.write_bytes(b"".join(f"{q} .\n".encode() for q in store.oxigraph))
    for target, first in ((tmp_path / "empty", None), (tmp_path / "current", dated_store)):
        if first is not None:  # a current store without the article (it keeps its record)
            shutil.copytree(first, target)
            with open_store(str(target), must_exist=True) as store:
                store.update("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o }"
                             " FILTER(?g != kgr:graph\\/entities) }")
                assert stored_format(store) == FORMAT_VERSION
        result = runner.invoke(main, ["load", str(dump), "--store", str(target)])
        assert result.exit_code == 0, result.output
        assert "came from an older kg" in result.output
        assert stored_quads(str(target)) == stored_quads(str(dated_store))


def test_upgrade_on_a_server(runner: CliRunner, seed_path: Path, tmp_path: Path) -> None:
    with serving(tmp_path / "fresh") as fresh, serving(tmp_path / "old") as old:
        for url in (fresh, old):
            assert runner.invoke(main, ["ingest", "--store", url, str(seed_path)]).exit_code == 0
        assert runner.invoke(main, ["query", "--store", old, "--update", TO_FORMAT_1]
                             ).exit_code == 0
        result = runner.invoke(main, ["stats", "--store", old])
        assert result.exit_code != 0 and f"kg upgrade --store {old}" in result.output
        result = runner.invoke(main, ["upgrade", "--store", old])
        assert result.exit_code == 0, result.output
        assert server_quads(old) == server_quads(fresh)


@pytest.mark.parametrize("name", ["timeline", "movements", "presence"])
def test_named_queries_read_the_shortcuts(runner: CliRunner, dated_store: Path,
                                          name: str) -> None:
    """The named queries that list dated events take their dates from kg:timelineDate."""
    result = runner.invoke(main, ["query", "--store", str(dated_store), "--name", name,
                                  "--param", "country=NER", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "2024-" in result.output
