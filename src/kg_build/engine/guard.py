"""What is checked is what runs: one canonical text, checked by parsing, then run as it is.

Two parsers read a query: rdflib's decides what it is (read-only? SERVICE anywhere?), Oxigraph's
runs it. Where they read a text differently, a check can be fooled (a ``#`` comment that one ends at
a carriage return and the other does not; a ``\\u0022`` that one expands before parsing). So before
either parses, ``canonical()`` lexes the text once and produces a text both read alike:

- comments are removed (``#`` to the next ``\\n`` or ``\\r``; the line end stays),
- codepoint escapes (``\\u`` and ``\\U``) are refused anywhere: write the character itself,
- other whitespace outside strings and IRIs (``\\x0b``, ``\\x0c``, ``\\x85``, ``\\u2028``, NBSP …)
  becomes a plain space; a line break inside a one-line string is refused;
- the text's size, bracket depth and operator chains are limited before any parser sees it.

``query_form()`` then parses *that* text with rdflib, and the engine runs *that* text. The check is
not the only wall: the process that runs a query cannot open a network socket (``sandbox.py``).
"""

from __future__ import annotations

import re
import sys
import threading

from kg_build.engine.errors import QueryRefused, QuerySyntaxError, QueryTooLarge
from kg_build.engine.limits import QueryLimits

PARSE_RECURSION_LIMIT = 10_000  # rdflib recurses once per triple pattern: ~1,000 patterns in one group
_PARSE_LOCK = threading.Lock()  # the recursion limit is process-wide (uncontended inside a query worker)
# SPARQL 1.2's LATERAL (which Oxigraph runs and the saved queries use) is unknown to rdflib's 1.1
# parser: the check reads "LATERAL { … }" as the plain group "{ … }", blanked to keep line and column.
# Blanking a keyword can neither hide nor make an update or a SERVICE pattern.
_LATERAL = re.compile(r"\bLATERAL(?=\s*\{)", re.IGNORECASE)
# a backslash that is not itself escaped (an odd run of them), then u or U: a codepoint escape
_CODEPOINT_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\[uU]")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[?$][\w\u00b7]+|[^\W\d][\w\-.\u00b7]{0,200}:[\w\-.:%\u00b7]*|:[\w\-.:%\u00b7]*|[^\W\d]\w*|\d[\d.]*(?:[eE][+-]?\d+)?")
_OPERATORS = frozenset("+-*/=!<>&|^")
_TWO_CHAR_OPERATORS = frozenset({"&&", "||", "!=", "<=", ">=", "^^"})
_OPENERS, _CLOSERS = "({[", ")}]"
_PLAIN_SPACE = frozenset(" \t\n\r")


def canonical(text: str, limits: QueryLimits) -> str:
    """The text both parsers read alike (comments out), or QueryError for what must not reach a parser."""
    if len(text) > limits.max_query_chars:
        raise QueryTooLarge(f"query over {limits.max_query_chars:,} characters: send a shorter one")
    escape = _CODEPOINT_ESCAPE.search(text)
    if escape is not None:
        line, column = _position(text, escape.end() - 2)
        raise QueryRefused(
            f"codepoint escapes (\\u, \\U) are refused (line {line}, column {column}): write the character itself"
        )
    out: list[str] = []
    depth, chains = 0, [0]
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "#":
            end = i + 1
            while end < size and text[end] not in "\n\r":
                end += 1
            i = end
        elif char in "\"'":
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
        elif char == "<" and (iri := _IRIREF.match(text, i)) is not None:
            out.append(iri.group())
            i = iri.end()
        elif (word := _WORD.match(text, i)) is not None:
            out.append(word.group())
            i = word.end()
        elif char in _OPENERS:
            depth += 1
            if depth > limits.max_nesting:
                raise QueryRefused(
                    f"query nested over {limits.max_nesting} brackets deep: simplify it (fewer nested groups)"
                )
            chains.append(0)
            out.append(char)
            i += 1
        elif char in _CLOSERS:
            if depth > 0:
                depth -= 1
                chains.pop()
            out.append(char)
            i += 1
        elif char in _OPERATORS:
            chains[-1] += 1
            if chains[-1] > limits.max_chain:
                raise QueryRefused(
                    f"over {limits.max_chain} operators in one expression or group: simplify it "
                    "(group terms with VALUES, or split the query)"
                )
            step = 2 if text[i : i + 2] in _TWO_CHAR_OPERATORS else 1
            out.append(text[i : i + step])
            i += step
        elif char.isspace() and char not in _PLAIN_SPACE:
            out.append(" ")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """The index just past the string that opens at ``start`` (one of ' " ''' \"\"\")."""
    quote = text[start]
    long = text.startswith(quote * 3, start)
    i = start + (3 if long else 1)
    size = len(text)
    while i < size:
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if long:
            if text.startswith(quote * 3, i):
                return i + 3
        elif char == quote:
            return i + 1
        elif char in "\n\r":
            line, column = _position(text, i)
            raise QuerySyntaxError(
                f"SPARQL syntax error at line {line}, column {column}: a line break inside a {quote}…{quote} "
                f"string; write \\n, or use a {quote * 3}long string{quote * 3}"
            )
        i += 1
    line, column = _position(text, start)
    raise QuerySyntaxError(f"SPARQL syntax error at line {line}, column {column}: a string is never closed")


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    line = before.count("\n") + 1
    return line, index - (before.rfind("\n") + 1) + 1


def query_form(text: str, *, service: bool = False) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE of a canonical text; QueryError for updates, SERVICE, syntax."""
    with _PARSE_LOCK:
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, PARSE_RECURSION_LIMIT))
        try:
            return _query_form(text, service=service)
        except RecursionError:
            raise QueryRefused(
                "query nested too deeply (or too many patterns in one group) to be checked: simplify it"
            ) from None
        finally:
            sys.setrecursionlimit(limit)


def check(text: str, limits: QueryLimits) -> tuple[str, str]:
    """The canonical text and its form: what the engine will run, checked as the limits ask."""
    text = canonical(text, limits)
    if not limits.check:
        return text, ""
    try:
        return text, query_form(text, service=limits.service)
    finally:
        from pyparsing import ParserElement

        ParserElement.reset_cache()  # its exceptions hold the caller's frames (and whatever they hold later)


def _query_form(text: str, *, service: bool = False) -> str:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    text = _LATERAL.sub(lambda m: " " * len(m.group()), text)
    try:
        tree = parser.parseQuery(text)
    except ParseException as exc:
        try:
            parser.parseUpdate(text)
        except ParseException:
            raise QuerySyntaxError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        raise QueryRefused("updates (INSERT, DELETE, LOAD, CLEAR, DROP …) are refused: this store is read-only") from None
    if not service and _has_service(tree):
        raise QueryRefused("SERVICE is refused: queries may not make this server fetch other URLs")
    return tree[1].name.replace("Query", "").upper()


def _has_service(node: object) -> bool:
    """Whether a parse tree holds a SERVICE pattern anywhere (sub-queries, OPTIONAL, UNION, …)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        return node.name == "ServiceGraphPattern" or any(_has_service(v) for v in node.values())
    if isinstance(node, (ParseResults, list, tuple)):
        return any(_has_service(v) for v in node)
    return False
