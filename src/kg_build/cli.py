"""The `kg-build` command line: thin adapters over the library, errors as one line."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from click.core import ParameterSource

from kg_build import __version__
from kg_build.errors import InputError, PolicyKGError, StoreDamagedError

STORE_HELP = "Store directory or http(s):// SPARQL store. Default: $KG_STORE, else ~/.local/share/policy-kg/store."


class Context:
    def __init__(self, debug: bool) -> None:
        self.debug = debug


def store_option(f):  # noqa: ANN001, ANN201 - click decorator
    return click.option("--store", "store", default=None, envvar="KG_STORE", help=STORE_HELP)(f)


def _open(location: str | None):  # noqa: ANN202
    from kg_build.store import open_store

    return open_store(location)


class CLIGroup(click.Group):
    """Turns library errors into one line and an exit code (tracebacks only with --debug)."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except PolicyKGError as exc:
            if "--debug" in sys.argv:
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)  # by the error's kind (kg_build.errors), never by its wording
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): not an error
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("Interrupted: nothing was changed.", err=True)
            ctx.exit(130)
        except RuntimeError as exc:  # RocksDB's Corruption met by code that reads the store's files directly
            if "Corruption" not in str(exc) or "--debug" in sys.argv:
                raise
            detail = " ".join(str(exc).split())[:300]
            click.echo(f"Error: the store is damaged ({detail}): see `kg-build check`, and rebuild it with "
                       "`kg-build build` into a new folder", err=True)
            ctx.exit(StoreDamagedError.exit_code)
        except OSError as exc:
            if "--debug" in sys.argv:
                raise
            click.echo(f"Error: {exc.strerror or exc}: {exc.filename or ''} (check the path and permissions)", err=True)
            ctx.exit(1)


@click.group(cls=CLIGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="kg-build")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build and query a knowledge graph of Chinese government work reports."""
    ctx.obj = Context(debug)


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[str], None] | None]:
    """A transient bar of reports built, on a terminal only (rich is not even imported otherwise)."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("building", total=total)
        yield lambda name: bar.advance(task)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Reports built in parallel.")
@click.option("--force", is_flag=True, help="Rebuild reports even when their text, sidecar and builder are unchanged.")
@click.option("--validate", "validate_changed", is_flag=True,
              help="Check the reports this build changes against the SHACL shapes; on a violation nothing is published.")
def build(paths: tuple[Path, ...], store: str | None, jobs: int, force: bool, validate_changed: bool) -> None:
    """Add or replace reports in the store; with no PATH, the bundled reports.

    Each report (a file, or every report in a folder) replaces its own named
    graph; other reports stay as they were. A build that fails changes nothing.

    Example: kg-build build ../shared/corpus/provinces --store ./store
    """
    from kg_build.build import build as run_build
    from kg_build.build import discover
    from kg_build.resources import bundled_reports_dir
    from kg_build.validate import fail_on_violations

    targets = list(paths) or [bundled_reports_dir()]
    target_store = _open(store)
    total = len(discover(targets))
    with _terminate_as_exit(), _progress_bar(total) as progress:  # SIGTERM: workers stopped, nothing published
        summary = run_build(targets, store=target_store, jobs=jobs, force=force, progress=progress,
                            check=fail_on_violations if validate_changed else None)
    _echo_reports("built", summary.built, summary.skipped)
    click.echo(f"store {target_store.root} now at generation {summary.generation}")


def _echo_reports(verb: str, reports: list, skipped: list[str]) -> None:
    """One line a report written (after its warnings), one a report skipped: what build, extract and load show."""
    from kg_build.completeness import message

    for report in reports:
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        if report.gaps:  # one line a report: what its graph may be missing
            click.echo(f"warning: {report.report_id}: {'; '.join(message(code) for code in report.gaps)}", err=True)
        c = report.counts
        click.echo(
            f"{verb} {report.report_id}: {c['sections']} sections, {c['pillars']} pillars, "
            f"{c['measures']} measures, {c['entities']} entities, {c['figures']} figures, {c['quads']} quads"
        )
    for source in skipped:
        click.echo(f"unchanged {Path(source).name}: skipped")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the report files (<content hash>.nq); made if missing.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Reports built in parallel.")
def extract(paths: tuple[Path, ...], output: Path, jobs: int) -> None:
    """Build reports into N-Quads files, one a report, without a store.

    Each report's graph goes to OUTPUT/<content hash>.nq (a header comment,
    then the quads `build` would write); a report whose file is there is
    skipped. Files appear whole or not at all, so many machines can each
    extract a share of the reports and one `kg-build load` (or a store's own
    bulk loader, with OUTPUT/ontology.nq) loads them all.

    Example: kg-build extract ../shared/corpus/provinces -o ./quads --jobs 2
    """
    from kg_build.build import discover, extract_files

    total = len(discover(list(paths)))
    with _terminate_as_exit(), _progress_bar(total) as progress:  # SIGTERM: workers stopped, no half file
        summary = extract_files(list(paths), output=output, jobs=jobs, progress=progress)
    _echo_reports("extracted", summary.written, summary.skipped)
    click.echo(f"{len(summary.written)} written, {len(summary.skipped)} already there in {output}")


@main.command()
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--force", is_flag=True, help="Load every file, even where the store holds its report unchanged.")
@click.option("--validate", "validate_changed", is_flag=True,
              help="Check the reports this load changes against the SHACL shapes; on a violation nothing is published.")
def load(folders: tuple[Path, ...], store: str | None, force: bool, validate_changed: bool) -> None:
    """Load the report files of `kg-build extract` into the store, as `build` would.

    A report the store holds with the same content hash is skipped; any
    other replaces its report's graph. Published all at once: a file cut
    short or changed stops the load, and the store keeps what it held.

    Example: kg-build load ./quads-a ./quads-b --store ./store
    """
    from kg_build.build import load as run_load
    from kg_build.quadfiles import report_files
    from kg_build.validate import fail_on_violations

    target_store = _open(store)
    total = len(report_files(list(folders)))
    with _terminate_as_exit(), _progress_bar(total) as progress:
        summary = run_load(list(folders), store=target_store, force=force, progress=progress,
                           check=fail_on_violations if validate_changed else None)
    _echo_reports("loaded", summary.built, summary.skipped)
    click.echo(f"store {target_store.root} now at generation {summary.generation}")


@main.command()
@store_option
@click.option(
    "--format", "fmt", default="turtle", show_default=True,
    type=click.Choice(["turtle", "trig", "nquads", "jsonld", "ontology", "ontology-html", "panel"]),
    help="turtle and jsonld merge the report graphs; trig and nquads keep named graphs; ontology-html renders "
         "the ontology as one self-contained HTML page; panel writes a folder "
         "(--output) with panel.csv, one row per figure of a standard indicator, and its datapackage.json.",
)
@click.option("--report", default=None, help="Export only this report (its id, e.g. huli-2026, or IRI).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None, help="File to write; stdout by default.")
def export(store: str | None, fmt: str, report: str | None, output: Path | None) -> None:
    """Write the graph as Turtle, TriG, N-Quads or JSON-LD (byte-stable across runs).

    Example: kg-build export --format turtle --report huli-2026 -o huli.ttl
    """
    if fmt == "panel":
        _export_panel(_open(store), report, output)
        return
    from kg_build.export import export_chunks

    chunks = export_chunks(_open(store), fmt=fmt, report=report)  # N-Quads and TriG: one graph at a time
    if output is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.flush()
        return
    size = _write_replacing(output, chunks)
    click.echo(f"wrote {size} bytes to {output}", err=True)


def _export_panel(store: object, report: str | None, output: Path | None) -> None:
    """The research panel into the folder ``output`` (made if missing): panel.csv and datapackage.json, each
    file replaced whole."""
    from kg_build.panel import panel_files

    if report is not None:
        raise InputError("--report does not apply to --format panel: the panel holds every report's figures")
    if output is None:
        raise InputError("--format panel writes a folder: give it with --output DIR")
    if output.exists() and not output.is_dir():
        raise InputError(f"{output} is a file; --format panel writes a folder (panel.csv, datapackage.json)")
    files = panel_files(store)  # read before anything is written: a failing query leaves the folder as it was
    output.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        size = _write_replacing(output / name, [data])
        click.echo(f"wrote {size} bytes to {output / name}", err=True)


def _write_replacing(output: Path, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to ``output``; the number of bytes written.

    A regular file (or a new one) is written beside itself and renamed over the old one when complete,
    with the old file's permissions: an export that fails, is interrupted or is terminated leaves the old
    file as it was. Anything else (a symbolic link, a device such as /dev/null, a pipe), or a file in a
    folder where no other file may be made, is written to directly.
    """
    if output.is_dir():
        raise InputError(f"{output} is a folder; give --output a file name")
    if not output.parent.is_dir():
        raise InputError(f"no folder {output.parent} to write {output.name} in; create it or choose another --output")
    size = 0
    partial = None
    if not output.is_symlink() and (output.is_file() or not output.exists()):
        try:
            fd, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
            partial = Path(name)
        except PermissionError:
            pass
    if partial is None:
        with open(output, "wb") as out:
            for chunk in chunks:
                size += out.write(chunk)
        return size
    if output.is_file():
        mode = output.stat().st_mode & 0o7777
    else:  # what a new file gets (mkstemp makes its file readable by its owner alone)
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with _terminate_as_exit():
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    size += out.write(chunk)
            os.chmod(partial, mode)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return size


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM ends the process through SystemExit meanwhile, so cleanups (``finally``) run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:  # noqa: ARG001
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command()
@click.argument("query")
@store_option
@click.option("--param", "-p", multiple=True, metavar="NAME=VALUE", help="A saved query's parameter.")
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "json"]))
@click.option("--limit", default=None, type=int, help="Show at most this many rows (table only).")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1),
              help="Page of a paged saved query (targets, entity-mentions, … list 500 rows a page).")
@click.option("--all", "all_rows", is_flag=True,
              help="Every row of a paged saved query, not one page (time limit: the ceiling; no row cap; unless given).")
@click.option("--timeout-s", "timeout_s", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Time limit; the query's worker is stopped at it (ceiling: $KG_QUERY_TIMEOUT_CEILING_S, 120 s).")
@click.option("--max-rows", "max_rows", default=100_000, show_default=True, type=click.IntRange(min=1),
              help="Read at most this many rows (or triples); a note on stderr says when more existed.")
def query(query: str, store: str | None, param: tuple[str, ...], fmt: str, limit: int | None, page: int,
          all_rows: bool, timeout_s: float, max_rows: int) -> None:
    """Run a saved query (by name), a .rq file, or inline SPARQL.

    Example: kg-build query targets -p kind=Target --all --format csv
    """
    from kg_build.engine import QueryLimits, run_query
    from kg_build.engine.limits import every_row_limits
    from kg_build.queries import get_saved_query, needs_sparql11, saved_queries

    values = {}
    for item in param:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.BadParameter(f"{item!r}: write NAME=VALUE", param_hint="--param")
        values[name.strip()] = value
    saved = get_saved_query(query) if query in saved_queries() else None
    if saved is not None:  # a store named by URL may not be Oxigraph: it gets the SPARQL 1.1 form (no LATERAL)
        text = saved.bind(values, page=None if all_rows else page, sparql11=needs_sparql11(store))
    elif query.endswith(".rq") and Path(query).exists():
        from kg_build.normalize.files import read_limited  # a regular file of at most 1 MiB, read no further

        data = read_limited(Path(query), max_bytes=1 << 20, hint="give a .rq query file", size_hint="send a shorter query")
        text = data.decode("utf-8", errors="replace")
    elif query.endswith(".rq"):
        raise InputError(f"{query}: no such query file")
    else:
        text = query
    limits = QueryLimits(timeout_s=timeout_s, max_rows=max_rows)
    if saved is not None and saved.page_size and all_rows:  # every row: the limits given, else the ceiling and no cap
        given = click.get_current_context().get_parameter_source
        limits = every_row_limits(
            None if given("timeout_s") is ParameterSource.DEFAULT else timeout_s,
            None if given("max_rows") is ParameterSource.DEFAULT else max_rows,
        )
    result = run_query(_open(store), text, limits)
    if result.truncated:
        click.echo(f"more than {limits.max_rows} results: the first {limits.max_rows} are shown (--max-rows for more)",
                   err=True)
    if result.form == "ASK":
        click.echo("true" if result.boolean else "false")
        return
    if result.form != "SELECT":
        from kg_build.export import triples_turtle

        sys.stdout.buffer.write(triples_turtle(result.triples))
        return
    rows = [[_cell(v) for v in row] for row in result.rows]
    if saved is not None and saved.page_size and not all_rows and len(rows) == saved.page_size:
        click.echo(f"page {page} is full ({saved.page_size} rows): --page {page + 1} for the next, --all for every row",
                   err=True)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(rows)
        click.echo(out.getvalue(), nl=False)
    elif fmt == "json":
        click.echo(json.dumps([dict(zip(result.variables, row)) for row in rows], ensure_ascii=False, indent=1))
    else:
        _table(result.variables, rows, limit=limit)


def _cell(value: object) -> str | None:
    return None if value is None else str(value)


def _table(columns: list[str], rows: list[list[str | None]], *, limit: int | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, highlight=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    shown = rows if limit is None else rows[:limit]
    for row in shown:
        table.add_row(*["" if v is None else v for v in row])
    width = int(os.environ.get("COLUMNS", "0")) or None
    Console(width=width or 200, soft_wrap=False).print(table)
    click.echo(f"{len(rows)} rows" + (f" ({len(shown)} shown)" if len(shown) < len(rows) else ""))


@main.command()
@store_option
@click.option("--report", default=None, help="Audit only this report (its id, e.g. huli-2026, or IRI).")
@click.option("--kind", "kinds", multiple=True, default=("PlanSection",), show_default=True,
              help="List the leftovers of these section kinds (PlanSection, ReviewSection, …, none); 'all' for every kind.")
def audit(store: str | None, report: str | None, kinds: tuple[str, ...]) -> None:
    """Check each report's graph against its text: which numbers became statements.

    Per report: the numeric expressions of its text by section kind and the share a
    statement covers, the leftovers (of --kind) with their sentence, and every
    statement whose surface form is not in its span (there must be none).
    Exit 1 when a statement's surface form is not in its span.

    Example: kg-build audit --report huli-2026
    """
    from kg_build.audit import audit_store

    audits = audit_store(_open(store), report=report)
    mismatched = 0
    for a in audits:
        attached, total = a.counts()
        per_kind = ", ".join(f"{kind} {n}/{t}" for kind, (n, t) in a.by_kind().items())
        plan = a.coverage("PlanSection")
        click.echo(
            f"{a.report_id}: plan coverage {'-' if plan is None else f'{plan:.1%}'}; numbers {attached}/{total} "
            f"attached ({per_kind}); {len(a.leftovers)} leftovers; {len(a.mismatches)} surface-form mismatches"
        )
        for e in a.leftovers:
            if "all" in kinds or e.section_kind in kinds:
                click.echo(f"  leftover {e.section_kind} {e.text}  · {e.sentence}")
        for m in a.mismatches:
            click.echo(f"  mismatch {m.statement}: {m.surface!r} not in {m.anchor!r}")
        mismatched += len(a.mismatches)
    if mismatched:
        raise SystemExit(1)


@main.command()
@store_option
def stats(store: str | None) -> None:
    """Show the reports in the store, the number of triples, and instances per class.

    Example: kg-build stats --store ./store
    """
    from kg_build.stats import store_stats

    s = store_stats(_open(store))
    click.echo(f"store: {s.location} (generation {s.generation})")
    click.echo(f"quads: {s.quads}")
    click.echo(f"reports: {len(s.reports)}")
    for r in s.reports:
        flags = f"  warnings: {', '.join(r.warnings)}" if r.warnings else ""
        click.echo(f"  {r.report_id:<16} {r.title}  ({r.quads} quads){flags}")
    click.echo("instances per class:")
    for name, count in s.classes:
        click.echo(f"  {name:<22} {count}")


@main.command()
@click.argument("reports", nargs=-1, required=True)
@store_option
def remove(reports: tuple[str, ...], store: str | None) -> None:
    """Remove reports (by id, e.g. huli-2026, or IRI) from the store; every other report stays as it was.

    The store publishes a new generation without them, all at once (a removal
    that fails or is stopped changes nothing); facts another report also states
    stay. A name the store does not hold is an error and nothing is removed.

    Example: kg-build remove huli-2026 --store ./store
    """
    from kg_build.remove import remove_reports

    target = _open(store)
    with _terminate_as_exit():
        summary = remove_reports(target, reports)
    for graph in summary.removed:
        click.echo(f"removed {graph.rsplit('/', 1)[-1]}")
    click.echo(f"store {target.root} now at generation {summary.generation}")


@main.command()
@store_option
def compact(store: str | None) -> None:
    """Rewrite the store's current generation into one merged set of files: the fastest lookups.

    A build compacts the store by itself once a quarter of it has been written
    since the last time; until then queries also look in the files each build
    added (1.1-1.4x slower at ten million quads). The new generation holds the
    same graphs and is published as a build's is: stopped half-way, it changes
    nothing. About a second per million quads.

    Example: kg-build compact --store ./store
    """
    target = _open(store)
    with _terminate_as_exit():
        record = target.compact()  # a remote store raises StoreError: it keeps its own files
    loads, written = record.get("loads_since_compaction") or 0, record.get("quads_written_since_compaction") or 0
    click.echo(f"compacted {loads} loads and {written:,} quads written since the last compaction")
    click.echo(f"store {target.root} now at generation {target.generation()}")


@main.command()
@store_option
@click.pass_context
def check(ctx: click.Context, store: str | None) -> None:
    """Open every generation kept in a local store and compare its quads per graph with its record.

    One line per generation: ok, mismatch (its counts differ from what its
    build recorded) or damaged (its files or record cannot be read); what a
    stopped build left is listed as unpublished. Exit status 1 when a
    generation is damaged or mismatched.

    Example: kg-build check --store ./store
    """
    target = _open(store)
    found = target.check()  # a remote store raises StoreError: it keeps its own files
    for generation in found:
        click.echo(generation.line())
    problems = [g.name for g in found if g.problem]
    if problems:
        click.echo(f"Error: generation {', '.join(problems)} of {target.root} failed the check; if the current "
                   "one is among them, rebuild the store with `kg-build build` into a new folder", err=True)
        ctx.exit(1)


@main.command()
@store_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 exposes it to the network).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0: any free port).")
@click.option("--timeout-s", "timeout_s", default=10.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Time limit of one query, in seconds; longer ones are stopped with a 503.")
@click.option("--cors", is_flag=True, help="Allow browser pages from other origins (e.g. a hosted YASGUI) to query.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME[:PORT]",
              help="Also answer requests for this Host (e.g. the name a proxy serves it under); loopback names always.")
def serve(store: str | None, host: str, port: int, timeout_s: float, cors: bool, allow_hosts: tuple[str, ...]) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint at http://HOST:PORT/query.

    Any SPARQL client works: GET or POST /query (application/sparql-query or
    form-encoded); results as application/sparql-results+json or +xml, text/csv
    or text/tab-separated-values, graphs as Turtle or N-Triples. The default
    graph is the union of the store's named graphs. Updates, SERVICE and Graph
    Store writes are refused; queries run in worker processes that cannot reach
    the network, and one over the time limit is stopped (its worker killed).
    Requests must name a loopback host and this port (or one --allow-host).

    Open http://127.0.0.1:7878/ in a browser for a YASGUI query page, or point
    YASGUI (or SPARQLWrapper, Protégé, rdflib's SPARQLStore, curl) at
    http://127.0.0.1:7878/query; a page on another origin needs --cors. A build
    into the same store may run meanwhile: queries see its data once published.

    Example: kg-build serve --store ./store --port 7878 --timeout-s 10
    """
    from kg_build.serve import serve as run_serve

    run_serve(_open(store), host=host, port=port, timeout_s=timeout_s, cors=cors, allow_hosts=allow_hosts,
              announce=lambda line: click.echo(line))


@main.command(context_settings={"ignore_unknown_options": True})
@store_option
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--allow-uploads", is_flag=True,
              help="Let readers add reports from the browser (/upload); off unless given. Same as KG_ALLOW_UPLOADS=1.")
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def app(store: str | None, port: int, allow_uploads: bool, streamlit_args: tuple[str, ...]) -> None:
    """Run the explorer (the Streamlit app the package ships) at http://127.0.0.1:PORT/.

    It listens on this machine only and sends no usage statistics; further
    arguments go to `streamlit run` (e.g. --server.address 0.0.0.0). Its first
    start on an empty store builds the bundled reports into it.

    Example: kg-build app --store ./store --port 8501
    """
    import os
    import sys

    from kg_build.resources import app_file

    if store:
        os.environ["KG_STORE"] = store
    if allow_uploads:  # read by the upload page on every run (kg_build.upload.settings)
        os.environ["KG_ALLOW_UPLOADS"] = "1"
    settings = {"server.address": "127.0.0.1", "server.port": str(port), "server.headless": "true",
                "browser.gatherUsageStats": "false", "client.toolbarMode": "viewer"}
    flags = [part for name, value in settings.items() for part in (f"--{name}", value)]
    argv = [sys.executable, "-m", "streamlit", "run", str(app_file()), *flags, *streamlit_args]
    os.execv(sys.executable, argv)  # Streamlit owns the process from here: Ctrl-C stops it


@main.command()
@store_option
@click.option("--report", default=None, help="Validate only this report (its id, e.g. huli-2026, or IRI).")
@click.option("--shapes", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="SHACL shapes file. Default: ontology/shapes.ttl.")
@click.option("--max-examples", default=5, show_default=True, type=click.IntRange(1, 1000),
              help="Examples shown per kind of problem.")
@click.pass_context
def validate(ctx: click.Context, store: str | None, report: str | None, shapes: Path | None, max_examples: int) -> None:
    """Check the report graphs against the SHACL shapes (with the ontology's classes).

    Exit status: 0 when the graphs conform, 1 with a readable report of the
    violations, the error's own (3 and above, see the README) when the store,
    shapes or ontology cannot be read.

    Example: kg-build validate --store ./store --report huli-2026
    """
    try:
        from kg_build.validate import validate_store

        result = validate_store(_open(store), report=report, shapes_path=shapes, max_examples=max_examples)
    except PolicyKGError as exc:
        click.echo(f"Error: {' '.join(str(exc).split())}", err=True)
        ctx.exit(exc.exit_code)
    click.echo(result.text)
    ctx.exit(0 if result.conforms else 1)


@main.command("eval")
@click.argument("gold", type=click.Path(path_type=Path))
@store_option
@click.option("--report", "report_id", default=None, metavar="REPORT_ID",
              help="Score this report (id, e.g. huli-2026, or IRI). Default: the one matching the gold file's document.")
@click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
@click.option("--show-misses/--no-show-misses", default=True, show_default=True,
              help="List gold items not found, extra predictions and wrong attributes.")
@click.pass_context
def eval_command(
    ctx: click.Context, gold: Path, store: str | None, report_id: str | None, fmt: str, show_misses: bool
) -> None:
    """Score the graph in the store against a gold annotation file: P/R/F1 per category.

    Example: kg-build eval ../shared/gold/huli-2026.json --no-show-misses
    """
    from kg_build.evaluate import eval_command_output

    try:
        output = eval_command_output(_open(store), gold, report_id=report_id, fmt=fmt, show_misses=show_misses)
    except PolicyKGError as exc:
        if "--debug" in sys.argv:
            raise
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(exc.exit_code)
    click.echo(output, nl=False)


def run() -> None:
    main(prog_name="kg-build")


if __name__ == "__main__":
    run()
