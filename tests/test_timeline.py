"""What the page's Timeline, Table and provenance are built from (kg.export.timeline)."""

from __future__ import annotations

from kg.export.timeline import article_groups, edge_when, presence_intervals
from kg.export.view import EdgeView, GraphView, NodeView, SourceRef

KG = "https://kg.example/id/"


def source(sentence: str, article: str, date: str | None, rule: str = "r1") -> SourceRef:
    return SourceRef(sentence, f"Title {article}", None, date, article, rule)


def edge(relation: str, source_id: str, *sources: SourceRef, dates: tuple[str, ...] = (),
         statuses: tuple[str, ...] = ()) -> EdgeView:
    return EdgeView(f"{source_id}|{relation}", source_id, KG + "NER", relation, relation,
                    "PRESENCE", dates=dates, statuses=statuses, sources=sources)


def test_sources_are_grouped_by_article_newest_first_with_each_sentence_once() -> None:
    e = edge("withdrewFrom", KG + "usf",
             source("Old.", "a1", "2024-03-20"),
             source("New.", "a2", "2024-09-16", "r1"),
             source("New.", "a2", "2024-09-16", "r2"),
             source("Undated.", "a0", None))
    groups = article_groups(e)
    assert [g["article_id"] for g in groups] == ["a2", "a1", "a0"]
    assert groups[0]["sentences"] == [{"text": "New.", "rules": ["r1", "r2"]}]


def test_a_relation_is_dated_by_its_events_else_by_its_articles() -> None:
    by_event = edge("hasForcesIn", KG + "usf", source("S.", "a1", "2024-03-20"),
                    dates=("2023-12", "2024-01-05"))
    assert edge_when(by_event)["first"] == "2023-12" and edge_when(by_event)["dated_by"] == "event"
    assert edge_when(by_event)["last"] == "2024-01-05"
    by_article = edge("hasForcesIn", KG + "usf", source("S.", "a1", "2024-03-20"))
    assert edge_when(by_article)["first"] == "2024-03-20"
    assert edge_when(by_article)["dated_by"] == "article"
    assert edge_when(edge("hasForcesIn", KG + "usf", source("S.", "a1", None)))["first"] is None


def test_a_withdrawal_under_way_is_ending_and_a_completed_one_ends_the_presence() -> None:
    nodes = (NodeView(KG + "NER", "Niger", "State", "NER"),
             NodeView(KG + "USA", "United States", "State", "USA"),
             NodeView(KG + "usf", "US forces", "ArmedForce", "USA"),
             NodeView(KG + "ruf", "Russian forces", "ArmedForce", "RUS"))
    s = source("S.", "a1", None)
    view = GraphView(nodes, (
        edge("hasForcesIn", KG + "usf", s),
        edge("withdrewFrom", KG + "usf", s, statuses=("under-way",)),
        edge("deployedTo", KG + "ruf", s, statuses=("planned",), dates=("2024-05",)),
    ))
    intervals = {i["forces"]: i for i in presence_intervals(view)}
    assert intervals["USA"]["status"] == "ending"
    assert intervals["USA"]["forces_label"] == "United States forces"
    assert intervals["RUS"]["status"] == "arrival-planned"
    assert intervals["RUS"]["forces_label"] == "Russian forces"  # no State node: its actors
    assert intervals["RUS"]["first"] is None  # a planned arrival's date is no day they were there
