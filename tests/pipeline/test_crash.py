"""An ingest killed with SIGKILL half-way, then run again: nothing duplicated, nothing lost, the record intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.synth_articles import write_corpus
from tawthiq.evidence.audit import verify
from tawthiq.evidence.vault import vault_root, verify_vault
from tawthiq.store import open_store

ARTICLES = 160


def _ingest(db: Path, folder: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tawthiq", "--db", str(db), "ingest", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _documents(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def _claims_by_document(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT d.sha256, count(c.id) FROM documents d LEFT JOIN claims c ON c.document_id = d.id "
                            "GROUP BY d.sha256").fetchall()
    return {sha: n for sha, n in rows}


def test_sigkill_in_the_middle_of_an_ingest_then_rerun(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_corpus(folder, ARTICLES, seed=11)
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"

    process = _ingest(killed, folder)
    deadline = time.monotonic() + 240
    while _documents(killed) < 20 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert process.poll() is None, "the ingest finished before it could be killed: raise ARTICLES"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = _documents(killed)
    assert 0 < partial < ARTICLES

    assert _ingest(killed, folder).wait(timeout=600) == 0
    assert _ingest(clean, folder).wait(timeout=600) == 0

    assert _claims_by_document(killed) == _claims_by_document(clean)
    with open_store(killed) as store:
        conn = store.conn
        assert conn.scalar("PRAGMA integrity_check") == "ok"
        assert tuple(conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone()) == (
            ARTICLES, ARTICLES)
        assert verify(conn).ok
        # a SIGKILL during an original's write leaves its temporary file: reported as an interrupted write, not severe
        problems = verify_vault(conn, vault_root(killed))
        assert [p for p in problems if p.severe] == []
        assert all(Path(p.subject).name.startswith(".incoming-") and "interrupted write" in p.reason
                   for p in problems), problems
