"""The server's store connections: one per worker thread while the thread lives, closed when it ends.

The thread pool that runs page handlers retires idle threads and starts new ones; a connection left open by each
retired thread would, over a day of use, exhaust PostgreSQL's connection slots (every request then failing with
"too many clients") or SQLite's file handles.
"""

from __future__ import annotations

import gc
import os
import threading

from tawthiq.store import open_store
from tawthiq.web.context import StorePool

THREADS = 60



def _open_connections(url: str) -> int:
    """Connections to the store held by this process, as the engine sees them (less the one asking)."""
    if "://" not in url:
        return sum(1 for fd in os.listdir("/proc/self/fd")
                   if os.path.realpath(f"/proc/self/fd/{fd}") == os.path.realpath(url))
    with open_store(url) as store:
        return int(store.conn.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND pid <> pg_backend_pid()"))


def _use(pool: StorePool, seen: list[int]) -> None:
    seen.append(int(pool.get().conn.scalar("SELECT count(*) FROM incidents")))


def test_a_thread_that_ends_closes_its_connection(url: str) -> None:
    pool = StorePool(url)
    seen: list[int] = []
    try:
        for _ in range(THREADS):  # threads that come and go, as the server's pool retires idle ones
            thread = threading.Thread(target=_use, args=(pool, seen))
            thread.start()
            thread.join()
        gc.collect()
        assert seen == [0] * THREADS
        assert _open_connections(url) <= 1  # at most a connection being closed as we look; not one per thread

        held: list[int] = []
        alive = threading.Event()
        done = threading.Event()

        def stay() -> None:
            _use(pool, held)
            alive.set()
            done.wait(30)

        threads = [threading.Thread(target=stay) for _ in range(3)]
        for thread in threads:
            thread.start()
        alive.wait(30)
        while len(held) < 3:
            threading.Event().wait(0.01)
        assert _open_connections(url) >= 3  # a living thread keeps its connection for its next request
        done.set()
        for thread in threads:
            thread.join()
    finally:
        pool.close()
    gc.collect()
    assert _open_connections(url) == 0
