"""The README stays true: every CLI command is documented there and shows an example in --help."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_build.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_the_cli_has_the_commands_the_issues_ask_for():
    assert {"build", "export", "query", "stats", "eval", "validate", "serve"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"\bkg-build {command}\b", README), f"README has no example of `kg-build {command}`"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_shows_an_example(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output and f"kg-build {command}" in result.output


def test_the_readme_gives_the_two_commands():
    assert "pip install -e . && streamlit run app.py" in README
    assert "pip install -e '.[test]' && pytest" in README


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^pytest\b", ci, re.MULTILINE)
    assert "pip install" in ci and "[test]" in ci
