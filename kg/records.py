"""The typed records passed between pipeline stages.

read -> Article; nlp + link -> Mention (of an Entity or Actor); extract -> Event (with Evidence,
Quantity, TimeValue) and Relation. All records are frozen so stages cannot mutate each other's output.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One input article.

    Attributes:
        id: what makes it one article, and mints its IRI: the front-matter url if any, else
            "sha256:" and 16 hex digits of its text normalised (kg.identity.text_id), never its
            path: a copy under another name is the same article, two stdin texts are two.
        path: where it was read from ("-" for stdin; "file.jsonl:3" for a JSONL line); of the
            copies of an article, the first read.
        text: the body text (front matter removed); all offsets are into this string.
        title, url, date, source, author: front-matter fields (date anchors relative dates).
        meta: any other front-matter fields, as sorted (key, value-as-string) pairs.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    url: str | None = None
    date: _dt.date | None = None
    source: str | None = None
    author: str | None = None
    meta: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """What a reader knows it by, in the `article` column of events-csv: the url, else the
        path it was read from (the id for standard input, which has no path)."""
        return self.url or (self.path if self.path != "-" else self.id)


@dataclass(frozen=True)
class Entity:
    """A canonical entity from the gazetteer (or minted for an unknown name).

    Attributes:
        id: gazetteer id: ISO 3166-1 alpha-3 for states ("NER"), a lowercase slug otherwise.
        type: ontology class local name (State, City, Organisation, ArmedGroup, Person, ...).
        label: preferred English label.
        country: ISO alpha-3 of the state it belongs to or stands for (None if none).
        wikidata: Wikidata id such as "Q1032", or None.
        aliases: other names it is known by.
        office: for people, the office held (e.g. "Prime Minister").
    """

    id: str
    type: str
    label: str
    country: str | None = None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    office: str | None = None


@dataclass(frozen=True)
class Actor:
    """Who acts or is acted on: an entity, optionally narrowed to one of its sectors.

    "US troops" is Actor(entity=USA, sector="military"); "Niger's junta" is
    Actor(entity=NER, sector="junta"); "ECOWAS" is Actor(entity=ECOWAS, sector=None).
    A person acts for their country but stays the person (entity=the Person).
    """

    entity: Entity
    sector: str | None = None

    @property
    def country(self) -> str | None:
        """The ISO alpha-3 code of the state this actor belongs to, if any."""
        if self.entity.type == "State":
            return self.entity.id
        return self.entity.country

    @property
    def label(self) -> str:
        """A readable label such as "United States forces"."""
        return self.entity.label if not self.sector else f"{self.entity.label} {SECTOR_LABELS[self.sector]}"


SECTOR_LABELS = {
    "government": "government",
    "military": "forces",
    "junta": "junta",
    "people": "people",
    "instructors": "military instructors",
    "rebels": "rebels",
}


@dataclass(frozen=True)
class Mention:
    """A span of article text that refers to an entity (whether as actor or place is decided
    from the parse, by kg.extract.actors)."""

    start: int
    end: int
    text: str
    entity: Entity


@dataclass(frozen=True)
class Quantity:
    """A counted or monetary amount: "more than 1,000" troops, "$110 million"."""

    text: str
    value: float
    unit: str  # "personnel", "USD", "EUR", "item"
    comparator: str = "exact"  # exact | more-than | at-least | about | fewer-than | at-most


@dataclass(frozen=True)
class TimeValue:
    """A date normalised against the publication date, with its precision."""

    text: str
    iso: str  # "2024", "2024-03", "2024-03-16" (a week is its Monday)
    precision: str  # year | month | week | day


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the article, the sentence and its offsets, and the rule."""

    article_id: str
    sentence: str
    start: int  # sentence start offset in Article.text
    end: int  # sentence end offset
    rule: str  # id of the rule that produced the fact
    trigger: str  # the trigger word(s)
    trigger_start: int
    trigger_end: int
    tokens: tuple[str, ...] = ()  # the tokens the rule matched, for --explain
    cameo: str | None = None  # the CAMEO code, where a CAMEO verb pattern produced the fact
    dictionary_line: str | None = None  # where that pattern is ("CAMEO.2.0.txt:6918")


@dataclass(frozen=True)
class Event:
    """A typed event: who did what to whom, when, where, how many.

    Attributes:
        event_type: PLOVER type (AGREE ... ASSAULT) or COUP or PRESENCE.
        event_class: ontology class local name (Withdrawal, Deployment, Coup, ...).
        source, target: acting and receiving actors (None where the text states none).
        modality: "asserted" facts go to events-csv; "negated" and "hypothetical" are kept, marked.
        attributed_to: the speaker of reported speech, if any.
        date: when the event happened (or, for a planned one, its deadline), from its own clause;
            never the article's date, which is the reported date.
        since: the start of an interval the clause states instead of an event date ("since
            2020", "from 2013 to 2022"), for presences and repeated events.
        status: for movements and handovers, "planned" (agreed, promised, with a deadline),
            "under-way" (begun, in progress) or "completed"; None where it does not apply.
    """

    event_type: str
    event_class: str
    source: Actor | None
    target: Actor | None
    evidence: Evidence
    date: TimeValue | None = None
    location: Entity | None = None
    quantity: Quantity | None = None
    money: Quantity | None = None
    modality: str = "asserted"
    attributed_to: Actor | None = None
    since: TimeValue | None = None
    status: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    events: tuple[Event, ...]
    mentions: tuple[Mention, ...]
