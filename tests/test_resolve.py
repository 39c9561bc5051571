"""Entity resolution: one entity per real thing, never across types or administrative levels."""

from __future__ import annotations

import random

import pytest

from kg_build.document import Entity, EntityType, Mention, Span
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.places import context_codes
from kg_build.extract.resolve import merge_entities, resolve

HULI = ReportContext(region="湖里区", city="厦门市", province="福建省", level="district",
                     codes=context_codes("湖里区", "厦门市", "福建省"))
P, C, I, PF, PL, E = (EntityType.PROJECT, EntityType.COMPANY, EntityType.INITIATIVE, EntityType.PLATFORM,
                      EntityType.PLACE, EntityType.EVENT)


def m(kind, label, begin, rule="name-head:x", aliases=()):
    return Mention(kind, label, Span(begin, begin + len(label)), rule, tuple(aliases))


CASES = [
    # (mentions, expected (type, label) of the entity holding the first mention, rule in merged_by)
    ([m(I, "人工智能+行动", 0, "quoted-head:行动", ("“人工智能+”行动", "人工智能+")), m(I, "人工智能+", 30, "quoted-term")],
     (I, "人工智能+行动"), "alias:quoted-term"),
    ([m(P, "厦门·闽宁双智算中心", 0), m(P, "闽宁双智算中心", 40)], (P, "闽宁双智算中心"), "alias:place-qualifier"),
    ([m(C, "厦门航空", 0, "companies.tsv", ("厦航",)), m(C, "厦门航空", 20, "companies.tsv")], (C, "厦门航空"), "companies.tsv"),
    ([m(PL, "厦门市", 0, "admin-divisions", ("厦门",)), m(PL, "厦门市", 9, "admin-divisions")], (PL, "厦门市"), "admin-divisions"),
    ([m(I, "一件事", 0, "quoted-head:改革"), m(I, "一件事集成改革", 9, "quoted-head:集成改革", ("“一件事”集成改革", "一件事"))],
     (I, "一件事集成改革"), "alias:quote-stripping"),
    ([m(E, "第八届数字中国建设峰会", 0), m(E, "数字中国建设峰会", 30)], (E, "数字中国建设峰会"), "alias:edition"),
    ([m(PF, "“城市大脑", 0), m(PF, "城市大脑", 20)], (PF, "城市大脑"), None),
    ([m(PF, "城市大脑", 0), m(I, "城市大脑", 20, "quoted-term")], (PF, "城市大脑"), "alias:quoted-term"),
]


@pytest.mark.parametrize(("mentions", "key", "rule"), CASES)
def test_mentions_merge_into_one_entity(mentions, key, rule):
    resolution = resolve(mentions, HULI)
    holder = {resolution.key_of[x] for x in mentions}
    assert holder == {(key[0].value, key[1])}
    entity = next(e for e in resolution.entities if e.key == (key[0].value, key[1]))
    assert len(entity.mentions) == len(mentions)
    if rule:
        assert rule in entity.merged_by


APART = [
    [m(PL, "湖里区", 0, "admin-divisions"), m(PL, "湖里县", 10, "name-head:县")],  # administrative levels
    [m(PF, "城市大脑", 0), m(I, "城市大脑", 20, "quoted-head:行动")],  # types, both strong
    [m(C, "中国电子", 0, "companies.tsv", ("中电",)), m(C, "中电太极", 10, "companies.tsv")],
]


@pytest.mark.parametrize("mentions", APART)
def test_different_things_stay_apart(mentions):
    resolution = resolve(mentions, HULI)
    assert len({resolution.key_of[x] for x in mentions}) == len(mentions)


def test_resolution_is_deterministic():
    mentions = [x for case in CASES for x in case[0]] + [x for case in APART for x in case]
    first = resolve(mentions, HULI)
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    again = resolve(shuffled, HULI)
    assert [(e.key, sorted(e.alt_labels), e.mentions, sorted(e.merged_by)) for e in first.entities] == [
        (e.key, sorted(e.alt_labels), e.mentions, sorted(e.merged_by)) for e in again.entities
    ]


def test_report_region_chain_becomes_places():
    resolution = resolve([], HULI)
    places = {e.label: e for e in resolution.entities}
    assert set(places) == {"湖里区", "厦门市", "福建省"}
    assert (places["湖里区"].admin_code, places["湖里区"].parent) == ("350206", "厦门市")
    assert "湖里" in places["湖里区"].alt_labels


def test_merge_entities_across_reports():
    one = [Entity(C, "华为", {"华为技术"}, merged_by={"companies.tsv"})]
    two = [Entity(C, "华为", {"华为公司"}), Entity(P, "华为", set())]
    merged = merge_entities([one, two])
    assert [e.key for e in merged] == [("Company", "华为"), ("Project", "华为")]
    assert merged[0].alt_labels == {"华为技术", "华为公司"}
    assert one[0].alt_labels == {"华为技术"}  # inputs are not changed
