"""Build kg gazetteer rows from the Phoenix actor dictionaries and write them to
kg/data/gazetteer/generated/ (see the README written there)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from kg.dictionaries import phoenix
from kg.dictionaries.names import clean_name, is_usable
from kg.errors import DataError, KGError
from kg.link.gazetteer import COLUMNS, parse_tsv

DICTIONARY_DIR = Path("petrarch2") / "dictionaries"
PREFIX = "phx-"
# Persons are imported if a government or military role of theirs ran to this day or later.
PERSON_ROLE_END = dt.date(1980, 1, 1)
SECTORS = {"GOV": "government", "MIL": "military"}
WORDS_FILE = "phoenix.yaml"
WORD_LISTS = ("title_words", "org_words", "office_words", "kunya_words", "group_kunyas")


@functools.lru_cache(maxsize=1)
def word_lists() -> dict[str, frozenset[str]]:
    """The word lists of kg/data/dictionaries/phoenix.yaml, validated.

    Raises:
        DataError: on a missing or unknown list, or a list that is not of upper-case words.
    """
    text = (resources.files("kg") / "data" / "dictionaries" / WORDS_FILE).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    where = f"kg/data/dictionaries/{WORDS_FILE}"
    if not isinstance(data, dict) or set(data) != set(WORD_LISTS):
        raise DataError(f"{where}: expected exactly the keys {', '.join(WORD_LISTS)}")
    for key, words in data.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w == w.upper() for w in words):
            raise DataError(f"{where}: {key}: expected a list of upper-case words")
    return {key: frozenset(words) for key, words in data.items()}


@dataclass(frozen=True)
class Row:
    """One generated gazetteer row (the 11 curated columns plus its source line)."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...]
    source: str
    country: str = ""
    office: str = ""
    valid_from: tuple[str, ...] = ()
    valid_to: tuple[str, ...] = ()

    def cells(self) -> list[str]:
        values = {"id": self.id, "type": self.type, "label": self.label,
                  "aliases": "|".join(self.aliases), "country": self.country, "office": self.office,
                  "valid_from": "|".join(self.valid_from), "valid_to": "|".join(self.valid_to)}
        return [values.get(col, "") for col in COLUMNS] + [self.source]


def english_words() -> Callable[[str], bool]:
    """A test for ordinary English words: the WordNet lemmas and stop words of the spaCy model."""
    from kg.nlp.pipeline import load_nlp  # the model is only needed to import, not to load

    nlp = load_nlp()
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")  # type: ignore[attr-defined]
    words = {w for pos in index.values() for w in pos if "_" not in w}
    words |= set(nlp.Defaults.stop_words)
    return lambda w: w in words


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _names(raws: Iterable[str], is_word: Callable[[str], bool],
           keep: Callable[[str], bool] = lambda raw: True) -> list[str]:
    """Clean, filter and de-duplicate names (case-insensitively), first spelling kept."""
    out: dict[str, str] = {}
    for raw in raws:
        if not keep(raw):
            continue
        clean = clean_name(raw)
        for name in (clean.text, *clean.acronyms):
            if is_usable(name, is_word):
                out.setdefault(name.lower(), name)
    return list(out.values())


def _is_not_kunya(raw: str) -> bool:
    words = [w for w in re.split(r"[_\s]+", raw.upper().strip("_ ")) if w]
    return not (len(words) == 2 and words[0] in word_lists()["kunya_words"]
                and "_".join(words) not in word_lists()["group_kunyas"])


def armed_groups(records: Iterable[phoenix.ActorRecord], is_word: Callable[[str], bool]) -> Iterator[Row]:
    """Every MilNonState record with a usable name, as an ArmedGroup with no country: these groups
    are not instruments of a state."""
    for rec in records:
        names = _names((rec.name, *rec.synonyms), is_word, keep=_is_not_kunya)
        if names:
            yield Row(PREFIX + _slug(names[0]), "ArmedGroup", names[0], tuple(names[1:]), rec.source)


def _is_org_name(raw: str) -> bool:
    words = set(re.split(r"[_\s]+", raw.upper().strip("_ ")))
    if words & word_lists()["office_words"]:
        return False
    return bool(words & word_lists()["org_words"]) or (len(words) == 1 and len(raw.strip("_ ")) <= 8)


def organisations(records: Iterable[phoenix.ActorRecord], is_word: Callable[[str], bool]) -> Iterator[Row]:
    """International records that are intergovernmental organisations: all codes IGO..., no dated
    roles (those are people), and a name that says it is a body."""
    for rec in records:
        if not rec.roles or any(not r.code.startswith("IGO") or r.dated for r in rec.roles) \
                or not _is_org_name(rec.name):
            continue
        names = _names((rec.name, *rec.synonyms), is_word, keep=_is_org_name)
        if names:
            yield Row(PREFIX + _slug(names[0]), "Organisation", names[0], tuple(names[1:]), rec.source)


def _is_person_name(raw: str) -> bool:
    words = [w for w in re.split(r"[_\s]+", raw.upper().strip("_ ")) if w]
    return len(words) >= 2 and not (set(words) & word_lists()["title_words"])


def people(records: Iterable[phoenix.ActorRecord], states: dict[str, str]) -> Iterator[Row]:
    """Office holders of Countries.actors with a dated government or military role that ran to
    PERSON_ROLE_END or later, with the state of their latest such role; full names only.

    Args:
        records: the Countries.actors records.
        states: ISO alpha-3 code -> label, of the gazetteer's states.
    """
    for rec in records:
        roles = [r for r in rec.roles if r.dated and r.code[3:6] in SECTORS and r.code[:3] in states]
        if not roles or not _is_person_name(rec.name):
            continue
        latest = max(roles, key=lambda r: (r.end or dt.date.max, r.start or dt.date.min))
        if latest.end is not None and latest.end < PERSON_ROLE_END:
            continue
        country = latest.code[:3]
        terms = sorted({(r.start.isoformat() if r.start else "", r.end.isoformat() if r.end else "")
                        for r in roles if r.code[:3] == country})
        # Full names of two or more words only, matched as written: "Grace Hope" is a name even
        # though both words are English ones, so the two-word test is off for people.
        names = _names((rec.name, *rec.synonyms), lambda w: False, keep=_is_person_name)
        names = [n for n in names if len(n.split()) >= 2]
        if not names:
            continue
        sectors = sorted({SECTORS[r.code[3:6]] for r in roles if r.code[:3] == country})
        office = f"{' and '.join(sectors)} of {states[country]}"
        yield Row(PREFIX + _slug(names[0]), "Person", names[0], tuple(names[1:]), rec.source,
                  country=country, office=office[:1].upper() + office[1:],
                  valid_from=tuple(t[0] for t in terms), valid_to=tuple(t[1] for t in terms))


def _unique(rows: list[Row], taken: set[str], names: set[str]) -> list[Row]:
    """Rows with ids made unique (``phx-x``, ``phx-x-2`` ...) and every surface form given to
    its first row only (case-insensitively); a row left with no name is dropped."""
    out = []
    for row in rows:
        kept = [n for n in (row.label, *row.aliases) if n.lower() not in names]
        if not kept:
            continue
        names.update(n.lower() for n in kept)
        if kept[0] != row.label or len(kept) != 1 + len(row.aliases):
            row = Row(**{**row.__dict__, "label": kept[0], "aliases": tuple(kept[1:]),
                         "id": PREFIX + _slug(kept[0])})
        new, n = row.id, 1
        while new in taken:
            n += 1
            new = f"{row.id}-{n}"
        taken.add(new)
        out.append(row if new == row.id else Row(**{**row.__dict__, "id": new}))
    return out


def _curated_states() -> dict[str, str]:
    res = resources.files("kg") / "data" / "gazetteer" / "states.tsv"
    return {e.entity.id: e.entity.label
            for e in parse_tsv("states.tsv", res.read_text(encoding="utf-8"))}


def generate(source: Path) -> dict[str, list[Row]]:
    """The generated files' rows by file name, from the dictionaries under `source`.

    Raises:
        KGError: if the dictionary folder is missing.
    """
    folder = source / DICTIONARY_DIR
    if not (folder / phoenix.MIL_NON_STATE).is_file():
        raise KGError(f"no Phoenix dictionaries in {folder}")
    is_word = english_words()
    taken: set[str] = set()
    names: set[str] = set()
    return {
        "armed_groups.tsv": _unique(list(armed_groups(phoenix.read_mil_non_state(folder), is_word)),
                                    taken, names),
        "organisations.tsv": _unique(list(organisations(phoenix.read_international(folder), is_word)),
                                     taken, names),
        "people.tsv": _unique(list(people(phoenix.read_countries(folder), _curated_states())),
                              taken, names),
    }


def render(rows: list[Row]) -> str:
    """A generated TSV file's text: the curated header plus ``source``, one row a line."""
    lines = ["\t".join([*COLUMNS, "source"])] + ["\t".join(r.cells()) for r in rows]
    return "\n".join(lines) + "\n"


README = """# Generated gazetteer files

Do not edit these files: regenerate them with

    python -m kg.dictionaries --source ../shared/external

(`--source` is the folder that holds `petrarch2/dictionaries/`). The loader reads them after the
hand-made files; a hand-made name always wins (see `kg/link/gazetteer.py`).

## Origin

Derived from the Phoenix actor dictionaries of PETRARCH2:
https://github.com/openeventdata/petrarch2, commit {commit}, folder `data/dictionaries/`.

| file | from | content |
|------|------|---------|
| `armed_groups.tsv` | `Phoenix.MilNonState.actors.txt` | non-state armed groups (`ArmedGroup`, no country) |
| `organisations.tsv` | `Phoenix.International.actors.txt` | intergovernmental organisations (`Organisation`) |
| `people.tsv` | `Phoenix.Countries.actors.txt` | people with a government or military role that ran to {person_end} or later (`Person`) |

Columns are those of `../README.md` plus `source`: the dictionary file and line of the entry a
row comes from. Names were cleaned (title case, acronyms kept, a leading "the" dropped) and
names that would match ordinary words were left out; see `kg/dictionaries/names.py`. The
dictionaries end around 2014-2018: an empty `valid_to` means "open when the dictionary was
made", not "in office today".

Generated on {date}. Rows: {counts}.

## Licence

The dictionaries are released under the MIT licence; this derived data keeps their notice:

    The MIT License (MIT)

    Copyright (c) 2014 Open Event Data

    Permission is hereby granted, free of charge, to any person obtaining a copy of
    this software and associated documentation files (the "Software"), to deal in
    the Software without restriction, including without limitation the rights to
    use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of
    the Software, and to permit persons to whom the Software is furnished to do so,
    subject to the following conditions:

    The above copyright notice and this permission notice shall be included in all
    copies or substantial portions of the Software.

    THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
    IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS
    FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
    COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
    IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
    CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _commit(source: Path) -> str:
    note = source / DICTIONARY_DIR / "LICENSE-NOTE.txt"
    m = re.search(r"Commit\s*:\s*([0-9a-f]{40}(?: \([0-9-]+\))?)", note.read_text(encoding="utf-8")) \
        if note.is_file() else None
    return m.group(1) if m else "unknown"


def write(source: Path, target: Path, today: dt.date | None = None) -> dict[str, int]:
    """Regenerate every file in `target` from the dictionaries under `source`; rows per file."""
    files = generate(source)
    target.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (target / name).write_text(render(rows), encoding="utf-8", newline="\n")
    counts = {name: len(rows) for name, rows in files.items()}
    readme = README.format(commit=_commit(source), person_end=PERSON_ROLE_END.isoformat(),
                           date=(today or dt.date.today()).isoformat(),
                           counts=", ".join(f"`{n}` {c}" for n, c in counts.items()))
    (target / "README.md").write_text(readme, encoding="utf-8", newline="\n")
    return counts
