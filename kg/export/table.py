"""The events table (events-csv): one row per asserted event, like GDELT's or ICEWS's."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from kg.rdf.queries import select
from kg.rdf.store import Store
from kg.rdf.vocab import KG

COLUMNS = ["article", "event_id", "event_type", "event_class", "date", "date_precision", "since",
           "status", "source_actor",
           "source_country", "source_wikidata", "target_actor", "target_country",
           "target_wikidata", "location", "quantity", "money", "sentence", "start", "end", "rule",
           "trigger", "mentions", "sources", "first_reported", "last_reported"]


def event_rows(store: Store) -> Iterator[dict[str, str]]:
    """Rows of the events table, ordered by article and position."""
    for r in select(store, "events"):
        def s(value: object) -> str:
            return "" if value is None else str(value)
        yield {
            "article": s(r["articleId"]), "event_id": s(r["event"]), "event_type": s(r["eventType"]),
            "event_class": s(r["class"])[len(str(KG)):], "date": s(r["date"]),
            "date_precision": s(r["precision"]), "since": s(r["since"]), "status": s(r["status"]),
            "source_actor": s(r["sourceLabel"]), "source_country": s(r["sourceIso"]),
            "source_wikidata": s(r["sourceWd"]), "target_actor": s(r["targetLabel"]),
            "target_country": s(r["targetIso"]), "target_wikidata": s(r["targetWd"]),
            "location": s(r["locationLabel"]), "quantity": s(r["qtyText"]), "money": s(r["moneyText"]),
            "sentence": " ".join(s(r["sentence"]).split()), "start": s(r["start"]), "end": s(r["end"]),
            "rule": s(r["rule"]), "trigger": s(r["trigger"]),
            "mentions": s(r["mentions"]), "sources": s(r["sources"]),
            "first_reported": s(r["firstReported"]), "last_reported": s(r["lastReported"]),
        }


def write_events_csv(store: Store, out: TextIO) -> int:
    """Write the events table as CSV; return the number of rows."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in event_rows(store):
        writer.writerow(row)
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
