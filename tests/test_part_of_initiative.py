"""pol:partOfInitiative: a measure whose text carries out a campaign, and the projects listed under it."""

from __future__ import annotations

import json

import pytest

from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.pipeline import run
from kg_build.extract.places import context_codes
from kg_build.extract.relations import MEASURE, find_relations
from kg_build.extract.resolve import resolve

CONTEXT = ReportContext(region="湖里区", city="厦门市", province="福建省", level="district",
                        codes=context_codes("湖里区", "厦门市", "福建省"))

# (text, (subject label or MEASURE, campaign label) pairs that must be read)
READ = [
    ("实施“双攻坚”行动，推动K22智谷产业园等114个项目开工。", {(MEASURE, "双攻坚"), ("K22智谷产业园", "双攻坚")}),
    ("深入开展“人工智能+”行动，依托闽宁双智算中心等平台赋能产业。", {(MEASURE, "人工智能+"), ("闽宁双智算中心", "人工智能+")}),
    ("深化“数智先锋”工程，打造X9未来产业园。", {(MEASURE, "数智先锋"), ("X9未来产业园", "数智先锋")}),
    ("实施招商引资质效提升年行动，计划投资百亿元。", {(MEASURE, "招商引资质效提升年")}),
]

# (text, pairs that must not be read)
NOT_READ = [
    ("依托闽宁双智算中心等平台，“人工智能+”行动成效明显。", {(MEASURE, "人工智能+"), ("闽宁双智算中心", "人工智能+")}),  # no verb of carrying out
    ("实施“双攻坚”行动。建设X9未来产业园。", {("X9未来产业园", "双攻坚")}),  # another sentence
    ("扎实推进“六个突破”，深入实施“十项工程”，建设X9未来产业园。", {("X9未来产业园", "六个突破")}),  # the next campaign's list
]


def _pairs(text: str) -> set[tuple]:
    mentions = list(run(text, CONTEXT)._.policy_mentions)
    resolution = resolve(mentions, CONTEXT)
    found = set()
    for relation in find_relations(text, mentions, resolution, CONTEXT):
        if relation.predicate == "partOfInitiative":
            found.add((MEASURE if relation.subject == MEASURE else relation.subject[1], relation.object[1]))
    return found


@pytest.mark.parametrize(("text", "expected"), READ)
def test_part_of_initiative_is_read(text, expected):
    found = _pairs(text)
    assert expected <= found, found


@pytest.mark.parametrize(("text", "unexpected"), NOT_READ)
def test_part_of_initiative_needs_a_campaign_verb_in_the_same_clause(text, unexpected):
    found = _pairs(text)
    assert not unexpected & found, found


def test_the_measure_that_carries_out_a_campaign_is_part_of_it_in_the_graph(tmp_path):
    from kg_build.build import build
    from kg_build.store import LocalStore

    text = ("2026年工作安排\n一、扩大有效投资\n抓有效投资。实施“双攻坚”行动，推动K22智谷产业园等30个项目开工。\n"
            "促消费升级。举办文旅活动超500场。\n")
    (tmp_path / "siming-2026.txt").write_text(text, encoding="utf-8")
    meta = {"id": "siming-2026", "region": "思明区", "city": "厦门市", "province": "福建省", "level": "district",
            "plan_year": 2026, "review_year": 2025}
    (tmp_path / "siming-2026.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build([tmp_path / "siming-2026.txt"], store=store)
    rows = store.query(
        "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?what ?label WHERE { ?s pol:partOfInitiative ?o . ?s a ?what ; skos:prefLabel ?label . "
        'FILTER(LANGMATCHES(LANG(?label), "zh-Hans")) }'
    ).rows
    got = {(str(w).rsplit("#", 1)[-1], str(label)) for w, label in rows}
    assert ("Measure", "抓有效投资") in got
    assert ("Project", "K22智谷产业园") in got
    assert not any(label == "促消费升级" for _, label in got)


def test_a_campaign_resolved_into_another_class_is_no_campaign():
    # “数字峰会” is read as a bare quoted term and as an event's name: the entity is the event
    from kg_build.document import EntityType, Mention, Span
    from kg_build.extract.relations import part_of_initiative

    text = "举办数字峰会。实施“数字峰会”，建设X9未来产业园。"
    event = Mention(EntityType.EVENT, "数字峰会", Span(2, 6), "name-head:峰会")
    term = Mention(EntityType.INITIATIVE, "数字峰会", Span(10, 14), "quoted-term")
    key_of = {event: ("Event", "数字峰会"), term: ("Event", "数字峰会")}
    assert part_of_initiative(text, [event, term], key_of) == []
