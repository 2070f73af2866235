"""The graph store: an embedded on-disk Oxigraph store opened through rdflib (oxrdflib).

Each article lives in its own named graph, replaced as a unit: the old graph is removed, then the
new one is added in one atomic step (with the other articles of its write batch), so a crash
leaves every article either wholly in or wholly out (and ingesting it again completes it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib._converter import from_ox
from rdflib import Dataset, Graph, URIRef, Variable
from rdflib.query import Result, ResultRow

from kg.errors import InputError, StoreError
from kg.rdf import dumps
from kg.rdf.build import ArticleText
from kg.rdf.vocab import PREFIXES

DEFAULT_STORE = "kg-data"
FLUSH_EVERY = 100_000  # quads written in transactions between flushes of the memory tables
ONE_INGESTION = 500_000  # quads a write batch may hold to go in as one bulk ingestion (the
#                          bulk loader cuts its input into chunks of 1,000,000 quads)
DUMP_FORMATS = {".nq": ox.RdfFormat.N_QUADS, ".nquads": ox.RdfFormat.N_QUADS,
                ".trig": ox.RdfFormat.TRIG}


def default_store_path() -> str:
    """`$KG_STORE` if set, else ./kg-data."""
    return os.environ.get("KG_STORE") or DEFAULT_STORE


class Store:
    """An open store: an rdflib Dataset on the Oxigraph plugin (in memory when `path` is None).

    Queries see the union of all article graphs as their default graph.
    """

    def __init__(self, path: str | None, must_exist: bool = False) -> None:
        self.path = path
        self._unflushed = 0  # quads written since the last flush to disk
        if path is None:
            self.dataset = Dataset(store="Oxigraph", default_union=True)
            self._bind()
            return
        if must_exist and not Path(path).exists():
            raise StoreError(f"{path}: no store here (run `kg ingest` first)")
        _check_location(Path(path))
        try:
            fresh = not Path(path).exists()
            self.dataset = Dataset(store="Oxigraph", default_union=True)
            self.dataset.open(path, create=fresh)
        except (OSError, ValueError) as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreError(f"{path}: store is in use by another process") from None
            raise StoreError(f"{path}: cannot open store: {message.splitlines()[0]}") from None
        # A process killed mid-write may have left the files of a bulk write that RocksDB never
        # took (Oxigraph names them bulk-*.sst; RocksDB's own are numbered). This process holds
        # the store's lock, so no bulk write is under way: they are only taking space.
        for leftover in Path(path).glob("bulk-*.sst"):
            leftover.unlink(missing_ok=True)
        self._bind()

    def _bind(self) -> None:
        for prefix, ns in PREFIXES.items():
            self.dataset.bind(prefix, ns, override=True)

    def query(self, text: str) -> Result:
        """Run a SPARQL query with the kg prefixes bound, over the union of the graphs
        (parameters come bound by kg.rdf.queries.with_values).

        Straight on pyoxigraph rather than through oxrdflib, converting each distinct term of
        the answer to rdflib once: labels, types and dates repeat down a result, and building
        rdflib Literals is most of the cost of reading a large one.
        """
        answer = self.oxigraph.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            out = Result("ASK")
            out.askAnswer = bool(answer)
            return out
        convert = _Converter()
        if isinstance(answer, ox.QuerySolutions):
            return _Rows([Variable(v.value) for v in answer.variables], convert.rows(answer))
        out = Result("CONSTRUCT")
        out.graph = Graph()
        for prefix, ns in PREFIXES.items():
            out.graph.bind(prefix, ns)
        out.graph += ((convert(t.subject), convert(t.predicate), convert(t.object))
                      for t in answer)
        return out

    def update(self, text: str) -> None:
        """Run a SPARQL update (pyoxigraph directly: rdflib mishandles INSERT DATA here)."""
        self.oxigraph.update(text, prefixes=PREFIXES)

    def quads(self) -> Iterator[tuple[Any, Any, Any, Any]]:
        """Every quad of the store."""
        for s, p, o, g in self.dataset.quads((None, None, None, None)):
            yield s, p, o, getattr(g, "identifier", g)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for bulk and atomic writes."""
        return self.dataset.store._inner  # type: ignore[attr-defined,no-any-return]

    def write_articles(self, articles: list[ArticleText]) -> None:
        """Replace each article's named graph with its triples and add the shared descriptions,
        all in one atomic step.

        Each old graph is removed first, in a transaction of its own (a crash after it leaves
        that article out, not half in). The batch then goes in through Oxigraph's bulk loader,
        which takes a quarter to a half less CPU than a transaction, counting the compaction it
        causes later (bench/README.md): it parses the whole batch, sorts it into one new file
        per index and hands them to RocksDB in a single ingestion, which RocksDB records in its
        manifest all or nothing, on a crash too (`IngestExternalFiles`). That holds while the
        batch is one chunk of the loader (up to a million quads); a larger batch is one
        transaction.
        """
        inner = self.oxigraph
        for rdf in articles:
            graph = ox.NamedNode(rdf.graph)
            if inner.contains_named_graph(graph):
                inner.remove_graph(graph)
        data = "".join(rdf.nquads() for rdf in articles).encode()
        size = sum(len(rdf) for rdf in articles)
        if size <= ONE_INGESTION:
            # our own terms, already checked when they were made: no need to check IRIs again
            inner.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
            return
        inner.load(data, format=ox.RdfFormat.N_QUADS)  # one transaction
        self._unflushed += size
        if self._unflushed >= FLUSH_EVERY:
            # RocksDB keeps a transaction's writes in memory tables until flushed: without this,
            # memory grows by about 300 KB per article written so (bench/ingest_memory.py)
            inner.flush()
            self._unflushed = 0

    def load_dump(self, path: Path, bulk: bool, scan: dumps.DumpScan) -> None:
        """Load an N-Quads or TriG file (as `kg export` writes) into the store.

        `bulk` uses Oxigraph's bulk loader: fastest, streams the file, but not one transaction,
        so only for a store that may be emptied again if the file proves bad; N-Quads without
        blank nodes load in parts side by side (kg.rdf.dumps). Otherwise the file is loaded in
        one transaction (held in memory): wholly or not at all. `scan` is the file's
        kg.rdf.dumps.scan.

        Raises:
            InputError: not a .nq/.trig file, or a syntax error (with its line).
        """
        fmt = DUMP_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(str(path), "not an N-Quads (.nq) or TriG (.trig) file")
        try:
            if bulk and fmt == ox.RdfFormat.N_QUADS and not scan.blank_nodes:
                dumps.parallel_bulk_load(self.oxigraph, path)
            elif bulk:
                self.oxigraph.bulk_load(path=str(path), format=fmt)
            else:
                self.oxigraph.load(path=str(path), format=fmt)
        except SyntaxError as exc:
            message = (exc.msg or "syntax error").splitlines()[0]
            raise InputError(str(path), f"not valid {fmt.name}: {message}",
                             exc.lineno or 1) from None
        except OSError as exc:
            raise InputError(str(path), str(exc.strerror or exc)) from None

    def clear(self) -> None:
        self.oxigraph.clear()

    def optimize(self) -> float:
        """Compact the on-disk store (Oxigraph's `optimize`, advised after a bulk load), and
        return the seconds it took: the bulk loader leaves overlapping files that every lookup
        must visit, and compacting them makes queries about a third faster
        (bench/store_scale.py)."""
        start = time.perf_counter()
        self.oxigraph.optimize()
        return time.perf_counter() - start

    def graphs(self) -> list[URIRef]:
        return [URIRef(g.value) for g in self.oxigraph.named_graphs()]

    def __len__(self) -> int:
        return len(self.oxigraph)

    def close(self) -> None:
        if self.path is not None:
            self.oxigraph.flush()
            self.dataset.close()


class _Rows(Result):
    """A SELECT answer whose rows are built straight from pyoxigraph's: rdflib's own Result
    makes a dict and a label map for every row, a third of the cost of reading a large answer.
    Rows are kept as they are read, so the answer can be read again (as rdflib's can)."""

    def __init__(self, variables: list[Variable], rows: Iterator[list[Any]]) -> None:
        super().__init__("SELECT")
        self.vars = variables
        self._labels = {str(v): i for i, v in enumerate(variables)}
        self._pending: Iterator[list[Any]] | None = rows
        self._rows: list[ResultRow] = []

    def __iter__(self) -> Iterator[Any]:
        yield from self._rows
        if self._pending is None:
            return
        for values in self._pending:
            row = tuple.__new__(ResultRow, values)
            row.labels = self._labels
            self._rows.append(row)
            yield row
        self._pending = None

    def __len__(self) -> int:
        """The number of rows, reading them once (rdflib's counts them by building a dict for
        each row, and `list(result)` asks for the length first)."""
        for _ in self:
            pass
        return len(self._rows)

    @property  # type: ignore[override,misc]
    def bindings(self) -> Any:
        names = self.vars or []
        return [{v: x for v, x in zip(names, row, strict=True) if x is not None}
                for row in self]


class _Converter:
    """pyoxigraph terms to rdflib terms, each distinct term converted once."""

    def __init__(self) -> None:
        self.seen: dict[Any, Any] = {}

    def __call__(self, term: Any) -> Any:
        done = self.seen.get(term)
        if done is None:
            done = self.seen[term] = from_ox(term)
        return done

    def rows(self, solutions: Iterable[Any]) -> Iterator[list[Any]]:
        """Each solution's values converted (None where unbound), the dictionary lookup inlined:
        a large answer has tens of thousands of values. An empty solution is no row (as in
        rdflib)."""
        seen = self.seen
        for solution in solutions:
            values: list[Any] = []
            bound = False
            for term in solution:
                if term is None:
                    values.append(None)
                    continue
                bound = True
                if (done := seen.get(term)) is None:
                    done = seen[term] = from_ox(term)
                values.append(done)
            if bound:
                yield values


def _check_location(path: Path) -> None:
    """Refuse a store location that is not a store and is not free to become one: a file, a
    folder holding other files, a folder inside a folder that does not exist."""
    if path.exists():
        if not path.is_dir():
            raise StoreError(f"{path}: is a file, not a store folder; choose another --store")
        if not (path / "CURRENT").exists() and any(path.iterdir()):
            raise StoreError(f"{path}: this folder holds other files and no kg store; choose an "
                             "empty or new folder for --store")
    elif not path.parent.exists():
        raise StoreError(f"{path}: its folder {path.parent} does not exist; create it or choose "
                         "another --store")


@contextmanager
def open_store(path: str | None = None, must_exist: bool = False,
               check_format: bool = True) -> Iterator[Any]:
    """Open the store at `path` (default `$KG_STORE` or ./kg-data): a directory for the embedded
    store, or a SPARQL server's URL or configuration file (kg.rdf.remote); close it afterwards.

    Raises:
        StoreError: it cannot be opened, or (with `check_format`) it was written by an older or
            newer kg (kg.rdf.store_format).
    """
    from kg.rdf.remote import RemoteStore, is_remote
    from kg.rdf.store_format import check_format as check

    location = path or default_store_path()
    store: Any = RemoteStore(location) if is_remote(location) else \
        Store(location, must_exist=must_exist)
    try:
        if check_format:
            check(store)
        yield store
    finally:
        store.close()
