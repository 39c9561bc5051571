"""Remote stores: build into, query and export a real `oxigraph serve` over HTTP, compared with a local store."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from integration_helpers import oxigraph_server, store_nquads
from kg_build import build as build_module
from kg_build.store import faults as store_module
from kg_build.build import BuiltReport
from kg_build.cli import main
from kg_build.errors import InputError, RemoteUnreachableError, StoreError
from kg_build.export import export_graph
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH, POL_NS
from kg_build.store.remote import RemoteStore, parse_location
from kg_build.store import LocalStore, SelectResult


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_server(folder / "data", folder) as base:
        yield base


@pytest.fixture
def remote(server: str) -> RemoteStore:
    """The remote store, emptied before each test."""
    store = RemoteStore(server)
    with store.writer() as writer:
        for graph in store.named_graphs():
            writer.drop_graph(graph)
    return store


@pytest.mark.parametrize(
    ("url", "query", "update", "data", "union"),
    [
        ("http://127.0.0.1:7879", "http://127.0.0.1:7879/query", "http://127.0.0.1:7879/update",
         "http://127.0.0.1:7879/store", "dataset"),
        ("http://127.0.0.1:7879/", "http://127.0.0.1:7879/query", "http://127.0.0.1:7879/update",
         "http://127.0.0.1:7879/store", "dataset"),
        ("https://kg.example/ds", "https://kg.example/ds/query", "https://kg.example/ds/update",
         "https://kg.example/ds/data", "dataset"),
        ("http://h:3030/ds?query=/ds/sparql&union=server", "http://h:3030/ds/sparql", "http://h:3030/ds/update",
         "http://h:3030/ds/data", "server"),
        ("http://h:7200/repositories/kg?query=/repositories/kg&update=/repositories/kg/statements"
         "&data=/repositories/kg/rdf-graphs/service&union=oxigraph",
         "http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
         "http://h:7200/repositories/kg/rdf-graphs/service", "oxigraph"),
    ],
)
def test_endpoints_from_the_store_url(url: str, query: str, update: str, data: str, union: str) -> None:
    endpoints = parse_location(url)
    assert (endpoints.query, endpoints.update, endpoints.data, endpoints.union) == (query, update, data, union)


def test_credentials_become_basic_auth_and_are_never_shown() -> None:
    store = RemoteStore("http://alice:s3cret@127.0.0.1:7879/ds")
    assert store.endpoints.auth == "Basic YWxpY2U6czNjcmV0"
    assert "s3cret" not in store.root and "s3cret" not in store.endpoints.query


@pytest.mark.parametrize(
    ("url", "words"),
    [("http://h/ds?union=maybe", "union="), ("http://h/ds?graph=x", "unknown option"), ("ftp://h/ds", "not an http")],
)
def test_bad_store_urls(url: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        parse_location(url)


def test_unreachable_server_is_a_one_line_error(tmp_path: Path) -> None:
    from integration_helpers import free_port

    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="cannot reach the SPARQL store"):
        RemoteStore(url, timeout=2).exists()
    result = CliRunner().invoke(main, ["stats", "--store", url])
    assert result.exit_code == RemoteUnreachableError.exit_code
    assert result.output.startswith("Error: cannot reach") and result.output.count("\n") == 1


def _copy_to_remote(local: LocalStore, remote: RemoteStore) -> None:
    from kg_build.resources import ontology_file

    with remote.writer() as writer:
        writer.replace_graph_turtle(ONTOLOGY_GRAPH, ontology_file().read_bytes())
        for graph in local.named_graphs():
            if graph != ONTOLOGY_GRAPH:
                writer.replace_graph(graph, export_graph(local, fmt="nquads", report=graph))


def test_written_graphs_read_back_identical(sample_store: LocalStore, remote: RemoteStore) -> None:
    _copy_to_remote(sample_store, remote)
    assert remote.named_graphs() == sample_store.named_graphs()
    assert remote.quad_count() == sample_store.quad_count()
    for fmt in ("nquads", "trig", "turtle", "jsonld"):
        assert export_graph(remote, fmt=fmt) == export_graph(sample_store, fmt=fmt), fmt


@pytest.mark.parametrize("union", ["dataset", "oxigraph"])
@pytest.mark.parametrize(
    "query",
    [
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        f"SELECT ?c (COUNT(?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), '{POL_NS}')) }} GROUP BY ?c ORDER BY ?c",
        f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{POL_NS}contentHash> ?h }} }} ORDER BY ?g",
    ],
)
def test_queries_answer_as_on_the_local_store(
    sample_store: LocalStore, remote: RemoteStore, server: str, union: str, query: str
) -> None:
    _copy_to_remote(sample_store, remote)
    answer = RemoteStore(f"{server}?union={union}").query(query)
    expected = sample_store.query(query)
    assert isinstance(answer, SelectResult) and isinstance(expected, SelectResult)
    assert answer.rows == expected.rows and answer.rows


def test_generation_changes_with_the_content(sample_store: LocalStore, remote: RemoteStore) -> None:
    assert remote.generation() is None and not remote.exists()
    _copy_to_remote(sample_store, remote)
    first = remote.generation()
    assert first is not None and remote.exists() and first == remote.generation()
    graph = f"{DATA_NS}report/other-2026"
    with remote.writer() as writer:
        writer.replace_graph(graph, f'<{graph}> <{POL_NS}contentHash> "x" <{graph}> .\n'.encode())
    assert remote.generation() not in (None, first)


def test_a_failing_writer_sends_nothing(remote: RemoteStore) -> None:
    graph = f"{DATA_NS}report/half-2026"
    with pytest.raises(RuntimeError), remote.writer() as writer:
        writer.replace_graph(graph, f'<{graph}> <{POL_NS}contentHash> "x" <{graph}> .\n'.encode())
        raise RuntimeError("the build failed")
    assert remote.named_graphs() == []


def _fake_report(path: Path) -> BuiltReport:
    """A stand-in for build_report (extraction-independent): a few quads made from the file."""
    text = path.read_text(encoding="utf-8")
    report_id = path.stem
    iri = f"{DATA_NS}report/{report_id}"
    digest = build_module.content_hash(path)
    lines = [
        f'<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{POL_NS}WorkReport> <{iri}> .\n',
        f'<{iri}> <{POL_NS}contentHash> "{digest}" <{iri}> .\n',
        f'<{iri}> <{POL_NS}text> "{text.strip()}" <{iri}> .\n',
    ]
    lines += [f'<{iri}/line/{i}> <{POL_NS}text> "{line}" <{iri}> .\n' for i, line in enumerate(text.split())]
    data = "".join(sorted(lines)).encode()
    return BuiltReport(iri, report_id, str(path), digest, data, {"quads": len(lines)})


def test_build_orchestration_into_remote_matches_local(
    remote: RemoteStore, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "build_report", _fake_report)
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, text in [("alpha-2026", "一 二 三"), ("beta-2026", "甲 乙")]:
        (reports / f"{name}.txt").write_text(text, encoding="utf-8")
    local = LocalStore(tmp_path / "local")
    build_module.build([reports], store=local)
    summary = build_module.build([reports], store=remote)
    assert len(summary.built) == 2
    assert export_graph(remote, fmt="nquads") == export_graph(local, fmt="nquads")
    # unchanged reports are skipped; a changed one replaces only its own graph
    (reports / "beta-2026.txt").write_text("甲 乙 丙", encoding="utf-8")
    again = build_module.build([reports], store=remote)
    assert [r.report_id for r in again.built] == ["beta-2026"] and len(again.skipped) == 1
    build_module.build([reports], store=local)
    assert export_graph(remote, fmt="nquads") == export_graph(local, fmt="nquads")
    assert "丙" in export_graph(remote, fmt="turtle", report="beta-2026").decode()


def test_cli_against_the_remote_store(sample_store: LocalStore, remote: RemoteStore, server: str) -> None:
    _copy_to_remote(sample_store, remote)
    runner = CliRunner()
    stats = runner.invoke(main, ["stats", "--store", server])
    assert stats.exit_code == 0, stats.output
    assert "shili-2026" in stats.output and f"quads: {sample_store.quad_count()}" in stats.output
    query = runner.invoke(main, ["query", "--store", server, "--format", "csv",
                                 f"SELECT ?p WHERE {{ ?p a <{POL_NS}Pillar> }} ORDER BY ?p"])
    assert query.exit_code == 0, query.output
    assert query.output.splitlines()[0] == "p" and len(query.output.splitlines()) == 3
    exported = runner.invoke(main, ["export", "--store", server, "--format", "nquads"])
    assert exported.stdout_bytes == export_graph(sample_store, fmt="nquads")


def test_real_build_over_http_equals_local_build(built_store: LocalStore, remote: RemoteStore, server: str) -> None:
    from kg_build.resources import bundled_reports_dir

    result = CliRunner().invoke(main, ["build", str(bundled_reports_dir()), "--store", server])
    assert result.exit_code == 0, result.output
    assert f"store {server} now at generation" in result.output
    remote_quads = export_graph(remote, fmt="nquads")
    assert remote_quads.count(b"\n") == built_store.quad_count() > 100
    assert hashlib.sha256(remote_quads).hexdigest() == hashlib.sha256(store_nquads(built_store)).hexdigest()


# --- a write that stops part-way names what the store now holds ----------------------------

PARTIAL_REPORTS = ["a-2026", "b-2026", "c-2026", "d-2026"]


def _graph(report_id: str) -> str:
    return f"{DATA_NS}report/{report_id}"


def _hash_nquads(report_id: str, value: str) -> bytes:
    g = _graph(report_id)
    return f'<{g}> <{POL_NS}contentHash> "{value}" <{g}> .\n'.encode()


def _held(store: RemoteStore) -> dict[str, str]:
    result = store.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{POL_NS}contentHash> ?h }} }}", union_default=False)
    assert isinstance(result, SelectResult)
    return {str(g).rsplit("/", 1)[-1]: str(h) for g, h in result.rows}


def _refuse_the_third(writer, process, monkeypatch) -> None:  # noqa: ANN001
    """The server answers 400 to the third graph (not Turtle)."""
    writer.replace_graph(_graph("a-2026"), _hash_nquads("a-2026", "new"))
    writer.replace_graph(_graph("b-2026"), _hash_nquads("b-2026", "new"))
    writer.replace_graph_turtle(_graph("c-2026"), b"this is not Turtle <")
    writer.replace_graph(_graph("d-2026"), _hash_nquads("d-2026", "new"))


def _sending(monkeypatch, action) -> None:  # noqa: ANN001
    """Run ``action`` as the third graph is about to be sent (the store module's step hook)."""
    sent = []

    def hook(step: str) -> None:
        if step == "send-graph":
            sent.append(step)
            if len(sent) == 3:
                action()

    monkeypatch.setattr(store_module, "step_hook", hook)


def _write_all_new(writer) -> None:  # noqa: ANN001
    for report_id in PARTIAL_REPORTS:
        writer.replace_graph(_graph(report_id), _hash_nquads(report_id, "new"))


def _stop_the_server_at_the_third(writer, process, monkeypatch) -> None:  # noqa: ANN001
    """The server process ends (SIGTERM) before the third graph is sent."""

    def stop() -> None:
        process.terminate()
        process.wait(timeout=20)

    _sending(monkeypatch, stop)
    _write_all_new(writer)


def _terminate_the_build_at_the_third(writer, process, monkeypatch) -> None:  # noqa: ANN001
    """kg-build itself gets SIGTERM (handled as the CLI does) before the third graph is sent."""
    _sending(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGTERM))
    _write_all_new(writer)


# (how the write stops, the message's end, what the store holds after)
PARTIAL_WRITES = [
    ("the server refuses a graph", _refuse_the_third,
     "it now holds the new a-2026 and b-2026; c-2026 and d-2026 are as before this build: build again to finish"),
    ("the server stops", _stop_the_server_at_the_third,
     "it now holds the new a-2026 and b-2026; c-2026 and d-2026 are as before this build: build again to finish"),
    ("the build is terminated", _terminate_the_build_at_the_third,
     "it now holds the new a-2026 and b-2026; c-2026 may or may not be replaced; d-2026 is as before this build: "
     "build again to finish"),
]


@pytest.mark.parametrize(("stop", "says"), [p[1:] for p in PARTIAL_WRITES], ids=[p[0] for p in PARTIAL_WRITES])
def test_a_write_that_stops_part_way_names_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop, says: str  # noqa: ANN001
) -> None:
    from integration_helpers import free_port, running
    from kg_build.cli import _terminate_as_exit
    from kg_build.serve import oxigraph_binary

    def serve() -> tuple:  # a server of its own (this test may stop it), on the same data each time
        port = free_port()
        command = [oxigraph_binary(), "serve", "--location", str(tmp_path / "data"), "--bind", f"127.0.0.1:{port}"]
        base = f"http://127.0.0.1:{port}"
        return running(command, ready_url=f"{base}/query", log=tmp_path / f"oxigraph-{port}.log"), base

    server, base = serve()
    with server as process:
        store = RemoteStore(base, timeout=20)
        with store.writer() as writer:
            for report_id in PARTIAL_REPORTS[2:]:
                writer.replace_graph(_graph(report_id), _hash_nquads(report_id, "old"))
        with pytest.raises(StoreError) as caught, _terminate_as_exit(), store.writer() as writer:
            stop(writer, process, monkeypatch)
        monkeypatch.setattr(store_module, "step_hook", None)
        message = str(caught.value)
        assert "\n" not in message and message.startswith(f"writing to the SPARQL store at {base} stopped at c-2026 (")
        assert message.endswith(says), message
    again, base = serve()
    with again:
        store = RemoteStore(base, timeout=20)
        held = _held(store)
        assert {k: held[k] for k in ("a-2026", "b-2026", "d-2026")} == {"a-2026": "new", "b-2026": "new", "d-2026": "old"}
        assert held["c-2026"] in (("old", "new") if "may or may not" in says else ("old",))
        with store.writer() as writer:  # building again finishes the job
            _write_all_new(writer)
        assert _held(store) == dict.fromkeys(PARTIAL_REPORTS, "new")
