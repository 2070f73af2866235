"""Event attributes: quantities with comparators, money, and dates normalised to ISO 8601."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from spacy.tokens import Span, Token

from kg.extract.rules import Lexicon
from kg.records import Quantity, TimeValue

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
VAGUE = {"hundreds": (100.0, "at-least"), "thousands": (1000.0, "at-least"),
         "dozens": (24.0, "at-least"), "scores": (40.0, "at-least"), "tens": (20.0, "at-least"),
         "millions": (1e6, "at-least")}
WORD_NUMBERS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])}
WORD_NUMBERS.update({"a dozen": 12, "dozen": 12, "hundred": 100, "a hundred": 100})
CURRENCIES = {"$": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "euro": "EUR",
              "euros": "EUR", "£": "GBP", "pound": "GBP", "pounds": "GBP"}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}


def _number(text: str) -> float | None:
    text = text.lower().strip()
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", text)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    return value * SCALES.get(m.group(2) or "", 1.0)


def quantity(span: Span, lexicon: Lexicon, counted: Token | None) -> Quantity | None:
    """A Quantity from a numeric entity span (CARDINAL or MONEY) and the noun it counts."""
    text = span.text
    low = text.lower()
    comparator = "exact"
    before = span.doc[max(span.start - 3, 0):span.start].text.lower()
    for phrase, comp in lexicon.comparators:
        if low.startswith(phrase + " ") or before.endswith(" " + phrase) or before == phrase:
            comparator = comp
            break
    if low in VAGUE or low.split()[-1] in VAGUE:
        vague, comp = VAGUE[low.split()[-1]]
        return Quantity(text, vague, _unit(span, lexicon, counted), comp)
    value = _number(low)
    if value is None:
        return None
    return Quantity(text, value, _unit(span, lexicon, counted), comparator)


def _unit(span: Span, lexicon: Lexicon, counted: Token | None) -> str:
    if span.label_ == "MONEY" or any(t.text in CURRENCIES for t in span):
        for t in span:
            if t.lower_ in CURRENCIES or t.text in CURRENCIES:
                return CURRENCIES.get(t.text, CURRENCIES.get(t.lower_, "USD"))
        return "USD"
    if counted is not None and (counted.lower_ in lexicon.personnel
                                or counted.lemma_.lower() in lexicon.personnel):
        return "personnel"
    return "item"


def normalise_date(text: str, anchor: dt.date | None, lexicon: Lexicon, ahead: bool = False
                   ) -> TimeValue | None:
    """Normalise a date expression against the publication date `anchor`.

    Handles "March 16, 2024", "16 March 2024", "March 2024", "2024", "on December 13",
    relative expressions from the lexicon ("last year", "last week") and weekdays ("on Monday").
    A day or month without a year is the last one before `anchor`, or with `ahead` (the date of
    something still to come: "agreed to withdraw by September 15") the next one after it.
    """
    low = text.lower().strip()
    low = re.sub(r"^(on|in|since|until|by|from|during|early|late|mid-?)\s+", "", low)
    low = re.sub(r"^the\s+", "", low)
    if low in lexicon.relative_dates:
        if anchor is None:
            return None
        unit, delta = lexicon.relative_dates[low]
        return _relative(text, anchor, unit, delta)
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", low)
    if m and m.group(1) in MONTHS:
        return _day(text, int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)))
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})", low)
    if m and m.group(2) in MONTHS:
        return _day(text, int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    m = re.fullmatch(r"([a-z]+)\.?,?\s+(\d{4})", low)
    if m and m.group(1) in MONTHS:
        return TimeValue(text, f"{int(m.group(2)):04d}-{MONTHS[m.group(1)]:02d}", "month")
    m = re.fullmatch(r"(\d{4})", low)
    if m and 1900 <= int(m.group(1)) <= 2100:
        return TimeValue(text, m.group(1), "year")
    if anchor is None:
        return None
    m = re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?", low) or \
        re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)", low)
    if m:
        month_word, day_text = (m.group(1), m.group(2)) if m.group(1).isalpha() else \
            (m.group(2), m.group(1))
        if month_word in MONTHS:
            month, year = MONTHS[month_word], anchor.year
            if ahead and (month, int(day_text)) < (anchor.month, anchor.day):
                year += 1  # still to come, earlier in the year than publication: next year's
            elif not ahead and (month, int(day_text)) > (anchor.month, anchor.day):
                year -= 1  # a day later in the year than publication is last year's
            return _day(text, year, month, int(day_text))
    if low in MONTHS and len(low) > 3:
        year = anchor.year + (1 if MONTHS[low] < anchor.month else 0) if ahead else \
            anchor.year - (1 if MONTHS[low] > anchor.month else 0)
        return TimeValue(text, f"{year:04d}-{MONTHS[low]:02d}", "month")
    weekday = low.removeprefix("last ")
    if weekday in WEEKDAYS:
        back = (anchor.weekday() - WEEKDAYS[weekday]) % 7 or 7
        return TimeValue(text, (anchor - dt.timedelta(days=back)).isoformat(), "day")
    return None


def _day(text: str, year: int, month: int, day: int) -> TimeValue | None:
    try:
        return TimeValue(text, dt.date(year, month, day).isoformat(), "day")
    except ValueError:
        return None


def _relative(text: str, anchor: dt.date, unit: str, delta: int) -> TimeValue:
    if unit == "year":
        return TimeValue(text, f"{anchor.year + delta:04d}", "year")
    if unit == "month":
        y, m = divmod(anchor.year * 12 + anchor.month - 1 + delta, 12)
        return TimeValue(text, f"{y:04d}-{m + 1:02d}", "month")
    if unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=delta)
        return TimeValue(text, monday.isoformat(), "week")
    return TimeValue(text, (anchor + dt.timedelta(days=delta)).isoformat(), "day")
