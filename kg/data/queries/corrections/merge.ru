# Merge ?old into ?new: record it (withdrawing any split), then rename ?old in every stored
# graph; its label lives on as an alias of ?new and its ISO code as a skos:notation (a state has
# one kg:iso3), and events' copies of their parties' labels (kg:sourceLabel, kg:targetLabel)
# become ?new's label. One request, so it applies as a unit.
DELETE { GRAPH kgg:corrections { ?old owl:differentFrom ?new . ?new owl:differentFrom ?old } }
INSERT { GRAPH kgg:corrections { ?old owl:sameAs ?new } }
WHERE { } ;
DELETE { GRAPH ?g { ?old ?p ?o } }
INSERT { GRAPH ?g { ?new ?q ?o2 } }
WHERE {
  GRAPH ?g { ?old ?p ?o }
  FILTER (!sameTerm(?g, kgg:corrections))
  BIND (IF(sameTerm(?p, rdfs:label), skos:altLabel, IF(sameTerm(?p, kg:iso3), skos:notation, ?p))
        AS ?q)
  BIND (IF(sameTerm(?o, ?old), ?new, ?o) AS ?o2)
} ;
DELETE { GRAPH ?g { ?s ?p ?old } }
INSERT { GRAPH ?g { ?s ?p ?new } }
WHERE { GRAPH ?g { ?s ?p ?old } FILTER (!sameTerm(?g, kgg:corrections)) } ;
DELETE { GRAPH ?g { ?e ?copy ?was } }
INSERT { GRAPH ?g { ?e ?copy ?label } }
WHERE {
  VALUES (?role ?copy) { (kg:source kg:sourceLabel) (kg:target kg:targetLabel) }
  GRAPH kgg:entities { ?new rdfs:label ?label }
  GRAPH ?g { ?e ?role ?new ; ?copy ?was }
  FILTER (!sameTerm(?g, kgg:corrections))
}
