"""The on-disk store: generations published atomically, failures change nothing, readers stay safe."""

import os
import subprocess
import sys
import textwrap

import pytest

from kg_build.errors import StoreError
from kg_build.store import LocalStore, SelectResult

G1, G2 = "http://example.org/g/1", "http://example.org/g/2"


def nq(graph: str, value: str) -> bytes:
    return f'<http://example.org/s> <http://example.org/p> "{value}" <{graph}> .\n'.encode()


def values(store: LocalStore) -> list[tuple[str, str]]:
    result = store.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?o", union_default=False)
    assert isinstance(result, SelectResult)
    return [(str(g), str(o)) for g, o in result.rows]


def default_graph(store: LocalStore) -> list[str]:
    """The stored default graph's objects, read without Oxigraph's union."""
    import pyoxigraph as ox

    handle = store.open_read()
    return sorted(q.object.value for q in handle.quads_for_pattern(None, None, None, ox.DefaultGraph()))


# each case: writes (graph, values or None to drop) in one or more builds → the default graph after
UNION_CASES = [
    ("one graph", [[(G1, "ab")]], ["a", "b"]),
    ("a triple two graphs share is held once", [[(G1, "ab"), (G2, "bc")]], ["a", "b", "c"]),
    ("replacing keeps what the other graph states", [[(G1, "ab"), (G2, "bc")], [(G1, "d")]], ["b", "c", "d"]),
    ("dropping one of two holders keeps the triple", [[(G1, "ab"), (G2, "bc")], [(G2, None)]], ["a", "b"]),
    ("dropping every holder removes it", [[(G1, "ab"), (G2, "b")], [(G1, None)], [(G2, None)]], []),
    ("a replace within one build", [[(G1, "ab"), (G1, "c")]], ["c"]),
    ("written and dropped within one build", [[(G1, "ab"), (G2, "b"), (G1, None)]], ["b"]),
]


def triples(graph: str, letters: str) -> bytes:
    return b"".join(nq(graph, letter) for letter in letters)


@pytest.mark.parametrize(("builds", "expected"), [c[1:] for c in UNION_CASES], ids=[c[0] for c in UNION_CASES])
def test_the_default_graph_is_the_set_union_of_the_named_graphs(tmp_path, builds, expected):
    store = LocalStore(tmp_path)
    for writes in builds:
        with store.writer() as w:
            for graph, letters in writes:
                if letters is None:
                    w.drop_graph(graph)
                else:
                    w.replace_graph(graph, triples(graph, letters))
    assert default_graph(store) == expected
    # a query without GRAPH sees each triple once, and counts and dumps leave the derived graph out
    result = store.query("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o")
    assert [str(o) for (o,) in result.rows] == expected
    named = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union_default=False).rows[0][0]
    assert store.quad_count() == int(named)
    import pyoxigraph as ox

    dumped = store.dump(fmt=ox.RdfFormat.N_QUADS)
    assert dumped.count(b"\n") == int(named)
    assert all(line.endswith((f"<{G1}> .".encode(), f"<{G2}> .".encode())) for line in dumped.splitlines())
    for graph in store.named_graphs():
        one = store.dump(fmt=ox.RdfFormat.N_QUADS, graph=graph)  # one graph keeps its name, as a quad format says
        assert one and all(line.endswith(f"<{graph}> .".encode()) for line in one.splitlines())
        assert store.dump(fmt=ox.RdfFormat.N_TRIPLES, graph=graph).count(b"\n") == one.count(b"\n")


def test_a_generation_without_its_record_is_refused_in_one_line(tmp_path):
    import pyoxigraph as ox

    from kg_build.errors import StoreDamagedError

    # a generation as a 0.1 build wrote it: named graphs only, no record beside RocksDB's files
    (tmp_path / "generations").mkdir()
    legacy = ox.Store(str(tmp_path / "generations" / "000001"))
    legacy.load(triples(G1, "ab") + triples(G2, "bc"), format=ox.RdfFormat.N_QUADS)
    legacy.flush()
    del legacy
    os.symlink("generations/000001", tmp_path / "current")
    old = LocalStore(tmp_path)
    for read in (lambda: old.query("SELECT ?o WHERE { ?s ?p ?o }"), old.info, old.writer().__enter__):
        with pytest.raises(StoreDamagedError, match=r"generation 000001: no policy-kg.json: a 0.1 build wrote it") as caught:
            read()
        assert "\n" not in str(caught.value) and "rebuild it" in str(caught.value)
    assert [(c.name, c.status) for c in old.check()] == [("000001", "damaged")]


def test_a_store_that_was_never_built_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="kg-build build"):
        LocalStore(tmp_path / "none").query("ASK {}")


def test_replacing_one_graph_leaves_the_others(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
        w.replace_graph(G2, nq(G2, "b"))
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "c"))
    assert values(store) == [(G1, "c"), (G2, "b")]


def test_a_failed_write_publishes_nothing(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
    before = store.generation()
    with pytest.raises(RuntimeError):
        with store.writer() as w:
            w.replace_graph(G1, nq(G1, "changed"))
            w.drop_graph(G1)
            raise RuntimeError("half-way")
    assert store.generation() == before
    assert values(store) == [(G1, "a")]
    assert not list((tmp_path / "generations").glob("*.partial"))


def test_a_killed_writer_publishes_nothing(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
    before = store.generation()
    script = textwrap.dedent(
        f"""
        import os
        from kg_build.store import LocalStore
        with LocalStore({str(tmp_path)!r}).writer() as w:
            w.replace_graph({G1!r}, b'<http://example.org/s> <http://example.org/p> "killed" <{G1}> .\\n')
            os._exit(9)  # dies inside the write, like SIGKILL: no cleanup runs
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], check=False)
    assert proc.returncode == 9
    assert store.generation() == before
    assert values(store) == [(G1, "a")]
    with store.writer() as w:  # the next build removes the leftover and works
        w.replace_graph(G2, nq(G2, "b"))
    assert values(store) == [(G1, "a"), (G2, "b")]
    assert not list((tmp_path / "generations").glob("*.partial"))


def test_readers_keep_the_generation_they_opened(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "a"))
    reader = LocalStore(tmp_path)
    assert values(reader) == [(G1, "a")]
    old = reader.open_read()
    with store.writer() as w:
        w.replace_graph(G1, nq(G1, "b"))
    assert len(old) == 2  # the open handle still answers from its own generation (G1 and the default graph)
    assert {q.object.value for q in old} == {"a"}
    assert values(reader) == [(G1, "b")]  # and the next query sees the new one


def test_old_generations_are_pruned(tmp_path):
    store = LocalStore(tmp_path)
    for value in "abcd":
        with store.writer() as w:
            w.replace_graph(G1, nq(G1, value))
    published = sorted(p.name for p in (tmp_path / "generations").iterdir())
    assert published == ["000003", "000004"]
    assert os.readlink(tmp_path / "current") == "generations/000004"


def test_one_writer_at_a_time(tmp_path):
    store = LocalStore(tmp_path)
    with store.writer():
        with pytest.raises(StoreError, match="another build"):
            with LocalStore(tmp_path).writer():
                pass


@pytest.mark.parametrize(
    "data",
    [
        f'<http://example.org/s> <http://example.org/p> "a"\t<{G1}>\t.\n',  # other spacing: copied from the store
        f'<http://example.org/s> <http://example.org/p> "a" <{G1}> .\n<http://example.org/s> <http://example.org/p> "a" <{G1}> .\n',
        f'_:b <http://example.org/p> "a" <{G1}> .\n_:b <http://example.org/q> "b" <{G1}> .\n',  # one node in both graphs
    ],
    ids=["tab-separated", "a line twice", "blank node"],
)
def test_the_union_and_counts_hold_however_the_n_quads_are_written(tmp_path, data):
    store = LocalStore(tmp_path)
    with store.writer() as w:
        w.replace_graph(G1, data.encode())
    handle = store.open_read()
    import pyoxigraph as ox

    named = {(q.subject, q.predicate, q.object) for q in handle.quads_for_pattern(None, None, None, ox.NamedNode(G1))}
    default = {(q.subject, q.predicate, q.object) for q in handle.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert named == default and store.quad_count() == len(named)


def many(graph: str, count: int, value: str) -> bytes:
    """``count`` statements in ``graph``, each naming ``value``."""
    return b"".join(
        f'<http://example.org/s{i}> <http://example.org/p> "{value}" <{graph}> .\n'.encode() for i in range(count)
    )


# builds in turn, each replacing one graph (one load); the store's record after each: (loads left unmerged, quads
# written since the last compaction). A generation is compacted once both thresholds are reached: 3 loads (set
# below) and a quarter of the store's quads written (loaded, or dropped from the graph a build replaced).
COMPACTION_STEPS = [
    # (graph, statements, record after the build)
    (G1, 100, (1, 100)),  # the store's first build writes all of it, but one load is not three
    (G2, 1, (2, 101)),
    (G2, 1, (0, 0)),  # three loads, 103 quads written of 101 held: compacted
    (G2, 1, (1, 2)),
    (G2, 1, (2, 4)),
    (G2, 1, (3, 6)),  # three loads, but 6 quads written of 101 held: left as they are
    (G2, 1, (4, 8)),
    (G1, 30, (0, 0)),  # 100 dropped and 30 loaded: a quarter of the store and more
]


def test_a_generation_is_compacted_once_enough_loads_and_a_quarter_of_the_store_are_unmerged(tmp_path, monkeypatch):
    from kg_build.store import GenerationWriter
    from kg_build.store import faults

    monkeypatch.setattr(GenerationWriter, "COMPACT_AFTER_LOADS", 3)  # the policy, at a size a test can reach
    compacted: list[str] = []
    monkeypatch.setattr(faults, "step_hook", lambda step: compacted.append(step) if step == "compact" else None)
    store = LocalStore(tmp_path)
    for n, (graph, count, expected) in enumerate(COMPACTION_STEPS):
        before = len(compacted)
        with store.writer() as w:
            w.replace_graph(graph, many(graph, count, str(n)))  # small enough to go in one load
        info = store.info()
        assert (info["loads_since_compaction"], info["quads_written_since_compaction"]) == expected, n
        assert (len(compacted) > before) == (expected == (0, 0)), n
    assert len(values(store)) == 31 and store.quad_count() == 31


# --- the compaction, the counts and the search index, worked out side by side when a generation is finished ---------

class _SlowCompaction:
    """The writer's pyoxigraph store, with a compaction that takes a while, notes its thread and may fail."""

    def __init__(self, store, seen: dict, *, fails: bool) -> None:
        self._store, self._seen, self._fails = store, seen, fails

    def __getattr__(self, name: str):
        return getattr(self._store, name)

    def optimize(self) -> None:
        import threading
        import time

        self._seen["compaction thread"] = threading.get_ident()
        time.sleep(0.2)  # still compacting when the index is done (or has failed)
        if self._fails:
            raise OSError("no space left to compact")
        self._store.optimize()
        self._seen["compacted"] = True


def _side_by_side(built_store, tmp_path, monkeypatch, case: str, compact: bool) -> tuple[LocalStore, dict, BaseException | None]:
    """A write of one small graph whose counts (keep_stats), search index or compaction fails, or none."""
    import threading
    import time

    from integration_helpers import copy_store

    from kg_build.stats import recorded_stats
    from kg_build.store import local

    store = copy_store(built_store, tmp_path / "store")
    seen: dict = {"main": threading.get_ident()}
    if case == "the index fails":
        def failing_index(*_args, **_kwargs):
            raise OSError("disk full")
        monkeypatch.setattr(local, "update_index", failing_index)

    def counts(graph_quads: dict[str, int]) -> dict:
        seen["thread"] = threading.get_ident()
        time.sleep(0.2)  # still counting when the index is done (or has failed)
        if case == "the counts fail":
            raise ValueError("cannot count")
        counted = recorded_stats(writer, graph_quads)
        seen["done"] = True
        return counted

    graph = "https://w3id.org/policy-kg/id/report/extra-2090"
    error = None
    try:
        with store.writer() as writer:
            if compact:
                writer.store = _SlowCompaction(writer.store, seen, fails=case == "the compaction fails")
                writer.compact()
            writer.replace_graph(graph, f'<{graph}> <http://www.w3.org/2000/01/rdf-schema#label> "x" <{graph}> .\n'.encode())
            writer.keep_stats(counts)
    except (OSError, ValueError) as exc:
        error = exc
    return store, seen, error


FINISH_CASES = [  # (case, compacting, the error the write raises, whether the counts ran to their end)
    ("none fails", False, None, True),
    ("none fails", True, None, True),
    ("the counts fail", False, ValueError, False),
    ("the counts fail", True, ValueError, False),
    ("the index fails", False, OSError, True),  # the write waits for the others before it removes the generation
    ("the index fails", True, OSError, True),
    ("the compaction fails", True, OSError, True),
]


@pytest.mark.parametrize(("case", "compact", "raised", "finished"), FINISH_CASES,
                         ids=[f"{c[0]}{', compacting' if c[1] else ''}" for c in FINISH_CASES])
def test_the_compaction_counts_and_search_index_are_worked_out_side_by_side(
        built_store, tmp_path, monkeypatch, case, compact, raised, finished):
    before = built_store.generation()
    store, seen, error = _side_by_side(built_store, tmp_path, monkeypatch, case, compact)
    assert seen["thread"] != seen["main"]  # on threads of their own
    assert seen.get("done", False) is finished
    if compact:
        assert seen["compaction thread"] != seen["main"]
        assert seen.get("compacted", False) is (case != "the compaction fails")  # waited for, whatever failed
    if raised is None:
        assert error is None and store.generation() != before
        reports = store.info()["stats"]["reports"]  # the counts recorded: the new graph's, the others' as they were
        assert [r["quads"] for r in reports if r["iri"].endswith("/extra-2090")] == [1]
        assert [r for r in reports if not r["iri"].endswith("/extra-2090")] == built_store.info()["stats"]["reports"]
        assert (store.info()["loads_since_compaction"] == 0) is compact
    else:
        assert isinstance(error, raised)
        assert store.generation() == before  # nothing published
        assert len(list((store.root / "generations").iterdir())) == len(list((built_store.root / "generations").iterdir()))
