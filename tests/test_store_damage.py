"""A damaged store or a malformed record gives one line saying so (never a traceback, never healthy counts)."""

from __future__ import annotations

import json
import resource
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_sample_store
from integration_helpers import kg_build_command
from kg_build.cli import main
from kg_build.errors import StoreDamagedError, StoreMissingError
from kg_build.model.vocab import DATA_NS
from kg_build.store import INFO_FILE, LocalStore

SAMPLE_GRAPH = f"{DATA_NS}report/shili-2026"


def _each_sst(generation: Path, change) -> None:  # noqa: ANN001
    for path in generation.glob("*.sst"):
        path.write_bytes(change(path.read_bytes()))


def _garble(data: bytes) -> bytes:
    return data[:64] + bytes(b ^ 0x5A for b in data[64:1064]) + data[1064:]


# (what is damaged, how) — every one found by opening or reading the current generation
DAMAGE = [
    ("every data file truncated", lambda g: _each_sst(g, lambda b: b[: len(b) // 2])),
    ("every data file garbled", lambda g: _each_sst(g, _garble)),
    ("the MANIFEST garbled", lambda g: next(g.glob("MANIFEST-*")).write_bytes(b"garbage" * 10)),
    ("CURRENT garbled", lambda g: (g / "CURRENT").write_text("nonsense\n")),
]
COMMANDS = [["stats"], ["export", "--format", "nquads"], ["check"]]


def _damaged_store(tmp_path: Path, damage) -> LocalStore:  # noqa: ANN001
    store = write_sample_store(tmp_path / "store")
    damage(store.root / "current")
    return store


def _limited() -> None:
    """A damaged file can make Oxigraph allocate without bound: the commands run under 2 GiB of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("damage", [d[1] for d in DAMAGE], ids=[d[0] for d in DAMAGE])
def test_a_damaged_store_is_one_line_in_the_cli(tmp_path: Path, damage, command: list[str]) -> None:  # noqa: ANN001
    store = _damaged_store(tmp_path, damage)
    proc = subprocess.run(
        [*kg_build_command(), *command, "--store", str(store.root)],
        capture_output=True, text=True, timeout=120, preexec_fn=_limited,
    )
    assert proc.returncode == (1 if command == ["check"] else StoreDamagedError.exit_code), proc.stderr  # check: found
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr
    if command == ["check"]:
        assert "damaged" in proc.stdout and proc.stderr.startswith("Error: generation 000001")
    else:
        assert proc.stderr.startswith(f"Error: the store at {store.root} is damaged (generation 000001: ")
        assert "rebuild it with `kg-build build" in proc.stderr


@pytest.mark.parametrize("damage", [d[1] for d in DAMAGE if "MANIFEST" in d[0] or "truncated" in d[0]],
                         ids=["truncated", "manifest"])
def test_the_library_raises_a_type_the_app_can_show(tmp_path: Path, damage) -> None:  # noqa: ANN001
    store = _damaged_store(tmp_path, damage)
    for read in (store.open_read, store.named_graphs, store.verify_graphs, lambda: store.query("ASK { ?s ?p ?o }")):
        with pytest.raises(StoreDamagedError, match=r"^the store at .* is damaged \(generation 000001: .*Corruption"):
            read()


# (what is wrong with policy-kg.json, its text, words of the one-line error)
GOOD = {"default_graph": "set-union", "graph_quads": {SAMPLE_GRAPH: 3}, "quads": 3}
RECORDS = [
    ("not JSON", "{not json", "is not JSON"),
    ("not an object", "[]", "is not a JSON object"),
    ("a key missing", json.dumps({"default_graph": "set-union", "graph_quads": {}}), "lacks quads"),
    ("graph counts a list", json.dumps({**GOOD, "graph_quads": [3]}), "graph_quads is not"),
    ("a count a string", json.dumps({**GOOD, "graph_quads": {SAMPLE_GRAPH: "3"}}), "graph_quads is not"),
    ("a count negative", json.dumps({**GOOD, "graph_quads": {SAMPLE_GRAPH: -3}, "quads": -3}), "graph_quads is not"),
    ("the total wrong", json.dumps({**GOOD, "quads": 4}), "not the sum"),
    ("the total a bool", json.dumps({**GOOD, "graph_quads": {SAMPLE_GRAPH: 1}, "quads": True}), "not the sum"),
    ("stats without reports", json.dumps({**GOOD, "stats": {"classes": []}}), "stats is not"),
    ("a report without its title",
     json.dumps({**GOOD, "stats": {"reports": [{"report_id": "x", "iri": SAMPLE_GRAPH, "quads": 3}], "classes": []}}),
     "stats has a report without"),
    ("a class count a string", json.dumps({**GOOD, "stats": {"reports": [], "classes": [["Target", "3"]]}}),
     "class count"),
    ("not UTF-8", b"\xff\xfe{}", "cannot be read"),
]


@pytest.mark.parametrize(("text", "words"), [r[1:] for r in RECORDS], ids=[r[0] for r in RECORDS])
def test_a_malformed_record_is_one_line(tmp_path: Path, text: str | bytes, words: str) -> None:
    store = write_sample_store(tmp_path / "store")
    record = store.root / "current" / INFO_FILE
    record.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(StoreDamagedError, match=words):
        LocalStore(store.root).info()
    for command in (["stats"], ["query", "ASK { ?s ?p ?o }"]):
        result = CliRunner().invoke(main, [*command, "--store", str(store.root)])
        assert result.exit_code == StoreDamagedError.exit_code, (command, result.output)
        assert result.output.startswith(f"Error: the store at {store.root} is damaged (generation 000001: {INFO_FILE}")
        assert words in result.output and result.output.count("\n") == 1
    check = CliRunner().invoke(main, ["check", "--store", str(store.root)])
    assert check.exit_code == 1 and check.output.startswith("000001   damaged") and words in check.output


def test_stats_does_not_show_a_store_whose_graphs_are_not_its_record(tmp_path: Path) -> None:
    store = write_sample_store(tmp_path / "store")
    record = store.root / "current" / INFO_FILE
    data = json.loads(record.read_text(encoding="utf-8"))
    data["graph_quads"][f"{DATA_NS}report/gone-2026"] = 5  # a graph the record names and the store lacks
    data["quads"] += 5
    record.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", "--store", str(store.root)])
    assert result.exit_code == StoreDamagedError.exit_code
    assert "does not match its graphs: 1 recorded graph missing (gone-2026)" in result.output


def _rewrite_record(generation: Path, change) -> None:  # noqa: ANN001
    record = generation / INFO_FILE
    data = json.loads(record.read_text(encoding="utf-8"))
    change(data)
    record.write_text(json.dumps(data), encoding="utf-8")


def _recount(data: dict, graph: str, delta: int) -> None:
    data["graph_quads"][graph] += delta
    data["quads"] += delta


# (what is changed in which generation, the status lines `check` prints, its exit status)
CHECKS = [
    ("nothing", None, None, ["ok", "ok"], 0),
    ("a count in the current one", "000002", lambda d: _recount(d, SAMPLE_GRAPH, 7), ["ok", "mismatch"], 1),
    ("a count in the previous one", "000001", lambda d: _recount(d, SAMPLE_GRAPH, -1), ["mismatch", "ok"], 1),
    ("a report's recorded stats", "000002",
     lambda d: d.setdefault("stats", {"reports": [], "classes": []})["reports"].append(
         {"report_id": "shili-2026", "iri": SAMPLE_GRAPH, "title": "", "quads": 1}), ["ok", "mismatch"], 1),
]


@pytest.mark.parametrize(("generation", "change", "statuses", "exit_code"), [c[1:] for c in CHECKS],
                         ids=[c[0] for c in CHECKS])
def test_check_compares_every_generation_with_its_record(
    tmp_path: Path, generation: str | None, change, statuses: list[str], exit_code: int  # noqa: ANN001
) -> None:
    store = write_sample_store(tmp_path / "store")
    with store.writer() as writer:  # a second generation; the first is kept
        writer.replace_graph(f"{DATA_NS}report/extra-2026", f"<{DATA_NS}report/extra-2026> <{DATA_NS}p> \"x\" "
                             f"<{DATA_NS}report/extra-2026> .\n".encode())
    if generation is not None:
        _rewrite_record(store.root / "generations" / generation, change)
    result = CliRunner().invoke(main, ["check", "--store", str(store.root)])
    assert result.exit_code == exit_code, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("Error:")]
    assert [line.split()[:2] for line in lines] == [["000001", statuses[0]], ["000002", statuses[1]]]
    assert lines[1].endswith("(current)") and "quads in" in lines[0]


def test_check_lists_what_a_stopped_build_left_without_failing(tmp_path: Path) -> None:
    store = write_sample_store(tmp_path / "store")
    (store.root / "generations" / "000002").mkdir()  # renamed into place, never published
    (store.root / "generations" / "000003.partial").mkdir()
    result = CliRunner().invoke(main, ["check", "--store", str(store.root)])
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.output.splitlines()] == [
        ["000001", "ok"], ["000002", "unpublished"], ["000003.partial", "unpublished"]]


def test_check_needs_a_built_local_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--store", str(tmp_path / "none")])
    assert result.exit_code == StoreMissingError.exit_code and result.output.startswith("Error: no store at")
