"""Build the RDF of one article's extraction: entities, events, direct relations, provenance.

Every IRI is minted deterministically from the article id, rule id, offsets and canonical ids, so
ingesting the same article twice yields the same triples. What the article says goes in its own
named graph; the descriptions of canonical entities and rules (labels, codes, Wikidata ids), which
are the same whichever article names them, go once in the shared graph ENTITIES_GRAPH.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

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


def digest(*parts: object) -> str:
    """A short stable hash of the parts, for IRIs."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


ENTITIES_GRAPH = KGR["graph/entities"]


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
    ev = event.evidence
    return KGR["event/" + digest(ev.article_id, ev.rule, ev.trigger_start, event.event_class,
                                 event.source and actor_iri(event.source),
                                 event.target and actor_iri(event.target))]


class GraphBuilder:
    """Accumulates the triples of one article's named graph."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.graph = Graph(identifier=graph_iri(article.id))
        self.entities = Graph(identifier=ENTITIES_GRAPH)
        self.add = self.graph.add
        self.describe = self.entities.add
        self._article()

    def _article(self) -> None:
        a, node = self.article, article_iri(self.article.id)
        self.add((node, RDF.type, term("Article")))
        self.add((node, term("articleId"), Literal(a.id)))
        self.add((node, term("path"), Literal(a.path)))
        if a.title:
            self.add((node, DCTERMS.title, Literal(a.title)))
        if a.url:
            self.add((node, term("url"), Literal(a.url, datatype=XSD.anyURI)))
        if a.date:
            self.add((node, DCTERMS.date, Literal(a.date.isoformat(), datatype=XSD.date)))
        if a.source:
            self.add((node, DCTERMS.source, Literal(a.source)))
        if a.author:
            self.add((node, DCTERMS.creator, Literal(a.author)))

    def entity(self, entity: Entity) -> URIRef:
        node = entity_iri(entity)
        self.describe((node, RDF.type, term(ENTITY_CLASS[entity.type])))
        if entity.type in {"City", "MilitaryBase"}:
            self.describe((node, RDF.type, term("Place")))
        self.describe((node, RDFS.label, Literal(entity.label, lang="en")))
        for alias in entity.aliases:
            self.describe((node, SKOS.altLabel, Literal(alias, lang="en")))
        if entity.type == "State":
            self.describe((node, term("iso3"), Literal(entity.id)))
        if entity.wikidata:
            self.describe((node, term("wikidata"), Literal(entity.wikidata)))
            self.describe((node, OWL.sameAs, WD[entity.wikidata]))
        if entity.office:
            self.describe((node, term("office"), Literal(entity.office)))
        if entity.country and entity.type != "State":
            self.describe((node, term("country"), KGR[f"state/{entity.country}"]))
        return node

    def actor(self, actor: Actor) -> URIRef:
        base = self.entity(actor.entity)
        if actor.sector is None:
            return base
        node = actor_iri(actor)
        self.describe((node, RDF.type, term(SECTOR_CLASS[actor.sector])))
        self.describe((node, RDFS.label, Literal(actor.label, lang="en")))
        self.describe((node, term("sector"), Literal(actor.sector)))
        self.describe((node, term("actsFor"), base))
        if actor.country:
            self.describe((node, term("country"), KGR[f"state/{actor.country}"]))
        return node

    def evidence(self, ev: Evidence) -> URIRef:
        node = KGR["evidence/" + digest(ev.article_id, ev.rule, ev.trigger_start, ev.tokens)]
        rule = KGR[f"rule/{ev.rule}"]
        self.add((node, RDF.type, term("Evidence")))
        self.add((node, term("sentence"), Literal(ev.sentence)))
        self.add((node, term("startOffset"), Literal(ev.start, datatype=XSD.integer)))
        self.add((node, term("endOffset"), Literal(ev.end, datatype=XSD.integer)))
        self.add((node, term("triggerText"), Literal(ev.trigger)))
        self.add((node, term("triggerStart"), Literal(ev.trigger_start, datatype=XSD.integer)))
        self.add((node, term("triggerEnd"), Literal(ev.trigger_end, datatype=XSD.integer)))
        self.add((node, term("rule"), rule))
        self.add((node, term("article"), article_iri(ev.article_id)))
        self.add((node, PROV.wasQuotedFrom, article_iri(ev.article_id)))
        self.describe((rule, RDF.type, term("Rule")))
        self.describe((rule, term("ruleId"), Literal(ev.rule)))
        return node

    def quantity(self, owner: URIRef, q: Quantity, role: str) -> URIRef:
        node = URIRef(f"{owner}/{role}")
        self.add((node, RDF.type, term("Quantity")))
        self.add((node, term("value"), Literal(Decimal(str(q.value)), datatype=XSD.decimal)))
        self.add((node, term("unit"), Literal(q.unit)))
        self.add((node, term("comparator"), Literal(q.comparator)))
        self.add((node, term("text"), Literal(q.text)))
        return node

    def event(self, event: Event) -> URIRef:
        node = event_iri(event)
        info = event_classes()[event.event_class]
        self.add((node, RDF.type, term(event.event_class)))
        self.add((node, term("eventType"), Literal(info.plover)))
        self.add((node, term("modality"), Literal(event.modality)))
        self.add((node, PROV.wasDerivedFrom, article_iri(self.article.id)))
        evidence = self.evidence(event.evidence)
        self.add((node, term("evidence"), evidence))
        src = self.actor(event.source) if event.source else None
        tgt = self.actor(event.target) if event.target else None
        if src is not None:
            self.add((node, term("source"), src))
        if tgt is not None:
            self.add((node, term("target"), tgt))
        if event.date:
            self.add((node, term("date"), Literal(event.date.iso,
                                                  datatype=PRECISION_TYPE[event.date.precision])))
            self.add((node, term("datePrecision"), Literal(event.date.precision)))
            self.add((node, term("dateText"), Literal(event.date.text)))
        if event.location:
            self.add((node, term("location"), self.entity(event.location)))
        if event.quantity:
            self.add((node, term("quantity"), self.quantity(node, event.quantity, "quantity")))
        if event.money:
            self.add((node, term("money"), self.quantity(node, event.money, "money")))
        if event.attributed_to:
            self.add((node, term("attributedTo"), self.actor(event.attributed_to)))
        if event.modality == "asserted":
            self.add((node, term("reports"), self.canonical(event)))
        # Direct relations only for facts; extraction already dropped same-party pairs except for
        # the types where they are meaningful (a coup, a government's arrests of its own people).
        if event.modality == "asserted" and src is not None and tgt is not None:
            if info.relation:
                self.statement(node, evidence, src, info.relation, tgt)
            if info.inverse_relation:
                self.statement(node, evidence, tgt, info.inverse_relation, src)
        return node

    def canonical(self, event: Event) -> URIRef:
        """The canonical event this one reports: the same type between the same parties (states
        where the actors belong to one), whichever article tells it."""
        info = event_classes()[event.event_class]
        ends = [(a.country or a.entity.id) if a is not None else "-"
                for a in (event.source, event.target)]
        node = KGR["canonical/" + digest(info.plover, *ends)]
        self.describe((node, RDF.type, term("CanonicalEvent")))
        self.describe((node, RDFS.label, Literal(f"{ends[0]} {info.plover} {ends[1]}")))
        return node

    def statement(self, event: URIRef, evidence: URIRef, s: URIRef, prop: str, o: URIRef) -> None:
        """The direct relation triple plus its reification carrying provenance."""
        p = term(prop)
        self.add((s, p, o))
        node = KGR["statement/" + digest(s, p, o, event)]
        self.add((node, RDF.type, term("RelationStatement")))
        self.add((node, RDF.subject, s))
        self.add((node, RDF.predicate, p))
        self.add((node, RDF.object, o))
        self.add((node, term("evidence"), evidence))
        self.add((node, PROV.wasDerivedFrom, event))


def build_graphs(extraction: Extraction) -> tuple[Graph, Graph]:
    """The article's named graph and the entity descriptions it adds to ENTITIES_GRAPH."""
    builder = GraphBuilder(extraction.article)
    for event in extraction.events:
        builder.event(event)
    return builder.graph, builder.entities
