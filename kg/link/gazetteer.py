"""The gazetteer: canonical entities (states, places, institutions, organisations, groups, people)
loaded from the TSV files in kg/data/gazetteer and validated on load.

The hand-made files are read first, then the files in kg/data/gazetteer/generated/ (imported
from external dictionaries by kg.dictionaries). Those carry a 12th column, `source`, and lose
every name a hand-made row already uses: the hand-made data always wins."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from kg.errors import DataError
from kg.link.offices import OfficeKinds, dated_offices, load_office_kinds
from kg.records import Entity

COLUMNS = ["id", "type", "label", "aliases", "demonyms", "country", "wikidata", "sector",
           "office", "valid_from", "valid_to"]
TYPES = {"State", "City", "Institution", "Organisation", "Mission", "ArmedGroup",
         "MilitaryContractor", "Person", "MilitaryBase"}
SECTORS = {"", "government", "military", "junta"}
FILES = ("states.tsv", "places.tsv", "institutions.tsv", "organisations.tsv",
         "armed_groups.tsv", "people.tsv")
GENERATED_DIR = "generated"
GENERATED_COLUMNS = [*COLUMNS, "source"]
_SOURCE = re.compile(r"^[\w.-]+:\d+$")  # dictionary file and line
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Entry:
    """One gazetteer row: the entity plus what the linker needs to know about it."""

    entity: Entity
    sector: str | None  # for institutions and capitals: which part of the state they stand for
    demonyms: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]  # (valid_from, valid_to) pairs; "" for an open bound
    source: str | None = None  # generated rows: the external dictionary's file:line

    @property
    def generated(self) -> bool:
        return self.source is not None

    def valid_on(self, day: dt.date | None) -> bool:
        """Whether the entry's role holds on `day` (always, when the day or the terms are unknown)."""
        if day is None or not self.terms:
            return True
        iso = day.isoformat()
        return any((not start or iso >= start) and (not end or iso <= end)
                   for start, end in self.terms)


@dataclass
class Gazetteer:
    """Entries by id and the surface forms (aliases, demonyms) that name them."""

    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # surface form -> entry ids
    demonyms: dict[str, str] = field(default_factory=dict)  # demonym -> state id
    surnames: dict[str, list[str]] = field(default_factory=dict)  # surname -> person ids
    # (office kind, state) -> (person id, terms of that office) for hand-made people
    offices: dict[tuple[str, str], list[tuple[str, tuple[tuple[str, str], ...]]]] = field(
        default_factory=dict)
    office_kinds: OfficeKinds | None = None

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def state(self, iso3: str) -> Entity | None:
        """The State entity for an ISO alpha-3 code."""
        entry = self.entries.get(iso3)
        return entry.entity if entry and entry.entity.type == "State" else None

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose label or alias is exactly `name` (case-insensitive fallback)."""
        ids = self.names.get(name) or self.names.get(name.lower(), [])
        return [self.entries[i] for i in ids]

    def person_by_surname(self, surname: str, day: dt.date | None) -> Entry | None:
        """The one person with this surname whose office holds on `day`, if exactly one."""
        found = [e for i in self.surnames.get(surname, []) if (e := self.entries[i]).valid_on(day)]
        return found[0] if len(found) == 1 else None

    def holder(self, kind: str, iso3: str, day: dt.date | None) -> Entity | None:
        """The one person who held office `kind` of state `iso3` on `day` (a term includes its
        first day, not its last, so that on a handover day the new holder holds it); None when
        the day is unknown or no one, or more than one, is known to have held it."""
        if day is None:
            return None
        iso = day.isoformat()
        found = {pid for pid, terms in self.offices.get((kind, iso3), [])
                 if any((not a or iso >= a) and (not b or iso < b) for a, b in terms)}
        return self.entries[found.pop()].entity if len(found) == 1 else None

    def state_named(self, name: str) -> str | None:
        """The ISO code of the state a name or demonym stands for ("Niger", "Nigerien")."""
        if name in self.demonyms:
            return self.demonyms[name]
        states = [e.entity.id for e in self.lookup(name) if e.entity.type == "State"]
        return states[0] if len(states) == 1 else None

    def surface_forms(self) -> Iterator[tuple[str, str, bool]]:
        """(surface form, entry id, is_demonym) for every name the linker should look for."""
        for name, ids in self.names.items():
            if name.islower() and name != name.upper():
                continue  # lower-cased duplicates are for lookup only
            for i in ids:
                yield name, i, False
        for name, state in self.demonyms.items():
            yield name, state, True


def _split(cell: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in cell.split("|") if p.strip())


def _parse_row(fname: str, lineno: int, row: dict[str, str]) -> Entry:
    def fail(reason: str) -> DataError:
        return DataError(f"{fname}:{lineno}: {reason}")

    if row["type"] not in TYPES:
        raise fail(f"unknown type {row['type']!r}")
    if not row["id"] or not row["label"]:
        raise fail("id and label are required")
    if row["type"] == "State" and not re.fullmatch(r"[A-Z]{3}", row["id"]):
        raise fail(f"state id {row['id']!r} is not an ISO 3166-1 alpha-3 code")
    if row["type"] != "State" and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", row["id"]):
        raise fail(f"id {row['id']!r} is not a lowercase slug")
    if row["wikidata"] and not re.fullmatch(r"Q\d+", row["wikidata"]):
        raise fail(f"bad Wikidata id {row['wikidata']!r}")
    if row["sector"] not in SECTORS:
        raise fail(f"unknown sector {row['sector']!r}")
    starts, ends = row["valid_from"].split("|"), row["valid_to"].split("|")
    if len(starts) != len(ends):
        raise fail("valid_from and valid_to must list the same number of terms")
    for col, values in (("valid_from", starts), ("valid_to", ends)):
        for value in values:
            if value and not _ISO_DATE.match(value):
                raise fail(f"{col} {value!r} is not an ISO date")
    terms = tuple((a, b) for a, b in zip(starts, ends) if a or b)
    source = row.get("source")
    if source is not None and not _SOURCE.match(source):
        raise fail(f"source {source!r} is not a file:line reference")
    entity = Entity(
        id=row["id"], type=row["type"], label=row["label"], country=row["country"] or None,
        wikidata=row["wikidata"] or None, aliases=_split(row["aliases"]), office=row["office"] or None,
    )
    return Entry(entity, row["sector"] or None, _split(row["demonyms"]), terms, source)


def parse_tsv(fname: str, text: str, generated: bool = False) -> Iterator[Entry]:
    """Parse one gazetteer file; raise DataError naming the file and line of any bad row.

    Args:
        fname: the file's name, for error messages.
        text: its content.
        generated: whether it is a generated file, whose rows end with a `source` column.
    """
    columns = GENERATED_COLUMNS if generated else COLUMNS
    lines = text.splitlines()
    if not lines or lines[0].split("\t") != columns:
        raise DataError(f"{fname}:1: header must be the columns {' '.join(columns)}")
    reader = csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE)
    for lineno, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            raise DataError(f"{fname}:{lineno}: expected {len(columns)} columns, found {len(cells)}")
        yield _parse_row(fname, lineno, dict(zip(columns, (c.strip() for c in cells))))


def curated_wins(curated: list[tuple[str, Entry]],
                 generated: list[tuple[str, Entry]]) -> list[tuple[str, Entry]]:
    """The generated entries without the names (labels, aliases, demonyms) that a hand-made entry
    or an earlier generated one already has, compared case-insensitively; an entry left with no
    name is dropped, one that lost its label is labelled by its first remaining alias."""
    taken = {n.lower() for _, e in curated
             for n in (e.entity.label, *e.entity.aliases, *e.demonyms)}
    kept: list[tuple[str, Entry]] = []
    for fname, entry in generated:
        ent = entry.entity
        names = [n for n in (ent.label, *ent.aliases) if n.lower() not in taken]
        if not names:
            continue
        taken.update(n.lower() for n in names)
        if len(names) != 1 + len(ent.aliases):
            entry = replace(entry, entity=replace(ent, label=names[0], aliases=tuple(names[1:])))
        kept.append((fname, entry))
    return kept


def build(entries: list[tuple[str, Entry]]) -> Gazetteer:
    """Index entries (with the file each came from) and check cross-references."""
    gaz = Gazetteer()
    for fname, entry in entries:
        eid = entry.entity.id
        if eid in gaz.entries:
            raise DataError(f"{fname}: duplicate id {eid!r}")
        gaz.entries[eid] = entry
    for fname, entry in entries:
        ent = entry.entity
        if ent.country and gaz.state(ent.country) is None:
            raise DataError(f"{fname}: {ent.id}: unknown country {ent.country!r}")
        for name in (ent.label, *ent.aliases):
            for key in {name, name.lower()}:
                ids = gaz.names.setdefault(key, [])
                if ent.id not in ids:
                    ids.append(ent.id)
        for dem in entry.demonyms:
            gaz.demonyms.setdefault(dem, ent.id)
        # Generated people are found by their full names only: their terms end with the
        # dictionary (an open term is "open in 2014"), and "Mohamed al-Kani" is not Mathieu Kani.
        if ent.type == "Person" and not entry.generated:
            for name in {n.split()[-1] for n in (ent.label, *ent.aliases) if " " in n}:
                ids = gaz.surnames.setdefault(name, [])
                if ent.id not in ids:
                    ids.append(ent.id)
    gaz.office_kinds = load_office_kinds()
    for _, entry in entries:
        if entry.entity.type == "Person" and entry.entity.office and not entry.generated:
            for office, terms in dated_offices(entry.entity.office, entry.terms):
                if terms and (held := gaz.office_kinds.kind_of(office, gaz.state_named)):
                    gaz.offices.setdefault(held, []).append((entry.entity.id, terms))
    return gaz


@functools.lru_cache(maxsize=1)
def _packaged() -> tuple[list[tuple[str, Entry]], list[tuple[str, Entry]]]:
    """The packaged hand-made and generated entries, each with its file's name."""
    folder = resources.files("kg") / "data" / "gazetteer"
    entries: list[tuple[str, Entry]] = []
    for name in FILES:
        res = folder / name
        if not res.is_file():
            raise DataError(f"gazetteer file missing: kg/data/gazetteer/{name}")
        entries.extend((name, e) for e in parse_tsv(name, res.read_text(encoding="utf-8")))
    generated: list[tuple[str, Entry]] = []
    gen_folder = folder / GENERATED_DIR
    if gen_folder.is_dir():
        for res in sorted((r for r in gen_folder.iterdir() if r.name.endswith(".tsv")),
                          key=lambda r: r.name):
            name = f"{GENERATED_DIR}/{res.name}"
            generated.extend((name, e) for e in
                             parse_tsv(name, res.read_text(encoding="utf-8"), generated=True))
    return entries, generated


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Load and validate the packaged gazetteer (cached per process)."""
    entries, generated = _packaged()
    return build(entries + curated_wins(entries, generated))


def gazetteer_with(folder: str | Path) -> Gazetteer:
    """The packaged gazetteer and a user's own TSV files (the hand-made files' columns), read
    after the packaged ones as hand-made rows: their names win over generated ones.

    Raises:
        DataError: the folder holds no .tsv file, a row is invalid (naming file and line), or
            an id is used twice.
    """
    paths = sorted(Path(folder).glob("*.tsv")) if Path(folder).is_dir() else []
    if not paths:
        raise DataError(f"{folder}: not a folder of gazetteer .tsv files")
    packaged, generated = _packaged()
    entries = packaged + [(str(path), e) for path in paths
                          for e in parse_tsv(str(path), path.read_text(encoding="utf-8"))]
    return build(entries + curated_wins(entries, generated))
