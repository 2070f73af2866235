"""The `kg` command line: thin click commands over kg.api."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from rdflib import Literal

from kg import __version__, api
from kg.errors import KGError
from kg.export.explain import explanation
from kg.export.table import event_rows, format_table, spreadsheet_safe
from kg.rdf.store import default_store_path, open_store
from kg.read import count_articles, parse_date
from kg.records import Article

STORE_HELP = "Store directory (default: $KG_STORE or ./kg-data)."


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--store", "store_path", default=None, metavar="DIR", help=STORE_HELP)(f)


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise click.BadParameter(f"not a date: {value!r} (use YYYY-MM-DD)")
    return parsed


date_option = click.option("--date", callback=_date, metavar="YYYY-MM-DD",
                           help="Publication date for articles whose front matter has none; "
                                "anchors 'last year', 'last week'.")


@contextmanager
def errors() -> Iterator[None]:
    """Turn the library's errors into one-line click errors with a non-zero exit."""
    try:
        yield
    except KGError as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def progress_bar(label: str, paths: tuple[str, ...] = ()
                 ) -> Iterator[Callable[[Article], None] | None]:
    """A progress bar on a terminal (stderr), out of the articles `paths` hold and with the time
    left; nothing when output is piped."""
    if not sys.stderr.isatty():
        yield None
        return
    total = count_articles(paths)
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr,
                           show_pos=True, show_eta=True) as bar:
        def step(article: Article) -> None:
            if bar.pos >= (bar.length or 0):  # more than counted (a file that held several)
                bar.length = bar.pos + 1
            bar.update(1)
        yield step


def _report_errors(report: api.BatchReport) -> None:
    for message in report.errors:
        click.echo(f"skipped {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Build a knowledge graph of regional security relationships from news articles.

    Articles go in with `kg ingest`; `kg query` asks the graph with SPARQL; `kg export` writes it
    as an interactive HTML page, RDF, GraphML or an events table.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@date_option
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad article.")
@click.option("--html", "html_out", metavar="FILE", default=None,
              help="Also write the HTML page of the whole store to FILE.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes that parse, extract and build the RDF in parallel (this one writes).")
def ingest(paths: tuple[str, ...], store_path: str | None, date: dt.date | None,
           fail_fast: bool, html_out: str | None, workers: int) -> None:
    """Read, extract and store articles (.txt, .md, .jsonl, .html, directories, or - for stdin).

    Each article is its own named graph, identified by its url, else by its text: a copy under
    another name is the same article, a url ingested again with other text replaces the stored
    article, and one stored the same is left as it is, so nothing doubles. Prints how many
    articles were added, replaced and left unchanged.
    """
    with errors(), progress_bar("ingesting", paths) as step:
        report = api.ingest(paths, store_path, date=date, fail_fast=fail_fast, progress=step,
                            workers=workers)
    _report_errors(report)
    compacted = f" (compacting for queries: {report.compact_seconds:.1f}s)" \
        if report.compact_seconds else ""
    click.echo(f"added {report.added} articles, replaced {report.replaced}, unchanged "
               f"{report.unchanged}; {report.events} events, "
               f"{report.entities} entities, {report.triples} triples "
               f"in {report.seconds:.1f}s{compacted} to {store_path or default_store_path()}")
    if html_out:
        with errors(), open_store(store_path, must_exist=True) as store:
            api.export(store, "html", html_out)
            counts = api.stats(store)
        click.echo(f"wrote {html_out} ({counts['events']} events, "
                   f"{counts['entities']} entities in the store)")
    if report.errors and report.articles + report.unchanged == 0:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
@store_option
def load(paths: tuple[str, ...], store_path: str | None) -> None:
    """Load RDF dumps (N-Quads .nq or TriG .trig, as `kg export` writes them) into the store.

    Restores a backup or moves a graph between stores. Into an empty store the files go through
    Oxigraph's bulk loader; into one that holds data, each file is loaded whole or not at all.
    """
    with errors():
        report = api.load(paths, store_path)
    for message in report.errors:
        click.echo(f"skipped {message}", err=True)
    compacted = f" (compacting for queries: {report.compact_seconds:.1f}s)" \
        if report.compact_seconds else ""
    click.echo(f"loaded {report.files} files, {report.after - report.before} quads in "
               f"{report.seconds:.1f}s{compacted}; {store_path or default_store_path()} holds "
               f"{report.after} quads")
    if report.upgraded:
        click.echo("the data came from an older kg: its events were brought up to date")
    if report.errors and report.files == 0:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["events-csv", "canonical-csv", "turtle",
                                                   "trig", "table"]),
              default="table", show_default=True)
@click.option("--explain", is_flag=True, help="Show, per event, the rule and tokens that matched.")
@date_option
@click.option("--fail-fast", is_flag=True, help="Stop at the first bad article.")
@click.option("--rules", "rules_file", metavar="FILE", default=None,
              help="Also apply the event rules of FILE (JSONL, one rule a line).")
@click.option("--gazetteer", "gazetteer_dir", metavar="DIR", default=None,
              help="Also link the entities of the gazetteer TSV files in DIR.")
def extract(paths: tuple[str, ...], fmt: str, explain: bool, date: dt.date | None,
            fail_fast: bool, rules_file: str | None, gazetteer_dir: str | None) -> None:
    """Extract events from articles and print them, without touching the store."""
    with errors(), progress_bar("extracting", paths) as step:
        extractor = api.extractor(rules_file, gazetteer_dir)
        store, report = api.extract(paths, date=date, fail_fast=fail_fast, progress=step,
                                    extractor=extractor)
        _report_errors(report)
        if explain:
            for ex in report.extractions:
                for line in explanation(ex):
                    click.echo(line)
        elif fmt in ("turtle", "trig"):  # Turtle merges the article graphs; TriG keeps them
            data = api.export(store, fmt, None) or b""
            click.echo(data.decode("utf-8"), nl=False)
        elif fmt in ("events-csv", "canonical-csv"):
            click.echo((api.export(store, fmt, None) or b"").decode("utf-8"), nl=False)
        else:
            cols = ["article", "event_type", "source_actor", "target_actor", "date", "quantity"]
            rows = [[row[c] for c in cols] for row in event_rows(store)]
            click.echo(format_table(cols, rows, width=40))
    if report.errors and report.articles == 0:
        sys.exit(1)


def _params(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
            ) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r} is not KEY=VALUE")
        out[key.strip()] = val
    return out


@main.command()
@click.argument("query_or_file", required=False)
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--update", "allow_update", is_flag=True, help="Allow SPARQL updates.")
@click.option("--name", default=None, help="Run a named query (see --list).")
@click.option("--param", "params", multiple=True, callback=_params, metavar="KEY=VALUE",
              help="A parameter of the named query, e.g. --param country=NER.")
@click.option("--list", "list_names", is_flag=True, help="List the named queries and exit.")
def query(query_or_file: str | None, store_path: str | None, fmt: str, allow_update: bool,
          name: str | None, params: dict[str, str], list_names: bool) -> None:
    """Run a SPARQL query (text or a .rq file), or a named query, with the kg prefixes bound.

    The default graph is the union of all articles' graphs.
    """
    if list_names:
        for named in api.named_queries().values():
            args = " ".join(f"--param {p.name}=..." for p in named.params)
            click.echo(f"{named.name} {args}".rstrip())
            click.echo(f"    {named.description}")
            for p in named.params:
                click.echo(f"    {p.name} ({p.type}): {p.description}")
        return
    if (name is None) == (query_or_file is None):
        raise click.UsageError("give either a query (text or .rq file) or --name NAME")
    with errors(), open_store(store_path, must_exist=not allow_update) as store:
        result = api.run_named(store, name, params) if name else \
            api.query(store, query_or_file or "", allow_update=allow_update)
        if result is None:
            click.echo("update done")
            return
        if result.type == "ASK":
            click.echo("true" if result.askAnswer else "false")
            return
        if result.type == "CONSTRUCT":
            click.echo(result.graph.serialize(format="turtle"))
            return
        header = [str(v) for v in result.vars]
        terms = [[r[v] for v in result.vars] for r in result]
    _print_rows(header, terms, fmt)


def _json_value(cell: object) -> object:
    """A cell as JSON: numbers, booleans and numeric or boolean literals as such, anything else
    as text."""
    value = cell.toPython() if isinstance(cell, Literal) else cell
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(cell)


def _print_rows(header: list[str], cells: list[list[Any]], fmt: str) -> None:
    """Print rows as a table, CSV or JSON (which keeps numbers and booleans)."""
    if fmt == "json":
        click.echo(json.dumps([dict(zip(header, map(_json_value, r), strict=True)) for r in cells],
                              indent=2, ensure_ascii=False))
        return
    rows = [["" if c is None else str(c) for c in r] for r in cells]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[spreadsheet_safe(c) for c in r] for r in rows])
        click.echo(out.getvalue(), nl=False)
    else:
        click.echo(format_table(header, rows))
        click.echo(f"({len(rows)} rows)")


@main.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(list(api.EXPORT_FORMATS)), default="html",
              show_default=True)
@click.option("-o", "--output", default=None, metavar="FILE",
              help="Write to FILE (default: kg-graph.html for html, else standard output).")
@click.option("--title", default=None,
              help="Title of the HTML page (default: kg: and the focus, else the store's name).")
@click.option("--open", "open_browser", is_flag=True, help="Open the HTML page in a browser.")
@click.option("--focus", default=None, metavar="ENTITY",
              help="Only the neighbourhood of ENTITY (name, alias, ISO code or IRI).")
@click.option("--depth", default=1, show_default=True, help="Hops around --focus.")
@click.option("--since", default=None, metavar="DATE", help="Only relations dated from DATE on.")
@click.option("--until", default=None, metavar="DATE", help="Only relations dated up to DATE.")
@click.option("--types", default=None, metavar="TYPES",
              help="Only these event types, comma-separated (e.g. RETREAT,MOBILIZE).")
@click.option("--country", default=None, metavar="ISO3",
              help="Only relations with an actor of this country.")
def export(store_path: str | None, fmt: str, output: str | None, title: str | None,
           open_browser: bool, focus: str | None, depth: int, since: str | None,
           until: str | None, types: str | None, country: str | None) -> None:
    """Export the graph: html page, turtle, trig, nquads, jsonld, graphml, gexf, events-csv or
    canonical-csv.

    The RDF formats (turtle, trig, nquads, jsonld) are written as they are read from the store,
    so exporting a large store needs little memory; turtle merges all graphs into one.
    """
    if fmt == "html" and output is None:
        output = "kg-graph.html"
    with errors(), open_store(store_path, must_exist=True) as store:
        scope: dict[str, Any] = {k: v for k, v in {"focus": focus, "since": since, "until": until,
                                   "types": types.split(",") if types else None,
                                   "country": country}.items() if v is not None}
        if focus:
            scope["depth"] = depth
        api.export(store, fmt, output or sys.stdout.buffer, title=title, scope=scope or None)
        # counting events and entities costs memory that grows with the store: not for RDF
        counts = api.stats(store) if output and fmt not in api.RDF_FORMATS else None
    if output is None:
        return
    held = f" (the store holds {counts['events']} events, {counts['entities']} entities)" \
        if counts else ""
    click.echo(f"wrote {output}{held}", err=fmt != "html")
    if open_browser and fmt == "html":
        webbrowser.open(Path(str(output)).resolve().as_uri())


@main.command()
@store_option
@click.option("--search", default=None, metavar="TEXT",
              help="Only entities whose name or an alias contains TEXT.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def entities(store_path: str | None, search: str | None, fmt: str) -> None:
    """List the entities in the graph with their aliases and how many articles name them."""
    with errors(), open_store(store_path, must_exist=True) as store:
        found = api.entities(store, search)
    header = ["label", "type", "country", "wikidata", "articles", "aliases", "id"]
    rows: list[list[Any]] = [[e.label, e.type, e.country or "", e.wikidata or "", e.articles,
                              "|".join(e.aliases), e.id] for e in found]
    _print_rows(header, rows, fmt)


@main.command()
@click.argument("entity")
@click.argument("into")
@store_option
def merge(entity: str, into: str, store_path: str | None) -> None:
    """Merge ENTITY into INTO (names, aliases, ISO codes or IRIs): one entity from now on.

    The decision is recorded in the graph and applied again whenever articles are re-ingested.
    """
    with errors(), open_store(store_path, must_exist=True) as store:
        a, b, changed = api.merge_entities(store, entity, into)
    if a.id == b.id:
        click.echo(f"{entity!r} and {into!r} are already one entity ({a.label}): nothing to merge")
        return
    click.echo(f"merged {a.label} into {b.label}: {changed} triples rewritten")


@main.command()
@click.argument("entity")
@click.argument("other")
@store_option
def split(entity: str, other: str, store_path: str | None) -> None:
    """Undo a merge of ENTITY into OTHER and record that they are different entities.

    Facts already merged stay with OTHER until the articles naming ENTITY are ingested again.
    """
    with errors(), open_store(store_path, must_exist=True) as store:
        existed = api.split_entities(store, entity, other)
    click.echo("merge withdrawn; re-ingest the articles that name it to separate their facts"
               if existed else "no merge was recorded; recorded that they differ")


@main.command()
@store_option
@click.option("--top", default=10, show_default=True, help="How many central actors to list.")
@click.option("--actor", default=None, help="Analyse the ego network of this actor only.")
@click.option("--depth", default=1, show_default=True, help="Hops around --actor.")
def analyze(store_path: str | None, top: int, actor: str | None, depth: int) -> None:
    """Central actors and blocs of cooperating states (networkx), optionally around one actor."""
    with errors(), open_store(store_path, must_exist=True) as store:
        click.echo(api.analysis(store, top=top, actor=actor, depth=depth))


@main.command()
@store_option
def stats(store_path: str | None) -> None:
    """Count the articles, events, entities, relations and triples in the store."""
    with errors(), open_store(store_path, must_exist=True) as store:
        counts = api.stats(store)
    for key, value in counts.items():
        click.echo(f"{key:10} {value}")


@main.command()
@store_option
def upgrade(store_path: str | None) -> None:
    """Bring a store written by an older kg up to date, in place (one SPARQL update per step).

    Other commands refuse such a store with a message naming this command.
    """
    with errors(), open_store(store_path, must_exist=True, check_format=False) as store:
        before, after = api.upgrade_store(store)
    where = store_path or default_store_path()
    if before == after:
        click.echo(f"{where} is up to date (store format {after})")
    else:
        click.echo(f"upgraded {where} from store format {before or 'none'} to {after}")


@main.command()
@store_option
def validate(store_path: str | None) -> None:
    """Check the store against the SHACL shapes (ontologies/shapes.ttl)."""
    with errors(), open_store(store_path, must_exist=True) as store:
        conforms, report = api.validate(store)
    if conforms:
        click.echo("the graph conforms to the kg shapes")
        return
    click.echo(report)
    raise click.ClickException("the graph does not conform to the kg shapes")


if __name__ == "__main__":
    main()
