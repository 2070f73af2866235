"""Offices held by people of the gazetteer: kinds of office (kg/data/gazetteer/offices.yaml) and
the reading of a person's free-text `office` cell as dated (kind, state) pairs.

"Prime Minister of Ukraine (to 2025-07-17), Defence Minister of Ukraine from 2025-07-17", held
2020-03-04 to now, is the prime minister of UKR until 2025-07-17 and its defence minister since.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources

import yaml

from kg.errors import DataError

FILE = "offices.yaml"
_KIND_KEYS = {"offices", "titles"}
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
# an office's own dates, in brackets after it or as "from DATE": "(2019-10-23 to 2024-10-20)"
_QUALIFIER = re.compile(rf"(?:(?:from )?(?P<a>{_DATE}))?(?: ?to (?P<b>{_DATE}))?")
_CLAUSE = re.compile(r"(?P<office>[^()]+?)\s*(?:\((?P<note>[^()]*)\))?\s*(?P<tail>from \S+)?")

Terms = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class OfficeKinds:
    """Office kinds by the office names the gazetteer uses and by the titles news uses."""

    offices: dict[str, str]  # lower-cased office name -> kind
    titles: dict[str, str]  # lower-case title -> kind
    not_holder: frozenset[str]  # modifiers of a title that name someone else than the holder
    title_words: frozenset[str] = frozenset()  # words before a name that are no given name

    def kind_of(self, office: str, state_named: Callable[[str], str | None]
                ) -> tuple[str, str] | None:
        """(kind, state) of one office name ("President of Niger", "Saudi Foreign Minister")."""
        low = office.strip().lower()
        for name in sorted(self.offices, key=len, reverse=True):
            if low.startswith(name + " of "):
                rest = office.strip()[len(name) + 4:]
                rest = rest[4:] if rest.lower().startswith("the ") else rest
                if (iso := state_named(rest)) is not None:
                    return self.offices[name], iso
            if low.endswith(" " + name) and (iso := state_named(office.strip()[:-len(name) - 1])):
                return self.offices[name], iso
        return None


def parse_office_kinds(fname: str, text: str) -> OfficeKinds:
    """Read and validate an office kinds file; raise DataError naming the file and the reason."""
    def fail(reason: str) -> DataError:
        return DataError(f"{fname}: {reason}")

    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not {"kinds", "not_holder"} <= set(data) <= {
            "kinds", "not_holder", "title_words"}:
        raise fail("expected exactly the sections kinds and not_holder (and, optionally, "
                   "title_words)")
    if not isinstance(data["kinds"], dict) or not data["kinds"]:
        raise fail("kinds must map office kinds to their offices and titles")
    offices: dict[str, str] = {}
    titles: dict[str, str] = {}
    for kind, spec in data["kinds"].items():
        if not isinstance(spec, dict) or set(spec) != _KIND_KEYS:
            raise fail(f"kind {kind!r} must have exactly the keys offices and titles")
        for key, into in (("offices", offices), ("titles", titles)):
            values = spec[key]
            if not isinstance(values, list) or not values or \
                    not all(isinstance(v, str) and v.strip() for v in values):
                raise fail(f"kind {kind!r}: {key} must be a non-empty list of words")
            for value in values:
                if key == "titles" and value != value.lower():
                    raise fail(f"kind {kind!r}: title {value!r} is not lower-case")
                if (other := into.get(value.lower())) is not None:
                    raise fail(f"{key[:-1]} {value!r} belongs to both {other!r} and {kind!r}")
                into[value.lower()] = kind
    lists = {}
    for section in ("not_holder", "title_words"):
        words = data.get(section, [])
        if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower()
                                                  for w in words):
            raise fail(f"{section} must be a list of lower-case words")
        lists[section] = frozenset(words)
    return OfficeKinds(offices, titles, lists["not_holder"], lists["title_words"])


@functools.lru_cache(maxsize=1)
def load_office_kinds() -> OfficeKinds:
    """The packaged office kinds (cached per process)."""
    res = resources.files("kg") / "data" / "gazetteer" / FILE
    if not res.is_file():
        raise DataError(f"office kinds file missing: kg/data/gazetteer/{FILE}")
    return parse_office_kinds(FILE, res.read_text(encoding="utf-8"))


def _clauses(office: str) -> Iterator[str]:
    """The offices a cell lists, split at commas and "and" outside brackets."""
    depth, start = 0, 0
    for i, ch in enumerate(office):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and (office.startswith(", ", i) or office.startswith(" and ", i)):
            yield office[start:i]
            start = i + (2 if ch == "," else 5)
    yield office[start:]


def _narrowed(terms: Terms, start: str, end: str) -> Terms:
    """The terms cut to [start, end] ("" is open)."""
    out = []
    for a, b in terms:
        a2 = max(a, start) if a and start else a or start
        b2 = min(b, end) if b and end else b or end
        if not (a2 and b2 and a2 >= b2):
            out.append((a2, b2))
    return tuple(out)


def dated_offices(office: str, terms: Terms) -> Iterator[tuple[str, Terms]]:
    """Each office a cell names, with the terms it was held: the first over the row's terms
    (cut to its own dates, if any), a later one only from its own start date to the row's end."""
    for n, clause in enumerate(_clauses(office)):
        m = _CLAUSE.fullmatch(clause.strip())
        if m is None:
            continue
        qual = m["tail"] or m["note"] or ""
        q = _QUALIFIER.fullmatch(qual.strip())
        start, end = (q["a"] or "", q["b"] or "") if q else ("", "")
        if n == 0:
            yield m["office"], _narrowed(terms, start, end) if q else terms
        elif start and terms:
            yield m["office"], ((start, end or terms[-1][1]),)
