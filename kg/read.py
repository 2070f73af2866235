"""Article readers: .txt/.md with optional YAML front matter, .jsonl (one article a line), .html.

Every reader yields `Article` records, or an `InputError` for an article that cannot be read, so a
batch can report a bad article and go on. Text is decoded as UTF-8; the only normalisation is
dropping a byte-order mark and turning "\\r\\n" into "\\n", so all offsets refer to that text.
An article's id is its front-matter url, else a hash of its text (kg.identity), never its path.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, TextIO

import yaml

from kg.errors import InputError
from kg.identity import text_id
from kg.records import Article

READERS = (".txt", ".md", ".markdown", ".jsonl", ".html", ".htm")  # in the order messages name them
EXTENSIONS = frozenset(READERS)
READS = f"{', '.join(READERS)} files"
FIELDS = ("title", "url", "date", "source", "author")
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL | re.MULTILINE
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?=$|[T ])")
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%B %d %Y")
_SNIFF = 8192  # bytes looked at for NUL to tell binary from text
_BINARY = f"binary file, not text (kg reads UTF-8 text in {READS})"


def read_articles(
    paths: Iterable[str], date: _dt.date | None = None, stdin: TextIO | None = None
) -> Iterator[Article | InputError]:
    """Read every article under `paths`.

    Args:
        paths: files, directories (walked recursively in sorted order, keeping only files with an
            article extension and skipping hidden ones), or "-" for one .md/.txt article on stdin.
            A file named with another extension is refused (an InputError naming what kg reads).
        date: publication date for articles that state none (an article's own date wins).
        stdin: stream read for "-" (default `sys.stdin`).

    Yields:
        One `Article` per article, or an `InputError` naming the file (and line) of a bad one.

    Raises:
        InputError: a path does not exist (raised when the iteration reaches it).
    """
    for path in paths:
        yield from read_path(path, date, stdin)


def read_path(
    path: str, date: _dt.date | None = None, stdin: TextIO | None = None
) -> Iterator[Article | InputError]:
    """Read one path argument of `read_articles` (a file, a directory or "-")."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        try:
            raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
            yield _from_text(path, _decode(path, raw), date)
        except InputError as error:
            yield error
        return
    if not os.path.exists(path):
        raise InputError(path, "no such file or directory")
    files = _walk(path) if os.path.isdir(path) else [path]
    for file in files:
        yield from read_file(file, date)


def read_file(path: str, date: _dt.date | None = None) -> Iterator[Article | InputError]:
    """Read one file, choosing the reader by extension; a file of any other extension (a .pdf,
    a .gold file) is refused, naming the extensions kg reads."""
    ext = os.path.splitext(path)[1].lower()
    if ext not in EXTENSIONS:
        yield InputError(path, f"kg reads {READS}, not {ext or 'files without an extension'}")
        return
    try:
        with open(path, "rb") as handle:
            text = _decode(path, handle.read())
        if ext == ".jsonl":
            yield from _from_jsonl(path, text, date)
        elif ext in (".html", ".htm"):
            yield _from_html(path, text, date)
        else:
            yield _from_text(path, text, date)
    except OSError as error:
        yield InputError(path, f"cannot read file: {error.strerror}")
    except InputError as error:
        yield error


_UNKNOWN_DATES = {"unknown", "n.d.", "nd", "none", "null", "undated", "-", "?"}


def parse_date(value: Any) -> _dt.date | None:
    """Turn a date, datetime or string ("2024-03-16", "2024-03-16T10:00Z", "March 16, 2024")
    into a date; None, "" and explicit unknowns ("unknown", "n.d.") give None.
    Raises ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lower() in _UNKNOWN_DATES:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            return _dt.date.fromisoformat(text[:10])
        for fmt in _DATE_FORMATS:
            try:
                return _dt.datetime.strptime(text, fmt).date()
            except ValueError:
                pass
    raise ValueError(f"bad date {value!r}")


def count_articles(paths: Iterable[str]) -> int:
    """About how many articles `read_articles(paths)` will yield (a JSONL file's non-blank
    lines, every article file under a folder, one for anything else), for a progress bar;
    reading nothing but JSONL files and folder listings."""
    total = 0
    for path in paths:
        files = _walk(path) if path != "-" and os.path.isdir(path) else [path]
        for file in files:
            if file.lower().endswith(".jsonl") and os.path.isfile(file):
                try:
                    with open(file, "rb") as handle:
                        total += sum(1 for line in handle if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def _walk(root: str) -> list[str]:
    """Article files under `root`, joined onto `root` as given, sorted by path components."""
    found = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [
            os.path.join(folder, name)
            for name in names
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in EXTENSIONS
        ]
    return sorted(found, key=lambda p: os.path.relpath(p, root).split(os.sep))


def _decode(path: str, raw: bytes | str) -> str:
    """UTF-8 text without BOM and with "\\n" line ends; InputError if binary or not UTF-8."""
    if isinstance(raw, bytes):
        if b"\0" in raw[:_SNIFF]:
            raise InputError(path, _BINARY)
        try:
            return _normalise(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            raise InputError(
                path, f"not UTF-8 text (invalid byte at offset {error.start})", line
            ) from None
    if "\0" in raw[:_SNIFF]:
        raise InputError(path, _BINARY)
    return _normalise(raw)


def _normalise(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _from_text(path: str, text: str, date: _dt.date | None) -> Article:
    """An article from .md/.txt text, with optional YAML front matter between `---` lines."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        if re.match(r"---[ \t]*(\n|\Z)", text):
            raise InputError(path, "front matter opened on line 1 is never closed", 1)
        fields: Mapping[Any, Any] = {}
        body, date_line = text, None
    else:
        body = text[match.end() :]
        fields, date_line = _load_front_matter(path, match.group(1))
    if not body.strip():
        raise InputError(path, "empty article")
    try:
        found = parse_date(fields.get("date"))
    except ValueError:
        raise InputError(path, f"bad date {fields['date']!r} in front matter", date_line) from None
    return _article(path, body, fields, found or date)


MAX_FRONT_MATTER = 65_536  # characters: front matter is a few fields, not a document


class FrontMatterLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases (a kilobyte of nested aliases, "billion laughs",
    expands without bound) and without its own timestamps (kg reads dates itself, so an
    impossible date such as 2024-02-30 is reported as a bad date, not a crash)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {
        first: [(tag, regexp) for tag, regexp in resolvers
                if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not read in front matter", event.start_mark)
        return super().compose_node(parent, index)


def _load_front_matter(path: str, source: str) -> tuple[Mapping[Any, Any], int | None]:
    """The front-matter mapping and the file line of its `date` key (YAML starts on line 2)."""
    if len(source) > MAX_FRONT_MATTER:
        raise InputError(path, f"front matter longer than {MAX_FRONT_MATTER:,} characters", 1)
    loader = FrontMatterLoader(source)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        line = mark.line + 2 if mark is not None else 1
        raise InputError(path, f"invalid YAML front matter: {reason}", line) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise InputError(path, "front matter is not a mapping of keys to values", 1)
    keys = node.value if node is not None else []
    date_line = next((key.start_mark.line + 2 for key, _ in keys if key.value == "date"), None)
    return data, date_line


def _from_jsonl(path: str, text: str, date: _dt.date | None) -> Iterator[Article | InputError]:
    """One article per non-blank line: a JSON object with "text" and optional fields."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputError(path, f"invalid JSON: {error.msg}", number)
            continue
        except RecursionError:
            yield InputError(path, "JSON nested too deeply", number)
            continue
        try:
            json.dumps(fields, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            yield InputError(path, f"a \\u escape gives a lone surrogate "
                                   f"(U+{ord(error.object[error.start]):04X}), which is not text",
                             number)
            continue
        except RecursionError:
            yield InputError(path, "JSON nested too deeply", number)
            continue
        if not isinstance(fields, dict):
            yield InputError(path, "JSON line is not an object", number)
            continue
        body = fields.get("text")
        if not isinstance(body, str) or not body.strip():
            yield InputError(path, 'missing or empty "text"', number)
            continue
        try:
            found = parse_date(fields.get("date"))
        except ValueError:
            yield InputError(path, f"bad date {fields['date']!r}", number)
            continue
        rest = {k: v for k, v in fields.items() if k != "text"}
        yield _article(f"{path}:{number}", _normalise(body), rest, found or date)


def _from_html(path: str, html: str, date: _dt.date | None) -> Article:
    """The main text of an HTML page (trafilatura), with whatever metadata it finds."""
    import trafilatura  # imported here: it is slow to load and only HTML input needs it

    body = trafilatura.extract(html, include_comments=False, with_metadata=False)
    if not body or not body.strip():
        raise InputError(path, "no article text found in HTML")
    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:  # noqa: BLE001 - metadata is optional; its failure must not lose the text
        meta = None
    fields = {
        "title": getattr(meta, "title", None),
        "url": getattr(meta, "url", None),
        "source": getattr(meta, "sitename", None),
        "author": getattr(meta, "author", None),
    }
    try:
        found = parse_date(getattr(meta, "date", None))
    except ValueError:
        found = None
    return _article(path, _normalise(body), fields, found or date)


def _article(path: str, text: str, fields: Mapping[Any, Any], date: _dt.date | None) -> Article:
    """Build an Article: known fields as attributes, the others as sorted meta pairs."""
    url = _as_str(fields.get("url")) or None
    meta = sorted((str(k), _as_str(v)) for k, v in fields.items() if k not in FIELDS)
    return Article(
        id=url or text_id(text),
        path=path,
        text=text,
        title=_as_str(fields.get("title")) or None,
        url=url,
        date=date,
        source=_as_str(fields.get("source")) or None,
        author=_as_str(fields.get("author")) or None,
        meta=tuple(meta),
    )


def _as_str(value: Any) -> str:
    """A field value as text: lists joined with ", ", None as ""."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_as_str(v) for v in value)
    return str(value)
