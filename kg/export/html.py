"""The interactive HTML page of the graph: one self-contained UTF-8 file, no network request.

pyvis builds the vis-network node and edge records and supplies the vis-network script and
stylesheet, which are inlined; the page comes from kg's own template (pyvis's loads Bootstrap from
a CDN). Article-derived text travels only inside a JSON data block, and the page's script builds
every element from it with ``textContent``, so no label, sentence, title or url can run as code.
A Content-Security-Policy runs only the page's two scripts (by hash) and allows no network access.

Graphs above ``layout.physics_max_nodes`` nodes or ``layout.physics_max_edges`` edges get
positions computed here and no physics; above ``layout.force_max_nodes`` those positions come
from a fast radial layout instead of a force layout, so a page of thousands of nodes renders in
seconds and opens without a layout pass.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import math
import os
import re
from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import networkx as nx
import yaml
from pyvis.network import Network

from kg.errors import DataError
from kg.export.scope import centres, period
from kg.export.timeline import STATUS_ORDER, article_groups, edge_when, presence_intervals
from kg.export.view import EdgeView, GraphView, NodeView

__all__ = [
    "REQUIRED_NODE_TYPES",
    "NodeStyle",
    "PageStyle",
    "load_page_style",
    "render_html",
    "write_html",
]

# Every node type the extractors emit must have a style; the ontology classes of actors and places.
REQUIRED_NODE_TYPES: tuple[str, ...] = (
    "State",
    "Government",
    "Junta",
    "ArmedForce",
    "MilitaryAdvisers",
    "Population",
    "Person",
    "Organisation",
    "Mission",
    "ArmedGroup",
    "MilitaryContractor",
    "UnknownActor",
    "City",
    "MilitaryBase",
)
FALLBACK_NODE_TYPE = "UnknownActor"  # style of nodes whose type the style file does not list
# vis-network shapes that draw the label below the node (and that the legend can draw)
SHAPES = frozenset({"dot", "square", "diamond", "triangle", "triangleDown", "star", "hexagon"})

_STYLES = files("kg").joinpath("data", "styles")
_VIS = files("pyvis").joinpath("templates", "lib", "vis-9.1.2")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_TOP_KEYS = {"node_types", "event_types", "edges", "layout"}
_NODE_KEYS = {"color", "shape", "size"}
_EDGE_KEYS = {
    "default_color",
    "min_width",
    "per_source",
    "max_width",
    "label_max_edges",
    "parallel_roundness",
}
_LAYOUT_KEYS = {
    "physics_max_nodes",
    "physics_max_edges",
    "force_max_nodes",
    "ego_min_nodes",
    "ego_neighbours",
    "ring_gap",
    "seed",
}
# \u2028/\u2029 end a line in old JavaScript; "<", ">" and "&" could end the <script> block.
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_EPOCH = dt.date(1970, 1, 1).toordinal()  # the page counts days from 1970-01-01, as JS dates do
_EDGE_FONT_SIZE = 11
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


@dataclass(frozen=True)
class NodeStyle:
    """How one node type is drawn."""

    color: str
    shape: str
    size: int = 16


@dataclass(frozen=True)
class PageStyle:
    """The validated contents of a page style file (see kg/data/styles/page.yaml)."""

    node_types: Mapping[str, NodeStyle]
    event_colors: Mapping[str, str]
    default_edge_color: str
    min_width: float
    per_source: float
    max_width: float
    label_max_edges: int
    physics_max_nodes: int
    physics_max_edges: int
    force_max_nodes: int
    ego_min_nodes: int
    seed: int
    ego_neighbours: int = 40
    ring_gap: int = 100
    parallel_roundness: float = 0.25

    def node_style(self, node_type: str) -> NodeStyle:
        """The style of a node type, the UnknownActor style if the file does not list it."""
        return self.node_types.get(node_type) or self.node_types[FALLBACK_NODE_TYPE]

    def edge_color(self, event_type: str) -> str:
        """The colour of an event type, the default edge colour if the file does not list it."""
        return self.event_colors.get(event_type, self.default_edge_color)

    def edge_width(self, n_sources: int) -> float:
        """Edge width growing with the number of supporting sentences."""
        width = self.min_width + self.per_source * max(n_sources - 1, 0)
        return round(min(width, self.max_width), 2)


def load_page_style(path: str | os.PathLike[str] | None = None) -> PageStyle:
    """Read and validate a page style file.

    Args:
        path: a YAML style file; the packaged kg/data/styles/page.yaml when None.

    Returns:
        The style, with every type in REQUIRED_NODE_TYPES present.

    Raises:
        DataError: the file is missing, is not YAML, has an unknown key, misses a node type or
            has a bad value; the message starts with the file's path.
    """
    source: Traversable | Path = _STYLES.joinpath("page.yaml") if path is None else Path(path)
    where = str(source)
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{where}: style file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{where}: cannot read style file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DataError(f"{where}{line}: not valid YAML: {exc}") from None
    return _parse_style(raw, where)


def render_html(
    view: GraphView,
    title: str = "kg graph",
    style: PageStyle | None = None,
    focus: str | None = None,
) -> str:
    """Render the interactive page of a graph view.

    A graph of more than the style's `ego_min_nodes` nodes opens on the ego network of `focus`
    (else of the node with most neighbours) and shows the rest on demand. Several relations
    between the same two nodes are drawn as one bundle edge until the page expands it.

    Args:
        view: the nodes and edges to draw.
        title: shown in the header and the browser tab (escaped).
        style: node and edge styles; the packaged page.yaml when None.
        focus: the node a large graph opens on: an id, a label or alias, or a State's ISO code
            (as for `kg export --focus`); ignored when it matches no node.

    Returns:
        The whole page: self-contained UTF-8 HTML that opens from disk with no network.

    Raises:
        ValueError: an edge names a node the view lacks, or two nodes or edges share an id.
        DataError: the packaged style or template is invalid.
    """
    style = style or load_page_style()
    nodes = sorted(view.nodes, key=lambda n: n.id)
    edges = sorted(view.edges, key=lambda e: e.id)
    _check_ids(nodes, edges)
    ego = _ego_centre(view, nodes, edges, focus) if len(nodes) > style.ego_min_nodes else None
    physics = (
        ego is None
        and len(nodes) <= style.physics_max_nodes
        and len(edges) <= style.physics_max_edges
    )
    huge = len(nodes) > style.force_max_nodes
    positions = {} if physics else _layout(nodes, edges, style.seed, huge, ego, style.ring_gap)
    dense = len(edges) > style.label_max_edges
    bundles = _bundles(edges)
    curves = {e.id: _curve(e, k, style) for group in bundles.values() for k, e in enumerate(group)}

    net = Network(directed=True, cdn_resources="in_line")
    for node in nodes:
        net.add_node(node.id, **_vis_node(node, style, positions.get(node.id)))
    for edge in edges:
        net.add_edge(edge.source, edge.target, **_vis_edge(edge, style, curves.get(edge.id)))
    for (a, b), group in bundles.items():
        net.add_edge(a, b, **_vis_bundle(a, b, group, style))

    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _vis_options(physics, huge, dense, len(nodes), style.seed),
        "labels": {"max_edges": style.label_max_edges, "size": _EDGE_FONT_SIZE},
        "info": {
            "nodes": [_node_info(n, style) for n in nodes],
            "edges": [_edge_info(e, style) for e in edges],
            "bundles": [
                {"id": _bundle_id(a, b), "source": a, "target": b, "edges": [e.id for e in group]}
                for (a, b), group in bundles.items()
            ],
        },
        "ego": None if ego is None else {"centre": ego, "nodes": _ego_nodes(ego, edges, style)},
        "legend": _legend(nodes, edges, style),
        "timeline": {"intervals": presence_intervals(view), "status_order": STATUS_ORDER},
    }
    vis_js = _asset(_VIS.joinpath("vis-network.min.js"), "script")
    page_js = _asset(_STYLES.joinpath("page.js"), "script")
    views_js = _asset(_STYLES.joinpath("views.js"), "script")
    template = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    ).from_string(_STYLES.joinpath("page.html.j2").read_text(encoding="utf-8"))
    return template.render(
        title=title,
        counts=_counts(nodes, edges),
        csp=_csp(vis_js, page_js, views_js),
        data_json=_script_json(data),
        vis_css=_asset(_VIS.joinpath("vis-network.css"), "style"),
        page_css=_asset(_STYLES.joinpath("page.css"), "style"),
        vis_js=vis_js,
        page_js=page_js,
        views_css=_asset(_STYLES.joinpath("views.css"), "style"),
        views_js=views_js,
        physics=physics,
    )


def write_html(
    view: GraphView,
    path: str | os.PathLike[str],
    title: str = "kg graph",
    style: PageStyle | None = None,
    focus: str | None = None,
) -> None:
    """Write the page of render_html to path (UTF-8), replacing any file there."""
    Path(path).write_text(render_html(view, title, style, focus), encoding="utf-8", newline="\n")


# --- style file -------------------------------------------------------------------------------


def _parse_style(raw: Any, where: str) -> PageStyle:
    """Validate the parsed YAML of a style file; errors name the file and the key."""
    top = _mapping(raw, where, "the file", _TOP_KEYS, required=_TOP_KEYS)
    node_raw = _mapping(top["node_types"], where, "node_types")
    missing = [t for t in REQUIRED_NODE_TYPES if t not in node_raw]
    if missing:
        raise DataError(f"{where}: node_types: missing node type(s): {', '.join(missing)}")
    node_types: dict[str, NodeStyle] = {}
    for name, entry in node_raw.items():
        key = f"node_types.{name}"
        fields = _mapping(entry, where, key, _NODE_KEYS, required={"color", "shape"})
        shape = fields["shape"]
        if shape not in SHAPES:
            raise DataError(
                f"{where}: {key}.shape: {shape!r} is not one of {', '.join(sorted(SHAPES))}"
            )
        size = fields.get("size", 16)
        if not isinstance(size, int) or isinstance(size, bool) or not 4 <= size <= 60:
            raise DataError(f"{where}: {key}.size: {size!r} is not a whole number from 4 to 60")
        node_types[str(name)] = NodeStyle(
            _color(fields["color"], where, f"{key}.color"), shape, size
        )

    event_colors: dict[str, str] = {}
    for name, entry in _mapping(top["event_types"], where, "event_types").items():
        fields = _mapping(entry, where, f"event_types.{name}", {"color"}, required={"color"})
        event_colors[str(name)] = _color(fields["color"], where, f"event_types.{name}.color")

    edges = _mapping(top["edges"], where, "edges", _EDGE_KEYS, required=_EDGE_KEYS)
    widths = {
        k: _number(edges[k], where, f"edges.{k}") for k in ("min_width", "per_source", "max_width")
    }
    roundness = _number(edges["parallel_roundness"], where, "edges.parallel_roundness")
    if not 0 < roundness <= 1:
        raise DataError(f"{where}: edges.parallel_roundness: {roundness!r} is not from 0 to 1")
    if widths["max_width"] < widths["min_width"]:
        raise DataError(f"{where}: edges.max_width is smaller than edges.min_width")
    _whole(edges["label_max_edges"], where, "edges.label_max_edges")
    layout = _mapping(top["layout"], where, "layout", _LAYOUT_KEYS, required=_LAYOUT_KEYS)
    for key in sorted(_LAYOUT_KEYS):
        _whole(layout[key], where, f"layout.{key}")
    return PageStyle(
        node_types=node_types,
        event_colors=event_colors,
        default_edge_color=_color(edges["default_color"], where, "edges.default_color"),
        min_width=widths["min_width"],
        per_source=widths["per_source"],
        max_width=widths["max_width"],
        label_max_edges=edges["label_max_edges"],
        physics_max_nodes=layout["physics_max_nodes"],
        physics_max_edges=layout["physics_max_edges"],
        force_max_nodes=layout["force_max_nodes"],
        ego_min_nodes=layout["ego_min_nodes"],
        ego_neighbours=layout["ego_neighbours"],
        ring_gap=max(layout["ring_gap"], 1),
        seed=layout["seed"],
        parallel_roundness=roundness,
    )


def _mapping(
    value: Any,
    where: str,
    key: str,
    allowed: set[str] | None = None,
    required: set[str] | None = None,
) -> dict[str, Any]:
    """Check that value is a mapping with only allowed keys and every required one."""
    if not isinstance(value, dict):
        raise DataError(f"{where}: {key}: expected a mapping, got {type(value).__name__}")
    if allowed is not None:
        unknown = sorted(str(k) for k in value if k not in allowed)
        if unknown:
            raise DataError(
                f"{where}: {key}: unknown key(s) {', '.join(unknown)}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
    absent = sorted((required or set()) - set(value))
    if absent:
        raise DataError(f"{where}: {key}: missing key(s) {', '.join(absent)}")
    return value


def _color(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not _COLOR.fullmatch(value):
        raise DataError(f'{where}: {key}: {value!r} is not a colour like "#1f77b4"')
    return value.lower()


def _whole(value: Any, where: str, key: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise DataError(f"{where}: {key}: {value!r} is not a whole number >= 0")


def _number(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 50:
        raise DataError(f"{where}: {key}: {value!r} is not a number from 0 to 50")
    return float(value)


# --- page data --------------------------------------------------------------------------------


def _check_ids(nodes: list[NodeView], edges: list[EdgeView]) -> None:
    node_ids = Counter(n.id for n in nodes)
    edge_ids = Counter(e.id for e in edges)
    dupes = [i for i, c in node_ids.items() if c > 1] + [i for i, c in edge_ids.items() if c > 1]
    if dupes:
        raise ValueError(f"graph view has duplicate ids: {', '.join(sorted(dupes)[:5])}")
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in node_ids:
                raise ValueError(f"edge {edge.id} names node {end}, which is not in the view")


def _ego_centre(
    view: GraphView, nodes: list[NodeView], edges: list[EdgeView], focus: str | None
) -> str:
    """The node a large page opens on: the best match of `focus`, else the most neighbours."""
    neighbours: dict[str, set[str]] = {n.id: set() for n in nodes}
    for e in edges:
        if e.source != e.target:
            neighbours[e.source].add(e.target)
            neighbours[e.target].add(e.source)
    candidates = [n.id for n in centres(view, focus)] if focus else []
    return min(candidates or neighbours, key=lambda n: (-len(neighbours[n]), n))


def _ego_nodes(centre: str, edges: list[EdgeView], style: PageStyle) -> list[str]:
    """The centre and its `ego_neighbours` neighbours with the most source sentences shared."""
    weight: Counter[str] = Counter()
    for e in edges:
        if centre in (e.source, e.target) and e.source != e.target:
            weight[e.target if e.source == centre else e.source] += len(e.sources) or 1
    ranked = sorted(weight, key=lambda n: (-weight[n], n))[: style.ego_neighbours]
    return [centre, *sorted(ranked)]


def _bundles(edges: list[EdgeView]) -> dict[tuple[str, str], list[EdgeView]]:
    """Edges between the same two nodes (either direction), where there are several."""
    groups: dict[tuple[str, str], list[EdgeView]] = {}
    for e in edges:
        if e.source != e.target:
            groups.setdefault((min(e.source, e.target), max(e.source, e.target)), []).append(e)
    return {pair: group for pair, group in groups.items() if len(group) > 1}


def _bundle_id(a: str, b: str) -> str:
    return f"kg-bundle {a} {b}"


def _curve(edge: EdgeView, k: int, style: PageStyle) -> dict[str, Any]:
    """The k-th of parallel edges bends to alternate sides, further each pair, so that none
    overprints another; a fixed curve of its own, which filtering cannot straighten."""
    clockwise = (k % 2 == 0) == (edge.source < edge.target)  # the same side whichever way it runs
    roundness = min(1.0, style.parallel_roundness * (k // 2 + 1))
    return {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": round(roundness, 3)}


def _vis_bundle(a: str, b: str, group: list[EdgeView], style: PageStyle) -> dict[str, Any]:
    """One edge standing for several relations between a and b, labelled with their mix."""
    mix = Counter(e.event_type for e in group)
    colors = {style.edge_color(t) for t in mix}
    color = colors.pop() if len(colors) == 1 else style.default_edge_color
    return {
        "id": _bundle_id(a, b),
        "label": " · ".join(f"{t} ×{c}" if c > 1 else t for t, c in sorted(mix.items())),
        "width": style.edge_width(sum(len(e.sources) for e in group)),
        "dashes": [10, 4],
        "arrows": {
            "to": {"enabled": any(e.source == a for e in group)},
            "from": {"enabled": any(e.source == b for e in group)},
        },
        "smooth": {"enabled": False},
        "color": {
            "color": color,
            "highlight": "#1a202c",
            "hover": _shade(color, 0.7),
            "opacity": 0.85,
        },
    }


def _layout(
    nodes: list[NodeView],
    edges: list[EdgeView],
    seed: int,
    huge: bool,
    root: str | None = None,
    gap: int = 40,
) -> dict[str, tuple[int, int]]:
    """Fixed positions in px for a graph too big for in-browser physics; rings around `root`
    when the page opens on its ego network."""
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in nodes)
    graph.add_edges_from((e.source, e.target) for e in edges if e.source != e.target)
    if huge or root is not None:
        return _radial_layout(graph, gap=gap, root=root)
    scale = 45 * math.sqrt(len(nodes))
    try:
        pos = nx.spring_layout(graph, seed=seed, scale=scale)
    except (
        ImportError
    ):  # networkx needs scipy for spring_layout from 500 nodes; numpy suffices here
        pos = nx.rescale_layout_dict(nx.forceatlas2_layout(graph, seed=seed), scale=scale)
    return {node: (round(float(x)), round(float(y))) for node, (x, y) in pos.items()}


def _radial_layout(
    graph: nx.Graph, gap: float = 40.0, root: str | None = None
) -> dict[str, tuple[int, int]]:
    """A fast deterministic layout: each component a breadth-first tree drawn in rings.

    The best-connected node (or `root`, in its component) is the centre; every node's subtree
    gets a wedge in proportion to its size, and each ring's nodes are spread evenly in the order of their wedges, so neighbours sit
    near each other. A ring too crowded for one circle becomes a band of circles `gap` px apart,
    its nodes taking turns among them, so that nodes stay about `gap` px apart. Components are packed in rows, largest first. Near-linear in the graph's size, where force
    layouts are quadratic without scipy.
    """
    degree = dict(graph.degree())

    def rank(node: str) -> tuple[int, str]:
        return (-degree[node], node)

    discs: list[tuple[float, dict[str, tuple[float, float]]]] = []
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c))):
        centre = root if root is not None and root in component else min(component, key=rank)
        parent: dict[str, str] = {}
        depth = {centre: 0}
        order, queue = [centre], deque([centre])
        while queue:  # breadth first: a parent always comes before its children in `order`
            node = queue.popleft()
            for other in sorted(graph[node], key=rank):
                if other not in depth:
                    parent[other] = node
                    depth[other] = depth[node] + 1
                    order.append(other)
                    queue.append(other)
        size = dict.fromkeys(order, 1)
        children: dict[str, list[str]] = {n: [] for n in order}
        for node in order[1:]:
            children[parent[node]].append(node)
        for node in reversed(order[1:]):
            size[parent[node]] += size[node]
        wedge = {centre: (0.0, 2 * math.pi)}
        rings: dict[int, list[tuple[float, str]]] = {}
        for node in order:
            lo, hi = wedge[node]
            rings.setdefault(depth[node], []).append(((lo + hi) / 2, node))
            for child in children[node]:
                share = (hi - lo) * size[child] / (size[node] - 1)
                wedge[child] = (lo, lo + share)
                lo += share
        pos: dict[str, tuple[float, float]] = {}
        inner = -2 * gap  # the centre's ring (one node) sits at radius 0
        for d in sorted(rings):
            ring = sorted(rings[d])
            start = inner + 2 * gap
            band = 1  # circles in this ring's band, enough to hold it
            while sum(2 * math.pi * (start + j * gap) / gap for j in range(band)) < len(ring):
                band += 1
            for k, (_, node) in enumerate(ring):  # evenly round the band, in wedge order
                angle, r = 2 * math.pi * (k + 0.5) / len(ring), start + (k % band) * gap
                pos[node] = (r * math.cos(angle), r * math.sin(angle))
            inner = start + (band - 1) * gap
        discs.append((inner + 2 * gap, pos))

    out: dict[str, tuple[int, int]] = {}
    row_width = max(2 * discs[0][0], math.sqrt(sum(r * r for r, _ in discs)) * 3) if discs else 0
    x = y = row_height = 0.0
    for r, pos in discs:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + r, y + r
        out.update({n: (round(cx + px), round(cy + py)) for n, (px, py) in pos.items()})
        x, row_height = x + 2 * r, max(row_height, 2 * r)
    return out


def _vis_node(node: NodeView, style: PageStyle, xy: tuple[int, int] | None) -> dict[str, Any]:
    """pyvis add_node options; no title, so vis-network shows no HTML tooltip."""
    s = style.node_style(node.type)
    border = _shade(s.color, 0.7)
    options: dict[str, Any] = {
        "label": node.label or node.id,
        "shape": s.shape,
        "size": s.size,
        "color": {
            "background": s.color,
            "border": border,
            "highlight": {"background": s.color, "border": "#1a202c"},
            "hover": {"background": s.color, "border": "#1a202c"},
        },
        "borderWidth": 1.5,
    }
    if xy is not None:
        options["x"], options["y"] = xy
    return options


def _vis_edge(
    edge: EdgeView, style: PageStyle, curve: dict[str, Any] | None = None
) -> dict[str, Any]:
    color = style.edge_color(edge.event_type)
    options: dict[str, Any] = {
        "id": edge.id,
        "label": edge.label or edge.relation,
        "width": style.edge_width(len(edge.sources)),
        "color": {
            "color": color,
            "highlight": "#1a202c",
            "hover": _shade(color, 0.7),
            "opacity": 0.85,
        },
    }
    if curve is not None:
        options["smooth"] = curve
    return options


def _vis_options(physics: bool, huge: bool, dense: bool, n_nodes: int, seed: int) -> dict[str, Any]:
    """vis-network options; `dense` graphs start with edge labels hidden (the page shows them on
    the selected or hovered node's edges), `huge` ones draw straight edges."""
    font = {
        "face": _FONT,
        "size": 14,
        "color": "#1a202c",
        "strokeWidth": 4,
        "strokeColor": "#ffffff",
    }
    options: dict[str, Any] = {
        "autoResize": True,
        "layout": {"randomSeed": seed, "improvedLayout": physics},
        "nodes": {"font": font},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            # horizontal labels on a background patch stay readable across the line
            "font": {
                **font,
                "size": 0 if dense else _EDGE_FONT_SIZE,
                "color": "#4a5568",
                "align": "horizontal",
                "strokeWidth": 0,
                "background": "rgba(247,250,252,0.92)",
            },
            "selectionWidth": 2,
            "smooth": {"enabled": True, "type": "dynamic"}
            if physics
            else {"enabled": not huge, "type": "continuous", "roundness": 0.3},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": not physics,
            "keyboard": False,
            "multiselect": False,
        },
    }
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.012,
                "springLength": 150,
                "springConstant": 0.06,
                "avoidOverlap": 0.5,
            },
            "maxVelocity": 60,
            "minVelocity": 0.75,
            "stabilization": {
                "enabled": True,
                "iterations": min(1000, 200 + 3 * n_nodes),
                "updateInterval": 50,
                "fit": True,
            },
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _node_info(node: NodeView, style: PageStyle) -> dict[str, Any]:
    s = style.node_style(node.type)
    return {
        "id": node.id,
        "label": node.label or node.id,
        "type": node.type,
        "country": node.country,
        "wikidata": node.wikidata,
        "aliases": list(node.aliases),
        "color": s.color,
        "shape": s.shape,
    }


def _edge_info(edge: EdgeView, style: PageStyle) -> dict[str, Any]:
    return {
        "id": edge.id,
        "source": edge.source,
        "target": edge.target,
        "relation": edge.relation,
        "label": edge.label or edge.relation,
        "event_type": edge.event_type,
        "dates": list(edge.dates),
        "quantities": list(edge.quantities),
        "statuses": list(edge.statuses),
        "days": _days(edge.dates),
        "color": style.edge_color(edge.event_type),
        "n_sources": len(edge.sources),
        "articles": [{**a, "link": _is_web_url(a["url"])} for a in article_groups(edge)],
        "when": edge_when(edge),
    }


def _days(dates: tuple[str, ...]) -> list[list[int]]:
    """[first, last] day (counted from 1970-01-01) of each ISO date, for the page's date filter."""
    spans = (period(d) for d in dates)
    days = {(a.toordinal() - _EPOCH, b.toordinal() - _EPOCH) for a, b in filter(None, spans)}
    return [list(d) for d in sorted(days)]


def _is_web_url(url: str | None) -> bool:
    """True for absolute http(s) urls with a host: the only ones the page makes links."""
    if not url or url != url.strip() or any(ord(c) < 32 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _legend(nodes: list[NodeView], edges: list[EdgeView], style: PageStyle) -> dict[str, Any]:
    """Node and event types present in the view, in style-file order, then by name; countries of
    the nodes, most nodes first (nodes without a country last, as code null)."""
    node_counts = Counter(n.type for n in nodes)
    country_counts = Counter(n.country for n in nodes)
    event_counts = Counter(e.event_type for e in edges)
    labels: dict[str, set[str]] = {}
    for e in edges:
        labels.setdefault(e.event_type, set()).add(e.label or e.relation)
    return {
        "node_types": [
            {
                "type": t,
                "count": node_counts[t],
                "color": style.node_style(t).color,
                "shape": style.node_style(t).shape,
            }
            for t in _ordered(node_counts, style.node_types)
        ],
        "event_types": [
            {
                "type": t,
                "count": event_counts[t],
                "color": style.edge_color(t),
                "labels": sorted(labels[t]),
            }
            for t in _ordered(event_counts, style.event_colors)
        ],
        "countries": [
            {"code": c, "count": k}
            for c, k in sorted(country_counts.items(), key=lambda i: (i[0] is None, -i[1], i[0]))
        ],
    }


def _ordered(present: Counter[str], known: Mapping[str, object]) -> list[str]:
    return [t for t in known if t in present] + sorted(t for t in present if t not in known)


def _counts(nodes: list[NodeView], edges: list[EdgeView]) -> str:
    sources = [s for e in edges for s in e.sources]
    articles = {s.article_id for s in sources}

    def n(count: int, one: str, many: str) -> str:
        return f"{count:,} {one if count == 1 else many}"

    return " · ".join(
        [
            n(len(nodes), "entity", "entities"),
            n(len(edges), "relation", "relations"),
            n(len(sources), "source sentence", "source sentences"),
            n(len(articles), "article", "articles"),
        ]
    )


def _shade(color: str, factor: float) -> str:
    """A darker (factor < 1) version of a #rrggbb colour."""
    rgb = [round(int(color[i : i + 2], 16) * factor) for i in (1, 3, 5)]
    return "#" + "".join(f"{min(c, 255):02x}" for c in rgb)


# --- page assembly ----------------------------------------------------------------------------


def _script_json(data: Any) -> str:
    """JSON that cannot end its <script> element nor break a JavaScript line."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(resource: Traversable, tag: str) -> str:
    """The text of a script or stylesheet to inline, checked not to close its own element."""
    text = resource.read_text(encoding="utf-8")
    if f"</{tag}" in text.lower():
        raise DataError(f"{resource}: contains '</{tag}' and cannot be inlined")
    return text


def _csp(*scripts: str) -> str:
    """A policy that runs only these inline scripts (by hash) and allows no network request."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
        "img-src data: blob:; font-src data:; connect-src 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
