"""Find mentions of gazetteer entities (and unknown named people and organisations) in a parsed doc.

A gazetteer match always wins over the statistical NER label: "Niger" is a State even where the
small model tags it PERSON.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.link.gazetteer import Entry, Gazetteer
from kg.records import Entity, Mention

DEMONYM_PREFIX = "demonym:"
UNKNOWN_NER = {"PERSON": "Person", "ORG": "UnknownActor"}


def slug(text: str) -> str:
    """A lowercase IRI-safe slug of a name, distinct for distinct names in any script: accents
    dropped ("Goïta" -> "goita"), letters of other scripts kept, percent-encoded
    ("Сергей Шойгу" -> "%D1%81%D0%B5...")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    words = re.sub(r"(?:[^\w%]|_)+", "-", plain.lower()).strip("-")
    return quote(words, safe="-%").lower() or "x"  # "%" kept: a slug's slug is itself


def pattern_doc(nlp: Language, name: str) -> Doc:
    """`name` tokenised as the pipeline's tokenizer would; names of plain words are split on
    spaces directly, which is many times faster for the gazetteer's tens of thousands of names."""
    words = name.split(" ")
    if all(w.isalpha() and w not in nlp.tokenizer.rules for w in words):  # type: ignore[union-attr]
        return Doc(nlp.vocab, words=words)
    return nlp.make_doc(name)


def _matchers(nlp: Language, gaz: Gazetteer) -> tuple[PhraseMatcher, PhraseMatcher]:
    exact, lower = PhraseMatcher(nlp.vocab, attr="ORTH"), PhraseMatcher(nlp.vocab, attr="LOWER")
    by_key: dict[tuple[str, bool], list[str]] = {}
    for name, entry_id, is_demonym in gaz.surface_forms():
        key = DEMONYM_PREFIX + entry_id if is_demonym else entry_id
        # Multi-word names also match in any case ("Malian armed forces"); short ones only as written
        # so that the pronoun "us" is never the United States. Generated names (thousands, checked
        # by no one) only as written: "Popular Resistance Committees" but not a headline's words.
        any_case = " " in name and len(name) > 6 and (is_demonym or not gaz.entries[entry_id].generated)
        by_key.setdefault((name, any_case), []).append(key)
    for (name, any_case), keys in by_key.items():
        pattern = pattern_doc(nlp, name)
        for key in set(keys):
            (lower if any_case else exact).add(key, [pattern])
    return exact, lower


def _choose(entries: list[Entry], day: dt.date | None) -> Entry | None:
    valid = [e for e in entries if e.valid_on(day)]
    chosen = valid or entries
    return chosen[0] if chosen else None


class MentionFinder:
    """Finds the mentions of one gazetteer's entities in docs of one pipeline."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.matchers = _matchers(nlp, gazetteer)

    def __call__(self, doc: Doc, day: dt.date | None = None) -> list[Mention]:
        """All entity mentions in `doc`, longest match first, non-overlapping, in text order.

        Args:
            doc: the parsed article (parsed by the pipeline the finder was built for).
            day: the publication date, to pick the office holder valid on that day.
        """
        gaz, (exact, lower) = self.gazetteer, self.matchers
        spans: list[Span] = []
        for matcher in (exact, lower):
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=match_id))
        spans = filter_spans(spans)
        mentions: list[Mention] = []
        taken: set[int] = set()
        for span in spans:
            entity = _entity_for(gaz, span, day)
            if entity is None:
                continue
            taken.update(range(span.start, span.end))
            mentions.append(Mention(span.start_char, span.end_char, span.text, entity))
        title_words = gaz.office_kinds.title_words if gaz.office_kinds else frozenset()
        for ent in doc.ents:
            if ent.label_ in UNKNOWN_NER and not taken.intersection(range(ent.start, ent.end)):
                # "Zoran Djindjic's coalition": the name without its possessive ending
                text = re.sub(r"['’]s$", "", ent.text.removeprefix("the ").strip())
                if len(text) < 3 or not any(c.isupper() for c in text):
                    continue
                etype = UNKNOWN_NER[ent.label_]
                cue = _title_country(ent, mentions) if etype == "Person" else None
                # only a surname alone, or after a title ("Secretary Austin"): "Amadou Sangare"
                # is not Bakary Sangare
                given = [t for t in ent[:-1] if t.pos_ == "PROPN" and t.is_title
                         and t.lower_ not in title_words]
                known = gaz.person_by_surname(ent[-1].text, day) \
                    if etype == "Person" and not given else None
                if known is not None and cue not in (None, known.entity.country):
                    known = None  # "King Hassan of Morocco" is not Tanzania's Samia Suluhu Hassan
                if known is not None:  # "Secretary Austin": the one office holder of that name
                    mentions.append(Mention(ent.start_char, ent.end_char, ent.text, known.entity))
                    continue
                entity = Entity(id=f"{'person' if etype == 'Person' else 'actor'}-{slug(text)}",
                                type=etype, label=text,
                                country=cue)
                mentions.append(Mention(ent.start_char, ent.end_char, ent.text, entity))
        mentions = _surnames(doc, mentions, taken)
        mentions = _defined_acronyms(doc, mentions)
        mentions.sort(key=lambda m: m.start)
        return mentions


TITLE_BREAK_POS = {"PUNCT", "ADP", "DET", "VERB", "AUX", "CCONJ", "SCONJ", "PRON", "NUM"}


def _title_country(name: Span, mentions: list[Mention]) -> str | None:
    """The state an unknown person's title names, in the words right before the name that
    modify it ("German Foreign Minister Oskar Fischer", "Nigerian junior foreign minister Dubem
    Oniya", "Kenya's defence minister Jane Doe") or the state named right after it ("King Hassan
    of Morocco"); None when no state or more than one is named."""
    doc, root = name.doc, name.root
    if name.end + 1 < len(doc) and doc[name.end].lower_ == "of":  # "King Hassan of Morocco"
        after = doc[name.end + 1]
        named = [m.entity.id for m in mentions
                 if m.entity.type == "State" and m.start == after.idx]
        if named:
            return named[0]
    start = name.start
    while start > 0:
        tok = doc[start - 1]
        if tok.pos_ in TITLE_BREAK_POS and tok.tag_ != "POS" or not tok.is_ancestor(root) and \
                not root.is_ancestor(tok) and tok.head not in doc[start:name.end]:
            break
        start -= 1
    if start == name.start:
        return None
    lo, hi = doc[start].idx, name.start_char
    states = {m.entity.id for m in mentions
              if m.entity.type == "State" and lo <= m.start and m.end <= hi}
    return states.pop() if len(states) == 1 else None


def _defined_acronyms(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """`mentions` with an acronym an article defines in brackets after a name ("the Syrian
    National Army (SNA)") naming that entity wherever the article uses it, over the gazetteer's
    reading of it (SNA is also the Somali National Army) and where the gazetteer has none."""
    text = doc.text
    by_start = {m.start: m for m in mentions}
    defined: dict[str, Entity] = {}
    for m in mentions:
        if m.entity.type in {"Person", "State", "City"}:
            continue
        rest = text[m.end:m.end + 16]
        if not rest.startswith(" ("):
            continue
        acronym = rest[2:].split(")", 1)[0]
        if acronym.isupper() and acronym.isalpha() and 2 <= len(acronym) <= 8 and \
                ")" in rest and acronym not in defined:
            defined[acronym] = m.entity
    if not defined:
        return mentions
    out = [m if m.text not in defined or m.entity.type == "Person" else
           Mention(m.start, m.end, m.text, defined[m.text]) for m in mentions]
    for tok in doc:
        if tok.text in defined and tok.idx not in by_start:
            out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, defined[tok.text]))
    return out


def _surnames(doc: Doc, mentions: list[Mention], taken: set[int]) -> list[Mention]:
    """`mentions` with a surname alone made the person whose full name came before it ("Eduardo
    Ramos ... Ramos"), whatever label spaCy gave it (PERSON, ORG, GPE) or none; a gazetteer match
    still wins."""
    full: dict[int, tuple[str, Entity]] = {}  # first token after a full name -> (surname, person)
    covered: dict[int, Mention] = {}
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        covered.update((tok.i, m) for tok in span)
        names = [t for t in span if t.pos_ == "PROPN" and t.is_title]
        if m.entity.type == "Person" and len(names) >= 2:
            full[span.end] = (names[-1].text, m.entity)
    out = list(mentions)
    known: dict[str, Entity] = {}
    for tok in doc:
        if tok.i in full:
            known[full[tok.i][0]] = full[tok.i][1]
        person = known.get(tok.text)
        if person is None or tok.i in taken or tok.pos_ != "PROPN":  # "Young people ..."
            continue
        old = covered.get(tok.i)
        if old is not None and (old.entity == person or old.text.removeprefix("the ") != tok.text):
            continue  # within the full name, or a longer name that only ends with it
        if old is not None:
            out.remove(old)
        out.append(Mention(tok.idx, tok.idx + len(tok.text), tok.text, person))
    return out


def _entity_for(gaz: Gazetteer, span: Span, day: dt.date | None) -> Entity | None:
    key = span.label_
    if key.startswith(DEMONYM_PREFIX):
        return gaz.state(key[len(DEMONYM_PREFIX):])
    candidates = [gaz.entries[i] for i in gaz.names.get(span.text, [])] or \
        [gaz.entries[i] for i in gaz.names.get(span.text.lower(), [])]
    entry = _choose(candidates, day) if candidates else gaz.get(key)
    return entry.entity if entry else None
