"""Property tests: normalize never raises and is idempotent; decode raises nothing but InputError; the structure parser never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg_build.errors import InputError
from kg_build.normalize import decode, normalize

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like the reports: Han (both scripts), pinyin, parentheses, punctuation, odd spaces.
REPORTISH = st.text(
    alphabet=st.sampled_from(
        list("擴內需穩增長廈門發展中心星光薈扩内需稳增长厦门发展昇腾下载打印大中小")
        + list("kuòàǜvnei1234AIm")
        + list("()（）【】,;:!?，。；：“”、—》> \u3000\u00a0\t\r\n\u200b")
        + list("字号：首页责任编辑来源时间2026-年")
    ),
    max_size=120,
)


@FAST
@given(st.text(max_size=300))
def test_normalize_never_raises_on_any_text(raw: str) -> None:
    result = normalize(raw)
    assert not result.text.startswith((" ", "\n")) and not result.text.endswith((" ", "\n"))
    assert "\n\n" not in result.text
    assert result.hant is None or len(result.hant) == len(result.text)


@FAST
@given(REPORTISH)
def test_normalize_is_idempotent_on_reportish_text(raw: str) -> None:
    once = normalize(raw).text
    assert normalize(once).text == once


@FAST
@given(st.binary(max_size=400))
def test_decode_raises_only_input_error(data: bytes) -> None:
    try:
        text, encoding = decode(data)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert text.strip() and encoding in {"utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "big5"}


STRUCTURED = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["一、", "二、", "三、", "（一）", "（二）", "一是", "●", "2026展望", "亮点", "。", "\n"]),
    ),
    max_size=30,
).map("".join)


@FAST
@given(st.one_of(st.text(max_size=300), STRUCTURED))
def test_the_structure_parser_never_raises_on_any_text(raw: str) -> None:
    from kg_build.document import ReportMeta
    from kg_build.structure import parse_structure

    text = normalize(raw)
    for section in parse_structure(text, ReportMeta(report_id="fuzz-2026", plan_year=2026, review_year=2025)):
        assert section.span.of(text.text) == section.label
        for pillar in section.pillars:
            assert pillar.span.of(text.text) == pillar.label
