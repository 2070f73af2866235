"""The graph page as text (self-contained, escaped, deterministic) and its style file's checks."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest
import yaml

from kg.errors import DataError
from kg.export.html import REQUIRED_NODE_TYPES, load_page_style, render_html, write_html
from kg.export.view import EdgeView, GraphView, NodeView, SourceRef

KG = "https://kg.example/id/"
DATA_BLOCK = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.DOTALL)
# a url the browser would fetch: in src/href/action/poster/srcset, CSS url() or @import
NETWORK_REF = re.compile(
    r"""(?:\b(?:src|href|action|poster|srcset|data)\s*=\s*["']?\s*"""
    r"""|url\(\s*["']?\s*|@import\s+["']?)(?:https?:)?//""",
    re.IGNORECASE,
)
EVIL_SENTENCE = 'Gunmen struck. </script><script>alert("pwned")</script> \u2028 & more'


def make_view(sentence: str = "French troops have already been withdrawn from Niger.") -> GraphView:
    nodes = (
        NodeView(KG + "NER", "Niger", "State", "NER", "Q1032", ("Republic of Niger",)),
        NodeView(KG + "USA-forces", "United States forces", "ArmedForce", "USA"),
        NodeView(KG + "RUS", "Russia", "State", "RUS", "Q159"),
        NodeView(KG + "pwn", '"><img src=x onerror=window.__pwned=1>', "ArmedGroup"),
    )
    edges = (
        EdgeView(
            KG + "e1",
            KG + "USA-forces",
            KG + "NER",
            "withdrewFrom",
            "withdrew from",
            "RETREAT",
            sources=(
                SourceRef(
                    sentence, "Troops leave", "https://news.example/a", "2024-04-12", "a1", "r1"
                ),
                SourceRef("US forces left.", "Pullout", "javascript:alert(1)", None, "a2", "r1"),
            ),
        ),
        EdgeView(
            KG + "e2",
            KG + "RUS",
            KG + "NER",
            "sendsInstructorsTo",
            "sends instructors to",
            "AID",
            sources=(SourceRef("Instructors arrived.", None, None, None, "a3", "r2"),),
        ),
    )
    return GraphView(nodes, edges)


def page_data(page: str) -> dict:
    match = DATA_BLOCK.search(page)
    assert match, "no kg-data JSON block"
    return json.loads(match.group(1))


def test_page_makes_no_network_reference() -> None:
    page = render_html(make_view())
    outside_data = DATA_BLOCK.sub("", page)
    assert NETWORK_REF.findall(outside_data) == []
    assert "<link" not in outside_data
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp
    policy = html.unescape(csp.group(1))
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_page_is_one_file_with_labels_and_data(tmp_path: Path) -> None:
    view = make_view()
    write_html(view, tmp_path / "g.html", title="Sahel")
    page = (tmp_path / "g.html").read_text(encoding="utf-8")
    for label in ("Niger", "United States forces", "Russia"):
        assert label in page
    assert "<title>Sahel</title>" in page
    data = page_data(page)
    assert [n["id"] for n in data["nodes"]] == sorted(n.id for n in view.nodes)
    assert {e["label"] for e in data["edges"]} == {"withdrew from", "sends instructors to"}
    assert all("title" not in n for n in data["nodes"] + data["edges"])  # no HTML tooltips
    assert data["options"]["physics"]["enabled"] is True


def test_article_text_is_escaped() -> None:
    page = render_html(make_view(EVIL_SENTENCE), title="<b>Sahel</b>")
    assert "</script><script>alert" not in page
    assert "<img src=x" not in page
    assert "<b>Sahel</b>" not in page and "&lt;b&gt;Sahel&lt;/b&gt;" in page
    # the data block, vis-network, the page's two own scripts: no more
    assert len(re.findall(r"^<script\b", page, re.MULTILINE)) == 4
    assert "\\u003c/script\\u003e" in page and "\u2028" not in page
    articles = page_data(page)["info"]["edges"][0]["articles"]
    assert articles[0]["sentences"][0]["text"] == EVIL_SENTENCE  # the JSON keeps the exact text


def test_only_http_urls_are_links() -> None:
    articles = page_data(render_html(make_view()))["info"]["edges"][0]["articles"]
    assert [(a["url"], a["link"]) for a in articles] == [
        ("https://news.example/a", True),
        ("javascript:alert(1)", False),
    ]


def test_edge_width_grows_with_sources() -> None:
    widths = {e["id"]: e["width"] for e in page_data(render_html(make_view()))["edges"]}
    assert widths[KG + "e1"] > widths[KG + "e2"]


def test_node_style_comes_from_type() -> None:
    style = load_page_style()
    nodes = {n["id"]: n for n in page_data(render_html(make_view()))["nodes"]}
    assert nodes[KG + "NER"]["shape"] == style.node_types["State"].shape
    assert nodes[KG + "NER"]["color"]["background"] == style.node_types["State"].color
    assert nodes[KG + "pwn"]["shape"] == style.node_types["ArmedGroup"].shape


def test_output_is_deterministic() -> None:
    view = make_view()
    shuffled = GraphView(tuple(reversed(view.nodes)), tuple(reversed(view.edges)))
    assert render_html(view) == render_html(view) == render_html(shuffled)


def test_large_graph_gets_fixed_positions_without_physics() -> None:
    nodes = tuple(NodeView(f"n{i:03}", f"Node {i}", "City") for i in range(320))
    edges = tuple(
        EdgeView(f"e{i:03}", f"n{i:03}", f"n{(i * 7 + 1) % 320:03}", "near", "near", "PRESENCE")
        for i in range(320)
    )
    view = GraphView(nodes, edges)
    page = render_html(view)
    data = page_data(page)
    assert data["options"]["physics"] == {"enabled": False}
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) > 300
    assert render_html(view) == page


def test_few_nodes_with_many_edges_are_laid_out_without_physics() -> None:
    # in-browser physics simulates every curved edge too: edges count as well as nodes
    style = load_page_style()
    n = 40
    assert n <= style.physics_max_nodes
    nodes = tuple(NodeView(f"n{i:02}", f"Node {i}", "City") for i in range(n))

    def view(edge_count: int) -> GraphView:
        return GraphView(nodes, tuple(
            EdgeView(f"e{i:03}", f"n{i % n:02}", f"n{(i * 7 + 1) % n:02}", f"r{i}", "r",
                     "PRESENCE") for i in range(edge_count)))

    few = page_data(render_html(view(style.physics_max_edges)))
    assert few["options"]["physics"]["enabled"] is True
    many = page_data(render_html(view(style.physics_max_edges + 1)))
    assert many["options"]["physics"] == {"enabled": False}
    assert all(isinstance(node["x"], int) for node in many["nodes"])


def test_huge_graph_gets_a_fast_radial_layout_and_straight_edges() -> None:
    n = 600  # above layout.force_max_nodes
    nodes = tuple(
        NodeView(f"n{i:03}", f"Node {i}", "City", "MLI" if i % 2 else None) for i in range(n)
    )
    edges = tuple(
        EdgeView(f"e{i:03}", f"n{i // 3:03}", f"n{i + 1:03}", "near", "near", "PRESENCE")
        for i in range(n - 1)
    ) + (EdgeView("loop", "n005", "n005", "near", "near", "PRESENCE"),)
    view = GraphView(nodes, edges)
    page = render_html(view)
    data = page_data(page)
    options = data["options"]
    assert options["physics"] == {"enabled": False}
    assert options["layout"]["improvedLayout"] is False
    assert options["edges"]["smooth"]["enabled"] is False
    assert options["interaction"]["hideEdgesOnDrag"] and options["interaction"]["hideEdgesOnZoom"]
    positions = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert len(set(positions.values())) == n
    # a tree drawn in rings: the root (most neighbours) in the middle, a child near its parent
    x0, y0 = positions["n000"]
    assert all(abs(x - x0) + abs(y - y0) > 20 for i, (x, y) in positions.items() if i != "n000")
    assert render_html(GraphView(tuple(reversed(nodes)), tuple(reversed(edges)))) == page
    assert data["legend"]["countries"] == [
        {"code": "MLI", "count": 300},
        {"code": None, "count": 300},
    ]


def test_edge_labels_start_hidden_on_dense_graphs() -> None:
    style = load_page_style()
    small = page_data(render_html(make_view()))
    assert small["options"]["edges"]["font"]["size"] > 0
    assert small["labels"]["max_edges"] == style.label_max_edges
    nodes = (NodeView("hub", "Hub", "State"),) + tuple(
        NodeView(f"s{i}", f"S {i}", "City") for i in range(style.label_max_edges + 1)
    )
    edges = tuple(
        EdgeView(f"e{i}", f"s{i}", "hub", "near", "near", "PRESENCE") for i in range(len(nodes) - 1)
    )
    dense = page_data(render_html(GraphView(nodes, edges)))
    assert dense["options"]["edges"]["font"]["size"] == 0
    assert dense["labels"]["size"] == small["options"]["edges"]["font"]["size"]


def test_edge_dates_become_day_spans_for_the_slider() -> None:
    view = make_view()
    dated = EdgeView(
        "d", KG + "RUS", KG + "NER", "r", "r", "AID", dates=("2024-02", "1970-01-02", "<b>soon</b>")
    )
    data = page_data(render_html(GraphView(view.nodes, (*view.edges, dated))))
    days = {e["id"]: e["days"] for e in data["info"]["edges"]}
    assert days["d"] == [[1, 1], [19754, 19782]]  # 2024-02-01 is day 19754 after 1970-01-01
    assert days[KG + "e1"] == []


def test_edge_to_missing_node_is_an_error() -> None:
    view = GraphView((NodeView("a", "A", "State"),), (EdgeView("e", "a", "b", "r", "r", "AID"),))
    with pytest.raises(ValueError, match="b"):
        render_html(view)


def test_packaged_style_has_every_node_type() -> None:
    assert set(REQUIRED_NODE_TYPES) <= set(load_page_style().node_types)


def _packaged_style() -> dict:
    from importlib.resources import files

    text = files("kg").joinpath("data", "styles", "page.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _without_state(style: dict) -> None:
    del style["node_types"]["State"]


@pytest.mark.parametrize(
    ("break_style", "reason"),
    [
        (lambda s: s.update(colours={}), "unknown key(s) colours"),
        (_without_state, "missing node type(s): State"),
        (
            lambda s: s["node_types"]["Junta"].update(icon="x"),
            "node_types.Junta: unknown key(s) icon",
        ),
        (lambda s: s["node_types"]["City"].update(color="red"), "node_types.City.color"),
        (lambda s: s["node_types"]["City"].update(shape="box"), "node_types.City.shape"),
        (lambda s: s["event_types"]["AID"].pop("color"), "event_types.AID: missing key(s) color"),
        (lambda s: s["edges"].update(max_width=0.5), "max_width"),
        (lambda s: s.pop("layout"), "missing key(s) layout"),
        (lambda s: s["layout"].pop("force_max_nodes"), "layout: missing key(s) force_max_nodes"),
        (lambda s: s["edges"].update(label_max_edges=-1), "edges.label_max_edges: -1"),
        (lambda s: s["layout"].pop("ego_min_nodes"), "layout: missing key(s) ego_min_nodes"),
        (lambda s: s["layout"].update(ego_min_nodes="many"), "layout.ego_min_nodes"),
        (lambda s: s["edges"].update(parallel_roundness=0), "edges.parallel_roundness"),
        (lambda s: s["layout"].pop("ring_gap"), "layout: missing key(s) ring_gap"),
    ],
)
def test_bad_style_file_errors_name_the_file(tmp_path: Path, break_style, reason: str) -> None:
    style = _packaged_style()
    break_style(style)
    path = tmp_path / "bad-page.yaml"
    path.write_text(yaml.safe_dump(style), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_page_style(path)
    assert str(info.value).startswith(str(path))
    assert reason in str(info.value)


@pytest.mark.parametrize("text", ["node_types: [unclosed\n", "- a list\n", ""])
def test_unreadable_style_file_errors_name_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "page.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(str(path))):
        load_page_style(path)


def test_missing_style_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not found"):
        load_page_style(tmp_path / "nope.yaml")


def _parallel_view() -> GraphView:
    """make_view with two more relations between the US forces and Niger, one each way."""
    base = make_view()
    more = (
        EdgeView(KG + "e3", KG + "USA-forces", KG + "NER", "presentIn", "present in", "PRESENCE"),
        EdgeView(KG + "e4", KG + "NER", KG + "USA-forces", "expelled", "expelled", "COERCE"),
    )
    return GraphView(base.nodes, base.edges + more)


def test_parallel_relations_are_bundled_into_one_edge_with_their_mix() -> None:
    data = page_data(render_html(_parallel_view()))
    bundle_id = f"kg-bundle {KG}NER {KG}USA-forces"
    assert data["info"]["bundles"] == [
        {"id": bundle_id, "source": KG + "NER", "target": KG + "USA-forces",
         "edges": [KG + "e1", KG + "e3", KG + "e4"]}
    ]
    bundle = next(e for e in data["edges"] if e["id"] == bundle_id)
    assert bundle["label"] == "COERCE · PRESENCE · RETREAT"
    assert bundle["arrows"]["to"]["enabled"] and bundle["arrows"]["from"]["enabled"]


def test_parallel_edges_have_fixed_curves_of_their_own_on_different_sides() -> None:
    edges = {e["id"]: e for e in page_data(render_html(_parallel_view()))["edges"]}
    assert "smooth" not in edges[KG + "e2"]  # a single relation keeps the page's curve
    curves = [edges[KG + e]["smooth"] for e in ("e1", "e3", "e4")]
    assert all(c["enabled"] and c["type"] in {"curvedCW", "curvedCCW"} for c in curves)
    # e1 and e3 run USA-forces -> NER, e4 the other way; seen from NER they bend apart
    names = ("e1", "e3", "e4")
    from_ner = [(c["type"] == "curvedCW") != (e == "e4") for c, e in zip(curves, names, strict=True)]
    assert (from_ner[0], curves[0]["roundness"]) != (from_ner[1], curves[1]["roundness"])
    assert (from_ner[0], curves[0]["roundness"]) != (from_ner[2], curves[2]["roundness"])
    assert (from_ner[1], curves[1]["roundness"]) != (from_ner[2], curves[2]["roundness"])


def test_large_graph_opens_on_the_focus_else_the_most_connected_entity() -> None:
    style = dataclasses.replace(load_page_style(), ego_min_nodes=3)
    view = make_view()
    assert page_data(render_html(view, style=style))["ego"]["centre"] == KG + "NER"
    data = page_data(render_html(view, style=style, focus="russia"))
    assert data["ego"] == {"centre": KG + "RUS", "nodes": [KG + "RUS", KG + "NER"]}
    assert data["options"]["physics"] == {"enabled": False}
    positions = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert positions[KG + "RUS"] == (0, 0) or all(
        abs(x - positions[KG + "RUS"][0]) + abs(y - positions[KG + "RUS"][1]) > 20
        for i, (x, y) in positions.items() if i != KG + "RUS"
    )
    assert page_data(render_html(view))["ego"] is None  # small graphs open whole
    assert page_data(render_html(view, style=style, focus="Atlantis"))["ego"]["centre"] == KG + "NER"
    # it opens on the neighbours with most sources: here the forces (2) before Russia (1)
    few = dataclasses.replace(style, ego_neighbours=1)
    assert page_data(render_html(view, style=few))["ego"]["nodes"] == [KG + "NER", KG + "USA-forces"]
