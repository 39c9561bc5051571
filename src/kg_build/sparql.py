"""Guards for user-typed SPARQL: read-only, no SERVICE — decided by parsing, not by searching text."""

from __future__ import annotations

import re
import sys
import threading

from kg_build.errors import QueryError

PARSE_RECURSION_LIMIT = 10_000  # rdflib recurses once per triple pattern: ~1,000 patterns in one group
_PARSE_LOCK = threading.Lock()  # the recursion limit is process-wide
# SPARQL 1.2's LATERAL (which Oxigraph runs and the saved queries use) is unknown to rdflib's 1.1
# parser: the checks read "LATERAL { … }" as the plain group "{ … }", blanked to keep line and column.
# Blanking a keyword can neither hide nor make an update or a SERVICE pattern.
_LATERAL = re.compile(r"\bLATERAL(?=\s*\{)", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE; QueryError for updates, SERVICE and syntax errors."""
    with _PARSE_LOCK:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, PARSE_RECURSION_LIMIT))
        try:
            return _query_form(text)
        except RecursionError:
            raise QueryError(
                "query nested too deeply (or too many patterns in one group) to be checked: simplify it"
            ) from None
        finally:
            sys.setrecursionlimit(limit)


def _query_form(text: str) -> str:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    text = _LATERAL.sub(lambda m: " " * len(m.group()), text)
    try:
        tree = parser.parseQuery(text)
    except ParseException as exc:
        try:
            parser.parseUpdate(text)
        except ParseException:
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        raise QueryError("updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused: this store is read-only") from None
    if _has_service(tree):
        raise QueryError("SERVICE is refused: queries may not make this server fetch other URLs")
    return tree[1].name.replace("Query", "").upper()


def check_read_only(text: str) -> None:
    query_form(text)


def _has_service(node: object) -> bool:
    """Whether a parse tree holds a SERVICE pattern anywhere (sub-queries, OPTIONAL, UNION, …)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_has_service(v) for v in node.values())
    if isinstance(node, (ParseResults, list, tuple)):
        return any(_has_service(v) for v in node)
    return False
