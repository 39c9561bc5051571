"""The spaCy pipeline: blank Chinese cut into jieba's words, plus components that read names, configured from data.

Built once per process (``get_pipeline``). The words are jieba's, cut by rjieba (``segmenter.py``:
``SEGMENTER = "rjieba"``); ``"jieba"`` selects spaCy's own jieba tokenizer, the same words ten times slower,
kept for measuring one against the other. Components write ``doc._.policy_candidates`` (every
candidate mention, exact character offsets) and ``doc._.policy_mentions`` (after overlaps are
settled); ``doc.spans["names"]`` holds the same mentions as token spans, for display.
"""

from __future__ import annotations

import logging

from functools import lru_cache
from pathlib import Path

import spacy
import srsly
from itertools import product

from spacy.attrs import IDX, IS_SPACE, LENGTH, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span as TokenSpan
from spacy.util import registry
from spacy.vocab import Vocab

from kg_build.document import Mention, Span
from kg_build.extract.entities import find_names, settle
from kg_build.extract.gazetteers import (
    ReportContext,
    find_companies,
    find_government_bodies,
    find_places,
    national_body,
)
from kg_build.extract.segmenter import cut, words_and_spaces
from kg_build.extract.tokens import TokenIndex
from kg_build.resources import permanent_tables

DATA = Path(__file__).parent / "data"
CONTEXT_KEY = "policy_context"
TEXT_KEY, TOKENS_KEY = "policy_text", "policy_tokens"  # read once per document, shared by the components
SEGMENTER = "rjieba"  # or "jieba": spaCy's own tokenizer over jieba (the same words, slower)
CONFIGS = {
    "rjieba": {"nlp": {"tokenizer": {"@tokenizers": "policy_kg.segmenter.v1"}}},
    "jieba": {"nlp": {"tokenizer": {"segmenter": "jieba"}}},
}

for _name in ("policy_candidates", "policy_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class SegmenterTokenizer:
    """spaCy tokenizer: a token per word of ``segmenter.cut`` (jieba's words), whitespace kept as spaCy's own
    Chinese tokenizer keeps it (``segmenter.words_and_spaces``)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_bytes(self, **kwargs) -> bytes:  # nothing to save: the dictionary ships with rjieba
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "SegmenterTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "SegmenterTokenizer":
        return self


@registry.tokenizers("policy_kg.segmenter.v1")
def create_tokenizer():
    """The tokenizer by name: ``[nlp.tokenizer] @tokenizers = "policy_kg.segmenter.v1"``."""

    def make(nlp: Language) -> SegmenterTokenizer:
        return SegmenterTokenizer(nlp.vocab)

    return make


def _context(doc: Doc) -> ReportContext:
    return doc.user_data.get(CONTEXT_KEY) or ReportContext()


def _text(doc: Doc) -> str:
    """The document's text (``doc.text`` joins every token anew on each call)."""
    if TEXT_KEY not in doc.user_data:
        doc.user_data[TEXT_KEY] = doc.text
    return doc.user_data[TEXT_KEY]


def _tokens(doc: Doc) -> TokenIndex:
    """Offsets of the tokens that are not whitespace, read from the token array once per document."""
    if TOKENS_KEY not in doc.user_data:
        array = doc.to_array([IDX, LENGTH, IS_SPACE])
        words = array[array[:, 2] == 0]
        begins, ends = words[:, 0].tolist(), (words[:, 0] + words[:, 1]).tolist()
        doc.user_data[TOKENS_KEY] = TokenIndex.of(list(zip(begins, ends)))
    return doc.user_data[TOKENS_KEY]


def _add(doc: Doc, mentions: list[Mention]) -> None:
    doc._.policy_candidates = list(doc._.policy_candidates or []) + list(mentions)


class TokenPatterns:
    """``data/patterns_tokens.jsonl`` matched as spaCy's ``span_ruler`` matches it, into ``doc.spans["ruler"]``.

    A pattern is a phrase (its tokens as the tokenizer cuts it) or a list of tokens by ``TEXT``/``ORTH``, each
    optional with ``"OP": "?"``; every match of every pattern is kept (overlaps too), each span once, sorted.
    spaCy's matchers make a Python object of every token of the text to compare a few words (≈ 0.08 s a
    build of the bundled reports); the token array's word ids, compared at once, find the same spans.
    """

    def __init__(self, nlp: Language, patterns: list[dict]) -> None:
        self.sequences: list[tuple[tuple[int, ...], str, str]] = []  # (word ids in order, label, id)
        for entry in patterns:
            pattern, label, span_id = entry["pattern"], entry["label"], entry.get("id", "")
            if isinstance(pattern, str):
                choices = [[(nlp.vocab.strings.add(t.text),)] for t in nlp.make_doc(pattern)]
            else:
                choices = [self._token(nlp, token, entry) for token in pattern]
            for picked in product(*choices):  # an optional token taken or left out: every way
                words = tuple(w for option in picked for w in option)
                if words:
                    self.sequences.append((words, label, span_id))

    @staticmethod
    def _token(nlp: Language, token: dict, entry: dict) -> list[tuple[int, ...]]:
        keys = set(token) - {"OP"}
        if len(keys) != 1 or next(iter(keys)) not in ("TEXT", "ORTH") or token.get("OP", "?") != "?":
            raise ValueError(f"patterns_tokens.jsonl: only TEXT/ORTH tokens, optional with \"OP\": \"?\": {entry}")
        word = (nlp.vocab.strings.add(token[next(iter(keys))]),)
        return [word, ()] if "OP" in token else [word]

    def __call__(self, doc: Doc) -> Doc:
        words = doc.to_array(ORTH)
        found = set()
        for sequence, label, span_id in self.sequences:
            n = len(sequence)
            for start in (words[: len(words) - n + 1] == sequence[0]).nonzero()[0].tolist():
                if n == 1 or tuple(words[start : start + n].tolist()) == sequence:
                    found.add(TokenSpan(doc, start, start + n, label=label, span_id=span_id))
        doc.spans["ruler"] = sorted(found)
        return doc


class GazetteerReader:
    """Places, companies and government bodies known in advance."""

    def __call__(self, doc: Doc) -> Doc:
        context, tokens = _context(doc), _tokens(doc)
        national = [national_body(s.text, Span(s.start_char, s.end_char), "national-body") for s in doc.spans.get("ruler", [])]
        text = _text(doc)
        found = find_places(text, tokens, context) + find_companies(text, tokens)
        found += national + find_government_bodies(text, tokens, context, taken=tuple(m.span for m in national))
        _add(doc, found)
        return doc


class NameReader:
    """Structural names: head words, quoted names, enumerations."""

    def __call__(self, doc: Doc) -> Doc:
        _add(doc, find_names(_text(doc), _tokens(doc), excluded=_context(doc).excluded))
        return doc


class MentionSettler:
    """One reading per stretch of text; writes ``doc._.policy_mentions`` and ``doc.spans["names"]``."""

    def __call__(self, doc: Doc) -> Doc:
        mentions = settle(list(doc._.policy_candidates or []))
        doc._.policy_mentions = mentions
        spans = []
        for mention in mentions:
            span = doc.char_span(mention.span.begin, mention.span.end, label=mention.type.value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["names"] = spans
        return doc


@Language.factory("policy_token_patterns")
def make_token_patterns(nlp: Language, name: str) -> TokenPatterns:
    """Component: token and phrase patterns (data/patterns_tokens.jsonl) into ``doc.spans["ruler"]``."""
    return TokenPatterns(nlp, list(srsly.read_jsonl(DATA / "patterns_tokens.jsonl")))


@Language.factory("policy_gazetteer")
def make_gazetteer(nlp: Language, name: str) -> GazetteerReader:
    """Component: gazetteer mentions (data/companies.tsv, data/places/, data/government_bodies.json)."""
    return GazetteerReader()


@Language.factory("policy_names")
def make_names(nlp: Language, name: str) -> NameReader:
    """Component: structural names (data/patterns_names.jsonl, data/name_words.json)."""
    return NameReader()


@Language.factory("policy_mentions")
def make_mentions(nlp: Language, name: str) -> MentionSettler:
    """Component: settle overlapping candidates into the mentions of the document."""
    return MentionSettler()


def get_pipeline(segmenter: str | None = None) -> Language:
    """The pipeline, built once per process: jieba's words, token patterns, gazetteers, names, settling.

    ``segmenter``: ``"rjieba"`` or ``"jieba"``; ``SEGMENTER`` when not given."""
    return _pipeline(segmenter or SEGMENTER)


@lru_cache(maxsize=2)
def _pipeline(segmenter: str) -> Language:
    if segmenter not in CONFIGS:
        raise ValueError(f"unknown segmenter {segmenter!r}: one of {', '.join(CONFIGS)}")
    if segmenter == "jieba":
        import jieba  # noqa: PLC0415 - spaCy loads it; quiet its start-up chatter on stderr

        jieba.setLogLevel(logging.WARNING)
    with permanent_tables():  # spaCy's language data and the segmenter's dictionary: loaded once, kept
        nlp = spacy.blank("zh", config=CONFIGS[segmenter])
        # the components read a token's text, offsets and whether it is whitespace, nothing else: the other
        # lexical attributes spaCy computes for each new word (like_num, shape, prefix, …) cost ≈ 0.1 s a build
        nlp.vocab.lex_attr_getters = {IS_SPACE: nlp.vocab.lex_attr_getters[IS_SPACE]}
        nlp.add_pipe("policy_token_patterns", name="policy_ruler")
        nlp.add_pipe("policy_gazetteer")
        nlp.add_pipe("policy_names")
        nlp.add_pipe("policy_mentions")
    return nlp


def run(text: str, context: ReportContext) -> Doc:
    """Run the pipeline over a text with the report's context; mentions in ``doc._.policy_mentions``."""
    nlp = get_pipeline()
    doc = nlp.make_doc(text)
    doc.user_data[CONTEXT_KEY] = context
    doc.user_data[TEXT_KEY] = text  # what doc.text would join again: the tokens are cut from this text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc
