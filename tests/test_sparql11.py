"""Every saved query has a SPARQL 1.1 form (queries/sparql11/) that gives the fast form's rows: on the bundled
store, and on a plain `oxigraph serve` loaded from the TriG export, its union default graph on or off."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest

from integration_helpers import free_port, running
from kg_build.errors import QueryError
from kg_build.export import export_graph
from kg_build.queries import SavedQuery, saved_queries
from kg_build.resources import queries_dir
from kg_build.store.remote import RemoteStore

NAMES = sorted(saved_queries())
# a parameter value for the queries that take one and would otherwise list too little to compare
PARAMETERS = {"region-profile": {"region": "福建省"}}


def _code(text: str) -> str:
    """The query without its comment lines and trailing comments (a comment may name LATERAL)."""
    return "\n".join(re.sub(r"\s#\s.*$", "", line) for line in text.splitlines() if not line.lstrip().startswith("#"))


def _rows(result) -> Counter:  # noqa: ANN001
    """The rows as a multiset; GROUP_CONCAT's order is the engine's own, so its parts are compared as a set."""
    def cell(value: object) -> str | None:
        return None if value is None else "、".join(sorted(str(value).split("、")))

    return Counter(tuple(cell(v) for v in row) for row in result.rows)


def test_every_saved_query_has_a_sparql_1_1_form_without_lateral():
    forms = sorted(p.stem for p in (queries_dir() / "sparql11").glob("*.rq"))
    assert forms == NAMES
    assert any(re.search(r"\bLATERAL\b", _code(q.text)) for q in saved_queries().values())  # the check can fail
    for name in NAMES:
        query = saved_queries()[name]
        assert not re.search(r"\bLATERAL\b", _code(query.bind(page=None, sparql11=True)), re.IGNORECASE), name


def test_a_query_without_a_sparql_1_1_form_says_so():
    bare = SavedQuery(name="bare", title="", description="", text="SELECT * WHERE { ?s ?p ?o }", path=Path("bare.rq"))
    with pytest.raises(QueryError, match="no SPARQL 1.1 form"):
        bare.bind(sparql11=True)


def test_a_sparql_1_1_form_must_take_the_same_parameters(tmp_path):
    (tmp_path / "sparql11").mkdir()
    (tmp_path / "q.rq").write_text("# param: year year 2026 — a year\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    (tmp_path / "sparql11" / "q.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="parameters and page size must be those of q.rq"):
        saved_queries(tmp_path)


@pytest.fixture(scope="module")
def expected(built_store) -> dict[str, Counter]:  # noqa: ANN001
    """Each saved query's rows, fast form, on the bundled store (every page)."""
    found = {}
    for name in NAMES:
        found[name] = _rows(built_store.query(saved_queries()[name].bind(PARAMETERS.get(name), page=None)))
        assert found[name], f"{name} gives no row on the bundled store: nothing would be compared"
    return found


@pytest.mark.parametrize("name", NAMES)
def test_the_sparql_1_1_form_gives_the_fast_forms_rows(built_store, expected, name):
    query = saved_queries()[name]
    assert _rows(built_store.query(query.bind(PARAMETERS.get(name), page=None, sparql11=True))) == expected[name]


@pytest.mark.parametrize("name", [n for n in NAMES if saved_queries()[n].page_size])
def test_a_paged_sparql_1_1_form_pages_in_the_fast_forms_order(built_store, name):
    query = saved_queries()[name]
    fast = built_store.query(query.bind(page=None))
    portable = built_store.query(query.bind(page=None, sparql11=True))
    # report by report (or statement by statement, where a row names no report), as the fast form
    keys = ("report", "targetReport", "statement", "organization")  # organizations: organization by organization
    report = next(fast.variables.index(v) for v in keys if v in fast.variables)
    assert [r[report] for r in portable.rows] == [r[report] for r in fast.rows]


# These tests check the SPARQL 1.1 forms' rows on a plain server, not its speed: panel's form takes about 85 s there
# with the union default graph off on an idle two-core machine, past the client's usual 120 s on a busy one
PLAIN_SERVER_TIMEOUT_S = 900.0

UNION = [("union default graph on", ["--union-default-graph"], "server"),
         ("union default graph off", [], "dataset")]


@pytest.fixture(scope="module", params=UNION, ids=[u[0] for u in UNION])
def plain_server(request, built_store, tmp_path_factory):  # noqa: ANN001, ANN201
    """A plain `oxigraph serve` (not our endpoint) loaded from the TriG export; yields our store URL for it."""
    from kg_build.serve import oxigraph_binary

    _, flags, union = request.param
    folder = tmp_path_factory.mktemp("plain-oxigraph")
    trig = folder / "export.trig"
    trig.write_bytes(export_graph(built_store, fmt="trig"))
    import subprocess

    subprocess.run([oxigraph_binary(), "load", "--location", str(folder / "data"), "--file", str(trig)],
                   check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [oxigraph_binary(), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}", *flags]
    with running(command, ready_url=f"{base}/query", log=folder / "oxigraph.log"):
        yield f"{base}?union={union}"


@pytest.mark.parametrize("name", NAMES)
def test_the_sparql_1_1_form_runs_on_a_plain_oxigraph_server(plain_server, expected, name):
    query = saved_queries()[name]
    rows = _rows(RemoteStore(plain_server, timeout=PLAIN_SERVER_TIMEOUT_S).query(query.bind(PARAMETERS.get(name), page=None, sparql11=True)))
    assert rows == expected[name]  # the same rows, each as often: no duplicates from graphs stating the same triple


@pytest.mark.parametrize("name", ["organizations", "targets"])  # the fast forms repeat rows on such a server
def test_kg_build_query_sends_a_store_named_by_url_the_sparql_1_1_form(plain_server, built_store, name):
    from click.testing import CliRunner

    from kg_build.cli import main

    def lines(store: str) -> Counter:
        result = CliRunner().invoke(main, ["query", name, "--store", store, "--all", "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = csv.reader(io.StringIO(result.stdout))
        return Counter(tuple("、".join(sorted(cell.split("、"))) for cell in row) for row in rows)  # GROUP_CONCAT's order varies

    assert lines(plain_server) == lines(str(built_store.root))


def _target_outcomes(store):  # noqa: ANN001, ANN202
    from kg_build.outcomes import target_outcomes

    return Counter(target_outcomes(store))


def _panel_rows(store):  # noqa: ANN001, ANN202
    from kg_build.panel import panel_rows

    return Counter(panel_rows(store))


LIBRARY_CALLERS = [("target_outcomes", _target_outcomes), ("panel_rows", _panel_rows)]


@pytest.mark.parametrize(("caller", "rows"), LIBRARY_CALLERS, ids=[c[0] for c in LIBRARY_CALLERS])
def test_the_librarys_saved_query_callers_give_the_local_rows_on_a_plain_server(plain_server, built_store, caller, rows,
                                                                                monkeypatch):
    from kg_build.engine.limits import TIMEOUT_CEILING_ENV

    # the panel asks for the longest time limit allowed (120 s unless the installation says more): this checks rows
    monkeypatch.setenv(TIMEOUT_CEILING_ENV, str(PLAIN_SERVER_TIMEOUT_S))
    expected = rows(built_store)
    assert expected, caller
    assert rows(RemoteStore(plain_server, timeout=PLAIN_SERVER_TIMEOUT_S)) == expected
