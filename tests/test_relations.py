"""Relations read from names: involvesOrganization and locatedIn, with the span and rule that state them."""

from __future__ import annotations


import pytest

from kg_build.extract import extract
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.pipeline import run
from kg_build.extract.places import context_codes
from kg_build.extract.relations import find_relations
from kg_build.extract.resolve import resolve

HULI = ReportContext(region="湖里区", city="厦门市", province="福建省", level="district",
                     codes=context_codes("湖里区", "厦门市", "福建省"))

CASES = [
    ("推动厦航创新研发基地等114个项目", ("厦航创新研发基地", "involvesOrganization", "厦门航空")),
    ("加快GE发动机等6个增资扩产项目", ("GE发动机", "involvesOrganization", "通用电气")),
    ("加快落地软通动力互联网总部、中电太极湖里新质场景应用中心等引领性项目",
     ("中电太极湖里新质场景应用中心", "involvesOrganization", "中电太极")),
    ("推动中免商业综合体等项目落地", ("中免商业综合体", "involvesOrganization", "中国中免")),
    ("加快K11-SELECT、钟宅社区发展中心“星光荟”等商业项目开业", ("星光荟", "locatedIn", "钟宅社区")),
    ("加快“湖里-连城山海协作产业园”建设运营", ("湖里-连城山海协作产业园", "locatedIn", "连城县")),
    ("实施东渡片区更新，推动", ("东渡片区更新", "locatedIn", "东渡片区")),
    ("实施五缘湾清淤，提升", ("五缘湾清淤", "locatedIn", "五缘湾")),
    ("全面启动湖里老工业区改造提升，导入", ("湖里老工业区", "locatedIn", "湖里区")),
    ("加快建设湖里体育公园、五缘体育文化中心。", ("湖里体育公园", "locatedIn", "湖里区")),
]


def _relations(text: str):
    mentions = list(run(text, HULI)._.policy_mentions)
    resolution = resolve(mentions, HULI)
    return find_relations(text, mentions, resolution, HULI)


@pytest.mark.parametrize(("text", "triple"), CASES)
def test_relation_is_read(text, triple):
    found = {(r.subject[1], r.predicate, r.object[1]) for r in _relations(text)}
    assert triple in found, found


@pytest.mark.parametrize(("text", "triple"), CASES)
def test_relation_span_covers_its_subject(text, triple):
    for relation in _relations(text):
        assert 0 <= relation.span.begin < relation.span.end <= len(text)
        assert relation.rule


def test_pair_of_places_locates_in_the_partner_not_the_report_region():
    found = {(r.subject[1], r.object[1]) for r in _relations("加快“湖里-连城山海协作产业园”建设运营")}
    assert ("湖里-连城山海协作产业园", "湖里区") not in found
