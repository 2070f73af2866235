"""Resolve a token of the parse to the actors (or place) it stands for.

"US troops" -> (USA, military); "Niger's prime minister" -> (NER, government); "Washington" as a
subject -> (USA, government) but "in Niamey" -> a place in NER; "the junta" -> the article's most
salient state's junta (simple within-article coreference); "we" in a statement -> its publisher.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token

from kg.extract.rules import Lexicon
from kg.extract.syntax import possessor
from kg.link.gazetteer import Gazetteer
from kg.records import Actor, Entity, Mention

ACTOR_TYPES = {"State", "Person", "Organisation", "Mission", "ArmedGroup", "MilitaryContractor",
               "UnknownActor"}
PLACE_TYPES = {"State", "City", "MilitaryBase"}
FORCE_TYPES = {"Mission", "ArmedGroup", "MilitaryContractor"}
MODIFIER_DEPS = {"poss", "compound", "amod", "nmod", "appos"}


FORCE_SECTORS = {"military", "instructors", "rebels"}


def _reports_source(tok: Token) -> bool:
    """Whether a token is X in "according to X"."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according"


def is_ethnic(tok: Token) -> bool:
    """Whether a demonym names an ethnic group, not a state's people ("ethnic Albanians in
    Serbia", "ethnic Turkish villagers")."""
    near = [*tok.children]
    if tok.dep_ in {"amod", "compound"}:
        near += [c for c in tok.head.children if c.i < tok.i]
    return any(c.lower_ == "ethnic" for c in near)


def is_forces(actor: Actor) -> bool:
    """Whether an actor is an armed force (a state's military or an armed organisation)."""
    return actor.sector in FORCE_SECTORS or actor.entity.type in FORCE_TYPES


PERSONAL_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})


def same_party(a: Actor, b: Actor) -> bool:
    """Whether two actors are one side: the same entity, or parts of the same state. A person or
    group inside a state is a party of its own (civil wars: "Haftar's forces withdrew from
    western Libya")."""
    if (a.sector == "rebels") != (b.sector == "rebels"):
        return False  # a state's rebels are not its side
    if a.entity.id == b.entity.id:
        return True
    state_side = {"State", "Institution"}
    return (a.country is not None and a.country == b.country
            and a.entity.type in state_side and b.entity.type in state_side)


def _companions(tok: Token) -> list[Token]:
    """Who a name is given together with ("Russia, along with China, is ...", "Chad, together
    with Niger, ...", "Kenya alongside Uganda"): they share what it does."""
    out = []
    holders = [tok] + ([tok.head] if tok.dep_ in {"nsubj", "nsubjpass"} else [])
    for c in (c for h in holders for c in h.children):  # (the parser hangs it on the verb)
        if c.dep_ != "prep":
            continue
        if c.lower_ == "alongside":
            out += [g for g in c.children if g.dep_ == "pobj"]
        elif c.lower_ in {"along", "together"}:
            out += [g for w in c.children if w.dep_ == "prep" and w.lower_ == "with"
                    for g in w.children if g.dep_ == "pobj"]
    return out


@dataclass
class Found:
    """Actors a role yielded, with the token they came from."""

    actors: list[Actor]
    token: Token | None
    role: str


def range_end(tok: Token) -> list[Token]:
    """The other end of a range "from X to Y" that `tok` (X) begins, with its conjuncts: where
    the parser hangs "to Y" on "from", it spans the places, it does not name where things go."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "from":
        return []
    return [y for p in tok.head.children if p.dep_ == "prep" and p.lower_ == "to"
            for pobj in p.children if pobj.dep_ == "pobj" for y in (pobj, *pobj.conjuncts)]


def _conjuncts(tok: Token) -> list[Token]:
    """The token's conjuncts, also where the parser broke the list: in "A, B, and C" it may
    take B for a modifier of A (npadvmod) or its apposition, and join C to B only; and the end of
    a range ("from Senegal to Chad")."""
    out = list(tok.conjuncts) + range_end(tok)
    listed = any(c.dep_ == "cc" for c in tok.children) and bool(out)
    for c in tok.children:
        if c.dep_ in {"npadvmod", "appos"} and c.pos_ == "PROPN" and c.i > tok.i and \
                c.conjuncts and (listed or any(g.dep_ == "cc" for g in c.children)):
            # "A, the B, C, and D": B taken for A's apposition, C joined to B, D to A
            out += [c, *(g for g in c.conjuncts if g not in out)]
    return out


@dataclass
class ActorResolver:
    """Resolves tokens of one parsed article to actors and places."""

    doc: Doc
    mentions: list[Mention]
    gazetteer: Gazetteer
    lexicon: Lexicon
    publisher: Actor | None = None
    day: dt.date | None = None  # the article's date: who held an office then
    by_token: dict[int, Mention] = field(default_factory=dict)
    salient: Entity | None = None
    coups: list[tuple[int, str]] = field(default_factory=list)  # (token index, state) so far
    # prepositions that name where forces move from rather than whose they are, while the
    # moved forces of a withdrawal are resolved (kg.extract.events): "the withdrawal of some
    # forces from Panama" withdraws them from Panama; they are not Panama's
    origin_preps: frozenset[str] = frozenset()

    @contextmanager
    def moving_from(self, preps: frozenset[str]) -> Iterator[None]:
        """Within the block, `preps` attached to a sector noun name no owner."""
        before, self.origin_preps = self.origin_preps, preps
        try:
            yield
        finally:
            self.origin_preps = before

    def _owner_prep(self, tok: Token) -> bool:
        return tok.dep_ == "prep" and tok.lower_ in self.lexicon.owner_preps \
            and tok.lower_ not in self.origin_preps

    def __post_init__(self) -> None:
        for m in self.mentions:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                for tok in span:
                    self.by_token[tok.i] = m
        self.salient = self._most_salient_state()

    def _most_salient_state(self) -> Entity | None:
        """The state the article is about: named most often, counting twice where it is the
        scene ("in Niger", "from Mali") rather than an actor, since reporters' own governments
        are named often as actors."""
        counts: Counter[str] = Counter()
        for m in self.mentions:
            iso = self.state_of(m.entity)
            if not iso:
                continue
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            scene = span is not None and self.is_place_use(span.root)
            counts[iso] += 3 if scene else 1
        return self.gazetteer.state(counts.most_common(1)[0][0]) if counts else None

    # -- entities ---------------------------------------------------------------------------
    def state_of(self, entity: Entity) -> str | None:
        """ISO code of the state an entity is or belongs to."""
        return entity.id if entity.type == "State" else entity.country

    def _state_actor(self, iso3: str | None, sector: str | None) -> Actor | None:
        state = self.gazetteer.state(iso3) if iso3 else None
        return Actor(state, sector) if state else None

    def mention(self, tok: Token) -> Mention | None:
        return self.by_token.get(tok.i)

    def is_place_use(self, tok: Token) -> bool:
        """Whether a token is used as a place ("in Niamey", "Niger's capital, Niamey")."""
        while tok.dep_ in {"appos", "compound", "conj"} and tok.head.i != tok.i:
            tok = tok.head
        return tok.dep_ == "pobj" and tok.head.lower_ in self.lexicon.locative_preps

    def sector_of(self, tok: Token) -> str | None:
        """The sector a noun names ("troops" -> military), including two-word forms."""
        sector = self.lexicon.sector_of
        for child in tok.lefts:
            if child.dep_ in {"compound", "amod"}:
                two = f"{child.lower_} {tok.lower_}"
                if two in sector:
                    return sector[two]
        return sector.get(tok.lower_) or sector.get(tok.lemma_.lower())

    # -- actors -----------------------------------------------------------------------------
    def resolve(self, tok: Token, as_place: bool = False, exclude: str | None = None
                ) -> list[Actor]:
        """Actors a token (and its conjuncts) stands for; places give their state if `as_place`.

        `exclude` is a state that coreference ("the country", "the junta") must not pick, such as
        the other party of the event.
        """
        out: list[Actor] = []
        # the parser may coordinate actors with the source of a report ("According to U.S.
        # officials, Russia, Egypt and the UAE arm ..."): that source is not one of them
        # nor is a reflexive joined to them ("killed eight people and themselves") another party
        for t in (tok, *(c for c in _conjuncts(tok) if not _reports_source(c) and not (
                c.lower_ in self.lexicon.reflexive_pronouns and c.i != tok.i) or c.i == tok.i),
                  *_companions(tok)):
            for a in self._resolve_one(t, as_place, depth=0, exclude=exclude):
                if a not in out:
                    out.append(a)
        return out

    def _resolve_one(self, tok: Token, as_place: bool, depth: int, exclude: str | None = None
                     ) -> list[Actor]:
        if depth > 5:
            return []
        m = self.mention(tok)
        low = tok.lower_
        if m is not None and m.entity.type == "UnknownActor" and low in self.lexicon.office_nouns \
                and m.text.lower().removeprefix("the ").strip() == low:
            return self._named_before(tok, depth)  # "the Command", which spaCy took for a name
        if m is not None:
            return self._from_mention(m, tok, as_place)
        if low in self.lexicon.first_person:
            speaker = self._speaker(tok, depth)
            return speaker or ([self.publisher] if self.publisher else [])
        if low in self.lexicon.third_person:
            return self._pronoun_antecedent(tok, depth)
        if tok.pos_ in {"NOUN", "PROPN"} and (listed := self._states_including(tok)):
            sector = self.sector_of(tok)
            return [Actor(e, sector if e.type == "State" else None) for e in listed]
        if tok.lemma_.lower() in self.lexicon.org_nouns and tok.tag_ != "NNS" and any(
                c.dep_ in {"det", "poss"} and c.lower_ in self.lexicon.definite_determiners
                for c in tok.children):
            org = self._org_antecedent(tok)
            if org is not None:
                return [Actor(org)]
        if tok.lemma_.lower() in self.lexicon.partitives or tok.like_num:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self._resolve_one(pobj, as_place, depth + 1, exclude)
        if tok.pos_ in {"NOUN", "PROPN"} and (patrons := self._allegiance(tok)):
            return patrons
        sector = self.sector_of(tok)
        if tok.pos_ in {"NOUN", "PROPN"} and sector:
            leader = self._possessor(tok)
            if leader is not None:
                return [Actor(leader, sector)]  # "Haftar's forces"
            if self._is_proxy(tok):  # "Turkish-backed Syrian forces" are not Syria's
                group = self._org_in_modifiers(tok)
                return [Actor(group)] if group is not None else []
            state = self._state_in_modifiers(tok)
            if state:
                more = self._more_owners(tok, state)
                if not more and (holder := self._office_holder(tok, state)):
                    return holder  # "Kenya's president": who was president of Kenya that day
                return [Actor(s, sector) for s in [state, *more]]
            owner = next((c for c in tok.children if c.dep_ == "poss"
                          and c.lower_ in self.lexicon.third_person), None)
            if owner is not None:  # "their forces": the forces of whom "their" refers to
                owners = self._pronoun_antecedent(owner, depth)
                if owners and all(a.entity.type == "State" for a in owners):
                    return [Actor(a.entity, sector) for a in owners]
            org = self._org_in_modifiers(tok)
            if org is not None:
                return [Actor(org)]  # "leaders of ECOWAS" act for ECOWAS
            if sector == "junta" and (state := self._junta_state(tok, exclude)):
                return [Actor(state, sector)]
            if sector == "rebels" and self._is_definite(tok) and (group := self._group_before(tok)):
                return [Actor(group)]  # "the militants": the armed group named just before
            if self._is_definite(tok) and (named := self._named_before(tok, depth, person=True)):
                return named  # "the deputy minister": the one named before with that title
            if self._is_definite(tok) and (only := self._only_state(tok, exclude)) and (
                    holder := self._office_holder(tok, only)):
                return holder  # "the president", in sentences about one state
            if sector in {"junta", "government", "military"} and (
                    sector == "junta" or self._is_definite(tok)) and not self._is_proxy(tok):
                state = self.antecedent(tok, exclude, people=sector == "government")
                return [Actor(state, sector)] if state else []
            return []
        lex = self.lexicon
        if tok.lemma_.lower() in lex.country_nouns and any(
                c.lower_ in lex.pair_words for c in tok.children):
            return self._last_states(tok, 2)  # "the two countries", "both governments"
        if tok.lemma_.lower() in lex.country_nouns | lex.place_nouns and any(
                c.lower_ in lex.list_determiners for c in tok.children):
            return self._states_before(tok)  # "in these places": the states just listed
        if low == "country" and self._is_definite(tok):
            state = self.antecedent(tok, exclude)
            return [Actor(state)] if state else []
        if low in lex.office_nouns and self._is_definite(tok) and not as_place and (
                named := self._named_before(tok, depth)):
            return named  # "the lawmakers", "the Command"
        if tok.pos_ == "NOUN" and not as_place and (leaders := self._leader(tok, depth)):
            return leaders  # "the Saudi-led coalition" acts for Saudi Arabia
        if tok.pos_ == "NOUN" and not as_place:
            return self._in_modifiers(tok, depth, preps=frozenset({"of", "by", "from"}) if (
                tok.lemma_.lower() in lex.message_nouns) else frozenset({"of", "by"}))
        return []

    def _allegiance(self, tok: Token) -> list[Actor]:
        """Whom a group is loyal to ("militias affiliated with Iran", "fighters loyal to Russia",
        "Iran-aligned militias"): it acts for them."""
        for word in (c for c in tok.children if c.dep_ in {"acl", "amod"}
                     and c.lower_ in self.lexicon.allegiance_words):
            for prep in (c for c in word.children if c.dep_ == "prep" and c.lower_ in {"to", "with"}):
                for pobj in (g for g in prep.children if g.dep_ == "pobj"):
                    if found := self.resolve(pobj):
                        return found
            if word.i > tok.i:
                continue
            found, _ = self.hyphen_modifier(word)
            if found:
                return found
        return []

    def _leader(self, tok: Token, depth: int) -> list[Actor]:
        """Who leads a body named as "X-led" ("the US-led coalition", "a French-led mission")."""
        for led in (c for c in tok.children if c.lower_ == "led" and c.dep_ in MODIFIER_DEPS):
            found, _ = self.hyphen_modifier(led)
            if found:
                return found
        return []

    def hyphen_modifier(self, tok: Token) -> tuple[list[Actor], Token | None]:
        """The actors named before a participle of a compound adjective, with their token:
        Iran in "Iranian-backed", the US in "US-led"."""
        for c in tok.children:
            if c.dep_ in {"npadvmod", "amod", "compound", "nmod"} and c.i < tok.i \
                    and (found := self.resolve(c)):
                return found, c
        return [], None

    def _is_plural(self, tok: Token) -> bool:
        """Whether a noun phrase is plural: a plural noun or a coordination ("Mali and Niger"), but
        not a name of plural form ("the United States", "the Philippines"; "the Italians" are)."""
        if _conjuncts(tok):
            return True
        m = self.mention(tok)
        if m is not None and tok.tag_ == "NNPS" and self.gazetteer.lookup(
                m.text.removeprefix("the ").removeprefix("The ")):
            return False
        return tok.tag_ in {"NNS", "NNPS"}

    def _pronoun_antecedent(self, tok: Token, depth: int) -> list[Actor]:
        """What "it", "its", "they" or "their" refers to: the subject of the clause a possessive
        sits in ("Mali revoked its agreements"), else the subject of the previous sentence."""
        plural = tok.lower_ in self.lexicon.plural_pronouns
        candidates: list[Token] = []
        node = tok
        while node.head.i != node.i:  # subjects of the clauses it sits in, nearest first
            node = node.head
            if node.pos_ in {"VERB", "AUX"}:
                candidates += [c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}
                               and c.i < tok.i and self._is_plural(c) == plural]
        if tok.dep_ == "poss" and not plural:
            # "Russia, Egypt and the UAE arm the LNA and aid its operations": the subject is
            # plural, so "its" is the nearest singular name before it.
            candidates += [self.doc[i] for i in range(tok.i - 1, tok.sent.start - 1, -1)
                           if (m := self.by_token.get(i)) is not None
                           and m.entity.type != "Person" and not self._is_plural(self.doc[i])]
        if tok.sent.start > 0:
            prev = self.doc[tok.sent.start - 1].sent
            # "Mali and Niger expelled ... It": not both; "France met ... They": not France
            candidates += [c for c in prev.root.children if c.dep_ in {"nsubj", "nsubjpass"}
                           and (self._is_plural(c) == plural or c.lower_ in self.lexicon.third_person)]
        personal = tok.lower_ in PERSONAL_PRONOUNS
        for cand in candidates:
            if cand.lower_ in self.lexicon.first_person or cand.i == tok.i:
                continue
            if personal and cand.lower_ not in PERSONAL_PRONOUNS and not (
                    (m := self.mention(cand)) is not None and m.entity.type == "Person") \
                    and self.sector_of(cand) is None:
                continue  # "he" is no state, strike or missile
            found = list(dict.fromkeys(a for c in ([cand, *_conjuncts(cand)] if plural else [cand])
                                       for a in self._resolve_one(c, False, depth + 1)))
            if found or cand.sent.start == tok.sent.start:
                return found  # "officers said they had ...": they are the officers, known or not
        if personal:  # '"...," he said' after a quote: the person named last
            person = next((m.entity for m in self._mentions_before(tok, sentences=6)
                           if m.entity.type == "Person"), None)
            return [Actor(person)] if person is not None else []
        return []

    def _named_before(self, tok: Token, depth: int, person: bool = False) -> list[Actor]:
        """Whom a title alone ("the deputy minister", "the lawmakers", "the Command") refers to:
        the nearest phrase before it, in this or the three previous sentences, with the same head
        word that names its holder ("Deputy Defence Minister Jan Kowal", "Jan Kowal, Poland's
        deputy minister", "Nigerian lawmakers", "U.S. Africa Command"); only a named person if
        `person` (a state's "the government" is rather the state last named)."""
        word = tok.lemma_.lower()
        first = tok.sent.start
        for _ in range(3):
            if first > 0:
                first = self.doc[first - 1].sent.start
        for t in (self.doc[i] for i in range(tok.i - 1, first - 1, -1)):
            if t.lemma_.lower() != word or t.tag_ != tok.tag_ and t.lower_ != tok.lower_:
                continue
            holder = t  # the title of a name ("Minister Jan Kowal", "Ramos, a commander")
            while self.mention(holder) is None and holder.dep_ in {"compound", "appos", "flat"} \
                    and holder.head.i != holder.i:
                holder = holder.head
            m = self.mention(holder)
            if person and holder.pos_ != "PROPN" and (m is None or m.entity.type != "Person"):
                continue  # "the government" is not "the transitional government" named before
            if m is None or m.entity.type != "Person":
                holder = t  # "Chile's Foreign Minister Ana Torres", a name no one recognised
            found = self._resolve_one(holder, False, depth + 1)
            if found:
                return found
        return []

    def _speaker(self, tok: Token, depth: int) -> list[Actor]:
        """Who "we" is in reported speech: the subject of the verb of saying it depends on."""
        node = tok
        while node.head.i != node.i:
            dep, node = node.dep_, node.head
            if dep == "ccomp" and node.lemma_.lower() in self.lexicon.speech_verbs:
                subj = next((c for c in node.children if c.dep_ == "nsubj"), None)
                if subj is not None and subj.lower_ not in self.lexicon.first_person:
                    return self._resolve_one(subj, False, depth + 1)
                return []
        return []

    def _group_before(self, tok: Token) -> Entity | None:
        """The armed group "the militants" or "the insurgents" refers to: the nearest one named
        in this or the two previous sentences, directly or as what a group is linked to."""
        for m in self._mentions_before(tok, sentences=2):
            if m.entity.type in {"ArmedGroup", "MilitaryContractor"}:
                return m.entity
        return None

    def _org_antecedent(self, tok: Token) -> Entity | None:
        """The organisation "the bloc" or "the alliance" refers to: the nearest one named before
        it in this or the three previous sentences."""
        for m in self._mentions_before(tok, sentences=3):
            if m.entity.type in {"Organisation", "Mission"}:
                return m.entity
        return None

    def _mentions_before(self, tok: Token, sentences: int) -> Iterator[Mention]:
        """Mentions before `tok`, nearest first, in its sentence and the `sentences` before it."""
        first = tok.sent.start
        for _ in range(sentences):
            if first > 0:
                first = self.doc[first - 1].sent.start
        for i in range(tok.i - 1, first - 1, -1):
            m = self.by_token.get(i)
            if m is not None:
                yield m

    def _with_country(self, ent: Entity, tok: Token) -> Entity:
        """A person not in the gazetteer gets the state named beside them ("Malian President X",
        "Niger's Prime Minister X"), or beside their first mention ("Ramos" after "Eduardo Ramos,
        a Colombian rebel commander")."""
        if ent.country is not None:
            return ent
        first = next((m for m in self.mentions if m.entity == ent), None)
        if first is not None and first is not self.mention(tok) and (
                span := self.doc.char_span(first.start, first.end, alignment_mode="expand")) and (
                earlier := self._with_country(ent, span.root)).country is not None:
            return earlier
        head = tok
        while self.mention(head.head) is self.mention(tok) and head.head.i != head.i:
            head = head.head
        # before the name ("Malian President X") or in an apposition ("X, Mali's envoy, ...")
        appos = {t.i for c in head.children if c.dep_ == "appos" for t in c.subtree}
        for child in head.subtree:
            if (child.i >= head.i and child.i not in appos) or \
                    self.mention(child) is self.mention(tok):
                continue
            m = self.mention(child)
            if m is not None and (iso := self.state_of(m.entity)) and m.entity.type != "Person":
                return replace(ent, country=iso)
        return ent

    def _from_mention(self, m: Mention, tok: Token, as_place: bool) -> list[Actor]:
        ent = m.entity
        if ent.type == "Person":
            return [Actor(self._with_country(ent, tok))]
        if ent.type == "UnknownActor" and (leaders := self._leader(tok, 0)):
            return leaders  # "the Saudi-led coalition", a name no gazetteer has
        if ent.type == "UnknownActor" and (state := self._state_in_modifiers(tok)) is not None \
                and not self.is_place_use(tok):
            # "Vietnam's Ministry of Foreign Affairs": a body of that state's government
            return [Actor(state, "government")]
        if ent.type == "State":
            if is_ethnic(tok):
                return []
            outer = next((self.mention(c) for c in tok.children if c.dep_ in {"amod", "compound"}
                          and (o := self.mention(c)) is not None and o is not m
                          and o.entity.type == "State"), None)
            if outer is not None and tok.tag_ in {"NNPS", "NNS"}:
                return [Actor(outer.entity)]  # "Bosnian Serbs" are Bosnians, "Kosovo Albanians"
            # A demonym modifying a sector noun is handled from the noun; alone it is the state.
            head = tok
            while head.dep_ in {"compound", "amod"} and self.mention(head.head) is m:
                head = head.head
            sector = self.sector_of(head.head) if head.dep_ in {"compound", "amod"} else None
            return [Actor(ent, sector if sector and self.mention(head.head) is None else None)]
        entry = self.gazetteer.get(ent.id)
        sector = entry.sector if entry else None
        if ent.type in {"City", "MilitaryBase"}:
            if as_place or self.is_place_use(tok) or not sector:
                actor = self._state_actor(ent.country, None)
                return [actor] if actor and as_place else []
            actor = self._state_actor(ent.country, sector)
            return [actor] if actor else []
        if ent.type == "Institution":
            actor = self._state_actor(ent.country, sector)
            return [actor] if actor else []
        if ent.type in ACTOR_TYPES:
            return [Actor(ent)]
        return []

    def _last_states(self, tok: Token, n: int) -> list[Actor]:
        """The last `n` distinct states named before `tok` in this or the two previous sentences."""
        out: list[Actor] = []
        for m in self._mentions_before(tok, sentences=2):
            iso = self.state_of(m.entity)
            state = self.gazetteer.state(iso) if iso else None
            if state is not None and Actor(state) not in out:
                out.append(Actor(state))
                if len(out) == n:
                    return out
        return []

    def _states_before(self, tok: Token) -> list[Actor]:
        """The states named in the sentence before `tok`'s (for "these places")."""
        if tok.sent.start == 0:
            return []
        prev = self.doc[tok.sent.start - 1].sent
        out: list[Actor] = []
        for t in prev:
            m = self.mention(t)
            if m is not None and m.entity.type == "State" and Actor(m.entity) not in out:
                out.append(Actor(m.entity))
        return out

    def _junta_state(self, tok: Token, exclude: str | None) -> Entity | None:
        """The state "the junta" rules: where the latest coup read before it took place."""
        for i, iso in reversed(self.coups):
            if i < tok.i and iso != exclude:
                return self.gazetteer.state(iso)
        return None

    def antecedent(self, tok: Token, exclude: str | None, people: bool = False
                   ) -> Entity | None:
        """The state "the country" or "the junta" most likely refers to: the nearest state named
        before it in this or the two previous sentences (not `exclude`), else the article's most
        salient state."""
        for m in self._mentions_before(tok, sentences=2):
            iso = self.state_of(m.entity)
            # "the secretary" may be the office holder named before; "the country" is not a person
            skip = {"Organisation"} if people else {"Person", "Organisation"}
            if iso and iso != exclude and m.entity.type not in skip:
                return self.gazetteer.state(iso)
        if self.salient is not None and self.salient.id != exclude:
            return self.salient
        return None

    def _states_including(self, tok: Token) -> list[Entity]:
        """States (or named groups) listed after "including" or "such as" ("leaders, including
        in Algeria and Ghana"; "armed groups including ISSP and JNIM")."""
        out: list[Entity] = []
        for child in tok.children:
            if child.dep_ == "prep" and (child.lower_ == "including" or (
                    child.lower_ == "as" and any(g.lower_ == "such" for g in child.children))):
                objs = [g for g in child.children if g.dep_ in {"pobj", "pcomp", "prep"}]
                objs += [p for o in objs if o.dep_ == "prep" for p in o.children
                         if p.dep_ == "pobj"]
                for obj in objs:
                    for t in (obj, *obj.conjuncts):
                        m = self.mention(t)
                        if m is not None and m.entity.type in {
                                "Organisation", "Mission", "ArmedGroup", "MilitaryContractor"}:
                            if m.entity not in out:
                                out.append(m.entity)
                            continue
                        iso = self.state_of(m.entity) if m else None
                        state = self.gazetteer.state(iso) if iso else None
                        if state is not None and state not in out:
                            out.append(state)
        return out

    def office_kind(self, tok: Token) -> str | None:
        """The kind of office a singular title names ("president", "prime minister", "minister of
        defence"), unless its modifiers make it someone else's ("the former president")."""
        kinds = self.gazetteer.office_kinds
        if kinds is None or tok.tag_ not in {"NN", "NNP"}:
            return None
        if any(c.lower_.strip("-") in kinds.not_holder for c in tok.children
               if c.dep_ in {"amod", "compound", "advmod", "nmod", "npadvmod"}):
            return None
        low = tok.lower_
        titles = [f"{c.lower_} {low}" for c in tok.lefts if c.dep_ in {"compound", "amod"}]
        titles += [f"{low} of {' '.join(t.lower_ for t in pobj.subtree)}"
                   for prep in tok.children if prep.dep_ == "prep" and prep.lower_ == "of"
                   for pobj in prep.children if pobj.dep_ == "pobj"]
        return next((kinds.titles[t] for t in titles if t in kinds.titles), kinds.titles.get(low))

    def _office_holder(self, tok: Token, state: Entity) -> list[Actor]:
        """The person who held the office a title names in `state` on the article's date; none
        when the title already names its holder ("the president, William Ruto") or no one is
        known to have held it then."""
        if any(c.dep_ in {"appos", "compound", "flat"} and (m := self.mention(c)) is not None
               and m.entity.type == "Person" for c in tok.children):
            return []
        kind = self.office_kind(tok)
        person = self.gazetteer.holder(kind, state.id, self.day) if kind else None
        return [Actor(person)] if person is not None else []

    def _only_state(self, tok: Token, exclude: str | None) -> Entity | None:
        """The one state named in `tok`'s sentence and the two before it, if only one is."""
        first = tok.sent.start
        for _ in range(2):
            if first > 0:
                first = self.doc[first - 1].sent.start
        found = {iso for m in dict.fromkeys(self.by_token[i] for i in range(first, tok.sent.end)
                                            if i in self.by_token)
                 if m.entity.type != "Organisation" and (iso := self.state_of(m.entity))}
        return self.gazetteer.state(found.pop()) if len(found) == 1 and exclude not in found \
            else None

    def _is_proxy(self, tok: Token) -> bool:
        """Whether a sector noun names someone's proxies ("the U.S.-backed forces", "the
        Iranian-funded militia"): backed by a state, not its own, and no one's we can tell."""
        return any(c.dep_ in MODIFIER_DEPS and c.lower_.rsplit("-", 1)[-1] in
                   self.lexicon.proxy_modifiers and ("-" in c.lower_ or any(
                       g.dep_ in {"npadvmod", "amod", "compound", "nmod"} for g in c.children))
                   for c in tok.children)

    def _is_definite(self, tok: Token) -> bool:
        return any(c.dep_ in {"det", "poss"} and c.lower_ in self.lexicon.definite_determiners
                   for c in tok.children)

    def _state_in_modifiers(self, tok: Token) -> Entity | None:
        """The state named in a sector noun's modifiers: poss, compound, amod, "of X", "in X"."""
        for child in tok.children:
            cands: list[Token] = []
            if child.dep_ in MODIFIER_DEPS:
                cands = [child, *(g for g in child.children if g.dep_ == "compound")]
                if child.lower_ == "led":  # "Saudi-led forces" (but "Saudi-backed" are not theirs)
                    cands += [g for g in child.children if g.dep_ in {"npadvmod", "amod", "nmod"}]
            elif self._owner_prep(child):
                cands = [c for c in child.children if c.dep_ == "pobj"]
                # "residents of the Syrian Golan", "leaders of Romania's government": the state named
                # in the modifiers of the owner
                cands += [g for c in cands for g in c.children if g.dep_ in {"amod", "compound", "poss"}]
            for c in cands:
                m = self.mention(c)
                if m is None and c.dep_ in {"compound", "amod", "nmod"} and c.pos_ in {"NOUN", "ADJ"}:
                    found = self._state_in_modifiers(c)
                    if found:
                        return found
                if m is None or is_ethnic(c):
                    continue
                iso = self.state_of(m.entity)
                if iso and m.entity.type != "MilitaryBase":
                    return self.gazetteer.state(iso)
        return None

    def _more_owners(self, tok: Token, first: Entity) -> list[Entity]:
        """The other states of a list naming a sector noun's owners ("leaders in Algeria and
        Ghana", "troops from Chad and Niger", "French and Egyptian warships"), after the first."""
        listed = [other for child in tok.children if self._owner_prep(child)
                  for pobj in child.children if pobj.dep_ == "pobj" for other in pobj.conjuncts]
        listed += [other for child in tok.children if child.dep_ in {"amod", "compound", "nmod"}
                   and self.mention(child) is not None for other in child.conjuncts]
        out: list[Entity] = []
        for other in listed:
            m = self.mention(other)
            iso = self.state_of(m.entity) if m is not None and not is_ethnic(other) else None
            state = self.gazetteer.state(iso) if iso else None
            if state is not None and state.id != first.id and state not in out:
                out.append(state)
        return out

    def _possessor(self, tok: Token) -> Entity | None:
        """A person or armed group whose forces or officials these are ("Haftar's forces")."""
        for child in tok.children:
            m = self.mention(child) if child.dep_ == "poss" else None
            if m is not None and m.entity.type in {"Person", "ArmedGroup", "MilitaryContractor"}:
                return m.entity
        return None

    def _org_in_modifiers(self, tok: Token) -> Entity | None:
        """An organisation named in a noun's modifiers ("leaders in ECOWAS", "EU officials")."""
        for child in tok.children:
            cands = [child] if child.dep_ in MODIFIER_DEPS else \
                [c for c in child.children if c.dep_ == "pobj"] \
                if self._owner_prep(child) else []
            for c in cands:
                m = self.mention(c)
                if m is not None and m.entity.type in {"Organisation", "Mission", "ArmedGroup",
                                                       "MilitaryContractor"}:
                    return m.entity
        return None

    def doers(self, act: Token) -> list[Actor]:
        """Who did an act its noun names, as its phrase says ("Russia's attack", "Russian
        strikes", "the attack by X", "abuses committed by X"); never whom it was done to ("the
        killing of civilians")."""
        return self._in_modifiers(act, 0, preps=frozenset({"by"}))

    def _in_modifiers(self, tok: Token, depth: int,
                      preps: frozenset[str] = frozenset({"of", "by"})) -> list[Actor]:
        """Actors named inside a noun phrase that is itself an event ("the US military presence"):
        its modifiers, its `preps` phrases, "between" and an agent ("taken by ECOWAS"), or a
        possessor shared with a noun before it ("Russia's strikes and shelling"). A possessive
        pronoun comes last: "our German hosts" are the Germans, "his Ugandan counterpart" a
        Ugandan."""
        if (owner := possessor(tok)) is not None and owner.head.i != tok.i and (
                found := self._resolve_one(owner, False, depth + 1)):
            return found
        for child in sorted(tok.children, key=lambda c: c.pos_ == "PRON"):
            if child.dep_ in {"poss", "compound", "amod", "nmod"}:
                found = self._resolve_one(child, False, depth + 1)
                if found:
                    return found
            if child.dep_ == "prep" and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self.resolve(pobj)
                        if found:
                            return found
            if child.dep_ == "prep" and child.lower_ == "between":  # "the agreement between X and Y"
                for pobj in (g for g in child.children if g.dep_ == "pobj"):
                    found = self.resolve(pobj)
                    if found:
                        return found
            if child.dep_ == "acl":  # "the actions taken by ECOWAS"
                for agent in (c for c in child.children if c.dep_ == "agent"):
                    for pobj in (g for g in agent.children if g.dep_ == "pobj"):
                        found = self.resolve(pobj)
                        if found:
                            return found
        return []

    def place(self, tok: Token) -> Entity | None:
        """The most specific place entity a token names (city over state), if any."""
        best: Entity | None = None
        if tok.lower_ == "country" and self._is_definite(tok):
            return self.antecedent(tok, None)
        for t in (tok, *[c for c in tok.children if c.dep_ == "appos"]):
            m = self.mention(t)
            if m and m.entity.type in PLACE_TYPES and not is_ethnic(t):
                if best is None or best.type == "State":
                    best = m.entity
            elif m is None and (state := self._state_in_modifiers(t)):
                best = best or state
        return best

    def place_actor(self, tok: Token) -> list[Actor]:
        """The state of the place a token names, as an actor; both ends of a range ("from
        Senegal to Chad")."""
        out: list[Actor] = []
        for t in (tok, *range_end(tok)):
            place = self.place(t)
            if place is None:
                continue
            actor = Actor(place) if place.type == "State" else \
                self._state_actor(place.country, None)
            if actor and actor not in out:
                out.append(actor)
        return out
