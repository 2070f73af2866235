"""The argument roles of the event rules, each a small function registered under its name.

A rule lists roles for its source and target (kg/data/rules/events.jsonl); the extractor tries
them in order and looks each up here. A role function takes the extractor, the trigger, its
sentence, the source found so far (None while looking for the source) and how the rule reads
its roles, and returns the actors it names with the token that names them. `prep:X` roles share
one function registered for the prefix `prep`. The role names that rule files may use are the
registry's keys: a new role is a function here and a rule that names it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from spacy.tokens import Span, Token

from kg.extract.actors import same_party
from kg.extract.syntax import (
    event_scope,
    experiencer,
    journey_verb,
    lemma,
    names,
    patient_token,
    possessor,
    purpose_clauses,
    speech_verb,
)
from kg.records import Actor

if TYPE_CHECKING:
    from kg.extract.events import EventExtractor

Result = tuple[list[Actor], Token | None]
NOTHING: Result = ([], None)


@dataclass(frozen=True)
class Reading:
    """How a rule reads its roles at one trigger."""

    keep_same: bool = False  # the source's own state may be named (protests, coups)
    places: bool = True  # a place ("at a jail in Dili") may name a party
    joint: bool = False  # an act done together (agree, meet): first the agent's partners
    deplores: bool = False  # an accusation or protest: a hostile act names whoever did it


RoleFn = Callable[["EventExtractor", Token, Span, Actor | None, Reading], Result]
PrefixedFn = Callable[["EventExtractor", Token, Span, Actor | None, Reading, str], Result]
F = TypeVar("F", bound=RoleFn)
P = TypeVar("P", bound=PrefixedFn)

ROLES: dict[str, RoleFn] = {}
PREFIXED: dict[str, PrefixedFn] = {}  # "prep" for the roles "prep:X"
# roles that guess from context rather than read the trigger's own phrase, with what they guess
FALLBACKS: dict[str, str] = {}


def role(name: str, fallback: str | None = None) -> Callable[[F], F]:
    """Register a role function under `name`; `fallback` says what it guesses, for a role that
    fills a party the trigger's own phrase leaves empty (kg extract --explain names it)."""
    def register(fn: F) -> F:
        if name in ROLES:
            raise ValueError(f"role {name!r} is registered twice")
        ROLES[name] = fn
        if fallback:
            FALLBACKS[name] = fallback
        return fn
    return register


def prefixed_role(prefix: str) -> Callable[[P], P]:
    """Register the function of the roles `prefix:X`; it is passed X."""
    def register(fn: P) -> P:
        PREFIXED[prefix] = fn
        return fn
    return register


def check_role(name: str) -> str | None:
    """Why `name` is no role a rule may use, or None if it is one."""
    prefix, colon, arg = name.partition(":")
    if colon and prefix in PREFIXED:
        return None if arg else f"role {prefix + ':'!r} needs an argument ({prefix}:<word>)"
    return None if name in ROLES else f"unknown role {name!r}"


@functools.cache
def role_function(name: str) -> RoleFn:
    """The function of a role; KeyError for an unknown one (rule files are checked on load)."""
    prefix, colon, arg = name.partition(":")
    if not colon:
        return ROLES[name]
    fn = PREFIXED[prefix]
    return lambda ex, tok, sent, src, how: fn(ex, tok, sent, src, how, arg)


def _exclude(src: Actor | None, how: Reading) -> str | None:
    # coreference may pick the source's own state where a type allows (protests, coups)
    return src.country if src is not None and not how.keep_same else None


def _child(ex: EventExtractor, tok: Token, dep: str) -> Result:
    at = next((c for c in tok.children if c.dep_ == dep), None)
    return (ex.res.resolve(at), at) if at is not None else NOTHING


@prefixed_role("prep")
def prep_phrase(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading,
                arg: str) -> Result:
    """The object of the trigger's (or its patient's) preposition `arg`; with `places` off, a
    place names none."""
    res, exclude = ex.res, _exclude(src, how)
    locative = arg in ex.lex.locative_preps
    heads = [tok] + ([p] if (p := patient_token(tok, ex.lex)) is not None else [])
    if tok.pos_ in {"NOUN", "PROPN"}:
        # "an operation conducted against X"; "a supporter and supplier of X"
        acl = [c for c in tok.children if c.dep_ == "acl"]
        heads += acl + list(tok.conjuncts)
        # "an operation conducted by X and Y against Z": the parser hangs "against Z" on Y
        heads += [d for c in acl for a in c.children if a.dep_ == "agent"
                  for g in a.children if g.dep_ == "pobj" for d in (g, *g.conjuncts)]
    for head in heads:
        for child in head.children:
            if child.dep_ in {"prep", "agent", "prt"} and child.lower_ == arg:
                if any(g.dep_ == "pobj" and g.lower_ in ex.lex.idiom_objects
                       for g in child.children):
                    continue  # "in fact", "in return": no place, no party
                for pobj in child.children:
                    if pobj.dep_ in {"pobj", "pcomp"}:
                        if how.deplores and ex.hostile_act(pobj):
                            found = ex.doers(pobj, None, how.places)
                        elif not how.places:
                            found = res.resolve(pobj, exclude=exclude)
                        elif lemma(pobj, ex.lex) in ex.lex.border_nouns:
                            # "along its border with Ecuador": beyond the border, not "its"
                            found = ex.place_within(pobj) or res.place_actor(pobj)
                        else:
                            found = (res.place_actor(pobj) if locative else []) or \
                                res.resolve(pobj, exclude=exclude) or \
                                res.place_actor(pobj) or ex.place_within(pobj)
                        if found:
                            return found, pobj
    return NOTHING


@role("of")
def of_phrase(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
              ) -> Result:
    """`prep:of`, read with the default reading."""
    return prep_phrase(ex, tok, sent, src, Reading(), "of")


@role("by")
def by_phrase(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
              ) -> Result:
    """`prep:by`, read with the default reading."""
    return prep_phrase(ex, tok, sent, src, Reading(), "by")


@role("agent")
def agent(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
          ) -> Result:
    """Who does what the trigger says, with those it joins ("joined X in condemning")."""
    at = ex.agent_token(tok)
    found = ex.res.resolve(at) if at is not None else []
    found = list(dict.fromkeys(found + ex.joined(tok, found)))
    return (found, at) if found else NOTHING


@role("agent_not_purpose")
def agent_not_purpose(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None,
                      how: Reading) -> Result:
    """The agent, unless the trigger is the purpose of another act ("opened the bridge to allow
    deliveries" reports the opening, not an agreement; "while permitting X to stay" counts)."""
    if tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return NOTHING
    return agent(ex, tok, sent, src, how)


@role("experiencer")
def experiencer_role(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None,
                     how: Reading) -> Result:
    """Who feels what a psych verb or adjective says ("Kenya is alarmed by ...")."""
    at = experiencer(tok)
    found = ex.res.resolve(at) if at is not None else []
    return (found, at) if found else NOTHING


@role("patient")
def patient(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
            ) -> Result:
    """What the trigger acts on; in a deploring act, whoever did the hostile act it names."""
    at = patient_token(tok, ex.lex)
    if at is None:
        return NOTHING
    if (how.deplores or lemma(tok, ex.lex) in ex.lex.countering_verbs) and ex.hostile_act(at):
        # "condemned the attack by X", "helped fight attacks by X": X, never whom it hit
        return ex.doers(at, tok, how.places), at
    return ex.res.resolve(at, exclude=_exclude(src, how)) or (
        ex.res.place_actor(at) if how.places else []), at


@role("attr")
def attr(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading) -> Result:
    """"there are armed groups including JNIM in Mali"."""
    return _child(ex, tok, "attr")


@role("dative")
def dative(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
           ) -> Result:
    return _child(ex, tok, "dative")


@role("poss")
def poss(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading) -> Result:
    """The noun's possessor, also one shared with the noun before it ("his visits and talks")."""
    at = possessor(tok)
    return (ex.res.resolve(at), at) if at is not None else NOTHING


@role("mod")
def mod(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading) -> Result:
    """The first modifier of the trigger that names actors."""
    for c in tok.children:
        if c.dep_ in {"compound", "amod", "nmod"}:
            found = ex.res.resolve(c)
            if found:
                return found, c
    return NOTHING


@role("governor")
def governor(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
             ) -> Result:
    """Who does what a noun names, as the verb governing it says ("Mali signed an agreement")."""
    at = ex.governor_agent(tok)
    return (ex.res.resolve(at), at) if at is not None else NOTHING


@role("speaker")
def speaker(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
            ) -> Result:
    """"the presence is illegal, the junta said": the junta."""
    verb = speech_verb(tok, ex.lex)
    at = ex.agent_token(verb) if verb is not None else None
    return (ex.res.resolve(at), at) if at is not None else NOTHING


@role("destination")
def destination(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
                ) -> Result:
    """"flew to Accra for talks": held in Ghana."""
    journey = journey_verb(tok, ex.lex)
    for way in (c for c in journey.children if c.dep_ == "prep") if journey else ():
        if way.lower_ in ex.lex.location_preps:
            for pobj in (g for g in way.children if g.dep_ == "pobj"):
                if found := ex.res.place_actor(pobj):
                    return found, pobj
    return NOTHING


@role("between")
def between(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
            ) -> Result:
    """Every pair of the parties: "a pact between Mali, Niger and Burkina Faso"."""
    holders = [tok, *(c for c in tok.children if c.dep_ == "acl")]
    for child in (c for h in holders for c in h.children):
        if child.dep_ == "prep" and child.lower_ == "between":
            first = next((c for c in child.children if c.dep_ == "pobj"), None)
            if first is None:
                continue
            parties = ex.res.resolve(first)
            if len(parties) >= 2:
                if src is None:
                    return parties[:-1], first
                if src in parties:
                    return parties[parties.index(src) + 1:], first
    return NOTHING


@role("mediated")
def mediated(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
             ) -> Result:
    """Each party "between" whom the source stands: "a mediation effort between Mali and Niger"."""
    for child in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"):
        first = next((c for c in child.children if c.dep_ == "pobj"), None)
        if first is not None and (found := [a for a in ex.res.resolve(first)
                                            if src is None or not same_party(a, src)]):
            return found, first
    return NOTHING


@role("place")
def place(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
          ) -> Result:
    """The place of the event's scene ("protests in Niamey")."""
    for t in event_scope(tok):
        if lemma(t, ex.lex) in ex.lex.border_nouns:
            continue  # "near the Venezuelan border": on this side of it, wherever that is
        if t.dep_ == "pobj" and any(g.dep_ == "pobj" and g.lower_ in ex.lex.idiom_objects
                                    for g in t.head.children):
            continue  # "are in fact paramilitaries": no scene
        if t.dep_ == "pobj" and t.head.lower_ in ex.lex.scene_preps and abs(t.i - tok.i) < 25:
            found = [a for c in (t, *t.conjuncts) for a in ex.res.place_actor(c)]
            if found:
                return found, t
    return NOTHING


@role("sentence", fallback="the state named nearest the trigger in its sentence")
def sentence(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
             ) -> Result:
    """The state nearest the trigger in its sentence (in a joint act, the agent's partners)."""
    if tok.dep_ in {"advcl", "conj"} and tok.tag_ == "VBG" and tok.head.pos_ == "VERB" \
            and (obj := patient_token(tok.head, ex.lex)) is not None:
        # "ambushed a Nigerien patrol, killing 12 soldiers": the soldiers of the patrol
        found = [a for a in ex.res.resolve(obj) if src is None or not same_party(a, src)]
        if found:
            return found, obj
    if how.joint and (partners := ex.partners(tok, src))[0]:
        return partners  # "Mali and Niger met in Accra": with each other, not Ghana
    return ex.sentence_state(tok, sent, src, one_sided=how.keep_same)


@role("predicate_subject")
def predicate_subject(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None,
                      how: Reading) -> Result:
    """Whom a noun describes: the subject of "be" or "remain" with the noun as its predicate
    ("Russia is a major supporter of X"), or the name the noun is in apposition to ("Belarus,
    Russia's closest ally")."""
    node = tok
    while node.dep_ == "conj" and node.head.i != node.i:  # "a supporter and arms supplier"
        node = node.head
    if node.dep_ == "appos":
        return (found, node.head) if (found := ex.res.resolve(node.head)) else NOTHING
    if node.dep_ != "attr":
        return NOTHING
    subj = next((c for c in node.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return (found, subj) if subj is not None and (found := ex.res.resolve(subj)) else NOTHING


@role("co_party")
def co_party(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
             ) -> Result:
    """The other parties named with the source in a joint act's own phrase ("a joint operation
    of Kenya's army and Somali forces", "Kenyan and Somali troops' joint patrols")."""
    phrases = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in {"of", "by"}
               for g in c.children if g.dep_ == "pobj"]
    phrases += [c for c in tok.children if c.dep_ in {"poss", "compound", "amod", "nmod"}]
    if (agent := ex.governor_agent(tok)) is not None:
        phrases.append(agent)
    for phrase in phrases:
        found = [a for a in ex.res.resolve(phrase) if src is None or not same_party(a, src)]
        if found:
            return found, phrase
    return NOTHING


@role("partners")
def partners(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
             ) -> Result:
    """The states acting with the source as the trigger's agent ("Mali and Niger met")."""
    return ex.partners(tok, src)


@role("hyphen_agent")
def hyphen_agent(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
                 ) -> Result:
    """"Iranian-backed militias": Iran."""
    return ex.res.hyphen_modifier(tok)


@role("modified")
def modified(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
             ) -> Result:
    """"Iranian-backed Houthi rebels": the Houthis."""
    if tok.dep_ not in {"amod", "compound", "acl"} or tok.head.i == tok.i:
        return NOTHING
    head = tok.head
    # "Iranian-backed Houthi-controlled areas": the Houthis named between, not the areas
    for c in (c for c in head.children if tok.i < c.i < head.i):
        found, at = ex.res.hyphen_modifier(c) if c.pos_ == "VERB" else (ex.res.resolve(c), c)
        if found and all(a.entity.type != "State" for a in found):  # ("Syrian" names no proxy)
            return found, at
    return ex.res.resolve(head), head


def _state(ex: EventExtractor, iso: str | None) -> Result:
    state = ex.res.gazetteer.state(iso) if iso else None
    return ([Actor(state)], None) if state else NOTHING


@role("own_state", fallback="the source's own state")
def own_state(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
              ) -> Result:
    """"Chad lifted its curfew", "police arrested protesters": the source's state."""
    return _state(ex, src.country if src is not None else None)


@role("clause_subject")
def clause_subject(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
                   ) -> Result:
    """"demanded that Israel withdraw"."""
    for comp in (c for c in tok.children if c.dep_ == "ccomp"):
        subj = next((c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subj is not None and (found := ex.res.resolve(subj, exclude=_exclude(src, how))):
            return found, subj
    return NOTHING


@role("previous_coup", fallback="the state of the coup read before")
def previous_coup(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
                  ) -> Result:
    """"the coup": the state of the one read before."""
    return _state(ex, next((c for i, c in reversed(ex.res.coups) if i < tok.i), None))


@role("salient", fallback="the state named just before, else the article's main state")
def salient(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
            ) -> Result:
    """The state in focus here: named just before, else in the article."""
    exclude = _exclude(src, how)
    if exclude is None and (at := ex.agent_token(tok)) is not None:
        exclude = next((a.country for a in ex.res.resolve(at)), None)
    state = ex.res.antecedent(tok, exclude)
    return ([Actor(state)], None) if state else NOTHING


@role("demand")
def demand(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None, how: Reading
           ) -> Result:
    """Whom a request in the trigger's phrase or purpose clause is made of."""
    for t in event_scope(tok) + purpose_clauses(tok):
        if t.i != tok.i and names(t, ex.lex.modality["request_heads"], ex.lex):
            obj = patient_token(t, ex.lex) or next(
                (g for c in t.children if c.dep_ == "prep" for g in c.children
                 if g.dep_ == "pobj"), None)
            if obj is not None:
                found = ex.res.resolve(obj)
                if found:
                    return found, obj
    return NOTHING


@role("none")
@role("same_as_target", fallback="the recipient's own state")
def searched_by_the_extractor(ex: EventExtractor, tok: Token, sent: Span, src: Actor | None,
                              how: Reading) -> Result:
    """`none` (stop with no actors) and `same_as_target` (the source is the target's state) are
    read by EventExtractor._first itself."""
    return NOTHING
