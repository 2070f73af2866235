"""Canonical events: the extracted events (mentions) that report one real event, across articles.

Mentions of one canonical event have the same type and the same parties (a party is its state
where it has one, else itself), compatible places (equal, a state and a place in it, or either
unstated) and compatible
dates at their precision: a day lies in a month or a year, two days are at most one day apart (a
report dated by its time zone), a week overlaps a day or a month. So Mali's coups of August 2020
and May 2021 stay two, while "on August 18, 2020", "in August 2020" and "the 2020 coup" are one
(the year joins the one coup of that year it fits, or the one its own sentence or else its own
article tells; with two coups in that year and nothing to tell them apart it stays its own).
A mention with no date of its own joins the one dated event of its group that happened before
the article reporting it was published, or, where several did or the article is undated, the one
its own sentence or article tells; where none or several fit, the undated mentions of a group are
one event of their own.

The grouping is a pure function of all mentions, so it does not depend on the order articles
were ingested. GDELT keeps the same split: its Events table (one row per event) stands beside its
Mentions table (one row per report); kg's events-csv is the mentions and canonical-csv the events.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kg.errors import DataError

PRECISIONS = ("day", "week", "month", "year")  # finest first
STATUS_ORDER = {"planned": 0, "under-way": 1, "completed": 2}
NAMESPACE = "https://w3id.org/kg-security/id/canonical/"


@dataclass(frozen=True)
class Mention:
    """One asserted extracted event, as the canonical grouping sees it.

    Attributes:
        id: the event's IRI.
        event_type: its PLOVER type (or COUP, PRESENCE).
        source, target: its parties at state level (ISO code, else the actor's IRI; "" if none).
        place: its location label ("" if none); place_state: the ISO code of the state that
            place is or lies in ("" if unknown); place_is_state: whether the place is a state.
        date, precision: its own date (ISO YYYY, YYYY-MM or YYYY-MM-DD; a week is its Monday)
            and the precision ("day", "week", "month", "year"), or "" when undated.
        reported: the publication date of its article (YYYY-MM-DD), or "".
        article: the article's id.
        sentence: where its sentence starts in the article ("" if unknown), so that two
            mentions in one sentence ("a coup on Friday, the second coup in 2022") are known
            to be one.
    """

    id: str
    event_type: str
    source: str
    target: str
    place: str = ""
    place_state: str = ""
    place_is_state: bool = False
    date: str = ""
    precision: str = ""
    reported: str = ""
    article: str = ""
    sentence: str = ""

    @property
    def group(self) -> tuple[str, str, str]:
        return (self.event_type, self.source, self.target)


@dataclass(eq=False)
class Cluster:
    """Mentions found to report one event: the interval all their dates allow."""

    group: tuple[str, str, str]
    members: list[Mention] = field(default_factory=list)
    start: dt.date = dt.date.min
    end: dt.date = dt.date.max
    places: list[Mention] = field(default_factory=list)  # a mention of each place told

    @property
    def dated(self) -> bool:
        return any(m.date for m in self.members)

    def best_date(self) -> tuple[str, str]:
        """The finest date its mentions give (the commonest, then the earliest), as (iso,
        precision); ("", "") when none is dated."""
        for precision in PRECISIONS:
            dates = Counter(m.date for m in self.members if m.precision == precision)
            if dates:
                top = max(dates.values())
                return min(d for d, k in dates.items() if k == top), precision
        return "", ""

    def ident(self) -> str:
        """A stable id: the group and the cluster's best date, or its first mention when
        undated (so ids do not change when unrelated articles are added)."""
        iso, precision = self.best_date()
        key = (*self.group, iso, precision) if iso else \
            (*self.group, "undated", min(m.id for m in self.members) if self.members else "")
        digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:16]
        return NAMESPACE + digest


def interval(iso: str, precision: str) -> tuple[dt.date, dt.date]:
    """The days a date of this precision covers (a day widened by one day either side).

    Raises:
        DataError: the date does not parse at its precision.
    """
    try:
        if precision == "year":
            year = int(iso[:4])
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if precision == "month":
            first = dt.date(int(iso[:4]), int(iso[5:7]), 1)
            after = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, after - dt.timedelta(days=1)
        day = dt.date.fromisoformat(iso[:10])
        if precision == "week":
            return day, day + dt.timedelta(days=6)
        return day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    except ValueError:
        raise DataError(f"event date {iso!r} does not parse at precision {precision!r}") from None


def _told_beside(m: Mention, fits: list[Cluster]) -> list[Cluster]:
    """Of several clusters a mention fits, the one told in its sentence, else the one told in
    its article, where there is exactly one (else all of them)."""
    if len(fits) <= 1:
        return fits
    for near in (lambda o: bool(m.sentence) and o.article == m.article and o.sentence == m.sentence,
                 lambda o: o.article == m.article):
        told = [c for c in fits if any(near(o) for o in c.members)]
        if len(told) == 1:
            return told
    return fits


def _places_fit(cluster: Cluster, mention: Mention) -> bool:
    """Whether a mention's place fits every place the cluster's mentions give: the same place,
    or a state and a place in it ("a coup in Niger", "a coup in Niamey"), or either unstated."""
    return all(_place_fits(p, mention) for p in cluster.places)


def _place_fits(one: Mention, other: Mention) -> bool:
    if not one.place or not other.place or one.place == other.place:
        return True
    return (one.place_is_state or other.place_is_state) and bool(one.place_state) \
        and one.place_state == other.place_state


def group_mentions(mentions: Iterable[Mention]) -> dict[str, Cluster]:
    """The canonical event of every mention: mention id -> its cluster."""
    by_group: defaultdict[tuple[str, str, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        by_group[m.group].append(m)
    out: dict[str, Cluster] = {}
    for group, members in by_group.items():
        for cluster in _cluster(group, members):
            for m in cluster.members:
                out[m.id] = cluster
    return out


FEW = 2  # events before an undated report that are all looked at (more: only its article's)


def _add(cluster: Cluster, m: Mention) -> None:
    cluster.members.append(m)
    if m.place and all(p.place != m.place for p in cluster.places):
        cluster.places.append(m)


def _months(lo: dt.date, hi: dt.date) -> range:
    """Month numbers (year * 12 + month - 1) from `lo` to `hi`, for the index of clusters."""
    return range(lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month)


def _cluster(group: tuple[str, str, str], members: Sequence[Mention]) -> list[Cluster]:
    """The clusters of one group's mentions (finest dates first, so coarse ones join them).
    Clusters are indexed by the months they span and by the articles that tell them, so a
    group of thousands of mentions is grouped in about linear time."""
    rank = {p: i for i, p in enumerate(PRECISIONS)}
    dated = sorted((m for m in members if m.date and m.precision in rank),
                   key=lambda m: (rank[m.precision], m.date, m.id))
    clusters: list[Cluster] = []
    by_month: defaultdict[int, list[Cluster]] = defaultdict(list)
    by_article: defaultdict[str, list[Cluster]] = defaultdict(list)
    for m in dated:
        lo, hi = interval(m.date, m.precision)
        # (in the order the clusters were made, so that the result does not depend on hashing)
        near = {id(c): c for month in _months(lo, hi) for c in by_month.get(month, ())}
        fits = [c for c in near.values()
                if c.start <= hi and lo <= c.end and _places_fit(c, m)]
        fits = _told_beside(m, fits)
        if len(fits) == 1:
            c = fits[0]
            c.start, c.end = max(c.start, lo), min(c.end, hi)
        else:  # none fits, or several and the date cannot tell which: an event of its own
            c = Cluster(group, start=lo, end=hi)
            clusters.append(c)
            for month in _months(lo, hi):
                by_month[month].append(c)
        _add(c, m)
        by_article[m.article].append(c)
    starts = sorted((c.start, i) for i, c in enumerate(clusters))
    undated_own = Cluster(group)
    for m in sorted((m for m in members if not (m.date and m.precision in rank)),
                    key=lambda m: m.id):
        before = dt.date.fromisoformat(m.reported) if m.reported else dt.date.max
        earlier = bisect.bisect_right(starts, (before, len(clusters)))
        if m.reported and earlier <= FEW:
            fits = [clusters[i] for _, i in starts[:earlier]]
        else:  # undated report, or many events before it: only one its own article tells
            fits = list({id(c): c for c in by_article.get(m.article, ())
                         if c.start <= before}.values())
        fits = _told_beside(m, [c for c in fits if _places_fit(c, m)])
        _add(fits[0] if len(fits) == 1 else undated_own, m)
    if undated_own.members:
        clusters.append(undated_own)
    return clusters


@dataclass(frozen=True)
class Summary:
    """What a canonical event's mentions say together (the columns of canonical-csv)."""

    canonical_id: str
    date: str
    precision: str
    mentions: int
    sources: int
    first_reported: str
    last_reported: str


def summarise(cluster: Cluster) -> Summary:
    """Counts and dates of one cluster; first and last reported over its dated articles."""
    iso, precision = cluster.best_date()
    reported = sorted(m.reported for m in cluster.members if m.reported)
    return Summary(cluster.ident(), iso, precision, len({m.id for m in cluster.members}),
                   len({m.article for m in cluster.members}),
                   reported[0] if reported else "", reported[-1] if reported else "")


def most_advanced(statuses: Iterable[str]) -> str:
    """The furthest status reported ("completed" over "under-way" over "planned"), or ""."""
    known = [s for s in statuses if s in STATUS_ORDER]
    return max(known, key=STATUS_ORDER.__getitem__) if known else ""
