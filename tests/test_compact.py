"""kg-build compact (LocalStore.compact): the current generation published with its files merged, the same graphs."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from integration_helpers import copy_store, store_nquads
from kg_build.cli import main
from kg_build.errors import StoreError, StoreMissingError
from kg_build.search import search
from kg_build.stats import recorded_stats
from kg_build.store import GENERATIONS, LocalStore, faults, open_store


def added(store: LocalStore, name: str) -> None:
    """One small report graph more, as a build that adds a report leaves it: its files not merged yet."""
    graph = f"https://w3id.org/policy-kg/id/report/{name}"
    with store.writer() as writer:
        writer.replace_graph(graph, f'<{graph}> <http://www.w3.org/2000/01/rdf-schema#label> "{name}" <{graph}> .\n'.encode())
        writer.keep_stats(lambda graph_quads: recorded_stats(writer, graph_quads))  # as a build records them


@pytest.fixture()
def grown(built_store, tmp_path) -> LocalStore:
    """The bundled reports' store with two small graphs added after it, one build each."""
    store = copy_store(built_store, tmp_path / "store")
    added(store, "extra-2090")
    added(store, "extra-2091")
    return store


def test_compacting_keeps_every_graph_and_the_search_and_zeroes_what_was_left_unmerged(grown, monkeypatch):
    before = grown.info()
    assert before["loads_since_compaction"] > 0 and before["quads_written_since_compaction"] > 0
    quads, hits = store_nquads(grown), search(grown.local_root / "current", "经济").total
    steps: list[str] = []
    monkeypatch.setattr(faults, "step_hook", steps.append)
    assert grown.compact() == before  # the record of the generation compacted: what it had left unmerged
    assert "compact" in steps
    assert int(grown.generation()) == int(before_generation(grown)) + 1
    after = grown.info()
    assert (after["loads_since_compaction"], after["quads_written_since_compaction"]) == (0, 0)
    assert after["stats"] == before["stats"] and after["graph_quads"] == before["graph_quads"]
    assert store_nquads(grown) == quads
    assert search(grown.local_root / "current", "经济").total == hits > 0
    again = grown.compact()  # nothing left unmerged: compacted all the same
    assert (again["loads_since_compaction"], again["quads_written_since_compaction"]) == (0, 0)
    assert store_nquads(grown) == quads


def before_generation(store: LocalStore) -> str:
    """The generation published before the current one (a store keeps it beside the current)."""
    generations = sorted(p.name for p in (store.root / GENERATIONS).iterdir() if p.name.isdigit())
    return generations[-2]


def test_a_compaction_stopped_half_way_changes_nothing(grown, monkeypatch):
    generation, quads, record = grown.generation(), store_nquads(grown), grown.info()

    def stop(step: str) -> None:
        if step == "compact":
            raise KeyboardInterrupt  # as a reader pressing Ctrl-C while the files are rewritten

    monkeypatch.setattr(faults, "step_hook", stop)
    with pytest.raises(KeyboardInterrupt):
        grown.compact()
    monkeypatch.setattr(faults, "step_hook", None)
    assert grown.generation() == generation and grown.info() == record and store_nquads(grown) == quads
    assert not [p for p in (grown.root / GENERATIONS).iterdir() if p.name.endswith(".partial")]


# (the store named, error class, exit code, what the one line says)
REFUSED = [
    ("missing", StoreMissingError, 7, "no store at"),
    ("http://127.0.0.1:9/sparql", StoreError, 6, "is a SPARQL endpoint"),
]


@pytest.mark.parametrize(("where", "error", "code", "says"), REFUSED)
def test_a_store_that_cannot_be_compacted_is_refused_in_one_line(tmp_path, where, error, code, says):
    location = str(tmp_path / where) if where == "missing" else where
    with pytest.raises(error, match=says):
        open_store(location).compact()
    result = CliRunner().invoke(main, ["compact", "--store", location])
    assert result.exit_code == code
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ") and says in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "missing").exists()  # nothing made where there was no store


def test_the_command_says_what_it_merged_and_the_generation_it_published(grown):
    result = CliRunner().invoke(main, ["compact", "--store", str(grown.root)])
    assert result.exit_code == 0, result.output
    first, second = result.output.splitlines()
    assert first.startswith("compacted ") and first.endswith(" quads written since the last compaction")
    assert second == f"store {grown.root} now at generation {grown.generation()}"


def test_a_build_into_a_compacted_store_counts_from_nothing(grown):
    grown.compact()
    added(grown, "extra-2092")
    record = grown.info()
    assert record["loads_since_compaction"] >= 1 and 0 < record["quads_written_since_compaction"] <= 10

