"""GraphML and GEXF that open in their clients: well-formed XML whatever an article's text holds,
and one id per edge (Gephi drops edges whose id repeats)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

from kg import api
from kg.analyze import to_gexf
from kg.export.serialise import write_graphml
from kg.export.view import EdgeView, GraphView, NodeView
from kg.rdf.store import open_store

BELL = "\x07"


def drawn_with_control_characters() -> GraphView:
    nodes = (NodeView("n1", f"Colonel{BELL} Mbarga", "Person", "CMR"),
             NodeView("n2", "Chad", "State", "TCD"), NodeView("n3", "Niger", "State", "NER"))
    edges = (EdgeView("e-a", "n1", "n2", "attacked", f"attacked{BELL}", "ASSAULT"),
             EdgeView("e-b", "n1", "n3", "attacked", "attacked", "ASSAULT"),
             EdgeView("e-b", "n2", "n3", "attacked", "attacked", "ASSAULT"))  # a repeated id
    return GraphView(nodes=nodes, edges=edges)


def edge_ids(xml: bytes) -> list[str]:
    root = ET.fromstring(xml)  # raises on XML that is not well-formed
    return [el.get("id", "") for el in root.iter() if el.tag.rsplit("}", 1)[-1] == "edge"]


def test_graphml_and_gexf_drop_control_characters_and_keep_edge_ids_unique() -> None:
    for write in (write_graphml, to_gexf):
        out = io.BytesIO()
        write(drawn_with_control_characters(), out)
        assert BELL.encode() not in out.getvalue()
        ids = edge_ids(out.getvalue())
        assert len(ids) == 3 and len(set(ids)) == 3, (write.__name__, ids)


def test_graphml_of_an_ingested_store_has_one_id_per_edge(tmp_path: Path) -> None:
    seed = Path(__file__).parent.parent / "examples" / "articles"
    api.ingest([str(seed)], str(tmp_path / "store"))
    with open_store(str(tmp_path / "store"), must_exist=True) as store:
        data = api.export(store, "graphml", None) or b""
    ids = edge_ids(data)
    assert len(ids) > 10 and len(set(ids)) == len(ids)
