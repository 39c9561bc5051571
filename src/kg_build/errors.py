"""Errors a user can act on: each carries a one-line message saying what is wrong and what to do."""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base of every error the CLI turns into a one-line message and a non-zero exit."""

    exit_code = 1


class InputError(PolicyKGError):
    """A report, sidecar or path the tool cannot read as given."""


class BuildError(PolicyKGError):
    """A build could not finish for a reason outside its input, e.g. a worker process was killed."""


class StoreError(PolicyKGError):
    """The store cannot be opened, read or written."""


class StoreDamagedError(StoreError):
    """A store's files are corrupt or its record is malformed: it must be rebuilt."""


class QueryError(PolicyKGError):
    """A SPARQL query is malformed, refused, or ran out of time."""
