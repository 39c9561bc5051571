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
_WORD = re.compile(
    r"[?$][\w\u00b7]+"  # a variable
    r"|[^\W\d][\w\-.\u00b7]{0,200}:[\w\-.:%\u00b7]*|:[\w\-.:%\u00b7]*"  # a prefixed name (prefix scan bounded)
    r"|[^\W\d]\w*"  # a keyword
    r"|\d[\d.]*(?:[eE][+-]?\d+)?"  # a number
)
# one token at a time: the first alternative that matches wins (an IRI before the operator <)
_TOKEN = re.compile(
    r"(?P<comment>#[^\n\r]*)"
    r"|(?P<quote>[\"'])"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<word>" + _WORD.pattern + r")"
    r"|(?P<space>[ \t\n\r]+)"
    r"|(?P<open>[({\[])"
    r"|(?P<close>[)}\]])"
    r"|(?P<operator>&&|\|\||!=|<=|>=|\^\^|[-+*/=!<>&|^])"
    r"|(?P<other>.)",
    re.DOTALL,
)


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
        token = _TOKEN.match(text, i)
        assert token is not None  # "other" matches any one character
        kind, end = token.lastgroup, token.end()
        if kind == "comment":
            pass
        elif kind == "quote":
            end = _string_end(text, i)
            out.append(text[i:end])
        elif kind == "open":
            depth += 1
            if depth > limits.max_nesting:
                raise QueryRefused(
                    f"query nested over {limits.max_nesting} brackets deep: simplify it (fewer nested groups)"
                )
            chains.append(0)
            out.append(token.group())
        elif kind == "close":
            if depth > 0:
                depth -= 1
                chains.pop()
            out.append(token.group())
        elif kind == "operator":
            chains[-1] += 1
            if chains[-1] > limits.max_chain:
                raise QueryRefused(
                    f"over {limits.max_chain} operators in one expression or group: simplify it "
                    "(group terms with VALUES, or split the query)"
                )
            out.append(token.group())
        elif kind == "other" and token.group().isspace():
            out.append(" ")  # \x0b, \x0c, \x85, \u2028, NBSP …: a plain space
        else:  # iri, word, space, other
            out.append(token.group())
        i = end
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
