"""Builds: deterministic, one copy per report, all or nothing, and identities never shared."""

import gc
import json
import multiprocessing
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_build.build import GC_THRESHOLD, build, fewer_collections, graphs_holding, in_order, sidecar_of, stored_hash, stored_hashes
from kg_build.errors import InputError
from kg_build.model.vocab import DATA_NS
from kg_build.store import GenerationWriter, LocalStore, SelectResult

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
SEED = REPORTS / "huli-2026.txt"
HEBEI = REPORTS / "hebei-2026.txt"


def nquads(store: LocalStore) -> list[bytes]:
    return sorted(store.open_read().dump(format=ox.RdfFormat.N_QUADS).splitlines())


def count(store: LocalStore, sparql: str) -> int:
    result = store.query(sparql)
    assert isinstance(result, SelectResult)
    return int(result.rows[0][0])


def test_two_builds_give_identical_sorted_nquads(tmp_path):
    # six reports: more than a two-worker build keeps in its window (four), given in the other order
    files = sorted(REPORTS.glob("*.txt"))[:6]
    a, b = LocalStore(tmp_path / "a"), LocalStore(tmp_path / "b")
    serial = build(files, store=a)
    parallel = build(files[::-1], store=b, jobs=2)
    # discovered in the same order either way, and the workers' reports are written in that order
    assert [r.source for r in parallel.built] == [r.source for r in serial.built]
    assert nquads(a) == nquads(b)
    assert multiprocessing.active_children() == []  # no worker outlives the build


def test_building_a_report_twice_leaves_one_copy(tmp_path):
    store = LocalStore(tmp_path)
    build([SEED], store=store)
    first = nquads(store)
    summary = build([SEED], store=store, force=True)
    assert [r.report_id for r in summary.built] == ["huli-2026"]
    assert nquads(store) == first
    assert count(store, "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a <https://w3id.org/policy-kg/def#WorkReport> }") == 1


def test_an_unchanged_report_is_skipped(tmp_path):
    store = LocalStore(tmp_path)
    build([SEED], store=store)
    summary = build([SEED, HEBEI], store=store)
    assert [r.report_id for r in summary.built] == ["hebei-2026"]
    assert [Path(s).name for s in summary.skipped] == ["huli-2026.txt"]


def test_a_changed_builder_rebuilds_an_unchanged_report(tmp_path, monkeypatch):
    """A store built by an earlier checkout is not kept as is: the builder's own files are in the hash."""
    import kg_build.build as build_module

    store = LocalStore(tmp_path)
    build([SEED], store=store)
    monkeypatch.setattr(build_module, "builder_fingerprint", lambda: "another-builder")
    summary = build([SEED], store=store)
    assert [r.report_id for r in summary.built] == ["huli-2026"]
    assert summary.skipped == []


def test_the_builder_fingerprint_reads_the_package_files():
    from kg_build.build import builder_fingerprint

    assert builder_fingerprint() == builder_fingerprint() and len(builder_fingerprint()) == 16


# (a file of the package, whether a change to it makes every report stale)
FINGERPRINT_CASES = [
    ("extract/numbers.py", True),
    ("extract/data/units.json", True),
    ("model/graph.py", True),
    ("search.py", True),
    ("audit/__init__.py", True),
    ("explore.py", False),  # the app's queries, the endpoint and the exports build no graph
    ("serve.py", False),
    ("workbench.py", False),
    ("cli.py", False),
]


@pytest.mark.parametrize(("name", "rebuilds"), FINGERPRINT_CASES)
def test_only_what_builds_a_graph_is_in_the_builder_fingerprint(tmp_path, name, rebuilds):
    import kg_build
    from kg_build.build import builder_fingerprint

    package = tmp_path / "kg_build"
    shutil.copytree(Path(kg_build.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__", "shipped"))
    before = builder_fingerprint(package)
    changed = package / name
    assert changed.is_file(), name
    changed.write_bytes(changed.read_bytes() + b"\n")
    builder_fingerprint.cache_clear()  # computed once per process in use: the package does not change under it
    assert (builder_fingerprint(package) != before) is rebuilds


def test_adding_a_report_leaves_the_others_untouched(tmp_path):
    store = LocalStore(tmp_path)
    build([SEED], store=store)
    seed_graph = "https://w3id.org/policy-kg/id/report/huli-2026"
    before = store.open_read().dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(seed_graph))
    build([HEBEI], store=store)
    after = store.open_read().dump(format=ox.RdfFormat.N_QUADS, from_graph=ox.NamedNode(seed_graph))
    assert sorted(before.splitlines()) == sorted(after.splitlines())
    assert {g.rsplit("/", 1)[-1] for g in store.named_graphs()} >= {"huli-2026", "hebei-2026", "def"}


def test_a_build_that_raises_half_way_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store = LocalStore(tmp_path)
    build([SEED], store=store)
    before, generation = nquads(store), store.generation()
    real = GenerationWriter.replace_graph
    calls = []

    def failing(self, graph, data):
        calls.append(graph)
        real(self, graph, data)
        if len(calls) == 2:
            raise RuntimeError("disk full, say")

    monkeypatch.setattr(GenerationWriter, "replace_graph", failing)
    with pytest.raises(RuntimeError):
        build([SEED, HEBEI], store=store, force=True)
    assert len(calls) == 2
    assert store.generation() == generation
    assert nquads(store) == before


def _copy(tmp_path: Path, name: str, **sidecar) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    target = folder / SEED.name
    shutil.copy(SEED, target)
    meta = json.loads(SEED.with_name("huli-2026.meta.json").read_text(encoding="utf-8"))
    meta.update(sidecar)
    (folder / "huli-2026.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return target


def test_two_reports_on_one_id_in_one_build_are_refused(tmp_path):
    store = LocalStore(tmp_path / "store")
    with pytest.raises(InputError, match='explicit "id"'):
        build([_copy(tmp_path, "a"), _copy(tmp_path, "b", published="2026-01-01")], store=store)
    assert not store.exists()


def test_another_region_on_a_stored_id_is_refused(tmp_path):
    store = LocalStore(tmp_path / "store")
    build([_copy(tmp_path, "a", id="shared-2026")], store=store)
    before = nquads(store)
    other = _copy(tmp_path, "b", id="shared-2026", region="思明区", city="厦门市")
    with pytest.raises(InputError, match="another region"):
        build([other], store=store)
    assert nquads(store) == before


def test_an_explicit_id_names_the_report(tmp_path):
    store = LocalStore(tmp_path / "store")
    build([_copy(tmp_path, "a", id="huli-summary-2026")], store=store)
    assert "https://w3id.org/policy-kg/id/report/huli-summary-2026" in store.named_graphs()


def test_shanxi_and_shaanxi_are_two_reports(tmp_path):
    store = LocalStore(tmp_path / "store")
    a = _copy(tmp_path, "a", region="山西省", level="province", city=None, province=None)
    b = _copy(tmp_path, "b", region="陕西省", level="province", city=None, province=None)
    build([a, b], store=store)
    reports = [g for g in store.named_graphs() if "/report/" in g]
    assert len(reports) == 2, reports
    result = store.query(
        "SELECT DISTINCT ?r ?p WHERE { ?r a <https://w3id.org/policy-kg/def#WorkReport> ; <https://w3id.org/policy-kg/def#region> ?p }"
    )
    assert isinstance(result, SelectResult)
    assert len({str(p) for _, p in result.rows}) == 2


def test_a_parallel_build_that_meets_a_bad_report_changes_nothing(tmp_path):
    store = LocalStore(tmp_path / "store")
    build([SEED], store=store)
    before, generation = nquads(store), store.generation()
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(REPORTS.glob("*.txt"))[:5]:
        shutil.copy(path, folder / path.name)
        shutil.copy(sidecar_of(path), folder)
    (folder / "hebei-2026.meta.json").write_text("{not json", encoding="utf-8")  # the worker fails on this one
    with pytest.raises(InputError, match="hebei-2026.meta.json"):
        build([folder], store=store, jobs=2, force=True)
    assert multiprocessing.active_children() == []
    assert store.generation() == generation
    assert nquads(store) == before


# --- in_order: a bounded window over a pool ---------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "ahead", "slow"),
    [
        (list(range(12)), 1, set()),  # one at a time
        (list(range(12)), 4, set()),  # the window a two-worker build uses
        (list(range(12)), 4, {0, 5}),  # a slow early item: the ones after it wait in order, the window stays full
        (list(range(3)), 8, {1}),  # fewer items than the window
        ([], 4, set()),
    ],
)
def test_in_order_keeps_order_and_never_runs_more_than_the_window_ahead(items, ahead, slow):
    submitted, taken, most_ahead = [], [], []

    def work(item):
        time.sleep(0.05 if item in slow else 0.001)
        return item * 10

    with ThreadPoolExecutor(4) as pool:
        def submit(item):
            submitted.append(item)
            most_ahead.append(len(submitted) - len(taken))
            return pool.submit(work, item)

        for result in in_order(submit, items, ahead=ahead):
            taken.append(result)
    assert taken == [i * 10 for i in items]
    assert submitted == items
    assert max(most_ahead, default=0) <= ahead


def test_in_order_raises_a_failed_item_where_it_stands():
    def work(item):
        if item == 3:
            raise InputError("report 3 is bad")
        return item

    got = []
    with ThreadPoolExecutor(2) as pool, pytest.raises(InputError, match="report 3 is bad"):
        for result in in_order(lambda i: pool.submit(work, i), range(8), ahead=2):
            got.append(result)
    assert got == [0, 1, 2]


# --- a report never loses its plan silently ------------------------------------------------------

# the build warnings a bundled report's graph records, where it records any: every other bundled report has a
# plan section, targets, and a main-targets paragraph (主要预期目标) that yields targets
EXPECTED_WARNINGS = {
    "huli-2026": ["no-main-targets-sentence"],  # a newspaper summary: it does not state the year's main targets
}
BUNDLED = sorted(p.stem for p in REPORTS.glob("*.txt"))
POL = "https://w3id.org/policy-kg/def#"


def _rows(store: LocalStore, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql, union_default=False)
    assert isinstance(result, SelectResult)
    return [tuple(str(v) for v in row) for row in result.rows]


def test_bundled_reports_have_a_plan_and_their_main_targets(built_store: LocalStore) -> None:
    reports = [g for (g,) in _rows(built_store, f"SELECT ?g WHERE {{ GRAPH ?g {{ ?g a <{POL}WorkReport> }} }} ORDER BY ?g")]
    assert len(reports) == len(BUNDLED)
    for graph in reports:
        report_id = graph.rsplit("/", 1)[-1]
        warnings = _rows(built_store, f"SELECT ?w WHERE {{ GRAPH <{graph}> {{ <{graph}> <{POL}buildWarning> ?w }} }} ORDER BY ?w")
        assert [w for (w,) in warnings] == EXPECTED_WARNINGS.get(report_id, []), report_id
        plans = _rows(built_store, f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ <{graph}> <{POL}hasSection> ?s . ?s a <{POL}PlanSection> }} }}")
        assert plans, f"{report_id}: no plan section"
        targets = _rows(built_store, f"SELECT ?t WHERE {{ GRAPH <{graph}> {{ ?t a <{POL}Target> }} }} LIMIT 1")
        assert targets, f"{report_id}: no target"


NO_PLAN = (
    "示例区政府工作报告\n"
    "一、2025年工作回顾\n"
    "过去一年，全区经济运行稳中有进。\n"
    "（一）经济运行稳中向好。规模以上工业增加值增长6%。\n"
    "（二）民生福祉不断增进。城镇新增就业3000人。\n"
    "二、加强政府自身建设\n"
    "过去一年，我们坚持依法行政，自觉接受监督。\n"
)


def test_a_report_without_a_plan_is_warned_about_and_flagged_in_its_graph(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg_build.cli import main

    report = tmp_path / "shili-2026.txt"
    report.write_text(NO_PLAN, encoding="utf-8")
    sidecar_of(report).write_text(json.dumps({"id": "shili-2026", "region": "示例区", "plan_year": 2026}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(report), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning: shili-2026: ")]
    assert len(lines) == 1  # one line a report
    assert "no plan section" in lines[0] and "no targets" in lines[0] and "主要预期目标" in lines[0]
    store = LocalStore(tmp_path / "store")
    graph = "https://w3id.org/policy-kg/id/report/shili-2026"
    warnings = _rows(store, f"SELECT ?w WHERE {{ GRAPH <{graph}> {{ <{graph}> <{POL}buildWarning> ?w }} }} ORDER BY ?w")
    assert [w for (w,) in warnings] == ["no-main-targets-sentence", "no-plan-section", "no-targets"]
    stats = CliRunner().invoke(main, ["stats", "--store", str(tmp_path / "store")])
    assert "quads)  warnings: no-main-targets-sentence, no-plan-section, no-targets" in stats.output


# (the collector's thresholds before a build, what they are while it writes): raised, never lowered
GC_THRESHOLDS = [
    ((700, 10, 10), (GC_THRESHOLD, 10, 10)),
    ((GC_THRESHOLD * 2, 5, 5), (GC_THRESHOLD * 2, 5, 5)),
]


@pytest.mark.parametrize(("before", "inside"), GC_THRESHOLDS)
def test_a_build_runs_the_garbage_collector_less_often_and_restores_it(before, inside):
    kept = gc.get_threshold()
    gc.set_threshold(*before)
    try:
        with pytest.raises(RuntimeError), fewer_collections():
            assert gc.get_threshold() == inside
            raise RuntimeError("a build that fails")
        assert gc.get_threshold() == before
    finally:
        gc.set_threshold(*kept)


def test_builds_that_overlap_restore_the_collector_when_the_last_one_ends():
    kept = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        first, second = fewer_collections(), fewer_collections()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)  # builds in two threads need not end in the order they began
        assert gc.get_threshold() == (GC_THRESHOLD, 10, 10)
        second.__exit__(None, None, None)
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*kept)


class _Counted:
    """A store whose query results are counted, row by row: what a lookup read."""

    def __init__(self, store: LocalStore) -> None:
        self.store, self.rows = store, 0

    def exists(self) -> bool:
        return self.store.exists()

    def query(self, sparql: str, **kwargs):
        result = self.store.query(sparql, **kwargs)
        self.rows += len(result.rows)
        return result


NOT_HELD = "0" * 64
# (case, what is looked up: report ids for their stored hashes, or text as it is; the report ids found)
HOLDING = [
    ("one held", ["huli-2026"], ["huli-2026"]),
    ("two held", ["hebei-2026", "huli-2026"], ["hebei-2026", "huli-2026"]),
    ("held and not", ["huli-2026", NOT_HELD], ["huli-2026"]),
    ("the same twice", ["huli-2026", "huli-2026"], ["huli-2026"]),
    ("none held", [NOT_HELD], []),
    ("not a hash", ['" } ?s ?p ?o { "', "HULI", ""], []),
    ("nothing asked", [], []),
]


@pytest.mark.parametrize(("case", "asked", "found"), HOLDING, ids=[c[0] for c in HOLDING])
def test_a_build_looks_up_the_hashes_it_was_given_and_reads_no_others(built_store, case, asked, found):
    held = stored_hashes(built_store)
    assert len(held) > 3  # the bundled reports: more than any case finds
    graph = {g: g.rsplit("/", 1)[-1] for g in held}  # graph → report id
    hashes = [held.get(f"{DATA_NS}report/{a}", a) for a in asked]
    counted = _Counted(built_store)
    result = graphs_holding(counted, hashes)
    assert sorted(graph[g] for g in result.values()) == found
    assert all(held[g] == h for h, g in result.items())
    assert counted.rows == len(found)  # one row a hash held: not every report's hash


# (case, graph asked for, whether its hash is found)
ONE_HASH = [
    ("a report", f"{DATA_NS}report/huli-2026", True),
    ("no such report", f"{DATA_NS}report/nowhere-1999", False),
    ("not an IRI", "> } ?s ?p ?o { <", False),
]


@pytest.mark.parametrize(("case", "graph", "found"), ONE_HASH, ids=[c[0] for c in ONE_HASH])
def test_one_reports_stored_hash(built_store, case, graph, found):
    assert stored_hash(built_store, graph) == (stored_hashes(built_store)[graph] if found else None)
