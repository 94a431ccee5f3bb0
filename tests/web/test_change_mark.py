"""The record's change marks, on which the page cache's epoch rests (``Connection.record_changes``), on both engines.

They must be exact: whenever a transaction that wrote to the record has committed since a mark was read, asking with
that mark says so — including a transaction already running when the mark was read, and on PostgreSQL one that
commits after a younger one. And they must stay still for what no cached page shows: signing in, API use, and on
PostgreSQL the server's housekeeping (checkpoints, VACUUM, ANALYZE), each of which made the cache check every page
again when it asked the engine whether anything at all had been committed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawthiq.store import Store, open_store
from tawthiq.store.connection import Connection
from tawthiq.web import cache
from tawthiq.web.api.tokens import create_token, touch
from tawthiq.web.auth import Role, add_user, end_session, start_session
from tawthiq.web.cache import SharedPages, StoreWatch

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


def _changed(conn: Connection, since: str) -> bool:
    return conn.record_changes(since)[1]


def test_the_mark_moves_with_each_commit_that_wrote_and_not_with_reads(stores: list[Store]) -> None:
    reader, writer = stores[0].conn, stores[1].conn
    mark, changed = reader.record_changes(None)
    assert changed  # asked without a mark: unknown, so changed
    writer.execute("SELECT count(*) FROM incident_notes")
    with writer.transaction(read_only=True):
        writer.execute("SELECT count(*) FROM incident_notes")
    assert not _changed(reader, mark)  # reading, by anyone, leaves it still
    with writer.transaction():
        _note(writer, "another connection's")
    moved, changed = reader.record_changes(mark)
    assert changed and moved != mark
    assert not _changed(writer, moved)  # a mark read on one connection is good on any other
    _note(reader, "its own, in autocommit")
    assert _changed(reader, moved)
    own = reader.record_changes(moved)[0]
    with pytest.raises(RuntimeError), writer.transaction():
        _note(writer, "written, then taken back")
        raise RuntimeError("rolled back")
    assert not _changed(reader, own)


def test_signing_in_and_api_use_leave_no_mark(stores: list[Store]) -> None:
    """They write sessions and token use, which no cached page shows: the cache must not check its pages for them."""
    reader, writer = stores[0].conn, stores[1].conn
    with writer.transaction():
        user = add_user(writer, "reviewer1", "a long enough password", Role.REVIEWER)
        token_id = create_token(writer, "reviewer1", name="sync", created_by="admin")[1].id
    mark = reader.record_changes(None)[0]
    with writer.transaction():
        _, session = start_session(writer, user, dt.timedelta(hours=1))
    touch(writer, token_id, "2026-12-08T00:00:00Z")
    with writer.transaction():
        end_session(writer, session)
    assert not _changed(reader, mark)
    with writer.transaction():
        writer.execute("UPDATE users SET role = ? WHERE id = ?", (Role.VIEWER.value, user.id))  # pages are per role
    assert _changed(reader, mark)


def test_a_sqlite_store_whose_mark_row_was_deleted_counts_as_changed_on_every_look(tmp_path: Path) -> None:
    with open_store(tmp_path / "store.db") as store:
        store.conn.execute("DELETE FROM store_mark")
        mark, changed = store.conn.record_changes(None)
        assert changed and store.conn.record_changes(mark)[1]
        watch = StoreWatch()
        first = watch.generation(store.conn)
        assert first is not None and watch.generation(store.conn) == first + 1


def test_a_writer_running_when_the_mark_is_read_moves_it_when_it_commits(stores: list[Store]) -> None:
    reader, writer = stores[0].conn, stores[1].conn
    with writer.transaction():
        _note(writer, "written before the mark is read, committed after")
        mark = reader.record_changes(None)[0]
        seen = reader.scalar("SELECT count(*) FROM incident_notes")
    assert _changed(reader, mark)
    assert reader.scalar("SELECT count(*) FROM incident_notes") == seen + 1


@pytest.mark.postgres
def test_an_older_writer_committing_after_a_younger_one_moves_the_mark(pg_url: str) -> None:
    with open_store(pg_url) as r, open_store(pg_url) as a, open_store(pg_url) as b:
        with a.conn.transaction():
            _note(a.conn, "older: takes its transaction id first")
            with b.conn.transaction():
                _note(b.conn, "younger")
            mark = r.conn.record_changes(None)[0]  # the younger one is committed, the older one still running
        assert _changed(r.conn, mark)


@pytest.mark.postgres
def test_housekeeping_leaves_no_mark_on_postgresql(pg_url: str) -> None:
    with open_store(pg_url) as store:
        conn = store.conn
        conn.executemany(NOTE, [("k", f"note {i}") for i in range(2000)])
        conn.execute("DELETE FROM incident_notes WHERE id % 2 = 0")  # dead rows for VACUUM to clear
        watch = StoreWatch()
        epoch = watch.generation(conn)
        mark = conn.record_changes(None)[0]
        for statement in ("CHECKPOINT", "VACUUM incident_notes", "ANALYZE incident_notes",
                          "VACUUM (FREEZE) incident_notes", "CHECKPOINT"):
            conn.execute(statement)
        with open_store(pg_url) as other:
            other.conn.execute("CREATE TEMPORARY TABLE scratch (n int)")
            other.conn.execute("INSERT INTO scratch VALUES (1)")  # a write outside the record
        now, changed = conn.record_changes(mark)
        assert now != mark  # the snapshot moved (ANALYZE and the scratch write took transaction ids)…
        assert not changed  # …the record did not
        assert watch.generation(conn) == epoch  # so the cache serves its pages without re-checking them
        with open_store(pg_url) as other, other.transaction() as w:
            _note(w, "a real change")
        assert watch.generation(conn) == epoch + 1


@pytest.mark.postgres
def test_forgotten_transactions_are_those_every_later_mark_sees(pg_url: str) -> None:
    with open_store(pg_url) as r, open_store(pg_url) as w:
        for i in range(3):
            _note(w.conn, f"before {i}")
        before = r.conn.record_changes(None)[0]
        _note(w.conn, "after the mark")
        later = r.conn.record_changes(None)[0]
        assert r.conn.forget_changes(before) >= 3
        assert r.conn.scalar("SELECT count(*) FROM store_changes") == 1  # the one after the mark stays
        assert _changed(r.conn, before)
        assert not _changed(r.conn, later)
        _note(w.conn, "another")
        assert _changed(r.conn, later)


def test_a_watch_moves_once_for_all_workers_and_across_runs_over_a_kept_file(url: str, tmp_path: Path) -> None:
    """Two watches over one shared file (two workers, or a server and its restart): a change moves the epoch once,
    and a watch that starts over a kept file with the record unchanged keeps the epoch its pages were checked at."""
    with open_store(url) as a, open_store(url) as b, open_store(url) as w:
        first = StoreWatch(SharedPages(tmp_path / "pages.db"))
        epoch = first.generation(a.conn)
        assert epoch is not None
        assert first.generation(b.conn) == epoch
        restarted = StoreWatch(SharedPages(tmp_path / "pages.db"))
        assert restarted.generation(b.conn) == epoch
        with w.transaction():
            _note(w.conn, "a change")
        assert restarted.generation(b.conn) == epoch + 1
        assert first.generation(a.conn) == epoch + 1  # the other worker reads the mark filed with the epoch


@pytest.mark.postgres
def test_an_old_mark_is_not_trusted_on_postgresql(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(pg_url) as store:
        watch = StoreWatch()
        epoch = watch.generation(store.conn)
        assert watch.generation(store.conn) == epoch
        clock = time.time() + cache.TRUST_S + 1
        monkeypatch.setattr(cache.time, "time", lambda: clock)
        assert watch.generation(store.conn) == epoch + 1  # its transactions may have been forgotten: changed
        assert watch.generation(store.conn) == epoch + 1


# Steps: a writer (1-3) writes in its open transaction (opening one), commits, or rolls back; or the reader reads.
_STEPS = st.lists(st.one_of(st.tuples(st.sampled_from(["write", "commit", "rollback"]), st.integers(1, 3)),
                            st.just(("read", 0))), max_size=30)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS)
def test_the_mark_never_stays_still_over_a_commit_that_wrote(stores: list[Store], steps: list[tuple[str, int]]) -> None:
    """Any interleaving of writers' transactions: when asking with the last mark says nothing changed, no write was
    committed, so what the reader sees is the same (the promise the page cache rests on: a page is never older than
    its rows)."""
    reader = stores[0].conn
    sqlite = reader.dialect == "sqlite"
    open_: set[int] = set()
    committed = 0
    mark = reader.record_changes(None)[0]
    last = (reader.scalar("SELECT count(*) FROM incident_notes"), committed)
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
                mark, changed = reader.record_changes(mark)
                seen = reader.scalar("SELECT count(*) FROM incident_notes")
                if not changed:
                    assert committed == last[1], "a commit that wrote left the mark as it was"
                    assert seen == last[0]
                last = (seen, committed)
    finally:
        for who in open_:
            stores[who].conn.sa.exec_driver_sql("ROLLBACK")
