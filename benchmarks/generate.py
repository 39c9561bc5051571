"""Benchmark data: the bundled reports copied as distinct reports, and a million-quad store made from built graphs.

Two generators, both deterministic:

* ``copy_corpus`` writes ``copies`` copies of every report in a folder, copy ``k`` in
  ``copy-{k:02d}/`` with a sidecar whose ``plan_year`` (and ``review_year``, title,
  publication date) is moved ``k`` years on. Report ids are ``{region slug}-{plan_year}``,
  so every copy is a distinct report with a distinct IRI and content hash; copy 0 is the
  original. The text is the same, so every copy costs the builder the same work.
* ``multiply_graphs`` rewrites the N-Quads of already built report graphs into ``copies``
  distinct reports without re-extracting anything: copy ``k`` of ``report/beijing-2026`` is
  ``report/beijing-{2026+k}`` (every report-scoped IRI — sections, pillars, measures,
  statements, text spans — follows), its ``xsd:gYear`` literals and honour-conferral years
  move ``k`` years on, its title says the new year and its content hash is new. Shared
  entities (places, companies, indicators, initiatives …) keep their IRIs, as they would
  across the yearly reports of the same regions, so the data keeps its real shape.

  Years alone run out (a sidecar's years lie within 1900–2100: sixteen copies of a corpus spanning
  twelve years), so past them the copies move to distinct regions as well (``copy_plan``): in region
  group ``g`` ≥ 1 each report's own region ``place/huliqu-350206`` becomes ``place/huliqu-350206-r{g}``
  (labelled ``湖里区 {g}``, under the same parent), and so does everything the report places in it (its towns,
  projects, companies: ``placed_within``), as another county's would be its own; the report is ``huli-r{g}-2026``: ten million
  quads are 95 copies, six groups of up to sixteen years: 1,330 reports of 60 regions (the bundled
  reports' ten, six times), every region with a series of years. The other shape (``regions``) puts every copy in
  regions of its own, in the corpus's own years: 950 regions, 855 reports in 2026 alone, as every county's reports
  of one year would be.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

DATA_NS = "https://w3id.org/policy-kg/id/"
REPORT_NS = f"{DATA_NS}report/"
ONTOLOGY_GRAPH = "https://w3id.org/policy-kg/def"
POL = "https://w3id.org/policy-kg/def#"
PLAN_YEAR = f"<{POL}planYear>"
CONTENT_HASH = f"<{POL}contentHash>"
SOURCE_FILE = f"<{POL}sourceFile>"
TITLE_PREDICATES = (
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    "<http://purl.org/dc/terms/title>",
)
_GYEAR = re.compile(r'"(\d{4})"(\^\^<http://www\.w3\.org/2001/XMLSchema#gYear>)')
_CONFERRAL_YEAR = re.compile(r"(<https://w3id\.org/policy-kg/id/honor-conferral/[^>]*/)(\d{4})>")
_LITERAL_YEAR = re.compile(r'^"(\d{4})"')
REPORT_SUFFIXES = (".txt", ".html", ".htm", ".md", ".text")


# --- copies of the corpus with distinct sidecars ------------------------------------------------


def _shift_year_text(text: str, old: int, new: int) -> str:
    """The text with the year ``old`` written as ``new`` (whole four-digit numbers only)."""
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


def copied_sidecar(sidecar: dict, *, offset: int) -> dict:
    """A report's sidecar moved ``offset`` years on: plan and review year, title and publication date."""
    plan = int(sidecar["plan_year"])
    review = int(sidecar.get("review_year", plan - 1))
    moved = dict(sidecar)
    moved.pop("id", None)
    moved["plan_year"] = plan + offset
    moved["review_year"] = review + offset
    if isinstance(moved.get("title"), str):
        moved["title"] = _shift_year_text(moved["title"], plan, plan + offset)
    if isinstance(moved.get("published"), str) and moved["published"][:4].isdigit():
        year = int(moved["published"][:4])
        moved["published"] = f"{year + offset:04d}{moved['published'][4:]}"
    return moved


def year_step(plan_years: Iterable[int]) -> int:
    """How many years one copy moves on from the last: the corpus's span of plan years, so a series of one region
    (national 2015–2019) never lands on its own later years (copy 1 of 2015 would be 2016, a report the corpus has)."""
    years = list(plan_years)
    return max(years) - min(years) + 1 if years else 1


def copy_offset(k: int, step: int) -> int:
    """Years copy ``k`` moves: 0, +step, -step, +2·step, -2·step … — forward and back, so sixteen copies of a
    corpus spanning a dozen years stay within the years a sidecar may name (1900–2100)."""
    return step * ((k + 1) // 2) * (1 if k % 2 else -1)


YEAR_RANGE = (1900, 2100)  # the years a sidecar may name


def year_offsets(plan_years: Iterable[int], *, bounds: tuple[int, int] = YEAR_RANGE) -> list[int]:
    """Every offset ``copy_offset`` gives, in its order, that keeps all of ``plan_years`` (and the review year before
    each) within ``bounds``: the distinct years one region's copies can take."""
    years = list(plan_years)
    if not years:
        return [0]
    step = year_step(years)
    low, high = min(years) - 1, max(years)  # the review year is the plan year's last
    reach = 2 * ((bounds[1] - bounds[0]) // step + 1)  # past this every offset leaves the bounds both ways
    offsets = [copy_offset(k, step) for k in range(reach + 1)]
    offsets = [o for o in offsets if bounds[0] <= low + o and high + o <= bounds[1]]
    return offsets


SHAPES = ("series", "regions")  # how the copies spread: long series of years, or many regions in the corpus's years


def copy_plan(plan_years: Iterable[int], copies: int, *, shape: str = "series") -> list[tuple[int, int]]:
    """(region group, year offset) of each of ``copies`` copies (copy 0 is the original).

    ``series``: first every year a region can take (group 0, the corpus's own regions), then the same years in
    distinct regions (groups 1, 2 …): a few regions, each with a long series. ``regions``: every copy in regions of its
    own and the corpus's own years, as every county's reports of the same years would be: many reports a year.
    """
    if shape == "regions":
        return [(k, 0) for k in range(copies)]
    if shape != "series":
        raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
    offsets = year_offsets(plan_years)
    return [(k // len(offsets), offsets[k % len(offsets)]) for k in range(copies)]


def copy_corpus(source: Path, target: Path, *, copies: int) -> list[Path]:
    """``copies`` copies of every report in ``source`` under ``target/copy-NN/``, each a distinct report; sorted paths."""
    if copies < 1:
        raise ValueError("copies must be at least 1")
    reports = sorted(p for p in Path(source).iterdir() if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES)
    if target.exists():
        shutil.rmtree(target)
    sidecars = {
        report: json.loads(report.with_name(report.name.rsplit(".", 1)[0] + ".meta.json").read_text(encoding="utf-8"))
        for report in reports
    }
    step = year_step(int(s["plan_year"]) for s in sidecars.values())
    written: list[Path] = []
    for k in range(copies):
        folder = target / f"copy-{k:02d}"
        folder.mkdir(parents=True)
        for report in reports:
            sidecar_file = report.with_name(report.name.rsplit(".", 1)[0] + ".meta.json")
            sidecar = sidecars[report]
            copy = folder / report.name
            shutil.copyfile(report, copy)
            moved = copied_sidecar(sidecar, offset=copy_offset(k, step))
            copy.with_name(sidecar_file.name).write_text(
                json.dumps(moved, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
            )
            written.append(copy)
    return written


# --- a big store from built graphs ------------------------------------------------------------------


def graph_lines(store) -> dict[str, list[str]]:  # noqa: ANN001 - a kg_build LocalStore
    """Every named graph of a store as N-Quads lines (N-Triples with the graph appended), by graph IRI, sorted."""
    import pyoxigraph as ox

    source = store.open_read()
    graphs: dict[str, list[str]] = {}
    for name in sorted(g.value for g in source.named_graphs()):
        data = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)).decode("utf-8")
        graphs[name] = [f"{line[:-1].rstrip()} <{name}> ." for line in data.splitlines() if line.strip()]
    return graphs


def report_graphs(graphs: dict[str, list[str]]) -> dict[str, list[str]]:
    """Only the report graphs (``…/id/report/ID``)."""
    return {g: lines for g, lines in graphs.items() if g.startswith(REPORT_NS) and "/" not in g[len(REPORT_NS) :]}


def plan_year_of(graph: str, lines: list[str]) -> int:
    """The report's plan year, read from its ``pol:planYear`` triple (else the id's trailing year)."""
    subject = f"<{graph}> {PLAN_YEAR} "
    for line in lines:
        if line.startswith(subject) and (m := _LITERAL_YEAR.match(line[len(subject) :])):
            return int(m.group(1))
    tail = graph.rsplit("-", 1)[-1]
    if tail.isdigit():
        return int(tail)
    raise ValueError(f"{graph}: no plan year to move")


REGION = f"<{POL}region>"
ADMIN_CODE = f"<{POL}adminCode>"
LABEL_PREDICATES = (*TITLE_PREDICATES[:2], "<http://www.w3.org/2004/02/skos/core#altLabel>")
_TRAILING_YEAR = re.compile(r"-(\d{4})$")


def region_of(graph: str, lines: list[str]) -> str | None:
    """The IRI of the report's own region (its ``pol:region``), if it names one."""
    subject = f"<{graph}> {REGION} <"
    for line in lines:
        if line.startswith(subject):
            return line[len(subject) :].split(">", 1)[0]
    return None


LOCATED_IN = f"<{POL}locatedIn>"


def placed_within(region: str, lines: list[str]) -> list[str]:
    """The report's own region and what the report places in it (``pol:locatedIn``, however many steps down: its
    towns, projects, companies …), the region first: what moves with the region to another group. Its parents, and
    what no place holds (initiatives, indicators), stay shared."""
    held: dict[str, list[str]] = {}
    marker = f" {LOCATED_IN} <"
    for line in lines:
        if marker in line and line.startswith("<"):
            subject, rest = line[1:].split("> ", 1)
            held.setdefault(rest.split(marker[1:], 1)[1].split(">", 1)[0], []).append(subject)
    found, todo = {region: None}, [region]
    while todo:
        for inner in held.get(todo.pop(), ()):
            if inner not in found:
                found[inner] = None
                todo.append(inner)
    return list(found)


def _regrouping(moved: list[str], group: int) -> Callable[[str], str]:
    """What moves a line's region, and what it places in it (``placed_within``), to group ``group``: each one's IRI
    (and the slug other IRIs carry, as an honour conferral's does) gains ``-r{group}``, its labels `` {group}``, its
    admin code ``-r{group}``."""
    subjects = {f"<{iri}>" for iri in moved}
    slugs = sorted({iri.rsplit("/", 1)[-1] for iri in moved}, key=len, reverse=True)
    slug = re.compile(rf"(?<=/)({'|'.join(map(re.escape, slugs))})(?=[>/#])")
    named = tuple(f" {p} " for p in (*LABEL_PREDICATES, ADMIN_CODE))

    def regrouped(line: str) -> str:
        if line.split(" ", 1)[0] in subjects and any(p in line for p in named):
            subject, predicate, rest = line.split(" ", 2)
            literal, graph_part = rest.rsplit(" <", 1)
            value, _, tail = literal[1:].rpartition('"')
            suffix = f"-r{group}" if predicate == ADMIN_CODE else f" {group}"
            line = f'{subject} {predicate} "{value}{suffix}"{tail} <{graph_part}'
        return slug.sub(rf"\1-r{group}", line)

    return regrouped


def copied_report(graph: str, lines: list[str], *, offset: int, group: int = 0) -> tuple[str, list[str]]:
    """Copy ``offset`` of one report graph: a new report id (plan year + offset) and every year moved with it; in
    region group ``group`` ≥ 1 its own region, and what it places there, are distinct too (``_regrouping``)."""
    if offset == 0 and group == 0:
        return graph, list(lines)
    report_id = graph[len(REPORT_NS) :]
    plan = plan_year_of(graph, lines)
    new_id = _shift_year_text(report_id, plan, plan + offset)
    if group:
        new_id = _TRAILING_YEAR.sub(rf"-r{group}-\1", new_id) if _TRAILING_YEAR.search(new_id) else f"{new_id}-r{group}"
    if new_id == report_id:
        new_id = f"{report_id}-copy{offset}"
    new_graph = REPORT_NS + new_id
    region = region_of(graph, lines) if group else None
    regrouped = _regrouping(placed_within(region, lines), group) if region else None
    own = re.compile(re.escape(f"<{graph}") + r"(?=[>/#])")
    report_subject = f"<{graph}> "
    out = []
    for line in lines:
        is_report_triple = line.startswith(report_subject)
        if is_report_triple and f" {CONTENT_HASH} " in line:
            old = line.split(f" {CONTENT_HASH} ", 1)[1].split('"')[1]
            tag = f"+copy{offset}" + (f"+r{group}" if group else "")
            new = hashlib.sha256(f"{old}{tag}".encode()).hexdigest()
            line = line.replace(f'"{old}"', f'"{new}"', 1)
        elif is_report_triple and (f" {SOURCE_FILE} " in line or any(f" {p} " in line for p in TITLE_PREDICATES)):
            subject, predicate, rest = line.split(" ", 2)
            literal, graph_part = rest.rsplit(" <", 1)
            line = f"{subject} {predicate} {_shift_year_text(literal, plan, plan + offset)} <{graph_part}"
        line = own.sub(f"<{new_graph}", line)
        if regrouped:
            line = regrouped(line)
        if offset:
            line = _GYEAR.sub(lambda m: f'"{int(m.group(1)) + offset:04d}"{m.group(2)}', line)
            line = _CONFERRAL_YEAR.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + offset:04d}>", line)
        out.append(line)
    return new_graph, out


def multiply_graphs(
    reports: dict[str, list[str]], *, copies: int, shape: str = "series"
) -> Iterator[tuple[str, list[str]]]:
    """``copies`` copies of every report graph (copy 0 is the original), as (graph IRI, N-Quads lines), sorted; each
    copy moved on by the corpus's span of plan years (``year_step``) or to distinct regions, as ``shape`` says
    (``copy_plan``), so no copy lands on another report's IRI."""
    plan = copy_plan((plan_year_of(graph, lines) for graph, lines in reports.items()), copies, shape=shape)
    for group, offset in plan:
        for graph in sorted(reports):
            yield copied_report(graph, reports[graph], offset=offset, group=group)


def copies_for(quads: int, *, per_copy: int) -> int:
    """How many copies of a corpus of ``per_copy`` quads reach ``quads``."""
    return max(1, math.ceil(quads / max(1, per_copy)))


@dataclass(frozen=True)
class BigStore:
    """What ``generate_store`` made."""

    root: Path
    nquads_file: Path
    copies: int
    reports: int
    quads: int
    seconds: float
    load_seconds: float


def generate_store(source, target: Path, *, quads: int, nquads_file: Path, shape: str = "series") -> BigStore:  # noqa: ANN001
    """A LocalStore at ``target`` of at least ``quads`` quads (plus the ontology), and the same data as one N-Quads file;
    ``shape``: how the copies spread over regions and years (``copy_plan``)."""
    from kg_build.store import LocalStore

    t0 = time.perf_counter()
    graphs = graph_lines(source)
    reports = report_graphs(graphs)
    per_copy = sum(len(lines) for lines in reports.values())
    copies = copies_for(quads, per_copy=per_copy)
    if target.exists():
        shutil.rmtree(target)
    count = 0
    load = 0.0
    from kg_build.stats import recorded_stats

    store = LocalStore(target)
    with open(nquads_file, "w", encoding="utf-8") as out, store.writer() as writer:
        ontology = graphs.get(ONTOLOGY_GRAPH, [])
        if ontology:
            data = "\n".join(ontology) + "\n"
            out.write(data)
            t1 = time.perf_counter()
            writer.replace_graph(ONTOLOGY_GRAPH, data.encode())
            load += time.perf_counter() - t1
        for graph, lines in multiply_graphs(reports, copies=copies, shape=shape):
            data = "\n".join(lines) + "\n"
            out.write(data)
            t1 = time.perf_counter()
            writer.replace_graph(graph, data.encode())
            load += time.perf_counter() - t1
            count += 1
        t1 = time.perf_counter()
        writer.info["stats"] = recorded_stats(writer, writer.graph_quads)  # as kg-build build records them
        load += time.perf_counter() - t1
    return BigStore(
        root=target,
        nquads_file=nquads_file,
        copies=copies,
        reports=count,
        quads=store.quad_count(),
        seconds=time.perf_counter() - t0,
        load_seconds=load,
    )

