"""Output files: when writing one over an existing file could lose something."""

from __future__ import annotations

from pathlib import Path


def holds_data(path: Path) -> bool:
    """Whether replacing ``path`` could lose anything: it exists and is not empty (an empty file, such as one a
    caller made with ``mktemp`` to receive the output, is written over without --overwrite)."""
    try:
        return path.stat().st_size > 0 or not path.is_file()
    except FileNotFoundError:
        return False
