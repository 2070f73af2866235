"""Import PETRARCH2's CAMEO verb-pattern dictionary as dependency-role records.

CAMEO.2.0.txt lists synonym sets (``&NAME`` then ``+WORD`` lines), then verb blocks
(``---  VERB   [code]  ---``, the block's verbs with their irregular forms, and patterns such as
``- * TROOPS FROM + [0874]``). A pattern is a word sequence for PETRARCH's constituency parses;
here each is read as constraints on the verb's dependents instead:

- words before ``*`` constrain the subject's head (``&MILITARY *``); ``$`` there is the source;
- a bare word after ``*`` is the object's head (``* TROOPS`` -> dobj lemma ``troop``), a
  ``{A B}`` group an object with head ``B`` and modifier ``A``; ``OUT``/``UP``... straight after
  ``*`` is a particle;
- a preposition, bare or in ``( )``, is a prep child of the verb or its object, and what follows
  it its object: words (its head), ``+`` (the target) or ``$`` (the source);
- ``+`` straight after ``*`` is the direct object as target; with no ``+`` at all the target is
  the direct object where the pattern names none, else the object of a preposition.

Patterns whose target or source cannot be placed (``+`` before ``*``, ``+`` inside an object
phrase) are left out, and so are codes the CAMEO-to-PLOVER crosswalk maps to no type. Each record
keeps the dictionary line it came from. Regenerate with ``python -m kg.dictionaries cameo``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.errors import DataError

CAMEO_FILE = Path("petrarch2") / "dictionaries" / "CAMEO.2.0.txt"
CROSSWALK_FILE = Path("plover") / "CAMEO2PLOVER-2021.txt"
LICENSE_NOTE = Path("petrarch2") / "dictionaries" / "LICENSE-NOTE.txt"
OUTPUT = Path("kg") / "data" / "rules" / "generated" / "cameo_verbs.jsonl"

PREPOSITIONS = frozenset({
    "about", "across", "after", "against", "along", "among", "as", "at", "before", "behind",
    "between", "by", "despite", "during", "for", "from", "in", "inside", "into", "near", "of",
    "on", "onto", "over", "through", "to", "toward", "towards", "under", "until", "upon", "with",
    "within", "without"})
PARTICLES = frozenset({"out", "up", "down", "off", "back", "away", "aside", "forward", "in", "on",
                       "over"})

_HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
_PATTERN = re.compile(r"^-\s*(.*?)\s*\[([^\]]*)\]\s*(?:#\s*(.*))?$")
_VERB = re.compile(r"^(\+?)([A-Z][A-Z_'-]*)\s*(\{[^}]*\})?\s*(?:\[([^\]]*)\])?\s*(?:#.*)?$")
_TOKEN = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")


@dataclass(frozen=True)
class Prep:
    """A preposition the pattern needs on the verb (or its object), and what its object is."""

    prep: str
    pobj: tuple[str, ...] = ()  # head words of its object ([] for any)
    role: str | None = None  # "target" or "source" where + or $ is its object


@dataclass(frozen=True)
class VerbPattern:
    """One pattern of one verb, mapped onto dependency roles."""

    id: str
    line: int
    verb: str  # lower-case lemma
    forms: tuple[str, ...]  # its other (irregular) forms, lower-case
    particle: str | None  # "call off": the particle the verb needs
    code: str  # CAMEO code
    plover: str  # PLOVER type via the crosswalk
    source: str  # "agent" or "prep:<p>"
    target: str  # "dobj", "prep:<p>", or "prep:*" (the object of any preposition)
    subject: tuple[str, ...] = ()  # head words the subject must have ([] for any)
    object: tuple[str, ...] = ()  # head words the direct object must have
    object_words: tuple[str, ...] = ()  # further words in the object phrase
    preps: tuple[Prep, ...] = field(default_factory=tuple)
    pattern: str | None = None  # the pattern as written (None: the verb's default code)


class Unsupported(Exception):
    """A pattern whose roles cannot be placed on a dependency parse."""


def singular(word: str) -> str:
    """A naive English singular, enough to meet spaCy's lemma of a plural noun."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _words(item: str, synsets: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The lower-case words (and their singulars) one dictionary item stands for."""
    if item.startswith("&"):
        name = item.rstrip("_")
        if name not in synsets:
            raise Unsupported(f"unknown synonym set {item}")
        return synsets[name]
    word = item.strip("_").lower().replace("_", " ")
    if " " in word:  # a multi-word item: its last word heads it
        word = word.split()[-1]
    return tuple(sorted({word, singular(word)}))


def parse_crosswalk(text: str) -> dict[str, str]:
    """CAMEO code -> PLOVER type from CAMEO2PLOVER-2021.txt."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        m = re.match(r"^(\d+):\s*([A-Z]+)?\s*,", line)
        if m and m.group(2):
            out.setdefault(m.group(1), m.group(2))
    return out


def parse_synsets(lines: list[str]) -> dict[str, tuple[str, ...]]:
    """The synonym sets: &NAME -> the single words of its +WORD lines (multi-word members,
    which name a phrase the parse cannot match word by word, are left out)."""
    sets: dict[str, set[str]] = {}
    current: str | None = None
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&"):
            current = line.split()[0].rstrip("_")
            sets[current] = set()
        elif line.startswith("+") and current is not None:
            word = line[1:].split()[0].strip("_").lower()
            if word and "_" not in word:
                sets[current] |= {word, singular(word)}
        elif line.startswith("####### VERB"):
            break
    return {k: tuple(sorted(v)) for k, v in sets.items() if v}


def _code(raw: str) -> str | None:
    """The source-to-target code of "[042:043]" (the second reads the event the other way)."""
    code = raw.split(":", 1)[0].strip()
    return code if code.isdigit() else None


def read_pattern(body: str, synsets: dict[str, tuple[str, ...]]) -> dict[str, object]:
    """The dependency roles of one pattern body such as ``* TROOPS FROM +``; raises
    Unsupported where a target or source cannot be placed."""
    items = _TOKEN.findall(body)
    if "*" not in items:
        raise Unsupported("no verb position")
    star = items.index("*")
    before, after = items[:star], items[star + 1:]
    if "+" in before or any("+" in i for i in before if i[0] in "{("):
        raise Unsupported("target before the verb")
    subject = tuple(w for i in before if i not in {"$", "^"} for w in _words(
        i.strip("{}").split()[-1], synsets))
    out: dict[str, object] = {"source": "agent", "target": None, "subject": subject,
                              "object": (), "object_words": (), "preps": [], "particle": None}
    preps: list[Prep] = []
    current: dict[str, object] | None = None  # a bare preposition collecting its object

    def close() -> None:
        nonlocal current
        if current is not None:
            preps.append(Prep(str(current["prep"]), tuple(current["pobj"]),  # type: ignore[arg-type]
                              current["role"]))  # type: ignore[arg-type]
            current = None

    for n, item in enumerate(after):
        low = item.lower()
        if item.startswith("("):
            close()
            inner = item[1:-1].split()
            if not inner or inner[0].lower() not in PREPOSITIONS:
                raise Unsupported(f"group {item} does not start with a preposition")
            role = "target" if "+" in inner else "source" if "$" in inner else None
            words = [w for w in inner[1:] if w not in {"+", "$", "^"}]
            if role and words:
                raise Unsupported(f"a role inside a phrase {item}")
            pobj = _words(words[-1].strip("{}"), synsets) if words else ()
            preps.append(Prep(inner[0].lower(), pobj, role))
            continue
        if item == "^":
            continue
        if item in {"+", "$"}:
            role = "target" if item == "+" else "source"
            if current is not None and not current["pobj"]:
                current["role"] = role
                close()
            elif n == 0 and item == "+":
                if len(after) > 1 and not after[1].startswith("(") and \
                        after[1].lower() not in PREPOSITIONS:
                    raise Unsupported("target inside the object phrase")
                out["target"] = "dobj"
            elif preps and preps[-1].pobj == () and preps[-1].role is None:
                preps[-1] = Prep(preps[-1].prep, (), role)  # "* CLAIM (AGAINST) +"
            else:
                raise Unsupported(f"cannot place {item}")
            continue
        if n == 0 and low in PARTICLES and low not in PREPOSITIONS - {"in", "on", "over"} and \
                len(after) > 1:
            out["particle"] = low
            continue
        if low in PREPOSITIONS:
            close()
            current = {"prep": low, "pobj": [], "role": None}
            continue
        if item.startswith("{"):
            parts = item[1:-1].split()
            if not parts:
                continue
            head, mods = parts[-1], parts[:-1]
        else:
            head, mods = item, []
        if current is not None:
            current["pobj"] = list(_words(head, synsets))
            close()
        elif not out["object"]:
            out["object"] = _words(head, synsets)
            out["object_words"] = tuple(w for m in mods if not m.startswith("&")
                                        for w in _words(m, synsets)[:1])
        else:
            raise Unsupported("more than one object")
    if current is not None:
        close()
    for p in preps:
        if p.role == "target":
            if out["target"]:
                raise Unsupported("two targets")
            out["target"] = f"prep:{p.prep}"
        elif p.role == "source":
            out["source"] = f"prep:{p.prep}"
    if out["target"] is None:  # "* (TO)": an empty preposition is where the target stands
        bare = next((p for p in preps if not p.pobj and p.role is None), None)
        out["target"] = f"prep:{bare.prep}" if bare is not None else \
            "prep:*" if out["object"] else "dobj"
    out["preps"] = [p for p in preps if p.role is None and (p.pobj or out["target"] != f"prep:{p.prep}")]
    return out


def _verb_line(line: str) -> tuple[str, str | None, tuple[str, ...], str | None] | None:
    """(lemma, particle, forms, code) of a verb line such as ``+CALL_OFF [160]``."""
    m = _VERB.match(line.strip())
    if not m:
        return None
    words = m.group(2).lower().split("_")
    words = [w for w in words if w]
    if not words:
        return None
    forms = tuple(f.lstrip("+").lower().split("_")[0]
                  for f in (m.group(3) or "{}")[1:-1].split() if f.strip())
    particle = " ".join(words[1:]) or None
    return words[0], particle, forms, m.group(4)


def parse_dictionary(text: str, crosswalk: dict[str, str]) -> Iterator[VerbPattern]:
    """Every usable verb pattern of CAMEO.2.0.txt, in file order."""
    lines = text.splitlines()
    synsets = parse_synsets(lines)
    start = next((i for i, ln in enumerate(lines) if ln.startswith("####### VERB")), None)
    if start is None:
        raise DataError("CAMEO.2.0.txt: no '####### VERB PATTERNS' section")
    block: list[tuple[str, str | None, tuple[str, ...], int, str | None]] = []
    block_code: str | None = None
    block_line = 0
    block_verb = ""

    def records(verbs: list[tuple[str, str | None, tuple[str, ...], int, str | None]],
                code: str | None, lineno: int, roles: dict[str, object],
                pattern: str | None) -> Iterator[VerbPattern]:
        plover = crosswalk.get(code or "")
        if plover is None:
            return
        for verb, particle, forms, _, _ in verbs:
            part = roles.get("particle") or particle
            yield VerbPattern(
                id=f"cameo:{code}:{lineno}" + (f":{verb}" if len(verbs) > 1 else ""),
                line=lineno, verb=verb, forms=forms, particle=part,  # type: ignore[arg-type]
                code=code or "", plover=plover, source=str(roles["source"]),
                target=str(roles["target"]), subject=tuple(roles["subject"]),  # type: ignore[arg-type]
                object=tuple(roles["object"]),  # type: ignore[arg-type]
                object_words=tuple(roles["object_words"]),  # type: ignore[arg-type]
                preps=tuple(roles["preps"]), pattern=pattern)  # type: ignore[arg-type]

    default: dict[str, object] = {"source": "agent", "target": "dobj", "subject": (), "object": (),
               "object_words": (), "preps": [], "particle": None}
    for i in range(start + 1, len(lines)):
        raw, lineno = lines[i], i + 1
        if raw.startswith("######## TRANSFORMATIONS"):
            break
        if m := _HEADER.match(raw):
            block, block_code, block_line = [], _code(m.group(2)), lineno
            block_verb = m.group(1).lower()
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("-"):
            m = _PATTERN.match(stripped)
            if not m:
                continue
            code = _code(m.group(2))
            if code is None or not block:
                continue
            note = (m.group(3) or "").split()
            named = note[0].lower() if note else ""
            # the verb the pattern was written for, where the note names one of the block's
            verbs = [v for v in block if v[0] == named and not v[1]] or block
            try:
                roles = read_pattern(m.group(1), synsets)
            except Unsupported:
                continue
            yield from records(verbs, code, lineno, roles, "- " + " ".join(m.group(1).split()))
            continue
        verb = _verb_line(stripped)
        if verb is None:
            continue
        lemma, particle, forms, code = verb
        entry = (lemma, particle, forms, lineno, code)
        block.append(entry)
        own = _code(code) if code else None
        if own is not None:  # the verb's own code: it alone, with its object as target
            yield from records([entry], own, lineno, default, None)
        elif block_code is not None and code is None and block_verb == lemma:
            # a block's code is its head verb's own: its synonyms share patterns, not codes
            # (measured: "push", "join", "take" under DEMAND, ASSEMBLE, TAKE_CONTROL misfire)
            yield from records([entry], block_code, block_line, default, None)


def to_json(p: VerbPattern) -> str:
    """One JSONL line; empty fields left out."""
    data = {k: v for k, v in asdict(p).items() if v not in ((), None, [])}
    data["preps"] = [{k: v for k, v in prep.items() if v not in ((), None, [])}
                     for prep in data.get("preps", [])]
    if not data["preps"]:
        del data["preps"]
    return json.dumps(data, ensure_ascii=False, sort_keys=False)


def generate(source: Path) -> tuple[str, int]:
    """The JSONL text of the generated file from the shared dictionaries under `source`, and the
    number of records."""
    for rel in (CAMEO_FILE, CROSSWALK_FILE):
        if not (source / rel).is_file():
            raise DataError(f"missing {source / rel}")
    crosswalk = parse_crosswalk((source / CROSSWALK_FILE).read_text(encoding="utf-8"))
    text = (source / CAMEO_FILE).read_text(encoding="latin-1")
    seen: set[str] = set()
    out: list[str] = []
    for p in parse_dictionary(text, crosswalk):
        key = json.dumps({**asdict(p), "id": None, "line": None}, sort_keys=True)
        if key in seen:  # the dictionary repeats some patterns verbatim
            continue
        seen.add(key)
        out.append(to_json(p))
    return "\n".join(out) + "\n", len(out)


README = """\
# Generated rule data: do not edit

`cameo_verbs.jsonl` is generated by `kg/dictionaries/cameo.py` from PETRARCH2's CAMEO verb-pattern
dictionary and the PLOVER project's CAMEO-to-PLOVER crosswalk. One verb pattern a line, mapped onto
dependency roles (subject, direct object, prepositions), with the CAMEO code, its PLOVER type and
the `line` of CAMEO.2.0.txt it came from (the rule id `cameo:<code>:<line>` names both).

Regenerate (from the repository root, with the shared sources beside it):

    python -m kg.dictionaries cameo --source ../shared/external

## Origin
- `CAMEO.2.0.txt`: https://github.com/openeventdata/petrarch2, commit
  676801cd9cb2924bbbad09f86d15c9323e7097bf (2019-03-18), `petrarch2/data/dictionaries/`.
- `CAMEO2PLOVER-2021.txt`: https://github.com/openeventdata/PLOVER, last changed in commit
  e834df5b3a302f99af1f23cda08fa34b383ca598 (2021-09-17).
- Generated: {date} ({count} patterns).

## Licences
The CAMEO dictionary is under the MIT licence; this derived data keeps its notice:

> The MIT License (MIT)
>
> Copyright (c) 2014 Open Event Data
>
> Permission is hereby granted, free of charge, to any person obtaining a copy of this software
> and associated documentation files (the "Software"), to deal in the Software without
> restriction, including without limitation the rights to use, copy, modify, merge, publish,
> distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
> Software is furnished to do so, subject to the following conditions:
>
> The above copyright notice and this permission notice shall be included in all copies or
> substantial portions of the Software.
>
> THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
> BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
> NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
> DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
> OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

The `plover` field comes from the CAMEO2PLOVER-2021 crosswalk of the PLOVER project, licensed
under Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0,
https://creativecommons.org/licenses/by-sa/4.0/), PLOVER manual draft 0.8 edited by Philip
Schrodt. The code-to-type mapping as used here is shared under the same licence.
"""


def write(source: Path, root: Path, date: dt.date | None = None) -> int:
    """Regenerate `cameo_verbs.jsonl` and its README under `root`; the number of records."""
    text, count = generate(source)
    out = root / OUTPUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    when = (date or dt.date.today()).isoformat()
    (out.parent / "README.md").write_text(README.format(date=when, count=count), encoding="utf-8")
    return count
