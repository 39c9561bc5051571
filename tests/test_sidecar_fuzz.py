"""Random sidecars through ``kg-build build``: the report's own graph only, or one line and the store as it was.

Every sidecar field gets random values (quotes, ``>``, line breaks, control characters, any
Unicode but surrogates, very long strings, nested JSON, deep nesting, injection payloads that
try to close an IRI or a literal and name another report's graph). Each build goes into a
real on-disk store that already holds a victim report; afterwards either the build succeeded
and every quad it wrote is in its report's graph (the victim's graph and the ontology byte for
byte as before), or it failed with one ``Error:`` line, no traceback, a non-zero exit, and the
store holds exactly what it held.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from integration_helpers import store_nquads
from kg_build.cli import main
from kg_build.model.vocab import DATA_NS
from kg_build.store import LocalStore

REPORT_TEXT = "示例区2026年政府工作报告\n一、扩大有效投资\n推动滨海创新园等30个项目开工，固定资产投资增长8%以上。\n"
VICTIM = f"{DATA_NS}report/victim-graph-1901"
FIELDS = (
    "id", "region", "city", "province", "level", "title", "publisher", "source_url",
    "plan_year", "review_year", "authors", "published", "notes", "colour",
)  # fmt: skip
PAYLOADS = [
    f"http://x/> <http://a> <http://b> <{VICTIM}> .\n<http://y",
    f'x"@zh-Hans <{VICTIM}> .\n<{VICTIM}> <http://a> "owned" <{VICTIM}> .\n',
    f'x" <{VICTIM}> .\r',
    "\\",
    '"',
    ">",
    "a\u2028b\u0085c\x00d\x1b",
    "https://example.org/ok",
    "北京市",
]
TEXT = st.text(
    st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from('<>"\\\n\r\t\x00\x0b\x7f\x85\u2028 {}|^`#%')),
    max_size=80,
)
STRINGS = st.one_of(TEXT, st.sampled_from(PAYLOADS), st.text(min_size=400, max_size=3000))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.floats() | STRINGS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=6,
)
RAW_VALUES = st.one_of(
    JSON_VALUES.map(lambda v: json.dumps(v, ensure_ascii=False)),
    JSON_VALUES.map(lambda v: json.dumps(v)),  # \uXXXX escapes, control characters among them
    st.one_of(
        st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth),  # deep nesting
        st.sampled_from(["NaN", "-Infinity", "1" + "0" * 5000, '"\\ud800"']),  # what json.loads takes, Python dislikes
    ),
)
ONE_LINE = st.one_of(  # text a sidecar accepts: anything on one line, quotes, brackets and backslashes common
    st.text(st.one_of(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), st.sampled_from('<>"\\{}|^`@ #')),
            max_size=80),
    st.sampled_from([f'x" <{VICTIM}> . "', f"> <http://a> <{VICTIM}> .", '\\" .', "\\u0022 \\n"]),
)
PLAUSIBLE = {  # values near the valid ones, so that many builds succeed and their graphs get checked
    **dict.fromkeys(("region", "city", "province", "level", "title", "publisher", "notes", "colour"), ONE_LINE),
    "id": st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}", fullmatch=True),
    "region": st.one_of(ONE_LINE, st.sampled_from(["湖里区", "北京市", "示例区", "火星区"])),
    "plan_year": st.integers(1890, 2110),
    "review_year": st.integers(1890, 2110),
    "published": st.sampled_from(["2026-02-02", "2026", "2026-02", "2026-02-30"]),
    "source_url": STRINGS.map(lambda t: "https://example.org/" + t),
    "authors": st.lists(ONE_LINE, max_size=3),
}


def _fields(*, raw: bool) -> st.SearchStrategy[str]:
    """A sidecar's JSON text: up to eight fields, each a near-valid value (or, with ``raw``, anything)."""

    def value(key: str) -> st.SearchStrategy[tuple[str, str]]:
        plausible = PLAUSIBLE.get(key, STRINGS).map(lambda v: json.dumps(v, ensure_ascii=False))
        return st.tuples(st.just(key), st.one_of(plausible, RAW_VALUES) if raw else plausible)

    pairs = st.lists(st.sampled_from(FIELDS).flatmap(value), max_size=8, unique_by=lambda kv: kv[0])
    return pairs.map(lambda kv: "{" + ", ".join(f"{json.dumps(k)}: {v}" for k, v in kv) + "}")


SIDECARS = st.one_of(_fields(raw=False), _fields(raw=True))


@pytest.fixture(scope="module")
def victim_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    """A store that holds one report (the victim) besides the ontology."""
    folder = tmp_path_factory.mktemp("victim")
    (folder / "victim.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "victim.meta.json").write_text(json.dumps({"id": "victim-graph-1901", "title": "受害者"}), encoding="utf-8")
    store = LocalStore(folder / "store")
    result = CliRunner().invoke(main, ["build", str(folder / "victim.txt"), "--store", str(store.root)])
    assert result.exit_code == 0, result.output
    return store


def _graph_of(line: bytes) -> bytes:
    return line.rsplit(b" ", 2)[-2]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sidecar=SIDECARS)
def test_a_random_sidecar_writes_only_its_reports_graph_or_fails_in_one_line(
    victim_store: LocalStore, tmp_path: Path, sidecar: str
) -> None:
    (tmp_path / "report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (tmp_path / "report.meta.json").write_text(sidecar, encoding="utf-8")
    before = store_nquads(victim_store)
    result = CliRunner().invoke(main, ["build", str(tmp_path / "report.txt"), "--store", str(victim_store.root)])
    after = store_nquads(victim_store)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert after == before
        event("refused: " + errors[0].split(":", 3)[2].strip()[:40])
        return
    built = re.search(r"built (\S+):", result.output)
    if built is None:  # unchanged since an earlier example: skipped, nothing written
        assert after == before, result.output
        event("skipped, unchanged")
        return
    event("built")
    graph = f"<{DATA_NS}report/{built.group(1)}>".encode()
    assert graph != f"<{VICTIM}>".encode()
    lines_after, lines_before = after.splitlines(keepends=True), before.splitlines(keepends=True)
    # every other graph (the victim's, the ontology, earlier examples' reports) byte for byte as it was
    assert [x for x in lines_after if _graph_of(x) != graph] == [x for x in lines_before if _graph_of(x) != graph]
    mine = b"".join(x for x in lines_after if _graph_of(x) == graph)
    quads = list(ox.parse(mine, format=ox.RdfFormat.N_QUADS))
    assert quads and {q.graph_name.value for q in quads} == {graph.decode()[1:-1]}
    report_scoped = {q.subject.value for q in quads if q.subject.value.startswith(f"{DATA_NS}report/")}
    assert all(s == graph.decode()[1:-1] or s.startswith(graph.decode()[1:-1] + "/") for s in report_scoped)
    fields = json.loads(sidecar)
    title = fields.get("title")
    if isinstance(title, str) and title.strip():  # accepted: stored exactly as given (stripped)
        stored = {q.object.value for q in quads if q.predicate.value == "http://purl.org/dc/terms/title"}
        assert stored == {title.strip()}
