"""English labels where they can be known, pinyin marked as such elsewhere, and what a count counts (pol:unitLabel)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from streamlit.testing.v1 import AppTest

from kg_build import explore
from kg_build.extract.english_names import pinyin_name, place_english, report_title_english
from kg_build.extract.measure_words import measure_word, unit_label
from kg_build.model.vocab import DATA_NS, POL_NS

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "kg_build" / "extract" / "data"
HULI = f"{DATA_NS}report/huli-2026"
PINYIN = explore.PINYIN_TAG

# --- measure word → pol:unitLabel --------------------------------------------------------------

UNIT_LABEL_CASES = [
    ("50万人", ("人", "persons")),
    ("1200家", ("家", "companies")),
    ("超6000家", ("家", "companies")),
    ("30个以上", ("个", "items")),
    ("35.4万人次", ("人次", "person-times")),  # the longer measure word wins
    ("30批次", ("批次", "batches")),
    ("7万余件", ("件", "items")),
    ("5千多户", ("户", "households")),
    ("不少于28万人", ("人", "persons")),
    ("新增城镇就业3万人以上"[-6:], ("人", "persons")),
    ("2061万架次", ("架次", "flights")),
    ("1409万", None),  # no measure word written: no unit label
    ("8%", None),
]


@pytest.mark.parametrize(("surface", "expected"), UNIT_LABEL_CASES)
def test_a_count_keeps_what_it_counts(surface: str, expected: tuple[str, str] | None) -> None:
    assert unit_label(surface) == expected
    assert measure_word(surface) == (expected[0] if expected else None)


def test_every_measure_word_has_its_english_noun() -> None:
    counters = json.loads((DATA / "units.json").read_text("utf-8"))["counters"]
    english = json.loads((DATA / "measure_words.json").read_text("utf-8"))["english"]
    assert sorted(set(counters) - set(english)) == []
    assert all(noun and noun.isascii() for noun in english.values())


# --- places and report titles ------------------------------------------------------------------

PLACE_CASES = [
    ("福建省", "Fujian Province"),  # province level: the official English name (a data file)
    ("陕西省", "Shaanxi Province"),  # not Shanxi
    ("北京市", "Beijing Municipality"),
    ("广西壮族自治区", "Guangxi Zhuang Autonomous Region"),
    ("香港特别行政区", "Hong Kong Special Administrative Region"),
    ("湖里区", "Huli District"),  # other places: pinyin of the core + the suffix's English word
    ("厦门市", "Xiamen City"),
    ("晋江市", "Jinjiang City"),
    ("长沙市", "Changsha City"),
    ("西安市", "Xi'an City"),  # pinyin's apostrophe before a syllable starting with a, o or e
    ("宝安区", "Bao'an District"),
    ("绿谷县", "Lügu County"),
    ("延边朝鲜族自治州", "Yanbian Autonomous Prefecture"),
    ("鼓浪屿街道", "Gulangyu Subdistrict"),
    ("东渡", None),  # no administrative suffix: no English name (pinyin instead)
]


@pytest.mark.parametrize(("name", "english"), PLACE_CASES)
def test_a_place_has_its_english_name_by_the_documented_rule(name: str, english: str | None) -> None:
    assert place_english(name) == english


REPORT_TITLE_CASES = [
    (("Huli District", 2026, False, "2026年湖里区政府工作报告"), "Huli District Government Work Report 2026"),
    (("Fujian Province", 2025, False, ""), "Fujian Province Government Work Report 2025"),
    ((None, 2026, True, "2026年国务院政府工作报告"), "Report on the Work of the Government 2026"),
    (("Huli District", 2026, False, "湖里区政府工作报告（摘要）"), "Huli District Government Work Report 2026 (summary)"),
    (("Huli District", None, False, ""), None),  # no year: no title made up
    ((None, 2026, False, ""), None),  # no English name of the region
]


@pytest.mark.parametrize(("given", "title"), REPORT_TITLE_CASES)
def test_a_report_title_is_built_from_region_and_year(given: tuple, title: str | None) -> None:
    region, year, nation, published = given
    assert report_title_english(region, year, nation=nation, title=published) == title


PINYIN_CASES = [
    ("厦航创新研发基地", "Xiahang Chuangxin Yanfa Jidi"),  # 厦 read xià in 厦航 (a listed reading)
    ("城镇新增就业", "Chengzhen Xinzeng Jiuye"),
    ("K11 Select商业综合体", "K11 Select Shangye Zongheti"),  # Latin letters kept as written
    ("“双攻坚”行动", "Shuang Gongjian Xingdong"),  # quotation marks dropped
    ("GE", None),  # already Latin: nothing to romanise
]


@pytest.mark.parametrize(("name", "romanised"), PINYIN_CASES)
def test_other_names_are_romanised(name: str, romanised: str | None) -> None:
    assert pinyin_name(name) == romanised


# --- the built store ----------------------------------------------------------------------------


def _english(store, iri: str) -> set[str]:
    rows = explore._select(
        store, f"SELECT ?l WHERE {{ <{iri}> skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), 'en')) }}"
    ).rows
    return {str(r[0]) for r in rows}


STORE_ENGLISH_CASES = [
    (f"{DATA_NS}place/fujiansheng-350000", "Fujian Province"),
    (f"{DATA_NS}place/huliqu-350206", "Huli District"),
    (f"{DATA_NS}place/xiamenshi-350200", "Xiamen City"),
    (HULI, "Huli District Government Work Report 2026 (summary)"),  # 湖里区政府工作报告（摘要）
    (f"{DATA_NS}indicator/gdp-growth", "Regional GDP growth"),
]


@pytest.mark.parametrize(("iri", "english"), STORE_ENGLISH_CASES)
def test_the_built_store_holds_english_labels(built_store, iri: str, english: str) -> None:
    assert _english(built_store, iri) == {english}


def test_every_count_with_a_measure_word_carries_its_unit_label_in_both_languages(built_store) -> None:
    rows = explore._select(
        built_store,
        f"SELECT ?sf ?l WHERE {{ GRAPH <{HULI}> {{ ?st qudt:unit unit:NUM ; pol:surfaceForm ?sf ; pol:unitLabel ?l }} }}",
    ).rows
    labelled: dict[str, set[tuple[str, str]]] = {}
    for surface, label in rows:
        labelled.setdefault(str(surface), set()).add((str(label), (label.language or "").lower()))
    assert labelled["3万人以上"] == {("人", "zh-hans"), ("persons", "en")}
    assert all(len(pairs) == 2 for pairs in labelled.values())


SEARCH_CASES = [
    ("Fujian", f"{DATA_NS}place/fujiansheng-350000", "Fujian Province"),
    ("GDP", f"{DATA_NS}indicator/gdp", "Regional GDP"),
    ("GDP growth", f"{DATA_NS}indicator/gdp-growth", "Regional GDP growth"),
    ("Huli", f"{DATA_NS}place/huliqu-350206", "Huli District"),
]


@pytest.mark.parametrize(("text", "iri", "label"), SEARCH_CASES)
def test_the_label_search_finds_english_names_first(built_store, text: str, iri: str, label: str) -> None:
    hits = explore.search(built_store, text, limit=5, lang="en")
    assert hits[0].iri == iri and hits[0].label == label


def test_english_readers_get_pinyin_marked_and_chinese_readers_never(built_store) -> None:
    hit = explore.search(built_store, "xiahang", limit=1, lang="en")[0]
    assert hit.label == "Xiahang Chuangxin Yanfa Jidi" + explore.PINYIN_MARK
    assert explore.label_of(built_store, hit.iri, lang="zh") == "厦航创新研发基地"
    classes = explore.labels(built_store, [URIRef(POL_NS + "PlanSection"), URIRef(POL_NS + "Company")], lang="en")
    assert set(classes.values()) == {"plan section", "company"}  # the ontology's @en labels
    summary = explore.entity_summary(built_store, hit.iri)
    assert summary.labels[explore.LABEL_LANGUAGES[3]] == ["Xiahang Chuangxin Yanfa Jidi"]
    assert "Xiahang Chuangxin Yanfa Jidi" not in summary.alt_labels  # the name romanised, not another name


@pytest.mark.parametrize(("lang", "unit_label", "region"), [("zh", "人", "湖里区"), ("en", "persons", "Huli District")])
def test_figure_rows_carry_what_a_count_counts(built_store, lang: str, unit_label: str, region: str) -> None:
    rows = {f.surface: f for f in explore.figures(built_store, [HULI], lang=lang)}
    assert rows["3万人以上"].unit_label == unit_label and rows["3万人以上"].region == region
    assert rows["35%"].unit_label == ""  # a percentage counts nothing


def test_a_pinyin_literal_keeps_its_tag(built_store) -> None:
    rows = explore._select(
        built_store, "SELECT ?l WHERE { ?s skos:altLabel ?l FILTER(LANGMATCHES(LANG(?l), 'zh-Latn-pinyin')) } LIMIT 1"
    ).rows
    assert rows and isinstance(rows[0][0], Literal) and rows[0][0].language.lower() == PINYIN


# --- the app in English ------------------------------------------------------------------------


def test_the_overview_in_english_names_regions_in_english(built_store, monkeypatch) -> None:
    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(ROOT / "pages" / "overview.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    regions = set(at.dataframe[0].value["Region"])
    assert {"Huli District", "Fujian Province"} <= regions
    assert not any("区" in r or "省" in r for r in regions)


ENTITY_SEARCH_CASES = [
    ("Fujian", "Fujian Province", "place"),
    ("GDP growth", "Regional GDP growth", "indicator"),
]


@pytest.mark.parametrize(("text", "label", "class_word"), ENTITY_SEARCH_CASES)
def test_the_entity_page_in_english_finds_english_names(built_store, monkeypatch, text, label, class_word) -> None:
    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(ROOT / "pages" / "entity.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.text_input[0].input(text).run()
    assert not at.exception, [e.message for e in at.exception]
    hits = next(m.value for m in at.markdown if m.value.startswith("<ul>"))
    first = hits.split("</li>")[0]
    assert f">{label}</a>" in first and class_word in first.lower()
