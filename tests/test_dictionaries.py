"""The Phoenix dictionary importer: its parser, name cleaning, the rows it makes, the committed
generated files, and the loader's rule that hand-made gazetteer names win."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from kg.dictionaries import importer
from kg.dictionaries.__main__ import main
from kg.dictionaries.names import CleanName, clean_name, is_usable
from kg.dictionaries.phoenix import Role, parse_actors, parse_agents, parse_role
from kg.errors import DataError
from kg.link.gazetteer import COLUMNS, GENERATED_COLUMNS, curated_wins, load_gazetteer, parse_tsv

# Literal lines of the dictionaries (Phoenix.International, .MilNonState, .Countries.actors.txt).
IGO = ("INTER_GOVERNMENTAL_PANEL_ON_CLIMATE_CHANGE_\t\n"
       "+IPCC\n"
       "\t[IGOUNOENV] #MleH 11 Aug 2009# NGO_Actors\n"
       "JAN_ERIK_WILHELMSEN_\t[IGOUNO] #MleH 23 Jul 2009# NGO_Actors\n")
GROUP = ("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB] #  kkl 21 Mar 13\n"
         "+ADEN_ISLAMIC_ARMY_\n"
         "+ARMY_OF_MOHAMMED_AND_THE_JAISH_ADAN_AL_ISLAMI+_ISLAMIC_ADEN_ARMY_\n"
         "+ISLAMIC_ARMY_OF_ADEN_(IAA)_\n"
         "\n"
         "ANARCHIST_FACTION_ [GRCREB] #  kkl 21 Mar 13\n")
PERSON = ("BARACK_OBAMA\n"
          "+MR_OBAMA_\n"
          "+OBAMA\n"
          "+PRESIDENT_BARACK_OBAMA\n"
          "+BARACK_HUSSEIN_OBAMA\n"
          "+THE_OBAMA_ADMINISTRATION\n"
          "\t[USAELI 780101-000101]\n"
          "\t[USAGOV >090120]\n")
OLD_MINISTER = "ALPHONSE_OBAMA_  # CountryInfo.txt\n\t[COGGOVBUS 760101-770831]\n"  # (dates moved before 1980)
# A small stand-in for the English word list, so that these tests need no model.
WORDS = {"who", "fact", "anarchist", "faction", "army", "islamic", "red", "guerrillas"}


def is_word(word: str) -> bool:
    return word in WORDS


# -- parser -----------------------------------------------------------------------------------

def test_an_igo_record_takes_its_synonyms_and_the_code_on_the_line_below() -> None:
    first, second = parse_actors(IGO, "intl.txt")
    assert first.name == "INTER_GOVERNMENTAL_PANEL_ON_CLIMATE_CHANGE_"
    assert first.synonyms == ("IPCC",)
    assert first.roles == (Role("IGOUNOENV"),)
    assert first.source == "intl.txt:1"
    assert (second.name, second.roles, second.line) == ("JAN_ERIK_WILHELMSEN_", (Role("IGOUNO"),), 4)


def test_an_armed_group_record_splits_synonyms_run_together_by_a_plus() -> None:
    aden, anarchists = parse_actors(GROUP, "mns.txt")
    assert aden.roles == (Role("YEMREB"),)
    assert aden.synonyms == ("ADEN_ISLAMIC_ARMY_", "ARMY_OF_MOHAMMED_AND_THE_JAISH_ADAN_AL_ISLAMI",
                             "_ISLAMIC_ADEN_ARMY_", "ISLAMIC_ARMY_OF_ADEN_(IAA)_")
    assert (anarchists.name, anarchists.line) == ("ANARCHIST_FACTION_", 6)


def test_a_person_record_has_dated_roles() -> None:
    (obama,) = parse_actors(PERSON, "countries.txt")
    assert obama.roles == (Role("USAELI", dt.date(1978, 1, 1), dt.date(2000, 1, 1)),
                           Role("USAGOV", dt.date(2009, 1, 20), None))
    assert len(obama.synonyms) == 5


@pytest.mark.parametrize(("text", "role"), [
    ("IGOUNO 820101-911231", Role("IGOUNO", dt.date(1982, 1, 1), dt.date(1991, 12, 31))),
    ("HTIOPPMED <061231", Role("HTIOPPMED", None, dt.date(2006, 12, 31))),
    ("IGOUNO >20070101", Role("IGOUNO", dt.date(2007, 1, 1))),
    ("IGOUNO  >070201", Role("IGOUNO", dt.date(2007, 2, 1))),
    ("KORGOVBUS 2004017-20061201", None),
    ("---", None),
])
def test_role_dates_are_read_and_malformed_ones_dropped(text: str, role: Role | None) -> None:
    assert parse_role(text) == role


def test_agent_lines_give_a_word_and_a_code() -> None:
    text = "!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON\nFARMER [~AGR]\nDAIRY_FARMER [~AGR]\n"
    assert [(a.word, a.code, a.line) for a in parse_agents(text, "agents.txt")] == \
        [("FARMER", "~AGR", 2), ("DAIRY_FARMER", "~AGR", 3)]


# -- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "text", "acronyms"), [
    ("AL_QAEDA_IN_THE_ISLAMIC_MAGHREB_", "al-Qaeda in the Islamic Maghreb", ()),
    ("AL-QAEDA_ORGANIZATION_IN_THE_ISLAMIC_MAGHREB_", "al-Qaeda Organization in the Islamic Maghreb", ()),
    ("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_", "Aden Abyan Islamic Army", ("AAIA",)),
    ("ODUA_PEOPLES'_CONGRESS_", "Odua Peoples' Congress", ()),
    ("PEOPLE'S_WAR_GROUP_", "People's War Group", ()),
    ("THE_AVENGERS_", "Avengers", ()),
    ("UN_MISSION_IN_SUDAN_", "UN Mission in Sudan", ()),
    ("U.N._SECURITY_COUNCIL", "U.N. Security Council", ()),
    ("UNICEF_", "UNICEF", ()),
    ("B._LYNN_PASCOE_", "B. Lynn Pascoe", ()),
])
def test_dictionary_names_are_cleaned(raw: str, text: str, acronyms: tuple[str, ...]) -> None:
    assert clean_name(raw) == CleanName(text, acronyms)


@pytest.mark.parametrize(("name", "usable"), [
    ("AAIA", True), ("Aden Abyan Islamic Army", True),
    ("WHO", False), ("FACT", False),  # acronyms that are English words
    ("Red Guerrillas", False), ("Islamic Army", False),  # two English words: a headline's words
    ("UN", False),  # too short
    ("Harakat Ul-Jihad_I", False),  # dictionary debris
])
def test_names_that_would_match_ordinary_words_are_refused(name: str, usable: bool) -> None:
    assert is_usable(name, is_word) is usable


# -- rows -------------------------------------------------------------------------------------

def test_an_armed_group_has_no_country_and_its_acronyms_as_aliases() -> None:
    rows = list(importer.armed_groups(parse_actors(GROUP, "mns.txt"), is_word))
    assert len(rows) == 1  # "Anarchist Faction" is two English words
    (aden,) = rows
    assert (aden.id, aden.type, aden.label, aden.country, aden.source) == \
        ("phx-aden-abyan-islamic-army", "ArmedGroup", "Aden Abyan Islamic Army", "", "mns.txt:1")
    assert {"AAIA", "IAA", "Aden Islamic Army", "Islamic Aden Army"} <= set(aden.aliases)


def test_an_igo_is_an_organisation_and_its_staff_are_not() -> None:
    rows = list(importer.organisations(parse_actors(IGO, "intl.txt"), is_word))
    assert [(r.id, r.type, r.label, r.aliases) for r in rows] == [
        ("phx-inter-governmental-panel-on-climate-change", "Organisation",
         "Inter Governmental Panel on Climate Change", ("IPCC",))]


def test_a_person_keeps_government_roles_and_full_names_only() -> None:
    rows = list(importer.people(parse_actors(PERSON + OLD_MINISTER, "c.txt"),
                                {"USA": "United States", "COG": "Republic of the Congo"}))
    (obama,) = rows  # the other ended in 1977, before PERSON_ROLE_END
    assert (obama.type, obama.label, obama.country) == ("Person", "Barack Obama", "USA")
    assert obama.aliases == ("Barack Hussein Obama",)  # no titles, no bare surname
    assert (obama.valid_from, obama.valid_to) == (("2009-01-20",), ("",))
    assert obama.office == "Government of United States"
    cells = obama.cells()
    assert len(cells) == len(GENERATED_COLUMNS) and cells[-1] == "c.txt:1"


# -- loader -----------------------------------------------------------------------------------

def tsv(columns: list[str], *rows: dict[str, str]) -> str:
    return "\n".join(["\t".join(columns)] + ["\t".join(r.get(c, "") for c in columns) for r in rows])


def test_hand_made_names_win_over_generated_ones() -> None:
    curated = [("states.tsv", e) for e in parse_tsv("states.tsv", tsv(
        COLUMNS, {"id": "XAA", "type": "State", "label": "Xanadu", "demonyms": "Xanaduan"}))]
    generated = [("generated/g.tsv", e) for e in parse_tsv("generated/g.tsv", tsv(
        GENERATED_COLUMNS,
        {"id": "phx-a", "type": "ArmedGroup", "label": "XANADU", "aliases": "Xanadu Front|XF",
         "source": "m.txt:1"},
        {"id": "phx-b", "type": "ArmedGroup", "label": "Xanaduan", "source": "m.txt:5"},
        {"id": "phx-c", "type": "ArmedGroup", "label": "Front of Xanadu", "aliases": "XF",
         "source": "m.txt:9"}), generated=True)]
    kept = {e.entity.id: e for _, e in curated_wins(curated, generated)}
    assert set(kept) == {"phx-a", "phx-c"}  # phx-b had only a demonym of a state
    assert (kept["phx-a"].entity.label, kept["phx-a"].entity.aliases) == ("Xanadu Front", ("XF",))
    assert kept["phx-c"].entity.aliases == ()  # "XF" went to the earlier generated row
    assert kept["phx-a"].source == "m.txt:1" and kept["phx-a"].generated


@pytest.mark.parametrize(("text", "reason"), [
    (tsv(COLUMNS, {"id": "phx-a", "type": "ArmedGroup", "label": "A Front"}), "1: header"),
    (tsv(GENERATED_COLUMNS, {"id": "phx-a", "type": "ArmedGroup", "label": "A Front",
                             "source": "somewhere"}), "2: source 'somewhere'"),
])
def test_bad_generated_rows_name_file_and_line(text: str, reason: str) -> None:
    with pytest.raises(DataError, match=f"^generated/g.tsv:{reason}"):
        list(parse_tsv("generated/g.tsv", text, generated=True))


def test_loaded_generated_entries_use_no_hand_made_name() -> None:
    gaz = load_gazetteer()
    hand = {n.lower() for e in gaz.entries.values() if not e.generated
            for n in (e.entity.label, *e.entity.aliases, *e.demonyms)}
    generated = [e for e in gaz.entries.values() if e.generated]
    assert len(generated) > 1000
    for entry in generated:
        names = {n.lower() for n in (entry.entity.label, *entry.entity.aliases)}
        assert not names & hand, entry.entity.id
        assert entry.entity.id.startswith("phx-")
        assert entry.entity.type != "ArmedGroup" or entry.entity.country is None
    assert not any(gaz.entries[i].generated for ids in gaz.surnames.values() for i in ids)


# -- the committed files ----------------------------------------------------------------------

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "external"


def test_committed_generated_files_are_what_the_importer_makes() -> None:
    if not (SOURCE / importer.DICTIONARY_DIR).is_dir():
        pytest.skip(f"the Phoenix dictionaries are not at {SOURCE}")
    folder = resources.files("kg") / "data" / "gazetteer" / "generated"
    for name, rows in importer.generate(SOURCE).items():
        assert (folder / name).read_text(encoding="utf-8") == importer.render(rows), name


def test_the_command_reports_a_missing_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--source", str(tmp_path), "--target", str(tmp_path / "out")]) == 1
    assert "no Phoenix dictionaries" in capsys.readouterr().err


def test_the_importer_word_lists_load() -> None:
    lists = importer.word_lists()
    assert "PRESIDENT" in lists["title_words"] and "ORGANIZATION" in lists["org_words"]


def test_generated_names_match_only_as_written() -> None:
    from kg.extract.pipeline import Extractor

    ex = Extractor.default()
    written = ex.parse("Fighters of the Aden Abyan Islamic Army attacked a convoy.")
    assert [m.entity.id for m in ex.mentions(written)] == ["phx-aden-abyan-islamic-army"]
    lowered = ex.parse("fighters of the aden abyan islamic army attacked a convoy.")
    assert not [m for m in ex.mentions(lowered) if m.entity.id.startswith("phx-")]


def test_pattern_docs_are_tokenised_as_the_tokenizer_would() -> None:
    from kg.link.mentions import pattern_doc
    from kg.nlp.pipeline import load_nlp

    nlp = load_nlp()
    for name in ("Aden Abyan Islamic Army", "People's War Group", "U.N. Security Council",
                 "al-Qaeda in the Islamic Maghreb", "Cannot Group"):
        assert [t.text for t in pattern_doc(nlp, name)] == [t.text for t in nlp.make_doc(name)]


def test_a_kunya_alone_is_no_armed_group_name() -> None:
    text = "ABU_SAYYAF__ [IMGSEAMUSASF]\nABU_SALEM [IMGSEAMUSASF]\n+SALEM_BRIGADE_OF_ISLAM_\n"
    rows = list(importer.armed_groups(parse_actors(text, "mns.txt"), is_word))
    assert [(r.label, r.aliases) for r in rows] == [("Abu Sayyaf", ()), ("Salem Brigade of Islam", ())]
