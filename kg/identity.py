"""Article identity: when two readings are one article, and when a stored article changed.

An article is its front-matter url, else its text: `text_id` hashes the text normalised (Unicode
NFC, each run of whitespace one space, the ends stripped), so a copy under another name, in
another folder or on standard input is the same article, and two texts on standard input are
two. The front matter is not part of a text id: the same body with another title or date is the
same article. Where the same article is read twice, the first reading is kept (`Readings`).

Whether reading a stored article again would change its graph is told by `content_hash` (its
text exactly as read, and its front matter: what the graph is built from) and `fingerprint` (the
kg code, data and language model that extract it, and the analysts' merges applied to it);
kg.rdf.build stores both on the article.
"""

from __future__ import annotations

import functools
import hashlib
import json
import unicodedata
from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from kg.errors import InputError
from kg.records import Article

TEXT_ID_PREFIX = "sha256:"


def _hash(*parts: str | bytes) -> str:
    """16 hex digits of the SHA-256 of the parts (64 bits: no collision in any real corpus)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def normalised(text: str) -> str:
    """`text` as its id sees it: NFC, whitespace runs made one space, the ends stripped."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_id(text: str) -> str:
    """The id of an article without a url: "sha256:" and 16 hex digits of its normalised text."""
    return TEXT_ID_PREFIX + _hash(normalised(text))


def content_hash(article: Article) -> str:
    """A hash of what the article's graph is built from: its text as read and its front matter
    (not its path, which is only where it was read first)."""
    fields = [article.title, article.url, article.date and article.date.isoformat(),
              article.source, article.author, [list(pair) for pair in article.meta]]
    return _hash(article.text, json.dumps(fields))


def fingerprint(merges: Mapping[Any, Any] | None = None) -> str:
    """A hash of what makes an article's graph besides the article: the files of the kg package
    (code and data), the spaCy model's name and version, and the analysts' merges of entities
    (kg.rdf.corrections: entity -> the entity it was merged into) applied to it. A stored
    article of another fingerprint was made by another kg, or before a merge was withdrawn: its
    graph may change if it is read again."""
    return _hash(_package(), *sorted(f"{a} {b}" for a, b in (merges or {}).items()))


@functools.cache
def _package() -> str:
    from kg.nlp.pipeline import model_version  # spaCy is slow to import; only ingest needs this

    files = sorted(_package_files(resources.files("kg")))
    return _hash(*(part for name, data in files for part in (name, data)), model_version())


def _package_files(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    for entry in folder.iterdir():
        if entry.name == "__pycache__" or entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _package_files(entry, f"{prefix}{entry.name}/")
        elif not entry.name.endswith((".pyc", ".pyo")):
            yield f"{prefix}{entry.name}", entry.read_bytes()


class Readings:
    """The articles of one run: tells the first reading of an article from a later one (a copy,
    left out: the first read is kept), and refuses a url read again with other text."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str]] = {}  # id -> (path first read from, text id)

    def is_copy(self, article: Article) -> bool:
        """Whether `article` was read before in this run, with the same text.

        Raises:
            InputError: it has the url of an article read before with other text (naming both
                paths and the url; the first stays the article).
        """
        text = text_id(article.text) if article.url else article.id
        seen = self._seen.get(article.id)
        if seen is None:
            self._seen[article.id] = (article.path, text)
            return False
        if seen[1] != text:
            raise InputError(article.path, f"has the url {article.url} of {seen[0]}, with other "
                                           f"text; the article read from {seen[0]} is kept")
        return True
