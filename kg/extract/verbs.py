"""CAMEO verb patterns (kg/data/rules/generated/cameo_verbs.jsonl) where kg's own rules are silent.

The generated file is validated when it loads (file:line errors, unknown keys refused) and compiled
once per process into a lookup by (verb lemma, particle), so a verb token costs a dict lookup. A
pattern fires only where the verb's dependents are what it names (its object, its prepositions)
and both its source (the verb's agent) and its target resolve to actors; nothing is guessed from
the rest of the sentence. Which PLOVER types and codes are used is curated in cameo.yaml.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from rdflib import RDFS
from spacy.tokens import Span, Token

from kg.errors import DataError
from kg.extract.actors import Found, same_party
from kg.extract.rules import Lexicon, Rule, jsonl_lines
from kg.extract.syntax import lemma, modality_of
from kg.rdf.vocab import KG, event_classes, ontology
from kg.records import Event

if TYPE_CHECKING:
    from kg.extract.events import EventExtractor

GENERATED = "cameo_verbs.jsonl"
PATTERN_KEYS = {"id", "line", "verb", "forms", "particle", "code", "plover", "source", "target",
                "subject", "object", "object_words", "preps", "pattern"}
REQUIRED = {"id", "line", "verb", "code", "plover", "source", "target"}
PREP_KEYS = {"prep", "pobj", "role"}
FILTER_KEYS = {"types", "skip_codes", "skip_defaults_for"}
# where a pattern leaves the target's preposition open ("* AID" to X)
OPEN_TARGET_PREPS = frozenset({"against", "on", "to", "with", "into", "from", "at", "toward",
                               "towards", "upon"})


@dataclass(frozen=True)
class PrepNeed:
    prep: str
    pobj: frozenset[str]  # empty: any object


@dataclass(frozen=True)
class CameoPattern:
    """One compiled verb pattern."""

    id: str
    line: int
    verb: str
    particle: str | None
    code: str
    plover: str
    event_class: str
    target: str  # "dobj", "prep:<p>" or "prep:*"
    subject: frozenset[str]
    object: frozenset[str]
    object_words: frozenset[str]
    preps: tuple[PrepNeed, ...]
    pattern: str | None

    @property
    def specificity(self) -> int:
        return bool(self.subject) + 2 * bool(self.object) + bool(self.object_words) + \
            len(self.preps) + (self.target.startswith("prep:") and self.target != "prep:*")


def _words(where: str, key: str, value: Any) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w == w.lower() and w
                                              for w in value):
        raise DataError(f"{where}: {key} must be a list of lower-case words")
    return frozenset(value)


@functools.lru_cache(maxsize=1)
def generic_classes() -> dict[str, str]:
    """PLOVER type -> the ontology's generic event class of it (a direct subclass of kg:Event)."""
    g = ontology()
    out: dict[str, str] = {}
    for name, info in event_classes().items():
        if (KG[name], RDFS.subClassOf, KG.Event) in g:
            out.setdefault(info.plover, name)
    return out


def parse_pattern(where: str, data: Any) -> CameoPattern:
    """Validate one generated record; DataError naming `where` (file:line) on any problem."""
    if not isinstance(data, dict):
        raise DataError(f"{where}: a pattern must be a JSON object")
    if unknown := set(data) - PATTERN_KEYS:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}")
    if missing := REQUIRED - set(data):
        raise DataError(f"{where}: missing keys {sorted(missing)}")
    classes = generic_classes()
    if data["plover"] not in classes:
        raise DataError(f"{where}: {data['plover']!r} is no PLOVER type of the ontology")
    if data["source"] != "agent" and not str(data["source"]).startswith("prep:"):
        raise DataError(f"{where}: source must be agent or prep:<word>")
    target = data["target"]
    if not isinstance(target, str) or not (target == "dobj" or target.startswith("prep:")
                                           and target[5:]):
        raise DataError(f"{where}: target must be dobj or prep:<word>")
    if not isinstance(data["line"], int) or not isinstance(data["code"], str) \
            or not data["code"].isdigit():
        raise DataError(f"{where}: line must be a number and code a CAMEO code")
    if not data["id"] == f"cameo:{data['code']}:{data['line']}" + (
            f":{data['verb']}" if data["id"].count(":") == 3 else ""):
        raise DataError(f"{where}: id must be cameo:<code>:<line>[:<verb>]")
    preps = []
    for n, p in enumerate(data.get("preps", [])):
        if not isinstance(p, dict) or set(p) - PREP_KEYS or "prep" not in p:
            raise DataError(f"{where}: preps[{n}] must be {{prep, pobj?, role?}}")
        preps.append(PrepNeed(p["prep"], _words(where, f"preps[{n}].pobj", p.get("pobj", []))))
    return CameoPattern(
        id=data["id"], line=data["line"], verb=data["verb"], particle=data.get("particle"),
        code=data["code"], plover=data["plover"], event_class=classes[data["plover"]],
        target=target, subject=_words(where, "subject", data.get("subject", [])),
        object=_words(where, "object", data.get("object", [])),
        object_words=_words(where, "object_words", data.get("object_words", [])),
        preps=tuple(preps), pattern=data.get("pattern"))


def parse_patterns(fname: str, text: str) -> list[tuple[CameoPattern, str]]:
    """(pattern, its source role) per line of the generated file."""
    return [(parse_pattern(where, data), data["source"]) for where, data in jsonl_lines(fname, text)]


@dataclass(frozen=True)
class PatternFilter:
    """Which generated patterns are used (cameo.yaml)."""

    types: frozenset[str]
    skip_codes: frozenset[str]
    skip_defaults_for: frozenset[str]  # types whose verb defaults (no pattern) are too loose

    def keeps(self, p: CameoPattern) -> bool:
        return p.plover in self.types and p.code not in self.skip_codes and not (
            p.pattern is None and p.plover in self.skip_defaults_for)


def parse_filter(fname: str, text: str) -> PatternFilter:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or set(data) != FILTER_KEYS:
        raise DataError(f"{fname}: sections must be {sorted(FILTER_KEYS)}")
    plovers = set(generic_classes())
    lists = {}
    for key in FILTER_KEYS:
        value = data[key] or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise DataError(f"{fname}: {key} must be a list")
        if key != "skip_codes" and set(value) - plovers:
            raise DataError(f"{fname}: {key}: unknown types {sorted(set(value) - plovers)}")
        lists[key] = frozenset(value)
    return PatternFilter(**lists)


def _read(*parts: str) -> str:
    res = resources.files("kg").joinpath("data", "rules", *parts)
    if not res.is_file():
        raise DataError(f"rule file missing: kg/data/rules/{'/'.join(parts)}")
    return res.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_verb_patterns() -> dict[tuple[str, str | None], tuple[CameoPattern, ...]]:
    """The used patterns by (verb lemma, particle), most specific first; compiled once."""
    keep = parse_filter("cameo.yaml", _read("cameo.yaml"))
    table: dict[tuple[str, str | None], list[CameoPattern]] = {}
    for p, source in parse_patterns(f"generated/{GENERATED}", _read("generated", GENERATED)):
        if source == "agent" and keep.keeps(p):  # the source is always the verb's agent
            table.setdefault((p.verb, p.particle), []).append(p)
    return {k: tuple(sorted(v, key=lambda p: -p.specificity)) for k, v in table.items()}


def _has(tok: Token | None, words: frozenset[str], lex: Lexicon) -> bool:
    return tok is not None and (tok.lower_ in words or lemma(tok, lex) in words)


def _preps(tok: Token, obj: Token | None) -> Iterator[Token]:
    for head in (tok, obj) if obj is not None else (tok,):
        yield from (c for c in head.children if c.dep_ in {"prep", "agent", "dative"})


def _pobj(prep: Token) -> Token | None:
    return next((g for g in prep.children if g.dep_ in {"pobj", "pcomp"}), None)


def _matches(p: CameoPattern, tok: Token, agent: Token | None, obj: Token | None,
             lex: Lexicon) -> Token | None:
    """The token naming the pattern's target where the verb's dependents fit it, else None."""
    if p.subject and not _has(agent, p.subject, lex):
        return None
    if p.object and not _has(obj, p.object, lex):
        return None
    if p.object_words and (obj is None or not any(
            _has(t, p.object_words, lex) for t in obj.subtree if t.i != obj.i)):
        return None
    preps = list(_preps(tok, obj))
    for need in p.preps:
        if not any(pr.lower_ == need.prep and (not need.pobj or _has(_pobj(pr), need.pobj, lex))
                   for pr in preps):
            return None
    if p.target == "dobj":
        return obj if not p.object else None
    wanted = OPEN_TARGET_PREPS if p.target == "prep:*" else {p.target[5:]}
    used = {n.prep for n in p.preps}
    return next((o for pr in preps if pr.lower_ in wanted and pr.lower_ not in used
                 and (o := _pobj(pr)) is not None), None)


def cameo_events(ex: EventExtractor, tok: Token, sent: Span) -> Iterator[Event]:
    """Events the CAMEO verb patterns read at a verb token no curated rule fired on."""
    table = load_verb_patterns()
    lem = lemma(tok, ex.lex)
    particles = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    patterns = [p for part in (*particles, None) for p in table.get((lem, part), ())]
    if not patterns:
        return
    agent = ex.agent_token(tok)
    if agent is None:
        return
    obj = next((c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}), None)
    if obj is not None and obj.dep_ == "nsubjpass" and ex.res.mention(agent) is None:
        return  # "we are encouraged by their proposal": a feeling, not an act of theirs
    sources = ex.res.resolve(agent)
    if not sources:
        return
    for p in patterns:
        at = _matches(p, tok, agent, obj, ex.lex)
        if at is None:
            continue
        targets = ex.res.resolve(at)
        pairs = [(s, t) for s in sources for t in targets if not same_party(s, t)]
        if not pairs:
            continue
        modality, future = modality_of(tok, sent, ex.lex)
        if future:
            modality = "hypothetical"
        rule = Rule(p.id, p.event_class, "VERB", frozenset({p.verb}), ("agent",), (p.target,), ())
        evidence = replace(ex._evidence(rule, tok, sent, Found(sources, agent, "agent"),
                                        Found(targets, at, p.target)),
                           cameo=p.code, dictionary_line=f"CAMEO.2.0.txt:{p.line}")
        when, where, said_by = ex._time(tok, future), ex._location(tok), ex._attribution(tok)
        for src, tgt in pairs:
            yield Event(event_type=p.plover, event_class=p.event_class, source=src, target=tgt,
                        evidence=evidence, date=when.date, since=when.since, location=where,
                        modality=modality, attributed_to=said_by)
        return  # the most specific pattern that fits is the reading
