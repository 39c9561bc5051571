"""Normalization: encodings, HTML, pinyin annotations, traditional → simplified, widths, chrome, errors."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from kg_build.document import Span
from kg_build.errors import InputError
from kg_build.normalize import (
    decode,
    html_to_text,
    is_pinyin_syllable,
    looks_like_html,
    normalize,
    read_text,
    strip_pinyin_annotations,
)
from kg_build.resources import bundled_reports_dir

REPORTS = bundled_reports_dir()
SEED = REPORTS / "huli-2026.txt"
PROVINCES = sorted(p for p in REPORTS.glob("*.txt") if p != SEED)
WEB_PAGES = [p for p in PROVINCES if not p.stem.startswith("national-")]  # the State Council texts have no title line
needs_corpus = pytest.mark.skipif(not SEED.is_file(), reason="the bundled reports are not there")

# --- pinyin annotations ---------------------------------------------------------------

ANNOTATIONS = [
    ("擴(kuò)內(nèi)需", "扩内需"),
    ("廈(xià)門(mén)", "厦门"),
    ("擴（kuò）大", "扩大"),  # full-width parentheses
    ("扩(kuo4)大", "扩大"),  # tone number
    ("绿(lǜ)色", "绿色"),  # ü with a tone mark
    ("绿(lv4)色", "绿色"),  # v for ü
    ("女(nǚ)性", "女性"),
    ("擴(kuò)大(da)", "扩大"),  # toneless, in a text that has marked annotations
    ("廣(ɡuǎnɡ)東", "广东"),  # the script g some fonts use in pinyin
    ("（一）加强管理", "（一）加强管理"),
    ("探索(AI)技术", "探索(AI)技术"),
    ("第(1)条", "第(1)条"),
    ("年度(2025年)计划", "年度（2025年）计划"),  # kept, and made full-width around Chinese
    ("K11(kuò)项目", "K11(kuò)项目"),  # after a non-CJK character
    ("面积(km)", "面积(km)"),  # not a syllable
    ("长度(m)", "长度(m)"),  # m/n/ng interjections are not annotations
    ("项目(ai)", "项目(ai)"),  # toneless with no marked annotation anywhere: a real parenthesis
    ("中(Kuò)", "中(Kuò)"),  # capitalised
    ("中(kuòà)", "中(kuòà)"),  # two tone marks
    ("擴(kuò)中(a)", "扩中(a)"),  # a toneless single letter stays
    ("中 (kuò)", "中 (kuò)"),  # not directly after the character
    ("(厦门日报 记者:陆晓凤 庄筱婧)", "（厦门日报 记者：陆晓凤 庄筱婧）"),
]


@pytest.mark.parametrize(("raw", "expected"), ANNOTATIONS)
def test_pinyin_annotations_go_real_parentheses_stay(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


SYLLABLES = [
    ("kuò", True),
    ("kuo4", True),
    ("lǜ", True),
    ("lv", True),
    ("zhuàng", True),
    ("AI", False),
    ("km", False),
    ("m", False),
    ("kuo0", False),
    ("kuò4", False),
    ("xyz", False),
    ("", False),
]


@pytest.mark.parametrize(("word", "expected"), SYLLABLES)
def test_pinyin_syllables(word: str, expected: bool) -> None:
    assert is_pinyin_syllable(word) is expected


def test_strip_pinyin_leaves_text_without_parentheses_alone() -> None:
    text = "没有括号的一段文字"
    assert strip_pinyin_annotations(text) is text


# --- traditional → simplified, aligned ---------------------------------------------------

SCRIPT = [
    ("錘煉嚴實作風", "锤炼严实作风", "錘煉嚴實作風"),
    ("履職盡責篤行不怠", "履职尽责笃行不怠", "履職盡責篤行不怠"),
    ("鐘宅社區發展中心“星光薈”", "钟宅社区发展中心“星光荟”", "鐘宅社區發展中心“星光薈”"),
    ("推动经济高质量发展", "推动经济高质量发展", None),  # simplified: no traditional form kept
]


@pytest.mark.parametrize(("raw", "text", "hant"), SCRIPT)
def test_traditional_becomes_simplified_with_the_traditional_kept(raw: str, text: str, hant: str | None) -> None:
    result = normalize(raw)
    assert (result.text, result.hant) == (text, hant)


def test_simplified_report_keeps_its_few_traditional_looking_names() -> None:
    raw = "推动人工智能产业发展，建设昇腾生态创新中心，打造算力训练场，支持企业开展技术攻关，加快培育新质生产力。"
    result = normalize(raw)
    assert "昇腾" in result.text
    assert result.hant is None


@needs_corpus
def test_seed_hant_is_aligned_and_gives_traditional_labels() -> None:
    result = read_text(SEED)
    assert result.hant is not None and len(result.hant) == len(result.text)
    begin = result.text.index("星光荟")
    assert result.hant_of(Span(begin, begin + 3)) == "星光薈"
    k11 = result.text.index("K11-SELECT")
    assert result.hant_of(Span(k11, k11 + 10)) is None  # same in both scripts


# --- widths, spaces, lines -----------------------------------------------------------------

LAYOUT = [
    ("ＡＢＣ１２３％", "ABC123%"),
    ("a\u00a0\u00a0b", "a b"),
    ("甲\u3000乙", "甲 乙"),
    ("x\r\ny\r\n\r\nz\n", "x\ny\nz"),
    ("  聚力扩内需稳增长  巩固经济回升向好基础 ", "聚力扩内需稳增长 巩固经济回升向好基础"),
    ("中,文;好:的", "中，文；好：的"),
    ("1,000元", "1,000元"),
    ("比例3:1", "比例3:1"),
    ("时间:2026-02-02", "时间：2026-02-02"),
    ("来源:", "来源："),
    ("实施 “场景湖里”行动", "实施“场景湖里”行动"),
    ("（一） 加强管理", "（一）加强管理"),
    ("see https://example.org/a?b=1, ok", "see https://example.org/a?b=1, ok"),
    ("零\u200b宽\ufeff字", "零宽字"),
    ("\n\n  \n", ""),
]


@pytest.mark.parametrize(("raw", "expected"), LAYOUT)
def test_widths_spaces_and_lines(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


# --- line breaks that cut a sentence ------------------------------------------------------

BREAKS = [
    ("国内生产总值达到74.4\n\u200b\n万亿元，增长6.7%", "国内生产总值达到74.4万亿元，增长6.7%"),  # the 2017 report
    ("全年\n\u200b\n降低企业税负", "全年降低企业税负"),  # an invisible-only line inside a sentence
    ("全年\r\n\u200b\ufeff\r\n\u200b\r\n降低", "全年降低"),  # a run of them, CRLF breaks
    ("全年 \n \u200b \n 降低", "全年降低"),  # spaces around
    ("便利人民群众生活。\n\u200b\n本着鼓励创新", "便利人民群众生活。\n本着鼓励创新"),  # the sentence ended
    ("他说：“好。”\n\u200b\n下一段", "他说：“好。”\n下一段"),  # ended inside its quotes
    ("全年\n\n\u200b\n降低", "全年\n降低"),  # a blank line is a paragraph break
    ("全年\n\u200b\n\n降低", "全年\n降低"),
    ("\u200b\n降低", "降低"),  # nothing before it
    ("全年\n\u2060\n降低", "全年降低"),  # other invisible characters: a word joiner, a soft hyphen, a control
    ("全年\n\u00ad\n降低", "全年降低"),
    ("全年\n\x7f\x01\n降低", "全年降低"),
    ("光缆线路550\n多万公里", "光缆线路550多万公里"),  # a number cut from its unit, no invisible line
    ("增长6.7\n%", "增长6.7%"),
    ("新增就业1300\n万人以上", "新增就业1300万人以上"),
    ("面积120\n平方公里", "面积120平方公里"),
    ("達到74.4\n萬億元", "达到74.4万亿元"),  # a traditional unit
    ("2026\n年工作安排", "2026\n年工作安排"),  # years are not joined: a heading may end in one
    ("2026展望\n聚力扩内需", "2026展望\n聚力扩内需"),
    ("第一部分 3\n加强管理", "第一部分 3\n加强管理"),  # no unit after the digit
    ("总量74.4\n\n万亿元", "总量74.4万亿元"),  # blank lines go before the figure join
]


@pytest.mark.parametrize(("raw", "expected"), BREAKS)
def test_line_breaks_that_cut_a_sentence_are_joined(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


def test_a_traditional_figure_cut_from_its_unit_stays_aligned() -> None:
    result = normalize("國內生產總值達到74.4\n\u200b\n萬億元，增長6.7%")
    assert result.text == "国内生产总值达到74.4万亿元，增长6.7%"
    assert result.hant == "國內生產總值達到74.4萬億元，增長6.7%"


# --- text cut at a fixed width (a PDF's lines) ---------------------------------------------

from kg_build.normalize.breaks import display_width, join_wrapped_lines, wrap_width  # noqa: E402
from kg_build.normalize.columns import split_columns  # noqa: E402

_UNCUT = re.compile(r"[A-Za-z0-9.%]+|.", re.S)  # a Latin word or a number is never cut; anything else may be


def _cut(
    text: str, width: int, *, page: str = "— {} —", every: int = 8, indent: str = "", ambiguous: int = 2,
    margin: str = "", first: str = "", column_break: bool = False,
) -> str:
    """The text as a PDF's text comes out: each paragraph cut into lines of at most ``width`` columns (a Latin word
    or a number whole, punctuation kept off a line's start, quotes and dashes ``ambiguous`` columns wide), its first
    line ``indent`` in (kept as spaces, or lost where it is "lost:N", N columns), a page break after every ``every``
    lines (``page``, its number for {}: the page number, and any header or footer), every line of text ``margin``
    in (-layout's spaces where a header or footer starts further left), ``first`` before it all (the first page's
    header); with ``column_break`` an empty line instead of ``page`` (where a newspaper's column ends: pdftotext)."""
    lost = int(indent.removeprefix("lost:")) if indent.startswith("lost:") else 0
    kept = "" if lost else indent
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, room = kept, width - lost
        for piece in _UNCUT.findall(paragraph):
            if line.strip() and display_width(line + piece, ambiguous) > room:
                room = width
                if piece in "，。、；：！？”）%":
                    lines.append(line + piece)
                    line = ""
                    continue
                lines.append(line.rstrip(" "))
                line = piece.lstrip(" ")
            else:
                line += piece
        if line.strip() or not paragraph:
            lines.append(line)
    out = [first] if first else []
    for n, line in enumerate(lines, 1):
        out.append(margin + line if line else line)
        if (page or column_break) and n % every == 0:
            out.append("" if column_break else page.format(n // every))
    return "\n".join(out)


_SENTENCES = [
    "全年地区生产总值增长5.5%左右，一般公共预算收入增长3%，城镇新增就业120万人以上，",
    "实施“双攻坚”行动，推动厦航创新研发基地等114个项目建设，力促固定资产投资超640亿元，",
    "深化投融资改革，用好用足中央预算内资金、超长期特别国债等政策，撬动社会资本参与the GDP growth，",
    "加快建设金砖数字街区，打造金砖出海综合服务港，支持企业开拓新兴市场，做强跨境电商、数字贸易等新业态，",
    "广义货币M2和社会融资规模增速要与国内生产总值名义增速基本匹配，保持流动性合理充裕，",
]


def _paragraph(n: int, sentences: int = 6) -> str:
    return "".join(_SENTENCES[(n + k) % len(_SENTENCES)] for k in range(sentences)).rstrip("，") + "。"


_REPORT = "\n".join([
    "政府工作报告", "各位代表：", _paragraph(0), "一、2025年工作回顾", _paragraph(1), _paragraph(2),
    "（一）聚力扩内需稳增长", _paragraph(3), _paragraph(4, 9), "二、2026年工作安排", _paragraph(5), _paragraph(6, 3),
])

# (case, width, how the text was cut: _cut's options)
WRAPPED = [
    ("narrow-page", 40, {}),
    ("a4-page", 76, {}),
    ("wide-page", 90, {"every": 5}),
    ("page-of-pages", 60, {"page": "{}/40", "every": 6}),
    ("chinese-page-numbers", 60, {"page": "第{}页", "every": 6}),
    ("bare-page-numbers", 60, {"page": "{}", "every": 6}),
    ("dashes", 68, {"page": "- {} -", "every": 7}),
    ("no-page-numbers", 60, {"page": ""}),
    # as pdftotext gives an A4 page: each paragraph's first line two characters in, its indent lost, a form feed
    # after the page number
    ("pdftotext", 54, {"page": "—{}—\n\n\x0c", "every": 9, "indent": "lost:4"}),
    # as pdftotext -layout gives it: the indent kept
    ("pdftotext-layout", 54, {"page": "                    — {} —\n\n\x0c", "every": 9, "indent": "    "}),
    # quotes and dashes set narrow (a Latin font's)
    ("narrow-quotes", 60, {"ambiguous": 1}),
    # the report's title printed at the top of every page, the first too (above the title itself), after the page
    # number and form feed (pdftotext)
    ("running-header", 54, {
        "page": "—{}—\n\n\x0c政府工作报告\n", "every": 9, "indent": "lost:4", "first": "政府工作报告\n",
    }),
    ("running-header-layout", 54, {
        "page": "  — {} —\n\x0c     政府工作报告\n\n", "every": 9, "indent": "    ", "first": "     政府工作报告\n\n",
    }),
    # 第3页 共20页 at the foot
    ("page-of-all-pages", 60, {"page": "第 {} 页 共 9 页", "every": 6}),
    # a web page printed by a browser: the date and the page's title at the top, its address and n/N at the foot
    # (pdftotext sets each on a line of its own; -layout puts two on a line, from the page's left edge, so that every
    # line of text is set in by the same margin and the spaces between them change with the page number's width)
    ("browser-pages", 54, {
        "page": "file:///home/me/report.html\n\n{}/12\n\n\x0c12/8/26, 1:01 AM\n\n湖北省政府工作报告\n",
        "every": 9, "indent": "lost:4", "first": "12/8/26, 1:01 AM\n\n湖北省政府工作报告\n",
    }),
    # a newspaper's page: narrow columns (17 characters), an empty line where each ends, a form feed where a page does
    ("newspaper-columns", 34, {"every": 12, "indent": "lost:4", "column_break": True}),
    ("browser-pages-layout", 54, {
        "page": "file:///home/me/report.html{:>20}/12\n\x0c12/8/26, 1:01 AM          湖北省政府工作报告\n\n\n",
        "every": 9, "indent": "    ", "margin": "             ", "first": "12/8/26, 1:01 AM          湖北省政府工作报告\n\n",
    }),
]


@pytest.mark.parametrize(("case", "width", "options"), WRAPPED, ids=[c[0] for c in WRAPPED])
def test_a_text_cut_at_a_width_has_its_paragraphs_back(case, width, options):
    cut = _cut(_REPORT, width, **options)
    assert wrap_width(cut.split("\n")) is not None and cut.count("\n") > 2 * _REPORT.count("\n")
    assert normalize(cut).text == normalize(_REPORT).text


# quotes on every line: set narrow (a Latin font's) they leave the lines' widths apart when counted wide
_QUOTED = "".join(
    f"推进“一件事”改革、“一网通办”和“高效办成{n}件事”，" if n % 3 else f"推进一件事改革、一网通办和高效办成{n}件大事，"
    for n in range(1, 40)
).rstrip("，") + "。"


def test_quotes_set_narrow_are_counted_narrow():
    cut = _cut(_QUOTED, 60, ambiguous=1)
    assert wrap_width(cut.split("\n")).ambiguous == 1
    assert normalize(cut).text == _QUOTED
    assert wrap_width(_cut(_QUOTED, 60).split("\n")).ambiguous == 2


def _edge(first: int) -> tuple[str, list[str]]:
    """A paragraph whose second line ends a sentence at the page's edge, then goes on; and its lines, twenty
    characters (40 columns) a line, the first one ``first``."""
    text = ("全年地区生产总值增长百分之五左右，力争更好" [:first] + "促一般公共预算收入增长百分之三城镇新增。"
            + "城镇新增就业一百二十万人以上，" * 9 + "稳中求进。")
    return text, [text[:first]] + [text[k : k + 20] for k in range(first, len(text), 20)]


# (case, the first line's length, its indent as pdftotext gives it, what joining gives)
EDGES = [
    # -layout keeps the indent: a line without one goes on the paragraph, whatever it follows
    ("indent-kept", 18, "    ", "joined"),
    # the indent lost: no first line is wider than the page less the indent, so a full line goes on the paragraph
    ("indent-lost", 18, "", "joined"),
    # no paragraph indented: a line that ended a sentence at the edge may have ended its paragraph, and stays apart
    ("no-indent", 20, "", "apart"),
]


@pytest.mark.parametrize(("case", "first", "indent", "expected"), EDGES, ids=[c[0] for c in EDGES])
def test_a_sentence_ended_at_the_edge_goes_on_where_the_indents_say_so(case, first, indent, expected):
    text, lines = _edge(first)
    assert lines[1].endswith("。") and all(display_width(line) == 40 for line in lines[1:-1])
    cut = "\n".join([indent + lines[0], *lines[1:]] * 2)
    split = [text[: first + 20], text[first + 20 :]]
    assert join_wrapped_lines(cut).replace("    ", "") == "\n".join([text] * 2 if expected == "joined" else split * 2)


# (case, heading, how paragraphs are indented): after a heading's first line, a line as short as a first line
HEADINGS_AT_THE_EDGE = [
    # the indent lost (pdftotext): the heading filled its line with the indent, and the next line is a new paragraph
    ("fits-its-line", "（一）着力深化改革扩大开放，先行先试探路富有实效好", "lost:4"),
    # the indent kept (-layout): the heading ran on, and the short line after it is its end
    ("runs-on", "（四）推动供需高水平动态适配，在建设强大国内市场中努力扩大有潜能的消费、有需求的生产、有效益投资。", "    "),
]


@pytest.mark.parametrize(("case", "heading", "indent"), HEADINGS_AT_THE_EDGE, ids=[c[0] for c in HEADINGS_AT_THE_EDGE])
def test_a_heading_at_the_pages_edge_ends_where_it_does(case, heading, indent):
    paragraphs = [_paragraph(n, 4) for n in range(4)]
    text = "\n".join([paragraphs[0], heading, *paragraphs[1:]])
    cut = _cut(text, 54, page="", indent=indent)
    after = cut.split("\n")[[n for n, line in enumerate(cut.split("\n")) if heading[:6] in line][0] + 1]
    assert display_width(after) in (48, 49)  # as short as a first line, less its indent
    assert normalize(cut).text == normalize(text).text


def _side_by_side(cut: str, columns: int, rows: int, header: str = "") -> str:
    """A text cut into a column's width set as pdftotext -layout gives a page of ``columns`` columns: ``rows`` of
    its lines in each, side by side (each character one place, a gutter of spaces between), ``header`` across the top
    of each page, a form feed between pages."""
    lines = cut.split("\n")
    width = max(len(line) for line in lines) + 3
    pages = []
    for first in range(0, len(lines), columns * rows):
        page = [" " * 20 + header] if header else []
        for row in range(rows):
            cells = [lines[k] if (k := first + c * rows + row) < len(lines) else "" for c in range(columns)]
            page.append("".join(cell.ljust(width) for cell in cells).rstrip())
        pages.append("\n".join(page))
    return "\n\x0c".join(pages) + "\n\x0c"


# (case, columns on a page, lines in each, the header across each page)
SIDE_BY_SIDE = [
    ("two-columns", 2, 20, ""),
    ("four-columns-and-a-header", 4, 7, "厦门日报 2026年1月5日 星期一 第A3版"),
    ("three-columns-short-pages", 3, 6, ""),
]


@pytest.mark.parametrize(("case", "columns", "rows", "header"), SIDE_BY_SIDE, ids=[c[0] for c in SIDE_BY_SIDE])
def test_a_page_set_in_columns_is_read_column_after_column(case, columns, rows, header):
    layout = _side_by_side(_cut(_REPORT, 34, page="", indent="    "), columns, rows, header)
    assert normalize(layout).text == normalize(_REPORT).text


# (case, text): lines set side by side that are no page's columns
NOT_COLUMNS = [
    # a table in a text of one column: the paragraphs' lines run across its gutters
    ("table", _cut(_paragraph(0, 6), 60, page="", indent="    ") + "\n" + "\n".join(
        f"指标{n}          {n}%          {n + 1}%" for n in range(6)) + "\n" + _cut(_paragraph(1, 6), 60, page="")),
    # page numbers set at the right edge: too few lines beside them to be a column
    ("numbers-at-the-edge", "\n".join(
        line + ("".ljust(4) + str(n) if n % 10 == 0 else "")
        for n, line in enumerate(_cut(_paragraph(0, 12), 40, page="").split("\n")))),
]


@pytest.mark.parametrize(("case", "text"), NOT_COLUMNS, ids=[c[0] for c in NOT_COLUMNS])
def test_lines_set_side_by_side_that_are_no_columns_stay(case, text):
    assert split_columns(text) == text


# (case, width, heading, where the page cut it): a section's heading that filled an indented first line, the indent
# lost, and the short rest of it on the next line
HEADINGS_CUT = [
    ("narrow-column", 34, "一、“十四五”时期经济社会发展回顾", "一、“十四五”时期经济社会发展\n回顾"),
    # a character carried to the next line with the full stop no line starts with: the first line falls short of it
    ("carried-with-its-stop", 54, "二、加快建立长期护理保险制度和提升养老服务水平。",
     "二、加快建立长期护理保险制度和提升养老服务水\n平。"),
]


@pytest.mark.parametrize(("case", "width", "heading", "cut_so"), HEADINGS_CUT, ids=[c[0] for c in HEADINGS_CUT])
def test_a_section_heading_cut_at_the_pages_edge_is_one_line_again(case, width, heading, cut_so):
    first, then = [_paragraph(n, 3) for n in range(4)], [_paragraph(n, 4) for n in range(4, 8)]
    text = "\n".join([*first, heading, *then])
    cut = "\n".join([_cut("\n".join(first), width, page="", indent="lost:4"), cut_so,
                     _cut("\n".join(then), width, page="", indent="lost:4")])
    assert normalize(cut).text == normalize(text).text


# (case, line, as it is read): a justified line stretched with a space between each two characters, in a text cut
# at a width, loses those spaces; a space between two names or two phrases stays
SPACED = [
    ("stretched", "区 生 产 总 值 从 9 万 元 提 高 到 11 万 元 。", "区生产总值从9万元提高到11万元。"),
    ("stretched-latin", "产 业 营 收 6800 亿 元 左 右 、 阿 里 千 问 、 DeepSeek 等", "产业营收6800亿元左右、阿里千问、DeepSeek等"),
    ("two-names", "记者：陆晓凤 庄筱婧", "记者：陆晓凤 庄筱婧"),
    ("two-phrases", "聚力扩内需稳增长 巩固经济回升向好基础", "聚力扩内需稳增长 巩固经济回升向好基础"),
]


@pytest.mark.parametrize(("case", "line", "read"), SPACED, ids=[c[0] for c in SPACED])
def test_a_stretched_line_loses_its_spaces(case, line, read):
    cut = _cut(_paragraph(0, 12), 40, page="")
    assert wrap_width(cut.split("\n")) is not None
    assert join_wrapped_lines(cut + "\n\n" + line).split("\n")[-1] == read


_HEADING = "（二）" + "扎实推进重点领域改革" * 2

# (case, text cut at a width, what joining its lines gives): what is never joined
NOT_JOINED = [
    # a heading after a line that fills the page is a line of its own
    ("heading-after-a-full-line", _cut(_paragraph(0, 12), 40, page="") + "\n" + _HEADING,
     _paragraph(0, 12) + "\n" + _HEADING),
    # a blank line is a paragraph break
    ("blank-line", _cut(_paragraph(0), 40, page="") + "\n\n" + _cut(_paragraph(1), 40, page=""),
     _paragraph(0) + "\n\n" + _paragraph(1)),
    # a number alone on a line that counts no pages (the 2 of an M2 set as a subscript) stays
    ("lone-number", _cut(_paragraph(1), 40, page="") + "\n2\n" + _cut(_paragraph(2), 40, page=""),
     _paragraph(1) + "\n2\n" + _paragraph(2)),
]


@pytest.mark.parametrize(("case", "text", "expected"), NOT_JOINED, ids=[c[0] for c in NOT_JOINED])
def test_what_is_never_joined(case, text, expected):
    assert wrap_width(text.split("\n")) is not None
    assert join_wrapped_lines(text) == expected


def _pages(*pages: str, between: str = "\n— {} —\n\x0c") -> str:
    return "".join(page + (between.format(n) if n < len(pages) else "") for n, page in enumerate(pages, 1))


_LEAD_IN = "各位代表："
_TITLE = "政府工作报告"
# (case, a text cut at a width, the line that comes again and must stay each time)
NOT_RUNNING = [
    # nothing shows where the pages break: a line between empty lines stays, however often it comes
    ("no-page-breaks", "\n\n".join(_cut(_paragraph(n), 40, page="") + "\n\n" + _TITLE for n in range(5)), _TITLE),
    # a lead-in beside every page break is the text's
    ("lead-in", _pages(*(_LEAD_IN + "\n" + _cut(_paragraph(n), 40, page="") + "\n" + _LEAD_IN for n in range(5))),
     _LEAD_IN),
    # a line beside the page breaks but as often elsewhere is a line of the text
    ("elsewhere-too", _pages(*(
        _TITLE + "\n" + _cut(_paragraph(n), 40, page="") + "\n\n" + _TITLE + "\n\n" + _cut(_paragraph(n + 1), 40, page="")
        for n in range(5)
    )), _TITLE),
]


@pytest.mark.parametrize(("case", "text", "line"), NOT_RUNNING, ids=[c[0] for c in NOT_RUNNING])
def test_what_is_never_taken_for_a_page_header_or_footer(case, text, line):
    assert wrap_width(text.split("\n")) is not None
    assert normalize(text).text.count(line) == text.count(line) >= 5


def test_latin_words_cut_at_a_space_get_it_back():
    cut = _cut(_REPORT, 90, every=5)
    assert "the GDP\ngrowth" in cut  # where this width cuts the sample
    assert "the GDP growth" in normalize(cut).text


@pytest.mark.parametrize("path", sorted(bundled_reports_dir().glob("*.txt")), ids=lambda p: p.stem)
def test_no_bundled_report_is_taken_for_text_cut_at_a_width(path):
    assert wrap_width(read_text(path).text.split("\n")) is None
    raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    assert wrap_width(raw.split("\n")) is None


# the bundled reports without pinyin after their characters (a PDF holds none: an annotation is carried whole to
# the next line, and the line it left is then too short to go on)
PDF_LIKE = sorted(p for p in bundled_reports_dir().glob("*.txt") if "(" not in p.read_text("utf-8")[:2000])


@pytest.mark.parametrize("width", [60, 90])
@pytest.mark.parametrize("path", PDF_LIKE, ids=lambda p: p.stem)
def test_a_bundled_report_cut_at_a_width_reads_as_itself(path, width):
    """Every character comes back, in order, with no page number among them; paragraphs may part where a line
    ended a sentence (never joined: it may have ended its paragraph)."""
    raw = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    once = normalize(_cut(raw, width, every=40)).text
    assert once.replace("\n", "").replace(" ", "") == normalize(raw).text.replace("\n", "").replace(" ", "")
    assert normalize(once).text == once


# --- web-page chrome -----------------------------------------------------------------------

BEIJING_TOP = (
    "下载\n打印\n全屏\n收藏\n【字号：\n加大\n还原\n减小\n】\n2026年北京市政府工作报告\n"
    "——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n来源：北京日报\n时间：2026-02-02\n北京市市长 殷勇\n"
)
SICHUAN_TOP = "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源:\n四川日报\n【字体：\n大\n中\n小\n】\n分享：\n各位代表："

CHROME = [
    (
        BEIJING_TOP,
        "2026年北京市政府工作报告\n——2026年1月25日在北京市第十六届人民代表大会第四次会议上\n"
        "来源：北京日报\n时间：2026-02-02\n北京市市长 殷勇",
    ),
    (SICHUAN_TOP, "2026年四川省人民政府工作报告\n2026年02月10日 07时41分\n来源：\n四川日报\n各位代表："),
    ("首页 > 政务公开 > 政府工作报告\n正文", "正文"),
    ("当前位置：首页>新闻\n正文", "正文"),
    ("正文\n责任编辑：张三", "正文"),
    ("【字号：大 中 小】\n正文", "正文"),
    ("下載\n列印\n正文", "列印\n正文"),  # traditional chrome is judged by its simplified form
    ("正文\n大\n中", "正文\n大\n中"),  # 大/中/小 only count inside a font-size widget
    ("首页建设成效显著", "首页建设成效显著"),
]


@pytest.mark.parametrize(("raw", "expected"), CHROME)
def test_chrome_lines_are_dropped(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.skipif(not WEB_PAGES, reason="the bundled province reports are not there")
@pytest.mark.parametrize("path", WEB_PAGES, ids=lambda p: p.stem)
def test_province_reports_start_with_their_title_not_chrome(path: Path) -> None:
    text = read_text(path).text
    first = text.split("\n", 1)[0]
    assert first.endswith("政府工作报告"), first
    assert "\n下载\n" not in "\n" + text
    assert read_text(path).hant is None


# --- the seed round trip -------------------------------------------------------------------

SEED_CONTAINS = [
    "2026展望\n聚力扩内需稳增长 巩固经济回升向好基础\n",
    "抓有效投资。实施“双攻坚”行动，推动厦航创新研发基地等114个项目",
    "钟宅社区发展中心“星光荟”",
    "锤炼严实作风",
    "履职尽责笃行不怠",
    "（厦门日报 记者：陆晓凤 庄筱婧）",
    "实施“场景湖里”行动",
]


@needs_corpus
@pytest.mark.parametrize("fragment", SEED_CONTAINS)
def test_seed_normalizes_to_clean_simplified_text(fragment: str) -> None:
    assert fragment in read_text(SEED).text


@needs_corpus
def test_seed_has_no_pinyin_and_no_trailing_newline() -> None:
    result = read_text(SEED)
    assert "(kuò)" not in result.text and "ò" not in result.text and "ǎ" not in result.text
    assert not result.text.endswith("\n") and "\n\n" not in result.text
    assert result.encoding == "utf-8" and result.was_html is False


IDEMPOTENCE_SAMPLES = [raw for raw, _ in ANNOTATIONS + LAYOUT + BREAKS + CHROME] + [raw for raw, _, _ in SCRIPT]


@pytest.mark.parametrize("raw", IDEMPOTENCE_SAMPLES)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once


@needs_corpus
@pytest.mark.parametrize("path", [SEED, *PROVINCES], ids=lambda p: p.stem)
def test_corpus_normalize_is_idempotent(path: Path) -> None:
    once = read_text(path).text
    assert normalize(once).text == once


# --- encodings -----------------------------------------------------------------------------

PARAGRAPH = "聚力扩内需稳增长。实施“双攻坚”行动，推动114个项目建设顺利开展，力促固定资产投资超640亿元。\n深化投融资改革。"
TRADITIONAL = "聚力擴內需穩增長。實施“雙攻堅”行動，推動114個項目的建設順利開展，力促固定資產投資超640億元。\n深化投融資改革。"

ENCODINGS = [
    (PARAGRAPH.encode("utf-8"), PARAGRAPH, "utf-8"),
    (PARAGRAPH.encode("utf-8-sig"), PARAGRAPH, "utf-8-sig"),
    (PARAGRAPH.encode("utf-16"), PARAGRAPH, "utf-16"),
    (PARAGRAPH.encode("utf-16-le"), PARAGRAPH, "utf-16"),  # no BOM: found by its NUL bytes
    (PARAGRAPH.encode("utf-16-be"), PARAGRAPH, "utf-16"),
    (PARAGRAPH.encode("gb18030"), PARAGRAPH, "gb18030"),
    (TRADITIONAL.encode("gb18030"), TRADITIONAL, "gb18030"),
    (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
    (TRADITIONAL.encode("utf-8"), TRADITIONAL, "utf-8"),
    (b"plain ASCII report 2026", "plain ASCII report 2026", "utf-8"),
]


@pytest.mark.parametrize(("data", "text", "encoding"), ENCODINGS, ids=[f"{i}-{e}" for i, (_, _, e) in enumerate(ENCODINGS)])
def test_decode_detects_the_encoding(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_decode_reads_a_file_with_a_few_broken_bytes() -> None:
    data = (PARAGRAPH * 20).encode("gb18030")
    broken = data[:100] + b"\xff" + data[101:]
    text, encoding = decode(broken)
    assert encoding == "gb18030" and 1 <= text.count("\ufffd") <= 2
    assert text.count(PARAGRAPH) == 19


NOT_TEXT = [
    (b"", "is empty"),
    (b"  \n\t\r\n ", "is empty"),
    ("\u3000\u3000\n".encode("utf-8"), "is empty"),
    ("  \n".encode("utf-16"), "is empty"),
    (b"\xef\xbb\xbf", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "GIF image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF document.*pdftotext -layout report.pdf report.txt"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive.*a Word .docx is read"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old Office document.*save a Word .doc as .docx"),
    (b"{\\rtf1\\ansi", "RTF document.*Plain Text, UTF-8"),
    (bytes(range(256)) * 4, "looks binary"),
    (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 64, "looks binary"),
    (bytes([0xFE, 0xFD, 0x80, 0x81]) * 300, "supported encoding"),
]


@pytest.mark.parametrize(("data", "message"), NOT_TEXT, ids=[f"{i}-{m}" for i, (_, m) in enumerate(NOT_TEXT)])
def test_decode_refuses_binaries_and_empty_input(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        decode(data, source="report.txt")
    text = str(caught.value)
    assert text.startswith("report.txt: ") and "\n" not in text
    if "empty" not in message:
        assert "UTF-8, GB18030, Big5 or UTF-16" in text


# --- HTML ----------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>页面标题</title><style>p { color: red }</style>
<script>var x = "<p>不是正文</p>";</script></head>
<body><nav><a href="/">首页</a> &gt; <a>政务公开</a></nav>
<h1>2026年示例市政府工作报告</h1>
<div class="info">来源：示例日报&nbsp;&nbsp;时间：2026-02-02</div>
<p>各位代表：<br>现在，我代表市人民政府，
向大会报告工作。</p>
<p>研发投入强度达到3.2%，&ldquo;星河&rdquo;计划 &amp; 行动。</p>
<table><tr><td>指标</td><td>数值</td></tr></table>
</body></html>"""

PAGE_TEXT = (
    "2026年示例市政府工作报告\n来源：示例日报 时间：2026-02-02\n各位代表：\n现在，我代表市人民政府，向大会报告工作。\n"
    "研发投入强度达到3.2%，“星河”计划 & 行动。\n指标 数值"
)

HTML_DETECTION = [
    (PAGE, True),
    ("<html><body><p>正文</p></body></html>", True),
    ("<p>一</p><p>二</p><div>三</div><br><span>四</span>", False),  # tags without a document start: text (issue 16)
    ("计划(2025年)完成 a<b 的对比", False),
    (PARAGRAPH, False),
]


@pytest.mark.parametrize(("text", "expected"), HTML_DETECTION)
def test_html_is_recognised(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


def test_html_page_becomes_its_text(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_bytes(PAGE.encode("gb18030"))
    result = read_text(page)
    assert result.text == PAGE_TEXT
    assert result.was_html is True and result.encoding == "gb18030"


def test_html_to_text_drops_script_style_nav_and_head() -> None:
    text = html_to_text(PAGE)
    for hidden in ("页面标题", "color: red", "不是正文", "政务公开"):
        assert hidden not in text


# --- reading files -------------------------------------------------------------------------


def test_read_text_refuses_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_text(tmp_path / "nope.txt")


def test_read_text_refuses_directories(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_text(tmp_path)


def test_read_text_refuses_files_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(PARAGRAPH.encode("utf-8") * 100)
    with pytest.raises(InputError, match=r"too large \(15\.6 KiB, the limit is 1000 bytes\)"):
        read_text(path, max_bytes=1000)
    assert read_text(path, max_bytes=1_000_000).text.startswith("聚力扩内需稳增长")


def test_read_text_refuses_an_image_named_txt(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(InputError, match=r"^report\.txt: not text \(looks like a PNG image\)"):
        read_text(path)


def test_read_text_refuses_a_page_of_only_chrome(tmp_path: Path) -> None:
    path = tmp_path / "chrome.txt"
    path.write_text("下载\n打印\n收藏\n", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        read_text(path)


def test_a_huge_single_line_normalizes_in_linear_time() -> None:
    """One long line (traditional, with pinyin): four times the text takes about four times as long, not
    sixteen (a ratio within the test; how fast it is is measured in benchmarks/)."""
    unit = "擴(kuò)內(nèi)需穩(wěn)增長,推動廈航創(chuàng)新研發(fā)基地等114個項目建設。(2025年) ,,;; ((中)) "

    def run(megabytes: float) -> tuple[float, object]:
        raw = unit * (int(megabytes * 1_000_000) // len(unit.encode("utf-8")) + 1)
        started = time.perf_counter()
        text, _ = decode(raw.encode("utf-8"))
        result = normalize(text)
        return time.perf_counter() - started, result

    small = min(run(1)[0] for _ in range(2))
    large, result = min((run(4) for _ in range(2)), key=lambda pair: pair[0])
    assert result.text.startswith("扩内需稳增长，推动厦航创新研发基地等114个项目建设。（2025年）")
    assert len(result.hant or "") == len(result.text)
    assert large / small < 8, f"{large / small:.1f}x the time for 4x the text"
