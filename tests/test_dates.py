"""Event time: each event's date comes from its own clause, normalised against the publication
date, with a precision; "since" and ranges give an interval start instead; a year in a name is
no date; the article's date is never an event's.

Sentences are written for these tests. The publication date is Monday 22 April 2024 unless a
test says otherwise.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.extract.pipeline import extract_article
from kg.records import Article, Event

MONDAY = dt.date(2024, 4, 22)


def events(text: str, day: dt.date | None = MONDAY) -> list[Event]:
    return list(extract_article(Article(id="t", path="t", text=text, date=day)).events)


def when(text: str, trigger: str, day: dt.date | None = MONDAY
         ) -> tuple[tuple[str, str] | None, str | None]:
    """((iso, precision) of the date, iso of since) of the events at `trigger`, which agree."""
    found = {((e.date.iso, e.date.precision) if e.date else None, e.since.iso if e.since else None)
             for e in events(text, day) if e.evidence.trigger == trigger}
    assert len(found) == 1, (text, trigger, found)
    return found.pop()


# -- anchored against the publication date ----------------------------------------------------

def test_last_year_is_the_year_before_publication() -> None:
    assert when("Last year, Chad expelled French troops.", "expelled") == (("2023", "year"), None)


def test_last_august_is_the_last_august_before_publication() -> None:
    assert when("Mali's army seized power last August.", "seized") == (("2023-08", "month"), None)


def test_in_a_month_is_the_last_one_on_or_before_publication() -> None:
    assert when("Chad expelled US troops in January.", "expelled") == (("2024-01", "month"), None)
    assert when("Chad expelled US troops in May.", "expelled") == (("2023-05", "month"), None)


def test_a_month_still_to_come_is_the_next_one() -> None:
    assert when("Chad will expel US troops in January.", "expel") == (("2025-01", "month"), None)


def test_on_a_weekday_is_the_last_one_before_publication() -> None:
    assert when("Chad expelled US troops on Tuesday.", "expelled") == (("2024-04-16", "day"), None)
    assert when("Russian instructors arrived in Niger on Thursday evening.", "arrived") == \
        (("2024-04-18", "day"), None)


def test_on_the_weekday_of_publication_is_that_day_but_last_is_a_week_before() -> None:
    tuesday = dt.date(2024, 4, 23)
    assert when("Chad expelled US troops on Tuesday.", "expelled", tuesday) == \
        (("2024-04-23", "day"), None)
    assert when("Chad expelled US troops last Tuesday.", "expelled", tuesday) == \
        (("2024-04-16", "day"), None)


def test_a_weekday_still_to_come_is_the_next_one() -> None:
    assert when("Chad will expel US troops on Friday.", "expel") == (("2024-04-26", "day"), None)


def test_last_week_and_this_week_are_their_mondays() -> None:
    assert when("Chad expelled US troops last week.", "expelled") == (("2024-04-15", "week"), None)
    wednesday = dt.date(2024, 4, 24)
    assert when("Chad expelled US troops this week.", "expelled", wednesday) == \
        (("2024-04-22", "week"), None)


def test_last_month_and_earlier_this_month() -> None:
    assert when("Chad expelled US troops last month.", "expelled") == (("2024-03", "month"), None)
    assert when("Earlier this month, Chad expelled US troops.", "expelled") == \
        (("2024-04", "month"), None)


def test_days_and_years_ago() -> None:
    assert when("Chad expelled US troops two days ago.", "expelled") == \
        (("2024-04-20", "day"), None)
    assert when("Chad expelled US troops three years ago.", "expelled") == (("2021", "year"), None)


def test_a_hedged_year_is_the_year() -> None:
    assert when("France withdrew its troops from Mali in mid-2023.", "withdrew") == \
        (("2023", "year"), None)
    assert when("France sent troops to Chad in early 2021.", "sent") == (("2021", "year"), None)


def test_explicit_dates_keep_their_precision() -> None:
    assert when("France withdrew its troops from Mali on August 18, 2020.", "withdrew") == \
        (("2020-08-18", "day"), None)
    assert when("France withdrew its troops from Mali on 18 August 2020.", "withdrew") == \
        (("2020-08-18", "day"), None)
    assert when("France withdrew its troops from Mali in August 2020.", "withdrew") == \
        (("2020-08", "month"), None)


def test_a_deadline_still_to_come_is_the_events_date() -> None:
    assert when("The US agreed to withdraw its troops from Niger by September 15.", "withdraw") == \
        (("2024-09-15", "day"), None)


def test_a_decade_is_no_date() -> None:
    assert when("France sent troops to Chad in the 1990s.", "sent") == (None, None)


def test_without_a_publication_date_relative_dates_stay_unresolved() -> None:
    assert when("Chad expelled US troops last week.", "expelled", None) == (None, None)
    assert when("Chad expelled US troops in March 2021.", "expelled", None) == \
        (("2021-03", "month"), None)


# -- intervals ------------------------------------------------------------------------------

def test_since_starts_an_interval_and_dates_no_event() -> None:
    assert when("Since 2020, soldiers have overthrown governments twice in Mali.",
                "overthrown") == (None, "2020")


def test_a_range_gives_its_start() -> None:
    assert when("France deployed troops in Mali between 2013 and 2022.", "deployed") == \
        (None, "2013")
    assert when("France deployed troops in Mali from 2013 to 2022.", "deployed") == (None, "2013")


def test_until_bounds_an_event_without_dating_it() -> None:
    assert when("Russian troops were in Mali until 2022.", "were") == (None, None)


# -- the event's own clause -------------------------------------------------------------------

def test_a_date_in_a_relative_clause_is_that_clauses() -> None:
    text = "Niger's junta, which seized power in a military coup last year, expelled French troops."
    assert when(text, "expelled") == (None, None)
    assert when(text, "seized") == (("2023", "year"), None)
    assert when(text, "coup") == (("2023", "year"), None)  # the means of seizing power


def test_a_date_in_a_subordinate_clause_is_that_clauses() -> None:
    text = "After Mali's army seized power in 2021, France withdrew its troops."
    assert when(text, "withdrew") == (None, None)
    assert when(text, "seized") == (("2021", "year"), None)


def test_a_coordinated_verb_with_its_own_date_keeps_it() -> None:
    text = "Chad expelled US troops and closed its border with Niger on Tuesday."
    assert when(text, "expelled") == (None, None)
    assert when(text, "closed") == (("2024-04-16", "day"), None)


def test_a_date_before_coordinated_verbs_is_both_verbs() -> None:
    text = "On Tuesday, Chad expelled US troops and closed its border with Niger."
    assert when(text, "expelled") == when(text, "closed") == (("2024-04-16", "day"), None)


def test_a_noun_takes_its_own_date_not_the_date_of_a_verb_about_it() -> None:
    assert when("Ghana condemned the coup in Mali on Tuesday.", "coup") == (None, None)
    assert when("Ghana condemned the coup in Mali on Tuesday.", "condemned") == \
        (("2024-04-16", "day"), None)
    assert when("Ghana condemned the 2021 coup in Mali.", "coup") == (("2021", "year"), None)
    assert when("Ghana condemned the 2021 coup in Mali.", "condemned") == (None, None)


def test_a_noun_takes_the_date_of_the_verb_that_carries_it() -> None:
    assert when("The coup in Niger took place last July.", "coup") == (("2023-07", "month"), None)
    assert when("France launched an attack on Mali last week.", "attack") == \
        (("2024-04-15", "week"), None)


def test_an_act_takes_the_date_of_the_act_it_was_done_by_or_at() -> None:
    text = "Assimi Goita, who seized power in a 2020 coup, visited Moscow."
    assert when(text, "seized") == (("2020", "year"), None)
    assert when(text, "visited") == (None, None)
    assert when("At a summit on March 3, Nigeria imposed sanctions on Niger.",
                "sanctions") == (("2024-03-03", "day"), None)


# -- no date where there is none ------------------------------------------------------------

@pytest.mark.parametrize("name", ["the 2018 Compact", "the 2015 Paris Agreement", "Vision 2030"])
def test_a_year_in_a_name_is_no_date(name: str) -> None:
    assert when(f"The United States imposed sanctions on Iran under {name}.", "sanctions") == \
        (None, None)


def test_the_article_date_is_never_the_event_date() -> None:
    assert {e.date for e in events("Chad expelled US troops.")} == {None}


# -- the events table -----------------------------------------------------------------------

def test_events_csv_dates_parse_with_their_precision(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "---\ndate: 2024-04-22\n---\n"
        "Chad expelled US troops last week. Niger expelled French troops in January. "
        "Mali's army seized power last year. Burkina Faso expelled French troops on 18 August "
        "2020. Russian troops have been in Mali since 2021. Chad expelled Sudanese diplomats.\n",
        encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", "--format", "events-csv", str(article)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(io.StringIO(result.stdout), dtype=str)
    formats = {"year": "%Y", "month": "%Y-%m", "week": "%Y-%m-%d", "day": "%Y-%m-%d"}
    dated = table[table["date"].notna()]
    assert set(dated["date_precision"]) == {"year", "month", "week", "day"}
    for _, row in dated.iterrows():
        day = pd.to_datetime(row["date"], format=formats[row["date_precision"]])
        if row["date_precision"] == "week":
            assert day.weekday() == 0  # a week is its Monday
    by_trigger = dict(zip(table["sentence"], zip(table["date"].fillna(""), table["since"].fillna(""))))
    assert by_trigger["Chad expelled US troops last week."] == ("2024-04-15", "")
    assert by_trigger["Russian troops have been in Mali since 2021."] == ("", "2021")
    assert by_trigger["Chad expelled Sudanese diplomats."] == ("", "")
    assert table["date_precision"].isna().sum() == table["date"].isna().sum()


def test_a_plural_event_noun_with_several_dates_is_one_event_per_date() -> None:
    dated = sorted(e.date.iso for e in events(
        "Colonel Amadou Sangare, who led coups in Chad in March 2019 and June 2021, was sworn "
        "in.") if e.event_type == "COUP" and e.date)
    assert dated == ["2019-03", "2021-06"]
    years = sorted(e.date.iso for e in events("Guinea has had coups in 2008 and 2021.")
                   if e.event_type == "COUP" and e.date)
    assert years == ["2008", "2021"]
