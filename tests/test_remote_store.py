"""The same ingest, query and export against a real SPARQL server: `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from store_checks import miscopied

from kg import api
from kg.cli import main
from kg.errors import StoreError
from kg.rdf.corrections import CORRECTIONS_GRAPH
from kg.rdf.remote import RemoteStore
from kg.rdf.store import open_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        pytest.fail("the oxigraph server (PyPI package `oxigraph`) is not installed")
    return found


def start_server(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`oxigraph serve` on a free port of 127.0.0.1 over `data`, once it answers; its URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(data), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=2).read()
            return proc, url
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.terminate()
                pytest.fail("oxigraph serve did not start")
            time.sleep(0.2)


@contextmanager
def serving(data: Path) -> Iterator[str]:
    """`oxigraph serve` on a free port of 127.0.0.1 over `data`; its URL until the block ends."""
    proc, url = start_server(data)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server shared by the module's tests (they only add the seed article)."""
    with serving(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """An empty server of the test's own, for tests that change entities."""
    with serving(tmp_path / "oxigraph") as url:
        yield url


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def stats(url: str) -> dict[str, int]:
    result = run("stats", "--store", url)
    assert result.exit_code == 0, result.output
    return {k: int(v) for k, v in (line.split() for line in result.output.splitlines())}


def test_ingest_query_and_export_on_a_server(server: str, seed_path: Path,
                                            tmp_path: Path) -> None:
    result = run("ingest", "--store", server, str(seed_path))
    assert result.exit_code == 0, result.output
    first = stats(server)
    assert first["articles"] == 1 and first["events"] > 10 and first["triples"] > 100
    assert run("ingest", "--store", server, str(seed_path)).exit_code == 0
    assert stats(server) == first  # the article graph was replaced, not added again

    presence = run("query", "--store", server, "--name", "presence", "--param", "country=NER",
                   "--format", "csv")
    assert presence.exit_code == 0, presence.output
    status = {r["forces"]: r["status"] for r in csv.DictReader(io.StringIO(presence.output))}
    assert status.get("France") == "ended" and status.get("Russia") == "began"

    out = tmp_path / "graph.trig"
    assert run("export", "--store", server, "--format", "trig", "-o", str(out)).exit_code == 0
    ds = rdflib.Dataset()
    ds.parse(out, format="trig")
    assert len(ds) == first["triples"]

    table = run("export", "--store", server, "--format", "events-csv")
    rows = list(csv.DictReader(io.StringIO(table.output)))
    assert any(r["event_type"] == "RETREAT" and r["source_country"] == "FRA" for r in rows)


def test_a_config_file_names_the_endpoints(server: str, seed_path: Path, tmp_path: Path) -> None:
    config = tmp_path / "server.yaml"
    config.write_text(f"query: {server}/query\nupdate: {server}/update\nstore: {server}/store\n",
                      encoding="utf-8")
    assert run("ingest", "--store", str(config), str(seed_path)).exit_code == 0
    assert stats(str(config))["articles"] >= 1


def test_a_server_that_is_down_is_a_clear_error(seed_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = run("ingest", "--store", url, str(seed_path))
    assert result.exit_code != 0
    assert "cannot reach the SPARQL server" in result.output
    assert "Traceback" not in result.output


OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG,
              "nquads": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}


def server_quads(url: str) -> set[ox.Quad]:
    """Every quad the server holds, read with a plain Graph Store GET (not through kg)."""
    request = urllib.request.Request(f"{url}/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return set(ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld", "turtle"])
def test_rdf_export_of_a_server_is_its_content(server: str, seed_path: Path, tmp_path: Path,
                                              fmt: str) -> None:
    assert run("ingest", "--store", server, str(seed_path)).exit_code == 0
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--store", server, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    exported, stored = list(ox.parse(path=out, format=OX_FORMATS[fmt])), server_quads(server)
    assert len(stored) > 100
    if fmt == "turtle":  # one graph: each distinct triple once
        triples = [q.triple for q in exported]
        assert len(triples) == len(set(triples)) and set(triples) == {q.triple for q in stored}
        assert "@prefix kg: <https://w3id.org/kg-security/ontology#> ." in out.read_text("utf-8")
    else:
        assert set(exported) == stored


def test_export_from_a_server_reads_the_answer_as_it_comes(server: str, seed_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """No RDF export takes the whole body of a response in one read (RemoteStore._request)."""
    assert run("ingest", "--store", server, str(seed_path)).exit_code == 0
    store = RemoteStore(server)

    def whole_body(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("an export read a whole response into memory")

    monkeypatch.setattr(RemoteStore, "_request", whole_body)
    for fmt, rdf_format in OX_FORMATS.items():
        data = api.export(store, fmt, None) or b""
        assert len(list(ox.parse(data, format=rdf_format))) > 100


# -- merge and split on a server ---------------------------------------------------------------

PACT = ("---\ndate: 2024-05-02\n---\nNiger and Mali signed a defence pact. The rebels attacked "
        "Kidal.\n\nMNLA fighters ambushed a Malian convoy.\n")
MALI = "https://w3id.org/kg-security/id/state/MLI"


def pact_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.md").write_text(PACT, encoding="utf-8")
    return folder


def labels(url: str) -> dict[str, api.EntityRow]:
    with open_store(url) as store:
        return {e.label: e for e in api.entities(store)}


def test_merge_and_split_on_a_server_survive_reingest(fresh_server: str, tmp_path: Path) -> None:
    folder = pact_folder(tmp_path)
    assert run("ingest", "--store", fresh_server, str(folder)).exit_code == 0
    assert "Mali" in labels(fresh_server)
    merged = run("merge", "--store", fresh_server, "Mali", "Niger")
    assert merged.exit_code == 0, merged.output
    assert re.fullmatch(r"merged Mali into Niger: [1-9]\d* triples rewritten\n", merged.output)
    after = labels(fresh_server)
    assert "Mali" not in after and "Mali" in after["Niger"].aliases
    assert not any(MALI in str(q) for q in server_quads(fresh_server)
                   if str(q.graph_name) != f"<{CORRECTIONS_GRAPH}>")

    assert run("ingest", "--store", fresh_server, str(folder)).exit_code == 0  # the merge holds
    assert "Mali" not in labels(fresh_server)
    with open_store(fresh_server) as store:
        assert miscopied(store) == []  # events renamed to Niger copy Niger's label

    split = run("split", "--store", fresh_server, MALI, "Niger")
    assert split.exit_code == 0 and split.output.startswith("merge withdrawn")
    assert run("ingest", "--store", fresh_server, str(folder)).exit_code == 0
    assert "Mali" in labels(fresh_server)  # after the split and a re-ingest, its own entity again
    again = run("split", "--store", fresh_server, MALI, "Niger")
    assert again.output.startswith("no merge was recorded")


def test_a_merge_on_a_server_matches_the_embedded_merge(fresh_server: str,
                                                        tmp_path: Path) -> None:
    folder = pact_folder(tmp_path)
    embedded = str(tmp_path / "store")
    for where in (embedded, fresh_server):
        api.ingest([str(folder)], where)
        with open_store(where) as store:
            assert not api.split_entities(store, "Mali", "Niger")  # records a differentFrom
            assert api.merge_entities(store, "Mali", "Niger")[2] > 0  # which this withdraws
            assert not api.split_entities(store, "MNLA", "Niger")
    with open_store(embedded) as store:
        assert set(store.oxigraph) == server_quads(fresh_server)


def test_merge_and_split_are_one_update_request_each(fresh_server: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    api.ingest([str(pact_folder(tmp_path))], fresh_server)
    sent: list[str] = []
    send = RemoteStore.update

    def counted(self: RemoteStore, text: str) -> None:
        sent.append(text)
        send(self, text)

    monkeypatch.setattr(RemoteStore, "update", counted)
    with open_store(fresh_server) as store:
        api.merge_entities(store, "Mali", "Niger")
        assert len(sent) == 1
        api.split_entities(store, MALI, "Niger")
        assert len(sent) == 2


def test_a_merge_the_server_fails_changes_nothing(fresh_server: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    api.ingest([str(pact_folder(tmp_path))], fresh_server)
    before = server_quads(fresh_server)
    send = RemoteStore.update

    def failing_at_the_end(self: RemoteStore, text: str) -> None:
        # every operation of the merge runs, then one the server cannot do
        send(self, text + f" ;\nLOAD <http://127.0.0.1:{free_port()}/nothing>")

    monkeypatch.setattr(RemoteStore, "update", failing_at_the_end)
    with open_store(fresh_server) as store, pytest.raises(StoreError, match="refused"):
        api.merge_entities(store, "Mali", "Niger")
    assert server_quads(fresh_server) == before


def test_validate_reads_a_server(server: str, seed_path: Path) -> None:
    """`kg validate` reads every quad from the server (streamed) and checks the shapes."""
    assert run("ingest", "--store", server, str(seed_path)).exit_code == 0
    result = run("validate", "--store", server)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    with open_store(server) as store:
        quads = set(store.quads())
    assert len(quads) == len(server_quads(server)) > 100
