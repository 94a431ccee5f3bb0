"""Persistence: the schema and the embedded SQLite store."""

from tawthiq.store.sqlite import Store, open_store

__all__ = ["Store", "open_store"]
