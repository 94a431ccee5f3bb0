"""The store's change mark, on which the page cache's epoch rests (``Connection.change_mark``), on both engines.

It must be exact: whenever a transaction that wrote has committed since the mark was last read, the mark differs —
including a transaction already running when the mark was read, and on PostgreSQL one that commits after a younger
one. On PostgreSQL it must also stay still while the server keeps house (checkpoints, VACUUM), which moved the WAL
position it replaced and made the cache re-check pages for nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawthiq.store import Store, open_store
from tawthiq.store.connection import Connection
from tawthiq.web.cache import StoreWatch
from tests.fixtures.postgres import PostgresServer

NOTE = "INSERT INTO incident_notes (incident_key, body, user_name, created_at) VALUES (?, ?, 'test', '2026-01-01')"



@pytest.fixture
def stores(url: str) -> Iterator[list[Store]]:
    """Four connections to one new store: the reader (index 0) and three writers."""
    opened = [open_store(url) for _ in range(4)]
    yield opened
    for store in opened:
        store.close()


def _note(conn: Connection, body: str) -> None:
    conn.execute(NOTE, ("k", body))


def test_the_mark_moves_with_each_commit_that_wrote_and_not_with_reads(stores: list[Store]) -> None:
    reader, writer = stores[0].conn, stores[1].conn
    mark = reader.change_mark()
    writer.execute("SELECT count(*) FROM incident_notes")
    with writer.transaction(read_only=True):
        writer.execute("SELECT count(*) FROM incident_notes")
    assert reader.change_mark() == mark  # reading, by anyone, leaves it still
    with writer.transaction():
        _note(writer, "another connection's")
    moved = reader.change_mark()
    assert moved != mark
    _note(reader, "its own, in autocommit")
    assert reader.change_mark() != moved


def test_a_writer_running_when_the_mark_is_read_moves_it_when_it_commits(stores: list[Store]) -> None:
    reader, writer = stores[0].conn, stores[1].conn
    with writer.transaction():
        _note(writer, "written before the mark is read, committed after")
        mark = reader.change_mark()
        seen = reader.scalar("SELECT count(*) FROM incident_notes")
    assert reader.change_mark() != mark
    assert reader.scalar("SELECT count(*) FROM incident_notes") == seen + 1


@pytest.mark.postgres
def test_an_older_writer_committing_after_a_younger_one_moves_the_mark(pg_url: str) -> None:
    with open_store(pg_url) as r, open_store(pg_url) as a, open_store(pg_url) as b:
        with a.conn.transaction():
            _note(a.conn, "older: takes its transaction id first")
            with b.conn.transaction():
                _note(b.conn, "younger")
            mark = r.conn.change_mark()  # the younger one is committed, the older one still running
        assert r.conn.change_mark() != mark


@pytest.mark.postgres
def test_housekeeping_does_not_move_the_mark_on_postgresql(pg_server: PostgresServer, pg_url: str) -> None:
    with open_store(pg_url) as store:
        conn = store.conn
        conn.executemany(NOTE, [("k", f"note {i}") for i in range(2000)])
        conn.execute("DELETE FROM incident_notes WHERE id % 2 = 0")  # dead rows for VACUUM to clear
        with _autovacuum_off(pg_server):  # its ANALYZE writes statistics (a transaction id) at any moment
            watch = StoreWatch()
            epoch = watch.generation(conn)
            mark = conn.change_mark()
            wal = conn.scalar("SELECT pg_current_wal_insert_lsn()::text")
            for statement in ("CHECKPOINT", "VACUUM incident_notes", "VACUUM (FREEZE) incident_notes", "CHECKPOINT"):
                conn.execute(statement)
            assert conn.scalar("SELECT pg_current_wal_insert_lsn()::text") != wal  # the old mark would have moved
            assert conn.change_mark() == mark
            assert watch.generation(conn) == epoch  # so the cache serves its pages without re-checking them
            with open_store(pg_url) as other, other.transaction() as w:
                _note(w, "a real change")
            assert watch.generation(conn) == epoch + 1


class _autovacuum_off:
    """Autovacuum off on the whole server for a moment (and no worker still running), then back on."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server

    def __enter__(self) -> None:
        self.server.admin("ALTER SYSTEM SET autovacuum = off")
        self.server.admin("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 30
        with open_store(self.server.url()) as store:
            while store.conn.scalar("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"):
                if time.monotonic() > deadline:
                    raise RuntimeError("an autovacuum worker did not finish in 30 s")
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.server.admin("ALTER SYSTEM RESET autovacuum")
        self.server.admin("SELECT pg_reload_conf()")


# Steps: a writer (1-3) writes in its open transaction (opening one), commits, or rolls back; or the reader reads.
_STEPS = st.lists(st.one_of(st.tuples(st.sampled_from(["write", "commit", "rollback"]), st.integers(1, 3)),
                            st.just(("read", 0))), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS)
def test_the_mark_never_stays_still_over_a_commit_that_wrote(stores: list[Store], steps: list[tuple[str, int]]) -> None:
    """Any interleaving of writers' transactions: between two equal marks, no write was committed, so what the reader
    sees is the same (the promise the page cache rests on: a page is never older than its rows)."""
    reader = stores[0].conn
    sqlite = reader.dialect == "sqlite"
    open_: set[int] = set()
    committed = 0
    last = (reader.change_mark(), reader.scalar("SELECT count(*) FROM incident_notes"), committed)
    try:
        for action, who in steps:
            conn = stores[who].conn
            if action == "write":
                if who not in open_:
                    if sqlite and open_:  # SQLite: one writer at a time (the next would wait for the lock)
                        continue
                    conn.sa.exec_driver_sql("BEGIN IMMEDIATE" if sqlite else "BEGIN")
                    open_.add(who)
                _note(conn, f"by {who}")
            elif action in ("commit", "rollback") and who in open_:
                conn.sa.exec_driver_sql(action.upper())
                open_.discard(who)
                wrote = action == "commit"
                committed += wrote
            elif action == "read":
                mark, seen = reader.change_mark(), reader.scalar("SELECT count(*) FROM incident_notes")
                if mark == last[0]:
                    assert committed == last[2], "a commit that wrote left the mark as it was"
                    assert seen == last[1]
                last = (mark, seen, committed)
    finally:
        for who in open_:
            stores[who].conn.sa.exec_driver_sql("ROLLBACK")
