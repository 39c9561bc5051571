"""Same graph however published: traditional characters with pinyin after many of them (as the seed
was published) give the graph of the simplified original."""

import re
import shutil
from pathlib import Path

import opencc
import pytest
from pypinyin import Style, pinyin

from kg_build.build import build_report

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
NAMES = sorted(p.stem for p in REPORTS.glob("*.txt") if not p.stem.startswith("huli"))
HAN = re.compile(r"[\u4e00-\u9fff]")
# Lines that legitimately differ: where the text came from, and the zh-Hant labels only a traditional source has.
VOLATILE = re.compile(rb'(contentHash|sourceFile)>|"@zh-hant ', re.IGNORECASE)

S2T, T2S = opencc.OpenCC("s2t"), opencc.OpenCC("t2s")


def as_published(simplified: str, *, every: int = 3) -> str:
    """Traditional characters, with tone-marked pinyin in parentheses after every ``every``-th Han character."""
    out, count = [], 0
    for ch in S2T.convert(simplified):
        out.append(ch)
        if HAN.match(ch):
            count += 1
            if count % every == 0:
                out.append(f"({pinyin(ch, style=Style.TONE)[0][0]})")
    return "".join(out)


def opencc_round_trip(simplified: str) -> tuple[str, int]:
    """The text OpenCC gives back from its own traditional form, and how many characters it changed.

    A few simplified characters have no way back (昇腾 → 昇騰 → 升腾, 用于 → 用於 → 用於): no reader of the
    traditional text can know them, so the comparison starts from what the round trip preserves.
    """
    back = T2S.convert(S2T.convert(simplified))
    assert len(back) == len(simplified)
    return back, sum(a != b for a, b in zip(back, simplified))


def graph_lines(path: Path) -> list[bytes]:
    return [line for line in build_report(path).nquads.splitlines() if not VOLATILE.search(line)]


@pytest.mark.parametrize("name", NAMES)
def test_traditional_with_pinyin_gives_the_same_graph(tmp_path, name):
    source = (REPORTS / f"{name}.txt").read_text(encoding="utf-8")
    simplified, changed = opencc_round_trip(source)
    assert changed <= len(source) // 2000, f"OpenCC changed {changed} characters of {name}"
    original = tmp_path / "simplified" / f"{name}.txt"
    published = tmp_path / "published" / f"{name}.txt"
    for path, text in ((original, simplified), (published, as_published(simplified))):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        shutil.copy(REPORTS / f"{name}.meta.json", path.parent / f"{name}.meta.json")
    assert "(" in published.read_text(encoding="utf-8")[:2000]
    expected, got = graph_lines(original), graph_lines(published)
    assert got == expected, "\n".join(
        line.decode() for line in sorted(set(got) ^ set(expected))[:10]
    )
