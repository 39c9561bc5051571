"""User queries run read-only, in a worker that a time limit stops, with a row cap; downloads hold every row read."""

from __future__ import annotations

import csv
import fnmatch
import io
import json
import re
import time
import tomllib
from pathlib import Path

import pytest
from rdflib import XSD, Graph, Literal, URIRef

from kg_build.engine import QueryRefused, QuerySyntaxError, QueryTimeout
from kg_build.errors import QueryError
from kg_build.ontology_page import shipped_ontology
from kg_build.workbench import (
    HISTORY_SIZE, WorkerPool, add_missing_prefixes, chart_columns, completions, default_view, download_name, editor_runs,
    graph_edges, ontology_prefixes, read_completions, remember, run_query, syntax_message, to_csv, to_json,
    to_turtle, views_for,
)

PREFIXES = "PREFIX pol: <https://w3id.org/policy-kg/def#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def pool():
    workers = WorkerPool()
    yield workers
    workers.close()


def run(store, text, pool, **options):
    return run_query(store.root, text, pool=pool, **options)


FORMS = [
    ("SELECT ?p WHERE { ?p a pol:Pillar } ORDER BY ?p", "SELECT", 2),
    ("CONSTRUCT { ?p a pol:Pillar } WHERE { ?p a pol:Pillar }", "CONSTRUCT", 2),
    ("DESCRIBE ?p WHERE { ?p a pol:Pillar ; pol:ordinal 1 }", "DESCRIBE", None),
    ("ASK { ?p a pol:Pillar }", "ASK", None),
]


@pytest.mark.parametrize(("query", "form", "count"), FORMS)
def test_each_query_form_runs(sample_store, pool, query, form, count):
    result = run(sample_store, PREFIXES + query, pool)
    assert result.form == form
    assert result.elapsed_ms >= 0 and not result.truncated
    assert result.generation == sample_store.generation()
    if count is not None:
        assert result.count == count
    if form == "ASK":
        assert result.boolean is True
    if form == "DESCRIBE":
        assert result.count > 3


REFUSED = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/policy-kg/id/report/shili-2026>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://example.org/s> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o LATERAL { SERVICE <http://example.org/s> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p ?o LATERAL { { SELECT ?s WHERE { SERVICE <http://example.org/s> { ?s ?q ?r } } } } }",
]


@pytest.mark.parametrize("query", REFUSED)
def test_updates_load_and_service_are_refused_and_the_worker_stays(sample_store, pool, query):
    with pytest.raises(QueryRefused, match="refused"):
        run(sample_store, query, pool)
    before = pool.started
    assert run(sample_store, "ASK { ?s ?p ?o }", pool).boolean  # a refusal costs no worker
    assert pool.started == before


SYNTAX = [
    "SELEC * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p }",
    "SELECT * WHERE { ?s undeclared:p ?o }",
]


@pytest.mark.parametrize("query", SYNTAX)
def test_syntax_errors_say_so(sample_store, pool, query):
    with pytest.raises(QuerySyntaxError, match="syntax error"):
        run(sample_store, query, pool)


def test_the_row_cap_keeps_the_first_rows_and_says_it_cut(sample_store, pool):
    result = run(sample_store, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", pool, max_rows=25)
    assert result.count == 25 and result.truncated and result.max_rows == 25


def test_a_query_over_its_time_limit_is_stopped(sample_store, pool):
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
        run(sample_store, SLOW, pool, timeout_s=0.5)
    assert time.monotonic() - started < 60  # liveness, not speed: a worker start under load is slow
    before = pool.started
    assert run(sample_store, "ASK { ?s ?p ?o }", pool).boolean  # a fresh worker answers the next query
    assert pool.started == before + 1


def test_a_caller_that_goes_away_stops_its_query(sample_store, pool):
    class Gone(Exception):
        pass

    def on_wait(seconds: float) -> None:
        if seconds > 0.3:
            raise Gone

    started = time.monotonic()
    with pytest.raises(Gone):
        run(sample_store, SLOW, pool, timeout_s=120, on_wait=on_wait)
    assert time.monotonic() - started < 60  # liveness: well before the 120 s limit, however busy the machine
    before = pool.started
    assert run(sample_store, "ASK { ?s ?p ?o }", pool).boolean
    assert pool.started == before + 1  # the stopped worker was not given back


def test_a_rebuild_is_seen_by_the_next_query(tmp_path, pool):
    from conftest import write_sample_store

    store = write_sample_store(tmp_path / "store")
    first = run(store, "ASK { ?s ?p ?o }", pool)
    write_sample_store(tmp_path / "store")
    second = run(store, "ASK { ?s ?p ?o }", pool)
    assert (first.generation, second.generation) == ("000001", "000002")


def test_downloads_hold_every_row_as_sparql_results(sample_store, pool):
    query = "SELECT ?p ?label ?n WHERE { ?p a pol:Pillar ; skos:prefLabel ?label ; pol:ordinal ?n } ORDER BY ?n"
    result = run(sample_store, PREFIXES + query, pool)
    rows = list(csv.reader(io.StringIO(to_csv(result).decode("utf-8"))))
    assert rows[0] == ["p", "label", "n"]
    assert [r[1:] for r in rows[1:]] == [["扩大有效投资", "1"], ["培育新兴产业", "2"]]
    data = json.loads(to_json(result))
    assert data["head"]["vars"] == ["p", "label", "n"]
    first = data["results"]["bindings"][0]
    assert first["p"]["type"] == "uri"
    assert first["label"] == {"type": "literal", "value": "扩大有效投资", "xml:lang": "zh-hans"}
    assert first["n"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_a_graph_downloads_as_turtle(sample_store, pool):
    query = "CONSTRUCT { ?p skos:prefLabel ?l } WHERE { ?p a pol:Pillar ; skos:prefLabel ?l }"
    result = run(sample_store, PREFIXES + query, pool)
    graph = Graph().parse(data=to_turtle(result), format="turtle")
    assert len(graph) == 2 and b"@prefix skos:" in to_turtle(result)
    assert json.loads(to_json(result))[0]["predicate"]["value"].endswith("prefLabel")


@pytest.mark.parametrize("timeout", [0, -1])
def test_a_time_limit_must_be_positive(sample_store, pool, timeout):
    with pytest.raises(QueryError, match="positive"):
        run(sample_store, "ASK {}", pool, timeout_s=timeout)


# --- prefixes declared for the user ---------------------------------------------------------------

POL = "https://w3id.org/policy-kg/def#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
KNOWN = {"pol": POL, "skos": SKOS, "xsd": "http://www.w3.org/2001/XMLSchema#"}

# (query, the PREFIX lines added, in order of first use)
MISSING_PREFIXES = [
    ("SELECT ?t WHERE { ?t a pol:Target }", ("pol",)),
    ("SELECT ?t ?l WHERE { ?t a pol:Target ; skos:prefLabel ?l }", ("pol", "skos")),
    ("SELECT ?l WHERE { ?t skos:prefLabel ?l ; a pol:Target }", ("skos", "pol")),  # order of first use
    ("PREFIX pol: <urn:mine#>\nSELECT ?t WHERE { ?t a pol:Target }", ()),  # the user's own declaration wins
    ("prefix pol: <urn:mine#> SELECT ?t WHERE { ?t a pol:Target ; skos:prefLabel ?l }", ("skos",)),
    ("SELECT ?t WHERE { ?t a <https://w3id.org/policy-kg/def#Target> }", ()),  # an IRI is not a name
    ("SELECT ?t WHERE { ?t ?p 'skos:prefLabel' }", ()),  # nor is a string
    ('SELECT ?t WHERE { ?t ?p """pol:x\nxsd:int""" }', ()),  # nor a long one
    ("# pol:Target in a comment\nSELECT ?t WHERE { ?t ?p ?o }", ()),  # nor a comment
    ("SELECT ?t WHERE { ?t nope:p ?o }", ()),  # an unknown prefix is left for the parser to name
    ("SELECT ?t WHERE { ?t ?p 3 . FILTER(?o > '1'^^xsd:int) }", ("xsd",)),
    ("SELECT ?t WHERE { ?t pol:a/pol:b ?o }", ("pol",)),
    ("ASK {}", ()),
]


@pytest.mark.parametrize(("query", "added"), MISSING_PREFIXES)
def test_only_the_prefixes_used_and_lacking_are_declared(query, added):
    text, declared = add_missing_prefixes(query, KNOWN)
    assert declared == added
    lines = [f"PREFIX {p}: <{KNOWN[p]}>" for p in added]
    assert text == "\n".join([*lines, query]) if added else text == query


def test_the_ontology_prefixes_are_the_shipped_ontologys_declarations():
    prefixes = ontology_prefixes()
    assert {"pol", "skos", "qudt", "nif", "prov", "dct", "rdfs", "xsd", "vann"} <= set(prefixes)
    assert prefixes["pol"] == POL and prefixes["id"] == "https://w3id.org/policy-kg/id/"


def test_a_query_without_prefix_lines_runs_once_they_are_declared(sample_store, pool):
    text, added = add_missing_prefixes("SELECT ?p ?l WHERE { ?p a pol:Pillar ; skos:prefLabel ?l }")
    assert added == ("pol", "skos")
    assert run(sample_store, text, pool).count == 2


# --- a syntax error in one line: where and what was expected ----------------------------------------

# (query, line and column in the user's text, what the message says was expected or found)
BROKEN = [
    ("SELEC ?s WHERE { ?s ?p ?o }", "line 1, column 1",
     "expected SELECT, CONSTRUCT, ASK or DESCRIBE, found ‘SELEC’"),
    ("SELECT ?s WHERE { ?s ?p ?o ", "line 1, column 27", "expected ‘}’ to close the ‘{’ of line 1, column 17"),
    ("SELECT ?s\nWHERE { ?s ?p ?o ]", "line 2, column 18", "expected ‘}’ to close the ‘{’ of line 2, column 7"),
    ("SELECT ?s WHERE { ?s ?p }", "line 1, column 25", "expected an object after ‘?p’, found ‘}’"),
    ("SELECT ?s WHERE {\n  ?s ?p ?o .\n  ?s }", "line 3, column 6",
     "expected a predicate and an object after ‘?s’"),
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT x", "line 1, column 36", "expected a whole number after LIMIT, found ‘x’"),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER ?s", "line 1, column 36", "expected BY after ORDER, found ‘?s’"),
    ("SELECT (COUNT(?s) ?n) WHERE { ?s ?p ?o }", "line 1, column 19", "expected AS before ‘?n’"),
    ("SELECT ?s WHERE { ?s ?p ?o FILTER(?o > 3 && ) }", "line 1, column 45", "expected an expression after ‘&&’"),
    ("SELECT WHERE { ?s ?p ?o }", "line 1, column 8", "expected a variable, * or (… AS ?name) after SELECT"),
    ("SELECT ?s WHERE { ?s ?p ?o OPTIONAL ?s }", "line 1, column 37",
     "expected ‘{’ after OPTIONAL, found ‘?s’"),
    ("SELECT ?s WHERE { ?s nope:p ?o }", "line 1, column 22", "the prefix ‘nope:’ is not declared"),
    ("SELECT ?s WHERE { ?s ?p \"abc }", "line 1, column 25", "a string is never closed"),
    # after PREFIX lines were added above it, the line is still the user's
    ("SELECT ?t WHERE {\n  ?t a pol:Target ;\n     skos:prefLabel }", "line 3, column 21", "expected an object"),
]


@pytest.mark.parametrize(("query", "where", "what"), BROKEN)
def test_a_syntax_error_is_one_line_saying_where_and_what_was_expected(sample_store, pool, query, where, what):
    text, added = add_missing_prefixes(query)
    with pytest.raises(QuerySyntaxError) as caught:
        run(sample_store, text, pool)
    message = syntax_message(text, str(caught.value), lines_added=len(added))
    assert message == f"SPARQL syntax error at {where}: {message.split(': ', 1)[1]}"
    assert what in message and "\n" not in message
    assert not any(dump in message for dump in ("SelectQuery", "[_]", "..=", "\\u{", " | "))


# parser messages that name no rule of ours: readable expectations are kept, token sets never
PARSER_MESSAGES = [
    ("SELECT ?s WHERE { ?s ?p ?o } ?x", "SPARQL syntax error at line 1, column 30: Expected end of text",
     "expected the end of the query, found ‘?x’"),
    ("SELECT ?s WHERE { ?s ?p ?o } ?x", 'SPARQL syntax error: error at 1:30: expected one of ",", ".", [_], HAVING',
     "expected ‘,’ or ‘.’ or ‘HAVING’, found ‘?x’"),
    ("SELECT ?s WHERE { ?s ?p ?o } ?x", "SPARQL syntax error at line 1, column 30: Expected {A | B}",
     "the query cannot go on with ‘?x’ here"),
]


@pytest.mark.parametrize(("query", "parser", "what"), PARSER_MESSAGES)
def test_a_parsers_expectation_is_kept_only_when_readable(query, parser, what):
    assert syntax_message(query, parser) == f"SPARQL syntax error at line 1, column 30: {what}"


# --- result views ----------------------------------------------------------------------------------

DEFAULT_VIEWS = [
    ("#defaultView:BarChart\nSELECT ?a ?n WHERE {}", "bar"),
    ("# defaultView: LineChart\nSELECT ?a ?n WHERE {}", "line"),
    ("SELECT ?a WHERE {} #defaultView:Graph", "graph"),
    ("#defaultView:Table\nSELECT ?a WHERE {}", "table"),
    ("#defaultview:barchart\nSELECT ?a WHERE {}", "bar"),
    ("#defaultView:Map\nSELECT ?a WHERE {}", None),  # a WDQS view we do not have
    ("SELECT ?a WHERE { ?a ?p '#defaultView:BarChart' }", None),  # in a string, not a comment
    ("SELECT ?a WHERE {}", None),
]


@pytest.mark.parametrize(("query", "view"), DEFAULT_VIEWS)
def test_the_default_view_comment_picks_the_view(query, view):
    assert default_view(query) == view


A, B, C = URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")
P = URIRef(POL + "partOf")
ONE, TWO = Literal(1), Literal("2.5", datatype=XSD.decimal)

# (variables, rows, views offered, chart columns, edges)
RESULTS = [
    (["x", "n"], [(A, ONE), (B, TWO)], ["table", "bar", "line"], ("x", ["n"]), []),
    (["x", "n"], [(A, ONE), (B, None)], ["table", "bar", "line"], ("x", ["n"]), []),  # a gap is no text
    (["x", "l"], [(A, Literal("a")), (B, Literal("b"))], ["table"], None, []),
    (["s", "p", "o"], [(A, P, B), (B, P, C)], ["table", "graph"], None, [(A, P, B), (B, P, C)]),
    (["a", "label", "b"], [(A, Literal("x"), B), (B, Literal("y"), None)], ["table", "graph"], None, [(A, "b", B)]),
    (["a", "b", "n"], [(A, B, ONE)], ["table", "bar", "line", "graph"], ("a", ["n"]), [(A, "b", B)]),
    (["n", "m"], [(ONE, TWO)], ["table", "bar", "line"], ("n", ["m"]), []),
    (["n"], [(ONE,)], ["table"], None, []),
]


@pytest.mark.parametrize(("variables", "rows", "views", "chart", "edges"), RESULTS)
def test_each_result_offers_the_views_it_can_fill(variables, rows, views, chart, edges):
    assert views_for("SELECT", variables, rows) == views
    assert chart_columns(variables, rows) == chart
    assert graph_edges(variables, rows) == edges


DOWNLOAD_NAMES = [
    ("targets", "csv", 2, "targets-page2.csv"),
    ("targets", "json", None, "targets.json"),
    (None, "csv", None, "query.csv"),
    ("../x y", "ttl", None, "x-y.ttl"),
]


@pytest.mark.parametrize(("name", "extension", "page", "expected"), DOWNLOAD_NAMES)
def test_a_downloads_name_carries_the_query_and_its_page(name, extension, page, expected):
    assert download_name(name, extension, page=page) == expected


def test_the_history_keeps_the_last_runs_newest_first_once_each():
    history: list[dict] = []
    for text in ["q1", "q2", "q1", *[f"x{i}" for i in range(30)]]:
        history = remember(history, {"name": None, "params": {}, "text": text})
    assert len(history) == HISTORY_SIZE and history[0]["text"] == "x29"
    history = remember([{"name": "targets", "params": {"kind": "Target"}, "text": "t", "page": 1}],
                       {"name": "targets", "params": {"kind": "Target"}, "text": "t", "page": 2})
    assert [h["page"] for h in history] == [2, 1]  # another page is another entry


# --- completion --------------------------------------------------------------------------------------


def test_the_editor_completes_the_ontologys_prefixes_classes_and_properties():
    words = {(w.text, w.kind) for w in completions("en")}
    assert {("pol:", "prefix"), ("skos:", "prefix"), ("qudt:", "prefix")} <= words
    assert {("pol:Target", "class"), ("pol:Pillar", "class")} <= words
    assert {("pol:ordinal", "property"), ("skos:prefLabel", "property")} <= words
    ontology = shipped_ontology()
    assert {(t.name, "class" if t.is_class else "property") for t in ontology.terms} <= words
    assert next(w.hint for w in completions("zh") if w.text == "pol:Target") == shipped_ontology().terms[
        [t.name for t in ontology.terms].index("pol:Target")
    ].label("zh")


def test_completion_reads_any_ontology_given():
    turtle = (
        "@prefix ex: <urn:ex#> . @prefix owl: <http://www.w3.org/2002/07/owl#> . "
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ex:Thing a owl:Class ; rdfs:label "thing"@en . ex:size a owl:DatatypeProperty ; rdfs:domain ex:Thing .'
    )
    words = read_completions(turtle, {"ex": "urn:ex#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    assert [(w.text, w.kind, w.hint) for w in words] == [
        ("ex:", "prefix", "urn:ex#"), ("rdfs:", "prefix", "http://www.w3.org/2000/01/rdf-schema#"),
        ("ex:Thing", "class", "thing"), ("ex:size", "property", ""), ("rdfs:domain", "property", ""),
        ("rdfs:label", "property", ""),
    ]


# --- the editor component ships in the wheel and fetches nothing -------------------------------------

EDITOR_DIR = Path(__file__).resolve().parents[1] / "src" / "kg_build" / "static" / "sparql-editor"


def test_every_file_of_the_editor_is_package_data_and_loads_from_the_package():
    config = tomllib.loads((EDITOR_DIR.parents[3] / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = [p.removeprefix("**/") for p in config["tool"]["setuptools"]["package-data"]["kg_build"]]
    files = sorted(f.name for f in EDITOR_DIR.iterdir())
    assert {"index.html", "editor.js", "codemirror.js", "sparql.js", "show-hint.js"} <= set(files)
    assert [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []
    page = (EDITOR_DIR / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert loaded and all((EDITOR_DIR / name).is_file() for name in loaded)  # each a file beside it, none remote
    for own in ("index.html", "editor.js", "editor.css"):
        assert not re.search(r"https?://", (EDITOR_DIR / own).read_text(encoding="utf-8")), own


# --- the page: the URL's view and page, the query's prefixes, empty cells ----------------------------

PAGE_FILE = Path(__file__).resolve().parents[1] / "pages" / "sparql.py"
NUMBERS = "SELECT ?pillar ?n WHERE { ?pillar a pol:Pillar ; pol:ordinal ?n } ORDER BY ?n"
LABELS = "SELECT ?pillar ?l WHERE { ?pillar a pol:Pillar ; skos:prefLabel ?l }"

# (URL parameters, the view shown, ?view= in the URL after the run)
URL_VIEWS = [
    ({"q": NUMBERS}, "table", None),
    ({"q": "#defaultView:BarChart\n" + NUMBERS}, "bar", "bar"),
    ({"q": NUMBERS, "view": "line"}, "line", "line"),
    ({"q": "#defaultView:BarChart\n" + NUMBERS, "view": "table"}, "table", None),  # the URL's view wins
    ({"q": LABELS, "view": "bar"}, "table", "bar"),  # nothing to chart: a table, the URL as it was asked
    ({"q": "SELECT ?s ?p ?o WHERE { ?s a pol:Pillar ; ?p ?o . FILTER(isIRI(?o)) }", "view": "graph"}, "graph", "graph"),
]


def _page(store, monkeypatch, **params: str):  # noqa: ANN001, ANN202
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KG_STORE", str(store.root))
    at = AppTest.from_file(str(PAGE_FILE), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def _shown(at) -> str:  # noqa: ANN001
    if at.dataframe:
        return "table"
    charts = at.get("vega_lite_chart")
    if charts:
        marks = {m.get("type") for m in _marks(json.loads(charts[0].proto.spec))}
        return "line" if "line" in marks else "bar" if "bar" in marks else str(marks)
    drawn = [e.proto.component_name for e in at.get("component_instance")]
    return "graph" if "_graph_view.graph_view" in drawn else "nothing"  # the graph component (pages/_graph_view.py)


def _marks(spec: dict) -> list[dict]:
    mark = spec.get("mark")
    found = [mark if isinstance(mark, dict) else {"type": mark}] if mark else []
    return found + [m for layer in spec.get("layer", []) for m in _marks(layer)]


@pytest.mark.parametrize(("params", "view", "in_url"), URL_VIEWS)
def test_the_view_comes_from_the_url_then_the_query_comment(sample_store, monkeypatch, params, view, in_url):
    at = _page(sample_store, monkeypatch, **params)
    assert _shown(at) == view
    assert at.query_params.get("view") == in_url
    assert at.query_params["q"] == params["q"]


def test_a_listings_page_is_read_from_the_url_and_written_back(built_store, monkeypatch):
    at = _page(built_store, monkeypatch, query="targets", page="3")
    assert at.number_input(key="sq_page").value == 3
    assert (at.query_params["query"], at.query_params["page"]) == ("targets", "3")
    every = _page(built_store, monkeypatch, query="targets", page="all")
    assert every.checkbox(key="sq_all_rows").value is True
    assert every.query_params["page"] == "all"


def test_prefixes_are_declared_and_unbound_cells_are_empty(sample_store, monkeypatch):
    query = "SELECT ?pillar ?missing WHERE { ?pillar a pol:Pillar OPTIONAL { ?pillar pol:nothingHere ?missing } }"
    at = _page(sample_store, monkeypatch, q=query)
    assert any("pol:" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table["missing"]) == ["", ""]


# --- the editor's text reaching the server after a click on 运行 ---------------------------------------------------

EDITOR_ANSWERS = [
    # (Ctrl+Enter, text changed, seconds since 运行 was clicked or None) → runs
    (True, False, None, True),  # Ctrl+Enter runs, whatever else
    (True, True, 30.0, True),
    (False, True, 0.05, True),  # the editor lost the focus to the click, and its text came after the click's run
    (False, True, 1.9, True),
    (False, True, 2.5, False),  # an edit of its own, long after a click
    (False, True, None, False),  # never clicked: leaving the editor only keeps its text
    (False, False, 0.05, False),  # nothing changed: the click already ran this text
    (False, True, -1.0, False),  # a clock that went back is no click
]


@pytest.mark.parametrize(("ctrl_enter", "changed", "since", "runs"), EDITOR_ANSWERS)
def test_a_text_arriving_straight_after_a_click_runs_as_the_click_meant(ctrl_enter, changed, since, runs):
    assert editor_runs(ctrl_enter=ctrl_enter, changed=changed, since_click_s=since) is runs
