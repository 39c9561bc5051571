"""Canonical N-Quads lines for RDF terms: the byte form a report graph is stored and compared in.

Terms are rdflib terms, or :class:`Lit` — a literal the model writes straight in its N-Triples
form, since building an rdflib ``Literal`` (lexical checks, a Python value) costs more than
everything else the model does with it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.term import BNode, Literal, Node, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class Lit(str):
    """A literal already in N-Triples syntax: ``"…"``, ``"…"@lang`` or ``"…"^^<datatype>``."""

    __slots__ = ()


Term = Node | Lit
Quad = tuple[Term, Term, Term, URIRef]


def literal(lexical: str, *, lang: str | None = None, datatype: str | None = None) -> Lit:
    """A literal in the form :func:`term_nt` gives the equal rdflib ``Literal``."""
    body = f'"{lexical.translate(_ESCAPES)}"'
    if lang:
        return Lit(f"{body}@{lang}")
    if datatype and datatype != XSD_STRING:
        return Lit(f"{body}^^<{datatype}>")
    return Lit(body)


def term_nt(term: Term) -> str:
    """One term in N-Triples syntax (strings escaped on one line, never triple-quoted)."""
    kind = type(term)
    if kind is Lit:
        return term
    if kind is URIRef:
        return f"<{term}>"
    if isinstance(term, Literal):
        return literal(str(term), lang=term.language, datatype=str(term.datatype) if term.datatype else None)
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"not an RDF term: {term!r}")


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

    lines = {f"{cached(s)} {cached(p)} {term_nt(o)} {cached(g)} .\n" for s, p, o, g in quads}
    return "".join(sorted(lines)).encode("utf-8")
