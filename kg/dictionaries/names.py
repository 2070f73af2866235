"""Turn dictionary names (``AL_QAEDA_IN_THE_ISLAMIC_MAGHREB_(AQIM)_``) into surface forms a
news text uses (``al-Qaeda in the Islamic Maghreb``, alias ``AQIM``), and refuse the ones that
would match ordinary words."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Lower case inside a name (never as its first word).
SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "de", "del", "der", "des", "di", "du", "for",
                         "from", "in", "into", "la", "le", "of", "on", "or", "the", "to", "van",
                         "von", "wa", "wal", "with", "bin", "ibn"})
# Two-letter acronyms that are not words, written upper case inside longer names ("UN Mission").
SHORT_ACRONYMS = frozenset({"UN", "EU", "AU", "UK", "US", "DR"})
_PARENS = re.compile(r"\(([^()]*)\)")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&-]{1,6}")


@dataclass(frozen=True)
class CleanName:
    """A readable name and the acronyms found in parentheses after it."""

    text: str
    acronyms: tuple[str, ...] = ()


def _case_part(part: str, first: bool, last: bool) -> str:
    low = part.lower()
    if not first and not last and low in SMALL_WORDS:
        return low
    if part.upper() in SHORT_ACRONYMS:
        return part.upper()
    if re.fullmatch(r"\d+(st|nd|rd|th)", low):
        return low
    if any(c.isdigit() for c in part) or "." in part or not re.search(r"[AEIOUY]", part.upper()):
        return part.upper()  # "U.N.", "M23", "PKK": written as acronyms
    head, apostrophe, tail = low.partition("'")
    word = head[:1].upper() + head[1:]
    if word.startswith("Mc") and len(word) > 2:
        word = "Mc" + word[2:3].upper() + word[3:]
    if apostrophe:  # "People's", "Peoples'" but "O'Brien"
        word += "'" + (tail if len(tail) <= 1 else tail[:1].upper() + tail[1:])
    return word


def clean_name(raw: str) -> CleanName:
    """A dictionary name in title case; parenthesised acronyms become `acronyms`.

    ``AL`` before another word becomes ``al-`` (``al-Qaeda``); a leading ``THE`` is dropped (the
    matcher strips it); a whole name of one short word is kept upper case, as an acronym.
    """
    acronyms = tuple(inner.strip(" _") for inner in _PARENS.findall(raw)
                     if _ACRONYM.fullmatch(inner.strip(" _")))
    text = _PARENS.sub(" ", raw).replace("(", " ").replace(")", " ")
    words = [w for w in re.split(r"[_\s]+", text) if w.strip("-")]
    if words and words[0].upper() == "THE" and len(words) > 1:
        words = words[1:]
    if len(words) == 1 and len(words[0]) <= 6 and "-" not in words[0]:
        return CleanName(words[0].upper(), acronyms)
    out: list[str] = []
    prefix = ""
    for i, word in enumerate(words):
        parts = [p for p in word.split("-") if p]
        if [p.upper() for p in parts] == ["AL"] and i + 1 < len(words):
            prefix = "al-"  # "AL_QAEDA": joined to the next word
            continue
        cased = [_case_part(p, not out and j == 0 and not prefix, i == len(words) - 1)
                 for j, p in enumerate(parts)]
        if len(cased) > 1 and cased[0] == "Al":
            cased[0] = "al"
        out.append(prefix + "-".join(cased))
        prefix = ""
    return CleanName(" ".join(out), acronyms)


def is_usable(name: str, is_word: Callable[[str], bool]) -> bool:
    """Whether `name` is specific enough to be a surface form.

    Refused: names shorter than three letters; one word that is an English word in any case (a
    common noun, or an acronym such as WHO or FACT); two words that are both English words
    ("Red Guerrillas"), which a headline in title case would match; and names with characters
    a dictionary typo left behind.
    """
    letters = sum(c.isalpha() for c in name)
    if letters < 3 or not re.fullmatch(r"[\w .'&-]+", name) or "_" in name:
        return False
    words = name.split()
    if len(words) == 1:
        if len(name) < 4 and not name.isupper():
            return False
        parts = [p for p in name.lower().split("-") if p and p != "al"]
        return not (is_word(name.lower()) or all(is_word(p) for p in parts))
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    return not (len(content) <= 2 and all(is_word(w.lower().strip(".")) for w in content))
