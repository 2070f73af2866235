"""A process killed in the middle of an ingest leaves the store openable, every article either
wholly in or wholly out, and the same ingest run again completes it without duplicates."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from kg import api
from kg.rdf.store import Store

PAIRS = [("Chad", "Sudan"), ("Kenya", "Somalia"), ("Rwanda", "Mozambique"), ("Turkey", "Libya"),
         ("France", "Mali"), ("Egypt", "Libya"), ("Nigeria", "Niger"), ("Ghana", "Togo")]


def corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        a, b = PAIRS[i % len(PAIRS)]
        text = (f"---\ntitle: Report {i}\nurl: https://example.org/{i}\ndate: 2024-01-{i % 28 + 1:02d}"
                f"\n---\n{a} deployed {100 + i} troops to {b}. {a} later withdrew its troops from {b}."
                f" {b} accused {a} of abuses. Officials in {b} met envoys from {a}.\n")
        (folder / f"a{i:03d}.md").write_text(text, encoding="utf-8")
    return folder


def graph_sizes(path: Path) -> dict[str, int]:
    store = Store(str(path), must_exist=True)
    try:
        return {str(g): len(list(store.oxigraph.quads_for_pattern(None, None, None, g)))
                for g in store.oxigraph.named_graphs()}
    finally:
        store.close()


def test_kill_during_ingest_leaves_whole_articles(tmp_path: Path) -> None:
    folder = corpus(tmp_path / "articles", 150)
    clean = tmp_path / "clean"
    api.ingest([str(folder)], str(clean))
    expected = graph_sizes(clean)

    killed = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", "--store", str(killed),
                             str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3.0)  # the model loads, then articles are being written
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    if killed.exists():  # opens again, and every article graph present is complete
        partial = graph_sizes(killed)
        articles = {g: n for g, n in partial.items() if "/graph/entities" not in g}
        for graph, size in articles.items():
            assert size == expected[graph], f"{graph} is only partly stored"

    api.ingest([str(folder)], str(killed))  # the same ingest again completes it
    assert graph_sizes(killed) == expected


WRITER = """
import sys
import pyoxigraph as ox
from kg.rdf.build import ArticleRDF
from kg.rdf.store import Store

store, p = Store(sys.argv[1]), ox.NamedNode("https://example.org/p")
print("open", flush=True)
for batch in range(100_000):  # batches of 16 articles of 500 triples, written until killed
    store.write_articles([
        ArticleRDF(ox.NamedNode(f"https://example.org/graph/{batch}-{k}"),
                   [(ox.NamedNode(f"https://example.org/s/{batch}-{k}-{i}"), p, ox.Literal(str(i)))
                    for i in range(500)], []).text()
        for k in range(16)])
"""


def test_kill_while_writing_leaves_whole_articles(tmp_path: Path) -> None:
    """Killed at any moment of a stream of batch writes (nearly all of its time is spent in
    the store's write), the store keeps whole articles only."""
    for wait in (0.4, 0.9, 1.3):
        path = tmp_path / f"killed-{wait}"
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert proc.stdout is not None and proc.stdout.readline() == "open\n"
        time.sleep(wait)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        sizes = graph_sizes(path)
        assert sizes, "killed before anything was written: the test proves nothing"
        assert set(sizes.values()) == {500}, f"killed after {wait} s: some article is partly in"
        assert not list(path.glob("bulk-*.sst"))  # a write's files RocksDB never took: removed
