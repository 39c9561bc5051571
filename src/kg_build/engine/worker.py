"""A query worker: a fresh interpreter that sandboxes itself, then runs one query at a time.

Every query is canonicalized, checked and run here, on a thread with a 256 MiB stack (a deep
expression fails as an error instead of overflowing the stack), under a CPU-time cap set a second
past its time limit. Answers go back as plain Python values (rdflib terms) or, for the endpoint,
as bytes in the media type the client asked for, serialized by pyoxigraph itself.
"""

from __future__ import annotations

import importlib
import io
import sys
import threading
import time
import traceback
from pathlib import Path

from kg_build.engine import guard, sandbox
from kg_build.engine.errors import AnswerTooLarge, QueryFailed, QuerySyntaxError
from kg_build.engine.limits import QueryLimits
from kg_build.errors import PolicyKGError

ENGINE_STACK_BYTES = 256 * 1024 * 1024
# what an error says when the address-space cap, not the query, made it fail
MEMORY_WORDS = ("alloc", "memory", "resource temporarily unavailable", "failed to map")
IDLE_CHECK_S = 1.0  # an idle worker looks this often for a newer generation of the stores it holds
# what a query runs with (kg_build.store brings sqlite3, for the search index)
QUERY_MODULES = ("pyoxigraph", "rdflib.plugins.sparql.parser", "kg_build.engine.negotiate", "kg_build.engine.terms",
                 "kg_build.store")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def execute(request: tuple, handles: dict, sandbox_state: str) -> tuple:
    """Run one request: ("ok", payload) or ("error", kind, message)."""
    from kg_build.engine.negotiate import NotAcceptable  # imported in the sandbox, with pyoxigraph

    store_path, text, limits, accept = request
    assert isinstance(limits, QueryLimits)
    started = time.perf_counter()
    sandbox.cap_cpu(limits.timeout_s + 1)
    try:
        text, form = guard.check(text, limits)
        payload: dict = {"sandbox": sandbox_state, "text": text}
        if store_path is None:  # only the check was asked for (the query runs on a remote store)
            payload.update(form=form, elapsed_ms=(time.perf_counter() - started) * 1000)
            return ("ok", payload)
        payload.update(_answer(store_path, text, handles, accept, limits.max_rows, limits.max_answer_bytes))
        payload["form"] = form or payload["kind"]
    except PolicyKGError as exc:
        return ("error", type(exc).__name__, str(exc))
    except NotAcceptable as exc:
        return ("error", "NotAcceptable", str(exc))
    except SyntaxError as exc:
        return ("error", QuerySyntaxError.__name__, f"SPARQL syntax error: {_one_line(exc)}")
    except MemoryError:
        return ("error", QueryFailed.__name__, f"the query needed more than the memory limit of {limits.memory_mb} MB")
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the caller as one line
        return ("error", QueryFailed.__name__, failure_message(_one_line(exc) or exc.__class__.__name__, limits))
    payload["elapsed_ms"] = (time.perf_counter() - started) * 1000
    return ("ok", payload)


def failure_message(said: str, limits: QueryLimits) -> str:
    """The one line for a query that failed saying ``said``, naming the memory cap when that is the likely cause."""
    if any(word in said.lower() for word in MEMORY_WORDS):
        said += f" (the memory limit of {limits.memory_mb} MB?)"
    return f"query failed: {said}"


def _answer(store_path: str, text: str, handles: dict, accept: str | None, max_rows: int | None,
            max_bytes: int) -> dict:
    """Run the text and read its answer, in a frame of its own.

    The parser's exceptions (kept in its cache with their tracebacks) hold the frames that were on the
    stack while it parsed; a result kept in one of those would keep its store generation open.
    """
    result, generation = _query(store_path, text, handles)
    answer = _serialized(result, accept, max_bytes) if accept is not None else _values(result, max_rows)
    answer["generation"] = generation
    return answer


def _query(store_path: str, text: str, handles: dict) -> tuple[object, str | None]:
    from kg_build.store import LocalStore

    store = handles[store_path][0] if store_path in handles else LocalStore(Path(store_path))
    handle = store.open_read()
    generation = store.generation()
    handles[store_path] = (store, generation)  # and what it holds open, for _drop_replaced
    return handle.query(text), generation  # the stored default graph is the union of the report graphs


def _drop_replaced(handles: dict) -> None:
    """Close stores whose generation was replaced while idle, so a pruned generation's files are freed."""
    for path, (store, opened) in list(handles.items()):
        if store.generation() != opened:
            del handles[path]


def _values(result: object, max_rows: int | None) -> dict:
    """Rows or triples of compact terms (``terms.encode``): cheap to send, decoded once per distinct term."""
    import pyoxigraph as ox

    from kg_build.engine.terms import encode

    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[tuple] = []
        truncated = False
        for solution in result:
            if max_rows is not None and len(rows) == max_rows:
                truncated = True
                break
            rows.append(tuple(None if term is None else encode(term) for term in solution))
        return {"kind": "SELECT", "variables": variables, "rows": rows, "truncated": truncated}
    if isinstance(result, ox.QueryTriples):
        triples: list[tuple] = []
        truncated = False
        for triple in result:
            if max_rows is not None and len(triples) == max_rows:
                truncated = True
                break
            triples.append((encode(triple.subject), encode(triple.predicate), encode(triple.object)))
        return {"kind": "CONSTRUCT", "triples": triples, "truncated": truncated}
    return {"kind": "ASK", "boolean": bool(result)}


def _serialized(result: object, accept: str, max_bytes: int) -> dict:
    import pyoxigraph as ox

    from kg_build.engine.negotiate import choose_graph_format, choose_results_format

    if isinstance(result, ox.QueryTriples):
        media, fmt = choose_graph_format(accept)
        kind = "CONSTRUCT"
    else:
        media, fmt = choose_results_format(accept)
        kind = "SELECT" if isinstance(result, ox.QuerySolutions) else "ASK"
    out = _CappedBuffer(max_bytes)
    result.serialize(out, format=fmt)
    return {"kind": kind, "media_type": media, "body": out.getvalue()}


class _CappedBuffer(io.BytesIO):
    """Bytes written by a serializer, refused past a size (before the worker's memory cap is the one to stop it)."""

    def __init__(self, cap: int) -> None:
        super().__init__()
        self.cap = cap

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.tell() + len(data) > self.cap:
            raise AnswerTooLarge(
                f"the answer is over {self.cap:,} bytes: narrow the query down (LIMIT, fewer variables)"
            )
        return super().write(data)


def preload() -> None:
    """Load every module a query needs now, outside any query.

    A module loaded during a query maps its shared library (pyoxigraph's, SQLite's under the store) while
    the engine thread's stack and its malloc arena already hold most of the memory cap: on some hosts
    that map failed ("libsqlite3.so.0: failed to map segment") before the query had started.
    """
    for name in QUERY_MODULES:
        importlib.import_module(name)


def main(read_fd: int, write_fd: int, memory_mb: int, network: bool) -> None:  # pragma: no cover - in the worker
    """The worker's loop: sandbox first, then answer requests until the pipe closes (the caller went away)."""
    state = sandbox.enter(memory_mb=memory_mb, network=network)
    from multiprocessing.connection import Connection

    requests, replies = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    threading.stack_size(ENGINE_STACK_BYTES)
    preload()
    handles: dict = {}
    try:
        replies.send("ready")
    except (OSError, ValueError):
        return
    while True:
        try:
            while not requests.poll(IDLE_CHECK_S):
                _drop_replaced(handles)
            request = requests.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        reply: list[tuple] = []

        def run(request: tuple = request, reply: list[tuple] = reply) -> None:
            try:
                reply.append(execute(request, handles, state))
            except BaseException as exc:  # noqa: BLE001 - a reply always goes back
                traceback.print_exc(file=sys.stderr)
                reply.append(("error", QueryFailed.__name__, f"query failed: {exc.__class__.__name__}"))

        engine = threading.Thread(target=run, name="query-engine")
        engine.start()
        engine.join()
        try:
            replies.send(reply[0])
        except (OSError, ValueError):
            return
