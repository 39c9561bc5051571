"""How a thing's label is chosen for a reader: one rule for the explorer (``kg_build.explore.labels``) and for the
browse tables the store's writer records (``kg_build.search.update_browse``).

The reader's language first (then simplified Chinese, then any), then the predicates in ``LABEL_PREDICATES``' order.
skos:altLabel is read for its pinyin only (the other altLabels are other names, not the name), and pinyin only for
an English reader, marked as such. With no label, an IRI is shown by its prefixed name.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg_build.model.vocab import PREFIXES

SKOS_PREF = PREFIXES["skos"] + "prefLabel"
SKOS_ALT = PREFIXES["skos"] + "altLabel"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
PINYIN_TAG = "zh-latn-pinyin"  # a name romanised (skos:altLabel), not translated: shown only where no @en exists
PINYIN_MARK = " (pinyin)"  # how an English reader is told a label is a romanisation
LANG_ORDER = {
    "zh": ("zh-hans", "zh-cn", "zh", "zh-hant", "", "en"),
    "en": ("en", PINYIN_TAG, "zh-hans", "zh-cn", "zh", "zh-hant", ""),
}
LABEL_PREDICATES = (SKOS_PREF, RDFS_LABEL, PREFIXES["nif"] + "anchorOf", SKOS_ALT)


def prefixed_name(iri: str) -> str:
    """``pol:Target`` for an IRI under a known prefix (longest namespace wins), else the IRI itself."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def label_key(predicate: str, text: str, tag: str, lang: str) -> tuple[int, int, str] | None:
    """How good one stated label is for a reader of ``lang`` (the least key wins; its last part is the text shown),
    or None when it is not a label for that reader. ``tag`` is the literal's language tag, lowercase."""
    if (predicate == SKOS_ALT) != (tag == PINYIN_TAG) or (tag == PINYIN_TAG and lang != "en"):
        return None
    order = LANG_ORDER.get(lang, LANG_ORDER["zh"])
    shown = text + PINYIN_MARK if tag == PINYIN_TAG else text
    return (order.index(tag) if tag in order else len(order), LABEL_PREDICATES.index(predicate), shown)


def best_label(said: Iterable[tuple[str, str, str]], lang: str) -> str | None:
    """The label shown to a reader of ``lang`` among (predicate, text, lowercase tag) statements, or None."""
    keys = [k for p, text, tag in said if (k := label_key(p, text, tag, lang)) is not None]
    return min(keys)[2] if keys else None
