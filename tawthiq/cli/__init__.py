"""The `tawthiq` command: one click group; each stage's module adds its commands on import."""

from __future__ import annotations

from tawthiq.cli.app import main

# Each module below registers its commands on `main` when imported (one line per stage).
from tawthiq.cli import pipeline as _pipeline  # noqa: F401, E402

__all__ = ["main"]
