"""Apply the event rules to a parsed article: triggers -> argument roles -> typed Events.

Roles (kg.extract.roles, named in kg/data/rules/events.jsonl) are tried in order; the first
that yields actors wins. One event is emitted per (source, target) pair, so coordinated actors
give one event each.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from spacy.tokens import Doc, Span, Token

from kg.extract.actors import FORCE_SECTORS, ActorResolver, Found, is_forces, same_party
from kg.extract.attributes import quantity
from kg.extract.dates import When, date_mentions, event_time
from kg.extract.roles import FALLBACKS, Reading, role_function
from kg.extract.rules import Lexicon, Rule
from kg.extract.syntax import (
    announced,
    at_border,
    coordinated_clauses,
    has_prep,
    in_a_name,
    is_source_attribution,
    joining_verb,
    journey_verb,
    lemma,
    modality_of,
    movement_stage,
    orphan_subject,
    patient_token,
    possessor,
    preparing,
    relative_antecedent,
    speech_verb,
    ultimatum,
)
from kg.extract.verbs import cameo_events
from kg.rdf.vocab import event_classes
from kg.records import Actor, Article, Entity, Event, Evidence, Quantity, TimeValue

T = TypeVar("T")

KEEP_SAME_COUNTRY = {"COUP", "COERCE", "ASSAULT", "PROTEST"}
NOMINAL_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj"}
# sectors of a state's own agents, whom its orders set to act ("ordered police to disperse ...")
AUTHORITY_SECTORS = {"government", "junta", "military", "instructors"}


class EventExtractor:
    """Extracts events from one parsed article with one set of rules."""

    def __init__(self, article: Article, doc: Doc, resolver: ActorResolver,
                 rules: tuple[Rule, ...], lexicon: Lexicon) -> None:
        self.article, self.doc, self.res, self.lex = article, doc, resolver, lexicon
        self.by_lemma: dict[tuple[str, str], list[Rule]] = {}
        for rule in rules:
            for word in rule.lemmas:
                self.by_lemma.setdefault((rule.pos, word), []).append(rule)
        self.classes = event_classes()
        # nouns of hostile acts ("the attack on X"): whom a condemnation of one accuses is who
        # did it, not whom it hit
        self.hostile_acts = frozenset(word for rule in rules if rule.pos == "NOUN"
                                      and self.classes[rule.event_class].plover == "ASSAULT"
                                      for word in rule.lemmas)
        # triggers of the rules that move forces, by part of speech: what an agreement to one
        # agrees to is planned ("agreed to withdraw")
        self.movements = frozenset((rule.pos, word) for rule in rules if rule.options.movement
                                   for word in rule.lemmas)
        self.agreements = frozenset((rule.pos, word) for rule in rules
                                    if rule.options.agrees_to_movement for word in rule.lemmas)
        self.ents = tuple(doc.ents)  # once: each read of Doc.ents builds every span again
        self._starts: dict[int, list[int]] = {}  # id(items) -> their start tokens
        self._by_sentence: dict[tuple[int, int], Sequence[Any]] = {}
        nouns = frozenset(w for rule in rules if rule.pos == "NOUN" for w in rule.lemmas)
        self.dates = date_mentions(self.ents, lexicon,
                                   lambda t: t.lower_ in nouns or lemma(t, lexicon) in nouns)
        self.assaults: list[tuple[int, Actor]] = []  # (trigger index, attacker) so far

    # -- entry point ------------------------------------------------------------------------
    def events(self) -> Iterator[Event]:
        for sent in self.doc.sents:
            found = list(self._sentence_events(sent))
            # one event read from two triggers ("a hunger strike in protest against X"): where
            # one names its recipient, the other's "no recipient" is not news
            targeted = {(e.event_type, _actor_key(e.source), e.modality)
                        for e in found if e.target is not None}
            yield from (e for e in found if e.target is not None or (
                e.event_type, _actor_key(e.source), e.modality) not in targeted)

    def _sentence_events(self, sent: Span) -> Iterator[Event]:
        """Events of one sentence, one per (class, source, target, trigger, date)."""
        seen: set[tuple[str, str | None, str | None, int, str | None]] = set()
        for tok in sent:
            pos = trigger_pos(tok)
            if pos is None or tok.ent_type_ in {"DATE", "TIME", "CARDINAL", "MONEY", "ORDINAL"}:
                continue  # "March" in "March 2022" is a month, not a protest
            if in_a_name(tok):
                continue  # "the Libya Sanctions List", "the Peace Agreement Act": a title
            m = self.res.mention(tok)
            if m is not None and m.entity.type != "Institution":
                continue  # part of a name: the "Union" of "European Union"
            keys = {lemma(tok, self.lex), tok.lower_}
            rules = list({r.id: r for k in sorted(keys)
                          for r in self.by_lemma.get((pos, k), [])}.values())
            # a rule that needs a word beside its trigger ("hunger strike") is the more
            # specific reading: where it fires, the trigger's general rules do not
            rules.sort(key=lambda r: not r.options.requires_word)
            specific = False
            for rule in rules:
                if specific and not rule.options.requires_word:
                    break
                found = list(self._apply(rule, tok, sent))
                for event in found + list(implied(found)):
                    specific = specific or bool(rule.options.requires_word)
                    key = (event.event_class, _actor_key(event.source),
                           _actor_key(event.target), tok.i, event.date and event.date.iso)
                    if key not in seen:
                        seen.add(key)
                        if event.event_type == "COUP" and event.modality == "asserted" \
                                and event.target and event.target.country:
                            self.res.coups.append((tok.i, event.target.country))
                        if event.event_type == "ASSAULT" and event.modality == "asserted" \
                                and event.source is not None:
                            self.assaults.append((tok.i, event.source))
                        yield event
            if pos == "VERB" and not rules:  # where kg's rules are silent, CAMEO's verb patterns
                for event in cameo_events(self, tok, sent):
                    key = (event.event_class, _actor_key(event.source),
                           _actor_key(event.target), tok.i, event.date and event.date.iso)
                    if key not in seen:
                        seen.add(key)
                        yield event

    # -- one rule at one trigger ------------------------------------------------------------
    def _apply(self, rule: Rule, tok: Token, sent: Span) -> Iterator[Event]:
        if not self._constraints_hold(rule, tok):
            return
        keep_same = self.classes[rule.event_class].plover in KEEP_SAME_COUNTRY
        # where a withdrawal states no origin of its own, the forces it moves "from X" are moved
        # out of X, not X's own ("the withdrawal of some forces from Panama", "withdraw its 300
        # soldiers from Chad"; but "troops from Chad withdrew from Mali" are Chad's)
        origins = frozenset({"from"}) if "prep:from" in rule.target \
            and not has_prep(tok, "from") else frozenset()
        with self.res.moving_from(origins):
            source = self._first(rule.source, tok, sent, None)
            foreign = self._foreign_patient(rule, tok)
        pairs_from_target = False
        if not source.actors and "same_as_target" in rule.source:
            found = self._first(rule.target, tok, sent, None, keep_same)
            source = Found(found.actors, found.token, "same_as_target")
            pairs_from_target = True
        if not source.actors:
            return
        if rule.options.source_not_forces and any(is_forces(a) for a in source.actors):
            return  # fighters "rallying" regroup; they do not protest
        if source.role == "poss" and tok.pos_ == "NOUN":
            source = Found([*source.actors, *(a for a in self._adopters(tok)
                                              if a not in source.actors)], source.token, "poss")
        if rule.options.own_clause and self._others_clause(tok, source.actors):
            return  # "warned that Belarus was massing troops": a warning about another's act
        if rule.options.source_sectors is not None and not all(
                a.sector in rule.options.source_sectors for a in source.actors):
            return  # "the junta took power"; a president who took power after an election did not
        if rule.options.requires_forces_or_person and not all(
                is_forces(a) or a.entity.type == "Person" for a in source.actors):
            return
        if rule.options.requires_forces and not all(is_forces(a) for a in source.actors):
            # "Rwanda deployed troops": the state acts, its forces are the object.
            patient = patient_token(tok, self.lex)
            moved = self.res.resolve(patient) if patient is not None else []
            unnamed = patient is not None and self.res.sector_of(patient) in FORCE_SECTORS
            if not (unnamed or (moved and all(is_forces(a) for a in moved))):
                return
        modality, future = modality_of(tok, sent, self.lex, self._own_order(rule, tok))
        if rule.options.movement and modality == "asserted" and self._agreed_to(tok):
            future = True  # "an agreement on the withdrawal", "the withdrawal agreement"
        ahead = future or modality == "hypothetical"  # its date is still to come
        cls = rule.event_class
        if modality == "negated" and rule.options.on_negated:
            cls, modality = rule.options.on_negated, "asserted"  # "will not accept" rejects
        if ultimatum(tok):  # "will withdraw its force unless ...": a threat
            cls, modality, future = "Threat", "asserted", False
        if future and rule.options.on_future == "Threat" and announced(tok, self.lex):
            future = False  # a measure announced is a measure taken; a threat is still to come
        if future:
            if rule.options.on_future:
                cls = rule.options.on_future
                if cls == "Threat" and rule.event_class == "Assault" and preparing(tok, self.lex):
                    cls = "Mobilization"  # "prepared to attack": forces readied, not a threat
            else:
                modality = "hypothetical"
        if rule.options.within_state and cls in {rule.event_class, rule.options.on_future} \
                and self._moved_within(tok):
            # forces moved between two places of one state neither arrive in it nor leave it
            cls = rule.options.within_state
        for refine in rule.options.refine:
            if any(a.sector == refine.sector for a in source.actors) and cls == rule.event_class:
                cls = refine.event_class
        classes = [cls] + (list(rule.options.implies) if modality == "asserted"
                           and not future else [])
        attribution = self._attribution(tok)
        when = self._time(tok, ahead, rule.pos == "NOUN")
        status = self._status(rule, tok, modality, future, when.date)
        where = self._location(tok)
        if foreign is not None and source.role == "agent" and not any(
                same_party(a, p) for a in source.actors for p in foreign.actors):
            cls = rule.options.foreign_patient or cls  # "Italy evacuated 10 American troops": aid
            classes = [cls]
        else:
            foreign = None
        for src in source.actors:
            target = source if pairs_from_target else foreign if foreign is not None else \
                self._target(rule, tok, sent, src, keep_same)
            if not target.actors and not rule.options.target_optional:
                continue
            recipients = target.actors
            if not pairs_from_target and target.role not in {"sentence", "salient", "between"} \
                    and not self.classes[cls].joint and len(source.actors) > 1:
                # "A, B and C severed their relations with D": what the co-agents act on
                # together is not each other (but signatories of a pact do sign with each other);
                # "French and Chadian jets struck rebel positions in Chad" did not strike Chad
                recipients = [a for a in recipients
                              if not any(same_party(a, s) for s in source.actors)]
                if not recipients and target.actors:
                    continue
            targets: list[Actor | None] = [src] if pairs_from_target else \
                [*recipients] or [None]
            for tgt in targets:
                if pairs_from_target and not src.country:
                    continue  # "dissolved the government and the assembly": the assembly is no side
                if pairs_from_target and src.country and src.entity.type != "State":
                    # a coup that ousted President X was staged in X's state, by that state's side
                    src = Actor(self.res.gazetteer.state(src.country) or src.entity)
                if tgt is not None and same_party(src, tgt) and target.role != "own_state" \
                        and not keep_same and self.classes[cls].plover not in KEEP_SAME_COUNTRY:
                    # (a curfew threatened at home is still the state's own affair)
                    continue
                qty, money = self._quantities(rule, tok, source.token, target.token)
                # a count of the forces moved tells how many were there: "withdrawing more
                # than 1,000 US troops from Niger" (under way or still planned) -> Niger hosts
                # more than 1,000 US troops, as of the article (or the move's past date)
                counted = [c for c in rule.options.implies_counted if c not in classes] if \
                    modality == "asserted" and foreign is None and qty is not None \
                    and qty.unit == "personnel" else []
                for c in classes + counted:
                    if c != cls and (tgt is None or at_border(target.token, self.lex)):
                        # an implied relation (presence) needs both parties, and forces sent
                        # to "the border with X" are on their own side of it, not in X
                        continue
                    info = self.classes[c]
                    # "the war between X and Y": each side acts on the other
                    sides = [(src, tgt)] + ([(tgt, src)] if tgt is not None and rule.options.mutual
                                            and target.role == "between" else [])
                    for one, other in sides:
                        # "coups in August 2020 and May 2021": one event per date
                        for day in (when.date, *when.more):
                            yield Event(
                                event_type=info.plover, event_class=c, source=one,
                                target=other,
                                evidence=self._evidence(rule, tok, sent, source, target),
                                date=None if c in counted and ahead else day,
                                since=when.since, location=where, quantity=qty, money=money,
                                modality=modality, attributed_to=attribution,
                                status=status if c == cls else None,
                            )

    def _status(self, rule: Rule, tok: Token, modality: str, future: bool,
                when: TimeValue | None) -> str | None:
        """How far a movement has gone when reported (Event.status), for the rules with
        `movement`, and "planned" for an agreement to one (`agrees_to_movement`).

        A movement still to come is "planned" (a withdrawal is then a Concession, not a
        Withdrawal, and its date is its deadline). One begun ("began withdrawing", "the
        beginning of the process of withdrawing", "is under way") is "under-way" and keeps its
        class: PLOVER codes a withdrawal in progress as RETREAT (as the guidelines do, "completed
        or ongoing withdrawal"), since forces are already leaving; the status is what tells it
        from one that is over. One finished ("completed the withdrawal", "withdrew", "arrived",
        or dated before the article) is "completed". A negated or hypothetical movement
        (demanded, conditional) has none: nobody plans what is only asked for, and its
        modality already says it did not happen."""
        if modality != "asserted":
            return None
        if rule.options.agrees_to_movement:
            return "planned" if self._agreed_movement(tok) else None
        if not rule.options.movement:
            return None
        if future:
            return "planned"
        stage = movement_stage(tok, self.lex)
        if stage is None and when is not None and self.article.date is not None and \
                when.iso < self.article.date.isoformat()[:len(when.iso)]:
            return "completed"  # "the withdrawal of French troops in 2022"
        return stage

    def _moved_within(self, tok: Token) -> bool:
        """Whether a movement goes from one place to another of the same state ("moved personnel
        from Air Base 101 in Niamey to Air Base 201 in Agadez"): its phrase, but for its subject,
        has a "from" and a "to" or "into", and names two or more places, all in one state. (The
        parser hangs the places' own "in" phrases anywhere in it, so where each end is is not
        read apart.)"""
        subject = {t.i for c in tok.children if c.dep_ in {"nsubj", "nsubjpass", "poss"}
                   for t in c.subtree}
        phrase = [t for t in tok.subtree if t.i not in subject]
        preps = {t.lower_ for t in phrase if t.dep_ == "prep"}
        if "from" not in preps or not preps & {"to", "into"}:
            return False

        def placed(t: Token) -> bool:  # "in Agadez", "near the capital of Niamey"
            if t.dep_ != "pobj" or lemma(t, self.lex) in self.lex.country_nouns:
                return False  # (not "the country", which may refer back to either side)
            if t.head.lower_ == "of" and t.head.head.dep_ == "pobj":
                t = t.head.head
            return t.head.lower_ in self.lex.locative_preps
        places = {place for t in phrase if placed(t) and (place := self.res.place(t)) is not None}
        states = {p.id if p.type == "State" else p.country for p in places}
        return len(places) > 1 and len(states) == 1 and None not in states

    def _agreed_to(self, tok: Token) -> bool:
        """Whether a movement trigger is what an agreement or promise is to (the converse of
        `_agreed_movement`)."""
        head = tok.head
        if tok.dep_ in {"pobj", "pcomp"} and head.dep_ == "prep" and \
                head.lower_ in self.lex.status["agreement_preps"]:
            head = head.head
        elif tok.dep_ not in {"xcomp", "ccomp", "acl", "compound"}:
            return False
        return head.i != tok.i and (pos := trigger_pos(head)) is not None and any(
            (pos, word) in self.agreements for word in (lemma(head, self.lex), head.lower_))

    def _agreed_movement(self, tok: Token) -> bool:
        """Whether what an agreement or promise is to is a movement ("agreed to withdraw",
        "an agreement on the withdrawal", "the withdrawal agreement")."""
        for c in tok.children:
            if c.dep_ in {"xcomp", "ccomp", "acl", "compound"}:
                found = [c, *c.conjuncts]
            elif c.dep_ == "prep" and c.lower_ in self.lex.status["agreement_preps"]:
                found = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
            else:
                continue
            if any((pos, word) in self.movements for x in found if (pos := trigger_pos(x))
                   for word in (lemma(x, self.lex), x.lower_)):
                return True
        return False

    def _constraints_hold(self, rule: Rule, tok: Token) -> bool:
        lem = lemma(tok, self.lex)
        if rule.options.not_governed_by and tok.dep_ in {"dobj", "nsubjpass"} and \
                lemma(tok.head, self.lex) in rule.options.not_governed_by:
            return False  # "launched 300 air threats": weapons, not words
        particles = rule.options.particle or rule.options.particle_for.get(lem)
        if particles and not any(c.dep_ in {"prt", "prep"} and c.lower_ in particles
                                 for c in tok.children):
            return False
        patient = patient_token(tok, self.lex)
        # what the verb acts on: its object, or what that is "of" ("control of the town",
        # "dozens of diplomats")
        heads = [patient] if patient is not None else []
        if patient is not None:
            heads += [c for c in patient.children if c.dep_ == "prep" and c.lower_ == "of"
                      for c in c.children]
        excluded = rule.options.patient_not_lemmas_for.get(lem)
        if excluded and any(lemma(h, self.lex) in excluded or h.lower_ in excluded
                            for h in heads):
            return False
        lemmas = rule.options.patient_lemmas or rule.options.patient_lemmas_for.get(lem)
        if lemmas:
            if patient is not None:
                # "President Roch Marc Kabore": the title may sit on another name part; with
                # patient_head_only a modifier does not count (a "power plant" is no power)
                if not rule.options.patient_head_only:
                    heads += [t for t in patient.subtree
                              if t.dep_ == "compound" and t.i < patient.i]
                heads += list(patient.conjuncts)  # "provided images and other intelligence"
            # "held civilians as human shields"
            heads += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
                      for g in c.children if g.dep_ == "pobj"]
            if not any(lemma(h, self.lex) in lemmas or h.lower_ in lemmas for h in heads):
                return False
        modals = rule.options.requires_complement_modal
        if modals and not any(a.dep_ == "aux" and a.lower_ in modals
                              for c in tok.children if c.dep_ == "ccomp" for a in c.children):
            return False
        if lem in rule.options.intransitive_lemmas and any(
                c.dep_ in {"dobj", "ccomp"} for c in tok.children):
            return False  # "the attack demonstrates that ...": no demonstration
        deps = rule.options.requires_dep
        if deps and not any(c.dep_ in deps for c in tok.children):
            return False
        if (own := rule.options.requires_own_dep) and tok.dep_ not in own:
            return False  # "the presence is illegal" (acomp), not "declared it illegal"
        words = rule.options.requires_word
        if words:
            near = [c for c in tok.children] + [g for c in tok.children for g in c.children]
            if not any(lemma(t, self.lex) in words or t.lower_ in words for t in near):
                return False
        if rule.options.requires_forces_patient or rule.options.not_if_forces:
            actors = self.res.resolve(patient) if patient is not None else []
            forces = bool(actors) and all(is_forces(a) for a in actors)
            if rule.options.requires_forces_patient and not forces:
                return False
            if rule.options.not_if_forces and forces:
                return False
        return True

    def _target(self, rule: Rule, tok: Token, sent: Span, src: Actor, keep_same: bool) -> Found:
        """The recipient of an event whose source is `src`."""
        plover = self.classes[rule.event_class].plover
        if plover != "PROTEST":
            return self._first(rule.target, tok, sent, src, keep_same,
                               joint=self.classes[rule.event_class].joint,
                               deplores=plover == "ACCUSE")
        # Where protesters are is not whom they protest against ("rioted at a jail in Dili"),
        # unless it is abroad ("at a jail in Israel", "outside the French embassy").
        target = self._first(rule.target, tok, sent, src, keep_same, places=False, deplores=True)
        if not target.actors:
            placed = self._first(rule.target, tok, sent, src, keep_same, deplores=True)
            if placed.actors and all(a.country != src.country for a in placed.actors):
                return placed
        return target

    # -- roles -------------------------------------------------------------------------------
    def _first(self, roles: tuple[str, ...], tok: Token, sent: Span, src: Actor | None,
               keep_same: bool = False, places: bool = True, joint: bool = False,
               deplores: bool = False) -> Found:
        """The actors of the first role that names any. With `deplores` (an accusation, a
        protest), a role naming a hostile act ("condemned the attack on X") names whoever did
        it, and no one if the text does not say."""
        # "what the people have asked for": the recipient is named, by a pronoun we cannot resolve
        named_but_unknown = any(g.lower_ == "what" for c in tok.children if c.dep_ == "prep"
                                for g in c.children)
        how = Reading(keep_same, places, joint, deplores)
        for role in roles:
            if role == "none":
                return Found([], None, role)
            if role == "same_as_target" or (role in {"sentence", "salient"} and named_but_unknown):
                continue  # the text names a recipient we cannot resolve: do not guess another
            actors, at = role_function(role)(self, tok, sent, src, how)
            # ("call for restraint" names what is asked, not of whom)
            if role.startswith("prep:") and role not in {"prep:of", "prep:for"} and not actors \
                    and has_prep(tok, role[5:]):
                named_but_unknown = True
            deplored = role == "patient" and deplores and at is not None and self.hostile_act(at)
            if role == "patient" and at is not None and (
                    (at.pos_ == "PRON" and not actors) or deplored
                    or lemma(at, self.lex) in self.lex.party_nouns):
                # "what the people have asked for", "we urge partners to ...": named, unknown
                named_but_unknown = True
            if src is not None and not keep_same and role != "own_state":
                actors = [a for a in actors if not same_party(a, src)]
            if actors or deplored:
                # (whom an act deplored hit, in a phrase the parser hung on the verb, is not
                # whom it accuses: "condemned the attack against Somali troops")
                return Found(actors, at, role)
        return Found([], None, "")

    def governor_agent(self, tok: Token) -> Token | None:
        """Who does what a noun names, as the verb governing it says: the agent of a light verb
        ("Mali signed an agreement"), of a claim of responsibility, of taking part ("we are in
        talks with") or of a journey ("arrived in Amman on a visit")."""
        while tok.dep_ == "conj" and tok.head.i != tok.i:  # "food and health assistance"
            tok = tok.head
        head = tok.head
        if tok.dep_ in {"dobj", "nsubjpass"} and lemma(head, self.lex) in self.lex.light_verbs:
            return self.agent_token(head)
        if tok.dep_ == "pobj" and head.lower_ == "for" and \
                lemma(head.head, self.lex) == "responsibility" and \
                lemma(head.head.head, self.lex) in self.lex.responsibility_verbs:
            return self.agent_token(head.head.head)  # "JNIM claimed responsibility for ..."
        if tok.dep_ == "pobj" and head.lower_ in self.lex.participation_preps and \
                lemma(head.head, self.lex) in self.lex.participation_verbs:
            return self.agent_token(head.head)
        if (journey := journey_verb(tok, self.lex)) is not None:
            return self.agent_token(journey)
        return None

    def hostile_act(self, tok: Token) -> bool:
        return tok.pos_ == "NOUN" and lemma(tok, self.lex) in self.hostile_acts

    def doers(self, act: Token, verb: Token | None, places: bool) -> list[Actor]:
        """Who did a hostile act (ActorResolver.doers), else where it happened ("the attacks
        in Mali", as the guidelines code a condemnation of violence in a country), if `places`
        may name a party; never whom it hit ("on", "against", "of"). `verb`'s own "by" phrase
        counts too: the parser often hangs "by X" on the verb ("condemned the attack on
        Somalia by al-Shabaab")."""
        res = self.res
        found = res.doers(act)
        if not found and verb is not None and verb.pos_ == "VERB" and not any(
                c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children):
            by = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "by"
                  for g in c.children if g.dep_ == "pobj"]
            found = res.resolve(by[0]) if by else []
        for scene in (c for c in act.children if places and not found and c.dep_ == "prep"
                      and c.lower_ in self.lex.scene_preps):
            for pobj in (g for g in scene.children if g.dep_ == "pobj"):
                found = found or res.place_actor(pobj)
        return found or self._earlier_attacker(act)

    def _earlier_attacker(self, act: Token) -> list[Actor]:
        """Who did the hostile act a definite noun refers back to ("... launched strikes on X.
        Y denounced the strikes"): the attacker of the last assault read in this or the two
        sentences before, if one was named; else no one."""
        if not any(c.dep_ == "det" and c.lower_ in self.lex.definite_determiners
                   for c in act.children):
            return []
        first = act.sent.start
        for _ in range(2):
            if first > 0:
                first = self.doc[first - 1].sent.start
        return next(([who] for i, who in reversed(self.assaults) if first <= i < act.i), [])

    def _own_order(self, rule: Rule, tok: Token) -> Token | None:
        """The order verb under which an `orderable` act is done, not asked for: an authority's
        order to its own side or to no one named ("the junta ordered the closure of the border",
        "ordered its troops to withdraw", "ordered police to disperse the crowd"). An order to
        another party ("ordered French troops to leave") is a request, and None."""
        if not rule.options.orderable:
            return None
        node = tok
        while node.dep_ == "conj" and node.head.i != node.i:
            node = node.head
        head = node.head
        if node.dep_ not in {"dobj", "xcomp"} or head.i == node.i or \
                lemma(head, self.lex) not in self.lex.order_verbs:
            return None
        orderer = self.agent_token(head)
        authority = self.res.resolve(orderer) if orderer is not None else []
        if not authority:
            return None
        told = next((c for c in head.children if c.dep_ == "dobj"), None)
        if node.dep_ == "xcomp" and told is not None:
            parties = self.res.resolve(told)
            if not parties and self.res.sector_of(told) not in AUTHORITY_SECTORS:
                return None  # "ordered residents to leave": not its agents
            if not all(any(same_party(p, a) or (p.country is not None and p.country == a.country)
                           for a in authority) for p in parties):
                return None
        return head

    def _foreign_patient(self, rule: Rule, tok: Token) -> Found | None:
        """For rules with `foreign_patient`: the forces the verb acts on, with their states."""
        if not rule.options.foreign_patient:
            return None
        patient = patient_token(tok, self.lex)
        if patient is None or patient.dep_ == "nsubjpass":
            return None
        actors = [a for a in self.res.resolve(patient) if a.country]
        states = [Actor(s) for a in actors if (s := self.res.gazetteer.state(a.country or ""))]
        return Found(states, patient, "patient") if states else None

    def place_within(self, tok: Token) -> list[Actor]:
        """The state of a place named inside a phrase ("events in Burkina Faso", "the border
        with Somalia")."""
        preps = self.lex.scene_preps | (
            {"with"} if lemma(tok, self.lex) in self.lex.border_nouns else set())
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and (found := self.res.place_actor(pobj)):
                        return found
        return []

    def _adopters(self, tok: Token) -> list[Actor]:
        """Who makes another's act its own ("Ghana shares Nigeria's condemnation of ...")."""
        if tok.dep_ != "dobj" or lemma(tok.head, self.lex) not in self.lex.adopting_verbs:
            return []
        agent = self.agent_token(tok.head)
        return self.res.resolve(agent) if agent is not None else []

    def _others_clause(self, tok: Token, agents: list[Actor]) -> bool:
        """Whether the trigger's that-clause tells what another party does ("warned that Belarus
        was massing troops"), not what the agents will do ("warned that it would retaliate")."""
        for comp in (c for c in tok.children if c.dep_ == "ccomp"):
            subj = next((c for c in comp.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            found = self.res.resolve(subj) if subj is not None else []
            if found and not any(same_party(a, b) for a in found for b in agents):
                return True
        return False

    def joined(self, tok: Token, agents: list[Actor]) -> list[Actor]:
        """Who the agents join in an act ("Ghana joined Nigeria and Senegal in condemning ...",
        "we join our partners at ECOWAS and the AU in condemning ..."): co-agents of it."""
        verb = joining_verb(tok, self.lex)
        if verb is None:
            return []
        prep, found = tok.head, []
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            for part in (obj, *obj.conjuncts):
                # "our partners" are not us
                actors = [a for a in self.res.resolve(part)
                          if not any(same_party(a, b) for b in agents)]
                if not actors:  # "our partners at ECOWAS, the AU and the EU" (the "at" phrase
                    # on the partners or, as parsed, on the verb)
                    actors = [a for c in (*part.children, *verb.children)
                              if c.dep_ == "prep" and c.i != prep.i
                              for g in c.children if g.dep_ == "pobj"
                              for x in (g, *g.conjuncts) for a in self.res.resolve(x)]
                found += actors
        return found

    def agent_token(self, tok: Token) -> Token | None:
        """The token naming who does what a verb (or noun) says."""
        if tok.pos_ not in {"VERB", "AUX"} and tok.tag_ != "VBN":
            return possessor(tok)
        for c in tok.children:
            if c.dep_ == "agent":
                return next((g for g in c.children if g.dep_ == "pobj"), None)
        if any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children):
            return None  # a passive names its agent only with "by"
        # of two subjects the nearest ("ISLAMABAD (AP) -- Pakistani jets struck ...": the
        # dateline is no subject), but not a year the parser took for one ("since 2018")
        for c in sorted(tok.children, key=lambda c: (
                c.like_num or c.ent_type_ == "DATE" or not any(ch.isalpha() for ch in c.text),
                c.i > tok.i, -c.i)):
            if c.dep_ in {"nsubj", "csubj"}:
                if c.lower_ in self.lex.relative_pronouns and tok.dep_ == "relcl":
                    return relative_antecedent(tok.head)
                if is_source_attribution(c):  # "According to officials, Russia arms ..."
                    return orphan_subject(tok)
                return c
        if tok.tag_ == "VBG" and tok.i > 0 and (before := tok.doc[tok.i - 1]).dep_ == "pobj" \
                and before.head.lower_ in {"for", "of", "with"} and self.res.resolve(before):
            return before  # "in exchange for Morocco normalising ties": Morocco normalises
        if tok.dep_ == "xcomp" and tok.head.i != tok.i:
            head = tok.head
            if lemma(head, self.lex) in self.lex.object_control_verbs:
                obj = next((c for c in head.children if c.dep_ in {"dobj", "nsubjpass"}), None)
                if obj is not None and lemma(head, self.lex) in self.lex.order_verbs and \
                        not self.res.resolve(obj) and self.res.sector_of(obj) in AUTHORITY_SECTORS:
                    # "the junta ordered police to ...": unnamed agents act for who orders them
                    return self.agent_token(head) or obj
                if obj is not None:
                    return obj
            if head.dep_ == "acomp" and head.head.i != head.i:
                return self.agent_token(head.head)  # "Nigeria is ready to impose ..."
            return self.agent_token(head)
        if tok.dep_ in {"conj", "advcl"} and tok.head.i != tok.i and tok.head.pos_ == "VERB":
            return self.agent_token(tok.head)
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.pos_ == "VERB":
            return self.agent_token(tok.head.head)  # "join X in condemning"
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.lower_ in {"in", "for"}:
            # "Poland has been a leader in providing ...", "troops who were key in aiding ...",
            # "U.S. forces are responsible for training ...": who the predicate describes does it
            pred = tok.head.head
            while pred.dep_ == "conj" and pred.head.i != pred.i:
                pred = pred.head
            if pred.dep_ in {"attr", "acomp"} and pred.head.pos_ in {"AUX", "VERB"}:
                return self.agent_token(pred.head)
        if tok.dep_ == "acl" and tok.tag_ == "VBG":
            if self.res.resolve(tok.head) or tok.head.dep_ not in {"dobj", "pobj"}:
                return tok.head  # "U.S. forces deploying into the region"
            verb = tok.head.head if tok.head.dep_ == "dobj" else tok.head.head.head
            return self.agent_token(verb)  # "X issued a declaration demanding ..."
        if tok.dep_ == "acl" and tok.tag_ == "VB":  # "ECOWAS's efforts to work with Niger"
            owner = next((c for c in tok.head.children if c.dep_ == "poss"), None)
            if owner is None and tok.head.dep_ == "dobj" and \
                    lemma(tok.head.head, self.lex) in self.lex.light_verbs:
                return self.agent_token(tok.head.head)  # "X launched a bid to seize Y"
            return owner
        if tok.dep_ == "ROOT" and tok.tag_ in {"VBP", "VBZ", "VBD"}:
            return orphan_subject(tok)
        return None

    def partners(self, tok: Token, src: Actor | None) -> tuple[list[Actor], Token | None]:
        """The states acting together with `src` as the trigger's agent ("Mali and Niger met",
        "officials of Mali and Niger met"), other than src's own."""
        agent = self.agent_token(tok)
        if agent is None and tok.pos_ in {"NOUN", "PROPN"}:
            agent = self.governor_agent(tok)  # "Mali and Niger reached an agreement"
        if agent is None or src is None:
            return [], None
        found = [a for c in (agent, *agent.conjuncts) for a in self.res.resolve(c)]
        states = [Actor(s) for a in found if a.country and a.country != src.country
                  and (s := self.res.gazetteer.state(a.country)) is not None]
        return list(dict.fromkeys(states)), agent

    def sentence_state(self, tok: Token, sent: Span, src: Actor | None, one_sided: bool = False
                        ) -> tuple[list[Actor], Token | None]:
        """The state nearest the trigger in the same sentence, other than the source's. In a
        one-sided act (attack, arrest, protest, coup), no co-agent is a recipient ("the army
        and its allies killed ..."); in a joint one ("the two countries agreed") they are."""
        best: tuple[int, list[Actor], Token] | None = None
        exclude = src.country if src is not None else None
        speaker = self._speaker_tokens(tok)
        agent = self.agent_token(tok) if one_sided else None
        actors = {t.i for t in agent.subtree} if agent is not None else set()
        if tok.i in actors:  # not the trigger's own clause ("a junta that declared ...")
            actors -= {t.i for t in tok.subtree}
        other = coordinated_clauses(tok, self.lex)
        if (joining := joining_verb(tok, self.lex)) is not None:  # whom the agent joins acts too
            other |= {t.i for c in joining.children if c.dep_ == "dobj" for t in c.subtree}
        for t in sent:
            if t.i in speaker or t.i in actors or t.i in other:
                continue  # who reports an event, or acts in it, is rarely its recipient
            if t.dep_ in {"amod", "compound", "nmod", "poss"} and \
                    lemma(t.head, self.lex) in self.lex.border_nouns:
                continue  # "near the Venezuelan border" places the event, on this side of it
            if self.res.mention(t):  # a state named alone or in a list ("Libya, CAR and Syria")
                found = [a for c in (t, *t.conjuncts) for a in self.res.resolve(c, as_place=True)]
            elif lemma(t, self.lex) in self.lex.country_nouns | self.lex.place_nouns:
                found = self.res.resolve(t, exclude=exclude)  # "the country", "these places"
            else:
                continue
            states = [Actor(s) for a in found if a.country and a.country != exclude
                      and (s := self.res.gazetteer.state(a.country)) is not None]
            states = list(dict.fromkeys(states))
            if not states:
                continue
            # Places ("from Niger", "in Mali") are likelier recipients than other mentions.
            dist = abs(t.i - tok.i) - (100 if self.res.is_place_use(t) else 0)
            if best is None or dist < best[0]:
                best = (dist, states, t)
        return (best[1], best[2]) if best else ([], None)

    # -- modality, attribution, attributes --------------------------------------------------
    def _speaker_tokens(self, tok: Token) -> set[int]:
        """Indices of the subject phrases of the verbs `tok` depends on whose subjects are actors:
        who says, voices concern about or reports an event is rarely its recipient."""
        out: set[int] = set()
        for node in tok.ancestors:
            if node.pos_ not in {"VERB", "AUX"}:
                continue
            for subj in (c for c in node.children if c.dep_ == "nsubj"):
                speech = lemma(node, self.lex) in self.lex.speech_verbs
                agentive = speech or subj.pos_ == "PRON" or self.res.mention(subj) is not None \
                    or self.res.sector_of(subj) is not None
                # "..., a spokesman for the embassy said", "a member of the Chadian team said": a
                # reporter, even one we cannot resolve
                if agentive and tok.i not in {t.i for t in subj.subtree} and (
                        speech or self.res.resolve(subj)):
                    out |= {t.i for t in subj.subtree}
        return out

    def _attribution(self, tok: Token) -> Actor | None:
        verb = speech_verb(tok, self.lex)
        at = self.agent_token(verb) if verb is not None else None
        found = self.res.resolve(at) if at is not None else []
        return found[0] if found else None

    def _time(self, tok: Token, ahead: bool, as_noun: bool = False) -> When:
        """The date (and interval start) of the trigger's own clause, against the article's
        date; `ahead` if the event is still to come (see kg.extract.dates)."""
        return event_time(tok, as_noun, self._in_sentence(self.dates, tok, lambda m: m.span.start),
                          self.article.date, self.lex, ahead)

    def _in_sentence(self, items: Sequence[T], tok: Token, start: Callable[[T], int]
                     ) -> Sequence[T]:
        """The items (in text order) that start in `tok`'s sentence: each event looks only at
        its own sentence's entities, so a long article takes time linear in its length."""
        sent = tok.sent
        key = (id(items), sent.start)
        if key not in self._by_sentence:
            if id(items) not in self._starts:
                self._starts[id(items)] = [start(i) for i in items]
            starts = self._starts[id(items)]
            lo, hi = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
            self._by_sentence[key] = items[lo:hi]
        return self._by_sentence[key]  # type: ignore[no-any-return]

    def _location(self, tok: Token) -> Entity | None:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in self.lex.location_preps:
                for pobj in c.children:
                    if pobj.dep_ == "pobj" and (place := self.res.place(pobj)):
                        return place
        return None

    def _quantities(self, rule: Rule, tok: Token, *args: Token | None
                    ) -> tuple[Quantity | None, Quantity | None]:
        """The count (of personnel or things) and the money a number in the trigger's phrase, its
        parties' or its object's gives. A number that counts the trigger noun itself counts
        events ("eight coups", "two attacks"), not what each involves, unless it counts people
        ("1,000 troops") or the rule's triggers name things (`trigger_counts_things`: "40
        weapons")."""
        anchors = {t.i for t in (tok, *args) if t is not None}
        anchors |= {c.i for t in (tok, *args) if t is not None for c in t.children
                    if c.dep_ in {"dobj", "nsubj", "nsubjpass"}}
        qty = money = None
        for ent in self._in_sentence(self.ents, tok, lambda e: e.start):
            if ent.label_ not in {"CARDINAL", "MONEY", "QUANTITY"}:
                continue
            head, counted = ent.root, None
            for _ in range(3):
                if head.i in anchors:
                    counted = head
                    break
                if head.head.i == head.i:
                    break
                head = head.head
            if counted is None:
                continue
            q = quantity(ent, self.lex, counted)
            if q is None:
                continue
            if counted.i == tok.i and q.unit == "item" and not rule.options.trigger_counts_things:
                continue  # "Eight coups in four years": not eight of each
            if q.unit in {"USD", "EUR", "GBP"}:
                money = money or q
            else:
                qty = qty or q
        return qty, money

    def _evidence(self, rule: Rule, tok: Token, sent: Span, source: Found, target: Found
                  ) -> Evidence:
        # quoted from the article itself: the parsed text differs in its apostrophes
        written = self.article.text
        # a fallback that names no token ("own_state") is recorded by its role alone
        matched = tuple(f"{role}={written[t.idx:t.idx + len(t.text)]}" if t is not None else role
                        for role, t in (("trigger", tok), (f"source:{source.role}", source.token),
                                        (f"target:{target.role}", target.token))
                        if t is not None or role.split(":", 1)[1] in FALLBACKS)
        text = written[sent.start_char:sent.end_char]
        start = sent.start_char + (len(text) - len(text.lstrip()))
        text = text.strip()
        return Evidence(
            article_id=self.article.id, sentence=text, start=start, end=start + len(text),
            rule=rule.id, trigger=written[tok.idx:tok.idx + len(tok.text)],
            trigger_start=tok.idx,
            trigger_end=tok.idx + len(tok.text), tokens=matched,
        )


# hostile acts whose doers, when several states act together, cooperate in them ("U.S. and Kenyan
# forces repelled the attack, killing five militants"), and whose doer a state's spokesman who
# reports them accuses ("Russia attacked our cities, the minister said")
JOINT_ACTS = {"ASSAULT", "MOBILIZE"}
REPORTED_ACTS = {"ASSAULT"}


def implied(found: list[Event]) -> Iterator[Event]:
    """The events one trigger's events imply: co-agents of different states cooperate, and the
    state or person that reports another's attack accuses it (not an unnamed news source, such as
    "Thai police" or "officials"). Their evidence is the trigger's, under the
    rule id with ":co-agents" or ":reported" added."""
    co_agents = [e.source for e in found if e.modality == "asserted" and e.source is not None
                 and e.event_type in JOINT_ACTS and e.source.country
                 and any(t.startswith(("source:agent=", "source:governor=", "source:by="))
                         for t in e.evidence.tokens)]
    states = list(dict.fromkeys(a for a in co_agents))
    for i, one in enumerate(states):
        for other in states[i + 1:]:
            if one.country != other.country:
                ev = found[0].evidence
                yield Event(event_type="COOPERATE", event_class="Cooperation", source=one,
                            target=other, evidence=replace(ev, rule=f"{ev.rule}:co-agents"),
                            date=found[0].date, since=found[0].since,
                            location=found[0].location)
    for e in found:
        speaker = e.attributed_to
        if speaker is not None and not (speaker.entity.type == "Person" or speaker.sector is None):
            continue  # "police said", "military sources said": a news source, not an accuser
        if e.event_type in REPORTED_ACTS and e.modality == "asserted" and e.source is not None \
                and speaker is not None and speaker.country and not same_party(speaker, e.source) \
                and speaker.country != e.source.country:
            yield Event(event_type="ACCUSE", event_class="Accusation", source=speaker,
                        target=e.source, evidence=replace(e.evidence, rule=f"{e.evidence.rule}:reported"),
                        date=e.date, since=e.since, location=e.location)


def trigger_pos(tok: Token) -> str | None:
    """Which rules a token can trigger: "VERB" (verbs, auxiliaries, adjectives, past
    participles), "NOUN" or None."""
    if tok.tag_ == "VBG" and tok.dep_ in NOMINAL_DEPS:
        return "NOUN"  # a gerund used as a noun: "Fighting between X and Y killed ..."
    if tok.pos_ in {"VERB", "AUX", "ADJ"} or tok.tag_ == "VBN":
        return "VERB"
    # a word the tagger leaves unclassed (X) is most often a borrowed noun ("coup d'etat"): a
    # noun trigger if a rule names it
    return "NOUN" if tok.pos_ in {"NOUN", "PROPN", "X"} else None


def _actor_key(actor: Actor | None) -> str | None:
    return None if actor is None else f"{actor.entity.id}/{actor.sector}"
