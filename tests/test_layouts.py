"""Where the plan is, whatever the layout: one small synthetic report per heading shape (tests/layouts/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_build.document import ReportMeta, SectionKind
from kg_build.normalize import normalize
from kg_build.structure import parse_structure

LAYOUTS = Path(__file__).parent / "layouts"
R, P, O, G = SectionKind.REVIEW, SectionKind.PLAN, SectionKind.OUTLOOK, SectionKind.GOVERNMENT

REVIEW_2 = (R, 2025, ["经济运行稳中向好", "改革开放持续深化"])

# (file, [(kind, year, pillar labels) of each section in order])
LAYOUT_CASES = [
    # 一、 top-level headings, （一） pillars: review, outlook, plan, government
    ("numbered", [REVIEW_2, (O, None, ["建设现代化产业体系", "建设开放强省"]),
                  (P, 2026, ["扩大有效需求", "培育新质生产力", "保障改善民生"]), (G, 2026, [])]),
    # un-numbered review and plan headings, each holding its own 一、二、… items
    ("bare_headings", [(R, 2025, ["经济运行稳中向好", "改革开放持续深化", "民生福祉不断增进"]),
                       (P, 2026, ["扩大有效需求", "培育新质生产力", "保障改善民生", "加强政府自身建设"])]),
    # 第一部分 / 第二部分 headings (过去一年… / 今年工作安排), （一） items
    ("bare_headings_paren", [(R, 2025, ["经济运行稳中向好", "改革开放持续深化"]),
                             (P, 2026, ["扩大有效需求", "培育新质生产力", "保障改善民生"])]),
    # “十五五”…和2026年… in one heading; this year's part opens with a paragraph (2026年是…)
    ("combined_paragraph", [REVIEW_2, (O, None, ["建设现代化产业体系", "建设开放强省"]),
                            (P, 2026, ["扩大有效需求", "培育新质生产力", "保障改善民生"]), (G, 2026, [])]),
    # the combined section's two parts under sub-headings （一）“十五五”… / （二）2026年…, 1. 2. items
    ("combined_subheadings", [REVIEW_2, (O, None, ["建设现代化产业体系", "建设开放强市"]),
                              (P, 2026, ["扩大有效需求", "培育新质生产力", "保障改善民生"])]),
    # one numbering across both parts: （一）（二） outlook, （三）（四） this year's plan
    ("combined_continued", [REVIEW_2, (O, None, ["建设现代化产业体系", "建设开放强市"]),
                            (P, 2026, ["扩大有效需求", "培育新质生产力"]), (G, 2026, [])]),
    # a combined heading whose parts cannot be told apart: the plan is kept
    ("combined_no_anchor", [REVIEW_2, (P, 2026, ["扩大有效需求", "培育新质生产力"])]),
    # 今年政府工作的总体要求和主要预期目标 / 今年工作安排, then the five-year plan's explanation after the plan
    ("plan_before_outlook", [REVIEW_2, (P, 2026, []), (P, 2026, ["扩大有效需求", "培育新质生产力"]),
                             (O, None, ["编制过程", "主要目标"])]),
    # headings that are slogans: typed by their opening paragraphs
    ("slogan_headings", [REVIEW_2, (P, 2026, ["扩大有效需求", "培育新质生产力"])]),
    # 2025年工作回顾和2026年工作安排 in one heading
    ("review_and_plan", [(R, 2025, ["经济运行稳中向好", "民生福祉不断增进"]),
                         (P, 2026, ["扩大有效需求", "保障改善民生"]), (G, 2026, [])]),
    # an older State Council report: task areas as lone lead sentences, a fragment broken around 《》 is no
    # pillar, the foreign-affairs part after the plan continues it, the closing remarks and a licence note end it
    ("state_council_1990s", [(R, 1994, ["经济体制改革迈出决定性步伐", "国民经济继续快速增长"]),
                             (P, 1995, ["保持适当的经济增长速度", "坚决控制物价上涨幅度"]), (P, 1995, [])]),
    # 第一，第二， task areas; a plan part named by its year's 国民经济计划 and 主要指标
    ("state_council_1980s", [(R, 1979, ["农业生产持续增长", "轻工业发展较快"]), (P, 1980, []),
                             (P, 1980, ["实行能源的开发和节约并重，大力开展以节能为中心的技术改造",
                                        "进一步调整重工业特别是机械工业结构"])]),
    # （一）（二） parts with kind words, each holding its own 1. 2. items
    ("paren_top", [(R, 2025, ["经济运行稳中向好", "改革开放持续深化"]), (P, 2026, ["扩大有效需求", "培育新质生产力"])]),
    # un-numbered headings, one of them combining the five-year goals with this year's plan
    ("bare_combined", [(R, 2025, ["综合实力明显增强", "改革开放不断深化"]),
                       (O, None, ["建设现代化产业体系", "建设开放强市"]),
                       (P, 2026, ["扩大有效需求", "培育新质生产力", "保障改善民生"])]),
    # a newspaper summary: heading lines over paragraphs, 一是… items inside a pillar, honours, no numbered parts
    ("summary_with_items", [(P, 2026, ["聚力扩内需稳增长", "聚力培育新质生产力"]), (SectionKind.HIGHLIGHTS, 2025, []),
                            (G, 2025, [])]),
    # 第一部分… headings with a highlights part between the review and the plan (its honours kept)
    ("bare_headings_highlights", [REVIEW_2, (SectionKind.HIGHLIGHTS, 2025, []), (P, 2026, ["扩大有效需求", "培育新质生产力"])]),
    # parts numbered 一． instead of 一、
    ("dot_numbered", [REVIEW_2, (P, 2026, ["扩大有效需求", "培育新质生产力"])]),
]
YEARS = {"state_council_1990s": (1995, 1994), "state_council_1980s": (1980, 1979)}  # (plan year, review year) where not 2026 / 2025


@pytest.mark.parametrize(("name", "expected"), LAYOUT_CASES, ids=[case[0] for case in LAYOUT_CASES])
def test_layout_sections_kinds_years_and_pillars(name: str, expected: list) -> None:
    text = normalize((LAYOUTS / f"{name}.txt").read_text(encoding="utf-8"))
    plan, review = YEARS.get(name, (2026, 2025))
    sections = parse_structure(text, ReportMeta(report_id="test", plan_year=plan, review_year=review))
    got = [(s.kind, s.year, [p.label for p in s.pillars]) for s in sections]
    assert got == expected
    for section in sections:  # every span round-trips and the parts do not overlap
        assert text.text[section.span.begin : section.span.end] == section.label
        assert section.body.contains(section.span)
    assert all(a.body.end <= b.body.begin for a, b in zip(sections, sections[1:]))
    assert "结束语" not in text.text[sections[-1].body.begin : sections[-1].body.end]  # closing remarks end the body


def test_every_layout_has_a_case() -> None:
    assert sorted(p.stem for p in LAYOUTS.glob("*.txt")) == sorted(case[0] for case in LAYOUT_CASES)


# --- built end to end: every layout keeps its plan, and the main targets it states become targets ----------

MAIN_TARGET = "5%左右"  # 地区生产总值增长5%左右, stated by every 2026 layout that states its main targets


@pytest.fixture(scope="module")
def layouts_store(tmp_path_factory: pytest.TempPathFactory):
    from kg_build.build import build
    from kg_build.store import LocalStore

    folder = tmp_path_factory.mktemp("layouts")
    for name, _ in LAYOUT_CASES:
        plan, review = YEARS.get(name, (2026, 2025))
        (folder / f"{name}.txt").write_bytes((LAYOUTS / f"{name}.txt").read_bytes())
        sidecar = {"id": name.replace("_", "-"), "region": "示例市", "plan_year": plan, "review_year": review}
        (folder / f"{name}.meta.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    store = LocalStore(folder / "store")
    build([folder], store=store)
    return store


def _graph_rows(store, graph: str, variables: str, pattern: str) -> list[tuple[str, ...]]:
    result = store.query(
        f"PREFIX pol: <https://w3id.org/policy-kg/def#> SELECT {variables} WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}",
        union_default=False,
    )
    return sorted(tuple(str(v) for v in row) for row in result.rows)


@pytest.mark.parametrize("name", [case[0] for case in LAYOUT_CASES if case[0] not in YEARS])
def test_layout_built_keeps_its_plan_and_main_targets(layouts_store, name: str) -> None:
    graph = f"https://w3id.org/policy-kg/id/report/{name.replace('_', '-')}"
    warnings = [w for (w,) in _graph_rows(layouts_store, graph, "?w", f"<{graph}> pol:buildWarning ?w")]
    assert "no-plan-section" not in warnings and "no-targets" not in warnings
    assert "main-targets-not-extracted" not in warnings
    stated = MAIN_TARGET in (LAYOUTS / f"{name}.txt").read_text(encoding="utf-8")
    targets = _graph_rows(layouts_store, graph, "?form ?year", "?t a pol:Target ; pol:surfaceForm ?form ; pol:refYear ?year")
    assert ((MAIN_TARGET, "2026") in targets) == stated, targets
    assert warnings == ([] if stated else ["no-main-targets-sentence"])


@pytest.mark.parametrize("name", ["summary_with_items", "bare_headings_highlights"])
def test_highlights_keep_their_honours(name: str) -> None:
    text = normalize((LAYOUTS / f"{name}.txt").read_text(encoding="utf-8"))
    sections = parse_structure(text, ReportMeta(report_id="test", plan_year=2026, review_year=2025))
    highlights = next(s for s in sections if s.kind is SectionKind.HIGHLIGHTS)
    assert [h.label for h in highlights.honours] == ["全国城区经济高质量发展百强区", "中国创新百强区"]
