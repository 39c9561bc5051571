"""The command line end to end with CliRunner: build → stats → query → export → validate, and every --help."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from kg_build.cli import main
from kg_build.errors import InputError, ReportNotFoundError, StoreMissingError
from kg_build.export import export_graph
from kg_build.model.vocab import DATA_NS, POL_NS
from kg_build.store import LocalStore



@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_help_shows_an_example(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: kg-build " + command in result.output


def test_build_stats_query_export_round_trip(tmp_path: Path) -> None:
    from kg_build.resources import bundled_reports_dir

    runner = CliRunner()
    store = str(tmp_path / "store")
    seed = str(bundled_reports_dir() / "huli-2026.txt")
    built = runner.invoke(main, ["build", seed, "--store", store])
    assert built.exit_code == 0, built.output
    assert "built huli-2026:" in built.output and "generation 000001" in built.output
    again = runner.invoke(main, ["build", seed, "--store", store])
    assert "unchanged huli-2026.txt: skipped" in again.output

    stats = runner.invoke(main, ["stats", "--store", store])
    assert stats.exit_code == 0 and "huli-2026" in stats.output and "reports: 1" in stats.output

    query = runner.invoke(main, ["query", "--store", store, "--format", "json",
                                 f"SELECT ?r WHERE {{ ?r a <{POL_NS}WorkReport> }}"])
    assert query.exit_code == 0, query.output
    assert json.loads(query.output) == [{"r": f"{DATA_NS}report/huli-2026"}]

    for fmt, rdflib_format in [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")]:
        out = tmp_path / f"export.{fmt}"
        exported = runner.invoke(main, ["export", "--store", store, "--format", fmt, "-o", str(out)])
        assert exported.exit_code == 0, exported.output
        graph = Dataset() if fmt in ("trig", "nquads") else Graph()
        graph.parse(out, format=rdflib_format)
        assert len(graph) > 0 or len(list(graph.quads((None, None, None, None)))) > 0
        assert out.read_bytes() == export_graph(LocalStore(Path(store)), fmt=fmt)

    validated = runner.invoke(main, ["validate", "--store", store])
    assert validated.exit_code == 0, validated.output  # the bundled reports conform
    assert validated.output.startswith(("Conforms", "Does not conform"))


def test_stats_query_export_on_a_hand_made_store(sample_store: LocalStore) -> None:
    runner = CliRunner()
    store = str(sample_store.root)
    stats = runner.invoke(main, ["stats", "--store", store])
    assert stats.exit_code == 0 and "shili-2026" in stats.output
    query = runner.invoke(main, ["query", "--store", store, "--format", "csv",
                                 f"SELECT (COUNT(?p) AS ?n) WHERE {{ ?p a <{POL_NS}Pillar> }}"])
    assert query.output == "n\n2\n"
    construct = runner.invoke(main, ["query", "--store", store,
                                     f"CONSTRUCT {{ ?p a <{POL_NS}Pillar> }} WHERE {{ ?p a <{POL_NS}Pillar> }}"])
    assert construct.exit_code == 0 and "pol:Pillar" in construct.output
    exported = runner.invoke(main, ["export", "--store", store, "--format", "nquads", "--report", "shili-2026"])
    assert exported.stdout_bytes == export_graph(sample_store, fmt="nquads", report="shili-2026")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["query", "DROP ALL"], "updates"),
        (["query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
        (["query", "nope.rq"], "no such query file"),
        (["export", "--report", "nope-2026"], "no report 'nope-2026'"),
        (["stats", "--store", "{missing}"], "no store at"),
        (["export", "-o", "{missing}/out.nq"], "no folder"),
        (["export", "-o", "{here}"], "is a folder"),
    ],
)
def test_user_errors_are_one_line(sample_store: LocalStore, tmp_path: Path, args: list[str], words: str) -> None:
    args = [a.replace("{missing}", str(tmp_path / "missing")).replace("{here}", str(tmp_path)) for a in args]
    if "--store" not in args:
        args += ["--store", str(sample_store.root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert result.output.startswith("Error: ") and words in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle"])
def test_an_export_that_fails_leaves_the_file_it_would_replace(sample_store: LocalStore, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "graph.out"
    out.write_bytes(b"the previous export")
    failed = CliRunner().invoke(main, ["export", "--store", str(sample_store.root), "--format", fmt,
                                       "--report", "nope-2026", "-o", str(out)])
    assert failed.exit_code == ReportNotFoundError.exit_code and "no report 'nope-2026'" in failed.output
    assert out.read_bytes() == b"the previous export" and sorted(p.name for p in tmp_path.iterdir()) == ["graph.out"]
    done = CliRunner().invoke(main, ["export", "--store", str(sample_store.root), "--format", fmt, "-o", str(out)])
    assert done.exit_code == 0 and out.read_bytes() == export_graph(sample_store, fmt=fmt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.out"]  # no partial file left beside it


def test_an_export_keeps_the_mode_of_the_file_it_replaces_and_writes_through_links(sample_store: LocalStore, tmp_path: Path) -> None:
    def export(out: Path) -> None:
        result = CliRunner().invoke(main, ["export", "--store", str(sample_store.root), "--format", "nquads", "-o", str(out)])
        assert result.exit_code == 0, result.output

    expected = export_graph(sample_store, fmt="nquads")
    private = tmp_path / "private.nq"
    private.write_bytes(b"old")
    private.chmod(0o600)
    export(private)
    assert private.read_bytes() == expected and private.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "fresh.nq"
    umask = os.umask(0o022)
    try:
        export(fresh)
    finally:
        os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o644  # as any new file, not mkstemp's owner-only mode
    target, link = tmp_path / "target.nq", tmp_path / "link.nq"
    target.write_bytes(b"old")
    link.symlink_to(target)
    export(link)
    assert link.is_symlink() and target.read_bytes() == expected
    assert not list(tmp_path.glob(".*.partial"))


def test_validate_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    store = LocalStore(tmp_path / "store")
    good, broken = f"{DATA_NS}report/good-2026", f"{DATA_NS}report/broken-2026"
    with store.writer() as writer:  # nothing the shapes target / a report with no label
        writer.replace_graph(good, f'<{good}/note> <http://www.w3.org/2000/01/rdf-schema#comment> "ok" <{good}> .\n'.encode())
        writer.replace_graph(broken, f"<{broken}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{POL_NS}WorkReport> <{broken}> .\n".encode())
    conforming = runner.invoke(main, ["validate", "--store", str(store.root), "--report", "good-2026"])
    assert (conforming.exit_code, conforming.output.strip()) == (0, "Conforms: no violations.")
    failing = runner.invoke(main, ["validate", "--store", str(store.root)])
    assert failing.exit_code == 1, failing.output
    assert failing.output.startswith("Does not conform") and "report/broken-2026" in failing.output
    assert "skos:prefLabel" in failing.output

    missing = runner.invoke(main, ["validate", "--store", str(tmp_path / "none")])
    assert missing.exit_code == StoreMissingError.exit_code and missing.output.startswith("Error: no store at")
    unknown = runner.invoke(main, ["validate", "--store", str(store.root), "--report", "nope-2026"])
    assert unknown.exit_code == ReportNotFoundError.exit_code and "no report 'nope-2026'" in unknown.output
    bad_shapes = tmp_path / "shapes.ttl"
    bad_shapes.write_text("this is not turtle", encoding="utf-8")
    unreadable = runner.invoke(main, ["validate", "--store", str(store.root), "--shapes", str(bad_shapes)])
    assert unreadable.exit_code == InputError.exit_code and unreadable.output.startswith("Error: ")
    assert unreadable.output.count("\n") == 1


def test_unknown_sidecar_keys_are_warned_about(tmp_path: Path) -> None:
    import json
    import shutil

    from kg_build.resources import bundled_reports_dir

    source = bundled_reports_dir() / "huli-2026.txt"
    shutil.copy(source, tmp_path / source.name)
    meta = json.loads(source.with_name("huli-2026.meta.json").read_text(encoding="utf-8"))
    meta["colour"] = "red"
    (tmp_path / "huli-2026.meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / source.name), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "warning: huli-2026.meta.json: unknown key 'colour' ignored" in result.stderr
    assert "built huli-2026" in result.stdout


EVERY_ROW_LIMITS = [
    # (ceiling set by the operator or None, the command's arguments after the store, time limit and row cap used)
    (None, ["targets"], 10.0, 100_000),
    (None, ["targets", "--all"], 120.0, None),
    ("30", ["targets", "--all"], 30.0, None),
    (None, ["targets", "--all", "--timeout-s", "5"], 5.0, None),
    (None, ["targets", "--all", "--max-rows", "3"], 120.0, 3),
    (None, ["reports", "--all"], 120.0, None),
    (None, ["targets", "--page", "2"], 10.0, 100_000),
    (None, ["region-profile", "--all", "-p", "region=湖里区"], 10.0, 100_000),  # not paged: --all changes nothing
    (None, ["SELECT * WHERE { ?s ?p ?o } LIMIT 2", "--all"], 10.0, 100_000),  # typed text is never a listing
]


@pytest.mark.parametrize(("ceiling", "args", "timeout_s", "max_rows"), EVERY_ROW_LIMITS)
def test_every_row_of_a_listing_waits_to_the_ceiling_and_reads_every_row(
    built_store: LocalStore, monkeypatch: pytest.MonkeyPatch, ceiling: str | None, args: list[str],
    timeout_s: float, max_rows: int | None,
) -> None:
    import kg_build.engine

    if ceiling is None:
        monkeypatch.delenv("KG_QUERY_TIMEOUT_CEILING_S", raising=False)
    else:
        monkeypatch.setenv("KG_QUERY_TIMEOUT_CEILING_S", ceiling)
    used = []
    real = kg_build.engine.run_query

    def watched(store, text, limits, **kwargs):  # the real query, its limits kept
        used.append(limits)
        return real(store, text, limits, **kwargs)

    monkeypatch.setattr(kg_build.engine, "run_query", watched)
    result = CliRunner().invoke(main, ["query", args[0], "--store", str(built_store.root), "--format", "csv", *args[1:]])
    assert result.exit_code == 0, result.output
    assert [(u.timeout_s, u.max_rows) for u in used] == [(timeout_s, max_rows)]
    if max_rows == 3:
        assert len(result.stdout.splitlines()) == 1 + 3
        assert "more than 3 results: the first 3 are shown" in result.stderr


def test_a_paged_saved_query_says_when_there_is_more(built_store: LocalStore) -> None:
    runner = CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()
    store = ["--store", str(built_store.root), "--format", "csv"]
    every = runner.invoke(main, ["query", "targets", *store, "--all"])
    assert every.exit_code == 0, every.output
    total = len(every.stdout.splitlines()) - 1
    assert total > 1000, "the bundled reports state several pages of figures"
    full, rest = divmod(total, 500)
    pages = [runner.invoke(main, ["query", "targets", *store, "--page", str(n)]) for n in range(1, full + 3)]
    for result in pages:
        assert result.exit_code == 0, result.output
    lines = [r.stdout.splitlines() for r in pages]
    assert [len(x) - 1 for x in lines[: full + 1]] == [500] * full + [rest]
    assert lines[full + 1] == lines[0][:1]  # past the last page: the header only
    assert every.stdout.splitlines() == lines[0] + [line for page in lines[1 : full + 1] for line in page[1:]]
    assert "--page 2 for the next, --all for every row" in pages[0].stderr
    assert "--page" not in pages[full].stderr and "--page" not in every.stderr
