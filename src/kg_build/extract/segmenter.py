"""The word segmenter: jieba's dictionary and its precise mode, cut by rjieba (jieba-rs, in Rust).

jieba-rs cuts Chinese as jieba does, word for word; it differs only on runs of Latin letters, digits and
signs that are no dictionary word (2026-02-02, AB12-CD), which it keeps whole where jieba splits them
(2026|-|02|-|02). ``cut`` splits those runs again by jieba's own rules, so the words are jieba's: the same on
every bundled report and on every test text, with and without the HMM for unknown words. Cutting is about
ten times faster than jieba's, and its dictionary loads with the module (≈ 0.1 s) instead of jieba's cache
(≈ 0.5 s, after jieba's own imports).

The dictionary's frequencies and part-of-speech tags, which name finding reads, come from jieba's
dictionary file (the one jieba-rs ships too), read once without importing jieba; whether a word is in the
dictionary at all is rjieba's.

No spaCy here (search imports this module too): the spaCy tokenizer over ``cut`` and ``words_and_spaces`` is in
``pipeline.py``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import re
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import rjieba
from kg_build.resources import permanent_tables

_HAN = re.compile("[\u4e00-\u9fd5]")
_ASCII_RUN = re.compile(r"[a-zA-Z0-9+#&._%\-]+")  # what jieba cuts as one block with the Han characters
_ASCII_WORD = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # how jieba splits such a block that no word covers
_CHARACTER = re.compile(r"\r\n|.", re.S)  # anything else: a character a token, a Windows line end one token


def cut(text: str, hmm: bool = True) -> list[str]:
    """jieba's words of ``text`` (precise mode), in order; they join back into ``text``.

    ``hmm``: guess words the dictionary lacks from runs of single characters, as jieba's ``HMM=True``.
    """
    words: list[str] = []
    for word in rjieba.cut(text, hmm):
        if len(word) < 2 or "\u4e00" <= word[0] <= "\u9fd5" or _HAN.search(word):  # most words start with a Han
            words.append(word)
        elif _ASCII_RUN.fullmatch(word):
            if hmm and not rjieba.has_word(word):
                words.extend(part for part in _ASCII_WORD.split(word) if part)
            else:
                words.append(word)
        else:
            words.extend(_CHARACTER.findall(word))
    return words


def words_and_spaces(words: list[str], text: str) -> tuple[list[str], list[bool]]:
    """spaCy's ``get_words_and_spaces`` for words that join into ``text`` (as the segmenter's do), in one pass.

    As spaCy's: a single space after a word is the word's trailing space; any other whitespace between words
    is a token of its own. spaCy's own searches the rest of the text for each word (a copy of the rest each
    time, ≈ 1 s for the bundled reports); the words' own lengths say where each one is.
    """
    if "".join(words) != text:
        from spacy.util import get_words_and_spaces  # noqa: PLC0415 - words cut from another text: spaCy's own check

        return get_words_and_spaces(words, text)
    tokens: list[str] = []
    spaces: list[bool] = []
    gap = ""
    after_word = False
    for word in words:
        if word.isspace():
            gap += word
            continue
        if gap:
            if after_word and gap[0] == " ":
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                tokens.append(gap)
                spaces.append(False)
            gap = ""
        tokens.append(word)
        spaces.append(False)
        after_word = True
    if gap:
        if after_word and gap[0] == " ":
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            tokens.append(gap)
            spaces.append(False)
    return tokens, spaces


def dictionary_file() -> Path:
    """jieba's dictionary (``word frequency tag`` a line), found without importing jieba (≈ 0.5 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise ImportError("jieba's dictionary is missing: pip install jieba")
    return Path(spec.origin).parent / "dict.txt"


def _dictionary_text() -> str:
    """The file's text, read for each table built from it and not kept (≈ 10 MiB as a str)."""
    return dictionary_file().read_text(encoding="utf-8")


FREQUENT_FLOOR = 10  # the table keeps words at least this frequent: the thresholds asked are all above it
CACHE_FORMAT = 1  # raised when what a cached table holds changes
T = TypeVar("T", dict, frozenset)


def cache_folder() -> Path:
    """Where tables read from the dictionary are kept between processes: ``$XDG_CACHE_HOME/policy-kg``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy-kg"


def _cached(name: str, kind: type[T], build: Callable[[], T]) -> T:
    """A table built from the dictionary file, kept in ``cache_folder()`` as the jieba package keeps its own.

    Reading the ≈ 10 MiB dictionary and matching its 350,000 lines took ≈ 0.15 s of every build; a kept table
    loads in a third of that. A table is named by what it is built from (the dictionary's path, size and
    modification time, ``name``, this Python and ``CACHE_FORMAT``), written whole or not at all, and any file
    that cannot be read back as such a table is built again: a folder that cannot be written only costs time.
    """
    source = dictionary_file()
    try:
        stat = source.stat()
        key = f"{CACHE_FORMAT} {sys.version_info[:2]} {source} {stat.st_size} {stat.st_mtime_ns} {name}"
        path = cache_folder() / f"segmenter-{hashlib.sha256(key.encode()).hexdigest()[:24]}.marshal"
    except (OSError, RuntimeError):  # no home folder to keep it in
        return build()
    try:
        table = marshal.loads(path.read_bytes())
        if type(table) is kind and all(type(word) is str for word in table):
            return table
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(table))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass
    return table


@lru_cache(maxsize=1)
def _frequent() -> dict[str, str]:
    def build() -> dict[str, str]:
        return dict(re.findall(r"^(\S+) ([1-9]\d+)", _dictionary_text(), re.M))

    with permanent_tables():  # ≈ 105,000 of the ≈ 350,000 words, kept until the process ends
        return _cached(f"frequent {FREQUENT_FLOOR}", dict, build)


def is_word(word: str) -> bool:
    """True when ``word`` is in the segmenter's dictionary (a frequency above 0)."""
    return rjieba.has_word(word)


def frequent(word: str, at_least: int) -> bool:
    """True when ``word`` occurs at least ``at_least`` times in the segmenter's dictionary.

    Only the words at least ``FREQUENT_FLOOR`` times frequent are kept (building the whole table took twice
    as long), so a lower threshold is refused rather than answered wrongly.
    """
    if at_least < FREQUENT_FLOOR:
        raise ValueError(f"frequency threshold {at_least} is below the table's floor {FREQUENT_FLOOR}")
    count = _frequent().get(word)
    return count is not None and int(count) >= at_least


@lru_cache(maxsize=4)
def tagged_words(tags: frozenset[str]) -> frozenset[str]:
    """The dictionary's words of two or more characters whose part-of-speech tag is one of ``tags``."""
    if not tags:
        return frozenset()
    alternatives = "|".join(re.escape(t) for t in sorted(tags))

    def build() -> frozenset[str]:
        return frozenset(re.findall(rf"^(\S{{2,}}) \d+ (?:{alternatives})$", _dictionary_text(), re.M))

    with permanent_tables():
        return _cached(f"tagged {alternatives}", frozenset, build)
