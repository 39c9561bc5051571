"""Stores of report graphs: the ``Store``/``Writer`` protocols, one result type, local and remote stores.

``open_store(location)`` gives a ``Store``: a folder is a ``LocalStore`` (generations on
disk, published atomically), an ``http(s)://`` URL a ``RemoteStore`` (SPARQL 1.1 Protocol
and Graph Store Protocol). Callers type against ``Store``; they never ask which one they hold.
"""

from __future__ import annotations

from pathlib import Path

from kg_build.store.faults import FAULT_ENV
from kg_build.store.local import (
    CURRENT,
    GENERATIONS,
    INFO_FILE,
    KEEP_GENERATIONS,
    GenerationCheck,
    GenerationWriter,
    LocalStore,
    default_store_path,
)
from kg_build.store.protocol import Reader, Store, Writer
from kg_build.store.remote import RemoteStore
from kg_build.store.results import GraphResult, QueryResult, SelectResult, to_rdflib

__all__ = [
    "CURRENT", "FAULT_ENV", "GENERATIONS", "INFO_FILE", "KEEP_GENERATIONS",
    "GenerationCheck", "GenerationWriter", "GraphResult", "LocalStore", "QueryResult", "Reader",
    "RemoteStore", "SelectResult", "Store", "Writer", "default_store_path", "open_store", "to_rdflib",
]


def open_store(location: str | Path | None) -> Store:
    """The store at a location: ``None`` is the default folder, an ``http(s)://`` URL a remote store, else a folder."""
    if location is None:
        return LocalStore(default_store_path())
    text = str(location)
    if text.startswith(("http://", "https://")):
        return RemoteStore(text)
    return LocalStore(Path(text).expanduser())
