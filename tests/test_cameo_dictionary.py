"""The CAMEO verb-pattern importer, its generated data and the extractor's use of it."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.dictionaries.cameo import (
    Prep,
    Unsupported,
    generate,
    parse_crosswalk,
    parse_dictionary,
    read_pattern,
)
from kg.errors import DataError
from kg.extract.pipeline import extract_article
from kg.extract.verbs import generic_classes, load_verb_patterns, parse_filter, parse_patterns
from kg.records import Article

SHARED = Path(__file__).resolve().parents[2] / "shared" / "external"
SYNSETS = {"&MILITARY": ("soldier", "soldiers", "troop", "troops")}

DICTIONARY = """\
&MILITARY
+TROOPS
+SOLDIERS
+ARMORED_UNIT

####### VERB PATTERNS #######

---  PULL   [---]  ---
PULL
+PULL_OUT {+PULLS_OUT +PULLED_OUT} [0874]
- * &MILITARY FROM +                                  [0874]        # PULL
- * (WITH +)                                          [010]         # PULL

---  SHELL   [190]  ---
SHELL {SHELLS SHELLED}
BOMBARD
- $ * +                                               [195]         # SHELL

######## TRANSFORMATIONS ##########
"""
CROSSWALK = """\
0874: RETREAT, disarm,   military # Retreat or surrender militarily
190: ASSAULT, , military # Use conventional military force
195: ASSAULT, heavy-weapons, military # Employ aerial weapons
"""


def test_plain_target_is_the_direct_object() -> None:
    roles = read_pattern("$ * +", SYNSETS)
    assert (roles["source"], roles["target"], roles["object"]) == ("agent", "dobj", ())


def test_object_and_preposition_become_dependency_roles() -> None:
    roles = read_pattern("* TROOPS FROM +", SYNSETS)
    assert roles["object"] == ("troop", "troops")
    assert roles["target"] == "prep:from"


def test_a_bracketed_preposition_with_the_target_names_its_object() -> None:
    assert read_pattern("* (WITH +)", SYNSETS)["target"] == "prep:with"


def test_synonym_sets_are_expanded() -> None:
    roles = read_pattern("* &MILITARY (TO BORDER)", SYNSETS)
    assert roles["object"] == SYNSETS["&MILITARY"]
    assert roles["preps"] == [Prep("to", ("border",))]
    assert roles["target"] == "prep:*"  # no + : the object of some other preposition


def test_source_position_and_particle() -> None:
    assert read_pattern("&MILITARY * (INTO +)", SYNSETS)["subject"] == SYNSETS["&MILITARY"]
    assert read_pattern("* WITHDRAWAL (OF $) (FROM +)", SYNSETS)["source"] == "prep:of"
    roles = read_pattern("* OFF TALKS", SYNSETS)
    assert (roles["particle"], roles["object"]) == ("off", ("talk", "talks"))


def test_a_target_before_the_verb_is_not_placed() -> None:
    with pytest.raises(Unsupported):
        read_pattern("+ * ROCKET", SYNSETS)


def test_crosswalk_maps_codes_to_plover_types() -> None:
    walk = parse_crosswalk(CROSSWALK)
    assert walk == {"0874": "RETREAT", "190": "ASSAULT", "195": "ASSAULT"}


def test_dictionary_records_keep_their_line_and_plover_type() -> None:
    found = {(p.verb, p.particle, p.code, p.line): p
             for p in parse_dictionary(DICTIONARY, parse_crosswalk(CROSSWALK))}
    # the pattern written for PULL (its note names it) is PULL's alone; 010 maps to no type
    assert found[("pull", None, "0874", 11)].target == "prep:from"
    assert not any(code == "010" for _, _, code, _ in found)
    assert found[("pull", "out", "0874", 10)].forms == ("pulls", "pulled")
    shell = found[("shell", None, "190", 14)]  # the block's code is its head verb's default
    assert (shell.plover, shell.target, shell.pattern) == ("ASSAULT", "dobj", None)
    assert ("bombard", None, "190", 14) not in found
    assert found[("shell", None, "195", 17)].id == "cameo:195:17"


def test_generated_file_loads_and_compiles_by_verb() -> None:
    table = load_verb_patterns()
    assert load_verb_patterns() is table  # once per process
    assert any(p.target == "prep:from" and p.plover == "RETREAT" for p in table[("retreat", None)])
    assert {p.event_class for ps in table.values() for p in ps} <= set(generic_classes().values())


def test_bad_generated_lines_name_file_and_line() -> None:
    good = {"id": "cameo:190:14", "line": 14, "verb": "shell", "code": "190", "plover": "ASSAULT",
            "source": "agent", "target": "dobj"}
    with pytest.raises(DataError, match=r"x\.jsonl:2: unknown keys \['colour'\]"):
        parse_patterns("x.jsonl", json.dumps(good) + "\n" + json.dumps({**good, "colour": 1}))
    with pytest.raises(DataError, match=r"x\.jsonl:1: .*PLOVER"):
        parse_patterns("x.jsonl", json.dumps({**good, "plover": "DANCE"}))
    with pytest.raises(DataError, match="types"):
        parse_filter("cameo.yaml", "types: [DANCE]\nskip_codes: []\nskip_defaults_for: []\n")


def _events(text: str) -> set[tuple[str, str | None, str | None, str]]:
    extraction = extract_article(Article(id="t", path="t", text=text))
    return {(e.event_type, e.source.country if e.source else None,
             e.target.country if e.target else None, e.modality) for e in extraction.events
            if e.evidence.cameo}


def test_a_verb_no_rule_knows_is_read_by_its_cameo_pattern() -> None:
    assert ("RETREAT", "UGA", "SOM", "asserted") in _events("Uganda retreated from Somalia.")


def test_a_preposition_pattern_finds_its_target() -> None:
    found = _events("Kenya's foreign minister spoke with Ethiopia's prime minister on Tuesday.")
    assert ("CONSULT", "KEN", "ETH", "asserted") in found


def test_negation_applies_to_cameo_events() -> None:
    assert _events("Kenya did not speak with Somalia.") == {("CONSULT", "KEN", "SOM", "negated")}


def test_no_event_without_both_actors() -> None:
    assert _events("Tanzania besieged the old fortress.") == set()
    assert _events("We are encouraged by Rwanda's offer.") == set()


def test_explain_names_the_cameo_code_and_dictionary_line(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Uganda retreated from Somalia.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--explain", str(path)])
    assert result.exit_code == 0, result.output
    assert "rule cameo:0874:" in result.output
    assert "CAMEO 0874 at CAMEO.2.0.txt:" in result.output


def test_committed_generated_file_is_what_the_importer_makes() -> None:
    if not (SHARED / "petrarch2").is_dir():
        pytest.skip(f"the shared dictionaries are not at {SHARED}")
    committed = (resources.files("kg") / "data" / "rules" / "generated" /
                 "cameo_verbs.jsonl").read_text(encoding="utf-8")
    assert generate(SHARED)[0] == committed
