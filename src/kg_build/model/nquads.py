"""Canonical N-Quads lines for RDF terms: the byte form a report graph is stored and compared in.

Terms are rdflib terms, or :class:`Lit` — a literal the model writes straight in its N-Triples
form, since building an rdflib ``Literal`` (lexical checks, a Python value) costs more than
everything else the model does with it.

Every term is written by :func:`term_nt`, and every literal by :func:`literal`: IRIs are checked
against the N-Quads ``IRIREF`` grammar (absolute, none of ``<>"{}|^`\\``, spaces or control
characters) and literals escape ``\\``, ``"`` and every control character, exactly as Oxigraph
writes them. So no text from a report or its sidecar can end a line, close a term early or name
another graph: one written line is always one quad of the graph it names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib.term import BNode, Literal, Node, URIRef

from kg_build.errors import InputError

__all__ = ["Lit", "Quad", "Term", "input_iri", "iri_problem", "literal", "quad_line", "serialize", "term_nt"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Oxigraph's own N-Triples escapes: the seven short ones, every other C0 control and DEL as \\uXXXX.
_ESCAPES = str.maketrans(
    {
        **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
        "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f",
    }
)  # fmt: skip
# IRIREF without \\u escapes (never written), absolute: a scheme, then no space, control, <>"{}|^`\\ or surrogate.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\\x7f\ud800-\udfff]*")
_IRI_BAD_CHAR = re.compile(r"[\x00-\x20<>\"{}|^`\\\x7f\ud800-\udfff]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_BNODE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")


class Lit(str):
    """A literal already in N-Triples syntax: ``"…"``, ``"…"@lang`` or ``"…"^^<datatype>``."""

    __slots__ = ()


Term = Node | Lit
Quad = tuple[Term, Term, Term, URIRef]


@lru_cache(maxsize=65536)
def iri_problem(value: str) -> str | None:
    """Why ``value`` cannot be written as an absolute IRI, or None when it can.

    Two rules: the N-Quads ``IRIREF`` grammar (so the line stays whole) and the store's own IRI
    rules (RFC 3987: percent escapes, one ``#``, brackets only around a host), so an IRI written
    here never makes the store refuse a load.
    """
    if not _IRI.fullmatch(value):
        if not _SCHEME.match(value):
            return "not absolute: it has no scheme such as https:"
        bad = _IRI_BAD_CHAR.search(value)
        shown = "a space" if bad and bad.group() == " " else json.dumps(bad.group() if bad else value[:1])
        return f"it holds {shown}, which an IRI cannot hold"
    try:
        ox.NamedNode(value)
    except ValueError as err:
        return str(err)
    return None


def input_iri(value: str, *, field: str) -> URIRef:
    """An IRI taken from input (a sidecar's ``source_url``), checked; InputError naming ``field`` if it is not one."""
    problem = iri_problem(value)
    if problem is not None:
        raise InputError(f"{field}: {_shown(value)} is not a valid absolute IRI ({problem}); fix the value")
    return URIRef(value)


def literal(lexical: str, *, lang: str | None = None, datatype: str | None = None) -> Lit:
    """A literal in the form :func:`term_nt` gives the equal rdflib ``Literal`` (Oxigraph's N-Triples form)."""
    body = f'"{lexical.translate(_ESCAPES)}"'
    if lang:
        return Lit(f"{body}@{_checked_lang(lang)}")
    if datatype and datatype != XSD_STRING:
        return Lit(f"{body}^^{_checked_iri(datatype)}")
    return Lit(body)


def term_nt(term: Term) -> str:
    """One term in N-Triples syntax: IRIs checked, strings escaped on one line, never triple-quoted."""
    kind = type(term)
    if kind is Lit:
        return term
    if kind is URIRef:
        return _iri_nt(term)
    if isinstance(term, Literal):
        return literal(str(term), lang=term.language, datatype=str(term.datatype) if term.datatype else None)
    if isinstance(term, URIRef):
        return _iri_nt(term)
    if isinstance(term, BNode):
        if not _BNODE.fullmatch(term):
            raise InputError(f"cannot write the blank node label {_shown(str(term))}; it is not N-Quads syntax")
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


def _iri_nt(iri: str) -> str:
    """``<iri>``, or InputError when the text is not an IRI (it would break the line or the graph)."""
    problem = iri_problem(iri)
    if problem is not None:
        raise InputError(f"cannot write {_shown(str(iri))} as an IRI ({problem}); fix the input it came from")
    return f"<{iri}>"


@lru_cache(maxsize=256)
def _checked_iri(iri: str) -> str:
    return _iri_nt(iri)


@lru_cache(maxsize=64)
def _checked_lang(lang: str) -> str:
    if not _LANG.fullmatch(lang):
        raise InputError(f"cannot write the language tag {_shown(lang)}; use a BCP 47 tag such as zh-Hans")
    return lang


def quad_line(quad: Quad) -> str:
    s, p, o, g = quad
    return f"{term_nt(s)} {term_nt(p)} {term_nt(o)} {term_nt(g)} .\n"


def serialize(quads: Iterable[Quad]) -> bytes:
    """Sorted, de-duplicated N-Quads: the same quads always give the same bytes."""
    nt: dict[Term, str] = {}  # subjects, predicates and graph names recur: each is written once

    def cached(term: Term) -> str:
        text = nt.get(term)
        if text is None:
            text = nt[term] = term_nt(term)
        return text

    def uri_cached(term: Term) -> str:  # objects: a Lit is its own text; an IRI (a type, an entity) recurs
        return term if type(term) is Lit else cached(term) if type(term) is URIRef else term_nt(term)

    lines = {f"{cached(s)} {cached(p)} {uri_cached(o)} {cached(g)} .\n" for s, p, o, g in quads}
    text = "".join(sorted(lines))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone surrogate: from a file name or a \ud800 escape in JSON
        line = text[text.rfind("\n", 0, err.start) + 1 : text.find("\n", err.start)]
        what = line.split(" ", 2)[1] if line.count(" ") >= 2 else "a term"
        raise InputError(
            f"cannot write the value of {what}: it holds {_shown(err.object[err.start])}, "
            f"a lone surrogate that is not Unicode text; fix the input it came from"
        ) from None


def _shown(value: str) -> str:
    """A short, one-line, ASCII rendering of a bad value for a message."""
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + '..."'
