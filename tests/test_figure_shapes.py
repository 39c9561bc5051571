"""Figures of more than one number or year: ranges, 分别 lists, baselines, multi-year periods; and label tidying.

Each table is (text → what the statements must say); the last test builds a small synthetic report
into an on-disk store and reads the same shapes back through SPARQL.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kg_build.build import build, sidecar_of
from kg_build.document import Comparator, Figure, FigureKind, Span
from kg_build.extract.figures import FigureRegion, find_figures
from kg_build.extract.indicators import tidy_label
from kg_build.extract.periods import Period, heading_period, plan_years
from kg_build.extract.respective import split_subjects
from kg_build.store import LocalStore

EQUAL, ABOUT, AT_LEAST, MORE, BETWEEN = (
    Comparator.EQUAL,
    Comparator.ABOUT,
    Comparator.AT_LEAST,
    Comparator.MORE_THAN,
    Comparator.BETWEEN,
)
TARGET, ACHIEVEMENT, BASELINE = FigureKind.TARGET, FigureKind.ACHIEVEMENT, FigureKind.BASELINE


def figures_of(text: str, *, kind: FigureKind = TARGET, year: int | None = 2026) -> list[Figure]:
    return find_figures(text, regions=[FigureRegion(Span(0, len(text)), kind, year)])


# --- ranges: (text, value, upper, unit, indicator) -----------------------------------------

RANGES = [
    ("地区生产总值增长5%—5.5%。", "5", "5.5", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长5%——5.5%。", "5", "5.5", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长5.5%~6%。", "5.5", "6", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长4.5%至5%。", "4.5", "5", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长4.5-5%。", "4.5", "5", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长5%到5.5%。", "5", "5.5", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长6.5%－7%，", "6.5", "7", "unit:PERCENT", "地区生产总值增长"),
    ("地区生产总值增长6%～6.5%左右。", "6", "6.5", "unit:PERCENT", "地区生产总值增长"),
    ("经济增长百分之五到百分之五点五。", "5", "5.5", "unit:PERCENT", "经济增长"),
    ("节约标准煤700万到800万吨。", "7000000", "8000000", "unit:TONNE", "节约标准煤"),
    ("城镇新增就业3—5万人。", "30000", "50000", "unit:NUM", "城镇新增就业"),
    ("经济增长百分之五至五点五。", "5", "5.5", "unit:PERCENT", "经济增长"),
    ("研发投入强度提高一到两个百分点。", "1", "2", "pol:PercentagePoint", "研发投入强度提高"),
    ("实际使用外资8000亿至1万亿元。", "800000000000", "1000000000000", "cur:CNY", "实际使用外资"),
]


@pytest.mark.parametrize(("text", "value", "upper", "unit", "indicator"), RANGES)
def test_a_range_is_between_its_two_ends(text: str, value: str, upper: str, unit: str, indicator: str) -> None:
    [figure] = figures_of(text)
    assert (figure.comparator, figure.value, figure.upper, figure.unit, figure.indicator) == (
        BETWEEN, Decimal(value), Decimal(upper), unit, indicator
    )


GROUPED_NUMBERS = [  # (text, surface, value, comparator): one number written in two groups, or a range closed by 之间
    ("高速铁路运营里程2万5千公里。", "2万5千公里", "25000", EQUAL),
    ("日均新设企业1万6千多户。", "1万6千多户", "16000", MORE),
    ("出境旅游达到1亿3千多万人次。", "1亿3千多万人次", "130000000", MORE),
    ("一般公共预算收入增长3%—4%之间。", "3%—4%之间", "3", BETWEEN),
]


@pytest.mark.parametrize(("text", "surface", "value", "comparator"), GROUPED_NUMBERS)
def test_numbers_in_two_groups_and_closed_ranges(text: str, surface: str, value: str, comparator: Comparator) -> None:
    [figure] = figures_of(text)
    assert (figure.surface, figure.value, figure.comparator) == (surface, Decimal(value), comparator)


NOT_RANGES = [  # a change from one number to another is no range, nor is an idiom
    ("赤字率从3%到4%。", ["3%", "4%"]),
    ("增长率由百分之五到百分之六。", ["百分之五", "百分之六"]),
    ("推进三至五个方面的工作。", []),
]


@pytest.mark.parametrize(("text", "surfaces"), NOT_RANGES)
def test_a_change_from_one_number_to_another_is_no_range(text: str, surfaces: list[str]) -> None:
    figures = figures_of(text)
    assert [f.surface for f in figures] == surfaces
    assert all(f.upper is None and f.comparator is not BETWEEN for f in figures)


# --- counts with no measure word, and measure words that count only at a clause end ----------

BARE_COUNTS = [  # (text, surface, value, comparator, kind, indicator)
    ("帮助5000万以上城乡居民稳定增收。", "5000万以上", "50000000", AT_LEAST, TARGET, "城乡居民"),
    ("今年为120万困难群众发放救助金。", "120万", "1200000", EQUAL, TARGET, "困难群众"),
    ("惠及约3000万职工。", "约3000万", "30000000", ABOUT, TARGET, "职工"),
    ("让剩余10多万无房家庭住有所居。", "10多万", "100000", MORE, TARGET, "无房家庭"),
    ("农村低收入人口减少500万以上，居民收入稳步增长。", "500万以上", "5000000", AT_LEAST, TARGET, "农村低收入人口减少"),
    ("为2亿多农村人口改善供水。", "2亿多", "200000000", MORE, TARGET, "农村人口"),
    ("覆盖近500万低保人员。", "近500万", "5000000", ABOUT, TARGET, "低保人员"),
    ("我国有14亿人口。", "14亿", "1400000000", EQUAL, ACHIEVEMENT, "人口"),
    ("再转移农业人口800万左右。", "800万左右", "8000000", ABOUT, TARGET, "转移农业人口"),
    ("我省65岁以上人口已达1.2亿。", "1.2亿", "120000000", EQUAL, ACHIEVEMENT, "我省65岁以上人口"),
    ("全国有9亿人口、7亿劳动力。", "9亿", "900000000", EQUAL, ACHIEVEMENT, "人口"),
    ("全年开行班列2000列以上。", "2000列以上", "2000", AT_LEAST, TARGET, "开行班列"),
    ("开设职业技能课程300门。", "300门", "300", EQUAL, TARGET, "开设职业技能课程"),
    ("举办创业培训班5000期。", "5000期", "5000", EQUAL, TARGET, "创业培训班"),
]


@pytest.mark.parametrize(("text", "surface", "value", "comparator", "kind", "indicator"), BARE_COUNTS)
def test_counts_without_a_measure_word(
    text: str, surface: str, value: str, comparator: Comparator, kind: FigureKind, indicator: str
) -> None:
    figure = figures_of(text)[0]
    assert (figure.surface, figure.value, figure.unit, figure.comparator, figure.kind, figure.indicator) == (
        surface, Decimal(value), "unit:NUM", comparator, kind, indicator
    )


AGES = [  # (text, surfaces with comparators): an age counts at a clause end or as the age a policy starts at
    ("推行托育补贴、满2岁即可入托等措施。", [("满2岁", AT_LEAST)]),
    ("人均预期寿命达到81岁。", [("81岁", EQUAL)]),
    ("新增3岁以下婴幼儿托位1万个。", [("1万个", EQUAL)]),
]


@pytest.mark.parametrize(("text", "expected"), AGES)
def test_ages_as_figures(text: str, expected: list[tuple[str, Comparator]]) -> None:
    assert [(f.surface, f.comparator) for f in figures_of(text)] == expected


NOT_COUNTS = [  # (text, surfaces): a bare 万/亿 with no people or things named, a count that describes, a word start
    ("地区生产总值迈上5万亿新台阶。", []),
    ("全市投资1.2万亿，增长5%。", ["5%"]),
    ("守护好近9亿农民的饭碗。", []),
    ("把3个门类纳入目录。", []),
    ("100列入计划的项目开工。", []),
    ("二期工程开工建设。", []),
]


@pytest.mark.parametrize(("text", "surfaces"), NOT_COUNTS)
def test_numbers_that_are_no_counts(text: str, surfaces: list[str]) -> None:
    assert [f.surface for f in figures_of(text)] == surfaces


# --- 分别 lists: (text, [(indicator, value, comparator)]) -----------------------------------

RESPECTIVE = [
    (
        "城乡居民收入分别增长6%、6.5%左右。",
        [("城镇居民收入增长", "6", ABOUT), ("农村居民收入增长", "6.5", ABOUT)],
    ),
    (
        "城镇和农村居民人均可支配收入分别增长4.3%、5.5%，",
        [("城镇居民人均可支配收入增长", "4.3", EQUAL), ("农村居民人均可支配收入增长", "5.5", EQUAL)],
    ),
    (
        "城乡居民人均可支配收入分别增长4.4%、5.6%。",
        [("城镇居民人均可支配收入增长", "4.4", EQUAL), ("农村居民人均可支配收入增长", "5.6", EQUAL)],
    ),
    (
        "城镇和农村居民人均可支配收入分别超过8万元、4.5万元，",
        [("城镇居民人均可支配收入", "80000", MORE), ("农村居民人均可支配收入", "45000", MORE)],
    ),
    (
        "氮氧化物和二氧化硫排放量要分别减少3%左右和5%左右。",
        [("氮氧化物排放量减少", "3", ABOUT), ("二氧化硫排放量减少", "5", ABOUT)],
    ),
    (
        "生产安全事故起数和死亡人数分别下降49.9%、45%，",
        [("生产安全事故起数下降", "49.9", EQUAL), ("死亡人数下降", "45", EQUAL)],
    ),
    (
        "金融业、软件和信息服务业增加值分别增长9.7%、15.3%。",
        [("金融业增加值增长", "9.7", EQUAL), ("软件和信息服务业增加值增长", "15.3", EQUAL)],
    ),
    (
        "城镇和农村居民人均可支配收入分别比上年增长5%、6%。",
        [("城镇居民人均可支配收入增长", "5", EQUAL), ("农村居民人均可支配收入增长", "6", EQUAL)],
    ),
    (
        "适龄儿童入园率和普惠率分别达96%和94%。",
        [("适龄儿童入园率", "96", EQUAL), ("普惠率", "94", EQUAL)],
    ),
    (
        "粮食、棉花和油料产量分别达到6亿吨、500万吨、3000万吨以上。",
        [("粮食产量", "600000000", AT_LEAST), ("棉花产量", "5000000", AT_LEAST), ("油料产量", "30000000", AT_LEAST)],
    ),
    (  # a second 分别 in the same sentence reuses the subjects of the first
        "机场旅客和货邮吞吐量分别达到1.35亿人次、453.8万吨，分别增长8.3%、7.9%。",
        [
            ("机场旅客吞吐量", "135000000", EQUAL),
            ("货邮吞吐量", "4538000", EQUAL),
            ("机场旅客吞吐量增长", "8.3", EQUAL),
            ("货邮吞吐量增长", "7.9", EQUAL),
        ],
    ),
    (  # 分别 with no subject of its own: the figures before it in the sentence name the items
        "接待国内游客4.16亿人次、入境游客936万人次，分别增长6.7%、39.6%。",
        [
            ("接待国内游客", "416000000", EQUAL),
            ("入境游客", "9360000", EQUAL),
            ("接待国内游客增长", "6.7", EQUAL),
            ("入境游客增长", "39.6", EQUAL),
        ],
    ),
    (
        "规上工业增加值1.2万亿元、服务业增加值2万亿元，分别增长6%、5%。",
        [
            ("规上工业增加值", "1200000000000", EQUAL),
            ("服务业增加值", "2000000000000", EQUAL),
            ("规上工业增加值增长", "6", EQUAL),
            ("服务业增加值增长", "5", EQUAL),
        ],
    ),
    (  # the first number takes its unit and magnitude from the second
        "城镇和农村新增就业分别为30和20万人。",
        [("城镇新增就业", "300000", EQUAL), ("农村新增就业", "200000", EQUAL)],
    ),
    (
        "两项贷款增速分别高4.2和0.7个百分点。",
        [("两项贷款增速高", "4.2", EQUAL), ("两项贷款增速高", "0.7", EQUAL)],
    ),
    (
        "城镇居民、农村居民人均可支配收入分别增长4.5%、5.7%，",
        [("城镇居民人均可支配收入增长", "4.5", EQUAL), ("农村居民人均可支配收入增长", "5.7", EQUAL)],
    ),
    (
        "广州、深圳地铁线网单日最高客运量分别达1409万、1305万人次。",
        [("广州地铁线网单日最高客运量", "14090000", EQUAL), ("深圳地铁线网单日最高客运量", "13050000", EQUAL)],
    ),
    (
        "对非洲、拉美市场出口分别增长20%、7.6%。",
        [("对非洲增长", "20", EQUAL), ("拉美市场出口增长", "7.6", EQUAL)],
    ),
    (  # subjects that do not pair with the numbers: one statement each, 分别 dropped from the wording
        "二氧化硫、氮氧化物排放量分别下降3%。",
        [("二氧化硫、氮氧化物排放量下降", "3", EQUAL)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), RESPECTIVE)
def test_a_respective_list_gives_one_statement_per_item(text: str, expected: list[tuple[str, str, Comparator]]) -> None:
    got = [(f.indicator, f.value, f.comparator) for f in figures_of(text, kind=ACHIEVEMENT, year=2025)]
    assert got == [(i, Decimal(v), c) for i, v, c in expected]


SUBJECTS = [
    ("城镇和农村居民人均可支配收入", 2, ["城镇居民人均可支配收入", "农村居民人均可支配收入"]),
    ("城乡居民收入", 2, ["城镇居民收入", "农村居民收入"]),
    ("城市低保、农村低保标准", 2, ["城市低保标准", "农村低保标准"]),
    ("食品、药品抽检合格率", 2, ["食品抽检合格率", "药品抽检合格率"]),
    ("战略性新兴产业、高新技术产业增加值", 2, ["战略性新兴产业增加值", "高新技术产业增加值"]),
    ("营业总收入、利润总额", 2, ["营业总收入", "利润总额"]),
    ("城镇居民、农村居民人均可支配收入", 2, ["城镇居民人均可支配收入", "农村居民人均可支配收入"]),
    ("金融业、软件和信息服务业增加值", 2, ["金融业增加值", "软件和信息服务业增加值"]),
    ("单位地区生产总值能耗、主要污染物排放强度", 2, ["单位地区生产总值能耗", "主要污染物排放强度"]),
    ("刑事治安、涉诈、涉毒警情", 3, ["刑事治安", "涉诈警情", "涉毒警情"]),
    ("先进制造业、高技术制造业增加值占规模以上工业增加值比重", 2,
     ["先进制造业增加值占规模以上工业增加值比重", "高技术制造业增加值占规模以上工业增加值比重"]),
    ("生猪、家禽年出栏量", 2, ["生猪年出栏量", "家禽年出栏量"]),
    ("对非洲、拉美市场出口", 2, ["对非洲", "拉美市场出口"]),
    ("城乡居民收入", 3, None),
    ("地区生产总值", 2, None),
]


@pytest.mark.parametrize(("subject", "count", "expected"), SUBJECTS)
def test_subjects_of_a_respective_list(subject: str, count: int, expected: list[str] | None) -> None:
    assert split_subjects(subject, count) == expected


# --- baselines: (text, [(kind, value, year, indicator)]) in a 2025 review ----------------------

BASELINES = [
    ("城镇老旧小区从174万户增加到235万户。", [(BASELINE, "1740000", 2024, "城镇老旧小区"), (ACHIEVEMENT, "2350000", 2025, "城镇老旧小区")]),
    ("中小学由71所整合为47所。", [(BASELINE, "71", 2024, "中小学"), (ACHIEVEMENT, "47", 2025, "中小学")]),
    ("赤字率从去年的2.1%提高到2.3%。", [(BASELINE, "2.1", 2024, "赤字率"), (ACHIEVEMENT, "2.3", 2025, "赤字率")]),
    (
        "全省生产总值从2020年的3.68万亿元增长到2025年的4.93万亿元。",
        [(BASELINE, "3680000000000", 2020, "全省生产总值"), (ACHIEVEMENT, "4930000000000", 2025, "全省生产总值")],
    ),
    ("人均预期寿命从80.2岁提升至82.5岁。", [(BASELINE, "80.2", 2024, "人均预期寿命"), (ACHIEVEMENT, "82.5", 2025, "人均预期寿命")]),
    (
        "基本建设投资中生产性投资的比重，由上年的74.3%提高到83.7%。",
        [(BASELINE, "74.3", 2024, "基本建设投资中生产性投资的比重"), (ACHIEVEMENT, "83.7", 2025, "基本建设投资中生产性投资的比重")],
    ),
    (
        "跨国公司地区总部和外资研发中心分别从771家、481家增加到1076家、636家。",
        [
            (BASELINE, "771", 2024, "跨国公司地区总部"),
            (BASELINE, "481", 2024, "外资研发中心"),
            (ACHIEVEMENT, "1076", 2025, "跨国公司地区总部"),
            (ACHIEVEMENT, "636", 2025, "外资研发中心"),
        ],
    ),
    (  # a change over five years starts the year before them
        "过去五年，城镇化率从52.6%提高到58.5%。",
        [(BASELINE, "52.6", 2020, "城镇化率"), (ACHIEVEMENT, "58.5", 2025, "城镇化率")],
    ),
    ("森林覆盖率从“十三五”末的60%提高到62%。", [(BASELINE, "60", 2020, "森林覆盖率"), (ACHIEVEMENT, "62", 2025, "森林覆盖率")]),
    (
        "航运中心发展指数从全球第11位跃升至第7位。",
        [(BASELINE, "11", 2024, "航运中心发展指数全球排名"), (ACHIEVEMENT, "7", 2025, "航运中心发展指数排名")],
    ),
    ("从业人员达到300万人。", [(ACHIEVEMENT, "3000000", 2025, "从业人员")]),
    ("由于改革深化，营业收入增长8%。", [(ACHIEVEMENT, "8", 2025, "营业收入增长")]),
]


@pytest.mark.parametrize(("text", "expected"), BASELINES)
def test_the_start_of_a_change_is_a_baseline_never_a_result(text: str, expected: list[tuple]) -> None:
    got = [(f.kind, f.value, f.year, f.indicator) for f in figures_of(text, kind=ACHIEVEMENT, year=2025)]
    assert got == [(k, Decimal(v), y, i) for k, v, y, i in expected]


# --- periods: (heading, year of the region, text, [(period_start, year)]) ------------------------

PERIODS = [
    ("2025年工作回顾", 2025, "过去五年，国内生产总值年均增长5.5%。", [(2021, 2025)]),
    ("2025年工作回顾", 2025, "五年来，我们累计新增城镇就业600万人。", [(2021, 2025)]),
    ("2025年工作回顾", 2025, "“十四五”时期，全省生产总值年均增长5.6%。", [(2021, 2025)]),
    ("2025年工作回顾", 2025, "2021—2025年累计完成投资3万亿元。", [(2021, 2025)]),
    ("2025年工作回顾", 2025, "近三年新增高新技术企业1200家。", [(2023, 2025)]),
    ("2025年工作回顾", 2025, "“十三五”时期，城镇新增就业5000万人。", [(2016, 2020)]),
    ("2025年工作回顾", 2025, "单位地区生产总值能耗比2020年下降13.5%。", [(2021, 2025)]),
    ("2025年工作回顾", 2025, "全省生产总值增长5.5%，“十四五”规划圆满收官。", [(None, 2025)]),
    ("2025年工作回顾", 2025, "细颗粒物年均浓度27微克/立方米，比上年下降5%。", [(None, 2025), (None, 2025)]),
    ("2025年工作回顾", 2025, "这个比重，2023年为17.4%，2024年达到27%。", [(None, 2023), (None, 2024)]),
    ("2025年工作回顾", 2025, "部署面向2030年的重大项目，新设6个示范区。", [(None, 2025)]),
    ("2026年重点工作", 2026, "到2027年，常住人口城镇化率达到76%。", [(None, 2027)]),
    ("2026年重点工作", 2026, "在2025年基础上，城镇新增就业50万人。", [(None, 2026)]),
    ("“十四五”时期经济社会发展回顾", 2025, "全省生产总值年均增长5.6%，新增城镇就业450万人。", [(2021, 2025), (2021, 2025)]),
    ("“十四五”时期经济社会发展回顾", 2025, "2025年，全省生产总值增长5.4%。", [(None, 2025)]),
    ("“十四五”时期和2025年工作回顾", 2025, "全省生产总值增长5.4%，居民收入年均增长6%。", [(None, 2025), (2021, 2025)]),
    ("过去五年工作回顾", 2017, "国内生产总值从54万亿元增加到82.7万亿元。", [(None, 2012), (2013, 2017)]),
]


@pytest.mark.parametrize(("heading", "year", "text", "expected"), PERIODS)
def test_a_figure_over_several_years_starts_its_period(heading: str, year: int, text: str, expected: list[tuple]) -> None:
    report = f"{heading}\n{text}"
    figures = find_figures(report, regions=[FigureRegion(Span(0, len(report)), ACHIEVEMENT, year)])
    assert [(f.period_start, f.year) for f in figures] == expected


PLANS = [("十四五", Period(2021, 2025)), ("十五五", Period(2026, 2030)), ("十三五", Period(2016, 2020)),
         ("九五", Period(1996, 2000)), ("一五", None)]


@pytest.mark.parametrize(("name", "expected"), PLANS)
def test_the_years_of_a_five_year_plan(name: str, expected: Period | None) -> None:
    assert plan_years(name) == expected


HEADINGS = [
    ("过去五年工作回顾", 2017, (Period(2013, 2017), True)),
    ("“十四五”时期和2025年工作回顾", 2025, (Period(2021, 2025), False)),
    ("2025年工作回顾", 2025, (None, False)),
]


@pytest.mark.parametrize(("heading", "year", "expected"), HEADINGS)
def test_a_heading_names_a_period_alone_or_beside_a_year(heading: str, year: int, expected: tuple) -> None:
    assert heading_period(heading, year) == expected


# --- labels: (label as read, label kept or None) ------------------------------------------------

LABELS = [
    ("十是推动城乡融合发展", "推动城乡融合发展"),
    ("三是将行政事业性收费", "行政事业性收费"),
    ("一是新建绿道", "新建绿道"),
    ("其二城市更新项目", "城市更新项目"),
    ("为企业减负", "企业减负"),
    ("为民办实事项目", "为民办实事项目"),
    ("城镇和农村居民人均可支配收入分别增长", "城镇和农村居民人均可支配收入增长"),
    ("改造", "改造"),
    ("为", None),
    ("县", None),
    ("将", None),
    ("增长", None),
    ("达到", None),
    ("力争", None),
    ("十是", None),
    ("固定资产投资", "固定资产投资"),
    ("有效投资", "有效投资"),
    ("在浙就业省外劳动力", "在浙就业省外劳动力"),
]


@pytest.mark.parametrize(("label", "expected"), LABELS)
def test_labels_are_noun_phrases_or_nothing(label: str, expected: str | None) -> None:
    assert tidy_label(label) == expected


READ_LABELS = [  # (text, indicator of its one figure)
    ("全市生产总值增长5%左右。", "全市生产总值增长"),  # the report's own wording, region word and all
    ("全省地区生产总值增长5%左右。", "地区生产总值增长"),  # … unless 地区 already says it
    ("三是将行政事业性收费减少18项。", "行政事业性收费减少"),
    ("十是新建农村卫生厕所3.2万户。", "新建农村卫生厕所"),
    ("累计达到1100座。", None),
    ("再开工重大水利工程15项。", "开工重大水利工程"),
    ("再生资源回收量500万吨。", "再生资源回收量"),
    ("再完成棚户区住房改造600万套。", "棚户区住房改造"),
    ("6.5%左右。", None),
    ("有6.5%-7%。", None),
]


@pytest.mark.parametrize(("text", "expected"), READ_LABELS)
def test_an_indicator_is_left_out_rather_than_invented(text: str, expected: str | None) -> None:
    [figure] = figures_of(text)
    assert figure.indicator == expected


CHANGES_OF_THE_FIGURE_BEFORE = [  # (text, indicators): 比上年… names a change of what the figure before measures
    ("粮食产量6.07亿吨，比上年增加120亿斤。", ["粮食产量", "粮食产量增加"]),
    ("棉纱产量286.5万吨，比1980年预计增加9万吨；", ["棉纱产量", "棉纱产量增加"]),
    ("居民消费价格上涨2%，比上年同期回落0.5个百分点。", ["居民消费价格上涨", "居民消费价格回落"]),
    ("2024年重工业总产值比上年增长7.7%，今年上半年又比去年同期增长6%。", ["重工业总产值增长", "重工业总产值增长"]),
]


@pytest.mark.parametrize(("text", "expected"), CHANGES_OF_THE_FIGURE_BEFORE)
def test_a_comparison_with_last_year_names_the_change_of_the_figure_before(text: str, expected: list[str]) -> None:
    assert [f.indicator for f in figures_of(text, kind=ACHIEVEMENT, year=2025)] == expected


# --- a built report ----------------------------------------------------------------------------

REPORT = """示例区2026年政府工作报告
一、2025年和“十四五”时期工作回顾
过去一年，地区生产总值增长5.2%。城乡居民人均可支配收入分别增长4.4%、5.6%左右。
五年来，全区生产总值年均增长5.8%，上市公司从18家增加到31家。
二、2026年工作安排
今年经济社会发展的主要预期目标是：地区生产总值增长5%—5.5%，城镇调查失业率5.5%以内。
一是新建口袋公园4个。
"""

PREFIXES = "PREFIX pol: <https://w3id.org/policy-kg/def#> PREFIX qudt: <http://qudt.org/schema/qudt/> " \
           "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "

STORED = """SELECT ?surface ?kind ?label ?value ?upper ?cmp ?year ?start WHERE {
  ?st a pol:QuantifiedStatement , ?kind ; pol:surfaceForm ?surface ; qudt:numericValue ?value ;
      pol:comparator ?cmp ; pol:refYear ?year .
  VALUES ?kind { pol:Target pol:Achievement pol:Baseline }
  OPTIONAL { ?st pol:indicator/skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), "zh-Hans")) }
  OPTIONAL { ?st pol:upperBound ?upper } OPTIONAL { ?st pol:periodStart ?start }
}"""

EXPECTED_STORED = [  # (surface, kind, indicator, value, upper, comparator, refYear, periodStart)
    ("5.2%", "Achievement", "地区生产总值增长", "5.2", None, "Equal", "2025", None),
    ("4.4%", "Achievement", "城镇居民人均可支配收入增长", "4.4", None, "About", "2025", None),
    ("5.6%左右", "Achievement", "农村居民人均可支配收入增长", "5.6", None, "About", "2025", None),
    ("5.8%", "Achievement", "全区生产总值年均增长", "5.8", None, "Equal", "2025", "2021"),
    ("18家", "Baseline", "上市公司", "18", None, "Equal", "2020", None),
    ("31家", "Achievement", "上市公司", "31", None, "Equal", "2025", "2021"),
    ("5%—5.5%", "Target", "地区生产总值增长", "5", "5.5", "Between", "2026", None),
    ("5.5%以内", "Target", "城镇调查失业率", "5.5", None, "AtMost", "2026", None),
    ("4个", "Target", "新建口袋公园", "4", None, "Equal", "2026", None),
]


def test_a_built_report_stores_ranges_lists_baselines_and_periods(tmp_path: Path) -> None:
    source = tmp_path / "shili-2026.txt"
    source.write_text(REPORT, encoding="utf-8")
    meta = {"id": "shili-2026", "region": "示例区", "plan_year": 2026, "review_year": 2025}
    sidecar_of(source).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    store = LocalStore(tmp_path / "store")
    build([source], store=store)
    rows = store.query(PREFIXES + STORED).rows
    got = sorted(
        (
            str(surface),
            str(kind).rsplit("#", 1)[-1],
            str(label) if label is not None else None,
            str(value),
            str(upper) if upper is not None else None,
            str(cmp).rsplit("#", 1)[-1],
            str(year),
            str(start) if start is not None else None,
        )
        for surface, kind, label, value, upper, cmp, year, start in rows
    )
    assert got == sorted(EXPECTED_STORED)
