# Store format 1 -> 2: give every event the shortcuts kg:evidenceSentence, kg:fromArticle and
# kg:timelineDate (what kg.rdf.build now writes), in the event's own graph. Idempotent: events
# that already have them are left alone. One request, so a server applies it as a unit.
INSERT { GRAPH ?g { ?e kg:evidenceSentence ?sentence ; kg:fromArticle ?article } }
WHERE {
  GRAPH ?g {
    ?e kg:eventType ?type ; kg:evidence/kg:sentence ?sentence ;
       prov:wasDerivedFrom/kg:articleId ?article .
    FILTER NOT EXISTS { ?e kg:evidenceSentence ?any }
  }
} ;
INSERT { GRAPH ?g { ?e kg:timelineDate ?when } }
WHERE {
  GRAPH ?g {
    ?e kg:eventType ?type ; prov:wasDerivedFrom ?a .
    FILTER NOT EXISTS { ?e kg:timelineDate ?any }
    OPTIONAL { ?e kg:date ?eventDate }
    OPTIONAL { ?a dcterms:date ?articleDate }
    BIND(STR(COALESCE(?eventDate, ?articleDate)) AS ?when)
    FILTER(BOUND(?when))
  }
}
