"""The `tawthiq` command: one click group; each stage's module adds its commands on import."""

from __future__ import annotations

from tawthiq.cli import api as _api  # noqa: F401
from tawthiq.cli import db as _db  # noqa: F401
from tawthiq.cli import estimate as _estimate  # noqa: F401
from tawthiq.cli import evidence as _evidence  # noqa: F401
from tawthiq.cli import formats as _formats  # noqa: F401
from tawthiq.cli import pipeline as _pipeline  # noqa: F401
from tawthiq.cli import report as _report  # noqa: F401

# Each module below registers its commands on `main` when imported (one line per stage).
from tawthiq.cli import victims as _victims  # noqa: F401
from tawthiq.cli import web as _web  # noqa: F401
from tawthiq.cli.app import main

__all__ = ["main"]
