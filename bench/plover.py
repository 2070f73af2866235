#!/usr/bin/env python3
"""Benchmark kg on the PLOVER gold-standard sentences (PLOVER_GSR_CAMEO.txt).

The file (CC BY-SA 4.0, Open Event Data Alliance; see LICENSE-NOTE.txt beside it) is read in place
from the shared directory; nothing of it is copied into this repository.

Record format: one JSON array; the first object is a DOCUMENT header, every other object is one
coded sentence with `id`, `text`, `event` (a PLOVER 0.5b1 label), `eventText`, `source` and
`target` (lists of {actorText, code, sector}; `target` may be missing or a string). Mapping, as
LICENSE-NOTE.txt says, to the 2021 types: DEMAND -> REQUEST, DISAPPROVE and INVESTIGATE -> ACCUSE,
FIGHT -> ASSAULT; an AGREE whose eventText is a withdrawal ("willing to withdraw troops") is a
future withdrawal, which the 2021 manual codes CONCEDE, so it accepts AGREE or CONCEDE. Two records
(SANCTION-0010, COERCE-0002) carry `event` FIGHT while their id and sentence say SANCTION and
COERCE; they are tabled under their id's type and accept either type.

Actor codes are ISO 3166-1 alpha-3 in all but a few records: JAP, ITL and VTN (the records' Japan,
Italy and Vietnam) are mapped to JPN, ITA and VNM; IGO, NGO, IMG and ISM (organisations, militant
and religious groups) name no country. Codes are otherwise taken as the records give them.

A record is *found* when an asserted event that kg extracts from its sentence has one of the
record's types, a source country among the record's source codes and, where the record names a
target country, a target country among them (either order for AGREE, CONSULT and COOPERATE, as in
the shared scorer). Records whose source names no country (an IGO, a group, or no source) cannot
be found and are left out of both recall and precision. Precision is over the distinct
(type, source country, target country) triples of asserted events with a source country on the
scored sentences; a triple is correct when it finds a record of that sentence.

Usage (from the repository root):
    .venv/bin/python bench/plover.py [--gsr PATH] [--limit N] [--examples K]
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from _common import REPO, prf, ratio, run_stamp

from kg.export.table import format_table
from kg.extract.pipeline import extract_articles
from kg.records import Actor, Article, Event

DEFAULT_GSR = REPO.parent / "shared" / "external" / "plover" / "PLOVER_GSR_CAMEO.txt"
LABELS_2021 = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE",
               "FIGHT": "ASSAULT"}
CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
NO_COUNTRY = {"IGO", "NGO", "IMG", "ISM"}
SYMMETRIC = {"AGREE", "CONSULT", "COOPERATE"}
SECURITY = ("RETREAT", "MOBILIZE", "AID", "COERCE", "ASSAULT", "PROTEST", "SANCTION", "THREATEN")
Triple = tuple[str, str, str | None]  # (type, source country, target country or None)


@dataclass(frozen=True)
class Record:
    """One gold sentence, with its 2021 type(s) and its actors' country codes."""

    id: str
    text: str
    label: str  # the 0.5b1 label as given
    type: str  # its 2021 type (the table's row)
    types: frozenset[str]  # the 2021 types accepted
    sources: frozenset[str]
    targets: frozenset[str]  # empty: no target country given

    def found_by(self, t: Triple) -> bool:
        typ, src, tgt = t
        if typ not in self.types:
            return False
        if src in self.sources and (not self.targets or tgt in self.targets):
            return True
        return typ in SYMMETRIC and src in self.targets and tgt in self.sources


def countries(actors: object) -> frozenset[str]:
    """The country codes of a record's `source` or `target` field."""
    if not isinstance(actors, list):
        return frozenset()
    codes = (CODE_FIXES.get(a.get("code", ""), a.get("code", "")) for a in actors)
    return frozenset(c for c in codes if re.fullmatch(r"[A-Z]{3}", c) and c not in NO_COUNTRY)


def read_records(path: Path) -> list[Record]:
    """Every coded sentence of the GSR file (the DOCUMENT header skipped)."""
    records = []
    for obj in json.loads(path.read_text(encoding="utf-8")):
        if obj.get("event") == "DOCUMENT":
            continue
        label = obj["event"]
        id_label = obj["id"].split("-")[2]  # two records' ids name another type than `event`
        typ = LABELS_2021.get(id_label, id_label)
        types = {typ, LABELS_2021.get(label, label)}
        if typ == "AGREE" and "withdraw" in obj.get("eventText", "").lower():
            types.add("CONCEDE")
        records.append(Record(obj["id"], obj["text"], label, typ, frozenset(types),
                              countries(obj.get("source")), countries(obj.get("target"))))
    return records


def triple(e: Event) -> Triple | None:
    """An asserted event's (type, source country, target country), if it has a source country."""
    if e.modality != "asserted" or e.source is None or not e.source.country:
        return None
    return e.event_type, e.source.country, e.target.country if e.target else None


def extract(records: Iterable[Record], batch_size: int) -> dict[str, list[Event]]:
    """All events kg extracts from each record's sentence, by sentence (not by record id: two
    records with different sentences share the id COERCE-0004)."""
    articles = (Article(id=r.id, path=r.id, text=r.text) for r in records)
    return {x.article.text: list(x.events) for x in extract_articles(articles, batch_size)}


def show(actor: Actor | None) -> str:
    """An actor as its country code, else its label, else '-'."""
    return "-" if actor is None else actor.country or actor.entity.label


def why_missed(r: Record, events: list[Event]) -> str:
    """A short reason a record was not found, to guide rule work."""
    asserted = [t for t in map(triple, events) if t]
    if not asserted:
        if not events:
            return "no event"
        if any(e.modality == "asserted" for e in events):
            return "no source country"
        return "only " + "/".join(sorted({e.modality for e in events}))
    if any(r.found_by((typ, s, t)) for s, t in {(x[1], x[2]) for x in asserted} for typ in r.types):
        return "type " + "/".join(sorted({x[0] for x in asserted if x[0] not in r.types}))
    right_type = [x for x in asserted if x[0] in r.types]
    if r.targets and any(x[1] in r.sources and x[2] is None for x in right_type):
        return "no target"
    if right_type:
        return "actors"
    return "other type"


@dataclass
class Tally:
    """Counts per 2021 type: records and found (recall), predicted and correct (precision)."""

    records: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    labels: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    misses: defaultdict[str, list[tuple[Record, str]]] = field(
        default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, records: list[Record], events: dict[str, list[Event]]) -> Tally:
        """Score the extracted events against the records."""
        n = cls()
        by_text: defaultdict[str, list[Record]] = defaultdict(list)
        for r in records:
            by_text[r.text].append(r)
        # Records sharing a sentence (a few are coded twice) share its predictions.
        for group in by_text.values():
            triples = {t for r in group for t in map(triple, events[r.text]) if t}
            for r in group:
                n.records[r.type] += 1
                n.labels[r.type][r.label] += 1
                if any(r.found_by(t) for t in triples):
                    n.found[r.type] += 1
                else:
                    n.misses[r.type].append((r, why_missed(r, events[r.text])))
            for t in triples:
                n.predicted[t[0]] += 1
                n.correct[t[0]] += any(r.found_by(t) for r in group)
        return n

    def figures(self, types: Iterable[str]) -> tuple[float, float, float, int, int, int, int]:
        """P, R, F1, records, found, predicted, correct over `types`."""
        ts = list(types)
        c, p, f, g = (sum(n[t] for t in ts)
                      for n in (self.correct, self.predicted, self.found, self.records))
        return (*prf(c, p, f, g), g, f, p, c)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--gsr", type=Path, default=DEFAULT_GSR,
                        help="PLOVER_GSR_CAMEO.txt (default: ../shared/external/plover/ from the repo)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N records")
    parser.add_argument("--examples", type=int, default=1,
                        help="example sentences to print per missed type (default 1)")
    parser.add_argument("--batch-size", type=int, default=64, help="spaCy batch size")
    args = parser.parse_args(argv)
    if not args.gsr.is_file():
        raise SystemExit(f"no PLOVER gold-standard file at {args.gsr} (give --gsr PATH)")

    records = read_records(args.gsr)[: args.limit]
    scored = [r for r in records if r.sources]
    start = time.perf_counter()
    events = extract(scored, args.batch_size)
    seconds = time.perf_counter() - start

    tally = Tally.of(scored, events)
    print(f"PLOVER gold-standard sentences: {args.gsr}")
    print(f"{len(records)} records read, {len(scored)} scored ({len(records) - len(scored)} with no "
          f"source country left out); {len({r.text for r in scored})} sentences extracted in {seconds:.1f}s")

    print("\n== Per type (2021 types; recall by the record's type, precision by the predicted type)")
    rows = []
    n = tally
    for t in sorted(set(n.records) | set(n.predicted), key=lambda t: (-n.records[t], t)):
        f1 = n.figures([t])[2]
        from_labels = ", ".join(f"{lab} {k}" for lab, k in sorted(n.labels[t].items()))
        rows.append([t + (" *" if t in SECURITY else ""), str(n.records[t]), str(n.found[t]),
                     ratio(n.found[t], n.records[t]), str(n.predicted[t]), str(n.correct[t]),
                     ratio(n.correct[t], n.predicted[t]), f"{f1:.2f}", from_labels])
    print(format_table(["type (* security)", "records", "found", "recall", "predicted", "correct",
                        "precision", "F1", "0.5b1 labels"], rows, width=48))

    print("\n== Misses by type (reason: no event / only negated|hypothetical / no source country /"
          " type X = right actors, other type / no target = right type and source, no target /"
          " actors = right type, other actors / other type)")
    for t, missed in sorted(n.misses.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        reasons = Counter(why for _, why in missed)
        print(f"{t} {len(missed)}: " + ", ".join(f"{w} {k}" for w, k in reasons.most_common()))
        # Examples of the commonest reasons first.
        for r, why in sorted(missed, key=lambda m: -reasons[m[1]])[: args.examples]:
            got = "; ".join(sorted({f"{e.event_type} {e.modality} {show(e.source)}>{show(e.target)}"
                                    for e in events[r.text]})) or "nothing"
            print(f"    {r.id} [{why}] gold {'|'.join(sorted(r.types))} "
                  f"{'|'.join(sorted(r.sources))}>{'|'.join(sorted(r.targets)) or '-'}; "
                  f"kg: {got}\n      {r.text}")

    print()
    summary = []
    for name, types in (("overall", n.records.keys() | n.predicted.keys()),
                        ("security", SECURITY)):
        prec, rec, f1, gold, found, pred, correct = n.figures(types)
        print(f"{name:8}: P={prec:.2f} R={rec:.2f} F1={f1:.2f} (records {gold}, found {found}; "
              f"predicted {pred}, correct {correct})")
        summary.append(f"{name} P={prec:.2f} R={rec:.2f} F1={f1:.2f}")
    print(run_stamp())
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/plover.py",
                                                 *(sys.argv[1:] if argv is None else argv)])
    print(f"reproduce: {command}")
    print(f"plover: {'; '.join(summary)} ({len(scored)} records)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
