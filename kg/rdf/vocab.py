"""Terms of the kg ontology, loaded from kg/data/ontology/kg.ttl (the single source of truth).

Code asks for terms by local name (`term("Withdrawal")`); a name the ontology lacks is a DataError,
so the code can never emit a term that is not defined.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

from kg.errors import DataError

KG = Namespace("https://w3id.org/kg-security/ontology#")
KGR = Namespace("https://w3id.org/kg-security/id/")
PROV = Namespace("http://www.w3.org/ns/prov#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "kg": str(KG), "kgr": str(KGR), "kgg": str(KGR) + "graph/", "prov": str(PROV), "wd": str(WD),
    "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
}


@dataclass(frozen=True)
class EventClass:
    """An event class with the annotations the extractor and graph builder need."""

    name: str
    plover: str
    cameo: str | None
    relation: str | None  # direct relation from source to target
    inverse_relation: str | None  # direct relation from target to source
    joint: bool = False  # its direct relation is symmetric: the parties act together (AGREE)


def ontology_text(name: str = "kg.ttl") -> str:
    """The text of a packaged ontology file (kg.ttl or shapes.ttl)."""
    return (resources.files("kg") / "data" / "ontology" / name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def ontology() -> Graph:
    """The parsed ontology graph."""
    g = Graph()
    g.parse(data=ontology_text(), format="turtle")
    return g


@functools.lru_cache(maxsize=1)
def defined_terms() -> frozenset[str]:
    """Local names of every kg: term the ontology declares."""
    g = ontology()
    return frozenset(str(s)[len(str(KG)):] for s in g.subjects(RDF.type, None)
                     if isinstance(s, URIRef) and str(s).startswith(str(KG)))


def term(name: str) -> URIRef:
    """The IRI of the kg: term `name`; DataError if the ontology does not define it."""
    if name not in defined_terms():
        raise DataError(f"kg:{name} is not defined in ontologies/kg.ttl")
    return KG[name]


def _local(node: object) -> str | None:
    return str(node)[len(str(KG)):] if node is not None else None


@functools.lru_cache(maxsize=1)
def event_classes() -> dict[str, EventClass]:
    """Every event class (subclass of kg:Event, transitively) by local name."""
    g = ontology()
    out: dict[str, EventClass] = {}
    for cls in g.transitive_subjects(RDFS.subClassOf, KG.Event):
        if cls == KG.Event:
            continue
        plover = g.value(cls, KG.ploverType)
        if plover is None:
            raise DataError(f"ontologies/kg.ttl: event class {cls} has no kg:ploverType")
        cameo = g.value(cls, KG.cameoCode)
        out[_local(cls) or ""] = EventClass(
            name=_local(cls) or "", plover=str(plover), cameo=str(cameo) if cameo else None,
            relation=_local(g.value(cls, KG.directRelation)),
            inverse_relation=_local(g.value(cls, KG.inverseDirectRelation)),
            joint=(g.value(cls, KG.directRelation), RDF.type, OWL.SymmetricProperty) in g,
        )
    return out


def label_of(name: str) -> str:
    """The English rdfs:label of a kg: term (its local name if it has none)."""
    value = ontology().value(term(name), RDFS.label)
    return str(value) if value else name
