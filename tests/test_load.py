"""`kg load`: dumps written by `kg export` restore into a new store, and bad dumps lose nothing."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner
from test_cli import stored_quads

from kg.cli import main


def _dump(runner: CliRunner, store: Path, out: Path, fmt: str) -> None:
    result = runner.invoke(main, ["export", "--store", str(store), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output


def test_a_dump_restores_into_a_new_store(runner: CliRunner, ingested_store: Path,
                                          tmp_path: Path) -> None:
    original = stored_quads(ingested_store)
    for fmt, suffix in (("nquads", "nq"), ("trig", "trig")):
        dump, target = tmp_path / f"dump.{suffix}", tmp_path / f"restored-{suffix}"
        _dump(runner, ingested_store, dump, fmt)
        result = runner.invoke(main, ["load", str(dump), "--store", str(target)])
        assert result.exit_code == 0, result.output
        assert f"loaded 1 files, {len(original)} quads" in result.stdout
        assert stored_quads(target) == original
        # a named query answers on the restored store as on the original
        result = runner.invoke(main, ["query", "--store", str(target), "--name", "presence",
                                      "--param", "country=NER", "--format", "csv"])
        assert result.exit_code == 0 and "Russia" in result.stdout


def test_loading_again_adds_nothing(runner: CliRunner, ingested_store: Path,
                                    tmp_path: Path) -> None:
    dump, target = tmp_path / "dump.nq", tmp_path / "store"
    _dump(runner, ingested_store, dump, "nquads")
    runner.invoke(main, ["load", str(dump), "--store", str(target)])
    result = runner.invoke(main, ["load", str(dump), "--store", str(target)])
    assert result.exit_code == 0 and "loaded 1 files, 0 quads" in result.stdout


def test_a_bad_dump_is_reported_with_its_line_and_damages_nothing(
        runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.nq", tmp_path / "bad.nq"
    _dump(runner, ingested_store, good, "nquads")
    lines = good.read_text(encoding="utf-8").splitlines(keepends=True)
    # valid lines first (the bulk loader may write them before it meets the error), then a
    # broken one on line 4
    bad.write_text("".join(lines[:3]) + '<urn:a> <urn:b> "unterminated .\n', encoding="utf-8")
    original = stored_quads(ingested_store)

    # into an empty store (bulk path): the bad file is skipped, the good one is loaded whole
    target = tmp_path / "new"
    result = runner.invoke(main, ["load", str(bad), str(good), "--store", str(target)])
    assert result.exit_code == 0
    assert f"{bad}:4: not valid N-Quads" in result.stderr
    assert stored_quads(target) == original

    # into a store holding data (one transaction per file): nothing changes, non-zero exit
    result = runner.invoke(main, ["load", str(bad), "--store", str(target)])
    assert result.exit_code == 1 and f"{bad}:4:" in result.stderr
    assert stored_quads(target) == original

    # alone into an empty store: nothing is left behind
    empty = tmp_path / "empty"
    result = runner.invoke(main, ["load", str(bad), "--store", str(empty)])
    assert result.exit_code == 1
    assert len(ox.Store.read_only(str(empty))) == 0


def test_only_quad_formats_are_loaded(runner: CliRunner, tmp_path: Path) -> None:
    ttl = tmp_path / "graph.ttl"
    ttl.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    result = runner.invoke(main, ["load", str(ttl), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert f"{ttl}: not an N-Quads (.nq) or TriG (.trig) file" in result.stderr


def test_a_dump_of_a_newer_store_format_is_refused_before_it_changes_anything(
        runner: CliRunner, ingested_store: Path, tmp_path: Path) -> None:
    from kg.rdf.build import FORMAT_VERSION
    for fmt, suffix, old, new in (
            ("nquads", "nq", f'formatVersion> "{FORMAT_VERSION}"',
             f'formatVersion> "{FORMAT_VERSION + 1}"'),
            ("trig", "trig", f"kg:formatVersion {FORMAT_VERSION} ",
             f"kg:formatVersion {FORMAT_VERSION + 1} ")):
        dump, target = tmp_path / f"newer.{suffix}", tmp_path / f"store-{suffix}"
        _dump(runner, ingested_store, dump, fmt)
        text = dump.read_text(encoding="utf-8")
        assert old in text
        dump.write_text(text.replace(old, new), encoding="utf-8")
        result = runner.invoke(main, ["load", str(dump), "--store", str(target)])
        assert result.exit_code != 0
        assert "written by a newer kg" in result.output, result.output
        # the store still opens, empty, and every command works on it
        stats = runner.invoke(main, ["stats", "--store", str(target)])
        assert stats.exit_code == 0, stats.output
