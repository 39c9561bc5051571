"""Quantified figures: values, units, comparators, modality, indicators; scored on the seed's gold."""

from __future__ import annotations

import json
import re
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg_build.document import Comparator, Figure, FigureKind, Modality, Span
from kg_build.errors import InputError
from kg_build.extract.figures import FigureRegion, find_figures
from kg_build.normalize import read_text
from kg_build.resources import bundled_reports_dir

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "data" / "reports" / "huli-2026.txt"
GOLD = REPO / "tests" / "gold" / "huli-2026.json"  # a copy of the team's annotations

MORE, AT_LEAST, ABOUT, AT_MOST, LESS, EQUAL, BETWEEN = (
    Comparator.MORE_THAN,
    Comparator.AT_LEAST,
    Comparator.ABOUT,
    Comparator.AT_MOST,
    Comparator.LESS_THAN,
    Comparator.EQUAL,
    Comparator.BETWEEN,
)
FIRM, HOPE = Modality.FIRM, Modality.ASPIRATIONAL


def figures_of(text: str, *, kind: FigureKind = FigureKind.TARGET, year: int | None = 2026) -> list[Figure]:
    """The figures of a text taken whole as one region."""
    return find_figures(text, regions=[FigureRegion(Span(0, len(text)), kind, year)])


# (text, [(surface, value, unit, comparator, modality, indicator)])
FIGURES = [
    ("力促固定资产投资超640亿元。", [("超640亿元", "64000000000", "cur:CNY", MORE, HOPE, "固定资产投资")]),
    ("新增城镇就业3万人以上。", [("3万人以上", "30000", "unit:NUM", AT_LEAST, FIRM, "新增城镇就业")]),
    ("计划投资额突破1700亿元。", [("突破1700亿元", "170000000000", "cur:CNY", MORE, FIRM, "计划投资额")]),
    ("举办文体旅活动超2000场，", [("超2000场", "2000", "unit:NUM", MORE, FIRM, "文体旅活动")]),
    ("新增改造绿地8万平方米。", [("8万平方米", "80000", "unit:M2", EQUAL, FIRM, "新增改造绿地")]),
    ("引育市级以上高层次人才超百名。", [("超百名", "100", "unit:NUM", MORE, FIRM, "引育市级以上高层次人才")]),
    ("地区生产总值达到1.2万亿元。", [("1.2万亿元", "1200000000000", "cur:CNY", EQUAL, FIRM, "地区生产总值")]),
    ("城镇登记失业率控制在百分之五以内。", [("控制在百分之五以内", "5", "unit:PERCENT", AT_MOST, FIRM, "城镇登记失业率")]),
    ("举办群众赛事两千场。", [("两千场", "2000", "unit:NUM", EQUAL, FIRM, "群众赛事")]),
    ("完成31.8公里道路“机非分离”改造。", [("31.8公里", "31.8", "unit:KiloM", EQUAL, FIRM, "道路机非分离改造")]),
    ("新增公办学位5460个。", [("5460个", "5460", "unit:NUM", EQUAL, FIRM, "新增公办学位")]),
    ("推动厦航创新研发基地等114个项目的建设顺利开展", [("114个", "114", "unit:NUM", EQUAL, FIRM, "项目")]),
    ("新开办厦门一中湖里分校等4所校园，", [("4所", "4", "unit:NUM", EQUAL, FIRM, "新开办校园")]),
    ("启用3家社区卫生服务中心新址。", [("3家", "3", "unit:NUM", EQUAL, FIRM, "启用社区卫生服务中心新址")]),
    (
        "新建1个养老服务综合体、16个长者食堂；",
        [
            ("1个", "1", "unit:NUM", EQUAL, FIRM, "新建养老服务综合体"),
            ("16个", "16", "unit:NUM", EQUAL, FIRM, "新建长者食堂"),
        ],
    ),
    ("推动打通兴隆路东段等6条“断头路”，", [("6条", "6", "unit:NUM", EQUAL, FIRM, "断头路")]),
    ("技术合同交易额目标突破110亿元。", [("突破110亿元", "11000000000", "cur:CNY", MORE, FIRM, "技术合同交易额")]),
    (
        "规模以上工业企业数字化转型覆盖率力争达35%。",
        [("35%", "35", "unit:PERCENT", EQUAL, HOPE, "规模以上工业企业数字化转型覆盖率")],
    ),
    ("依托总算力达6600P的双智算中心", [("6600P", "6600", "pol:PetaFLOPS", EQUAL, FIRM, "总算力")]),
    ("保持水环境功能区100%达标。", [("100%", "100", "unit:PERCENT", EQUAL, FIRM, "水环境功能区达标")]),
    ("研发投入强度提高0.2个百分点。", [("0.2个百分点", "0.2", "pol:PercentagePoint", EQUAL, FIRM, "研发投入强度提高")]),
    ("港口集装箱吞吐量达4500万标箱。", [("4500万标箱", "45000000", "pol:TEU", EQUAL, FIRM, "港口集装箱吞吐量")]),
    ("新建高标准农田12万亩，", [("12万亩", "120000", "pol:Mu", EQUAL, FIRM, "新建高标准农田")]),
    ("外调绿电规模达450亿千瓦时。", [("450亿千瓦时", "45000000000", "unit:KiloW-HR", EQUAL, FIRM, "外调绿电规模")]),
    ("粮食产量1300亿斤以上。", [("1300亿斤以上", "65000000", "unit:TONNE", AT_LEAST, FIRM, "粮食产量")]),
    ("蔬菜产量稳定在200万吨左右。", [("200万吨左右", "2000000", "unit:TONNE", ABOUT, FIRM, "蔬菜产量")]),
    ("惠及消费者750多万人次。", [("750多万人次", "7500000", "unit:NUM", MORE, FIRM, "惠及消费者")]),
    ("新设台企300余家。", [("300余家", "300", "unit:NUM", MORE, FIRM, "新设台企")]),
    ("城镇新增就业不少于28万人。", [("不少于28万人", "280000", "unit:NUM", AT_LEAST, FIRM, "城镇新增就业")]),
    ("项目区农民满意度不低于80%。", [("不低于80%", "80", "unit:PERCENT", AT_LEAST, FIRM, "项目区农民满意度")]),
    ("推介重大项目总投资约2350亿元。", [("约2350亿元", "235000000000", "cur:CNY", ABOUT, FIRM, "推介重大项目总投资")]),
    ("新能源汽车年产量近70万辆，", [("近70万辆", "700000", "unit:NUM", ABOUT, FIRM, "新能源汽车年产量")]),
    ("单位能耗低于0.5吨。", [("低于0.5吨", "0.5", "unit:TONNE", LESS, FIRM, "单位能耗")]),
    ("政府性债务增长不超过3%。", [("不超过3%", "3", "unit:PERCENT", AT_MOST, FIRM, "政府性债务增长")]),
    ("开展促消费活动近万场，", [("近万场", "10000", "unit:NUM", ABOUT, FIRM, "促消费活动")]),
    ("争取国家政策性资金超千亿元，", [("超千亿元", "100000000000", "cur:CNY", MORE, HOPE, "国家政策性资金")]),
    ("人均预期寿命达79.5岁。", [("79.5岁", "79.5", "unit:YR", EQUAL, FIRM, "人均预期寿命")]),
    (
        "新引进落地总投资超10亿元项目50个以上。",
        [("50个以上", "50", "unit:NUM", AT_LEAST, FIRM, "新引进落地总投资超10亿元项目")],
    ),
    (
        "实现地区生产总值67665亿元，增长5.5%，",
        [
            ("67665亿元", "6766500000000", "cur:CNY", EQUAL, FIRM, "地区生产总值"),
            ("5.5%", "5.5", "unit:PERCENT", EQUAL, FIRM, "地区生产总值增长"),
        ],
    ),
    (
        "上市公司从518家增加到731家。",
        [
            ("518家", "518", "unit:NUM", EQUAL, FIRM, "上市公司"),
            ("731家", "731", "unit:NUM", EQUAL, FIRM, "上市公司"),
        ],
    ),
    (
        "食品、药品抽检合格率分别超98.5%和99%。",
        [
            ("超98.5%", "98.5", "unit:PERCENT", MORE, FIRM, "食品抽检合格率"),
            ("99%", "99", "unit:PERCENT", MORE, FIRM, "药品抽检合格率"),
        ],
    ),
    (
        "地铁线网单日最高客运量分别达1409万、1305万人次，",
        [
            ("1409万", "14090000", "unit:NUM", EQUAL, FIRM, "地铁线网单日最高客运量"),
            ("1305万人次", "13050000", "unit:NUM", EQUAL, FIRM, "地铁线网单日最高客运量"),
        ],
    ),
    (
        "区政府门户网站绩效评估成绩位列全国第十三、全市第一。",
        [
            ("全国第十三", "13", "pol:Rank", EQUAL, FIRM, "区政府门户网站绩效评估成绩全国排名"),
            ("全市第一", "1", "pol:Rank", EQUAL, FIRM, "区政府门户网站绩效评估成绩全市排名"),
        ],
    ),
    ("总量和增速均居全国第5位；", [("全国第5位", "5", "pol:Rank", EQUAL, FIRM, "总量和增速全国排名")]),
    ("科创指数稳居全省前10，", [("全省前10", "10", "pol:Rank", AT_MOST, FIRM, "科创指数全省排名")]),
    ("通过调研解决412个问题、转化206项政策机制。", [
        ("412个", "412", "unit:NUM", EQUAL, FIRM, "调研解决问题"),
        ("206项", "206", "unit:NUM", EQUAL, FIRM, "转化政策机制"),
    ]),
    ("排查整改“六类突出问题”300个。", [("300个", "300", "unit:NUM", EQUAL, FIRM, "排查整改六类突出问题")]),
]

# (text, value, upper, unit)
RANGES = [
    ("全省生产总值增长5%—5.5%，", "5", "5.5", "unit:PERCENT"),
    ("地区生产总值增长5%-5.5%。", "5", "5.5", "unit:PERCENT"),
    ("地区生产总值增长5%到5.5%。", "5", "5.5", "unit:PERCENT"),
    ("地区生产总值增长5—5.5%。", "5", "5.5", "unit:PERCENT"),
    ("地区生产总值增长4.5%～5%。", "4.5", "5", "unit:PERCENT"),
    ("每年新增就业3—5万人。", "30000", "50000", "unit:NUM"),
]

NOT_FIGURES = [
    "2026展望",
    "2025年，湖里区在高质量发展的赛道上捷报频传。",
    "编制“十五五”规划，总结十四五时期经验。",
    "2026-2030年规划纲要。",
    "1月25日在第十六届人民代表大会第四次会议上。",
    "推动数字人民币跨境结算等纳入第二批授权清单。",
    "首批“全国守法普法示范区”",
    "规模发展“工业上楼”和2.5产业空间。",
    "抓好安全生产治本攻坚三年行动收官。",
    "创新推出“百姓金点子”2.0，形成闭环。",
    "加力实施“8+4”经济政策体系。",
    "聚焦“132”工程，做优“123个”项目。",
    "败诉案件量为近5年最少。",
    "新增一批停车泊位和充电桩。",
    "坚决做到“两个维护”。",
    "加快K11-SELECT等商业项目开业。",
    "推动5G基站建设。",
    "支持人工智能深度赋能千行百业、造福千家万户。",
    "实施百亿斤粮食产能提升工程，",
    "建成30万吨级航道。",
    "为0—6岁儿童、65岁以上老年人提供服务。",
    "审批时间压缩至3个工作日。",
    "重点抓好以下14个方面的工作：",
    "深化两岸融合，办好一老一小等民生实事。",
    "全员劳动生产率达到30万元/人。",
]

# one target sentence of each province's 主要预期目标: (text, [(value, unit, comparator, indicator)])
PROVINCES = [
    (
        "今年经济社会发展主要预期目标是：地区生产总值增长5%左右，一般公共预算收入增长4%左右，"
        "城镇调查失业率控制在5%以内，居民消费价格涨幅2%左右，居民收入增长和经济增长同步，"
        "细颗粒物年均浓度控制在29微克/立方米左右、争取更优水平。",
        [
            ("5", "unit:PERCENT", ABOUT, "地区生产总值增长"),
            ("4", "unit:PERCENT", ABOUT, "一般公共预算收入增长"),
            ("5", "unit:PERCENT", AT_MOST, "城镇调查失业率"),
            ("2", "unit:PERCENT", ABOUT, "居民消费价格涨幅"),
            ("29", "unit:MicroGM-PER-M3", ABOUT, "细颗粒物年均浓度"),
        ],
    ),
    (
        "城镇调查失业率控制在5%左右，城镇新增就业50万人；居民消费价格涨幅2%左右；"
        "居民收入增长与经济增长同步；粮食产量513万吨以上；",
        [
            ("5", "unit:PERCENT", ABOUT, "城镇调查失业率"),
            ("500000", "unit:NUM", EQUAL, "城镇新增就业"),
            ("2", "unit:PERCENT", ABOUT, "居民消费价格涨幅"),
            ("5130000", "unit:TONNE", AT_LEAST, "粮食产量"),
        ],
    ),
    (
        "主要预期目标是：地区生产总值增长4.5%—5%，在实际工作中全力争取更好结果；地方一般公共预算收入增长3%左右；",
        [("4.5", "unit:PERCENT", BETWEEN, "地区生产总值增长"), ("3", "unit:PERCENT", ABOUT, "地方一般公共预算收入增长")],
    ),
    (
        "主要预期目标是：地区生产总值增长5%以上，一般公共预算收入增长2%左右，规上工业增加值增长5.5%左右，"
        "固定资产投资增长5.5%左右。",
        [
            ("5", "unit:PERCENT", AT_LEAST, "地区生产总值增长"),
            ("2", "unit:PERCENT", ABOUT, "一般公共预算收入增长"),
            ("5.5", "unit:PERCENT", ABOUT, "规上工业增加值增长"),
            ("5.5", "unit:PERCENT", ABOUT, "固定资产投资增长"),
        ],
    ),
    (
        "城镇新增就业110万人以上，居民消费价格涨幅2%左右，居民收入增长与经济增长同步，"
        "粮食产量1300亿斤以上、力争比去年实现更多增长。",
        [
            ("1100000", "unit:NUM", AT_LEAST, "城镇新增就业"),
            ("2", "unit:PERCENT", ABOUT, "居民消费价格涨幅"),
            ("65000000", "unit:TONNE", AT_LEAST, "粮食产量"),
        ],
    ),
    (
        "全市生产总值增长5%左右，地方一般公共预算收入增长2%，全社会研发经费支出相当于全市生产总值的比例达到4.6%左右，"
        "城镇调查失业率5%以内。",
        [
            ("5", "unit:PERCENT", ABOUT, "全市生产总值增长"),
            ("2", "unit:PERCENT", EQUAL, "地方一般公共预算收入增长"),
            ("4.6", "unit:PERCENT", ABOUT, "全社会研发经费支出相当于全市生产总值的比例"),
            ("5", "unit:PERCENT", AT_MOST, "城镇调查失业率"),
        ],
    ),
    (
        "今年全省经济社会发展主要预期目标是：地区生产总值增长5.5%左右；城镇新增就业85万人，城镇调查失业率5.5%左右；",
        [
            ("5.5", "unit:PERCENT", ABOUT, "地区生产总值增长"),
            ("850000", "unit:NUM", EQUAL, "城镇新增就业"),
            ("5.5", "unit:PERCENT", ABOUT, "城镇调查失业率"),
        ],
    ),
    (
        "全省生产总值增长5%—5.5%，在实际工作中努力争取更好结果；城镇调查失业率5%以内；居民消费价格涨幅2%左右；",
        [
            ("5", "unit:PERCENT", BETWEEN, "全省生产总值增长"),
            ("5", "unit:PERCENT", AT_MOST, "城镇调查失业率"),
            ("2", "unit:PERCENT", ABOUT, "居民消费价格涨幅"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), FIGURES)
def test_figures(text: str, expected: list[tuple]) -> None:
    got = [
        (f.surface, f.value, f.unit, f.comparator, f.modality, f.indicator) for f in figures_of(text)
    ]
    assert got == [(s, Decimal(v), u, c, m, i) for s, v, u, c, m, i in expected]


@pytest.mark.parametrize(("text", "value", "upper", "unit"), RANGES)
def test_ranges_keep_the_lower_bound_as_value(text: str, value: str, upper: str, unit: str) -> None:
    [figure] = figures_of(text)
    assert (figure.value, figure.upper, figure.unit) == (Decimal(value), Decimal(upper), unit)


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_years_dates_names_and_idioms_are_not_figures(text: str) -> None:
    assert [f.surface for f in figures_of(text)] == []


@pytest.mark.parametrize(("text", "expected"), PROVINCES)
def test_main_targets_of_each_province(text: str, expected: list[tuple]) -> None:
    got = [(f.value, f.unit, f.comparator, f.indicator) for f in figures_of(text)]
    assert got == [(Decimal(v), u, c, i) for v, u, c, i in expected]
    assert all(f.kind is FigureKind.TARGET and f.year == 2026 for f in figures_of(text))


def test_figures_are_read_only_inside_regions_and_take_their_kind_and_year() -> None:
    text = "2026年计划：新增城镇就业3万人以上。2025年回顾：新增城镇就业3.2万人。附注：共10个。"
    plan = text.index("2026年计划")
    review = text.index("2025年回顾")
    notes = text.index("附注")
    figures = find_figures(
        text,
        regions=[
            FigureRegion(Span(review, notes), FigureKind.ACHIEVEMENT, 2025),
            FigureRegion(Span(plan, review), FigureKind.TARGET, 2026),
        ],
    )
    assert [(f.surface, f.kind, f.year) for f in figures] == [
        ("3万人以上", FigureKind.TARGET, 2026),
        ("3.2万人", FigureKind.ACHIEVEMENT, 2025),
    ]


def test_overlapping_regions_give_each_figure_once() -> None:
    text = "新增城镇就业3万人以上。"
    whole = FigureRegion(Span(0, len(text)), FigureKind.TARGET, 2026)
    assert len(find_figures(text, regions=[whole, whole])) == 1


def test_a_region_beyond_the_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="beyond the text"):
        find_figures("新增3家。", regions=[FigureRegion(Span(0, 50), FigureKind.TARGET, 2026)])


# --- whole reports: invariants and speed -------------------------------------------------------


@lru_cache(maxsize=None)
def normalized(name: str) -> str:
    """The normalized text of a bundled report."""
    return read_text(bundled_reports_dir() / f"{name}.txt").text


REPORTS = ["huli-2026", "beijing-2026", "fujian-2026", "guangdong-2026", "hebei-2026", "henan-2026",
           "shanghai-2026", "sichuan-2026", "zhejiang-2026"]


@pytest.mark.parametrize("name", REPORTS)
def test_spans_round_trip_and_indicators_are_short_or_absent(name: str) -> None:
    text = normalized(name)
    figures = figures_of(text)
    assert figures
    for figure in figures:
        assert text[figure.span.begin : figure.span.end] == figure.surface
        assert figure.indicator is None or 2 <= len(figure.indicator) <= 24, figure
        assert figure.value >= 0
        assert figure.upper is None or figure.upper > figure.value
    spans = [f.span for f in figures]
    assert spans == sorted(spans) and len(set(spans)) == len(spans)


def _report_of(size: int) -> str:
    text = normalized("guangdong-2026")
    while len(text.encode("utf-8")) < size:
        text += text
    return text.encode("utf-8")[:size].decode("utf-8", "ignore")


def test_figures_take_time_in_proportion_to_the_text() -> None:
    """Four times the text, about four times the time: a ratio within one test, not a speed (that is in
    benchmarks/). A scanner that went back over the text for each figure would take about sixteen times."""
    small, large = _report_of(100_000), _report_of(400_000)
    ratio = min(_timed(large) for _ in range(3)) / min(_timed(small) for _ in range(3))
    assert ratio < 8, f"{ratio:.1f}x the time for 4x the text"


def _timed(text: str) -> float:
    start = time.perf_counter()
    figures_of(text)
    return time.perf_counter() - start


NUMBERISH = "0123456789.%—-~到至超近约以上左右多余万亿千百十一两三第全国个家人元亩吨公里平方米级岁/+“”（），。、的新增"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=NUMBERISH, max_size=30), st.integers(0, 30), st.integers(0, 30))
def test_any_text_gives_figures_inside_the_region_with_exact_surfaces(text: str, a: int, b: int) -> None:
    begin, end = sorted((min(a, len(text)), min(b, len(text))))
    for figure in find_figures(text, regions=[FigureRegion(Span(begin, end), FigureKind.TARGET, 2026)]):
        assert begin <= figure.span.begin < figure.span.end <= end
        assert text[figure.span.begin : figure.span.end] == figure.surface
        assert figure.indicator is None or len(figure.indicator) >= 2
        assert (figure.upper is None) == (figure.comparator is not Comparator.BETWEEN)
        assert figure.upper is None or figure.upper > figure.value


def test_same_input_same_output() -> None:
    text = normalized("zhejiang-2026")
    assert figures_of(text) == figures_of(text)


# --- the seed summary against its gold quantities ----------------------------------------------

GOLD_UNITS = {
    "CNY": "cur:CNY", "PERCENT": "unit:PERCENT", "NUM": "unit:NUM", "KiloM": "unit:KiloM", "M2": "unit:M2",
    "PetaFLOPS": "pol:PetaFLOPS", "RANK": "pol:Rank", "TEU": "pol:TEU", "Mu": "pol:Mu",
}
GOLD_COMPARATORS = {"eq": EQUAL, "gt": MORE, "ge": AT_LEAST, "approx": ABOUT, "le": AT_MOST, "lt": LESS}
_QUOTES = re.compile(r"[\"“”'‘’]")


def _fold_quotes(text: str) -> str:
    """Straight and curly quotes are insignificant in the gold; folding keeps every offset."""
    return _QUOTES.sub('"', text)


def seed_regions(text: str) -> list[FigureRegion]:
    """Plan: from the 2026展望 line to the 亮点 line (targets of 2026); the rest: achievements of 2025."""
    plan = text.index("2026展望")
    highlights = re.search(r"^亮点$", text, re.MULTILINE)
    assert highlights is not None
    return [
        FigureRegion(Span(0, plan), FigureKind.ACHIEVEMENT, 2025),
        FigureRegion(Span(plan, highlights.start()), FigureKind.TARGET, 2026),
        FigureRegion(Span(highlights.start(), len(text)), FigureKind.ACHIEVEMENT, 2025),
    ]


def score_seed() -> dict[str, float]:
    """Precision, recall, F1 and the accuracies of comparator, modality and kind on the seed."""
    text = read_text(SEED).text
    folded = _fold_quotes(text)
    figures = find_figures(text, regions=seed_regions(text))
    quantities = json.loads(GOLD.read_text(encoding="utf-8"))["quantities"]
    used: set[int] = set()
    matched: list[tuple[dict, Figure]] = []
    optional_hits = 0
    for item in quantities:
        quote = _fold_quotes(item["quote"])
        places = [m.start() for m in re.finditer(re.escape(quote), folded)]
        assert places, f"gold quote not in the normalized seed: {item['quote']}"
        hit = next(
            (
                n
                for start in places
                for n, f in enumerate(figures)
                if n not in used
                and f.value == Decimal(str(item["value"]))
                and f.unit == GOLD_UNITS[item["unit"]]
                and Span(start, start + len(quote)).contains(f.span)
            ),
            None,
        )
        if hit is None:
            continue
        used.add(hit)
        if item.get("optional"):
            optional_hits += 1
        else:
            matched.append((item, figures[hit]))
    required = sum(1 for item in quantities if not item.get("optional"))
    true_positives = len(matched)
    predicted = len(figures) - optional_hits
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / required
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    n = max(true_positives, 1)
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "comparator": sum(f.comparator is GOLD_COMPARATORS[g["comparator"]] for g, f in matched) / n,
        "modality": sum((f.modality is HOPE) == g["aspirational"] for g, f in matched) / n,
        "kind": sum(f.kind.value.lower() == g["kind"] and f.year == g["year"] for g, f in matched) / n,
    }


@pytest.mark.parametrize(
    ("measure", "threshold"),
    [("f1", 0.95), ("precision", 0.95), ("recall", 0.95), ("comparator", 0.95), ("modality", 0.9), ("kind", 0.95)],
)
def test_seed_figures_against_gold(measure: str, threshold: float) -> None:
    scores = _seed_scores()
    assert scores[measure] >= threshold, scores


@lru_cache(maxsize=1)
def _seed_scores() -> dict[str, float]:
    return score_seed()
