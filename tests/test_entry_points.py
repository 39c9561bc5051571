"""One outcome whichever way a query comes in, on a local and on a remote store.

Every refused-query form and a runaway query under a 1 s time limit go through each entry point —
`kg-build query`, the workbench's run function, the endpoint (`make_server`), the explorer's
SPARQL page (what a user types into the app) — against the sample store and against a copy of it
served by a real `oxigraph serve`. Each must end the same way: the same error class, hence the
same exit code, HTTP status and page title, and (for refusals) the same one-line message the
engine gives. The explorer's own queries (built by the app, run without the parse that checks
typed text) have a table of their own at the end.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from integration_helpers import oxigraph_server
from kg_build import explore, workbench
from kg_build.cli import main
from kg_build.engine import WorkerPool, run_query
from kg_build.errors import (
    PolicyKGError, QueryError, QueryFailed, QueryRefused, QuerySyntaxError, QueryTimeout, QueryTooLarge,
)
from kg_build.serve import make_server
from kg_build.store import LocalStore, open_store
from test_query_limits import SLOW
from test_remote_app import PAGES, _errors, remote_url  # noqa: F401 - remote_url is a fixture

TIMEOUT_S = 1
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"

# (id, query, the error class every entry point must end in)
REFUSED = [
    ("update", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", QueryRefused),
    ("load", "LOAD <http://127.0.0.1:9/data.ttl>", QueryRefused),
    ("service", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", QueryRefused),
    ("hidden-service", "SELECT * WHERE { ?s ?p ?o # c\r SERVICE <http://127.0.0.1:9/> { ?x ?y ?z }\n}", QueryRefused),
    ("escape", 'SELECT ("\\u0022" AS ?x) {}', QueryRefused),
    ("syntax", "SELEC * WHERE { ?s ?p ?o }", QuerySyntaxError),
    ("over-size", "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70_000, QueryTooLarge),
    ("over-deep", "SELECT * WHERE " + "{ " * 100 + "?s ?p ?o" + " }" * 100, QueryRefused),
]
REFUSED_IDS = [case[0] for case in REFUSED]
ENTRIES = ["cli", "workbench", "endpoint", "explorer"]
WHERE = ["local", "remote"]

# What each entry point shows for an error class: the CLI's exit code, the endpoint's status, the page's title
STATUS = {QueryRefused: 400, QueryTooLarge: 413, QuerySyntaxError: 400, QueryTimeout: 503}
TITLE = {QueryRefused: "查询被拒绝", QueryTooLarge: "查询被拒绝", QuerySyntaxError: "SPARQL 语法错误", QueryTimeout: "查询超时"}


@contextmanager
def _endpoint(location: str | LocalStore) -> Iterator[str]:
    store = location if isinstance(location, LocalStore) else open_store(location)
    server, served = make_server(store, port=0, timeout_s=TIMEOUT_S)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/query"
    finally:
        server.shutdown()
        server.server_close()
        served.close()


@pytest.fixture(scope="module")
def places(sample_store: LocalStore, remote_url: str) -> Iterator[dict[str, tuple[str, str]]]:  # noqa: F811
    """Per store: (its location as the CLI and the app take it, the URL of an endpoint serving it)."""
    with _endpoint(sample_store) as local, _endpoint(remote_url) as remote:
        yield {"local": (str(sample_store.root), local), "remote": (remote_url, remote)}


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    workers = WorkerPool()
    yield workers
    workers.close()


def outcome(entry: str, location: str, endpoint: str, text: str, monkeypatch: pytest.MonkeyPatch,
            pool: WorkerPool) -> tuple[int | str, str]:
    """How one entry point ended a query: (exit code, HTTP status or page title; the one-line message)."""
    if entry == "cli":
        result = CliRunner().invoke(main, ["query", text, "--store", location, "--timeout-s", str(TIMEOUT_S)])
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
        return result.exit_code, result.output.strip().removeprefix("Error: ")
    if entry == "workbench":
        with pytest.raises(QueryError) as caught:
            workbench.run_query(location, text, timeout_s=TIMEOUT_S, pool=pool)
        return type(caught.value).__name__, str(caught.value)
    if entry == "endpoint":
        response = httpx.post(endpoint, data={"query": text}, headers={"Accept": "text/csv"}, timeout=60)
        assert response.text.count("\n") == 1, response.text
        return response.status_code, response.text.strip()
    errors = _errors(_app_run(location, text, monkeypatch))
    assert len(errors) == 1, errors
    title, _, message = errors[0].partition(" — ")
    return title.strip("*"), message


def _app_run(location: str, text: str, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202
    """The explorer's SPARQL page with the query in its URL and its time limit field at TIMEOUT_S."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KG_STORE", location)
    at = AppTest.from_file(str(PAGES / "sparql.py"), default_timeout=60)
    at.query_params["q"] = text
    at.session_state["sq_timeout"] = TIMEOUT_S
    return at.run()


def expected(entry: str, kind: type[PolicyKGError]) -> int | str:
    return {"cli": kind.exit_code, "workbench": kind.__name__, "endpoint": STATUS[kind], "explorer": TITLE[kind]}[entry]


@pytest.fixture(scope="module")
def engine_messages(sample_store: LocalStore) -> dict[str, tuple[type, str]]:
    """What the one query path itself says of each refused query (on the local store)."""
    said = {}
    for name, text, _ in REFUSED:
        with pytest.raises(QueryError) as caught:
            run_query(sample_store, text)
        said[name] = (type(caught.value), str(caught.value))
    return said


def test_the_engine_itself_refuses_each_form_as_the_table_says(engine_messages):
    assert {name: kind for name, (kind, _) in engine_messages.items()} == {name: kind for name, _, kind in REFUSED}
    assert all("\n" not in message for _, message in engine_messages.values())


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("entry", ENTRIES)
@pytest.mark.parametrize(("name", "text", "kind"), REFUSED, ids=REFUSED_IDS)
def test_every_refused_form_ends_alike_at_every_entry_point(places, engine_messages, pool, monkeypatch,
                                                            entry, where, name, text, kind):
    location, endpoint = places[where]
    shown, message = outcome(entry, location, endpoint, text, monkeypatch, pool)
    assert shown == expected(entry, kind), message
    said = engine_messages[name][1]
    if entry == "explorer" and kind is QuerySyntaxError:  # the workbench says where and what was expected
        said = workbench.syntax_message(text, said)
    assert message == said  # word for word what the engine said, local or remote


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("entry", ENTRIES)
def test_a_runaway_query_is_stopped_at_the_time_limit_at_every_entry_point(sample_store, pool, tmp_path, monkeypatch,
                                                                          entry, where):
    if where == "local":
        with _endpoint(sample_store) as endpoint:
            shown, message = outcome(entry, str(sample_store.root), endpoint, SLOW, monkeypatch, pool)
    else:  # a server of its own: it keeps working on the runaway after we stop waiting, until it is stopped
        shutil.copytree(sample_store.root / "generations" / sample_store.generation(), tmp_path / "data")
        with oxigraph_server(tmp_path / "data", tmp_path) as url, _endpoint(url) as endpoint:
            shown, message = outcome(entry, url, endpoint, SLOW, monkeypatch, pool)
    assert shown == expected(entry, QueryTimeout), message
    assert f"time limit of {TIMEOUT_S} s" in message


def _count(location: str) -> int:
    return int(run_query(location, COUNT_ALL).rows[0][0])


@pytest.mark.parametrize("where", WHERE)
def test_no_refused_update_changed_the_store(places, pool, monkeypatch, where):
    location, endpoint = places[where]
    before = _count(location)
    for entry in ENTRIES:
        for _, text, _ in REFUSED[:2]:  # INSERT DATA and LOAD
            outcome(entry, location, endpoint, text, monkeypatch, pool)
    assert _count(location) == before > 0


# --- the explorer's own queries -------------------------------------------------------------
# Built by the app from escaped terms, they run without the parse that checks typed text
# (check=False), under the explorer's limits (4 MiB of text). What is refused before any parse
# (codepoint escapes, nesting) is refused alike; what only the parse refuses fails in the engine
# (no update runs through a query call; SERVICE fails: the local worker has no network, and the
# remote server is sent nothing it could run as an update). Local and remote end in the same class.

# (id of a REFUSED case, the error class of the explorer's own query path)
EXPLORER_OWN = {
    "update": QuerySyntaxError,
    "load": QuerySyntaxError,
    "escape": QueryRefused,
    "syntax": QuerySyntaxError,
    "over-deep": QueryRefused,
}


# A query the remote server finds malformed (the SPARQL 1.1 Protocol's 400) is a QuerySyntaxError, as locally.
EXPLORER_OWN_CASES = [
    pytest.param(name, kind, where, id=f"{name}-{where}") for name, kind in EXPLORER_OWN.items() for where in WHERE
]


@pytest.mark.parametrize(("name", "kind", "where"), EXPLORER_OWN_CASES)
def test_the_explorers_own_query_path_ends_alike_locally_and_remotely(places, sample_store, where, name, kind):
    text = dict((n, t) for n, t, _ in REFUSED)[name]
    store = sample_store if where == "local" else open_store(places[where][0])
    with pytest.raises(QueryError) as caught:
        explore._select(store, text)
    assert type(caught.value) is kind, caught.value
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("where", WHERE)
def test_the_explorers_own_runaway_is_stopped_at_its_time_limit(sample_store, tmp_path, monkeypatch, where):
    monkeypatch.setattr(explore, "EXPLORER_LIMITS", explore.EXPLORER_LIMITS.with_(timeout_s=TIMEOUT_S))
    if where == "local":
        with pytest.raises(QueryTimeout):
            explore._select(sample_store, SLOW)
        return
    shutil.copytree(sample_store.root / "generations" / sample_store.generation(), tmp_path / "data")
    with oxigraph_server(tmp_path / "data", tmp_path) as url, pytest.raises(QueryTimeout):
        explore._select(open_store(url), SLOW)


@pytest.mark.parametrize("where", WHERE)
def test_the_explorers_own_service_query_fails_and_fetches_nothing(places, sample_store, where):
    store = sample_store if where == "local" else open_store(places[where][0])
    for name in ("service", "hidden-service"):
        text = dict((n, t) for n, t, _ in REFUSED)[name]
        with pytest.raises(QueryError) as caught:
            explore._select(store, text)
        assert type(caught.value) is (QueryFailed if where == "local" else QueryError), caught.value
        assert "\n" not in str(caught.value)


# --- stats, eval and audit: their own queries take the same path -----------------------------

GOLD = Path(__file__).resolve().parent / "gold"
COMMANDS = [
    ["audit"],
    ["eval", str(GOLD / "huli-2026.json")],
    ["eval", str(GOLD / "series" / "national-2016-2017.json")],
    ["stats"],
]
COMMAND_IDS = ["audit", "eval", "eval-series", "stats"]


@pytest.fixture(scope="module")
def built_places(built_store: LocalStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The bundled reports' store, and a copy of it served by `oxigraph serve` (which keeps no build record)."""
    folder = tmp_path_factory.mktemp("remote-built")
    shutil.copytree(built_store.root / "generations" / built_store.generation(), folder / "data")
    with oxigraph_server(folder / "data", folder) as url:
        yield {"local": str(built_store.root), "remote": url}


def _cli(args: list[str], location: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--store", location])
    lines = result.output.replace(location, "STORE").splitlines()
    return result.exit_code, "\n".join(line for line in lines if not line.startswith("store: STORE (generation"))


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_stats_eval_and_audit_answer_alike_on_a_local_and_a_remote_store(built_places, args):
    local, remote = (_cli(args, built_places[where]) for where in WHERE)
    assert local[0] == 0, local[1]
    assert remote == local


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_stats_eval_and_audit_queries_are_stopped_at_the_time_limit(built_places, monkeypatch, args, where):
    """Under an operator's ceiling of a microsecond (no query answers that fast) each command's first query stops.

    (A local store's `stats` reads the counts its build recorded and runs no query.)
    """
    monkeypatch.setenv("KG_QUERY_TIMEOUT_CEILING_S", "0.000001")
    code, output = _cli(args, built_places[where])
    if args == ["stats"] and where == "local":
        assert code == 0 and "instances per class:" in output
    else:
        assert code == QueryTimeout.exit_code and "time limit of 1e-06 s" in output and output.count("\n") == 0, output
