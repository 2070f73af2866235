"""Event rules and the general lexicon, loaded from kg/data/rules and validated on load.

A rule (one JSON object per line of events.jsonl) names its trigger lemmas and part of speech, the
ontology event class it produces, and ordered lists of argument roles to try for source and target.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from kg.errors import DataError
from kg.rdf.vocab import event_classes

ROLES = {"attr", "agent", "patient", "experiencer", "poss", "mod", "of", "by", "governor", "between",
         "place", "sentence", "salient", "same_as_target", "demand", "dative", "none",
         "clause_subject", "own_state", "previous_coup"}
RULE_KEYS = {"id", "class", "pos", "lemmas", "source", "target", "examples", "on_future", "implies",
             "refine", "particle", "particle_for", "requires_forces", "requires_forces_patient",
             "requires_word", "patient_lemmas", "target_optional",
             "patient_not_lemmas_for", "source_not_forces", "on_negated",
             "requires_forces_or_person", "foreign_patient", "requires_dep",
             "requires_complement_modal", "patient_lemmas_for", "not_if_forces"}
LEXICON_KEYS = {"sector_nouns", "partitive_nouns", "comparators", "personnel_nouns", "modality",
                "locative_preps", "first_person", "relative_dates", "light_verbs", "speech_verbs",
                "org_nouns", "third_person", "participation_verbs"}
MODALITY_KEYS = {"negation", "hypothetical_aux", "hypothetical_adj", "conditional_marks",
                 "future_heads", "request_heads", "refusal_heads", "continuing_heads"}


@dataclass(frozen=True)
class Rule:
    """One event rule; see the module docstring."""

    id: str
    event_class: str
    pos: str
    lemmas: frozenset[str]
    source: tuple[str, ...]
    target: tuple[str, ...]
    examples: tuple[dict[str, Any], ...]
    options: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def opt(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


@dataclass(frozen=True)
class Lexicon:
    """The general vocabulary of lexicon.yaml, indexed for the extractor."""

    sector_of: dict[str, str]  # lower-cased noun (or two-word phrase) -> sector
    partitives: frozenset[str]
    comparators: tuple[tuple[str, str], ...]  # (phrase, comparator), longest first
    personnel: frozenset[str]
    modality: dict[str, frozenset[str]]
    locative_preps: frozenset[str]
    first_person: frozenset[str]
    relative_dates: dict[str, tuple[str, int]]
    light_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    org_nouns: frozenset[str]
    third_person: frozenset[str]
    participation_verbs: frozenset[str]


def _check_role(where: str, role: str) -> None:
    name = role.split(":", 1)[0]
    if name != "prep" and name not in ROLES:
        raise DataError(f"{where}: unknown role {role!r}")
    if name == "prep" and not role[5:]:
        raise DataError(f"{where}: role 'prep:' needs a preposition")


def parse_rule(where: str, data: Any) -> Rule:
    """Validate one rule object; DataError naming `where` (file:line) on any problem."""
    if not isinstance(data, dict):
        raise DataError(f"{where}: a rule must be a JSON object")
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise DataError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "class", "pos", "lemmas", "source", "target", "examples"):
        if key not in data:
            raise DataError(f"{where}: missing key {key!r}")
    classes = event_classes()
    for key in ("class", "on_future", "on_negated", "foreign_patient"):
        if key in data and data[key] not in classes:
            raise DataError(f"{where}: {data[key]!r} is not an event class of the ontology")
    for cls in data.get("implies", []) + [r.get("class") for r in data.get("refine", [])]:
        if cls not in classes:
            raise DataError(f"{where}: {cls!r} is not an event class of the ontology")
    if data["pos"] not in {"VERB", "NOUN"}:
        raise DataError(f"{where}: pos must be VERB or NOUN")
    for role in data["source"] + data["target"]:
        _check_role(where, role)
    if not data["examples"]:
        raise DataError(f"{where}: a rule needs at least one example sentence")
    options = {k: v for k, v in data.items()
               if k not in {"id", "class", "pos", "lemmas", "source", "target", "examples"}}
    return Rule(data["id"], data["class"], data["pos"], frozenset(data["lemmas"]),
                tuple(data["source"]), tuple(data["target"]), tuple(data["examples"]), options)


def parse_rules(fname: str, text: str) -> list[Rule]:
    """Parse a JSONL rule file; ids must be unique."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{fname}:{lineno}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: invalid JSON: {exc.msg}") from None
        rule = parse_rule(where, data)
        if rule.id in seen:
            raise DataError(f"{where}: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def parse_lexicon(fname: str, text: str) -> Lexicon:
    """Parse lexicon.yaml; DataError on unknown or missing sections."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"{fname}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or set(data) != LEXICON_KEYS:
        got = set(data) if isinstance(data, dict) else set()
        raise DataError(f"{fname}: sections must be {sorted(LEXICON_KEYS)}; "
                        f"unknown {sorted(got - LEXICON_KEYS)}, missing {sorted(LEXICON_KEYS - got)}")
    if set(data["modality"]) != MODALITY_KEYS:
        raise DataError(f"{fname}: modality must have exactly {sorted(MODALITY_KEYS)}")
    sector_of = {str(w).lower(): sector for sector, words in data["sector_nouns"].items()
                 for w in words}
    comps = sorted(((str(p), c) for c, phrases in data["comparators"].items() for p in phrases),
                   key=lambda pc: -len(pc[0]))
    return Lexicon(
        sector_of=sector_of,
        partitives=frozenset(data["partitive_nouns"]),
        comparators=tuple(comps),
        personnel=frozenset(data["personnel_nouns"]),
        modality={k: frozenset(str(w) for w in v) for k, v in data["modality"].items()},
        locative_preps=frozenset(data["locative_preps"]),
        first_person=frozenset(data["first_person"]),
        relative_dates={k: (str(v[0]), int(v[1])) for k, v in data["relative_dates"].items()},
        light_verbs=frozenset(data["light_verbs"]),
        speech_verbs=frozenset(data["speech_verbs"]),
        org_nouns=frozenset(data["org_nouns"]),
        third_person=frozenset(data["third_person"]),
        participation_verbs=frozenset(data["participation_verbs"]),
    )


def _read(name: str) -> str:
    res = resources.files("kg") / "data" / "rules" / name
    if not res.is_file():
        raise DataError(f"rule file missing: kg/data/rules/{name}")
    return res.read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def load_rules() -> tuple[Rule, ...]:
    """The packaged event rules."""
    return tuple(parse_rules("events.jsonl", _read("events.jsonl")))


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged general lexicon."""
    return parse_lexicon("lexicon.yaml", _read("lexicon.yaml"))
