"""Tests of kg.analyze on hand-built graph views, and central actors on the seed article."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pytest

from kg import api
from kg.analyze import blocs, central_actors, ego_network, report, to_gexf
from kg.errors import KGError
from kg.export.graph_view import graph_view
from kg.export.view import EdgeView, GraphView, NodeView, SourceRef
from kg.rdf.store import open_store

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def _node(key: str, label: str, type_: str = "State", country: str | None = None,
          aliases: tuple[str, ...] = ()) -> NodeView:
    return NodeView(id=f"n:{key}", label=label, type=type_, country=country, aliases=aliases)


def _edge(s: str, o: str, event_type: str = "AGREE", relation: str = "agreedWith",
          sources: int = 1, dates: tuple[str, ...] = ()) -> EdgeView:
    refs = tuple(SourceRef(sentence=f"{s} {relation} {o} ({i})", article_title=None,
                           article_url=None, article_date=None, article_id=f"a{i}", rule="r")
                 for i in range(sources))
    return EdgeView(id=f"n:{s}|{relation}|n:{o}", source=f"n:{s}", target=f"n:{o}",
                    relation=relation, label=relation, event_type=event_type, dates=dates,
                    sources=refs)


@pytest.fixture
def star() -> GraphView:
    """A hub linked to four actors, one of which also has a leaf of its own."""
    nodes = (_node("hub", "Hubland", country="HUB"), _node("a", "Alpha", country="ALP"),
             _node("b", "Beta"), _node("c", "Gamma"), _node("d", "Delta"),
             _node("leaf", "Leaf", type_="Person"))
    edges = (_edge("hub", "a"), _edge("b", "hub", "ACCUSE", "accused", sources=2),
             _edge("hub", "c", "AID", "sendsAidTo", dates=("2024-03-16", "2024-04-01")),
             _edge("d", "hub"), _edge("a", "leaf", "CONSULT", "consultedWith"))
    return GraphView(nodes=nodes, edges=edges)


@pytest.fixture
def two_blocs() -> GraphView:
    """Two triangles of cooperation joined only by an accusation."""
    nodes = tuple(_node(k, k.upper()) for k in ("a1", "a2", "a3", "b1", "b2", "b3"))
    edges = (_edge("a1", "a2"), _edge("a2", "a3", "SUPPORT", "supports"),
             _edge("a3", "a1", "CONSULT", "consultedWith"),
             _edge("b1", "b2", "COOPERATE", "cooperatesWith"), _edge("b2", "b3", "AID", "aids"),
             _edge("b3", "b1"), _edge("a1", "b1", "ACCUSE", "accused", sources=5))
    return GraphView(nodes=nodes, edges=edges)


def test_central_actors_ranks_the_hub_first(star: GraphView) -> None:
    scores = central_actors(star)
    hub = scores[0]
    assert hub.label == "Hubland" and hub.country == "HUB" and hub.type == "State"
    assert hub.degree == 4 and hub.weighted_degree == 5.0  # the accusation has two sources
    assert hub.betweenness == max(s.betweenness for s in scores) > 0
    assert [s.label for s in scores[1:3]] == ["Alpha", "Beta"]  # 2.0 each; Alpha is a bridge
    assert [s.label for s in scores[3:]] == ["Delta", "Gamma", "Leaf"]  # ties broken by label
    assert len(central_actors(star, top=2)) == 2


def test_central_actors_sums_relations_between_a_pair_and_ignores_self_loops() -> None:
    view = GraphView(
        nodes=(_node("x", "X"), _node("y", "Y")),
        edges=(_edge("x", "y", sources=2), _edge("y", "x", "ACCUSE", "accused"),
               _edge("x", "x", "COUP", "stagedCoupIn", sources=4)))
    x, y = central_actors(view)
    assert (x.label, x.degree, x.weighted_degree) == ("X", 1, 3.0)
    assert (y.degree, y.weighted_degree) == (1, 3.0)


def test_blocs_are_the_two_cooperating_clusters(two_blocs: GraphView) -> None:
    found = blocs(two_blocs)
    assert [b.members for b in found] == [("A1", "A2", "A3"), ("B1", "B2", "B3")]
    assert found[0].ids == ("n:a1", "n:a2", "n:a3")
    assert [b.internal_edges for b in found] == [3, 3]
    assert blocs(two_blocs) == found  # deterministic


def test_blocs_merge_a_sector_actor_into_its_state() -> None:
    view = GraphView(
        nodes=(_node("usa", "United States", country="USA"),
               _node("usaf", "United States forces", "ArmedForce", country="USA"),
               _node("ner", "Niger", country="NER"), _node("fra", "France", country="FRA"),
               _node("mli", "Mali", country="MLI"), _node("xyz", "Nowhere forces", "ArmedForce",
                                                          country="XYZ")),
        edges=(_edge("usaf", "ner", "AID", "sendsAidTo"), _edge("usa", "usaf"),
               _edge("fra", "mli", "COOPERATE", "cooperatesWith"),
               _edge("usa", "fra", "ACCUSE", "accused"), _edge("xyz", "mli", "CONSULT", "c")))
    found = blocs(view)
    members = [b.members for b in found]
    assert ("Niger", "United States") in members
    assert ("France", "Mali", "Nowhere forces") in members  # no XYZ State: the node stays
    assert all("United States forces" not in m for m in members)


def test_blocs_without_cooperation_is_empty() -> None:
    view = GraphView(nodes=(_node("x", "X"), _node("y", "Y")),
                     edges=(_edge("x", "y", "ACCUSE", "accused"),))
    assert blocs(view) == []


def test_ego_network_by_label_code_and_radius(star: GraphView) -> None:
    one = ego_network(star, "alpha")
    assert {n.label for n in one.nodes} == {"Alpha", "Hubland", "Leaf"}
    assert {(e.source, e.target) for e in one.edges} == {("n:hub", "n:a"), ("n:a", "n:leaf")}
    two = ego_network(star, "alpha", radius=2)
    assert len(two.nodes) == 6 and len(two.edges) == 5
    assert {n.label for n in ego_network(star, "hub").nodes} == {  # ISO code of a State
        "Hubland", "Alpha", "Beta", "Gamma", "Delta"}
    assert [n.label for n in ego_network(star, "n:leaf", radius=0).nodes] == ["Leaf"]


def test_ego_network_by_alias() -> None:
    view = GraphView(nodes=(_node("usa", "United States", country="USA", aliases=("US",)),
                            _node("ner", "Niger", country="NER")),
                     edges=(_edge("usa", "ner"),))
    assert len(ego_network(view, "us").nodes) == 2


def test_ego_network_unknown_actor(star: GraphView) -> None:
    with pytest.raises(KGError, match="no actor matching 'Atlantis'"):
        ego_network(star, "Atlantis")


def test_gexf_round_trip_keeps_attributes(star: GraphView) -> None:
    buf = io.BytesIO()
    to_gexf(star, buf)
    g = nx.read_gexf(io.BytesIO(buf.getvalue()))
    assert g.number_of_nodes() == 6 and g.number_of_edges() == 5
    assert g.nodes["n:hub"]["label"] == "Hubland" and g.nodes["n:hub"]["type"] == "State"
    assert g.nodes["n:b"]["country"] == ""
    ((_, _, data),) = [e for e in g.edges(data=True) if e[0] == "n:b"]
    assert data["relation"] == "accused" and data["event_type"] == "ACCUSE"
    assert float(data["weight"]) == 2.0
    ((_, _, aid),) = [e for e in g.edges(data=True) if e[1] == "n:c"]
    assert aid["dates"] == "2024-03-16 2024-04-01"


def test_report_lists_the_hub_first_and_the_blocs(star: GraphView, two_blocs: GraphView) -> None:
    text = report(star)
    lines = text.splitlines()
    assert lines[0] == "Central actors"
    table = lines[lines.index("Central actors") + 2:]
    assert table[0].split()[:2] == ["#", "actor"]
    first = table[2].split()
    assert first[:3] == ["1", "Hubland", "State"] and first[-1] == "0.900"
    assert "Blocs" in lines
    assert "A1, A2, A3" in report(two_blocs).splitlines()


def test_central_actors_on_the_seed_article(tmp_path: Path) -> None:
    store_path = tmp_path / "kg-data"
    result = api.ingest([str(EXAMPLES)], str(store_path))
    assert result.articles == 1 and not result.errors
    with open_store(str(store_path), must_exist=True) as store:
        view = graph_view(store)
    scores = central_actors(view)
    assert scores[0].label == "Niger" and scores[0].country == "NER", scores
    assert scores[0].degree == max(s.degree for s in scores)
