"""A SPARQL 1.1 store reached over HTTP, with the methods build, query, export and stats use on a LocalStore.

``--store`` takes the server's base URL; the endpoints follow from it::

    http://127.0.0.1:7879             Oxigraph server: /query, /update, /store (Graph Store Protocol)
    http://127.0.0.1:3030/ds          any URL with a path, Fuseki style: /ds/query, /ds/update, /ds/data

Other layouts name their endpoints in the URL's own query string (relative to
the server, or absolute)::

    http://localhost:7200/repositories/kg?query=/repositories/kg&update=/repositories/kg/statements&data=/repositories/kg/rdf-graphs/service

Each report is one named graph, written with a Graph Store Protocol ``PUT``
(atomic per graph on Oxigraph and Fuseki). A writer buffers its changes and
sends them only when the build succeeded, so a build that fails before that
changes nothing; there is no lock and no all-or-nothing switch across graphs
as with a local store, so run one build at a time against a remote store. When
sending stops part-way (the server stops or refuses a graph, the build is
interrupted), the error names the reports already replaced and those still as
they were; building again finishes the job (the replaced ones are unchanged
and skipped).

The default graph of our queries is the union of the named graphs. A remote
store decides that for itself, so ``union=`` (in the URL's query string) says
how to get it:

- ``union=dataset`` (default, any SPARQL 1.1 server): every query without its
  own ``FROM`` is sent with ``default-graph-uri`` and ``named-graph-uri`` set to
  every named graph of the store (the standard protocol's dataset parameters);
- ``union=oxigraph``: Oxigraph's ``union-default-graph`` request parameter;
- ``union=server``: the server already treats its default graph as the union
  (``oxigraph serve --union-default-graph``, Fuseki's ``tdb2:unionDefaultGraph``).

User name and password in the URL (``http://user:pw@host/ds``) are sent as HTTP
basic authentication and never shown.
"""

from __future__ import annotations

import base64
import hashlib
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyoxigraph as ox

from kg_build.errors import InputError, ReportNotFoundError, QueryError, QuerySyntaxError, RemoteRefusedError, RemoteUnreachableError, StoreError
from kg_build.model.vocab import ONTOLOGY_GRAPH, POL_NS
from kg_build.store.faults import _step
from kg_build.store.local import GenerationCheck
from kg_build.store.results import QueryResult, SelectResult, from_oxigraph, triples_result

UNION_MODES = ("dataset", "oxigraph", "server")
ENDPOINT_KEYS = ("query", "update", "data")
RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_FROM_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_][\w-]*:)", re.IGNORECASE)
_COMMENT = re.compile(r"(?m)^\s*#.*$")


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers queries, updates and Graph Store Protocol requests."""

    base: str
    query: str
    update: str
    data: str
    union: str
    auth: str | None = None


def parse_location(location: str) -> Endpoints:
    """The endpoints a ``--store http(s)://…`` URL names (see the module docstring)."""
    parts = urllib.parse.urlsplit(location)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{location}: not an http(s) URL; give the SPARQL server's base URL")
    options = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(options) - {*ENDPOINT_KEYS, "union"})
    if unknown:
        raise InputError(
            f"{location}: unknown option {', '.join(unknown)} in the store URL; use query=, update=, data= or union="
        )
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    server = f"{parts.scheme}://{netloc}"
    path = parts.path.rstrip("/")
    defaults = (
        {"query": "/query", "update": "/update", "data": "/store"}
        if not path
        else {"query": f"{path}/query", "update": f"{path}/update", "data": f"{path}/data"}
    )
    urls = {key: urllib.parse.urljoin(server + "/", (options.get(key) or [defaults[key]])[-1]) for key in ENDPOINT_KEYS}
    union = (options.get("union") or ["dataset"])[-1]
    if union not in UNION_MODES:
        raise InputError(f"{location}: union={union!r} is not one of {', '.join(UNION_MODES)}")
    auth = None
    if parts.username is not None:
        user = urllib.parse.unquote(parts.username)
        password = urllib.parse.unquote(parts.password or "")
        auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return Endpoints(base=server + path, union=union, auth=auth, **urls)


class RemoteStore:
    """A SPARQL 1.1 store over HTTP (query, update and Graph Store Protocol), one named graph per report."""

    def __init__(self, location: str, *, timeout: float = 120.0) -> None:
        self.endpoints = parse_location(location)
        self.root = self.endpoints.base  # what `kg-build build` and `stats` show as the store's location
        self.timeout = timeout

    @property
    def local_root(self) -> None:
        """No folder: a remote store's server runs its queries itself."""
        return None

    # HTTP

    def _request(
        self,
        url: str,
        *,
        method: str = "GET",
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        missing_ok: bool = False,
    ) -> tuple[str, bytes]:
        """Send one request; (content type, body) of a 2xx answer, else a one-line error."""
        headers = {"User-Agent": "policy-kg"}
        if content_type:
            headers["Content-Type"] = content_type
        if accept:
            headers["Accept"] = accept
        if self.endpoints.auth:
            headers["Authorization"] = self.endpoints.auth
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                return response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            if missing_ok and exc.code == 404:
                return "", b""
            detail = _one_line(exc.read().decode("utf-8", "replace"))[:300] or exc.reason
            if exc.code == 400 and url == self.endpoints.query:  # the SPARQL 1.1 Protocol's "malformed query"
                raise QuerySyntaxError(f"the SPARQL store at {self.root} found the query malformed: {detail}") from None
            if exc.code in (400, 406, 415):
                raise QueryError(f"the SPARQL store at {self.root} refused the request ({exc.code}): {detail}") from None
            raise RemoteRefusedError(
                f"the SPARQL store at {self.root} answered {exc.code} to {method} {_path(url)}: {detail}"
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteUnreachableError(
                f"cannot reach the SPARQL store at {self.root} ({_one_line(str(reason))}): "
                "is the server running? check --store",
                may_have_arrived=not isinstance(reason, (ConnectionRefusedError, socket.gaierror)),
            ) from None

    def _graph_url(self, graph: str) -> str:
        return f"{self.endpoints.data}?{urllib.parse.urlencode({'graph': graph})}"

    # reading

    def exists(self) -> bool:
        """Whether the store holds any named graph (raises StoreError when the server cannot be reached)."""
        return bool(self.named_graphs())

    def generation(self) -> str | None:
        """A digest of the named graphs and their content hashes (changes when a report does), or None if empty."""
        result = self.query(
            f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ }} OPTIONAL {{ GRAPH ?g {{ ?g <{POL_NS}contentHash> ?h }} }} }}",
            union_default=False,
        )
        assert isinstance(result, SelectResult)
        lines = sorted(f"{g} {h if h is not None else ''}" for g, h in result.rows)
        if not lines:
            return None
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]

    def generation_time(self) -> float | None:
        """Unknown: the server does not say when its graphs last changed."""
        return None

    def info(self) -> dict:
        """A remote store keeps no record of ours: ``{}`` (readers count what they need)."""
        return {}

    def verify_graphs(self) -> None:
        """Nothing to compare: a remote store has no record of its graphs (its server keeps its own files)."""

    def check(self) -> list[GenerationCheck]:
        raise StoreError("kg-build check reads a local store's generations; a remote SPARQL store keeps its own")

    def compact(self) -> dict:
        raise StoreError(f"{self.root} is a SPARQL endpoint: its server keeps its own files; compact a local store")

    def named_graphs(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union_default=False)
        assert isinstance(result, SelectResult)
        return sorted(str(row[0]) for row in result.rows)

    def query(self, sparql: str, *, union_default: bool = True) -> QueryResult:
        """Run a query on the store (the named graphs seen as the default graph unless union_default=False)."""
        form: list[tuple[str, str]] = [("query", sparql)]
        if union_default:
            form += self._union_parameters(sparql)
        content_type, body = self._request(
            self.endpoints.query,
            method="POST",
            body=urllib.parse.urlencode(form).encode("utf-8"),
            content_type="application/x-www-form-urlencoded",
            accept=RESULTS_ACCEPT,
        )
        return _parse_results(content_type, body)

    def query_serialized(self, sparql: str, media_type: str, *, union_default: bool = True) -> tuple[str, bytes]:
        """Run a query and return the server's answer as it sent it in ``media_type``: (its content type, bytes)."""
        form: list[tuple[str, str]] = [("query", sparql)]
        if union_default:
            form += self._union_parameters(sparql)
        return self._request(
            self.endpoints.query,
            method="POST",
            body=urllib.parse.urlencode(form).encode("utf-8"),
            content_type="application/x-www-form-urlencoded",
            accept=media_type,
        )

    def _union_parameters(self, sparql: str) -> list[tuple[str, str]]:
        mode = self.endpoints.union
        if mode == "server":
            return []
        if mode == "oxigraph":
            return [("union-default-graph", "")]
        if _FROM_CLAUSE.search(_COMMENT.sub("", sparql)):
            return []  # the query names its own dataset
        graphs = self.named_graphs()
        return [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]

    def graph_nquads(self, graph: str) -> bytes:
        """One named graph as N-Quads (Graph Store Protocol GET); StoreError when the store has no such graph."""
        content_type, body = self._request(self._graph_url(graph), accept="application/n-triples", missing_ok=True)
        if not content_type and not body:
            raise ReportNotFoundError(f"no graph {graph} in the store at {self.root}: see `kg-build stats` for the reports")
        fmt = _rdf_format(content_type) or ox.RdfFormat.N_TRIPLES
        name = ox.NamedNode(graph)
        try:
            quads = [ox.Quad(t.subject, t.predicate, t.object, name) for t in ox.parse(body, format=fmt)]
        except SyntaxError as exc:
            raise StoreError(f"the store at {self.root} sent unreadable RDF for {graph}: {_one_line(str(exc))}") from None
        return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph's triples as N-Triples (Graph Store Protocol GET); StoreError when there is no such graph."""
        quads = ox.parse(self.graph_nquads(graph), format=ox.RdfFormat.N_QUADS)
        return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)

    def dump(self, *, fmt: ox.RdfFormat, graph: str | None = None) -> bytes:
        """The store (or one graph) serialized in an RDF format."""
        graphs = [graph] if graph is not None else self.named_graphs()
        data = b"".join(self.graph_nquads(g) for g in graphs)
        quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return ox.serialize(quads, format=fmt)
        return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=fmt)

    def quad_count(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union_default=False)
        assert isinstance(result, SelectResult)
        return int(str(result.rows[0][0])) if result.rows and result.rows[0][0] is not None else 0

    # writing

    @contextmanager
    def writer(self) -> Iterator[RemoteWriter]:
        """Collect graph replacements; send them (one GSP request per graph) only when the block succeeds."""
        writer = RemoteWriter(self)
        yield writer
        writer.commit()


class RemoteWriter:
    """Replacements of whole named graphs, sent to the remote store on commit."""

    def __init__(self, store: RemoteStore) -> None:
        self.store = store
        self._pending: list[tuple[str, str, bytes, str]] = []  # (method, graph, body, content type)

    def graph_names(self) -> list[str]:
        """The store's named graphs as they will be after the pending changes."""
        names = set(self.store.named_graphs())
        for method, graph, _, _ in self._pending:
            (names.discard if method == "DELETE" else names.add)(graph)
        return sorted(names)

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Replace a named graph by the given N-Quads (whose graph is ``graph``)."""
        name = ox.NamedNode(graph)
        try:
            quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise StoreError(f"cannot write {graph}: invalid N-Quads ({_one_line(str(exc))})") from None
        stray = next((q for q in quads if q.graph_name != name), None)
        if stray is not None:
            raise StoreError(f"cannot write {graph}: a quad belongs to {stray.graph_name}")
        body = ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)
        self._pending.append(("PUT", graph, body, "application/n-triples"))

    def replace_graph_turtle(self, graph: str, turtle: bytes) -> None:
        self._pending.append(("PUT", graph, turtle, "text/turtle"))

    def drop_graph(self, graph: str) -> None:
        self._pending.append(("DELETE", graph, b"", ""))

    def query(self, sparql: str, *, union_default: bool = True) -> QueryResult:
        """A query on the remote store as it is now (pending changes are not visible yet)."""
        return self.store.query(sparql, union_default=union_default)

    def keep_stats(self, stats: Callable[[dict[str, int]], dict]) -> None:  # noqa: ARG002 - nowhere to keep them
        """A remote store keeps no record of ours: its readers count when they ask."""

    def recorded_before(self) -> tuple[dict | None, set[str]]:
        """Nothing recorded (see ``keep_stats``); every pending graph changed."""
        return None, {graph for _, graph, _, _ in self._pending}

    def commit(self) -> None:
        """Send the pending changes in order, one Graph Store Protocol request per graph.

        Stopping part-way raises StoreError naming what the store now holds: the graphs replaced,
        the one being sent when it stopped, and those still as they were before the build.
        """
        pending, self._pending = self._pending, []
        for index, (method, graph, body, content_type) in enumerate(pending):
            try:
                _step("send-graph")
                self.store._request(
                    self.store._graph_url(graph),
                    method=method,
                    body=body if method == "PUT" else None,
                    content_type=content_type or None,
                    missing_ok=method == "DELETE",
                )
            except BaseException as exc:
                message = _partial_write(self.store.root, pending[:index], pending[index], pending[index + 1 :], exc)
                raise StoreError(message) from None


Change = tuple[str, str, bytes, str]  # (method, graph, body, content type) of one Graph Store Protocol request


def _partial_write(root: str, done: list[Change], failed: Change, rest: list[Change], exc: BaseException) -> str:
    """One line on what a remote store holds after sending stopped at ``failed``: build again to finish."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        reason, applied = "the build was stopped", None  # the request in flight may have been applied
    else:
        reason = _one_line(str(exc)).replace(f"the SPARQL store at {root}", "the server")
        reason = reason.removesuffix(": is the server running? check --store")
        # an answer with an error status, or a server that was not listening, changed nothing; other failures may have
        unsent = isinstance(exc, RemoteUnreachableError) and not exc.may_have_arrived
        applied = False if unsent or isinstance(exc, (RemoteRefusedError, QueryError)) else None
    replaced = [_graph_id(g) for method, g, _, _ in done if method == "PUT"]
    removed = [_graph_id(g) for method, g, _, _ in done if method == "DELETE"]
    before = [_graph_id(g) for _, g, _, _ in rest]
    parts = []
    if replaced:
        parts.append(f"the new {_listing(replaced)}")
    if removed:
        parts.append(f"no longer {_listing(removed)}")
    holds = f"it now holds {' and '.join(parts)}" if parts else "nothing was replaced"
    if applied is None:
        holds += f"; {_graph_id(failed[1])} may or may not be {'replaced' if failed[0] == 'PUT' else 'removed'}"
    else:
        before.insert(0, _graph_id(failed[1]))
    if before:
        holds += f"; {_listing(before)} {'is' if len(before) == 1 else 'are'} as before this build"
    where = f"writing to the SPARQL store at {root} stopped at {_graph_id(failed[1])} ({reason[:200]})"
    return f"{where}: {holds}: build again to finish"


def _graph_id(graph: str) -> str:
    return "ontology" if graph == ONTOLOGY_GRAPH else graph.rsplit("/", 1)[-1]


def _listing(names: list[str], shown: int = 12) -> str:
    listed = names[:shown] + ([f"{len(names) - shown} more"] if len(names) > shown else [])
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} and {listed[-1]}"


def _parse_results(content_type: str, body: bytes) -> QueryResult:
    """A SPARQL results document (JSON) or an RDF graph (N-Triples/Turtle) as plain Python values."""
    media = content_type.split(";", 1)[0].strip().lower()
    try:
        if media in ("application/sparql-results+json", "application/json"):
            return from_oxigraph(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        if media in ("application/sparql-results+xml", "application/xml"):
            return from_oxigraph(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))
        fmt = _rdf_format(media)
        if fmt is not None:
            return triples_result(ox.parse(body, format=fmt))
    except SyntaxError as exc:
        raise QueryError(f"the SPARQL store sent unreadable results: {_one_line(str(exc))}") from None
    raise QueryError(f"the SPARQL store answered with {media or 'no content type'}, which is not SPARQL results")


def _rdf_format(content_type: str) -> ox.RdfFormat | None:
    media = content_type.split(";", 1)[0].strip().lower()
    return {
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "text/plain": ox.RdfFormat.N_TRIPLES,
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-quads": ox.RdfFormat.N_QUADS,
        "application/rdf+xml": ox.RdfFormat.RDF_XML,
    }.get(media)


def _path(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path or "/"


def _one_line(text: str) -> str:
    return " ".join(text.split())
