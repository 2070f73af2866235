# Withdraw a merge of ?old into ?new (either way round) and record that they differ.
DELETE { GRAPH kgg:corrections { ?old owl:sameAs ?new . ?new owl:sameAs ?old } }
INSERT { GRAPH kgg:corrections { ?old owl:differentFrom ?new } }
WHERE { }
