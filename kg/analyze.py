"""Network analysis of the drawn graph: central actors, cooperating blocs, ego networks, GEXF."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import BinaryIO

import networkx as nx
from networkx.algorithms.community import greedy_modularity_communities

from kg.errors import KGError
from kg.export.serialise import to_networkx
from kg.export.view import GraphView, NodeView

# PLOVER types that count as cooperation when grouping actors into blocs.
COOPERATIVE = frozenset({"AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID"})


@dataclass(frozen=True)
class ActorScore:
    """One actor's centrality in the undirected, source-weighted graph."""

    id: str
    label: str
    type: str
    country: str | None
    degree: int  # distinct neighbours
    weighted_degree: float  # sources summed over every relation with those neighbours
    betweenness: float


@dataclass(frozen=True)
class Bloc:
    """A community of actors linked by cooperative relations."""

    members: tuple[str, ...]  # labels, sorted
    ids: tuple[str, ...]  # node ids, in the order of `members`
    internal_edges: int  # distinct pairs of members that cooperate


def _weighted_graph(view: GraphView, nodes: dict[str, str] | None = None,
                    event_types: frozenset[str] | None = None) -> nx.Graph:
    """An undirected simple graph; an edge's weight is the sources summed over its relations.

    `nodes` maps each node id to the node that stands for it (default: itself); self-loops
    (a coup in a country, a force merged into its own state) are left out.
    """
    rep = nodes if nodes is not None else {n.id: n.id for n in view.nodes}
    g = nx.Graph()
    g.add_nodes_from(sorted(set(rep.values())))  # sorted: community detection follows order
    weights: dict[tuple[str, str], int] = defaultdict(int)
    for e in view.edges:
        if event_types is not None and e.event_type not in event_types:
            continue
        u, v = rep.get(e.source), rep.get(e.target)
        if u is None or v is None or u == v:
            continue
        weights[(min(u, v), max(u, v))] += len(e.sources)
    g.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    return g


def central_actors(view: GraphView, top: int = 10) -> list[ActorScore]:
    """The `top` actors by weighted degree, then betweenness, then label.

    Args:
        view: the graph to rank.
        top: how many actors to return.

    Returns:
        Scores, most central first.
    """
    g = _weighted_graph(view)
    betweenness = nx.betweenness_centrality(g)
    scores = [
        ActorScore(id=n.id, label=n.label, type=n.type, country=n.country,
                   degree=g.degree(n.id), weighted_degree=float(g.degree(n.id, weight="weight")),
                   betweenness=betweenness[n.id])
        for n in view.nodes]
    scores.sort(key=lambda s: (-s.weighted_degree, -s.betweenness, s.label, s.id))
    return scores[:top]


def _state_of(view: GraphView) -> dict[str, str]:
    """Each node id -> the id of its country's State node when the view has one, else itself."""
    states = {n.country: n.id for n in view.nodes if n.type == "State" and n.country}
    return {n.id: states.get(n.country or "", n.id) for n in view.nodes}


def blocs(view: GraphView) -> list[Bloc]:
    """Communities of actors that agree, consult, support, cooperate with or aid each other.

    Actors with a country are merged into that country's State node (so "United States forces"
    and "United States" are one actor); communities come from greedy modularity on the
    source-weighted graph of cooperative relations.

    Returns:
        Blocs of two or more actors, largest first, then by members.
    """
    g = _weighted_graph(view, _state_of(view), COOPERATIVE)
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    if g.number_of_edges() == 0:
        return []
    labels = {n.id: n.label for n in view.nodes}
    out = []
    for community in greedy_modularity_communities(g, weight="weight"):
        if len(community) < 2:
            continue
        ids = sorted(community, key=lambda i: (labels[i], i))
        out.append(Bloc(members=tuple(labels[i] for i in ids), ids=tuple(ids),
                        internal_edges=g.subgraph(community).number_of_edges()))
    out.sort(key=lambda b: (-len(b.members), b.members))
    return out


def _matches(view: GraphView, actor: str) -> list[NodeView]:
    """Nodes named by `actor`: by id, else by label, else by alias, else a State by ISO code."""
    wanted = actor.casefold()
    tiers = [
        lambda n: n.id == actor,
        lambda n: n.label.casefold() == wanted,
        lambda n: any(a.casefold() == wanted for a in n.aliases),
        lambda n: n.type == "State" and n.country == actor.upper(),
    ]
    for test in tiers:
        found = [n for n in view.nodes if test(n)]
        if found:
            return found
    return []


def ego_network(view: GraphView, actor: str, radius: int = 1) -> GraphView:
    """The nodes within `radius` hops (either direction) of an actor, and the edges among them.

    Args:
        view: the whole graph.
        actor: a node id, a label or alias (any case), or a State's ISO alpha-3 code. When
            several nodes match equally well (e.g. a shared alias), all are centres.
        radius: how many hops to follow.

    Raises:
        KGError: no node matches `actor`.
    """
    centres = _matches(view, actor)
    if not centres:
        raise KGError(f"no actor matching {actor!r}")
    neighbours: dict[str, set[str]] = defaultdict(set)
    for e in view.edges:
        neighbours[e.source].add(e.target)
        neighbours[e.target].add(e.source)
    hops = {n.id: 0 for n in centres}
    queue = deque(hops)
    while queue:
        node = queue.popleft()
        if hops[node] == radius:
            continue
        for other in neighbours[node]:
            if other not in hops:
                hops[other] = hops[node] + 1
                queue.append(other)
    return GraphView(
        nodes=tuple(n for n in view.nodes if n.id in hops),
        edges=tuple(e for e in view.edges if e.source in hops and e.target in hops))


def to_gexf(view: GraphView, out: BinaryIO) -> None:
    """Write the graph as GEXF for Gephi, with the attributes GraphML carries."""
    # to_networkx already turns None into "", which write_gexf cannot take.
    nx.write_gexf(to_networkx(view), out)


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """Fixed-width text columns; the columns in `right` are right-aligned."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(header), line(["-" * w for w in widths]), *map(line, rows)]


def report(view: GraphView, top: int = 10) -> str:
    """A plain-text report: the `top` central actors as a table, then the cooperating blocs."""
    rows = [[str(rank), s.label, s.type, s.country or "", str(s.degree),
             f"{s.weighted_degree:g}", f"{s.betweenness:.3f}"]
            for rank, s in enumerate(central_actors(view, top), start=1)]
    lines = ["Central actors", ""]
    lines += _table(["#", "actor", "type", "country", "degree", "weighted", "betweenness"],
                    rows, right={0, 4, 5, 6}) if rows else ["(no actors)"]
    lines += ["", "Blocs", ""]
    found = blocs(view)
    lines += [", ".join(b.members) for b in found] if found else ["(no cooperating blocs)"]
    return "\n".join(lines) + "\n"
