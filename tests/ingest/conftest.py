"""Paths to the ingest fixtures (ours, in tests/fixtures/ingest) and to the shared real corpus (../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CORPUS = SHARED / "corpus"
CORPUS_AR = SHARED / "corpus-ar"
LONG_READ = CORPUS / "000_95fd2f548719c6e5.txt"
NBC = CORPUS / "002_31f453a07f26236c.txt"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def shared_file(path: Path) -> Path:
    """A file of the shared corpus; the test is skipped (not failed) on a checkout without ../shared."""
    if not path.exists():
        pytest.skip(f"shared corpus not available: {path}")
    return path
