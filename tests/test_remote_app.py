"""The endpoint (`kg-build serve`) on a remote store: a real `oxigraph serve` behind the same guarded path."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from integration_helpers import oxigraph_server
from kg_build.model.vocab import POL_NS as POL
from kg_build.serve import make_server
from kg_build.store import LocalStore, open_store

COUNT = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{POL}WorkReport> }}"


@pytest.fixture(scope="module")
def endpoints(sample_store: LocalStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The endpoint over the sample store itself and over a copy of it served by `oxigraph serve`."""
    folder = tmp_path_factory.mktemp("remote-serve")
    shutil.copytree(sample_store.root / "generations" / sample_store.generation(), folder / "data")
    with oxigraph_server(folder / "data", folder) as url:
        servers = [make_server(store, port=0, timeout_s=20) for store in (sample_store, open_store(url))]
        for server, _ in servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        yield tuple(f"http://127.0.0.1:{server.server_address[1]}" for server, _ in servers)  # type: ignore[misc]
        for server, served in servers:
            server.shutdown()
            server.server_close()
            served.close()


# (query, Accept, status, what the answer holds)
CASES = [
    (COUNT, "text/csv", 200, "n\r\n1\r\n"),
    (COUNT, "application/sparql-results+json", 200, '"value":"1"'),
    ("ASK { ?s ?p ?o }", "application/sparql-results+json", 200, '"boolean":true'),
    (f"CONSTRUCT {{ ?s a ?c }} WHERE {{ ?s a ?c FILTER(?c = <{POL}WorkReport>) }}",
     "application/n-triples", 200, "policy-kg/def#WorkReport>"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "text/csv", 400, "SERVICE is refused"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "text/csv", 400, "read-only"),
    ("SELEC ?s {}", "text/csv", 400, "syntax"),
    (COUNT, "image/png", 406, "accept one of"),
]


@pytest.mark.parametrize(("text", "accept", "status", "holds"), CASES)
@pytest.mark.parametrize("where", ["local", "remote"])
def test_the_endpoint_answers_alike_on_a_local_and_a_remote_store(endpoints, where, text, accept, status, holds):
    base = endpoints[0 if where == "local" else 1]
    response = httpx.post(f"{base}/query", data={"query": text}, headers={"Accept": accept}, timeout=60)
    assert response.status_code == status, response.text
    assert holds in response.text.replace(" ", "")  if status == 200 else holds in response.text
    if status != 200:
        assert response.text.count("\n") == 1


def test_serving_an_empty_remote_store_is_one_line(tmp_path: Path):
    from click.testing import CliRunner

    from kg_build.cli import main
    from kg_build.errors import StoreMissingError

    with oxigraph_server(tmp_path / "empty", tmp_path) as url:
        result = CliRunner().invoke(main, ["serve", "--store", url, "--port", "0"])
    assert result.exit_code == StoreMissingError.exit_code and result.output.startswith("Error: no store at")


# --- the app (`streamlit run app.py`) with KG_STORE=http://… ------------------------------------

PAGES = Path(__file__).resolve().parents[1] / "pages"


@pytest.fixture(scope="module")
def remote_url(sample_store: LocalStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("remote-app")
    shutil.copytree(sample_store.root / "generations" / sample_store.generation(), folder / "data")
    with oxigraph_server(folder / "data", folder) as url:
        yield url


def _page(name: str, location: str, monkeypatch: pytest.MonkeyPatch, **params: str):  # noqa: ANN202
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KG_STORE", location)
    at = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _errors(at) -> list[str]:  # noqa: ANN001
    assert not at.exception, [e.message for e in at.exception]
    return [e.value for e in at.error]


def test_the_overview_reads_a_remote_store(sample_store, remote_url, monkeypatch):
    local, remote = (_page("overview", where, monkeypatch) for where in (str(sample_store.root), remote_url))
    assert not _errors(local) and not _errors(remote)
    assert list(remote.dataframe[0].value["标题"]) == list(local.dataframe[0].value["标题"])  # the same reports
    assert remote.dataframe[1].value.equals(local.dataframe[1].value)  # the same instances per class


# (query typed in the workbench, the title of its error or None, words shown)
WORKBENCH = [
    ("ASK { ?s ?p ?o }", None, "结果：true"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "查询被拒绝", "SERVICE is refused"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "查询被拒绝", "refused"),
    ("SELECT * WHERE { ?s ?p ", "SPARQL 语法错误", "syntax error"),
]


@pytest.mark.parametrize(("query", "title", "words"), WORKBENCH)
def test_the_workbench_on_a_remote_store(remote_url, monkeypatch, query, title, words):
    at = _page("sparql", remote_url, monkeypatch, q=query)
    errors = _errors(at)
    if title is None:
        assert not errors and words in "\n".join(str(m.value) for m in at.markdown)
    else:
        assert len(errors) == 1 and title in errors[0] and words in errors[0]


def test_an_empty_remote_store_is_one_message(tmp_path, monkeypatch):
    with oxigraph_server(tmp_path / "empty", tmp_path) as url:
        at = _page("overview", url, monkeypatch)
        errors = _errors(at)
    assert len(errors) == 1 and "no reports in the SPARQL store" in errors[0]


def test_search_on_a_remote_store_says_it_has_no_index(remote_url, monkeypatch):
    errors = _errors(_page("search", remote_url, monkeypatch, q="投资"))
    assert len(errors) == 1 and "no search index" in errors[0]


@pytest.mark.parametrize("text", ["培育", "投资 固定资产", "示例区", "没有这个名字"])
def test_the_search_by_name_on_a_remote_store_finds_what_the_local_one_finds(sample_store, remote_url, text):
    from kg_build import explore
    from kg_build.store import RemoteStore

    assert explore.search(RemoteStore(remote_url), text) == explore.search(sample_store, text)
