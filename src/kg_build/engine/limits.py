"""The guard rails of one query, defined once: every caller (workbench, endpoint, explorer, CLI) passes a QueryLimits."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from kg_build.errors import QueryError

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 2048  # address space of one worker: Python, the store's caches and the engine's 256 MiB stack
DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_QUERY_CHARS = 64 * 1024
DEFAULT_MAX_ANSWER_BYTES = 256 * 1024 * 1024  # one answer serialized for the endpoint
DEFAULT_MAX_NESTING = 64  # brackets inside brackets: ( { [
DEFAULT_MAX_CHAIN = 1_000  # operators in one bracket level: 1+1+…+1, a && b && …, a/b/…
# The operator's ceiling on any time limit a user may ask for (the workbench's field, --timeout-s).
TIMEOUT_CEILING_ENV = "KG_QUERY_TIMEOUT_CEILING_S"
DEFAULT_TIMEOUT_CEILING_S = 120.0


@dataclass(frozen=True)
class QueryLimits:
    """What one query may use; a query over a limit is refused or stopped, its worker killed.

    ``timeout_s``: wall-clock seconds from the query reaching a worker to its last result row
    (the worker is killed at the limit; its CPU time is capped one second later by RLIMIT_CPU).
    ``memory_mb``: the worker's address space (RLIMIT_AS); over it the engine stops.
    ``max_rows``: rows (or triples) read at most, the rest dropped and the run marked truncated;
    None for no cap (the endpoint, whose answers are serialized in the worker).
    ``max_answer_bytes``: an answer serialized for a client (the endpoint) larger than this is refused.
    ``max_query_chars``, ``max_nesting``, ``max_chain``: refused before any parsing.
    ``read_only`` and ``service=False`` are the guard; ``service=True`` also lifts the network
    sandbox and exists for tests that prove the sandbox is what stops SERVICE.
    ``check``: parse with the guard (user-typed text); False only for queries built by the
    application itself from escaped terms (the explorer) — they still run canonicalized, sandboxed
    and under every other limit.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    max_rows: int | None = DEFAULT_MAX_ROWS
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES
    max_query_chars: int = DEFAULT_MAX_QUERY_CHARS
    max_nesting: int = DEFAULT_MAX_NESTING
    max_chain: int = DEFAULT_MAX_CHAIN
    read_only: bool = True
    service: bool = False
    check: bool = True

    def __post_init__(self) -> None:
        if not self.timeout_s > 0:
            raise QueryError(f"time limit {self.timeout_s} s: give a positive number of seconds")
        if self.memory_mb < 256:
            raise QueryError(f"memory limit {self.memory_mb} MB: give at least 256 MB")
        if self.max_rows is not None and self.max_rows < 1:
            raise QueryError(f"row cap {self.max_rows}: give a positive number of rows")

    def within_ceiling(self) -> QueryLimits:
        """These limits, or QueryError when the time limit is over the operator's ceiling."""
        ceiling = timeout_ceiling_s()
        if self.timeout_s > ceiling:
            raise QueryError(
                f"time limit {self.timeout_s:g} s is over the ceiling of {ceiling:g} s set for this installation "
                f"({TIMEOUT_CEILING_ENV}): ask for less"
            )
        return self

    def with_(self, **changes: object) -> QueryLimits:
        """A copy with some limits changed (checked again)."""
        return replace(self, **changes)


def timeout_ceiling_s() -> float:
    """The longest time limit any caller may ask for: $KG_QUERY_TIMEOUT_CEILING_S, else 120 s."""
    text = os.environ.get(TIMEOUT_CEILING_ENV, "").strip()
    if not text:
        return DEFAULT_TIMEOUT_CEILING_S
    try:
        value = float(text)
    except ValueError:
        raise QueryError(f"{TIMEOUT_CEILING_ENV}={text!r}: give a number of seconds") from None
    if not value > 0:
        raise QueryError(f"{TIMEOUT_CEILING_ENV}={text!r}: give a positive number of seconds")
    return value


def own_query_limits() -> QueryLimits:
    """The limits of the queries the library writes itself from escaped terms (eval, audit, stats): no guard
    parse, no row cap, the default memory cap, and a minute at most (less if the installation's ceiling is lower)."""
    return QueryLimits(timeout_s=min(60.0, timeout_ceiling_s()), max_rows=None,
                       max_query_chars=4 * 1024 * 1024, check=False)


DEFAULT_LIMITS = QueryLimits()


def every_row_limits(timeout_s: float | None = None, max_rows: int | None = None) -> QueryLimits:
    """The limits for every row of a saved listing (``kg-build query NAME --all``): the time limit asked for, else
    the installation's ceiling; the row cap asked for, else none. A listing's rows grow with the store (188,290
    figures at ten million quads), and a default cut short would look like a complete table."""
    return QueryLimits(timeout_s=timeout_ceiling_s() if timeout_s is None else timeout_s, max_rows=max_rows)
