"""What a store can do, whatever it is: the ``Store`` and ``Writer`` protocols every caller types against.

Two implementations stand behind them: ``LocalStore`` (generations on disk, see ``local.py``)
and ``RemoteStore`` (a SPARQL 1.1 Protocol + Graph Store Protocol server, see ``remote.py``);
``open_store`` picks one from a location. Callers never ask which one they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg_build.store.local import GenerationCheck
from kg_build.store.results import QueryResult


class Reader(Protocol):
    """Anything SPARQL can be asked of: a store, or a writer's generation being written."""

    def query(self, sparql: str, *, union_default: bool = True) -> QueryResult:
        """Run a query; its default graph is the union of the named graphs unless ``union_default=False``."""
        ...


class Writer(Reader, Protocol):
    """Changes to a store, published all at once when the ``Store.writer()`` block ends without an error."""

    def graph_names(self) -> list[str]:
        """The named graphs as they will be once published."""
        ...

    def replace_graph(self, graph: str, nquads: bytes) -> None:
        """Replace a named graph by these N-Quads (every quad in ``graph``)."""
        ...

    def replace_graph_turtle(self, graph: str, turtle: bytes) -> None:
        ...

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph; the default graph keeps what other graphs still state."""
        ...

    def keep_stats(self, stats: Callable[[dict[str, int]], dict]) -> None:
        """Record the counts readers show, computed from the quads per graph (a no-op where no record is kept)."""
        ...

    def recorded_before(self) -> tuple[dict | None, set[str]]:
        """What the last generation recorded for readers (None where nothing was) and the graphs changed since:
        a record can carry over what it knew of every graph not changed."""
        ...


class Store(Reader, Protocol):
    """A store of report graphs: read by SPARQL and by graph, written through ``writer()``."""

    @property
    def root(self) -> Path | str:
        """Where the store is (a folder, or a server's base URL): what messages show."""
        ...

    @property
    def local_root(self) -> Path | None:
        """The folder of a store on this machine (query workers open it themselves), None for a remote one."""
        ...

    def exists(self) -> bool: ...

    def generation(self) -> str | None:
        """A name that changes whenever what the store holds changes (None if it holds nothing yet)."""
        ...

    def generation_time(self) -> float | None:
        """When the current generation was published (seconds since the epoch), None where unknown."""
        ...

    def info(self) -> dict:
        """What the writer recorded about the current generation (``{}`` where nothing is recorded)."""
        ...

    def verify_graphs(self) -> None:
        """Raise StoreDamagedError when the store does not hold the graphs its record names."""
        ...

    def check(self) -> list[GenerationCheck]:
        """Every generation kept, counted and compared with its record (StoreError where there is none)."""
        ...

    def compact(self) -> dict:
        """Publish the current generation with its files merged, the same graphs in it; the record it had (what was
        left unmerged). StoreMissingError where there is no store, StoreError where the server keeps its own files."""
        ...

    def query_serialized(self, sparql: str, media_type: str, *, union_default: bool = True) -> tuple[str, bytes]:
        """Run a query and return its answer serialized in ``media_type``: (the content type sent, bytes)."""
        ...

    def named_graphs(self) -> list[str]: ...

    def graph_ntriples(self, graph: str) -> bytes:
        """One named graph's triples as N-Triples (StoreError when there is no such graph)."""
        ...

    def dump(self, *, fmt: ox.RdfFormat, graph: str | None = None) -> bytes: ...

    def quad_count(self) -> int: ...

    def writer(self) -> AbstractContextManager[Writer]:
        """Changes published atomically when the block ends; nothing is published if it raises."""
        ...
