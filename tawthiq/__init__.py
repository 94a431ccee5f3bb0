"""Tawthiq: turn reports of violence into a verified, deduplicated, provenance-tracked record."""

from __future__ import annotations

from tawthiq.errors import TawthiqError
from tawthiq.model import Claim, Document, Incident, Quantity, Source

__all__ = ["Claim", "Document", "Incident", "Quantity", "Source", "TawthiqError", "__version__"]
__version__ = "0.1.0"
