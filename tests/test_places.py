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
def test_place_chain(name, chain):
    assert places.place_chain(name) == chain


@pytest.mark.parametrize(
    ("name", "level"),
    [("福建省", "province"), ("广西壮族自治区", "province"), ("凉山彝族自治州", "city"), ("湖里区", "county"),
     ("连城县", "county"), ("厦门市", None), ("厦门", None)],
)
def test_suffix_level(name, level):
    assert places.suffix_level(name) == level


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
