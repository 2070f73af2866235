# Store format 2 -> 3: give every event the shortcuts kg:assertedType (its type, when asserted)
# and kg:sourceLabel / kg:targetLabel (its parties' labels), what kg.rdf.build now writes, in the
# event's own graph. Idempotent: events that already have them are left alone. One request, so
# a server applies it as a unit.
INSERT { GRAPH ?g { ?e kg:assertedType ?type } }
WHERE {
  GRAPH ?g {
    ?e kg:eventType ?type ; kg:modality "asserted" .
    FILTER NOT EXISTS { ?e kg:assertedType ?any }
  }
} ;
INSERT { GRAPH ?g { ?e ?copy ?label } }
WHERE {
  VALUES (?role ?copy) { (kg:source kg:sourceLabel) (kg:target kg:targetLabel) }
  GRAPH ?g {
    ?e kg:eventType ?type ; ?role ?party .
    FILTER NOT EXISTS { ?e ?copy ?any }
  }
  GRAPH kgg:entities { ?party rdfs:label ?label }
}
