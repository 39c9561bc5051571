"""What the explorer shows, read from a hand-made store (exact) and from the bundled reports (what the build guarantees)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from rdflib import Literal, URIRef

from kg_build import explore
from kg_build.errors import InputError
from kg_build.model.vocab import DATA_NS, POL_NS

REPORT = f"{DATA_NS}report/shili-2026"
SECTION = f"{REPORT}/section/1"
PILLAR_1 = f"{SECTION}/pillar/1"
PILLAR_2 = f"{SECTION}/pillar/2"
MEASURE_2_1 = f"{PILLAR_2}/measure/1"


def iri_with_label(store, label: str) -> str:
    hits = [h for h in explore.search(store, label) if h.label == label]
    assert hits, f"no thing labelled {label}"
    return hits[0].iri


# --- terms ------------------------------------------------------------------------------------

PREFIXED = [
    (POL_NS + "Target", "pol:Target"),
    (REPORT, "id:report/shili-2026"),
    ("http://www.w3.org/2004/02/skos/core#prefLabel", "skos:prefLabel"),
    ("http://qudt.org/vocab/unit/PERCENT", "unit:PERCENT"),
    ("http://example.org/x", "http://example.org/x"),
]


@pytest.mark.parametrize(("iri", "expected"), PREFIXED)
def test_prefixed_names_use_the_longest_known_namespace(iri, expected):
    assert explore.prefixed_name(iri) == expected
    assert explore.expand_name(expected) == iri


IRI_CHECKS = [
    ("https://w3id.org/policy-kg/id/report/x", True),
    ("urn:x:y", True),
    ("not an iri", False),
    ("https://example.org/a b", False),
    ("https://example.org/>{ ?s ?p ?o }", False),
    ("relative/path", False),
]


@pytest.mark.parametrize(("text", "ok"), IRI_CHECKS)
def test_only_absolute_iris_reach_a_query(text, ok):
    assert explore.is_iri(text) is ok
    if not ok:
        with pytest.raises(InputError, match="not an IRI"):
            explore.iri_term(text)


HIGHLIGHTS = [
    ("abcdef", 2, 4, "ab<mark>cd</mark>ef"),
    ("a<b>&c", 1, 4, "a<mark>&lt;b&gt;</mark>&amp;c"),
    ("星河<科技>", 0, 2, "<mark>星河</mark>&lt;科技&gt;"),
    ("abc", 2, 99, "ab<mark>c</mark>"),
    ("abc", -5, 1, "<mark>a</mark>bc"),
]


@pytest.mark.parametrize(("text", "begin", "end", "expected"), HIGHLIGHTS)
def test_a_highlight_escapes_the_text_then_marks_the_span(text, begin, end, expected):
    assert explore.highlight(text, begin, end) == expected


PRIMARY = [
    ([POL_NS + "Section", POL_NS + "PlanSection"], "Section"),
    ([POL_NS + "QuantifiedStatement", POL_NS + "Target"], "Target"),
    (["http://www.w3.org/2002/07/owl#Class"], ""),
    ([POL_NS + "Zeta", POL_NS + "Alpha"], "Alpha"),
]


@pytest.mark.parametrize(("classes", "expected"), PRIMARY)
def test_the_primary_class_is_the_most_telling(classes, expected):
    assert explore.primary_class(classes) == expected


# --- labels -----------------------------------------------------------------------------------

LABELS = [
    (POL_NS + "Target", "zh", "目标值"),
    (POL_NS + "Target", "en", "target"),
    (POL_NS + "hasSection", "en", "has section"),
    (PILLAR_2, "en", "培育新兴产业"),  # no English label: the Chinese one
    (REPORT, "zh", "示例区2026年政府工作报告"),
    (f"{REPORT}/text#char=109,118", "zh", "星河<科技>&公司"),  # a span: its text
    (f"{DATA_NS}nothing/here", "zh", "id:nothing/here"),
]


@pytest.mark.parametrize(("iri", "lang", "expected"), LABELS)
def test_labels_follow_the_readers_language(sample_store, iri, lang, expected):
    assert explore.labels(sample_store, [URIRef(iri)], lang=lang)[iri] == expected


def test_labels_of_many_iris_come_from_one_batched_lookup(sample_store, monkeypatch):
    calls = []
    original = explore.run_query  # the explorer's queries take the one guarded path
    monkeypatch.setattr(explore, "run_query", lambda store, q, *a, **kw: calls.append(q) or original(store, q, *a, **kw))
    iris = [URIRef(f"{REPORT}/statement/{n}") for n in range(300)] + [URIRef(PILLAR_1)]
    names = explore.labels(sample_store, iris)
    assert len(calls) == 1 and names[PILLAR_1] == "扩大有效投资"


# --- the entity page --------------------------------------------------------------------------


def test_a_summary_gives_labels_by_language_and_classes(sample_store):
    summary = explore.entity_summary(sample_store, PILLAR_2)
    assert summary is not None
    assert summary.labels == {"zh-Hans": ["培育新兴产业"]}
    assert summary.classes == [POL_NS + "Pillar"]


def test_an_unknown_iri_has_no_summary(sample_store):
    assert explore.entity_summary(sample_store, f"{DATA_NS}nothing") is None
    assert not explore.entity_exists(sample_store, f"{DATA_NS}nothing")


def test_facts_are_grouped_by_property_with_links_to_it_last(sample_store):
    company = iri_with_label(sample_store, "星河<科技>&公司")
    groups = explore.entity_facts(sample_store, company)
    keys = [(explore.prefixed_name(g.property), g.inverse) for g in groups]
    assert keys[0] == ("rdf:type", False)
    assert ("pol:involvesOrganization", True) in keys and ("pol:mentions", True) in keys
    assert keys.index(("pol:mentions", True)) > keys.index(("prov:wasDerivedFrom", False))
    mentions = next(g for g in groups if g.inverse and g.property == POL_NS + "mentions")
    assert [str(v) for v in mentions.values] == [MEASURE_2_1]


SOURCES = [
    (
        "星河<科技>&公司",
        "支持“星河<科技>&公司”建设智能计算中心，研发投入强度达到3.2%。",
        "星河&lt;科技&gt;&amp;公司",
    ),
    ("示例区", "示例区地区生产总值增长5.5%，新引进项目120个。", "示例区"),
    ("扩大有效投资", "一、扩大有效投资", "扩大有效投资"),
]


@pytest.mark.parametrize(("label", "sentence", "marked"), SOURCES)
def test_sources_give_the_sentence_with_the_span_marked(sample_store, label, sentence, marked):
    sources = explore.entity_sources(sample_store, iri_with_label(sample_store, label))
    assert sources and sources[0].report == REPORT
    first = sources[0]
    assert first.sentence == sentence
    assert first.anchor == label
    assert first.sentence[first.begin - first.sentence_begin : first.end - first.sentence_begin] == label
    assert f"<mark>{marked}</mark>" in first.html


def test_a_report_itself_has_no_source_span(sample_store):
    assert explore.entity_sources(sample_store, REPORT) == []


# --- neighbourhoods ---------------------------------------------------------------------------

NEIGHBOURHOODS = [
    (PILLAR_2, 1, {SECTION, MEASURE_2_1}),
    (PILLAR_2, 2, {REPORT, PILLAR_1, "星河<科技>&公司", "智能计算中心", "研发投入强度：达到3.2%"}),
    (REPORT, 1, {SECTION, f"{REPORT}/section/2", "示例区"}),
]


@pytest.mark.parametrize(("focus", "depth", "expected"), NEIGHBOURHOODS)
def test_a_neighbourhood_holds_what_is_within_depth_links(sample_store, focus, depth, expected):
    hood = explore.neighbourhood(sample_store, focus, depth=depth)
    seen = {n.iri for n in hood.nodes} | {n.label for n in hood.nodes}
    assert expected <= seen
    assert hood.nodes[0].iri == focus and hood.nodes[0].level == 0
    assert all(n.level <= depth for n in hood.nodes)
    kept = {n.iri for n in hood.nodes}
    assert all(e.source in kept and e.target in kept for e in hood.edges)
    assert not any("/text" in n.iri for n in hood.nodes)  # spans and texts are sources, not things
    assert hood.left_out == {} and hood.found == len(hood.nodes)


def test_a_capped_neighbourhood_says_what_it_left_out(sample_store):
    full = explore.neighbourhood(sample_store, PILLAR_2, depth=2)
    capped = explore.neighbourhood(sample_store, PILLAR_2, depth=2, cap=3)
    assert len(capped.nodes) == 3 and capped.found == len(full.nodes)
    assert sum(capped.left_out.values()) == len(full.nodes) - 3
    assert [n.level for n in capped.nodes] == sorted(n.level for n in capped.nodes)


def test_tooltips_carry_the_source_sentence(sample_store):
    hood = explore.neighbourhood(sample_store, PILLAR_2, depth=2)
    company = next(n for n in hood.nodes if n.label == "星河<科技>&公司")
    assert company.cls == "Company" and company.sentence.startswith("支持“星河")


@pytest.mark.parametrize(("focus", "depth"), [(PILLAR_2, 3), (PILLAR_2, 0), ("no iri", 1)])
def test_a_neighbourhood_refuses_bad_input(sample_store, focus, depth):
    with pytest.raises(InputError):
        explore.neighbourhood(sample_store, focus, depth=depth)


# --- search -----------------------------------------------------------------------------------

SEARCHES = [
    ("培育新兴产业", "培育新兴产业"),  # exact
    ("培育", "培育新兴产业"),  # prefix
    ("科技创新", "强化科技创新"),  # substring
    ("固定資產投資", "固定资产投资增长"),  # traditional characters
    ("投资 固定资产", "固定资产投资增长"),  # words in another order (jieba)
    ("星河", "星河<科技>&公司"),
    ("  示例区  ", "示例区"),
]


@pytest.mark.parametrize(("text", "expected"), SEARCHES)
def test_search_finds_labels_by_substring_and_by_words(sample_store, text, expected):
    hits = explore.search(sample_store, text)
    assert expected in [h.label for h in hits[:3]], [h.label for h in hits]


def test_an_exact_label_ranks_first(sample_store):
    assert explore.search(sample_store, "示例区")[0].label == "示例区"


@pytest.mark.parametrize("text", ["", "   ", "没有这个名字的东西", f"{DATA_NS}nothing"])
def test_search_without_a_match_is_empty(sample_store, text):
    assert explore.search(sample_store, text) == []


def test_search_takes_an_iri(sample_store):
    assert [h.iri for h in explore.search(sample_store, PILLAR_2)] == [PILLAR_2]


# --- overview and figures ---------------------------------------------------------------------


def test_reports_have_region_year_and_counts(sample_store):
    (report,) = explore.reports(sample_store)
    assert (report.iri, report.title, report.region, report.plan_year) == (
        REPORT, "示例区2026年政府工作报告", "示例区", 2026
    )
    assert report.counts == {"sections": 2, "pillars": 2, "measures": 3, "entities": 4, "figures": 6}


def test_pillars_come_in_document_order(sample_store):
    assert [(p.iri, p.label) for p in explore.pillars(sample_store)] == [
        (PILLAR_1, "扩大有效投资"),
        (PILLAR_2, "培育新兴产业"),
    ]


FIGURES = [
    ("固定资产投资增长", "Target", Decimal("8"), "unit:PERCENT", "AtLeast", 2026),
    ("文旅活动", "Target", Decimal("500"), "unit:NUM", "MoreThan", 2026),
    ("地区生产总值增长", "Achievement", Decimal("5.5"), "unit:PERCENT", "Equal", 2025),
]


@pytest.mark.parametrize(("indicator", "kind", "value", "unit", "comparator", "year"), FIGURES)
def test_figures_carry_kind_value_unit_comparator_year_and_region(
    sample_store, indicator, kind, value, unit, comparator, year
):
    rows = [f for f in explore.figures(sample_store) if f.indicator == indicator]
    assert len(rows) == 1
    row = rows[0]
    assert (row.kind, row.value, row.unit, row.comparator, row.year, row.region) == (
        kind, value, unit, comparator, year, "示例区"
    )


def test_every_figure_is_listed_once(sample_store):
    rows = explore.figures(sample_store)
    assert len(rows) == 6 == len({r.statement for r in rows})


@pytest.mark.parametrize(
    ("reports", "count"),
    [(None, 6), ([REPORT], 6), ([], 0), ([f"{DATA_NS}report/nowhere-2026"], 0), ([REPORT, "not an iri"], 6)],
)
def test_figures_are_read_report_by_report(sample_store, reports, count):
    rows = explore.figures(sample_store, reports)
    assert len(rows) == count
    assert {r.report for r in rows} <= {REPORT}


def test_the_figures_of_some_reports_are_those_reports_rows_of_all(built_store):
    every = explore.figures(built_store)
    some = sorted({f.report for f in every})[:3]
    assert explore.figures(built_store, some) == [f for f in every if f.report in some]
    assert len({f.report for f in every}) > 3


def _report(iri: str, region: str, year: int | None) -> explore.ReportRow:
    return explore.ReportRow(iri, iri, region, "", year, {})


CHOSEN = [
    ({}, ["a26", "a27", "b26", "c"]),
    ({"years": [2027]}, ["a27"]),
    ({"regions": ["乙"]}, ["b26"]),
    ({"regions": ["甲", "乙"], "years": [2026]}, ["a26", "b26"]),
    ({"regions": ["丙"]}, []),
    ({"years": [2025]}, []),
]


@pytest.mark.parametrize(("choice", "expected"), CHOSEN)
def test_reports_are_chosen_by_region_and_plan_year(choice, expected):
    rows = [_report("a26", "甲", 2026), _report("a27", "甲", 2027), _report("b26", "乙", 2026), _report("c", "", None)]
    assert explore.chosen_reports(rows, **choice) == expected


@pytest.mark.parametrize(("unit", "symbol"), [("unit:PERCENT", "%"), ("cur:CNY", "元"), ("unit:XYZ", "unit:XYZ")])
def test_units_are_written_as_in_the_reports(unit, symbol):
    assert explore.unit_symbol(explore.expand_name(unit)) == symbol


def test_reports_are_chosen_by_level_too():
    rows = [explore.ReportRow("n", "n", "国", "", 2026, {}, level="NationalLevel"),
            explore.ReportRow("p", "p", "省", "", 2026, {}, level="ProvincialLevel"),
            explore.ReportRow("x", "x", "", "", 2026, {})]
    assert explore.chosen_reports(rows, levels=["ProvincialLevel"]) == ["p"]
    assert explore.chosen_reports(rows, levels=["ProvincialLevel", "NationalLevel"], years=[2025]) == []


# --- /figures: units, comparators, the filters in the URL, facet counts, chart marks -----------------------


def _figure(value: str, *, unit: str = "unit:NUM", zh: str = "", en: str = "", lang: str = "zh",
            comparator: str = "Equal", upper: str | None = None, kind: str = "Target", region: str = "甲",
            year: int | None = 2026, surface: str = "") -> explore.FigureRow:
    return explore.FigureRow(
        statement=f"urn:x:{value}:{comparator}:{kind}:{region}", kind=kind, indicator="指标", indicator_iri="",
        value=Decimal(value), upper=Decimal(upper) if upper else None, unit=unit, comparator=comparator,
        modality="Firm", year=year, region=region, region_iri="", surface=surface, report="urn:x:r",
        unit_label=en if lang == "en" else zh, unit_label_zh=zh,
    )


# (figure, the URL's unit key, what a zh reader sees, what an en reader sees)
UNITS = [
    (dict(zh="人", en="persons"), "人", "人", "persons"),
    (dict(zh="家", en="companies"), "家", "家", "companies"),
    (dict(unit="unit:PERCENT"), "%", "%", "%"),
    (dict(unit="cur:CNY"), "元", "元", "yuan"),
    (dict(unit="unit:NUM"), "个", "个", "count"),
    (dict(unit=""), "", "", ""),
]


@pytest.mark.parametrize(("kw", "key", "zh", "en"), UNITS)
def test_a_figure_shows_what_it_counts_else_its_unit(kw, key, zh, en):
    in_zh, in_en = _figure("5", **kw), _figure("5", lang="en", **kw)
    assert explore.unit_key(in_zh) == explore.unit_key(in_en) == key  # the URL's key is the same in both languages
    assert explore.unit_text(in_zh) == zh and explore.unit_text(in_en, lang="en") == en


@pytest.mark.parametrize(("indicator", "unit", "title"), [("城镇新增就业", "人", "城镇新增就业 (人)"),
                                                           ("GDP growth", "%", "GDP growth (%)"), ("某指标", "", "某指标")])
def test_the_axis_title_carries_the_unit(indicator, unit, title):
    assert explore.axis_title(indicator, unit) == title


# (figure, as the table and the tooltip write it)
FIGURE_TEXTS = [
    (dict(comparator="AtLeast"), "8", "≥8"),
    (dict(comparator="About"), "5", "≈5"),
    (dict(comparator="AtMost"), "3.5", "≤3.5"),
    (dict(comparator="Between", upper="5.5"), "5", "5–5.5"),
    (dict(comparator="Equal"), "4538000", "4,538,000"),
    (dict(comparator="Between"), "5", "–5"),  # a range without its upper end: the sign says it is one
]


@pytest.mark.parametrize(("kw", "value", "text"), FIGURE_TEXTS)
def test_a_figure_is_written_with_its_comparator(kw, value, text):
    assert explore.figure_text(_figure(value, **kw)) == text


def _params(query: str):
    from urllib.parse import parse_qs

    parsed = parse_qs(query, keep_blank_values=True)
    return lambda name: parsed.get(name, [])


# (URL query, the filters read from it, the query written back: defaults and junk gone)
URL_FILTERS = [
    ("", explore.FigureFilters(), {}),
    ("plans=all", explore.FigureFilters(plans=()), {"plans": ["all"]}),
    ("plans=2025&plans=2026&plans=x", explore.FigureFilters(plans=(2025, 2026)), {"plans": ["2025", "2026"]}),
    ("regions=福建省&regions=浙江省&regions=福建省", explore.FigureFilters(regions=("福建省", "浙江省")),
     {"regions": ["福建省", "浙江省"]}),
    ("years=2026&years=20x6&kinds=Target&units=%&units=人&levels=CountyLevel&chart=地区生产总值增长",
     explore.FigureFilters(years=(2026,), kinds=("Target",), units=("%", "人"), levels=("CountyLevel",),
                           chart="地区生产总值增长"),
     {"years": ["2026"], "kinds": ["Target"], "units": ["%", "人"], "levels": ["CountyLevel"],
      "chart": ["地区生产总值增长"]}),
    ("regions=&years=", explore.FigureFilters(), {}),
    ("region=中华人民共和国&indicator=gdp-growth", explore.FigureFilters(), {}),  # the outcome view's, not these
]


@pytest.mark.parametrize(("query", "filters", "written"), URL_FILTERS)
def test_the_figures_filters_round_trip_through_the_url(query, filters, written):
    read = explore.FigureFilters.from_params(_params(query))
    assert read == filters
    assert read.params() == written
    assert explore.FigureFilters.from_params(lambda name: written.get(name, [])) == read


RECORDS = [
    {"region": "甲", "year": 2025, "kind": "Target"},
    {"region": "甲", "year": 2026, "kind": "Target"},
    {"region": "甲", "year": 2026, "kind": "Achievement"},
    {"region": "乙", "year": 2026, "kind": "Target"},
    {"region": "丙", "year": 2024, "kind": "Achievement"},
]
# (choices, each facet's counts, the records shown)
FACETS = [
    ({}, {"region": {"甲": 3, "乙": 1, "丙": 1}, "year": {2025: 1, 2026: 3, 2024: 1},
          "kind": {"Target": 3, "Achievement": 2}}, [0, 1, 2, 3, 4]),
    # a facet's own choice never hides its other options; the others' choices narrow it
    ({"region": ["甲"]}, {"region": {"甲": 3, "乙": 1, "丙": 1}, "year": {2025: 1, 2026: 2},
                         "kind": {"Target": 2, "Achievement": 1}}, [0, 1, 2]),
    ({"region": ["甲"], "kind": ["Target"]}, {"region": {"甲": 2, "乙": 1}, "year": {2025: 1, 2026: 1},
                                             "kind": {"Target": 2, "Achievement": 1}}, [0, 1]),
    ({"region": ["甲", "乙"], "year": [2026]}, {"region": {"甲": 2, "乙": 1}, "year": {2025: 1, 2026: 3},
                                               "kind": {"Target": 2, "Achievement": 1}}, [1, 2, 3]),
    ({"region": ["丁"]}, {"region": {"甲": 3, "乙": 1, "丙": 1}, "year": {}, "kind": {}}, []),
    ({"region": []}, {"region": {"甲": 3, "乙": 1, "丙": 1}, "year": {2025: 1, 2026: 3, 2024: 1},
                      "kind": {"Target": 3, "Achievement": 2}}, [0, 1, 2, 3, 4]),
]


@pytest.mark.parametrize(("chosen", "counts", "shown"), FACETS)
def test_facets_count_what_each_choice_would_show(chosen, counts, shown):
    assert explore.facet_counts(RECORDS, chosen, ["region", "year", "kind"]) == counts
    assert explore.matching(RECORDS, chosen) == shown
    for facet, values in counts.items():  # choosing a value shows as many records as its count said
        for value, n in values.items():
            assert len(explore.matching(RECORDS, {**chosen, facet: [value]})) == n


def test_a_range_is_a_band_and_signs_mark_the_other_comparators():
    rows = [
        _figure("4.5", comparator="Between", upper="5", region="广东省"),
        _figure("5", comparator="About", region="福建省"),
        _figure("8", comparator="AtLeast", region="福建省"),
        _figure("5.4", comparator="Equal", kind="Achievement", region="福建省", year=2025),
    ]
    marks = explore.chart_marks(rows)
    assert [(m.where, m.series, m.low, m.high, m.band, m.sign) for m in marks] == [
        ("广东省 2026", "Target 0", 4.5, 5.0, True, ""),
        ("福建省 2026", "Target 0", 5.0, 5.0, False, "≈"),
        ("福建省 2026", "Target 1", 8.0, 8.0, False, "≥"),  # two targets of one place and year: side by side
        ("福建省 2025", "Achievement 0", 5.4, 5.4, False, ""),
    ]
    assert [m.text for m in marks] == ["4.5–5", "≈5", "≥8", "5.4"]


# (report, indicator's surface in the text, unit label zh, unit label en) — counts keep what they count
COUNTED = [
    ("huli-2026", "3万人以上", "人", "persons"),
]


@pytest.mark.parametrize(("report", "surface", "zh", "en"), COUNTED)
def test_the_bundled_figures_keep_what_they_count_in_both_languages(built_store, report, surface, zh, en):
    iri = f"{DATA_NS}report/{report}"
    in_zh = [r for r in explore.figures(built_store, [iri]) if surface in r.surface]
    in_en = [r for r in explore.figures(built_store, [iri], lang="en") if surface in r.surface]
    assert in_zh and {(r.unit_label, r.unit_label_zh) for r in in_zh} == {(zh, zh)}
    assert {(r.unit_label, r.unit_label_zh) for r in in_en} == {(en, zh)}
    assert {explore.unit_text(r, lang="en") for r in in_en} == {en}


def test_the_bundled_reports_carry_their_levels(built_store):
    levels = {r.iri.rsplit("/", 1)[-1]: r.level for r in explore.reports(built_store)}
    assert levels["huli-2026"] == "CountyLevel" and levels["fujian-2026"] == "ProvincialLevel"
    assert levels["national-2016"] == "NationalLevel"


# --- the bundled reports: what the build guarantees -------------------------------------------


def test_the_bundled_report_is_listed_with_its_region_year_and_structure(built_store):
    rows = explore.reports(built_store)
    seed = next(r for r in rows if r.iri.endswith("/report/huli-2026"))
    assert (seed.region, seed.plan_year) == ("湖里区", 2026)
    assert seed.counts["sections"] > 0 and seed.counts["pillars"] > 0 and seed.counts["measures"] > 0


def test_the_bundled_reports_pillars_sit_in_sections_and_hold_measures(built_store):
    pillars = [p for p in explore.pillars(built_store) if p.report.endswith("/report/huli-2026")]
    assert pillars
    hoods = [explore.neighbourhood(built_store, p.iri, depth=1) for p in pillars]
    assert all(any(n.cls == "Section" for n in h.nodes) for h in hoods)
    assert any(any(n.cls == "Measure" for n in h.nodes) for h in hoods)


# --- the graph view's HTML --------------------------------------------------------------------

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'


def neighbourhood_labelled(label: str) -> explore.Neighbourhood:
    focus, other = f"{DATA_NS}project/a", f"{DATA_NS}company/b"
    return explore.Neighbourhood(
        focus=focus,
        depth=1,
        nodes=[
            explore.GraphNode(focus, label, "Project", 0, sentence=f"句子{label}"),
            explore.GraphNode(other, "星河<科技>&公司", "Company", 1),
        ],
        edges=[explore.GraphEdge(focus, other, POL_NS + "involvesOrganization")],
        found=2,
    )


def test_the_graph_page_escapes_every_label():
    from kg_build.graphview import graph_html

    page = graph_html(neighbourhood_labelled(HOSTILE), class_names={"Project": HOSTILE}, property_names={})
    benign = graph_html(neighbourhood_labelled("项目"), class_names={"Project": "project"}, property_names={})
    assert HOSTILE not in page and "<img src=x" not in page and "<科技>" not in page
    for tag in ("<script", "</script", "<img"):
        assert page.count(tag) == benign.count(tag)  # no label opened or closed an element
    assert "&lt;/script&gt;" in page  # the legend, escaped for HTML


def test_the_graph_page_needs_no_other_host_and_freezes_after_stabilizing(sample_store):
    from kg_build.graphview import graph_html

    page = graph_html(explore.neighbourhood(sample_store, PILLAR_2, depth=2), class_names={}, property_names={})
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and not re.search(r"cdnjs|jsdelivr|unpkg|googleapis", page)
    assert "vis.Network" in page and "stabilizationIterationsDone" in page and "physics: false" in page
    assert "培育新兴产业" in page


@pytest.mark.parametrize(
    ("label", "expected"),
    [("短名", "短名"), ("一二三四五六七八九十一二三四五六", "一二三四五六七八九十一二三四五六"), ("一二三四五六七八九十一二三四五六七", "一二三四五六七八九十一二三四五…")],
)
def test_long_labels_are_cut_on_the_canvas(label, expected):
    from kg_build.graphview import short_label

    assert short_label(label) == expected


def test_one_reports_pillars_are_those_of_every_report_in_it(built_store):
    every = explore.pillars(built_store)
    reports = sorted({p.report for p in every})
    assert len(reports) > 1
    for report in reports:
        assert explore.pillars(built_store, report) == [p for p in every if p.report == report]
        assert all(explore.pillar_report(built_store, p.iri) == report for p in every if p.report == report)


# (what is asked about) → it is no pillar
NOT_PILLARS = ["https://w3id.org/policy-kg/id/place/nowhere", "not an IRI", "", "<https://x.org/a> } GRAPH ?g {"]


@pytest.mark.parametrize("iri", NOT_PILLARS)
def test_what_is_no_pillar_has_no_pillar_report(built_store, iri):
    assert explore.pillar_report(built_store, iri) is None


# --- the name search, against a scan of every label ---------------------------------------------


def scanned(store, text: str, limit: int = 30, lang: str = "zh") -> list[explore.SearchHit]:
    """The name search as a scan of every label triple with CONTAINS, in one query: the way a remote store searches
    (and every store did before the distinct labels were held in memory)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explore, "_build_key", lambda _store: None)  # not a local build: the scan
        return explore.search(store, text, limit=limit, lang=lang)


NAME_SEARCHES = [  # (text, limit, language): limit 1 stops after the first three things, mid-way through ties
    ("湖里区", 40, "zh"), ("湖里", 1, "zh"), ("厦门", 5, "en"), ("xiahang", 3, "en"), ("Huli", 1, "en"),
    ("GDP", 40, "zh"), ("投资 固定资产", 10, "zh"), ("固定資產投資", 1, "zh"), ("发展", 1, "zh"), ("项目", 40, "en"),
    ("区", 2, "zh"), ("2026", 5, "zh"), ("%", 5, "zh"), ("科技 创新 产业", 1, "zh"), ("没有这个名字", 5, "zh"),
]


@pytest.mark.parametrize(("text", "limit", "lang"), NAME_SEARCHES)
def test_the_name_search_finds_what_a_scan_of_every_label_finds(built_store, text, limit, lang):
    assert explore.search(built_store, text, limit=limit, lang=lang) == scanned(built_store, text, limit, lang)


AWKWARD_LABELS = [  # (thing, label): labels come from documents, and are written back into queries
    ("a", Literal('星河"科技"\\公司\n二期', lang="zh-Hans")),
    ("b", Literal("星河\x00公司", lang="zh-Hans")),
    ("c", Literal("星河公司 }} ?s ?p ?o {{", lang="zh-Hans")),
    ("d", Literal("Xinghe Gongsi", lang="zh-Latn-pinyin")),
    ("e", Literal("星河公司", datatype=URIRef("http://example.org/name"))),
    ("f", Literal("星河公司")),
    *[(f"same-{n}", Literal("同名星河公司", lang="zh-Hans")) for n in range(12)],  # ties past the things wanted
]


def write_labels(root, labels) -> LocalStore:
    from rdflib.namespace import SKOS

    from kg_build.model.nquads import serialize
    from kg_build.store import LocalStore

    graph = URIRef(f"{DATA_NS}report/labels")
    store = LocalStore(root)
    with store.writer() as writer:
        writer.replace_graph(str(graph), serialize([(URIRef(f"{DATA_NS}thing/{s}"), SKOS.prefLabel, label, graph)
                                                    for s, label in labels]))
    return store


@pytest.mark.parametrize(("text", "limit"), [("星河", 1), ("星河", 30), ("公司", 2), ("xinghe", 5), ("科技", 5),
                                             ("同名", 4), ("}}", 5), ('"', 5)])
def test_awkward_labels_are_found_as_a_scan_finds_them(tmp_path, text, limit):
    store = write_labels(tmp_path, AWKWARD_LABELS)
    assert explore.search(store, text, limit=limit) == scanned(store, text, limit)


def test_a_new_build_is_searched_with_its_own_labels(tmp_path):
    store = write_labels(tmp_path, [("a", Literal("旧名称", lang="zh-Hans"))])
    assert [h.label for h in explore.search(store, "名称")] == ["旧名称"]
    write_labels(tmp_path, [("a", Literal("新名称", lang="zh-Hans"))])
    assert [h.label for h in explore.search(store, "名称")] == ["新名称"]


def test_searches_that_come_together_read_a_builds_labels_once(tmp_path, monkeypatch):
    """The app's preload reads a build's labels on a thread of its own: a search that comes meanwhile waits for that
    read instead of making another."""
    import threading
    import time

    store = write_labels(tmp_path, [("a", Literal("星河公司", lang="zh-Hans"))])
    reads: list[str] = []
    real = explore._select
    reading, release = threading.Event(), threading.Event()

    def slow_select(store_, sparql):
        if "SELECT DISTINCT ?l" in sparql:
            reads.append(sparql)
            reading.set()
            release.wait(10)  # the first read is under way while the other searches start
        return real(store_, sparql)

    monkeypatch.setattr(explore, "_select", slow_select)
    found: list[list[str]] = []
    searches = [threading.Thread(target=lambda: found.append([h.label for h in explore.search(store, "星河")]))
                for _ in range(3)]
    searches[0].start()
    assert reading.wait(10)
    for search in searches[1:]:
        search.start()
    time.sleep(0.2)  # the others reach the labels (or their lock) while the first read waits
    release.set()
    for search in searches:
        search.join(30)
    assert found == [["星河公司"]] * 3
    assert len(reads) == 1
