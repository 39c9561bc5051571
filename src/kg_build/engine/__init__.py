"""The one guarded query path: limits, the guard, the sandbox and the worker pool behind ``run_query``.

- ``limits.py``: ``QueryLimits``, the guard rails of one query, defined once with their defaults;
- ``guard.py``: the canonical text (comments out, codepoint escapes refused) and the read-only,
  no-SERVICE check that parses exactly the text that will run;
- ``sandbox.py``: what a worker does to itself first (no network sockets, memory cap);
- ``worker.py`` / ``pool.py``: warm worker processes, killed at the time limit and replaced;
- ``run.py``: ``run_query(store, text, limits)``, used by the workbench, ``kg-build serve``,
  the explorer's own queries and ``kg-build query``.
"""

from kg_build.engine.errors import (
    AnswerTooLarge, EngineBusy, EngineStopped, QueryFailed, QueryRefused, QuerySyntaxError, QueryTimeout, QueryTooLarge,
)
from kg_build.engine.limits import DEFAULT_LIMITS, QueryLimits, timeout_ceiling_s
from kg_build.engine.pool import WorkerPool, default_pool
from kg_build.engine.run import NotAcceptable, QueryRun, run_query

__all__ = [
    "AnswerTooLarge", "DEFAULT_LIMITS", "EngineBusy", "EngineStopped", "NotAcceptable", "QueryFailed", "QueryLimits",
    "QueryRefused", "QueryRun", "QuerySyntaxError", "QueryTimeout", "QueryTooLarge", "WorkerPool", "default_pool",
    "run_query", "timeout_ceiling_s",
]
