"""Event rules extract their own examples; rule, lexicon and gazetteer files are validated on load."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest
import yaml

from kg.errors import DataError
from kg.extract.pipeline import extract_article
from kg.extract.roles import ROLES
from kg.extract.rules import load_rules, parse_lexicon, parse_rules
from kg.link.gazetteer import COLUMNS, load_gazetteer, parse_tsv
from kg.records import Actor, Article

EXAMPLES = [pytest.param(rule.id, i, example, id=f"{rule.id}#{i}")
            for rule in load_rules() for i, example in enumerate(rule.examples)]


def codes(actor: Actor | None) -> set[str]:
    """The codes an expectation may name an actor by.

    A state's actor (or anything belonging to a state) is its ISO alpha-3 country code; an actor
    without a country (an organisation) is its gazetteer id upper-cased, its label or an alias
    ("EU", "AU", "ECOWAS"); no actor is "-".
    """
    if actor is None:
        return {"-"}
    if actor.country:
        return {actor.country}
    entity = actor.entity
    return {entity.id.upper(), entity.label, *entity.aliases}


def test_every_rule_has_examples() -> None:
    assert len(EXAMPLES) >= len(load_rules()) > 0
    for rule in load_rules():
        assert rule.examples, rule.id
        for example in rule.examples:
            assert set(example) == {"text", "expect"}, rule.id
            assert example["expect"], rule.id
            for triple in example["expect"]:
                assert len(triple.split()) == 3, (rule.id, triple)


@pytest.mark.parametrize(("rule_id", "index", "example"), EXAMPLES)
def test_rule_example(rule_id: str, index: int, example: dict) -> None:
    article = Article(id="example", path="example", text=example["text"],
                      date=dt.date(2024, 6, 1))
    events = [e for e in extract_article(article).events if e.modality == "asserted"]
    found = [(codes(e.source), e.event_type, codes(e.target)) for e in events]
    shown = [f"{'/'.join(sorted(s))} {t} {'/'.join(sorted(o))} [{e.evidence.rule}]"
             for (s, t, o), e in zip(found, events)]
    for expected in example["expect"]:
        src, event_type, tgt = expected.split()
        assert any(src in s and event_type == t and tgt in o for s, t, o in found), (
            f"{rule_id}: {example['text']!r}: expected {expected}; asserted events: {shown}")


# -- rule file validation --------------------------------------------------------------------

GOOD_RULE = {"id": "test.withdraw", "class": "Withdrawal", "pos": "VERB", "lemmas": ["withdraw"],
             "source": ["agent"], "target": ["prep:from"],
             "examples": [{"text": "Chad withdrew from Mali.", "expect": ["TCD RETREAT MLI"]}]}


def rules_text(*lines: dict | str) -> str:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"


def test_good_rule_parses() -> None:
    (rule,) = parse_rules("x.jsonl", rules_text(GOOD_RULE))
    assert rule.id == "test.withdraw" and rule.event_class == "Withdrawal"


@pytest.mark.parametrize(("bad", "line", "reason"), [
    ({**GOOD_RULE, "id": "b", "colour": "red"}, 3, "unknown keys ['colour']"),
    ({**GOOD_RULE, "id": "b", "class": "Invasion"}, 3, "'Invasion' is not an event class"),
    ({**GOOD_RULE, "id": "b", "on_future": "Nope"}, 3, "'Nope' is not an event class"),
    ({**GOOD_RULE, "id": "b", "implies": ["Nope"]}, 3, "'Nope' is not an event class"),
    ({**GOOD_RULE, "id": "b", "refine": [{"sector": "x", "class": "Nope"}]}, 3,
     "'Nope' is not an event class"),
    ({k: v for k, v in GOOD_RULE.items() if k != "examples"} | {"id": "b"}, 3,
     "missing key 'examples'"),
    ({**GOOD_RULE, "id": "b", "examples": []}, 3, "at least one example"),
    ({**GOOD_RULE, "id": "b", "source": ["telepathy"]}, 3, "unknown role 'telepathy'"),
    ({**GOOD_RULE, "id": "b", "target": ["prep:"]}, 3, "role 'prep:' needs an argument"),
    ({**GOOD_RULE, "id": "b", "target": ["agent:x"]}, 3, "unknown role 'agent:x'"),
    ({**GOOD_RULE, "id": "b", "pos": "ADJ"}, 3, "pos must be VERB or NOUN"),
    ('{"id": "b", "class": ', 3, "invalid JSON"),
    ("[1, 2]", 3, "must be a JSON object"),
    (GOOD_RULE, 3, "duplicate rule id 'test.withdraw'"),
    ({**GOOD_RULE, "id": "b", "source": "agent"}, 3, "source must be a non-empty list of roles"),
    # a phrase in a list matched against one token can never match
    ({**GOOD_RULE, "id": "b", "lemmas": ["withdraw", "pull back"]}, 3,
     "lemmas: 'pull back' has 2 words"),
    ({**GOOD_RULE, "id": "b", "patient_lemmas": ["troops", "armed forces"]}, 3,
     "patient_lemmas: 'armed forces' has 2 words"),
    ({**GOOD_RULE, "id": "b", "requires_word": ["martial law"]}, 3,
     "requires_word: 'martial law' has 2 words"),
    ({**GOOD_RULE, "id": "b", "patient_lemmas_for": {"withdraw": ["peacekeeping troops"]}}, 3,
     "patient_lemmas_for.withdraw: 'peacekeeping troops' has 2 words"),
    ({**GOOD_RULE, "id": "b", "particle_for": {"withdraw": "from"}}, 3,
     "particle_for.withdraw: must be a non-empty list of words"),
    ({**GOOD_RULE, "id": "b", "patient_not_lemmas_for": {"pull": ["troops"]}}, 3,
     "patient_not_lemmas_for: 'pull' is not one of the rule's lemmas"),
    ({**GOOD_RULE, "id": "b", "lemmas": ["Withdraw"]}, 3, "lemmas: 'Withdraw' must be lower-case"),
    ({**GOOD_RULE, "id": "b", "lemmas": []}, 3, "lemmas: must be a non-empty list of words"),
    ({**GOOD_RULE, "id": "b", "orderable": "yes"}, 3, "orderable must be true or false"),
    ({**GOOD_RULE, "id": "b", "refine": [{"sector": "military", "kind": "Coup"}]}, 3,
     "unknown keys ['refine.0.kind']"),
    ({**GOOD_RULE, "id": "b", "implies": "Presence"}, 3, "implies: Input should be a valid tuple"),
], ids=["unknown-key", "unknown-class", "unknown-on-future", "unknown-implies",
        "unknown-refine", "missing-examples", "empty-examples", "unknown-role",
        "empty-prefix-role", "argument-to-plain-role", "bad-pos",
        "bad-json", "not-object", "duplicate-id", "source-not-list", "phrase-lemma",
        "phrase-patient-lemma", "phrase-required-word", "phrase-patient-lemma-for",
        "particle-not-list", "by-lemma-key-not-a-lemma", "upper-case-lemma", "no-lemmas",
        "flag-not-bool", "unknown-refine-key", "implies-not-list"])
def test_bad_rule_names_file_and_line(bad: dict | str, line: int, reason: str) -> None:
    # line 2 is blank, so the line number must count it
    with pytest.raises(DataError) as info:
        parse_rules("x.jsonl", rules_text(GOOD_RULE, "", bad))
    message = str(info.value)
    assert message.startswith(f"x.jsonl:{line}: ")
    assert reason in message


def test_the_roles_a_rule_may_name_are_the_registered_ones(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setitem(ROLES, "telepathy", lambda *args: ([], None))
    (rule,) = parse_rules("x.jsonl", rules_text({**GOOD_RULE, "source": ["telepathy"]}))
    assert rule.source == ("telepathy",)
    assert {r for rule in load_rules() for r in (*rule.source, *rule.target)
            if not r.startswith("prep:")} <= set(ROLES)


# -- lexicon validation ----------------------------------------------------------------------

def lexicon_data() -> dict:
    text = (resources.files("kg") / "data" / "rules" / "lexicon.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def test_packaged_lexicon_parses() -> None:
    lexicon = parse_lexicon("lexicon.yaml", yaml.safe_dump(lexicon_data()))
    assert lexicon.sector_of.get("troops") == "military"


def test_lexicon_missing_section() -> None:
    data = lexicon_data()
    del data["speech_verbs"]
    with pytest.raises(DataError) as info:
        parse_lexicon("lex.yaml", yaml.safe_dump(data))
    message = str(info.value)
    assert message.startswith("lex.yaml: ")
    assert "missing ['speech_verbs']" in message


def test_lexicon_unknown_section() -> None:
    data = lexicon_data() | {"emoji": [":)"]}
    with pytest.raises(DataError, match=r"lex\.yaml: .*unknown \['emoji'\]"):
        parse_lexicon("lex.yaml", yaml.safe_dump(data))


def test_lexicon_bad_modality() -> None:
    data = lexicon_data()
    data["modality"].pop("negation")
    with pytest.raises(DataError, match=r"lex\.yaml: modality"):
        parse_lexicon("lex.yaml", yaml.safe_dump(data))


@pytest.mark.parametrize(("change", "reason"), [
    (lambda d: d.update(performative_verbs="announce"),
     "lex.yaml: performative_verbs: must be a non-empty list of words"),
    (lambda d: d.update(preparation_heads=[]),
     "lex.yaml: preparation_heads: must be a non-empty list of words"),
    (lambda d: d.update(relative_pronouns=["that", 7]), "lex.yaml: relative_pronouns: 7 is not a word"),
    (lambda d: d["object_control_verbs"].append("Urge"),
     "lex.yaml: object_control_verbs: 'Urge' must be lower-case"),
    # YAML reads a bare `on` as true: the word list says so instead of never matching "on"
    (lambda d: d.update(participation_preps=["in", True]),
     "lex.yaml: participation_preps: True is not a word"),
    (lambda d: d["personnel_nouns"].append("service members"),
     "lex.yaml: personnel_nouns: 'service members' has 2 words"),
    (lambda d: d["modality"]["future_heads"].append("make up"),
     "lex.yaml: modality.future_heads: 'make up' has 2 words"),
    (lambda d: d["modality"]["request_heads"].append("call on for"),
     "lex.yaml: modality.request_heads: 'call on for' has 3 words"),
    (lambda d: d["sector_nouns"]["military"].append("elite special forces"),
     "lex.yaml: sector_nouns.military: 'elite special forces' has 3 words"),
    (lambda d: d.update(sector_nouns=["troops"]), "lex.yaml: sector_nouns: must be a non-empty mapping"),
    (lambda d: d["sector_nouns"].update(navy=["sailors"]),
     "lex.yaml: sector_nouns: unknown sectors ['navy']"),
    (lambda d: d["modality"].update(future_aux=None),
     "lex.yaml: modality.future_aux: must be a non-empty list of words"),
    (lambda d: d["modality"].pop("future_aux"), "lex.yaml: modality must have exactly"),
    (lambda d: d["status"].pop("completion_heads"), "lex.yaml: status must have exactly"),
    (lambda d: d["status"]["under_way_words"].append("in the works"),
     "lex.yaml: status.under_way_words: 'in the works' has 3 words"),
    (lambda d: d["lemma_fixes"].update(stag="stage"), "lex.yaml: lemma_fixes.stag: must be"),
    (lambda d: d["lemma_fixes"].update(stag={"lemma": "stage"}), "lex.yaml: lemma_fixes.stag: must be"),
    (lambda d: d["relative_dates"].update(yesterday=["fortnight", -1]),
     "lex.yaml: relative_dates.yesterday: must be"),
    (lambda d: d["comparators"].update(about="some"), "lex.yaml: comparators.about: must be"),
    (lambda d: d["date_openers"].pop("bound"), "lex.yaml: date_openers must have exactly"),
    (lambda d: d["date_openers"]["start"].append("ever since then"),
     "lex.yaml: date_openers.start: 'ever since then' has 3 words"),
    (lambda d: d["date_directions"].update(next=2), "lex.yaml: date_directions.next: must be -1, 0"),
    (lambda d: d["date_directions"].update(Last=-1), "lex.yaml: date_directions: 'Last' must be"),
    (lambda d: d.update(date_hedges="early"), "lex.yaml: date_hedges: must be a non-empty list"),
], ids=["string-not-list", "empty-list", "number", "upper-case", "yaml-boolean",
        "phrase-in-word-list", "phrase-in-modality", "three-word-request-head",
        "three-word-sector-noun", "sectors-not-mapping", "unknown-sector", "modality-list-null",
        "modality-missing-list", "status-missing-list", "three-word-status-phrase",
        "lemma-fix-not-mapping", "lemma-fix-missing-form",
        "bad-relative-date", "comparator-not-list", "date-opener-role-missing",
        "long-date-opener", "bad-date-direction", "upper-case-date-direction",
        "date-hedges-not-list"])
def test_lexicon_bad_section_names_file_and_key(change: object, reason: str) -> None:
    data = lexicon_data()
    change(data)  # type: ignore[operator]
    with pytest.raises(DataError) as info:
        parse_lexicon("lex.yaml", yaml.safe_dump(data))
    assert reason in str(info.value)


def test_lexicon_sections_the_extractor_reads() -> None:
    lexicon = parse_lexicon("lexicon.yaml", yaml.safe_dump(lexicon_data()))
    assert lexicon.lemma_fixes["stag"] == ("stage", "stag")
    assert "announce" in lexicon.performative_verbs
    assert "on" in lexicon.participation_preps  # quoted in the YAML, not read as true
    assert lexicon.date_openers["on"] == "at" and lexicon.date_openers["since"] == "start"
    assert "will" in lexicon.modality["future_aux"]
    assert "under way" in lexicon.status["under_way_words"]


def test_lexicon_invalid_yaml() -> None:
    with pytest.raises(DataError, match=r"lex\.yaml: invalid YAML"):
        parse_lexicon("lex.yaml", "a: [unclosed\n")


# -- gazetteer -------------------------------------------------------------------------------

HEADER = "\t".join(COLUMNS)


def row(*cells: str) -> str:
    return "\t".join(cells + ("",) * (len(COLUMNS) - len(cells)))


@pytest.mark.parametrize(("text", "where", "reason"), [
    ("id\ttype\tlabel\n" + row("NER", "State", "Niger"), "g.tsv:1:", "header"),
    (HEADER + "\n" + row("NER", "State", "Niger") + "\nMLI\tState\tMali\n", "g.tsv:3:",
     "expected 11 columns, found 3"),
    (HEADER + "\n" + row("Ner", "State", "Niger"), "g.tsv:2:", "not an ISO 3166-1 alpha-3"),
    (HEADER + "\n" + row("NIGER", "State", "Niger"), "g.tsv:2:", "not an ISO 3166-1 alpha-3"),
    (HEADER + "\n" + row("x", "Planet", "Mars"), "g.tsv:2:", "unknown type 'Planet'"),
    (HEADER + "\n" + row("niamey", "City", "Niamey", "", "", "NER", "3674"), "g.tsv:2:",
     "bad Wikidata id"),
], ids=["bad-header", "column-count", "lowercase-iso", "long-iso", "unknown-type", "bad-wikidata"])
def test_bad_gazetteer_row(text: str, where: str, reason: str) -> None:
    with pytest.raises(DataError) as info:
        list(parse_tsv("g.tsv", text))
    assert str(info.value).startswith(where + " ")
    assert reason in str(info.value)


def test_gazetteer_loads() -> None:
    gaz = load_gazetteer()
    states = [e for e in gaz.entries.values() if e.entity.type == "State"]
    assert len(states) >= 193
    assert [e.entity.id for e in gaz.lookup("Niger")] == ["NER"]
    niamey = gaz.lookup("Niamey")
    assert any(e.entity.type == "City" and e.entity.country == "NER" for e in niamey)
    assert gaz.demonyms.get("Nigerien") == "NER"
    assert gaz.state("NER") is not None and gaz.state("NER").label == "Niger"
    # Nigeria is a different state; its names must not fall to Niger
    assert [e.entity.id for e in gaz.lookup("Nigeria")] == ["NGA"]
    assert gaz.demonyms.get("Nigerian") == "NGA"


def test_ground_seized_by_an_assault_is_no_coercion() -> None:
    rules = {rule.id: rule for rule in load_rules()}
    ground = set(rules["assault.verb"].options.patient_lemmas_for["seize"])
    assert ground <= set(rules["coerce.verb"].options.patient_not_lemmas_for["seize"])
    power = set(rules["coup.seize-power.verb"].options.patient_lemmas)
    assert power <= set(rules["coerce.verb"].options.patient_not_lemmas_for["seize"])
    assert not power & ground
