"""Office holders: the office index read from the gazetteer's people and the titles ("Kenya's
president", "the president") that resolve to whoever held the office on the article's date.

Sentences and gazetteer rows are written for these tests (none comes from the dev articles)."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.errors import DataError
from kg.extract.pipeline import extract_article
from kg.link.gazetteer import COLUMNS, Gazetteer, build, parse_tsv
from kg.link.offices import dated_offices, load_office_kinds, parse_office_kinds
from kg.records import Article, Event

HEADER = "\t".join(COLUMNS)


def small_gazetteer(*people: str) -> Gazetteer:
    """Two states and the given people rows (id, label, country, office, from, to)."""
    rows = ["ALP\tState\tAlpinia\t\tAlpinian|Alpinians\t\t\t\t\t\t",
            "BOR\tState\tBorealia\tRepublic of Borealia\tBorealian\t\t\t\t\t\t"]
    rows += [f"{pid}\tPerson\t{label}\t\t\t{iso}\t\t\t{office}\t{start}\t{end}"
             for pid, label, iso, office, start, end in (p.split(";") for p in people)]
    return build([("t.tsv", e) for e in parse_tsv("t.tsv", "\n".join([HEADER, *rows]))])


def test_a_later_office_in_the_cell_is_held_from_its_own_date() -> None:
    office = "Prime Minister of Alpinia (to 2021-03-01), Defence Minister of Alpinia from 2021-03-01"
    assert list(dated_offices(office, (("2018-01-05", ""),))) == [
        ("Prime Minister of Alpinia", (("2018-01-05", "2021-03-01"),)),
        ("Defence Minister of Alpinia", (("2021-03-01", ""),))]


def test_an_office_with_its_own_dates_is_cut_to_them() -> None:
    office = "Foreign Minister of Borealia (2015-06-01 to 2017-02-01), later an adviser"
    assert next(iter(dated_offices(office, (("2015-06-01", ""),)))) == (
        "Foreign Minister of Borealia", (("2015-06-01", "2017-02-01"),))


def test_the_holder_is_the_one_whose_term_covers_the_day() -> None:
    gaz = small_gazetteer("ana-alt;Ana Alt;ALP;President of Alpinia;2016-05-01;2022-05-01",
                          "bo-berg;Bo Berg;ALP;Head of state of Alpinia (interim);2022-05-01;",
                          "cy-cole;Cy Cole;BOR;Borealian Foreign Minister;2020;",
                          "di-dorn;Di Dorn;BOR;Prime Minister of the Republic of Borealia;2020;")
    assert gaz.holder("president", "ALP", dt.date(2019, 1, 1)).id == "ana-alt"
    assert gaz.holder("president", "ALP", dt.date(2022, 5, 1)).id == "bo-berg"  # handover day
    assert gaz.holder("foreign_minister", "BOR", dt.date(2021, 1, 1)).id == "cy-cole"
    assert gaz.holder("prime_minister", "BOR", dt.date(2021, 1, 1)).id == "di-dorn"
    assert gaz.holder("president", "ALP", None) is None
    assert gaz.holder("president", "ALP", dt.date(2010, 1, 1)) is None


def test_two_holders_on_one_day_are_no_holder() -> None:
    gaz = small_gazetteer("ana-alt;Ana Alt;ALP;President of Alpinia;2016;",
                          "bo-berg;Bo Berg;ALP;President of Alpinia;2020;")
    assert gaz.holder("president", "ALP", dt.date(2021, 1, 1)) is None


def test_an_office_of_no_known_state_is_not_indexed() -> None:
    gaz = small_gazetteer("ana-alt;Ana Alt;ALP;President of the Alpine Commission;2016;")
    assert gaz.offices == {}


@pytest.mark.parametrize("text, reason", [
    ("kinds: {}\nnot_holder: []\n", "kinds must map"),
    ("kinds:\n  president: {offices: [President], titles: [president]}\n", "exactly the sections"),
    ("kinds:\n  president: {offices: [President], titles: [President]}\nnot_holder: []\n",
     "not lower-case"),
    (("kinds:\n  president: {offices: [President], titles: [president], words: []}\n"
      "not_holder: []\n"), "exactly the keys"),
    (("kinds:\n  a: {offices: [Chief], titles: [chief]}\n  b: {offices: [Head], titles: [chief]}\n"
      "not_holder: []\n"), "belongs to both"),
])
def test_a_bad_office_kinds_file_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(DataError, match=reason) as err:
        parse_office_kinds("offices.yaml", text)
    assert "offices.yaml" in str(err.value)


def test_the_packaged_office_kinds_load() -> None:
    kinds = load_office_kinds()
    assert kinds.titles["prime minister"] == "prime_minister"
    assert kinds.offices["head of state"] == "president"


def events(text: str, day: dt.date | None) -> list[Event]:
    return list(extract_article(Article(id="t", path="t", text=text, date=day)).events)


def sources(evs: list[Event]) -> set[tuple[str, str | None]]:
    return {(e.source.entity.id, e.source.sector) for e in evs if e.source is not None}


def test_a_states_president_is_whoever_held_the_office_that_day() -> None:
    text = "Kenya's president accused Uganda of arming rebels in the north."
    assert sources(events(text, dt.date(2019, 6, 3))) == {("uhuru-kenyatta", None)}
    assert sources(events(text, dt.date(2024, 6, 3))) == {("william-ruto", None)}
    assert sources(events(text, None)) == {("KEN", "government")}  # undated: as before


def test_titles_with_a_demonym_or_an_of_phrase_name_the_holder() -> None:
    day = dt.date(2024, 6, 3)
    assert sources(events("The president of Kenya accused Uganda of arming rebels.", day)) == {
        ("william-ruto", None)}
    found = events("The Ukrainian minister of defence met Polish generals in Warsaw.", day)
    assert ("rustem-umerov", None) in sources(found)


def test_the_president_alone_is_the_holder_only_where_one_state_is_named() -> None:
    day = dt.date(2019, 6, 3)
    one = ("Heavy rains flooded Nairobi, the Kenyan capital, last week. On Monday the president "
           "accused al-Shabaab of attacking a convoy.")
    assert sources(events(one, day)) == {("uhuru-kenyatta", None)}
    two = ("Floods hit western Kenya and Uganda last week. The president accused al-Shabaab of "
           "attacking a convoy.")
    found = sources(events(two, day))
    assert found and not {"uhuru-kenyatta", "yoweri-museveni"} & {i for i, _ in found}


def test_a_former_or_vice_president_is_not_the_holder() -> None:
    day = dt.date(2024, 6, 3)
    for title in ("former president", "vice president"):
        found = events(f"Kenya's {title} accused Uganda of arming rebels in the north.", day)
        assert sources(found) == {("KEN", "government")}, title
    assert sources(events("Kenya's new president accused Uganda of arming rebels.", day)) == {
        ("william-ruto", None)}


def test_title_words_are_read_and_must_be_lower_case() -> None:
    base = "kinds:\n  president: {offices: [President], titles: [president]}\nnot_holder: [former]\n"
    kinds = parse_office_kinds("o.yaml", base + "title_words: [colonel, gen.]\n")
    assert kinds.title_words == frozenset({"colonel", "gen."})
    with pytest.raises(DataError, match="o.yaml: title_words must be a list of lower-case words"):
        parse_office_kinds("o.yaml", base + "title_words: [Colonel]\n")
    assert "colonel" in load_office_kinds().title_words
