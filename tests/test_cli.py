"""Every `kg` command through click's CliRunner: help, normal use, and every bad input it reports."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner, Result
from rdflib import RDF, Graph, URIRef

from kg.cli import main
from kg.extract.rules import load_rules
from kg.link.gazetteer import COLUMNS
from kg.rdf.store import Store, open_store

COMMANDS = ["ingest", "extract", "query", "export", "entities", "merge", "split", "analyze",
            "stats", "validate"]
EVENTS_CSV_COLUMNS = ["article", "event_id", "event_type", "event_class", "date", "source_actor",
                      "source_country", "source_wikidata", "target_actor", "target_country",
                      "target_wikidata", "location", "quantity", "sentence", "start", "end"]
COUNT_EVENTS = ('SELECT (COUNT(DISTINCT ?e) AS ?n) '
                'WHERE { ?e kg:eventType ?t ; kg:modality "asserted" }')
INGEST_LINE = re.compile(r"added (?P<articles>\d+) articles, replaced (?P<replaced>\d+), "
                         r"unchanged (?P<unchanged>\d+); (?P<events>\d+) events, "
                         r"(?P<entities>\d+) entities, (?P<triples>\d+) triples "
                         r"in \d+\.\ds to (?P<store>.+)")
SHORT_ARTICLE = "Rwanda deployed 1,000 troops to Mozambique in July.\n"


def run(runner: CliRunner, *args: str, **kwargs) -> Result:
    return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)


def stats_of(runner: CliRunner, store: Path) -> dict[str, int]:
    result = run(runner, "stats", "--store", str(store))
    assert result.exit_code == 0, result.output
    return {k: int(v) for k, v in (line.split() for line in result.stdout.splitlines())}


def one_error_line(result: Result) -> str:
    """The single non-empty line the command wrote to stderr."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def cli_ingest(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> tuple[Path, Result]:
    """The seed ingested through `kg ingest` into a fresh store: (store, the command's result)."""
    store = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(main, ["ingest", "--store", str(store), str(seed_path)],
                                catch_exceptions=False)
    return store, result


@pytest.fixture(scope="module")
def extracted_csv(seed_path: Path) -> list[dict[str, str]]:
    result = CliRunner().invoke(main, ["extract", "--format", "events-csv", str(seed_path)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


# -- help ------------------------------------------------------------------------------------

def test_main_help_lists_every_command(runner: CliRunner) -> None:
    result = run(runner, "--help")
    assert result.exit_code == 0
    assert "knowledge graph" in result.stdout
    for cmd in COMMANDS:
        assert cmd in result.stdout


@pytest.mark.parametrize("cmd", COMMANDS)
def test_command_help(runner: CliRunner, cmd: str) -> None:
    help_text = (main.commands[cmd].help or "").strip()
    assert help_text, f"kg {cmd} has no help text"
    result = run(runner, cmd, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {cmd}") or f"{cmd} [OPTIONS]" in result.stdout
    # click re-wraps the text (and may break after a hyphen), so compare without whitespace
    assert "".join(help_text.split("\n\n")[0].split()) in "".join(result.stdout.split())


@pytest.mark.parametrize("cmd", COMMANDS)
def test_command_is_in_readme(cmd: str) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"kg {cmd}" in readme


# -- ingest ----------------------------------------------------------------------------------

def test_ingest_reports_counts(runner: CliRunner, cli_ingest: tuple[Path, Result]) -> None:
    store, result = cli_ingest
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    match = INGEST_LINE.fullmatch(result.stdout.strip())
    assert match, result.stdout
    counts = {k: int(v) for k, v in match.groupdict().items() if k != "store"}
    assert (counts["articles"], counts["replaced"], counts["unchanged"]) == (1, 0, 0)
    assert match["store"] == str(store)
    stats = stats_of(runner, store)
    assert stats["articles"] == 1
    assert counts["events"] == stats["events"] > 0
    assert counts["triples"] == stats["triples"] > 0  # a fresh store holds exactly what was added
    assert counts["entities"] > 0


def test_ingest_twice_changes_nothing(runner: CliRunner, tmp_path: Path, seed_path: Path) -> None:
    store = tmp_path / "store"
    assert run(runner, "ingest", "--store", str(store), str(seed_path)).exit_code == 0
    first = stats_of(runner, store)
    assert run(runner, "ingest", "--store", str(store), str(seed_path)).exit_code == 0
    assert stats_of(runner, store) == first
    assert first["articles"] == 1 and first["events"] > 0


# -- article identity: its url, else its text, never its path -----------------------------------

REPORT = "Chad sent 400 soldiers to Niger.\n\nThe troops will guard the border with Nigeria.\n"
OTHER_REPORT = "Officials in Niamey said that Chad sent 400 soldiers to Niger.\n"


def ingest_counts(result: Result) -> tuple[int, int, int]:
    """(added, replaced, unchanged) as `kg ingest` printed them."""
    match = INGEST_LINE.fullmatch(result.stdout.strip())
    assert match, result.output
    return int(match["articles"]), int(match["replaced"]), int(match["unchanged"])


def events_of(runner: CliRunner, store: Path) -> list[dict[str, str]]:
    result = run(runner, "export", "--store", str(store), "--format", "events-csv")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_a_copy_of_an_article_under_another_name_adds_no_source(runner: CliRunner,
                                                                 tmp_path: Path) -> None:
    for folder in ("inbox", "archive", "wire"):
        (tmp_path / folder).mkdir()
    first = tmp_path / "inbox" / "chad-troops.md"
    first.write_text(REPORT, encoding="utf-8")
    (tmp_path / "archive" / "2024-chad.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "wire" / "niamey.md").write_text(OTHER_REPORT, encoding="utf-8")
    folders = [str(tmp_path / f) for f in ("inbox", "archive", "wire")]

    extracted = run(runner, "extract", "--format", "events-csv", *folders)
    assert extracted.exit_code == 0 and extracted.stderr == "", extracted.output
    rows = list(csv.DictReader(io.StringIO(extracted.stdout)))
    assert {r["article"] for r in rows} == {str(first), str(tmp_path / "wire" / "niamey.md")}
    sent = [r for r in rows if r["event_type"] == "MOBILIZE"]
    assert len(sent) == 2 and {r["sources"] for r in sent} == {"2"}  # the copy is no third

    store = tmp_path / "store"
    result = run(runner, "ingest", "--store", str(store), *folders)
    assert ingest_counts(result) == (2, 0, 1) and result.stderr == ""
    assert stats_of(runner, store)["articles"] == 2
    assert [(r["article"], r["sources"]) for r in events_of(runner, store)
            if r["event_type"] == "MOBILIZE" and r["article"] == str(first)] == [(str(first), "2")]

    again = tmp_path / "later" / "chad.md"  # a later run: a copy stored already is unchanged
    again.parent.mkdir()
    again.write_text(REPORT, encoding="utf-8")
    assert ingest_counts(run(runner, "ingest", "--store", str(store), str(again))) == (0, 0, 1)
    assert stats_of(runner, store)["articles"] == 2


def test_each_article_on_stdin_is_its_own(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    one = run(runner, "ingest", "--store", str(store), "-", input=REPORT)
    two = run(runner, "ingest", "--store", str(store), "-", input=OTHER_REPORT)
    assert ingest_counts(one) == ingest_counts(two) == (1, 0, 0)
    assert stats_of(runner, store)["articles"] == 2
    same = run(runner, "ingest", "--store", str(store), "-", input=REPORT)
    assert ingest_counts(same) == (0, 0, 1)
    assert len({r["article"] for r in events_of(runner, store)}) == 2  # named apart


def test_a_url_read_twice_in_one_batch_with_other_text_is_reported(runner: CliRunner,
                                                                   tmp_path: Path) -> None:
    url = "https://news.example.org/2024/chad-niger"
    first, second = tmp_path / "a-first.md", tmp_path / "b-second.md"
    first.write_text(f"---\nurl: {url}\n---\n{REPORT}", encoding="utf-8")
    second.write_text(f"---\nurl: {url}\n---\n{OTHER_REPORT}", encoding="utf-8")
    store = tmp_path / "store"
    result = run(runner, "ingest", "--store", str(store), str(tmp_path / "a-first.md"),
                 str(second))
    assert one_error_line(result) == (
        f"skipped {second}: has the url {url} of {first}, with other text; the article read "
        f"from {first} is kept")
    assert ingest_counts(result) == (1, 0, 0)
    rows = events_of(runner, store)
    assert rows and {r["article"] for r in rows} == {url}
    assert {r["sentence"] for r in rows} == {"Chad sent 400 soldiers to Niger."}


def test_an_article_ingested_again_unchanged_is_left_as_it_is(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    path, store = tmp_path / "chad.md", tmp_path / "store"
    path.write_text(f"---\ndate: 2024-03-05\n---\n{REPORT}", encoding="utf-8")
    assert ingest_counts(run(runner, "ingest", "--store", str(store), str(path))) == (1, 0, 0)
    before = stats_of(runner, store)
    result = run(runner, "ingest", "--store", str(store), str(path))
    assert result.exit_code == 0 and result.stdout.startswith(
        "added 0 articles, replaced 0, unchanged 1; 0 events, 0 entities, 0 triples")
    assert stats_of(runner, store) == before


def test_a_url_ingested_again_with_other_text_replaces_the_stored_article(
        runner: CliRunner, tmp_path: Path) -> None:
    url = "https://news.example.org/2024/chad-niger"
    path, store = tmp_path / "chad.md", tmp_path / "store"
    path.write_text(f"---\nurl: {url}\n---\n{REPORT}", encoding="utf-8")
    assert ingest_counts(run(runner, "ingest", "--store", str(store), str(path))) == (1, 0, 0)
    path.write_text(f"---\nurl: {url}\n---\n{OTHER_REPORT}", encoding="utf-8")  # updated
    assert ingest_counts(run(runner, "ingest", "--store", str(store), str(path))) == (0, 1, 0)
    assert stats_of(runner, store)["articles"] == 1
    assert {r["sentence"] for r in events_of(runner, store)} == {OTHER_REPORT.strip()}
    path.write_text(f"---\nurl: {url}\ndate: 2024-04-01\n---\n{OTHER_REPORT}",
                    encoding="utf-8")  # its date given: the graph would change, so it does
    assert ingest_counts(run(runner, "ingest", "--store", str(store), str(path))) == (0, 1, 0)
    assert {r["first_reported"] for r in events_of(runner, store)} == {"2024-04-01"}


def test_ingest_html_option_writes_page(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "short.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    page = tmp_path / "page.html"
    result = run(runner, "ingest", "--store", str(tmp_path / "store"), "--html", str(page),
                 str(article))
    assert result.exit_code == 0, result.output
    assert f"wrote {page}" in result.stdout
    assert "<html" in page.read_text(encoding="utf-8")


# -- extract ---------------------------------------------------------------------------------

def test_extract_events_csv(runner: CliRunner, tmp_path: Path, seed_path: Path) -> None:
    with runner.isolated_filesystem(temp_dir=tmp_path) as cwd:
        env_store = Path(cwd) / "env-store"
        result = runner.invoke(main, ["extract", "--format", "events-csv", str(seed_path)],
                               env={"KG_STORE": str(env_store)}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        header = next(csv.reader(io.StringIO(result.stdout)))
        for col in EVENTS_CSV_COLUMNS:
            assert col in header
        assert not env_store.exists()
        assert not (Path(cwd) / "kg-data").exists()
        assert sorted(p.name for p in Path(cwd).iterdir()) == []


def test_extract_events_csv_rows(extracted_csv: list[dict[str, str]], seed_path: Path) -> None:
    assert extracted_csv
    text = seed_path.read_text(encoding="utf-8")
    for row in extracted_csv:
        assert row["article"] == str(seed_path)
        assert row["event_type"] and row["event_class"] and row["sentence"]
        assert 0 <= int(row["start"]) < int(row["end"]) <= len(text)


def test_extract_table(runner: CliRunner, seed_path: Path,
                       extracted_csv: list[dict[str, str]]) -> None:
    result = run(runner, "extract", "--format", "table", str(seed_path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").splitlines()
    assert lines[0].split() == ["article", "event_type", "source_actor", "target_actor", "date",
                                "quantity"]
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) - 2 == len(extracted_csv)
    assert any("RETREAT" in line for line in lines[2:])


def test_extract_trig_keeps_the_article_graph(runner: CliRunner, seed_path: Path,
                                              extracted_csv: list[dict[str, str]]) -> None:
    result = run(runner, "extract", "--format", "trig", str(seed_path))
    assert result.exit_code == 0, result.output
    ds = rdflib.Dataset()
    ds.parse(data=result.stdout, format="trig")
    kg = rdflib.Namespace("https://w3id.org/kg-security/ontology#")
    quads = list(ds.quads((None, kg.modality, None, None)))
    asserted = {e for e, _, o, _ in quads if str(o) == "asserted"}
    assert len(asserted) == len(extracted_csv)
    assert all(str(g).startswith("https://w3id.org/kg-security/id/graph/") for *_, g in quads)


def test_extract_turtle_is_turtle(runner: CliRunner, seed_path: Path,
                                  extracted_csv: list[dict[str, str]]) -> None:
    result = run(runner, "extract", "--format", "turtle", str(seed_path))
    assert result.exit_code == 0, result.output
    assert "GRAPH" not in result.stdout and " {" not in result.stdout  # no TriG blocks
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    kg = rdflib.Namespace("https://w3id.org/kg-security/ontology#")
    asserted = {e for e, _, o in graph.triples((None, kg.modality, None)) if str(o) == "asserted"}
    assert len(asserted) == len(extracted_csv)


def test_query_json_keeps_numbers_and_csv_cells_run_no_formula(runner: CliRunner, seed_path: Path,
                                                               tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(runner, "ingest", "--store", str(store), str(seed_path)).exit_code == 0
    text = "SELECT (COUNT(*) AS ?n) (true AS ?b) ('=HYPERLINK(1)' AS ?s) WHERE { ?x ?p ?o }"
    result = run(runner, "query", "--store", str(store), "--format", "json", text)
    row = json.loads(result.stdout)[0]
    assert isinstance(row["n"], int) and row["n"] > 0 and row["b"] is True
    result = run(runner, "query", "--store", str(store), "--format", "csv", text)
    assert result.stdout.splitlines()[1].endswith(",'=HYPERLINK(1)")


def test_extract_explain_shows_rule_ids(runner: CliRunner, seed_path: Path) -> None:
    result = run(runner, "extract", "--explain", str(seed_path))
    assert result.exit_code == 0, result.output
    ids = {r.id for r in load_rules()}
    shown = [line.split()[1].rstrip(":") for line in result.stdout.splitlines()
             if line.startswith("    rule ")]
    assert shown
    assert set(shown) <= ids
    assert "retreat.withdraw.verb" in shown


def test_extract_explain_names_every_fallback(runner: CliRunner, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Police in Mali arrested forty protesters on Monday.\n"
                       "Kenya closed its border with Somalia.\n", encoding="utf-8")
    result = run(runner, "extract", "--explain", str(article))
    assert result.exit_code == 0, result.output
    blocks = result.stdout.split("\n    \"")
    arrest = next(b for b in blocks if "COERCE" in b)
    assert "target:own_state" in arrest and "fallback, target: the source's own state" in arrest
    closure = next(b for b in blocks if "SANCTION" in b)
    assert "fallback" not in closure  # "with Somalia" is read, not guessed


# -- query -----------------------------------------------------------------------------------

def test_query_formats(runner: CliRunner, ingested_store: Path) -> None:
    events = stats_of(runner, ingested_store)["events"]
    table = run(runner, "query", "--store", str(ingested_store), COUNT_EVENTS)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].strip() == "n"
    assert lines[2].strip() == str(events)
    assert lines[-1] == "(1 rows)"

    as_csv = run(runner, "query", "--store", str(ingested_store), "--format", "csv", COUNT_EVENTS)
    assert as_csv.exit_code == 0, as_csv.output
    assert list(csv.reader(io.StringIO(as_csv.stdout))) == [["n"], [str(events)]]

    as_json = run(runner, "query", "--store", str(ingested_store), "--format", "json",
                  COUNT_EVENTS)
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == [{"n": events}]  # a number stays a number


def test_construct_and_ask_queries(runner: CliRunner, ingested_store: Path) -> None:
    construct = run(runner, "query", "--store", str(ingested_store),
                    "CONSTRUCT { ?s a kg:State } WHERE { ?s a kg:State }")
    assert construct.exit_code == 0, construct.output
    graph = Graph().parse(data=construct.stdout, format="turtle")
    assert (URIRef("https://w3id.org/kg-security/id/state/NER"), RDF.type,
            URIRef("https://w3id.org/kg-security/ontology#State")) in graph
    assert "@prefix kg: <https://w3id.org/kg-security/ontology#>" in construct.stdout
    for text, answer in (("ASK { kgr:state\\/NER a kg:State }", "true"),
                         ("ASK { kgr:state\\/NER a kg:Person }", "false")):
        ask = run(runner, "query", "--store", str(ingested_store), text)
        assert ask.exit_code == 0, ask.output
        assert ask.stdout.strip() == answer


def test_query_file(runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text("# asserted events\n" + COUNT_EVENTS + "\n", encoding="utf-8")
    result = run(runner, "query", "--store", str(ingested_store), "--format", "csv", str(rq))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["n"]
    assert int(rows[1][0]) == stats_of(runner, ingested_store)["events"]


def test_query_syntax_error_names_file(runner: CliRunner, ingested_store: Path,
                                       tmp_path: Path) -> None:
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    result = runner.invoke(main, ["query", "--store", str(ingested_store), str(rq)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = one_error_line(result)
    assert str(rq) in line
    assert "syntax" in line.lower()


def test_query_missing_rq_file(runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    rq = tmp_path / "nope.rq"
    result = runner.invoke(main, ["query", "--store", str(ingested_store), str(rq)])
    assert result.exit_code != 0
    assert str(rq) in one_error_line(result)


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    path = tmp_path / "empty-store"
    Store(str(path)).close()
    assert path.is_dir()
    return path


INSERT_DEFAULT = 'INSERT DATA { <urn:kg-test:x> rdfs:label "inserted" }'
INSERT_NAMED = 'INSERT DATA { GRAPH <urn:kg-test:g> { <urn:kg-test:x> rdfs:label "inserted" } }'
ASK_INSERTED = 'ASK { <urn:kg-test:x> rdfs:label "inserted" }'


def test_update_refused_without_flag(runner: CliRunner, empty_store: Path) -> None:
    result = runner.invoke(main, ["query", "--store", str(empty_store), INSERT_DEFAULT])
    assert result.exit_code != 0
    assert "--update" in one_error_line(result)
    assert run(runner, "query", "--store", str(empty_store), ASK_INSERTED).stdout.strip() == "false"


@pytest.mark.parametrize("update", [INSERT_DEFAULT, INSERT_NAMED], ids=["default-graph", "named"])
def test_update_accepted_with_flag(runner: CliRunner, empty_store: Path, update: str) -> None:
    result = runner.invoke(main, ["query", "--store", str(empty_store), "--update", update])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "update done"
    ask = run(runner, "query", "--store", str(empty_store), ASK_INSERTED)
    assert ask.stdout.strip() == "true"


# -- export ----------------------------------------------------------------------------------

RDF_PARSE = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}


@pytest.mark.parametrize("fmt", ["html", "turtle", "trig", "nquads", "jsonld", "graphml",
                                 "events-csv"])
def test_export(runner: CliRunner, ingested_store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = run(runner, "export", "--store", str(ingested_store), "--format", fmt,
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    assert out.is_file() and out.stat().st_size > 0
    if fmt in RDF_PARSE:
        ds = rdflib.Dataset()
        ds.parse(out, format=RDF_PARSE[fmt])
        quads = set(ds.quads((None, None, None, None)))
        article = rdflib.URIRef("https://w3id.org/kg-security/ontology#Article")
        assert any(p == rdflib.RDF.type and o == article for _, p, o, _ in quads)
        if fmt != "turtle":  # the other formats keep every named graph, so every quad
            assert len(quads) == stats_of(runner, ingested_store)["triples"]
    elif fmt == "graphml":
        graph = nx.read_graphml(out)
        assert graph.number_of_nodes() > 0
        assert graph.number_of_edges() > 0
    elif fmt == "html":
        page = out.read_text(encoding="utf-8")
        assert "<html" in page
        assert "https://cdn" not in page
    else:
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert len(rows) == stats_of(runner, ingested_store)["events"]


OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
              "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}


def stored_quads(store_path: Path | str) -> set[ox.Quad]:
    """Every quad of an embedded store, read raw (whatever kg's format the store is of)."""
    with open_store(str(store_path), must_exist=True, check_format=False) as store:
        return set(store.oxigraph)


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_rdf_export_is_exactly_the_store(runner: CliRunner, ingested_store: Path,
                                         tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    assert run(runner, "export", "--store", str(ingested_store), "--format", fmt,
               "-o", str(out)).exit_code == 0
    assert set(ox.parse(path=out, format=OX_FORMATS[fmt])) == stored_quads(ingested_store)
    assert not list(tmp_path.glob(".*.partial"))


def test_nquads_export_to_stdout(runner: CliRunner, ingested_store: Path) -> None:
    result = run(runner, "export", "--store", str(ingested_store), "--format", "nquads")
    assert result.exit_code == 0 and result.stderr == ""
    exported = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_QUADS))
    assert len(exported) == len(set(exported)) and set(exported) == stored_quads(ingested_store)


def test_export_to_a_missing_directory_is_one_error_line(runner: CliRunner, ingested_store: Path,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "missing" / "graph.nq"
    result = runner.invoke(main, ["export", "--store", str(ingested_store), "--format", "nquads",
                                  "-o", str(out)])
    assert result.exit_code == 1
    assert one_error_line(result) == f"Error: {out}: cannot write the export: No such file or " \
                                      "directory"


def test_turtle_merges_the_graphs_with_kg_prefixes(runner: CliRunner, empty_store: Path) -> None:
    for update in (INSERT_NAMED, INSERT_NAMED.replace("urn:kg-test:g", "urn:kg-test:h"),
                   'INSERT DATA { GRAPH <urn:kg-test:h> { <urn:kg-test:x> a kg:Article } }'):
        assert run(runner, "query", "--store", str(empty_store), "--update",
                   update).exit_code == 0
    result = run(runner, "export", "--store", str(empty_store), "--format", "turtle")
    assert result.exit_code == 0, result.output
    assert "@prefix kg: <https://w3id.org/kg-security/ontology#> ." in result.stdout
    assert "kg:Article" in result.stdout
    triples = [q.triple for q in ox.parse(result.stdout_bytes, format=ox.RdfFormat.TURTLE)]
    assert len(triples) == 2  # the label stated in two graphs is written once
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert dict(graph.namespaces())["kg"] == rdflib.URIRef("https://w3id.org/kg-security/ontology#")


# -- stats and validate ----------------------------------------------------------------------

def test_stats(runner: CliRunner, ingested_store: Path) -> None:
    stats = stats_of(runner, ingested_store)
    assert list(stats) == ["articles", "events", "entities", "relations", "triples"]
    assert stats["articles"] == 1
    assert all(v > 0 for v in stats.values())


def test_validate(runner: CliRunner, ingested_store: Path) -> None:
    result = run(runner, "validate", "--store", str(ingested_store))
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


def test_stats_missing_store(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-store"
    result = runner.invoke(main, ["stats", "--store", str(missing)])
    assert result.exit_code != 0
    line = one_error_line(result)
    assert str(missing) in line and "no store" in line
    assert not missing.exists()


def test_store_in_use_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "locked"
    store = Store(str(path))
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "stats", "--store", str(path)],
                              check=False, capture_output=True, text=True, timeout=120)
    finally:
        store.close()
    assert proc.returncode != 0
    assert "in use by another process" in proc.stderr
    assert str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


# -- bad inputs ------------------------------------------------------------------------------

BAD_FILES = {
    # name: (content, expected reason, line named in the message or None)
    "binary.md": (b"\x00\x01\x02PNG\x00" * 10, "binary file", None),
    "latin1.md": (b"Troops left.\nNiger caf\xe9 talks.\n", "not UTF-8", 2),
    "empty.md": (b"---\ntitle: Nothing here\n---\n\n   \n", "empty article", None),
    "unclosed.md": (b"---\ntitle: Open\nUS troops left Niger.\n", "never closed", 1),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_ingest_bad_file(runner: CliRunner, tmp_path: Path, name: str) -> None:
    content, reason, line = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(main, ["ingest", "--store", str(tmp_path / "store"), str(path)])
    assert result.exit_code != 0
    message = one_error_line(result)
    where = f"{path}:{line}:" if line is not None else f"{path}:"
    assert where in message
    assert reason in message
    assert "added 0 articles" in result.stdout


def test_ingest_missing_path(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "missing.md"
    result = runner.invoke(main, ["ingest", "--store", str(tmp_path / "store"), str(missing)])
    assert result.exit_code != 0
    message = one_error_line(result)
    assert str(missing) in message and "no such file" in message


def test_ingest_malformed_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(json.dumps({"text": SHORT_ARTICLE, "date": "2024-07-20"}) + "\n"
                    + '{"text": "broken\n'
                    + json.dumps({"text": "Canada pulled its troops out of Afghanistan."}) + "\n",
                    encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(main, ["ingest", "--store", str(store), str(path)])
    # something was ingested, so the batch succeeds and only reports the bad line
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("added 2 articles")
    message = one_error_line(result)
    assert message.startswith(f"skipped {path}:2:")
    assert "invalid JSON" in message
    assert stats_of(runner, store)["articles"] == 2


def test_ingest_fail_fast_stops_at_bad_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": \n' + json.dumps({"text": SHORT_ARTICLE}) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["ingest", "--fail-fast", "--store", str(tmp_path / "s"),
                                  str(path)])
    assert result.exit_code != 0
    assert f"{path}:1:" in one_error_line(result)


@pytest.mark.parametrize("value", ["2024-13-45", "yesterday"])
def test_ingest_bad_date(runner: CliRunner, tmp_path: Path, value: str) -> None:
    article = tmp_path / "a.md"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    result = runner.invoke(main, ["ingest", "--store", str(tmp_path / "store"), "--date", value,
                                  str(article)])
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert len(errors) == 1, result.stderr
    assert "--date" in errors[0] and value in errors[0]
    assert not (tmp_path / "store").exists()


def test_ingest_directory_with_bad_and_good(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a-bad.md").write_bytes(b"\x00binary\x00")
    (folder / "b-good.md").write_text(SHORT_ARTICLE, encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(main, ["ingest", "--store", str(store), str(folder)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("added 1 articles")
    message = one_error_line(result)
    assert message.startswith("skipped ") and str(folder / "a-bad.md") in message
    stats = stats_of(runner, store)
    assert stats["articles"] == 1 and stats["events"] > 0


def test_ingest_refuses_files_it_cannot_read_and_goes_on(runner: CliRunner, tmp_path: Path
                                                         ) -> None:
    good = tmp_path / "good.md"
    good.write_text(SHORT_ARTICLE, encoding="utf-8")
    pdf, gold = tmp_path / "report.pdf", tmp_path / "good.gold"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")
    gold.write_text("RWA DEPLOY MOZ\n", encoding="utf-8")
    store = tmp_path / "store"
    result = runner.invoke(main, ["ingest", "--store", str(store), str(pdf), str(good),
                                  str(gold)])
    reads = "kg reads .txt, .md, .markdown, .jsonl, .html, .htm files"
    assert result.stderr.splitlines() == [f"skipped {pdf}: {reads}, not .pdf",
                                          f"skipped {gold}: {reads}, not .gold"]
    assert result.stdout.startswith("added 1 articles")
    assert stats_of(runner, store)["articles"] == 1


def test_ingest_of_only_bad_articles_creates_no_store(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary")
    store = tmp_path / "store"
    result = run(runner, "ingest", str(bad), "--store", str(store))
    assert result.exit_code != 0
    assert "bad.txt" in result.stderr
    assert not store.exists()


def test_entities_lists_aliases_and_article_counts(runner: CliRunner, ingested_store: Path) -> None:
    result = run(runner, "entities", "--store", str(ingested_store), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["label"]: r for r in json.loads(result.stdout)}
    assert rows["Niger"]["type"] == "State" and rows["Niger"]["country"] == "NER"
    assert int(rows["Niger"]["articles"]) == 1
    found = run(runner, "entities", "--store", str(ingested_store), "--search", "zane",
                "--format", "json")
    people = json.loads(found.stdout)
    assert [p["label"] for p in people] == ["Ali Mahaman Lamine Zeine"]
    assert "Ali Lamine Zane" in people[0]["aliases"]


def test_analyze_ranks_the_hub_first(runner: CliRunner, ingested_store: Path) -> None:
    result = run(runner, "analyze", "--store", str(ingested_store), "--top", "3")
    assert result.exit_code == 0, result.output
    table = result.stdout.split("Blocs")[0]
    first_row = [line for line in table.splitlines() if line.startswith("1 ")]
    assert first_row and "Niger" in first_row[0]
    ego = run(runner, "analyze", "--store", str(ingested_store), "--actor", "Atlantis")
    assert ego.exit_code != 0 and "no actor matching" in ego.output


def test_export_gexf(runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.gexf"
    result = run(runner, "export", "--store", str(ingested_store), "--format", "gexf",
                 "-o", str(out))
    assert result.exit_code == 0, result.output
    graph = nx.read_gexf(out)
    assert graph.number_of_nodes() > 3
    assert {"relation", "event_type", "weight"} <= set(next(iter(graph.edges(data=True)))[2])


def test_parallel_ingest_builds_the_same_graph(runner: CliRunner, tmp_path: Path,
                                              seed_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "seed.md").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    for i, (a, b) in enumerate([("Chad", "Sudan"), ("Kenya", "Somalia"), ("Rwanda", "Mozambique"),
                                ("Turkey", "Libya"), ("France", "Mali")]):
        (folder / f"n{i}.txt").write_text(f"{a} deployed 500 troops to {b}. {a} later withdrew "
                                          f"its troops from {b}.\n", encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    assert run(runner, "ingest", "--store", str(one), "--workers", "1", str(folder)).exit_code == 0
    assert run(runner, "ingest", "--store", str(two), "--workers", "2", str(folder)).exit_code == 0
    assert stats_of(runner, one) == stats_of(runner, two)
    assert stats_of(runner, one)["articles"] == 6


def test_export_scoped_page(runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    page = tmp_path / "retreats.html"
    result = run(runner, "export", "--store", str(ingested_store), "--format", "html", "-o",
                 str(page), "--focus", "NER", "--types", "RETREAT")
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "withdrew from" in html and "hosts forces of" not in html
    assert "<title>kg: NER</title>" in html  # the page names its focus
    whole = tmp_path / "whole.html"
    assert run(runner, "export", "--store", str(ingested_store), "-o", str(whole)).exit_code == 0
    assert f"<title>kg: {ingested_store.name}</title>" in whole.read_text(encoding="utf-8")
    whole.unlink()
    bad = run(runner, "export", "--store", str(ingested_store), "--format", "html", "-o",
              str(page), "--focus", "Atlantis")
    assert bad.exit_code != 0 and "Atlantis" in bad.output
    assert page.read_text(encoding="utf-8") == html  # a failed export keeps the earlier file
    assert [p.name for p in tmp_path.iterdir()] == [page.name]
    wrong = run(runner, "export", "--store", str(ingested_store), "--format", "trig",
                "--country", "NER")
    assert wrong.exit_code != 0 and "apply to" in wrong.output


# -- kg extract --rules FILE --gazetteer DIR: a user's own data -------------------------------

USER_RULE = {"id": "user.snub", "class": "Rejection", "pos": "VERB", "lemmas": ["snub"],
             "source": ["agent"], "target": ["patient"],
             "examples": [{"text": "Chad snubbed Mali.", "expect": ["TCD REJECT MLI"]}]}
USER_ARTICLE = "The Zorblax Brigade attacked Niger. Chad snubbed Mali on Tuesday.\n"
USER_GROUP = ["zorblax-brigade", "ArmedGroup", "Zorblax Brigade", "Zorblax", "", "MLI", "", "",
              "", "", ""]


def user_files(tmp_path: Path, rule: dict | str = USER_RULE,
               row: list[str] = USER_GROUP) -> tuple[Path, Path, Path]:
    """(article, rule file, gazetteer folder) in tmp_path."""
    article, rules, folder = tmp_path / "a.txt", tmp_path / "mine.jsonl", tmp_path / "gaz"
    article.write_text(USER_ARTICLE, encoding="utf-8")
    rules.write_text(rule if isinstance(rule, str) else json.dumps(rule) + "\n", encoding="utf-8")
    folder.mkdir()
    (folder / "groups.tsv").write_text("\t".join(COLUMNS) + "\n" + "\t".join(row) + "\n",
                                       encoding="utf-8")
    return article, rules, folder


def test_extract_with_a_user_rule_applies_it(runner: CliRunner, tmp_path: Path) -> None:
    article, rules, _ = user_files(tmp_path)
    before = run(runner, "extract", str(article), "--explain")
    after = run(runner, "extract", str(article), "--explain", "--rules", str(rules))
    assert after.exit_code == 0, after.output
    assert "rule user.snub" not in before.stdout
    assert "rule user.snub: trigger=snubbed, source:agent=Chad, target:patient=Mali" \
        in after.stdout
    assert "rule assault.verb" in after.stdout  # the packaged rules still apply


def test_extract_with_a_user_gazetteer_links_its_names(runner: CliRunner, tmp_path: Path
                                                       ) -> None:
    article, _, folder = user_files(tmp_path)

    def assault_sources(*args: str) -> list[str]:
        result = run(runner, "extract", str(article), "--format", "events-csv", *args)
        assert result.exit_code == 0, result.output
        return [row["source_country"] for row in csv.DictReader(io.StringIO(result.stdout))
                if row["event_type"] == "ASSAULT"]

    assert assault_sources() == [""]
    assert assault_sources("--gazetteer", str(folder)) == ["MLI"]


@pytest.mark.parametrize(("rule", "reason"), [
    ('{"id": "user.snub", ', "mine.jsonl:1: invalid JSON"),
    ({**USER_RULE, "orderable": "yes"}, "mine.jsonl:1: orderable must be true or false"),
    ({**USER_RULE, "colour": "red"}, "mine.jsonl:1: unknown keys ['colour']"),
    ({**USER_RULE, "id": "assault.verb"}, "mine.jsonl:1: duplicate rule id 'assault.verb'"),
], ids=["bad-json", "flag-not-bool", "unknown-key", "packaged-id"])
def test_extract_with_a_bad_user_rule_file_names_file_and_line(
        runner: CliRunner, tmp_path: Path, rule: dict | str, reason: str) -> None:
    article, rules, _ = user_files(tmp_path, rule=rule)
    result = run(runner, "extract", str(article), "--rules", str(rules))
    assert result.exit_code != 0
    assert reason in one_error_line(result)


def test_extract_with_a_missing_user_rule_file_is_an_error(runner: CliRunner, tmp_path: Path
                                                           ) -> None:
    article, _, _ = user_files(tmp_path)
    result = run(runner, "extract", str(article), "--rules", str(tmp_path / "none.jsonl"))
    assert result.exit_code != 0
    assert "none.jsonl: cannot read the rule file" in one_error_line(result)


@pytest.mark.parametrize(("row", "reason"), [
    (["zorblax-brigade", "Band", *USER_GROUP[2:]], "groups.tsv:2: unknown type 'Band'"),
    (["MLI", "State", "Mali", *USER_GROUP[3:]], "groups.tsv: duplicate id 'MLI'"),
], ids=["bad-type", "packaged-id"])
def test_extract_with_a_bad_user_gazetteer_names_the_file(
        runner: CliRunner, tmp_path: Path, row: list[str], reason: str) -> None:
    article, _, folder = user_files(tmp_path, row=row)
    result = run(runner, "extract", str(article), "--gazetteer", str(folder))
    assert result.exit_code != 0
    assert reason in one_error_line(result)


def test_a_long_one_line_query_is_a_query_and_a_bad_rq_file_one_line(
        runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    padding = "x" * 300  # longer than a file name may be: not tried as a path
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(?p != <http://example.org/{padding}>) }}"
    result = run(runner, "query", "--store", str(ingested_store), "--format", "csv", text)
    assert result.exit_code == 0, result.output
    assert int(result.stdout.splitlines()[1]) > 0
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"SELECT \xff WHERE {}")
    result = run(runner, "query", "--store", str(ingested_store), str(bad))
    assert result.exit_code != 0
    assert "not UTF-8" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_store_location_that_cannot_be_a_store_is_one_line(runner: CliRunner, seed_path: Path,
                                                              tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "draft.txt").write_text("my notes")
    for store, says in [(notes, "holds other files and no kg store"),
                        (notes / "draft.txt", "is a file, not a store folder"),
                        (tmp_path / "missing" / "store", "does not exist; create it")]:
        result = run(runner, "ingest", "--store", str(store), str(seed_path))
        assert result.exit_code != 0 and says in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    assert sorted(p.name for p in notes.iterdir()) == ["draft.txt"]  # nothing written among them


def test_export_writes_through_a_fifo_and_a_link_instead_of_replacing_them(
        runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    import os
    import stat
    import threading
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run(runner, "export", "--store", str(ingested_store), "--format", "events-csv",
                 "-o", str(fifo))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still a FIFO, not a file put in its place
    assert got and got[0].startswith(b"article,event_id")
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("old")
    link.symlink_to(real)
    result = run(runner, "export", "--store", str(ingested_store), "--format", "events-csv",
                 "-o", str(link))
    assert result.exit_code == 0 and link.is_symlink()
    assert real.read_text().startswith("article,event_id")


def test_the_progress_bar_counts_out_of_the_articles_given(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(3):
        (folder / f"a{i}.md").write_text(f"Chad expelled French envoy number {i}.\n")
    (folder / "more.jsonl").write_text('{"text": "Mali expelled envoys."}\n\n'
                                       '{"text": "Niger expelled envoys."}\n')
    primary, secondary = os.openpty()  # stderr on a terminal, as a user sees it
    try:
        run = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--store",
                              str(tmp_path / "store"), str(folder)], stderr=secondary,
                             stdout=subprocess.PIPE, timeout=300, check=False)
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
    assert run.returncode == 0
    assert b"5/5" in shown and b" 1/1 " not in shown, shown[-400:]  # out of 5 from the start
    assert any(f"{i}/5".encode() in shown for i in range(5)), shown[-400:]
