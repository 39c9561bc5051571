"""Run a user's SPARQL query with guard rails: read-only, a wall-clock time limit, a row cap.

The query runs in a worker process that opens the store read-only; a query that outlives its time
limit (or whose caller goes away) has its worker terminated, so a runaway query never holds the app.
Idle workers are kept warm for the next query. Nothing here imports Streamlit.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg_build.errors import QueryError
from kg_build.model.vocab import PREFIXES
from kg_build.sparql import query_form

DEFAULT_TIMEOUT_S = 10.0
SHOWN_ROWS = 10_000  # rows the app shows
MAX_ROWS = 100_000  # rows a download holds at most
_POLL_S = 0.1
_IDLE_WORKERS = 2


@dataclass
class QueryRun:
    """The outcome of one query: rows (SELECT), triples (CONSTRUCT/DESCRIBE) or a boolean (ASK)."""

    form: str  # SELECT | CONSTRUCT | DESCRIBE | ASK
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    boolean: bool | None = None
    elapsed_ms: float = 0.0
    truncated: bool = False  # more results than max_rows existed; the rest were not read
    max_rows: int = MAX_ROWS
    generation: str | None = None

    @property
    def count(self) -> int:
        return len(self.rows) if self.form == "SELECT" else len(self.triples)


# --- the worker process ---------------------------------------------------------------------


def _execute(store_path: str, text: str, max_rows: int, handles: dict) -> tuple:
    """Run one query in the worker: ("ok", payload) or ("error", message)."""
    import pyoxigraph as ox

    from kg_build.store import LocalStore, to_rdflib

    store = handles.get(store_path)
    if store is None:
        store = handles[store_path] = LocalStore(Path(store_path))
    started = time.perf_counter()
    try:
        handle = store.open_read()
        result = handle.query(text, use_default_graph_as_union=store.union_flag())
        payload: dict = {"generation": store.generation()}
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == max_rows:
                    payload["truncated"] = True
                    break
                rows.append(tuple(to_rdflib(solution[v]) for v in variables))
            payload.update(form="SELECT", variables=variables, rows=rows)
        elif isinstance(result, ox.QueryTriples):
            triples = []
            for triple in result:
                if len(triples) == max_rows:
                    payload["truncated"] = True
                    break
                triples.append((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
            payload.update(form="GRAPH", triples=triples)
        else:
            payload.update(form="ASK", boolean=bool(result))
    except SyntaxError as exc:
        return ("error", f"SPARQL syntax error: {' '.join(str(exc).split())}")
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the app as a message
        return ("error", f"query failed: {' '.join(str(exc).split())}")
    payload["elapsed_ms"] = (time.perf_counter() - started) * 1000
    return ("ok", payload)


def serve(read_fd: int, write_fd: int) -> None:  # pragma: no cover - runs in the worker process
    """The worker's loop: receive (store path, query, row cap), send back the result, until the pipe closes."""
    from multiprocessing.connection import Connection

    requests, replies = Connection(read_fd, writable=False), Connection(write_fd, readable=False)
    handles: dict = {}
    while True:
        try:
            request = requests.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if request is None:
            return
        replies.send(_execute(*request, handles))


class _Worker:
    """One worker process (a fresh interpreter, so no caller's __main__ is re-run) and the pipes to it."""

    def __init__(self) -> None:
        from multiprocessing.connection import Connection

        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        code = f"from kg_build.workbench import serve; serve({req_r}, {res_w})"
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(req_r, res_w),
                stdin=subprocess.DEVNULL,
                close_fds=True,
            )
        finally:
            os.close(req_r)
            os.close(res_w)
        self.requests = Connection(req_w, readable=False)
        self.replies = Connection(res_r, writable=False)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Terminate the process now (a query may be running in it)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(2)
        self.requests.close()
        self.replies.close()


class WorkerPool:
    """Warm worker processes handed out one per running query; a stopped query's worker is discarded."""

    def __init__(self, *, idle: int = _IDLE_WORKERS) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._keep = idle
        self.started = 0  # workers started so far (for tests)

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.stop()
        self.started += 1
        return _Worker()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.alive() and len(self._idle) < self._keep:
                self._idle.append(worker)
                return
        worker.stop()

    def warm(self) -> None:
        """Start a worker ahead of the first query, so that query does not wait for Python to start."""
        with self._lock:
            if self._idle:
                return
        self.started += 1
        worker = _Worker()
        self._give_back(worker)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def run(
        self,
        store_path: Path,
        text: str,
        *,
        timeout_s: float,
        max_rows: int,
        on_wait: Callable[[float], None] | None = None,
    ) -> tuple:
        """Send one query to a worker and wait for it at most ``timeout_s`` seconds."""
        worker = self._take()
        started = time.monotonic()
        done = False
        try:
            worker.requests.send((str(store_path), text, max_rows))
            while True:
                waited = time.monotonic() - started
                if worker.replies.poll(min(_POLL_S, max(timeout_s - waited, 0))):
                    reply = worker.replies.recv()
                    done = True
                    return reply
                if time.monotonic() - started >= timeout_s:
                    return ("timeout", None)
                if not worker.alive():
                    return ("error", "the query worker stopped unexpectedly; run the query again")
                if on_wait is not None:
                    on_wait(time.monotonic() - started)
        finally:
            if done:
                self._give_back(worker)
            else:
                worker.stop()


_POOL = WorkerPool()


def default_pool() -> WorkerPool:
    """The process-wide pool of query workers."""
    return _POOL


def run_query(
    store_path: Path,
    text: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = MAX_ROWS,
    pool: WorkerPool | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> QueryRun:
    """Check that a query only reads, then run it in a worker with a time limit and a row cap.

    Raises QueryError for syntax errors, refused queries (updates, LOAD, SERVICE), failures and timeouts.
    ``on_wait`` is called about every 0.1 s while the query runs (an exception from it stops the query).
    """
    if timeout_s <= 0:
        raise QueryError(f"time limit {timeout_s} s: give a positive number of seconds")
    form = query_form(text)
    status, payload = (pool or _POOL).run(store_path, text, timeout_s=timeout_s, max_rows=max_rows, on_wait=on_wait)
    if status == "timeout":
        raise QueryError(
            f"the query ran longer than the time limit of {timeout_s:g} s and was stopped; "
            "narrow it down (LIMIT, more specific patterns) or raise the limit"
        )
    if status == "error":
        raise QueryError(payload)
    return QueryRun(
        form=form,
        variables=payload.get("variables", []),
        rows=payload.get("rows", []),
        triples=payload.get("triples", []),
        boolean=payload.get("boolean"),
        elapsed_ms=payload["elapsed_ms"],
        truncated=bool(payload.get("truncated")),
        max_rows=max_rows,
        generation=payload.get("generation"),
    )


# --- downloads -------------------------------------------------------------------------------


def _csv_cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(run: QueryRun) -> bytes:
    """SPARQL 1.1 CSV results: IRIs and lexical forms, every row read (not only the rows shown)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if run.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if run.boolean else "false"])
    elif run.form == "SELECT":
        writer.writerow(run.variables)
        writer.writerows([_csv_cell(t) for t in row] for row in run.rows)
    else:
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([_csv_cell(t) for t in triple] for triple in run.triples)
    return buffer.getvalue().encode("utf-8")


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    cell = {"type": "literal", "value": str(term)}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype is not None:
        cell["datatype"] = str(term.datatype)
    return cell


def to_json(run: QueryRun) -> bytes:
    """SPARQL 1.1 JSON results (SELECT, ASK); for graphs, a list of {subject, predicate, object}."""
    if run.form == "ASK":
        data: object = {"head": {}, "boolean": bool(run.boolean)}
    elif run.form == "SELECT":
        data = {
            "head": {"vars": run.variables},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(run.variables, row) if t is not None} for row in run.rows
                ]
            },
        }
    else:
        data = [
            {"subject": _json_term(s), "predicate": _json_term(p), "object": _json_term(o)} for s, p, o in run.triples
        ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def to_turtle(run: QueryRun) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE as Turtle with the project's prefixes."""
    graph = Graph()
    for prefix, ns in sorted(PREFIXES.items()):
        graph.bind(prefix, ns, override=True)
    for triple in run.triples:
        graph.add(triple)
    return graph.serialize(format="turtle").encode("utf-8")
