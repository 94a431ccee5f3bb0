"""The record's change marks are filed by triggers on every table of the record, on both engines, and by no other.

A table without them would let a cached web page outlive a change to its rows; a table of sessions or tokens with them
would make every sign-in re-check every page. A later migration that adds a table must add its triggers: this test
fails until it does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tawthiq.store import Store, open_store, upgrade
from tawthiq.store.dialects import UNWATCHED
from tawthiq.store.digest import record_tables

LEGACY = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "legacy-0320.db"


def marked_tables(store: Store) -> set[str]:
    """The tables whose writes file a change mark, as the engine's catalogue lists their triggers."""
    conn = store.conn
    if conn.dialect == "sqlite":
        rows = conn.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_mark_%'")
        by_table: dict[str, set[str]] = {}
        for table, name in rows.fetchall():
            by_table.setdefault(table, set()).add(name.rsplit("_", 1)[1])
        return {t for t, verbs in by_table.items() if verbs == {"insert", "update", "delete"}}
    rows = conn.execute(
        "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid"
        " WHERE p.proname = 'tawthiq_mark' AND NOT t.tgisinternal")
    return {r[0] for r in rows.fetchall()}


def test_every_table_of_the_record_and_no_other_files_marks(store_url: str) -> None:
    with open_store(store_url) as store:
        tables = set(record_tables(store.conn))
        assert tables >= UNWATCHED
        assert marked_tables(store) == tables - UNWATCHED


def test_a_store_upgraded_from_before_the_migrations_files_marks_too(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(LEGACY, path)
    shutil.copytree(Path(str(LEGACY) + ".evidence"), Path(str(path) + ".evidence"))
    with open_store(path, check_schema=False) as store:
        upgrade(store)
    with open_store(path) as store:
        assert marked_tables(store) == set(record_tables(store.conn)) - UNWATCHED
        mark = store.conn.record_changes(None)[0]
        store.conn.execute("UPDATE claims SET place = place WHERE id = (SELECT min(id) FROM claims)")
        assert store.conn.record_changes(mark)[1]


def test_a_bulk_write_files_one_mark_per_transaction_on_postgresql_and_moves_the_counter_on_sqlite(
        store_url: str) -> None:
    with open_store(store_url) as store:
        conn = store.conn
        mark = conn.record_changes(None)[0]
        with store.transaction():
            conn.copy_rows("incident_notes", ("incident_key", "body", "user_name", "created_at"),
                           [("k", f"note {i}", "test", "2026-01-01") for i in range(500)])
            conn.execute("UPDATE incident_notes SET body = body || '.'")
        if conn.dialect == "postgresql":
            assert conn.scalar("SELECT count(*) FROM store_changes") == 1  # statement triggers, one row per transaction
        else:
            assert int(mark.split(":")[0]) + 1000 == int(conn.record_changes(mark)[0].split(":")[0])
        assert conn.record_changes(mark)[1]
