"""Upgrading stores in place: a store made by the release before the migrations comes up to date without loss."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tawthiq.cli import main
from tawthiq.errors import StoreError
from tawthiq.evidence import audit
from tawthiq.store import open_store, upgrade
from tawthiq.store.database import HEAD, legacy_files, split_statements
from tawthiq.store.digest import table_digest
from tawthiq.web.search import search

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store" / "legacy-0320.db"


def old_store(tmp_path: Path) -> Path:
    """A copy of the store (and its vault) that the last release before the migrations made."""
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE, target)
    shutil.copytree(Path(str(FIXTURE) + ".evidence"), Path(str(target) + ".evidence"))
    return target


def raw_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'search_%' AND name NOT LIKE 'sqlite_%'")]
    counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    conn.close()
    return counts


def test_an_old_store_asks_for_an_upgrade_and_is_not_touched(tmp_path: Path) -> None:
    path = old_store(tmp_path)
    before = raw_counts(path)
    with pytest.raises(StoreError, match=r"revision legacy.*\n.*db upgrade"):
        open_store(path)
    assert raw_counts(path) == before and "alembic_version" not in before


def test_db_upgrade_keeps_every_row_and_the_audit_chain(tmp_path: Path) -> None:
    path = old_store(tmp_path)
    counts = raw_counts(path)
    assert counts["claims"] > 0 and counts["audit_log"] > 0 and counts["witnesses"] == 1
    with open_store(path, check_schema=False) as store:
        digests = {t: table_digest(store.conn, t) for t in ("claims", "documents", "witnesses", "audit_log")}
    result = CliRunner().invoke(main, ["--db", str(path), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"schema at {HEAD} (was legacy)" in result.output
    after = raw_counts(path)
    assert {t: n for t, n in after.items() if t not in ("audit_log", "audit_seal_rows")} == {
        **{t: n for t, n in counts.items() if t not in ("audit_log", "audit_seal_rows")}, "alembic_version": 1,
        "store_mark": 1}
    assert after["audit_log"] == counts["audit_log"] + 2  # the upgrade itself, and a seal after it
    with open_store(path) as store:
        assert store.revision() == HEAD
        for table, digest in digests.items():
            if table != "audit_log":
                assert table_digest(store.conn, table) == digest, table
        assert audit.verify(store.conn).broken is None
        assert not audit.check_seal(store.conn).changes
        assert search(store.conn, "killed")["claim"]  # the old search index still answers
        upgrade(store)  # again: nothing to do
    again = CliRunner().invoke(main, ["--db", str(path), "db", "upgrade"])
    assert "(already)" in again.output
    verified = CliRunner().invoke(main, ["--db", str(path), "evidence", "verify"])
    assert verified.exit_code == 0, verified.output


def test_a_store_from_an_even_older_release_gets_the_files_it_missed(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, sql in legacy_files()[:3]:  # core, captions' language, victims: before evidence and the web
        for statement in split_statements(sql):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_migrations VALUES (?, '2025-01-01')", (name,))
    conn.execute("INSERT INTO sources (name) VALUES ('An old source')")
    conn.close()
    with open_store(path, check_schema=False) as store:
        assert upgrade(store) == ("legacy", HEAD)
    with open_store(path) as store:
        assert store.query("SELECT name FROM sources")[0][0] == "An old source"
        assert store.conn.has_table("api_tokens") and store.conn.has_table("incident_current_grades")


def test_db_current_names_the_revision(tmp_path: Path) -> None:
    path = old_store(tmp_path)
    result = CliRunner().invoke(main, ["--db", str(path), "db", "current"])
    assert result.exit_code == 0 and f"schema legacy; this release needs {HEAD}" in result.output


def test_the_old_releases_seal_reads_the_same_rows_the_same_way() -> None:
    """Row digests did not change: every row the old release sealed (by id) has the digest this release computes."""
    from tawthiq.store.database import sqlite_read_only
    from tawthiq.store.digest import row_digests
    from tawthiq.store.tables import metadata

    with sqlite_read_only(FIXTURE) as conn:
        seal = conn.scalar("SELECT max(seal_seq) FROM audit_seal_rows")
        compared = 0
        for table in metadata.tables.values():
            if [c.name for c in table.primary_key.columns] not in (["id"], ["seq"], ["record_id"]) \
                    or table.name in ("audit_log", "audit_seal_rows"):
                continue  # several key columns: keyed by SQLite's rowid then; the audit tables are not sealed
            sealed = dict(conn.execute("SELECT row_key, digest FROM audit_seal_rows WHERE seal_seq = ? AND tbl = ?",
                                       (seal, table.name)).fetchall())
            assert dict(row_digests(conn, table.name)) == sealed, table.name
            compared += len(sealed)
    assert compared > 30
