"""The ontology page's instance counts, and the figures page's regions and standard indicators that have targets, read
from the build's record are those SPARQL counts and reads over the store.

One store goes through a build, a report added, a graph that states properties of other graphs' things (a
report's own statement, a shared place, a blank node) added and then dropped, and a report removed; each of
those writes records the counts (``kg_build.stats.recorded_stats``). At every stage the counts of every class
and property read from the record must equal the counts of one grouped SPARQL query (the remote stores' path).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import copy_bundled_report

from kg_build.build import build
from kg_build.model.vocab import DATA_NS, POL_NS
from kg_build.ontology_page import counted_instances, instance_counts, shipped_ontology
from kg_build.outcomes import _CHOICES, IndicatorChoice, indicator_choices
from kg_build.remove import remove_reports
from kg_build.stats import recorded_stats
from kg_build.store import GENERATIONS, INFO_FILE, LocalStore

HULI = f"{DATA_NS}report/huli-2026"
CROSS = f"{DATA_NS}graph/cross-references"  # no report: it states properties of things other graphs own

STAGES = ["built", "added", "edited", "cross-referenced", "cross-dropped", "removed", "recounted"]


def _cross_turtle(store: LocalStore) -> bytes:
    """pol: properties of a thing huli-2026 owns, of a place many reports name, of a new thing and a blank node."""
    statement = store.query(f"SELECT ?s WHERE {{ GRAPH <{HULI}> {{ ?s a <{POL_NS}Target> }} }} ORDER BY ?s LIMIT 1")
    place = store.query(f"SELECT ?p WHERE {{ ?p <{POL_NS}adminCode> ?c }} ORDER BY ?p LIMIT 1")
    return (
        f"@prefix pol: <{POL_NS}> .\n"
        f"<{statement.rows[0][0]}> pol:surfaceForm \"另一处的原文\" ; pol:refYear \"2031\" .\n"
        f"<{place.rows[0][0]}> pol:adminCode \"999999\" ; pol:surfaceForm \"某地\" .\n"
        f"<{DATA_NS}thing/only-here> pol:surfaceForm \"只在这里\" .\n"
        "[] pol:surfaceForm \"无名之物\" .\n"
    ).encode()


def _without_surface_forms(store: LocalStore, graph: str) -> bytes:
    """The graph's N-Quads less every pol:surfaceForm statement: the report written again, changed."""
    kept = [line for line in store.graph_ntriples(graph).decode("utf-8").splitlines()
            if line.strip() and f"<{POL_NS}surfaceForm>" not in line]
    return "".join(f"{line.rstrip().removesuffix('.').rstrip()} <{graph}> .\n" for line in kept).encode("utf-8")


def _read(store: LocalStore) -> dict:
    terms = shipped_ontology().terms
    stats = store.info().get("stats") or {}
    choices = [IndicatorChoice(*(str(v) if v is not None else "" for v in row)) for row in store.query(_CHOICES).rows]
    return {"recorded": instance_counts(store, terms), "sparql": counted_instances(store, terms),
            "has_record": "properties" in stats, "choices": indicator_choices(store), "choices_sparql": choices,
            "has_choices": isinstance(stats.get("target_indicators"), dict)}


def _forget_property_counts(store: LocalStore) -> None:
    """The current generation's record as a build before the property counts wrote it."""
    path = store.root / GENERATIONS / store.generation() / INFO_FILE
    record = json.loads(path.read_text(encoding="utf-8"))
    for name in ("properties", "property_terms", "property_owned", "property_shared"):
        record["stats"].pop(name)
    path.unlink()  # a file of its own (a copied generation shares its files by hard links)
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    store._info = None


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    work = tmp_path_factory.mktemp("recorded-counts")
    store = LocalStore(work / "store")
    first = work / "first"
    for name in ("huli-2026", "hebei-2026"):
        copy_bundled_report(name, first)
    seen: dict[str, dict] = {}
    build([first], store=store)
    seen["built"] = _read(store)
    build([copy_bundled_report("henan-2026", work / "second")], store=store)
    seen["added"] = _read(store)
    with store.writer() as writer:
        writer.replace_graph(HULI, _without_surface_forms(store, HULI))
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))
    seen["edited"] = _read(store)
    turtle = _cross_turtle(store)
    with store.writer() as writer:
        writer.replace_graph_turtle(CROSS, turtle)
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))
    seen["cross-referenced"] = _read(store)
    with store.writer() as writer:
        writer.drop_graph(CROSS)
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))
    seen["cross-dropped"] = _read(store)
    remove_reports(store, ["hebei-2026"])
    seen["removed"] = _read(store)
    _forget_property_counts(store)
    seen["forgotten"] = _read(store)
    build([copy_bundled_report("sichuan-2026", work / "third")], store=store)
    seen["recounted"] = _read(store)
    seen["store"] = store  # type: ignore[assignment]
    return seen


TERMS = [t.iri.removeprefix(POL_NS) for t in shipped_ontology().terms]


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("stage", STAGES)
def test_the_recorded_count_is_what_sparql_counts(stages, stage, term):
    seen = stages[stage]
    assert seen["has_record"]
    assert seen["recorded"][POL_NS + term] == seen["sparql"][POL_NS + term]


# (stage, term, what its count must show): the changes reached the counts (the counts are not all zero)
CHANGES = [
    ("built", "WorkReport", lambda n, before: n == 2),
    ("added", "WorkReport", lambda n, before: n == 3),
    ("built", "surfaceForm", lambda n, before: n > 0),
    ("built", "adminCode", lambda n, before: n > 0),
    ("edited", "surfaceForm", lambda n, before: 0 < n < before["added"]),
    ("edited", "WorkReport", lambda n, before: n == 3),
    # huli's statement (which lost its own), a place, a new thing, a blank node
    ("cross-referenced", "surfaceForm", lambda n, before: n == before["edited"] + 4),
    ("cross-referenced", "adminCode", lambda n, before: n == before["edited"]),  # the place had one already
    ("cross-referenced", "refYear", lambda n, before: n == before["edited"]),  # the statement had one already
    ("cross-dropped", "surfaceForm", lambda n, before: n == before["edited"]),
    ("removed", "WorkReport", lambda n, before: n == 2),
    ("removed", "surfaceForm", lambda n, before: n < before["added"]),
    ("recounted", "WorkReport", lambda n, before: n == 3),
]


@pytest.mark.parametrize(("stage", "term", "check"), CHANGES)
def test_each_stage_changes_the_counts_it_should(stages, stage, term, check):
    before = {name: seen["sparql"][POL_NS + term] for name, seen in stages.items() if name != "store"}
    assert check(stages[stage]["recorded"][POL_NS + term], before)


def test_a_record_without_property_counts_is_counted_through_sparql(stages):
    seen = stages["forgotten"]
    assert not seen["has_record"]
    assert seen["recorded"] == seen["sparql"] == stages["removed"]["sparql"]


# (case, the record's property counts): a record a writer could not have written is refused in one line
MALFORMED = [
    ("not a list", {"surfaceForm": 3}),
    ("a negative count", [["surfaceForm", -1]]),
    ("a count as text", [["surfaceForm", "3"]]),
    ("no name", [[3]]),
]


@pytest.mark.parametrize(("case", "properties"), MALFORMED)
def test_a_malformed_property_count_is_refused(stages, tmp_path, case, properties):
    from kg_build.store.local import RecordError, read_record

    store: LocalStore = stages["store"]
    record = json.loads((store.root / GENERATIONS / store.generation() / INFO_FILE).read_text(encoding="utf-8"))
    record["stats"]["properties"] = properties
    (tmp_path / INFO_FILE).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RecordError, match="property count"):
        read_record(tmp_path)


def test_a_remote_store_is_counted_through_sparql_with_the_same_counts(stages, tmp_path):
    """A remote store keeps no record of ours: the page counts over it, and finds what the local record says."""
    from integration_helpers import oxigraph_server

    from kg_build.search import INDEX_FILE
    from kg_build.store import open_store

    store: LocalStore = stages["store"]
    shutil.copytree(store.root / GENERATIONS / store.generation(), tmp_path / "data",
                    ignore=shutil.ignore_patterns("LOCK", INDEX_FILE))
    terms = shipped_ontology().terms
    with oxigraph_server(tmp_path / "data", tmp_path) as url:
        remote = open_store(url)
        assert remote.info() == {}
        assert instance_counts(remote, terms) == instance_counts(store, terms) == stages["recounted"]["sparql"]


@pytest.mark.parametrize("stage", [*STAGES, "forgotten"])
def test_the_recorded_regions_and_indicators_with_targets_are_what_sparql_reads(stages, stage):
    seen = stages[stage]
    assert seen["has_choices"]  # read from the record, not over the store
    assert seen["choices"] == seen["choices_sparql"]
    assert seen["choices"]  # the comparison can fail


def test_a_removed_report_takes_its_region_out_of_the_choices(stages):
    regions = {stage: {c.region for c in stages[stage]["choices"]} for stage in ("added", "removed")}
    assert "河北省" in regions["added"] and regions["removed"] == regions["added"] - {"河北省"}


def test_a_record_without_the_targets_reads_them_over_the_store(stages, tmp_path):
    store = stages["store"]
    copy = LocalStore(tmp_path / "copy")
    shutil.copytree(store.root, copy.root, symlinks=True)
    path = copy.root / GENERATIONS / copy.generation() / INFO_FILE
    record = json.loads(path.read_text(encoding="utf-8"))
    record["stats"].pop("target_indicators")
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    assert indicator_choices(copy) == stages["recounted"]["choices_sparql"]


# (graphs kept before, which way the classes are counted): by change, or over the store when the writer kept none
BY_CHANGE = [(64, "by change"), (0, "over the store")]


@pytest.mark.parametrize(("kept", "way"), BY_CHANGE)
def test_an_added_report_moves_the_class_counts_as_sparql_counts_them(stages, monkeypatch, tmp_path, kept, way):
    from kg_build import stats
    from kg_build.store import GenerationWriter

    copy = LocalStore(tmp_path / "copy")
    shutil.copytree(stages["store"].root, copy.root, symlinks=True)
    counted_over_store: list[bool] = []
    counts = stats._counts

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        counted_over_store.append(kwargs.get("classes", True))
        return counts(*args, **kwargs)

    monkeypatch.setattr(stats, "_counts", spy)
    monkeypatch.setattr(GenerationWriter, "TYPES_KEPT_FOR", kept)
    before = instance_counts(copy, shipped_ontology().terms)
    build([copy_bundled_report("fujian-2026", tmp_path / "more")], store=copy)  # shares places with the others
    remove_reports(copy, ["henan-2026"])
    assert counted_over_store == [way == "over the store"] * 2
    terms = shipped_ontology().terms
    after = instance_counts(copy, terms)
    assert after == counted_instances(copy, terms)
    assert after[POL_NS + "WorkReport"] == before[POL_NS + "WorkReport"]  # one in, one out
    assert after[POL_NS + "Target"] != before[POL_NS + "Target"]  # the counts moved


HEBEI = f"{DATA_NS}report/hebei-2026"


def _looked_up(monkeypatch, store: LocalStore, write) -> set[str]:  # noqa: ANN001 - a writer's changes
    """The shared things ``_property_counts`` looked up again while ``write`` changed the store."""
    import kg_build.stats as stats

    seen: set[str] = set()
    real = stats._still_shared

    def spy(store_, candidates, names, graphs):  # noqa: ANN001, ANN202
        seen.update(s for subjects in candidates.values() for s in subjects)
        return real(store_, candidates, names, graphs)

    monkeypatch.setattr(stats, "_still_shared", spy)
    with store.writer() as writer:
        write(writer)
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))
    return seen


# (what the build does, whether the things only hebei-2026 names are looked up again)
LOOKUPS = [
    ("adds a graph", lambda writer, store: writer.replace_graph_turtle(CROSS, b""), False),
    ("drops hebei-2026", lambda writer, store: writer.drop_graph(HEBEI), True),
    ("writes hebei-2026 again", lambda writer, store: writer.replace_graph(HEBEI, _without_surface_forms(store, HEBEI)), True),
]


@pytest.mark.parametrize(("case", "write", "looked_up"), LOOKUPS, ids=[c[0] for c in LOOKUPS])
def test_a_build_looks_up_again_only_the_shared_things_its_change_touched(tmp_path, monkeypatch, case, write, looked_up):
    store = LocalStore(tmp_path / "store")
    first = tmp_path / "first"
    for name in ("huli-2026", "hebei-2026"):
        copy_bundled_report(name, first)
    build([first], store=store)
    shared = {s for subjects in store.info()["stats"]["property_shared"].values() for s in subjects}
    huli = {str(s) for (s,) in store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{HULI}> {{ ?s ?p ?o }} }}").rows}
    hebei_only = {s for s in shared if s not in huli and s.startswith(f"{DATA_NS}place/")}
    assert hebei_only  # the province and its cities, which only hebei-2026 names
    seen = _looked_up(monkeypatch, store, lambda writer: write(writer, store))
    assert bool(hebei_only & seen) == looked_up
    after = _read(store)
    assert after["recorded"] == after["sparql"]
