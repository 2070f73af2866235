"""Event time: the date expressions of an event's own clause, normalised against the publication
date.

A date belongs to the word it modifies (`date_owner`): the verb of its clause ("expelled ...
last week", "Since 2020, soldiers have overthrown ..."), or a noun ("the 2021 coup", "the coup of
July 26", "last year's election"). An event takes the dates of its trigger and of the trigger's
clause; a noun's event also those of the verb that carries it ("launched an attack on Monday",
"seized power in a coup last year", "the coup took place in July", "sanctions imposed in 2022").
So a date in a relative, subordinate or other coordinated clause stays there, except that a date
before two coordinated verbs ("On Tuesday, Chad expelled ... and closed ...") is both verbs'.

What a date says of the event comes from the word that opens it (the lexicon's `date_openers`):
its time ("on Tuesday"; "by September 15", a deadline), the start of a period it fills ("since
2020", "from 2013 to 2022", "between 2013 and 2022": `Event.since`, with no event date), or a
bound ("until 2022", "before 2020": neither). A year in a name ("the 2018 Compact", "the 2015
Paris Agreement", "Vision 2030") is no date. The publication date only anchors relative
expressions ("last year", "in January", "on Tuesday", "two days ago"); it is never an event's
date, for it is when the event was reported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from kg.extract.attributes import WORD_NUMBERS
from kg.extract.rules import Lexicon
from kg.extract.syntax import lemma
from kg.records import TimeValue

MONTH_NAMES = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTH_NAMES["sept"] = 9
MONTHS = dict(MONTH_NAMES)  # with the abbreviations, which only a day or year makes a date
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
UNITS = {"day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
         "months": "month", "year": "year", "years": "year"}
VERBS = {"VERB", "AUX"}
NOUNS = {"NOUN", "PROPN", "X"}
# dependents by which a date names a noun's time, not its clause's ("the 2021 coup", "the July
# 2023 coup", "last year's election")
NOUN_MODIFIERS = {"nummod", "compound", "poss", "nmod"}
# entity labels of places, whose names a year may precede without naming them ("in 2020 Niger")
PLACE_LABELS = {"GPE", "LOC", "NORP"}


@dataclass(frozen=True)
class DateMention:
    """A DATE entity of the text, the word it modifies and what it says of that word's event."""

    span: Span
    owner: int  # index of the word it modifies (see date_owner)
    role: str  # at | start | bound (the lexicon's date_openers)
    text: str  # the part to normalise: the start of "between 2013 and 2022"


@dataclass(frozen=True)
class When:
    """An event's time: its date, and the start of a period its clause states."""

    date: TimeValue | None = None
    since: TimeValue | None = None
    more: tuple[TimeValue, ...] = ()  # further dates of a plural event noun ("coups in August
    # 2020 and May 2021"): one event each


def date_mentions(ents: Iterable[Span], lex: Lexicon, event_noun: Callable[[Token], bool]
                  ) -> list[DateMention]:
    """The DATE entities that may date an event, in text order (not a year in a name)."""
    found = []
    for ent in ents:
        if ent.label_ != "DATE" or year_in_a_name(ent):
            continue
        top = ent.root  # "Tuesday, April 16", "Tuesday night": the date's whole phrase
        while top.head.i != top.i and (top.head.ent_type_ in {"DATE", "TIME"}
                                       or top.head.lower_ in lex.day_parts):
            top = top.head
        role, text = _role(ent, top, lex)
        owner = date_owner(top, event_noun).i
        parts = _conjuncts(ent) if role == "at" else [ent]
        found.extend(DateMention(part, owner, role, part.text if len(parts) > 1 else text)
                     for part in parts)
    return found


def _conjuncts(ent: Span) -> list[Span]:
    """The dates a coordinated DATE entity lists ("March 2019 and June 2021", "2008, 2012 and
    2021"), or the entity alone."""
    cuts = [t.i for t in ent if t.dep_ == "cc" or (t.is_punct and t.text == ",")]
    if not any(ent.doc[i].dep_ == "cc" for i in cuts):
        return [ent]
    bounds = [ent.start - 1, *cuts, ent.end]
    parts = [ent.doc[a + 1:b] for a, b in itertools.pairwise(bounds) if b > a + 1]
    return parts if all(any(t.like_num for t in p) for p in parts) else [ent]


def year_in_a_name(ent: Span) -> bool:
    """Whether a DATE entity is a year inside a name: "the 2018 Compact", "the 2015 Paris
    Agreement" (modifying a capitalised proper noun), "Vision 2030" (modified by one)."""
    if not re.fullmatch(r"\d{4}", ent.text):
        return False  # a name holds a year ("the Tuesday Accord" is rare)
    root = ent.root
    head = root.head
    if root.dep_ in NOUN_MODIFIERS | {"amod"} and head.pos_ == "PROPN" and head.is_title \
            and head.ent_type_ not in PLACE_LABELS | {"DATE"} and head.lower_ not in MONTHS:
        return True
    return any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.is_title
               and c.ent_type_ not in PLACE_LABELS | {"DATE"} for c in root.children)


def date_owner(top: Token, event_noun: Callable[[Token], bool]) -> Token:
    """The word a date phrase (by its top token) modifies: the first verb above it, or a noun it
    modifies directly ("the 2021 coup") or an event noun its phrase is attached to ("the coup of
    July 26"). A phrase attached to another noun is taken as the clause's: the parser attaches
    many a time phrase to the noun before it ("closed its border with Niger on Tuesday")."""
    node = top
    while node.head.i != node.i:
        head = node.head
        if head.pos_ in VERBS or head.tag_ in {"VBN", "VBG"}:  # a verb, or a participle
            return head
        if head.pos_ in NOUNS and (node.dep_ in NOUN_MODIFIERS or event_noun(head)):
            return head
        node = head
    return node


def _role(ent: Span, top: Token, lex: Lexicon) -> tuple[str, str]:
    """What a date says of its event, by the word that opens it (inside the entity or
    governing the phrase's `top` token), and the text to normalise."""
    words = ent.text.split()
    role, rest = None, words
    for n in (2, 1):  # the opener inside the entity: "between 2013 and 2022"
        role = lex.date_openers.get(" ".join(words[:n]).lower()) if len(words) > n else None
        if role is not None:
            rest = words[n:]
            break
    if role is None and top.dep_ == "pobj" and top.head.dep_ == "prep":
        prep = top.head
        before = prep.doc[prep.i - 1].lower_ if prep.i > 0 else ""
        role = lex.date_openers.get(f"{before} {prep.lower_}") or lex.date_openers.get(prep.lower_)
    if role == "start":  # "between 2013 and 2022", "from 2013 to 2022": the start
        rest = rest[:next((i for i, w in enumerate(rest) if w.lower() in {"and", "to", "-"}),
                          len(rest))]
    return role or "at", " ".join(rest)


def event_time(tok: Token, as_noun: bool, mentions: Iterable[DateMention], anchor: dt.date | None,
               lex: Lexicon, ahead: bool) -> When:
    """The time of the event a trigger names, from its own clause; `as_noun` where a noun rule
    matched it, `ahead` if the event is still to come. A date in what a verb's "to" clause
    promises is the verb's too ("agreed to withdraw by September 15"), as still to come."""
    mentions = list(mentions)
    clause: Token | None
    promised: set[int] = set()
    if as_noun:
        owners, clause = noun_owners(tok, lex), support_verb(tok, lex)
    else:  # a verb, or a predicate's verb ("were ready ...")
        clause = tok.head if tok.pos_ not in VERBS and tok.head.pos_ in VERBS else tok
        owners = {tok.i, clause.i}
        node: Token | None = clause
        while node is not None:  # "agreed to begin to withdraw by ..."
            node = next((c for c in node.children if c.dep_ == "xcomp"), None)
            promised |= {node.i} if node is not None else set()
    if clause is not None:  # and the act the clause's was done by or at ("seized power in a
        # 2021 coup", "In a summit on January 9, the bloc imposed sanctions")
        owners |= {g.i for c in clause.children if c.dep_ == "prep" and c.lower_ in lex.means_preps
                   for g in c.children if g.dep_ == "pobj"}
    own = [m for m in mentions if m.owner in owners | promised]
    if clause is not None and not own and clause.dep_ == "conj" and clause.head.pos_ in VERBS:
        first = clause.head  # "On Tuesday, Chad expelled US troops and closed its border"
        own = [m for m in mentions if m.owner == first.i and m.span.end <= first.i]
    date = since = None
    more: list[TimeValue] = []
    plural = as_noun and tok.tag_ in {"NNS", "NNPS"}
    for m in own:
        if m.role == "bound" or (m.role != "at" and since is not None) or \
                (m.role == "at" and date is not None and not plural):
            continue
        value = normalise_date(m.text, anchor, lex, ahead or m.owner in promised)
        if value is None:
            continue
        value = replace(value, text=m.span.text)
        if m.role != "at":
            since = value
        elif date is None:
            date = value
        elif value.iso != date.iso and all(value.iso != v.iso for v in more):
            more.append(value)
    return When(date, since, tuple(more))


def noun_owners(noun: Token, lex: Lexicon) -> set[int]:
    """The words whose dates a noun's event takes: the noun, the noun it is part of ("the 2021
    coup attempt"), the participle that describes it ("sanctions imposed in 2022") and the verb
    that carries it (see support_verb)."""
    node = noun
    owners = {noun.i}
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head
        owners.add(node.i)
    owners |= {c.i for c in node.children if c.dep_ == "acl" and c.tag_ == "VBN"
               and lemma(c, lex) in lex.light_verbs}
    verb = support_verb(noun, lex)
    if verb is not None:
        owners.add(verb.i)
    return owners


def support_verb(noun: Token, lex: Lexicon) -> Token | None:
    """The verb whose clause an event noun's event is the act of: a light verb that takes it as
    object ("launched an attack"), the verb it is the subject of ("the coup took place in July"),
    the verb it says the means of ("seized power in a coup"), or a verb of taking part or of
    travelling it is the aim of ("went on strike", "flew to Moscow for talks"). None for another
    verb ("Ghana condemned the coup on Tuesday": the condemnation's date, not the coup's)."""
    node = noun
    while node.dep_ in {"compound", "conj"} and node.head.i != node.i and node.head.pos_ in NOUNS:
        node = node.head
    head = node.head
    if head.i == node.i:
        return None
    if node.dep_ in {"dobj", "nsubjpass"} and lemma(head, lex) in lex.light_verbs:
        return head
    if node.dep_ == "nsubj" and head.pos_ in VERBS:
        return head
    if node.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in VERBS:
        verb, prep = head.head, head.lower_
        if prep in lex.means_preps or (
                prep in lex.participation_preps and lemma(verb, lex) in lex.participation_verbs) or (
                prep in lex.purpose_preps and lemma(verb, lex) in lex.travel_verbs):
            return verb
    return None


def normalise_date(text: str, anchor: dt.date | None, lexicon: Lexicon, ahead: bool = False
                   ) -> TimeValue | None:
    """Normalise a date expression against the publication date `anchor`.

    Handles "March 16, 2024", "16 March 2024", "March 2024", "2024", "December 13", "January",
    "Tuesday", with a direction ("last August", "next Tuesday"), relative expressions from the
    lexicon ("last year", "earlier this month"), "two days ago", and hedged ones ("mid-2023",
    "early 2021": a year, as the hedge does not say which month). Without a direction, a day, month
    or weekday without a year is the last one on or before `anchor` ("on Tuesday" in an article of
    a Tuesday is that day), or with `ahead` (something still to come: "agreed to withdraw by
    September 15") the next one on or after it. A decade ("the 1990s") is wider than any precision
    and is not normalised; neither is a span of time ("two years", "the past week").
    """
    low = _core(text, lexicon)
    if low in lexicon.relative_dates:
        if anchor is None:
            return None
        unit, delta = lexicon.relative_dates[low]
        return _relative(text, anchor, unit, delta)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", low)
    if m:
        return _day(text, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", low)
    if m and m.group(1) in MONTHS:
        return _day(text, int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})", low)
    if m and m.group(2) in MONTHS:
        return _day(text, int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    m = re.fullmatch(r"([a-z]+)\.?,?\s+(?:of\s+)?(\d{4})", low)
    if m and m.group(1) in MONTHS:
        return _month(text, int(m.group(2)), MONTHS[m.group(1)])
    m = re.fullmatch(r"(\d{4})", low)
    if m:
        return TimeValue(text, m.group(1), "year") if 1900 <= int(m.group(1)) <= 2100 else None
    if anchor is None:
        return None
    m = re.fullmatch(r"([a-z]+|\d+)\s+([a-z]+)\s+ago", low)
    if m and m.group(2) in UNITS:
        count = int(m.group(1)) if m.group(1).isdigit() else 1 if m.group(1) in {"a", "an"} \
            else WORD_NUMBERS.get(m.group(1))
        return _relative(text, anchor, UNITS[m.group(2)], -count) if count is not None else None
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?", low) or \
        re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)", low)
    if m:
        month_word, day_text = (m.group(1), m.group(2)) if m.group(1).isalpha() else \
            (m.group(2), m.group(1))
        if month_word in MONTHS:
            month, year = MONTHS[month_word], anchor.year
            if ahead and (month, int(day_text)) < (anchor.month, anchor.day):
                year += 1  # still to come, earlier in the year than publication: next year's
            elif not ahead and (month, int(day_text)) > (anchor.month, anchor.day):
                year -= 1  # a day later in the year than publication is last year's
            return _day(text, year, month, int(day_text))
    first, _, rest = low.partition(" ")
    direction = lexicon.date_directions.get(first) if rest else None
    word = rest if direction is not None else low
    if word in MONTH_NAMES:
        return _month(text, _month_year(anchor, MONTH_NAMES[word], direction, ahead),
                      MONTH_NAMES[word])
    if word in WEEKDAYS:
        return TimeValue(text, _weekday(anchor, WEEKDAYS[word], direction, ahead).isoformat(), "day")
    return None


def _core(text: str, lex: Lexicon) -> str:
    """A date expression lower-cased, without the words that open or hedge it ("in early 2021"
    -> "2021", "on Tuesday night" -> "tuesday") or a weekday before a date ("Tuesday, April 16")."""
    low = " ".join(text.lower().replace("\u2019", "'").split()).strip(" ,.")
    while True:
        low = low.removeprefix("the ")
        opener = next((p for p in lex.date_openers if low.startswith(p + " ")), None)
        hedge = next((h for h in lex.date_hedges if low.startswith((h + " ", h + "-"))), None)
        cut = opener or hedge
        if cut is None:
            break
        low = low[len(cut) + 1:].lstrip()
    words = low.split()
    if len(words) > 1 and words[-1] in lex.day_parts:
        low = " ".join(words[:-1])
    weekday, sep, rest = low.partition(", ")
    if sep and weekday in WEEKDAYS:
        low = rest
    return low


def _month_year(anchor: dt.date, month: int, direction: int | None, ahead: bool) -> int:
    """The year of a month named without one: see normalise_date."""
    if direction == 0:
        return anchor.year
    if direction == -1:
        return anchor.year - (1 if month >= anchor.month else 0)
    if direction == 1:
        return anchor.year + (1 if month <= anchor.month else 0)
    if ahead:
        return anchor.year + (1 if month < anchor.month else 0)
    return anchor.year - (1 if month > anchor.month else 0)


def _weekday(anchor: dt.date, weekday: int, direction: int | None, ahead: bool) -> dt.date:
    """The day a weekday names: see normalise_date ("this Tuesday" is the nearest one)."""
    if direction == -1 or (direction != 1 and not ahead):
        back = (anchor.weekday() - weekday) % 7
        return anchor - dt.timedelta(days=back or (7 if direction == -1 else 0))
    forward = (weekday - anchor.weekday()) % 7
    return anchor + dt.timedelta(days=forward or (7 if direction == 1 else 0))


def _day(text: str, year: int, month: int, day: int) -> TimeValue | None:
    try:
        return TimeValue(text, dt.date(year, month, day).isoformat(), "day")
    except ValueError:
        return None


def _month(text: str, year: int, month: int) -> TimeValue | None:
    return TimeValue(text, f"{year:04d}-{month:02d}", "month") if 1900 <= year <= 2100 else None


def _relative(text: str, anchor: dt.date, unit: str, delta: int) -> TimeValue:
    if unit == "year":
        return TimeValue(text, f"{anchor.year + delta:04d}", "year")
    if unit == "month":
        y, m = divmod(anchor.year * 12 + anchor.month - 1 + delta, 12)
        return TimeValue(text, f"{y:04d}-{m + 1:02d}", "month")
    if unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=delta)
        return TimeValue(text, monday.isoformat(), "week")
    return TimeValue(text, (anchor + dt.timedelta(days=delta)).isoformat(), "day")
