"""Errors a user can act on: one class per kind, each with its exit code and a one-line message.

The CLI exits with ``exit_code``; the app and the endpoint choose a title or an HTTP
status by class (never by reading the message). The kinds and their exit codes:

==  ===========================  ==========================================================
 1  PolicyKGError                an error of no more specific kind
 3  InputError                   bad input: a report, sidecar, path or value the tool cannot take as given
 3  ReportNotFoundError          a report id or IRI the store does not hold
 4  QueryError                   a query that is malformed or failed (QuerySyntaxError, QueryFailed …)
 4  QueryRefused                 a query this tool does not run: an update, SERVICE, past a size or nesting limit
 5  QueryTimeout                 a query that ran past its time limit (its worker was killed)
 6  StoreError                   the store cannot be opened, read or written
 7  StoreMissingError            no store at the location given: nothing was built there yet
 8  StoreDamagedError            a store whose files or record are damaged: rebuild it
 9  RemoteUnreachableError       a remote SPARQL store that does not answer
 6  RemoteRefusedError           a remote SPARQL store that answered a write or read with an error status
10  BuildError                   a build that could not finish for a reason outside its input
75  StoreBusyError               another build is writing to the store: try again when it is done
==  ===========================  ==========================================================

(Exit status 2 is a command line click refused; 130 an interrupt.)
"""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base of every error the CLI turns into a one-line message and a non-zero exit."""

    exit_code = 1


class InputError(PolicyKGError):
    """A report, sidecar, path or value the tool cannot read as given."""

    exit_code = 3


class BuildError(PolicyKGError):
    """A build could not finish for a reason outside its input, e.g. a worker process was killed."""

    exit_code = 10


class StoreError(PolicyKGError):
    """The store cannot be opened, read or written."""

    exit_code = 6


class ReportNotFoundError(StoreError):
    """A report id or IRI the store does not hold (a mistake in what was asked for, so the exit code of bad input)."""

    exit_code = 3


class StoreMissingError(StoreError):
    """No store at the location given: nothing was built there yet."""

    exit_code = 7


class StoreDamagedError(StoreError):
    """A store's files are corrupt or its record is malformed: it must be rebuilt."""

    exit_code = 8


class StoreBusyError(StoreError):
    """Another build is writing to the store."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class RemoteUnreachableError(StoreError):
    """A remote SPARQL store that cannot be reached (refused connection, unknown host, no answer in time).

    ``may_have_arrived`` is False when the request surely never reached the server (the connection was
    refused or the host unknown), True when it may have (the connection broke or timed out).
    """

    exit_code = 9

    def __init__(self, message: str, *, may_have_arrived: bool = True) -> None:
        super().__init__(message)
        self.may_have_arrived = may_have_arrived


class RemoteRefusedError(StoreError):
    """A remote SPARQL store answered with an error status: it did not do what was asked."""


class QueryError(PolicyKGError):
    """A SPARQL query (or a saved query's parameters) that is malformed or failed."""

    exit_code = 4


class QueryRefused(QueryError):
    """Not a read-only query this tool runs: an update, SERVICE, over a size or nesting limit."""


class QueryTooLarge(QueryRefused):
    """Longer than the size limit: refused before anything reads it."""


class AnswerTooLarge(QueryRefused):
    """The serialized answer grew past the size an endpoint sends at once."""


class QuerySyntaxError(QueryError):
    """Not SPARQL: the message says where."""


class QueryTimeout(QueryError):
    """Ran longer than its time limit; its worker was killed."""

    exit_code = 5


class EngineStopped(QueryError):
    """The process running the query died (memory or CPU limit, or a crash); a fresh one takes its place."""


class EngineBusy(QueryError):
    """Every worker was busy for the whole time limit."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class QueryFailed(QueryError):
    """The engine reported an error while evaluating the query."""
