"""Events told by several articles become one canonical event with every mention as evidence."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from kg import api
from kg.rdf.store import open_store

ARTICLES = {
    "a.md": "---\ntitle: A\nurl: https://example.org/a\ndate: 2024-05-20\n---\n"
            "Chad withdrew its troops from Sudan on Monday.\n",
    "b.md": "---\ntitle: B\nurl: https://example.org/b\ndate: 2024-05-22\n---\n"
            "The withdrawal of Chadian soldiers from Sudan was completed this week.\n",
    "c.md": "---\ntitle: C\nurl: https://example.org/c\ndate: 2024-05-23\n---\n"
            "Egypt withdrew its advisers from Libya.\n",
}


def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def rows(store_path: Path) -> list[dict[str, str]]:
    with open_store(str(store_path), must_exist=True) as store:
        data = api.export(store, "events-csv", None) or b""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_the_same_withdrawal_in_two_articles_is_one_event(tmp_path: Path) -> None:
    store = tmp_path / "store"
    api.ingest([str(corpus(tmp_path))], str(store))
    chad = [r for r in rows(store) if r["event_type"] == "RETREAT" and r["source_country"] == "TCD"]
    assert {r["article"] for r in chad} == {"https://example.org/a", "https://example.org/b"}
    assert all(r["mentions"] == "2" and r["sources"] == "2" for r in chad)
    assert all(r["first_reported"] == "2024-05-20" and r["last_reported"] == "2024-05-22"
               for r in chad)
    egypt = [r for r in rows(store) if r["source_country"] == "EGY"]
    assert egypt and all(r["sources"] == "1" for r in egypt)


def test_reingesting_does_not_change_counts(tmp_path: Path) -> None:
    store = tmp_path / "store"
    folder = corpus(tmp_path)
    api.ingest([str(folder)], str(store))
    first = sorted((r["event_id"], r["mentions"], r["sources"]) for r in rows(store))
    api.ingest([str(folder)], str(store))
    assert sorted((r["event_id"], r["mentions"], r["sources"]) for r in rows(store)) == first
