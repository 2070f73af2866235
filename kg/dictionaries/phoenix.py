"""Readers for the PETRARCH2 / Phoenix dictionary files (the TABARI actor and agent formats).

An actor file is a list of records. A record starts with a name line (``NAME_ [CODE] # comment``),
may continue with ``+SYNONYM`` lines and with role lines (``\t[CODE 090120-170120]``) that give
the record's codes, each optionally limited in time: ``>yymmdd`` (from), ``<yymmdd`` (until) or
``yymmdd-yymmdd``. Words are upper case, joined by underscores; ``#`` starts a comment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INTERNATIONAL = "Phoenix.International.actors.txt"
MIL_NON_STATE = "Phoenix.MilNonState.actors.txt"
COUNTRIES = "Phoenix.Countries.actors.txt"
AGENTS = "Phoenix.agents.txt"

_BRACKET = re.compile(r"\[([^\]]*)\]")
_DATES = re.compile(r"^(?:(?P<from>[>])(?P<a>\d+)|(?P<until><)(?P<b>\d+)|(?P<c>\d+)-(?P<d>\d+))$")


@dataclass(frozen=True)
class Role:
    """One code of a record, optionally limited to a period (None: open on that side)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class ActorRecord:
    """A primary name with its synonyms and roles, as written in the dictionary.

    Attributes:
        name: the primary name, e.g. ``AL-QAEDA_ORGANIZATION_IN_THE_ISLAMIC_MAGHREB_``.
        synonyms: the ``+`` lines under it, in file order.
        roles: codes from the name line and the role lines, in file order (malformed dates dropped).
        file: the dictionary file name.
        line: the 1-based line of the primary name.
    """

    name: str
    synonyms: tuple[str, ...]
    roles: tuple[Role, ...]
    file: str
    line: int

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class AgentRecord:
    """An agent noun and the sector code it stands for (``TROOPS`` -> ``~MIL``)."""

    word: str
    code: str
    file: str
    line: int


def parse_date(text: str) -> dt.date | None:
    """A dictionary date: ``yymmdd`` (years before 30 are 20yy) or ``yyyymmdd``; None if malformed."""
    try:
        if len(text) == 6:
            yy = int(text[:2])
            return dt.date(2000 + yy if yy < 30 else 1900 + yy, int(text[2:4]), int(text[4:]))
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return None


def parse_role(text: str) -> Role | None:
    """A bracket's content (``USAGOV 090120-170120``); None for placeholders and malformed dates."""
    parts = text.split()
    if not parts or not re.fullmatch(r"~?[A-Z0-9]+", parts[0]):
        return None  # "[---]" and the like
    if len(parts) == 1:
        return Role(parts[0])
    m = _DATES.match("".join(parts[1:]))
    if m is None:
        return None
    if m["from"]:
        start = parse_date(m["a"])
        return Role(parts[0], start=start) if start else None
    if m["until"]:
        end = parse_date(m["b"])
        return Role(parts[0], end=end) if end else None
    start, end = parse_date(m["c"]), parse_date(m["d"])
    return Role(parts[0], start, end) if start and end else None


def _roles(text: str) -> list[Role]:
    return [r for b in _BRACKET.findall(text) if (r := parse_role(b)) is not None]


def parse_actors(text: str, file: str) -> Iterator[ActorRecord]:
    """Every record of an actor file, in file order."""
    current: tuple[str, list[str], list[Role], int] | None = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0]
        body = line.strip()
        if not body:
            continue
        if body.startswith("+"):
            if current is not None:
                names = _BRACKET.sub("", body).split("+")  # "+A_+_B": two synonyms run together
                current[1].extend(n.strip() for n in names if n.strip(" _"))
                current[2].extend(_roles(body))
            continue
        if body.startswith("["):
            if current is not None:
                current[2].extend(_roles(body))
            continue
        if current is not None:
            yield ActorRecord(current[0], tuple(current[1]), tuple(current[2]), file, current[3])
        name = body.split("[", 1)[0].strip()
        current = (name, [], _roles(body), lineno) if name.strip("_") else None
    if current is not None:
        yield ActorRecord(current[0], tuple(current[1]), tuple(current[2]), file, current[3])


def parse_agents(text: str, file: str) -> Iterator[AgentRecord]:
    """Every ``WORD [~CODE]`` line of an agents file (synonym-set lines ``!X! = ...`` skipped)."""
    for lineno, raw in enumerate(text.splitlines(), start=1):
        body = raw.split("#", 1)[0].strip()
        if not body or body.startswith("!") or "[" not in body:
            continue
        word, _, rest = body.partition("[")
        code = rest.split("]", 1)[0].strip()
        if word.strip() and code:
            yield AgentRecord(word.strip(), code, file, lineno)


def _read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def read_international(folder: Path) -> list[ActorRecord]:
    """The records of Phoenix.International.actors.txt (IGOs, NGOs, companies, some people)."""
    return list(parse_actors(_read(folder, INTERNATIONAL), INTERNATIONAL))


def read_mil_non_state(folder: Path) -> list[ActorRecord]:
    """The records of Phoenix.MilNonState.actors.txt (non-state armed groups)."""
    return list(parse_actors(_read(folder, MIL_NON_STATE), MIL_NON_STATE))


def read_countries(folder: Path) -> list[ActorRecord]:
    """The records of Phoenix.Countries.actors.txt (states, places, office holders)."""
    return list(parse_actors(_read(folder, COUNTRIES), COUNTRIES))


def read_agents(folder: Path) -> list[AgentRecord]:
    """The agent nouns of Phoenix.agents.txt."""
    return list(parse_agents(_read(folder, AGENTS), AGENTS))
