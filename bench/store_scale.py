"""Bulk load rate and named-query latency on a store of a million triples or more.

    .venv/bin/python bench/store_scale.py [--triples 1000000] [--rdflib-triples 200000]
                                          [--seed-articles 40] [--runs 7] [--rdflib-runs 3]
                                          [--no-server]

Builds the data without spaCy at scale: it ingests --seed-articles generated articles
(bench/make_corpus.py) into a throwaway embedded store, reads back each article's named graph,
and replicates the graphs with renamed IRIs until there are --triples quads. Each replica gets new
article, graph, event, evidence, statement and canonical-event IRIs (the 16-hex-digit hashes are
rehashed with the replica number) and a new `kg:articleId`, `kg:path` and `kg:url`; entity, actor,
state and rule IRIs stay shared, and the shared entities graph is included once. The result is
written as one N-Quads file, then:

- bulk load: `pyoxigraph.Store(dir).bulk_load(path=file)` into a new embedded store, and one
  `POST /store` (application/n-quads) of the same file to an `oxigraph serve` started here on
  127.0.0.1 (a free port, a temporary directory); triples/s for each;
- named queries: `presence` (country=NER), `timeline` (country=NER) and `events-between`
  (type=RETREAT, 2020-01-01 to 2024-12-31), --runs times each, median ms with every row consumed:
  through kg (`kg.rdf.named.run_named` on `kg.rdf.store.Store(dir)`, the embedded store), through
  kg's RemoteStore on the server, and on an rdflib in-memory `Dataset(default_union=True)` with
  the same query text, prefixes and initBindings. rdflib needs minutes and gigabytes at a million
  triples, so it holds the first --rdflib-triples quads; an embedded store of exactly that subset
  is measured too, so the output gives the same-size ratio and, against the full embedded store,
  a lower bound (rdflib's time grows with the data).

Targets (issue): bulk load >= 100k triples/s embedded; named queries on >= 1M triples: median
<= 100 ms embedded and >= 10x faster than rdflib's in-memory store.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
from _common import run_stamp
from make_corpus import ensure_corpus
from oxrdflib._converter import to_ox
from rdflib import Dataset

from kg import api
from kg.rdf.build import ENTITIES_GRAPH
from kg.rdf.named import _bind, named_queries, run_named
from kg.rdf.remote import RemoteStore
from kg.rdf.store import Store
from kg.rdf.vocab import KG, PREFIXES

OXIGRAPH = Path(__file__).resolve().parent.parent.parent / "venv" / "bin" / "oxigraph"
QUERIES = (("presence", {"country": "NER"}), ("timeline", {"country": "NER"}),
           ("events-between", {"type": "RETREAT", "from": "2020-01-01", "to": "2024-12-31"}))
MIN_LOAD, MAX_MEDIAN_MS, MIN_RATIO = 100_000, 100.0, 10.0
_HASHED = re.compile(r"(/id/(?:graph|article|event|evidence|statement|canonical)/)([0-9a-f]{16})")
_RENAMED_LITERAL = re.compile(
    "(<" + re.escape(str(KG)) + r"(?:articleId|path|url)> \")((?:[^\"\\]|\\.)*)(\")")


def seed_graphs(corpus: Path, workdir: Path) -> tuple[list[str], str]:
    """N-Quads text of each article graph of the ingested corpus, and of the entities graph."""
    store_dir = workdir / "seed"
    report = api.ingest([str(corpus)], str(store_dir))
    if report.errors:
        raise SystemExit(f"seed ingest: {report.errors[0]}")
    store = ox.Store(str(store_dir))
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in store:
        by_graph[str(quad.graph_name)].append(quad)
    del store
    gc.collect()
    shared = by_graph.pop(f"<{ENTITIES_GRAPH}>", [])
    articles = [_nquads(quads) for _, quads in sorted(by_graph.items())]
    return articles, _nquads(shared)


def _nquads(quads: list[ox.Quad]) -> str:
    return cast(bytes, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)).decode("utf-8")


def replica(text: str, n: int) -> str:
    """An article graph's N-Quads with its own IRIs and article id renamed for replica n."""
    seen: dict[str, str] = {}

    def rehash(m: re.Match[str]) -> str:
        old = m.group(2)
        if old not in seen:
            seen[old] = hashlib.sha1(f"{old}:{n}".encode()).hexdigest()[:16]
        return m.group(1) + seen[old]

    text = _HASHED.sub(rehash, text)
    return _RENAMED_LITERAL.sub(lambda m: f"{m.group(1)}{m.group(2)}#r{n}{m.group(3)}", text)


def write_nquads(articles: list[str], shared: str, target: int, path: Path,
                 prefix_target: int) -> tuple[int, int]:
    """Write the entities graph then replicas until `target` quads; return (quads, quads in the
    first prefix_target-or-more lines, which always end at an article boundary)."""
    count, prefix = shared.count("\n"), 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(shared)
        n = 0
        while count < target:
            text = replica(articles[n % len(articles)], n)
            out.write(text)
            count += text.count("\n")
            n += 1
            if not prefix and count >= prefix_target:
                prefix = count
    return count, prefix or count


def head_lines(path: Path, lines: int, out: Path) -> None:
    with open(path, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= lines:
                break
            dst.write(line)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([str(OXIGRAPH), "serve", "--location", str(location), "--bind",
                             f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit("oxigraph serve did not start")


def post_nquads(base: str, path: Path) -> None:
    with open(path, "rb") as body:
        request = urllib.request.Request(
            f"{base}/store", data=body, method="POST",
            headers={"Content-Type": "application/n-quads",
                     "Content-Length": str(path.stat().st_size)})
        with urllib.request.urlopen(request, timeout=3600) as response:
            response.read()


def server_count(base: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    url = f"{base}/query?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return int(json.load(response)["results"]["bindings"][0]["n"]["value"])


def timings(run: Callable[[], int], runs: int) -> tuple[float, int]:
    """Median milliseconds of `runs` calls of `run` (which returns its row count), and the rows."""
    times, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), rows


def kg_query(store: Any, name: str, params: dict[str, str]) -> Callable[[], int]:
    return lambda: len(list(run_named(store, name, params)))


def bindings_for(name: str, params: dict[str, str]) -> dict[str, Any]:
    """The initBindings kg.rdf.named.run_named would pass for these parameters."""
    query = named_queries()[name]
    known = {p.name: p for p in query.params}
    return {k: _bind(query, known[k], v) for k, v in params.items()}


def oxigraph_query(store: Store, name: str, params: dict[str, str]) -> Callable[[], int]:
    """The same query straight on pyoxigraph (substitutions, union default graph), no rdflib:
    what Oxigraph itself costs, without oxrdflib's conversion of every row."""
    text = named_queries()[name].text
    subs: Any = {ox.Variable(k): to_ox(v) for k, v in bindings_for(name, params).items()}
    inner = store.oxigraph
    return lambda: len(list(cast(Iterable[Any], inner.query(
        text, prefixes=PREFIXES, substitutions=subs, use_default_graph_as_union=True))))


def rdflib_query(ds: Dataset, name: str, params: dict[str, str]) -> Callable[[], int]:
    text, bindings = named_queries()[name].text, bindings_for(name, params)
    return lambda: len(list(ds.query(text, initNs=PREFIXES, initBindings=bindings)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--rdflib-triples", type=int, default=200_000)
    ap.add_argument("--seed-articles", type=int, default=40)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--rdflib-runs", type=int, default=3)
    ap.add_argument("--no-server", action="store_true", help="skip oxigraph serve")
    args = ap.parse_args()
    print(f"store_scale: {run_stamp()}")

    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        corpus = ensure_corpus(Path(f"/tmp/kg-corpus-{args.seed_articles}"), args.seed_articles)
        start = time.perf_counter()
        articles, shared = seed_graphs(corpus, workdir)
        nq = workdir / "data.nq"
        total, small = write_nquads(articles, shared, args.triples, nq, args.rdflib_triples)
        small_nq = workdir / "small.nq"
        head_lines(nq, small, small_nq)
        print(f"data: {total} quads from {len(articles)} seed article graphs "
              f"({sum(a.count(chr(10)) for a in articles) // len(articles)} quads each on average)"
              f", {nq.stat().st_size / 1e6:.0f} MB of N-Quads, made in "
              f"{time.perf_counter() - start:.1f}s; rdflib subset {small} quads")

        # bulk load, embedded
        big_dir = workdir / "embedded"
        ostore = ox.Store(str(big_dir))
        start = time.perf_counter()
        ostore.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        embedded_load = time.perf_counter() - start
        loaded = len(ostore)
        del ostore
        small_dir = workdir / "embedded-small"
        ostore = ox.Store(str(small_dir))
        ostore.bulk_load(path=str(small_nq), format=ox.RdfFormat.N_QUADS)
        del ostore
        gc.collect()
        print(f"\nbulk load, embedded (Store.bulk_load of the file): {loaded} quads in "
              f"{embedded_load:.1f}s = {loaded / embedded_load:,.0f} triples/s   "
              f"target >= {MIN_LOAD:,}: {'met' if loaded / embedded_load >= MIN_LOAD else 'MISSED'}")

        # bulk load, server
        base = ""
        if not args.no_server:
            server, base = start_server(workdir / "server")
            start = time.perf_counter()
            post_nquads(base, nq)
            server_load = time.perf_counter() - start
            on_server = server_count(base)
            print(f"bulk load, oxigraph serve (one POST /store): {on_server} quads in "
                  f"{server_load:.1f}s = {on_server / server_load:,.0f} triples/s "
                  f"({server_load / embedded_load:.2f}x the embedded load's time)")

        # rdflib in memory
        start = time.perf_counter()
        ds = Dataset(default_union=True)
        ds.parse(str(small_nq), format="nquads")
        print(f"rdflib in-memory Dataset: parsed {small} quads in "
              f"{time.perf_counter() - start:.1f}s "
              f"({small / (time.perf_counter() - start):,.0f} triples/s)")

        # named queries
        big, little = Store(str(big_dir), must_exist=True), Store(str(small_dir), must_exist=True)
        remote = RemoteStore(base) if base else None
        print(f"\nnamed queries: median ms of {args.runs} runs ({args.rdflib_runs} for rdflib), "
              f"every row read; rows in brackets")
        head = (f"{'query':<16}{f'embedded {total // 1000}k':>16}{'pyoxigraph':>16}"
                f"{f'server {total // 1000}k':>16}"
                f"{f'embedded {small // 1000}k':>16}{f'rdflib {small // 1000}k':>16}"
                f"{'same-size':>11}{'lower bound':>13}")
        print(head)
        results = []
        for name, params in QUERIES:
            e_ms, e_rows = timings(kg_query(big, name, params), args.runs)
            o_ms, o_rows = timings(oxigraph_query(big, name, params), args.runs)
            server_cell = "-"
            if remote is not None:
                s_ms, s_rows = timings(kg_query(remote, name, params), args.runs)
                server_cell = f"{s_ms:.1f} [{s_rows}]"
            es_ms, es_rows = timings(kg_query(little, name, params), args.runs)
            r_ms, r_rows = timings(rdflib_query(ds, name, params), args.rdflib_runs)
            results.append((name, e_ms, r_ms / es_ms, r_ms / e_ms))
            print(f"{name:<16}{f'{e_ms:.1f} [{e_rows}]':>16}{f'{o_ms:.1f} [{o_rows}]':>16}"
                  f"{server_cell:>16}"
                  f"{f'{es_ms:.1f} [{es_rows}]':>16}{f'{r_ms:.0f} [{r_rows}]':>16}"
                  f"{r_ms / es_ms:>10.1f}x{r_ms / e_ms:>12.1f}x")
            if r_rows != es_rows:
                print(f"  note: rdflib returned {r_rows} rows, the embedded store {es_rows}")
        big.close()
        little.close()

        print(f"\ntargets on {total:,} triples: median <= {MAX_MEDIAN_MS:.0f} ms embedded; "
              f">= {MIN_RATIO:.0f}x faster than rdflib (rdflib measured at {small:,} triples: "
              f"'same-size' compares it with the embedded store of that size; 'lower bound' with "
              f"the {total:,}-triple store)")
        for name, e_ms, same, bound in results:
            print(f"  {name:<16} {e_ms:7.1f} ms: {'met' if e_ms <= MAX_MEDIAN_MS else 'MISSED'}; "
                  f"vs rdflib {same:.0f}x same size, >= {bound:.0f}x at full size: "
                  f"{'met' if bound >= MIN_RATIO else 'MISSED'}")
        print(f"summary: bulk load {loaded / embedded_load:,.0f} triples/s embedded; medians "
              + ", ".join(f"{n} {e:.0f} ms" for n, e, _, _ in results)
              + f" on {total:,} triples")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
