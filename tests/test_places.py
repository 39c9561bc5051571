"""The place gazetteer: lookups by full and short name, chains, and the rules for short names in text."""

from __future__ import annotations

import pytest

from kg_build.extract import places
from kg_build.extract.gazetteers import ReportContext, place_at

HULI = places.context_codes("湖里区", "厦门市", "福建省")
BEIJING = places.context_codes("北京市")

LOOKUPS = [
    ("湖里区", (), "350206"),
    ("湖里", (), "350206"),
    ("厦门", (), "350200"),
    ("厦门市", (), "350200"),
    ("福建", (), "350000"),
    ("广西", (), "450000"),
    ("广西壮族自治区", (), "450000"),
    ("河北", (), "130000"),  # the province, not 天津's 河北区
    ("河北区", (), "120105"),
    ("连城", HULI, "350825"),
    ("鼓楼", HULI, "350102"),  # 福州's 鼓楼区 inside the report's province
    ("鼓楼", (), None),  # several 鼓楼区 elsewhere: ambiguous
    ("湖里县", (), None),  # no such county: never the district
    ("朝阳区", (), None),  # 北京 and 长春 both have one
    ("朝阳区", BEIJING, "110105"),
    ("不存在的地方", (), None),
]


@pytest.mark.parametrize(("name", "context", "code"), LOOKUPS)
def test_lookup(name, context, code):
    found = places.lookup(name, context=context)
    assert (found.code if found else None) == code


CHAINS = [
    ("湖里区", [("湖里区", "350206", "county"), ("厦门市", "350200", "city"), ("福建省", "350000", "province")]),
    ("连城县", [("连城县", "350825", "county"), ("龙岩市", "350800", "city"), ("福建省", "350000", "province")]),
    ("海淀区", [("海淀区", "110108", "county"), ("北京市", "110000", "province")]),
    ("福建省", [("福建省", "350000", "province")]),
    ("湖里县", []),
]


@pytest.mark.parametrize(("name", "chain"), CHAINS)
def test_a_place_and_the_divisions_above_it(name, chain):
    found = places.lookup(name)
    assert ([(d.name, d.code, d.level) for d in places.ancestors(found)] if found else []) == chain


SHORT_NAMES_IN_TEXT = [
    ("连城", HULI, "连城县"),  # a county of the report's own province
    ("连城", BEIJING, None),  # someone else's county: not by its short name
    ("深圳", BEIJING, "深圳市"),  # a city short name that only one city has
    ("和平", HULI, None),  # an ordinary word first (common_words.txt)
    ("平和", HULI, None),
    ("平和县", HULI, "平和县"),  # the full name is always a place
    ("城区", BEIJING, None),  # 城区 of 山西 cities: only inside their own province
]


@pytest.mark.parametrize(("name", "codes", "expected"), SHORT_NAMES_IN_TEXT)
def test_short_names_in_text(name, codes, expected):
    found = place_at(name, ReportContext(codes=codes))
    assert (found.name if found else None) == expected


def test_division_table_is_consistent():
    table = places.gazetteer()
    assert len(table.by_code) > 3000
    for division in table.by_code.values():
        assert len(division.code) == 6 and division.level in ("province", "city", "county")
        assert division.parent == "" or division.parent in table.by_code
        assert division.short == "" or len(division.short) >= 2


# --- place names written in text: on word boundaries only -------------------------------------

SHANGHAI = places.context_codes("上海市")
ZHEJIANG = places.context_codes("浙江省")
GUANGDONG = places.context_codes("广东省")
NATION: tuple[str, ...] = ()

# (text, report context, the place name written at the marked stretch, the place it is or None)
PLACES_IN_TEXT = [
    ("提升南京西路、淮海中路商圈能级", SHANGHAI, "南京", None),  # a street of 上海
    ("改造北京东路沿街立面", SHANGHAI, "北京", None),
    ("加快宁波都市圈建设", ZHEJIANG, "宁波", None),  # a city cluster
    ("推动温州城市带协同发展", ZHEJIANG, "温州", None),
    ("建设广州经济圈", GUANGDONG, "广州", None),
    ("隆重庆祝建厂六十周年大庆", NATION, "大庆", None),  # an anniversary, not 大庆市
    ("主动适应城市发展阶段变化", SHANGHAI, "应城市", None),  # 应城市 cuts the word 适应
    ("环南昆山—罗浮山县镇村高质量发展", GUANGDONG, "浮山县", None),  # inside the mountain 罗浮山
    ("建设好社区、好城区", GUANGDONG, "城区", None),  # an ordinary word, not a county's full name
    ("中原大地焕发新活力", places.context_codes("河南省"), "中原", None),  # the region, not 中原区
    ("支持宁波建设国际航运中心", ZHEJIANG, "宁波", "宁波市"),  # the city itself
    ("支持大庆、齐齐哈尔转型发展", NATION, "大庆", "大庆市"),
    ("大庆油田稳产增产", NATION, "大庆", None),  # inside the word 大庆油田: not the city by itself
    ("宁波、温州机场枢纽能级提升", ZHEJIANG, "温州", "温州市"),
    ("在中共上海市委坚强领导下", SHANGHAI, "上海市", "上海市"),  # a full name inside a longer word is still the place
    ("推进南京路步行街改造", SHANGHAI, "南京路", None),
    ("上海南京两地合作", SHANGHAI, "南京", "南京市"),
    ("杭州都市圈和宁波都市圈", ZHEJIANG, "杭州", None),
    ("打造沿海城市带", NATION, "海城市", None),  # 海城市 (辽宁) inside 沿海城市带
    ("建设东部沿海经济带", NATION, "海经", None),
    ("支持海城市发展菱镁产业", NATION, "海城市", "海城市"),
]


@pytest.mark.parametrize(("text", "codes", "written", "expected"), PLACES_IN_TEXT)
def test_place_names_in_text_on_word_boundaries(text, codes, written, expected):
    from kg_build.extract.pipeline import run

    context = ReportContext(codes=codes, province="x" if codes else None)
    begin = text.index(written)
    at = {
        m.label
        for m in run(text, context)._.policy_mentions
        if m.type.value == "Place" and m.rule == "admin-divisions" and m.span.begin == begin and m.span.end == begin + len(written)
    }
    assert at == ({expected} if expected else set()), at


# (text, its words as the segmenter might cut them, the place name, whether it is only part of a longer word)
INSIDE_ONE_WORD = [
    ("推动沿海城市发展", ["推动", "沿海城市", "发展"], "海城市", True),  # 沿 is no word of its own
    ("在中共北京市委领导下", ["在", "中共北京市委", "领导", "下"], "北京市", False),  # 中共 + 北京市 + 委
    ("上海浦东新区", ["上海浦东新区"], "浦东新区", False),  # a place before a place
    ("推动沿海城市发展", ["推动", "沿海", "城市", "发展"], "海城市", True),  # cuts the word 沿海
    ("支持海城市发展", ["支持", "海城市", "发展"], "海城市", False),
]


@pytest.mark.parametrize(("text", "words", "name", "inside"), INSIDE_ONE_WORD)
def test_place_name_inside_a_longer_word(text, words, name, inside):
    from kg_build.extract.gazetteers import inside_longer_name
    from kg_build.extract.tokens import TokenIndex

    spans, at = [], 0
    for word in words:
        spans.append((at, at + len(word)))
        at += len(word)
    begin = text.index(name)
    assert inside_longer_name(text, TokenIndex.of(spans), begin, begin + len(name)) is inside
