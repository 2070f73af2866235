"""Bulk loading N-Quads in parts side by side: the same store as one load, errors with the line in
the whole file, and files with blank nodes loaded whole."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.rdf import dumps
from kg.rdf.store import open_store


@pytest.fixture(scope="module")
def seed_dump(ingested_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dump") / "seed.nq"
    result = CliRunner().invoke(main, ["export", "--store", str(ingested_store), "--format",
                                       "nquads", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_parts_cut_at_line_ends_and_cover_the_file(seed_dump: Path) -> None:
    data = seed_dump.read_bytes()
    for parts in (1, 2, 3, 7):
        ranges = dumps.line_parts(seed_dump, parts)
        assert len(ranges) == parts
        assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        assert all(data[end - 1:end] == b"\n" for _, end in ranges)


def test_a_load_in_parts_is_the_same_as_one_load(seed_dump: Path) -> None:
    whole, parts = ox.Store(), ox.Store()
    whole.bulk_load(path=str(seed_dump), format=ox.RdfFormat.N_QUADS)
    dumps.parallel_bulk_load(parts, seed_dump, parts=4)
    assert len(set(whole)) > 500 and set(parts) == set(whole)


def test_a_syntax_error_names_its_line_in_the_whole_file(seed_dump: Path,
                                                         tmp_path: Path) -> None:
    lines = seed_dump.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.nq"
    broken = len(lines) - 5  # in the last of four parts
    bad.write_text("".join(lines[:broken - 1]) + "<urn:a> <urn:b> oops .\n"
                   + "".join(lines[broken:]), encoding="utf-8")
    with pytest.raises(SyntaxError) as caught:
        dumps.parallel_bulk_load(ox.Store(), bad, parts=4)
    assert caught.value.lineno == broken


def test_kg_load_cuts_big_files_but_not_ones_with_blank_nodes(
        seed_dump: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dumps, "PART_BYTES", 1000)  # the seed dump counts as big
    runner = CliRunner()
    target = tmp_path / "cut"
    assert runner.invoke(main, ["load", str(seed_dump), "--store", str(target)]).exit_code == 0
    with open_store(str(target), must_exist=True) as store:
        loaded = set(store.oxigraph)
    whole = ox.Store()
    whole.bulk_load(path=str(seed_dump), format=ox.RdfFormat.N_QUADS)
    assert loaded == set(whole)

    blank = tmp_path / "blank.nq"  # the same blank node on the first and the last line
    blank.write_text("_:n <urn:p> <urn:first> .\n" + seed_dump.read_text(encoding="utf-8")
                     + "_:n <urn:p> <urn:last> .\n", encoding="utf-8")
    assert dumps.scan(blank).blank_nodes and not dumps.scan(seed_dump).blank_nodes
    target = tmp_path / "blank"
    assert runner.invoke(main, ["load", str(blank), "--store", str(target)]).exit_code == 0
    with open_store(str(target), must_exist=True) as store:
        rows = list(store.query("SELECT DISTINCT ?s WHERE { ?s <urn:p> ?o }"))
    assert len(rows) == 1  # one node, as written
