"""Packaged queries rewritten for speed give the rows of their earlier, slower forms.

The earlier forms are kept here, as written before the rewrite, and both run on the ingested seed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.rdf.queries import packaged_query, run_query
from kg.rdf.store import open_store

# edges.rq before issue 18: OPTIONALs between the required patterns
EDGES_BEFORE = """
SELECT ?s ?p ?o ?event ?eventType ?date ?status ?qty ?sentence ?title ?url ?adate ?articleId ?articleName
       ?rule
WHERE {
  ?st a kg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
      kg:evidence ?ev ; prov:wasDerivedFrom ?event .
  ?event kg:eventType ?eventType .
  OPTIONAL { ?event kg:date ?date }
  OPTIONAL { ?event kg:status ?status }
  OPTIONAL { ?event kg:fromArticle ?articleName }
  OPTIONAL { ?event kg:quantity/kg:text ?qty }
  ?ev kg:sentence ?sentence ; kg:article ?a ; kg:rule/kg:ruleId ?rule .
  ?a kg:articleId ?articleId .
  OPTIONAL { ?a dcterms:title ?title }
  OPTIONAL { ?a kg:url ?url }
  OPTIONAL { ?a dcterms:date ?adate }
}
ORDER BY ?s ?p ?o ?articleId ?sentence
"""

# entities.rq before issue 18: names and article counts grouped together
ENTITIES_BEFORE = """
SELECT ?entity (SAMPLE(?label0) AS ?label) (SAMPLE(?type0) AS ?type)
       (GROUP_CONCAT(DISTINCT ?country0; separator="|") AS ?country)
       (GROUP_CONCAT(DISTINCT ?wikidata0; separator="|") AS ?wikidata)
       (GROUP_CONCAT(DISTINCT ?alias; separator="|") AS ?aliases)
       (COUNT(DISTINCT ?a) AS ?articles)
WHERE {
  ?entity rdfs:label ?label0 ; a ?cls .
  VALUES ?cls { kg:State kg:Person kg:Organisation kg:Mission kg:ArmedGroup
                kg:MilitaryContractor kg:UnknownActor kg:City kg:MilitaryBase }
  FILTER NOT EXISTS { ?entity kg:sector ?sector }
  BIND(STRAFTER(STR(?cls), "#") AS ?type0)
  OPTIONAL { ?entity kg:iso3 ?iso }
  OPTIONAL { ?entity kg:country/kg:iso3 ?countryIso }
  BIND(COALESCE(?iso, ?countryIso) AS ?country0)
  OPTIONAL { ?entity kg:wikidata ?wikidata0 }
  OPTIONAL { ?entity skos:altLabel ?alias }
  OPTIONAL {
    ?actor kg:actsFor? ?entity .
    ?e kg:source|kg:target|kg:location ?actor ; prov:wasDerivedFrom ?a .
  }
}
GROUP BY ?entity
ORDER BY DESC(?articles) ?label
"""

BEFORE = {"edges": EDGES_BEFORE, "entities": ENTITIES_BEFORE}


def _rows(store: object, text: str) -> list[tuple[str | None, ...]]:
    result = run_query(store, text)  # type: ignore[arg-type]
    assert result is not None
    return sorted(tuple(None if v is None else str(v) for v in row) for row in result)


@pytest.mark.parametrize("name", sorted(BEFORE))
def test_a_rewritten_query_gives_the_rows_of_its_earlier_form(ingested_store: Path,
                                                              name: str) -> None:
    with open_store(str(ingested_store), must_exist=True) as store:
        now, before = _rows(store, packaged_query(name)), _rows(store, BEFORE[name])
    assert now, f"{name}: no rows on the seed, so the comparison says nothing"
    assert now == before
