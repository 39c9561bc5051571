"""The browse view counted from what the writer recorded (search.update_browse) gives what the store says.

One store goes through a build, a report added, a graph that relabels entities added and dropped, and a
report removed; at each step the browse view and the mentions are read both ways — from the recorded tables
and from the store through SPARQL (today's path, also the remote stores' path) — and must be equal, row for
row. The tables the builds updated in place must also be those one whole rebuild writes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import copy_bundled_report

from kg_build import browse, explore
from kg_build import search as s
from kg_build.build import build
from kg_build.model.vocab import DATA_NS
from kg_build.remove import remove_reports
from kg_build.store import GENERATIONS, LocalStore

HULI = f"{DATA_NS}report/huli-2026"
HEBEI = f"{DATA_NS}report/hebei-2026"
NAMES = f"{DATA_NS}graph/extra-names"  # a graph that is no report and names entities of the reports

# (stage, what it does): each stage acts on the store the stage before left.
STAGES = ["built", "added", "relabelled", "unlabelled", "removed"]

# (id, filters, words in names, language, limit, offset)
CASES = [
    ("first-view", {}, "", "zh", 50, 0),
    ("first-view-en", {}, "", "en", 50, 0),
    ("everything", {}, "", "zh", None, 0),
    ("everything-en", {}, "", "en", None, 0),
    ("second-page", {}, "", "zh", 10, 10),
    ("past-the-end", {}, "", "zh", 50, 100000),
    ("places", {"cls": "Place"}, "", "zh", 50, 0),
    ("companies-en", {"cls": "Company"}, "", "en", 5, 0),
    ("region", {"region": "湖里区"}, "", "zh", None, 0),
    ("year", {"year": "2026"}, "", "zh", 50, 0),
    ("report", {"report": HULI}, "", "zh", None, 0),
    ("report-and-class", {"report": HEBEI, "cls": "Place"}, "", "en", None, 0),
    ("class-region-year", {"cls": "Place", "region": "湖里区", "year": "2026"}, "", "zh", None, 0),
    ("nothing-there", {"cls": "Honor", "region": "no such region"}, "", "zh", 50, 0),
    ("unknown-facet-ignored", {"colour": "red", "cls": "Project"}, "", "zh", 50, 0),
    ("words", {}, "区", "zh", None, 0),
    ("traditional-words", {}, "數字", "zh", None, 0),
    ("words-and-class", {"cls": "Place"}, "市", "zh", None, 0),
    ("latin-words-en", {}, "province", "en", None, 0),
    ("pinyin-en", {}, "pinyin", "en", None, 0),
    ("words-matching-nothing", {}, "无此名称之物", "zh", 50, 0),
]
NO_FACETS = ["everything", "words-and-class"]  # the same cases, rows and total only


def _relabelling_turtle(store: LocalStore) -> bytes:
    """English and Chinese names, stated outside the reports, for a few of the reports' entities."""
    entities = sorted({e for e, _, _, _ in browse.entity_mentions(store, use_recorded=False)})[:5]
    lines = ["@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."]
    for n, entity in enumerate(entities):
        lines.append(f'<{entity}> skos:prefLabel "Renamed Province Thing {n}"@en , "0改名之物{n}"@zh-Hans .')
    return "\n".join(lines).encode()


def _read_both(store: LocalStore) -> dict:
    """Everything the browse view and the report page read, recorded and through SPARQL."""
    assert browse.is_recorded(store)
    sparql_mentions = browse.entity_mentions(store, use_recorded=False)
    seen = {"mentions": (browse.entity_mentions(store), sparql_mentions)}
    for report in sorted({r for _, _, r, _ in sparql_mentions})[:2]:
        seen[f"mentions-of-{report}"] = (
            browse.entity_mentions(store, [report]),
            browse.entity_mentions(store, [report], use_recorded=False),
        )
    # labels as the pages read them (the recorded ones first) and through SPARQL alone: what the tables track (the
    # entities, reports, regions), what they do not (pillars) and an IRI nothing states
    pol = "https://w3id.org/policy-kg/def#"
    named = store.query(
        f"SELECT DISTINCT ?x WHERE {{ {{ ?x a <{pol}WorkReport> }} UNION {{ ?r <{pol}region> ?x }} "
        f"UNION {{ ?x a <{pol}Pillar> }} }}"
    ).rows
    iris = sorted({e for e, _, _, _ in sparql_mentions} | {str(x) for (x,) in named} | {f"{DATA_NS}nothing/here"})
    for lang in ("zh", "en"):
        recorded = explore.recorded_labels(store, iris, lang=lang)
        assert len({e for e, _, _, _ in sparql_mentions} - set(recorded)) == 0 and len(recorded) < len(iris)
        seen[f"labels-{lang}"] = (
            explore.labels(store, iris, lang=lang),
            explore.labels_with(lambda query: explore._select(store, query), iris, lang=lang),
        )
    for name, filters, text, lang, limit, offset in CASES:
        options = {"filters": filters, "text": text, "lang": lang, "limit": limit, "offset": offset}
        seen[name] = (browse.browse(store, None, **options), browse.browse(store, sparql_mentions, **options))
        if name in NO_FACETS:
            seen[f"{name}-no-facets"] = (
                browse.browse(store, None, count_facets=False, **options),
                browse.browse(store, sparql_mentions, count_facets=False, **options),
            )
    return seen


def _tables(directory: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(directory / s.INDEX_FILE) as db:
        return {
            t: sorted(db.execute(f"SELECT * FROM {t}").fetchall())
            for t in ("browse_mention", "browse_report", "browse_label", "browse_labelled")
        }


def _current(store: LocalStore) -> Path:
    return store.root / GENERATIONS / store.generation()


@pytest.fixture(scope="module")
def stages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    work = tmp_path_factory.mktemp("browse-recorded")
    store = LocalStore(work / "store")
    first = work / "first"
    for name in ("huli-2026", "hebei-2026"):
        copy_bundled_report(name, first)
    seen: dict[str, dict] = {}
    build([first], store=store)
    seen["built"] = _read_both(store)
    build([copy_bundled_report("henan-2026", work / "second")], store=store)
    seen["added"] = _read_both(store)
    with store.writer() as writer:
        writer.replace_graph_turtle(NAMES, _relabelling_turtle(store))
    seen["relabelled"] = _read_both(store)
    with store.writer() as writer:
        writer.drop_graph(NAMES)
    seen["unlabelled"] = _read_both(store)
    remove_reports(store, ["hebei-2026"])
    seen["removed"] = _read_both(store)
    whole = work / "whole"
    whole.mkdir()
    shutil.copy(_current(store) / s.INDEX_FILE, whole / s.INDEX_FILE)
    with sqlite3.connect(whole / s.INDEX_FILE) as db:
        s.update_browse(db, store, changed=None)  # the same tables written whole
    seen["tables"] = {"updated": _tables(_current(store)), "whole": _tables(whole)}
    seen["store"] = {"store": store, "work": work}
    return seen


@pytest.mark.parametrize(
    "case", ["mentions", "labels-zh", "labels-en", *(c[0] for c in CASES), *(f"{n}-no-facets" for n in NO_FACETS)]
)
@pytest.mark.parametrize("stage", STAGES)
def test_the_recorded_counts_are_what_the_store_says(stages, stage, case):
    recorded, sparql = stages[stage][case]
    assert recorded == sparql
    if case == "everything":
        assert recorded.total > 0 and recorded.rows
    if case.endswith("-no-facets"):
        full = stages[stage][case.removesuffix("-no-facets")][0]
        assert recorded.facets == {} and (recorded.rows, recorded.total) == (full.rows, full.total)


@pytest.mark.parametrize("stage", STAGES)
def test_one_reports_mentions_recorded_are_what_its_graph_says(stages, stage):
    pairs = [v for k, v in stages[stage].items() if k.startswith("mentions-of-")]
    assert len(pairs) == 2
    for recorded, sparql in pairs:
        assert recorded and recorded == sparql


# (stage, what the stage must show): the changes reached the tables
STAGE_CHECKS = [
    ("built", lambda v: [f[0] for f in v["report"][0].facets["region"]] == ["湖里区"]),
    ("built", lambda v: {f[0] for f in v["everything"][0].facets["report"]} == {HULI, HEBEI}),
    ("added", lambda v: len(v["everything"][0].facets["report"]) == 3),
    ("relabelled", lambda v: sum(r.label.startswith("Renamed Province Thing") for r in v["everything-en"][0].rows) == 5),
    ("relabelled", lambda v: sum(r.label.startswith("0改名之物") for r in v["everything"][0].rows) == 5),
    ("relabelled", lambda v: v["latin-words-en"][0].total >= 5),
    ("unlabelled", lambda v: not any(r.label.startswith("Renamed") for r in v["everything-en"][0].rows)),
    ("unlabelled", lambda v: not any(r.label.startswith("0改名之物") for r in v["everything"][0].rows)),
    ("removed", lambda v: HEBEI not in {f[0] for f in v["everything"][0].facets["report"]}),
    ("removed", lambda v: v["report-and-class"][0].total == 0),
]


@pytest.mark.parametrize(("stage", "check"), STAGE_CHECKS)
def test_each_stage_shows_its_change(stages, stage, check):
    assert check(stages[stage])


def test_tables_updated_in_place_are_those_a_whole_rebuild_writes(stages):
    updated, whole = stages["tables"]["updated"], stages["tables"]["whole"]
    assert updated["browse_mention"] and updated == whole


def test_a_generation_without_the_tables_is_read_from_the_store(stages, tmp_path):
    """A store built before the tables existed (or a remote one) is read through SPARQL, with the same result."""
    store: LocalStore = stages["store"]["store"]
    copy = tmp_path / "store"
    shutil.copytree(store.root, copy, copy_function=os.link, symlinks=True)
    old = LocalStore(copy)
    index = _current(old) / s.INDEX_FILE
    index.unlink()  # a copy of its own, not the hard link, then without the browse tables
    shutil.copy(_current(store) / s.INDEX_FILE, index)
    with sqlite3.connect(index) as db:
        db.execute("DELETE FROM meta WHERE key = 'browse'")
    assert not browse.is_recorded(old)
    assert browse.is_recorded(store)
    for _, filters, text, lang, limit, offset in CASES[:4]:
        options = {"filters": filters, "text": text, "lang": lang, "limit": limit, "offset": offset}
        assert browse.browse(old, None, **options) == browse.browse(store, None, **options)
    assert browse.entity_mentions(old) == browse.entity_mentions(store)


def test_the_recorded_classes_are_the_browsed_ones():
    assert s.BROWSE_CLASSES == explore.ENTITY_CLASSES


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_facet_names_recorded_are_those_the_store_gives(stages, lang):
    """The names the page shows for regions and reports: as the page reads them from the store (every report)."""
    store: LocalStore = stages["store"]["store"]
    rows = explore.reports(store)
    names = explore.labels(store, {r.region_iri for r in rows} | {r.iri for r in rows}, lang=lang)
    regions = {r.region: (names.get(r.region_iri) or r.region) if lang == "en" else r.region
               for r in rows if r.region and r.region_iri}
    titles = {r.iri: (names.get(r.iri) or r.title) if lang == "en" else r.title for r in rows}
    assert browse.facet_names(store, lang=lang) == {"region": regions, "report": titles}
    assert len(titles) == 2


def test_a_remote_store_is_read_through_sparql_with_the_same_result(stages, tmp_path):
    """A remote store has no generation folder: /browse reads it through SPARQL, as before, and counts the same."""
    from integration_helpers import oxigraph_server

    from kg_build.store import open_store

    store: LocalStore = stages["store"]["store"]
    shutil.copytree(_current(store), tmp_path / "data", ignore=shutil.ignore_patterns("LOCK", s.INDEX_FILE))
    with oxigraph_server(tmp_path / "data", tmp_path) as url:
        remote = open_store(url)
        assert not browse.is_recorded(remote) and browse.facet_names(remote) is None
        assert browse.entity_mentions(remote) == browse.entity_mentions(store)
        for _, filters, text, lang, limit, offset in CASES[:3] + CASES[10:12]:
            options = {"filters": filters, "text": text, "lang": lang, "limit": limit, "offset": offset}
            assert browse.browse(remote, None, **options) == browse.browse(store, None, **options)


def test_a_change_reads_the_rows_it_touches_not_whole_tables(stages, tmp_path):
    """Bringing the tables up to date for one changed graph looks up what that graph named, before and now: no
    statement reads a whole table (at 1,330 reports, reading every tracked IRI was most of a build's update)."""
    store = stages["store"]["store"]
    shutil.copy(_current(store) / s.INDEX_FILE, tmp_path / s.INDEX_FILE)
    read: list[str] = []
    with sqlite3.connect(tmp_path / s.INDEX_FILE) as db:
        db.set_trace_callback(read.append)
        s.update_browse(db, store, changed=[HULI])  # its graph recorded again, as a build that replaced it would
        db.set_trace_callback(None)
    selects = [q for q in read if q.lstrip().upper().startswith("SELECT") and "browse_" in q]
    assert selects and [q for q in selects if " WHERE " not in q.upper()] == []
    assert _tables(tmp_path) == stages["tables"]["updated"]
