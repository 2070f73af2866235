"""Build the RDF of one article's extraction: entities, events, direct relations, provenance.

Every IRI is minted deterministically from the article id, rule id, offsets and canonical ids, so
ingesting the same article twice yields the same triples. What the article says goes in its own
named graph; the descriptions of canonical entities and rules (labels, codes, Wikidata ids), which
are the same whichever article names them, go once in the shared graph ENTITIES_GRAPH.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.identity import content_hash
from kg.link.mentions import slug
from kg.rdf.vocab import KGR, PROV, WD, event_classes, term
from kg.records import Actor, Article, Entity, Event, Evidence, Extraction, Quantity

SECTOR_CLASS = {"government": "Government", "junta": "Junta", "military": "ArmedForce",
                "instructors": "MilitaryAdvisers", "people": "Population",
                "rebels": "ArmedGroup"}
ENTITY_CLASS = {"State": "State", "City": "City", "MilitaryBase": "MilitaryBase",
                "Organisation": "Organisation", "Mission": "Mission", "ArmedGroup": "ArmedGroup",
                "MilitaryContractor": "MilitaryContractor", "Person": "Person",
                "UnknownActor": "UnknownActor", "Institution": "Government"}
PRECISION_TYPE = {"year": XSD.gYear, "month": XSD.gYearMonth, "week": XSD.date, "day": XSD.date}

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


@functools.lru_cache(maxsize=4096)
def iri(value: str) -> ox.NamedNode:
    """An Oxigraph IRI (cached: vocabulary and entity IRIs recur in every article)."""
    return ox.NamedNode(value)


@functools.cache
def kg_iri(name: str) -> ox.NamedNode:
    """The kg: term `name` as an Oxigraph IRI (DataError if the ontology lacks it)."""
    return iri(str(term(name)))


def text(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def typed(value: object, datatype: URIRef) -> ox.Literal:
    return ox.Literal(str(value), datatype=iri(str(datatype)))


A, LABEL, ALT_LABEL, SAME_AS = (iri(str(RDF.type)), iri(str(RDFS.label)), iri(str(SKOS.altLabel)),
                                iri(str(OWL.sameAs)))
NOTATION = iri(str(SKOS.notation))


@functools.cache
def label_copies() -> dict[ox.NamedNode, ox.NamedNode]:
    """kg:source and kg:target -> the event's copy of that party's label (kg:sourceLabel,
    kg:targetLabel): the rdfs:label its node has in the shared graph."""
    return {kg_iri(role): kg_iri(f"{role}Label") for role in ("source", "target")}


def digest(*parts: object) -> str:
    """A short stable hash of the parts, for IRIs."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


ENTITIES_GRAPH = KGR["graph/entities"]
STORE_NODE = KGR["store"]
# The layout of kg's data in a store; raise it (and add an upgrade to
# kg/data/queries/upgrade/) whenever a change would leave an older store's data unreadable.
FORMAT_VERSION = 3


def article_iri(article_id: str) -> URIRef:
    return KGR[f"article/{digest(article_id)}"]


def graph_iri(article_id: str) -> URIRef:
    """The named graph holding everything read from one article."""
    return KGR[f"graph/{digest(article_id)}"]


def entity_iri(entity: Entity) -> URIRef:
    if entity.type == "State":
        return KGR[f"state/{entity.id}"]
    return KGR[f"entity/{slug(entity.id)}"]


def actor_iri(actor: Actor) -> URIRef:
    if actor.sector is None:
        return entity_iri(actor.entity)
    return KGR[f"actor/{slug(actor.entity.id)}/{actor.sector}"]


def event_iri(event: Event) -> URIRef:
    """The event's IRI: its article, rule, trigger, class and parties, and its date where it
    has one (a plural trigger with several dates is one event per date: "coups in August 2020
    and May 2021")."""
    ev = event.evidence
    return KGR["event/" + digest(ev.article_id, ev.rule, ev.trigger_start, event.event_class,
                                 event.source and actor_iri(event.source),
                                 event.target and actor_iri(event.target),
                                 *([event.date.iso] if event.date else []))]


@dataclass
class ArticleRDF:
    """What one article adds: the triples of its named graph, and descriptions of the entities,
    actors, rules and canonical events it names for the shared graph ENTITIES_GRAPH."""

    graph: ox.NamedNode
    triples: list[Triple]
    shared: list[Triple]

    def text(self, subjects: list[ox.NamedNode] | None = None) -> ArticleText:
        """The same as N-Quads text, ready to write (Oxigraph's terms print in N-Triples
        syntax): half the cost of making `Quad` objects, and plain strings, which a worker
        process hands back for a fraction of the cost of the terms.

        The shared descriptions are grouped by subject; `subjects`, one per shared triple,
        names the groups instead (the subjects as built, when these are renamed).
        """
        graph, shared = str(self.graph), f"<{ENTITIES_GRAPH}>"
        groups: dict[str, list[str]] = {}
        for key, (s, p, o) in zip(subjects or [s for s, _, _ in self.shared], self.shared,
                                  strict=True):
            groups.setdefault(key.value, []).append(f"{s} {p} {o} {shared} .\n")
        return ArticleText(
            self.graph.value,
            "".join([f"{s} {p} {o} {graph} .\n" for s, p, o in self.triples]), len(self.triples),
            tuple(Description(key, "".join(lines), len(lines)) for key, lines in groups.items()))

    def renamed(self, mapping: dict[ox.NamedNode, ox.NamedNode],
                labels: dict[ox.NamedNode, ox.Literal] | None = None) -> ArticleRDF:
        """The same with merged entities' IRIs replaced (kg.rdf.corrections records merges); a
        merged entity's label lives on as an alias of the entity it was merged into, and its ISO
        code as a skos:notation (a state has one kg:iso3), as `kg merge` makes them.

        An event's copy of a renamed party's label becomes the label of the entity it was merged
        into, as `kg merge` makes it: from `labels` (the stored ones), else from this article's
        own description of that entity.
        """
        if not mapping:
            return self
        known = {s: o for s, p, o in self.shared
                 if p == LABEL and s not in mapping and isinstance(o, ox.Literal)}
        known.update(labels or {})
        copies = label_copies()
        relabelled: dict[tuple[ox.NamedNode, ox.NamedNode], ox.Literal] = {}
        for s, p, o in self.triples:
            if p in copies and isinstance(o, ox.NamedNode) and mapping.get(o) in known:
                relabelled[(s, copies[p])] = known[mapping[o]]

        aliases = {LABEL: ALT_LABEL, kg_iri("iso3"): NOTATION}

        def rename(triples: list[Triple]) -> list[Triple]:
            return [(mapping.get(s, s), aliases.get(p, p) if s in mapping else p,
                     relabelled.get((s, p)) or (mapping.get(o, o) if isinstance(o, ox.NamedNode)
                                                else o))
                    for s, p, o in triples]
        return ArticleRDF(self.graph, rename(self.triples), rename(self.shared))


class Description(NamedTuple):
    """The shared description of one subject (entity, actor, rule, canonical event), as
    N-Quads lines in ENTITIES_GRAPH."""

    subject: str  # the IRI described, as the article named it (before any merge)
    quads: str
    size: int  # quads


@dataclass(frozen=True)
class ArticleText:
    """An article's RDF as a store writes it: N-Quads lines of its named graph `graph`, and
    the shared descriptions it adds."""

    graph: str  # the IRI of the article's named graph
    quads: str
    size: int  # quads
    shared: tuple[Description, ...] = ()

    def nquads(self) -> str:
        """Every quad, the article's then the shared ones."""
        return self.quads + "".join(d.quads for d in self.shared)

    def ntriples(self, shared: bool = False) -> str:
        """The article's triples (or its shared descriptions) as N-Triples, for a graph store's
        request: each line without its graph (a line ends with " <graph> .", and no term holds
        a line break, which N-Triples escapes)."""
        if shared:
            return "".join(d.quads for d in self.shared).replace(f" <{ENTITIES_GRAPH}> .\n",
                                                                 " .\n")
        return self.quads.replace(f" <{self.graph}> .\n", " .\n")

    def first_descriptions(self, described: set[str]) -> ArticleText:
        """The same without the descriptions of subjects in `described` (written with an
        earlier article), adding those it keeps to it: a parallel ingest's workers each
        describe a subject once, and the process that writes keeps the first."""
        kept = tuple(d for d in self.shared if d.subject not in described)
        described.update(d.subject for d in kept)
        return self if len(kept) == len(self.shared) else replace(self, shared=kept)

    def __len__(self) -> int:
        return self.size + sum(d.size for d in self.shared)


class GraphBuilder:
    """Accumulates the triples of one article's named graph and its shared descriptions.

    `described` holds the subjects whose shared descriptions were already written (by earlier
    articles of the same run): they are not described again.
    """

    def __init__(self, article: Article, described: Iterable[ox.NamedNode] = (),
                 fingerprint: str | None = None) -> None:
        self.article = article
        self.triples: dict[Triple, None] = {}  # insertion-ordered set
        self.shared: dict[Triple, None] = {}
        self.described = set(described)
        self.when: dict[int, CanonicalKey] = {}  # id(event) -> its key, where its article says
        self._article(fingerprint)

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.triples[(s, p, o)] = None

    def describe(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self.shared[(s, p, o)] = None

    def _new(self, node: ox.NamedNode) -> bool:
        """Whether `node` still needs its shared description (and mark it described)."""
        if node in self.described:
            return False
        self.described.add(node)
        return True

    def store_format(self) -> None:
        """Record the store's format (kg.rdf.store_format), with the first article written."""
        node = iri(str(STORE_NODE))
        if self._new(node):
            self.describe(node, kg_iri("formatVersion"), typed(FORMAT_VERSION, XSD.integer))

    def result(self) -> ArticleRDF:
        return ArticleRDF(iri(str(graph_iri(self.article.id))), list(self.triples),
                          list(self.shared))

    def _article(self, fingerprint: str | None) -> None:
        a, node = self.article, iri(str(article_iri(self.article.id)))
        self.add(node, A, kg_iri("Article"))
        self.add(node, kg_iri("articleId"), text(a.id))
        self.add(node, kg_iri("path"), text(a.path))
        self.add(node, kg_iri("textHash"), text(content_hash(a)))
        if fingerprint:
            self.add(node, kg_iri("extractorHash"), text(fingerprint))
        if a.title:
            self.add(node, iri(str(DCTERMS.title)), text(a.title))
        if a.url:
            self.add(node, kg_iri("url"), typed(a.url, XSD.anyURI))
        if a.date:
            self.add(node, iri(str(DCTERMS.date)), typed(a.date.isoformat(), XSD.date))
        if a.source:
            self.add(node, iri(str(DCTERMS.source)), text(a.source))
        if a.author:
            self.add(node, iri(str(DCTERMS.creator)), text(a.author))

    def entity(self, entity: Entity) -> ox.NamedNode:
        node = iri(str(entity_iri(entity)))
        if not self._new(node):
            return node
        self.describe(node, A, kg_iri(ENTITY_CLASS[entity.type]))
        if entity.type in {"City", "MilitaryBase"}:
            self.describe(node, A, kg_iri("Place"))
        self.describe(node, LABEL, text(entity.label, "en"))
        for alias in entity.aliases:
            self.describe(node, ALT_LABEL, text(alias, "en"))
        if entity.type == "State":
            self.describe(node, kg_iri("iso3"), text(entity.id))
        if entity.wikidata:
            self.describe(node, kg_iri("wikidata"), text(entity.wikidata))
            self.describe(node, SAME_AS, iri(str(WD[entity.wikidata])))
        if entity.office:
            self.describe(node, kg_iri("office"), text(entity.office))
        if entity.country and entity.type != "State":
            self.describe(node, kg_iri("country"), iri(str(KGR[f"state/{entity.country}"])))
        return node

    def actor(self, actor: Actor) -> ox.NamedNode:
        base = self.entity(actor.entity)
        if actor.sector is None:
            return base
        node = iri(str(actor_iri(actor)))
        if not self._new(node):
            return node
        self.describe(node, A, kg_iri(SECTOR_CLASS[actor.sector]))
        self.describe(node, LABEL, text(actor.label, "en"))
        self.describe(node, kg_iri("sector"), text(actor.sector))
        self.describe(node, kg_iri("actsFor"), base)
        if actor.country:
            self.describe(node, kg_iri("country"), iri(str(KGR[f"state/{actor.country}"])))
        return node

    def evidence(self, ev: Evidence) -> ox.NamedNode:
        node = iri(str(KGR["evidence/" + digest(ev.article_id, ev.rule, ev.trigger_start,
                                                ev.tokens)]))
        rule = iri(str(KGR[f"rule/{ev.rule}"]))
        article = iri(str(article_iri(ev.article_id)))
        self.add(node, A, kg_iri("Evidence"))
        self.add(node, kg_iri("sentence"), text(ev.sentence))
        self.add(node, kg_iri("startOffset"), typed(ev.start, XSD.integer))
        self.add(node, kg_iri("endOffset"), typed(ev.end, XSD.integer))
        self.add(node, kg_iri("triggerText"), text(ev.trigger))
        self.add(node, kg_iri("triggerStart"), typed(ev.trigger_start, XSD.integer))
        self.add(node, kg_iri("triggerEnd"), typed(ev.trigger_end, XSD.integer))
        self.add(node, kg_iri("rule"), rule)
        self.add(node, kg_iri("article"), article)
        self.add(node, iri(str(PROV.wasQuotedFrom)), article)
        if self._new(rule):
            self.describe(rule, A, kg_iri("Rule"))
            self.describe(rule, kg_iri("ruleId"), text(ev.rule))
        return node

    def quantity(self, owner: ox.NamedNode, q: Quantity, role: str) -> ox.NamedNode:
        node = iri(f"{owner.value}/{role}")
        self.add(node, A, kg_iri("Quantity"))
        self.add(node, kg_iri("value"), typed(Decimal(str(q.value)), XSD.decimal))
        self.add(node, kg_iri("unit"), text(q.unit))
        self.add(node, kg_iri("comparator"), text(q.comparator))
        self.add(node, kg_iri("text"), text(q.text))
        return node

    def event(self, event: Event) -> ox.NamedNode:
        node = iri(str(event_iri(event)))
        info = event_classes()[event.event_class]
        self.add(node, A, kg_iri(event.event_class))
        self.add(node, kg_iri("eventType"), text(info.plover))
        self.add(node, kg_iri("modality"), text(event.modality))
        self.add(node, iri(str(PROV.wasDerivedFrom)), iri(str(article_iri(self.article.id))))
        evidence = self.evidence(event.evidence)
        self.add(node, kg_iri("evidence"), evidence)
        # shortcuts, so that queries listing events read them off the event (no joins); the
        # type when asserted and the parties' labels follow below
        self.add(node, kg_iri("evidenceSentence"), text(event.evidence.sentence))
        self.add(node, kg_iri("fromArticle"), text(self.article.name))
        when = event.date.iso if event.date else (
            self.article.date.isoformat() if self.article.date else None)
        if when:
            self.add(node, kg_iri("timelineDate"), text(when))
        if event.modality == "asserted":
            self.add(node, kg_iri("assertedType"), text(info.plover))
        src = self.actor(event.source) if event.source else None
        tgt = self.actor(event.target) if event.target else None
        for role, party, party_node in (("source", event.source, src),
                                        ("target", event.target, tgt)):
            if party is not None and party_node is not None:
                self.add(node, kg_iri(role), party_node)
                self.add(node, kg_iri(f"{role}Label"), text(party.label, "en"))
        if event.date:
            self.add(node, kg_iri("date"), typed(event.date.iso,
                                            PRECISION_TYPE[event.date.precision]))
            self.add(node, kg_iri("datePrecision"), text(event.date.precision))
            self.add(node, kg_iri("dateText"), text(event.date.text))
        if event.since:
            self.add(node, kg_iri("since"), text(event.since.iso))
        if event.status:
            self.add(node, kg_iri("status"), text(event.status))
        if event.location:
            self.add(node, kg_iri("location"), self.entity(event.location))
        if event.quantity:
            self.add(node, kg_iri("quantity"), self.quantity(node, event.quantity, "quantity"))
        if event.money:
            self.add(node, kg_iri("money"), self.quantity(node, event.money, "money"))
        if event.attributed_to:
            self.add(node, kg_iri("attributedTo"), self.actor(event.attributed_to))
        if event.modality == "asserted":
            self.add(node, kg_iri("reports"), self.canonical(event))
        # Direct relations only for facts; extraction already dropped same-party pairs except for
        # the types where they are meaningful (a coup, a government's arrests of its own people).
        if event.modality == "asserted" and src is not None and tgt is not None:
            if info.relation:
                self.statement(node, evidence, src, info.relation, tgt)
            if info.inverse_relation:
                self.statement(node, evidence, tgt, info.inverse_relation, src)
        return node

    def canonical(self, event: Event) -> ox.NamedNode:
        """The canonical event this one reports, as far as one mention can tell: the same type
        between the same parties (states where the actors belong to one) in the same month (a
        year-dated mention: the same year; an undated one: undated), whichever article tells
        it. kg.canonical refines this over all mentions for the tables (a day one day apart
        across a month's end, a year or undated mention joining the one event it fits)."""
        plover, source, target, when = self.when.get(id(event)) or canonical_key(event)
        node = iri(str(KGR["canonical/" + digest(plover, source, target,
                                                 *([when] if when else []))]))
        if self._new(node):
            self.describe(node, A, kg_iri("CanonicalEvent"))
            self.describe(node, LABEL, text(f"{source} {plover} {target}"
                                            + (f" {when}" if when else "")))
        return node

    def statement(self, event: ox.NamedNode, evidence: ox.NamedNode, s: ox.NamedNode,
                  prop: str, o: ox.NamedNode) -> None:
        """The direct relation triple plus its reification carrying provenance."""
        p = kg_iri(prop)
        self.add(s, p, o)
        node = iri(str(KGR["statement/" + digest(s.value, p.value, o.value, event.value)]))
        self.add(node, A, kg_iri("RelationStatement"))
        self.add(node, iri(str(RDF.subject)), s)
        self.add(node, iri(str(RDF.predicate)), p)
        self.add(node, iri(str(RDF.object)), o)
        self.add(node, kg_iri("evidence"), evidence)
        self.add(node, iri(str(PROV.wasDerivedFrom)), event)


CanonicalKey = tuple[str, str, str, str]  # type, source end, target end, month or year or ""


def canonical_key(event: Event) -> CanonicalKey:
    """The type, the parties (their states where they have one) and the month of an event (its
    year when it is dated to the year, "" when undated)."""
    info = event_classes()[event.event_class]
    ends = [(a.country or a.entity.id) if a is not None else "-"
            for a in (event.source, event.target)]
    when = "" if event.date is None else \
        event.date.iso[:4] if event.date.precision == "year" else event.date.iso[:7]
    return info.plover, ends[0], ends[1], when


def article_keys(events: Iterable[Event]) -> dict[int, CanonicalKey]:
    """Keys for the year-dated and undated events that their own article places: the one month
    of that kind between those parties that the same sentence gives, else the one the article
    gives ("a coup on Friday, the second coup in 2022"; "The coup in Mali ..." after "soldiers
    staged a coup in Mali on Tuesday")."""
    keyed = [(e, canonical_key(e)) for e in events if e.modality == "asserted"]
    out: dict[int, CanonicalKey] = {}
    for event, key in keyed:
        if len(key[3]) == 7:
            continue
        finer = [(other, k) for other, k in keyed if k[:3] == key[:3] and len(k[3]) == 7
                 and k[3].startswith(key[3])]
        same = {k for other, k in finer if other.evidence.start == event.evidence.start}
        months = same or {k for _, k in finer}
        if len(months) == 1:
            out[id(event)] = months.pop()
    return out


def build_article(extraction: Extraction, described: Iterable[ox.NamedNode] = (),
                  fingerprint: str | None = None) -> ArticleRDF:
    """The article's named graph and the shared descriptions it adds, leaving out those of the
    subjects in `described` (already written); `fingerprint` (kg.identity) names what extracted
    it, for a later ingest to tell whether reading it again would change it."""
    builder = GraphBuilder(extraction.article, described, fingerprint)
    builder.when = article_keys(extraction.events)
    builder.store_format()
    for event in extraction.events:
        builder.event(event)
    return builder.result()
