"""The analysts' web application: review, incidents, documents, victims, map, timeline and search (see docs/web.md)."""

from tawthiq.web.app import create_app
from tawthiq.web.context import WebSettings

__all__ = ["WebSettings", "create_app"]
