# Store format 1 -> 2: give every event the shortcuts kg:evidenceSentence, kg:fromArticle and
# kg:timelineDate (what kg.rdf.build now writes), in the event's own graph. Idempotent: events
# that already have them are left alone. One request, so a server applies it as a unit.
# kg:fromArticle is the article's name, as kg.records.Article.name: its url, else its path (its
# id for standard input).
INSERT { GRAPH ?g { ?e kg:evidenceSentence ?sentence ; kg:fromArticle ?name } }
WHERE {
  GRAPH ?g {
    ?e kg:eventType ?type ; kg:evidence/kg:sentence ?sentence ; prov:wasDerivedFrom ?article .
    ?article kg:articleId ?id .
    OPTIONAL { ?article kg:url ?url }
    OPTIONAL { ?article kg:path ?path }
    FILTER NOT EXISTS { ?e kg:evidenceSentence ?any }
    BIND(COALESCE(STR(?url), IF(BOUND(?path) && ?path != "-", ?path, ?id)) AS ?name)
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
