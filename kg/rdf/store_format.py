"""The layout version of kg's data in a store: recorded on write, checked on open, upgraded in
place by `kg upgrade`.

A store records kg.rdf.build.FORMAT_VERSION as `kgr:store kg:formatVersion N` in the entities
graph. A store with events but no record was written before records began (format 1). Opening a
store of an older format is an error naming `kg upgrade`, because queries written for the new
layout would silently miss its events; upgrading runs kg/data/queries/upgrade/to-N.ru for each
newer format, one SPARQL Update each, on the embedded store or a server alike.
"""

from __future__ import annotations

from typing import Any

from kg.errors import StoreError
from kg.rdf.build import ENTITIES_GRAPH, FORMAT_VERSION, STORE_NODE
from kg.rdf.queries import packaged_query

_RECORDED = f"SELECT ?v WHERE {{ <{STORE_NODE}> kg:formatVersion ?v }}"
_HAS_EVENTS = "ASK { ?e kg:eventType ?type }"


def stored_format(store: Any) -> int | None:
    """The store's format: the recorded version, 1 for events without a record, None for a
    store with no events and no record (new or empty: any kg may write it)."""
    versions = [int(str(row[0])) for row in store.query(_RECORDED)]
    if versions:
        return max(versions)
    return 1 if store.query(_HAS_EVENTS).askAnswer else None


def check_format(store: Any) -> None:
    """Raise StoreError if the store was written in a format this kg does not read."""
    found = stored_format(store)
    if found is None or found == FORMAT_VERSION:
        return
    if found < FORMAT_VERSION:
        raise StoreError(f"{store.path}: the store was written by an older kg (store format "
                         f"{found}; this kg reads format {FORMAT_VERSION}): run `kg upgrade "
                         f"--store {store.path}` once to bring it up to date")
    raise StoreError(f"{store.path}: the store was written by a newer kg (store format {found};"
                     f" this kg reads format {FORMAT_VERSION}): upgrade kg to read it")


def upgrade(store: Any, force: bool = False) -> tuple[int | None, int]:
    """Bring the store's data up to FORMAT_VERSION; returns (format before, format after).

    `force` runs every upgrade step even when the record says the store is current (after
    loading an older dump into a current store: the steps leave current data alone).

    Raises:
        StoreError: the store is of a newer format than this kg.
    """
    found = stored_format(store)
    if found is not None and found > FORMAT_VERSION:
        check_format(store)
    start = 1 if force else (found or FORMAT_VERSION)
    for version in range(start + 1, FORMAT_VERSION + 1):
        store.update(packaged_query(f"upgrade/to-{version}.ru"))
    if found != FORMAT_VERSION:
        store.update(f"DELETE WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ <{STORE_NODE}> "
                     f"kg:formatVersion ?v }} }} ; INSERT DATA {{ GRAPH <{ENTITIES_GRAPH}> {{ "
                     f"<{STORE_NODE}> kg:formatVersion {FORMAT_VERSION} }} }}")
    return found, FORMAT_VERSION
