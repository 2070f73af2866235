"""Build the drawable GraphView (nodes, edges, sources) from a store with the packaged queries."""

from __future__ import annotations

from collections import defaultdict

from kg.export.view import EdgeView, GraphView, NodeView, SourceRef
from kg.rdf.queries import select
from kg.rdf.store import Store
from kg.rdf.vocab import KG, label_of

# Most specific first: a node typed State and Place is drawn as a State.
TYPE_ORDER = ["Junta", "MilitaryAdvisers", "ArmedForce", "Population", "Government",
              "MilitaryContractor", "ArmedGroup", "Mission", "Organisation", "Person",
              "UnknownActor", "State", "MilitaryBase", "City"]


def _local(iri: object) -> str:
    return str(iri).removeprefix(str(KG))


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def graph_view(store: Store) -> GraphView:
    """Every direct relation in the store and the nodes it links."""
    edges: dict[tuple[str, str, str], dict] = {}
    sources: dict[tuple[str, str, str], list[SourceRef]] = defaultdict(list)
    for row in select(store, "edges"):
        key = (str(row["s"]), _local(row["p"]), str(row["o"]))
        data = edges.setdefault(key, {"type": str(row["eventType"]), "dates": set(), "qty": set(),
                                      "status": set()})
        if row["date"] is not None:
            data["dates"].add(str(row["date"]))
        if row["qty"] is not None:
            data["qty"].add(str(row["qty"]))
        if row["status"] is not None:
            data["status"].add(str(row["status"]))
        ref = SourceRef(sentence=str(row["sentence"]), article_title=_str(row["title"]),
                        article_url=_str(row["url"]), article_date=_str(row["adate"]),
                        article_id=str(row["articleId"]), rule=str(row["rule"]),
                        article_name=_str(row["articleName"]))
        if ref not in sources[key]:
            sources[key].append(ref)
    used = {k[0] for k in edges} | {k[2] for k in edges}
    nodes: dict[str, dict] = {}
    for row in select(store, "nodes"):
        iri = str(row["n"])
        if iri not in used:
            continue
        node = nodes.setdefault(iri, {"label": str(row["label"]), "types": set(), "iso": None,
                                      "wd": None, "aliases": set()})
        node["types"].add(_local(row["type"]))
        node["iso"] = node["iso"] or _str(row["iso"])
        node["wd"] = node["wd"] or _str(row["wd"])
        node["aliases"].update(a for a in str(row["aliases"] or "").split("|") if a)
    node_views = tuple(
        NodeView(id=iri, label=n["label"],
                 type=next((t for t in TYPE_ORDER if t in n["types"]), "UnknownActor"),
                 country=n["iso"], wikidata=n["wd"], aliases=tuple(sorted(n["aliases"])))
        for iri, n in sorted(nodes.items()))
    edge_views = tuple(
        EdgeView(id=f"{s}|{p}|{o}", source=s, target=o, relation=p, label=label_of(p),
                 event_type=d["type"], dates=tuple(sorted(d["dates"])),
                 quantities=tuple(sorted(d["qty"])), statuses=tuple(sorted(d["status"])),
                 sources=tuple(sources[(s, p, o)]))
        for (s, p, o), d in sorted(edges.items()) if s in nodes and o in nodes)
    return GraphView(nodes=node_views, edges=edge_views)
