"""The workbench's side of a user's query: its limits, the prefixes declared for it, its syntax errors in
one line, the view its results open in, the words its editor completes, and its results as downloads.

Queries run through ``kg_build.engine.run_query`` (the one guarded path: canonical text checked and
run in a sandboxed worker that a time limit kills): the text that runs is the user's text with the
PREFIX lines it lacks, and that whole text is what the guard checks. Nothing here imports Streamlit.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg_build.engine import QueryLimits, QueryRun, WorkerPool, default_pool, timeout_ceiling_s
from kg_build.engine import run_query as run_engine_query
from kg_build.engine.limits import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_S
from kg_build.model.vocab import PREFIXES
from kg_build.resources import ontology_file, shapes_file

XSD_NS = "http://www.w3.org/2001/XMLSchema#"

SHOWN_ROWS = 10_000  # rows the app shows
MAX_ROWS = DEFAULT_MAX_ROWS  # rows a download holds at most

HISTORY_SIZE = 20  # queries of a session the workbench remembers
GRAPH_EDGES = 300  # edges the graph view draws at most (beyond them it says how many it left out)

__all__ = [
    "DEFAULT_TIMEOUT_S", "GRAPH_EDGES", "HISTORY_SIZE", "MAX_ROWS", "SHOWN_ROWS", "VIEWS", "Completion",
    "QueryRun", "WorkerPool", "add_missing_prefixes", "chart_columns", "completions", "default_pool",
    "default_view", "download_name", "graph_edges", "max_timeout_s", "ontology_prefixes", "remember",
    "run_query", "syntax_message", "to_csv", "to_json", "to_turtle", "used_prefixes", "views_for",
]


def max_timeout_s() -> int:
    """The longest time limit the workbench offers: the operator's ceiling ($KG_QUERY_TIMEOUT_CEILING_S)."""
    return max(1, int(timeout_ceiling_s()))


def run_query(
    store_path: Path,
    text: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    max_rows: int = MAX_ROWS,
    pool: WorkerPool | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> QueryRun:
    """A user's query under the workbench's limits (QueryError, a subclass per kind, when refused or stopped)."""
    limits = QueryLimits(timeout_s=timeout_s, max_rows=max_rows)
    return run_engine_query(store_path, text, limits, pool=pool, on_wait=on_wait)


# --- prefixes ---------------------------------------------------------------------------------

# one token at a time, the first alternative that matches wins: what is inside comments, strings and
# IRIs is never read as a prefixed name or a bracket
_LEX = re.compile(
    r"(?P<comment>#[^\n\r]*)"
    r"|(?P<string>\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*(?:\"\"\"|$)|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)"
    r"|\"(?:[^\"\\\n\r]|\\.)*\"?|'(?:[^'\\\n\r]|\\.)*'?)"
    r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)"
    r"|(?P<declare>\bPREFIX\s+(?P<declared>[^\W\d_][\w\-.]*)?:)"
    r"|(?P<var>[?$]\w+)"
    r"|(?P<pname>(?P<prefix>[^\W\d_][\w\-.]*)?:(?P<local>[\w\-.:%]*))"
    r"|(?P<word>\w+)"
    r"|(?P<space>\s+)"
    r"|(?P<open>[({\[])"
    r"|(?P<close>[)}\]])"
    r"|(?P<other>&&|\|\||!=|<=|>=|.)",
    re.DOTALL | re.IGNORECASE,
)
_KINDS = ("comment", "string", "iri", "declare", "var", "pname", "word", "space", "open", "close", "other")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    prefix: str | None = None


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in _LEX.finditer(text):
        kind = next(k for k in _KINDS if m.group(k) is not None)
        if kind == "space":
            continue
        prefix = m.group("declared") if kind == "declare" else m.group("prefix") if kind == "pname" else None
        out.append(_Token(kind, m.group(), m.start(), prefix))
    return out


@lru_cache(maxsize=1)
def ontology_prefixes() -> dict[str, str]:
    """Every prefix the shipped ontology declares, then the graph's own (id:, unit:, cur: …): name -> IRI."""
    graph = Graph(bind_namespaces="none")
    graph.parse(ontology_file(), format="turtle")
    declared = {name: str(ns) for name, ns in graph.namespaces() if name}
    return {**declared, **{name: ns for name, ns in PREFIXES.items() if name not in declared}}


def used_prefixes(text: str) -> tuple[list[str], set[str]]:
    """The prefixes a query's names use (in order of first use) and the prefixes it declares itself."""
    used: list[str] = []
    declared: set[str] = set()
    for token in _tokens(text):
        if token.kind == "declare" and token.prefix:
            declared.add(token.prefix)
        elif token.kind == "pname" and token.prefix and token.prefix not in used:
            used.append(token.prefix)
    return used, declared


def add_missing_prefixes(text: str, prefixes: dict[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """The query with a PREFIX line for each known prefix it uses and does not declare, and those prefixes.

    Only what is used and lacking is added (a declared prefix is the user's, even if it differs from ours),
    each on a line of its own above the text, so the user's lines keep their numbers plus the lines added.
    """
    known = ontology_prefixes() if prefixes is None else prefixes
    used, declared = used_prefixes(text)
    missing = tuple(p for p in used if p not in declared and p in known)
    if not missing:
        return text, ()
    return "".join(f"PREFIX {p}: <{known[p]}>\n" for p in missing) + text, missing


# --- syntax errors in one line ------------------------------------------------------------------

_POSITION = re.compile(r"line (\d+), column (\d+)|at (\d+):(\d+)")
_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_CLOSER = {"{": "}", "(": ")", "[": "]"}
_RULE_NAME = re.compile(r"[A-Z][a-z]+[A-Z]\w*")  # a grammar rule's name (SelectQuery), not a keyword
_OPERATORS = frozenset("= != < > <= >= && || + / !".split())  # not * (COUNT(*)) nor - (a name's end)
_GROUPS = ("WHERE", "OPTIONAL", "MINUS", "UNION")  # keywords a { must follow
_QUOTED = re.compile(r'"([^"\s]{1,3})"|\b([A-Z]{2,})\b')


def _index(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    line = max(1, min(line, len(lines)))
    return sum(len(x) + 1 for x in lines[: line - 1]) + max(0, min(column - 1, len(lines[line - 1])))


def _where(text: str, index: int, lines_added: int) -> str:
    before = text[:index]
    line = before.count("\n") + 1 - lines_added
    return f"line {line}, column {index - (before.rfind(chr(10)) + 1) + 1}"


def _found(token: _Token | None) -> str:
    if token is None:
        return "the end of the query"
    shown = token.text if len(token.text) <= 24 else token.text[:23] + "…"
    return f"‘{shown}’"


def _brackets(tokens: list[_Token]) -> tuple[_Token | None, str] | None:
    """The first bracket that does not match, and what was expected there; None when all match."""
    stack: list[_Token] = []
    for token in tokens:
        if token.kind == "open":
            stack.append(token)
        elif token.kind == "close":
            if not stack:
                return token, f"nothing open for {_found(token)} to close"
            top = stack.pop()
            if _CLOSER[top.text] != token.text:
                closer = _CLOSER[top.text]
                return token, f"expected ‘{closer}’ to close the ‘{top.text}’ of {{where:{top.start}}}"
    if stack:
        top = stack[-1]
        return None, f"expected ‘{_CLOSER[top.text]}’ to close the ‘{top.text}’ of {{where:{top.start}}}"
    return None


def _expected_from(message: str) -> str:
    """A parser's own expectation when it is short and readable: keywords and punctuation, no character sets."""
    tail = re.split(r"[Ee]xpected (?:one of )?", message, maxsplit=1)
    if len(tail) < 2:
        return ""
    wanted = tail[1].strip()
    if wanted == "end of text":
        return "the end of the query"
    names = [a or b for a, b in _QUOTED.findall(wanted)]  # oxigraph's keywords and quoted punctuation
    names = [n for n in names if not _RULE_NAME.fullmatch(n)][:6]
    if names:
        return " or ".join(f"‘{n}’" for n in names)
    if _RULE_NAME.search(wanted) or any(c in wanted for c in "[{|"):
        return ""
    return wanted if len(wanted) <= 40 else ""


def _slip(tokens: list[_Token]) -> tuple[_Token | None, str] | None:
    """A common slip read from two tokens in a row: LIMIT without a number, ORDER without BY, ``= )``."""
    for token, following in zip(tokens, [*tokens[1:], None]):
        word = token.text.upper() if token.kind == "word" else ""
        if word in ("LIMIT", "OFFSET") and (following is None or not following.text.isdigit()):
            return following, f"expected a whole number after {word}"
        if word in ("ORDER", "GROUP") and (following is None or following.text.upper() != "BY"):
            return following, f"expected BY after {word}"
        if word == "SELECT" and following is not None and following.text.upper() in ("WHERE", "{", "FROM"):
            return following, "expected a variable, * or (… AS ?name) after SELECT"
        if word in _GROUPS and (following is None or following.text != "{"):
            return following, f"expected ‘{{’ after {word}"
        if word == "AS" and (following is None or following.kind != "var"):
            return following, "expected a variable after AS"
        if token.kind == "other" and token.text in _OPERATORS and (following is None or following.kind == "close"):
            return following, f"expected an expression after ‘{token.text}’"
    return None


def syntax_message(text: str, message: str, *, lines_added: int = 0) -> str:
    """A syntax error as one line: where in the user's text (line, column) and what was expected there.

    ``text`` is the text that ran, ``message`` the guard's or the engine's message, ``lines_added`` the
    PREFIX lines put above the user's text (their numbers are taken off). Brackets, the query's form,
    undeclared prefixes and a few common slips are read from the text itself; otherwise the parser's
    position and expectation are kept, but never a dump of its token set.
    """
    first = message.strip().splitlines()[0] if message.strip() else "syntax error"
    significant = [t for t in _tokens(text) if t.kind != "comment"]

    def at(index: int, what: str) -> str:
        what = re.sub(r"\{where:(\d+)\}", lambda m: _where(text, int(m.group(1)), lines_added), what)
        return f"SPARQL syntax error at {_where(text, index, lines_added)}: {what}"

    match = _POSITION.search(first)
    if match is not None:
        line, column = (int(g) for g in (match.groups()[:2] if match.group(1) else match.groups()[2:]))
        index = _index(text, line, column)
        if not re.search(r"[Ee]xpected", first):  # the guard's own words (a string never closed …): kept
            return at(index, first[match.end():].lstrip(": ").strip())

    bad = _brackets(significant)
    if bad is not None:
        token, what = bad
        if token is None:
            return at(len(text.rstrip()), f"{what}, found the end of the query")
        return at(token.start, what if what.startswith("nothing") else f"{what}, found {_found(token)}")
    body = [t for t in significant if t.kind not in ("declare", "iri") and t.text.upper() != "BASE"]
    if not body:
        return at(len(text.rstrip()), "expected SELECT, CONSTRUCT, ASK or DESCRIBE, found the end of the query")
    if body[0].text.upper() not in _FORMS:
        return at(body[0].start, f"expected SELECT, CONSTRUCT, ASK or DESCRIBE, found {_found(body[0])}")
    _used, declared = used_prefixes(text)
    for token in significant:
        if token.kind == "pname" and token.prefix and token.prefix not in declared:
            name = token.prefix
            return at(token.start, f"the prefix ‘{name}:’ is not declared: add PREFIX {name}: <…>")

    slip = _slip(significant)
    if slip is not None:
        token, what = slip
        return at(token.start if token else len(text.rstrip()), f"{what}, found {_found(token)}")

    if match is None:
        return first
    after = [t for t in significant if t.start >= index]
    before = [t for t in significant if t.start < index]
    found = after[0] if after else None
    prev = before[-1] if before else None
    if prev is not None and prev.text == ")" and found is not None and found.kind == "var":
        return at(found.start, f"expected AS before {_found(found)}, as in SELECT (… AS {found.text})")
    # a triple pattern cut short (rdflib points at its start): count its terms up to the next . or bracket
    # (after ; a subject is held, after , a subject and a predicate)
    count = {";": 1, ",": 2}.get(prev.text, 0) if prev is not None else 0
    last, end = None, None
    for token in after:
        if token.text == "." or token.kind in ("open", "close"):
            end = token
            break
        count = 1 if token.text == ";" else 2 if token.text == "," else count + 1
        last = token if token.text not in (";", ",") else last
    inside = sum(t.text == "{" for t in before) > sum(t.text == "}" for t in before)
    if inside and found is not None and found.kind in ("var", "pname", "iri") and count in (1, 2) and last:
        role = "a predicate and an object" if count == 1 else "an object"
        where = end.start if end else len(text.rstrip())
        return at(where, f"expected {role} after {_found(last)}, found {_found(end)}")
    expected = _expected_from(first)
    if expected:
        return at(index, f"expected {expected}, found {_found(found)}")
    return at(index, f"the query cannot go on with {_found(found)} here")


# --- result views -------------------------------------------------------------------------------

VIEWS = ("table", "bar", "line", "graph")
_VIEW_NAMES = {"table": "table", "barchart": "bar", "linechart": "line", "graph": "graph"}
_DEFAULT_VIEW = re.compile(r"#\s*defaultView\s*:\s*(\w+)", re.IGNORECASE)
NUMERIC_TYPES = frozenset(
    XSD_NS + name
    for name in (
        "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
        "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
    )
)


def default_view(text: str) -> str | None:
    """The view a ``#defaultView:BarChart`` comment asks for (Table, BarChart, LineChart, Graph), as WDQS reads it."""
    for token in _tokens(text):
        if token.kind == "comment":
            match = _DEFAULT_VIEW.match(token.text)
            if match and match.group(1).lower() in _VIEW_NAMES:
                return _VIEW_NAMES[match.group(1).lower()]
    return None


def is_number(term: Node | None) -> bool:
    """Whether a term is a literal of a numeric XSD type."""
    return isinstance(term, Literal) and term.datatype is not None and str(term.datatype) in NUMERIC_TYPES


def number(term: Literal) -> float | int:
    """A numeric literal as a Python number (an integer when it is whole), NaN when it is not one."""
    try:
        value = Decimal(str(term))
    except InvalidOperation:
        return float("nan")
    if not value.is_finite():
        return float(value)
    return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)


def chart_columns(variables: Sequence[str], rows: Sequence[Sequence[Node | None]]) -> tuple[str, list[str]] | None:
    """What a chart draws: the first column that is not all numbers (its x) and the numeric columns (its y)."""
    numeric, other = [], []
    for index, var in enumerate(variables):
        present = [row[index] for row in rows if row[index] is not None]
        (numeric if present and all(is_number(t) for t in present) else other).append(var)
    if not numeric or not rows:
        return None
    if other:
        return other[0], numeric
    return (numeric[0], numeric[1:]) if len(numeric) > 1 else None


_TRIPLE_NAMES = (("s", "p", "o"), ("subject", "predicate", "object"))


def graph_edges(
    variables: Sequence[str], rows: Sequence[Sequence[Node | None]]
) -> list[tuple[Node, Node | str, Node]]:
    """Edges a graph view draws: (?s ?p ?o) when the columns are so named, else the first two IRI columns.

    An edge is (source, property, target); the property is the ?p term, or the target column's name.
    """
    lower = [v.lower() for v in variables]
    for names in _TRIPLE_NAMES:
        if all(n in lower for n in names):
            s, p, o = (lower.index(n) for n in names)
            return [(r[s], r[p], r[o]) for r in rows if r[s] is not None and r[p] is not None and r[o] is not None]
    iri_columns = [
        i for i in range(len(variables))
        if any(isinstance(r[i], URIRef) for r in rows) and all(r[i] is None or isinstance(r[i], URIRef) for r in rows)
    ]
    if len(iri_columns) < 2:
        return []
    a, b = iri_columns[:2]
    return [(r[a], variables[b], r[b]) for r in rows if r[a] is not None and r[b] is not None]


def views_for(form: str, variables: Sequence[str], rows: Sequence[Sequence[Node | None]]) -> list[str]:
    """The views a result can be shown in: always a table; charts when it has numbers; a graph when it links IRIs."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return ["table", "graph"] if rows else ["table"]
    if form != "SELECT":
        return []
    views = ["table"]
    if chart_columns(variables, rows) is not None:
        views += ["bar", "line"]
    if graph_edges(variables, rows):
        views.append("graph")
    return views


# Clicking 运行 takes the focus from the code editor, which then sends its text; that message can reach the server
# after the click's (a loaded browser), and the click then ran the text as it was before. A changed text that
# arrives this soon after a click is the click's: nobody types and leaves the editor that fast of their own accord.
CLICK_TAKES_TEXT_S = 2.0


def editor_runs(*, ctrl_enter: bool, changed: bool, since_click_s: float | None) -> bool:
    """Whether the code editor's answer runs the query: on Ctrl/Cmd+Enter, and when it brings a changed text
    ``since_click_s`` seconds after 运行 was clicked (None: not clicked), as the text that click meant to run."""
    return ctrl_enter or (changed and since_click_s is not None and 0 <= since_click_s < CLICK_TAKES_TEXT_S)


def download_name(name: str | None, extension: str, *, page: int | None = None) -> str:
    """A download's file name: the saved query's name (``query`` for one typed in), its page, the format."""
    stem = (re.sub(r"[^\w\-]+", "-", name).strip("-") if name else "") or "query"
    return f"{stem}-page{page}.{extension}" if page is not None else f"{stem}.{extension}"


def _history_key(entry: dict) -> tuple:
    return entry.get("name"), entry.get("text"), tuple(sorted((entry.get("params") or {}).items())), entry.get("page")


def remember(history: Sequence[dict], entry: dict, *, size: int = HISTORY_SIZE) -> list[dict]:
    """A session's history with ``entry`` first: an earlier run of the same query moves up, the oldest go."""
    return [entry, *(h for h in history if _history_key(h) != _history_key(entry))][:size]


# --- completion ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Completion:
    """A word the editor completes: a prefix, or a class or property of the ontology by its prefixed name."""

    text: str
    kind: str  # "prefix", "class" or "property"
    hint: str = ""  # a label, or the namespace of a prefix

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "kind": self.kind, "hint": self.hint}


def _short(iri: str, prefixes: dict[str, str]) -> str | None:
    best = max((p for p, ns in prefixes.items() if iri.startswith(ns)), key=lambda p: len(prefixes[p]), default=None)
    if best is None:
        return None
    local = iri[len(prefixes[best]):]
    return f"{best}:{local}" if re.fullmatch(r"[\w\-]+", local) else None


def read_completions(
    turtle: bytes | str, prefixes: dict[str, str], *, shapes: bytes | str = b"", lang: str = "en"
) -> list[Completion]:
    """Prefixes, then the classes and properties an ontology defines or uses, each by its prefixed name.

    ``shapes`` (SHACL) adds the properties and classes the graph's data is shaped with (skos:prefLabel …).
    """
    graph = Graph(bind_namespaces="none")
    graph.parse(data=turtle, format="turtle")
    if shapes:
        shaped = Graph(bind_namespaces="none").parse(data=shapes, format="turtle")
        for path in shaped.objects(None, SH.path):
            if isinstance(path, URIRef):
                graph.add((path, RDF.type, RDF.Property))
        for predicate in (SH.targetClass, SH["class"]):
            for cls in shaped.objects(None, predicate):
                if isinstance(cls, URIRef):
                    graph.add((cls, RDF.type, RDFS.Class))
    classes: set[str] = set()
    properties: set[str] = set()
    for kind in (OWL.Class, RDFS.Class):
        classes.update(str(s) for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
    for predicate in (RDFS.subClassOf, RDFS.domain, RDFS.range):
        classes.update(str(o) for o in graph.objects(None, predicate) if isinstance(o, URIRef))
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property):
        properties.update(str(s) for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
    properties.update(str(o) for o in graph.objects(None, RDFS.subPropertyOf) if isinstance(o, URIRef))
    properties.update(str(p) for p in graph.predicates() if isinstance(p, URIRef))
    classes = {c for c in classes if not c.startswith(XSD_NS)} - {str(OWL.Class), str(RDFS.Class)}
    properties -= classes

    def label(iri: str) -> str:
        labels = {
            (o.language or "").lower().split("-")[0]: str(o)
            for o in sorted(graph.objects(URIRef(iri), RDFS.label))
            if isinstance(o, Literal)
        }
        return labels.get(lang) or labels.get("en") or labels.get("") or next(iter(labels.values()), "")

    words = [Completion(f"{p}:", "prefix", ns) for p, ns in prefixes.items()]
    for kind, iris in (("class", classes), ("property", properties)):
        named = {name: iri for iri in iris if (name := _short(iri, prefixes))}
        words += [Completion(name, kind, label(named[name])) for name in sorted(named)]
    return words


@lru_cache(maxsize=4)
def completions(lang: str = "en") -> tuple[Completion, ...]:
    """What the editor completes, read from the shipped ontology: its prefixes, classes and properties."""
    return tuple(
        read_completions(
            ontology_file().read_bytes(), ontology_prefixes(), shapes=shapes_file().read_bytes(), lang=lang
        )
    )


# --- downloads -------------------------------------------------------------------------------


def _csv_cell(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def to_csv(run: QueryRun) -> bytes:
    """SPARQL 1.1 CSV results: IRIs and lexical forms, every row read (not only the rows shown)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if run.form == "ASK":
        writer.writerow(["boolean"])
        writer.writerow(["true" if run.boolean else "false"])
    elif run.form == "SELECT":
        writer.writerow(run.variables)
        writer.writerows([_csv_cell(t) for t in row] for row in run.rows)
    else:
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([_csv_cell(t) for t in triple] for triple in run.triples)
    return buffer.getvalue().encode("utf-8")


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    cell = {"type": "literal", "value": str(term)}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype is not None:
        cell["datatype"] = str(term.datatype)
    return cell


def to_json(run: QueryRun) -> bytes:
    """SPARQL 1.1 JSON results (SELECT, ASK); for graphs, a list of {subject, predicate, object}."""
    if run.form == "ASK":
        data: object = {"head": {}, "boolean": bool(run.boolean)}
    elif run.form == "SELECT":
        data = {
            "head": {"vars": run.variables},
            "results": {
                "bindings": [
                    {v: _json_term(t) for v, t in zip(run.variables, row) if t is not None} for row in run.rows
                ]
            },
        }
    else:
        data = [
            {"subject": _json_term(s), "predicate": _json_term(p), "object": _json_term(o)} for s, p, o in run.triples
        ]
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def to_turtle(run: QueryRun) -> bytes:
    """The triples of a CONSTRUCT or DESCRIBE as Turtle with the project's prefixes."""
    graph = Graph()
    for prefix, ns in sorted(PREFIXES.items()):
        graph.bind(prefix, ns, override=True)
    for triple in run.triples:
        graph.add(triple)
    return graph.serialize(format="turtle").encode("utf-8")
