"""Typed errors: each kind has its exit code, the CLI exits with it in one line, the README lists it."""

from __future__ import annotations

import fcntl
import inspect
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_build import errors
from kg_build.cli import main
from kg_build.errors import (
    InputError,
    PolicyKGError,
    QueryRefused,
    QuerySyntaxError,
    ReportNotFoundError,
    StoreBusyError,
    StoreMissingError,
)

README = Path(__file__).resolve().parents[1] / "README.md"
KINDS = sorted((c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, PolicyKGError)),
               key=lambda c: c.__name__)


@pytest.mark.parametrize("kind", KINDS, ids=lambda c: c.__name__)
def test_every_kind_has_an_exit_code_the_readme_lists(kind: type[PolicyKGError]):
    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", README.read_text(encoding="utf-8"), re.M))
    assert str(kind.exit_code) in table and kind.exit_code != 2  # 2 is click's: a wrong command line


def test_kinds_a_caller_tells_apart_have_codes_of_their_own():
    codes = {kind: kind.exit_code for kind in (errors.InputError, errors.QueryError, errors.QueryTimeout,
                                               errors.StoreError, errors.StoreMissingError, errors.StoreDamagedError,
                                               errors.RemoteUnreachableError, errors.BuildError, errors.StoreBusyError)}
    assert len(set(codes.values())) == len(codes)


# (command, kind of error, words of its one line); {store} is a built store, {none} a folder with none
CASES = [
    (["build", "{none}/missing.txt", "--store", "{store}"], InputError, "missing.txt"),
    (["export", "--report", "nope-2026", "--store", "{store}"], ReportNotFoundError, "no report 'nope-2026'"),
    (["remove", "nope-2026", "--store", "{store}"], ReportNotFoundError, "no report 'nope-2026'"),
    (["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "--store", "{store}"], QueryRefused, "read-only"),
    (["query", "SELEC ?s WHERE {}", "--store", "{store}"], QuerySyntaxError, "syntax"),
    (["stats", "--store", "{none}"], StoreMissingError, "no store at"),
    (["remove", "a-2026", "--store", "{none}"], StoreMissingError, "no store at"),
    (["remove", "shili-2026", "--store", "{store}"], StoreBusyError, "another build is writing"),
]


@pytest.mark.parametrize(("command", "kind", "words"), CASES, ids=[f"{c[0][0]}-{c[1].__name__}" for c in CASES])
def test_the_cli_exits_by_the_kind_of_error(sample_store, tmp_path: Path, command: list[str],
                                            kind: type[PolicyKGError], words: str):
    from integration_helpers import copy_store

    store = copy_store(sample_store, tmp_path / "store")
    argv = [part.replace("{store}", str(store.root)).replace("{none}", str(tmp_path / "none")) for part in command]
    with open(store.root / "writer.lock", "w") as lock:
        if kind is StoreBusyError:  # a build holds the store
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = CliRunner().invoke(main, argv)
    assert result.exit_code == kind.exit_code, result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1 and words in result.output
