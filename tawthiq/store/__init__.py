"""Persistence: the schema, its migrations, and the store on SQLite (default) or PostgreSQL."""

from tawthiq.store.connection import Connection, Row
from tawthiq.store.database import Store, open_store, resolve_url, upgrade

__all__ = ["Connection", "Row", "Store", "open_store", "resolve_url", "upgrade"]
