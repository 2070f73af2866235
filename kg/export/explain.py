"""`kg extract --explain`: per event, the rule, the tokens it matched, the dictionary entry it came
from and every fallback that filled a party the trigger's own phrase left empty."""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.roles import FALLBACKS
from kg.records import Event, Extraction


def fallbacks(event: Event) -> list[str]:
    """The fallbacks an event's parties came from, as "target: <what was guessed>"."""
    out = []
    for token in event.evidence.tokens:
        side, _, rest = token.partition(":")
        name = rest.split("=", 1)[0]
        if side in {"source", "target"} and name in FALLBACKS:
            out.append(f"{side}: {FALLBACKS[name]}")
    return out


def explanation(extraction: Extraction) -> Iterator[str]:
    """The lines that explain one article's events."""
    yield f"# {extraction.article.id}"
    for e in extraction.events:
        ev = e.evidence
        yield f"{e.event_type:10} {e.modality:12} " \
              f"{e.source.label if e.source else '-'} -> {e.target.label if e.target else '-'}"
        yield f"    rule {ev.rule}: {', '.join(ev.tokens)}"
        if ev.cameo:
            yield f"    CAMEO {ev.cameo} at {ev.dictionary_line}"
        for guess in fallbacks(e):
            yield f"    fallback, {guess}"
        yield f"    \"{' '.join(ev.sentence.split())}\""
