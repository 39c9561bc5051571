"""Entity extraction: structural names, gazetteer names, and the score on the seed report."""

from __future__ import annotations


import pytest

from kg_build.document import EntityType
from kg_build.extract import extract
from kg_build.extract.entities import strip_quotes
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.pipeline import get_pipeline, run
from kg_build.extract.places import context_codes
from kg_build.reader import read_document
from kg_build.resources import bundled_reports_dir

PROVINCES = bundled_reports_dir()
SEED = PROVINCES / "huli-2026.txt"
HULI = ReportContext(region="湖里区", city="厦门市", province="福建省", level="district",
                     codes=context_codes("湖里区", "厦门市", "福建省"))
FUJIAN = ReportContext(region="福建省", province="福建省", level="province", codes=context_codes("福建省"))

P, C, I, PF, PL, O, E, G = (EntityType.PROJECT, EntityType.COMPANY, EntityType.INITIATIVE, EntityType.PLATFORM,
                            EntityType.PLACE, EntityType.ORGANIZATION, EntityType.EVENT, EntityType.GOVERNMENT_BODY)

FOUND = [
    ("推动厦航创新研发基地等114个项目的建设顺利开展", HULI, {(P, "厦航创新研发基地"), (C, "厦门航空")}),
    ("加快K11-SELECT、钟宅社区发展中心“星光荟”等商业项目开业", HULI, {(P, "K11-SELECT"), (P, "星光荟"), (PL, "钟宅社区")}),
    ("发挥亿联、文夔教育、鲸海拾贝等企业技术优势", HULI, {(C, "亿联网络"), (C, "文夔教育"), (C, "鲸海拾贝")}),
    ("实施“双攻坚”行动，推动", HULI, {(I, "双攻坚行动")}),
    ("实施招商引资质效提升年行动，计划", HULI, {(I, "招商引资质效提升年行动")}),
    ("抓好安全生产治本攻坚三年行动收官", HULI, {(I, "安全生产治本攻坚三年行动")}),
    ("全域推广城中村“大物业”管理模式，探索", HULI, {(I, "大物业管理模式")}),
    ("创新推出“百姓金点子”2.0，形成", HULI, {(I, "百姓金点子2.0")}),
    ("深入推进制造业“智改数转”，规模以上", HULI, {(I, "智改数转")}),
    ("依托“城市大脑”构建一网统管平台", HULI, {(PF, "城市大脑"), (PF, "一网统管平台")}),
    ("升级“亲清一家人”服务平台，拓展", HULI, {(PF, "亲清一家人服务平台")}),
    ("推动建设湖里社“三提升”项目，全域", HULI, {(P, "湖里社三提升项目")}),
    ("加快“湖里-连城山海协作产业园”建设运营", HULI, {(P, "湖里-连城山海协作产业园"), (PL, "连城县")}),
    ("实施东渡片区更新，推动", HULI, {(P, "东渡片区更新"), (PL, "东渡片区")}),
    ("推动打通兴隆路东段等6条“断头路”", HULI, {(P, "兴隆路东段")}),
    ("加快建设湖里体育公园、五缘体育文化中心。", HULI, {(P, "湖里体育公园"), (P, "五缘体育文化中心"), (PL, "湖里区")}),
    ("提升五缘文化交流促进会等平台作用", HULI, {(O, "五缘文化交流促进会")}),
    ("办好厦金同城生活圈论坛等活动", HULI, {(E, "厦金同城生活圈论坛")}),
    ("在区委的正确领导下，扎实抓好省委巡视", HULI, {(G, "湖里区委"), (G, "福建省委")}),
    ("自觉接受区人大依法监督和区政协民主监督", HULI, {(G, "湖里区人大"), (G, "湖里区政协")}),
    ("成功举办第八届数字中国建设峰会、世界互联网大会数字丝路发展论坛。", FUJIAN,
     {(E, "第八届数字中国建设峰会"), (E, "世界互联网大会数字丝路发展论坛")}),
    ("强化保护修复。建好武夷山国家公园，支持", FUJIAN, {(P, "武夷山国家公园")}),
    ("福州、厦门、泉州入选国家数据产业集聚区建设试点", FUJIAN, {(PL, "福州市"), (PL, "厦门市"), (PL, "泉州市")}),
]

NOT_FOUND = [
    ("新建口袋公园4个，新增改造绿地", HULI, "口袋公园"),
    ("启用3家社区卫生服务中心新址", HULI, "社区卫生服务中心"),
    ("支持商圈串珠成链、特色发展", HULI, "支持商圈"),
    ("依托总算力达6600P的闽宁双智算中心、城市大脑等平台，发挥", HULI, "城市大脑等平台"),
    ("构建城市基础设施生命线安全工程、智慧污水管理、智慧公园运营等一体化智能平台", HULI, "智慧公园运营"),
    ("加快完整社区示范项目建设", HULI, "完整社区示范项目"),
    ("以实际行动坚定拥护“两个确立”", HULI, "实际行动"),
    ("坚持以人民为中心的发展思想", HULI, "人民为中心"),
    ("牢固树立“过紧日子”思想，审计", HULI, "过紧日子"),
    ("数字政府服务能力连续3年获评“卓越级”，省政府", FUJIAN, "卓越级"),
    ("提升海湾生态品质", HULI, "提升海湾"),
    ("形成“群众点题—部门答题—纪委监督—社会评价”闭环", HULI, "群众点题—部门答题—纪委监督—社会评价"),
    ("推动行政和司法协同", FUJIAN, "政和县"),
]


@pytest.fixture(scope="module")
def nlp():
    return get_pipeline()


def _found(text: str, context: ReportContext) -> set[tuple[EntityType, str]]:
    return {(m.type, m.label) for m in run(text, context)._.policy_mentions}


@pytest.mark.parametrize(("text", "context", "expected"), FOUND)
def test_names_are_found(nlp, text, context, expected):
    found = _found(text, context)
    assert expected <= found, f"missing {expected - found}; found {found}"


@pytest.mark.parametrize(("text", "context", "label"), NOT_FOUND)
def test_generic_words_and_slogans_are_not_names(nlp, text, context, label):
    assert label not in {found for _, found in _found(text, context)}


@pytest.mark.parametrize("text", [row[0] for row in FOUND])
def test_mention_offsets_point_at_what_they_name(nlp, text):
    for mention in run(text, HULI)._.policy_mentions:
        written = strip_quotes(text[mention.span.begin : mention.span.end])
        assert written in {strip_quotes(mention.label), *(strip_quotes(a) for a in mention.aliases)}


@pytest.fixture(scope="module")
def seed():
    doc = read_document(SEED)
    return doc, extract(doc)


def test_seed_extracts_the_same_entities_again(nlp, seed):
    """Same input, same entities (how long extraction takes is measured in benchmarks/, not here)."""
    doc, first = seed
    again = extract(doc)
    assert [(e.key, sorted(e.alt_labels), e.mentions) for e in again.entities] == [
        (e.key, sorted(e.alt_labels), e.mentions) for e in first.entities
    ]


def test_seed_figures_come_from_plan_and_review_sections(seed):
    doc, extraction = seed
    assert extraction.figures
    plan = next(s for s in doc.sections if s.kind.value == "PlanSection")
    assert all(f.kind.value == "Target" for f in extraction.figures if plan.body.contains(f.span))


def test_seed_report_region_is_a_place_with_its_chain(seed):
    _, extraction = seed
    places = {e.label: e for e in extraction.entities if e.type is EntityType.PLACE}
    assert places["湖里区"].admin_code == "350206" and places["湖里区"].parent == "厦门市"
    assert places["福建省"].admin_code == "350000"


@pytest.mark.parametrize("name", ["hebei-2026", "guangdong-2026"])
def test_province_reports_extract_without_verb_led_names(nlp, name):
    doc = read_document(PROVINCES / f"{name}.txt")
    extraction = extract(doc)
    verbs = ("推动", "加快", "建设", "打造", "实施", "推进", "完成", "支持", "提升", "用好", "建好")
    led = [e.label for e in extraction.entities if e.type is not EntityType.INITIATIVE and e.label.startswith(verbs)]
    assert not led


# --- relative organs: 市委, 区政府 … are the report's own region's ----------------------------

BEIJING_CTX = ReportContext(region="北京市", province="北京市", level="province", codes=context_codes("北京市"))
SHANGHAI_CTX = ReportContext(region="上海市", province="上海市", level="province", codes=context_codes("上海市"))
NATION_CTX = ReportContext()

# (text, context, the organ as written, the body it is, or None when it names a class of bodies)
ORGANS = [
    ("在市委坚强领导下", BEIJING_CTX, "市委", "北京市委"),  # a municipality's 市 is the municipality
    ("在市委坚强领导下", SHANGHAI_CTX, "市委", "上海市委"),
    ("自觉接受市人大监督", SHANGHAI_CTX, "市人大", "上海市人大"),
    ("在市委的坚强领导下", HULI, "市委", "厦门市委"),  # a district's 市 is its city
    ("区政府各部门", HULI, "区政府", "湖里区人民政府"),
    ("省政府出台若干措施", FUJIAN, "省政府", "福建省人民政府"),
    ("推动市委统筹各方", FUJIAN, "市委", None),  # a province's 市委: every city's, not one body
    ("县政府部门制定公布权力清单", NATION_CTX, "县政府", None),
    ("区政府办公室", FUJIAN, "区政府", None),
    ("在市委坚强领导下", ReportContext(region="晋江市", city="泉州市", province="福建省", level="county",
                                    codes=context_codes("晋江市", "泉州市", "福建省")), "市委", "晋江市委"),
    ("在市委坚强领导下", ReportContext(region="泉州市", province="福建省", level="city",
                                    codes=context_codes("泉州市", "福建省")), "市委", "泉州市委"),
]


@pytest.mark.parametrize(("text", "context", "written", "expected"), ORGANS)
def test_relative_organs_resolve_to_the_reports_region(nlp, text, context, written, expected):
    begin = text.index(written)
    at = {m.label for m in run(text, context)._.policy_mentions
          if m.type is G and m.span.begin <= begin and begin + len(written) <= m.span.end}
    assert at == ({expected} if expected else set()), at


def test_the_same_relative_organ_of_two_regions_has_two_iris(nlp):
    from kg_build.model.iri import entity_iri

    iris = set()
    for context in (BEIJING_CTX, SHANGHAI_CTX):
        (body,) = [m for m in run("在市委坚强领导下", context)._.policy_mentions if m.type is G]
        assert "市委" in body.aliases
        iris.add(entity_iri(body.type.value, body.label))
    assert len(iris) == 2


# --- category nouns and slogans are not named entities ------------------------------------------

ZHEJIANG_CTX = ReportContext(region="浙江省", province="浙江省", level="province", codes=context_codes("浙江省"))

# (text, context, a label that must not be an entity)
CATEGORY_NOUNS = [
    ("支持社区卫生服务中心开展家庭医生签约", ZHEJIANG_CTX, "社区卫生服务中心"),
    ("中等职业学校免学费政策全面落实", NATION_CTX, "中等职业学校"),
    ("推进中职学校与高职院校贯通培养", ZHEJIANG_CTX, "中职学校"),
    ("改善乡镇寄宿制学校办学条件", NATION_CTX, "乡镇寄宿制学校"),
    ("加快现代农业产业园建设", ZHEJIANG_CTX, "现代农业产业园"),
    ("布局一批技术创新中心", NATION_CTX, "技术创新中心"),
    ("推动行业协会商会改革发展", ZHEJIANG_CTX, "行业协会商会"),
    ("完善城市排水防涝工程体系", ZHEJIANG_CTX, "城市排水防涝工程"),
    ("加快金融资产管理公司改革", NATION_CTX, "金融资产管理公司"),
    ("城镇保障性安居工程新开工", NATION_CTX, "性安居工程"),  # the name would start inside 保障性
    ("出席联合国系列峰会", NATION_CTX, "国系列峰会"),
    ("坚决不搞“形象工程”、“政绩工程”", ZHEJIANG_CTX, "形象工程"),
    ("坚决不搞“形象工程”、“政绩工程”", ZHEJIANG_CTX, "政绩工程"),
    ("防止“面子工程”", ZHEJIANG_CTX, "面子工程"),
    ("综合整治“内卷式”竞争", ZHEJIANG_CTX, "内卷式"),
    ("警惕“躺平式”干部", ZHEJIANG_CTX, "躺平式"),
    ("“逆全球化”思潮抬头", NATION_CTX, "逆全球化"),
    ("组建能源、数据、城市更新等一批企业", ZHEJIANG_CTX, "城市更新"),  # fields, not companies
    ("支持杭州、宁波、温州、金华等企业出海", ZHEJIANG_CTX, "金华"),  # cities, not companies
    ("支持杭州、宁波、温州、金华等企业出海", ZHEJIANG_CTX, "宁波"),
    ("我们成功举行中非合作论坛峰会", NATION_CTX, "举行中非合作论坛峰会"),  # a verb is no part of a name
    ("以市场化方式妥善解决融资平台到期债务问题", NATION_CTX, "妥善解决融资平台"),
    ("建成白鹅潭大湾区艺术中心", ReportContext(codes=context_codes("广东省"), province="广东省"), "白鹅潭大湾区"),
]

# the same heads with a distinguishing modifier stay names
NAMED = [
    ("加快建设忠仑科创产业园", HULI, (P, "忠仑科创产业园")),
    ("建设浙江大学国际校区", ZHEJIANG_CTX, (O, "浙江大学")),
    ("完成区公共卫生综合楼改扩建", HULI, (P, "区公共卫生综合楼")),  # the report's own district's building
    ("用好大湾区国家技术创新中心", ReportContext(codes=context_codes("广东省"), province="广东省"),
     (P, "大湾区国家技术创新中心")),
    ("实施“两重”工程", ZHEJIANG_CTX, (I, "两重工程")),
    ("实施职业技能提升行动", NATION_CTX, (I, "职业技能提升行动")),  # campaigns are often named in plain words
    ("发挥蜜雪冰城、锅圈食汇等企业带动作用", HULI, (C, "蜜雪冰城")),
    ("我们成功举行中非合作论坛峰会", NATION_CTX, (E, "中非合作论坛峰会")),
    ("支持保定国家数据标注基地发展", ReportContext(codes=context_codes("河北省"), province="河北省"),
     (P, "保定国家数据标注基地")),  # 保定 is a city here, not a verb
]


@pytest.mark.parametrize(("text", "context", "label"), CATEGORY_NOUNS)
def test_category_nouns_and_slogans_are_not_entities(nlp, text, context, label):
    found = {(kind, name) for kind, name in _found(text, context) if kind is not PL}
    assert label not in {name for _, name in found}, found


@pytest.mark.parametrize(("text", "context", "expected"), NAMED)
def test_category_heads_with_a_distinguishing_modifier_are_names(nlp, text, context, expected):
    assert expected in _found(text, context)
