# Merge ?old into ?new: record it (withdrawing any split), then rename ?old in every stored
# graph; its label lives on as an alias of ?new. One request, so it applies as a unit.
DELETE { GRAPH kgg:corrections { ?old owl:differentFrom ?new . ?new owl:differentFrom ?old } }
INSERT { GRAPH kgg:corrections { ?old owl:sameAs ?new } }
WHERE { } ;
DELETE { GRAPH ?g { ?old ?p ?o } }
INSERT { GRAPH ?g { ?new ?q ?o2 } }
WHERE {
  GRAPH ?g { ?old ?p ?o }
  FILTER (!sameTerm(?g, kgg:corrections))
  BIND (IF(sameTerm(?p, rdfs:label), skos:altLabel, ?p) AS ?q)
  BIND (IF(sameTerm(?o, ?old), ?new, ?o) AS ?o2)
} ;
DELETE { GRAPH ?g { ?s ?p ?old } }
INSERT { GRAPH ?g { ?s ?p ?new } }
WHERE { GRAPH ?g { ?s ?p ?old } FILTER (!sameTerm(?g, kgg:corrections)) }
