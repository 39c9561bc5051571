"""Document structure: sections, pillars, measures and honours of the seed summary and of full reports."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg_build.document import NormalizedText, ReportMeta, Section, SectionKind, Span
from kg_build.normalize import normalize, read_text
from kg_build.structure import parse_structure
from kg_build.structure.enumerators import chinese_number
from kg_build.structure.measures import is_lead
from kg_build.structure.section_kinds import combined_kinds, kind_of_heading

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "reports"  # the bundled copies of ../shared/corpus
SEED = CORPUS / "huli-2026.txt"
GOLD = REPO / "tests" / "gold" / "huli-2026.json"  # a copy of the team's annotations
PROVINCES = CORPUS
META = ReportMeta(report_id="test-2026", plan_year=2026, review_year=2025)
ENUMERATOR_PREFIXES = ("一、", "二、", "（一）", "(一)", "一是", "二是", "——", "●", "1.", "（1）")



@lru_cache(maxsize=None)
def parsed(path: Path) -> tuple[str, tuple[Section, ...]]:
    """The normalized text of a corpus file and its sections (read once per test run)."""
    sidecar = json.loads(path.with_name(path.name.replace(".txt", ".meta.json")).read_text(encoding="utf-8"))
    meta = ReportMeta(
        report_id=path.stem, plan_year=sidecar.get("plan_year"), review_year=sidecar.get("review_year")
    )
    text = read_text(path)
    return text.text, tuple(parse_structure(text, meta))


def sections_of(raw: str) -> list[Section]:
    return parse_structure(normalize(raw), META)


def plan_of(sections: list[Section] | tuple[Section, ...]) -> Section:
    plans = [s for s in sections if s.kind is SectionKind.PLAN]
    assert len(plans) == 1, [s.label for s in sections]
    return plans[0]


def assert_well_formed(text: str, sections: list[Section] | tuple[Section, ...]) -> None:
    """Every span round-trips, children lie inside parents, siblings are in order, labels are clean."""

    def clean(label: str, span: Span, body: Span | None = None) -> None:
        assert text[span.begin : span.end] == label
        assert label and label == label.strip()
        assert not label.startswith(ENUMERATOR_PREFIXES), label
        assert not label.endswith(("。", "：", "；", "，")), label
        if body is not None:
            assert body.contains(span), label

    previous_end = 0
    for section in sections:
        clean(section.label, section.span, section.body)
        assert section.body.begin >= previous_end
        previous_end = section.body.end
        pillar_end = section.body.begin
        for pillar in section.pillars:
            clean(pillar.label, pillar.span, pillar.body)
            assert section.body.contains(pillar.body)
            assert pillar.body.begin >= pillar_end
            pillar_end = pillar.body.end
            measure_end = pillar.body.begin
            for measure in pillar.measures:
                clean(measure.label, measure.span, measure.body)
                assert pillar.body.contains(measure.body), measure.label
                assert measure.body.begin >= measure_end
                measure_end = measure.body.end
        for measure in section.measures:
            clean(measure.label, measure.span, measure.body)
            assert section.body.contains(measure.body)
        for honour in section.honours:
            clean(honour.label, honour.span, section.body)


# --- the seed summary, measured against its gold annotations --------------------------------

GOLD_KINDS = {"plan": SectionKind.PLAN, "review": SectionKind.REVIEW, "outlook": SectionKind.OUTLOOK,
              "highlights": SectionKind.HIGHLIGHTS, "government": SectionKind.GOVERNMENT}


def gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def test_seed_sections_match_gold_kinds_labels_and_years() -> None:
    text, sections = parsed(SEED)
    expected = [(GOLD_KINDS[s["kind"]], s["label"], s["year"]) for s in gold()["sections"]]
    assert [(s.kind, s.label, s.year) for s in sections] == expected


def test_seed_plan_pillars_and_measures_match_gold_exactly() -> None:
    _, sections = parsed(SEED)
    plan = plan_of(sections)
    got = [(p.label, [m.label for m in p.measures]) for p in plan.pillars]
    assert got == [(p["label"], p["measures"]) for p in gold()["pillars"]]
    assert len(plan.pillars) == 5 and sum(len(p.measures) for p in plan.pillars) == 17


def test_seed_government_measures_match_gold() -> None:
    _, sections = parsed(SEED)
    government = next(s for s in sections if s.kind is SectionKind.GOVERNMENT)
    expected = next(s["measures"] for s in gold()["sections"] if s["kind"] == "government")
    assert [m.label for m in government.measures] == expected
    assert government.pillars == []


def test_seed_honours_are_the_bullet_items_only() -> None:
    text, sections = parsed(SEED)
    highlights = next(s for s in sections if s.kind is SectionKind.HIGHLIGHTS)
    labels = [h.label for h in highlights.honours]
    assert len(labels) == 7
    assert all("…" not in label and not label.startswith("●") for label in labels)
    assert all(text[h.span.begin - 1] == "●" for h in highlights.honours)
    assert highlights.pillars == [] and highlights.measures == []


def test_seed_is_well_formed() -> None:
    assert_well_formed(*parsed(SEED))


# --- full provincial reports ------------------------------------------------------------------

# (file, section kinds in order, plan pillar count, first plan pillar, last plan pillar, plan measures)
PROVINCE_CASES = [
    ("beijing-2026.txt", "review outlook plan", 10,
     "深入落实城市总体规划，推动京津冀协同发展走深走实", "全面推进韧性城市建设，筑牢首都安全防线", 33),
    ("fujian-2026.txt", "review outlook plan government", 9,
     "壮大实体经济，推动高质量发展", "突出共建共享，推进高效能治理", 29),
    ("guangdong-2026.txt", "review outlook plan", 14,
     "久久为功推动粤港澳大湾区建设，打造富有活力和国际竞争力的一流湾区和世界级城市群",
     "全面加强政府自身建设，努力建设人民满意的法治政府、廉洁政府、服务型政府", 63),
    ("hebei-2026.txt", "review outlook plan", 6,
     "全力办好国家大事，纵深推进京津冀协同发展", "切实增进百姓福祉，保持社会大局稳定", 14),
    ("henan-2026.txt", "review outlook plan", 10,
     "纵深推进融入和服务全国统一大市场", "有力有效防范化解重点领域风险", 34),
    ("shanghai-2026.txt", "review outlook plan government", 10,
     "着力强化内需主导作用，服务构建新发展格局", "着力推动城市高效能治理，提高超大城市安全韧性水平", 40),
    ("sichuan-2026.txt", "review outlook plan", 10,
     "突出扩大内需战略基点，更大力度统筹促消费扩投资", "突出政府履职效能，切实加强自身建设", 42),
    ("zhejiang-2026.txt", "review outlook plan", 10,
     "着力提振市场信心增强社会预期", "着力加强政府自身建设", 36),
]


@pytest.mark.parametrize(("name", "kinds", "count", "first", "last", "measures"), PROVINCE_CASES)
def test_province_plan_pillars(name: str, kinds: str, count: int, first: str, last: str, measures: int) -> None:
    text, sections = parsed(PROVINCES / name)
    assert [s.kind for s in sections] == [GOLD_KINDS[k] for k in kinds.split()]
    plan = plan_of(sections)
    assert plan.year == 2026
    assert len(plan.pillars) == count
    assert (plan.pillars[0].label, plan.pillars[-1].label) == (first, last)
    assert all(p.measures for p in plan.pillars)
    assert sum(len(p.measures) for p in plan.pillars) == measures


@pytest.mark.parametrize("name", [case[0] for case in PROVINCE_CASES])
def test_province_is_well_formed(name: str) -> None:
    assert_well_formed(*parsed(PROVINCES / name))


@pytest.mark.parametrize(
    ("name", "pillar", "measures"),
    [
        ("beijing-2026.txt", 0, ["充分发挥规划统筹引领作用", "接续实施疏解整治促提升", "推动“新两翼”联动发展", "打造现代化首都都市圈"]),
        ("fujian-2026.txt", 2, ["大力抓改革", "全力促开放"]),
        ("hebei-2026.txt", 1, ["促进消费扩容升级", "持续扩大有效投资"]),
    ],
)
def test_province_measures_are_paragraph_leads(name: str, pillar: int, measures: list[str]) -> None:
    _, sections = parsed(PROVINCES / name)
    assert [m.label for m in plan_of(sections).pillars[pillar].measures] == measures


def test_appendix_list_after_the_plan_is_not_a_section() -> None:
    text, sections = parsed(PROVINCES / "guangdong-2026.txt")
    assert len(sections) == 3
    assert "附件" not in text[sections[-1].body.begin : sections[-1].body.end]


def test_metaphorical_headings_are_typed_by_content() -> None:
    _, sections = parsed(PROVINCES / "fujian-2026.txt")
    assert sections[2].label.startswith("一鼓作气勇争先") and sections[2].kind is SectionKind.PLAN
    assert sections[0].kind is SectionKind.REVIEW and sections[1].kind is SectionKind.OUTLOOK


def test_pillar_stops_before_an_address_to_the_delegates() -> None:
    text, sections = parsed(PROVINCES / "zhejiang-2026.txt")
    ninth = plan_of(sections).pillars[8]
    assert "各位代表" not in text[ninth.body.begin : ninth.body.end]


def test_parsing_is_deterministic() -> None:
    path = PROVINCES / "shanghai-2026.txt"
    text = read_text(path)
    assert parse_structure(text, META) == parse_structure(text, META)


# --- rules on small inputs --------------------------------------------------------------------

LEAD_CASES = [
    ("抓有效投资。", False, True),
    ("因地制宜发展新质生产力。", False, True),
    ("加快促进重点产业、重点产品、重点集群、重点企业跨越式发展。", False, True),
    ("推动“新两翼”联动发展。", False, True),
    ("坚持民生为大，努力为群众多办实事。", False, False),  # a comma: an intro, not a lead
    ("实施3000个技改项目。", False, False),  # a figure
    ("2026年是“十五五”开局之年。", False, False),
    ("这是经济实力持续提升的五年。", False, False),
    ("今年要重点做好以下工作。", False, False),
    ("重点做好十方面工作：", False, False),  # not a sentence ending in 。
    ("加快新兴产业发展壮大和未来产业成形成势。", True, True),
    ("加快新兴产业发展壮大和未来产业成形成势并取得实效。", True, False),  # too long inside a paragraph
]


@pytest.mark.parametrize(("sentence", "inline", "expected"), LEAD_CASES)
def test_is_lead(sentence: str, inline: bool, expected: bool) -> None:
    assert is_lead(sentence, inline=inline) is expected


HEADING_CASES = [
    ("2025年工作回顾", SectionKind.REVIEW),
    ("2025年和“十四五”时期工作回顾", SectionKind.REVIEW),
    ("2025年主要工作和“十四五”发展成就", SectionKind.REVIEW),
    ("“十四五”时期发展成就和“十五五”时期主要目标任务", SectionKind.OUTLOOK),
    ("“十五五”发展的主要考虑", SectionKind.OUTLOOK),
    ("关于《上海市国民经济和社会发展第十五个五年规划纲要（草案）》的说明", SectionKind.OUTLOOK),
    ("2026年重点工作安排", SectionKind.PLAN),
    ("2026展望", SectionKind.PLAN),
    ("深入推进政府治理创新", SectionKind.GOVERNMENT),
    ("一以贯之转作风，努力建设人民满意的服务型政府", SectionKind.GOVERNMENT),
    ("履职尽责笃行不怠", SectionKind.GOVERNMENT),
    ("亮点", SectionKind.HIGHLIGHTS),
    ("一鼓作气勇争先，全力推动“十五五”开好局、起好步", None),  # typed by its content instead
    ("聚力扩内需稳增长 巩固经济回升向好基础", None),
    ("严格依法行政", None),
    ("2026年湖里区政府工作报告（摘要）", None),  # a title, not a section
    ("主要预期目标", SectionKind.PLAN),
    ("今年政府工作的总体要求和主要预期目标", SectionKind.PLAN),
    ("今年工作安排", SectionKind.PLAN),
    ("2026年政府工作任务", SectionKind.PLAN),
    ("“十五五”时期经济社会发展的总体要求和主要目标", SectionKind.OUTLOOK),
    ("过去五年工作回顾", SectionKind.REVIEW),
]


@pytest.mark.parametrize(("heading", "kind"), HEADING_CASES)
def test_kind_of_heading(heading: str, kind: SectionKind | None) -> None:
    assert kind_of_heading(heading, plan_year=2026, review_year=2025) is kind


# (heading, the two kinds of a combined heading in heading order, or None when it names one kind)
COMBINED_CASES = [
    ("“十五五”时期主要目标任务和2026年重点工作", (SectionKind.OUTLOOK, SectionKind.PLAN)),
    ("2026年工作安排和“十五五”时期主要目标", (SectionKind.PLAN, SectionKind.OUTLOOK)),
    ("2025年工作回顾和2026年工作安排", (SectionKind.REVIEW, SectionKind.PLAN)),
    ("“十五五”时期的主要目标和重点任务", None),
    ("“十五五”时期主要任务", None),  # 主要任务 alone does not name this year's plan
    ("“十四五”时期和2025年工作回顾", None),
    ("2026年重点工作", None),
]


@pytest.mark.parametrize(("heading", "kinds"), COMBINED_CASES)
def test_combined_kinds(heading: str, kinds: tuple[SectionKind, SectionKind] | None) -> None:
    assert combined_kinds(heading, plan_year=2026, review_year=2025) == kinds


@pytest.mark.parametrize(("numeral", "value"), [("一", 1), ("十", 10), ("十四", 14), ("二十", 20), ("二十三", 23), ("是", 0)])
def test_chinese_number(numeral: str, value: int) -> None:
    assert chinese_number(numeral) == value


SUBLIST_REPORT = """一、2025年工作回顾
过去一年，我们做了很多工作。
二、2026年重点工作
（一）抓好经济工作。推动发展，取得成效。
一、子项一
二、子项二
三、子项三
四、子项四
（二）抓好民生工作
加强就业服务。开展培训，扩大就业。
三、加强政府自身建设
我们将坚持依法行政，提高行政效能。
"""

SHI_REPORT = """一、2025年工作回顾
过去一年，我们开拓进取。
二、2026年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。
一是抓实体经济。推进制造业升级，建设产业园区。
二是抓城市更新。改造老旧小区，完善配套设施。
"""

HEADING_LINE_REPORT = """一、过去一年的工作
2025年是极不平凡的一年。一年来，我们开拓进取。
二、今年的主要任务
聚焦产业升级
加快发展先进制造业。实施技改项目，推动智能化改造。
培育新兴产业。发展低空经济，布局人工智能。
聚焦民生改善
办好民生实事。新建学校，扩大学位供给。
附件
一、新建学校
二、改造道路
"""

TWO_LINE_HEADING_REPORT = """一、2025年工作回顾
过去一年，我们做了很多工作。
二、关于《某市国民经济和社会发展第十五个五年
规划纲要（草案）》的说明
“十五五”时期是关键时期。
三、2026年工作安排
（一）抓好经济工作。推动发展，取得成效。
（二）抓好民生工作。加强就业服务，扩大就业。
"""

SUMMARY_REPORT = """2026年某区政府工作报告（摘要）
2025回顾
全年生产总值增长6%，新增企业100家。
2026年重点任务
做强产业 激发动能
抓招商引资。引进项目50个，投资超百亿元。
优服务环境。深化改革，推出惠企政策。
荣誉榜
获得多项荣誉。
●全国文明城区
●国家卫生城市
"""

SYNTHETIC_CASES = [
    (SUBLIST_REPORT, "review plan government", ["抓好经济工作", "抓好民生工作"], [[], ["加强就业服务"]]),
    (SHI_REPORT, "review plan", ["抓实体经济", "抓城市更新"], [[], []]),
    (HEADING_LINE_REPORT, "review plan", ["聚焦产业升级", "聚焦民生改善"], [["加快发展先进制造业", "培育新兴产业"], ["办好民生实事"]]),
    (TWO_LINE_HEADING_REPORT, "review outlook plan", ["抓好经济工作", "抓好民生工作"], [[], []]),
    (SUMMARY_REPORT, "review plan highlights", ["做强产业 激发动能"], [["抓招商引资", "优服务环境"]]),
]


@pytest.mark.parametrize(("raw", "kinds", "pillars", "measures"), SYNTHETIC_CASES)
def test_synthetic_reports(raw: str, kinds: str, pillars: list[str], measures: list[list[str]]) -> None:
    sections = sections_of(raw)
    assert [s.kind for s in sections] == [GOLD_KINDS[k] for k in kinds.split()]
    plan = plan_of(sections)
    assert [p.label for p in plan.pillars] == pillars
    assert [[m.label for m in p.measures] for p in plan.pillars] == measures
    assert_well_formed(normalize(raw).text, sections)


def test_two_line_heading_spans_both_lines() -> None:
    outlook = sections_of(TWO_LINE_HEADING_REPORT)[1]
    assert outlook.label.startswith("关于《") and outlook.label.endswith("的说明") and "\n" in outlook.label


def test_summary_honours_and_years() -> None:
    sections = sections_of(SUMMARY_REPORT)
    assert [s.year for s in sections] == [2025, 2026, 2025]
    assert [h.label for h in sections[2].honours] == ["全国文明城区", "国家卫生城市"]


def test_appendix_after_the_last_section_is_left_out() -> None:
    sections = sections_of(HEADING_LINE_REPORT)
    assert len(sections) == 2 and "附件" not in normalize(HEADING_LINE_REPORT).text[sections[-1].body.begin : sections[-1].body.end]


@pytest.mark.parametrize("raw", ["", "各位代表：\n现在我代表区人民政府作报告。", "●一\n●二", "一、\n二、"])
def test_text_without_structure_gives_no_sections(raw: str) -> None:
    assert parse_structure(NormalizedText(raw), META) == []


LINE = st.one_of(
    st.sampled_from(["一、2025年工作回顾", "二、2026年工作安排", "三、政府自身建设", "（一）抓好经济工作", "（二）抓好民生。推动发展，取得成效。",
                     "一是抓投资。推进项目建设，扩大投资。", "2026展望", "亮点", "●全国文明城区", "各位代表！", "附件", "——坚持改革，扩大开放。",
                     "聚力扩内需稳增长 巩固经济回升向好基础", "抓有效投资。实施行动，推动建设。", "……"]),
    st.text(alphabet="一二三、（）是。，●抓投资发展 2026年", max_size=20),
)


@settings(max_examples=150, deadline=None, database=None)
@given(st.lists(LINE, max_size=14))
def test_any_text_gives_well_formed_structure(lines: list[str]) -> None:
    text = normalize("\n".join(lines)).text
    assert_well_formed(text, parse_structure(NormalizedText(text), META))
