"""A remote store: any SPARQL 1.1 server, through the Query, Update and Graph Store protocols.

`--store http://host:port` assumes Oxigraph's layout (`/query`, `/update`, `/store`); a YAML file
(`--store fuseki.yaml`) names the endpoints of other servers:

    query: http://localhost:3030/ds/query
    update: http://localhost:3030/ds/update
    store: http://localhost:3030/ds/data
    union_default_graph: false   # true if the server already queries the union of all graphs

Credentials, if the server wants them, come from $KG_STORE_USER and $KG_STORE_PASSWORD and are
never printed. Each article is written with one Graph Store PUT, which the server applies as a
unit: a server that is down or refuses leaves no partial article. `kg merge` and `kg split` are one
SPARQL Update request each (kg.rdf.corrections); `kg export` reads a SELECT's results as they
arrive (`solutions`), never the whole answer at once.
"""

from __future__ import annotations

import base64
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import yaml
from oxrdflib._converter import from_ox
from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.build import ENTITIES_GRAPH, ArticleText
from kg.rdf.vocab import PREFIXES

TIMEOUT = 60.0


@dataclass(frozen=True)
class Endpoints:
    """Where a SPARQL server answers queries, updates and graph-store requests."""

    query: str
    update: str
    store: str
    union_default_graph: bool = False  # the server itself queries the union of all graphs

    @classmethod
    def for_oxigraph(cls, base: str) -> Endpoints:
        base = base.rstrip("/")
        return cls(f"{base}/query", f"{base}/update", f"{base}/store")

    @classmethod
    def from_file(cls, path: str) -> Endpoints:
        """Read endpoints from a YAML file; StoreError naming the file on any problem."""
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise StoreError(f"{path}: cannot read store configuration: {exc}") from None
        keys = {"query", "update", "store", "union_default_graph"}
        if not isinstance(data, dict) or not {"query", "update", "store"} <= set(data) \
                or set(data) - keys:
            raise StoreError(f"{path}: a store configuration needs the keys query, update and "
                             f"store (and optionally union_default_graph)")
        return cls(str(data["query"]), str(data["update"]), str(data["store"]),
                   bool(data.get("union_default_graph", False)))


def is_remote(location: str) -> bool:
    """Whether a --store value names a server (a URL or a configuration file)."""
    return location.startswith(("http://", "https://")) or location.endswith((".yaml", ".yml"))


class RemoteStore:
    """A store on a SPARQL 1.1 server (same interface as kg.rdf.store.Store)."""

    def __init__(self, location: str) -> None:
        self.path = location
        self.endpoints = Endpoints.from_file(location) if location.endswith((".yaml", ".yml")) \
            else Endpoints.for_oxigraph(location)
        user, password = os.environ.get("KG_STORE_USER"), os.environ.get("KG_STORE_PASSWORD")
        self._auth = ("Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
                      if user and password is not None else None)
        self.ask("ASK { ?s ?p ?o }")  # fail now, clearly, if the server is not there

    @property
    def oxigraph(self) -> Any:
        raise StoreError(f"{self.path}: this operation needs the embedded store (a directory)")

    # -- HTTP -------------------------------------------------------------------------------
    @contextmanager
    def _open(self, url: str, data: bytes | None, headers: dict[str, str],
              method: str = "POST") -> Iterator[Any]:
        """The server's response, open for reading; StoreError if it refuses or cannot be
        reached, also while the body is being read."""
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        if self._auth:
            request.add_header("Authorization", self._auth)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                yield response
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{self.path}: the server refused the request: HTTP {exc.code} "
                             f"{detail[0][:200] if detail else exc.reason}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"{self.path}: cannot reach the SPARQL server ({reason})") from None

    def _request(self, url: str, data: bytes | None, headers: dict[str, str],
                 method: str = "POST") -> bytes:
        with self._open(url, data, headers, method) as response:
            return response.read()  # type: ignore[no-any-return]

    def _query_url(self) -> str:
        url = self.endpoints.query
        if self.endpoints.union_default_graph:
            return url
        # Oxigraph (and others) take this parameter to query the union of all article graphs.
        return url + ("&" if "?" in url else "?") + "union-default-graph"

    @staticmethod
    def _with_prefixes(text: str) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + text

    def _post_query(self, text: str, accept: str) -> bytes:
        body = urllib.parse.urlencode({"query": self._with_prefixes(text)}).encode()
        return self._request(self._query_url(), body, {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept})

    # -- the Store interface ----------------------------------------------------------------
    def query(self, text: str) -> Result:
        """Run a SELECT, ASK or CONSTRUCT query (parameters come bound by
        kg.rdf.queries.with_values, as on the embedded store)."""
        head = text.lstrip().upper()
        if "CONSTRUCT" in head.split("WHERE")[0] or head.startswith("DESCRIBE"):
            graph = Graph()
            graph.parse(data=self._post_query(text, "application/n-triples").decode(),
                        format="nt")
            result = Result("CONSTRUCT")
            result.graph = graph
            return result
        raw = self._post_query(text, "application/sparql-results+json")
        return Result.parse(io.BytesIO(raw), format="json")

    def solutions(self, text: str) -> Iterator[ox.QuerySolution]:
        """The rows of a SELECT query (no bindings), parsed as the server sends them: the result
        is never held whole, so exports stay flat in memory however big the store."""
        body = urllib.parse.urlencode({"query": self._with_prefixes(text)}).encode()
        with self._open(self._query_url(), body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json"}) as response:
            try:
                rows = ox.parse_query_results(response, ox.QueryResultsFormat.JSON)
                if not isinstance(rows, ox.QuerySolutions):
                    raise StoreError(f"{self.path}: the server answered a SELECT with a boolean")
                yield from rows
            except SyntaxError as exc:
                raise StoreError(f"{self.path}: the server sent unreadable results: "
                                 f"{exc}") from None

    def ask(self, text: str) -> bool:
        data = json.loads(self._post_query(text, "application/sparql-results+json"))
        return bool(data.get("boolean"))

    def update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": self._with_prefixes(text)}).encode()
        self._request(self.endpoints.update, body,
                      {"Content-Type": "application/x-www-form-urlencoded"})

    def _graph_url(self, name: URIRef) -> str:
        return f"{self.endpoints.store}?{urllib.parse.urlencode({'graph': str(name)})}"

    def write_articles(self, articles: list[ArticleText]) -> None:
        """Per article, PUT its graph (replacing it as a unit), then POST its shared
        descriptions: a server that fails mid-way leaves no article half written."""
        headers = {"Content-Type": "application/n-triples"}
        for rdf in articles:
            self._request(self._graph_url(URIRef(rdf.graph)), rdf.ntriples().encode(), headers,
                          "PUT")
            if rdf.shared:
                self._request(self._graph_url(ENTITIES_GRAPH),
                              rdf.ntriples(shared=True).encode(), headers, "POST")

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        """Every quad of every graph, read as the server sends them (never held whole)."""
        for row in self.solutions("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            s, p, o, g = (cast(Node, from_ox(term)) for term in row)
            yield s, p, o, g

    def __len__(self) -> int:
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(str(rows[0][0])) if rows else 0  # type: ignore[index]

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

