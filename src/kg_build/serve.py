"""A read-only SPARQL 1.1 Protocol endpoint over a local or remote store, on the one guarded query path.

Every query goes through ``kg_build.engine.run_query``, as in the workbench and the CLI: the
canonical text is checked (read-only, no ``SERVICE``) and that same text runs in a worker process
that cannot open a network socket, under a memory cap, and is killed at ``--timeout-s`` (a ``503``);
the worker serializes the answer itself with pyoxigraph in the media type the client asked for
(JSON, XML, CSV, TSV results; Turtle, N-Triples, RDF/XML, JSON-LD … graphs). Workers open the
store's current generation on every query, so a build may run meanwhile: queries see its data
once it is published. On a remote store (``--store http://…``) the worker checks the text and
the remote server runs that text and serializes the answer; the endpoint waits for it at most
the time limit.

This module only speaks HTTP: it finds the query as the protocol allows it to be sent, refuses
updates (``/update``: 403; update text on ``/query``: 400) and Graph Store writes (405), answers
``GET /store?graph=IRI`` (or ``?default``) with that graph, and serves the YASGUI query page at
``/`` (YASGUI's script, stylesheet and logo are copied once from the installed ``oxigraph`` server,
which is started for that moment on an empty in-memory store and never sees a query; the page and
its setup are our own, in ``static/endpoint/``). The page fetches nothing from another host: YASGUI
completes prefixes from ``/prefixes.json`` and classes and properties from ``/terms.json`` (both read
from the shipped ontology) instead of prefix.cc and Linked Open Vocabularies, and every file of it is
sent with a Content-Security-Policy that lets the browser load and connect to this server only.
It checks ``Host`` and ``Origin`` against an allow-list (loopback names with the port, plus
``--allow-host``): a page on another site cannot reach the endpoint through DNS rebinding or a
cross-site form post.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from kg_build.engine import (
    EngineBusy, EngineStopped, NotAcceptable, QueryLimits, QueryRefused, QuerySyntaxError, QueryTimeout,
    QueryTooLarge, WorkerPool, run_query,
)
from kg_build.errors import QueryError, StoreError, StoreMissingError
from kg_build.store import Store
from kg_build.workbench import completions, ontology_prefixes

QUERY_PATHS = ("/query", "/sparql")
COPIED_UI_PATHS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")  # from the oxigraph server, unchanged
OWN_UI_FILES = {"/": ("index.html", "text/html; charset=utf-8"), "/setup.js": ("setup.js", "text/javascript; charset=utf-8")}
UI_PATHS = ("/", "/setup.js", "/prefixes.json", "/terms.json", *COPIED_UI_PATHS)
# The query page may load and connect to this server only: prefix.cc, LOV, fonts or CDNs are refused by the browser.
UI_POLICY = ("default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
             "style-src 'self' 'unsafe-inline'; font-src 'self' data:; form-action 'self'; base-uri 'none'; "
             "frame-ancestors 'none'")
MAX_REQUEST_BYTES = 4 * 1024 * 1024
LISTEN_BACKLOG = 128
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*")
# status of each kind of failure: decided by type, never by reading the message
STATUS: list[tuple[type[Exception], int]] = [
    (QueryTooLarge, 413),
    (QueryRefused, 400),
    (QuerySyntaxError, 400),
    (NotAcceptable, 406),
    (QueryTimeout, 503),
    (EngineBusy, 503),
    (EngineStopped, 503),
    (StoreError, 503),
    (QueryError, 400),
]


class Endpoint:
    """What the handler needs: the store, the limits of one query, the pool that runs them, the policy."""

    def __init__(self, store: Store, *, timeout_s: float, cors: bool = False, memory_mb: int | None = None,
                 allowed_hosts: frozenset[str] = frozenset()) -> None:
        self.store = store
        self.limits = QueryLimits(timeout_s=timeout_s, max_rows=None,
                                  **({"memory_mb": memory_mb} if memory_mb else {})).within_ceiling()
        self.timeout_s = timeout_s
        self.cors = cors
        self.allowed_hosts = allowed_hosts
        self.pool = WorkerPool()
        self._ui: dict[str, tuple[str, bytes]] | None = None
        self._ui_lock = threading.Lock()

    def query(self, text: str, accept: str):  # noqa: ANN201 - a QueryRun
        return run_query(self.store, text, self.limits, accept=accept, pool=self.pool)

    def ui(self) -> dict[str, tuple[str, bytes]]:
        """The query page's files (media type, bytes): YASGUI copied once from the installed oxigraph server, our own page."""
        with self._ui_lock:
            if self._ui is None:
                copied = _copy_ui_files()
                self._ui = {**copied, **_own_ui_files()} if copied else {}
            return self._ui

    def close(self) -> None:
        self.pool.close()


class Refusal(Exception):
    """A request answered by the endpoint itself, with a status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class GuardHandler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol requests: find the query, run it on the guarded path, answer."""

    protocol_version = "HTTP/1.1"
    server_version = "policy-kg"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall
    endpoint: Endpoint  # set on the subclass made by make_server

    def version_string(self) -> str:
        return self.server_version  # no Python version in the Server header

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._handle("HEAD")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def do_PUT(self) -> None:  # noqa: N802
        self._handle("PUT")

    def do_DELETE(self) -> None:  # noqa: N802
        self._handle("DELETE")

    def do_PATCH(self) -> None:  # noqa: N802
        self._handle("PATCH")

    def do_OPTIONS(self) -> None:  # noqa: N802
        try:
            self._check_host()
        except Refusal as refusal:
            self._send_text(refusal.status, refusal.message)
            return
        if not self.endpoint.cors:
            self._send_text(405, "OPTIONS is only answered with --cors", {"Allow": "GET, HEAD, POST"})
            return
        self._send_text(204, "", {
            "Access-Control-Allow-Methods": "GET, HEAD, POST",
            "Access-Control-Allow-Headers": "Accept, Content-Type",
            "Access-Control-Max-Age": "600",
        })

    def _handle(self, method: str) -> None:
        try:
            self._check_host()
            path, _, query_string = self.path.partition("?")
            route = path.rstrip("/") or "/"
            body = self._read_body()
            if route in QUERY_PATHS:
                self._answer(self._query_text(method, query_string, body))
            elif route == "/update":
                raise Refusal(403, "this endpoint is read-only: updates are refused (change the store with `kg-build build`)")
            elif route == "/store":
                if method not in ("GET", "HEAD"):
                    raise Refusal(405, "this endpoint is read-only: Graph Store writes are refused", {"Allow": "GET, HEAD"})
                self._answer(_graph_query(query_string))
            elif path in UI_PATHS and method in ("GET", "HEAD"):
                self._send_ui(path)
            else:
                raise Refusal(404, f"nothing at {path}: send SPARQL queries to /query")
        except Refusal as refusal:
            self._send_text(refusal.status, refusal.message, refusal.headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - the last resort: one line to the client and the log
            self.log_message("internal error on %s: %r", self.path[:200], exc)
            self.close_connection = True
            try:
                self._send_text(500, f"internal error ({exc.__class__.__name__}); see the server's log")
            except OSError:
                pass

    def _check_host(self) -> None:
        """Refuse a Host or Origin not on the allow-list (DNS rebinding, cross-site form posts)."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.endpoint.allowed_hosts:
            raise Refusal(403, f"Host {host or '(none)'!r} is not served here: add it with --allow-host")
        origin = self.headers.get("Origin")
        if origin is None or self.endpoint.cors:
            return
        scheme, _, rest = origin.strip().lower().partition("://")
        if scheme not in ("http", "https") or rest.rstrip("/") not in self.endpoint.allowed_hosts:
            raise Refusal(403, f"requests from pages at {origin[:100]!r} are refused: serve with --cors to allow other sites")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise Refusal(411, "send the request body with a Content-Length")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise Refusal(400, "Content-Length is not a number") from None
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            raise Refusal(413, f"request body over {MAX_REQUEST_BYTES // (1024 * 1024)} MiB: send a shorter query")
        return self.rfile.read(length) if length > 0 else b""

    def _query_text(self, method: str, query_string: str, body: bytes) -> str:
        """The query text as the protocol allows it to be sent; refusals for everything else."""
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if method in ("GET", "HEAD"):
            texts = params.get("query", [])
            if "update" in params:
                raise Refusal(400, "updates are refused: this endpoint is read-only")
        elif method == "POST":
            if "query" in params or "update" in params:  # one query, where it is checked: the body
                raise Refusal(400, "a POST carries its query in the body, not also in the URL")
            media, charset = _media_type(self.headers.get("Content-Type", ""))
            if media == "application/sparql-query":
                texts = [_decode(body, charset)]
            elif media == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(_decode(body, charset), keep_blank_values=True)
                if "update" in form:
                    raise Refusal(400, "updates are refused: this endpoint is read-only")
                texts = form.get("query", [])
            elif media == "application/sparql-update":
                raise Refusal(400, "updates are refused: this endpoint is read-only")
            else:
                raise Refusal(415, "send the query as application/sparql-query or application/x-www-form-urlencoded")
        else:
            raise Refusal(405, f"{method} is not a SPARQL query: use GET or POST", {"Allow": "GET, HEAD, POST"})
        if len(texts) != 1:
            raise Refusal(400, "give exactly one query (the 'query' parameter of the SPARQL 1.1 Protocol)")
        return texts[0]

    def _answer(self, text: str) -> None:
        try:
            run = self.endpoint.query(text, self.headers.get("Accept", ""))
        except (QueryError, StoreError) as exc:
            status = next(code for kind, code in STATUS if isinstance(exc, kind))
            raise Refusal(status, str(exc)) from None
        body = run.body or b""
        self.send_response(200)
        self.send_header("Content-Type", run.media_type or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self._cors_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_ui(self, path: str) -> None:
        files = self.endpoint.ui()
        if path not in files:
            raise Refusal(404, "the query page needs the oxigraph server (pip install 'oxigraph>=0.5,<0.6'); "
                               "send SPARQL queries to /query")
        media, data = files[path]
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", UI_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        data = (" ".join(message.split()) + "\n").encode("utf-8") if message else b""
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._cors_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _cors_headers(self) -> None:
        if self.endpoint.cors:
            self.send_header("Access-Control-Allow-Origin", "*")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
        sys.stderr.write(f"{self.log_date_time_string()} {self.address_string()} {format % args}\n")


class _Server(ThreadingHTTPServer):
    request_queue_size = LISTEN_BACKLOG  # 5 by default: bursts of clients were reset
    daemon_threads = True


def allowed_hosts(host: str, port: int, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The Host values served: loopback names and the bound address with the port, and each ``--allow-host``."""
    names = set(LOOPBACK_NAMES)
    if host not in ("0.0.0.0", "::", ""):
        names.add(f"[{host}]" if ":" in host else host)
    allowed = {f"{name}:{port}" for name in names}
    if port == 80:
        allowed |= names
    for item in extra:  # "name" (any path to it: with this port or none) or "name:port"
        item = item.strip().lower()
        if re.search(r"(?<!:):\d+$", item) and not item.startswith("["):
            allowed.add(item)
        elif re.fullmatch(r"\[[0-9a-f:.]+\]:\d+", item):
            allowed.add(item)
        elif item:
            allowed |= {item, f"{item}:{port}"}
    return frozenset(a.lower() for a in allowed)


def make_server(store: Store, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: float = 10.0,
                cors: bool = False, allow_hosts: tuple[str, ...] = (), memory_mb: int | None = None,
                ) -> tuple[ThreadingHTTPServer, Endpoint]:
    """The endpoint's HTTP server, bound but not yet serving, and the endpoint it answers with."""
    if store.generation() is None:  # a remote store is served too: its server runs the checked text
        raise StoreMissingError(f"no store at {store.root}: run `kg-build build` first")
    endpoint = Endpoint(store, timeout_s=timeout_s, cors=cors, memory_mb=memory_mb)
    handler = type("Handler", (GuardHandler,), {"endpoint": endpoint})
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        endpoint.close()
        raise StoreError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): pick another --port or --host") from None
    endpoint.allowed_hosts = allowed_hosts(host, server.server_address[1], allow_hosts)
    endpoint.pool.warm(endpoint.limits)
    return server, endpoint


def serve(store: Store, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: float = 10.0,
          cors: bool = False, allow_hosts: tuple[str, ...] = (), memory_mb: int | None = None,
          announce=print) -> None:  # noqa: ANN001 - a print-like callable
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    server, endpoint = make_server(store, host=host, port=port, timeout_s=timeout_s, cors=cors,
                                   allow_hosts=allow_hosts, memory_mb=memory_mb)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    announce(f"SPARQL endpoint: http://{shown}:{bound_port}/query  (query UI: http://{shown}:{bound_port}/)")
    announce(f"store {store.root}, generation {store.generation()}, time limit {timeout_s:g} s, "
             f"memory {endpoint.limits.memory_mb} MB a worker; Ctrl-C to stop")
    previous = signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        endpoint.close()


def _graph_query(query_string: str) -> str:
    """``GET /store?graph=IRI`` or ``?default`` (Graph Store Protocol, read side) as a CONSTRUCT."""
    params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
    graphs = params.get("graph", [])
    if "default" in params and not graphs:
        return "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    if len(graphs) == 1 and "default" not in params:
        iri = graphs[0]
        if not _IRI.fullmatch(iri):
            raise Refusal(400, "graph= needs an absolute IRI")
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    raise Refusal(400, "give ?default or one ?graph=IRI")


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of the installed ``oxigraph`` package."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = shutil.which("oxigraph") or (str(beside) if beside.is_file() else None)
    if found is None:
        raise StoreError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def _copy_ui_files() -> dict[str, tuple[str, bytes]]:
    """YASGUI's page and files, from an oxigraph server on an empty in-memory store that lives a moment."""
    try:
        binary = oxigraph_binary()
    except StoreError:
        return {}
    for _ in range(3):
        port = _free_port()
        process = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    return {path: _fetch(port, path) for path in COPIED_UI_PATHS}
                except OSError:
                    time.sleep(0.05)
        finally:
            process.kill()
            process.wait()
    return {}


def _own_ui_files() -> dict[str, tuple[str, bytes]]:
    """Our query page and its setup, and the prefixes, classes and properties YASGUI completes (from the shipped ontology)."""
    folder = resources.files("kg_build").joinpath("static", "endpoint")
    files = {path: (media, folder.joinpath(name).read_bytes()) for path, (name, media) in OWN_UI_FILES.items()}
    prefixes = ontology_prefixes()
    terms: dict[str, list[str]] = {"classes": [], "properties": []}
    for word in completions("en"):
        if word.kind in ("class", "property"):
            prefix, _, local = word.text.partition(":")
            terms["classes" if word.kind == "class" else "properties"].append(prefixes[prefix] + local)
    as_json = "application/json; charset=utf-8"
    files["/prefixes.json"] = (as_json, json.dumps(dict(sorted(prefixes.items())), indent=1).encode("utf-8"))
    files["/terms.json"] = (as_json, json.dumps(terms, indent=1).encode("utf-8"))
    return files


def _fetch(port: int, path: str) -> tuple[str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        data = response.read()
        if response.status != 200:
            raise OSError(f"{path}: {response.status}")
        return response.getheader("Content-Type") or "application/octet-stream", data
    finally:
        connection.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _media_type(header: str) -> tuple[str, str]:
    media, _, params = header.partition(";")
    charset = "utf-8"
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media.strip().lower(), charset


def _decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        raise Refusal(400, f"the request body is not valid {charset}: send UTF-8") from None
