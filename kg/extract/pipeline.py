"""The extraction pipeline for one article: parse -> mentions -> actors -> events."""

from __future__ import annotations

import collections
import functools
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import KGError
from kg.extract.actors import ActorResolver
from kg.extract.events import EventExtractor
from kg.extract.rules import Lexicon, Rule, load_lexicon, load_rules, rules_with
from kg.link.gazetteer import Gazetteer, gazetteer_with, load_gazetteer
from kg.link.mentions import MentionFinder
from kg.nlp.pipeline import PIECE_CHARS, for_parser, load_nlp, parse_long
from kg.records import Actor, Article, Extraction

T = TypeVar("T")


@dataclass(frozen=True)
class Extractor:
    """What extraction reads besides the article: the spaCy pipeline, the gazetteer, the event
    rules and the lexicon. Build it once (`default()` for the packaged data) and pass it on."""

    nlp: Language
    gazetteer: Gazetteer
    rules: tuple[Rule, ...]
    lexicon: Lexicon

    @staticmethod
    def default() -> Extractor:
        """The packaged data (loaded once per process)."""
        return _default()

    @staticmethod
    def with_user_data(rules: str | Path | None = None, gazetteer: str | Path | None = None
                       ) -> Extractor:
        """The packaged data with a user's own rule file and gazetteer folder added.

        Raises:
            InputError: the rule file cannot be read.
            DataError: a rule or gazetteer row is invalid, or reuses an id.
        """
        return Extractor(load_nlp(), gazetteer_with(gazetteer) if gazetteer else load_gazetteer(),
                         rules_with(rules) if rules else load_rules(), load_lexicon())

    @functools.cached_property
    def mentions(self) -> MentionFinder:
        """The mention finder of this gazetteer (built on first use)."""
        return MentionFinder(self.nlp, self.gazetteer)

    def parse(self, text: str) -> Doc:
        """An article's text parsed as extraction parses it (a long one in pieces)."""
        return parse_long(self.nlp, for_parser(text))

    def publisher_actor(self, article: Article) -> Actor | None:
        """The actor an official statement's "we" speaks for, from the front matter's `source`."""
        if not article.source:
            return None
        for m in self.mentions(self.nlp.make_doc(for_parser(article.source)), article.date):
            if m.entity.type in {"Organisation", "Mission"}:
                return Actor(m.entity)
            iso = m.entity.id if m.entity.type == "State" else m.entity.country
            state = self.gazetteer.state(iso) if iso else None
            if state is not None:
                return Actor(state)
        return None


@functools.cache
def _default() -> Extractor:
    return Extractor(load_nlp(), load_gazetteer(), load_rules(), load_lexicon())


def extract_doc(article: Article, doc: Doc, extractor: Extractor) -> Extraction:
    """Extract mentions and events from an already parsed article."""
    mentions = extractor.mentions(doc, article.date)
    resolver = ActorResolver(doc, mentions, extractor.gazetteer, extractor.lexicon,
                             publisher=extractor.publisher_actor(article), day=article.date)
    events = EventExtractor(article, doc, resolver, extractor.rules, extractor.lexicon)
    return Extraction(article, tuple(events.events()), tuple(mentions))


def extract_articles(articles: Iterable[Article], batch_size: int = 16, workers: int = 1,
                     extractor: Extractor | None = None) -> Iterator[Extraction]:
    """Parse articles in batches with spaCy and extract each, in input order (with `workers`
    > 1, in that many processes: see `process_articles`)."""
    return process_articles(articles, _as_is, batch_size, workers, extractor)


def process_articles(articles: Iterable[Article], stage: Callable[[Extraction], T],
                     batch_size: int = 16, workers: int = 1,
                     extractor: Extractor | None = None) -> Iterator[T]:
    """Parse articles in batches with spaCy, extract each and pass it through `stage`, in input
    order.

    With `workers` > 1, parsing, extraction and `stage` run in that many processes (each loads
    the model once and has its own copy of `stage`, which may keep what it learns from one
    article for the next); results still come back in input order, to be written from one
    place. What `stage` returns is what crosses back between processes: the less it holds, the
    less the receiving process spends unpickling it. `extractor` defaults to the packaged data,
    which each worker then loads itself; one given is inherited by forked workers (pickled to
    spawned ones).
    """
    if workers > 1:
        yield from _in_workers(articles, stage, batch_size, workers, extractor)
        return
    ex = extractor or Extractor.default()
    for doc, article in _parsed(ex, articles, batch_size):
        yield stage(extract_doc(article, doc, ex))


def _parsed(ex: Extractor, articles: Iterable[Article], batch_size: int
            ) -> Iterator[tuple[Doc, Article]]:
    """(doc, article) in input order: short articles parsed in batches, a long one in pieces
    (kg.nlp.pipeline.parse_long) between them."""
    short: list[Article] = []

    def flush() -> Iterator[tuple[Doc, Article]]:
        pairs = ((for_parser(a.text), a) for a in short)
        yield from ex.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)
        short.clear()

    for article in articles:
        if len(article.text) <= PIECE_CHARS:
            short.append(article)
            if len(short) >= batch_size:
                yield from flush()
            continue
        yield from flush()
        yield ex.parse(article.text), article
    yield from flush()


def _in_workers(articles: Iterable[Article], stage: Callable[[Extraction], T], batch_size: int,
                workers: int, extractor: Extractor | None) -> Iterator[T]:
    """`process_articles` in `workers` processes, each parsing a batch at a time (nlp.pipe), a
    few batches ahead of the one whose results are yielded.

    Raises:
        KGError: a worker died (killed, or out of memory); the results yielded before it are
            whole, and the run can be started again.
    """
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    pending: collections.deque[Future[list[T]]] = collections.deque()
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                             initargs=(stage, extractor)) as pool:
        try:
            for batch in _tasks(articles, batch_size, workers):
                pending.append(pool.submit(_worker_batch, batch))
                if len(pending) > 2 * workers:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except BrokenProcessPool:
            for future in pending:
                future.cancel()
            raise KGError("a --workers process died (killed, or out of memory); the articles "
                          "before it are stored: run the same command again to complete it, "
                          "with fewer workers if memory is short") from None


def _as_is(extraction: Extraction) -> Extraction:
    return extraction


def _tasks(articles: Iterable[Article], size: int, workers: int) -> Iterator[list[Article]]:
    """Batches of `size` articles for the workers, the last stretch cut finer so they finish
    together.

    A worker takes the next batch when it is free, so the run ends when the worker with the
    last batch ends: with whole batches the others wait up to a batch's parse for it (a second
    and a half for 16 articles here). The articles left when the input ends, up to one batch
    per worker more than a batch, go out in batches of a quarter the size instead.
    """
    ahead: collections.deque[Article] = collections.deque()
    for article in articles:
        ahead.append(article)
        if len(ahead) == size * (workers + 1):
            yield [ahead.popleft() for _ in range(size)]
    small = max(1, size // 4)
    while ahead:
        yield [ahead.popleft() for _ in range(min(small, len(ahead)))]


_stage: Callable[[Extraction], Any] = _as_is  # a worker process's stage ...
_extractor: Extractor | None = None  # ... and extractor


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the process that started it dies (killed with -9, a
    worker would otherwise wait for work for ever); elsewhere nothing is done."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start_worker(stage: Callable[[Extraction], Any], extractor: Extractor | None) -> None:
    _die_with_parent()
    global _stage, _extractor
    _stage, _extractor = stage, extractor or Extractor.default()


def _worker_batch(batch: list[Article]) -> list[Any]:
    return list(process_articles(batch, _stage, batch_size=len(batch), extractor=_extractor))


def extract_article(article: Article, extractor: Extractor | None = None) -> Extraction:
    """Parse and extract one article (with the packaged data unless `extractor` is given)."""
    ex = extractor or Extractor.default()
    return extract_doc(article, ex.parse(article.text), ex)
