"""The kinds of query failure, so the app and the endpoint decide by type, never by reading a message.

Defined with every other kind of error in ``kg_build.errors`` (each with its exit code); named here too.
"""

from __future__ import annotations

from kg_build.errors import (
    AnswerTooLarge,
    EngineBusy,
    EngineStopped,
    QueryFailed,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooLarge,
)

__all__ = [
    "AnswerTooLarge", "EngineBusy", "EngineStopped", "QueryFailed", "QueryRefused", "QuerySyntaxError",
    "QueryTimeout", "QueryTooLarge",
]
