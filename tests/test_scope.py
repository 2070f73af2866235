"""scope_view: narrowing a GraphView by event type, dates, country and a focus entity."""

from __future__ import annotations

import pytest

from kg.errors import KGError
from kg.export.scope import period, scope_view
from kg.export.view import EdgeView, GraphView, NodeView

NODES = (
    NodeView("ner", "Niger", "State", "NER", aliases=("Republic of Niger",)),
    NodeView("usa", "United States", "State", "USA", aliases=("US",)),
    NodeView("us-forces", "United States forces", "ArmedForce", "USA"),
    NodeView("rus", "Russia", "State", "RUS"),
    NodeView("wagner", "Wagner Group", "MilitaryContractor"),
    NodeView("mli", "Mali", "State", "MLI"),
    NodeView("lone", "Lonely Town", "City", "FRA"),
)
EDGES = (
    EdgeView(
        "e-withdraw",
        "us-forces",
        "ner",
        "withdrewFrom",
        "withdrew from",
        "RETREAT",
        dates=("2024-09-15",),
    ),
    EdgeView(
        "e-aid", "usa", "ner", "suspendedAidTo", "suspended aid to", "SANCTION", dates=("2023-10",)
    ),
    EdgeView(
        "e-instructors",
        "rus",
        "ner",
        "sendsInstructorsTo",
        "sends instructors to",
        "AID",
        dates=("2024",),
    ),
    EdgeView("e-wagner", "wagner", "mli", "presentIn", "present in", "PRESENCE"),
    EdgeView(
        "e-rus-mli",
        "rus",
        "mli",
        "cooperatesWith",
        "cooperates with",
        "COOPERATE",
        dates=("2021-12-24", "not a date"),
    ),
)
VIEW = GraphView(NODES, EDGES)


def ids(view: GraphView) -> tuple[set[str], set[str]]:
    return {n.id for n in view.nodes}, {e.id for e in view.edges}


def test_no_criteria_drops_only_unlinked_nodes() -> None:
    nodes, edges = ids(scope_view(VIEW))
    assert edges == {e.id for e in EDGES}
    assert nodes == {n.id for n in NODES} - {"lone"}


def test_types_are_case_insensitive_and_may_be_comma_separated() -> None:
    nodes, edges = ids(scope_view(VIEW, types=["aid", "Retreat,presence"]))
    assert edges == {"e-instructors", "e-withdraw", "e-wagner"}
    assert nodes == {"rus", "ner", "us-forces", "wagner", "mli"}
    assert ids(scope_view(VIEW, types=[])) == ids(scope_view(VIEW))


def test_unknown_type_lists_the_valid_ones() -> None:
    with pytest.raises(
        KGError, match=r"unknown event type\(s\) INVADE; valid: .*ASSAULT.*PRESENCE"
    ):
        scope_view(VIEW, types=["AID", "invade"])


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2024", None, {"e-withdraw", "e-instructors"}),
        ("2024-09-16", None, {"e-instructors"}),  # "2024" overlaps the rest of that year
        (None, "2023-10-01", {"e-aid", "e-rus-mli"}),  # "2023-10" overlaps its first day
        ("2023-11", "2023-12-31", set()),
        ("2021", "2021", {"e-rus-mli"}),
        ("2024-09-15", "2024-09-15", {"e-withdraw", "e-instructors"}),
    ],
)
def test_date_range_keeps_overlapping_dates_and_drops_undated(
    since: str | None, until: str | None, expected: set[str]
) -> None:
    assert ids(scope_view(VIEW, since=since, until=until))[1] == expected


@pytest.mark.parametrize(
    ("since", "until", "reason"),
    [
        ("2024/01/01", None, "since: '2024/01/01' is not a date"),
        (None, "2024-13", "until: '2024-13' is not a date"),
        (None, "2023-02-30", "until: '2023-02-30' is not a date"),
        ("2024-05", "2024-04-30", "is after until"),
    ],
)
def test_bad_dates_are_errors(since: str | None, until: str | None, reason: str) -> None:
    with pytest.raises(KGError, match=reason):
        scope_view(VIEW, since=since, until=until)


def test_period_of_partial_dates() -> None:
    assert [str(d) for d in period("2024-02") or ()] == ["2024-02-01", "2024-02-29"]
    assert [str(d) for d in period("2023") or ()] == ["2023-01-01", "2023-12-31"]
    assert period("<i>2024</i>") is None


def test_country_keeps_edges_touching_it() -> None:
    nodes, edges = ids(scope_view(VIEW, country="mli"))
    assert edges == {"e-wagner", "e-rus-mli"}
    assert nodes == {"wagner", "mli", "rus"}
    with pytest.raises(KGError, match="not an ISO alpha-3 code"):
        scope_view(VIEW, country="Mali")


@pytest.mark.parametrize("name", ["ner", "niger", "REPUBLIC OF NIGER", "NER"])
def test_focus_by_id_label_alias_or_iso_code(name: str) -> None:
    nodes, edges = ids(scope_view(VIEW, focus=name))
    assert nodes == {"ner", "us-forces", "usa", "rus"}
    assert edges == {"e-withdraw", "e-aid", "e-instructors"}


def test_focus_depth_follows_either_direction() -> None:
    assert ids(scope_view(VIEW, focus="Niger", depth=2))[0] == {
        "ner",
        "us-forces",
        "usa",
        "rus",
        "mli",
    }
    assert ids(scope_view(VIEW, focus="Niger", depth=0)) == ({"ner"}, set())


def test_focus_applies_after_the_edge_filters_and_keeps_the_focus() -> None:
    nodes, edges = ids(scope_view(VIEW, focus="Mali", depth=2, types=["COOPERATE", "AID"]))
    assert edges == {"e-rus-mli", "e-instructors"}
    assert nodes == {"mli", "rus", "ner"}
    # the focus stays even when nothing around it survives the filters
    assert ids(scope_view(VIEW, focus="Lonely Town")) == ({"lone"}, set())
    assert ids(scope_view(VIEW, focus="Niger", country="MLI")) == ({"ner"}, set())


def test_focus_errors() -> None:
    with pytest.raises(KGError, match="no entity matching 'Atlantis'"):
        scope_view(VIEW, focus="Atlantis")
    with pytest.raises(KGError, match="depth"):
        scope_view(VIEW, focus="Niger", depth=-1)


def test_view_is_not_changed_and_order_is_kept() -> None:
    scoped = scope_view(VIEW, types=["AID", "SANCTION", "RETREAT"])
    assert [e.id for e in scoped.edges] == ["e-withdraw", "e-aid", "e-instructors"]
    assert [n.id for n in scoped.nodes] == ["ner", "usa", "us-forces", "rus"]
    assert len(VIEW.edges) == 5
