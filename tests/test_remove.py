"""kg-build remove: reports dropped in one publish, on a local store and on a real `oxigraph serve`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from integration_helpers import oxigraph_server, store_nquads
from kg_build.cli import main
from kg_build.errors import InputError, ReportNotFoundError, StoreMissingError
from kg_build.model.vocab import DATA_NS, POL_NS
from kg_build.remove import remove_reports
from kg_build.store import LocalStore, SelectResult, Store, open_store

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SHARED = f"{DATA_NS}entity/shared"  # stated by reports a and b


def _graph(report: str) -> str:
    return f"{DATA_NS}report/{report}"


def _nquads(report: str, shared: bool) -> bytes:
    g = _graph(report)
    lines = [
        f"<{g}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{POL_NS}WorkReport> <{g}> .",
        f'<{DATA_NS}entity/only-{report}> <{LABEL}> "{report}" <{g}> .',
    ]
    if shared:
        lines.append(f'<{SHARED}> <{LABEL}> "共享" <{g}> .')
    return ("\n".join(lines) + "\n").encode()


REPORTS = [("a-2026", True), ("b-2026", True), ("c-2026", False)]


def _fill(store: Store) -> None:
    with store.writer() as writer:
        for report, shared in REPORTS:
            writer.replace_graph(_graph(report), _nquads(report, shared))


def _labels(store: Store) -> list[str]:
    """Labels the default graph (the union of the reports) holds, each once per distinct triple."""
    result = store.query(f"SELECT ?s WHERE {{ ?s <{LABEL}> ?o }} ORDER BY ?s")
    assert isinstance(result, SelectResult)
    return [str(row[0]).rsplit("/", 1)[-1] for row in result.rows]


def _reports(store: Store) -> list[str]:
    return [g.rsplit("/", 1)[-1] for g in store.named_graphs()]


# (names given, reports left, labels the union default graph still holds)
REMOVALS = [
    (["a-2026"], ["b-2026", "c-2026"], ["only-b-2026", "only-c-2026", "shared"]),  # b still states the shared label
    ([_graph("a-2026"), "b-2026"], ["c-2026"], ["only-c-2026"]),  # by IRI and id: nobody states it any more
    (["c-2026", "c-2026"], ["a-2026", "b-2026"], ["only-a-2026", "only-b-2026", "shared"]),  # named twice: once
    (["a-2026", "b-2026", "c-2026"], [], []),
]


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    store = LocalStore(tmp_path / "store")
    _fill(store)
    return store


@pytest.mark.parametrize(("names", "left", "labels"), REMOVALS)
def test_removing_reports_from_a_local_store(local: LocalStore, names: list[str], left: list[str], labels: list[str]):
    before = local.generation()
    summary = remove_reports(local, names)
    assert int(summary.generation) == int(before) + 1 == int(local.generation())
    assert _reports(local) == left and _labels(local) == labels
    assert local.check()[-1].status == "ok"  # the record the removal wrote matches what the generation holds
    kept = sorted(line for r, shared in REPORTS if r in left for line in _nquads(r, shared).splitlines(True))
    assert sorted(store_nquads(local).splitlines(True)) == kept  # the reports kept are exactly as they were


def test_an_unknown_report_is_one_line_and_removes_nothing(local: LocalStore):
    before, quads = local.generation(), store_nquads(local)
    with pytest.raises(ReportNotFoundError, match=r"no report 'nope-2026' in the store; the reports are: a-2026, b-2026"):
        remove_reports(local, ["a-2026", "nope-2026"])  # a-2026 is not removed either
    result = CliRunner().invoke(main, ["remove", "nope-2026", "a-2026", "--store", str(local.root)])
    assert result.exit_code == ReportNotFoundError.exit_code == 3
    assert result.output.startswith("Error: no report 'nope-2026'") and result.output.count("\n") == 1
    assert (local.generation(), store_nquads(local)) == (before, quads)


@pytest.mark.parametrize(("names", "error"), [([], InputError), (["a-2026"], StoreMissingError)])
def test_nothing_to_remove_from(tmp_path: Path, names: list[str], error: type[Exception]):
    empty = LocalStore(tmp_path / "none")
    with pytest.raises(error):
        remove_reports(empty, names)
    assert not empty.exists()


def test_the_cli_names_what_it_removed(local: LocalStore):
    result = CliRunner().invoke(main, ["remove", "a-2026", _graph("c-2026"), "--store", str(local.root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["removed a-2026", "removed c-2026", f"store {local.root} now at generation 000002"]
    stats = CliRunner().invoke(main, ["stats", "--store", str(local.root)])
    assert "b-2026" in stats.output and "a-2026" not in stats.output and "c-2026" not in stats.output


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    folder = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_server(folder / "data", folder) as base:
        yield base


@pytest.mark.parametrize(("names", "left", "labels"), REMOVALS)
def test_removing_reports_from_a_remote_store(server: str, names: list[str], left: list[str], labels: list[str]):
    remote = open_store(server)
    with remote.writer() as writer:  # emptied, then the same three reports
        for graph in remote.named_graphs():
            writer.drop_graph(graph)
    _fill(remote)
    result = CliRunner().invoke(main, ["remove", *names, "--store", server])
    assert result.exit_code == 0, result.output
    assert _reports(remote) == left and sorted(set(_labels(remote))) == labels
    unknown = CliRunner().invoke(main, ["remove", "nope-2026", "--store", server])
    expected = ReportNotFoundError if left else StoreMissingError  # a remote store without graphs holds nothing
    assert unknown.exit_code == expected.exit_code and unknown.output.count("\n") == 1 and _reports(remote) == left
