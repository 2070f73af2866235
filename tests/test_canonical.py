"""Canonical events: mentions merge when type, parties, place and dates fit at their precision;
distinct events of one kind between the same parties stay distinct (Mali's coups of August 2020
and May 2021, Burkina Faso's of January and September 2022).

The articles are written for these tests."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kg import api
from kg.canonical import Mention, group_mentions, interval, summarise
from kg.cli import main
from kg.errors import DataError
from kg.rdf.store import open_store


def coup(mid: str, state: str, date: str = "", precision: str = "", reported: str = "",
         article: str = "a", sentence: str = "") -> Mention:
    return Mention(mid, "COUP", state, state, date=date, precision=precision, reported=reported,
                   article=article, sentence=sentence)


def test_dates_of_any_precision_fit_the_event_they_fall_in() -> None:
    got = group_mentions([
        coup("m1", "MLI", "2020-08-18", "day", "2020-08-19"),
        coup("m2", "MLI", "2020-08", "month", "2020-09-01", "b"),
        coup("m3", "MLI", "2021-05-24", "day", "2021-05-25", "c"),
        coup("m4", "MLI", "2021-05", "month", "2021-06-02", "d"),
        coup("m5", "MLI", "2021", "year", "2021-12-01", "e"),  # the one coup of 2021
        coup("m6", "MLI", "2020-08-19", "day", "2020-08-20", "f"),  # a day later: one report late
    ])
    assert got["m1"] is got["m2"] is got["m6"]
    assert got["m3"] is got["m4"] is got["m5"]
    assert got["m1"] is not got["m3"]
    assert summarise(got["m1"]).date == "2020-08-18"
    assert summarise(got["m5"]).precision == "day"


def test_two_events_in_one_month_a_week_apart_stay_two() -> None:
    got = group_mentions([coup("a", "SOM", "2024-05-03", "day"), coup("b", "SOM", "2024-05-10", "day")])
    assert got["a"] is not got["b"]


def test_a_year_with_two_events_joins_only_the_one_in_its_sentence() -> None:
    mentions = [coup("jan", "BFA", "2022-01-24", "day", "2022-01-25", "x"),
                coup("sep", "BFA", "2022-09-30", "day", "2022-10-02", "y", sentence="10"),
                coup("year", "BFA", "2022", "year", "2022-10-02", "y", sentence="10"),
                coup("vague", "BFA", "2022", "year", "2022-11-01", "z", sentence="3")]
    got = group_mentions(mentions)
    assert got["year"] is got["sep"]
    assert got["vague"] not in (got["jan"], got["sep"])  # which of the two: the text does not say


def test_an_undated_mention_joins_the_one_event_before_its_report() -> None:
    got = group_mentions([
        coup("aug", "MLI", "2020-08-18", "day", "2020-08-19"),
        coup("may", "MLI", "2021-05-24", "day", "2021-05-25", "b"),
        coup("soon", "MLI", reported="2020-10-01", article="c"),  # only August 2020 was before
        coup("later", "MLI", reported="2022-03-01", article="d"),  # both were: stays its own
        coup("undated", "MLI", article="e"),  # no report date: both could be meant
    ])
    assert got["soon"] is got["aug"]
    assert got["later"] not in (got["aug"], got["may"])
    assert got["undated"] is got["later"]  # the group's unplaced mentions are one event
    assert summarise(got["later"]).date == ""


def test_places_that_differ_keep_events_apart() -> None:
    one = Mention("a", "ASSAULT", "USA", "SOM", place="Kismayo", date="2024-05-03", precision="day")
    other = Mention("b", "ASSAULT", "USA", "SOM", place="Baidoa", date="2024-05-03", precision="day")
    unplaced = Mention("c", "ASSAULT", "USA", "SOM", date="2024-05", precision="month")
    got = group_mentions([one, other, unplaced])
    assert got["a"] is not got["b"]
    assert got["c"] not in (got["a"], got["b"])  # it fits both


def test_canonical_ids_do_not_depend_on_the_order_of_mentions() -> None:
    mentions = [coup("m1", "MLI", "2020-08-18", "day", "2020-08-19"),
                coup("m2", "MLI", "2020-08", "month", "2020-09-01", "b"),
                coup("m3", "MLI", reported="2020-10-01", article="c")]
    forward = {k: c.ident() for k, c in group_mentions(mentions).items()}
    backward = {k: c.ident() for k, c in group_mentions(reversed(mentions)).items()}
    assert forward == backward and len(set(forward.values())) == 1


def test_a_date_that_does_not_parse_is_a_data_error() -> None:
    with pytest.raises(DataError, match="2024-13"):
        interval("2024-13", "month")


ARTICLES = {
    "mali-2020.md": ("2020-08-19", ("Soldiers staged a coup in Mali on Tuesday, detaining the "
                                   "president and the prime minister.")),
    "mali-2020-later.md": ("2020-09-02", ("Malian officers staged a coup in August 2020. "
                                         "Neighbouring states condemned the coup in Mali.")),
    "mali-2021.md": ("2021-05-26", ("Soldiers staged a coup in Mali on Monday, detaining the "
                                   "interim president. Malian officers staged a coup in August "
                                   "2020.")),
    "mali-goita.md": ("2022-10-03", ("Colonel Assimi Goita, who led coups in Mali in August 2020 "
                                    "and May 2021, was sworn in as president.")),
    "burkina-jan.md": ("2022-01-25", "Soldiers staged a coup in Burkina Faso on Monday."),
    "burkina-sep.md": ("2022-10-02", ("Soldiers staged a coup in Burkina Faso on Friday, the "
                                     "second coup in the country in 2022. Burkina Faso's army "
                                     "staged a coup in January 2022.")),
}


@pytest.fixture(scope="module")
def coup_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("coups")
    folder = root / "articles"
    folder.mkdir()
    for name, (date, body) in ARTICLES.items():
        (folder / name).write_text(f"---\ndate: {date}\n---\n{body}\n", encoding="utf-8")
    api.ingest([str(folder)], str(root / "store"))
    return root / "store"


def table(store: Path, fmt: str) -> pd.DataFrame:
    with open_store(str(store), must_exist=True) as opened:
        data = api.export(opened, fmt, None) or b""
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)


def test_four_coups_in_two_states_are_four_canonical_events_with_their_months(
        coup_store: Path) -> None:
    coups = table(coup_store, "canonical-csv")
    coups = coups[coups.event_type == "COUP"]
    months = sorted(zip(coups.target_country, coups.date.str[:7], strict=True))
    assert months == [("BFA", "2022-01"), ("BFA", "2022-09"), ("MLI", "2020-08"),
                      ("MLI", "2021-05")]
    mali_2020 = coups[coups.date.str.startswith("2020-08")].iloc[0]
    assert (mali_2020.mentions, mali_2020.sources) == ("5", "4")
    assert (mali_2020.first_reported, mali_2020.last_reported) == ("2020-08-19", "2022-10-03")
    mali_2021 = coups[coups.date.str.startswith("2021-05")].iloc[0]
    assert (mali_2021.mentions, mali_2021.sources) == ("2", "2")  # a retrospective's second date


def test_events_csv_names_each_mentions_canonical_event(coup_store: Path) -> None:
    events = table(coup_store, "events-csv")
    coups = events[events.event_type == "COUP"]
    assert coups.canonical_id.nunique() == 4
    canonical = set(table(coup_store, "canonical-csv").canonical_id)
    assert set(events.canonical_id) <= canonical


def test_both_tables_dates_parse_at_their_precision(coup_store: Path) -> None:
    formats = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    for fmt in ("events-csv", "canonical-csv"):
        frame = table(coup_store, fmt)
        dated = frame[frame.date != ""]
        assert len(dated) > 0
        for precision, group in dated.groupby("date_precision"):
            parsed = pd.to_datetime(group.date, format=formats[str(precision)])
            assert parsed.notna().all(), (fmt, precision)


def test_the_coups_query_lists_each_coup_with_its_date(coup_store: Path) -> None:
    result = CliRunner().invoke(main, ["query", "--name", "coups", "--store", str(coup_store),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output), dtype=str, keep_default_na=False)
    dated = sorted(zip(frame.state, frame.date, strict=True))
    assert [d for d in dated if d[1]] == [("Burkina Faso", "2022-01"), ("Burkina Faso", "2022-09"),
                                          ("Mali", "2020-08"), ("Mali", "2021-05")]


def test_first_and_last_reported_use_the_dated_sources_when_some_are_undated() -> None:
    got = group_mentions([coup("a", "GIN", "2021-09-05", "day", "2021-09-06", "x"),
                          coup("b", "GIN", "2021-09", "month", "", "y"),
                          coup("c", "GIN", "2021-09", "month", "2021-10-01", "z")])
    summary = summarise(got["a"])
    assert (summary.sources, summary.first_reported, summary.last_reported) == (
        3, "2021-09-06", "2021-10-01")


def test_an_undated_article_places_a_mention_only_by_what_it_tells_itself() -> None:
    got = group_mentions([coup("dated", "MLI", "2020-08", "month", article="x"),
                          coup("vague", "MLI", article="x"),
                          coup("alone", "MLI", article="y")])
    assert got["vague"] is got["dated"]  # its article tells one Mali coup
    assert got["alone"] is not got["dated"]  # the one known coup, or another? it does not say


def test_a_place_in_a_state_fits_that_state_but_not_another_place() -> None:
    def at(mid: str, place: str, state: str, is_state: bool) -> Mention:
        return Mention(mid, "COUP", "NER", "NER", place=place, place_state=state,
                       place_is_state=is_state, date="2023-07-26", precision="day")
    got = group_mentions([at("capital", "Niamey", "NER", False), at("state", "Niger", "NER", True)])
    assert got["capital"] is got["state"]
    got = group_mentions([at("capital", "Niamey", "NER", False), at("other", "Agadez", "NER", False)])
    assert got["other"] is not got["capital"]


def test_a_cell_a_spreadsheet_would_run_is_neutralised() -> None:
    from kg.export.table import spreadsheet_safe
    assert spreadsheet_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("-12.5") == "-12.5" and spreadsheet_safe("Niger") == "Niger"
