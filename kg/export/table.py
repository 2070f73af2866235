"""The event tables: events-csv, one row per asserted event as reported (a mention, like GDELT's
Mentions table), and canonical-csv, one row per real event its mentions report (like GDELT's
Events table); kg.canonical decides which mentions report one event."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TextIO

from kg.canonical import Cluster, Mention, Summary, group_mentions, most_advanced, summarise
from kg.rdf.queries import select
from kg.rdf.store import Store
from kg.rdf.vocab import KG

COLUMNS = ["article", "event_id", "canonical_id", "event_type", "event_class", "date",
           "date_precision", "since", "status", "source_actor", "source_country",
           "source_wikidata", "target_actor", "target_country", "target_wikidata", "location",
           "quantity", "money", "sentence", "start", "end", "rule", "trigger", "mentions",
           "sources", "first_reported", "last_reported"]
CANONICAL_COLUMNS = ["canonical_id", "event_type", "source_actor", "source_country",
                     "target_actor", "target_country", "date", "date_precision", "status",
                     "quantity", "mentions", "sources", "first_reported", "last_reported",
                     "sentence"]


def _mention_rows(store: Store) -> list[dict[str, str]]:
    """The events query's rows, as events-csv rows without the canonical columns, in order."""
    out = []
    for r in select(store, "events"):
        def s(value: object) -> str:
            return "" if value is None else str(value)
        out.append({
            "article": s(r["name"]), "event_id": s(r["event"]), "canonical_id": "",
            "event_type": s(r["eventType"]), "event_class": s(r["class"])[len(str(KG)):],
            "date": s(r["date"]), "date_precision": s(r["precision"]), "since": s(r["since"]),
            "status": s(r["status"]),
            "source_actor": s(r["sourceLabel"]), "source_country": s(r["sourceIso"]),
            "source_wikidata": s(r["sourceWd"]), "target_actor": s(r["targetLabel"]),
            "target_country": s(r["targetIso"]), "target_wikidata": s(r["targetWd"]),
            "location": s(r["locationLabel"]), "quantity": s(r["qtyText"]), "money": s(r["moneyText"]),
            "sentence": " ".join(s(r["sentence"]).split()), "start": s(r["start"]), "end": s(r["end"]),
            "rule": s(r["rule"]), "trigger": s(r["trigger"]),
            "_source": s(r["source"]), "_target": s(r["target"]), "_published": s(r["published"]),
            "_place_state": s(r["locationIso"]), "_place_is_state": s(r["locationIsState"]),
            "_article_id": s(r["articleId"]),
        })
    return out


def _mention(row: dict[str, str]) -> Mention:
    return Mention(id=row["event_id"], event_type=row["event_type"],
                   source=row["source_country"] or row["_source"],
                   target=row["target_country"] or row["_target"], place=row["location"],
                   place_state=row["_place_state"],
                   place_is_state=row["_place_is_state"] in {"true", "1"},
                   date=row["date"], precision=row["date_precision"],
                   reported=row["_published"][:10], article=row["_article_id"],
                   sentence=row["start"])


def _grouped(store: Store) -> tuple[list[dict[str, str]], dict[str, Cluster]]:
    rows = _mention_rows(store)
    # one mention may come back on several rows (an actor with two labels): group it once
    mentions = {row["event_id"]: _mention(row) for row in rows}
    return rows, group_mentions(mentions.values())


def event_rows(store: Store) -> Iterator[dict[str, str]]:
    """Rows of the events table (one per mention), ordered by article and position, each with
    the id, counts and report dates of the canonical event it reports."""
    rows, clusters = _grouped(store)
    summaries: dict[int, Summary] = {}
    for row in rows:
        cluster = clusters[row["event_id"]]
        summary = summaries.get(id(cluster)) or summaries.setdefault(id(cluster), summarise(cluster))
        row.update(canonical_id=summary.canonical_id, mentions=str(summary.mentions),
                   sources=str(summary.sources), first_reported=summary.first_reported,
                   last_reported=summary.last_reported)
        yield {k: v for k, v in row.items() if not k.startswith("_")}


def canonical_rows(store: Store) -> Iterator[dict[str, str]]:
    """Rows of the canonical events table, one per real event, ordered by date then id
    (undated last). Labels and quantity are the commonest among the mentions; the sentence
    is the earliest-reported mention's at the event's best date."""
    rows, clusters = _grouped(store)
    by_cluster: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_cluster.setdefault(id(clusters[row["event_id"]]), []).append(row)
    out = []
    for members in by_cluster.values():
        cluster = clusters[members[0]["event_id"]]
        summary = summarise(cluster)

        def common(column: str, members: list[dict[str, str]] = members) -> str:
            found = Counter(r[column] for r in members if r[column])
            return max(sorted(found), key=found.__getitem__) if found else ""
        at_best = [r for r in members if r["date"] == summary.date] or members
        example = min(at_best, key=lambda r: (r["_published"] or "9999", r["article"],
                                              int(r["start"] or 0)))
        out.append({
            "canonical_id": summary.canonical_id, "event_type": members[0]["event_type"],
            "source_actor": common("source_actor"), "source_country": common("source_country"),
            "target_actor": common("target_actor"), "target_country": common("target_country"),
            "date": summary.date, "date_precision": summary.precision,
            "status": most_advanced(r["status"] for r in members),
            "quantity": common("quantity"), "mentions": str(summary.mentions),
            "sources": str(summary.sources), "first_reported": summary.first_reported,
            "last_reported": summary.last_reported, "sentence": example["sentence"],
        })
    out.sort(key=lambda r: (r["date"] == "", r["date"], r["event_type"], r["canonical_id"]))
    yield from out


def write_events_csv(store: Store, out: TextIO) -> int:
    """Write the events table as CSV; return the number of rows."""
    return _write(out, COLUMNS, event_rows(store))


def write_canonical_csv(store: Store, out: TextIO) -> int:
    """Write the canonical events table as CSV; return the number of rows."""
    return _write(out, CANONICAL_COLUMNS, canonical_rows(store))


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: text opening with =, +, -, @, a tab
    or a carriage return gets a leading apostrophe ("=HYPERLINK(...)" from an article's url or
    title); numbers stay as they are."""
    if cell.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _write(out: TextIO, columns: list[str], rows: Iterable[dict[str, str]]) -> int:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
        n += 1
    return n


def format_table(header: list[str], rows: list[list[str]], width: int = 60) -> str:
    """A plain-text table with columns cut to `width` characters."""
    cut = [[(c if len(c) <= width else c[: width - 1] + "…") for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cut]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cut]
    return "\n".join(lines)
