"""RDF dumps (N-Quads, TriG) going into the embedded store: what a plain scan tells about a file,
and Oxigraph's bulk loader run on several parts of an N-Quads file at once.

Oxigraph's bulk loader parses on one thread. N-Quads is one statement per line, so a file can be
cut at line ends into parts that load side by side, one thread each (pyoxigraph releases the
interpreter while it loads): on two cores, a million quads load in about half the time
(bench/store_scale.py). Blank-node labels are scoped to the document Oxigraph parses, so a file
with blank nodes is loaded whole: cut, the same label in two parts would become two nodes.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError
from kg.rdf.vocab import term

PART_BYTES = 16 << 20  # no part smaller than this: threads are not worth it for small files
_CHUNK = 1 << 20
# the store-format record's property, as any RDF syntax spells it (full IRI or kg: prefix)
_RECORD = str(term("formatVersion")).rsplit("#", 1)[-1].encode()
# the version it records: `formatVersion> "3"^^<...>` (N-Quads) or `kg:formatVersion 3` (TriG)
_VERSION = re.compile(rb"formatVersion>?\s+\"?(\d{1,6})(?=[\"\s;.,])")


@dataclass(frozen=True)
class DumpScan:
    """What one pass over a dump's bytes finds."""

    records_format: bool  # it holds kg's store-format record (kg.rdf.store_format)
    blank_nodes: bool  # it may hold blank nodes ("_:" anywhere, literals included)
    format_version: int | None = None  # the highest store format it records


def scan(path: Path) -> DumpScan:
    """Scan a dump's bytes (much faster than parsing them).

    Raises:
        InputError: the file cannot be read.
    """
    found = {_RECORD: False, b"_:": False}
    versions: list[int] = []
    tail = b""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                window = tail + chunk
                for needle, seen in found.items():
                    found[needle] = seen or needle in window
                versions += [int(v) for v in _VERSION.findall(window)]
                tail = chunk[-160:]
    except OSError as exc:
        raise InputError(str(path), str(exc.strerror or exc)) from None
    return DumpScan(found[_RECORD], found[b"_:"], max(versions) if versions else None)


class _Range(io.RawIOBase):
    """The bytes of a file from `start` to `end`, as a stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        size = min(len(buffer), self._left)
        if size <= 0:
            return 0
        data = self._file.read(size)
        buffer[:len(data)] = data
        self._left -= len(data)
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def line_parts(path: Path, parts: int) -> list[tuple[int, int]]:
    """(start, end) byte offsets cutting the file into about `parts` parts at line ends."""
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as handle:
        for i in range(1, parts):
            handle.seek(max(size * i // parts, cuts[-1]))
            handle.readline()  # to the end of the line the cut fell in
            cuts.append(min(handle.tell(), size))
    cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def _lines_before(path: Path, offset: int) -> int:
    count, done = 0, 0
    with path.open("rb") as handle:
        while done < offset and (chunk := handle.read(min(_CHUNK, offset - done))):
            count += chunk.count(b"\n")
            done += len(chunk)
    return count


def parallel_bulk_load(store: ox.Store, path: Path, parts: int | None = None) -> None:
    """Bulk-load an N-Quads file without blank nodes, its parts side by side.

    Raises:
        SyntaxError: from the first part (in file order) that fails, with its line number in
            the whole file.
        OSError: a read or write failed.
    """
    if parts is None:
        parts = max(1, min(os.cpu_count() or 1, path.stat().st_size // PART_BYTES))
    ranges = line_parts(path, parts)
    failures: dict[int, BaseException] = {}

    def load(index: int, start: int, end: int) -> None:
        try:
            with io.BufferedReader(_Range(path, start, end), _CHUNK) as stream:
                store.bulk_load(stream, format=ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            # without its traceback, whose frames would keep the store open after the error
            failures[index] = exc.with_traceback(None)

    threads = [threading.Thread(target=load, args=(i, a, b)) for i, (a, b) in enumerate(ranges)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        index = min(failures)
        exc = failures[index]
        failures.clear()
        if isinstance(exc, SyntaxError) and exc.lineno:
            exc.lineno += _lines_before(path, ranges[index][0])
        try:
            raise exc
        finally:  # no cycle between this frame and the traceback: the store must close
            del exc, threads, load
