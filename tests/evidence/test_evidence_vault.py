"""The vault: originals once under their hash, read-only, custody recorded, tampering found and named."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tawthiq.errors import EvidenceError
from tawthiq.evidence import audit
from tawthiq.evidence.vault import (
    Custody,
    custody_trail,
    original_path,
    read_original,
    sha256_of,
    store_original,
    verify_vault,
    write_original,
)
from tawthiq.store import Store, open_store
from tests.evidence.conftest import custody


def test_an_original_is_stored_once_read_only_and_custody_accumulates(estore: Store, vault: Path) -> None:
    data = b"a report as received\n"
    with estore.transaction() as conn:
        first = store_original(conn, vault, data, custody("A"), original_name="r.txt")
        again = store_original(conn, vault, data, custody("A"))
        other = store_original(conn, vault, data, custody("B", "https://mirror.example/r.txt"))
    assert first.sha256 == sha256_of(data) and first.path == original_path(vault, first.sha256)
    assert first.new_item and not again.new_item and not again.new_custody and other.new_custody
    assert first.path.read_bytes() == data
    assert oct(first.path.stat().st_mode & 0o777) == "0o444"
    trail = custody_trail(estore.conn, first.sha256)
    assert [(c["actor"], c["source_url"]) for c in trail] == [
        ("A", "https://t.me/example/123"), ("B", "https://mirror.example/r.txt")]
    assert all(str(c["at"]).endswith("Z") for c in trail)
    assert estore.query("SELECT count(*) FROM evidence_items")[0][0] == 1
    assert audit.verify(estore.conn).ok


def test_custody_is_validated_all_at_once(estore: Store, vault: Path) -> None:
    bad = Custody(collected_by=" ", tool="", collected_at=dt.datetime(2025, 3, 7, 14, 5))
    with pytest.raises(EvidenceError) as e, estore.transaction() as conn:
        store_original(conn, vault, b"x", bad, original_name="clip.mp4")
    message = str(e.value)
    assert message.startswith("clip.mp4: ")
    for part in ("--collected-by", "--tool", "--source-url", "time zone"):
        assert part in message
    assert not vault.exists() or not any(vault.rglob("*"))


def test_collection_time_is_kept_in_utc(estore: Store, vault: Path) -> None:
    beirut = dt.timezone(dt.timedelta(hours=2))
    c = Custody("A", "pytest", device="witness phone", collected_at=dt.datetime(2025, 3, 7, 16, 5, tzinfo=beirut))
    with estore.transaction() as conn:
        stored = store_original(conn, vault, b"y", c)
    assert custody_trail(estore.conn, stored.sha256)[0]["at"] == "2025-03-07T14:05:00Z"


def test_one_changed_byte_in_the_vault_is_found_and_named(estore: Store, vault: Path) -> None:
    with estore.transaction() as conn:
        kept = store_original(conn, vault, b"untouched", custody())
        hit = store_original(conn, vault, b"one byte will change", custody())
    os.chmod(hit.path, 0o644)
    raw = bytearray(hit.path.read_bytes())
    raw[3] ^= 0x01
    hit.path.write_bytes(bytes(raw))
    problems = [p for p in verify_vault(estore.conn, vault) if p.severe]
    assert len(problems) == 1 and hit.sha256 in str(problems[0]) and "altered" in str(problems[0])
    with pytest.raises(EvidenceError, match="altered"):
        read_original(vault, hit.sha256)
    assert read_original(vault, kept.sha256) == b"untouched"
    with pytest.raises(EvidenceError, match="damaged or altered"), estore.transaction() as conn:
        store_original(conn, vault, b"one byte will change", custody("C"))


def test_a_changed_document_original_in_the_database_is_named(estore: Store, vault: Path) -> None:
    data = b"Gunmen killed 12 people."
    estore.conn.execute("INSERT INTO documents (sha256, path, media_type, original, text) VALUES (?, 'a.txt', "
                        "'text/plain', ?, 'x')", (sha256_of(data), data))
    assert verify_vault(estore.conn, vault) == []
    estore.conn.execute("UPDATE documents SET original = ? WHERE id = 1", (b"Gunmen killed 13 people.",))
    problems = verify_vault(estore.conn, vault)
    assert len(problems) == 1 and problems[0].subject.startswith("document 1 ")


def test_an_orphan_from_an_interrupted_add_is_a_note_and_is_reused(estore: Store, vault: Path) -> None:
    with pytest.raises(RuntimeError), estore.transaction() as conn:
        store_original(conn, vault, b"written, never committed", custody())
        raise RuntimeError("killed before commit")
    notes = verify_vault(estore.conn, vault)
    assert len(notes) == 1 and not notes[0].severe and "interrupted" in notes[0].reason
    with estore.transaction() as conn:
        stored = store_original(conn, vault, b"written, never committed", custody())
    assert stored.new_item and verify_vault(estore.conn, vault) == []


ADD_MANY = """
import sys
from pathlib import Path
from tawthiq.evidence.vault import store_original, vault_root
from tawthiq.evidence.audit import seal
from tawthiq.evidence import Custody
from tawthiq.store import open_store
db, folder = Path(sys.argv[1]), Path(sys.argv[2])
with open_store(db) as store:
    for i, path in enumerate(sorted(folder.iterdir())):
        with store.transaction() as conn:
            store_original(conn, vault_root(db), path.read_bytes(), Custody("A", "bulk", device="drive"),
                           original_name=path.name)
        if i == 5:
            print("started", flush=True)
    with store.transaction() as conn:
        seal(conn)
print("done", flush=True)
"""


def test_sigkill_in_the_middle_of_a_large_add_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(600):
        (folder / f"{i:04d}.bin").write_bytes(os.urandom(2048) + str(i).encode())
    db = tmp_path / "t.db"
    script = tmp_path / "add_many.py"
    script.write_text(ADD_MANY, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, str(script), str(db), str(folder)], stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"started"
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    conn = sqlite3.connect(db)
    partial = conn.execute("SELECT count(*) FROM evidence_items").fetchone()[0]
    conn.close()
    assert 6 <= partial < 600, "the kill came too late to test anything"
    rerun = subprocess.run([sys.executable, str(script), str(db), str(folder)], capture_output=True, env=env,
                           timeout=120)
    assert rerun.returncode == 0, rerun.stderr.decode()
    with open_store(db) as store:
        conn = store.conn
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = conn.execute("SELECT count(*), count(DISTINCT sha256) FROM evidence_items").fetchone()
        assert tuple(counts) == (600, 600)
        assert conn.execute("SELECT count(*) FROM custody_events").fetchone()[0] == 600
        assert audit.verify(conn).ok
        assert [p for p in verify_vault(conn, tmp_path / "t.db.evidence") if p.severe] == []
        expected = {sha256_of(p.read_bytes()) for p in folder.iterdir()}
        assert {r[0] for r in conn.execute("SELECT sha256 FROM evidence_items")} == expected


def test_a_new_original_is_synced_with_its_name_and_its_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file's bytes synced but not its folder's entry can vanish in a power cut after the store recorded it.
    synced: list[tuple[int, int]] = []  # (inode, is a folder) of every fsync, in order
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        info = os.fstat(fd)
        synced.append((info.st_ino, int(os.path.isdir(f"/proc/self/fd/{fd}"))))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    root = tmp_path / "vault"
    root.mkdir()
    _, path = write_original(root, b"first original")
    assert synced == [(root.stat().st_ino, 1), (path.stat().st_ino, 0), (path.parent.stat().st_ino, 1)]
    synced.clear()
    write_original(root, b"first original")  # already there: checked, nothing written or synced
    assert synced == []
    other = next(b"other %d" % i for i in range(1000)
                 if original_path(root, sha256_of(b"other %d" % i)).parent == path.parent)
    _, second = write_original(root, other)  # same folder, which exists already: the file, then the folder
    assert synced == [(second.stat().st_ino, 0), (path.parent.stat().st_ino, 1)]
