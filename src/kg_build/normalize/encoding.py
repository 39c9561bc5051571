"""Bytes → text: UTF-8, UTF-16, GB18030 and Big5 detected by strict tries; binaries refused.

Order of the tries: known binary signatures, byte-order marks, the NUL pattern
of BOM-less UTF-16, strict UTF-8, then GB18030 against Big5 (and BOM-less
UTF-16), chosen by which decodes strictly and reads as more common Chinese
characters. A file with a handful of broken bytes is read with those bytes
replaced; anything else that is not text raises ``InputError``.
"""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

from kg_build.errors import InputError

__all__ = ["decode", "SUPPORTED"]

SUPPORTED = "give a UTF-8, GB18030, Big5 or UTF-16 text or HTML file"

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"{\\rtf", "an RTF document"),
)

# how to make text of a document that holds a report
_CONVERT = {
    "a PDF document": " (convert it first: `pdftotext -layout report.pdf report.txt`)",
    "a ZIP archive or an Office document": " (of Office documents, a Word .docx is read; save any other as text first)",
    "an old Office document": " (save a Word .doc as .docx, or as Plain Text, UTF-8, first)",
    "an RTF document": " (save it as Plain Text, UTF-8, or as a web page first)",
}

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Bytes that never occur in text of the supported encodings (tab, LF, VT, FF, CR, ESC allowed).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 11, 12, 13, 27))
_SAMPLE_CHARS = 200_000


def decode(data: bytes, *, source: str = "input") -> tuple[str, str]:
    """Decode report bytes; return (text, encoding name) or raise ``InputError``."""
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise InputError(f"{source}: is empty; give a report with text in it")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{source}: not text (looks like {kind}); {SUPPORTED}{_CONVERT.get(kind, '')}")
    text, encoding = _decode_any(data, source=source)
    text = text.lstrip("\ufeff")
    if not text.strip() or not text.strip("\u200b\u200c\u200d\u2060\ufeff\x00 \t\r\n\x0b\x0c\u3000\u00a0"):
        raise InputError(f"{source}: is empty; give a report with text in it")
    return text, encoding


def _decode_any(data: bytes, *, source: str) -> tuple[str, str]:
    """Run the tries in order; the first that yields text wins."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), name
            except UnicodeDecodeError:
                raise InputError(
                    f"{source}: starts with a {name.upper()} byte-order mark but is not valid {name.upper()}; "
                    f"save it again as UTF-8"
                ) from None
    if b"\x00" in data:
        text = _utf16_by_nul_pattern(data)
        if text is not None:
            return text
        raise InputError(f"{source}: not text (looks binary); {SUPPORTED}")
    if len(data.translate(None, _NOT_CONTROL)) > max(4, len(data) // 1000):
        raise InputError(f"{source}: not text (looks binary); {SUPPORTED}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = _best_strict_candidate(data)
    if best is not None:
        return best
    lenient = _lenient_candidate(data)
    if lenient is not None:
        return lenient
    guess = _guess_other_encoding(data)
    seen = f" (it looks like {guess})" if guess else ""
    raise InputError(f"{source}: not text in a supported encoding{seen}; {SUPPORTED}")


def _guess_other_encoding(data: bytes) -> str | None:
    """charset-normalizer's guess, only to name the encoding in the error message."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:65536]).best()
    except Exception:  # noqa: BLE001 - a hint only; never let it mask the real error
        return None
    return best.encoding if best is not None else None


def _utf16_by_nul_pattern(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: NUL bytes from ASCII characters; the byte order that reads as text wins."""
    if len(data) % 2:
        return None
    readings: list[tuple[float, str]] = []
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _reads_as_text(text):
            readings.append((_score(text), text))
    if not readings:
        return None
    score, text = max(readings, key=lambda r: r[0])  # max keeps the first (LE) on a tie
    return (text, "utf-16") if score >= -0.1 else None


def _reads_as_text(text: str) -> bool:
    """Few control, unassigned or private-use characters."""
    sample = text[:_SAMPLE_CHARS]
    odd = ("Cc", "Cn", "Co", "Cs")
    bad = sum(1 for ch in sample if unicodedata.category(ch) in odd and ch not in "\t\n\r\x0b\x0c\x1b")
    return bad <= max(2, len(sample) // 200)


def _best_strict_candidate(data: bytes) -> tuple[str, str] | None:
    """GB18030, Big5 and BOM-less UTF-16 decoded strictly; the best-reading one wins."""
    candidates: list[tuple[float, int, str, str]] = []
    tries: list[tuple[str, tuple[str, ...]]] = [("gb18030", ("gb18030",)), ("big5", ("big5", "cp950", "big5hkscs"))]
    if len(data) % 2 == 0:
        tries += [("utf-16", ("utf-16-le",)), ("utf-16", ("utf-16-be",))]
    for order, (name, codecs_) in enumerate(tries):
        for codec in codecs_:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            candidates.append((_score(text), -order, text, name))
            break
    if not candidates:
        return None
    score, _, text, name = max(candidates, key=lambda c: (c[0], c[1]))
    if name == "utf-16" and score < 0.5:
        return None
    if score < -0.5 or not _reads_as_text(text):
        return None
    return text, name


def _lenient_candidate(data: bytes) -> tuple[str, str] | None:
    """A text in a supported encoding with a few broken bytes, read with them replaced."""
    best: tuple[int, int, str, str] | None = None
    for order, (codec, name) in enumerate((("utf-8", "utf-8"), ("gb18030", "gb18030"), ("big5", "big5"))):
        text = data.decode(codec, errors="replace")
        broken = text.count("\ufffd")
        if best is None or (broken, order) < (best[0], best[1]):
            best = (broken, order, text, name)
    assert best is not None
    broken, _, text, name = best
    if broken > max(3, len(data) // 2000) or _score(text) < 0.2 or not _reads_as_text(text):
        return None
    return text, name


def _score(text: str) -> float:
    """Mean per character: +1 common CJK, 0 ASCII/punctuation, -1 rare Han, -2 anything else."""
    common = _common_hanzi()
    sample = text[:_SAMPLE_CHARS]
    if not sample:
        return 0.0
    total = 0
    for ch in sample:
        if ch in common:
            total += 1
        elif ch < "\x80" or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e" or "\u2010" <= ch <= "\u2027":
            continue
        elif "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
            total -= 1
        else:
            total -= 2
    return total / len(sample)


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level-1 characters and Big5 frequently-used characters: common in either script."""
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.update(bytes((lead, trail)).decode("gb2312", errors="ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            chars.update(bytes((lead, trail)).decode("big5", errors="ignore"))
    return frozenset(ch for ch in chars if "\u4e00" <= ch <= "\u9fff")
