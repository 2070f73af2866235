"""The library functions the CLI calls: ingest, extract, query, export, stats, validate."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import time
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import URIRef

from kg import analyze, identity
from kg.errors import InputError, KGError, StoreError
from kg.export.graph_view import graph_view
from kg.export.scope import scope_view
from kg.export.serialise import RDF_FORMATS, write_graphml, write_rdf
from kg.export.table import write_canonical_csv, write_events_csv
from kg.extract.pipeline import Extractor, process_articles
from kg.identity import Readings
from kg.rdf import corrections, dumps
from kg.rdf.build import FORMAT_VERSION, ArticleText
from kg.rdf.named import named_queries, run_named
from kg.rdf.prepare import Prepare, PreparedArticle
from kg.rdf.queries import run_query, select
from kg.rdf.store import Store, open_store
from kg.rdf.store_format import upgrade as upgrade_store
from kg.rdf.stored import drop_graphs, stored_article
from kg.rdf.vocab import ontology_text
from kg.rdf.write_behind import WriteBehind
from kg.read import read_articles
from kg.records import Article, Extraction

EXPORT_FORMATS = ("html", *RDF_FORMATS, "graphml", "gexf", "events-csv", "canonical-csv")
DRAWN_FORMATS = ("html", "graphml", "gexf")


@dataclass
class BatchReport:
    """What a batch did: the articles it stored (added or replaced) and left unchanged, what
    the stored ones hold, the time, and the articles that were reported and skipped."""

    articles: int = 0  # stored: added, or replacing a stored article of the same id
    replaced: int = 0  # of `articles`
    unchanged: int = 0  # stored before, or read before in this run, the same: left as they were
    events: int = 0
    entities: int = 0
    triples: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    compact_seconds: float = 0.0  # of `seconds`, compacting the store after a long run

    @property
    def added(self) -> int:
        """Articles stored that were not stored before."""
        return self.articles - self.replaced


def _readings(paths: Iterable[str], date: dt.date | None, report: BatchReport,
              fail_fast: bool) -> Iterator[tuple[Article, bool]]:
    """Each good article read, and whether it is a copy of one read before in this run (its
    first reading is the article: kg.identity); a bad article, or a url read again with other
    text, is reported and skipped (or raised, with `fail_fast`)."""
    readings = Readings()
    for item in read_articles(paths, date=date):
        copy = False
        if isinstance(item, Article):
            try:
                copy = readings.is_copy(item)
            except InputError as error:
                item = error
        if isinstance(item, InputError):
            if fail_fast:
                raise item
            report.errors.append(str(item))
            continue
        yield item, copy


def _first_readings(readings: Iterable[tuple[Article, bool]], report: BatchReport
                    ) -> Iterator[Article]:
    """The articles of `readings`, without their copies (counted unchanged)."""
    for article, copy in readings:
        if copy:
            report.unchanged += 1
        else:
            yield article


def _changed(readings: Iterable[tuple[Article, bool]], store: Store, fingerprint: str | None,
             report: BatchReport, replacing: set[str]) -> Iterator[Article]:
    """The articles of `readings` that storing would change: new ones, and those stored with
    other text or front matter or by another kg, whose ids go in `replacing`. The others, and
    copies, are counted unchanged. The graphs an older kg stored from an article's path (it
    identified an article by its path) are dropped, and the article counts as replacing them."""
    for article, copy in readings:
        stored = stored_article(store, article)
        if stored.legacy:
            drop_graphs(store, stored.legacy)
        if copy or stored.unchanged(article, fingerprint):
            report.unchanged += 1
            continue
        if stored.stored or stored.legacy:
            replacing.add(article.id)
        yield article


WRITE_BATCH = 16  # articles written together per worker (one atomic write embedded) ...
LONG_RUN = 1000  # ... and four times as many once this many were handed over


def write_batch(handed: int, workers: int = 1) -> int:
    """Articles to write together once `handed` were handed to the writer.

    16 per worker at first, so the progress of a short run (reported as articles are stored)
    moves every second or two however many workers there are; each write has a cost of its own
    (the embedded store's bulk loader makes and hands over a file per index: about 40 ms of CPU,
    taken from the workers once both cores parse). Four times as many in a long run, where the
    store's files matter more: RocksDB merges them in the background, and with a quarter as
    many writes its backlog, and the memory it holds, grows half as fast (bench/README.md).
    """
    return WRITE_BATCH * max(1, workers) * (1 if handed < LONG_RUN else 4)


def _run(articles: Iterable[Article], report: BatchReport, store: Store,
         progress: Callable[[Article], None] | None, keep: bool, workers: int = 1,
         extractor: Extractor | None = None, fingerprint: str | None = None,
         replacing: Container[str] = ()) -> BatchReport:
    start = time.perf_counter()
    entities: set[str] = set()
    merged = {ox.NamedNode(str(a)): ox.NamedNode(str(b))  # analysts' merges survive re-ingest
              for a, b in corrections.merges(store).items()}
    merged_labels = {ox.NamedNode(str(b)): ox.Literal(str(label), language=label.language)
                     for b, label in corrections.merged_labels(store).items()} if merged else {}
    # in the workers when there are some
    prepare = Prepare(merged, merged_labels, keep=keep, fingerprint=fingerprint)
    described: set[str] = set()  # subjects whose shared description was written this run
    pending: list[tuple[PreparedArticle, ArticleText]] = []
    handed = 0

    def written(batch: list[tuple[PreparedArticle, ArticleText]]) -> None:
        """Count a stored batch (on the writer's thread): on the embedded store it went in as
        one atomic write, on a server one article graph per request (each article wholly in or
        out whatever happens)."""
        for ready, rdf in batch:
            report.articles += 1
            report.replaced += ready.article.id in replacing
            report.events += ready.asserted_events
            report.triples += len(rdf)
            if progress:
                progress(ready.article)

    with WriteBehind(store, written) as writer:  # the next batch parses while one is written
        for ready in process_articles(articles, prepare, workers=workers, extractor=extractor):
            pending.append((ready, ready.rdf.first_descriptions(described)))
            entities.update(ready.entities)
            if ready.extraction is not None:
                report.extractions.append(ready.extraction)
            if len(pending) >= write_batch(handed, workers):
                writer.put(pending)
                handed += len(pending)
                pending = []
        if pending:
            writer.put(pending)
    report.entities = len(entities)
    report.seconds = time.perf_counter() - start
    return report


def ingest(paths: Iterable[str], store_path: str | None = None, date: dt.date | None = None,
           fail_fast: bool = False, progress: Callable[[Article], None] | None = None,
           workers: int = 1, extractor: Extractor | None = None) -> BatchReport:
    """Read, extract and store articles, one named graph each.

    An article is its url, else its text (kg.identity): a copy is the article read first, an
    article stored with other text or front matter, or by another kg, is replaced, and one
    stored the same is left unchanged, not even parsed.

    Args:
        paths: files, directories, or "-" for stdin.
        store_path: the store directory (default `$KG_STORE` or ./kg-data).
        date: publication date for articles whose front matter has none.
        fail_fast: raise on the first bad article instead of reporting and skipping it.
        progress: called after each stored article.
        workers: processes that parse and extract in parallel (writes stay in this process).
        extractor: the pipeline, gazetteer, rules and lexicon (default: the packaged ones; with
            another, no article counts as unchanged, its fingerprint being unknown).

    Raises:
        InputError: a path does not exist (or any bad article, with `fail_fast`).
        StoreError: the store cannot be opened.
    """
    report, start = BatchReport(), time.perf_counter()
    readings = _readings(paths, date, report, fail_fast)
    first = next(readings, None)
    if first is None:
        return report  # nothing to store: do not create an empty store
    replacing: set[str] = set()
    with open_store(store_path) as store:
        fingerprint = identity.fingerprint(corrections.merges(store)) if extractor is None \
            else None
        changed = _changed(itertools.chain([first], readings), store, fingerprint, report,
                           replacing)
        head = next(changed, None)
        if head is None:  # every article unchanged: nothing to parse, the model is not loaded
            report.seconds = time.perf_counter() - start
            return report
        _run(itertools.chain([head], changed), report, store, progress, keep=False,
             workers=workers, extractor=extractor, fingerprint=fingerprint,
             replacing=replacing)
        if isinstance(store, Store) and report.articles >= LONG_RUN \
                and 4 * report.triples >= len(store):
            # Each write left a file per index that RocksDB merges in the background; a long
            # run ends with some unmerged, which every lookup visits (queries 1.4x-1.7x slower
            # after 2,000 articles). Compacting costs about 1% of such a run, and only when the
            # run wrote a good part of the store: otherwise later writes merge them in passing.
            report.compact_seconds = store.optimize()
            report.seconds += report.compact_seconds
    return report


@dataclass
class LoadReport:
    """What `load` did: files loaded, quads in the store before and after, bad files skipped."""

    files: int = 0
    before: int = 0
    after: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    upgraded: bool = False  # some file came from an older kg: its events were brought up to date
    compact_seconds: float = 0.0  # of `seconds`, compacting the store after a bulk load


def load(paths: Iterable[str], store_path: str | None = None) -> LoadReport:
    """Load RDF dumps (N-Quads or TriG, as `kg export` writes them) into the embedded store.

    Into an empty store the files go through Oxigraph's bulk loader (streaming, the fastest way
    to restore or move a store), then the store is compacted for querying; a bad file is
    reported and skipped, and the store is rebuilt from the good ones. Into a store that holds
    data, each file is one transaction, so a bad file changes nothing. Dumps written by an older
    kg (no format record) are upgraded once loaded (kg.rdf.store_format).

    Raises:
        StoreError: the store cannot be opened, or it is a server (load dumps there with the
            server's own loader, e.g. `oxigraph load` or a POST to its /store).
    """
    report, start = LoadReport(), time.perf_counter()
    files = [Path(p) for p in paths]
    with open_store(store_path) as store:
        if not isinstance(store, Store):
            raise StoreError(f"{store.path}: kg load writes to an embedded store; load dumps "
                             "into a server with its own loader")
        report.before = len(store)
        bulk, loaded = report.before == 0, {}
        for path in files:
            try:
                scan = dumps.scan(path)
                if scan.format_version is not None and scan.format_version > FORMAT_VERSION:
                    raise InputError(str(path), f"written by a newer kg (store format "
                                                f"{scan.format_version}; this kg reads format "
                                                f"{FORMAT_VERSION}): upgrade kg to load it")
                store.load_dump(path, bulk=bulk, scan=scan)
                loaded[path] = scan
            except InputError as exc:
                report.errors.append(str(exc))
                if bulk:  # the bulk loader may have written part of the bad file: start over
                    store.clear()
                    for good, good_scan in loaded.items():
                        store.load_dump(good, bulk=True, scan=good_scan)
        if not all(scan.records_format for scan in loaded.values()):
            upgrade_store(store, force=True)
            report.upgraded = True
        if bulk and loaded:
            report.compact_seconds = store.optimize()
        report.files = len(loaded)
        report.after = len(store)
    report.seconds = time.perf_counter() - start
    return report


def extractor(rules: str | None = None, gazetteer: str | None = None) -> Extractor:
    """The packaged extraction data, with a user's own rule file (JSONL, as
    kg/data/rules/events.jsonl) and gazetteer folder (TSV files, as kg/data/gazetteer) added.

    Raises:
        InputError: the rule file cannot be read.
        DataError: a rule or gazetteer row is invalid or reuses an id (naming file and line).
    """
    if rules is None and gazetteer is None:
        return Extractor.default()
    return Extractor.with_user_data(rules, gazetteer)


def extract(paths: Iterable[str], date: dt.date | None = None, fail_fast: bool = False,
            progress: Callable[[Article], None] | None = None,
            extractor: Extractor | None = None) -> tuple[Store, BatchReport]:
    """Extract articles into an in-memory store, leaving the on-disk store untouched
    (`extractor`: see `ingest`)."""
    store, report = Store(None), BatchReport()
    articles = _first_readings(_readings(paths, date, report, fail_fast), report)
    return store, _run(articles, report, store, progress, keep=True, extractor=extractor)


def export(store: Store, fmt: str, out: str | os.PathLike[str] | BinaryIO | None,
           title: str | None = None, scope: dict[str, Any] | None = None) -> bytes | None:
    """Write the store in `fmt` to `out` (a path or a binary stream), or return the bytes when
    `out` is None.

    The RDF formats (turtle, trig, nquads, jsonld) stream from the store to `out`, so their
    memory does not grow with the store; the drawn formats and the tables (events-csv,
    canonical-csv) are built in memory.
    `scope` (keyword arguments of kg.export.scope.scope_view: focus, depth, since, until, types,
    country) narrows the drawn formats (html, graphml, gexf) to part of the graph. A path is
    written whole or not at all (a failed export leaves any earlier file as it was).
    The html page's `title` is by default "kg: " and the focus, else the store's name.
    """
    if fmt not in EXPORT_FORMATS:
        raise KGError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORT_FORMATS)}")
    if scope and fmt not in DRAWN_FORMATS:
        raise KGError(f"--focus, --since, --until, --types and --country apply to "
                      f"{', '.join(DRAWN_FORMATS)}, not {fmt}")
    if out is None:
        buf = io.BytesIO()
        _write(store, fmt, buf, title, scope)
        return buf.getvalue()
    if not isinstance(out, (str, os.PathLike)):
        try:
            _write(store, fmt, out, title, scope)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise KGError(f"cannot write the export: {exc.strerror or exc}") from None
        return None
    target = Path(out)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        # a device, a FIFO or a link: write through it (replacing it would destroy /dev/null
        # or leave a reader of the FIFO waiting)
        try:
            with open(target, "wb") as stream:
                _write(store, fmt, stream, title, scope)
        except OSError as exc:
            raise KGError(f"{out}: cannot write the export: {exc.strerror or exc}") from None
        return None
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(partial, "wb") as stream:
            _write(store, fmt, stream, title, scope)
        os.replace(partial, target)
    except OSError as exc:
        raise KGError(f"{out}: cannot write the export: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return None


def _page_title(store: Store, focus: str | None) -> str:
    """The page names what it shows: the focus, else the store."""
    if focus:
        return f"kg: {focus}"
    return f"kg: {Path(store.path).name}" if store.path else "kg graph"


def _write(store: Store, fmt: str, out: BinaryIO, title: str | None,
           scope: dict[str, Any] | None) -> None:
    if fmt in DRAWN_FORMATS:
        view = scope_view(graph_view(store), **(scope or {}))
        if fmt == "html":
            from kg.export.html import render_html
            focus = (scope or {}).get("focus")
            out.write(render_html(view, title=title or _page_title(store, focus),
                                  focus=focus).encode("utf-8"))
        elif fmt == "graphml":
            write_graphml(view, out)
        else:
            analyze.to_gexf(view, out)
    elif fmt in ("events-csv", "canonical-csv"):
        text = io.StringIO()
        (write_events_csv if fmt == "events-csv" else write_canonical_csv)(store, text)
        out.write(text.getvalue().encode("utf-8"))
    else:
        write_rdf(store, fmt, out)


def query(store: Store, text_or_file: str, allow_update: bool = False) -> Any:
    """Run a SPARQL query given as text or as the path of a .rq file."""
    source = "query"
    if text_or_file.endswith((".rq", ".sparql")) or (
            "\n" not in text_or_file and _is_file(text_or_file)):
        path = Path(text_or_file)
        if not _is_file(text_or_file):
            raise InputError(text_or_file, "no such file or directory")
        try:
            text_or_file, source = path.read_text(encoding="utf-8"), str(path)
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 text (byte {exc.start}); save the query "
                                        "as UTF-8") from None
        except OSError as exc:
            raise InputError(str(path), f"cannot read the query: {exc.strerror or exc}") from None
    return run_query(store, text_or_file, source, allow_update=allow_update)


def _is_file(text: str) -> bool:
    """Whether `text` names a file (a one-line query longer than a file name can be is not)."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # "File name too long", a NUL in the text
        return False


def stats(store: Store) -> dict[str, int]:
    """Counts of articles, events, entities, relations and triples in the store."""
    (row,) = select(store, "stats")  # consumed whole: a live result keeps the store open
    out = {k: int(row[k] or 0) for k in ("articles", "events", "entities", "relations")}
    out["triples"] = len(store)
    return out


@dataclass(frozen=True)
class EntityRow:
    """An entity of the graph as `kg entities` lists it."""

    id: str
    label: str
    type: str
    country: str | None
    wikidata: str | None
    aliases: tuple[str, ...]
    articles: int


def entities(store: Store, search: str | None = None) -> list[EntityRow]:
    """Entities with their aliases and article counts; `search` keeps those whose label or an
    alias contains it (case-insensitive)."""
    out = []
    needle = (search or "").casefold()
    for r in select(store, "entities"):
        aliases = tuple(sorted(a for a in (r["aliases"] or "").split("|") if a))
        label = r["label"] or ""
        if needle and not any(needle in n.casefold() for n in (label, *aliases)):
            continue
        out.append(EntityRow(id=r["entity"] or "", label=label, type=r["type"] or "",
                             country=r["country"] or None, wikidata=r["wikidata"] or None,
                             aliases=aliases,
                             articles=int(r["articles"] or 0)))
    return out


def analysis(store: Store, top: int = 10, actor: str | None = None, depth: int = 1) -> str:
    """A text report of central actors and cooperating blocs (networkx), of the whole graph or
    of the ego network of `actor` within `depth` hops."""
    view = graph_view(store)
    if actor:
        view = analyze.ego_network(view, actor, radius=depth)
    return analyze.report(view, top=top)


def find_entity(store: Store, name: str) -> EntityRow:
    """The one entity whose IRI, label, alias or ISO code is `name` (case-insensitive).

    Raises:
        KGError: no entity or several entities match.
    """
    key = name.casefold()
    found = [e for e in entities(store) if key in {e.id.casefold(), e.label.casefold(),
                                                    (e.country or "").casefold() if e.type ==
                                                    "State" else "",
                                                    *(a.casefold() for a in e.aliases)}]
    if not found:
        raise KGError(f"no entity named {name!r}; `kg entities --search` finds them")
    if len(found) > 1:
        raise KGError(f"{name!r} names {len(found)} entities ({', '.join(e.id for e in found)}); "
                      "give an IRI")
    return found[0]


def merge_entities(store: Store, source: str, target: str) -> tuple[EntityRow, EntityRow, int]:
    """Merge entity `source` into `target` (recorded; applied now and on every later ingest).
    Two names of one entity are already merged: nothing is recorded and 0 triples change."""
    a, b = find_entity(store, source), find_entity(store, target)
    if a.id == b.id:
        return a, b, 0
    return a, b, corrections.merge(store, URIRef(a.id), URIRef(b.id))


def split_entities(store: Store, source: str, target: str) -> bool:
    """Withdraw a merge of `source` into `target` (names or IRIs); True if one was recorded."""
    def iri(name: str) -> URIRef:
        if name.startswith(("http://", "https://")):
            return URIRef(name)
        return URIRef(find_entity(store, name).id)
    return corrections.split(store, iri(source), iri(target))


def validate(store: Store) -> tuple[bool, str]:
    """Check the store's graph against ontologies/shapes.ttl with pySHACL.

    Returns:
        (conforms, the validation report's text).
    """
    import pyshacl
    from rdflib import XSD, Graph, Literal

    data = Graph()
    for s, p, o, _ in store.quads():
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))  # Oxigraph types plain strings; RDF 1.1 says they are the same
        data.add((s, p, o))
    shapes = Graph().parse(data=ontology_text("shapes.ttl"), format="turtle")
    ont = Graph().parse(data=ontology_text("kg.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ont,
                                         inference="rdfs", advanced=False)
    return bool(conforms), str(text)


__all__ = [
    "EXPORT_FORMATS",
    "BatchReport",
    "EntityRow",
    "LoadReport",
    "analysis",
    "entities",
    "export",
    "extract",
    "find_entity",
    "ingest",
    "load",
    "merge_entities",
    "named_queries",
    "open_store",
    "query",
    "run_named",
    "split_entities",
    "stats",
    "upgrade_store",
    "validate",
]
