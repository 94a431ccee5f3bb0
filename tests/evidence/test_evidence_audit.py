"""The audit chain: every edit, deletion, reordering and rewrite of an entry is detected and the entry named."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tawthiq.errors import EvidenceError, ProtectionError, StoreError
from tawthiq.evidence import audit
from tawthiq.evidence.secret import Protected
from tawthiq.store import Store, open_store


def fill(store: Store, n: int) -> None:
    with store.transaction() as conn:
        for i in range(n):
            audit.record_event(conn, "ingest", f"doc-{i}", {"i": i, "claims": i * 2})


def unguard(conn: sqlite3.Connection) -> None:
    """What an editor with a SQLite shell does first."""
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")


def test_intact_chain_verifies_and_head_is_last_entry(estore: Store) -> None:
    fill(estore, 5)
    report = audit.verify(estore.conn)
    assert report.ok and report.entries == 5
    assert audit.head(estore.conn) == (5, report.head_hash)


def test_record_event_outside_a_transaction_is_refused(estore: Store) -> None:
    with pytest.raises(EvidenceError, match=r"inside Store\.transaction"):
        audit.record_event(estore.conn, "ingest", "x", {})


def test_a_rolled_back_change_leaves_no_entry(estore: Store) -> None:
    with pytest.raises(RuntimeError), estore.transaction() as conn:
        audit.record_event(conn, "ingest", "x", {})
        raise RuntimeError("the ingest failed after its entry")
    assert audit.head(estore.conn) == (0, audit.GENESIS)


def test_protected_values_are_refused_in_the_log(estore: Store) -> None:
    with pytest.raises(ProtectionError) as e, estore.transaction() as conn:
        audit.record_event(conn, "witness.add", "W-1", {"name": Protected("secret name")})
    assert "secret name" not in str(e.value)


def test_triggers_refuse_ordinary_updates(estore: Store) -> None:
    fill(estore, 2)
    with pytest.raises(StoreError, match="append-only"):
        estore.conn.execute("UPDATE audit_log SET subject = 'y' WHERE seq = 1")


def test_an_edited_entry_is_named(estore: Store) -> None:
    fill(estore, 6)
    unguard(estore.conn)
    estore.conn.execute("UPDATE audit_log SET detail = '{\"claims\":99,\"i\":3}' WHERE seq = 4")
    report = audit.verify(estore.conn)
    assert report.broken is not None and report.broken.seq == 4
    assert "edited" in report.broken.reason


def test_a_deleted_entry_is_named(estore: Store) -> None:
    fill(estore, 6)
    unguard(estore.conn)
    estore.conn.execute("DELETE FROM audit_log WHERE seq = 3")
    report = audit.verify(estore.conn)
    assert report.broken is not None and report.broken.seq == 3 and "missing" in report.broken.reason


def test_reordered_entries_are_named(estore: Store) -> None:
    fill(estore, 6)
    unguard(estore.conn)
    conn = estore.conn
    conn.execute("UPDATE audit_log SET seq = -1 WHERE seq = 2")
    conn.execute("UPDATE audit_log SET seq = 2 WHERE seq = 5")
    conn.execute("UPDATE audit_log SET seq = 5 WHERE seq = -1")
    report = audit.verify(conn)
    assert report.broken is not None and report.broken.seq == 2


def test_an_entry_rewritten_with_a_recomputed_hash_is_named(estore: Store) -> None:
    fill(estore, 6)
    unguard(estore.conn)
    e = audit.entries(estore.conn, 3, 3)[0]
    forged_detail = '{"claims":0,"i":2}'
    forged = audit.entry_hash(e.prev_hash, e.seq, e.at, e.action, e.subject, forged_detail)
    estore.conn.execute("UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 3", (forged_detail, forged))
    report = audit.verify(estore.conn)
    assert report.broken is not None and report.broken.seq == 3 and "rewritten" in report.broken.reason


def test_deleting_the_newest_entries_is_caught_by_the_head_kept_elsewhere(estore: Store) -> None:
    fill(estore, 6)
    kept = audit.head(estore.conn)
    unguard(estore.conn)
    estore.conn.execute("DELETE FROM audit_log WHERE seq >= 5")
    assert audit.verify(estore.conn).ok  # the chain alone cannot tell ...
    report = audit.verify(estore.conn, expect_head=kept)  # ... the head noted outside can
    assert report.broken is not None and report.broken.seq == 6


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 12), data=st.data())
def test_any_single_edit_is_named_exactly(
        tmp_path_factory: pytest.TempPathFactory, n: int, data: st.DataObject) -> None:
    target = data.draw(st.integers(1, n))
    column = data.draw(st.sampled_from(["at", "action", "subject", "detail", "prev_hash"]))
    with open_store(tmp_path_factory.mktemp("audit") / "t.db") as store:
        fill(store, n)
        unguard(store.conn)
        store.conn.execute(f"UPDATE audit_log SET {column} = {column} || 'x' WHERE seq = ?", (target,))
        report = audit.verify(store.conn)
    assert report.broken is not None and report.broken.seq == target


def test_seal_names_a_row_changed_behind_the_logs_back(estore: Store) -> None:
    conn = estore.conn
    with estore.transaction() as tx:
        tx.execute("INSERT INTO sources (name, type) VALUES ('SNHR', 'ngo'), ('SOHR', 'ngo'), ('Reuters', 'media')")
        audit.record_event(tx, "ingest", "sources", {"n": 3})
        audit.seal(tx, "after ingest")
    assert audit.check_seal(conn).changes == []
    conn.execute("UPDATE sources SET name = 'Someone else' WHERE id = 2")
    conn.execute("DELETE FROM sources WHERE id = 1")
    conn.execute("INSERT INTO sources (name) VALUES ('Injected')")  # gets id 4
    report = audit.check_seal(conn)
    assert report.entries_after == 0
    assert [str(c) for c in report.changes] == [
        "sources row 1: removed since the last seal",
        "sources row 2: changed since the last seal",
        "sources row 4: added since the last seal",
    ]


def test_altered_seal_rows_are_detected(estore: Store) -> None:
    with estore.transaction() as tx:
        tx.execute("INSERT INTO sources (name) VALUES ('SNHR')")
        audit.seal(tx)
    estore.conn.execute("UPDATE sources SET name = 'X'")
    estore.conn.execute("UPDATE audit_seal_rows SET digest = '00' WHERE tbl = 'sources'")
    report = audit.check_seal(estore.conn)
    assert report.broken is not None and "sources" in report.broken
