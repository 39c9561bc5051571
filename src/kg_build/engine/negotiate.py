"""Content negotiation for the endpoint: which serialization a client's Accept header asks for."""

from __future__ import annotations

import pyoxigraph as ox

# (media type, format); the first is the default for */* or no Accept header
RESULTS_FORMATS: list[tuple[str, ox.QueryResultsFormat]] = [
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("application/xml", ox.QueryResultsFormat.XML),
    ("text/xml", ox.QueryResultsFormat.XML),
]
GRAPH_FORMATS: list[tuple[str, ox.RdfFormat]] = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("text/n3", ox.RdfFormat.N3),
    ("application/n-quads", ox.RdfFormat.N_QUADS),
    ("application/trig", ox.RdfFormat.TRIG),
    ("text/plain", ox.RdfFormat.N_TRIPLES),
]
CHARSET_TYPES = ("text/",)


class NotAcceptable(ValueError):
    """None of the media types the client accepts can carry this kind of result."""


def _ranges(accept: str) -> list[tuple[float, int, str]]:
    ranges = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranges.append((-q, index, media.lower()))
    return sorted(ranges)


def _choose(accept: str, offered: list[tuple[str, object]], kind: str) -> tuple[str, object]:
    if not accept.strip():
        return offered[0]
    for _q, _index, media in _ranges(accept):
        if media in ("*/*", "*"):
            return offered[0]
        for candidate in offered:
            if candidate[0] == media or (media.endswith("/*") and candidate[0].startswith(media[:-1])):
                return candidate
    names = ", ".join(m for m, _ in offered[:4])
    raise NotAcceptable(f"none of the accepted media types can carry {kind}: accept one of {names}")


def choose_results_format(accept: str) -> tuple[str, ox.QueryResultsFormat]:
    media, fmt = _choose(accept, RESULTS_FORMATS, "SELECT or ASK results")
    return _with_charset(media), fmt  # type: ignore[return-value]


def choose_graph_format(accept: str) -> tuple[str, ox.RdfFormat]:
    media, fmt = _choose(accept, GRAPH_FORMATS, "a graph (CONSTRUCT, DESCRIBE)")
    return _with_charset(media), fmt  # type: ignore[return-value]


def _with_charset(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith(CHARSET_TYPES) else media
