"""Guards for user-typed SPARQL, in-process: the checks of ``kg_build.engine.guard`` on the canonical text.

To *run* a query use ``kg_build.engine.run_query``: it checks and runs the same canonical text in a
sandboxed worker under limits. These functions only answer "what would the guard say?".
"""

from __future__ import annotations

from kg_build.engine.guard import canonical
from kg_build.engine.guard import query_form as _form_of_canonical
from kg_build.engine.limits import DEFAULT_LIMITS


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE; QueryError for updates, SERVICE, codepoint escapes, syntax errors."""
    return _form_of_canonical(canonical(text, DEFAULT_LIMITS))


def check_read_only(text: str) -> None:
    query_form(text)
