"""Writing articles on a thread of its own while the next ones are read and parsed.

A store's write spends its time outside Python (pyoxigraph's bulk loader, a SPARQL server's
HTTP request), releasing the interpreter, so writing one batch overlaps parsing the next. At most
one batch waits to be written, so memory stays flat however many articles there are. Batches
are written in order, each as the store writes it (one atomic ingestion embedded, one request
per article on a server); the first failure stops the writing and is raised in the thread that
ingests, at its next batch or at the end.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Self

from kg.rdf.build import ArticleText

Batch = list[tuple[Any, ArticleText]]  # (what the caller keeps with each article, its RDF)


class WriteBehind:
    """Write batches to `store` in order on a worker thread; `written(batch)` runs on that
    thread after each batch is stored. Use as a context manager: leaving waits for the batches
    already handed over (and raises the writer's failure, unless another is on its way)."""

    def __init__(self, store: Any, written: Callable[[Batch], None]) -> None:
        self._store = store
        self._written = written
        self._queue: queue.Queue[Batch | None] = queue.Queue(maxsize=1)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._write, name="kg-writer", daemon=True)
        self._thread.start()

    def _write(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._failure is not None:
                continue  # drain: nothing after a failed batch is written
            try:
                self._store.write_articles([rdf for _, rdf in batch])
                self._written(batch)
            except BaseException as exc:  # noqa: BLE001 - raised again in the ingesting thread
                self._failure = exc

    def put(self, batch: Batch) -> None:
        """Hand over a batch to write (waiting while one is already waiting)."""
        self._raise_failure()
        self._queue.put(batch)

    def close(self) -> None:
        """Wait for every batch handed over to be written; raise the writer's failure."""
        self._stop()
        self._raise_failure()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:  # already failing: finish what was handed over; that error is the one to report
            self._stop()
