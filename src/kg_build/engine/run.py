"""``run_query``: the one way a query reaches a store — workbench, endpoint, explorer and CLI alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg_build.engine import errors as kinds
from kg_build.engine.limits import DEFAULT_LIMITS, DEFAULT_MAX_ROWS, QueryLimits
from kg_build.engine.pool import WorkerPool, default_pool
from kg_build.engine.terms import decode
from kg_build.errors import (
    QueryError,
    RemoteUnreachableError,
    ReportNotFoundError,
    StoreBusyError,
    StoreDamagedError,
    StoreError,
    StoreMissingError,
)

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg_build.store import Store


@dataclass
class QueryRun:
    """The outcome of one query: rows (SELECT), triples (CONSTRUCT/DESCRIBE), a boolean (ASK) or serialized bytes."""

    form: str  # SELECT | CONSTRUCT | DESCRIBE | ASK
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)
    boolean: bool | None = None
    elapsed_ms: float = 0.0
    truncated: bool = False  # more results than max_rows existed; the rest were not read
    max_rows: int | None = DEFAULT_MAX_ROWS
    generation: str | None = None
    body: bytes | None = None  # the answer serialized, when a media type was asked for
    media_type: str | None = None
    sandbox: str = ""  # "seccomp", or why the worker has no network filter
    text: str = ""  # the canonical text that ran

    @property
    def count(self) -> int:
        return len(self.rows) if self.form == "SELECT" else len(self.triples)


class NotAcceptable(QueryError):
    """The client accepts no media type this kind of result can be written in (HTTP 406)."""


_KINDS: dict[str, type[QueryError | StoreError]] = {
    cls.__name__: cls
    for cls in (
        kinds.QueryRefused, kinds.QueryTooLarge, kinds.AnswerTooLarge, kinds.QuerySyntaxError, kinds.QueryTimeout,
        kinds.EngineStopped, kinds.EngineBusy, kinds.QueryFailed, NotAcceptable, QueryError, StoreError,
        StoreMissingError, StoreDamagedError, StoreBusyError, RemoteUnreachableError, ReportNotFoundError,
    )
}


def run_query(
    store: object,
    text: str,
    limits: QueryLimits = DEFAULT_LIMITS,
    *,
    accept: str | None = None,
    pool: WorkerPool | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> QueryRun:
    """Check a query and run it in a sandboxed worker under ``limits``; QueryError (a subclass per kind) if not.

    ``store``: a local store, its directory, or a remote store (then only the check runs in a worker
    and the remote server runs the checked text). ``accept``: an HTTP Accept header, to have the
    answer serialized (``body``, ``media_type``) instead of returned as terms. ``on_wait`` is called
    about every 0.1 s while the query runs (an exception from it stops the query and kills its worker).
    """
    limits = limits.within_ceiling()
    if len(text) > limits.max_query_chars:  # before anything is copied to a worker
        raise kinds.QueryTooLarge(f"query over {limits.max_query_chars:,} characters: send a shorter one")
    pool = pool or default_pool()
    if isinstance(store, str) and store.startswith(("http://", "https://")):  # a remote store named by its URL
        from kg_build.store import open_store

        store = open_store(store)
    root = _local_root(store)
    reply = pool.run((None if root is None else str(root), text, limits, accept), limits, on_wait=on_wait)
    if reply[0] == "error":
        _kind, name, message = reply
        raise _KINDS.get(name, QueryError)(message)
    payload = reply[1]
    if root is None:
        return _run_remote(store, payload, limits, accept)
    return QueryRun(
        form=payload["form"],
        variables=payload.get("variables", []),
        rows=[tuple(None if t is None else decode(t) for t in row) for row in payload.get("rows", ())],
        triples=[(decode(s), decode(p), decode(o)) for s, p, o in payload.get("triples", ())],
        boolean=payload.get("boolean"),
        elapsed_ms=payload["elapsed_ms"],
        truncated=bool(payload.get("truncated")),
        max_rows=limits.max_rows,
        generation=payload.get("generation"),
        body=payload.get("body"),
        media_type=payload.get("media_type"),
        sandbox=payload.get("sandbox", ""),
        text=payload.get("text", ""),
    )


def _local_root(store: object) -> Path | None:
    if isinstance(store, (str, Path)):
        return Path(store)
    root = getattr(store, "root", None)
    return Path(root) if isinstance(root, Path) else None


def _detached(exc: BaseException) -> BaseException:
    """The exception, and those it was raised from or during, without their tracebacks: the frames these hold hold
    pyoxigraph's objects (a half-read results document), which may be freed only on the thread that made them."""
    chain, seen = [exc], set()
    while chain:
        link = chain.pop()
        if id(link) not in seen:
            seen.add(id(link))
            link.__traceback__ = None
            chain += [e for e in (link.__cause__, link.__context__) if e is not None]
    return exc


def _run_remote(store: Store, payload: dict, limits: QueryLimits, accept: str | None = None) -> QueryRun:
    """A remote store runs the checked text itself: we wait for it at most the time limit and cap the rows.

    (Its server does the work and stops it by its own limits; a request we stop waiting for is
    abandoned on a daemon thread, which ends at the store's own HTTP timeout.)
    """
    import threading
    import time

    started = time.perf_counter()
    outcome: list = []
    media = None
    if accept is not None:  # the endpoint: the server serializes, in the type the client's Accept chose
        from kg_build.engine import negotiate

        graph = payload.get("form") in ("CONSTRUCT", "DESCRIBE")
        try:
            media = (negotiate.choose_graph_format if graph else negotiate.choose_results_format)(accept)[0]
        except negotiate.NotAcceptable as exc:
            raise NotAcceptable(str(exc)) from None

    def ask() -> None:
        try:
            if media is None:
                outcome.append(("ok", store.query(payload["text"])))
            else:
                outcome.append(("ok", store.query_serialized(payload["text"], media.split(";", 1)[0])))
        except Exception as exc:  # noqa: BLE001 - handed to the caller's thread
            outcome.append(("error", _detached(exc)))

    asking = threading.Thread(target=ask, name="remote-query", daemon=True)
    asking.start()
    asking.join(limits.timeout_s)
    if not outcome:
        raise kinds.QueryTimeout(
            f"the SPARQL store did not answer within the time limit of {limits.timeout_s:g} s; "
            "narrow the query down (LIMIT, more specific patterns) or raise the limit"
        )
    status, result = outcome[0]
    if status == "error":
        raise result
    elapsed = (time.perf_counter() - started) * 1000 + payload["elapsed_ms"]
    run = QueryRun(form=payload["form"] or "SELECT", elapsed_ms=elapsed, max_rows=limits.max_rows,
                   sandbox="remote", text=payload["text"])
    if media is not None:
        sent, body = result
        if len(body) > limits.max_answer_bytes:
            raise kinds.AnswerTooLarge(f"the answer is over {limits.max_answer_bytes:,} bytes: narrow the query (LIMIT)")
        run.media_type, run.body = media if sent.split(";", 1)[0].strip() == media.split(";", 1)[0] else sent, body
        return run
    cap = limits.max_rows
    if isinstance(result, bool):
        run.form, run.boolean = "ASK", result
    elif hasattr(result, "rows"):
        run.variables, rows = list(result.variables), list(result.rows)
        run.rows, run.truncated = (rows[:cap], len(rows) > cap) if cap is not None else (rows, False)
    else:
        triples = list(result.triples)
        run.triples, run.truncated = (triples[:cap], len(triples) > cap) if cap is not None else (triples, False)
    return run
