"""Checks on a store's data that several test modules share."""

from __future__ import annotations

from typing import Any


def miscopied(store: Any) -> list[str]:
    """The events whose format-3 shortcuts disagree with what they copy: kg:assertedType must be
    the kg:eventType of an asserted event (and absent otherwise), kg:sourceLabel and
    kg:targetLabel the party's label in the shared graph."""
    wrong = []
    for event, kind, modality, asserted in store.query(
            "SELECT ?e ?type ?m ?a WHERE { GRAPH ?g { ?e kg:eventType ?type ; kg:modality ?m "
            "OPTIONAL { ?e kg:assertedType ?a } } }"):
        expected = kind if str(modality) == "asserted" else None
        if asserted != expected:
            wrong.append(f"{event}: kg:assertedType {asserted!r}, expected {expected!r}")
    for event, copy, label, copied in store.query(
            "SELECT ?e ?copy ?label ?c WHERE { "
            "VALUES (?role ?copy) { (kg:source kg:sourceLabel) (kg:target kg:targetLabel) } "
            "GRAPH ?g { ?e kg:eventType ?t ; ?role ?party OPTIONAL { ?e ?copy ?c } } "
            "OPTIONAL { GRAPH kgg:entities { ?party rdfs:label ?label } } }"):
        if copied != label:
            wrong.append(f"{event}: {copy} {copied!r}, its party's label is {label!r}")
    return wrong
