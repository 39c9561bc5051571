"""The full-text index of every report's sentences: built with each generation, queried in simplified or
traditional characters, phrases, facets with counts, links to what was read from each sentence."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import sample_quads, write_sample_store
from kg_build import search as s
from kg_build.errors import InputError, StoreError
from kg_build.model.nquads import serialize
from kg_build.model.vocab import DATA_NS
from kg_build.store import GENERATIONS, LocalStore

SAMPLE = f"{DATA_NS}report/shili-2026"


def current(store: LocalStore) -> Path:
    return store.root / GENERATIONS / store.generation()


# (search text, terms, quoted?)
PARSE_CASES = [
    ("数字经济", ("数字经济",), (False,)),
    ("數字經濟", ("数字经济",), (False,)),  # traditional input is simplified
    ("  数字经济   项目 ", ("数字经济", "项目"), (False, False)),
    ('"数字经济发展" 项目', ("数字经济发展", "项目"), (True, False)),
    ("“双攻坚”行动", ("双攻坚", "行动"), (True, False)),
    ("「人工智能」", ("人工智能",), (True,)),
    ("GDP", ("gdp",), (False,)),
    ("，。！", (), ()),  # punctuation alone asks nothing
    ("", (), ()),
]


@pytest.mark.parametrize(("text", "terms", "quoted"), PARSE_CASES)
def test_parse_query(text, terms, quoted):
    parsed = s.parse_query(text)
    assert (parsed.terms, parsed.phrases) == (terms, quoted)


def test_a_long_search_text_is_refused_in_one_line():
    with pytest.raises(InputError, match="at most"):
        s.parse_query("经济" * 400)


# (search text, filters, the sentences found) in the hand-made report
SAMPLE_CASES = [
    ("滨海创新园", {}, ["推动滨海创新园等30个项目开工，力促固定资产投资增长8%以上。"]),
    ("濱海創新園", {}, ["推动滨海创新园等30个项目开工，力促固定资产投资增长8%以上。"]),
    ('"固定资产投资增长"', {}, ["推动滨海创新园等30个项目开工，力促固定资产投资增长8%以上。"]),
    ('"投资增长8%以下"', {}, []),
    ("科技 智能计算", {}, ["支持“星河<科技>&公司”建设智能计算中心，研发投入强度达到3.2%。"]),
    (
        "项目",
        {},
        [
            "抓项目建设。",
            "推动滨海创新园等30个项目开工，力促固定资产投资增长8%以上。",
            "示例区地区生产总值增长5.5%，新引进项目120个。",
        ],
    ),
    ("项目", {"kind": "ReviewSection"}, ["示例区地区生产总值增长5.5%，新引进项目120个。"]),
    ("项目", {"kind": "PlanSection", "year": "2026"}, ["抓项目建设。", "推动滨海创新园等30个项目开工，力促固定资产投资增长8%以上。"]),
    ("项目", {"region": "别处"}, []),
    ("项目", {"report": SAMPLE, "kind": "ReviewSection"}, ["示例区地区生产总值增长5.5%，新引进项目120个。"]),
    ("项目", {"report": SAMPLE + "x"}, []),
    ("不存在的词", {}, []),
]


@pytest.mark.parametrize(("text", "filters", "found"), SAMPLE_CASES)
def test_search_the_sample_report(sample_store, text, filters, found):
    result = s.search(current(sample_store), text, filters=filters)
    assert sorted(h.text for h in result.hits) == sorted(found)
    assert result.total == len(found)


def test_a_hit_knows_its_report_pillar_measure_and_what_was_read_from_it(sample_store):
    (hit,) = s.search(current(sample_store), "滨海创新园").hits
    assert (hit.report, hit.region_label, hit.year, hit.kind) == (SAMPLE, "示例区", 2026, "PlanSection")
    assert (hit.pillar_label, hit.measure_label) == ("扩大有效投资", "抓项目建设")
    assert hit.pillar.startswith(SAMPLE + "/") and hit.measure.startswith(hit.pillar + "/")
    links = {(link.cls, link.label) for link in hit.links}
    assert {("Project", "滨海创新园"), ("Target", "增长8%以上")} <= links


def test_the_facets_count_the_hits_under_the_other_filters(sample_store):
    result = s.search(current(sample_store), "项目", filters={"kind": "ReviewSection"})
    kinds = {f.value: f.count for f in result.facets["kind"]}
    assert kinds == {"PlanSection": 2, "ReviewSection": 1}  # its own filter left out: the other value stays
    assert [(f.label, f.count) for f in result.facets["region"]] == [("示例区", 1)]
    assert [(f.value, f.count) for f in result.facets["year"]] == [("2026", 1)]
    assert [(f.value, f.label, f.count) for f in result.facets["report"]] == [(SAMPLE, "示例区2026年政府工作报告", 1)]


HIGHLIGHT_CASES = [
    ("支持“星河<科技>&公司”", ["科技"], "支持“星河&lt;<mark>科技</mark>&gt;&amp;公司”"),
    ("增长8%以上。增长", ["增长"], "<mark>增长</mark>8%以上。<mark>增长</mark>"),
    ("数字经济", ["数字", "字经"], "<mark>数字经</mark>济"),  # overlapping terms make one mark
    ("GDP比重", ["gdp"], "<mark>GDP</mark>比重"),
    ("<b>", [], "&lt;b&gt;"),
]


@pytest.mark.parametrize(("text", "terms", "expected"), HIGHLIGHT_CASES)
def test_highlight_escapes_every_part(text, terms, expected):
    assert s.highlight(text, terms) == expected


def _oracle(store: LocalStore, needle: str) -> Counter:
    """Sentences holding ``needle``, counted by region, read from the reports' text without the index."""
    found: Counter = Counter()
    db = sqlite3.connect(current(store) / s.INDEX_FILE)
    for region, text in db.execute("SELECT region_label, text FROM sentence"):
        if needle in s.simplify(text).replace(" ", ""):
            found[region] += 1
    return found


@pytest.mark.parametrize(
    ("text", "needle"), [('"数字经济"', "数字经济"), ("“數字經濟”", "数字经济"), ('"新质生产力"', "新质生产力"), ("湖里", "湖里")]
)
def test_the_bundled_reports_give_what_a_scan_gives(built_store, text, needle):
    result = s.search(current(built_store), text, limit=1000)
    expected = _oracle(built_store, needle)
    assert result.total == sum(expected.values()) > 0
    assert {f.label: f.count for f in result.facets["region"]} == dict(expected)


def test_unquoted_words_also_find_them_apart(built_store):
    phrase = {h.id for h in s.search(current(built_store), '"数字经济"', limit=1000).hits}
    words = s.search(current(built_store), "数字经济", limit=1000).hits
    apart = [h.text for h in words if h.id not in phrase]
    assert phrase < {h.id for h in words} and all("数字" in t and "经济" in t for t in apart)


def test_every_sentence_of_every_report_is_indexed(built_store):
    texts = built_store.query(
        "SELECT ?r ?t WHERE { GRAPH ?r { ?r <https://w3id.org/policy-kg/def#text> ?c . "
        "?c <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?t } }"
    ).rows
    db = sqlite3.connect(current(built_store) / s.INDEX_FILE)
    counted = dict(db.execute("SELECT report, COUNT(*) FROM sentence GROUP BY report").fetchall())
    assert counted == {str(r): len(s.sentences(str(t))) for r, t in texts}
    assert built_store.info()["search_sentences"] == sum(counted.values())


def _rows(store: LocalStore) -> list[tuple]:
    db = sqlite3.connect(current(store) / s.INDEX_FILE)
    return sorted(
        db.execute(
            "SELECT s.report, s.begin, s.end, s.text, s.kind, s.pillar, s.measure, f.words, f.chars, "
            "(SELECT GROUP_CONCAT(iri) FROM (SELECT iri FROM link WHERE sentence = s.id ORDER BY iri)) "
            "FROM sentence s JOIN fts f ON f.rowid = s.id"
        ).fetchall()
    )


def _groups_disagree(directory: Path) -> list[tuple]:
    """Sentences whose facet group is missing or says other than the sentence, and groups no sentence is in."""
    db = sqlite3.connect(directory / s.INDEX_FILE)
    columns = ", ".join(s._GROUP_COLUMNS)
    wrong = db.execute(
        f"SELECT id, begin, {columns} FROM sentence EXCEPT "
        f"SELECT sg.id, sg.begin, {', '.join('g.' + c for c in s._GROUP_COLUMNS)} "
        "FROM sentence_group sg JOIN facet_group g ON g.code = sg.grp"
    ).fetchall()
    wrong += db.execute(
        "SELECT 'no sentence', code FROM facet_group WHERE code NOT IN (SELECT grp FROM sentence_group)"
    ).fetchall()
    wrong += db.execute(
        "SELECT 'no group', id FROM sentence_group WHERE id NOT IN (SELECT id FROM sentence)"
    ).fetchall()
    db.close()
    return wrong


def test_each_build_updates_only_what_it_replaced_and_gives_what_a_full_index_gives(tmp_path):
    store = write_sample_store(tmp_path / "store")
    full = _rows(store)
    other = f"{DATA_NS}report/qita-2026"
    with store.writer() as writer:  # another report (the same text under another IRI), then the first dropped
        writer.replace_graph(other, serialize(sample_quads()).replace(SAMPLE.encode(), other.encode()))
    assert {r[0] for r in _rows(store)} == {SAMPLE, other}
    assert len(s.search(current(store), "滨海创新园").hits) == 2
    assert _groups_disagree(current(store)) == []
    with store.writer() as writer:
        writer.drop_graph(other)
    assert _rows(store) == full
    assert _groups_disagree(current(store)) == []
    with store.writer() as writer:
        writer.replace_graph(SAMPLE, serialize(sample_quads()))
    assert _rows(store) == full
    assert _groups_disagree(current(store)) == []
    s.update_index(LocalStore(store.root), tmp_path, changed=None)  # the same index built whole, elsewhere
    db = sqlite3.connect(tmp_path / s.INDEX_FILE)
    assert db.execute("SELECT COUNT(*) FROM sentence").fetchone()[0] == len(full)


def test_a_generation_without_an_index_says_how_to_get_one(sample_store, tmp_path):
    with pytest.raises(StoreError, match="kg-build build --force"):
        s.search(tmp_path, "项目")


def test_an_index_of_an_older_version_is_refused_then_rebuilt_whole(sample_store, tmp_path):
    old = tmp_path / s.INDEX_FILE
    old.write_bytes((current(sample_store) / s.INDEX_FILE).read_bytes())
    with sqlite3.connect(old) as db:  # an index as version 1 wrote it: no facet groups
        db.executescript(
            "DROP TABLE facet_group; DROP TABLE sentence_group; UPDATE meta SET value = '1' WHERE key = 'version'"
        )
    with pytest.raises(StoreError, match="kg-build build --force"):
        s.search(tmp_path, "项目")
    s.update_index(sample_store, tmp_path, changed=[])  # a build that changed nothing still brings it up to date
    assert s.search(tmp_path, "项目").total == 3
    assert _groups_disagree(tmp_path) == []


def test_warming_reads_the_facet_groups_once_and_passes_over_a_generation_without_an_index(sample_store, tmp_path):
    directory = current(sample_store)
    s._GROUPS_READ.clear()
    assert s.warm(tmp_path) is False  # no index here: nothing read, nothing raised
    assert s._GROUPS_READ == {}
    assert s.warm(directory) is True
    (read,) = s._GROUPS_READ.values()
    assert read and s.search(directory, "项目").total == 3
    assert [v is read for v in s._GROUPS_READ.values()] == [True]  # the search used what was warmed


# Two reports with the same text: every hit of one ranked like a hit of the other, so the order is the reports'
TIE_CASES = [(limit, offset, slack) for limit, offset in ((1, 0), (1, 1), (2, 1), (3, 0)) for slack in (200, 1, 0)]


@pytest.fixture(scope="module")
def twin_store(tmp_path_factory):
    store = write_sample_store(tmp_path_factory.mktemp("twin-store"))
    with store.writer() as writer:
        for name in ("aaa-2026", "zzz-2026"):
            other = f"{DATA_NS}report/{name}"
            writer.replace_graph(other, serialize(sample_quads()).replace(SAMPLE.encode(), other.encode()))
    return store


@pytest.mark.parametrize(("limit", "offset", "slack"), TIE_CASES)
def test_hits_ranked_alike_are_ordered_by_report_and_place(twin_store, monkeypatch, limit, offset, slack):
    monkeypatch.setattr(s, "PAGE_SLACK", slack)  # 0: the page's last rank runs past the slack, SQL orders them all
    result = s.search(current(twin_store), "滨海创新园", limit=limit, offset=offset)  # one sentence a report
    total, ids, _ = _sql_search(current(twin_store), "滨海创新园", {}, limit, offset)
    assert result.total == total == 3
    assert [h.id for h in result.hits] == ids
    reports = sorted(f"{DATA_NS}report/{name}" for name in ("aaa-2026", "shili-2026", "zzz-2026"))
    assert [h.report for h in result.hits] == reports[offset : offset + limit]


def _sql_search(directory, text, filters, limit, offset, facet_size=30):
    """The search as plain SQL over the index (what `search` did before it read the matches once): its reference."""
    match = s.parse_query(text).match()
    db = s.open_index(directory)
    columns = {"region": "region_label", "year": "year", "level": "level", "kind": "kind", "report": "report", "pillar": "pillar"}
    label_of = {"pillar": "pillar_label", "report": "report_title"}

    def where(skip=""):
        clauses, args = [], []
        for facet, value in sorted(filters.items()):
            if facet != skip:
                clauses.append(f" AND s.{columns[facet]} = ?")
                args.append(int(value) if facet == "year" and str(value).isdigit() else str(value))
        return "".join(clauses), args

    matched = "SELECT rowid AS id, bm25(fts, 10.0, 1.0) AS rank FROM fts WHERE fts MATCH ?"
    w, args = where()
    total = db.execute(f"SELECT COUNT(*) FROM ({matched}) m JOIN sentence s ON s.id = m.id WHERE 1{w}", [match, *args]).fetchone()[0]
    ids = [r[0] for r in db.execute(
        f"SELECT s.id FROM ({matched}) m JOIN sentence s ON s.id = m.id WHERE 1{w} ORDER BY m.rank, s.report, s.begin LIMIT ? OFFSET ?",
        [match, *args, limit, offset])]
    facets = {}
    for facet, column in columns.items():
        fw, fargs = where(skip=facet)
        facets[facet] = [tuple(map(str, r)) for r in db.execute(
            f"SELECT s.{column}, MIN(s.{label_of.get(facet, column)}), COUNT(*) AS n FROM ({matched}) m JOIN sentence s ON s.id = m.id "
            f"WHERE s.{column} IS NOT NULL AND s.{column} != ''{fw} GROUP BY s.{column} ORDER BY n DESC, s.{column} LIMIT ?",
            [match, *fargs, facet_size])]
    db.close()
    return total, ids, facets


# (text, filters, limit, offset): every facet filtered alone and together, pages past the first, an empty page
READ_ONCE = [
    ("经济", {}, 20, 0),
    ("经济", {}, 20, 40),
    ("经济", {"year": "2026"}, 20, 0),
    ("经济", {"level": "ProvincialLevel", "kind": "PlanSection"}, 50, 0),
    ("发展", {"region": "福建省"}, 10, 5),
    ("就业 收入", {"year": "2019", "level": "NationalLevel"}, 100, 0),
    ("GDP", {}, 5, 0),
    ("经济", {"year": "不是年份"}, 20, 0),
    ("经济", {}, 0, 0),
    ("不存在的词语组合", {}, 20, 0),
    ("不存在的词语组合", {"year": "2026"}, 20, 0),
    ("经济", {"region": "福建省", "kind": "PlanSection", "year": "2026"}, 20, 0),
    ("发展", {"level": "ProvincialLevel"}, 20, 0),
    ("GDP", {}, 20, 1000),  # past the last hit
    ("发展", {}, 30, 90),  # a page deep enough that the slack is ranked past the first pages
]
# How the page is ranked: as it is, every page ordered in SQL, the slack past the page none
RANKINGS = [{}, {"_MAX_RANKED": 0}, {"PAGE_SLACK": 0}]


@pytest.mark.parametrize("ranking", RANKINGS)
@pytest.mark.parametrize(("text", "filters", "limit", "offset"), READ_ONCE)
def test_reading_the_matches_once_gives_what_sql_gives(built_store, monkeypatch, text, filters, limit, offset, ranking):
    for name, value in ranking.items():
        monkeypatch.setattr(s, name, value)
    directory = current(built_store)
    result = s.search(directory, text, filters=filters, limit=limit, offset=offset)
    total, ids, facets = _sql_search(directory, text, filters, limit, offset)
    assert result.total == total
    assert [h.id for h in result.hits] == ids
    assert {f: [(v.value, v.label, str(v.count)) for v in values] for f, values in result.facets.items()} == facets


def test_a_report_and_a_pillar_filter_give_what_sql_gives(built_store):
    directory = current(built_store)
    hit = next(h for h in s.search(directory, "经济", limit=1000).hits if h.pillar)
    for filters in ({"report": hit.report}, {"pillar": hit.pillar}, {"report": hit.report, "year": str(hit.year)}):
        result = s.search(directory, "经济", filters=filters, limit=30)
        total, ids, facets = _sql_search(directory, "经济", filters, 30, 0)
        assert (result.total, [h.id for h in result.hits]) == (total, ids)
        assert {f: [(v.value, v.label, str(v.count)) for v in values] for f, values in result.facets.items()} == facets


# (text, filters, facet size): a facet cut where values are counted alike, by its own filter left out, none asked
FACET_SIZES = [
    ("经济", {}, 1),
    ("经济", {}, 3),
    ("发展", {"year": "2026"}, 2),
    ("发展", {"kind": "PlanSection", "region": "福建省"}, 4),
    ("经济", {}, 0),
]


@pytest.mark.parametrize(("text", "filters", "size"), FACET_SIZES)
def test_a_facet_keeps_its_largest_values_as_sql_orders_them(built_store, text, filters, size):
    directory = current(built_store)
    result = s.search(directory, text, filters=filters, facet_size=size)
    _, _, facets = _sql_search(directory, text, filters, 20, 0, facet_size=size)
    assert {f: [(v.value, v.label, str(v.count)) for v in values] for f, values in result.facets.items()} == facets
    assert all(len(values) <= size for values in result.facets.values())


def test_the_facets_add_up_to_the_total(built_store):
    result = s.search(current(built_store), "发展", facet_size=10_000)
    for facet in ("region", "year", "report"):  # every hit has one
        assert sum(v.count for v in result.facets[facet]) == result.total > 0


@pytest.mark.parametrize("there", [True, False])
def test_a_build_copies_the_index_beside_it_whole_or_not_at_all(tmp_path, there):
    import pyoxigraph as ox

    from kg_build.store import GenerationWriter

    source = tmp_path / "previous" / s.INDEX_FILE
    source.parent.mkdir()
    if there:
        source.write_bytes(bytes(range(256)) * 40_000)
    generation = tmp_path / "generation"
    writer = GenerationWriter(ox.Store(str(generation)))
    writer.copy_index(source, generation / s.INDEX_FILE)
    writer.close()  # waits for the copy: a discarded generation is removed only then
    copied = generation / s.INDEX_FILE
    assert (copied.read_bytes() == source.read_bytes()) if there else not copied.exists()
    assert not list(generation.glob(".*.copy"))  # no partial copy left under another name


def _chars_by_hand(text: str) -> list[str]:
    """What ``chars`` means, a character at a time: ASCII letters and digits run together, any other letter or
    digit (``str.isalnum``) alone, everything else dropped."""
    found, run = [], ""
    for c in text.lower():
        if c.isascii() and c.isalnum():
            run += c
            continue
        if run:
            found.append(run)
            run = ""
        if c.isalnum():
            found.append(c)
    return found + [run] if run else found


CHAR_CASES = [
    ("擴(kuò)內(nèi)需", ["擴", "ku", "ò", "內", "n", "è", "i", "需"]),  # a vowel with a tone mark is no ASCII letter
    ("GDP增长5.5%左右", ["gdp", "增", "长", "5", "5", "左", "右"]),
    ("Ａ股ＡＢＣ", ["ａ", "股", "ａ", "ｂ", "ｃ"]),  # full-width Latin: not ASCII
    ("snake_case ²½Ⅻ", ["snake", "case", "²", "½", "ⅻ"]),
    ("", []),
]


@pytest.mark.parametrize(("text", "tokens"), CHAR_CASES)
def test_chars_are_the_index_s_character_tokens(text, tokens):
    assert s.chars(text) == tokens == _chars_by_hand(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_chars_reads_any_text_as_by_hand(text):
    assert s.chars(text) == _chars_by_hand(text)
