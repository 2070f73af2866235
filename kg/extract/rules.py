"""Event rules and the general lexicon, loaded from kg/data/rules and validated on load.

A rule (one JSON object per line of events.jsonl) names its trigger lemmas and part of speech, the
ontology event class it produces, and ordered lists of argument roles to try for source and target.
Options (typed, with their defaults, in RuleOptions) narrow where it fires or change what it
yields: `orderable` marks an act an authority can order its own side to do (close a border,
arrest, deploy): an order to do it reports it done.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    ValidationError,
)

from kg.errors import DataError, InputError
from kg.rdf.vocab import event_classes
from kg.records import SECTOR_LABELS

# Lexicon sections that are lists of lower-case single words, each matched against one token.
WORD_SECTIONS = (
    "partitive_nouns", "personnel_nouns", "locative_preps", "first_person", "third_person",
    "light_verbs", "speech_verbs", "org_nouns", "participation_verbs", "participation_preps",
    "travel_verbs", "purpose_preps", "message_nouns",
    "performative_verbs", "preparation_heads", "object_control_verbs", "order_verbs",
    "responsibility_verbs", "relative_pronouns", "reflexive_pronouns", "plural_pronouns",
    "definite_determiners", "country_nouns", "place_nouns", "pair_words", "list_determiners",
    "border_nouns", "owner_preps", "scene_preps", "location_preps", "shared_clause_deps", "joining_verbs",
    "joining_preps", "party_nouns", "proxy_modifiers", "adopting_verbs", "countering_verbs", "idiom_objects", "office_nouns",
    "allegiance_words", "day_parts", "means_preps")
# Sections of other shapes, each checked by its own parser in parse_lexicon.
SHAPED_SECTIONS = ("sector_nouns", "comparators", "modality", "status", "relative_dates",
                   "lemma_fixes", "date_openers", "date_hedges", "date_directions")
# what a date expression says of an event, by the word that opens it (see lexicon.yaml)
DATE_ROLES = ("at", "start", "bound")
LEXICON_KEYS = set(WORD_SECTIONS) | set(SHAPED_SECTIONS)
# modality lists; request_heads also takes "lemma particle" pairs ("call on")
MODALITY_KEYS = {"negation": "words", "hypothetical_aux": "words", "hypothetical_adj": "words",
                 "conditional_marks": "words", "future_aux": "words", "future_heads": "words",
                 "request_heads": "phrases2", "refusal_heads": "words",
                 "continuing_heads": "words"}
# status lists; under_way_words also takes "preposition object" pairs ("under way")
STATUS_KEYS = {"under_way_heads": "words", "under_way_words": "phrases2",
               "completion_heads": "words", "agreement_preps": "words"}


def _word_list(value: Any) -> frozenset[str]:
    if problem := word_list_problem(value):
        raise ValueError(problem)
    return frozenset(value)


def _event_class(value: str) -> str:
    if value not in event_classes():
        raise ValueError(f"{value!r} is not an event class of the ontology")
    return value


# a list of lower-case words, each matched against one token (its form or lemma): a phrase there
# can never match (a phrase is a trigger with `requires_word`: "state" needing "emergency")
WordList = Annotated[frozenset[str], BeforeValidator(_word_list)]
WordsByLemma = dict[StrictStr, WordList]  # keyed by the rule's trigger lemmas
EventClass = Annotated[StrictStr, AfterValidator(_event_class)]


class Refinement(BaseModel):
    """A more specific class where a source has a sector ("the army seized power": a coup)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    sector: StrictStr
    event_class: EventClass = Field(alias="class")


class RuleOptions(BaseModel):
    """A rule's options, all optional; see kg/data/rules/README.md for what each does."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # where it fires
    particle: WordList | None = None
    particle_for: WordsByLemma = {}
    patient_lemmas: WordList | None = None
    patient_lemmas_for: WordsByLemma = {}
    patient_not_lemmas_for: WordsByLemma = {}
    patient_head_only: StrictBool = False
    requires_word: WordList | None = None
    requires_complement_modal: WordList | None = None
    intransitive_lemmas: WordList = frozenset()
    not_governed_by: WordList = frozenset()
    requires_dep: frozenset[StrictStr] | None = None
    requires_own_dep: frozenset[StrictStr] | None = None
    requires_forces: StrictBool = False
    requires_forces_patient: StrictBool = False
    requires_forces_or_person: StrictBool = False
    source_sectors: WordList | None = None
    not_if_forces: StrictBool = False
    source_not_forces: StrictBool = False
    own_clause: StrictBool = False
    target_optional: StrictBool = False
    # what it yields
    on_future: EventClass | None = None
    on_negated: EventClass | None = None
    foreign_patient: EventClass | None = None
    within_state: EventClass | None = None
    implies: tuple[EventClass, ...] = ()
    implies_counted: tuple[EventClass, ...] = ()
    trigger_counts_things: StrictBool = False
    refine: tuple[Refinement, ...] = ()
    orderable: StrictBool = False
    mutual: StrictBool = False
    # how far what it says has gone (Event.status)
    movement: StrictBool = False
    agrees_to_movement: StrictBool = False


CORE_KEYS = ("id", "class", "pos", "lemmas", "source", "target", "examples")
RULE_KEYS = {*CORE_KEYS, *RuleOptions.model_fields}
BY_LEMMA = ("patient_lemmas_for", "patient_not_lemmas_for", "particle_for")


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
    options: RuleOptions = field(default_factory=RuleOptions, hash=False, compare=False)


@dataclass(frozen=True)
class Lexicon:
    """The general vocabulary of lexicon.yaml, indexed for the extractor."""

    sector_of: dict[str, str]  # lower-cased noun (or two-word phrase) -> sector
    partitives: frozenset[str]
    comparators: tuple[tuple[str, str], ...]  # (phrase, comparator), longest first
    personnel: frozenset[str]
    modality: dict[str, frozenset[str]]
    status: dict[str, frozenset[str]]  # how far a movement has gone: STATUS_KEYS
    locative_preps: frozenset[str]
    first_person: frozenset[str]
    relative_dates: dict[str, tuple[str, int]]
    date_openers: dict[str, str]  # opening word or phrase -> at | start | bound
    date_hedges: tuple[str, ...]  # longest first
    date_directions: dict[str, int]  # "last" -> -1, "next" -> 1, "this" -> 0
    day_parts: frozenset[str]
    means_preps: frozenset[str]
    light_verbs: frozenset[str]
    speech_verbs: frozenset[str]
    org_nouns: frozenset[str]
    third_person: frozenset[str]
    participation_verbs: frozenset[str]
    participation_preps: frozenset[str]
    travel_verbs: frozenset[str]
    message_nouns: frozenset[str]
    purpose_preps: frozenset[str]
    lemma_fixes: dict[str, tuple[str, str]]  # wrong lemma -> (right lemma, start of the form)
    performative_verbs: frozenset[str]
    preparation_heads: frozenset[str]
    object_control_verbs: frozenset[str]
    responsibility_verbs: frozenset[str]
    relative_pronouns: frozenset[str]
    reflexive_pronouns: frozenset[str]
    plural_pronouns: frozenset[str]
    definite_determiners: frozenset[str]
    country_nouns: frozenset[str]
    place_nouns: frozenset[str]
    pair_words: frozenset[str]
    list_determiners: frozenset[str]
    border_nouns: frozenset[str]
    shared_clause_deps: frozenset[str]
    joining_verbs: frozenset[str]
    joining_preps: frozenset[str]
    party_nouns: frozenset[str]
    proxy_modifiers: frozenset[str]
    adopting_verbs: frozenset[str]
    countering_verbs: frozenset[str]
    idiom_objects: frozenset[str]
    owner_preps: frozenset[str]
    scene_preps: frozenset[str]
    location_preps: frozenset[str]
    order_verbs: frozenset[str]
    office_nouns: frozenset[str]
    allegiance_words: frozenset[str]


def _check_role(where: str, role: str) -> None:
    # the registry imports this module (for Lexicon), so it is read when a rule file is checked
    from kg.extract.roles import check_role

    problem = check_role(role)
    if problem:
        raise DataError(f"{where}: {problem}")


def _options(where: str, data: dict[str, Any]) -> RuleOptions:
    """The rule's options; DataError naming `where` and the key of the first bad one."""
    try:
        return RuleOptions.model_validate({k: v for k, v in data.items() if k not in CORE_KEYS})
    except ValidationError as exc:
        errors = exc.errors()
    unknown = sorted(".".join(map(str, e["loc"])) for e in errors if e["type"] == "extra_forbidden")
    if unknown:
        raise DataError(f"{where}: unknown keys {unknown}") from None
    first = errors[0]
    key = ".".join(map(str, first["loc"]))
    if first["type"] == "bool_type":
        raise DataError(f"{where}: {key} must be true or false") from None
    raise DataError(f"{where}: {key}: {first['msg'].removeprefix('Value error, ')}") from None


def parse_rule(where: str, data: Any) -> Rule:
    """Validate one rule object; DataError naming `where` (file:line) on any problem."""
    if not isinstance(data, dict):
        raise DataError(f"{where}: a rule must be a JSON object")
    options = _options(where, data)
    for key in CORE_KEYS:
        if key not in data:
            raise DataError(f"{where}: missing key {key!r}")
    if data["class"] not in event_classes():
        raise DataError(f"{where}: {data['class']!r} is not an event class of the ontology")
    if data["pos"] not in {"VERB", "NOUN"}:
        raise DataError(f"{where}: pos must be VERB or NOUN")
    for key in ("source", "target"):
        if not isinstance(data[key], list) or not data[key] or not all(
                isinstance(r, str) for r in data[key]):
            raise DataError(f"{where}: {key} must be a non-empty list of roles")
    for role in data["source"] + data["target"]:
        _check_role(where, role)
    lemmas = single_words(f"{where}: lemmas", data["lemmas"])
    for key in BY_LEMMA:
        for lem in getattr(options, key):
            if lem not in lemmas:
                raise DataError(f"{where}: {key}: {lem!r} is not one of the rule's lemmas")
    if not data["examples"]:
        raise DataError(f"{where}: a rule needs at least one example sentence")
    return Rule(data["id"], data["class"], data["pos"], lemmas, tuple(data["source"]),
                tuple(data["target"]), tuple(data["examples"]), options)


def jsonl_lines(fname: str, text: str) -> Iterator[tuple[str, Any]]:
    """(file:line, parsed JSON) per non-blank line; DataError naming the line on invalid JSON."""
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{fname}:{lineno}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: invalid JSON: {exc.msg}") from None


def parse_rules(fname: str, text: str, taken: Iterable[str] = ()) -> list[Rule]:
    """Parse a JSONL rule file; ids must be unique, and not among `taken`."""
    rules: list[Rule] = []
    seen: set[str] = set(taken)
    for where, data in jsonl_lines(fname, text):
        rule = parse_rule(where, data)
        if rule.id in seen:
            raise DataError(f"{where}: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    return rules


def word_list_problem(value: Any, max_words: int = 1) -> str | None:
    """What is wrong with a list of lower-case words (phrases of up to `max_words` words), such
    as a phrase in a list matched against single tokens; None if nothing."""
    if not isinstance(value, list) or not value:
        return "must be a non-empty list of words"
    for word in value:
        if not isinstance(word, str) or not word.strip():
            return f"{word!r} is not a word"
        if word != word.lower():
            return f"{word!r} must be lower-case (tokens are matched lower-cased)"
        if len(word.split()) > max_words:
            what = "a single token" if max_words == 1 else f"at most {max_words} tokens"
            return (f"{word!r} has {len(word.split())} words, but the entries are matched "
                    f"against {what}; it can never match")
    return None


def single_words(where: str, value: Any, max_words: int = 1) -> frozenset[str]:
    """A list of lower-case words (see word_list_problem); DataError naming `where` otherwise."""
    if problem := word_list_problem(value, max_words):
        raise DataError(f"{where}: {problem}")
    return frozenset(value)


def _mapping(where: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise DataError(f"{where}: must be a non-empty mapping")
    for key in value:
        if not isinstance(key, str):
            raise DataError(f"{where}: key {key!r} is not a string")
    return value


def _phrases(where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(
            isinstance(p, str) and p.strip() for p in value):
        raise DataError(f"{where}: must be a non-empty list of phrases")
    return [p.lower() for p in value]


def _relative_date(where: str, value: Any) -> tuple[str, int]:
    if not (isinstance(value, list) and len(value) == 2 and value[0] in {"year", "month", "week",
            "day"} and isinstance(value[1], int) and not isinstance(value[1], bool)):
        raise DataError(f"{where}: must be [year|month|week|day, whole number]")
    return str(value[0]), int(value[1])


def _directions(where: str, value: Any) -> dict[str, int]:
    words = single_words(where, list(_mapping(where, value)))
    for word in sorted(words):
        if value[word] not in (-1, 0, 1) or isinstance(value[word], bool):
            raise DataError(f"{where}.{word}: must be -1, 0 or 1")
    return {word: int(value[word]) for word in words}


def _lemma_fix(where: str, value: Any) -> tuple[str, str]:
    if not isinstance(value, dict) or set(value) != {"lemma", "form"} or not all(
            isinstance(v, str) and v and v == v.lower() and " " not in v for v in value.values()):
        raise DataError(f"{where}: must be {{lemma: <word>, form: <start of the word>}}")
    return value["lemma"], value["form"]


def parse_lexicon(fname: str, text: str) -> Lexicon:
    """Parse lexicon.yaml; DataError naming the file and section (and entry) on unknown or
    missing sections, a section of the wrong shape, or a word list entry that cannot match."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataError(f"{fname}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or set(data) != LEXICON_KEYS:
        got = set(data) if isinstance(data, dict) else set()
        raise DataError(f"{fname}: sections must be {sorted(LEXICON_KEYS)}; "
                        f"unknown {sorted(got - LEXICON_KEYS)}, missing {sorted(LEXICON_KEYS - got)}")
    words = {key: single_words(f"{fname}: {key}", data[key]) for key in WORD_SECTIONS}
    modality = _mapping(f"{fname}: modality", data["modality"])
    if set(modality) != set(MODALITY_KEYS):
        raise DataError(f"{fname}: modality must have exactly {sorted(MODALITY_KEYS)}; "
                        f"unknown {sorted(set(modality) - set(MODALITY_KEYS))}, "
                        f"missing {sorted(set(MODALITY_KEYS) - set(modality))}")
    status = _mapping(f"{fname}: status", data["status"])
    if set(status) != set(STATUS_KEYS):
        raise DataError(f"{fname}: status must have exactly {sorted(STATUS_KEYS)}; "
                        f"unknown {sorted(set(status) - set(STATUS_KEYS))}, "
                        f"missing {sorted(set(STATUS_KEYS) - set(status))}")
    sectors = _mapping(f"{fname}: sector_nouns", data["sector_nouns"])
    if set(sectors) - set(SECTOR_LABELS):
        raise DataError(f"{fname}: sector_nouns: unknown sectors "
                        f"{sorted(set(sectors) - set(SECTOR_LABELS))}; known {sorted(SECTOR_LABELS)}")
    sector_of = {w: sector for sector, ws in sectors.items()
                 for w in single_words(f"{fname}: sector_nouns.{sector}", ws, max_words=2)}
    comps = sorted(((p, c) for c, phrases in _mapping(f"{fname}: comparators",
                                                      data["comparators"]).items()
                    for p in _phrases(f"{fname}: comparators.{c}", phrases)),
                   key=lambda pc: -len(pc[0]))
    dates = _mapping(f"{fname}: relative_dates", data["relative_dates"])
    fixes = _mapping(f"{fname}: lemma_fixes", data["lemma_fixes"])
    openers = _mapping(f"{fname}: date_openers", data["date_openers"])
    if set(openers) != set(DATE_ROLES):
        raise DataError(f"{fname}: date_openers must have exactly {sorted(DATE_ROLES)}; "
                        f"unknown {sorted(set(openers) - set(DATE_ROLES))}, "
                        f"missing {sorted(set(DATE_ROLES) - set(openers))}")
    renamed = {"partitive_nouns": "partitives", "personnel_nouns": "personnel"}
    return Lexicon(
        sector_of=sector_of,
        comparators=tuple(comps),
        modality={k: single_words(f"{fname}: modality.{k}", modality[k],
                                  max_words=2 if shape == "phrases2" else 1)
                  for k, shape in MODALITY_KEYS.items()},
        status={k: single_words(f"{fname}: status.{k}", status[k],
                                max_words=2 if shape == "phrases2" else 1)
                for k, shape in STATUS_KEYS.items()},
        relative_dates={k.lower(): _relative_date(f"{fname}: relative_dates.{k}", v)
                        for k, v in dates.items()},
        lemma_fixes={k: _lemma_fix(f"{fname}: lemma_fixes.{k}", v) for k, v in fixes.items()},
        date_openers={p: role for role in DATE_ROLES
                      for p in single_words(f"{fname}: date_openers.{role}", openers[role], 2)},
        date_hedges=tuple(sorted(single_words(f"{fname}: date_hedges", data["date_hedges"], 3),
                                 key=lambda p: (-len(p), p))),
        date_directions=_directions(f"{fname}: date_directions", data["date_directions"]),
        **{renamed.get(key, key): words[key] for key in WORD_SECTIONS},
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


def rules_with(path: str | Path) -> tuple[Rule, ...]:
    """The packaged rules, then those of a user's own JSONL rule file, validated alike.

    Raises:
        InputError: the file cannot be read.
        DataError: a rule is invalid or reuses an id, naming the file and line.
    """
    packaged = load_rules()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read the rule file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InputError(str(path), "cannot read the rule file: not UTF-8 text") from None
    return packaged + tuple(parse_rules(str(path), text, taken={r.id for r in packaged}))
