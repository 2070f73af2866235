"""The extraction pipeline for one article: parse -> mentions -> actors -> events."""

from __future__ import annotations

import collections
import multiprocessing
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from spacy.tokens import Doc

from kg.extract.actors import ActorResolver
from kg.extract.events import EventExtractor
from kg.extract.rules import load_lexicon, load_rules
from kg.link.gazetteer import load_gazetteer
from kg.link.mentions import find_mentions
from kg.nlp.pipeline import for_parser, load_nlp
from kg.records import Actor, Article, Extraction

T = TypeVar("T")


def publisher_actor(article: Article) -> Actor | None:
    """The actor an official statement's "we" speaks for, from the front matter's `source`."""
    if not article.source:
        return None
    nlp, gaz = load_nlp(), load_gazetteer()
    for m in find_mentions(nlp.make_doc(for_parser(article.source)), nlp, article.date):
        if m.entity.type in {"Organisation", "Mission"}:
            return Actor(m.entity)
        iso = m.entity.id if m.entity.type == "State" else m.entity.country
        state = gaz.state(iso) if iso else None
        if state is not None:
            return Actor(state)
    return None


def extract_doc(article: Article, doc: Doc) -> Extraction:
    """Extract mentions and events from an already parsed article."""
    nlp = load_nlp()
    mentions = find_mentions(doc, nlp, article.date)
    resolver = ActorResolver(doc, mentions, load_gazetteer(), load_lexicon(),
                             publisher=publisher_actor(article))
    extractor = EventExtractor(article, doc, resolver, load_rules(), load_lexicon())
    return Extraction(article, tuple(extractor.events()), tuple(mentions))


def extract_articles(articles: Iterable[Article], batch_size: int = 16, workers: int = 1
                     ) -> Iterator[Extraction]:
    """Parse articles in batches with spaCy and extract each, in input order (with `workers`
    > 1, in that many processes: see `process_articles`)."""
    return process_articles(articles, _as_is, batch_size, workers)


def process_articles(articles: Iterable[Article], stage: Callable[[Extraction], T],
                     batch_size: int = 16, workers: int = 1) -> Iterator[T]:
    """Parse articles in batches with spaCy, extract each and pass it through `stage`, in input
    order.

    With `workers` > 1, parsing, extraction and `stage` run in that many processes (each loads
    the model once and has its own copy of `stage`, which may keep what it learns from one
    article for the next); results still come back in input order, to be written from one
    place. What `stage` returns is what crosses back between processes: the less it holds, the
    less the receiving process spends unpickling it.
    """
    if workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with context.Pool(workers, initializer=_start_worker, initargs=(stage,)) as pool:
            # each worker parses a batch at a time (nlp.pipe), as one process does
            for batch in pool.imap(_worker_batch, _tasks(articles, batch_size, workers)):
                yield from batch
        return
    nlp = load_nlp()
    pairs = ((for_parser(a.text), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield stage(extract_doc(article, doc))


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


_stage: Callable[[Extraction], Any] = _as_is  # a worker process's stage


def _start_worker(stage: Callable[[Extraction], Any]) -> None:
    global _stage
    load_nlp()
    _stage = stage


def _worker_batch(batch: list[Article]) -> list[Any]:
    return list(process_articles(batch, _stage, batch_size=len(batch)))


def extract_article(article: Article) -> Extraction:
    """Parse and extract one article."""
    return extract_doc(article, load_nlp()(for_parser(article.text)))
