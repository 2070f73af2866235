"""Event attributes: quantities with comparators, and money (dates: kg.extract.dates)."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.rules import Lexicon
from kg.records import Quantity

SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
VAGUE = {"hundreds": (100.0, "at-least"), "thousands": (1000.0, "at-least"),
         "dozens": (24.0, "at-least"), "scores": (40.0, "at-least"), "tens": (20.0, "at-least"),
         "millions": (1e6, "at-least")}
WORD_NUMBERS = {w: i for i, w in enumerate(
    ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"])}
WORD_NUMBERS.update({"a dozen": 12, "dozen": 12, "hundred": 100, "a hundred": 100})
CURRENCIES = {"$": "USD", "dollar": "USD", "dollars": "USD", "€": "EUR", "euro": "EUR",
              "euros": "EUR", "£": "GBP", "pound": "GBP", "pounds": "GBP"}


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
