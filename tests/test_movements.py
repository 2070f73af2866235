"""Movements of forces: how far each has gone (status), the presence a counted one implies, counts
of events, and moves inside one state.

Sentences are written for these tests (none comes from the dev articles), each checking one
behaviour on the real spaCy parse. The article is dated Wednesday 2024-03-20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kg.extract.pipeline import extract_article
from kg.records import Article, Event

DAY = dt.date(2024, 3, 20)


def events(text: str) -> list[Event]:
    return list(extract_article(Article(id="t", path="t", text=text, date=DAY)).events)


def asserted(text: str, event_type: str) -> list[Event]:
    return [e for e in events(text) if e.modality == "asserted" and e.event_type == event_type
            and not e.evidence.rule.startswith("cameo:")]


def test_an_agreed_withdrawal_is_planned_with_its_deadline_and_no_retreat() -> None:
    text = "Belgium agreed to pull its soldiers out of Chad by June 30."
    assert not asserted(text, "RETREAT")
    [concession] = asserted(text, "CONCEDE")
    assert concession.status == "planned" and concession.date is not None
    assert concession.date.iso == "2024-06-30"
    assert [e.status for e in asserted(text, "AGREE")] == ["planned"]


def test_an_agreement_on_a_withdrawal_makes_the_withdrawal_planned() -> None:
    text = "Chad and Belgium reached an agreement on the withdrawal of Belgian soldiers."
    assert not asserted(text, "RETREAT")
    assert [e.status for e in asserted(text, "CONCEDE")] == ["planned"]


def test_a_completed_withdrawal_is_a_retreat_completed_on_its_date() -> None:
    [retreat] = asserted("Belgium completed the withdrawal of its soldiers from Chad on Friday.",
                         "RETREAT")
    assert retreat.status == "completed" and retreat.date is not None
    assert retreat.date.iso == "2024-03-15"


@pytest.mark.parametrize("text", [
    "Belgium began withdrawing its soldiers from Chad.",
    "The withdrawal of Belgian soldiers from Chad is under way.",
    "Belgian soldiers are leaving Chad.",
    "The agreement marks the start of the process of withdrawing Belgian soldiers from Chad.",
])
def test_a_withdrawal_begun_is_a_retreat_under_way(text: str) -> None:
    assert [e.status for e in asserted(text, "RETREAT")] == ["under-way"]


@pytest.mark.parametrize("text, event_type", [
    ("Belgian soldiers left Chad in 2021.", "RETREAT"),
    ("Belgian soldiers have been withdrawn from Chad.", "RETREAT"),
    ("The pullout of Belgian soldiers from Chad was completed in May.", "RETREAT"),
    ("Polish instructors arrived in Bamako last week.", "AID"),
])
def test_a_movement_told_in_the_past_is_completed(text: str, event_type: str) -> None:
    assert [e.status for e in asserted(text, event_type)] == ["completed"]


def test_a_demanded_withdrawal_and_other_events_have_no_status() -> None:
    evs = events("Protesters in N'Djamena demanded the withdrawal of Belgian soldiers.")
    assert evs and all(e.status is None for e in evs)


@pytest.mark.parametrize("text, event_type", [
    ("Three coups in Mali and Burkina Faso since 2020 have alarmed ECOWAS.", "COUP"),
    ("Boko Haram carried out two attacks in Niger last week.", "ASSAULT"),
])
def test_a_count_of_events_is_no_quantity_of_each(text: str, event_type: str) -> None:
    found = asserted(text, event_type)
    assert found and all(e.quantity is None for e in found)


def test_a_count_of_bases_is_the_quantity_of_the_presence() -> None:
    [presence] = asserted("The two US bases in Niger cost $110 million.", "PRESENCE")
    assert presence.quantity is not None and presence.quantity.value == 2


@pytest.mark.parametrize("text, host", [
    ("The US military moved personnel from Air Base 101 in Niamey to Air Base 201 in Agadez.",
     "NER"),
    ("The French army relocated 200 soldiers from Gao to Menaka in Mali.", "MLI"),
])
def test_a_move_inside_one_state_is_neither_arrival_nor_withdrawal(text: str, host: str) -> None:
    evs = [e for e in events(text) if e.modality == "asserted"]
    assert not [e for e in evs if e.event_class in {"Deployment", "Withdrawal"}]
    assert {e.event_class for e in evs if e.target and e.target.country == host} == {
        "Relocation", "Presence"}


def test_a_move_from_one_state_to_another_is_still_a_deployment() -> None:
    assert [e.target.country for e in asserted("The US moved 300 troops from Niger to Chad.",
                                               "MOBILIZE") if e.target] == ["TCD"]


def test_a_counted_withdrawal_gives_the_presence_it_ends() -> None:
    [presence] = asserted("Portugal began withdrawing its 180 soldiers from the Central African "
                          "Republic.", "PRESENCE")
    assert presence.source is not None and presence.source.country == "PRT"
    assert presence.target is not None and presence.target.country == "CAF"
    assert presence.quantity is not None and presence.quantity.value == 180
    assert presence.quantity.unit == "personnel"


def test_a_planned_withdrawal_counts_the_forces_there_now() -> None:
    text = "Belgium agreed to withdraw its 300 soldiers from Chad by June 30."
    assert not asserted(text, "AID")  # "its soldiers from Chad" are Belgium's, moved out of Chad
    [presence] = asserted(text, "PRESENCE")
    assert presence.quantity is not None and presence.quantity.value == 300
    assert presence.date is None  # June 30 is when they are to leave, not when they were there


def test_evacuating_anothers_soldiers_implies_no_presence_of_ones_own() -> None:
    assert not asserted("Kenya evacuated 40 Ugandan soldiers.", "PRESENCE")
