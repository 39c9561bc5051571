"""Saved SPARQL queries (queries/*.rq) with their header, and safe parameter binding.

A saved query starts with a header of ``# key: value`` comment lines::

    # name: indicator-across-regions
    # title: One indicator across regions
    # description: Every stated figure of one indicator, by region and year.
    # title-zh: 各地区同一指标
    # param: indicator string 地区生产总值增长 — the indicator's label (or an alias)
    # page-size: 500

Parameters are validated for their type and injected as a ``VALUES`` block at the
start of the outermost ``WHERE`` group, never pasted into the query text.

A query that lists a whole class (every statement, every mention) is *paged*:
its header declares ``page-size: N`` and its text ends with ``LIMIT N``, so run
as it is it returns the first page (what the workbench and ``kg-build query``
show); ``bind(page=k)`` returns page k and ``bind(page=None)`` every row. Such
queries are written so that a page costs a page, not the store (see
queries/targets.rq).

Each saved query also has a SPARQL 1.1 form, ``queries/sparql11/NAME.rq``: the same rows without
SPARQL 1.2's ``LATERAL`` (which Oxigraph runs and others may not), for stores other than ours;
``bind(..., sparql11=True)`` gives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kg_build.errors import QueryError
from kg_build.resources import queries_dir

PARAM_TYPES = ("string", "label", "iri", "integer", "year")
SPARQL11_DIR = "sparql11"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_FINAL_LIMIT = re.compile(r"\s*\bLIMIT\s+(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str


@dataclass(frozen=True)
class SavedQuery:
    """A query from queries/NAME.rq with the metadata its header declares."""

    name: str
    title: str
    description: str
    text: str
    path: Path
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    title_zh: str = ""  # from "# title-zh:", for readers of Chinese
    description_zh: str = ""
    page_size: int | None = None  # from "# page-size:"; the text then ends with "LIMIT page_size"
    sparql11_text: str = ""  # queries/sparql11/NAME.rq: the same rows in SPARQL 1.1 (no LATERAL)

    def title_in(self, lang: str) -> str:
        """The title in a reader's language ("zh" or "en"), falling back to the English one."""
        return (self.title_zh if lang.startswith("zh") else "") or self.title

    def description_in(self, lang: str) -> str:
        return (self.description_zh if lang.startswith("zh") else "") or self.description

    def bind(self, values: dict[str, str] | None = None, *, page: int | None = 1, sparql11: bool = False) -> str:
        """The query with its parameters bound (defaults where a value is not given).

        For a paged query, ``page`` (from 1) picks the page and ``None`` asks for every row;
        other queries ignore it. ``sparql11`` gives the SPARQL 1.1 form, for stores without LATERAL.
        """
        if sparql11 and not self.sparql11_text:
            raise QueryError(f"saved query {self.name} has no SPARQL 1.1 form (queries/sparql11/{self.name}.rq)")
        text = bind_parameters(self.sparql11_text if sparql11 else self.text, self.parameters, values or {})
        if self.page_size is None:
            return text
        head = _FINAL_LIMIT.sub("", text)
        if page is None:
            return head + "\n"
        if page < 1:
            raise QueryError(f"page {page}: pages are numbered from 1")
        offset = f" OFFSET {(page - 1) * self.page_size}" if page > 1 else ""
        return f"{head}\nLIMIT {self.page_size}{offset}\n"


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one .rq file and its header; a bad header is a QueryError naming the file."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        key, sep, value = line.lstrip("#").strip().partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            params.append(_parse_param(path, value))
        else:
            header[key] = value
    name = header.get("name", path.stem)
    if name != path.stem or not _NAME.match(name):
        raise QueryError(f"{path}: header name {name!r} must equal the file name and be lowercase-with-hyphens")
    page_size = None
    if "page-size" in header:
        limit = _FINAL_LIMIT.search(text)
        if not header["page-size"].isdigit() or int(header["page-size"]) < 1 or limit is None \
                or int(limit.group(1)) != int(header["page-size"]):
            raise QueryError(f"{path}: 'page-size: N' needs a whole number N and the query to end with 'LIMIT N'")
        page_size = int(header["page-size"])
    return SavedQuery(
        name=name,
        title=header.get("title", name),
        description=header.get("description", ""),
        text=text,
        path=path,
        parameters=tuple(params),
        title_zh=header.get("title-zh", ""),
        description_zh=header.get("description-zh", ""),
        page_size=page_size,
    )


def _parse_param(path: Path, spec: str) -> Parameter:
    head, _, description = spec.partition("—")
    parts = head.split(None, 2)
    if len(parts) < 2 or not _VAR.match(parts[0]) or parts[1] not in PARAM_TYPES:
        raise QueryError(f"{path}: bad '# param:' line {spec!r}; write '# param: NAME TYPE [DEFAULT] — text'")
    default = parts[2].strip() if len(parts) > 2 else None
    return Parameter(parts[0], parts[1], default or None, description.strip())


def saved_queries(directory: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query by name, sorted."""
    directory = directory or queries_dir()
    found = sorted((parse_saved_query(p) for p in directory.glob("*.rq")), key=lambda q: q.name)
    return {q.name: _with_sparql11(q, directory / SPARQL11_DIR / f"{q.name}.rq") for q in found}


def _with_sparql11(query: SavedQuery, path: Path) -> SavedQuery:
    """The query with its SPARQL 1.1 form, whose header must declare the same parameters and page size."""
    if not path.is_file():
        return query
    portable = parse_saved_query(path)
    if (portable.parameters, portable.page_size) != (query.parameters, query.page_size):
        raise QueryError(f"{path}: its parameters and page size must be those of {query.path.name}")
    return replace(query, sparql11_text=portable.text)


def needs_sparql11(store: object) -> bool:
    """Whether a store (or its location) is named by URL: not ours, so it may lack LATERAL and its union default
    graph may be a bag; such a store gets the saved queries' SPARQL 1.1 forms (``bind(..., sparql11=...)``)."""
    return str(getattr(store, "root", store) or "").startswith(("http://", "https://"))


def get_saved_query(name: str, directory: Path | None = None) -> SavedQuery:
    queries = saved_queries(directory)
    if name not in queries:
        raise QueryError(f"no saved query {name!r}; the saved queries are: {', '.join(queries)}")
    return queries[name]


def sparql_value(param: Parameter, value: str) -> str:
    """A validated SPARQL term for a parameter value."""
    if param.type in ("string", "label"):
        if any(ord(c) < 0x20 for c in value):
            raise QueryError(f"parameter {param.name}: control characters are not allowed")
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        # a label is matched as the zh-Hans literal itself, so the store can look it up in its index
        return f'"{escaped}"@zh-Hans' if param.type == "label" else f'"{escaped}"'
    if param.type == "iri":
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or _IRI_FORBIDDEN.search(value):
            raise QueryError(f"parameter {param.name}: {value!r} is not an absolute IRI")
        return f"<{value}>"
    if param.type in ("integer", "year"):
        if not re.fullmatch(r"-?\d{1,9}", value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not a whole number")
        number = int(value)
        if param.type == "year":
            return f'"{number:04d}"^^<http://www.w3.org/2001/XMLSchema#gYear>'
        return str(number)
    raise QueryError(f"parameter {param.name}: unknown type {param.type}")


def bind_parameters(text: str, params: tuple[Parameter, ...], values: dict[str, str]) -> str:
    """Inject ``VALUES (?a ?b) { (x y) }`` at the start of the outermost WHERE group."""
    unknown = sorted(set(values) - {p.name for p in params})
    if unknown:
        names = ", ".join(p.name for p in params) or "none"
        raise QueryError(f"unknown parameter {', '.join(unknown)}; this query takes: {names}")
    if not params:
        return text
    terms = []
    for p in params:
        value = values.get(p.name, p.default)
        terms.append("UNDEF" if value in (None, "") else sparql_value(p, value))
    block = f"VALUES ({' '.join('?' + p.name for p in params)}) {{ ({' '.join(terms)}) }}"
    match = _WHERE.search(_mask_comments(text))
    if match is None:
        raise QueryError("this query has parameters but no WHERE group to bind them in")
    return f"{text[: match.end()]}\n  {block}\n{text[match.end():]}"


def _mask_comments(text: str) -> str:
    """The text with comment lines blanked (same length), so a WHERE in a comment is not matched."""
    return "\n".join(" " * len(line) if line.lstrip().startswith("#") else line for line in text.split("\n"))
