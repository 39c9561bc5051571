"""The kinds of query failure, so the app and the endpoint decide by type, never by reading a message."""

from __future__ import annotations

from kg_build.errors import QueryError


class QueryRefused(QueryError):
    """Not a read-only query this server runs: an update, SERVICE, over a size or nesting limit."""


class QueryTooLarge(QueryRefused):
    """Longer than the size limit: refused before anything reads it."""


class AnswerTooLarge(QueryRefused):
    """The serialized answer grew past the size an endpoint sends at once."""


class QuerySyntaxError(QueryError):
    """Not SPARQL: the message says where."""


class QueryTimeout(QueryError):
    """Ran longer than its time limit; its worker was killed."""


class EngineStopped(QueryError):
    """The process running the query died (memory or CPU limit, or a crash); a fresh one takes its place."""


class EngineBusy(QueryError):
    """Every worker was busy for the whole time limit."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class QueryFailed(QueryError):
    """The engine reported an error while evaluating the query."""
