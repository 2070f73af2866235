"""The ontology is the source of truth: every kg: term the code and data use is defined there, event
classes carry their annotations, and the SHACL shapes accept kg's graphs and catch broken ones."""

from __future__ import annotations

import ast
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from rdflib import OWL, RDF

from kg import api
from kg.rdf.build import ENTITY_CLASS, SECTOR_CLASS
from kg.rdf.store import open_store
from kg.rdf.vocab import KG, defined_terms, event_classes, ontology, ontology_text

PACKAGE = Path(api.__file__).parent
ALLOWED_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
                 "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
                 "COERCE", "ASSAULT", "COUP", "PRESENCE"}
KG_TOKEN = re.compile(r"(?<![\w<])kg:([A-Za-z_][\w-]*)")


def _python_terms() -> set[tuple[str, str]]:
    """(file:line, name) of every term("X") or kg_iri("X") call with a literal name and every
    KG.X / KG["X"]."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE.parent)}:{getattr(node, 'lineno', 0)}"
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in {"term", "kg_iri"} and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.add((where, node.args[0].value))
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id == "KG" and not node.attr.startswith("_")):
                found.add((where, node.attr))
            elif (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)
                  and node.value.id == "KG" and isinstance(node.slice, ast.Constant)):
                found.add((where, str(node.slice.value)))
    return found


def _rule_terms() -> set[tuple[str, str]]:
    text = (resources.files("kg") / "data" / "rules" / "events.jsonl").read_text(encoding="utf-8")
    found = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        rule = json.loads(line)
        where = f"events.jsonl:{lineno}"
        names = [rule["class"], *rule.get("implies", []),
                 *(r["class"] for r in rule.get("refine", []))]
        if "on_future" in rule:
            names.append(rule["on_future"])
        found.update((where, n) for n in names)
    return found


def _text_terms(folder: str, pattern: str) -> set[tuple[str, str]]:
    found = set()
    for res in sorted((resources.files("kg") / "data" / folder).iterdir(), key=lambda r: r.name):
        if not re.fullmatch(pattern, res.name):
            continue
        for lineno, line in enumerate(res.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0] if not line.lstrip().startswith("@prefix") else ""
            found.update((f"{res.name}:{lineno}", m) for m in KG_TOKEN.findall(code))
    return found


def test_scanners_find_terms() -> None:
    # guard against a scanner that silently finds nothing
    py = {name for _, name in _python_terms()}
    assert {"Article", "Evidence", "sentence", "RelationStatement"} <= py
    assert {"Withdrawal", "Presence", "InstructorDeployment"} <= {n for _, n in _rule_terms()}
    assert {"eventType", "RelationStatement"} <= {n for _, n in _text_terms("queries", r".*\.rq")}


@pytest.mark.parametrize("source", ["python", "rules", "queries", "shapes"])
def test_every_used_term_is_defined(source: str) -> None:
    found = {"python": _python_terms, "rules": _rule_terms,
             "queries": lambda: _text_terms("queries", r".*\.rq"),
             "shapes": lambda: _text_terms("ontology", r"shapes\.ttl")}[source]()
    assert found
    terms = defined_terms()
    missing = sorted(f"{where}: kg:{name}" for where, name in found if name not in terms)
    assert not missing, "terms the ontology lacks:\n" + "\n".join(missing)


def test_class_maps_of_graph_builder_are_defined() -> None:
    terms = defined_terms()
    for name in [*ENTITY_CLASS.values(), *SECTOR_CLASS.values(), "Place"]:
        assert name in terms, name


def test_event_classes_have_plover_type_and_relation() -> None:
    g = ontology()
    object_properties = {str(p)[len(str(KG)):] for p in g.subjects(RDF.type, OWL.ObjectProperty)
                         if str(p).startswith(str(KG))}
    classes = event_classes()
    assert {"Withdrawal", "Presence", "InstructorDeployment", "Coup",
            "IllegalityDeclaration"} <= set(classes)
    assert {c.plover for c in classes.values()} == ALLOWED_TYPES
    for name, cls in classes.items():
        assert cls.plover in ALLOWED_TYPES, name
        assert cls.relation in object_properties, f"{name}: directRelation {cls.relation}"
        if cls.inverse_relation is not None:
            assert cls.inverse_relation in object_properties, name
    assert classes["Presence"].inverse_relation == "hostsForcesOf"


def test_shapes_event_type_list_matches_allowed_types() -> None:
    shapes = ontology_text("shapes.ttl")
    listed = re.search(r"sh:path kg:eventType ;.*?sh:in \((.*?)\)", shapes, re.DOTALL)
    assert listed is not None
    assert set(re.findall(r'"([A-Z]+)"', listed.group(1))) == ALLOWED_TYPES


def test_shapes_pass_on_ingested_seed(ingested_store: Path) -> None:
    with open_store(str(ingested_store), must_exist=True) as store:
        conforms, report = api.validate(store)
    assert conforms, report


def test_shapes_fail_without_sentences(seed_path: Path) -> None:
    store, report = api.extract([str(seed_path)])
    assert report.articles == 1
    conforms, text = api.validate(store)
    assert conforms, text
    before = len(store)
    store.dataset.remove((None, KG.sentence, None, None))
    assert len(store) < before
    assert not any(store.dataset.quads((None, KG.sentence, None, None)))
    conforms, text = api.validate(store)
    assert not conforms
    assert "kg:sentence" in text or str(KG.sentence) in text
