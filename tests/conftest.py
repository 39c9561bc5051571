"""Shared fixtures: the bundled reports built once, the seed report's path, and a tiny hand-made store."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from kg_build.resources import bundled_reports_dir
from kg_build.store import LocalStore


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """The bundled reports (data/reports/) built once per test session into a temporary store."""
    from kg_build.build import build

    store = LocalStore(tmp_path_factory.mktemp("built-store"))
    build([bundled_reports_dir()], store=store)
    return store


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed report shipped with the project."""
    return bundled_reports_dir() / "huli-2026.txt"


# --- a tiny report made by hand, through the real model layer ----------------------------

SAMPLE_TEXT = (
    "2026年工作安排\n"
    "一、扩大有效投资\n"
    "抓项目建设。推动滨海创新园等30个项目开工，力促固定资产投资增长8%以上。\n"
    "促消费升级。举办文旅活动超500场，社会消费品零售总额增长6%。\n"
    "二、培育新兴产业\n"
    "强化科技创新。支持“星河<科技>&公司”建设智能计算中心，研发投入强度达到3.2%。\n"
    "2025年回顾\n"
    "示例区地区生产总值增长5.5%，新引进项目120个。\n"
)


def copy_bundled_report(name: str, to: Path) -> Path:
    """A bundled report (its text and sidecar) copied into the folder ``to``, made if need be; returns ``to``."""
    to.mkdir(parents=True, exist_ok=True)
    for suffix in (".txt", ".meta.json"):
        shutil.copy(bundled_reports_dir() / f"{name}{suffix}", to / f"{name}{suffix}")
    return to


def _span(text: str, needle: str, *, after: int = 0):
    from kg_build.document import Span

    begin = text.index(needle, after)
    return Span(begin, begin + len(needle))


def sample_quads() -> list:
    """The quads of the hand-made report 示例区 2026 (sections, pillars, measures, entities, figures)."""
    from kg_build import document as d
    from kg_build.model.graph import document_quads

    text = SAMPLE_TEXT
    s = lambda needle, after=0: _span(text, needle, after=after)  # noqa: E731
    plan_end = text.index("2025年回顾")
    p2 = text.index("二、")
    measures1 = [
        d.Measure("抓项目建设", s("抓项目建设"), d.Span(s("抓项目建设").begin, text.index("促消费升级"))),
        d.Measure("促消费升级", s("促消费升级"), d.Span(s("促消费升级").begin, p2)),
    ]
    measures2 = [d.Measure("强化科技创新", s("强化科技创新"), d.Span(s("强化科技创新").begin, plan_end))]
    plan = d.Section(
        d.SectionKind.PLAN, "2026年工作安排", s("2026年工作安排"), d.Span(0, plan_end), year=2026,
        pillars=[
            d.Pillar("扩大有效投资", s("扩大有效投资"), d.Span(text.index("一、"), p2), measures1),
            d.Pillar("培育新兴产业", s("培育新兴产业"), d.Span(p2, plan_end), measures2),
        ],
    )
    review = d.Section(
        d.SectionKind.REVIEW, "2025年回顾", s("2025年回顾"), d.Span(plan_end, len(text)), year=2025
    )
    meta = d.ReportMeta(
        report_id="shili-2026", region="示例区", level="district", plan_year=2026, review_year=2025,
        title="示例区2026年政府工作报告", source_file="shili-2026.txt",
    )
    doc = d.Document(meta=meta, text=d.NormalizedText(text), sections=[plan, review])

    def entity(kind, label):
        return d.Entity(kind, label, mentions=[d.Mention(kind, label, s(label), "test")])

    company = ("Company", "星河<科技>&公司")
    entities = [
        entity(d.EntityType.PLACE, "示例区"),
        entity(d.EntityType.PROJECT, "滨海创新园"),
        entity(d.EntityType.COMPANY, company[1]),
        entity(d.EntityType.PLATFORM, "智能计算中心"),
    ]
    platform = ("Platform", "智能计算中心")
    relations = [d.Relation(platform, "involvesOrganization", company, s("智能计算中心"), "test")]

    def figure(kind, indicator, surface, value, unit, comparator, year, modality=d.Modality.FIRM):
        return d.Figure(
            Decimal(value), unit, comparator, modality, kind, indicator, surface, s(surface), year=year
        )

    T, A, C = d.FigureKind.TARGET, d.FigureKind.ACHIEVEMENT, d.Comparator
    figures = [
        figure(T, "固定资产投资增长", "增长8%以上", "8", "unit:PERCENT", C.AT_LEAST, 2026),
        figure(T, "文旅活动", "超500场", "500", "unit:NUM", C.MORE_THAN, 2026, d.Modality.ASPIRATIONAL),
        figure(T, "社会消费品零售总额增长", "增长6%", "6", "unit:PERCENT", C.EQUAL, 2026),
        figure(T, "研发投入强度", "达到3.2%", "3.2", "unit:PERCENT", C.EQUAL, 2026),
        figure(A, "地区生产总值增长", "增长5.5%", "5.5", "unit:PERCENT", C.EQUAL, 2025),
        figure(A, "新引进项目", "新引进项目120个", "120", "unit:NUM", C.EQUAL, 2025),
    ]
    extraction = d.Extraction(entities=entities, relations=relations, figures=figures)
    return document_quads(doc, extraction, content_hash="sample", builder_version="test")


def write_sample_store(root: Path) -> LocalStore:
    """A store holding the ontology and the hand-made report, published as one generation."""
    from kg_build.model.nquads import serialize
    from kg_build.model.vocab import ONTOLOGY_GRAPH, DATA_NS
    from kg_build.resources import ontology_file

    store = LocalStore(root)
    with store.writer() as writer:
        writer.replace_graph_turtle(ONTOLOGY_GRAPH, ontology_file().read_bytes())
        writer.replace_graph(f"{DATA_NS}report/shili-2026", serialize(sample_quads()))
    return store


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A tiny store made by hand (one report, four entities, six figures), independent of extraction."""
    return write_sample_store(tmp_path_factory.mktemp("sample-store"))
