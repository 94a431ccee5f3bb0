"""Documentation coverage: every CLI command has a worked example in its help and is documented."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from tawthiq.cli import main

REPO = Path(__file__).resolve().parents[1]


def walk(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from walk(command, full + " ")


COMMANDS = list(walk(main))
DOCS = "\n".join(p.read_text(encoding="utf-8") for p in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))])


def test_there_are_commands() -> None:
    assert {"ingest", "claims", "incidents", "run"} <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_a_worked_example(name: str, command: click.Command) -> None:
    if isinstance(command, click.Group):
        return
    assert "Example" in (command.help or ""), f"`tawthiq {name}` has no worked example in its help"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_documented(name: str, command: click.Command) -> None:
    assert f"tawthiq {name}" in DOCS, f"`tawthiq {name}` is not mentioned in README.md or docs/"


def test_readme_opens_with_the_two_commands() -> None:
    lines = [line for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines[0].startswith("# ")
    block = lines[lines.index("```") + 1 : lines.index("```", lines.index("```") + 1)]
    assert block == ["make run", "make test"]
