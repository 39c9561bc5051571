"""The coverage audit: numbers of a text, statements that cover them, surface forms not in their span."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_build.audit import audit_store, numeric_expressions
from kg_build.cli import main
from kg_build.model.vocab import DATA_NS, ONTOLOGY_GRAPH, POL_NS
from kg_build.store import LocalStore

# (text, the numeric expressions the audit counts) — years, dates, list numbers and model names are not quantities
NUMBER_CASES = [
    ("固定资产投资超640亿元", ["640亿"]),
    ("地区生产总值增长5%—5.5%", ["5%", "5.5%"]),
    ("城镇新增就业1,200人", ["1,200"]),
    ("2026年是开局之年", []),
    ("2026展望", []),
    ("2021—2025年累计完成", []),
    ("12月31日前完成", []),
    ("推进5G基站和PM2.5治理，C919交付", []),
    ("1.扩大有效需求", []),
    ("（3）培育新质生产力", []),
    ("增长百分之八至九", ["百分之八"]),  # a Chinese numeral counts only after 百分之
    ("新建2000元补贴", ["2000"]),
    ("投资２０亿元", ["２０亿"]),
    ("加快推进“3个100”等重点工程", []),
    ("聚焦“1+2+4+N”目标任务体系", []),
    ("办好第17届省运会", []),
    ("推动出台服务业扩大开放3.0方案", []),
    ("增长3.0%", ["3.0%"]),
    ("重点抓好以下14个方面的工作", []),
    ("为0—6岁儿童免费筛查", []),
    ("人均预期寿命提高到80岁以上", ["80"]),
    ("办好30周年系列活动，公园24小时开放", []),
    ("依托总算力达6600P的智算中心", ["6600"]),
    ("新建标准塑胶跑道2000公里以上", ["2000"]),
    ("持牌金融机构增加到1813家", ["1813"]),
    ("世界500强、12345热线", []),
    ("打造“15分钟社区生活圈”，提升15分钟健身圈功能", []),
    ("通勤时间缩短15分钟", ["15"]),
    ("深入实施《中国制造2025》，推进21世纪海上丝绸之路建设", []),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_CASES)
def test_numeric_expressions(text: str, expected: list[str]) -> None:
    assert [text[s.begin : s.end] for s in numeric_expressions(text)] == expected


def _store_with_wrong_surface(root: Path) -> LocalStore:
    """The hand-made report of conftest, one statement's surface form changed to words its span does not hold."""
    from conftest import sample_quads

    from kg_build.model.nquads import Lit, serialize
    from kg_build.resources import ontology_file

    quads = []
    for s, p, o, g in sample_quads():
        if str(p) == f"{POL_NS}surfaceForm" and str(o).startswith('"增长6%"'):
            o = Lit('"增长7%"@zh-Hans')
        quads.append((s, p, o, g))
    store = LocalStore(root)
    with store.writer() as writer:
        writer.replace_graph_turtle(ONTOLOGY_GRAPH, ontology_file().read_bytes())
        writer.replace_graph(f"{DATA_NS}report/shili-2026", serialize(quads))
    return store


def test_audit_of_the_hand_made_report(sample_store: LocalStore) -> None:
    [audit] = audit_store(sample_store)
    assert audit.report_id == "shili-2026" and audit.mismatches == []
    got = {(e.text, e.section_kind, e.attached) for e in audit.expressions}
    assert ("8%", "PlanSection", True) in got and ("5.5%", "ReviewSection", True) in got
    assert ("30", "PlanSection", False) in got  # 30个项目: no statement holds it
    assert [e.text for e in audit.leftovers] == ["30"]
    assert audit.counts("PlanSection") == (4, 5)  # 30, 8%, 500, 6%, 3.2%


def test_a_surface_form_not_in_its_span_is_reported(tmp_path: Path) -> None:
    store = _store_with_wrong_surface(tmp_path / "store")
    [audit] = audit_store(store, report="shili-2026")
    assert [(m.surface, m.anchor) for m in audit.mismatches] == [("增长7%", "增长6%")]
    result = CliRunner().invoke(main, ["audit", "--store", str(store.root)])
    assert result.exit_code == 1
    assert "1 surface-form mismatches" in result.output and "'增长7%' not in '增长6%'" in result.output


def test_audit_of_an_unknown_report_is_a_one_line_error(sample_store: LocalStore) -> None:
    result = CliRunner().invoke(main, ["audit", "--store", str(sample_store.root), "--report", "nowhere-2026"])
    assert result.exit_code != 0
    assert "no report 'nowhere-2026' in the store" in result.output and "Traceback" not in result.output


def test_every_bundled_report_states_only_words_of_its_span(built_store: LocalStore) -> None:
    audits = audit_store(built_store)
    assert len(audits) == len(list((Path(__file__).resolve().parents[1] / "data" / "reports").glob("*.txt")))
    for audit in audits:
        assert audit.mismatches == [], audit.report_id
        assert audit.counts("PlanSection")[1] > 0, audit.report_id  # every report has numbers in its plan
        # the rules that leave numbers out never leave out one a statement holds
        assert [(e.text, e.rule) for e in audit.skipped if e.attached] == [], audit.report_id
        assert audit.skipped and all(e.rule for e in audit.skipped)


def test_the_cli_lists_plan_leftovers_with_their_sentence(built_store: LocalStore) -> None:
    result = CliRunner().invoke(main, ["audit", "--store", str(built_store.root), "--report", "huli-2026"])
    assert result.exit_code == 0, result.output
    head, *rest = result.output.splitlines()
    assert head.startswith("huli-2026: plan coverage ") and "0 surface-form mismatches" in head
    leftovers = [line for line in rest if line.startswith("  leftover PlanSection ")]
    assert all(" · " in line for line in leftovers)


def test_the_overview_shows_warnings_and_the_audit_per_report(built_store: LocalStore, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("KG_STORE", str(built_store.root))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "overview.py"), default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    reports = at.dataframe[0].value
    huli = next(row for row in reports.to_dict("records") if "huli-2026" in row["标题"])
    assert huli["构建警告"] == "未找到主要预期目标"
    assert 0 < huli["计划部分数字覆盖率"] <= 100 and huli["原文不符的表述"] == 0
    assert (reports["原文不符的表述"] == 0).all()
    assert set(reports["构建警告"]) == {"", "未找到主要预期目标"}


def _recorded_matches_a_fresh_audit(root: Path) -> list[str]:
    from kg_build.stats import store_stats

    store = LocalStore(root)
    fresh = {a.iri: (a.coverage("PlanSection"), len(a.leftovers), len(a.mismatches)) for a in audit_store(store)}
    recorded = {r.iri: (r.plan_coverage, r.leftovers, r.mismatches) for r in store_stats(store).reports}
    assert recorded == fresh
    return sorted(iri.rsplit("/", 1)[-1] for iri in recorded)


# each step changes the store; after each, the build's record of every report's audit equals an audit made then
RECORD_STEPS = [
    (["build", "huli-2026"], ["huli-2026"]),
    (["build", "national-2019"], ["huli-2026", "national-2019"]),  # huli's summary carried over, 2019's new
    (["remove", "huli-2026"], ["national-2019"]),
]


def test_the_build_records_each_reports_audit_and_carries_it_over(tmp_path: Path) -> None:
    reports = Path(__file__).resolve().parents[1] / "data" / "reports"
    root = tmp_path / "store"
    for (command, name), expected in RECORD_STEPS:
        args = [command, str(reports / f"{name}.txt")] if command == "build" else [command, name]
        result = CliRunner().invoke(main, [*args, "--store", str(root)])
        assert result.exit_code == 0, result.output
        assert _recorded_matches_a_fresh_audit(root) == expected
