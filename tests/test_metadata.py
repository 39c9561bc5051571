"""Report metadata: sidecar, header lines, file name; report ids and region slugs."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from kg_build.errors import InputError
from kg_build.metadata import read_meta, slugify_name
from kg_build.normalize import normalize, read_text
from kg_build.resources import bundled_reports_dir

SEED = bundled_reports_dir() / "huli-2026.txt"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="the bundled seed report is not there")

BEIJING = (
    "2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n来源：北京日报\n"
    "时间：2026-02-02\n北京市市长 殷勇\n殷勇同志作政府工作报告。本报记者 戴冰摄\n各位代表：\n现在，我代表北京市人民政府……"
)
GUANGDONG = "政府工作报告\n——2026年1月26日在广东省第十四届\n人民代表大会第五次会议上\n广东省省长 孟凡利\n各位代表："
SICHUAN = (
    "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n"
    "2026年2月3日在四川省第十四届人民代表大会第五次会议上\n四川省人民政府省长 施小琳\n各位代表："
)
SHANGHAI = "2026年上海市政府工作报告\n来源：解放日报\n上海市市长 龚 正\n各位代表："
DISTRICT = "湖里区政府工作报告\n2025年12月20日在厦门市湖里区第九届人民代表大会第六次会议上\n湖里区人民政府区长 张三\n各位代表："
BYLINE = "2026展望\n抓有效投资。推动项目建设。\n规范征收领域行政协调。(厦门日报 记者:陆晓凤 庄筱婧)"


def _write(folder: Path, name: str, text: str, sidecar: object | None = None) -> Path:
    """A report file (and its sidecar, when given) in a folder."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        raw = sidecar if isinstance(sidecar, str) else json.dumps(sidecar, ensure_ascii=False)
        (folder / (path.stem + ".meta.json")).write_text(raw, encoding="utf-8")
    return path


def _meta(folder: Path, name: str, text: str, sidecar: object | None = None):  # type: ignore[no-untyped-def]
    path = _write(folder, name, text, sidecar)
    return read_meta(path, normalize(text))


# --- header lines --------------------------------------------------------------------------

HEADERS = [
    (
        BEIJING,
        {
            "title": "2026年北京市政府工作报告",
            "region": "北京市",
            "level": "province",
            "plan_year": 2026,
            "review_year": 2025,
            "meeting": "北京市第十六届人民代表大会第四次会议",
            "speaker": "殷勇",
            "publisher": "北京日报",
            "published": "2026-02-02",
        },
    ),
    (
        GUANGDONG,
        {
            "title": "政府工作报告",
            "region": "广东省",
            "plan_year": 2026,
            "meeting": "广东省第十四届人民代表大会第五次会议",
            "speaker": "孟凡利",
            "published": "2026-01-26",
        },
    ),
    (SICHUAN, {"region": "四川省", "publisher": "四川日报", "published": "2026-02-10", "speaker": "施小琳"}),
    (SHANGHAI, {"region": "上海市", "speaker": "龚正", "publisher": "解放日报", "plan_year": 2026}),
    (
        DISTRICT,
        {"region": "湖里区", "city": "厦门市", "level": "district", "plan_year": 2026, "review_year": 2025, "speaker": "张三"},
    ),
    (BYLINE, {"publisher": "厦门日报", "authors": ("陆晓凤", "庄筱婧"), "region": None, "title": None}),
]


@pytest.mark.parametrize(("text", "expected"), HEADERS, ids=["beijing", "guangdong", "sichuan", "shanghai", "district", "byline"])
def test_header_lines_give_metadata(tmp_path: Path, text: str, expected: dict[str, object]) -> None:
    meta = _meta(tmp_path, "report.txt", text)
    assert {key: getattr(meta, key) for key in expected} == expected
    assert meta.report_id == "report"  # no sidecar: the file-name stem
    assert meta.warnings == ()


# --- sidecars ------------------------------------------------------------------------------

SEED_SIDECAR = {
    "region": "湖里区",
    "city": "厦门市",
    "province": "福建省",
    "level": "district",
    "plan_year": 2026,
    "review_year": 2025,
    "title": "湖里区政府工作报告（摘要）",
    "publisher": "厦门日报",
    "authors": ["陆晓凤", "庄筱婧"],
    "published": "2025-12-25",
    "notes": "silently accepted",
}


def test_sidecar_gives_every_field(tmp_path: Path) -> None:
    meta = _meta(tmp_path, "any-name.txt", BYLINE, SEED_SIDECAR)
    assert meta.report_id == "huli-2026"
    assert (meta.region, meta.city, meta.province, meta.level) == ("湖里区", "厦门市", "福建省", "district")
    assert (meta.plan_year, meta.review_year, meta.published) == (2026, 2025, "2025-12-25")
    assert (meta.title, meta.publisher, meta.authors) == ("湖里区政府工作报告（摘要）", "厦门日报", ("陆晓凤", "庄筱婧"))
    assert meta.source_file == "any-name.txt"
    assert meta.warnings == ()


def test_sidecar_wins_over_the_header_and_says_so(tmp_path: Path) -> None:
    meta = _meta(tmp_path, "b.txt", BEIJING, {"region": "天津市", "plan_year": 2027, "publisher": "天津日报"})
    assert (meta.region, meta.plan_year, meta.review_year, meta.publisher) == ("天津市", 2027, 2026, "天津日报")
    assert meta.report_id == "tianjin-2027"
    assert meta.speaker == "殷勇" and meta.published == "2026-02-02"  # header fills what the sidecar lacks
    assert len(meta.warnings) == 2 and all("sidecar" in w for w in meta.warnings)


def test_unknown_sidecar_keys_are_warnings(tmp_path: Path) -> None:
    meta = _meta(tmp_path, "r.txt", BEIJING, {"region": "北京市", "plan_year": 2026, "colour": "red"})
    assert meta.warnings == ("r.meta.json: unknown key 'colour' ignored",)


OK, ERROR, WARNING = "accepted", "one-line error", "warning"
DEEP = "[" * 100_000 + "]" * 100_000
# (sidecar: a dict written as JSON, or raw JSON text; outcome; words the error or warning says, or the fields read)
SIDECAR_FIELDS = [
    # the file as a whole
    ('{"region": "北京市", ', ERROR, "not valid JSON"),
    ("[1, 2]", ERROR, "JSON object"),
    ('"北京市"', ERROR, "JSON object"),
    (DEEP, ERROR, "nested too deeply"),
    ('{"notes": ' + DEEP + "}", ERROR, "nested too deeply"),
    ('{"plan_year": 1' + "0" * 5000 + "}", ERROR, "not valid JSON"),
    ({"notes": {"anything": [1, {"deep": [[[]]]}]}}, OK, {}),
    ({"colour": "red"}, WARNING, "unknown key 'colour' ignored"),
    ({f"k{i}": i for i in range(30)}, WARNING, "20 more unknown keys ignored"),
    ({"region": None, "plan_year": None}, OK, {"region": "北京市", "plan_year": 2026}),  # null: as if absent (the header says)
    # years
    ({"plan_year": 2026}, OK, {"plan_year": 2026, "review_year": 2025}),
    ({"plan_year": "2026", "review_year": " 2025 "}, OK, {"plan_year": 2026, "review_year": 2025}),
    ({"plan_year": 2026, "review_year": 2021}, OK, {"review_year": 2021}),  # a new term reviews five years
    ({"plan_year": 2026, "review_year": 2026}, OK, {"review_year": 2026}),
    ({"plan_year": "abc"}, ERROR, "'plan_year' must be a year"),
    ({"plan_year": True}, ERROR, "'plan_year' must be a year"),
    ({"review_year": 20.5}, ERROR, "'review_year' must be a year"),
    ({"plan_year": 2026.0}, ERROR, "'plan_year' must be a year"),
    ({"plan_year": 26}, ERROR, "'plan_year' must be a year"),
    ({"plan_year": 1899}, ERROR, "'plan_year' must be a year from 1900 to 2100"),
    ({"plan_year": 99999}, ERROR, "'plan_year' must be a year"),
    ({"plan_year": -2026}, ERROR, "'plan_year' must be a year"),
    ({"plan_year": [2026]}, ERROR, "'plan_year' must be a year"),
    ({"plan_year": 2026, "review_year": 2027}, ERROR, "'review_year' 2027 is after 'plan_year' 2026"),
    ({"review_year": 2030}, ERROR, "'review_year' 2030 is after 'plan_year' 2026"),  # the header's plan year
    # dates
    ({"published": "2026-02-02"}, OK, {"published": "2026-02-02"}),
    ({"published": "2026"}, OK, {"published": "2026"}),
    ({"published": 2026}, OK, {"published": "2026"}),
    ({"published": "2026-02"}, ERROR, "'published' must be a full ISO date"),
    ({"published": "2026-13-01"}, ERROR, "'published' must be a full ISO date"),
    ({"published": "2026-02-30"}, ERROR, "'published' must be a full ISO date"),
    ({"published": "2026-2-2"}, ERROR, "'published' must be a full ISO date"),
    ({"published": "2026-02-02T10:00"}, ERROR, "'published' must be a full ISO date"),
    ({"published": "yesterday"}, ERROR, "'published' must be a full ISO date"),
    ({"published": "0001"}, ERROR, "'published' must be a full ISO date"),
    ({"published": True}, ERROR, "'published' must be a full ISO date"),
    # URLs
    ({"source_url": "https://www.gov.cn/zhengce/2026.htm"}, OK, {"source_url": "https://www.gov.cn/zhengce/2026.htm"}),
    ({"source_url": "http://127.0.0.1:8080/a?b=c&d=%E4%B8%AD#top"}, OK, {}),
    ({"source_url": "https://政府.cn/报告/2026"}, OK, {}),
    ({"source_url": "www.gov.cn/2026.htm"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "ftp://gov.cn/2026.htm"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "javascript:alert(1)"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://gov.cn/a b"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://gov.cn/a\nb"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://x/> <http://a> <http://b> <https://w3id.org/policy-kg/id/report/other> .\n<http://y"},
     ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": 'https://gov.cn/"quoted"'}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://gov.cn/{x}|^`\\"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://gov.cn/a%zz"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://gov.cn/a#b#c"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": "https://"}, ERROR, "'source_url' must be an absolute http(s) URL"),
    ({"source_url": 42}, ERROR, "'source_url' must be an absolute http(s) URL"),
    # ids
    ({"id": "chaoyang-beijing-2026"}, OK, {"report_id": "chaoyang-beijing-2026"}),
    ({"id": "a" * 64}, OK, {}),
    ({"id": "a" * 65}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": "Chaoyang"}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": "../../etc"}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": "a/b"}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": "a>b"}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": "-a"}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": "朝阳"}, ERROR, "'id' must be lowercase ASCII words"),
    ({"id": 2026}, ERROR, "'id' must be a string"),
    # text fields
    ({"region": 5}, ERROR, "'region' must be a string"),
    ({"title": {"zh": "标题"}}, ERROR, "'title' must be a string"),
    ({"title": 'a "quoted" <title> & \\ back'}, OK, {"title": 'a "quoted" <title> & \\ back'}),
    ({"title": "一行\n两行"}, ERROR, "'title' must be one line of text"),
    ({"publisher": "日报\r"}, OK, {"publisher": "日报"}),  # stripped at the ends
    ({"publisher": "日\u0000报"}, ERROR, "'publisher' must be one line of text"),
    ({"publisher": "日\u2028报"}, ERROR, "'publisher' must be one line of text"),
    ('{"title": "\\ud800"}', ERROR, "'title' must be one line of text"),  # a lone surrogate: not Unicode text
    ({"title": "长" * 501}, ERROR, "'title' is 501 characters long"),
    ({"authors": ["陆晓凤", "  ", "庄筱婧"]}, OK, {"authors": ("陆晓凤", "庄筱婧")}),
    ({"authors": "陆晓凤"}, ERROR, "'authors' must be a list"),
    ({"authors": ["陆晓凤", 7]}, ERROR, "'authors' must be a list"),
    ({"authors": ["甲"] * 51}, ERROR, "'authors' must be a list of at most 50"),
    ({"authors": ["陆\n晓凤"]}, ERROR, "'authors' must be one line of text"),
    ({"level": "galaxy"}, WARNING, "level 'galaxy' is not one of"),
]


@pytest.mark.parametrize(("sidecar", "outcome", "expected"), SIDECAR_FIELDS, ids=[str(i) for i in range(len(SIDECAR_FIELDS))])
def test_sidecar_fields(tmp_path: Path, sidecar: object, outcome: str, expected: object) -> None:
    if outcome == ERROR:
        with pytest.raises(InputError, match=re.escape(expected)) as caught:
            _meta(tmp_path, "bad.txt", BEIJING, sidecar)
        text = str(caught.value)
        assert text.startswith("bad.meta.json: ") and "\n" not in text and "\r" not in text and len(text) < 300
        return
    meta = _meta(tmp_path, "good.txt", BEIJING, sidecar)
    if outcome == WARNING:
        assert any(expected in w and w.startswith("good.meta.json: ") for w in meta.warnings), meta.warnings
        assert all("\n" not in w for w in meta.warnings)
    else:
        assert {key: getattr(meta, key) for key in expected} == expected
        assert meta.warnings == ()


SPECIAL_SIDECARS = [
    ("a directory", lambda path: path.mkdir(), "is a directory"),
    ("a named pipe", lambda path: os.mkfifo(path), "named pipe"),
    ("a link to /dev/zero", lambda path: path.symlink_to("/dev/zero"), "character device"),
    ("a dangling link", lambda path: path.symlink_to(path.with_name("gone.json")), "no such file"),
    ("over 1 MiB", lambda path: path.write_text('{"notes": "' + "x" * (1 << 20) + '"}'), "too large"),
]


@pytest.mark.parametrize(("case", "make", "words"), SPECIAL_SIDECARS, ids=[c[0] for c in SPECIAL_SIDECARS])
def test_a_sidecar_that_is_not_a_small_regular_file_is_refused_unread(tmp_path: Path, case: str, make, words: str) -> None:  # noqa: ANN001
    report = _write(tmp_path, "r.txt", BEIJING)
    make(tmp_path / "r.meta.json")
    with pytest.raises(InputError, match=words) as caught:
        read_meta(report, normalize(BEIJING))
    assert "\n" not in str(caught.value)


@needs_seed
def test_the_seed_report_reads_with_its_sidecar() -> None:
    meta = read_meta(SEED, read_text(SEED))
    assert (meta.report_id, meta.region, meta.plan_year, meta.authors) == ("huli-2026", "湖里区", 2026, ("陆晓凤", "庄筱婧"))


# --- file names ----------------------------------------------------------------------------

FILE_NAMES = [
    ("huli-2026.txt", "huli-2026", 2026),
    ("Beijing Report_2026 (1).html", "beijing-report-2026-1", 2026),
    ("湖里区2026.txt", "huliqu-2026", 2026),
    ("报告.txt", "baogao", None),
    ("___.txt", "report", None),
    ("a" * 70 + ".txt", "a" * 55 + "-" + hashlib.sha1(("a" * 70).encode()).hexdigest()[:8], None),  # at most 64
]


@pytest.mark.parametrize(("name", "report_id", "plan_year"), FILE_NAMES)
def test_file_name_gives_the_id_when_nothing_else_does(tmp_path: Path, name: str, report_id: str, plan_year: int | None) -> None:
    meta = _meta(tmp_path, name, "各位代表：\n现在，我代表区人民政府向大会报告工作。")
    assert (meta.report_id, meta.plan_year, meta.region) == (report_id, plan_year, None)


# --- slugs ---------------------------------------------------------------------------------

SLUGS = [
    ("湖里区", "huli"),
    ("北京市", "beijing"),
    ("广东省", "guangdong"),
    ("河南省", "henan"),
    ("黑龙江省", "heilongjiang"),
    ("山西省", "shanxi"),
    ("陕西省", "shaanxi"),
    ("湖里县", "hulixian"),
    ("厦门市", "xiamenshi"),
    ("吉林省", "jilin"),
    ("吉林市", "jilinshi"),
    ("广西壮族自治区", "guangxi"),
    ("香港特别行政区", "xianggang"),
    ("绿春县", "lvchunxian"),
    ("Beijing", "beijing"),
    ("", ""),
]


@pytest.mark.parametrize(("name", "slug"), SLUGS)
def test_slugify_name(name: str, slug: str) -> None:
    assert slugify_name(name) == slug


DISTINCT = [("山西省", "陕西省"), ("湖里区", "湖里县"), ("吉林省", "吉林市"), ("朝阳区", "朝阳市"), ("朝阳县", "朝阳区")]


@pytest.mark.parametrize(("one", "other"), DISTINCT)
def test_different_regions_get_different_ids(tmp_path: Path, one: str, other: str) -> None:
    first = _meta(tmp_path, "a.txt", "正文", {"region": one, "plan_year": 2026}).report_id
    second = _meta(tmp_path, "b.txt", "正文", {"region": other, "plan_year": 2026}).report_id
    again = _meta(tmp_path, "c.txt", "正文", {"region": one, "plan_year": 2026}).report_id
    assert first != second
    assert first == again


def test_ids_made_from_long_regions_stay_short_and_apart(tmp_path: Path) -> None:
    ids = {_meta(tmp_path, "r.txt", "正文", {"region": "长" * n + "区", "plan_year": 2026}).report_id for n in (40, 41, 200)}
    assert len(ids) == 3 and all(len(i) <= 64 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
