"""The code's own checks run in CI with the tests: ruff (lint), mypy (types), codespell (spelling of names and docs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "tawthiq", "tests", "benchmarks"],
        ["mypy", "tawthiq"],
        ["codespell", "tawthiq", "docs", "README.md", "tests", "benchmarks"],
    ],
    ids=["ruff", "mypy", "codespell"],
)
def test_tool_passes(command: list[str]) -> None:
    run = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{' '.join(command)} found problems:\n{run.stdout[-4000:]}{run.stderr[-2000:]}"
