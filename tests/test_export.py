"""Exports: every format parses with rdflib and gives back the store's quads; the same store gives the same bytes."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from integration_helpers import kg_build_command, wait_until
from kg_build.errors import StoreError
from kg_build.export import (
    EXPORT_PREFIXES, _with_prefixes, canonical_blank_nodes, export_chunks, export_graph, jsonld_context,
)
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH
from kg_build.resources import ontology_dir, ontology_file
from kg_build.store import LocalStore, to_rdflib

FORMATS = ["nquads", "trig", "turtle", "jsonld"]
RDFLIB_FORMAT = {"nquads": "nquads", "trig": "trig", "turtle": "turtle", "jsonld": "json-ld"}


def _store_quads(store: LocalStore, graphs: list[str]) -> dict[str, set]:
    """The store's triples per named graph, as rdflib terms."""
    handle = store.open_read()
    return {
        g: {
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in handle.quads_for_pattern(None, None, None, ox.NamedNode(g))
        }
        for g in graphs
    }


def _parsed(data: bytes, fmt: str) -> dict[str, set]:
    """An export parsed by rdflib: triples per graph (one unnamed graph for Turtle and JSON-LD)."""
    if fmt in ("turtle", "jsonld"):
        return {"": set(Graph().parse(data=data.decode("utf-8"), format=RDFLIB_FORMAT[fmt]))}
    dataset = Dataset()
    dataset.parse(data=data.decode("utf-8"), format=RDFLIB_FORMAT[fmt])
    found: dict[str, set] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        found.setdefault(str(g), set()).add((s, p, o))
    return found


def _same(left: set, right: set) -> bool:
    if left == right:
        return True
    graph_l, graph_r = Graph(), Graph()
    for t in left:
        graph_l.add(t)
    for t in right:
        graph_r.add(t)
    return isomorphic(graph_l, graph_r)  # blank nodes are compared up to renaming


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips_the_quads(sample_store: LocalStore, fmt: str) -> None:
    data = export_graph(sample_store, fmt=fmt)
    parsed = _parsed(data, fmt)
    if fmt in ("nquads", "trig"):
        expected = _store_quads(sample_store, sample_store.named_graphs())  # named graphs kept, ontology included
        assert sorted(parsed) == sorted(expected)
        for graph in expected:
            assert _same(parsed[graph], expected[graph]), graph
    else:
        reports = [g for g in sample_store.named_graphs() if g != ONTOLOGY_GRAPH]
        merged = set().union(*_store_quads(sample_store, reports).values())
        assert parsed[""] == merged and merged


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_report_round_trips(built_store: LocalStore, fmt: str) -> None:
    """The seed report as built from text (real labels, offsets, numbers) through every format."""
    report = f"{DATA_NS}report/huli-2026"
    parsed = _parsed(export_graph(built_store, fmt=fmt, report="huli-2026"), fmt)
    expected = _store_quads(built_store, [report])[report]
    assert set().union(*parsed.values()) == expected and len(expected) > 1000


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_report(sample_store: LocalStore, fmt: str) -> None:
    report = f"{DATA_NS}report/shili-2026"
    by_id = export_graph(sample_store, fmt=fmt, report="shili-2026")
    assert by_id == export_graph(sample_store, fmt=fmt, report=report)
    parsed = _parsed(by_id, fmt)
    expected = _store_quads(sample_store, [report])[report]
    assert set().union(*parsed.values()) == expected
    if fmt in ("nquads", "trig"):
        assert list(parsed) == [report]


def test_unknown_report_names_the_known_ones(sample_store: LocalStore) -> None:
    with pytest.raises(StoreError, match=r"no report 'nope-2026' in the store; the reports are: shili-2026"):
        export_graph(sample_store, fmt="turtle", report="nope-2026")


@pytest.mark.parametrize("fmt", [*FORMATS, "ontology"])
def test_byte_stable_across_runs_and_stores(sample_store: LocalStore, tmp_path: Path, fmt: str) -> None:
    from conftest import write_sample_store

    again = write_sample_store(tmp_path / "again")  # the same graphs written into another store
    first = export_graph(sample_store, fmt=fmt)
    assert first == export_graph(sample_store, fmt=fmt) == export_graph(again, fmt=fmt)


def test_two_builds_export_the_same_bytes(tmp_path: Path) -> None:
    from kg_build.build import build
    from kg_build.resources import bundled_reports_dir

    seed = bundled_reports_dir() / "huli-2026.txt"
    stores = [LocalStore(tmp_path / name) for name in ("one", "two")]
    for store in stores:
        build([seed], store=store)
    for fmt in FORMATS:
        assert export_graph(stores[0], fmt=fmt) == export_graph(stores[1], fmt=fmt), fmt


@pytest.mark.parametrize("fmt", ["turtle", "trig"])
def test_prefixes_declared_in_order(sample_store: LocalStore, fmt: str) -> None:
    text = export_graph(sample_store, fmt=fmt).decode("utf-8")
    head = [line for line in text.splitlines() if line.startswith("@prefix ")]
    assert head == sorted(f"@prefix {p}: <{ns}> ." for p, ns in EXPORT_PREFIXES.items())
    assert text.startswith(head[0]) and "pol:WorkReport" in text


def test_jsonld_embeds_the_published_context(sample_store: LocalStore) -> None:
    document = json.loads(export_graph(sample_store, fmt="jsonld"))
    assert document["@context"] == jsonld_context()
    published = ontology_dir() / "context.jsonld"
    if published.is_file():
        assert document["@context"] == json.loads(published.read_text(encoding="utf-8"))["@context"]
    ids = [node.get("@id") for node in document["@graph"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))


def test_ontology_is_the_published_file(sample_store: LocalStore) -> None:
    assert export_graph(sample_store, fmt="ontology") == ontology_file().read_bytes()


BNODE_CASES = [
    # (Turtle, number of distinct blank node labels after canonicalization)
    ("<urn:s> <urn:p> [ <urn:q> 1 ] .", 1),
    ("<urn:s> <urn:p> [ <urn:q> 1 ], [ <urn:q> 2 ] .", 2),
    ("<urn:s> <urn:p> ( <urn:a> <urn:b> ) .", 2),
    ("<urn:s> <urn:p> [ <urn:q> [ <urn:r> 1 ] ] ; <urn:p2> [ <urn:q> [ <urn:r> 2 ] ] .", 4),
]


@pytest.mark.parametrize(("turtle", "labels"), BNODE_CASES)
def test_blank_node_labels_do_not_depend_on_the_load(turtle: str, labels: int) -> None:
    outputs = []
    for _ in range(2):
        store = ox.Store()  # every load invents new blank node ids
        store.load(turtle.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:g"))
        outputs.append(canonical_blank_nodes(ox.serialize(store, format=ox.RdfFormat.N_QUADS)))
    assert outputs[0] == outputs[1]
    found = {t.value for q in ox.parse(outputs[0], format=ox.RdfFormat.N_QUADS) for t in (q.subject, q.object)
             if isinstance(t, ox.BlankNode)}
    assert len(found) == labels


def _many_graphs(root: Path, graphs: int = 50, quads: int = 1000, *, empty_first: bool = False) -> LocalStore:
    store = LocalStore(root)
    with store.writer() as writer:
        if empty_first:
            writer.replace_graph(f"{DATA_NS}report/a-empty-2026", b"")  # sorts before the others
        for r in range(graphs):
            g = f"{DATA_NS}report/r{r:03d}-2026"
            lines = [f'<{g}/m/{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> "措施{r}-{i}"@zh-Hans <{g}> .\n'
                     for i in range(quads)]
            writer.replace_graph(g, "".join(lines).encode())
    return store


def test_a_big_store_exports_every_statement(tmp_path: Path) -> None:
    """50 reports of 1,000 quads each (how long it takes is measured in benchmarks/, not here)."""
    store = _many_graphs(tmp_path / "big")
    for fmt in ("nquads", "trig", "turtle"):
        assert export_graph(store, fmt=fmt).count("措施".encode()) == 50_000, fmt


# (format, an empty graph first?) → the pieces export_chunks yields: one per graph that holds quads
CHUNK_CASES = [("nquads", False, 50), ("trig", False, 50), ("trig", True, 50), ("nquads", True, 51), ("turtle", False, 1)]


@pytest.mark.parametrize(("fmt", "empty_first", "pieces"), CHUNK_CASES)
def test_nquads_and_trig_come_one_graph_at_a_time(tmp_path: Path, fmt: str, empty_first: bool, pieces: int) -> None:
    """Writing an export holds one graph in memory; the pieces are the one document Oxigraph writes for the whole."""
    store = _many_graphs(tmp_path / "s", graphs=50, quads=20, empty_first=empty_first)
    chunks = list(export_chunks(store, fmt=fmt))
    assert len(chunks) == pieces
    if fmt == "turtle":
        return
    whole = export_graph(store, fmt="nquads")  # one graph after another, each sorted
    expected = whole if fmt == "nquads" else _with_prefixes(whole, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
    assert b"".join(chunks) == expected
    if fmt == "nquads":  # each piece one graph's quads (the empty graph's piece: nothing)
        assert [len({q.graph_name for q in ox.parse(c, format=ox.RdfFormat.N_QUADS)}) for c in chunks if c] == [1] * 50
    else:  # each piece one graph block; the @prefix lines once, before the first
        assert [c.count(b"> {\n") for c in chunks] == [1] * 50
        assert chunks[0].startswith(b"@prefix ") and not any(b"@prefix " in c for c in chunks[1:])


# signal → how the export ends, and whether its partial file is left (a killed process cleans nothing up)
KILLS = [(signal.SIGKILL, -signal.SIGKILL, True), (signal.SIGTERM, 128 + signal.SIGTERM, False)]


@pytest.mark.parametrize(("sig", "returncode", "partial_left"), KILLS, ids=["SIGKILL", "SIGTERM"])
def test_an_export_killed_while_writing_leaves_the_file_it_would_replace(
    tmp_path: Path, sig: signal.Signals, returncode: int, partial_left: bool
) -> None:
    """The export is written beside its output and renamed over it once complete."""
    store = _many_graphs(tmp_path / "s", graphs=200, quads=2000)  # 400,000 quads: seconds to write
    out = tmp_path / "all.nq"
    out.write_bytes(b"the previous export")

    def partials() -> list[Path]:
        return [p for p in tmp_path.glob(".all.nq.*.partial") if p.stat().st_size > 0]

    export = subprocess.Popen([*kg_build_command(), "export", "--store", str(store.root), "--format", "nquads", "-o", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        writing = wait_until(lambda: bool(partials()) or export.poll() is not None, timeout=60, step=0.005)
        export.send_signal(sig)
    finally:
        export.wait()
    assert writing and export.returncode == returncode, "the export finished before it could be stopped"
    assert out.read_bytes() == b"the previous export"  # the file it would replace is as it was
    assert bool(list(tmp_path.glob(".all.nq.*.partial"))) == partial_left


def _overlapping_graphs(root: Path, graphs: int = 12, quads: int = 10) -> LocalStore:
    """Reports that each state their own triples and two that every report states (a shared place's labels)."""
    store = LocalStore(root)
    shared = (f'<{DATA_NS}place/gd> <http://www.w3.org/2004/02/skos/core#prefLabel> "广东省"@zh-Hans',
              f"<{DATA_NS}place/gd> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/policy-kg/def#Place>")
    with store.writer() as writer:
        for r in range(graphs):
            g = f"{DATA_NS}report/r{r:03d}-2026"
            lines = [f'<{g}/m/{i}> <http://www.w3.org/2004/02/skos/core#prefLabel> "措施{r}-{i}"@zh-Hans <{g}> .\n'
                     for i in range(quads)] + [f"{t} <{g}> .\n" for t in shared]
            writer.replace_graph(g, "".join(lines).encode())
    return store


# (the store, format): what the merged formats give through sorted runs on disk, cut into small pieces, is what
# they give merged in memory
MERGED_CASES = [("overlapping", "turtle"), ("overlapping", "ntriples"), ("overlapping", "jsonld"),
                ("sample", "turtle"), ("sample", "ntriples")]


@pytest.mark.parametrize(("which", "fmt"), MERGED_CASES)
def test_a_merged_export_through_runs_on_disk_is_the_same_bytes(tmp_path, sample_store, monkeypatch, which, fmt):
    from kg_build import export

    store = _overlapping_graphs(tmp_path / "s") if which == "overlapping" else sample_store
    in_memory = export_graph(store, fmt=fmt)
    runs = []
    monkeypatch.setattr(export, "MERGE_RUN_LINES", 25)
    monkeypatch.setattr(export, "CHUNK_LINES", 7)
    real_run = export._sorted_run
    monkeypatch.setattr(export, "_sorted_run", lambda path, lines: runs.append(len(lines)) or real_run(path, lines))
    pieces = list(export_chunks(store, fmt=fmt))
    assert b"".join(pieces) == in_memory
    assert runs  # the merge did go through runs on disk
    if which == "overlapping":  # several runs, and the triples every report states once
        assert len(runs) >= 2
        assert in_memory.count("广东省".encode()) == 1
    if fmt != "jsonld":
        assert len(pieces) > 1


GIB = 2**30
# (quads in the store, memory free or None where it cannot be read) → refused before anything is written
JSONLD_FITS = [
    (1_000, None, False),  # nothing known of the machine: no check
    (1_000_000, 10 * GIB, False),
    (1_000_000, 1 * GIB, True),
    (10_000_000, 20 * GIB, True),  # ten million quads: about 23 GiB
    (0, 0, False),
]


@pytest.mark.parametrize(("quads", "available", "refused"), JSONLD_FITS)
def test_a_jsonld_export_that_cannot_fit_says_so_first(quads, available, refused):
    from kg_build.export import _check_jsonld_fits

    if not refused:
        _check_jsonld_fits(quads, available)
        return
    with pytest.raises(StoreError, match=r"about [\d.]+ GiB for [\d,]+ quads.*--format turtle") as caught:
        _check_jsonld_fits(quads, available)
    assert "\n" not in str(caught.value)


def test_a_jsonld_export_too_big_for_the_machine_leaves_the_old_file(sample_store, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg_build import export
    from kg_build.cli import main

    out = tmp_path / "all.jsonld"
    out.write_bytes(b"the previous export")
    monkeypatch.setattr(export, "available_memory", lambda: 1024)  # a kilobyte free
    result = CliRunner().invoke(main, ["export", "--store", str(sample_store.root), "--format", "jsonld", "-o", str(out)])
    assert result.exit_code != 0
    assert "JSON-LD export holds the merged graph in memory" in result.output
    assert "Traceback" not in result.output
    assert out.read_bytes() == b"the previous export"
    assert not list(tmp_path.glob(".all.jsonld.*"))
    # one report is not checked against the store's size
    one = CliRunner().invoke(main, ["export", "--store", str(sample_store.root), "--format", "jsonld",
                                    "--report", "shili-2026", "-o", str(out)])
    assert one.exit_code == 0, one.output


def test_a_merged_export_with_no_room_for_its_runs_says_where_and_keeps_the_old_file(tmp_path, monkeypatch):
    import errno

    from click.testing import CliRunner

    from kg_build import export
    from kg_build.cli import main

    store = _overlapping_graphs(tmp_path / "s")
    out = tmp_path / "all.ttl"
    out.write_bytes(b"the previous export")
    monkeypatch.setattr(export, "MERGE_RUN_LINES", 25)

    def full(path, lines):  # noqa: ANN001, ANN202, ARG001 - the temporary folder is full
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(export.Path, "open", lambda self, *a, **k: full(self, None) if self.name.startswith("run-")
                        else open(self, *a, **k))  # noqa: SIM115
    result = CliRunner().invoke(main, ["export", "--store", str(store.root), "--format", "turtle", "-o", str(out)])
    assert result.exit_code != 0
    assert "No space left on device" in result.output and "TMPDIR" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert out.read_bytes() == b"the previous export"
