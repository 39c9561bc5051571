"""A read-only SPARQL 1.1 Protocol endpoint over a local store: a guard in front of ``oxigraph serve-read-only``.

Why this shape. The SPARQL work — parsing, evaluation, the protocol, content
negotiation (JSON, XML, CSV, TSV results; Turtle, N-Triples, RDF/XML graphs),
the YASGUI page at ``/`` — is done by the well-kept Oxigraph server that ships
with the ``oxigraph`` package, started as a child process on a private port
(127.0.0.1) over the store's current generation. The default graph is the union
of the named graphs, as in ``kg-build query``: the stored default graph, which
the builder keeps as that union (a set), or ``--union-default-graph`` for a
store written before it did.
Left alone it would not be safe to expose: it answers ``SERVICE`` by fetching
the URL, and on its time limit it ends a ``200`` answer with an error text. So
a small Python guard in front of it (this module) does three things:

1. refuses by *parsing* (``kg_build.sparql.check_read_only``): updates on
   ``/update`` (403) and update text on ``/query`` (400), ``SERVICE`` anywhere in
   a query (400), Graph Store writes (405); only then forwards the request;
2. owns the time limit: an answer not complete within ``--timeout-s`` becomes a
   ``503`` with a message (the child's own limit, one second later, stops the
   work); answers are buffered up to 32 MiB so the status is decided only when
   the whole answer is in, larger ones are streamed and cut at the limit;
3. follows the store: a build publishes a new generation directory and never
   writes the one being read, so on every request (and every half second) the
   guard compares ``current`` with the generation its child serves; when it has
   changed it starts a child on the new generation, switches to it once it
   answers, and stops the old one after its last request. Queries keep being
   answered while a build runs and see the new data as soon as it is published.

Writing our own server over pyoxigraph would have meant re-implementing the
protocol and result formats, and running queries in worker processes to stop
them at the limit; the guard only decides what may pass and keeps Oxigraph's
behaviour for everything else. Its cost: one extra local hop (a few ms) and a
child process per served generation (two, briefly, while switching).
"""

from __future__ import annotations

import ctypes
import http.client
import math
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kg_build.errors import QueryError, StoreError
from kg_build.sparql import check_read_only
from kg_build.store import DEFAULT_GRAPH_IS_UNION, GENERATIONS, LocalStore, read_info

QUERY_PATHS = ("/query", "/sparql")
UI_PATHS = ("/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg")
FORWARDED_HEADERS = ("Accept", "Content-Type", "Accept-Encoding")
RETURNED_HEADERS = ("Content-Type", "Content-Encoding", "Vary")
MAX_REQUEST_BYTES = 4 * 1024 * 1024
MAX_QUERY_CHARS = 64 * 1024  # rdflib's parser needs ~1 s for this much, and parses one query at a time
MAX_BUFFER_BYTES = 32 * 1024 * 1024
POLL_SECONDS = 0.5
START_SECONDS = 20.0


@dataclass
class Backend:
    """One ``oxigraph serve-read-only`` child over one published generation."""

    generation: str
    port: int
    process: subprocess.Popen
    active: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acquire(self) -> bool:
        """Count one more request on this child; False once it is retired (ask the endpoint again)."""
        with self.lock:
            if self.retired:
                return False
            self.active += 1
            return True

    def release(self) -> None:
        with self.lock:
            self.active -= 1
            done = self.retired and self.active == 0
        if done:
            self.stop()

    def retire(self) -> None:
        with self.lock:
            self.retired = True
            done = self.active == 0
        if done:
            self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Endpoint:
    """The store's current generation, served by one oxigraph child at a time."""

    def __init__(self, store: LocalStore, *, timeout_s: float, cors: bool = False) -> None:
        self.store = store
        self.timeout_s = timeout_s
        self.cors = cors
        self.binary = oxigraph_binary()
        self._switch = threading.Lock()
        self._backend: Backend | None = None
        self._closed = False
        # children are started from one long-lived thread: PR_SET_PDEATHSIG fires when the *thread*
        # that started a child ends, and request threads end with their connection
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oxigraph-spawner")

    def backend(self) -> Backend:
        """The backend for the store's current generation (starting it first if the store changed)."""
        generation = self.store.generation()
        if generation is None:
            raise StoreError(f"no store at {self.store.root}: run `kg-build build` first")
        current = self._backend
        if current is not None and current.generation == generation and current.process.poll() is None:
            return current
        with self._switch:
            current = self._backend
            if current is None or current.generation != generation or current.process.poll() is not None:
                try:
                    fresh = self._spawner.submit(self._start, generation).result()
                except StoreError:
                    if current is None or current.process.poll() is not None:
                        raise
                    print(f"kg-build serve: generation {generation} could not be opened; still serving "
                          f"{current.generation}", file=sys.stderr, flush=True)
                    return current
                self._backend = fresh
                if current is not None:
                    current.retire()
                current = fresh
            return current

    def _start(self, generation: str) -> Backend:
        location = self.store.root / GENERATIONS / generation
        child_timeout = max(1, math.ceil(self.timeout_s) + 1)
        union = [] if read_info(location).get("default_graph") == DEFAULT_GRAPH_IS_UNION else ["--union-default-graph"]
        for _ in range(3):
            port = _free_port()
            log = tempfile.TemporaryFile()
            process = subprocess.Popen(
                [self.binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                 *union, "--timeout-s", str(child_timeout)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, preexec_fn=_die_with_parent,
            )
            deadline = time.monotonic() + START_SECONDS
            while time.monotonic() < deadline and process.poll() is None:
                if _answers(port):
                    log.close()
                    return Backend(generation, port, process)
                time.sleep(0.02)
            if process.poll() is None:
                process.kill()
            process.wait()
            log.seek(0)
            message = " ".join(log.read().decode("utf-8", "replace").split())[-300:]
            log.close()
            if "address" not in message.lower():
                break
        raise StoreError(f"the oxigraph server could not open generation {generation} of {self.store.root}: {message}")

    def acquire(self) -> Backend:
        """The current backend, counted as busy until ``release()`` so a switch cannot stop it meanwhile."""
        while True:
            backend = self.backend()
            if backend.acquire():
                return backend

    def watch(self) -> None:
        """Follow new generations even when no request comes (so old ones can be pruned safely)."""
        while not self._closed:
            time.sleep(POLL_SECONDS)
            try:
                self.backend()
            except StoreError as exc:
                print(f"kg-build serve: {exc}", file=sys.stderr, flush=True)

    def close(self) -> None:
        self._closed = True
        with self._switch:
            if self._backend is not None:
                self._backend.stop()
                self._backend = None
        self._spawner.shutdown(wait=False)


@lru_cache(maxsize=1024)
def refusal_for(query: str) -> str | None:
    """Why a query is refused (update, SERVICE, syntax, too deep), or None; cached, as the same queries come again."""
    try:
        check_read_only(query)
    except QueryError as exc:
        return str(exc)
    return None


class Refusal(Exception):
    """A request answered by the guard itself, with a status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class GuardHandler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol requests: check, then forward to the oxigraph child."""

    protocol_version = "HTTP/1.1"
    server_version = "policy-kg"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall
    endpoint: Endpoint  # set on the subclass made by make_server

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
        if not self.endpoint.cors:
            self._send_text(405, "OPTIONS is only answered with --cors", {"Allow": "GET, HEAD, POST"})
            return
        self._send_text(204, "", {
            "Access-Control-Allow-Methods": "GET, HEAD, POST",
            "Access-Control-Allow-Headers": "Accept, Content-Type",
            "Access-Control-Max-Age": "600",
        })

    def _handle(self, method: str) -> None:
        started = time.monotonic()
        try:
            path, _, query_string = self.path.partition("?")
            route = path.rstrip("/") or "/"
            body = self._read_body()
            if route in QUERY_PATHS:
                self._check_query(method, query_string, body)
                self._forward(method, body, deadline=started + self.endpoint.timeout_s)
            elif route == "/update":
                raise Refusal(403, "this endpoint is read-only: updates are refused (change the store with `kg-build build`)")
            elif route == "/store":
                if method not in ("GET", "HEAD"):
                    raise Refusal(405, "this endpoint is read-only: Graph Store writes are refused", {"Allow": "GET, HEAD"})
                self._forward(method, b"", deadline=started + self.endpoint.timeout_s)
            elif path in UI_PATHS and method in ("GET", "HEAD"):
                self._forward(method, b"", deadline=started + self.endpoint.timeout_s)
            else:
                raise Refusal(404, f"nothing at {path}: send SPARQL queries to /query")
        except Refusal as refusal:
            self._send_text(refusal.status, refusal.message, refusal.headers)
        except StoreError as exc:
            self._send_text(503, str(exc))
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - the last resort: one line to the client and the log
            self.log_message("internal error on %s: %r", self.path[:200], exc)
            self.close_connection = True
            try:
                self._send_text(500, f"internal error ({exc.__class__.__name__}); see the server's log")
            except OSError:
                pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise Refusal(411, "send the request body with a Content-Length")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_REQUEST_BYTES:
            self.close_connection = True
            raise Refusal(413, f"request body over {MAX_REQUEST_BYTES // (1024 * 1024)} MiB: send a shorter query")
        return self.rfile.read(length) if length > 0 else b""

    def _check_query(self, method: str, query_string: str, body: bytes) -> None:
        """Find the query text as the protocol allows it to be sent, and refuse what is not a read-only query."""
        params = urllib.parse.parse_qs(query_string, keep_blank_values=True)
        if method in ("GET", "HEAD"):
            texts = params.get("query", [])
            if "update" in params:
                raise Refusal(400, "updates are refused: this endpoint is read-only")
        elif method == "POST":
            if "query" in params or "update" in params:  # one query, where the guard checks it: the body
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
        if len(texts[0]) > MAX_QUERY_CHARS:
            raise Refusal(413, f"query over {MAX_QUERY_CHARS:,} characters: send a shorter one")
        refusal = refusal_for(texts[0])
        if refusal is not None:
            raise Refusal(400, refusal)

    def _forward(self, method: str, body: bytes, *, deadline: float) -> None:
        """Send the request to the oxigraph child and relay its answer, within the time limit."""
        backend = self.endpoint.acquire()
        connection = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=max(0.05, deadline - time.monotonic()))
        try:
            headers = {h: self.headers[h] for h in FORWARDED_HEADERS if self.headers.get(h)}
            if body:
                headers["Content-Length"] = str(len(body))
            chunks: list[bytes] = []
            size, streaming = 0, False
            try:
                connection.request(method, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise TimeoutError
                    connection.sock.settimeout(remaining)
                    chunk = response.read1(65536) if method != "HEAD" else b""
                    if not chunk:
                        break
                    if streaming:
                        self._send_chunk(chunk)
                        continue
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_BUFFER_BYTES:
                        streaming = True
                        self._start_stream(response)
                        for part in chunks:
                            self._send_chunk(part)
                        chunks = []
            except (TimeoutError, socket.timeout):
                if streaming:
                    self.close_connection = True  # the client sees a cut answer, never a silently short one
                    return
                raise Refusal(503, f"the query ran longer than the time limit of {self.endpoint.timeout_s:g} s and "
                              "was stopped; make it more selective (bind variables, add LIMIT)") from None
            except (ConnectionError, http.client.HTTPException) as exc:
                if streaming:
                    self.close_connection = True
                    return
                raise Refusal(502, f"the SPARQL engine did not answer ({exc.__class__.__name__}); try again") from None
            if streaming:
                self.wfile.write(b"0\r\n\r\n")
                return
            payload = b"".join(chunks)
            self.send_response(response.status)
            for name in RETURNED_HEADERS:
                if response.getheader(name):
                    self.send_header(name, response.getheader(name))
            self.send_header("Content-Length", str(len(payload) if method != "HEAD" else response.getheader("Content-Length") or 0))
            self._cors_headers()
            self.end_headers()
            if method != "HEAD":
                self.wfile.write(payload)
        finally:
            connection.close()
            backend.release()

    def _start_stream(self, response: http.client.HTTPResponse) -> None:
        self.send_response(response.status)
        for name in RETURNED_HEADERS:
            if response.getheader(name):
                self.send_header(name, response.getheader(name))
        self.send_header("Transfer-Encoding", "chunked")
        self._cors_headers()
        self.end_headers()

    def _send_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")

    def _send_text(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        data = (message + "\n").encode("utf-8") if message else b""
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


def make_server(store: LocalStore, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: float = 10.0,
                cors: bool = False) -> tuple[ThreadingHTTPServer, Endpoint]:
    """The guard's HTTP server, bound but not yet serving, and the endpoint it forwards to."""
    if not isinstance(store, LocalStore):
        raise StoreError("kg-build serve needs a local store; a remote SPARQL store is already an endpoint")
    endpoint = Endpoint(store, timeout_s=timeout_s, cors=cors)
    endpoint.backend()  # fail now, with a clear message, when the store cannot be served
    handler = type("Handler", (GuardHandler,), {"endpoint": endpoint})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        endpoint.close()
        raise StoreError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): pick another --port or --host") from None
    server.daemon_threads = True
    return server, endpoint


def serve(store: LocalStore, *, host: str = "127.0.0.1", port: int = 7878, timeout_s: float = 10.0,
          cors: bool = False, announce=print) -> None:  # noqa: ANN001 - a print-like callable
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    server, endpoint = make_server(store, host=host, port=port, timeout_s=timeout_s, cors=cors)
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    announce(f"SPARQL endpoint: http://{shown}:{bound_port}/query  (query UI: http://{shown}:{bound_port}/)")
    announce(f"store {store.root}, generation {store.generation()}, time limit {timeout_s:g} s; Ctrl-C to stop")
    threading.Thread(target=endpoint.watch, daemon=True).start()
    previous = signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        endpoint.close()


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of the installed ``oxigraph`` package."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = shutil.which("oxigraph") or (str(beside) if beside.is_file() else None)
    if found is None:
        raise StoreError("the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6'")
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the guard dies, however it dies (Linux; a no-op elsewhere)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


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
