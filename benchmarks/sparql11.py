"""The saved queries in SPARQL 1.1, for engines without SPARQL 1.2's LATERAL (rdflib).

The saved queries use ``LATERAL`` so that Oxigraph looks things up per row kept
instead of joining over the whole store. The same answers in SPARQL 1.1, as
used here:

* ``LATERAL { OPTIONAL { P } }`` → ``OPTIONAL { P }`` — the left side binds P's
  join variables, so the left join gives the same rows;
* ``LATERAL { SELECT … }`` → ``{ SELECT … }`` — a join with the subquery (rows
  may come in another order; ORDER BY inside a subquery does not order the
  outer rows in SPARQL 1.1);
* ``LATERAL { P }`` → ``P`` inline.

``tests/test_benchmark_sparql11.py`` checks that rdflib answers each rewritten
query with the rows Oxigraph gives for the original, on the bundled reports.
"""

from __future__ import annotations

import re

_LATERAL = re.compile(r"\bLATERAL\s*\{", re.IGNORECASE)


def _masked(text: str) -> str:
    """The text with comments, strings and IRIs blanked (same length), so only the query's own syntax is left."""
    out, i, n = list(text), 0, len(text)

    def blank(a: int, b: int) -> None:
        out[a:b] = " " * (b - a)

    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif c == "<" and (iri := re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:])):
            blank(i, i + iri.end())
            i += iri.end()
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            blank(i, min(j + 1, n))
            i = j + 1
        else:
            i += 1
    return "".join(out)


def _closing(code: str, opening: int) -> int:
    """Index of the brace closing the one at ``opening`` in masked text."""
    depth = 0
    for i in range(opening, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced braces after LATERAL")


def sparql_1_1(text: str) -> str:
    """The query with every LATERAL block rewritten as its SPARQL 1.1 equivalent (see the module doc)."""
    while (match := _LATERAL.search(_masked(text))) is not None:
        opening = match.end() - 1
        closing = _closing(_masked(text), opening)
        inner = text[opening + 1 : closing].strip()
        replacement = "{ " + inner + " }" if re.match(r"SELECT\b", inner, re.IGNORECASE) else inner
        text = text[: match.start()] + replacement + text[closing + 1 :]
    return text
