"""Word documents (.docx) read as reports: each paragraph a line, Word's own numbering written out, untrusted parts
refused in one line."""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from kg_build.cli import main
from kg_build.errors import InputError
from kg_build.normalize import read_text
from kg_build.normalize.docx import MAX_PART_BYTES, docx_to_text, looks_like_docx
from kg_build.resources import bundled_reports_dir

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# numbering as Chinese documents set it: 一、 then （一） then 1. (one list); a bulleted list; a list of 第一条
NUMBERING = f"""{HEAD}<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3"><w:numStyleLink w:val="ReportList"/></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""

# a heading style that numbers its paragraphs, and one based on it
STYLES = f"""{HEAD}<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="numbering" w:styleId="ReportList"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"""


def _run(text: str) -> str:
    return f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(text: str = "", *, style: str | None = None, num: str | None = None, level: int | None = None,
               inner: str | None = None) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None or level is not None:
        props += "<w:numPr>" + (f'<w:ilvl w:val="{level}"/>' if level is not None else "")
        props += (f'<w:numId w:val="{num}"/>' if num is not None else "") + "</w:numPr>"
    return f"<w:p><w:pPr>{props}</w:pPr>{inner if inner is not None else _run(text)}</w:p>"


def _docx(*paragraphs: str, numbering: str | None = NUMBERING, styles: str | None = STYLES,
          document: str | None = None) -> bytes:
    body = document or (
        f'{HEAD}<w:document xmlns:w="{W}" xmlns:mc="{MC}"><w:body>{"".join(paragraphs)}'
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("word/document.xml", body)
        if numbering:
            archive.writestr("word/numbering.xml", numbering)
        if styles:
            archive.writestr("word/styles.xml", styles)
    return buffer.getvalue()


# (case, paragraphs, the text read)
READ = [
    ("plain-paragraphs", [_paragraph("各位代表："), _paragraph("现在，我代表区人民政府向大会报告工作。")],
     "各位代表：\n现在，我代表区人民政府向大会报告工作。"),
    ("runs-joined", [_paragraph(inner=_run("全年地区生产总值增长") + _run("5.5%") + _run("左右。"))],
     "全年地区生产总值增长5.5%左右。"),
    # Word's numbering: 一、 （一） 1. counted by level, a lower level started again under each higher one
    ("numbered-by-level", [
        _paragraph("2025年工作回顾", num="1", level=0), _paragraph("聚力扩内需", num="1", level=1),
        _paragraph("推进项目建设", num="1", level=2), _paragraph("扩大有效投资", num="1", level=2),
        _paragraph("深化改革", num="1", level=1), _paragraph("推进政务服务", num="1", level=2),
        _paragraph("2026年工作安排", num="1", level=0), _paragraph("稳增长", num="1", level=1),
     ],
     "一、2025年工作回顾\n（一）聚力扩内需\n1.推进项目建设\n2.扩大有效投资\n（二）深化改革\n1.推进政务服务\n"
     "二、2026年工作安排\n（一）稳增长"),
    # numbered by a heading style, and by a style based on it (its level its own)
    ("numbered-by-style", [
        _paragraph("工作回顾", style="1"), _paragraph("扩内需", style="2"), _paragraph("促改革", style="2"),
        _paragraph("工作安排", style="1"),
     ], "一、工作回顾\n（一）扩内需\n（二）促改革\n二、工作安排"),
    ("ten-and-more", [_paragraph(f"第{n}项", num="1", level=0) for n in range(1, 13)],
     "\n".join(f"{c}、第{n}项" for n, c in enumerate("一二三四五六七八九十", 1))
     + "\n十一、第11项\n十二、第12项"),
    # bullets write nothing; a list started again (a start override) counts from its start
    ("bullets-and-restarts", [
        _paragraph("要点", num="2"), _paragraph("甲", num="3"), _paragraph("乙", num="3"), _paragraph("丙", num="4"),
     ], "要点\n第一条 甲\n第二条 乙\n第一条 丙"),
    ("numbering-switched-off", [_paragraph("不编号", style="1", num="0")], "不编号"),
    # a list whose levels are a numbering style's (numStyleLink): numbered, and counted with that style's list
    ("numbering-style", [_paragraph("回顾", num="5", level=0), _paragraph("扩内需", num="5", level=1),
                         _paragraph("安排", num="1", level=0)], "一、回顾\n（一）扩内需\n二、安排"),
    # a table's cells, row by row, each paragraph a line
    ("table", ["<w:tbl><w:tr>" + "".join(f"<w:tc>{_paragraph(t)}</w:tc>" for t in ("指标", "目标")) + "</w:tr>"
               "<w:tr>" + "".join(f"<w:tc>{_paragraph(t)}</w:tc>" for t in ("地区生产总值", "增长5.5%")) + "</w:tr>"
               "</w:tbl>"], "指标\n目标\n地区生产总值\n增长5.5%"),
    # deleted revisions, field codes and a text box's fallback copy are not text; inserted text and a field's result
    # are
    ("revisions-and-fields", [_paragraph(inner=(
        _run("投资超") + '<w:del><w:r><w:delText>600</w:delText></w:r></w:del>'
        + '<w:ins><w:r><w:t>640</w:t></w:r></w:ins>' + _run("亿元")
        + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run("，见附件") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        + '<w:hyperlink><w:r><w:t>（链接）</w:t></w:r></w:hyperlink>'
        + '<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>。</w:t></w:r></mc:Choice>'
        + '<mc:Fallback><w:r><w:t>。</w:t></w:r></mc:Fallback></mc:AlternateContent>'
     ))], "投资超640亿元，见附件（链接）。"),
    ("tab-and-break", [_paragraph(inner=_run("指标") + "<w:r><w:tab/></w:r>" + _run("目标") + "<w:r><w:br/></w:r>"
                                       + _run("下一行"))], "指标 目标\n下一行"),
    ("no-numbering-part", [_paragraph("一段", num="1", level=0)], "一段"),
]


@pytest.mark.parametrize(("case", "paragraphs", "text"), READ, ids=[c[0] for c in READ])
def test_a_word_document_reads_as_its_paragraphs(case, paragraphs, text):
    data = _docx(*paragraphs, numbering=None if case == "no-numbering-part" else NUMBERING)
    assert looks_like_docx(data)
    assert docx_to_text(data, source="report.docx") == text


_CHINESE = [None, "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]


def _as_word(text: str) -> bytes:
    """A report's text as a Word document whose headings Word numbers: each 一、 and （一） that Word's count gives
    taken off the text and put in the numbering (one list, two levels); any other (a list of its own that starts
    again) typed, each line a paragraph."""
    paragraphs, counts = [], [0, 0]
    for line in text.splitlines():
        match = re.match(r"([一二三四五六七八九十]+)、|（([一二三四五六七八九十]+)）", line)
        level = None if match is None else 0 if match[1] else 1
        if level is not None and (match[1] or match[2]) == _CHINESE[counts[level] + 1]:
            counts[level] += 1
            counts[1] = 0 if level == 0 else counts[1]
            paragraphs.append(_paragraph(line[match.end():], num="1", level=level))
        else:
            paragraphs.append(_paragraph(line))
    return _docx(*paragraphs)


# the bundled reports whose headings are numbered 一、 (all but the newspaper summary)
NUMBERED = [p for p in sorted(bundled_reports_dir().glob("*.txt")) if re.search("^一、", p.read_text("utf-8-sig"), re.M)]


@pytest.mark.parametrize("source", NUMBERED, ids=lambda p: p.stem)
def test_a_report_as_a_word_document_reads_as_its_text(tmp_path, source):
    text = source.read_text("utf-8-sig")
    word = tmp_path / f"{source.stem}.docx"
    word.write_bytes(_as_word(text))
    body = zipfile.ZipFile(io.BytesIO(word.read_bytes())).read("word/document.xml").decode()
    assert body.count('<w:numId w:val="1"/>') >= 2  # its headings numbered by Word, not typed
    read = read_text(word)
    assert read.text == read_text(source).text
    assert read.encoding == "docx"


def test_build_takes_a_word_document(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "hebei-2026.docx").write_bytes(_as_word((bundled_reports_dir() / "hebei-2026.txt").read_text("utf-8-sig")))
    (folder / "hebei-2026.meta.json").write_bytes((bundled_reports_dir() / "hebei-2026.meta.json").read_bytes())
    result = CliRunner().invoke(main, ["build", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "built hebei-2026:" in result.output
    pillars = int(re.search(r"built hebei-2026: \d+ sections, (\d+) pillars", result.output)[1])
    assert pillars >= 6  # 一、 to 六、 and their （一） numbered by Word, not typed


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<" + b" " * (MAX_PART_BYTES + 10) + b"/>")
    return buffer.getvalue()


# (case, bytes, what the one-line error says)
REFUSED = [
    ("entities", _docx(document=f'{HEAD}<!DOCTYPE w:document [<!ENTITY a "aaaa">]><w:document xmlns:w="{W}"/>'),
     "declares a document type"),
    ("not-well-formed", _docx(document="<w:document"), "not well-formed XML"),
    ("too-large-unpacked", _bomb(), "unpacks to over"),
]


@pytest.mark.parametrize(("case", "data", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_an_untrusted_word_document_is_refused_in_one_line(tmp_path, case, data, message):
    with pytest.raises(InputError, match=message) as caught:
        docx_to_text(data, source="report.docx")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("report.docx: ")
    path = tmp_path / "report.docx"
    path.write_bytes(data)
    result = CliRunner().invoke(main, ["build", str(path), "--store", str(tmp_path / "store")])
    assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output


def test_a_zip_that_holds_no_word_document_is_not_taken_for_one(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "各位代表：")
    assert not looks_like_docx(buffer.getvalue())
    path = tmp_path / "report.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="ZIP archive"):
        read_text(path)
