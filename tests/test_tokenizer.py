"""The segmenter in use: rjieba cuts jieba's words (the Latin and digit runs re-split as jieba does), the
spaCy pipeline's tokens are those words, the dictionary's frequencies and tags are jieba's, and the
pipeline gives the same tokens and mentions every time, in this process and in a fresh one."""

from __future__ import annotations

import json
import logging
import marshal
import subprocess
import sys

import jieba
import pytest
import spacy
from spacy.util import get_words_and_spaces

from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.pipeline import SEGMENTER, SegmenterTokenizer, TokenPatterns, get_pipeline, run
from kg_build.extract import segmenter
from kg_build.extract.segmenter import FREQUENT_FLOOR, cut, frequent, is_word, tagged_words, words_and_spaces

jieba.setLogLevel(logging.WARNING)

# (text, jieba's words of it): sentences written for this test, in the register of a work report
SPLITS = [
    ("明年全市地区生产总值增长5.5%左右", ["明年", "全市", "地区", "生产总值", "增长", "5.5%", "左右"]),
    ("新建5G基站1200个，实现行政村全覆盖", ["新建", "5G", "基站", "1200", "个", "，", "实现", "行政村", "全", "覆盖"]),
    ("会议于2027-03-05在市民中心召开", ["会议", "于", "2027", "-", "03", "-", "05", "在", "市民", "中心", "召开"]),
    ("引进A-Level国际课程和C++编程培训", ["引进", "A", "-", "Level", "国际", "课程", "和", "C++", "编程", "培训"]),
    ("高新区H2-B地块完成土地出让", ["高新区", "H2", "-", "B", "地块", "完成", "土地出让"]),
    ("城乡居民人均可支配收入增长6%以上", ["城乡居民", "人均", "可", "支配", "收入", "增长", "6%", "以上"]),
    ("推进老旧小区改造，惠及居民1.8万户", ["推进", "老旧", "小区", "改造", "，", "惠及", "居民", "1.8", "万户"]),
    ("打造长江经济带绿色发展示范区", ["打造", "长江", "经济带", "绿色", "发展", "示范区"]),
    ("深化“放管服”改革", ["深化", "“", "放管服", "”", "改革"]),
    ("  首行缩进的段落\n第二行", [" ", " ", "首", "行", "缩进", "的", "段落", "\n", "第二行"]),
    ("上一行\r\n下一行", ["上", "一行", "\r\n", "下", "一行"]),
]

# texts where rjieba alone cuts otherwise than jieba, or where the HMM matters: jieba must agree with cut
AGREES = [text for text, _ in SPLITS] + [
    "GDP增长5%", "IPv6规模部署", "x.y.z", "3.5.6%", "%%", "--", "a-b-c", "9·11", "５Ｇ网络", "……", "A&B", "a b",
    "H7N9防控", "1,000亿元", "20世纪90年代", "COVID-19疫情防控", "iPhone15Pro", "K9-X2项目", "",
]

# words of different frequencies in jieba's dictionary, and one it lacks; thresholds at and above the table's floor
FREQUENCIES = ["发展", "示范区", "泊位", "惠及", "钟宅湾片区"]
THRESHOLDS = [FREQUENT_FLOOR, 20, 60, 1000, 100000]

# (tag set, a word it holds, a word it does not)
TAGGED = [
    (frozenset({"v"}), "推进", "示范区"),
    (frozenset({"d"}), "进一步", "推进"),
    (frozenset({"c"}), "以及", "基站"),
]

# whitespace as spaCy's get_words_and_spaces keeps it: a single space after a word, runs, leading, trailing
SPACINGS = [
    "发展 经济", "发展  经济", " 发展", "  发展", "发展 ", "发展  ", "发展\n 经济", "发展 \n经济", "\u3000\u3000发展",
    "A B C", "5 %", " ", "", "发展\t\t经济 。", "一 二 三  四",
]

CONTEXT = ReportContext(region="江宁区", city="南京市", province="江苏省", level="district")
DETERMINISM = [
    "加快江宁开发区智能制造产业园建设，推动南京江北新区数字经济示范区扩容，新建5G基站1200个。",
    "会议于2027-03-05召开，启动“乡村振兴百村示范”行动。",
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_the_segmenter_cuts_jiebas_words(text, expected):
    assert cut(text) == expected
    assert "".join(cut(text)) == text


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_the_pipeline_tokens_are_the_segmenters_words(text, expected):
    doc = get_pipeline().make_doc(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] == [w for w in expected if w.strip()]


@pytest.mark.parametrize("hmm", [True, False])
@pytest.mark.parametrize("text", AGREES)
def test_the_segmenter_agrees_with_jieba(text, hmm):
    assert cut(text, hmm=hmm) == [w for w in jieba.cut(text, HMM=hmm) if w]


@pytest.mark.parametrize("text", SPACINGS)
def test_words_and_spaces_are_spacys(text):
    assert words_and_spaces(cut(text), text) == get_words_and_spaces(cut(text), text)


@pytest.mark.parametrize("threshold", THRESHOLDS)
@pytest.mark.parametrize("word", FREQUENCIES)
def test_frequencies_are_jiebas(word, threshold):
    jieba.dt.check_initialized()
    assert frequent(word, threshold) == (jieba.dt.FREQ.get(word, 0) >= threshold)
    assert is_word(word) == (jieba.dt.FREQ.get(word, 0) > 0)


def test_a_threshold_below_the_tables_floor_is_refused():
    with pytest.raises(ValueError, match="below the table's floor"):
        frequent("发展", FREQUENT_FLOOR - 1)


@pytest.mark.parametrize(("tags", "held", "not_held"), TAGGED)
def test_tagged_words(tags, held, not_held):
    words = tagged_words(tags)
    assert held in words
    assert not_held not in words
    assert all(len(w) >= 2 for w in words)


def test_the_pipeline_uses_rjieba():
    assert SEGMENTER == "rjieba"
    assert isinstance(get_pipeline().tokenizer, SegmenterTokenizer)
    assert not isinstance(get_pipeline("jieba").tokenizer, SegmenterTokenizer)


def test_an_unknown_segmenter_is_refused():
    with pytest.raises(ValueError, match="unknown segmenter"):
        get_pipeline("pkuseg-typo")


@pytest.mark.parametrize("text", [text for text, _ in SPLITS] + DETERMINISM)
def test_spacys_jieba_and_rjieba_give_the_same_tokens(text):
    ours, theirs = get_pipeline().make_doc(text), get_pipeline("jieba").make_doc(text)
    assert [(t.idx, t.text, t.whitespace_) for t in ours] == [(t.idx, t.text, t.whitespace_) for t in theirs]


def _reading(text: str) -> list:
    doc = run(text, CONTEXT)
    return [[t.text for t in doc], [(m.type.value, m.label, m.span.begin, m.span.end) for m in doc._.policy_mentions]]


SCRIPT = """
import json, sys
from kg_build.extract.gazetteers import ReportContext
from kg_build.extract.pipeline import run
context = ReportContext(region="江宁区", city="南京市", province="江苏省", level="district")
out = []
for text in json.loads(sys.argv[1]):
    doc = run(text, context)
    out.append([[t.text for t in doc], [[m.type.value, m.label, m.span.begin, m.span.end] for m in doc._.policy_mentions]])
print(json.dumps(out, ensure_ascii=False))
"""


def test_the_pipeline_is_deterministic_within_a_process_and_across_processes():
    first = [_reading(text) for text in DETERMINISM]
    assert [_reading(text) for text in DETERMINISM] == first
    assert any(mentions for _, mentions in first)  # the texts hold names: the comparison covers mentions
    other = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(DETERMINISM)], capture_output=True, text=True,
                           check=True, timeout=120)
    assert json.loads(other.stdout) == [[tokens, [list(m) for m in mentions]] for tokens, mentions in first]


# what a kept table's file may hold instead of the table: each is built again, never returned
DAMAGED_CACHES = [b"", b"not marshal data", marshal.dumps(["发展"]), marshal.dumps({"发展": 1, 2: "x"}), marshal.dumps(frozenset({"发展"}))[:-3]]


def _table() -> dict[str, str]:
    return {"发展": "123", "示范区": "45"}


def _only_file(folder):
    files = sorted((folder / "policy-kg").iterdir())
    assert len(files) == 1 and not files[0].name.startswith(".")
    return files[0]


def test_a_table_read_from_the_dictionary_is_kept_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert segmenter._cached("test", dict, _table) == _table()
    kept = _only_file(tmp_path)
    assert marshal.loads(kept.read_bytes()) == _table()
    assert segmenter._cached("test", dict, lambda: pytest.fail("built again")) == _table()
    assert segmenter._cached("another", dict, dict) == {}  # another name, another table


@pytest.mark.parametrize("damaged", DAMAGED_CACHES)
def test_a_damaged_kept_table_is_built_again(tmp_path, monkeypatch, damaged):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    segmenter._cached("test", dict, _table)
    kept = _only_file(tmp_path)
    kept.write_bytes(damaged)
    assert segmenter._cached("test", dict, _table) == _table()
    assert marshal.loads(kept.read_bytes()) == _table()


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert segmenter._cached("test", dict, _table) == _table()


# (text, the spans of the token patterns, as spaCy's span_ruler gives them): phrases, token lists (the segmenter
# keeps 全国人大 whole: spaces cut it here), an optional token taken and left out, overlaps kept
RULER = [
    ("全国 人大 常委会听取报告", ["全国 人大", "全国 人大 常委会"]),
    ("全国 政协和全国 人大", ["全国 政协", "全国 人大"]),
    ("中共中央、国务院印发", ["中共中央", "国务院"]),
    ("党中央", ["党中央"]),
    ("全国人大常委会", []),  # one word of the segmenter's: no pattern's tokens
    ("全国", []),
    ("", []),
]
RULER_PATTERNS = [
    {"label": "GovernmentBody", "pattern": [{"TEXT": "全国"}, {"TEXT": "人大"}, {"TEXT": "常委会", "OP": "?"}], "id": "b"},
    {"label": "GovernmentBody", "pattern": [{"TEXT": "全国"}, {"TEXT": "政协"}], "id": "b"},
    {"label": "GovernmentBody", "pattern": "中共中央", "id": "b"},
    {"label": "GovernmentBody", "pattern": "国务院", "id": "b"},
    {"label": "GovernmentBody", "pattern": "党中央", "id": "b"},
]
UNSUPPORTED_PATTERNS = [[{"LOWER": "abc"}], [{"TEXT": "全国", "OP": "+"}], [{"TEXT": "全国", "LENGTH": 2}]]


@pytest.mark.parametrize(("text", "expected"), RULER)
def test_token_patterns_find_what_spacys_span_ruler_finds(text, expected):
    nlp = get_pipeline()
    reference = spacy.blank("zh")
    reference.tokenizer = nlp.tokenizer
    ruler = reference.add_pipe("span_ruler", config={"spans_key": "ruler"})
    ruler.add_patterns(RULER_PATTERNS)
    our_doc, their_doc = TokenPatterns(nlp, RULER_PATTERNS)(nlp.make_doc(text)), ruler(nlp.make_doc(text))
    ours, theirs = our_doc.spans["ruler"], their_doc.spans["ruler"]
    assert [(s.start, s.end, s.label_, s.id_) for s in ours] == [(s.start, s.end, s.label_, s.id_) for s in theirs]
    assert sorted(s.text for s in ours) == sorted(expected)


@pytest.mark.parametrize("pattern", UNSUPPORTED_PATTERNS)
def test_a_token_pattern_the_reader_cannot_match_is_refused(pattern):
    with pytest.raises(ValueError, match="only TEXT/ORTH tokens"):
        TokenPatterns(get_pipeline(), [{"label": "X", "pattern": pattern}])


def test_without_a_home_folder_the_table_is_only_built(monkeypatch):
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(segmenter.Path, "home", staticmethod(no_home))
    assert segmenter._cached("test", dict, _table) == _table()
