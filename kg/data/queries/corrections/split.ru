# Withdraw a merge of ?old into ?new (either way round) and record that they differ.
DELETE { GRAPH kgr:graph\/corrections { ?old owl:sameAs ?new . ?new owl:sameAs ?old } }
INSERT { GRAPH kgr:graph\/corrections { ?old owl:differentFrom ?new } }
WHERE { }
